"""The single-function shape over HTTP: Mangum with API Gateway v1, v2 and Function URL events;
a submission invokes the function asynchronously, and that invocation runs the job."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from apiscope.aws import handlers
from apiscope.aws.runtime import LambdaRuntime
from tests.aws.conftest import FakeContext
from tests.aws.events import SHAPES, http_v2
from tests.aws.fake_lambda import FakeLambda
from tests.aws.moto_server import client

Event = Callable[..., dict[str, Any]]


def call(event: dict[str, Any]) -> tuple[int, dict[str, str], Any]:
    response = handlers.main(event, FakeContext())
    headers = {k.lower(): v for k, v in (response.get("headers") or {}).items()}
    return response["statusCode"], headers, json.loads(response["body"] or "null")


@pytest.fixture
def single_function(cold_start: Callable[[], LambdaRuntime], fake_lambda: FakeLambda) -> FakeLambda:
    """The single-function shape's settings (dispatch by invoking this very function)."""
    return fake_lambda


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_submit_invokes_the_function_and_its_invocation_runs_the_job(
    shape: str, single_function: FakeLambda
) -> None:
    """POST /jobs/{kind} answers 202 at once, the job runs in an Event invocation, and GET
    /status shows it completed, through each kind of HTTP event."""
    event: Event = SHAPES[shape]
    status, headers, body = call(event("POST", "/jobs/echo", {"hello": "lambda"}))
    assert status == 202 and body["status"] == "accepted"
    job_id = body["job_id"]
    assert headers["location"] == f"/status/{job_id}"
    assert single_function.calls == [
        ("apiscope-test", "Event", {"apiscope": "run-job", "job_id": job_id})
    ]
    status, _, pending = call(event("GET", f"/status/{job_id}"))
    assert status == 200 and pending["status"] == "pending"

    outcome = handlers.main(single_function.payloads()[0], FakeContext())
    assert outcome == {"job_id": job_id, "status": "completed"}
    status, headers, done = call(event("GET", f"/status/{job_id}"))
    assert status == 200 and headers["etag"]
    assert (done["status"], done["progress"], done["result"]) == (
        "completed",
        100,
        {"hello": "lambda"},
    )


def test_unknown_job_and_kind_answer_404_as_json(single_function: FakeLambda) -> None:
    """An unknown id or kind is a JSON 404, never a fake pending job."""
    status, _, body = call(http_v2("GET", "/status/4b8e0c1e-0000-4000-8000-000000000000"))
    assert (status, body) == (404, {"detail": "Job not found"})
    status, _, _ = call(http_v2("POST", "/jobs/no-such-kind", {}))
    assert status == 404 and single_function.calls == []


def test_a_one_megabyte_result_is_kept_in_s3(
    single_function: FakeLambda, moto_endpoint: str, moto_bucket: str
) -> None:
    """A result over DynamoDB's item limit goes to S3 and comes back whole in GET /status."""
    _, _, body = call(http_v2("POST", "/jobs/big", {"megabytes": 1}))
    handlers.main(single_function.payloads()[0], FakeContext())
    status, _, done = call(http_v2("GET", f"/status/{body['job_id']}"))
    assert status == 200 and done["status"] == "completed"
    assert done["result"] == {"blob": "x" * 1024 * 1024}
    s3 = client("s3", moto_endpoint)
    listed = s3.list_objects_v2(Bucket=moto_bucket, Prefix=f"jobs/{body['job_id']}/")
    assert [o["Size"] > 1024 * 1024 for o in listed["Contents"]] == [True]


def test_a_repeated_submission_with_an_idempotency_key_runs_once(
    single_function: FakeLambda,
) -> None:
    """The same Idempotency-Key gives the same job; the still-pending job is sent again, and
    the second invocation finds nothing left to run."""
    event = http_v2("POST", "/jobs/echo", {"n": 1})
    event["headers"]["idempotency-key"] = "order-42"
    _, _, first = call(event)
    _, _, again = call(event)
    assert first["job_id"] == again["job_id"]
    assert len(single_function.calls) == 2
    runs = [handlers.main(p, FakeContext()) for p in single_function.payloads()]
    assert [r["status"] for r in runs] == ["completed", "completed"]
    _, _, done = call(http_v2("GET", f"/status/{first['job_id']}"))
    assert done["attempts"] == 1
