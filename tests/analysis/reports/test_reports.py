"""Report formats: SARIF valid against the 2.1.0 schema, Markdown readable."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema

from apiscope.analysis.reports import to_markdown, to_sarif

SCHEMA = json.loads((Path(__file__).parent / "sarif-2.1.0-rtm.5.json").read_text())
"""The official SARIF 2.1.0 schema (from Microsoft's @microsoft/jest-sarif package, MIT)."""


def test_sarif_is_valid_and_has_a_result_per_finding(demo_result: dict[str, Any]) -> None:
    """GitHub code scanning accepts it: schema-valid, with locations on the evidence lines."""
    sarif = to_sarif(demo_result)
    jsonschema.validate(sarif, SCHEMA)
    results = sarif["runs"][0]["results"]
    findings = [f for f in demo_result["ai_analysis"]["findings"] if f["evidence"]]
    assert len(results) == len(findings)
    first = results[0]["locations"][0]["physicalLocation"]
    assert first["region"]["startLine"] == findings[0]["evidence"][0]["line_start"]


def test_markdown_has_the_table_and_the_findings(demo_result: dict[str, Any]) -> None:
    """The report lists every worst API and every finding title."""
    text = to_markdown(demo_result)
    assert text.startswith("# apiscope report")
    for entry in demo_result["matched_apis"]:
        assert f"`{entry['worst_api']['method']} {entry['worst_api']['path']}`" in text
    for finding in demo_result["ai_analysis"]["findings"]:
        assert finding["title"] in text
