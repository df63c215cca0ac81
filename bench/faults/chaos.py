"""The faults themselves: SIGKILL a random service at random moments and start it again;
optionally restart the database once in between."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from apiscope.jobs.clock import utcnow
from bench.faults.processes import Service


@dataclass(frozen=True)
class ChaosPlan:
    """How many kills, the random pause before each (seconds), and whether to restart the
    database once (before a randomly chosen kill)."""

    kills: int
    min_gap: float
    max_gap: float
    restart_database: Callable[[], None] | None = None


@dataclass
class ChaosLog:
    """What was done, and when the last fault happened (wall clock, to compare with the jobs'
    own timestamps)."""

    kills: int = 0
    database_restarts: int = 0
    unexpected_exits: int = 0
    """Services found ended that no fault had ended (before each kill, and at the end)."""
    last_fault_time: datetime | None = None
    victims: list[str] = field(default_factory=list)
    """The services killed, in order (a name per kill; "database" for a restart)."""

    def fault(self) -> None:
        """Note that a fault happened now."""
        self.last_fault_time = utcnow()


async def unleash(plan: ChaosPlan, services: Sequence[Service], rng: random.Random) -> ChaosLog:
    """Kill and restart services `plan.kills` times, at random moments."""
    done = ChaosLog()
    restart_before = rng.randrange(plan.kills) if plan.kills else -1
    for index in range(plan.kills):
        await asyncio.sleep(rng.uniform(plan.min_gap, plan.max_gap))
        if index == restart_before and plan.restart_database is not None:
            await asyncio.to_thread(plan.restart_database)
            done.database_restarts += 1
            done.victims.append("database")
            done.fault()
            await asyncio.sleep(rng.uniform(plan.min_gap, plan.max_gap))
        victim = rng.choice(services)
        victim.kill()
        done.kills += 1
        done.victims.append(victim.name)
        done.fault()
        await victim.start()
    return done


def count_exits(chaos: ChaosLog, services: Sequence[Service]) -> None:
    """Add the services that ended by themselves, checked once more at the end of a run."""
    for service in services:
        service.check()
    chaos.unexpected_exits = sum(service.exits for service in services)
