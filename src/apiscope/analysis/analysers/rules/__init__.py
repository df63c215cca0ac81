"""The rule-based analyser (the default) and its rules.

`RULES` (in `catalog.py`) is every rule shipped; `RuleAnalyser()` runs them all. Adding a rule
means a module with a small object (`id`, `severity`, `label`, `languages`, `check`) and one
entry in the catalog.
"""

from __future__ import annotations

from apiscope.analysis.analysers.rules.analyser import RuleAnalyser
from apiscope.analysis.analysers.rules.catalog import RULES

__all__ = ["RULES", "RuleAnalyser"]
