"""Jobs as DynamoDB items, and the table's other items, in the low-level attribute-value form.

One table holds, under the job's id as partition key: the job (`sk = "job"`), its step
checkpoints (`sk = "checkpoint#STEP"`) and its tombstone (`sk = "tombstone"`), written when the
job finishes and kept 30 days past its expiry so the id answers 410, not 404. An idempotency key
is an item of its own, `idem#OWNER#KEY`. Times are exact decimal epoch seconds; JSON values are
text, or a pointer to S3 when large (see `blobs.py`). A few derived attributes key the indexes
(see `table.py`), and `ttl` (whole epoch seconds) lets DynamoDB delete the item when it lapses.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from apiscope.jobs.model import Job, JobStatus, StepState
from apiscope.jobs.stores.base import TOMBSTONE_RETENTION
from apiscope.jobs.stores.codec import COLUMNS, TIME_COLUMNS, dumps

AttributeValue = dict[str, Any]
Item = dict[str, AttributeValue]
EncodeJson = Callable[[str, str], AttributeValue]
"""(job id, JSON text) → the attribute value holding it (inline, or a pointer to S3)."""
DecodeJson = Callable[[AttributeValue], str]
"""Inverse of `EncodeJson`."""

JOB = "job"
TOMBSTONE = "tombstone"
CHECKPOINT = "checkpoint#"
IDEMPOTENCY = "idem"
LISTING = "job"
"""The one partition of the `by_created` index (listing every owner's jobs)."""
TTL = "ttl"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICRO = timedelta(microseconds=1)
_STRINGS = frozenset(
    {"id", "kind", "message", "error", "owner", "idempotency_key", "fingerprint", "lease_token"}
)
_INTEGERS = frozenset({"progress", "attempts", "max_attempts", "version"})
_JSON = frozenset({"params", "result", "partial"})


def epoch(value: datetime) -> AttributeValue:
    """A time as exact decimal epoch seconds."""
    micros = (value - _EPOCH) // _MICRO
    return {"N": f"{micros // 1_000_000}.{micros % 1_000_000:06d}"}


def from_epoch(value: AttributeValue) -> datetime:
    """Inverse of `epoch`."""
    return _EPOCH + _MICRO * int(Decimal(value["N"]) * 1_000_000)


def ttl(value: datetime) -> AttributeValue:
    """Whole epoch seconds, rounded up, for DynamoDB's TTL (which never deletes early)."""
    return {"N": str(math.ceil((value - _EPOCH) / timedelta(seconds=1)))}


def created_key(created_at: datetime, job_id: str) -> str:
    """Sort key of the listing indexes: newest first is descending (created_at, id)."""
    return f"{(created_at - _EPOCH) // _MICRO:017d}#{job_id}"


def idempotency_pk(owner: str | None, key: str) -> str:
    """The idempotency item's key; an absent owner is the empty one, as in the SQL stores."""
    return f"{IDEMPOTENCY}#{quote(owner or '', safe='')}#{quote(key, safe='')}"


def key(pk: str, sk: str) -> Item:
    """A primary key."""
    return {"pk": {"S": pk}, "sk": {"S": sk}}


def encode_field(job: Job, column: str, encode_json: EncodeJson) -> AttributeValue | None:
    """One field's attribute value; None means the attribute is absent."""
    value = getattr(job, column)
    if value is None:
        return None
    if column in TIME_COLUMNS:
        return epoch(value)
    if column in _INTEGERS:
        return {"N": str(value)}
    if column == "status":
        return {"S": value.value}
    if column == "steps":
        return {"S": dumps([s.to_json() for s in value])}
    if column in _JSON:
        return encode_json(job.id, dumps(value))
    return {"S": value}


def _due_at(job: Job) -> datetime | None:
    """When the store next acts on the job: claim it, rescue it, or drop it after expiry."""
    if job.status is JobStatus.PENDING:
        return job.run_at
    if job.status is JobStatus.PROCESSING:
        return job.lease_expires_at or job.run_at
    return job.expires_at


def derived(job: Job) -> dict[str, AttributeValue | None]:
    """The attributes that key the indexes and the TTL, from the job's fields."""
    due = _due_at(job)
    return {
        "due_at": None if due is None else epoch(due),
        "owner_key": None if job.owner is None else {"S": f"owner#{job.owner}"},
        "created_key": {"S": created_key(job.created_at, job.id)},
        "listing": {"S": LISTING},
        TTL: None if job.expires_at is None else ttl(job.expires_at),
    }


def job_item(job: Job, encode_json: EncodeJson) -> Item:
    """The whole item of a new job."""
    values = {c: encode_field(job, c, encode_json) for c in COLUMNS} | derived(job)
    return key(job.id, JOB) | {k: v for k, v in values.items() if v is not None}


def changed(before: Job, after: Job, encode_json: EncodeJson) -> dict[str, AttributeValue | None]:
    """Only the attributes a transition changed (None: remove it), so large values that did
    not change are neither re-encoded nor uploaded again."""
    fields = {
        c: encode_field(after, c, encode_json)
        for c in COLUMNS
        if getattr(before, c) != getattr(after, c)
    }
    old, new = derived(before), derived(after)
    return fields | {k: v for k, v in new.items() if v != old[k]}


def _decode(column: str, value: AttributeValue, decode_json: DecodeJson) -> Any:
    if column in TIME_COLUMNS:
        return from_epoch(value)
    if column in _INTEGERS:
        return int(value["N"])
    if column == "status":
        return JobStatus(value["S"])
    if column == "steps":
        return tuple(StepState.from_json(s) for s in json.loads(value["S"]))
    if column in _JSON:
        return json.loads(decode_json(value))
    return value["S"]


def to_job(item: Mapping[str, AttributeValue], decode_json: DecodeJson) -> Job:
    """The job a job item holds."""
    fields: dict[str, Any] = {
        c: _decode(c, item[c], decode_json) if c in item else None for c in COLUMNS
    }
    return Job(**fields)


def tombstone(job: Job) -> Item:
    """The record that the job existed, answering 410 until 30 days past its expiry."""
    assert job.expires_at is not None
    lapses = job.expires_at + TOMBSTONE_RETENTION
    return key(job.id, TOMBSTONE) | {"lapses_at": epoch(lapses), TTL: ttl(lapses)}


def checkpoint(job_id: str, step: str, output: AttributeValue, lapses: datetime) -> Item:
    """A finished step's output; needed only until the job ends, so it lapses on its own."""
    return key(job_id, CHECKPOINT + step) | {"output": output, TTL: ttl(lapses)}
