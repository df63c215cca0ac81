"""Repository sources: a REPO argument and a branch in, a folder of files at a known commit out.

    open_source("owner/name", "main")           GitHub REST API: tarball of the branch's commit
    open_source("https://host/x.git", None)     any git URL: shallow clone of the default branch
    open_source("./service", None)              a local folder, read in place

Remote trees are cached by commit SHA (`cache.py`), and tarballs are unpacked by `archive.py`,
which trusts nothing in them. Every failure is a `SourceError` with a one-line message;
`SourceUnavailable` marks the transient ones (rate limits, network) worth retrying.

This is async because fetching is waiting (HTTP, a git subprocess); the CPU-bound unpacking runs
in a thread. A pipeline step awaits it; the CLI bridges with `asyncio.run` once, at the edge.
"""

from __future__ import annotations

from apiscope.analysis.sources.cache import RepoCache
from apiscope.analysis.sources.checkout import ArchiveLimits, CheckedOut, SourceOptions
from apiscope.analysis.sources.git import open_git
from apiscope.analysis.sources.github import open_github
from apiscope.analysis.sources.local import open_local
from apiscope.analysis.sources.spec import GitHubSpec, LocalSpec, check_branch, parse_spec


async def open_source(
    spec: str, branch: str | None = None, options: SourceOptions | None = None
) -> CheckedOut:
    """Fetch (or find in the cache) the repository `spec` names, at `branch` or its default."""
    options = options or SourceOptions()
    repo = parse_spec(spec, options)
    branch = check_branch(branch)
    cache = RepoCache(options.cache_dir)
    if isinstance(repo, LocalSpec):
        return await open_local(repo, branch, options, cache)
    if isinstance(repo, GitHubSpec):
        return await open_github(repo, branch, options, cache)
    return await open_git(repo, branch, options, cache)


__all__ = ["ArchiveLimits", "CheckedOut", "SourceOptions", "open_source"]
