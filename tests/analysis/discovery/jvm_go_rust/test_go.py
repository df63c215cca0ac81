"""The Go router engine on small projects: receivers, recursion, constants and imports."""

from __future__ import annotations

import pytest

from apiscope.analysis.discovery.frameworks.go_chi import ChiDialect
from apiscope.analysis.discovery.frameworks.go_gin_echo import GIN
from apiscope.analysis.discovery.frameworks.go_mux import MuxDialect
from apiscope.analysis.discovery.frameworks.go_nethttp import NetHttpDialect
from apiscope.analysis.discovery.go_ast import default_import_name
from apiscope.analysis.discovery.go_routers import GoRouterDiscoverer
from tests.analysis.discovery.conftest import Discover


def test_http_clients_are_not_routers(discover_files: Discover) -> None:
    """`http.Get`, `client.Get` and a resty-style `req.Get` never declare routes, even in a file
    that registers one."""
    rows = discover_files(
        GoRouterDiscoverer(NetHttpDialect()),
        {
            "main.go": """
                package main

                import "net/http"

                func main() {
                    http.HandleFunc("/ok", ok)
                    http.Get("http://example.com/x")
                    client := &http.Client{}
                    client.Get("/y")
                    req := resty.New().R()
                    req.Get("/z")
                }
            """,
        },
    )
    assert rows == [("ANY", "/ok", "main.go", 6, "ok")]


def test_recursive_registration_and_mount_cycles_terminate(discover_files: Discover) -> None:
    """A function handing its router to itself, and two routers mounted on each other, end in a
    finite set of routes."""
    rows = discover_files(
        GoRouterDiscoverer(ChiDialect()),
        {
            "main.go": """
                package main

                import "github.com/go-chi/chi/v5"

                func main() {
                    a := chi.NewRouter()
                    b := chi.NewRouter()
                    a.Mount("/b", b)
                    b.Mount("/a", a)
                    a.Get("/x", x)
                    register(a)
                }

                func register(r chi.Router) {
                    r.Get("/y", y)
                    register(r)
                }
            """,
        },
    )
    assert {handler for *_, handler in rows} == {"x", "y"}
    assert len(rows) < 10


def test_package_constants_and_other_packages_constants(discover_files: Discover) -> None:
    """Paths built from `const` values of the same package (another file) and of an imported
    project package resolve; a computed path drops the route."""
    rows = discover_files(
        GoRouterDiscoverer(GIN),
        {
            "go.mod": "module example.com/app\n",
            "paths/paths.go": 'package paths\n\nconst Users = "/users"\n',
            "consts.go": 'package main\n\nconst (\n\tapi = "/api"\n\tv1  = api + "/v1"\n)\n',
            "main.go": """
                package main

                import (
                    "fmt"

                    "github.com/gin-gonic/gin"
                    "example.com/app/paths"
                )

                func main() {
                    r := gin.New()
                    g := r.Group(v1)
                    g.GET(paths.Users+"/:id", show)
                    g.GET(fmt.Sprintf("/%s", "x"), computed)
                }
            """,
        },
    )
    assert rows == [("GET", "/api/v1/users/{id}", "main.go", 13, "show")]


def test_gorilla_route_without_handler_is_not_a_route(discover_files: Discover) -> None:
    """`r.Path("/x").Methods("GET")` never given a handler serves nothing; one given a handler
    later in the chain is a route per method."""
    rows = discover_files(
        GoRouterDiscoverer(MuxDialect()),
        {
            "main.go": """
                package main

                import "github.com/gorilla/mux"

                func main() {
                    r := mux.NewRouter()
                    r.Path("/pending").Methods("GET")
                    r.Path("/done").Methods("GET", "PUT").HandlerFunc(done)
                }
            """,
        },
    )
    assert rows == [
        ("GET", "/done", "main.go", 8, "done"),
        ("PUT", "/done", "main.go", 8, "done"),
    ]


def test_router_from_a_package_level_variable(discover_files: Discover) -> None:
    """A package-level `var router = gin.Default()` used from functions in another file of the
    same package is one router."""
    rows = discover_files(
        GoRouterDiscoverer(GIN),
        {
            "router.go": (
                'package web\n\nimport "github.com/gin-gonic/gin"\n\nvar router = gin.Default()\n'
            ),
            "routes.go": """
                package web

                func init() {
                    api := router.Group("/api")
                    api.POST("/items", create)
                }
            """,
        },
    )
    assert rows == [("POST", "/api/items", "routes.go", 5, "create")]


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("github.com/labstack/echo/v4", "echo"),
        ("github.com/go-chi/chi/v5", "chi"),
        ("gopkg.in/yaml.v2", "yaml"),
        ("github.com/acme/go-kit", "kit"),
        ("net/http", "http"),
    ],
)
def test_default_import_names(path: str, name: str) -> None:
    """A package without an alias is used by its last segment, version suffixes looked past."""
    assert default_import_name(path) == name


def test_gopkg_in_import_path_is_gin(discover_files: Discover) -> None:
    """Older apps import gin as `gopkg.in/gin-gonic/gin.v1`; its routers are gin's."""
    rows = discover_files(
        GoRouterDiscoverer(GIN),
        {
            "main.go": """
                package main

                import "gopkg.in/gin-gonic/gin.v1"

                func main() {
                    r := gin.Default()
                    r.GET("/ping", ping)
                }
            """,
        },
    )
    assert rows == [("GET", "/ping", "main.go", 7, "ping")]
