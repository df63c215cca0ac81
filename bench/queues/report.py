"""The queue benchmark's summary: each system's median over rounds, apiscope's ratio to each
other system, and a Markdown table of both."""

from __future__ import annotations

import json
import statistics
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

OURS = "apiscope"


@dataclass(frozen=True, slots=True)
class Measure:
    """One reported number: where it sits in a trial's JSON, and which way is better."""

    label: str
    phase: str
    key: str
    unit: str
    higher_is_better: bool

    def of(self, trial: dict[str, Any]) -> float:
        """This measure in one trial (no key: the phase's CPU per job, all processes)."""
        phase = trial[self.phase]
        return float(phase[self.key] if self.key else sum(phase["cpu_ms_per_job"].values()))


MEASURES = (
    Measure("end-to-end no-op jobs/s (burst)", "burst", "jobs_per_s", "jobs/s", True),
    Measure("workers alone: jobs/s emptying a full queue", "drain", "jobs_per_s", "jobs/s", True),
    Measure("enqueue calls/s, no worker running", "prefill", "submits_per_s", "/s", True),
    Measure("enqueue calls/s (burst)", "burst", "submits_per_s", "/s", True),
    Measure("submit p50, one call at a time", "sequential", "submit_p50_ms", "ms", False),
    Measure("submit p99, one call at a time", "sequential", "submit_p99_ms", "ms", False),
    Measure("submit p50, calls in flight (burst)", "burst", "submit_p50_ms", "ms", False),
    Measure("submit p99, calls in flight (burst)", "burst", "submit_p99_ms", "ms", False),
)
TOTAL_CPU = Measure("CPU ms per job, all processes (burst)", "burst", "", "ms", False)
CPU_PARTS = ("client", "workers", "broker")
ALL = (*MEASURES, TOTAL_CPU)


def medians(trials: Sequence[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Per system, the median of each measure (and of CPU per job) over its trials."""
    by_system: dict[str, list[dict[str, Any]]] = {}
    for trial in trials:
        by_system.setdefault(trial["system"], []).append(trial)
    summary: dict[str, dict[str, float]] = {}
    for system, runs in by_system.items():
        values = {m.label: statistics.median(m.of(r) for r in runs) for m in ALL}
        for part in CPU_PARTS:
            cpu = (r["burst"]["cpu_ms_per_job"][part] for r in runs)
            values[f"cpu ms/job: {part}"] = statistics.median(cpu)
        rates = [r["burst"]["jobs_per_s"] for r in runs]
        values["jobs/s min"], values["jobs/s max"] = min(rates), max(rates)
        values["rounds"] = len(runs)
        summary[system] = values
    return summary


def ratios(trials: Sequence[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """apiscope / other for each measure, taken within each round (the two ran minutes apart
    at most, under the same background load) and then the median over rounds."""
    rounds: dict[int, dict[str, dict[str, Any]]] = {}
    for trial in trials:
        rounds.setdefault(trial["round"], {})[trial["system"]] = trial
    per_pair: dict[str, dict[str, list[float]]] = {}
    for systems in rounds.values():
        ours = systems.get(OURS)
        for other, theirs in systems.items():
            if ours is None or other == OURS:
                continue
            pair = per_pair.setdefault(other, {m.label: [] for m in ALL})
            for m in ALL:
                pair[m.label].append(m.of(ours) / m.of(theirs))
    return {
        other: {label: statistics.median(values) for label, values in pair.items()}
        for other, pair in per_pair.items()
    }


def _ratio(value: float | None) -> str:
    return "n/a" if value is None else f"**{value:.2f}**"


def _num(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.3g}"


def markdown(summary: dict[str, dict[str, float]], ratio: dict[str, dict[str, float]]) -> str:
    """Medians per system, then apiscope's ratio to each (see `ratios`)."""
    systems = [s for s in (OURS, "procrastinate", "celery", "arq") if s in summary]
    others = [s for s in systems if s != OURS]
    head = ["measure", *systems, *(f"apiscope / {o}" for o in others)]
    lines = ["| " + " | ".join(head) + " |", "|---" + "|---:" * (len(head) - 1) + "|"]
    for m in ALL:
        cells = [f"{_num(summary[s][m.label])} {m.unit}" for s in systems]
        cells += [_ratio(ratio.get(o, {}).get(m.label)) for o in others]
        better = "higher is better" if m.higher_is_better else "lower is better"
        lines.append(f"| {m.label} ({better}) | " + " | ".join(cells) + " |")
    spread = [f"{summary[s]['jobs/s min']:.0f} to {summary[s]['jobs/s max']:.0f}" for s in systems]
    lines.append(
        "| (jobs/s, lowest to highest round) | " + " | ".join(spread + [""] * len(others)) + " |"
    )
    for part in CPU_PARTS:
        label = f"cpu ms/job: {part}"
        cells = [f"{summary[s][label]:.2f}" for s in systems] + ["" for _ in others]
        lines.append(f"| CPU ms per job, {part} (burst) | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    """`python -m bench.queues.report [FILE]`: recompute a results file's summary and ratios
    from its trials, rewrite them, and print the table."""
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "bench/results/queues.json")
    result = json.loads(path.read_text())
    result["summary"] = medians(result["trials"])
    result["ratios"] = ratios(result["trials"])
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(markdown(result["summary"], result["ratios"]))


if __name__ == "__main__":
    main()
