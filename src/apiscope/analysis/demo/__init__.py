"""The demo: an example application with typical slow endpoints, and the worst-API list its
monitoring would show, shipped inside the package so `apiscope analyze --demo` and the UI's
"Try the demo" work with no network."""

from __future__ import annotations

import json
from pathlib import Path

from apiscope.analysis.request import AnalysisRequest

DEMO_ROOT = Path(__file__).resolve().parent / "shop"
"""The example application's repository folder."""
DEMO_WORST_APIS = Path(__file__).resolve().parent / "worst_apis.json"


def demo_request() -> AnalysisRequest:
    """The demo analysis: the example application and its worst APIs."""
    worst = json.loads(DEMO_WORST_APIS.read_text())
    return AnalysisRequest(worst_apis=worst, repo=str(DEMO_ROOT))
