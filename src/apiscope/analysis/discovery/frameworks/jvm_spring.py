"""Spring MVC / WebFlux annotated controllers, in Java and Kotlin.

A class-level `@RequestMapping` gives the prefixes, each handler method's mapping annotation the
paths and methods; every (prefix, path, method) combination is one route. Declarative HTTP
clients (`@FeignClient`) use the same annotations for the calls they make, so they are skipped.
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
from apiscope.analysis.discovery.paths import brace_params, join_route
from apiscope.analysis.discovery.project import Project
from apiscope.analysis.routes import ANY_METHOD, Route

MAPPINGS = {
    "RequestMapping": None,
    "GetMapping": "GET",
    "PostMapping": "POST",
    "PutMapping": "PUT",
    "PatchMapping": "PATCH",
    "DeleteMapping": "DELETE",
}
CLIENTS = frozenset({"FeignClient", "HttpExchange", "RegisterRestClient"})
PATH_KEYS = ("value", "path")
VERB = re.compile(r"\b(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|TRACE)\b")


class SpringDiscoverer:
    """Routes of `@Controller` / `@RestController` classes (and interfaces they implement)."""

    name = "spring"
    languages: tuple[str, ...] = ("java", "kotlin")

    def discover(self, project: Project) -> Iterable[Route]:
        """Every mapped handler method in the project's main sources."""
        constants = Constants(project)
        for file in jvm_sources(project, b"Mapping"):
            for cls in jvm_classes(file):
                if not cls.annotation(*CLIENTS):
                    yield from _class_routes(cls, constants)


def _class_routes(cls: JvmClass, constants: Constants) -> Iterator[Route]:
    mapping = cls.annotation("RequestMapping")
    prefixes = _paths(cls, mapping, constants) if mapping else [""]
    for method in cls.methods:
        for annotation in method.annotations:
            if annotation.name in MAPPINGS and prefixes is not None:
                yield from _method_routes(cls, method, annotation, prefixes, constants)


def _method_routes(
    cls: JvmClass,
    method: JvmMethod,
    annotation: Annotation,
    prefixes: list[str],
    constants: Constants,
) -> Iterator[Route]:
    paths = _paths(cls, annotation, constants)
    verbs = _verbs(cls, annotation)
    if paths is None:
        return
    for prefix in prefixes:
        for path in paths or [""]:
            for verb in verbs:
                full = brace_params(join_route(prefix, path))
                handler = f"{cls.name}.{method.name}"
                yield Route(full, verb, cls.file.path, annotation.line, handler, "spring")


def _paths(cls: JvmClass, annotation: Annotation, constants: Constants) -> list[str] | None:
    """The declared paths (`value` or `path`, one or an array); None when a constant is unknown."""
    paths: list[str] = []
    for node in annotation.values(*PATH_KEYS):
        found = constants.strings(cls.file, node, cls.name)
        if found is None:
            return None
        paths += found
    return paths


def _verbs(cls: JvmClass, annotation: Annotation) -> list[str]:
    """`@GetMapping` → GET; `@RequestMapping(method = {GET, POST})` → both; none given → ANY."""
    fixed = MAPPINGS[annotation.name]
    if fixed is not None:
        return [fixed]
    verbs: list[str] = []
    for node in annotation.named("method"):
        verbs += VERB.findall(cls.file.text(node))
    return verbs or [ANY_METHOD]


DISCOVERERS: tuple[Discoverer, ...] = (SpringDiscoverer(),)
