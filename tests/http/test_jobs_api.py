"""The job endpoints of the contract, over real HTTP on loopback."""

from __future__ import annotations

import json
import time
import uuid

import httpx

from tests.http.conftest import ServerFactory, wait_finished

STATUS_KEYS = {"job_id", "status", "progress", "message", "result", "error", "created_at"}
STATUS_KEYS |= {"updated_at", "steps"}


def test_submit_returns_202_with_location_and_the_job_completes(client: httpx.Client) -> None:
    """POST /jobs/{kind} answers at once; the job then completes with its result."""
    response = client.post("/jobs/echo", json={"hello": "world"})
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "accepted" and uuid.UUID(body["job_id"]).version == 4
    assert body["message"] == f"Job accepted. Poll /status/{body['job_id']} for updates."
    assert response.headers["location"] == f"/status/{body['job_id']}"
    assert int(response.headers["retry-after"]) > 0
    done = wait_finished(client, body["job_id"])
    assert done.keys() >= STATUS_KEYS
    assert done["status"] == "completed" and done["progress"] == 100
    assert done["result"] == {"hello": "world"} and done["error"] is None


def test_status_of_a_failed_job_has_the_error_and_no_result(client: httpx.Client) -> None:
    """`error` is set only when failed, `result` only when completed."""
    job_id = client.post("/jobs/refuse", json={}).json()["job_id"]
    done = wait_finished(client, job_id)
    assert (done["status"], done["error"], done["result"]) == (
        "failed",
        "repository not found",
        None,
    )


def test_unknown_and_malformed_ids_are_404_not_500(client: httpx.Client) -> None:
    """Any id that names no job, however odd, is a JSON 404."""
    for job_id in (str(uuid.uuid4()), "nope", "%00", "x" * 2000, "%E2%9C%93"):
        for path in (f"/status/{job_id}", f"/jobs/{job_id}", f"/jobs/{job_id}/events"):
            response = client.get(path)
            assert response.status_code == 404, path
            assert response.json() == {"detail": "Job not found"}
        assert client.post(f"/jobs/{job_id}/cancel").status_code == 404
    traversal = client.get("/status/..%2F..%2Fetc%2Fpasswd")
    assert traversal.status_code == 404 and "detail" in traversal.json()


def test_unknown_kind_is_404(client: httpx.Client) -> None:
    """Submitting a kind nobody registered is a 404 naming it."""
    response = client.post("/jobs/no-such-kind", json={})
    assert response.status_code == 404 and "no-such-kind" in response.json()["detail"]


def test_bad_bodies_are_422_naming_the_field(client: httpx.Client) -> None:
    """Malformed JSON and wrong types are 422 with the location of the problem."""
    response = client.post(
        "/jobs/sleep", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    response = client.post("/jobs/sleep", json={"seconds": "a while"})
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "seconds"]
    assert client.post("/jobs/sleep", json=[1, 2]).status_code == 422
    assert client.get("/jobs", params={"limit": 0}).status_code == 422
    assert client.get("/jobs", params={"cursor": "garbage"}).status_code == 422
    assert client.get("/jobs", params={"status": "sleeping"}).status_code == 422


