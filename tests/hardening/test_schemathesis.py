"""Property-based checks of the HTTP API against its own OpenAPI document: schemathesis sends
generated requests to every operation of a real `apiscope serve` and checks each answer."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import APIOperation, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.analysis.sources.fake_github import FakeGitHub
from tests.e2e.conftest import ServerStarter

EXAMPLES = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(params=[{}, {"APISCOPE_API_KEYS": "key-one,key-two"}], ids=["open", "keyed"])
def api_schema(
    start_server: ServerStarter, request: pytest.FixtureRequest
) -> Iterator[schemathesis.BaseSchema]:
    """The OpenAPI document of a server on SQLite whose GitHub has no repositories, so
    generated analyses fail fast instead of reaching the internet; without API keys, and with
    keys that generated `Authorization` headers do not match (the 401 path)."""
    with FakeGitHub() as github:
        server = start_server(
            APISCOPE_GITHUB_API_URL=github.api_url, APISCOPE_SYNC_WAIT_SECONDS="1", **request.param
        )
        yield schemathesis.openapi.from_url(str(server.client.base_url.join("/openapi.json")))


def check_operation(operation: APIOperation, mode: GenerationMode) -> None:
    """Send up to `EXAMPLES` generated requests to one operation, checking every answer."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def send(case: schemathesis.Case) -> None:
        case.call_and_validate(checks=CHECKS)

    try:
        send()
    except Unsatisfiable:
        # Every input of the operation accepts any string: there is no invalid request to send.
        if mode is GenerationMode.POSITIVE:
            raise


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_every_answer_conforms_to_the_schema(api_schema: schemathesis.BaseSchema) -> None:
    """No generated request, valid or not, gets a 500, and every answer has a declared status,
    content type and body shape."""
    failures: dict[str, str] = {}
    for result in api_schema.get_all_operations():
        assert isinstance(result, Ok), f"an operation schemathesis cannot read: {result.err()}"
        operation = result.ok()
        for mode in GenerationMode:
            try:
                check_operation(operation, mode)
            except BaseExceptionGroup as exc:  # every operation's failures, not only the first
                failures[f"{operation.label} ({mode.value})"] = str(exc)
    assert len(failures) == 0, "\n\n".join(f"{k}:\n{v}" for k, v in failures.items())
