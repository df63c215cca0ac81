"""apiscope's PostgreSQL queue beside Procrastinate (same PostgreSQL) and Celery and arq (the
machine's Redis), in rounds of one trial per system in rotating order.

    bash bench/queues/setup.sh                    # once: the benchmark's own virtualenvs
    bench/.venv-queues/bin/python -m bench.queues.run [--rounds 3] [--jobs 3000]

Each trial runs in its own interpreter (arq's in `bench/.venv-arq`, the others in
`bench/.venv-queues`). The medians and ratios go to stdout as Markdown and, with every trial's
numbers, to `bench/results/queues.json`. The benchmark's database and Redis databases are
removed at the end, whatever happens.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.queues import backends, report
from bench.queues.trial import SYSTEMS
from bench.queues.workers import cancel_on_sigterm

RESULTS = backends.REPO_ROOT / "bench" / "results" / "queues.json"
VENVS = {"arq": "bench/.venv-arq"}
DEFAULT_VENV = "bench/.venv-queues"
TRIAL_TIMEOUT = 300.0


def interpreter(system: str) -> Path:
    """The Python of the virtualenv that holds `system`."""
    python = backends.REPO_ROOT / VENVS.get(system, DEFAULT_VENV) / "bin" / "python"
    if not python.exists():
        raise SystemExit(f"bench.queues: {python} is missing: run `bash bench/queues/setup.sh`")
    return python


def apiscope_source() -> dict[str, Any]:
    """Which apiscope was measured: the commit, and any tree put first on PYTHONPATH."""

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", *args], cwd=backends.REPO_ROOT, capture_output=True, text=True, check=False
        )
        return done.stdout.strip()

    return {
        "git_head": git("rev-parse", "HEAD"),
        "uncommitted_jobs_files": git("status", "--short", "src/apiscope/jobs").splitlines(),
        "pythonpath": os.environ.get("PYTHONPATH"),
    }


def trial_argv(system: str, args: argparse.Namespace) -> list[str]:
    """The command line of one trial."""
    options = ("jobs", "drain", "sequential", "warmup", "inflight", "workers", "concurrency")
    flags = [f"--{name}={getattr(args, name)}" for name in options]
    return [str(interpreter(system)), "-m", "bench.queues.trial", system, *flags]


async def run_trial(system: str, args: argparse.Namespace) -> dict[str, Any]:
    """One trial in its own interpreter; its JSON line."""
    proc = await asyncio.create_subprocess_exec(
        *trial_argv(system, args),
        cwd=backends.REPO_ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(proc.communicate(), TRIAL_TIMEOUT)
    except TimeoutError:
        raise RuntimeError(f"the {system} trial took over {TRIAL_TIMEOUT:g} s") from None
    finally:
        if proc.returncode is None:  # timed out or cancelled: the trial stops its workers
            proc.terminate()
            await proc.wait()
    if proc.returncode != 0:
        raise RuntimeError(f"the {system} trial failed:\n{err.decode(errors='replace')[-3000:]}")
    result: dict[str, Any] = json.loads(out.decode().strip().splitlines()[-1])
    return result


async def run_rounds(args: argparse.Namespace) -> dict[str, Any]:
    """Every round, each system once, starting one later in the list each round. The results
    file is rewritten after every trial, and a failed trial is recorded and skipped, so a long
    run on a shared machine keeps what it measured."""
    trials: list[dict[str, Any]] = []
    failures: list[dict[str, Any]] = []
    systems: list[str] = args.systems
    for number in range(1, args.rounds + 1):
        shift = (number - 1) % len(systems)
        for system in systems[shift:] + systems[:shift]:
            print(f"round {number}: {system} ...", file=sys.stderr, flush=True)
            load = os.getloadavg()[0]
            pg_started = await backends.server_started()
            try:
                result = await run_trial(system, args)
            except RuntimeError as exc:
                print(f"  failed: {str(exc)[-300:]}", file=sys.stderr, flush=True)
                failures.append({"round": number, "system": system, "error": str(exc)[-3000:]})
                continue
            loads = {
                "loadavg_before": load,
                "loadavg_after": os.getloadavg()[0],
                "postgres_restarted": pg_started != await backends.server_started(),
            }
            trials.append({"round": number, **result, **loads})
            print(f"  {result['burst']['jobs_per_s']:.0f} jobs/s", file=sys.stderr, flush=True)
            write(build_report(args, trials, failures))
    return build_report(args, trials, failures)


def build_report(
    args: argparse.Namespace, trials: list[dict[str, Any]], failures: list[dict[str, Any]]
) -> dict[str, Any]:
    """The contents of `queues.json`: medians, ratios, and every trial."""
    summary = report.medians(trials)
    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "config": dict(vars(args)),
        "apiscope_source": apiscope_source(),
        "summary": summary,
        "ratios": report.ratios(trials),
        "failures": failures,
        "trials": trials,
    }


def write(result: dict[str, Any]) -> None:
    """Write the results file."""
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")


async def benchmark(args: argparse.Namespace) -> dict[str, Any]:
    """All rounds on fresh storage, removed afterwards, whatever happens."""
    cancel_on_sigterm()
    await backends.create_database()
    try:
        return await run_rounds(args)
    finally:
        await backends.drop_database()
        await backends.flush_redis()


def parse_args() -> argparse.Namespace:
    """The benchmark's command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=2500, help="jobs in each burst")
    parser.add_argument("--sequential", type=int, default=400, help="jobs submitted one by one")
    parser.add_argument("--drain", type=int, default=1500, help="jobs queued before workers start")
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--inflight", type=int, default=8, help="enqueue calls in flight")
    parser.add_argument("--workers", type=int, default=2, help="worker processes per system")
    parser.add_argument("--concurrency", type=int, default=8, help="jobs at once per worker")
    parser.add_argument(
        "--systems", type=lambda s: s.split(","), default=list(SYSTEMS), help="comma-separated"
    )
    args = parser.parse_args()
    unknown = set(args.systems) - set(SYSTEMS)
    if unknown:
        parser.error(f"unknown systems: {', '.join(sorted(unknown))}")
    return args


def main() -> None:
    """Run the benchmark, print the table, write the JSON."""
    backends.check_loopback()
    result = asyncio.run(benchmark(parse_args()))
    write(result)
    print(report.markdown(result["summary"], result["ratios"]))
    print(f"\nwritten to {RESULTS.relative_to(backends.REPO_ROOT)}")


if __name__ == "__main__":
    main()
