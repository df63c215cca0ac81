"""Every rule shipped, in the order findings of equal severity are listed."""

from __future__ import annotations

from apiscope.analysis.analysers.rules.base import Rule
from apiscope.analysis.analysers.rules.blocking import BlockingCallInAsync
from apiscope.analysis.analysers.rules.connections import ConnectionPerRequest
from apiscope.analysis.analysers.rules.counting import CountByLoadingRows
from apiscope.analysis.analysers.rules.in_loops import N_PLUS_ONE, OUTBOUND_CALL_IN_LOOP
from apiscope.analysis.analysers.rules.in_memory import WholeFileResponse
from apiscope.analysis.analysers.rules.nested_loops import NestedLoopJoin
from apiscope.analysis.analysers.rules.regexes import RegexCompiledPerRequest
from apiscope.analysis.analysers.rules.repeated_calls import RepeatedIdenticalCall
from apiscope.analysis.analysers.rules.select_star import SelectStar
from apiscope.analysis.analysers.rules.sequential_awaits import SequentialAwaits
from apiscope.analysis.analysers.rules.sleeps import SleepInRequest
from apiscope.analysis.analysers.rules.timeouts import HttpWithoutTimeout
from apiscope.analysis.analysers.rules.unbounded import UnboundedQuery

RULES: tuple[Rule, ...] = (
    N_PLUS_ONE,
    OUTBOUND_CALL_IN_LOOP,
    BlockingCallInAsync(),
    HttpWithoutTimeout(),
    SequentialAwaits(),
    UnboundedQuery(),
    CountByLoadingRows(),
    NestedLoopJoin(),
    RepeatedIdenticalCall(),
    ConnectionPerRequest(),
    WholeFileResponse(),
    SleepInRequest(),
    RegexCompiledPerRequest(),
    SelectStar(),
)
