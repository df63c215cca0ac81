"""What only the DynamoDB store has: the table's schema and upgrades, values in S3, TTL with
tombstones, idempotency items, exact times (the JobStore contract runs in tests/stores)."""

from __future__ import annotations

import math
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from typer.testing import CliRunner

from apiscope.cli import app
from apiscope.errors import ConfigurationError, JobExpired, JobNotFound, StoreError
from apiscope.jobs.model import JobStatus, StepState, StepStatus
from apiscope.jobs.stores import open_store
from apiscope.jobs.stores.base import TOMBSTONE_RETENTION
from apiscope.jobs.stores.dynamodb import DynamoDBStore
from apiscope.jobs.stores.dynamodb.items import epoch
from apiscope.jobs.stores.dynamodb.table import INDEXES, index_definition
from tests.aws.moto_server import client, dynamodb_url
from tests.conftest import FakeClock
from tests.stores.test_contract import LEASE, claim_one, new_job

RETENTION = timedelta(hours=1)
MEGABYTE = "y" * (1024 * 1024)


def dynamodb(endpoint: str) -> Any:
    return client("dynamodb", endpoint)


def table_of(url: str) -> str:
    return url.removeprefix("dynamodb://").split("?")[0]


@pytest.fixture
async def store(
    moto_endpoint: str, moto_bucket: str, clock: FakeClock
) -> AsyncIterator[DynamoDBStore]:
    backend = DynamoDBStore.from_url(
        dynamodb_url(moto_endpoint, moto_bucket), retention=RETENTION, clock=clock
    )
    await backend.upgrade()
    await backend.open()
    yield backend
    await backend.close()


def raw_job(endpoint: str, store: DynamoDBStore, job_id: str, sk: str = "job") -> dict[str, Any]:
    key = {"pk": {"S": job_id}, "sk": {"S": sk}}
    found: dict[str, Any] = dynamodb(endpoint).get_item(TableName=table_of(store.url), Key=key)
    return found.get("Item", {})


async def test_open_without_the_table_says_to_run_db_upgrade(moto_endpoint: str) -> None:
    """A missing table is a one-line StoreError naming the command that creates it."""
    store = DynamoDBStore.from_url(
        dynamodb_url(moto_endpoint), retention=RETENTION, clock=FakeClock()
    )
    with pytest.raises(StoreError, match=r"does not exist: run `apiscope db upgrade`"):
        await store.open()
    await store.close()


