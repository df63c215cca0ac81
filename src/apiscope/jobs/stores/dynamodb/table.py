"""The table's schema, written once: `apiscope db upgrade` creates it from here, `open` checks
it, and deploy/aws/template.yaml declares the same (a test compares them).

Indexes, each keyed by attributes that `items.derived` computes:

- `by_status` (status, due_at): due pending jobs for claims (`due_at` is `run_at`), expired
  leases for rescue (the lease's end), expired finished jobs for purge (their expiry); counts.
- `by_owner` (owner_key, created_key): one caller's jobs, newest first.
- `by_created` (listing, created_key): every job, newest first. One partition takes about
  1,000 writes a second, far more job submissions than this service sees.

Indexes project only what their filters read; pages are then read from the table itself, so
frequent progress writes never rewrite index entries.
"""

from __future__ import annotations

import time
from typing import Any

from apiscope.errors import StoreError
from apiscope.jobs.stores.dynamodb.connection import Client, ClientError, error_code
from apiscope.jobs.stores.dynamodb.items import TTL

KEY_SCHEMA = [
    {"AttributeName": "pk", "KeyType": "HASH"},
    {"AttributeName": "sk", "KeyType": "RANGE"},
]
ATTRIBUTES = {
    "pk": "S", "sk": "S", "status": "S", "due_at": "N",
    "owner_key": "S", "listing": "S", "created_key": "S",
}  # fmt: skip
INDEXES: dict[str, tuple[str, str, list[str]]] = {
    "by_status": ("status", "due_at", ["kind"]),
    "by_owner": ("owner_key", "created_key", ["status", "kind", "expires_at"]),
    "by_created": ("listing", "created_key", ["status", "kind", "expires_at"]),
}
"""Index name → (partition key, sort key, projected attributes besides the keys)."""
INDEX_POLL_SECONDS = 5.0


def index_definition(name: str) -> dict[str, Any]:
    """One global secondary index as CreateTable and UpdateTable take it."""
    partition, sort, projected = INDEXES[name]
    return {
        "IndexName": name,
        "KeySchema": [
            {"AttributeName": partition, "KeyType": "HASH"},
            {"AttributeName": sort, "KeyType": "RANGE"},
        ],
        "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": projected},
    }


def table_definition(table: str) -> dict[str, Any]:
    """CreateTable's arguments: on-demand billing, the key and every index."""
    return {
        "TableName": table,
        "KeySchema": KEY_SCHEMA,
        "AttributeDefinitions": [
            {"AttributeName": n, "AttributeType": t} for n, t in ATTRIBUTES.items()
        ],
        "GlobalSecondaryIndexes": [index_definition(n) for n in INDEXES],
        "BillingMode": "PAY_PER_REQUEST",
    }


def _describe(client: Client, table: str) -> dict[str, Any] | None:
    try:
        found: dict[str, Any] = client.describe_table(TableName=table)["Table"]
    except ClientError as exc:
        if error_code(exc) == "ResourceNotFoundException":
            return None
        raise
    return found


def _missing_indexes(description: dict[str, Any]) -> list[str]:
    present = {i["IndexName"] for i in description.get("GlobalSecondaryIndexes", [])}
    return [name for name in INDEXES if name not in present]


def check(client: Client, table: str) -> None:
    """`StoreError` unless the table exists with every index, saying what to run."""
    description = _describe(client, table)
    if description is None:
        raise StoreError(f"DynamoDB table {table} does not exist: run `apiscope db upgrade`")
    missing = _missing_indexes(description)
    if missing:
        raise StoreError(
            f"DynamoDB table {table} lacks index(es) {', '.join(missing)}: "
            "run `apiscope db upgrade`"
        )


def upgrade(client: Client, table: str) -> None:
    """Create the table, add missing indexes (one at a time, as DynamoDB allows) and turn on
    TTL; safe to run again, and alongside another upgrade."""
    if _describe(client, table) is None:
        try:
            client.create_table(**table_definition(table))
        except ClientError as exc:
            if error_code(exc) != "ResourceInUseException":  # another upgrade created it
                raise
        client.get_waiter("table_exists").wait(TableName=table)
    for name in _missing_indexes(_describe(client, table) or {}):
        partition, sort, _ = INDEXES[name]
        client.update_table(
            TableName=table,
            AttributeDefinitions=[
                {"AttributeName": a, "AttributeType": ATTRIBUTES[a]} for a in (partition, sort)
            ],
            GlobalSecondaryIndexUpdates=[{"Create": index_definition(name)}],
        )
        _wait_for_indexes(client, table)
    _enable_ttl(client, table)


def _wait_for_indexes(client: Client, table: str) -> None:
    while True:
        description = _describe(client, table) or {}
        indexes = description.get("GlobalSecondaryIndexes", [])
        if all(i.get("IndexStatus", "ACTIVE") == "ACTIVE" for i in indexes):
            return
        time.sleep(INDEX_POLL_SECONDS)


def _enable_ttl(client: Client, table: str) -> None:
    status = client.describe_time_to_live(TableName=table)["TimeToLiveDescription"]
    if status.get("TimeToLiveStatus") in ("ENABLED", "ENABLING"):
        return
    client.update_time_to_live(
        TableName=table, TimeToLiveSpecification={"Enabled": True, "AttributeName": TTL}
    )
