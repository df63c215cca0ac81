import asyncio
import time

from fastapi import APIRouter

from app.db import get_session
from app.models import Order
from app.services.pricing import price_with_tax

router = APIRouter(prefix="/users")


@router.get("/{user_id}/orders")
async def user_orders(user_id: int, limit: int = 20):
    time.sleep(0.2)  # wait for the replica to catch up
    session = get_session()
    orders = session.query(Order).filter(Order.user_id == user_id).limit(limit).all()
    return [price_with_tax(order) for order in orders]


@router.get("/{user_id}")
async def get_user(user_id: int):
    await asyncio.sleep(0)
    return {"id": user_id}
