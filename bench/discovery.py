"""Discovery throughput: `discover()` on a generated repository of about a million lines across
eight languages, against `grep -rE` for route-like lines over the same tree, in the same run.

grep is the floor, not a rival: it reads every byte once and matches a regular expression per
line, and that is all. It cannot resolve a prefix, name a handler or tell a route from a comment.
Discovery parses every file with tree-sitter and walks the trees in Python, so the ratio says
what the understanding costs per line. The same corpus is then discovered in one process and in
one per core, to show what the worker pool gains, and what discovery found is checked against
what the generator planted.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import subprocess
import tempfile
import time
from collections import Counter
from pathlib import Path

from apiscope.analysis.discovery import discover
from apiscope.analysis.discovery.parallel import available_cpus
from bench.corpus import Corpus, generate
from bench.results import Row, markdown

NAME = "discovery"
ROUTE_LIKE = "|".join(
    (
        r"@(app|router|api|bp)\.(get|post|put|patch|delete|route)\(",
        r"\b(app|router)\.(get|post|put|patch|delete|all)\(",
        r"@(Get|Post|Put|Patch|Delete|Request)Mapping",
        r"\[(Http(Get|Post|Put|Patch|Delete)|Route)\(",
        r"\.(GET|POST|PUT|PATCH|DELETE)\(",
        r"Route::(get|post|put|patch|delete|any|match)\(",
        r"^\s*(get|post|put|patch|delete) ['\"]",
        r"#\[(get|post|put|patch|delete)\(",
    )
)
"""One alternation per framework family in the corpus: what a quick audit with grep would use."""
SUFFIXES = (".py", ".js", ".ts", ".java", ".go", ".rb", ".php", ".cs", ".rs")


def grep_scan(root: Path) -> tuple[float, int]:
    """Seconds for `grep -rEn` over the tree, and the number of lines it matched."""
    includes = [f"--include=*{suffix}" for suffix in SUFFIXES]
    started = time.perf_counter()
    done = subprocess.run(
        ["grep", "-rEn", *includes, "-e", ROUTE_LIKE, str(root)],
        capture_output=True,
        check=False,
    )
    took = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise RuntimeError(f"grep failed: {done.stderr.decode()}")
    return took, done.stdout.count(b"\n")


def discover_timed(root: Path, workers: int) -> tuple[float, set[tuple[str, str, str]]]:
    """Seconds for `discover()` with this many processes, and what it found."""
    started = time.perf_counter()
    found = discover(root, workers=workers)
    took = time.perf_counter() - started
    return took, {(r.file, r.method, r.path) for r in found.routes}


def peak_memory_note() -> str:
    """Peak resident memory of this process: the 1-process run, all syntax trees held."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return f"peak memory of the 1-process run: {peak:,.0f} MiB"


def recall_note(corpus: Corpus, found: set[tuple[str, str, str]]) -> tuple[int, str]:
    """Planted routes found, and the count per language."""
    planted = Counter(p.language for p in corpus.planted)
    hits = Counter(p.language for p in corpus.planted if (p.file, p.method, p.path) in found)
    per_language = ", ".join(f"{lang} {hits[lang]}/{planted[lang]}" for lang in sorted(planted))
    return sum(hits.values()), per_language


async def run(lines: int = 1_000_000, workers: int | None = None) -> list[Row]:
    """Generate the corpus, then time grep (median of 3) and discovery with N and 1 processes."""
    workers = workers or available_cpus()
    with tempfile.TemporaryDirectory(prefix="apiscope-bench-") as tmp:
        corpus = generate(Path(tmp) / "repo", lines)
        greps = sorted(grep_scan(corpus.root) for _ in range(3))
        grep_seconds, grep_hits = greps[1]
        ours, found = await asyncio.to_thread(discover_timed, corpus.root, workers)
        serial, serial_found = await asyncio.to_thread(discover_timed, corpus.root, 1)
    if found != serial_found:
        raise AssertionError("discovery found different routes with 1 and N processes")
    hits, per_language = recall_note(corpus, found)
    size = f"{corpus.lines:,} lines in {corpus.files:,} files; ratio 1/{ours / grep_seconds:,.0f}"
    return [
        Row(NAME, f"source lines/s: discover ({workers} processes) vs grep -rE route-like lines",
            corpus.lines / ours, corpus.lines / grep_seconds, "lines/s", True, size),
        Row(NAME, "wall time over the corpus", ours, grep_seconds, "s", False,
            f"grep matched {grep_hits:,} lines; discovery found {len(found):,} routes"),
        Row(NAME, f"(informative) wall time: {workers} processes vs 1", ours, serial, "s", False,
            f"same routes either way (checked); {peak_memory_note()}"),
        Row(NAME, "(informative) planted routes found (recall)", hits, len(corpus.planted),
            "routes", True, per_language),
    ]  # fmt: skip


def main() -> None:
    """`python -m bench.discovery [--lines N] [--workers N]`: run this benchmark alone."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000, help="corpus size in lines")
    parser.add_argument("--workers", type=int, default=None, help="processes (default: cores)")
    args = parser.parse_args()
    print(markdown(asyncio.run(run(args.lines, args.workers))))


if __name__ == "__main__":
    main()
