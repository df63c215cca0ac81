"""Spring, JAX-RS and Ktor discovery on small projects: the edges the fixture apps do not show."""

from __future__ import annotations

from apiscope.analysis.discovery.frameworks.jvm_jaxrs import JaxRsDiscoverer
from apiscope.analysis.discovery.frameworks.jvm_ktor import KtorDiscoverer
from apiscope.analysis.discovery.frameworks.jvm_spring import SpringDiscoverer
from apiscope.analysis.discovery.jvm_ast import is_test_path
from apiscope.analysis.discovery.paths import join_route
from tests.analysis.discovery.conftest import Discover


def test_unknown_constant_drops_the_route_rather_than_guessing(discover_files: Discover) -> None:
    """A path built from a constant that is nowhere in the project yields no route, while the
    class's literal paths still do."""
    rows = discover_files(
        SpringDiscoverer(),
        {
            "src/main/java/a/C.java": """
                @RestController
                @RequestMapping("/c")
                class C {
                    @GetMapping(ExternalPaths.ITEMS)
                    void items() {}
                    @GetMapping("/ok")
                    void ok() {}
                }
            """,
        },
    )
    assert rows == [("GET", "/c/ok", "src/main/java/a/C.java", 6, "C.ok")]


def test_kotlin_templates_and_top_level_constants(discover_files: Discover) -> None:
    """`"$BASE/x"` and `"${V}/y"` take Kotlin `const val`s declared at top level or in objects;
    an escaped `\\$` stays a literal dollar."""
    rows = discover_files(
        SpringDiscoverer(),
        {
            "src/main/kotlin/a/Paths.kt": """
                package a

                const val BASE = "/api"

                object Versions {
                    const val V = "/v3"
                }
            """,
            "src/main/kotlin/a/K.kt": """
                package a

                @RestController
                @RequestMapping("$BASE/k")
                class K {
                    @GetMapping("${Versions.V}/y")
                    fun y() = 1

                    @PostMapping("/price\\$")
                    fun price() = 2
                }
            """,
        },
    )
    assert rows == [
        ("GET", "/api/k/v3/y", "src/main/kotlin/a/K.kt", 6, "K.y"),
        ("POST", "/api/k/price$", "src/main/kotlin/a/K.kt", 9, "K.price"),
    ]


def test_jaxrs_needs_its_own_imports_and_one_application_path(discover_files: Discover) -> None:
    """Two `@ApplicationPath`s are ambiguous, so neither prefixes the routes; a file importing no
    JAX-RS package (a Retrofit-style `@GET` interface) is not read."""
    rows = discover_files(
        JaxRsDiscoverer(),
        {
            "A.java": 'import javax.ws.rs.*;\n@ApplicationPath("/a")\nclass A {}\n',
            "B.java": 'import javax.ws.rs.*;\n@ApplicationPath("/b")\nclass B {}\n',
            "R.java": """
                import javax.ws.rs.*;

                @Path("/r")
                class R {
                    @GET
                    String get() { return ""; }
                }
            """,
            "Client.java": """
                interface Client {
                    @GET
                    @Path("/remote")
                    String remote();
                }
            """,
        },
    )
    assert rows == [("GET", "/r", "R.java", 5, "R.get")]


def test_ktor_extension_recursion_terminates(discover_files: Discover) -> None:
    """An extension function that calls itself is not followed into the recursive call (which
    would never end); its routes keep the caller's prefix."""
    rows = discover_files(
        KtorDiscoverer(),
        {
            "Routes.kt": """
                import io.ktor.server.routing.*

                fun Application.module() {
                    routing { route("/api") { loop() } }
                }

                fun Route.loop() {
                    get("/x") { }
                    route("/again") { loop() }
                }
            """,
        },
    )
    assert rows == [("GET", "/api/x", "Routes.kt", 8, "anonymous")]


def test_test_sources_are_recognised() -> None:
    """Maven/Gradle test folders and `*Test` / `*IT` classes are test code; main sources are not."""
    assert is_test_path("src/test/java/a/B.java")
    assert is_test_path("module/src/integrationTest/kotlin/X.kt")
    assert is_test_path("src/main/java/a/UserControllerIT.java")
    assert not is_test_path("src/main/java/a/Testimony.java")


def test_join_route_treats_a_bare_slash_under_a_prefix_as_the_prefix() -> None:
    """`@GetMapping("/")` under `/api` is `/api`; alone it is `/`; other trailing slashes stay."""
    assert join_route("/api", "/") == "/api"
    assert join_route("", "/") == "/"
    assert join_route("/api", "/files/") == "/api/files/"
