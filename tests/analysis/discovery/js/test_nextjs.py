"""Next.js file-system API routes: pages/api handlers and App Router route files."""

from __future__ import annotations

from tests.analysis.discovery.js.conftest import Discover

NEXT_APP = {"package.json": '{"dependencies": {"next": "14.2.0"}}'}


def test_pages_api_paths_from_file_names(discover_js: Discover) -> None:
    """`index` adds nothing, `[id]` is `{id}`, `[...slug]` and `[[...slug]]` are `{slug}`."""
    handler = "export default function handler(req, res) {\n  res.end();\n}\n"
    found = discover_js(
        {
            **NEXT_APP,
            "pages/api/index.ts": handler,
            "pages/api/users/[id].ts": handler,
            "pages/api/files/[...path].js": handler,
            "src/pages/api/docs/[[...slug]].tsx": handler,
            "pages/about.tsx": "export default function About() { return null; }\n",
        },
        "nextjs",
    )
    assert found == {
        ("ANY", "/api", "pages/api/index.ts", 1, "handler"),
        ("ANY", "/api/users/{id}", "pages/api/users/[id].ts", 1, "handler"),
        ("ANY", "/api/files/{path}", "pages/api/files/[...path].js", 1, "handler"),
        ("ANY", "/api/docs/{slug}", "src/pages/api/docs/[[...slug]].tsx", 1, "handler"),
    }


def test_pages_api_methods_when_the_handler_checks_them(discover_js: Discover) -> None:
    """`req.method === 'POST'`, `switch (req.method)`, `.includes(req.method)` name the methods."""
    found = discover_js(
        {
            **NEXT_APP,
            "pages/api/a.ts": """
                const handler = async (req, res) => {
                  if (req.method !== 'POST') return res.status(405).end();
                  res.json({});
                };
                export default withAuth(handler);
                """,
            "pages/api/b.js": """
                export default async function b(req, res) {
                  switch (req.method) {
                    case 'GET': return res.json([]);
                    case 'DELETE': return res.end();
                  }
                }
                """,
            "pages/api/c.js": """
                module.exports = (req, res) => {
                  if (req.method === 'OPTIONS') return res.end();
                  if (!['PUT', 'PATCH'].includes(req.method)) return res.status(405).end();
                };
                """,
        },
        "nextjs",
    )
    assert found == {
        ("POST", "/api/a", "pages/api/a.ts", 1, "handler"),
        ("GET", "/api/b", "pages/api/b.js", 1, "b"),
        ("DELETE", "/api/b", "pages/api/b.js", 1, "b"),
        ("PUT", "/api/c", "pages/api/c.js", 1, "anonymous"),
        ("PATCH", "/api/c", "pages/api/c.js", 1, "anonymous"),
    }


def test_next_connect_methods(discover_js: Discover) -> None:
    """next-connect's `.get(h)` and `.post(h)` each become a route at the file's path."""
    found = discover_js(
        {
            **NEXT_APP,
            "pages/api/items.ts": """
                import nc from 'next-connect';
                const handler = nc()
                  .get(async (req, res) => res.json([]))
                  .post(createItem);
                export default handler;
                """,
        },
        "nextjs",
    )
    assert found == {
        ("GET", "/api/items", "pages/api/items.ts", 3, "anonymous"),
        ("POST", "/api/items", "pages/api/items.ts", 4, "createItem"),
    }


def test_app_router_exports_groups_and_private_folders(discover_js: Discover) -> None:
    """Exported `GET`, `POST`... of `route.ts` are routes; `(group)` adds nothing, `_x` hides."""
    found = discover_js(
        {
            **NEXT_APP,
            "src/app/api/(shop)/orders/[orderId]/route.ts": """
                export async function GET(request: Request) {
                  return Response.json({});
                }
                export const DELETE = withAdmin(async () => new Response(null));
                export const revalidate = 60;
                """,
            "src/app/api/hooks/route.js": """
                async function receive(request) {
                  return new Response('ok');
                }
                export { receive as POST };
                """,
            "src/app/api/_lib/route.ts": "export async function GET() {}\n",
            "src/app/dashboard/page.tsx": "export default function Page() { return null; }\n",
        },
        "nextjs",
    )
    assert found == {
        ("GET", "/api/orders/{orderId}", "src/app/api/(shop)/orders/[orderId]/route.ts", 1, "GET"),
        (
            "DELETE",
            "/api/orders/{orderId}",
            "src/app/api/(shop)/orders/[orderId]/route.ts",
            4,
            "DELETE",
        ),
        ("POST", "/api/hooks", "src/app/api/hooks/route.js", 1, "receive"),
    }


def test_only_folders_of_a_next_app_count(discover_js: Discover) -> None:
    """A `pages/api` folder outside a Next.js app (no `next` dependency or config) is not routed."""
    found = discover_js(
        {
            "docs/package.json": '{"dependencies": {"vitepress": "1.0.0"}}',
            "docs/pages/api/readme.js": "export default function readme() {}\n",
            "web/next.config.mjs": "export default {};\n",
            "web/pages/api/ping.js": "export default function ping(req, res) { res.end(); }\n",
        },
        "nextjs",
    )
    assert found == {("ANY", "/api/ping", "web/pages/api/ping.js", 1, "ping")}


def test_base_path_and_aliased_handlers(discover_js: Discover) -> None:
    """next.config's `basePath` prefixes all routes; `export { handler as GET }` names `handler`."""
    found = discover_js(
        {
            "next.config.mjs": "export default { basePath: '/docs', reactStrictMode: true };\n",
            "app/api/auth/[...nextauth]/route.ts": """
                import NextAuth from 'next-auth';
                const handler = NextAuth({ providers: [] });
                export { handler as GET, handler as POST };
                """,
        },
        "nextjs",
    )
    assert found == {
        ("GET", "/docs/api/auth/{nextauth}", "app/api/auth/[...nextauth]/route.ts", 2, "handler"),
        ("POST", "/docs/api/auth/{nextauth}", "app/api/auth/[...nextauth]/route.ts", 2, "handler"),
    }


def test_method_map_passed_to_a_handler_factory(discover_js: Discover) -> None:
    """`export default apiHandler({ get: getAll, post })` declares one route per method key."""
    found = discover_js(
        {
            **NEXT_APP,
            "pages/api/users/index.js": """
                import { apiHandler } from '../../../helpers/api';
                export default apiHandler({
                  get: getAll,
                  post,
                });
                function getAll(req, res) { res.json([]); }
                function post(req, res) { res.status(201).end(); }
                """,
        },
        "nextjs",
    )
    assert found == {
        ("GET", "/api/users", "pages/api/users/index.js", 3, "getAll"),
        ("POST", "/api/users", "pages/api/users/index.js", 4, "post"),
    }
