"""actix-web and axum discovery on small projects: resolution, recursion and look-alikes."""

from __future__ import annotations

from apiscope.analysis.discovery.frameworks.rust_actix import ActixDialect
from apiscope.analysis.discovery.frameworks.rust_axum import AxumDialect
from apiscope.analysis.discovery.rust_builders import RustDiscoverer
from tests.analysis.discovery.conftest import Discover


def test_rocket_attributes_are_not_actix_routes(discover_files: Discover) -> None:
    """Rocket's `#[get("/<id>")]` looks like actix's macro; a crate not mentioning actix is not
    read by the actix discoverer."""
    rows = discover_files(
        RustDiscoverer(ActixDialect()),
        {"src/main.rs": '#[macro_use]\nextern crate rocket;\n#[get("/<id>")]\nfn show() {}\n'},
    )
    assert rows == []


def test_recursive_router_function_terminates(discover_files: Discover) -> None:
    """A router function that nests itself is evaluated once; the inner call adds nothing."""
    rows = discover_files(
        RustDiscoverer(AxumDialect()),
        {
            "src/lib.rs": """
                use axum::{routing::get, Router};

                pub fn app() -> Router {
                    Router::new().route("/x", get(x)).nest("/again", app())
                }
            """,
        },
    )
    assert rows == [("GET", "/x", "src/lib.rs", 4, "x")]


def test_ambiguous_router_functions_resolve_by_module(discover_files: Discover) -> None:
    """Two modules' `router()` functions are told apart by the module path in the call, so each
    nests under its own prefix."""
    rows = discover_files(
        RustDiscoverer(AxumDialect()),
        {
            "src/main.rs": """
                use axum::Router;
                fn app() -> Router {
                    Router::new()
                        .nest("/a", crate::alpha::router())
                        .nest("/b", beta::router())
                }
            """,
            "src/alpha.rs": """
                use axum::{routing::get, Router};
                pub fn router() -> Router { Router::new().route("/one", get(one)) }
            """,
            "src/beta/mod.rs": """
                use axum::{routing::post, Router};
                pub fn router() -> Router { Router::new().route("/two", post(two)) }
            """,
        },
    )
    assert rows == [
        ("GET", "/a/one", "src/alpha.rs", 2, "one"),
        ("POST", "/b/two", "src/beta/mod.rs", 2, "two"),
    ]


def test_actix_guards_and_resource_shortcuts(discover_files: Discover) -> None:
    """`web::route().guard(guard::Post())` is a POST route; `web::resource(p).to(h)` answers any
    method."""
    rows = discover_files(
        RustDiscoverer(ActixDialect()),
        {
            "src/main.rs": """
                use actix_web::{guard, web, App};

                fn app() -> App<()> {
                    App::new()
                        .route("/hook", web::route().guard(guard::Post()).to(hook))
                        .service(web::resource("/any").to(anything))
                }
            """,
        },
    )
    assert rows == [
        ("ANY", "/any", "src/main.rs", 6, "anything"),
        ("POST", "/hook", "src/main.rs", 5, "hook"),
    ]


def test_actix_route_functions_imported_from_web(discover_files: Discover) -> None:
    """`use actix_web::web::{get, post}` then `.route("", get().to(h))` is the same as
    `web::get()`."""
    rows = discover_files(
        RustDiscoverer(ActixDialect()),
        {
            "src/routes.rs": """
                use actix_web::web;
                use actix_web::web::{get, post};

                pub fn api(cfg: &mut web::ServiceConfig) {
                    cfg.service(
                        web::scope("/api/tags")
                            .route("", get().to(tags::index))
                            .route("", post().to(tags::create)),
                    );
                }
            """,
        },
    )
    assert rows == [
        ("GET", "/api/tags", "src/routes.rs", 7, "tags::index"),
        ("POST", "/api/tags", "src/routes.rs", 8, "tags::create"),
    ]
