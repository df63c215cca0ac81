"""FastAPI routes: routers, prefixes and what is not a route."""

from __future__ import annotations

from apiscope.analysis.discovery.frameworks.python_fastapi import FastAPIDiscoverer
from tests.analysis.discovery.conftest import Discover

FASTAPI = FastAPIDiscoverer()


def test_router_included_twice_is_served_under_both_prefixes(discover_files: Discover) -> None:
    """Versioned APIs include one router under several prefixes: each gives a route."""
    routes = discover_files(
        FASTAPI,
        {
            "main.py": """
                from fastapi import FastAPI
                from users import router

                app = FastAPI()
                app.include_router(router, prefix="/v1")
                app.include_router(router, prefix="/v2")
            """,
            "users.py": """
                from fastapi import APIRouter

                router = APIRouter(prefix="/users")

                @router.get("/{user_id:int}")
                def get_user(user_id: int): ...
            """,
        },
    )
    assert routes == [
        ("GET", "/v1/users/{user_id}", "users.py", 5, "get_user"),
        ("GET", "/v2/users/{user_id}", "users.py", 5, "get_user"),
    ]


def test_calls_that_only_look_like_routes_are_ignored(discover_files: Discover) -> None:
    """`requests.get`, `dict.get`, an undecorated `app.get(...)` call and routes in tests are
    not declarations."""
    routes = discover_files(
        FASTAPI,
        {
            "app.py": """
                import requests
                from fastapi import FastAPI

                app = FastAPI()
                cache = {}

                @app.get("/")
                def root():
                    requests.get("https://example.com/x")
                    return cache.get("/y")

                app.get("/not-decorated")
            """,
            "tests/test_app.py": """
                from fastapi import FastAPI
                from fastapi.testclient import TestClient

                toy = FastAPI()

                @toy.get("/toy")
                def toy_route(): ...

                TestClient(toy).get("/toy")
            """,
        },
    )
    assert routes == [("GET", "/", "app.py", 7, "root")]


def test_app_passed_as_parameter_still_declares_routes(discover_files: Discover) -> None:
    """`def register(app: FastAPI)` decorates an app we cannot follow: the route is kept
    without prefix, since the file imports fastapi and the path is absolute."""
    routes = discover_files(
        FASTAPI,
        {
            "main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
            "extra.py": """
                from fastapi import FastAPI

                def register(app: FastAPI) -> None:
                    @app.api_route("/ping", methods=("GET", "head"))
                    def ping(): ...

                    app.add_api_route("/pong", pong, methods=["POST"])
            """,
        },
    )
    assert routes == [
        ("GET", "/ping", "extra.py", 4, "ping"),
        ("HEAD", "/ping", "extra.py", 4, "ping"),
        ("POST", "/pong", "extra.py", 7, "pong"),
    ]


def test_project_without_fastapi_yields_nothing(discover_files: Discover) -> None:
    """Decorators named like FastAPI's in a project that never builds a FastAPI app are not
    FastAPI routes."""
    routes = discover_files(
        FASTAPI,
        {"app.py": 'from flask import Flask\napp = Flask("a")\n@app.get("/x")\ndef x(): ...\n'},
    )
    assert routes == []


def test_include_in_a_loop_over_a_named_list(discover_files: Discover) -> None:
    """`for router in ROUTERS: app.include_router(router, prefix=...)` prefixes each router
    the list names."""
    router_module = (
        "from fastapi import APIRouter\nrouter = APIRouter({})\n@router.{}\ndef {}(): ...\n"
    )
    routes = discover_files(
        FASTAPI,
        {
            "main.py": """
                from fastapi import FastAPI
                import a, b

                ROUTERS = [a.router, b.router]
                app = FastAPI()
                for router in ROUTERS:
                    app.include_router(router, prefix="/api")
            """,
            "a.py": router_module.format("", 'get("/a")', "read_a"),
            "b.py": router_module.format('prefix="/b"', 'post("/x")', "create_b"),
        },
    )
    assert routes == [
        ("GET", "/api/a", "a.py", 3, "read_a"),
        ("POST", "/api/b/x", "b.py", 3, "create_b"),
    ]
