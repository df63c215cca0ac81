"""The last snapshot this process read or wrote of each active job, so the PostgreSQL store can
write a transition optimistically: computed from that snapshot, in one statement that applies
only if the row still is that snapshot. A worker that claimed a job then writes its progress and
completion in one round trip each, instead of locking, reading and writing.

A stale snapshot is never wrong, only slower: the guarded write matches no row and the store
falls back to locking the row and reading it.
"""

from __future__ import annotations

from collections import OrderedDict

from apiscope.jobs.model import Job

DEFAULT_SIZE = 1024
"""Enough for every job a worker runs at once, and small enough to forget about."""


class Snapshots:
    """A bounded map of job id to its last known snapshot; finished jobs are not kept."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self._size = size
        self._jobs: OrderedDict[str, Job] = OrderedDict()

    def get(self, job_id: str) -> Job | None:
        """The job as this process last saw it, if it is still active and remembered."""
        return self._jobs.get(job_id)

    def remember(self, job: Job) -> None:
        """Keep this snapshot of an active job, dropping the oldest beyond the bound."""
        if job.is_terminal:
            self.forget(job.id)
            return
        self._jobs[job.id] = job
        self._jobs.move_to_end(job.id)
        if len(self._jobs) > self._size:
            self._jobs.popitem(last=False)

    def forget(self, job_id: str) -> None:
        """Drop the job's snapshot (it is finished, or known to be stale)."""
        self._jobs.pop(job_id, None)
