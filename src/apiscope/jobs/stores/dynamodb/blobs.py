"""JSON values too large for a DynamoDB item (400 KB), kept in S3 with a pointer in the item.

Objects are named by their content's SHA-256 under the job's prefix (`jobs/ID/SHA.json`), so
writing one twice is harmless, a lost conditional write leaves at most an orphan that the job's
purge removes, and a read can be cached without ever going stale.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

from apiscope.errors import StoreError
from apiscope.jobs.stores.dynamodb.connection import Client, translated
from apiscope.jobs.stores.dynamodb.items import AttributeValue

INLINE_LIMIT = 100_000
"""Bytes of JSON text kept in the item itself: with the job's other fields, well under 400 KB."""
CACHE_BYTES = 32 * 1024 * 1024


class Blobs:
    """Large JSON values of jobs, in one S3 bucket (or refused without one)."""

    def __init__(self, s3: Client | None, bucket: str | None) -> None:
        self._s3 = s3
        self._bucket = bucket
        self._where = f"S3 bucket {bucket}"
        self._cache: OrderedDict[str, str] = OrderedDict()
        self._cached_bytes = 0
        self._lock = threading.Lock()

    def encode(self, job_id: str, text: str) -> AttributeValue:
        """The text itself when small, else a pointer to it in S3 (uploaded now)."""
        size = len(text.encode())
        if size <= INLINE_LIMIT:
            return {"S": text}
        if self._s3 is None:
            raise StoreError(
                f"job {job_id}: a value of {size} bytes is over DynamoDB's item limit; "
                "name an S3 bucket in the store URL (?bucket=...)"
            )
        key = f"jobs/{job_id}/{hashlib.sha256(text.encode()).hexdigest()}.json"
        if self._cached(key) is None:
            with translated(self._where):
                self._s3.put_object(
                    Bucket=self._bucket, Key=key, Body=text.encode(), ContentType="application/json"
                )
            self._remember(key, text)
        return {"M": {"s3": {"S": key}, "bytes": {"N": str(size)}}}

    def decode(self, value: AttributeValue) -> str:
        """Inverse of `encode`."""
        if "S" in value:
            return str(value["S"])
        key = str(value["M"]["s3"]["S"])
        text = self._cached(key)
        if text is None:
            if self._s3 is None:
                raise StoreError(f"a job value is kept in S3 ({key}) but no bucket is configured")
            with translated(self._where):
                text = self._s3.get_object(Bucket=self._bucket, Key=key)["Body"].read().decode()
            self._remember(key, text)
        return text

    def delete_job(self, job_id: str) -> None:
        """Remove every object of a purged job."""
        if self._s3 is None:
            return
        with translated(self._where):
            pages = self._s3.get_paginator("list_objects_v2").paginate(
                Bucket=self._bucket, Prefix=f"jobs/{job_id}/"
            )
            for page in pages:
                keys = [{"Key": o["Key"]} for o in page.get("Contents", [])]
                if keys:
                    self._s3.delete_objects(Bucket=self._bucket, Delete={"Objects": keys})

    def _cached(self, key: str) -> str | None:
        with self._lock:
            text = self._cache.get(key)
            if text is not None:
                self._cache.move_to_end(key)
            return text

    def _remember(self, key: str, text: str) -> None:
        with self._lock:
            if key not in self._cache:
                self._cache[key] = text
                self._cached_bytes += len(text)
            while self._cached_bytes > CACHE_BYTES and len(self._cache) > 1:
                _, dropped = self._cache.popitem(last=False)
                self._cached_bytes -= len(dropped)
