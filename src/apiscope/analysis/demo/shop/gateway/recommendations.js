const express = require('express');
const axios = require('axios');

const router = express.Router();

router.get('/recommendations/:userId', async (req, res) => {
  const history = await axios.get(`http://orders.internal/users/${req.params.userId}/history`);
  const trending = await axios.get('http://catalog.internal/trending');
  const items = [];
  for (const item of history.data) {
    const details = await axios.get(`http://catalog.internal/products/${item.productId}`);
    items.push(details.data);
  }
  res.json({ items, trending: trending.data });
});

module.exports = router;
