"""Starlette route lists and aiohttp applications."""

from __future__ import annotations

from apiscope.analysis.discovery.frameworks.python_aiohttp import AiohttpDiscoverer
from apiscope.analysis.discovery.frameworks.python_starlette import StarletteDiscoverer
from tests.analysis.discovery.conftest import Discover


def test_starlette_mounts_nest_across_files(discover_files: Discover) -> None:
    """A route list mounted inside a mount in another file gets both prefixes; an explicit
    `methods=` on an endpoint class overrides the methods it defines."""
    routes = discover_files(
        StarletteDiscoverer(),
        {
            "app.py": """
                from starlette.applications import Starlette
                from starlette.routing import Mount
                import api

                app = Starlette(routes=[Mount("/api", routes=[Mount("/v1", routes=api.routes)])])
            """,
            "api.py": """
                from starlette.endpoints import HTTPEndpoint
                from starlette.routing import Route

                class Users(HTTPEndpoint):
                    async def get(self, request): ...
                    async def post(self, request): ...

                routes = [Route("/users", Users, methods=("POST",))]
            """,
        },
    )
    assert routes == [("POST", "/api/v1/users", "api.py", 8, "Users.post")]


def test_aiohttp_subapp_prefix_and_client_calls(discover_files: Discover) -> None:
    """`add_subapp` prefixes the sub-application's routes; `session.get(...)` is a client
    call, not a route."""
    routes = discover_files(
        AiohttpDiscoverer(),
        {
            "main.py": """
                import aiohttp
                from aiohttp import web
                from admin import admin

                app = web.Application()
                app.add_subapp("/admin", admin)

                async def fetch(session: aiohttp.ClientSession):
                    return await session.get("/remote")
            """,
            "admin.py": """
                from aiohttp import web

                admin = web.Application()
                admin.router.add_route("*", "/users/{name}", users)
                admin.add_routes([web.patch("/users/{name:[a-z]+}", rename)])
            """,
        },
    )
    assert routes == [
        ("ANY", "/admin/users/{name}", "admin.py", 4, "users"),
        ("PATCH", "/admin/users/{name}", "admin.py", 5, "rename"),
    ]
