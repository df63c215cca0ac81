"""Findings as SARIF 2.1.0, so GitHub code scanning shows them on the lines they point at."""

from __future__ import annotations

from typing import Any

from apiscope import __version__

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"high": "error", "medium": "warning", "low": "note"}
"""Our severities as SARIF levels."""


def to_sarif(result: dict[str, Any]) -> dict[str, Any]:
    """A SARIF log with one run: a rule per rule id seen, a result per finding and evidence."""
    findings = result["ai_analysis"]["findings"]
    rule_ids = sorted({f["rule"] for f in findings})
    driver = {
        "name": "apiscope",
        "version": __version__,
        "informationUri": "https://github.com/apiscope/apiscope",
        "rules": [_rule(rule_id, findings) for rule_id in rule_ids],
    }
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "results": [_result(f, rule_ids.index(f["rule"])) for f in findings if f["evidence"]],
    }
    commit = result["repository"].get("commit")
    if commit:
        run["versionControlProvenance"] = [
            {"repositoryUri": _repository_uri(result["repository"]["repo"]), "revisionId": commit}
        ]
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def _rule(rule_id: str, findings: list[dict[str, Any]]) -> dict[str, Any]:
    first = next(f for f in findings if f["rule"] == rule_id)
    return {
        "id": rule_id,
        "shortDescription": {"text": first["title"]},
        "help": {"text": first["recommendation"]},
        "defaultConfiguration": {"level": LEVELS.get(first["severity"], "warning")},
    }


def _result(finding: dict[str, Any], rule_index: int) -> dict[str, Any]:
    return {
        "ruleId": finding["rule"],
        "ruleIndex": rule_index,
        "level": LEVELS.get(finding["severity"], "warning"),
        "message": {"text": f"{finding['api']}: {finding['title']}. {finding['explanation']}"},
        "locations": [_location(e) for e in finding["evidence"]],
    }


def _location(evidence: dict[str, Any]) -> dict[str, Any]:
    region = {"startLine": evidence["line_start"], "endLine": evidence["line_end"]}
    if evidence.get("snippet"):
        region["snippet"] = {"text": evidence["snippet"]}
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": evidence["file"], "uriBaseId": "%SRCROOT%"},
            "region": region,
        }
    }


def _repository_uri(repo: str) -> str:
    if "://" in repo:
        return repo
    return f"https://github.com/{repo}" if repo.count("/") == 1 else repo
