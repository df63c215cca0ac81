"""Analysers: the offline rule-based one (default) and the LLM one when configured."""
