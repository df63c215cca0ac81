"""The LLM analyser the settings ask for, if any: the caller falls back to rules without one."""

from __future__ import annotations

from apiscope.analysis.analysers.base import Analyser
from apiscope.analysis.analysers.llm.analyser import LlmAnalyser
from apiscope.analysis.analysers.llm.config import LlmConfig
from apiscope.settings import Settings


def build_analyser(settings: Settings) -> Analyser | None:
    """An `LlmAnalyser` when `APISCOPE_LLM_PROVIDER` names one, else None.

    A provider without its key still gets an analyser: it sends nothing and returns the rule
    findings with a warning naming the missing variable, so the report says why there is no
    LLM analysis instead of silently showing none.
    """
    config = LlmConfig.from_settings(settings)
    return LlmAnalyser(config) if config is not None else None
