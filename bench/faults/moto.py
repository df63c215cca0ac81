"""`python -m bench.faults.moto --port N`: moto in server mode on loopback, the stand-in for
DynamoDB and SQS in the fault suite's AWS shape, in a process of its own.

moto's in-memory DynamoDB checks a write's condition and then writes, in two steps, so two
threads of its server can both pass the same condition; DynamoDB applies each conditional write
atomically. As in tests/aws/moto_server.py (which the bench does not import: it is test code,
built on pytest fixtures), DynamoDB requests are served one at a time; SQS stays concurrent.

moto also costs time in proportion to the table where DynamoDB does not: a query on one
partition key walks and sorts every item, and a transaction deep-copies every table it touches
to roll back on failure. With 1,000 jobs that makes each call 30-250 ms, one at a time, and the
fault run would measure moto. Two patches, in this process only (written against moto 5.2.5, as
pinned in pyproject.toml), make those calls cost what they cost on a small table, with the same
results: a key query looks at that key's items only, and a transaction keeps copies of the items
it writes (not of whole tables) to put back on failure.
"""

from __future__ import annotations

import argparse
import copy
import sys
import threading
from collections.abc import Iterable
from typing import Any

import moto.dynamodb.models as dynamodb_models
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.table import Table
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import make_server

HEALTH_PATH = "/moto-api/"
"""moto's own dashboard: answers 200 once the server runs."""


class AtomicDynamoDB:
    """WSGI middleware: one DynamoDB request at a time."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if not environ.get("HTTP_X_AMZ_TARGET", "").startswith("DynamoDB_"):
            return self.app(environ, start_response)
        with self.lock:
            return list(self.app(environ, start_response))


Snapshot = tuple[Table, Any, Any, Any]
"""A table, an item's hash and range key values, and a copy of the item (None: absent)."""


class _NoTableCopies:
    """Stands in for the `copy` module in moto's backend: whole tables are not copied."""

    @staticmethod
    def deepcopy(value: Any, memo: dict[int, Any] | None = None) -> Any:
        return value if isinstance(value, Table) else copy.deepcopy(value, memo)


def _snapshot(backend: DynamoDBBackend, entry: dict[str, Any]) -> Snapshot:
    op = next(iter(entry.values()))
    table = backend.get_table(op["TableName"])
    names = [n for n in (table.hash_key_attr, table.range_key_attr) if n]
    key = op.get("Key") or {name: op["Item"][name] for name in names}
    hash_value, range_value = backend.get_keys_value(table, key)
    return table, hash_value, range_value, copy.deepcopy(table.get_item(hash_value, range_value))


def _put_back(table: Table, hash_value: Any, range_value: Any, item: Any) -> None:
    """Restore one item as it was before a failed transaction."""
    slot: dict[Any, Any] = table.items
    key = hash_value
    if table.range_key_attr:
        slot, key = table.items[hash_value], range_value
    if item is None:
        slot.pop(key, None)
    else:
        slot[key] = item


def _transact_by_item(original: Any) -> Any:
    def transact_write_items(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
        snapshots = [_snapshot(self, entry) for entry in transact_items]
        try:
            original(self, transact_items)
        except Exception:
            for snapshot in reversed(snapshots):
                _put_back(*snapshot)
            raise

    return transact_write_items


def _query_one_key(original: Any) -> Any:
    def query(self: Table, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
        index_name = args[6] if len(args) > 6 else kwargs.get("index_name")
        if index_name or hash_key is None:
            return original(self, hash_key, *args, **kwargs)
        found = self.items.get(hash_key)
        one_key: list[Any] = [] if found is None else [found]
        if found is not None and self.range_key_attr:
            one_key = list(found.values())
        setattr(self, "all_items", lambda: one_key)  # noqa: B010 - shadows the method, this call
        try:
            return original(self, hash_key, *args, **kwargs)
        finally:
            delattr(self, "all_items")

    return query


def patch_costs() -> None:
    """Make key queries and transactions cost what they cost on a small table (see above);
    only safe with DynamoDB requests served one at a time."""
    setattr(dynamodb_models, "copy", _NoTableCopies)  # noqa: B010 - the module's `copy` name
    transact = _transact_by_item(DynamoDBBackend.transact_write_items)
    setattr(DynamoDBBackend, "transact_write_items", transact)  # noqa: B010
    setattr(Table, "query", _query_one_key(Table.query))  # noqa: B010


class QuietHandler(MotoRequestHandler):
    """No access log line per request: tens of thousands of them in one run."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.faults.moto", description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    port = parser.parse_args(argv).port
    patch_costs()
    app = AtomicDynamoDB(DomainDispatcherApplication(create_backend_app))
    server = make_server("127.0.0.1", port, app, True, request_handler=QuietHandler)
    print(f"moto serving on 127.0.0.1:{port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1:])
