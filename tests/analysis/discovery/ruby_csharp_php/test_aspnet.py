"""ASP.NET Core: attribute routing, conventional routing, minimal APIs and their groups."""

from __future__ import annotations

import pytest

from apiscope.analysis.discovery.aspnet_templates import aspnet_path, replace_tokens
from apiscope.analysis.discovery.frameworks.csharp_aspnet import AspNetCoreDiscoverer
from tests.analysis.discovery.conftest import Discover

ASPNET = AspNetCoreDiscoverer()


def test_controller_tokens_and_verb_templates(discover_files: Discover) -> None:
    """`[controller]` is the class name minus `Controller`, `[action]` the method minus `Async`
    (or `[ActionName]`); `{id:int}` loses its constraint; the line is the attribute's."""
    files = {
        "Controllers/UsersController.cs": """
            [ApiController]
            [Route("api/[controller]")]
            public class UsersController : ControllerBase
            {
                [HttpGet("{id:int}")]
                public async Task<IActionResult> GetAsync(int id) => Ok();

                [HttpPost("[action]")]
                public async Task<IActionResult> ImportAsync() => Ok();

                [HttpGet("[action]"), ActionName("export-all")]
                public IActionResult Export() => Ok();
            }
        """,
    }
    f = "Controllers/UsersController.cs"
    assert discover_files(ASPNET, files) == [
        ("GET", "/api/Users/export-all", f, 11, "UsersController.Export"),
        ("GET", "/api/Users/{id}", f, 5, "UsersController.GetAsync"),
        ("POST", "/api/Users/Import", f, 8, "UsersController.ImportAsync"),
    ]


def test_route_and_verb_attributes_combine(discover_files: Discover) -> None:
    """`[Route("x")]` with a template-less `[HttpGet]` is GET x; `[Route]` alone is ANY;
    `[AcceptVerbs(..., Route = ...)]` lists methods; `/` and `~/` ignore the class prefix."""
    files = {
        "Api.cs": """
            [Route("api/items")]
            public class ItemsController : Controller
            {
                [HttpGet]
                public IActionResult List() => Ok();

                [Route("search")]
                [HttpGet]
                [HttpHead]
                public IActionResult Search() => Ok();

                [Route("any")]
                public IActionResult Any() => Ok();

                [AcceptVerbs("GET", "POST", Route = "import/{batch?}")]
                public IActionResult Import(string batch) => Ok();

                [HttpGet("~/health")]
                public IActionResult Health() => Ok();

                [HttpDelete("/purge/{*rest}")]
                public IActionResult Purge(string rest) => Ok();
            }
        """,
    }
    rows = discover_files(ASPNET, files)
    assert [(m, p, line) for m, p, _, line, _ in rows] == [
        ("ANY", "/api/items/any", 12),
        ("DELETE", "/purge/{rest}", 21),
        ("GET", "/api/items", 4),
        ("GET", "/api/items/import/{batch}", 15),
        ("GET", "/api/items/search", 7),
        ("GET", "/health", 18),
        ("HEAD", "/api/items/search", 7),
        ("POST", "/api/items/import/{batch}", 15),
    ]


def test_class_routes_are_inherited_with_the_actions(discover_files: Discover) -> None:
    """A `[Route]` on an abstract base applies to subclasses (with their own `[controller]`),
    base actions are reported for each subclass at the base's line; the base itself is not."""
    files = {
        "Base.cs": """
            [ApiController]
            [Route("api/v{version:apiVersion}/[controller]")]
            public abstract class ApiBase : ControllerBase
            {
                [HttpGet("ping")]
                public IActionResult Ping() => Ok();
            }
        """,
        "Orders.cs": """
            public class OrdersController : ApiBase
            {
                [HttpGet("{id:guid}")]
                public IActionResult Get(Guid id) => Ok();
            }
        """,
    }
    assert discover_files(ASPNET, files) == [
        ("GET", "/api/v{version}/Orders/ping", "Base.cs", 5, "OrdersController.Ping"),
        ("GET", "/api/v{version}/Orders/{id}", "Orders.cs", 3, "OrdersController.Get"),
    ]


