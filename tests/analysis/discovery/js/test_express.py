"""Express: apps and routers, mounts across CommonJS and ES modules, and what is not a route."""

from __future__ import annotations

from tests.analysis.discovery.js.conftest import Discover


def test_routes_on_app_and_router_with_colon_params(discover_js: Discover) -> None:
    """`app.get` and `router.post` become routes with `{name}` parameters and upper-case methods."""
    found = discover_js(
        {
            "app.js": """
                const express = require('express');
                const app = express();
                const router = express.Router();
                app.get('/users/:id', (req, res) => res.json({}));
                router.post('/items/:itemId(\\\\d+)/tags/:tag?', saveTag);
                """
        },
        "express",
    )
    assert found == {
        ("GET", "/users/{id}", "app.js", 4, "anonymous"),
        ("POST", "/items/{itemId}/tags/{tag}", "app.js", 5, "saveTag"),
    }


def test_commonjs_router_mounted_from_another_file(discover_js: Discover) -> None:
    """`app.use('/api', require('./routes'))` prefixes the routes of `module.exports = router`."""
    found = discover_js(
        {
            "app.js": """
                const express = require('express');
                const app = express();
                app.use('/api', require('./routes'));
                """,
            "routes/index.js": """
                const router = require('express').Router();
                const users = require('./users');
                router.use('/users', users);
                module.exports = router;
                """,
            "routes/users.js": """
                const { Router } = require('express');
                const router = Router();
                router.get('/', list);
                router.delete('/:id', auth, remove);
                module.exports = router;
                """,
        },
        "express",
    )
    assert found == {
        ("GET", "/api/users", "routes/users.js", 3, "list"),
        ("DELETE", "/api/users/{id}", "routes/users.js", 4, "remove"),
    }


def test_es_module_router_with_js_extension_for_a_typescript_file(discover_js: Discover) -> None:
    """`import users from './users.js'` finds `users.ts` and mounts its default export."""
    found = discover_js(
        {
            "src/app.ts": """
                import express from 'express';
                import users from './users.js';
                import { orders } from './orders.js';
                const app = express();
                app.use('/users', users);
                app.use('/orders', orders);
                """,
            "src/users.ts": """
                import { Router } from 'express';
                const router = Router();
                router.get('/me', me);
                export default router;
                """,
            "src/orders.ts": """
                import * as express from 'express';
                export const orders = express.Router();
                orders.put('/:id', update);
                """,
        },
        "express",
    )
    assert found == {
        ("GET", "/users/me", "src/users.ts", 3, "me"),
        ("PUT", "/orders/{id}", "src/orders.ts", 3, "update"),
    }


def test_route_chains_and_middleware_before_the_handler(discover_js: Discover) -> None:
    """`router.route('/x').get(h).post(h)` is a route per method; the last argument handles."""
    found = discover_js(
        {
            "routes.js": """
                const router = require('express').Router();
                router
                  .route('/posts/:id')
                  .get(auth('read'), [validate(schema), posts.show])
                  .patch(auth('write'), catchAsync(posts.update));
                router.get('/feed', wrap(async (req, res) => res.json([])));
                """
        },
        "express",
    )
    assert found == {
        ("GET", "/posts/{id}", "routes.js", 4, "posts.show"),
        ("PATCH", "/posts/{id}", "routes.js", 5, "posts.update"),
        ("GET", "/feed", "routes.js", 6, "anonymous"),
    }


def test_all_and_terminal_use_are_any_but_middleware_and_mounts_are_not_routes(
    discover_js: Discover,
) -> None:
    """`app.all` and `app.use('/x', (req, res) => …)` are ANY routes; mounts, middleware are not."""
    found = discover_js(
        {
            "app.js": """
                const express = require('express');
                const app = express();
                const api = express.Router();
                app.all('/proxy/*', forward);
                app.use('/ping', (req, res) => res.send('pong'));
                app.use('/audit', (req, res, next) => next());
                app.use(express.json());
                app.use('/api', api);
                api.get('/x', x);
                """
        },
        "express",
    )
    assert found == {
        ("ANY", "/proxy/*", "app.js", 4, "forward"),
        ("ANY", "/ping", "app.js", 5, "anonymous"),
        ("GET", "/api/x", "app.js", 9, "x"),
    }


def test_http_clients_maps_and_response_objects_are_not_routes(discover_js: Discover) -> None:
    """`axios.get(url)`, `http.get`, `map.get(k)`, `res.get(...)`, `app.get('env')` are ignored."""
    found = discover_js(
        {
            "app.js": """
                const express = require('express');
                const axios = require('axios');
                const http = require('http');
                const app = express();
                const cache = new Map();
                axios.get('/api/users', () => {});
                http.get('/health', () => {});
                cache.get('/key', 1);
                app.get('env');
                app.get('/real', (req, res) => {
                  res.get('/not-a-route', () => {});
                  req.app.get('/nor-this', () => {});
                });
                """
        },
        "express",
    )
    assert found == {("GET", "/real", "app.js", 10, "anonymous")}


def test_test_files_are_not_read(discover_js: Discover) -> None:
    """Apps in `*.test.ts`, `*.spec.js`, `__tests__/` and `test/` are scaffolding, not the API."""
    app = "const app = require('express')();\napp.get('/t', h);\n"
    found = discover_js(
        {"a.test.ts": app, "b.spec.js": app, "__tests__/c.js": app, "test/d.js": app, "e.js": app},
        "express",
    )
    assert found == {("GET", "/t", "e.js", 2, "h")}


