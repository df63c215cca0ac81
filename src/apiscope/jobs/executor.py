"""The executor: claims due jobs with a lease, keeps the lease alive, runs the code, records how
it ended. One loop serves `apiscope serve` (in-process) and `apiscope worker` alike.

A job's lease is renewed by one heartbeat loop on the event loop, independent of the job's code,
so a long CPU-heavy step in a thread or process never looks dead. A job whose executor died is
rescued by any executor once its lease has expired.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import socket
from collections import Counter
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta

from apiscope.errors import JobError, LeaseLost, StoreError
from apiscope.jobs.attempts import Attempts
from apiscope.jobs.changes import ChangeHub
from apiscope.jobs.clock import Clock, utcnow
from apiscope.jobs.context import JobContext, stop_reason
from apiscope.jobs.metrics import JobMetrics
from apiscope.jobs.model import Claimed, Job
from apiscope.jobs.registry import JobRegistry
from apiscope.jobs.stores.base import JobStore

log = logging.getLogger("apiscope.jobs")


@dataclass(frozen=True, slots=True)
class ExecutorOptions:
    """How an executor runs jobs."""

    concurrency: int = 4
    lease: timedelta = timedelta(seconds=30)
    poll_interval: float = 2.0
    """Poll for work submitted by other processes (local submissions wake the executor at once);
    with a store that notifies, at least `notified_poll_interval`: only a guard then."""
    notified_poll_interval: float = 15.0
    purge_interval: float = 60.0
    shutdown_grace: float = 10.0
    worker_id: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}")


@dataclass(slots=True)
class _Running:
    context: JobContext
    token: str
    task: asyncio.Task[None] | None = None


class JobExecutor:
    """Runs jobs of the registered kinds from a store, `concurrency` at a time."""

    def __init__(
        self,
        store: JobStore,
        registry: JobRegistry,
        hub: ChangeHub,
        metrics: JobMetrics,
        options: ExecutorOptions,
        *,
        clock: Clock = utcnow,
        notified: bool = False,
    ) -> None:
        self._store = store
        self._registry = registry
        self._hub = hub
        self._metrics = metrics
        self._options = options
        self._clock = clock
        self._running: dict[str, _Running] = {}
        self._stopping = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._pool: ProcessPoolExecutor | None = None
        self._attempts = Attempts(store, registry, hub, metrics, clock)
        self._poll = options.poll_interval
        if notified:
            self._poll = max(options.poll_interval, options.notified_poll_interval)

    # -- lifecycle ------------------------------------------------------------------------------

    def start(self) -> None:
        """Start claiming, heartbeating and maintenance in the background."""
        loops = (self._claim_loop(), self._heartbeat_loop(), self._maintenance_loop())
        self._tasks = [asyncio.create_task(c) for c in loops]

    async def stop(self) -> None:
        """Stop claiming, let running jobs finish within the grace period, release the rest."""
        self._stopping.set()
        self._hub.job_submitted()
        jobs = [r.task for r in self._running.values() if r.task is not None]
        if jobs:
            await asyncio.wait(jobs, timeout=self._options.shutdown_grace)
        await self._release_unfinished()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._pool is not None:
            _terminate(self._pool)

    async def _release_unfinished(self) -> None:
        for job_id, running in list(self._running.items()):
            running.context.stop(LeaseLost("the worker is shutting down", job_id))
            with contextlib.suppress(JobError, StoreError):
                job = await self._store.release(job_id, running.token)
                self._hub.job_changed(job.id, job)
                log.info("released job %s for another executor", job_id)
            if running.task is not None:
                running.task.cancel()

    @property
    def running(self) -> int:
        """How many jobs this executor runs now."""
        return len(self._running)

    def stop_job(self, job_id: str, reason: JobError) -> None:
        """Make a job running here stop at its next call (a local cancel)."""
        running = self._running.get(job_id)
        if running is not None:
            running.context.stop(reason)

    def process_pool(self) -> Executor:
        """The pool for `JobContext.run_in_process`, started on first use."""
        if self._pool is None:
            # forkserver: forking a process that runs threads (ours do) can deadlock its children.
            mp = multiprocessing.get_context("forkserver")
            workers = min(self._options.concurrency, os.cpu_count() or 1)
            self._pool = ProcessPoolExecutor(workers, mp_context=mp)
        return self._pool

    # -- the three loops ------------------------------------------------------------------------

    async def _claim_loop(self) -> None:
        while not self._stopping.is_set():
            kinds, batch = self._claimable()
            claimed = await self._claim(kinds, batch) if batch > 0 else []
            for item in claimed:
                await self._launch(item)
            if len(claimed) < batch or batch == 0:
                await self._hub.wait_for_work(self._poll)

    def _claimable(self) -> tuple[list[str], int]:
        """Kinds below their own concurrency limit, and how many jobs one claim may take so
        that neither the executor's limit nor any of those kinds' limits can be passed."""
        running = Counter(r.context.job.kind for r in self._running.values())
        batch = self._options.concurrency - len(self._running)
        kinds = []
        for kind in self._registry:
            if kind.concurrency is None:
                kinds.append(kind.name)
            elif running[kind.name] < kind.concurrency:
                kinds.append(kind.name)
                batch = min(batch, kind.concurrency - running[kind.name])
        return kinds, batch

    async def _claim(self, kinds: list[str], limit: int) -> list[Claimed]:
        try:
            return await self._store.claim(
                worker_id=self._options.worker_id,
                kinds=kinds,
                limit=limit,
                lease_until=self._clock() + self._options.lease,
            )
        except StoreError as exc:
            log.warning("claiming jobs failed, retrying: %s", exc)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self._options.poll_interval)
            return []

    async def _heartbeat_loop(self) -> None:
        interval = self._options.lease.total_seconds() / 3
        while not self._stopping.is_set():
            await asyncio.sleep(interval)
            for job_id, running in list(self._running.items()):
                await self._heartbeat(job_id, running)

    async def _heartbeat(self, job_id: str, running: _Running) -> None:
        try:
            await self._store.heartbeat(job_id, running.token, self._clock() + self._options.lease)
        except JobError as exc:  # cancelled, taken over, or removed: stop the code
            running.context.stop(_as_stop(exc, job_id))
        except StoreError as exc:
            log.warning("heartbeat for job %s failed: %s", job_id, exc)

    async def _maintenance_loop(self) -> None:
        interval = min(self._options.lease.total_seconds() / 2, 5.0)
        since_purge = self._options.purge_interval
        while not self._stopping.is_set():
            try:
                for job in await self._store.rescue():
                    log.warning("rescued job %s: %s", job.id, job.error or job.message)
                    self._published(job)
                    self._hub.job_submitted()
                if since_purge >= self._options.purge_interval:
                    since_purge = 0.0
                    await self._store.purge()
            except StoreError as exc:
                log.warning("store maintenance failed: %s", exc)
            await asyncio.sleep(interval)
            since_purge += interval

    # -- running one job ------------------------------------------------------------------------

    async def _launch(self, claimed: Claimed) -> None:
        job = claimed.job
        self._published(job)
        # Only a retried job can have checkpoints from an earlier attempt.
        checkpoints = await self._store.load_checkpoints(job.id) if job.attempts > 1 else {}
        context = JobContext(
            job,
            claimed.lease_token,
            self._store,
            checkpoints=checkpoints,
            on_change=self._published,
            process_pool=self.process_pool,
        )
        running = _Running(context, claimed.lease_token)
        self._running[job.id] = running
        running.task = asyncio.create_task(self._run(running), name=f"job-{job.id}")

    async def _run(self, running: _Running) -> None:
        try:
            await self._attempts.run(running.context, running.token)
        finally:
            self._running.pop(running.context.job_id, None)
            self._hub.job_submitted()  # a slot is free: claim again

    def _published(self, job: Job) -> None:
        self._attempts.published(job)


def _terminate(pool: ProcessPoolExecutor) -> None:
    """Stop the pool's processes now, not when their work ends: the jobs they ran were released
    and may already run elsewhere. (A public `terminate_workers` only exists from Python 3.14.)"""
    processes = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()


def _as_stop(exc: JobError, job_id: str) -> JobError:
    return stop_reason(exc, job_id) if isinstance(exc, LeaseLost) else exc
