"""Fastify: shorthand and full routes, plugins registered with prefixes, autoload folders."""

from __future__ import annotations

from tests.analysis.discovery.js.conftest import Discover


def test_shorthand_and_route_options(discover_js: Discover) -> None:
    """`get(path, opts, h)`, `get(path, { handler })`, `route({ method: [...], url, handler })`."""
    found = discover_js(
        {
            "server.js": """
                const fastify = require('fastify')({ logger: true });
                fastify.get('/a', { schema: {} }, getA);
                fastify.post('/b', { handler: postB });
                fastify.route({ method: ['GET', 'HEAD'], url: '/c/:id', handler: getC });
                fastify.route({ method: 'DELETE', path: '/d', handler: async () => {} });
                """
        },
        "fastify",
    )
    assert found == {
        ("GET", "/a", "server.js", 2, "getA"),
        ("POST", "/b", "server.js", 3, "postB"),
        ("GET", "/c/{id}", "server.js", 4, "getC"),
        ("HEAD", "/c/{id}", "server.js", 4, "getC"),
        ("DELETE", "/d", "server.js", 5, "anonymous"),
    }


def test_plugins_registered_with_prefixes_across_files(discover_js: Discover) -> None:
    """`register(plugin, { prefix })` nests, from imports, requires and dynamic `import()`."""
    found = discover_js(
        {
            "src/app.ts": """
                import Fastify from 'fastify';
                import users from './users';
                const app = Fastify();
                app.register(users, { prefix: '/users' });
                app.register(async (api) => {
                  api.register(require('./orders'), { prefix: '/orders' });
                  api.register(import('./billing.js'), { prefix: '/billing' });
                }, { prefix: '/api' });
                """,
            "src/users.ts": """
                export default async function (instance, opts) {
                  instance.get('/:id', show);
                }
                """,
            "src/orders.js": """
                module.exports = async (app) => { app.post('/', create); };
                """,
            "src/billing.ts": """
                export default async function billing(server) { server.get('/invoices', invoices); }
                """,
        },
        "fastify",
    )
    assert found == {
        ("GET", "/users/{id}", "src/users.ts", 2, "show"),
        ("POST", "/api/orders", "src/orders.js", 1, "create"),
        ("GET", "/api/billing/invoices", "src/billing.ts", 1, "invoices"),
    }


def test_fastify_plugin_ignores_the_prefix(discover_js: Discover) -> None:
    """A plugin wrapped in `fastify-plugin` is not encapsulated: `prefix` does not apply to it."""
    found = discover_js(
        {
            "app.js": """
                const fastify = require('fastify')();
                const fp = require('fastify-plugin');
                fastify.register(fp(async (f) => { f.get('/health', health); }), { prefix: '/x' });
                """
        },
        "fastify",
    )
    assert found == {("GET", "/health", "app.js", 3, "health")}


def test_plugins_recognised_without_their_registration(discover_js: Discover) -> None:
    """Typed plugins and a first parameter named `fastify` are instances with no caller seen."""
    found = discover_js(
        {
            "a.ts": """
                import { FastifyPluginAsync, FastifyInstance } from 'fastify';
                const plugin: FastifyPluginAsync = async (app) => { app.get('/typed-plugin', a); };
                export async function other(server: FastifyInstance) {
                  server.get('/typed-instance', b);
                }
                export default plugin;
                """,
            "b.js": """
                module.exports = async function (fastify, opts) { fastify.get('/named', c); };
                """,
            "c.js": """
                module.exports = async function (app, opts) { app.get('/unknown-instance', d); };
                """,
        },
        "fastify",
    )
    assert found == {
        ("GET", "/typed-plugin", "a.ts", 2, "a"),
        ("GET", "/typed-instance", "a.ts", 4, "b"),
        ("GET", "/named", "b.js", 1, "c"),
    }


def test_autoload_prefixes_plugins_with_their_folder(discover_js: Discover) -> None:
    """`@fastify/autoload` loads `routes/**` prefixed by folder; with an `index`, only that."""
    found = discover_js(
        {
            "app.js": """
                const path = require('node:path');
                const AutoLoad = require('@fastify/autoload');
                module.exports = async function (fastify, opts) {
                  fastify.register(AutoLoad, {
                    dir: path.join(__dirname, 'routes'),
                    options: { prefix: '/api' },
                  });
                };
                """,
            "routes/root.js": "module.exports = async function (app) { app.get('/', root); };\n",
            "routes/users/index.js": "module.exports = async (app) => { app.get('/:id', u); };\n",
            "routes/users/helper.js": "module.exports = async (app) => { app.get('/no', no); };\n",
            "routes/admin/stats.js": "module.exports = async (app) => { app.get('/', stats); };\n",
            "routes/old/index.js": (
                "module.exports = async (app) => { app.get('/x', old); };\n"
                "module.exports.autoPrefix = '/v0';\n"
            ),
        },
        "fastify",
    )
    assert found == {
        ("GET", "/api", "routes/root.js", 1, "root"),
        ("GET", "/api/users/{id}", "routes/users/index.js", 1, "u"),
        ("GET", "/api/admin", "routes/admin/stats.js", 1, "stats"),
        ("GET", "/api/v0/x", "routes/old/index.js", 1, "old"),
    }


def test_route_objects_from_an_array(discover_js: Discover) -> None:
    """`routes.forEach((r) => fastify.route(r))` declares each route object of the array."""
    found = discover_js(
        {
            "server.js": """
                const fastify = require('fastify')();
                const routes = [
                  { method: 'GET', url: '/cars', handler: cars.list },
                  { method: 'POST', url: '/cars', handler: cars.add },
                ];
                routes.forEach((route) => { fastify.route(route); });
                """
        },
        "fastify",
    )
    assert found == {
        ("GET", "/cars", "server.js", 6, "cars.list"),
        ("POST", "/cars", "server.js", 6, "cars.add"),
    }
