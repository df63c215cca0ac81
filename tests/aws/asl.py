"""A small interpreter of the Amazon States Language subset our state machine uses (Choice, Pass,
Task with Parameters, Retry and Catch, Fail), so a test can run the generated definition against
the real step function, passing it exactly the payloads Step Functions would. Retry backoff is
not waited out: that is the service's clock, not our code."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Invoke = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass
class Execution:
    """How a run ended and what it went through."""

    status: str
    output: Any
    visited: list[str]


def _path(state: Any, path: str, retry_count: int) -> Any:
    if path == "$$.State.RetryCount":
        return retry_count
    assert path.startswith("$."), path
    value = state
    for part in path[2:].split("."):
        value = value[part]
    return value


def _parameters(template: dict[str, Any], state: Any, retry_count: int) -> dict[str, Any]:
    return {
        (k[:-2] if k.endswith(".$") else k): (
            _path(state, v, retry_count) if k.endswith(".$") else v
        )
        for k, v in template.items()
    }


def _matches(rule: dict[str, Any], error: str) -> bool:
    return error in rule["ErrorEquals"] or "States.ALL" in rule["ErrorEquals"]


def _with_result(state: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    assert path.startswith("$.") and "." not in path[2:], path
    return {**state, path[2:]: value}


def _task(spec: dict[str, Any], state: Any, invoke: Invoke) -> tuple[str, Any]:
    """Run a Task with its Retry rules; ("ok", output) or ("caught", (next state, state))."""
    used = [0] * len(spec.get("Retry", []))
    retry_count = 0
    while True:
        try:
            return "ok", invoke(_parameters(spec["Parameters"], state, retry_count))
        except Exception as exc:  # a Lambda error: its errorType is the exception's class name
            error = type(exc).__name__
            cause = json.dumps({"errorMessage": str(exc), "errorType": error})
        rules = [i for i, rule in enumerate(spec.get("Retry", [])) if _matches(rule, error)]
        if rules and used[rules[0]] < spec["Retry"][rules[0]].get("MaxAttempts", 3):
            used[rules[0]] += 1
            retry_count += 1
            continue
        for catch in spec.get("Catch", []):
            if _matches(catch, error):
                caught = _with_result(state, catch["ResultPath"], {"Error": error, "Cause": cause})
                return "caught", (catch["Next"], caught)
        raise AssertionError(f"uncaught {error}: {cause}")


def run(definition: dict[str, Any], state: Any, invoke: Invoke) -> Execution:
    """Run the state machine from its start on `state`."""
    name: str | None = definition["StartAt"]
    visited: list[str] = []
    while name is not None:
        visited.append(name)
        spec = definition["States"][name]
        if spec["Type"] == "Fail":
            return Execution("FAILED", spec.get("Error"), visited)
        if spec["Type"] == "Choice":
            chosen = [
                c["Next"]
                for c in spec["Choices"]
                if _path(state, c["Variable"], 0) == c["StringEquals"]
            ]
            name = (chosen or [spec["Default"]])[0]
            continue
        if spec["Type"] == "Pass":
            state = _with_result(state, spec["ResultPath"], spec["Result"])
        else:
            outcome, value = _task(spec, state, invoke)
            if outcome == "caught":
                name, state = value
                continue
            state = value
        name = None if spec.get("End") else spec["Next"]
    return Execution("SUCCEEDED", state, visited)
