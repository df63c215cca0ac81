const express = require('express');
const fs = require('fs');
const recommendations = require('./recommendations');

const app = express();
app.use('/gateway', recommendations);

app.get('/gateway/config', (req, res) => {
  const config = JSON.parse(fs.readFileSync('./config.json', 'utf8'));
  res.json(config);
});

app.listen(3000);
