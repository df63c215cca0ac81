"""Connections and clients created per request."""

from __future__ import annotations

from apiscope.analysis.analysers.rules.connections import ConnectionPerRequest
from tests.analysis.analysers.conftest import Check

RULE = ConnectionPerRequest()


def test_python_driver_connect_and_client_per_request(check: Check) -> None:
    """`psycopg2.connect` and `httpx.AsyncClient()` inside the handler."""
    source = """
        async def handler(user_id):
            conn = psycopg2.connect(DSN)
            async with httpx.AsyncClient() as client:
                reply = await client.get(f"{API}/users/{user_id}")
            return conn, reply
    """
    assert check(RULE, source) == [((2, 2),), ((3, 3),)]


def test_lazily_created_and_cached_clients_are_fine(check: Check) -> None:
    """A client created under `if _client is None`, or by a cached factory, is shared."""
    source = """
        def handler():
            global _client
            if _client is None:
                _client = httpx.Client()
            return _client
    """
    assert check(RULE, source) == []


def test_js_new_pool_java_driver_manager_csharp_http_client(check: Check) -> None:
    """`new Pool()`, `DriverManager.getConnection`, `new HttpClient()` per request."""
    js = """
        async function handler(req, res) {
          const pool = new Pool({ connectionString: process.env.DATABASE_URL });
          const map = new Map();
          res.json((await pool.query("SELECT 1")).rows);
        }
    """
    java = """
        class Report {
            public String handler() throws SQLException {
                try (Connection c = DriverManager.getConnection(url, user, password)) {
                    return "ok";
                }
            }
        }
    """
    csharp = """
        class Rates {
            public async Task<string> handler() {
                using var client = new HttpClient();
                return await client.GetStringAsync("https://rates/latest");
            }
        }
    """
    assert check(RULE, js, "javascript") == [((2, 2),)]
    assert check(RULE, java, "java") == [((3, 3),)]
    assert check(RULE, csharp, "csharp") == [((3, 3),)]
