"""moto in server mode on loopback, reached by boto3 over HTTP as the real services are.

moto's in-memory DynamoDB checks a write's condition and then writes, in two steps, so two
threads of its server can both pass the same condition. DynamoDB applies each conditional write
atomically; to test our conditions against those semantics, DynamoDB requests are served one at
a time (other services stay concurrent).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

import boto3  # type: ignore[import-untyped]
import pytest
from moto.moto_server.threaded_moto_server import ThreadedMotoServer
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import make_server

REGION = "us-east-1"
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
}


class _AtomicDynamoDB:
    """WSGI middleware: one DynamoDB request at a time."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if not environ.get("HTTP_X_AMZ_TARGET", "").startswith("DynamoDB_"):
            return self.app(environ, start_response)
        with self.lock:
            return list(self.app(environ, start_response))


class LoopbackMotoServer(ThreadedMotoServer):
    """ThreadedMotoServer with DynamoDB's per-request atomicity."""

    def _server_entry(self) -> None:
        app = _AtomicDynamoDB(DomainDispatcherApplication(create_backend_app))
        self._server = make_server(
            self._ip_address, self._port, app, True, request_handler=MotoRequestHandler
        )
        self._server_ready_event.set()
        self._server.serve_forever()


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """The URL of a moto server on 127.0.0.1, with dummy credentials in the environment."""
    with pytest.MonkeyPatch.context() as env:
        for name, value in CREDENTIALS.items():
            env.setenv(name, value)
        server = LoopbackMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        host, port = server.get_host_and_port()
        yield f"http://{host}:{port}"
        server.stop()


@pytest.fixture(scope="session")
def moto_bucket(moto_endpoint: str) -> str:
    """An S3 bucket for large job values."""
    name = f"apiscope-{uuid.uuid4().hex[:12]}"
    client("s3", moto_endpoint).create_bucket(Bucket=name)
    return name


def client(service: str, endpoint: str) -> Any:
    """A boto3 client of the moto server."""
    return boto3.client(service, region_name=REGION, endpoint_url=endpoint)


def dynamodb_url(endpoint: str, bucket: str | None = None, table: str | None = None) -> str:
    """A store URL on a table of its own."""
    url = f"dynamodb://{table or 'jobs-' + uuid.uuid4().hex[:12]}?region={REGION}"
    url += f"&endpoint_url={endpoint}"
    return url + (f"&bucket={bucket}" if bucket else "")
