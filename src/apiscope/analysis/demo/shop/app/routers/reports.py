from fastapi import APIRouter

from app.db import fetch_all, get_session

router = APIRouter(prefix="/reports")


@router.get("/sales")
async def sales_report():
    session = get_session()
    rows = fetch_all(session, "SELECT * FROM order_lines")
    totals = {}
    for row in rows:
        for other in rows:
            if other.product_id == row.product_id:
                totals[row.product_id] = totals.get(row.product_id, 0) + other.amount
    return totals


@router.post("/checkout")
async def not_the_checkout():
    return {}
