"""The code context of a route: its handler, then what it calls, across files and languages."""

from __future__ import annotations

from pathlib import Path

from apiscope.analysis.analysers.context import ContextBuilder, build_context
from apiscope.analysis.discovery import discover
from apiscope.analysis.discovery.project import Project
from tests.analysis.analysers.conftest import Write, route_to, unit_names


def _route(root: Path, handler: str):
    return next(r for r in discover(root, workers=1).routes if r.handler == handler)


def test_fastapi_handler_and_calls_followed_through_imports(write: Write, tmp_path: Path) -> None:
    """Decorators belong to the handler; imported helpers, `self` methods and an instance's
    class methods are followed breadth-first, each with the lines that call it."""
    project = write(
        {
            "app/main.py": """
                from fastapi import FastAPI
                from app.services import orders as order_service
                from app.repo import repo

                app = FastAPI()


                @app.get("/orders/{user_id}")
                async def list_orders(user_id: int):
                    orders = order_service.for_user(user_id)
                    return repo.enrich(orders)
            """,
            "app/services/orders.py": """
                from app.pricing import price


                def for_user(user_id):
                    return [price(o) for o in load(user_id)]


                def load(user_id):
                    return []
            """,
            "app/pricing.py": """
                def price(order):
                    return order
            """,
            "app/repo.py": """
                class Repo:
                    def enrich(self, orders):
                        return self._attach(orders)

                    def _attach(self, orders):
                        return orders


                repo = Repo()
            """,
        }
    )
    context = build_context(project, _route(tmp_path, "list_orders"))
    assert unit_names(context) == [
        ("list_orders", "app/main.py", 8, 11, 0),
        ("for_user", "app/services/orders.py", 4, 5, 1),
        ("Repo.enrich", "app/repo.py", 2, 3, 1),
        ("price", "app/pricing.py", 1, 2, 2),
        ("load", "app/services/orders.py", 8, 9, 2),
        ("Repo._attach", "app/repo.py", 5, 6, 2),
    ]
    assert context.units[0].source.startswith('@app.get("/orders/{user_id}")\nasync def')
    assert context.units[3].called_from == (("app/services/orders.py", 5),)


def test_depth_and_unit_bounds_and_cycles(write: Write) -> None:
    """Mutual recursion is followed once; `depth` and `max_units` cut the walk short."""
    project = write(
        {
            "app.py": """
                def handler():
                    return ping(3)


                def ping(n):
                    return pong(n - 1) if n else 0


                def pong(n):
                    return ping(n - 1) if n else 1
            """
        }
    )
    builder = ContextBuilder(project)
    route = route_to("app.py", 1, "handler")
    full = builder.build(route)
    assert [u.name for u in full.units] == ["handler", "ping", "pong"]
    assert full.units[1].called_from == (("app.py", 2), ("app.py", 10))
    assert [u.name for u in builder.build(route, depth=1).units] == ["handler", "ping"]
    assert [u.name for u in builder.build(route, max_units=1).units] == ["handler"]


def test_django_view_named_in_urls_and_class_view_methods(write: Write, tmp_path: Path) -> None:
    """`views.order_list` and `OrderDetail.as_view()` lead to the views module; a view set's
    method inherited from the library has no code here, so its context is empty."""
    write(
        {
            "shop/urls.py": """
                from django.urls import path
                from shop import views

                urlpatterns = [
                    path("orders/", views.order_list),
                    path("orders/<int:pk>/", views.OrderDetail.as_view()),
                ]
            """,
            "shop/views.py": """
                from django.views import View


                def order_list(request):
                    return None


                class OrderDetail(View):
                    def get(self, request, pk):
                        return None
            """,
        }
    )
    project = Project.scan(tmp_path)
    listing = build_context(project, _route(tmp_path, "order_list"))
    detail = build_context(project, _route(tmp_path, "OrderDetail.get"))
    assert unit_names(listing) == [("order_list", "shop/views.py", 4, 5, 0)]
    assert unit_names(detail) == [("OrderDetail.get", "shop/views.py", 9, 10, 0)]
    missing = build_context(project, route_to("shop/urls.py", 5, "OrderDetail.post"))
    assert missing.units == ()
    assert missing.handler is None


def test_express_controller_wrapped_handler_and_service(write: Write, tmp_path: Path) -> None:
    """A handler wrapped at definition (`catchAsync(async (req, res) => …)`) is the inner
    function, not the wrapper's closure; its service call is followed through `require`."""
    write(
        {
            "src/app.js": """
                const express = require('express');
                const users = require('./controllers/users');
                const app = express();
                app.get('/users', users.list);
            """,
            "src/controllers/users.js": """
                const catchAsync = require('../utils/catchAsync');
                const userService = require('../services/user.service');

                const list = catchAsync(async (req, res) => {
                  res.json(await userService.queryUsers(req.query));
                });

                module.exports = { list };
            """,
            "src/utils/catchAsync.js": """
                module.exports = (fn) => (req, res, next) => {
                  Promise.resolve(fn(req, res, next)).catch(next);
                };
            """,
            "src/services/user.service.js": """
                const queryUsers = async (filter) => {
                  return User.find(filter);
                };

                module.exports = { queryUsers };
            """,
        }
    )
    project = Project.scan(tmp_path)
    context = build_context(project, _route(tmp_path, "users.list"))
    assert unit_names(context) == [
        ("list", "src/controllers/users.js", 4, 6, 0),
        ("queryUsers", "src/services/user.service.js", 1, 3, 1),
    ]


