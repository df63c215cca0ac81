"""Query idioms of Java, Go, Ruby, PHP, C# and Rust (Python and JS/TS are in `queries.py`)."""

from __future__ import annotations

import re

from apiscope.analysis.analysers.rules.calls import Call

_MONGO_GO = frozenset(
    {"FindOne", "InsertOne", "UpdateOne", "DeleteOne", "CountDocuments", "FindOneAndUpdate"}
)


def is_class_name(name: str) -> bool:
    """`Product`, not `product` nor a constant like `DB`."""
    return name[:1].isupper() and not name.isupper()


_JDBC = frozenset({"executeQuery", "executeUpdate", "executeBatch", "getResultList",
                   "getSingleResult", "getResultStream"})  # fmt: skip
_JDBC_TEMPLATE = frozenset(
    {"query", "queryForObject", "queryForList", "queryForMap", "queryForRowSet", "update",
     "batchUpdate", "queryForStream"}
)  # fmt: skip
_ENTITY_MANAGER = frozenset({"find", "createQuery", "createNativeQuery", "persist", "merge",
                             "remove", "getReference", "createNamedQuery"})  # fmt: skip


def java_query(call: Call) -> str | None:
    """JDBC, JdbcTemplate, Spring Data repositories, JPA and MyBatis mappers."""
    owner = call.segments[-2] if len(call.segments) >= 2 else ""
    if call.name in _JDBC:
        return "JDBC query"
    if call.name in _JDBC_TEMPLATE and re.search(r"jdbc|template", owner, re.I):
        return "JdbcTemplate query"
    if re.search(r"(repository|repo|dao|mapper)$", owner, re.I):
        return "repository query"
    if call.name in _ENTITY_MANAGER and re.fullmatch(r"(entityManager|em|manager)", owner):
        return "JPA query"
    return None


_GO_SQL = frozenset(
    {"Query", "QueryRow", "Exec", "QueryContext", "QueryRowContext", "ExecContext", "Get",
     "Select", "GetContext", "SelectContext", "NamedExec", "NamedQuery", "Queryx", "QueryRowx",
     "SendBatch", "CopyFrom"}
)  # fmt: skip
_GORM = frozenset(
    {"Find", "First", "Last", "Take", "Create", "Save", "Updates", "Update", "Delete", "Count",
     "Pluck", "Scan", "FirstOrCreate", "FindInBatches"}
)  # fmt: skip
_GO_HANDLES = re.compile(
    r"^(db|DB|tx|Tx|conn|pool|Pool|database|sqlDB|gormDB|dbPool|pgPool|dbConn|\w+DB|\w+Db|\w+_db)$"
)
"""Names that hold a database handle (`h.db`, `userDB`), not `rdb`, the usual Redis client."""


def go_query(call: Call) -> str | None:
    """database/sql, sqlx, pgx, GORM and the MongoDB driver."""
    handles = [s for s in call.segments[:-1] if _GO_HANDLES.match(s)]
    if call.name in _GO_SQL and call.segments[-2:-1] and _GO_HANDLES.match(call.segments[-2]):
        return "SQL query"
    if call.name in _GORM and handles:
        return "GORM query"
    if call.name in _MONGO_GO and len(call.segments) >= 2:
        return "MongoDB query"
    return None


_ACTIVE_RECORD = frozenset(
    {"find", "find_by", "where", "find_by_sql", "pluck", "count", "exists", "sum", "create",
     "update_all", "delete_all", "find_or_create_by", "first", "last", "take", "all", "ids",
     "average", "maximum", "minimum"}
)  # fmt: skip
_ELOQUENT = frozenset(
    {"find", "findOrFail", "where", "first", "firstOrFail", "get", "all", "count", "create",
     "pluck", "exists", "firstWhere", "whereIn", "paginate", "sum", "select", "table"}
)  # fmt: skip


_RUBY_CORE = frozenset(
    {"File", "Dir", "Time", "Date", "DateTime", "Rails", "JSON", "Hash", "Array", "IO", "Kernel",
     "Math", "Struct", "URI", "Net", "Set", "Integer", "String", "Float", "YAML", "Base64",
     "Digest", "SecureRandom", "ERB", "Logger", "Thread", "Process", "Pathname", "Redis", "ENV"}
)  # fmt: skip
_FACADES = frozenset(
    {"Cache", "Log", "Route", "Http", "Str", "Arr", "Auth", "Config", "Session", "Storage",
     "Validator", "View", "Redirect", "Response", "Request", "Event", "Queue", "Mail", "Hash",
     "Crypt", "Carbon", "App", "Gate", "Lang", "URL", "Artisan", "Schema", "Password", "Cookie",
     "Notification", "Bus", "Broadcast", "Redis", "File", "Collection"}
)  # fmt: skip
"""Laravel facades and helpers: `Cache::get` is no Eloquent `get`."""


def ruby_query(call: Call) -> str | None:
    """ActiveRecord class methods (`Comment.where(...)`)."""
    if len(call.segments) < 2 or call.root in _RUBY_CORE or not is_class_name(call.root):
        return None
    return "ActiveRecord query" if call.segments[1] in _ACTIVE_RECORD else None


def php_query(call: Call) -> str | None:
    """Eloquent and the query builder (`Post::where(...)`, `DB::table(...)`)."""
    if "::" not in call.callee or len(call.segments) < 2:
        return None
    if call.root == "DB":
        return "database query"
    if call.root in _FACADES or not is_class_name(call.root):
        return None
    return "Eloquent query" if call.segments[1] in _ELOQUENT else None


_EF_ENDS = re.compile(
    r"^(ToList|ToArray|First|FirstOrDefault|Single|SingleOrDefault|Count|Any|Find|Sum|"
    r"SaveChanges|ExecuteSqlRaw|ExecuteUpdate|ExecuteDelete|Max|Min|LongCount|ToDictionary)"
    r"(Async)?$"
)
_DAPPER = re.compile(r"^(Query|QueryFirst|QueryFirstOrDefault|QuerySingle|QueryMultiple|"
                     r"Execute|ExecuteScalar)(OrDefault)?(Async)?$")  # fmt: skip


_HTTP_CONTEXT = frozenset({"Request", "Response", "User", "Items", "Session", "Connection",
                           "Features", "RequestServices", "TraceIdentifier"})  # fmt: skip


def csharp_query(call: Call) -> str | None:
    """Entity Framework (a context's set, materialised) and Dapper."""
    context = re.compile(r"^_?(db|context|dbContext|ctx|dataContext|\w*Context|\w*Db)$", re.I)
    http = len(call.segments) > 1 and call.segments[1] in _HTTP_CONTEXT
    if _EF_ENDS.match(call.name) and context.match(call.root) and not http:
        return "Entity Framework query"
    if _DAPPER.match(call.name) and re.search(r"conn|connection|db", call.receiver, re.I):
        return "Dapper query"
    return None


def rust_query(call: Call) -> str | None:
    """sqlx queries, awaited through `fetch_*` or `execute`."""
    if call.name in ("fetch_one", "fetch_all", "fetch_optional", "execute", "fetch") and any(
        s in ("query", "query_as", "query_scalar") for s in call.segments
    ):
        return "sqlx query"
    return None
