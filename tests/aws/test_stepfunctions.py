"""The Step Functions shape: the generated definition, executions named by the job id (moto),
and the step function run by the definition exactly as the service would drive it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from apiscope.app import load_registry
from apiscope.aws import handlers, statemachine
from apiscope.aws.dispatchers import execution_input
from apiscope.aws.runtime import LambdaRuntime
from apiscope.jobs.model import JobStatus, StepStatus
from apiscope.settings import Settings
from tests.aws import asl
from tests.aws.conftest import FakeContext, new_id, status, submit
from tests.aws.kinds import registry
from tests.aws.moto_server import client

DEPLOYED = Path(__file__).parents[2] / "deploy" / "aws" / "statemachine.asl.json"
FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:apiscope-steps"
ROLE = "arn:aws:iam::123456789012:role/apiscope-state-machine"
DEFINITION = statemachine.definition(registry, FUNCTION)


@pytest.fixture
def sfn(moto_endpoint: str) -> Any:
    return client("stepfunctions", moto_endpoint)


@pytest.fixture
def runtime(
    sfn: Any, monkeypatch: pytest.MonkeyPatch, cold_start: Callable[[], LambdaRuntime]
) -> LambdaRuntime:
    created = sfn.create_state_machine(
        name=f"jobs-{new_id()}", definition=json.dumps(DEFINITION), roleArn=ROLE
    )
    monkeypatch.setenv("APISCOPE_DISPATCH", "stepfunctions")
    monkeypatch.setenv("APISCOPE_STATE_MACHINE_ARN", created["stateMachineArn"])
    return cold_start()


def invoke_step(payload: dict[str, Any]) -> dict[str, Any]:
    """What the state machine's Lambda Task does: call the step function with the payload."""
    return handlers.step(json.loads(json.dumps(payload)), FakeContext())


def test_the_definition_has_one_task_per_step_with_retry_and_catch() -> None:
    """Each pipeline step is a Task in order, a plain kind one Task; each Task retries with the
    kind's backoff (never a permanent failure) and catches into the state that fails the job."""
    states = DEFINITION["States"]
    choices = {c["StringEquals"]: c["Next"] for c in states[statemachine.ROUTE]["Choices"]}
    assert choices["steps"] == "steps: fetch" and choices["echo"] == "echo: run"
    assert states["steps: fetch"]["Next"] == "steps: analyse"
    assert states["steps: analyse"]["Next"] == "steps: report"
    assert states["steps: report"]["End"] is True and states["echo: run"]["End"] is True
    task = states["steps: analyse"]
    assert task["Resource"] == FUNCTION
    assert task["Parameters"]["step"] == "analyse"
    assert task["Parameters"]["retry.$"] == "$$.State.RetryCount"
    assert task["Retry"] == [
        {"ErrorEquals": ["PermanentJobFailure"], "MaxAttempts": 0},
        {
            "ErrorEquals": ["States.ALL"],
            "IntervalSeconds": 1,
            "BackoffRate": 2.0,
            "MaxAttempts": 1,
            "MaxDelaySeconds": 10,
            "JitterStrategy": "FULL",
        },
    ]
    assert task["Catch"] == [
        {"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": statemachine.MARK_FAILED}
    ]
    targets = {s.get("Next") for s in states.values()} | set(choices.values())
    assert targets - {None} <= set(states)


def test_a_submission_starts_one_execution_named_by_the_job_id(
    runtime: LambdaRuntime, sfn: Any
) -> None:
    """The execution is named by the job's id, so sending the job again starts nothing new."""
    job = submit(runtime, "echo", {"n": 1})
    runtime.run(runtime.engine.dispatcher.dispatch(job))
    arn = runtime.settings.state_machine_arn
    executions = sfn.list_executions(stateMachineArn=arn)["executions"]
    assert [e["name"] for e in executions] == [job.id]
    described = sfn.describe_execution(executionArn=executions[0]["executionArn"])
    assert json.loads(described["input"]) == execution_input(job)


def test_a_pipeline_runs_task_by_task_through_a_retried_step(
    runtime: LambdaRuntime, tmp_path: Path
) -> None:
    """Each Task runs one step under the lease handed on from the last; a failed step is retried
    by the Retry rule and the job completes with every step's output."""
    marker = tmp_path / "steps"
    job = submit(runtime, "steps", {"marker": str(marker), "fail_in": "analyse"})
    execution = asl.run(DEFINITION, execution_input(job), invoke_step)
    assert execution.status == "SUCCEEDED"
    assert execution.visited == [
        statemachine.ROUTE, "steps: fetch", "steps: analyse", "steps: report"
    ]  # fmt: skip
    assert marker.read_text().split() == ["fetch", "analyse", "analyse", "report"]
    done = status(runtime, job)
    assert (done.status, done.progress, done.attempts) == (JobStatus.COMPLETED, 100, 1)
    assert done.result == {"routes": ["route0", "route1", "route2"]}
    assert {s.status for s in done.steps} == {StepStatus.COMPLETED}


def test_a_permanent_failure_fails_the_job_and_the_execution(
    runtime: LambdaRuntime, tmp_path: Path
) -> None:
    """A failure retrying cannot fix is not retried: the job fails with it, then the Catch
    path ends the execution failed."""
    job = submit(runtime, "steps", {"marker": str(tmp_path / "m"), "refuse": True})
    execution = asl.run(DEFINITION, execution_input(job), invoke_step)
    assert execution.status == "FAILED"
    assert execution.visited[-3:] == ["steps: analyse", statemachine.MARK_FAILED, "Failed"]
    failed = status(runtime, job)
    assert failed.status is JobStatus.FAILED and failed.error == "repository not found"


def test_a_job_cancelled_between_steps_stops_its_execution(
    runtime: LambdaRuntime, tmp_path: Path
) -> None:
    """Once the job is cancelled, the remaining Tasks do nothing and the job stays cancelled."""
    marker = tmp_path / "steps"
    job = submit(runtime, "steps", {"marker": str(marker)})

    def cancel_after_first(payload: dict[str, Any]) -> dict[str, Any]:
        state = invoke_step(payload)
        if payload["step"] == "fetch":
            runtime.run(runtime.engine.cancel(job.id))
        return state

    execution = asl.run(DEFINITION, execution_input(job), cancel_after_first)
    assert execution.status == "SUCCEEDED" and execution.output["stopped"] is True
    assert marker.read_text().split() == ["fetch"]
    assert status(runtime, job).status is JobStatus.CANCELLED


def test_the_deployed_definition_is_the_generated_one() -> None:
    """deploy/aws/statemachine.asl.json is what `python -m apiscope.aws.statemachine` writes
    for apiscope's own job kinds (regenerate it when a pipeline's steps change)."""
    expected = statemachine.definition(load_registry(Settings(job_kinds=[])))
    assert json.loads(DEPLOYED.read_text()) == expected