def test_nestjs_controller_method_and_injected_service(write: Write, tmp_path: Path) -> None:
    """The decorated method, then `this.catsService.findAll()` through the constructor type."""
    write(
        {
            "src/cats.controller.ts": """
                import { Controller, Get } from '@nestjs/common';
                import { CatsService } from './cats.service';

                @Controller('cats')
                export class CatsController {
                  constructor(private readonly catsService: CatsService) {}

                  @Get()
                  async findAll() {
                    return this.catsService.findAll();
                  }
                }
            """,
            "src/cats.service.ts": """
                export class CatsService {
                  async findAll() {
                    return this.format(await this.repo.find());
                  }

                  private format(cats) {
                    return cats;
                  }
                }
            """,
        }
    )
    project = Project.scan(tmp_path)
    context = build_context(project, _route(tmp_path, "CatsController.findAll"))
    assert unit_names(context) == [
        ("CatsController.findAll", "src/cats.controller.ts", 8, 11, 0),
        ("CatsService.findAll", "src/cats.service.ts", 2, 4, 1),
        ("CatsService.format", "src/cats.service.ts", 6, 8, 2),
    ]


def test_inline_js_handlers_in_a_call_and_in_a_route_object(write: Write) -> None:
    """The last function of the declaring call (after middleware), and Fastify's `handler:`."""
    project = write(
        {
            "routes.js": """
                router.get('/a', auth((req) => true), async (req, res) => {
                  res.json([]);
                });
                fastify.route({
                  method: 'GET',
                  url: '/b',
                  handler: async (request, reply) => {
                    return [];
                  },
                });
            """
        }
    )
    builder = ContextBuilder(project)
    first = builder.build(route_to("routes.js", 1, "anonymous"))
    second = builder.build(route_to("routes.js", 4, "anonymous"))
    assert unit_names(first) == [("anonymous", "routes.js", 1, 3, 0)]
    assert unit_names(second) == [("anonymous", "routes.js", 7, 9, 0)]


def test_handlers_in_other_languages(write: Write) -> None:
    """Spring (annotation inside the method), Go receiver methods named through a variable,
    Rails `photos#show`, Laravel `Controller@method`, ASP.NET, axum, each found."""
    project = write(
        {
            "src/main/java/shop/OrderController.java": """
                @RestController
                class OrderController {
                    @GetMapping("/orders")
                    public List<Order> list() {
                        return helper();
                    }

                    private List<Order> helper() { return List.of(); }
                }
            """,
            "internal/api/books.go": """
                package api

                func (h *BookHandler) List(c *gin.Context) {
                    h.render(c)
                }

                func (h *BookHandler) render(c *gin.Context) {}
            """,
            "app/controllers/photos_controller.rb": """
                class PhotosController < ApplicationController
                  def show
                    @photo = Photo.find(params[:id])
                  end
                end
            """,
            "app/Http/Controllers/PostController.php": """
                <?php
                class PostController extends Controller {
                    public function index() {
                        return Post::all();
                    }
                }
            """,
            "Api/ReportsController.cs": """
                public class ReportsController : ControllerBase {
                    [HttpGet("sales")]
                    public IActionResult Sales() { return Ok(); }
                }
            """,
            "src/routes.rs": """
                async fn list_todos(State(db): State<Db>) -> Json<Vec<Todo>> {
                    Json(vec![])
                }
            """,
            "internal/router/router.go": "package router\n",
            "config/routes.rb": "Rails.application.routes.draw do\nend\n",
            "routes/web.php": "<?php\n",
            "src/main.rs": "fn main() {}\n",
        }
    )
    builder = ContextBuilder(project)
    cases = {
        ("src/main/java/shop/OrderController.java", 3, "OrderController.list"): [
            ("OrderController.list", 3, 6, 0),
            ("OrderController.helper", 8, 8, 1),
        ],
        ("internal/router/router.go", 9, "books.List"): [
            ("BookHandler.List", 3, 5, 0),
            ("BookHandler.render", 7, 7, 1),
        ],
        ("config/routes.rb", 2, "photos#show"): [("PhotosController.show", 2, 4, 0)],
        ("routes/web.php", 3, "PostController@index"): [("PostController.index", 3, 5, 0)],
        ("Api/ReportsController.cs", 2, "ReportsController.Sales"): [
            ("ReportsController.Sales", 2, 3, 0)
        ],
        ("src/main.rs", 5, "list_todos"): [("list_todos", 1, 3, 0)],
    }
    for (file, line, handler), expected in cases.items():
        units = builder.build(route_to(file, line, handler)).units
        assert [(u.name, u.line_start, u.line_end, u.depth) for u in units] == expected, handler


def test_indexes_are_kept_while_the_project_lives_and_released_with_it(write: Write) -> None:
    """`build_context` reuses one builder per project, and keeps no project alive."""
    import gc

    from apiscope.analysis.analysers import context as module

    project = write({"app.py": "def handler():\n    return 1\n"})
    build_context(project, route_to("app.py", 1, "handler"))
    build_context(project, route_to("app.py", 1, "handler"))
    assert id(project) in module._builders
    key = id(project)
    del project
    gc.collect()
    assert key not in module._builders


def test_ambiguous_names_are_not_guessed(write: Write) -> None:
    """Two `List` methods in unrelated folders: no handler rather than the wrong one."""
    project = write(
        {
            "a/one.go": "package a\n\nfunc (x *A) List() {}\n",
            "b/two.go": "package b\n\nfunc (y *B) List() {}\n",
        }
    )
    assert build_context(project, route_to("main.go", 3, "thing.List")).units == ()
