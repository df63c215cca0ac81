"""OpenAPI and Swagger documents in a repository: one route per operation."""

from __future__ import annotations

from pathlib import Path

from apiscope.analysis.discovery.frameworks.openapi import OpenAPIDiscoverer, operations
from apiscope.analysis.discovery.project import Project
from tests.analysis.discovery.accuracy import score


def _routes(root: Path) -> list[tuple[str, str, str, int, str]]:
    found = OpenAPIDiscoverer().discover(Project.scan(root))
    return sorted((r.method, r.path, r.file, r.line, r.handler) for r in found)


def test_fixture_documents_match_expected() -> None:
    """YAML and tab-indented JSON documents are read; test folders, vendored folders and
    YAML that merely has a `paths` key are not."""
    result = score("openapi")
    assert result.found == result.expected, result.report()


def test_operations_are_found_in_json_with_sorted_keys(tmp_path: Path) -> None:
    """A generator that sorts keys puts `openapi` after a long `components`: still found."""
    components = ", ".join(f'"S{i}": {{"type": "object"}}' for i in range(400))
    (tmp_path / "api.json").write_text(
        f'{{"components": {{"schemas": {{{components}}}}},\n'
        '"openapi": "3.1.0",\n"paths": {\n "/items/{id}": {"get": {"operationId": "getItem"}}}}'
    )
    assert _routes(tmp_path) == [("GET", "/items/{id}", "api.json", 4, "getItem")]


def test_malformed_document_is_skipped(tmp_path: Path) -> None:
    """A document that does not parse yields nothing instead of failing discovery."""
    (tmp_path / "openapi.yaml").write_text("openapi: 3.0.0\npaths:\n  /a: {get: [\n")
    assert _routes(tmp_path) == []


def test_document_without_paths_mapping_yields_nothing() -> None:
    """`paths` must be a mapping of path keys starting with `/`; other keys are ignored."""
    assert operations(b"openapi: 3.0.0\npaths: []\n", "a.yaml") == []
    source = b"swagger: '2.0'\npaths:\n  x-tags: {get: {}}\n  /ok:\n    GET: {}\n"
    assert [(r.method, r.path, r.line) for r in operations(source, "a.yaml")] == [("GET", "/ok", 4)]
