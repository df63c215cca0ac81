"""The analysis endpoints of the contract, over real HTTP, on the bundled demo."""

from __future__ import annotations

from apiscope.analysis.demo import demo_request
from tests.http.conftest import ServerFactory, wait_finished


def demo_body() -> dict:
    return demo_request().model_dump(mode="json", exclude_none=True)


def test_async_submission_answers_202_then_completes(serve: ServerFactory) -> None:
    """POST …-async/ returns the job at once; /status then shows the finished analysis."""
    client = serve(allow_local_repos=True)
    response = client.post("/analyze-worst-apis-with-github-async/", json=demo_body())
    assert response.status_code == 202
    body = response.json()
    assert body["message"] == f"Analysis started. Poll /status/{body['job_id']} for updates."
    assert response.headers["location"] == f"/status/{body['job_id']}"
    done = wait_finished(client, body["job_id"], timeout=60)
    assert done["status"] == "completed"
    assert [s["name"] for s in done["steps"]] == ["fetch", "discover", "match", "analyse", "report"]
    assert {"repository", "discovered_apis", "matched_apis", "ai_analysis", "stats"} <= set(
        done["result"]
    )


def test_the_synchronous_endpoint_returns_the_result_within_its_bound(serve: ServerFactory) -> None:
    """A quick analysis comes back complete from the original endpoint."""
    client = serve(allow_local_repos=True)
    response = client.post("/analyze-worst-apis-with-github/", json=demo_body(), timeout=60)
    assert response.status_code == 200
    assert response.json()["status"] == "completed" and response.json()["result"]["matched_apis"]


def test_the_synchronous_endpoint_answers_202_past_its_bound(serve: ServerFactory) -> None:
    """With a zero bound it never blocks: 202 with the job to follow instead."""
    client = serve(allow_local_repos=True, sync_wait_seconds=0)
    response = client.post("/analyze-worst-apis-with-github/", json=demo_body())
    assert response.status_code == 202 and response.headers["location"].startswith("/status/")


def test_the_demo_endpoint_needs_no_local_repo_permission(client) -> None:
    """POST /demo analyses the bundled app even though local paths are refused over HTTP."""
    response = client.post("/demo")
    assert response.status_code == 202
    assert wait_finished(client, response.json()["job_id"], timeout=60)["status"] == "completed"


def test_bad_requests_are_422_naming_the_field(client) -> None:
    """An entry without an endpoint, a missing repo, or a local path over HTTP: 422 saying where."""
    response = client.post(
        "/analyze-worst-apis-with-github-async/",
        json={"repo": "octo/shop", "worst_apis": [{"endpoint": "GET /a"}, {"p95_ms": 3}]},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][:3] == ["body", "worst_apis", 1]
    missing = client.post("/analyze-worst-apis-with-github-async/", json={"worst_apis": []})
    assert missing.status_code == 422
    local = client.post(
        "/analyze-worst-apis-with-github-async/",
        json={"repo": "/etc", "worst_apis": [{"endpoint": "GET /a"}]},
    )
    assert local.status_code == 422 and local.json()["detail"][0]["loc"] == ["body", "repo"]
    assert client.get("/jobs").json()["jobs"] == []


def test_idempotency_key_on_the_async_endpoint(serve: ServerFactory) -> None:
    """The same key and body give the same analysis job."""
    client = serve(allow_local_repos=True)
    headers = {"Idempotency-Key": "deploy-1234"}
    first = client.post("/analyze-worst-apis-with-github-async/", json=demo_body(), headers=headers)
    again = client.post("/analyze-worst-apis-with-github-async/", json=demo_body(), headers=headers)
    assert first.json()["job_id"] == again.json()["job_id"]
