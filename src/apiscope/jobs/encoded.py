"""Each job version's status JSON, encoded once per process, for `GET /status` and for SSE.
An SSE event goes to every watcher of its job, and pollers ask for the same version again and
again; with thousands of them, encoding that version for each was most of the work."""

from __future__ import annotations

from collections import OrderedDict

from apiscope.jobs.model import Job
from apiscope.jobs.schemas import JobStatusOut

DEFAULT_SIZE = 1024
"""Versions kept: more than the jobs a process has watchers on at once, in practice."""


class StatusEncoder:
    """`JobStatusOut` JSON by (job id, version), the most recent `size` of them."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self._size = size
        self._encoded: OrderedDict[tuple[str, int], str] = OrderedDict()

    def __call__(self, job: Job) -> str:
        """The job's status as JSON text (a version never changes, so neither does its text)."""
        key = (job.id, job.version)
        text = self._encoded.get(key)
        if text is None:
            text = JobStatusOut.of(job).model_dump_json()
            self._encoded[key] = text
            if len(self._encoded) > self._size:
                self._encoded.popitem(last=False)
        return text
