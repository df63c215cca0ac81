"""One job's items, read and written as blocking calls: the read-transition-conditional-write
loop, creation with an idempotency key, and removal after expiry.

A write holds only if the job's `version` and lease end are still those read (a heartbeat moves
the lease without a new version); a lost race reads again and re-applies the transition.
Finishing writes, in the same transaction, the tombstone that answers 410 after the job lapses,
and lets the job's idempotency key lapse with it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from apiscope.errors import IdempotencyConflict, JobError, JobExpired, JobNotFound, StoreUnavailable
from apiscope.jobs import transitions
from apiscope.jobs.clock import Clock
from apiscope.jobs.model import Job, JsonValue, NewJob
from apiscope.jobs.stores.codec import dumps
from apiscope.jobs.stores.dynamodb import items
from apiscope.jobs.stores.dynamodb.blobs import Blobs
from apiscope.jobs.stores.dynamodb.items import Item
from apiscope.jobs.stores.dynamodb.requests import Conflict, Table, update_request
from apiscope.jobs.stores.guarded import Change

MAX_CONFLICTS = 25
Write = dict[str, Any]
"""One write of a TransactWriteItems request."""
Extra = Callable[[Job], list[Write]]
"""Further writes for a transaction, given the job as it will be written."""
_CHECKPOINTS = (items.CHECKPOINT, items.CHECKPOINT + "\uffff")


def _no_extra(job: Job) -> list[Write]:
    return []


class JobRecords:
    """The job items of one table (values too large for an item go to `blobs`)."""

    def __init__(self, table: Table, blobs: Blobs, clock: Clock, retention: timedelta) -> None:
        self.table = table
        self.blobs = blobs
        self._clock = clock
        self._retention = retention

    def read(self, job_id: str) -> tuple[Item, Job]:
        """The job item and its job; `JobExpired` past its expiry or for a tombstone."""
        found = self.table.partition(job_id, items.JOB, items.TOMBSTONE) if job_id else {}
        now = self._clock()
        if items.JOB in found:
            job = self.job(found[items.JOB])
            return found[items.JOB], transitions.ensure_not_expired(job, now)
        stone = found.get(items.TOMBSTONE)
        if stone is not None and items.from_epoch(stone["lapses_at"]) > now:
            raise JobExpired("Job expired", job_id)
        raise JobNotFound("Job not found", job_id)

    def job(self, item: Item) -> Job:
        """The job an item holds, with its large values fetched."""
        return items.to_job(item, self.blobs.decode)

    def checkpoints(self, job_id: str) -> dict[str, Item]:
        """The job's checkpoint items by sort key."""
        return self.table.partition(job_id, *_CHECKPOINTS)

    def checkpoint_write(self, job_id: str, step: str, output: JsonValue) -> Write:
        """The write that stores a step's output (lapsing after the retention on its own)."""
        stored = self.blobs.encode(job_id, dumps(output))
        item = items.checkpoint(job_id, step, stored, self._clock() + self._retention)
        return {"Put": {"TableName": self.table.name, "Item": item}}

    # -- transitions ----------------------------------------------------------------------------

    def write(self, item: Item, before: Job, after: Job, extra: Extra = _no_extra) -> Job:
        """Write `after` over `before` if the item is still as read; `Conflict` otherwise."""
        changes = items.changed(before, after, self.blobs.encode)
        writes = extra(after) + self._finishing(before, after)
        if not changes and not writes:
            return after
        changes = changes or {"version": item["version"]}  # an update needs something to set
        guard = {"version": item["version"], "lease_expires_at": item.get("lease_expires_at", {})}
        request = update_request(self.table.name, items.key(after.id, items.JOB), changes, guard)
        self.table.write(request, *writes)
        return after

    def _finishing(self, before: Job, after: Job) -> list[Write]:
        """On finishing: the tombstone, and the idempotency key lapsing with the job."""
        if after.expires_at is None or before.expires_at is not None:
            return []
        writes: list[Write] = [
            {"Put": {"TableName": self.table.name, "Item": items.tombstone(after)}}
        ]
        if after.idempotency_key is not None:
            pk = items.idempotency_pk(after.owner, after.idempotency_key)
            update = {
                "TableName": self.table.name,
                "Key": items.key(pk, items.IDEMPOTENCY),
                "UpdateExpression": "SET #ttl = :ttl",
                "ExpressionAttributeNames": {"#ttl": items.TTL},
                "ExpressionAttributeValues": {":ttl": items.ttl(after.expires_at)},
            }
            writes.append({"Update": update})
        return writes

    def apply(self, job_id: str, change: Change, extra: Extra = _no_extra) -> Job:
        """Read, transition, conditional write; again from the read after a lost race."""
        for _ in range(MAX_CONFLICTS):
            item, before = self.read(job_id)
            try:
                return self.write(item, before, change(before, self._clock()), extra)
            except Conflict:
                continue
        raise StoreUnavailable(f"job {job_id} kept changing while being written; try again")

    def take(self, job_id: str, change: Callable[[Job], Job | None]) -> Job | None:
        """Apply `change` to a job an index named, if it still applies; None after a lost race
        (someone else took the job) or when `change` declines."""
        try:
            item, job = self.read(job_id)
        except JobError:
            return None
        after = change(job)
        if after is None:
            return None
        try:
            return self.write(item, job, after)
        except Conflict:
            return None

    # -- creation and removal -------------------------------------------------------------------

    def submit(self, new: NewJob) -> tuple[Job, bool]:
        """Create the job; with an idempotency key, its key item in the same transaction."""
        job = transitions.created(new)
        item = items.job_item(job, self.blobs.encode)
        if new.idempotency_key is None:
            self.table.put(item, condition="attribute_not_exists(pk)")
            return job, True
        key = items.key(items.idempotency_pk(new.owner, new.idempotency_key), items.IDEMPOTENCY)
        for _ in range(MAX_CONFLICTS):
            try:
                self.table.transact(self._new(item), self._new(key | {"job_id": {"S": job.id}}))
                return job, True
            except Conflict:
                existing = self._key_holder(key)
            if existing is not None:
                if existing.fingerprint != new.fingerprint:
                    raise IdempotencyConflict(
                        "Idempotency-Key already used for a different request", existing.id
                    )
                return existing, False
        raise StoreUnavailable("an idempotency key kept changing while being written; try again")

    def _new(self, item: Item) -> Write:
        """A transaction's write of an item that must not exist yet."""
        condition = "attribute_not_exists(pk)"
        return {
            "Put": {"TableName": self.table.name, "Item": item, "ConditionExpression": condition}
        }

    def _key_holder(self, key: Item) -> Job | None:
        """The job holding an idempotency key; None once the key is free (its job is gone: the
        stale key item is then removed, so the next attempt can take the key)."""
        held = self.table.get(key)
        if held is None:
            return None
        holder = held.get("job_id", {}).get("S")
        job_item = self.table.get(items.key(holder, items.JOB)) if holder else None
        if job_item is not None:
            return self.job(job_item)
        names = {"#job": "job_id"}
        if holder:
            condition, values = "#job = :job", {":job": {"S": holder}}
        else:
            condition, values = "attribute_not_exists(#job)", {}
        expression: dict[str, Any] = {"ExpressionAttributeNames": names}
        if values:
            expression["ExpressionAttributeValues"] = values
        with contextlib.suppress(Conflict):  # someone else freed it first
            self.table.delete(key, condition=condition, **expression)
        return None

    def drop(self, job_id: str, now: datetime) -> bool:
        """Delete an expired job with its checkpoints, idempotency key and S3 objects; its
        tombstone stays until it lapses. False if the job is not (or no longer) expired."""
        item = self.table.get(items.key(job_id, items.JOB))
        if item is None or "expires_at" not in item or items.from_epoch(item["expires_at"]) > now:
            return False
        guard = {"ExpressionAttributeNames": {"#v": "version"}}
        values = {"ExpressionAttributeValues": {":v": item["version"]}}
        try:
            self.table.delete(items.key(job_id, items.JOB), condition="#v = :v", **guard, **values)
        except Conflict:
            return False
        if "idempotency_key" in item:
            owner = item.get("owner", {}).get("S")
            pk = items.idempotency_pk(owner, item["idempotency_key"]["S"])
            self._key_holder(items.key(pk, items.IDEMPOTENCY))
        self.table.delete_many([items.key(job_id, sk) for sk in self.checkpoints(job_id)])
        self.blobs.delete_job(job_id)
        return True
