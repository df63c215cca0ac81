"""`python -m bench.faults --store sqlite|postgres|dynamodb --jobs 1000 --kills 5`: one fault run,
its account printed and written to bench/results/faults-<store>.json; exit 1 if any job was
lost, stuck, or finished with diverging results."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import tempfile
from pathlib import Path

from bench.faults.scenarios import (
    FaultReport,
    FaultRun,
    dynamodb_scenario,
    postgres_scenario,
    sqlite_scenario,
)

RESULTS = Path(__file__).resolve().parents[1] / "results"
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
GAPS = {"sqlite": (1.0, 4.0), "postgres": (0.5, 1.5), "dynamodb": (4.0, 12.0)}
"""Random pause before each fault, seconds, counted once the last victim runs again: the
faults spread over the time the jobs take (about 30 s for 1,000 jobs on SQLite or PostgreSQL,
about 100 s on moto's DynamoDB and SQS)."""
CONCURRENCY = {"sqlite": 4, "postgres": 2, "dynamodb": 4}
"""Jobs at once per process: one server, each of the three workers, or each of the three
worker functions (within one batch of up to 10 messages)."""


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.faults", description=__doc__)
    parser.add_argument("--store", choices=sorted(GAPS), default="sqlite")
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--concurrency", type=int, help="jobs at once per process")
    parser.add_argument("--timeout", type=float, default=300.0, help="bound on the run, seconds")
    parser.add_argument(
        "--seed",
        type=int,
        default=None,
        help="for a repeatable fault schedule (random by default, recorded in the results)",
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        help="keep the services' logs and the execution log here (a temporary folder otherwise)",
    )
    parser.add_argument(
        "--postgres-url", default=os.environ.get("APISCOPE_TEST_POSTGRES_URL", DEFAULT_POSTGRES)
    )
    args = parser.parse_args(argv)
    args.concurrency = args.concurrency or CONCURRENCY[args.store]
    if args.jobs < 1 or args.kills < 0 or args.concurrency < 1:
        parser.error("--jobs and --concurrency must be at least 1, --kills at least 0")
    return args


async def execute(args: argparse.Namespace, folder: Path) -> FaultReport:
    low, high = GAPS[args.store]
    run = FaultRun(
        args.jobs,
        args.kills,
        low,
        high,
        args.concurrency,
        args.timeout,
        seed=random.randrange(2**32) if args.seed is None else args.seed,
    )
    if args.store == "sqlite":
        return await sqlite_scenario(run, folder)
    if args.store == "dynamodb":
        return await dynamodb_scenario(run, folder)
    return await postgres_scenario(run, folder, args.postgres_url)


def main(argv: list[str]) -> int:
    args = parse(argv)
    if args.workdir is not None:
        args.workdir.mkdir(parents=True, exist_ok=True)
        report = asyncio.run(execute(args, args.workdir))
    else:
        with tempfile.TemporaryDirectory(prefix="apiscope-faults-") as folder:
            report = asyncio.run(execute(args, Path(folder)))
    data = report.as_dict()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"faults-{args.store}.json").write_text(json.dumps(data, indent=2) + "\n")
    print(json.dumps(data, indent=2))
    return 0 if report.healthy else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
