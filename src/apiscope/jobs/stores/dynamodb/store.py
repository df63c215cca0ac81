"""The DynamoDB store: the job store of the AWS serverless shapes (Lambda, SQS, Step Functions).

Every transition reads the job, applies the shared pure transition and writes it back on
condition that nobody wrote in between (see `records.py`); claims, rescues and purges walk the
`by_status` index and just skip a job someone else took. Reads treat a job past its expiry as
expired at once, as DynamoDB's TTL deletes it only within a day or two. boto3 blocks, so each
operation runs whole on a small thread pool: one thread hop per operation, not per request.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable, Collection
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any, TypeVar

from apiscope.jobs import transitions
from apiscope.jobs.clock import Clock, utcnow
from apiscope.jobs.model import (
    TERMINAL_STATUSES,
    Claimed,
    Job,
    JobPage,
    JobStatus,
    JsonValue,
    NewJob,
    ProgressUpdate,
    StepState,
    StoreStats,
)
from apiscope.jobs.stores.dynamodb import items, table
from apiscope.jobs.stores.dynamodb.blobs import Blobs
from apiscope.jobs.stores.dynamodb.connection import DynamoDBLocation, translated
from apiscope.jobs.stores.dynamodb.listing import Listing, due_query
from apiscope.jobs.stores.dynamodb.records import JobRecords
from apiscope.jobs.stores.dynamodb.requests import Table
from apiscope.jobs.stores.guarded import Change, GuardedTransitions

T = TypeVar("T")
PURGE_BATCH = 500


class DynamoDBStore(GuardedTransitions):
    """A `JobStore` in one DynamoDB table (plus an S3 bucket for large values)."""

    def __init__(
        self,
        location: DynamoDBLocation,
        *,
        retention: timedelta = timedelta(days=7),
        clock: Clock = utcnow,
        threads: int = 16,
    ) -> None:
        self.url = location.url
        self._where = f"DynamoDB table {location.table}"
        self._retention = retention
        self._clock = clock
        self._table = Table(location.client("dynamodb"), location.table)
        s3 = location.client("s3") if location.bucket else None
        self._records = JobRecords(self._table, Blobs(s3, location.bucket), clock, retention)
        self._listing = Listing(self._table, clock)
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix="apiscope-dynamodb")

    @classmethod
    def from_url(cls, url: str, *, retention: timedelta, clock: Clock) -> DynamoDBStore:
        """`dynamodb://table?region=...&endpoint_url=...&bucket=...`."""
        return cls(DynamoDBLocation.parse(url), retention=retention, clock=clock)

    async def _run(self, fn: Callable[..., T], *args: Any) -> T:
        def call() -> T:
            with translated(self._where):
                return fn(*args)

        return await asyncio.get_running_loop().run_in_executor(self._pool, call)

    # -- schema ---------------------------------------------------------------------------------

    async def upgrade(self) -> None:
        """Create the table with its indexes and TTL, or add what an older one lacks."""
        await self._run(table.upgrade, self._table.client, self._table.name)

    async def open(self) -> None:
        """Check the table exists with every index."""
        await self._run(table.check, self._table.client, self._table.name)

    async def close(self) -> None:
        """Stop the threads."""
        self._pool.shutdown(wait=True)

    # -- reads ----------------------------------------------------------------------------------

    async def get(self, job_id: str) -> Job:
        return (await self._run(self._records.read, job_id))[1]

    async def list_jobs(
        self,
        *,
        owner: str | None,
        limit: int,
        cursor: str | None = None,
        status: JobStatus | None = None,
        kind: str | None = None,
    ) -> JobPage:
        def page() -> JobPage:
            ids, more = self._listing.ids(owner, limit, cursor, status, kind)
            keys = [items.key(i, items.JOB) for i in ids]
            found = {i["pk"]["S"]: i for i in self._table.batch_get(keys)}
            jobs = tuple(self._records.job(found[i]) for i in ids if i in found)
            return self._listing.page(jobs, more)

        return await self._run(page)

    async def load_checkpoints(self, job_id: str) -> dict[str, JsonValue]:
        def load() -> dict[str, JsonValue]:
            decode = self._records.blobs.decode
            return {
                sk.removeprefix(items.CHECKPOINT): json.loads(decode(item["output"]))
                for sk, item in self._records.checkpoints(job_id).items()
            }

        return await self._run(load)

    async def stats(self) -> StoreStats:
        def count() -> StoreStats:
            by_status = {s: self._table.count(due_query(s, None)) for s in JobStatus}
            due = self._table.count(due_query(JobStatus.PENDING, self._clock()))
            return StoreStats(by_status, due)

        return await self._run(count)

    # -- writes ---------------------------------------------------------------------------------

    async def _transition(self, job_id: str, change: Change) -> Job:
        return await self._run(self._records.apply, job_id, change)

    async def save_checkpoint(
        self,
        job_id: str,
        token: str,
        step: str,
        output: JsonValue,
        steps: tuple[StepState, ...],
        progress: int,
    ) -> Job:
        def save() -> Job:
            put = [self._records.checkpoint_write(job_id, step, output)]
            update = ProgressUpdate(progress, steps=steps)
            return self._records.apply(
                job_id,
                lambda job, now: transitions.progressed(job, token, now, update),
                lambda _: put,
            )

        return await self._run(save)

    async def submit(self, new: NewJob) -> tuple[Job, bool]:
        return await self._run(self._records.submit, new)

    # -- claims and maintenance -----------------------------------------------------------------

    async def claim(
        self, *, worker_id: str, kinds: Collection[str], limit: int, lease_until: datetime
    ) -> list[Claimed]:
        kinds = frozenset(kinds)
        if not kinds or limit <= 0:
            return []
        token = uuid.uuid4().hex

        def claimed(job: Job) -> Job | None:
            now = self._clock()
            if job.kind not in kinds or not transitions.is_due(job, now):
                return None
            return transitions.claimed(job, token, now, lease_until)

        def run() -> list[Claimed]:
            taken: list[Claimed] = []
            for entry in self._table.query(self._listing.due(kinds)):
                job = self._records.take(entry["pk"]["S"], claimed)
                if job is not None:
                    taken.append(Claimed(job, token))
                if len(taken) >= limit:
                    break
            return taken

        return await self._run(run)

    async def rescue(self) -> list[Job]:
        def rescued(job: Job) -> Job | None:
            now = self._clock()
            if not transitions.lease_expired(job, now):
                return None
            return transitions.rescued(job, now, self._retention)

        def run() -> list[Job]:
            query = due_query(JobStatus.PROCESSING, self._clock())
            found = (self._records.take(e["pk"]["S"], rescued) for e in self._table.query(query))
            return [job for job in found if job is not None]

        return await self._run(run)

    async def purge(self) -> int:
        def run() -> int:
            now = self._clock()
            purged = 0
            for status in TERMINAL_STATUSES:
                for entry in self._table.query(due_query(status, now)):
                    purged += self._records.drop(entry["pk"]["S"], now)
                    if purged >= PURGE_BATCH:
                        return purged
            return purged

        return await self._run(run)
