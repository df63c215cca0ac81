from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

engine = create_engine("postgresql://shop@db/shop")


def get_session() -> Session:
    return Session(engine)


def fetch_all(session: Session, sql: str):
    return session.execute(text(sql)).fetchall()
