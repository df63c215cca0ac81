"""The one exception root of apiscope.

Library errors (sqlite3, psycopg, botocore, httpx) are translated into this tree at the boundary
where they occur, so callers only ever catch apiscope errors::

    ApiscopeError
    ├── ConfigurationError          bad settings or store URL
    ├── StoreError                  the job store failed (I/O, corrupt file, unreachable)
    │   └── StoreUnavailable        transient: the caller may retry
    ├── SourceError                 a repository could not be found, fetched or unpacked
    │   ├── SourceUnavailable       transient (rate limit, network): retrying later may succeed
    │   └── ArchiveRejected         an archive unsafe to unpack or over the size limits
    ├── InvalidInput                unreadable user input (a log, a worst-API list): CLI 2, HTTP 422
    └── JobError                    about one job
        ├── JobNotFound             no such job (or not visible to the caller)
        ├── JobExpired              existed, removed after its retention period
        ├── UnknownJobKind          no job kind registered under that name
        ├── InvalidTransition       the job is not in a state that allows the change
        │   └── LeaseLost           this executor no longer owns the job
        ├── IdempotencyConflict     an Idempotency-Key reused for a different request
        ├── JobCancelled            raised inside job code when the job was cancelled
        └── PermanentJobFailure     raised by job code to fail without retrying
"""

from __future__ import annotations


class ApiscopeError(Exception):
    """Root of every error apiscope raises on purpose."""


class ConfigurationError(ApiscopeError):
    """Settings or a store URL that cannot work."""


class StoreError(ApiscopeError):
    """The job store failed; the message says how, without leaking driver internals."""


class StoreUnavailable(StoreError):
    """A transient store failure (locked, disconnected): retrying later may succeed."""


class SourceError(ApiscopeError):
    """A repository could not be found, fetched or unpacked; the message says why, in one line."""


class SourceUnavailable(SourceError):
    """A transient failure (rate limit, network, server error): retrying later may succeed."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        """Seconds until a retry may succeed, when the server said so."""


class ArchiveRejected(SourceError):
    """An archive with an entry that would land outside its folder, or over a size limit."""


class InvalidInput(ApiscopeError):
    """User input that cannot be read; the message names the line or index at fault."""


class JobError(ApiscopeError):
    """An error about one job."""

    def __init__(self, message: str, job_id: str | None = None) -> None:
        super().__init__(message)
        self.job_id = job_id


class JobNotFound(JobError):
    """No job with that id exists for this caller."""


class JobExpired(JobError):
    """The job finished and was removed after its retention period."""


class UnknownJobKind(JobError):
    """No job kind is registered under that name."""


class InvalidTransition(JobError):
    """The job's current state does not allow the requested transition."""

    def __init__(self, message: str, job_id: str | None = None, status: str | None = None) -> None:
        super().__init__(message, job_id)
        self.status = status


class LeaseLost(InvalidTransition):
    """The executor's lease on the job expired or the job was taken over or cancelled."""


class IdempotencyConflict(JobError):
    """An Idempotency-Key was reused with a different kind or different parameters."""


class JobCancelled(JobError):
    """Raised inside job code at a progress call or checkpoint once the job is cancelled."""


class PermanentJobFailure(JobError):
    """Raised by job code for a failure that retrying cannot fix (bad input, missing repo)."""
