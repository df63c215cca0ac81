"""Pipeline definitions: weights make overall progress; bad definitions fail early."""

from __future__ import annotations

import pytest

from apiscope.errors import ConfigurationError
from apiscope.jobs import Pipeline, Step


def _noop(ctx: object, inputs: object) -> None:
    return None


def test_overall_progress_is_weighted_by_step() -> None:
    """A step's own percentage counts in proportion to its weight."""
    pipeline = Pipeline(
        [Step("a", _noop, weight=1), Step("b", _noop, weight=2), Step("c", _noop, weight=1)]
    )
    assert pipeline.overall(0, 0) == 0
    assert pipeline.overall(0, 100) == 25
    assert pipeline.overall(1, 50) == 50
    assert pipeline.overall(2, 100) == 100


@pytest.mark.parametrize(
    "steps",
    [[], [Step("a", _noop), Step("a", _noop)], [Step("a", _noop, weight=0)]],
    ids=["empty", "duplicate-names", "zero-weight"],
)
def test_invalid_pipelines_are_refused(steps: list[Step]) -> None:
    """No steps, duplicate names or non-positive weights are configuration errors."""
    with pytest.raises(ConfigurationError):
        Pipeline(steps)
