from fastapi import APIRouter

from app.db import get_session
from app.models import Product

router = APIRouter(prefix="/products")


@router.get("/{product_id}")
def get_product(product_id: int):
    session = get_session()
    return session.get(Product, product_id)
