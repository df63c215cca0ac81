"""The store's index queries: due jobs by status, and listings newest first with keyset cursors.

Listings walk an index newest first, filtered on the attributes it projects, collect one id more
than the page needs (to know whether another page follows), and the store then reads the page's
items from the table. The cursor is the same opaque (created_at, id) as the SQL stores', here
the exclusive upper bound of the index's `created_key`.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from apiscope.jobs.clock import Clock
from apiscope.jobs.model import Job, JobPage, JobStatus
from apiscope.jobs.stores.dynamodb import items
from apiscope.jobs.stores.dynamodb.items import AttributeValue
from apiscope.jobs.stores.dynamodb.requests import Query, Table
from apiscope.jobs.stores.paging import decode_cursor, encode_cursor


def due_query(status: JobStatus, now: datetime | None) -> Query:
    """Jobs in `status` whose `due_at` has come (every one of them when `now` is None)."""
    names = {"#status": "status"}
    values: dict[str, AttributeValue] = {":status": {"S": status.value}}
    condition = "#status = :status"
    if now is not None:
        names["#due"] = "due_at"
        values[":now"] = items.epoch(now)
        condition += " AND #due <= :now"
    return Query("by_status", condition, names, values)


class Listing:
    """Index queries that need the store's clock."""

    def __init__(self, table: Table, clock: Clock) -> None:
        self._table = table
        self._clock = clock

    def due(self, kinds: Collection[str]) -> Query:
        """Due pending jobs of these kinds, longest due first."""
        query = due_query(JobStatus.PENDING, self._clock())
        values = {f":k{i}": {"S": kind} for i, kind in enumerate(sorted(kinds))}
        return Query(
            query.index,
            query.condition,
            {**query.names, "#kind": "kind"},
            {**query.values, **values},
            filter=f"#kind IN ({', '.join(values)})",
        )

    def ids(
        self,
        owner: str | None,
        limit: int,
        cursor: str | None,
        status: JobStatus | None,
        kind: str | None,
    ) -> tuple[list[str], bool]:
        """The ids of one page, newest first, and whether more follow."""
        query = self._listing_query(owner, cursor, status, kind)
        ids: list[str] = []
        for entry in self._table.query(query, page=max(limit + 1, 10)):
            ids.append(entry["pk"]["S"])
            if len(ids) > limit:
                return ids[:limit], True
        return ids, False

    def _listing_query(
        self, owner: str | None, cursor: str | None, status: JobStatus | None, kind: str | None
    ) -> Query:
        index, partition = ("by_created", items.LISTING)
        if owner is not None:
            index, partition = ("by_owner", f"owner#{owner}")
        names = {"#part": "listing" if owner is None else "owner_key", "#expires": "expires_at"}
        values: dict[str, AttributeValue] = {
            ":part": {"S": partition},
            ":now": items.epoch(self._clock()),
        }
        condition = "#part = :part"
        if cursor:
            created, job_id = decode_cursor(cursor)
            names["#created"] = "created_key"
            values[":after"] = {"S": items.created_key(created, job_id)}
            condition += " AND #created < :after"
        filters = ["(attribute_not_exists(#expires) OR #expires > :now)"]
        for attribute, wanted in (("status", status), ("kind", kind)):
            if wanted is not None:
                names[f"#{attribute}"] = attribute
                values[f":{attribute}"] = {"S": str(wanted)}
                filters.append(f"#{attribute} = :{attribute}")
        return Query(index, condition, names, values, " AND ".join(filters), forward=False)

    @staticmethod
    def page(jobs: tuple[Job, ...], more: bool) -> JobPage:
        """A page of jobs with the cursor that continues after its last one."""
        return JobPage(jobs, encode_cursor(jobs[-1]) if more and jobs else None)
