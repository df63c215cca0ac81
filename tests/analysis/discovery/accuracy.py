"""Scoring `discover(root)` on a fixture application against its hand-written `expected.json`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from apiscope.analysis.discovery import discover

FIXTURES = Path(__file__).parent / "fixtures"

Key = tuple[str, str, str, int, str, str]


@dataclass(frozen=True)
class Score:
    """What a discovery run found against what the fixture declares."""

    found: frozenset[Key]
    expected: frozenset[Key]

    @property
    def recall(self) -> float:
        return len(self.found & self.expected) / len(self.expected) if self.expected else 1.0

    @property
    def precision(self) -> float:
        return len(self.found & self.expected) / len(self.found) if self.found else 1.0

    def report(self) -> str:
        """Recall, precision and every route that differs, for an assertion message."""
        lines = [f"recall {self.recall:.3f} precision {self.precision:.3f}"]
        lines += [f"missing {k}" for k in sorted(self.expected - self.found)]
        lines += [f"extra   {k}" for k in sorted(self.found - self.expected)]
        return "\n".join(lines)


def _key(route: dict[str, str | int]) -> Key:
    fields = ("method", "path", "file", "line", "handler", "framework")
    method, path, file, line, handler, framework = (route[f] for f in fields)
    return str(method), str(path), str(file), int(line), str(handler), str(framework)


def score(name: str) -> Score:
    """Run `discover` (in this process) on fixtures/<name> and compare with its expected.json."""
    root = FIXTURES / name
    found = frozenset(_key(r.to_json()) for r in discover(root, workers=1).routes)
    expected = frozenset(_key(r) for r in json.loads((root / "expected.json").read_text()))
    return Score(found, expected)
