#!/usr/bin/env bash
# The queue benchmark's own virtualenvs: apiscope (editable) plus the job queues it is compared
# with, pinned. They are benchmark tools only, never dependencies of apiscope itself.
# Two environments, because no one environment can hold both: arq 0.28.0 needs redis<6 and
# celery[redis] 5.7.0 (through kombu) needs redis>=6.4.
# Run from the repository root: `bash bench/queues/setup.sh`.
set -euo pipefail
cd "$(dirname "$0")/../.."

make_venv() {  # make_venv DIR PACKAGE...
    local dir=$1
    shift
    [ -x "$dir/bin/python" ] || python3 -m venv "$dir"
    "$dir/bin/pip" install --quiet -e . "$@"
}

make_venv bench/.venv-queues procrastinate==3.10.0 "celery[redis]==5.7.0" py-spy==0.4.3
make_venv bench/.venv-arq arq==0.28.0
bench/.venv-queues/bin/python -c "import apiscope, procrastinate, celery; print('bench/.venv-queues ok')"
bench/.venv-arq/bin/python -c "import apiscope, arq; print('bench/.venv-arq ok')"
