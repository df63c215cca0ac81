"""The job engine: one object an application holds, tying a store, its job kinds, the change
hub, metrics and (optionally) an in-process executor together. The HTTP router, the CLI and the
Lambda handlers all go through it, so submission and visibility rules exist once."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta

from apiscope.errors import ApiscopeError, JobCancelled, JobNotFound, StoreUnavailable
from apiscope.jobs.changes import ChangeHub
from apiscope.jobs.clock import Clock, utcnow
from apiscope.jobs.dispatch import Dispatcher, StoreDispatch
from apiscope.jobs.executor import ExecutorOptions, JobExecutor
from apiscope.jobs.metrics import JobMetrics
from apiscope.jobs.model import Job, JobPage, JobStatus, JsonValue, NewJob
from apiscope.jobs.registry import JobRegistry
from apiscope.jobs.stores import DEFAULT_RETENTION, open_store
from apiscope.jobs.stores.base import ChangeNotifier, JobStore

WATCH_POLL_SECONDS = 1.0
"""How often a watcher re-reads a job in case another process changed it unnoticed."""
NOTIFIED_WATCH_POLL_SECONDS = 30.0
"""The same when the store notifies changes: only a guard against a lost notification."""


def fingerprint(kind: str, params: JsonValue) -> str:
    """A stable digest of a request, to tell a retried submission from a different one."""
    canonical = json.dumps([kind, params], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


class JobEngine:
    """Submit, inspect, follow and cancel jobs; run them when `execute` is on."""

    def __init__(
        self,
        store: JobStore,
        registry: JobRegistry,
        *,
        execute: bool = True,
        options: ExecutorOptions | None = None,
        clock: Clock = utcnow,
        dispatcher: Dispatcher | None = None,
    ) -> None:
        self.store = store
        self.registry = registry
        self.metrics = JobMetrics()
        self.execute = execute
        self.dispatcher: Dispatcher = dispatcher or StoreDispatch()
        """Hands submitted jobs to executors; by default they claim them from the store."""
        self._options = options or ExecutorOptions()
        self._clock = clock
        self._hub: ChangeHub | None = None
        self._executor: JobExecutor | None = None
        self._listener: asyncio.Task[None] | None = None
        self._refreshing: dict[str, asyncio.Task[None]] = {}
        self._stale: set[str] = set()
        """Jobs that changed again while being refreshed: the read under way may predate it."""
        self._watching: Counter[str] = Counter()
        """Watches per job, counting one busy with its last event (the hub sees only waiters)."""
        self._latest: dict[str, Job] = {}
        """The newest refreshed state of each watched job, for a watch that was busy meanwhile."""
        self._reads: dict[str, asyncio.Future[Job]] = {}
        self._watch_poll = WATCH_POLL_SECONDS

    @classmethod
    def from_url(
        cls,
        url: str,
        registry: JobRegistry,
        *,
        retention: timedelta = DEFAULT_RETENTION,
        execute: bool = True,
        options: ExecutorOptions | None = None,
    ) -> JobEngine:
        """An engine on the store a URL names (`sqlite:///jobs.db`, `memory://`)."""
        store = open_store(url, retention=retention)
        return cls(store, registry, execute=execute, options=options)

    # -- lifecycle ------------------------------------------------------------------------------

    async def start(self) -> None:
        """Open the store and, when executing, start the executor."""
        await self.store.open()
        self._hub = ChangeHub()
        notified = isinstance(self.store, ChangeNotifier)
        if isinstance(self.store, ChangeNotifier):
            self._watch_poll = NOTIFIED_WATCH_POLL_SECONDS
            hub = self._hub
            listening = self.store.listen(hub.job_submitted, self._remote_change, hub.wake_all)
            self._listener = asyncio.create_task(listening, name="apiscope-store-listener")
        if self.execute:
            self._executor = JobExecutor(
                self.store,
                self.registry,
                self._hub,
                self.metrics,
                self._options,
                clock=self._clock,
                notified=notified,
            )
            self._executor.start()

    def _remote_change(self, job_id: str) -> None:
        """A job changed somewhere: read it once for all of this process's watchers."""
        if job_id in self._refreshing:
            self._stale.add(job_id)
        elif job_id in self._watching:
            self._refreshing[job_id] = asyncio.create_task(self._refresh(job_id))

    async def _refresh(self, job_id: str) -> None:
        """Read until no change came during the read; the last check and the end of the
        refresh happen with no await between, so no notification falls between them."""
        try:
            while True:
                self._stale.discard(job_id)
                try:
                    job = await self._shared_read(job_id)
                except ApiscopeError:
                    self.hub.job_changed(job_id)  # let the watchers find out for themselves
                    return
                if job_id in self._watching:
                    self._latest[job_id] = job
                self.hub.job_changed(job_id, job)
                if job_id not in self._stale:
                    return
        finally:
            self._refreshing.pop(job_id, None)

    async def stop(self) -> None:
        """Stop the executor gracefully, then close the store."""
        if self._executor is not None:
            await self._executor.stop()
            self._executor = None
        if self._listener is not None:
            self._listener.cancel()
            await asyncio.gather(self._listener, return_exceptions=True)
            self._listener = None
        await self.store.close()

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[JobEngine]:
        """`async with engine.running():` start, and always stop."""
        await self.start()
        try:
            yield self
        finally:
            await self.stop()

    @contextlib.asynccontextmanager
    async def lifespan(self, app: object) -> AsyncIterator[None]:
        """A FastAPI lifespan: `FastAPI(lifespan=engine.lifespan)`."""
        async with self.running():
            yield

    @property
    def clock(self) -> Clock:
        """The engine's time source."""
        return self._clock

    @property
    def hub(self) -> ChangeHub:
        """The change hub (exists once started)."""
        if self._hub is None:
            raise RuntimeError("the job engine is not started")
        return self._hub

    # -- operations -----------------------------------------------------------------------------

    async def submit(
        self,
        kind: str,
        params: JsonValue,
        *,
        owner: str | None = None,
        idempotency_key: str | None = None,
    ) -> tuple[Job, bool]:
        """Validate and store a job; returns it and whether it is new (False: idempotent repeat).

        Raises `UnknownJobKind`, `pydantic.ValidationError` for bad parameters, and
        `IdempotencyConflict` when the key was used for a different request.
        """
        job_kind = self.registry[kind]
        params = job_kind.validate(params)
        now = self._clock()
        new = NewJob(
            id=str(uuid.uuid4()),
            kind=kind,
            params=params,
            max_attempts=job_kind.retry.max_attempts,
            run_at=now,
            created_at=now,
            owner=owner,
            idempotency_key=idempotency_key,
            fingerprint=fingerprint(kind, params) if idempotency_key else None,
            steps=job_kind.initial_steps(),
        )
        job, created = await self.store.submit(new)
        if created:
            self.metrics.submitted.labels(kind).inc()
            self.hub.job_submitted()
        if created or job.status is JobStatus.PENDING:  # a repeat may follow a failed dispatch
            await self.dispatcher.dispatch(job)
        return job, created

    async def get(self, job_id: str, *, owner: str | None = None) -> Job:
        """The job, if `owner` may see it; another owner's job is `JobNotFound`, as unknown."""
        job = await self.store.get(job_id)
        if owner is not None and job.owner != owner:
            raise JobNotFound("Job not found", job_id)
        return job

    async def list(
        self,
        *,
        owner: str | None,
        limit: int = 20,
        cursor: str | None = None,
        status: JobStatus | None = None,
        kind: str | None = None,
    ) -> JobPage:
        """The caller's jobs, newest first."""
        return await self.store.list_jobs(
            owner=owner, limit=limit, cursor=cursor, status=status, kind=kind
        )

    async def cancel(self, job_id: str, *, owner: str | None = None) -> Job:
        """Cancel a pending or running job; `InvalidTransition` if it already finished."""
        await self.get(job_id, owner=owner)
        job = await self.store.cancel(job_id)
        if self._executor is not None:
            self._executor.stop_job(job_id, JobCancelled("Job was cancelled", job_id))
        self.hub.job_changed(job_id, job)
        self.metrics.observe_finished(job)
        return job

    async def watch(
        self, job_id: str, *, owner: str | None = None, first: Job | None = None
    ) -> AsyncIterator[Job]:
        """Yield the job now and after every change, ending after a final state; `first` is
        the job as the caller just read it for this owner, which saves reading it again."""
        self._watching[job_id] += 1
        try:
            job = first if first is not None else await self.get(job_id, owner=owner)
            yield job
            while not job.is_terminal:
                latest = self._latest.get(job_id)
                if latest is None or latest.version <= job.version:
                    latest = await self.hub.next_change(job_id, self._watch_poll)
                if latest is None:
                    try:
                        latest = await self._shared_read(job_id)
                    except StoreUnavailable:
                        continue  # a store blip must not end every stream: wait and look again
                if owner is not None and latest.owner != owner:
                    raise JobNotFound("Job not found", job_id)
                if latest.version > job.version:
                    job = latest
                    yield job
        finally:
            self._unwatch(job_id)

    def _unwatch(self, job_id: str) -> None:
        self._watching[job_id] -= 1
        if self._watching[job_id] <= 0:
            del self._watching[job_id]
            self._latest.pop(job_id, None)

    async def _shared_read(self, job_id: str) -> Job:
        """One store read per job at a time, shared by all the watchers that want it, so many
        watchers of one job cost one read, not one each."""
        read = self._reads.get(job_id)
        if read is None:
            read = asyncio.ensure_future(self.store.get(job_id))
            self._reads[job_id] = read
            read.add_done_callback(lambda done: self._read_done(job_id, done))
        return await asyncio.shield(read)

    def _read_done(self, job_id: str, read: asyncio.Future[Job]) -> None:
        self._reads.pop(job_id, None)
        if not read.cancelled():
            read.exception()  # retrieved here, so a read its watchers left is not logged

    async def wait(self, job_id: str, timeout: float, *, owner: str | None = None) -> Job:
        """The job once finished, or as it is after `timeout` seconds."""
        latest = await self.get(job_id, owner=owner)
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                async for job in self.watch(job_id, owner=owner):
                    latest = job
        return latest
