"""The account of a fault run: what the store says about every submitted job, and what the
execution log says about every time one ran."""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from apiscope.errors import JobExpired, JobNotFound, StoreError
from apiscope.jobs import JobStatus
from apiscope.jobs.model import Job
from apiscope.jobs.stores.base import JobStore
from bench.jobkinds import fault_result

FINAL = (JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED)


@dataclass
class Tally:
    """Every submitted job counted once by its state at the end; `lost` are jobs the store
    does not have or never ran to a final state, `stuck` those left processing."""

    submitted: int = 0
    completed: int = 0
    failed: int = 0
    cancelled: int = 0
    lost: int = 0
    stuck: int = 0
    different_results: int = 0
    executions: int = 0
    duplicate_executions: int = 0
    taken_over: int = 0
    """Jobs that needed more than one attempt: their run was cut short by a fault."""
    finished_after_last_fault: int = 0
    """The backlog the last fault left: jobs that became final after it."""
    resumed_seconds: float | None = None
    """From the last fault to the first job finishing after it."""
    last_finished: datetime | None = None
    failure_reasons: dict[str, int] = field(default_factory=dict)


def read_executions(log: Path) -> dict[str, list[str]]:
    """Job id → the result of each of its executions, in log order."""
    runs: dict[str, list[str]] = defaultdict(list)
    if log.exists():
        for line in log.read_text().splitlines():
            job_id, _, result = line.partition(" ")
            runs[job_id].append(result)
    return runs


async def final_count(store: JobStore) -> tuple[int, int]:
    """(jobs in a final state, jobs pending or processing) per the store's counts."""
    by_status = (await store.stats()).by_status
    final = sum(by_status.get(s, 0) for s in FINAL)
    open_ = by_status.get(JobStatus.PENDING, 0) + by_status.get(JobStatus.PROCESSING, 0)
    return final, open_


async def wait_all_final(
    store: JobStore, expected: int, timeout: float, pause: float = 0.1
) -> float | None:
    """The monotonic time when `expected` jobs were final and none open, asking every `pause`
    seconds; None on timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            final, open_ = await final_count(store)
        except StoreError:  # the database is restarting: ask again
            final, open_ = 0, 1
        if final >= expected and open_ == 0:
            return time.monotonic()
        await asyncio.sleep(pause)
    return None


async def tally(
    store: JobStore, ids: dict[str, int], log: Path, last_fault: datetime | None
) -> Tally:
    """Count every submitted job (id → job number) by its final state and its executions."""
    runs = read_executions(log)
    counts = Tally(submitted=len(ids))
    for job_id, n in ids.items():
        try:
            job = await store.get(job_id)
        except (JobNotFound, JobExpired):
            counts.lost += 1
            continue
        _count_state(counts, job)
        _count_timing(counts, job, last_fault)
        results = runs.get(job_id, [])
        counts.executions += len(results)
        counts.duplicate_executions += max(0, len(results) - 1)
        if _diverged(job, results, fault_result(n)):
            counts.different_results += 1
    return counts


def _count_state(counts: Tally, job: Job) -> None:
    if job.status is JobStatus.COMPLETED:
        counts.completed += 1
    elif job.status is JobStatus.FAILED:
        counts.failed += 1
        reason = job.error or "?"
        counts.failure_reasons[reason] = counts.failure_reasons.get(reason, 0) + 1
    elif job.status is JobStatus.CANCELLED:
        counts.cancelled += 1
    elif job.status is JobStatus.PROCESSING:
        counts.stuck += 1
    else:  # still pending at the end: submitted, never finished
        counts.lost += 1


def _count_timing(counts: Tally, job: Job, last_fault: datetime | None) -> None:
    counts.taken_over += job.attempts > 1
    finished = job.finished_at
    if finished is not None and (counts.last_finished is None or finished > counts.last_finished):
        counts.last_finished = finished
    if last_fault is None or finished is None or finished <= last_fault:
        return
    counts.finished_after_last_fault += 1
    after = round((finished - last_fault).total_seconds(), 2)
    earliest = counts.resumed_seconds
    counts.resumed_seconds = after if earliest is None else min(after, earliest)


def _diverged(job: Job, results: list[str], expected: str) -> bool:
    """Whether runs of one job disagree, or the stored result is not what the runs produced."""
    if any(result != expected for result in results):
        return True
    stored = job.result.get("result") if isinstance(job.result, dict) else None
    return job.status is JobStatus.COMPLETED and stored != expected
