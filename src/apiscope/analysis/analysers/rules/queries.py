"""Whether a call runs a database query, by what the call looks like: the ORM or driver idioms
of each language (`Order.objects.get`, `session.execute`, `prisma.user.findMany`,
`userRepository.findById`, `db.QueryRow`). A call is a query only when the idiom is unmistakable;
`x.get(…)` alone never is.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from apiscope.analysis.analysers.rules.calls import Call, looks_like_url
from apiscope.analysis.analysers.rules.other_queries import (
    csharp_query,
    go_query,
    is_class_name,
    java_query,
    php_query,
    ruby_query,
    rust_query,
)

_SESSIONS = re.compile(
    r"^(self\.|this\.|cls\.)?_?(db|session|db_session|dbsession|async_session|conn|connection|"
    r"cursor|cur|tx|transaction|pool|db_pool|dbpool|database)$",
    re.IGNORECASE,
)
_PY_SESSION_METHODS = frozenset(
    {"execute", "executemany", "query", "scalars", "scalar", "get", "exec", "fetch", "fetchrow",
     "fetchval", "fetch_all", "fetch_one", "fetch_val", "refresh", "merge", "get_one"}
)  # fmt: skip
_DJANGO_LAZY_FREE = frozenset({"none"})
_RELATED = frozenset({"all", "filter", "exclude", "count", "aggregate", "annotate",
                      "values_list", "order_by", "select_related", "prefetch_related"})  # fmt: skip
_NOT_MANAGERS = frozenset(
    {"values", "index", "columns", "str", "dt", "cat", "loc", "iloc", "data", "shape", "flat",
     "path", "parent", "args", "kwargs", "form", "query_params", "headers", "cookies", "files",
     "json", "keys", "text", "content", "body", "params", "environ", "meta", "config"}
)  # fmt: skip
"""Attributes that hold mappings, paths or data frames, whose `.count()` or `.all()` is no query."""
_MONGO = frozenset(
    {"find_one", "insert_one", "insert_many", "update_one", "update_many", "delete_one",
     "delete_many", "replace_one", "count_documents", "find_one_and_update",
     "find_one_and_delete", "findOne", "insertOne", "insertMany", "updateOne", "updateMany",
     "deleteOne", "deleteMany", "replaceOne", "countDocuments", "findOneAndUpdate",
     "findOneAndDelete", "bulkWrite", "FindOne", "InsertOne", "UpdateOne", "DeleteOne",
     "CountDocuments", "FindOneAndUpdate"}
)  # fmt: skip
_PY_MODEL_METHODS = frozenset({"get_or_none", "get_by_id", "select", "filter", "exclude"})


def python_query(call: Call) -> str | None:
    """Django, SQLAlchemy, DB-API, asyncpg, Peewee/Tortoise and Mongo idioms."""
    segments = call.segments
    if "objects" in segments[1:-1] and call.name not in _DJANGO_LAZY_FREE:
        return "Django ORM query"
    if call.name in ("get_object_or_404", "get_list_or_404") and len(segments) == 1:
        return "Django ORM query"
    if call.name == "get" and call.arguments and looks_like_url(call.arguments[0]):
        return None  # `session.get(url)`: an aiohttp or requests session, not SQLAlchemy's
    if len(segments) >= 3 and segments[1] == "query" and segments[0][:1].isupper():
        return "SQLAlchemy query"
    session = _session_method(call)
    if session is not None and session in _PY_SESSION_METHODS:
        return "database query"
    if call.name in _MONGO and len(segments) >= 2:
        return "MongoDB query"
    if _model_call(call) or _related_manager(call):
        return "ORM query"
    return None


def _session_method(call: Call) -> str | None:
    """`session.execute(...)`, `self.db.query(User)...`: the first method called on a session."""
    for index in range(1, min(len(call.segments), 3)):
        if _SESSIONS.match(".".join(call.segments[:index])):
            return call.segments[index]
    return None


def _model_call(call: Call) -> bool:
    """`Product.get_or_none(id=1)`, `await User.filter(active=True)` (Peewee, Tortoise)."""
    if len(call.segments) != 2 or not is_class_name(call.segments[0]):
        return False
    return call.name in _PY_MODEL_METHODS or (call.name == "get" and bool(call.keywords))


def _related_manager(call: Call) -> bool:
    """`order.items.all()`, `user.orders.count()`: a Django related manager or a dynamic
    SQLAlchemy relationship. Only on an attribute of a plain name, and `count`/`all` with no
    arguments (`text.count("x")` is a string's)."""
    if len(call.segments) != 3 or call.name not in _RELATED or call.root in ("self", "cls"):
        return False
    manager = call.segments[1]
    if not manager.islower() or manager in _NOT_MANAGERS or "(" in call.receiver:
        return False
    if is_class_name(call.root):
        return False
    return call.name in ("filter", "exclude", "aggregate", "annotate") or not call.arguments


_PRISMA = frozenset(
    {"findMany", "findUnique", "findUniqueOrThrow", "findFirst", "findFirstOrThrow", "upsert",
     "groupBy", "createMany", "updateMany", "deleteMany"}
)  # fmt: skip
_PRISMA_COMMON = frozenset({"create", "update", "delete", "count", "aggregate"})
_REPOSITORY_METHODS = frozenset(
    {"find", "findOne", "findOneBy", "findBy", "findAndCount", "findOneOrFail", "findByIds",
     "save", "insert", "update", "delete", "remove", "count", "query", "upsert", "increment",
     "exist", "exists", "findOneByOrFail", "countBy"}
)  # fmt: skip
_BUILDER_ENDS = frozenset(
    {"getMany", "getOne", "getRawMany", "getRawOne", "getManyAndCount", "getCount",
     "getOneOrFail", "getExists"}
)  # fmt: skip
_MODEL_STATICS = frozenset(
    {"findAll", "findOne", "findByPk", "findAndCountAll", "findOrCreate", "bulkCreate",
     "find", "findById", "findByIdAndUpdate", "findByIdAndDelete", "countDocuments",
     "estimatedDocumentCount", "aggregate", "insertMany", "exists", "distinct", "create",
     "destroy", "upsert"}
)  # fmt: skip
_JS_GLOBALS = frozenset(
    {"Object", "Array", "Promise", "JSON", "Math", "Number", "String", "Date", "Reflect",
     "Symbol", "Map", "Set", "Buffer", "URL", "Intl", "BigInt", "Error", "Boolean", "Atomics"}
)  # fmt: skip
_JS_CLIENTS = re.compile(
    r"^(this\.)?_?(pool|client|db|connection|conn|pg|mysql|database|knex|sequelize|"
    r"dataSource|manager|entityManager|queryRunner|trx|tx|prisma)$"
)


def js_query(call: Call) -> str | None:
    """Prisma, TypeORM, Sequelize, Mongoose, knex, node-postgres/mysql and MongoDB idioms."""
    segments = call.segments
    if call.name in _PRISMA and len(segments) >= 3:
        return "Prisma query"
    if call.name in _PRISMA_COMMON and len(segments) >= 3 and "prisma" in call.receiver.lower():
        return "Prisma query"
    if call.name in _BUILDER_ENDS or call.name in ("$queryRaw", "$executeRaw"):
        return "database query"
    owner = segments[-2] if len(segments) >= 2 else ""
    if call.name in _REPOSITORY_METHODS and re.search(r"(repo|repository)$", owner, re.I):
        return "TypeORM query"
    if call.name in _MODEL_STATICS and len(segments) == 2 and is_class_name(owner):
        return None if owner in _JS_GLOBALS else "ORM query"
    if call.name in ("query", "execute") and _JS_CLIENTS.match(call.receiver):
        return "database query"
    if call.name in _MONGO and len(segments) >= 2:
        return "MongoDB query"
    if call.callee in ("sql", "knex") or call.callee.startswith(("knex(", "this.knex(")):
        return "database query"
    return None


QUERIES: dict[str, Callable[[Call], str | None]] = {
    "python": python_query,
    "javascript": js_query,
    "typescript": js_query,
    "tsx": js_query,
    "java": java_query,
    "kotlin": java_query,
    "go": go_query,
    "ruby": ruby_query,
    "php": php_query,
    "csharp": csharp_query,
    "rust": rust_query,
}


def query_kind(call: Call, language: str) -> str | None:
    """What kind of query the call runs, or None when it is not (recognisably) one."""
    if call.constructor:
        return None
    classify = QUERIES.get(language)
    return classify(call) if classify is not None else None
