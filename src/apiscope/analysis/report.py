"""The analysis result: the contract's object, assembled from the pipeline's step outputs."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any


def assemble(outputs: Mapping[str, Any]) -> dict[str, Any]:
    """`{"repository", "discovered_apis", "matched_apis", "ai_analysis", "stats"}`."""
    fetched, discovered = outputs["fetch"], outputs["discover"]
    matched, analysis = outputs["match"], outputs["analyse"]
    colors = Counter(m["color"] for m in matched)
    return {
        "repository": {k: fetched[k] for k in ("repo", "branch", "commit")},
        "discovered_apis": discovered["routes"],
        "matched_apis": matched,
        "ai_analysis": analysis,
        "stats": {
            "routes_discovered": len(discovered["routes"]),
            "worst_apis": len(matched),
            "worst_apis_matched": sum(1 for m in matched if m["route"] is not None),
            "by_color": {c: colors.get(c, 0) for c in ("red", "orange", "yellow", "green", "grey")},
            "findings": len(analysis["findings"]),
            "discovery": discovered["stats"],
            "repository_from_cache": bool(fetched.get("cached")),
        },
    }
