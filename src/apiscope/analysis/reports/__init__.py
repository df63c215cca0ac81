"""The analysis result written for people and tools: JSON (as is), Markdown, SARIF 2.1.0."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from apiscope.analysis.reports.markdown import to_markdown
from apiscope.analysis.reports.sarif import to_sarif


def to_json(result: dict[str, Any]) -> str:
    """The result object, indented."""
    return json.dumps(result, indent=2, ensure_ascii=False) + "\n"


def _sarif_text(result: dict[str, Any]) -> str:
    return json.dumps(to_sarif(result), indent=2, ensure_ascii=False) + "\n"


WRITERS: dict[str, Callable[[dict[str, Any]], str]] = {
    "json": to_json,
    "md": to_markdown,
    "sarif": _sarif_text,
}
"""Report format name → writer, for `apiscope analyze --format`."""

__all__ = ["WRITERS", "to_json", "to_markdown", "to_sarif"]
