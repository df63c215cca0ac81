"""Traffic: worst-API lists and the access logs they come from, as ranked worst-API objects.

`WorstApi` validates the contract's worst-API objects; `read_traffic` reads access logs (nginx,
Apache, ALB, API Gateway, JSON Lines; gzip or not) and metrics exports (JSON, CSV) into them;
`rank` orders them by impact.
"""

from __future__ import annotations

from apiscope.analysis.traffic.detect import Kind
from apiscope.analysis.traffic.ingest import TrafficOptions, TrafficReport, read_traffic
from apiscope.analysis.traffic.models import WorstApi, parse_worst_apis
from apiscope.analysis.traffic.ranking import impact_ms, rank, ranked_json
from apiscope.analysis.traffic.sketch import LatencySketch

__all__ = [
    "Kind",
    "LatencySketch",
    "TrafficOptions",
    "TrafficReport",
    "WorstApi",
    "impact_ms",
    "parse_worst_apis",
    "rank",
    "ranked_json",
    "read_traffic",
]
