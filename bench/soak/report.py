"""The soak's account: a row per window of time (throughput, latency, memory), and whether memory
grew once the server was warm: a least-squares slope over the readings after the warm-up, so one
high or low reading cannot decide it."""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bench.results import percentile
from bench.soak.clients import FINAL, Recorder
from bench.soak.sampler import ProcessSample

GROWTH_ALLOWED_MB = 10.0
"""Memory may wander by this much over a warm run (allocator arenas, SQLite's page cache)."""
GROWTH_ALLOWED_SHARE = 0.05
"""... or by this share of the warm resident size, whichever is larger."""


@dataclass(frozen=True, slots=True)
class Window:
    """One stretch of the run: request rates, latencies (ms) and the server's state at its end."""

    start_minute: float
    submits_per_s: float
    status_per_s: float
    submit_p50_ms: float
    submit_p99_ms: float
    status_p99_ms: float
    errors: int
    rss_mb: float
    """The API process's resident memory."""
    workers_rss_mb: float
    """All `apiscope worker`s together (0 when the API process runs the jobs)."""
    open_fds: int
    threads: int
    store_mb: float


@dataclass(frozen=True, slots=True)
class Growth:
    """Resident memory after the warm-up: first and last readings, peak, and the fitted trend."""

    warm_rss_mb: float
    last_rss_mb: float
    peak_rss_mb: float
    slope_mb_per_minute: float
    fitted_growth_mb: float
    """The trend over the warm span: slope times minutes."""
    allowed_mb: float

    @property
    def grows(self) -> bool:
        """Whether the trend over the run exceeds what allocator noise explains."""
        return self.fitted_growth_mb > self.allowed_mb


def windows(
    recorder: Recorder,
    samples: Mapping[str, Sequence[ProcessSample]],
    seconds: float,
    width: float = 60.0,
) -> list[Window]:
    """The run cut into `width`-second windows (the last one may be shorter)."""
    rows = []
    start = 0.0
    while start < seconds:
        end = min(start + width, seconds)
        rows.append(_window(recorder, samples, start, end))
        start = end
    return rows


def _window(
    recorder: Recorder, samples: Mapping[str, Sequence[ProcessSample]], start: float, end: float
) -> Window:
    def inside(op: str) -> list[float]:
        return [lat for at, lat in recorder.latencies.get(op, []) if start <= at < end]

    submits, status = inside("submit"), inside("status")
    span = max(end - start, 1e-9)
    last = {name: _last(readings, end) for name, readings in samples.items()}
    api = last.pop("serve")
    return Window(
        start_minute=round(start / 60, 2),
        submits_per_s=round(len(submits) / span, 1),
        status_per_s=round(len(status) / span, 1),
        submit_p50_ms=_ms(submits, 50),
        submit_p99_ms=_ms(submits, 99),
        status_p99_ms=_ms(status, 99),
        errors=sum(start <= at < end for at in recorder.error_times),
        rss_mb=api.rss_mb,
        workers_rss_mb=round(sum(reading.rss_mb for reading in last.values()), 1),
        open_fds=api.open_fds,
        threads=api.threads,
        store_mb=round(api.store_mb, 1),
    )


def _last(readings: Sequence[ProcessSample], end: float) -> ProcessSample:
    """The last reading taken by `end` (the first one if none was)."""
    taken = [r for r in readings if r.at <= end]
    return taken[-1] if taken else readings[0]


def _ms(latencies: list[float], pct: float) -> float:
    return round(1000 * percentile(latencies, pct), 1) if latencies else 0.0


def growth(samples: Sequence[ProcessSample], warmup: float) -> Growth:
    """Memory's trend over the readings taken after `warmup` seconds."""
    warm = [s for s in samples if s.at >= warmup] or list(samples[-2:])
    minutes = [s.at / 60 for s in warm]
    rss = [s.rss_mb for s in warm]
    slope = statistics.linear_regression(minutes, rss).slope if len(warm) > 1 else 0.0
    return Growth(
        warm_rss_mb=rss[0],
        last_rss_mb=rss[-1],
        peak_rss_mb=max(rss),
        slope_mb_per_minute=round(slope, 3),
        fitted_growth_mb=round(slope * (minutes[-1] - minutes[0]), 1),
        allowed_mb=round(max(GROWTH_ALLOWED_MB, GROWTH_ALLOWED_SHARE * rss[0]), 1),
    )


def overall(recorder: Recorder, seconds: float) -> dict[str, object]:
    """Totals over the whole run, per operation: count, rate, p50 and p99 (ms)."""
    ops: dict[str, object] = {}
    for op, timed in sorted(recorder.latencies.items()):
        latencies = [lat for _, lat in timed]
        ops[op] = {
            "requests": len(latencies),
            "per_second": round(len(latencies) / seconds, 1),
            "p50_ms": _ms(latencies, 50),
            "p99_ms": _ms(latencies, 99),
            "errors": recorder.errors[op],
        }
    return ops


def job_account(recorder: Recorder) -> dict[str, int]:
    """Jobs submitted, by the status each was last seen in; 'unfinished' counts the rest."""
    counts = {"submitted": len(recorder.outcomes), "unfinished": 0}
    for status in recorder.outcomes.values():
        key = status if status in FINAL else "unfinished"
        counts[key] = counts.get(key, 0) + 1
    return counts


def markdown(rows: Sequence[Window]) -> str:
    """The windows as a Markdown table: the memory curve beside throughput and latency."""
    lines = [
        "| minute | submits/s | status/s | submit p50 | submit p99 | status p99 "
        "| errors | API RSS | workers RSS | API fds | API threads | SQLite file |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for w in rows:
        lines.append(
            f"| {w.start_minute:g} | {w.submits_per_s:,.1f} | {w.status_per_s:,.1f} "
            f"| {w.submit_p50_ms:,.1f} ms | {w.submit_p99_ms:,.1f} ms | {w.status_p99_ms:,.1f} ms "
            f"| {w.errors} | {w.rss_mb:,.1f} MB | {_mb(w.workers_rss_mb)} | {w.open_fds} "
            f"| {w.threads} "
            f"| {_mb(w.store_mb)} |"
        )
    return "\n".join(lines)


def _mb(value: float) -> str:
    """A size, or a dash where there is nothing to measure (no workers; not a SQLite file)."""
    return f"{value:,.1f} MB" if value else "-"
