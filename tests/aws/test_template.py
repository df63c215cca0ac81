"""deploy/aws/template.yaml: valid for cfn-lint, and consistent with the code it deploys."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import pytest
from cfnlint.api import ManualArgs, lint_file  # type: ignore[import-untyped]
from cfnlint.decode import cfn_yaml  # type: ignore[import-untyped]

from apiscope.jobs.stores.dynamodb import items
from apiscope.jobs.stores.dynamodb.table import table_definition

DEPLOY = Path(__file__).parents[2] / "deploy" / "aws"
TEMPLATE: dict[str, Any] = json.loads(json.dumps(cfn_yaml.load(str(DEPLOY / "template.yaml"))))
RESOURCES: dict[str, Any] = TEMPLATE["Resources"]


def test_cfn_lint_passes() -> None:
    """cfn-lint, through the SAM transform, finds nothing: no error, warning or remark."""
    config = ManualArgs(include_checks=["I"])
    assert [str(m) for m in lint_file(DEPLOY / "template.yaml", config=config)] == []


def test_the_table_is_the_one_apiscope_db_upgrade_creates() -> None:
    """The deployed table has the store's key, indexes, billing and TTL attribute."""
    declared = RESOURCES["JobsTable"]["Properties"]
    expected = table_definition("any")

    def by_name(entries: list[dict[str, Any]], key: str) -> dict[str, Any]:
        return {entry[key]: entry for entry in entries}

    assert declared["KeySchema"] == expected["KeySchema"]
    assert by_name(declared["AttributeDefinitions"], "AttributeName") == by_name(
        expected["AttributeDefinitions"], "AttributeName"
    )
    assert by_name(declared["GlobalSecondaryIndexes"], "IndexName") == by_name(
        expected["GlobalSecondaryIndexes"], "IndexName"
    )
    assert declared["BillingMode"] == expected["BillingMode"]
    assert declared["TimeToLiveSpecification"] == {"AttributeName": items.TTL, "Enabled": True}


def _commands() -> dict[str, list[str]]:
    """Each function's handler(s): both branches of a conditional command."""
    found: dict[str, list[str]] = {}
    for name, resource in RESOURCES.items():
        if resource["Type"] == "AWS::Serverless::Function":
            [command] = resource["Properties"]["ImageConfig"]["Command"]
            found[name] = command["Fn::If"][1:] if isinstance(command, dict) else [command]
    return found


@pytest.mark.parametrize("function", sorted(_commands()))
def test_every_function_names_a_handler_that_exists(function: str) -> None:
    """Each function's command is a callable in apiscope.aws.handlers."""
    for command in _commands()[function]:
        module, _, attribute = command.rpartition(".")
        assert callable(getattr(importlib.import_module(module), attribute))


def test_each_shape_deploys_only_its_own_resources() -> None:
    """The queue side exists only for sqs, the state machine only for stepfunctions."""
    conditions = {name: r.get("Condition") for name, r in RESOURCES.items()}
    assert {n for n, c in conditions.items() if c == "Queued"} == {
        "DeadLetterQueue", "JobsQueue", "WorkerFunction", "DeadLetterFunction"
    }  # fmt: skip
    assert {n for n, c in conditions.items() if c == "StateMachine"} == {
        "StepFunction", "JobsStateMachine"
    }  # fmt: skip
    assert TEMPLATE["Parameters"]["Shape"]["AllowedValues"] == [
        "single-function", "sqs", "stepfunctions"
    ]  # fmt: skip


def test_the_state_machine_substitutes_its_step_function() -> None:
    """Every ${...} in the deployed definition is a substitution the template provides."""
    machine = RESOURCES["JobsStateMachine"]["Properties"]
    text = (DEPLOY / machine["DefinitionUri"]).read_text()
    substitutions = set(machine["DefinitionSubstitutions"])
    assert substitutions == {"StepFunctionArn"} and "${StepFunctionArn}" in text
    assert text.count("${") == text.count("${StepFunctionArn}")


def test_the_worker_reports_partial_batch_failures() -> None:
    """The SQS event sources let the functions report single messages as failed."""
    for function in ("WorkerFunction", "DeadLetterFunction"):
        [event] = RESOURCES[function]["Properties"]["Events"].values()
        assert event["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    redrive = RESOURCES["JobsQueue"]["Properties"]["RedrivePolicy"]
    assert redrive["deadLetterTargetArn"] == {"Fn::GetAtt": ["DeadLetterQueue", "Arn"]}
