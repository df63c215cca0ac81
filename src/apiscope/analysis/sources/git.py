"""Any git URL: resolve the branch to a commit with `ls-remote`, then a shallow clone of it.

Resolving first means a commit already in the cache costs one round trip and no clone. git runs
with prompts switched off (no terminal may ever wait for a password) and with a time limit; its
error lines are passed on without the credentials a URL may carry.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import re
import shutil
from asyncio.subprocess import DEVNULL, PIPE
from dataclasses import dataclass
from pathlib import Path

from apiscope.analysis.sources.cache import RepoCache
from apiscope.analysis.sources.checkout import CheckedOut, SourceOptions
from apiscope.analysis.sources.spec import GitSpec
from apiscope.errors import SourceError, SourceUnavailable

_QUIET_ENV = {
    "GIT_TERMINAL_PROMPT": "0",
    "GCM_INTERACTIVE": "never",
    "GIT_SSH_COMMAND": "ssh -o BatchMode=yes",
}
_CREDENTIALS = re.compile(r"//[^/@\s]+@")


@dataclass(frozen=True, slots=True)
class RemoteHead:
    """The branch to check out and the commit it points at."""

    branch: str | None
    sha: str


async def open_git(
    spec: GitSpec, branch: str | None, options: SourceOptions, cache: RepoCache
) -> CheckedOut:
    """The tree of `branch` (or the remote's default branch), from the cache or a shallow clone."""
    head = await resolve(spec, branch, options.timeout)
    key = ("git", _cache_key(spec.display))
    if cached := cache.get(key, head.sha):
        return CheckedOut(cached, spec.display, head.branch, head.sha, "git", cached=True)
    with cache.staging() as stage:
        tree = stage / "tree"
        await _clone(spec, head.branch, tree, options.timeout)
        sha = (await run_git("-C", str(tree), "rev-parse", "HEAD", timeout=options.timeout)).strip()
        await asyncio.to_thread(shutil.rmtree, tree / ".git")
        root = await asyncio.to_thread(cache.put, key, sha, tree)
    return CheckedOut(root, spec.display, head.branch, sha, "git")


async def resolve(spec: GitSpec, branch: str | None, timeout: float) -> RemoteHead:
    """Ask the remote which commit `branch` (a branch or tag; None: HEAD) points at."""
    if branch is None:
        refs, symrefs = await _ls_remote(spec, ["HEAD"], timeout)
        if "HEAD" not in refs:
            raise SourceError(f"repository {spec.display} is empty: it has no commits")
        default = symrefs.get("HEAD", "").removeprefix("refs/heads/") or None
        return RemoteHead(default, refs["HEAD"])
    names = [f"refs/tags/{branch}^{{}}", f"refs/heads/{branch}", f"refs/tags/{branch}"]
    refs, _ = await _ls_remote(spec, names, timeout)
    sha = next((refs[name] for name in names if name in refs), None)
    if sha is None:
        raise SourceError(f"branch {branch!r} not found in {spec.display}")
    return RemoteHead(branch, sha)


async def _ls_remote(
    spec: GitSpec, patterns: list[str], timeout: float
) -> tuple[dict[str, str], dict[str, str]]:
    """`{ref: sha}` and `{ref: target}` for the symbolic refs."""
    out = await run_git("ls-remote", "--symref", spec.url, *patterns, timeout=timeout, what=spec)
    refs: dict[str, str] = {}
    symrefs: dict[str, str] = {}
    for line in out.splitlines():
        value, _, ref = line.partition("\t")
        if value.startswith("ref: "):
            symrefs[ref] = value.removeprefix("ref: ")
        elif ref:
            refs[ref] = value
    return refs, symrefs


async def _clone(spec: GitSpec, branch: str | None, dest: Path, timeout: float) -> None:
    args = ["-c", "advice.detachedHead=false", "clone", "--quiet", "--depth", "1"]
    args += ["--single-branch", "--no-tags"]
    if branch is not None:
        args += ["--branch", branch]
    await run_git(*args, "--", spec.url, str(dest), timeout=timeout, what=spec)


async def run_git(*args: str, timeout: float, what: GitSpec | None = None) -> str:
    """git's standard output; a failure becomes one line naming the repository."""
    name = what.display if what else "the repository"
    try:
        proc = await asyncio.create_subprocess_exec(
            "git", *args, stdin=DEVNULL, stdout=PIPE, stderr=PIPE, env={**os.environ, **_QUIET_ENV}
        )
    except FileNotFoundError as exc:
        raise SourceError("git is not installed; it is needed to read git repositories") from exc
    try:
        out, err = await asyncio.wait_for(proc.communicate(), timeout)
    except TimeoutError as exc:
        raise SourceUnavailable(f"git took longer than {timeout:g} s reading {name}") from exc
    finally:
        if proc.returncode is None:  # timed out or cancelled: never leave git running
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            await proc.wait()
    if proc.returncode != 0:
        raise SourceError(f"git could not read {name}: {_reason(err)}")
    return out.decode("utf-8", "replace")


def _reason(stderr: bytes) -> str:
    """git's own explanation: its first `fatal:` line, credentials removed."""
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines()]
    lines = [line for line in lines if line] or ["no error message"]
    line = next((x for x in lines if x.startswith(("fatal:", "error:"))), lines[-1])
    line = line.removeprefix("fatal: ").removeprefix("error: ")
    return _CREDENTIALS.sub("//", line)[:300]


def _cache_key(display: str) -> str:
    """`name-<hash>`: readable in a listing, unique per URL."""
    name = display.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")
    return f"{name}-{hashlib.sha256(display.encode()).hexdigest()[:16]}"
