import re

import requests


def tax_rate(country: str) -> float:
    response = requests.get(f"https://tax.internal/rates/{country}")
    return response.json()["rate"]


def price_with_tax(order) -> dict:
    pattern = re.compile(r"^[A-Z]{2}$")
    country = order.country if pattern.match(order.country) else "US"
    return {"id": order.id, "total": order.total * (1 + tax_rate(country))}