def test_app_passed_to_a_function_in_another_file(discover_js: Discover) -> None:
    """`require('./routes')(app)` and `setup({ app })` make the parameter that app."""
    found = discover_js(
        {
            "server.js": """
                const express = require('express');
                const app = express();
                require('./routes')(app);
                require('./loader').default({ app });
                """,
            "routes.js": """
                module.exports = function (app) {
                  app.get('/a', a);
                };
                """,
            "loader.ts": """
                export default ({ app }) => {
                  app.post('/b', b);
                };
                """,
            "unused.js": """
                module.exports = function (app) {
                  app.get('/never-mounted', n);
                };
                """,
        },
        "express",
    )
    assert found == {("GET", "/a", "routes.js", 2, "a"), ("POST", "/b", "loader.ts", 2, "b")}


def test_typed_parameters_and_router_factories(discover_js: Discover) -> None:
    """A parameter typed `Router` is a router; a function returning a router mounts by a call."""
    found = discover_js(
        {
            "src/routes.ts": """
                import { Router } from 'express';
                import express from 'express';
                export default function register(router: Router): void {
                  router.get('/typed', typed);
                }
                export function buildApi(db: unknown) {
                  const api = Router();
                  api.get('/built', built);
                  return api;
                }
                const app = express();
                app.use('/v1', buildApi(null));
                """
        },
        "express",
    )
    assert found == {
        ("GET", "/typed", "src/routes.ts", 4, "typed"),
        ("GET", "/v1/built", "src/routes.ts", 8, "built"),
    }


def test_routes_array_iterated_into_mounts(discover_js: Discover) -> None:
    """`[{ path, route }].forEach(r => router.use(r.path, r.route))` mounts each at its path."""
    found = discover_js(
        {
            "index.js": """
                const express = require('express');
                const router = express.Router();
                const a = express.Router();
                const b = express.Router();
                a.get('/', listA);
                b.get('/', listB);
                const routes = [{ path: '/a', route: a }, { path: '/b', route: b }];
                routes.forEach((route) => router.use(route.path, route.route));
                for (const { path, route } of routes) router.use(`/v2${path}`, route);
                """
        },
        "express",
    )
    assert found == {
        ("GET", "/a", "index.js", 5, "listA"),
        ("GET", "/v2/a", "index.js", 5, "listA"),
        ("GET", "/b", "index.js", 6, "listB"),
        ("GET", "/v2/b", "index.js", 6, "listB"),
    }


def test_class_router_fields_and_constant_paths(discover_js: Discover) -> None:
    """`this.router.get(`${this.path}/:id`, this.show)` resolves the class's `path` field."""
    found = discover_js(
        {
            "users.controller.ts": """
                import { Router } from 'express';
                const BASE = process.env.USERS_BASE || '/users';
                export class UsersController {
                  public path = BASE;
                  public router = Router();
                  constructor() {
                    this.router.get(`${this.path}/:id`, this.show.bind(this));
                  }
                }
                """
        },
        "express",
    )
    assert found == {("GET", "/users/{id}", "users.controller.ts", 7, "this.show")}


def test_router_mounted_twice_has_both_prefixes(discover_js: Discover) -> None:
    """A router mounted at two prefixes yields its routes under each."""
    found = discover_js(
        {
            "app.mjs": """
                import express, { Router } from 'express';
                const app = express();
                const v = Router();
                v.get('/items', items);
                app.use(['/v1', '/latest'], v);
                """
        },
        "express",
    )
    assert found == {
        ("GET", "/v1/items", "app.mjs", 4, "items"),
        ("GET", "/latest/items", "app.mjs", 4, "items"),
    }


def test_routes_table_with_computed_methods(discover_js: Discover) -> None:
    """`Routes.forEach(r => app[r.method](r.route, …))`, as `typeorm init --express` writes it."""
    found = discover_js(
        {
            "src/routes.ts": """
                import { UserController } from './controller/UserController';
                export const Routes = [
                  { method: 'get', route: '/users', controller: UserController, action: 'all' },
                  { method: 'delete', route: '/users/:id', controller: UserController },
                ];
                """,
            "src/index.ts": """
                import * as express from 'express';
                import { Routes } from './routes';
                const app = express();
                Routes.forEach((route) => {
                  (app as any)[route.method](route.route, (req, res, next) => next());
                });
                """,
        },
        "express",
    )
    assert found == {
        ("GET", "/users", "src/index.ts", 5, "anonymous"),
        ("DELETE", "/users/{id}", "src/index.ts", 5, "anonymous"),
    }


def test_chained_commonjs_export(discover_js: Discover) -> None:
    """`exports = module.exports = router` exports the router like `module.exports = router`."""
    found = discover_js(
        {
            "app.js": "const app = require('express')();\napp.use('/r', require('./r'));\n",
            "r.js": (
                "const r = require('express').Router();\nr.get('/x', x);\n"
                "exports = module.exports = r;\n"
            ),
        },
        "express",
    )
    assert found == {("GET", "/r/x", "r.js", 2, "x")}


def test_class_app_field_handed_to_route_modules(discover_js: Discover) -> None:
    """`routes(this.app)` in a class holding `app = express()` makes the parameter that app."""
    found = discover_js(
        {
            "src/server.ts": """
                import express from 'express';
                import routes from './routes';
                export class Server {
                  private app = express();
                  start(): void {
                    routes(this.app);
                  }
                }
                """,
            "src/routes.ts": """
                export default function routes(server) {
                  server.get('/from-class', fromClass);
                }
                """,
        },
        "express",
    )
    assert found == {("GET", "/from-class", "src/routes.ts", 2, "fromClass")}
