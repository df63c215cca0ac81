"""moto in server mode on loopback, reached by boto3 over HTTP as the real services are: in a
thread of the test process, serving DynamoDB requests one at a time as the fault suite's moto
process does (see bench.faults.moto for why), without that process's speed patches.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import boto3  # type: ignore[import-untyped]
import pytest
from bench.faults.moto import AtomicDynamoDB
from bench.faults.serverless import CREDENTIALS, REGION
from moto.moto_server.threaded_moto_server import ThreadedMotoServer
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import make_server


class LoopbackMotoServer(ThreadedMotoServer):
    """ThreadedMotoServer with DynamoDB's per-request atomicity."""

    def _server_entry(self) -> None:
        app = AtomicDynamoDB(DomainDispatcherApplication(create_backend_app))
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
