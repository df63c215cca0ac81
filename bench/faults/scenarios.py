"""The three deployments under faults: `apiscope serve` on SQLite, killed and restarted;
`apiscope worker` processes on PostgreSQL, killed, while the database restarts once; and the AWS
serverless shape on DynamoDB and SQS (moto), its worker functions killed."""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections.abc import Awaitable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import psycopg
from psycopg import sql

from apiscope.jobs import JobEngine
from apiscope.jobs.stores import open_store
from bench.faults import processes, serverless
from bench.faults.chaos import ChaosLog, ChaosPlan, count_exits, unleash
from bench.faults.processes import Service
from bench.faults.submission import submit_direct, submit_http
from bench.faults.tally import Tally, tally, wait_all_final
from bench.jobkinds import registry

WORKERS = 3


@dataclass(frozen=True)
class FaultRun:
    """One run's shape: jobs, kills, pauses between faults, executor concurrency, time bound."""

    jobs: int
    kills: int
    min_gap: float
    max_gap: float
    concurrency: int = 4
    timeout: float = 300.0
    seed: int | None = None


@dataclass
class FaultReport:
    """What a run did and found; `recovery_seconds` runs from the last fault to all jobs final
    (None: not all jobs were final within the time bound)."""

    store: str
    run: FaultRun
    chaos: ChaosLog
    tally: Tally
    recovery_seconds: float | None
    total_seconds: float

    @property
    def healthy(self) -> bool:
        """No job lost, stuck or diverging, no service crashed by itself, all done in time."""
        t = self.tally
        no_crash = self.chaos.unexpected_exits == 0
        return t.lost == t.stuck == t.different_results == 0 and no_crash and self.finished

    @property
    def finished(self) -> bool:
        """Whether every job was final within the time bound."""
        return self.recovery_seconds is not None

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["chaos"].pop("last_fault_time")
        data["tally"].pop("last_finished")
        data["healthy"] = self.healthy
        return data


async def _under_faults(
    engine: JobEngine,
    run: FaultRun,
    plan: ChaosPlan,
    services: Sequence[Service],
    submitting: Awaitable[dict[str, int]],
    log: Path,
    bystanders: Sequence[Service] = (),
    status_pause: float = 0.1,
) -> FaultReport:
    """Submit while faults happen to `services`, wait for every job to be final (asking the
    store every `status_pause` seconds), then count (`bystanders` are services no fault ends,
    watched for crashes only)."""
    started = time.monotonic()
    submission = asyncio.ensure_future(submitting)
    try:
        chaos = await unleash(plan, services, random.Random(run.seed))
        ids = await submission
    finally:
        submission.cancel()  # a no-op once it finished; stops it if the faults went wrong
    finished = await wait_all_final(engine.store, len(ids), run.timeout, status_pause)
    count_exits(chaos, [*services, *bystanders])
    counts = await tally(engine.store, ids, log, chaos.last_fault_time)
    return FaultReport(
        store=engine.store.url.split("://")[0],
        run=run,
        chaos=chaos,
        tally=counts,
        recovery_seconds=None if finished is None else _recovery(chaos, counts),
        total_seconds=round((finished or time.monotonic()) - started, 2),
    )


def _recovery(chaos: ChaosLog, counts: Tally) -> float:
    """Seconds from the last fault to the last job becoming final (0: none was left)."""
    if chaos.last_fault_time is None or counts.last_finished is None:
        return 0.0
    return round(max(0.0, (counts.last_finished - chaos.last_fault_time).total_seconds()), 2)


async def sqlite_scenario(run: FaultRun, folder: Path) -> FaultReport:
    """One `apiscope serve` executing in-process on a SQLite file, SIGKILLed `run.kills` times;
    jobs are submitted over HTTP throughout."""
    store = f"sqlite:///{folder}/faults.db"
    log = folder / "executions.log"
    serve = processes.server(store, folder)
    serve.env["APISCOPE_CONCURRENCY"] = str(run.concurrency)
    await serve.start()
    base_url = (serve.health_url or "").removesuffix("/healthz")
    plan = ChaosPlan(run.kills, run.min_gap, run.max_gap)
    try:
        engine = JobEngine(open_store(store), registry, execute=False)
        async with engine.running():
            submitting = submit_http(base_url, run.jobs, log, run.timeout)
            return await _under_faults(engine, run, plan, [serve], submitting, log)
    finally:
        serve.stop()


async def postgres_scenario(run: FaultRun, folder: Path, database_url: str) -> FaultReport:
    """Three `apiscope worker` processes on a fresh PostgreSQL schema, SIGKILLed at random,
    the database restarted once; jobs are stored directly through the engine."""
    schema = f"faults_{uuid.uuid4().hex[:10]}"
    store = f"{database_url}{'&' if '?' in database_url else '?'}schema={schema}"
    log = folder / "executions.log"
    processes.run_cli("db", "upgrade", env=processes.service_env(store))
    workers = [processes.worker(store, folder, i, run.concurrency) for i in range(WORKERS)]
    plan = ChaosPlan(run.kills, run.min_gap, run.max_gap, processes.restart_postgres)
    try:
        for service in workers:
            await service.start()
        engine = JobEngine(open_store(store), registry, execute=False)
        async with engine.running():
            submitting = submit_direct(engine, run.jobs, log, run.timeout)
            return await _under_faults(engine, run, plan, workers, submitting, log)
    finally:
        for service in workers:
            service.stop()
        drop_schema(database_url, schema)


def drop_schema(database_url: str, schema: str) -> None:
    with psycopg.connect(database_url.split("?")[0], autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


async def dynamodb_scenario(run: FaultRun, folder: Path) -> FaultReport:
    """The SQS shape on a fresh DynamoDB table and queues in a moto server: three pollers, each
    playing the worker function with its event source mapping, and the maintenance schedule,
    SIGKILLed at random; jobs are submitted as the API function does (stored, then queued)."""
    moto = serverless.moto_server(folder)
    await moto.start()
    try:
        with serverless.aws_environment(serverless.endpoint_of(moto)) as aws:
            return await _serverless_run(run, folder, aws)
    finally:
        moto.stop()


async def _serverless_run(run: FaultRun, folder: Path, aws: dict[str, str]) -> FaultReport:
    name = f"faults-{uuid.uuid4().hex[:10]}"
    store = f"dynamodb://{name}?region={serverless.REGION}&endpoint_url={aws['AWS_ENDPOINT_URL']}"
    queues = serverless.create_queues(name)
    settings = serverless.lambda_settings(store, queues)
    env = serverless.function_env(settings, aws)
    env["APISCOPE_CONCURRENCY"] = str(run.concurrency)
    processes.run_cli("db", "upgrade", env=env)
    victims, bystanders = serverless.functions(queues, env, folder)
    everyone = [*victims, *bystanders]
    log = folder / "executions.log"
    plan = ChaosPlan(run.kills, run.min_gap, run.max_gap)
    try:
        await asyncio.gather(*(service.start() for service in everyone))
        engine = serverless.submitting_engine(settings)
        async with engine.running():
            submitting = submit_direct(engine, run.jobs, log, run.timeout)
            return await _under_faults(
                engine, run, plan, victims, submitting, log, bystanders, serverless.STATUS_PAUSE
            )
    finally:
        for service in everyone:
            service.stop()
