from fastapi import FastAPI

from app.routers import checkout, orders, products, reports, users

API_PREFIX = "/api/v1"

app = FastAPI(title="shop")
app.include_router(orders.router, prefix=API_PREFIX)
app.include_router(users.router, prefix=API_PREFIX)
app.include_router(products.router, prefix=API_PREFIX)
app.include_router(reports.router, prefix=API_PREFIX)
app.include_router(checkout.router, prefix=API_PREFIX)


@app.get("/healthz")
async def healthz():
    return {"status": "ok"}
