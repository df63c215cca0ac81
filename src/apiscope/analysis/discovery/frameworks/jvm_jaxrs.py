"""JAX-RS resources (Jersey, RESTEasy, Quarkus, Dropwizard), in Java and Kotlin.

A resource method carries an HTTP-method annotation (`@GET`, never with arguments) and maybe a
`@Path`; its class's `@Path` and the application's `@ApplicationPath` are prefixes. Only files
that import `javax.ws.rs` or `jakarta.ws.rs` count, which keeps Retrofit's `@GET("...")` client
interfaces out; MicroProfile REST clients are skipped by their `@RegisterRestClient`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from apiscope.analysis.discovery.base import Discoverer
from apiscope.analysis.discovery.jvm_ast import (
    Annotation,
    JvmClass,
    JvmMethod,
    jvm_classes,
    jvm_sources,
)
from apiscope.analysis.discovery.jvm_constants import Constants
from apiscope.analysis.discovery.paths import join_route
from apiscope.analysis.discovery.project import Project
from apiscope.analysis.routes import Route

HTTP_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})
CLIENTS = frozenset({"RegisterRestClient", "RegisterClientHeaders"})
PARAM = re.compile(r"\{\s*([A-Za-z_][\w.-]*)\s*(?::(?:[^{}]|\{[^{}]*\})*)?\}")
"""`{id}`, `{ id : [0-9]+ }`, `{name: [a-z]{2,3}}`: JAX-RS allows spaces and nested braces."""


class JaxRsDiscoverer:
    """Resource methods of JAX-RS classes and interfaces."""

    name = "jaxrs"
    languages: tuple[str, ...] = ("java", "kotlin")

    def discover(self, project: Project) -> Iterable[Route]:
        """Every resource method in the project's main sources."""
        constants = Constants(project)
        classes = [c for f in jvm_sources(project, b"ws.rs") for c in jvm_classes(f)]
        application = _application_path(classes, constants)
        for cls in classes:
            if not cls.annotation(*CLIENTS):
                yield from _class_routes(cls, application, constants)


def _application_path(classes: list[JvmClass], constants: Constants) -> str:
    """The one `@ApplicationPath` prefix, or none when there are zero or several."""
    found: set[str] = set()
    for cls in classes:
        annotation = cls.annotation("ApplicationPath")
        found.update(_path(cls, annotation, constants) or [] if annotation else [])
    return found.pop() if len(found) == 1 else ""


def _class_routes(cls: JvmClass, application: str, constants: Constants) -> Iterator[Route]:
    class_path = cls.annotation("Path")
    prefix = _path(cls, class_path, constants) if class_path else [""]
    for method in cls.methods:
        verb = _verb(method)
        path = method.annotation("Path")
        paths = _path(cls, path, constants) if path else [""]
        if verb is None or prefix is None or paths is None:
            continue
        full = PARAM.sub(r"{\1}", join_route(application, prefix[0], paths[0]))
        handler = f"{cls.name}.{method.name}"
        yield Route(full, verb.name, cls.file.path, verb.line, handler, "jaxrs")


def _verb(method: JvmMethod) -> Annotation | None:
    """`@GET` and friends as markers; an argument means another library's annotation."""
    return next((a for a in method.annotations if a.name in HTTP_METHODS and not a.args), None)


def _path(cls: JvmClass, annotation: Annotation, constants: Constants) -> list[str] | None:
    """A `@Path` value; None when it is built of a constant that cannot be resolved."""
    values = annotation.values("value")
    found = constants.strings(cls.file, values[0], cls.name) if values else [""]
    return found if found else None


DISCOVERERS: tuple[Discoverer, ...] = (JaxRsDiscoverer(),)
