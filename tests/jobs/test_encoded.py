"""One encoding per job version, shared by every SSE watcher of the job."""

from __future__ import annotations

import dataclasses
import json

from apiscope.jobs.encoded import StatusEncoder
from apiscope.jobs.schemas import JobStatusOut
from apiscope.jobs.transitions import created
from tests.conftest import FakeClock
from tests.stores.test_contract import new_job


def test_a_version_is_encoded_once_and_a_new_one_again(clock: FakeClock) -> None:
    """Watchers of the same version get the very same text; the next version gets its own,
    equal to what the status endpoint's model gives."""
    job = created(new_job(clock))
    encode = StatusEncoder()
    first = encode(job)
    assert encode(job) is first
    later = dataclasses.replace(job, version=job.version + 1, progress=40)
    text = encode(later)
    assert text is not first
    assert json.loads(text) == JobStatusOut.of(later).model_dump(mode="json")


def test_only_the_most_recent_versions_are_kept(clock: FakeClock) -> None:
    """The cache is bounded: the oldest version is encoded again when asked for."""
    encode = StatusEncoder(size=2)
    job = created(new_job(clock))
    texts = [encode(dataclasses.replace(job, version=v)) for v in (1, 2, 3)]
    assert encode(dataclasses.replace(job, version=3)) is texts[2]
    assert encode(dataclasses.replace(job, version=1)) is not texts[0]