def test_each_class_route_and_area_applies(discover_files: Discover) -> None:
    """Two `[Route]` attributes on a class give two prefixes; `[area]` comes from `[Area]`."""
    files = {
        "Reports.cs": """
            [Area("Admin")]
            [Route("[area]/[controller]")]
            [Route("reports")]
            public class ReportsController : Controller
            {
                [HttpGet("daily")]
                public IActionResult Daily() => View();
            }
        """,
    }
    rows = discover_files(ASPNET, files)
    assert [p for _, p, *_ in rows] == ["/Admin/Reports/daily", "/reports/daily"]


def test_templates_built_from_string_constants(discover_files: Discover) -> None:
    """`const string` fields, concatenations, interpolations and nested classes resolve across
    files; a template that is not constant is skipped."""
    files = {
        "ApiRoutes.cs": """
            public static class ApiRoutes
            {
                public const string Root = "api";
                public const string Base = Root + "/v1";
                public static class Posts
                {
                    public const string Get = $"{Base}/posts/{{postId}}";
                }
            }
        """,
        "PostsController.cs": """
            public class PostsController : ControllerBase
            {
                [HttpGet(ApiRoutes.Posts.Get)]
                public IActionResult Get(Guid postId) => Ok();

                [HttpGet(Runtime.Template())]
                public IActionResult Dynamic() => Ok();
            }
        """,
    }
    assert discover_files(ASPNET, files) == [
        ("GET", "/api/v1/posts/{postId}", "PostsController.cs", 3, "PostsController.Get"),
    ]


def test_same_named_controllers_in_two_namespaces(discover_files: Discover) -> None:
    """`V1.ProductsController` and `V2.ProductsController` are both reported."""
    controller = """
        namespace Shop.{v}
        {{
            [ApiController]
            [Route("api/{v}/products")]
            public class ProductsController : ControllerBase
            {{
                [HttpGet]
                public IActionResult List() => Ok();
            }}
        }}
    """
    files = {f"{v}/ProductsController.cs": controller.format(v=v) for v in ("V1", "V2")}
    rows = discover_files(ASPNET, files)
    assert [p for _, p, *_ in rows] == ["/api/V1/products", "/api/V2/products"]


def test_non_actions_and_non_controllers_have_no_routes(discover_files: Discover) -> None:
    """Private, static and `[NonAction]` methods, abstract and internal classes, and classes
    marked `[NonController]` declare nothing."""
    files = {
        "Things.cs": """
            [Route("a")]
            public class AController : ControllerBase
            {
                [HttpGet("private")] private IActionResult P() => Ok();
                [HttpGet("static")] public static IActionResult S() => null;
                [NonAction, HttpGet("non")] public IActionResult N() => Ok();
                [HttpGet("ok")] public IActionResult Ok2() => Ok();
            }
            [Route("b")]
            internal class BController : ControllerBase
            {
                [HttpGet] public IActionResult Get() => Ok();
            }
            [NonController]
            [Route("c")]
            public class CController : ControllerBase
            {
                [HttpGet] public IActionResult Get() => Ok();
            }
        """,
    }
    assert [p for _, p, *_ in discover_files(ASPNET, files)] == ["/a/ok"]


def test_conventional_routes_reach_plain_mvc_actions(discover_files: Discover) -> None:
    """Under `{controller=Home}/{action=Index}/{id?}`, a plain action is ANY `/Home/Index`,
    `{id}` is kept only for actions taking `id`, `[HttpPost]` restricts the method, and an
    area pattern only serves controllers of that area."""
    files = {
        "Program.cs": """
            var app = WebApplication.Create(args);
            app.MapControllerRoute(
                name: "default", pattern: "{controller=Home}/{action=Index}/{id?}");
            app.MapAreaControllerRoute(
                "admin", "Admin", "Admin/{controller=Dash}/{action=Index}/{id?}");
        """,
        "HomeController.cs": """
            public class HomeController : Controller
            {
                public IActionResult Index() => View();
                public IActionResult Details(int id) => View();
                [HttpPost]
                public IActionResult Contact(ContactForm form) => View();
                protected IActionResult Helper() => View();
            }
            [Area("Admin")]
            public class DashController : Controller
            {
                public IActionResult Index() => View();
            }
        """,
    }
    f = "HomeController.cs"
    assert discover_files(ASPNET, files) == [
        ("ANY", "/Admin/Dash/Index", f, 12, "DashController.Index"),
        ("ANY", "/Home/Details/{id}", f, 4, "HomeController.Details"),
        ("ANY", "/Home/Index", f, 3, "HomeController.Index"),
        ("POST", "/Home/Contact", f, 5, "HomeController.Contact"),
    ]


