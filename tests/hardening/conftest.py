"""The hardening tests run `apiscope serve` as a subprocess, as users run it."""

from tests.e2e.conftest import start_server as start_server  # the fixture, shared
