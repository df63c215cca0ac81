"""Koa routers: constructor and later prefixes, named routes, nesting through `.routes()`."""

from __future__ import annotations

from tests.analysis.discovery.js.conftest import Discover


def test_prefix_option_named_routes_and_chained_calls(discover_js: Discover) -> None:
    """`new Router({ prefix })` prefixes its routes; `get('name', '/path', h)` has a named route."""
    found = discover_js(
        {
            "src/api.ts": """
                import Router from '@koa/router';
                const router = new Router({ prefix: '/api' });
                router
                  .get('/', list)
                  .get('user', '/users/:id', show)
                  .del('/users/:id', remove)
                  .all('/any', any);
                export default router;
                """
        },
        "koa",
    )
    assert found == {
        ("GET", "/api", "src/api.ts", 4, "list"),
        ("GET", "/api/users/{id}", "src/api.ts", 5, "show"),
        ("DELETE", "/api/users/{id}", "src/api.ts", 6, "remove"),
        ("ANY", "/api/any", "src/api.ts", 7, "any"),
    }


def test_nested_routers_across_files(discover_js: Discover) -> None:
    """`router.use('/x', sub.routes())` nests a router from another file under its prefix."""
    found = discover_js(
        {
            "app.js": """
                const Koa = require('koa');
                const Router = require('koa-router');
                const app = new Koa();
                const api = new Router({ prefix: '/api' });
                const users = require('./users');
                api.use('/users', users.routes(), users.allowedMethods());
                app.use(api.routes());
                """,
            "users.js": """
                const router = require('koa-router')();
                router.prefix('/v2');
                router.post('/', create);
                module.exports = router;
                """,
        },
        "koa",
    )
    assert found == {("POST", "/api/users/v2", "users.js", 3, "create")}


def test_koa_mount_prefixes_a_router(discover_js: Discover) -> None:
    """`app.use(mount('/admin', router.routes()))` serves the router under `/admin`."""
    found = discover_js(
        {
            "app.mjs": """
                import Koa from 'koa';
                import mount from 'koa-mount';
                import Router from '@koa/router';
                const app = new Koa();
                const admin = new Router();
                admin.get('/stats', stats);
                app.use(mount('/admin', admin.routes()));
                """
        },
        "koa",
    )
    assert found == {("GET", "/admin/stats", "app.mjs", 6, "stats")}


def test_context_and_client_calls_are_not_routes(discover_js: Discover) -> None:
    """`ctx.get('X-Header')`, `superagent.get(url)` and routers of other libraries are ignored."""
    found = discover_js(
        {
            "app.js": """
                const Router = require('@koa/router');
                const OtherRouter = require('some-router');
                const superagent = require('superagent');
                const router = new Router();
                const other = new OtherRouter();
                other.get('/other', h);
                superagent.get('/remote', h);
                router.get('/real', async (ctx) => {
                  ctx.get('/header', h);
                });
                """
        },
        "koa",
    )
    assert found == {("GET", "/real", "app.js", 8, "anonymous")}


def test_exported_routes_middleware_is_the_router(discover_js: Discover) -> None:
    """`module.exports = router.routes()` then `app.use(require('./users'))` serves that router."""
    found = discover_js(
        {
            "app.js": """
                const Koa = require('koa');
                const Router = require('@koa/router');
                const app = new Koa();
                const api = new Router({ prefix: '/api' });
                api.use('/users', require('./users'));
                app.use(api.routes());
                """,
            "users.js": """
                const router = new (require('@koa/router'))();
                router.get('/:id', show);
                module.exports = router.routes();
                """,
        },
        "koa",
    )
    assert found == {("GET", "/api/users/{id}", "users.js", 2, "show")}


def test_koa_router_subclasses(discover_js: Discover) -> None:
    """koa-swagger-decorator's `SwaggerRouter` routes like koa-router, whose subclass it is."""
    found = discover_js(
        {
            "src/protected.ts": """
                import { SwaggerRouter } from 'koa-swagger-decorator';
                const protectedRouter = new SwaggerRouter();
                protectedRouter.get('/users/:id', controller.user.getUser);
                protectedRouter.swagger({ title: 'api' });
                export { protectedRouter };
                """
        },
        "koa",
    )
    assert found == {("GET", "/users/{id}", "src/protected.ts", 3, "controller.user.getUser")}
