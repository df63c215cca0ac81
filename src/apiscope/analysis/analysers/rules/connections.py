"""A connection, pool or client created on every request: each request pays the TCP (and TLS)
handshake and the authentication, and never reuses a warm connection.

Only constructors whose cost is known and whose documentation says to share them. A function
that caches what it creates (`@lru_cache`, a `global`, an `if x is None` guard) is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from apiscope.analysis.analysers.base import Severity
from apiscope.analysis.analysers.context.syntax import text
from apiscope.analysis.analysers.rules.base import ApiCode, Hit
from apiscope.analysis.analysers.rules.calls import Call
from apiscope.analysis.analysers.rules.code import UnitCode

_FACTORIES = {
    "python": frozenset(
        {
            "psycopg2.connect",
            "psycopg.connect",
            "pymysql.connect",
            "mysql.connector.connect",
            "asyncpg.connect",
            "asyncpg.create_pool",
            "create_engine",
            "create_async_engine",
            "sqlalchemy.create_engine",
            "aiohttp.ClientSession",
            "httpx.AsyncClient",
            "httpx.Client",
            "requests.Session",
            "MongoClient",
            "pymongo.MongoClient",
            "AsyncIOMotorClient",
            "motor.motor_asyncio.AsyncIOMotorClient",
            "redis.Redis",
            "redis.from_url",
            "redis.StrictRedis",
            "boto3.client",
            "boto3.resource",
            "aioredis.from_url",
        }
    ),
    "javascript": frozenset(
        {
            "PrismaClient",
            "Pool",
            "pg.Pool",
            "pg.Client",
            "mysql.createConnection",
            "mysql.createPool",
            "mysql2.createConnection",
            "mongoose.connect",
            "mongoose.createConnection",
            "MongoClient",
            "MongoClient.connect",
            "Redis",
            "Sequelize",
            "DataSource",
            "redis.createClient",
        }
    ),
    "java": frozenset(
        {
            "DriverManager.getConnection",
            "HttpClient.newHttpClient",
            "MongoClients.create",
            "OkHttpClient",
            "HttpClients.createDefault",
        }
    ),
    "go": frozenset(
        {
            "sql.Open",
            "gorm.Open",
            "pgxpool.New",
            "pgxpool.Connect",
            "pgx.Connect",
            "mongo.Connect",
            "redis.NewClient",
            "sqlx.Open",
            "sqlx.Connect",
        }
    ),
    "csharp": frozenset({"HttpClient"}),
    "ruby": frozenset({"PG.connect", "Redis.new", "Mysql2::Client.new"}),
    "rust": frozenset({"reqwest::Client::new", "PgPool::connect"}),
}
_CACHED = re.compile(r"lru_cache|@cache\b|@cached|\bglobal\s|sync\.Once|\?\?=|\|\|=")
"""A memoised function, a module global or a Go `sync.Once`: created once after all."""


class ConnectionPerRequest:
    """A client or connection built on the request path instead of once at start-up."""

    id = "connection-per-request"
    severity: Severity = "medium"
    label = "connections created per request"
    languages = frozenset({"python", "javascript", "typescript", "tsx", "java", "go", "csharp",
                           "ruby", "rust"})  # fmt: skip

    def check(self, code: UnitCode, api: ApiCode) -> Iterator[Hit]:
        """Known connection and client factories, unless the unit caches what they return."""
        family = "javascript" if code.language in ("typescript", "tsx") else code.language
        if _CACHED.search(code.unit.source):
            return
        for call in code.calls:
            if _creates(call, family) and not _lazily_once(code, call.node):
                yield Hit(
                    spots=(code.spot(call.node),),
                    title=f"Connection created per request in {code.name}",
                    explanation=(
                        f"`{call.shown}` creates a new connection (or pool, or client) each "
                        "time the endpoint runs: every request pays the connect, TLS and "
                        "authentication round trips, and no warm connection is reused."
                    ),
                    recommendation=(
                        "Create it once at start-up (module level, application state, a "
                        "lifespan hook or dependency injection) and share it across requests."
                    ),
                )


def _creates(call: Call, family: str) -> bool:
    if call.callee not in _FACTORIES.get(family, frozenset()):
        return False
    # A bare class name (`Pool`, `HttpClient`) counts only where it is constructed.
    return call.constructor or family == "python" or "." in call.callee or "::" in call.callee


def _lazily_once(code: UnitCode, node: Node) -> bool:
    """Created under `if client is None:` (or `=== null`, `== nil`): a lazy singleton."""
    current = node.parent
    while current is not None and current != code.function:
        condition = current.child_by_field_name("condition")
        if current.type in _CONDITIONALS and _UNSET.search(text(condition)):
            return True
        current = current.parent
    return False


_CONDITIONALS = frozenset({"if_statement", "if", "if_expression"})
_UNSET = re.compile(r"\bNone\b|\bnull\b|\bnil\b|\bundefined\b|^\(?\s*!|\bnot\s")
