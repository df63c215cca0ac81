"""The DynamoDB requests the store makes, as plain blocking functions over one table: reads,
index queries, and conditional writes that report a lost race as `Conflict`.

Attribute names always go through `ExpressionAttributeNames`: several of ours (`status`, `ttl`)
are reserved words in DynamoDB's expression language.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from apiscope.jobs.stores.dynamodb.connection import Client, ClientError, error_code
from apiscope.jobs.stores.dynamodb.items import AttributeValue, Item

LOST_RACE = frozenset({"ConditionalCheckFailed", "TransactionConflict"})
BATCH_GET = 100
BATCH_WRITE = 25


class Conflict(Exception):  # internal control flow: never leaves the store
    """A conditional write found the item changed since it was read (or a transaction raced):
    read again and re-apply. `reasons` has one code per item of a transaction."""

    def __init__(self, reasons: list[str | None]) -> None:
        super().__init__(reasons)
        self.reasons = reasons


@dataclass(frozen=True, slots=True)
class Query:
    """One index query: a key condition, an optional filter, their names and values."""

    index: str
    condition: str
    names: Mapping[str, str]
    values: Mapping[str, AttributeValue]
    filter: str | None = None
    forward: bool = True


class Table:
    """Blocking requests against one table."""

    def __init__(self, client: Client, name: str) -> None:
        self.client = client
        self.name = name

    def partition(self, pk: str, sk_from: str, sk_to: str) -> dict[str, Item]:
        """The items of one partition with sort keys in [sk_from, sk_to], by sort key."""
        response = self.client.query(
            TableName=self.name,
            KeyConditionExpression="pk = :pk AND sk BETWEEN :low AND :high",
            ExpressionAttributeValues={
                ":pk": {"S": pk},
                ":low": {"S": sk_from},
                ":high": {"S": sk_to},
            },
            ConsistentRead=True,
        )
        return {item["sk"]["S"]: item for item in response["Items"]}

    def get(self, key: Item) -> Item | None:
        """One item by its key, as last written."""
        found: Item | None = self.client.get_item(
            TableName=self.name, Key=key, ConsistentRead=True
        ).get("Item")
        return found

    def batch_get(self, keys: list[Item]) -> list[Item]:
        """Many items, in no particular order (missing ones left out)."""
        found: list[Item] = []
        for start in range(0, len(keys), BATCH_GET):
            request = {self.name: {"Keys": keys[start : start + BATCH_GET], "ConsistentRead": True}}
            while request:
                response = self.client.batch_get_item(RequestItems=request)
                found += response["Responses"].get(self.name, [])
                request = response.get("UnprocessedKeys") or {}
        return found

    def query(self, query: Query, page: int = 50) -> Iterator[Item]:
        """Index entries in sort-key order, page by page, as long as the caller takes them."""
        options = {"ScanIndexForward": query.forward, "Limit": page}
        for response in self._pages(query, options):
            yield from response["Items"]

    def count(self, query: Query) -> int:
        """How many index entries match."""
        return sum(int(r["Count"]) for r in self._pages(query, {"Select": "COUNT"}))

    def _pages(self, query: Query, options: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """The responses of the query, one page after another."""
        arguments: dict[str, Any] = {
            "TableName": self.name,
            "IndexName": query.index,
            "KeyConditionExpression": query.condition,
            "ExpressionAttributeNames": dict(query.names),
            "ExpressionAttributeValues": dict(query.values),
            **options,
        }
        if query.filter:
            arguments["FilterExpression"] = query.filter
        while True:
            response: dict[str, Any] = self.client.query(**arguments)
            yield response
            if "LastEvaluatedKey" not in response:
                return
            arguments["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def write(self, request: dict[str, Any], *extra: dict[str, Any]) -> None:
        """One conditional UpdateItem, or a transaction of it with `extra` writes; `Conflict`
        when a condition failed."""
        with _conflicts():
            if extra:
                items = [{"Update": request}, *extra]
                self.client.transact_write_items(TransactItems=items)
            else:
                self.client.update_item(**request)

    def put(self, item: Item, *, condition: str | None = None) -> None:
        """Write a whole item; `Conflict` if `condition` does not hold."""
        arguments: dict[str, Any] = {"TableName": self.name, "Item": item}
        if condition:
            arguments["ConditionExpression"] = condition
        with _conflicts():
            self.client.put_item(**arguments)

    def transact(self, *writes: dict[str, Any]) -> None:
        """Several writes, all or none; `Conflict` (with a reason per write) if one lost."""
        with _conflicts():
            self.client.transact_write_items(TransactItems=list(writes))

    def delete(self, key: Item, *, condition: str | None = None, **expression: Any) -> None:
        """Remove an item; `Conflict` if `condition` does not hold."""
        arguments: dict[str, Any] = {"TableName": self.name, "Key": key, **expression}
        if condition:
            arguments["ConditionExpression"] = condition
        with _conflicts():
            self.client.delete_item(**arguments)

    def delete_many(self, keys: list[Item]) -> None:
        """Remove items unconditionally, 25 to a request."""
        for start in range(0, len(keys), BATCH_WRITE):
            request = {
                self.name: [
                    {"DeleteRequest": {"Key": k}} for k in keys[start : start + BATCH_WRITE]
                ]
            }
            while request:
                response = self.client.batch_write_item(RequestItems=request)
                request = response.get("UnprocessedItems") or {}


@contextlib.contextmanager
def _conflicts() -> Iterator[None]:
    """Turn a failed condition (or a raced transaction) into `Conflict`."""
    try:
        yield
    except ClientError as exc:
        code = error_code(exc)
        if code == "ConditionalCheckFailedException":
            raise Conflict(["ConditionalCheckFailed"]) from exc
        reasons = [r.get("Code") for r in exc.response.get("CancellationReasons", [])]
        if code == "TransactionCanceledException" and LOST_RACE.intersection(reasons):
            raise Conflict(reasons) from exc
        raise


def update_request(
    table: str, key: Item, changes: Mapping[str, AttributeValue | None], guard: Item
) -> dict[str, Any]:
    """UpdateItem arguments writing `changes` (None: remove the attribute) only if each attribute
    of `guard` still has the value read (`{}`: it must still be absent)."""
    names: dict[str, str] = {}
    values: dict[str, AttributeValue] = {}
    sets, removes, conditions = [], [], []
    for i, (attribute, value) in enumerate(changes.items()):
        names[f"#c{i}"] = attribute
        if value is None:
            removes.append(f"#c{i}")
        else:
            sets.append(f"#c{i} = :c{i}")
            values[f":c{i}"] = value
    for i, (attribute, expected) in enumerate(guard.items()):
        names[f"#g{i}"] = attribute
        if expected:
            conditions.append(f"#g{i} = :g{i}")
            values[f":g{i}"] = expected
        else:
            conditions.append(f"attribute_not_exists(#g{i})")
    clauses = [f"SET {', '.join(sets)}"] if sets else []
    clauses += [f"REMOVE {', '.join(removes)}"] if removes else []
    request: dict[str, Any] = {
        "TableName": table,
        "Key": key,
        "UpdateExpression": " ".join(clauses),
        "ConditionExpression": " AND ".join(conditions),
        "ExpressionAttributeNames": names,
    }
    if values:
        request["ExpressionAttributeValues"] = values
    return request
