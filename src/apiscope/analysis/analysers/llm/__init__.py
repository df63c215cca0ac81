"""The LLM analyser: OpenAI-compatible chat completions or Anthropic messages, over httpx.

Dependency direction inside the package: the leaves (redaction, budget, usage, config,
instructions) → provider_errors → schema → client → prompt → evidence → merging, retrying →
analyser → factory.
"""

from apiscope.analysis.analysers.llm.analyser import LlmAnalyser
from apiscope.analysis.analysers.llm.config import LlmConfig
from apiscope.analysis.analysers.llm.factory import build_analyser

__all__ = ["LlmAnalyser", "LlmConfig", "build_analyser"]