def test_minimal_apis_resolve_group_prefixes(discover_files: Discover) -> None:
    """`MapGroup` prefixes pass through fluent calls and variables, nest, and `MapMethods`
    lists its methods; a lambda is `anonymous`, a method group keeps its name."""
    files = {
        "Program.cs": """
            var app = WebApplication.CreateBuilder(args).Build();
            var api = app.MapGroup("/api").WithTags("api").RequireAuthorization();
            var todos = api.MapGroup("todos");
            todos.MapGet("/", TodoHandlers.List);
            todos.MapPost("/{id:int}/done", async (int id) => Results.Ok())
                .WithName("done");
            app.MapGroup("/v2").MapGroup("/x").MapPut("/{id}", Update);
            app.MapMethods("/ping", new[] { "GET", HttpMethods.Head }, () => "pong");
            var client = new HttpClient();
            await client.GetAsync("/not/a/route");
        """,
    }
    assert discover_files(ASPNET, files) == [
        ("GET", "/api/todos", "Program.cs", 4, "TodoHandlers.List"),
        ("GET", "/ping", "Program.cs", 8, "anonymous"),
        ("HEAD", "/ping", "Program.cs", 8, "anonymous"),
        ("POST", "/api/todos/{id}/done", "Program.cs", 5, "anonymous"),
        ("PUT", "/v2/x/{id}", "Program.cs", 7, "Update"),
    ]


def test_minimal_api_helpers_take_their_call_sites_prefixes(discover_files: Discover) -> None:
    """Routes in `MapTodos(this RouteGroupBuilder group)` take the prefix of each call site
    (`app.MapGroup("/todos").MapTodos()`), as do static helpers given the builder; a helper
    nobody calls (a Carter module) serves its routes at the root."""
    files = {
        "Program.cs": """
            var app = builder.Build();
            app.MapGroup("/todos").MapTodos();
            app.MapGroup("/v2/todos").MapTodos();
            Admin.Map(app.MapGroup("/admin"));
        """,
        "Todos.cs": """
            public static class TodoApi
            {
                public static RouteGroupBuilder MapTodos(this RouteGroupBuilder group)
                {
                    group.MapGet("/{id}", GetTodo);
                    return group;
                }
            }
            public static class Admin
            {
                public static void Map(IEndpointRouteBuilder routes) =>
                    routes.MapDelete("/cache", Purge);
            }
            public class HealthModule : ICarterModule
            {
                public void AddRoutes(IEndpointRouteBuilder app)
                {
                    app.MapGet("/health", () => "ok");
                }
            }
        """,
    }
    assert discover_files(ASPNET, files) == [
        ("DELETE", "/admin/cache", "Todos.cs", 12, "Purge"),
        ("GET", "/health", "Todos.cs", 18, "anonymous"),
        ("GET", "/todos/{id}", "Todos.cs", 5, "GetTodo"),
        ("GET", "/v2/todos/{id}", "Todos.cs", 5, "GetTodo"),
    ]


def test_test_projects_are_not_read(discover_files: Discover) -> None:
    """Files under `tests/` or `*.Tests/` projects declare no routes."""
    files = {
        "tests/Api.Tests/Fake.cs": '[Route("fake")] public class FakeController '
        "{ [HttpGet] public void G() {} }",
        "src/Shop.IntegrationTests/Host.cs": 'app.MapGet("/test-only", () => 1);',
        "src/Shop/Program.cs": 'app.MapGet("/real", () => 1);',
    }
    assert [p for _, p, *_ in discover_files(ASPNET, files)] == ["/real"]


@pytest.mark.parametrize(
    ("template", "path"),
    [
        ("api/[controller]/{id:int:min(1)}", "/api/Users/{id}"),
        ("{id?}", "/{id}"),
        ("{**slug}", "/{slug}"),
        ("{page=1}", "/{page}"),
        (r"by-sku/{sku:regex(^[[A-Z]]{{3}}-\\d+$)}/x", "/by-sku/{sku}/x"),
        ("~/all/", "/all"),
        ("", "/"),
    ],
)
def test_aspnet_templates_become_paths(template: str, path: str) -> None:
    """Constraints, defaults, optional marks, catch-alls and escaped braces are handled."""
    assert aspnet_path(replace_tokens(template, {"controller": "Users"})) == path
