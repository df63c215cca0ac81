import requests
from fastapi import APIRouter

router = APIRouter()


@router.post("/checkout")
async def checkout(cart_id: int):
    stock = requests.get(f"https://inventory.internal/carts/{cart_id}/stock")
    payment = requests.post("https://payments.internal/charges", json={"cart": cart_id})
    receipt = requests.post("https://mailer.internal/receipts", json={"cart": cart_id})
    return {"stock": stock.json(), "payment": payment.json(), "receipt": receipt.status_code}
