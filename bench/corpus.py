"""A generated multi-language repository for the discovery benchmark, the same on every run.

Files go round-robin through the languages (Python twice: FastAPI and Flask), each about 300
lines: a few route declarations among functions that do ordinary work, so most lines are not
routes, as in a real service. What was planted is recorded, to check what discovery finds.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from bench import corpus_compiled, corpus_languages
from bench.corpus_languages import Draft, Language

LANGUAGES: tuple[Language, ...] = corpus_languages.LANGUAGES + corpus_compiled.LANGUAGES
LINES_PER_FILE = 300


@dataclass(frozen=True, slots=True)
class Planted:
    """One route declaration written into the corpus."""

    file: str
    language: str
    method: str
    path: str


@dataclass
class Corpus:
    """What was generated under `root`."""

    root: Path
    files: int = 0
    lines: int = 0
    bytes: int = 0
    planted: list[Planted] = field(default_factory=list)


def generate(root: Path, target_lines: int = 1_000_000, seed: int = 20261128) -> Corpus:
    """Write files under `root` until they hold at least `target_lines` lines."""
    rng = random.Random(seed)
    corpus = Corpus(root)
    while corpus.lines < target_lines:
        language = LANGUAGES[corpus.files % len(LANGUAGES)]
        _write(corpus, language, rng)
    return corpus


def _write(corpus: Corpus, language: Language, rng: random.Random) -> None:
    index = corpus.files
    relative = f"{language.name}/pkg{index // 40:03d}/service_{index:05d}{language.suffix}"
    draft = Draft(rng, index)
    draft.add(language.header(draft))
    routes = rng.randint(2, 6)
    slots = set(rng.sample(range(1, 20), routes))
    k = 0
    while len(draft.lines) < LINES_PER_FILE or len(draft.routes) < routes:
        writer = language.route if k in slots else language.filler
        writer(draft, k)
        k += 1
    draft.add(language.footer(draft))
    text = "\n".join(draft.lines)
    path = corpus.root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    corpus.files += 1
    corpus.lines += text.count("\n") + 1
    corpus.bytes += len(text.encode())
    corpus.planted += [Planted(relative, language.name, m, p) for m, p in draft.routes]