def test_bodies_over_the_limit_are_413(serve: ServerFactory) -> None:
    """A body over max_body_bytes is refused, declared or streamed without a length."""
    client = serve(max_body_bytes=2048)
    big = json.dumps({"x": "y" * 4096}).encode()
    response = client.post("/jobs/echo", content=big, headers={"content-type": "application/json"})
    assert response.status_code == 413 and "detail" in response.json()

    def chunks():
        yield big[:1000]
        yield big[1000:]

    response = client.post(
        "/jobs/echo", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert client.get("/jobs").json()["jobs"] == []


def test_etag_and_if_none_match(client: httpx.Client) -> None:
    """An unchanged job answers 304 to its ETag; a changed one sends the new state."""
    job_id = client.post("/jobs/echo", json={}).json()["job_id"]
    done = wait_finished(client, job_id)
    first = client.get(f"/status/{job_id}")
    etag = first.headers["etag"]
    again = client.get(f"/status/{job_id}", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.headers["etag"] == etag and again.content == b""
    assert client.get(f"/status/{job_id}", headers={"If-None-Match": '"other"'}).json() == done


def test_idempotency_key_returns_the_same_job(client: httpx.Client) -> None:
    """A repeated submission with the same key and body gets the same job; another body is 422."""
    headers = {"Idempotency-Key": "order-42"}
    first = client.post("/jobs/echo", json={"a": 1}, headers=headers).json()["job_id"]
    again = client.post("/jobs/echo", json={"a": 1}, headers=headers)
    assert again.status_code == 202 and again.json()["job_id"] == first
    conflict = client.post("/jobs/echo", json={"a": 2}, headers=headers)
    assert conflict.status_code == 422 and "Idempotency-Key" in conflict.json()["detail"]
    assert len(client.get("/jobs").json()["jobs"]) == 1


def test_cancel_running_then_409_once_finished(client: httpx.Client) -> None:
    """Cancel answers the cancelled job; cancelling a finished job is a conflict."""
    job_id = client.post("/jobs/sleep", json={"seconds": 5, "steps": 50}).json()["job_id"]
    response = client.post(f"/jobs/{job_id}/cancel")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert client.post(f"/jobs/{job_id}/cancel").status_code == 409
    assert client.get(f"/status/{job_id}").json()["status"] == "cancelled"


def test_list_is_newest_first_and_paginated(client: httpx.Client) -> None:
    """GET /jobs pages through every job exactly once, newest first."""
    ids = [client.post("/jobs/echo", json={"i": i}).json()["job_id"] for i in range(5)]
    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = client.get("/jobs", params=params).json()
        seen += [j["job_id"] for j in page["jobs"]]
        if not (cursor := page["next_cursor"]):
            break
    assert seen == ids[::-1]
    assert {
        j["job_id"] for j in client.get("/jobs", params={"kind": "sleep"}).json()["jobs"]
    } == set()


def test_sse_sends_the_current_state_then_changes_until_final(client: httpx.Client) -> None:
    """The event stream starts with the current state and closes after the final one."""
    job_id = client.post("/jobs/sleep", json={"seconds": 0.5, "steps": 5}).json()["job_id"]
    events = []
    with client.stream("GET", f"/jobs/{job_id}/events") as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        for line in response.iter_lines():
            if line.startswith("data:"):
                events.append(json.loads(line.removeprefix("data:").strip()))
    assert events[0]["status"] in ("pending", "processing")
    assert events[-1]["status"] == "completed"
    progress = [e["progress"] for e in events]
    assert progress == sorted(progress) and len(events) >= 3


def test_sse_of_a_finished_job_sends_one_event(client: httpx.Client) -> None:
    """A watcher arriving after the end gets the final state and the stream closes."""
    job_id = client.post("/jobs/echo", json={}).json()["job_id"]
    wait_finished(client, job_id)
    with client.stream("GET", f"/jobs/{job_id}/events") as response:
        data = [line for line in response.iter_lines() if line.startswith("data:")]
    assert len(data) == 1 and '"completed"' in data[0]


def test_expired_jobs_answer_410(serve: ServerFactory) -> None:
    """After the retention period a finished job answers 410, not 404."""
    client = serve(job_retention_seconds=0.2)
    job_id = client.post("/jobs/echo", json={}).json()["job_id"]
    wait_finished(client, job_id)
    deadline = time.monotonic() + 10
    while (response := client.get(f"/status/{job_id}")).status_code == 200:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert response.status_code == 410 and response.json() == {"detail": "Job expired"}


def test_api_keys_scope_jobs_to_their_submitter(serve: ServerFactory) -> None:
    """Without a valid key: 401. With another key: 404 everywhere, as if the job did not exist."""
    client = serve(api_keys=["key-a", "key-b"])
    alice = {"Authorization": "Bearer key-a"}
    bob = {"Authorization": "Bearer key-b"}
    assert client.post("/jobs/echo", json={}).status_code == 401
    assert (
        client.post("/jobs/echo", json={}, headers={"Authorization": "Bearer nope"}).status_code
        == 401
    )
    job_id = client.post("/jobs/echo", json={"secret": 1}, headers=alice).json()["job_id"]
    wait_finished(client, job_id, headers=alice)
    gets = [f"/status/{job_id}", f"/jobs/{job_id}", f"/jobs/{job_id}/events"]
    for method, path in [*(("GET", p) for p in gets), ("POST", f"/jobs/{job_id}/cancel")]:
        response = client.request(method, path, headers=bob)
        assert (response.status_code, response.json()) == (404, {"detail": "Job not found"}), path
    assert client.get("/jobs", headers=bob).json()["jobs"] == []
    assert [j["job_id"] for j in client.get("/jobs", headers=alice).json()["jobs"]] == [job_id]


def test_healthz_metrics_and_openapi(client: httpx.Client) -> None:
    """Operations endpoints answer; metrics count jobs by state and durations."""
    job_id = client.post("/jobs/echo", json={}).json()["job_id"]
    wait_finished(client, job_id)
    assert client.get("/healthz").json()["status"] == "ok"
    metrics = client.get("/metrics").text
    assert 'apiscope_jobs{status="completed"} 1.0' in metrics
    assert 'apiscope_jobs_submitted_total{kind="echo"} 1.0' in metrics
    assert "apiscope_job_duration_seconds_bucket" in metrics
    assert "apiscope_jobs_queue_depth" in metrics
    paths = client.get("/openapi.json").json()["paths"]
    assert {
        "/jobs/{kind}",
        "/status/{job_id}",
        "/jobs/{job_id}/events",
        "/jobs/{job_id}/cancel",
        "/jobs",
    } <= set(paths)


def test_submissions_over_the_rate_limit_are_429_with_retry_after(serve: ServerFactory) -> None:
    """Past its burst a key gets 429 and when to retry; another key is not affected."""
    client = serve(api_keys=["key-a", "key-b"], submit_rate_per_minute=6, submit_burst=2)
    alice = {"Authorization": "Bearer key-a"}
    assert [client.post("/jobs/echo", json={}, headers=alice).status_code for _ in range(2)] == [
        202,
        202,
    ]
    limited = client.post("/jobs/echo", json={}, headers=alice)
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
    assert "detail" in limited.json()
    analysis = client.post(
        "/analyze-worst-apis-with-github-async/",
        json={"repo": "octo/shop", "worst_apis": [{"endpoint": "GET /a"}]},
        headers=alice,
    )
    assert analysis.status_code == 429
    bob = {"Authorization": "Bearer key-b"}
    assert client.post("/jobs/echo", json={}, headers=bob).status_code == 202