def test_db_upgrade_creates_the_table_with_its_indexes_and_ttl(
    moto_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`apiscope db upgrade` creates the table, every index and TTL; running it again is fine."""
    url = dynamodb_url(moto_endpoint)
    monkeypatch.setenv("APISCOPE_STORE", url)
    for _ in range(2):
        result = CliRunner().invoke(app, ["db", "upgrade"])
        assert result.exit_code == 0, result.output
    client = dynamodb(moto_endpoint)
    described = client.describe_table(TableName=table_of(url))["Table"]
    assert sorted(i["IndexName"] for i in described["GlobalSecondaryIndexes"]) == sorted(INDEXES)
    ttl = client.describe_time_to_live(TableName=table_of(url))["TimeToLiveDescription"]
    assert (ttl["TimeToLiveStatus"], ttl["AttributeName"]) == ("ENABLED", "ttl")


async def test_upgrade_adds_the_indexes_an_older_table_lacks(moto_endpoint: str) -> None:
    """A table made before an index existed gets it from `upgrade`; `open` refuses it before."""
    url = dynamodb_url(moto_endpoint)
    dynamodb(moto_endpoint).create_table(
        TableName=table_of(url),
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": a, "AttributeType": t}
            for a, t in (("pk", "S"), ("sk", "S"), ("status", "S"), ("due_at", "N"))
        ],
        GlobalSecondaryIndexes=[index_definition("by_status")],
        BillingMode="PAY_PER_REQUEST",
    )
    store = DynamoDBStore.from_url(url, retention=RETENTION, clock=FakeClock())
    with pytest.raises(StoreError, match="lacks index\\(es\\) by_owner, by_created"):
        await store.open()
    await store.upgrade()
    await store.open()
    await store.close()


async def test_a_large_result_and_checkpoint_live_in_s3_until_the_purge(
    store: DynamoDBStore, clock: FakeClock, moto_endpoint: str, moto_bucket: str
) -> None:
    """Values over the item limit are S3 objects behind a pointer, read back whole, and removed
    with their job."""
    job, _ = await store.submit(new_job(clock))
    c = await claim_one(store, clock)
    done = (StepState("fetch", StepStatus.COMPLETED, 100), StepState("analyse"))
    await store.save_checkpoint(job.id, c.lease_token, "fetch", {"files": MEGABYTE}, done, 50)
    await store.complete(job.id, c.lease_token, {"blob": MEGABYTE})
    assert "s3" in raw_job(moto_endpoint, store, job.id)["result"]["M"]
    s3 = client("s3", moto_endpoint)
    prefix = f"jobs/{job.id}/"
    assert len(s3.list_objects_v2(Bucket=moto_bucket, Prefix=prefix)["Contents"]) == 2
    assert (await store.get(job.id)).result == {"blob": MEGABYTE}
    assert await store.load_checkpoints(job.id) == {"fetch": {"files": MEGABYTE}}

    clock.advance(RETENTION.total_seconds())
    assert await store.purge() == 1
    assert s3.list_objects_v2(Bucket=moto_bucket, Prefix=prefix).get("Contents", []) == []
    assert await store.load_checkpoints(job.id) == {}


async def test_without_a_bucket_a_large_value_is_refused_clearly(
    moto_endpoint: str, clock: FakeClock
) -> None:
    """With no bucket, a value over the item limit is a StoreError saying how to fix it."""
    store = DynamoDBStore.from_url(dynamodb_url(moto_endpoint), retention=RETENTION, clock=clock)
    await store.upgrade()
    with pytest.raises(StoreError, match=r"\?bucket="):
        await store.submit(new_job(clock, params={"huge": MEGABYTE}))
    await store.close()


async def test_finished_jobs_carry_ttl_and_a_tombstone_outlives_the_item(
    store: DynamoDBStore, clock: FakeClock, moto_endpoint: str
) -> None:
    """A finished job's item lapses at its expiry (DynamoDB TTL); its tombstone answers 410 after
    DynamoDB deleted the item, until 30 days later it lapses too."""
    job, _ = await store.submit(new_job(clock))
    assert "ttl" not in raw_job(moto_endpoint, store, job.id)
    cancelled = await store.cancel(job.id)
    assert cancelled.expires_at is not None
    expires = cancelled.expires_at.timestamp()
    assert raw_job(moto_endpoint, store, job.id)["ttl"] == {"N": str(math.ceil(expires))}
    stone = raw_job(moto_endpoint, store, job.id, "tombstone")
    assert stone["ttl"] == {"N": str(math.ceil(expires + TOMBSTONE_RETENTION.total_seconds()))}

    key = {"pk": {"S": job.id}, "sk": {"S": "job"}}
    dynamodb(moto_endpoint).delete_item(TableName=table_of(store.url), Key=key)  # as TTL does
    clock.advance(RETENTION.total_seconds())
    with pytest.raises(JobExpired):
        await store.get(job.id)
    clock.advance(TOMBSTONE_RETENTION.total_seconds())
    with pytest.raises(JobNotFound):
        await store.get(job.id)


async def test_an_idempotency_key_is_free_again_once_its_job_is_purged(
    store: DynamoDBStore, clock: FakeClock
) -> None:
    """The key's own item goes with its job, so the key can start a new job afterwards."""
    first, _ = await store.submit(new_job(clock, idempotency_key="k", fingerprint="f"))
    await store.cancel(first.id)
    clock.advance(RETENTION.total_seconds())
    assert await store.purge() == 1
    again, created = await store.submit(new_job(clock, idempotency_key="k", fingerprint="g"))
    assert created and again.id != first.id


async def test_times_keep_their_microseconds(store: DynamoDBStore, clock: FakeClock) -> None:
    """Times are stored as exact decimals, so a snapshot read back equals the one written."""
    clock.advance(0.123457)
    job, _ = await store.submit(new_job(clock, run_at=clock() + timedelta(microseconds=1)))
    assert await store.get(job.id) == job
    assert epoch(job.created_at)["N"].endswith(".123457")


async def test_claims_skip_a_job_another_executor_took_first(
    store: DynamoDBStore, clock: FakeClock
) -> None:
    """A lost race on a claim skips that job instead of failing the whole claim."""
    jobs = [(await store.submit(new_job(clock)))[0] for _ in range(3)]
    taken = await store.claim_job(jobs[0].id, worker_id="other", lease_until=clock() + LEASE)
    assert taken is not None
    claimed = await store.claim(worker_id="w", kinds=["k"], limit=5, lease_until=clock() + LEASE)
    assert sorted(c.job.id for c in claimed) == sorted(j.id for j in jobs[1:])
    assert (await store.stats()).by_status[JobStatus.PROCESSING] == 3


def test_store_urls_are_checked(moto_endpoint: str) -> None:
    """open_store picks the DynamoDB store by scheme; a malformed URL is a ConfigurationError."""
    url = dynamodb_url(moto_endpoint, table="t")
    assert isinstance(open_store(url), DynamoDBStore)
    for bad in ("dynamodb://", "dynamodb://t/extra", "dynamodb://t?colour=blue"):
        with pytest.raises(ConfigurationError):
            open_store(bad)
