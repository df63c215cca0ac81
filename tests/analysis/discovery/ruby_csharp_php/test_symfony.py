"""Symfony: `#[Route]` attributes and `@Route` annotations on controllers."""

from __future__ import annotations

import pytest

from apiscope.analysis.discovery.frameworks.php_symfony import SymfonyDiscoverer, symfony_path
from tests.analysis.discovery.conftest import Discover

SYMFONY = SymfonyDiscoverer()
HEADER = "<?php\nnamespace App\\Controller;\nuse Symfony\\Component\\Routing\\Attribute\\Route;\n"


def controller(body: str) -> str:
    """A PHP file importing Symfony's `Route` attribute, then `body`."""
    return HEADER + body


def test_class_prefix_and_method_routes(discover_files: Discover) -> None:
    """A class `#[Route('/blog')]` prefixes each method route; methods come from `methods:`
    (array or `'GET|HEAD'` string), none means ANY; a method without a route is no action."""
    files = {
        "src/Controller/BlogController.php": controller("""
#[Route('/blog', name: 'blog_')]
class BlogController extends AbstractController
{
    #[Route('/', name: 'index', methods: ['GET'])]
    public function index(): Response {}

    #[Route('/{slug}', name: 'show', methods: 'GET|HEAD')]
    public function show(string $slug): Response {}

    #[Route(path: '/feed', name: 'feed')]
    public function feed(): Response {}

    public function helper(): void {}
}
"""),
    }
    f = "src/Controller/BlogController.php"
    assert discover_files(SYMFONY, files) == [
        ("ANY", "/blog/feed", f, 14, "BlogController.feed"),
        ("GET", "/blog/", f, 8, "BlogController.index"),
        ("GET", "/blog/{slug}", f, 11, "BlogController.show"),
        ("HEAD", "/blog/{slug}", f, 11, "BlogController.show"),
    ]


def test_class_methods_apply_to_every_action(discover_files: Discover) -> None:
    """Methods on the class route are added to each action's own methods, as Symfony merges."""
    files = {
        "src/Controller/Api.php": controller("""
#[Route('/api/items', methods: ['GET'])]
class ItemController
{
    #[Route('')]
    public function list() {}

    #[Route('/{id}/stock', methods: ['PUT'])]
    public function stock(int $id) {}
}
"""),
    }
    rows = discover_files(SYMFONY, files)
    assert [(m, p) for m, p, *_ in rows] == [
        ("GET", "/api/items"),
        ("GET", "/api/items/{id}/stock"),
        ("PUT", "/api/items/{id}/stock"),
    ]


def test_several_routes_localised_paths_and_invokable(discover_files: Discover) -> None:
    """Each `#[Route]` on a method is a route; localised paths give one route per locale,
    joining a localised prefix of the same locale; an invokable controller's class route is
    the route of `__invoke`."""
    files = {
        "src/Controller/Pages.php": controller("""
#[Route(path: ['en' => '/en', 'nl' => '/nl'])]
class PageController
{
    #[Route(path: ['en' => '/about-us', 'nl' => '/over-ons'], name: 'about')]
    public function about() {}

    #[Route('/a', name: 'a')]
    #[Route('/b', name: 'b')]
    public function twice() {}
}

#[Route('/healthz', methods: ['GET'])]
final class HealthController
{
    public function __invoke() {}
}
"""),
    }
    rows = discover_files(SYMFONY, files)
    assert [(m, p, h) for m, p, _, _, h in rows] == [
        ("ANY", "/en/a", "PageController.twice"),
        ("ANY", "/en/about-us", "PageController.about"),
        ("ANY", "/en/b", "PageController.twice"),
        ("ANY", "/nl/a", "PageController.twice"),
        ("ANY", "/nl/b", "PageController.twice"),
        ("ANY", "/nl/over-ons", "PageController.about"),
        ("GET", "/healthz", "HealthController.__invoke"),
    ]


def test_docblock_annotations(discover_files: Discover) -> None:
    """`@Route` annotations in docblocks (class prefix included) declare routes at their own
    line; `methods={...}` and SensioFrameworkExtraBundle's `@Method` give the methods."""
    files = {
        "src/Controller/LegacyController.php": """<?php
namespace App\\Controller;
use Symfony\\Component\\Routing\\Annotation\\Route;
/**
 * @Route("/legacy")
 */
class LegacyController extends Controller
{
    /**
     * Lists.
     *
     * @Route("/list/{page}", name="list", requirements={"page"="\\d+"}, methods={"GET","POST"})
     * @Route("/all", name="all")
     */
    public function listAction($page) {}

    /**
     * @Route(path="/edit/{id}", name="edit")
     * @Method("PUT")
     */
    public function editAction($id) {}

    // @Route("/not-a-docblock")
    public function other() {}
}
""",
    }
    rows = discover_files(SYMFONY, files)
    assert [(m, p, line) for m, p, _, line, _ in rows] == [
        ("ANY", "/legacy/all", 13),
        ("GET", "/legacy/list/{page}", 12),
        ("POST", "/legacy/list/{page}", 12),
        ("PUT", "/legacy/edit/{id}", 18),
    ]


def test_files_without_symfony_routing_are_ignored(discover_files: Discover) -> None:
    """A `#[Route]` attribute from another library (no Symfony routing import), routes in
    `tests/` and routes of an abstract class declare nothing."""
    files = {
        "src/Controller/Base.php": controller(
            "abstract class Base { #[Route('/base')] public function b() {} }\n"
        ),
        "app/Http/Other.php": "<?php\nuse Spatie\\RouteAttributes\\Attributes\\Route;\n"
        "class Other { #[Route('get', '/x')] public function x() {} }\n",
        "tests/Controller/StubController.php": controller(
            "class Stub { #[Route('/stub')] public function s() {} }\n"
        ),
    }
    assert discover_files(SYMFONY, files) == []


@pytest.mark.parametrize(
    ("declared", "path"),
    [
        ("/blog/{page<\\d+>?1}", "/blog/{page}"),
        ("/posts/{slug:post}", "/posts/{slug}"),
        ("/{_locale<en|nl>}/x", "/{_locale}/x"),
        ("/y/{year<\\d{4}>}", "/y/{year}"),
        ("/{page?}", "/{page}"),
    ],
)
def test_symfony_paths(declared: str, path: str) -> None:
    """Inline requirements, defaults, optional marks and mapped entities are dropped."""
    assert symfony_path(declared) == path
