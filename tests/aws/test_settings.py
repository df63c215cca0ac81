"""The Lambda functions' settings: read from the environment once, refused when incomplete."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from apiscope.aws.dispatchers import LambdaDispatcher, SqsDispatcher, build_dispatcher
from apiscope.aws.settings import LambdaSettings
from apiscope.jobs.dispatch import StoreDispatch


@pytest.mark.parametrize(
    ("dispatch", "variable"),
    [("sqs", "APISCOPE_SQS_QUEUE_URL"), ("stepfunctions", "APISCOPE_STATE_MACHINE_ARN")],
)
def test_a_dispatch_without_its_target_is_refused(
    dispatch: str, variable: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Choosing a queue or state machine without naming it fails, naming the variable to set."""
    monkeypatch.setenv("APISCOPE_DISPATCH", dispatch)
    with pytest.raises(ValidationError, match=variable):
        LambdaSettings()


def test_the_single_function_shape_invokes_the_running_function(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """By default a function dispatches to itself, named by Lambda's own variable."""
    monkeypatch.delenv("APISCOPE_WORKER_FUNCTION", raising=False)
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "apiscope-api")
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    settings = LambdaSettings()
    assert (settings.dispatch, settings.worker_function) == ("lambda", "apiscope-api")
    assert isinstance(build_dispatcher(settings), LambdaDispatcher)


def test_each_dispatch_builds_its_dispatcher(monkeypatch: pytest.MonkeyPatch) -> None:
    """`sqs` sends messages, `none` sends nothing (the function only runs what it is given)."""
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    queue = "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs"
    assert isinstance(
        build_dispatcher(LambdaSettings(dispatch="sqs", sqs_queue_url=queue)), SqsDispatcher
    )
    assert isinstance(build_dispatcher(LambdaSettings(dispatch="none")), StoreDispatch)
