"""The analysis as a Markdown report: to paste in an issue or a pull request."""

from __future__ import annotations

from typing import Any

COLOR_MARKS = {"red": "🔴", "orange": "🟠", "yellow": "🟡", "green": "🟢", "grey": "⚪"}


def to_markdown(result: dict[str, Any]) -> str:
    """Summary, the worst APIs table, then each finding with its evidence."""
    repo = result["repository"]
    analysis = result["ai_analysis"]
    lines = [
        f"# apiscope report: {repo['repo']}",
        "",
        f"Branch `{repo.get('branch') or '-'}` at commit `{(repo.get('commit') or '-')[:12]}`; "
        f"{result['stats']['routes_discovered']} routes discovered; "
        f"analysis by `{analysis['provider']}`.",
        "",
    ]
    if analysis.get("summary"):
        lines += [analysis["summary"], ""]
    lines += [f"> ⚠️ {warning}" for warning in analysis.get("warnings", [])]
    lines += ["## Worst APIs", "", *_table(result["matched_apis"]), ""]
    lines += ["## Findings", ""]
    lines += [line for f in analysis["findings"] for line in _finding(f)] or ["None."]
    return "\n".join(lines).rstrip() + "\n"


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(matched: list[dict[str, Any]]) -> list[str]:
    rows = [
        "| | endpoint | p95 ms | p99 ms | errors | handler | why |",
        "|---|---|---|---|---|---|---|",
    ]
    for entry in matched:
        api, route = entry["worst_api"], entry["route"]
        where = f"`{route['file']}:{route['line']}` {route['handler']}" if route else "not found"
        errors = api.get("error_rate")
        rate = "" if errors is None else f"{errors:.1%}"
        rows.append(
            f"| {COLOR_MARKS.get(entry['color'], '')} | `{api['method']} {api['path']}` "
            f"| {api.get('p95_ms', '')} | {api.get('p99_ms', '')} | {rate} "
            f"| {_cell(where)} | {_cell(entry['reason'])} |"
        )
    return rows


def _finding(finding: dict[str, Any]) -> list[str]:
    lines = [
        f"### {finding['title']} ({finding['severity']})",
        "",
        f"`{finding['api']}` · rule `{finding['rule']}`",
        "",
        finding["explanation"],
        "",
    ]
    for evidence in finding["evidence"]:
        lines += [
            f"`{evidence['file']}` lines {evidence['line_start']}-{evidence['line_end']}:",
            "",
        ]
        lines += ["```", evidence["snippet"].rstrip(), "```", ""]
    lines += [f"**Recommendation:** {finding['recommendation']}", ""]
    return lines
