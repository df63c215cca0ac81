"""The DynamoDB store's URL, its boto3 clients, and botocore's errors turned into ours.

`dynamodb://TABLE?region=R&endpoint_url=URL&bucket=B`: every parameter is optional (boto3 then
finds the region and endpoint as usual, e.g. `AWS_REGION` on Lambda); `bucket` names the S3
bucket for values over DynamoDB's 400 KB item limit. Credentials never go in the URL: boto3 reads
them from the environment or the function's role.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import boto3  # type: ignore[import-untyped]
from botocore.config import Config  # type: ignore[import-untyped]
from botocore.exceptions import (  # type: ignore[import-untyped]
    BotoCoreError,
    ClientError,
    ConnectionError,
    HTTPClientError,
    NoCredentialsError,
    NoRegionError,
)

from apiscope.errors import ConfigurationError, StoreError, StoreUnavailable

Client = Any
"""A boto3 client (boto3 ships no type information)."""

TRANSIENT = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "InternalServerError",
        "ServiceUnavailable",
        "LimitExceededException",
        "SlowDown",
    }
)
_PARAMETERS = frozenset({"region", "endpoint_url", "bucket"})


@dataclass(frozen=True, slots=True)
class DynamoDBLocation:
    """Where the store lives, parsed from its URL."""

    table: str
    region: str | None = None
    endpoint_url: str | None = None
    bucket: str | None = None

    @classmethod
    def parse(cls, url: str) -> DynamoDBLocation:
        """`dynamodb://table?region=...&endpoint_url=...&bucket=...`."""
        parts = urlsplit(url)
        query = dict(parse_qsl(parts.query))
        unknown = sorted(set(query) - _PARAMETERS)
        if parts.scheme != "dynamodb" or not parts.netloc or parts.path not in ("", "/"):
            raise ConfigurationError(f"DynamoDB store URL must be dynamodb://TABLE[?...]: {url!r}")
        if unknown:
            raise ConfigurationError(f"unknown DynamoDB store URL parameter(s): {unknown}")
        return cls(
            parts.netloc, query.get("region"), query.get("endpoint_url"), query.get("bucket")
        )

    @property
    def url(self) -> str:
        """The display form."""
        shown = {"region": self.region, "endpoint_url": self.endpoint_url, "bucket": self.bucket}
        query = "&".join(f"{k}={v}" for k, v in shown.items() if v)
        return f"dynamodb://{self.table}" + (f"?{query}" if query else "")

    def client(self, service: str) -> Client:
        """A client for `dynamodb` or `s3` at this location."""
        return new_client(service, region=self.region, endpoint_url=self.endpoint_url)


def new_client(
    service: str, *, region: str | None = None, endpoint_url: str | None = None
) -> Client:
    """A boto3 client (thread-safe once made); region and endpoint default as boto3's do
    (`AWS_REGION`, `AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_<SERVICE>`)."""
    config = Config(retries={"mode": "standard", "max_attempts": 5}, max_pool_connections=32)
    try:
        return _session().client(
            service, region_name=region, endpoint_url=endpoint_url, config=config
        )
    except NoRegionError as exc:
        raise ConfigurationError(
            f"no AWS region for {service}: set AWS_REGION (or ?region=... in a store URL)"
        ) from exc


@functools.cache
def _session() -> Any:
    """One boto3 session per process: it loads each service's model once, which makes every
    later client cheap. (Create clients from one thread at a time; use them from any.)"""
    return boto3.session.Session()


def error_code(exc: ClientError) -> str:
    """The AWS error code of a failed call."""
    return str(exc.response.get("Error", {}).get("Code", ""))


@contextlib.contextmanager
def translated(where: str) -> Iterator[None]:
    """Turn botocore's errors into the apiscope tree, naming the table or bucket."""
    try:
        yield
    except NoCredentialsError as exc:
        raise ConfigurationError(f"no AWS credentials for {where}") from exc
    except ClientError as exc:
        code = error_code(exc)
        message = exc.response.get("Error", {}).get("Message", "")
        if code in TRANSIENT:
            raise StoreUnavailable(f"{where} is busy ({code}): {message}") from exc
        if code == "ResourceNotFoundException":
            raise StoreError(f"{where} does not exist: run `apiscope db upgrade`") from exc
        raise StoreError(f"{where}: {code}: {message}") from exc
    except (ConnectionError, HTTPClientError) as exc:
        raise StoreUnavailable(f"{where} is unreachable: {exc}") from exc
    except BotoCoreError as exc:
        raise StoreError(f"{where}: {exc}") from exc


__all__ = ["Client", "ClientError", "DynamoDBLocation", "error_code", "new_client", "translated"]
