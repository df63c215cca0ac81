"""GitHub (and GitHub Enterprise) through its REST API: branch → commit SHA → tarball of it.

Three calls at most: the repository (only for its default branch), the commit the branch points
at (`application/vnd.github.sha` answers with the bare SHA), and the tarball of that exact commit,
so the files always match the SHA reported. Every failure GitHub can give becomes one sentence
that says what to do; GITHUB_TOKEN goes in the Authorization header to the API and nowhere else
(httpx drops it when the tarball redirect leaves the API's origin).
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx

from apiscope import __version__
from apiscope.analysis.sources.archive import extract_tarball
from apiscope.analysis.sources.cache import RepoCache
from apiscope.analysis.sources.checkout import CheckedOut, SourceOptions
from apiscope.analysis.sources.github_errors import GitHubErrors
from apiscope.analysis.sources.spec import GitHubSpec
from apiscope.errors import ArchiveRejected, SourceError, SourceUnavailable

_SHA = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
_CHUNK = 1024 * 1024


async def open_github(
    spec: GitHubSpec, branch: str | None, options: SourceOptions, cache: RepoCache
) -> CheckedOut:
    """The tree of one commit of a GitHub repository, from the cache or a fresh tarball."""
    async with GitHubApi(spec, options) as api:
        branch = branch or spec.branch or await api.default_branch()
        sha = await api.commit_sha(branch)
        key = ("github", urlsplit(options.github_api_url).netloc, spec.owner, spec.name)
        if cached := cache.get(key, sha):
            return CheckedOut(cached, spec.display, branch, sha, "github", cached=True)
        with cache.staging() as stage:
            archive, tree = stage / "repo.tar.gz", stage / "tree"
            await api.download_tarball(sha, archive)
            await asyncio.to_thread(extract_tarball, archive, tree, options.limits, strip=1)
            root = await asyncio.to_thread(cache.put, key, sha, tree)
    return CheckedOut(root, spec.display, branch, sha, "github")


class GitHubApi:
    """The three calls, on one connection pool, with every error explained."""

    def __init__(self, spec: GitHubSpec, options: SourceOptions) -> None:
        self.spec = spec
        self.options = options
        self.errors = GitHubErrors(spec, has_token=options.github_token is not None)
        headers = {
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28",
            "User-Agent": f"apiscope/{__version__}",
        }
        if options.github_token is not None:
            headers["Authorization"] = f"Bearer {options.github_token.get_secret_value()}"
        self.client = httpx.AsyncClient(
            base_url=options.github_api_url.rstrip("/") + "/",
            headers=headers,
            follow_redirects=True,
            timeout=httpx.Timeout(30.0),
        )
        self.repo_path = f"repos/{quote(spec.owner)}/{quote(spec.name)}"

    async def __aenter__(self) -> GitHubApi:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.client.aclose()

    async def default_branch(self) -> str:
        """The branch GitHub shows by default (`main`, `master`, ...)."""
        response = await self._get(self.repo_path)
        self.errors.check(response)
        branch = _json_field(response, "default_branch")
        if not branch:
            raise SourceError(f"GitHub did not say which branch of {self.spec.display} is default")
        return branch

    async def commit_sha(self, ref: str) -> str:
        """The full SHA of the commit a branch, tag or SHA names."""
        path = f"{self.repo_path}/commits/{quote(ref, safe='/')}"
        response = await self._get(path, headers={"Accept": "application/vnd.github.sha"})
        if response.status_code in (404, 422):
            self.errors.check(await self._get(self.repo_path))  # is it the repo or the branch?
            raise SourceError(f"branch {ref!r} not found in GitHub repository {self.spec.display}")
        if response.status_code == 409:
            raise SourceError(f"GitHub repository {self.spec.display} is empty: it has no commits")
        self.errors.check(response)
        sha = response.text.strip()
        if sha.startswith("{"):  # a server that ignored the media type and sent the commit
            sha = _json_field(response, "sha") or ""
        if not _SHA.fullmatch(sha):
            raise SourceError(f"GitHub answered no commit SHA for {ref!r} in {self.spec.display}")
        return sha

    async def download_tarball(self, sha: str, dest: Path) -> None:
        """Stream the tarball of `sha` to `dest`, refusing it past the download limit."""
        try:
            async with asyncio.timeout(self.options.timeout):
                await self._stream(f"{self.repo_path}/tarball/{sha}", dest)
        except TimeoutError as exc:
            raise SourceUnavailable(
                f"downloading {self.spec.display} took longer than {self.options.timeout:g} s"
            ) from exc
        except httpx.HTTPError as exc:
            raise SourceUnavailable(f"downloading {self.spec.display} failed: {exc}") from exc

    async def _stream(self, path: str, dest: Path) -> None:
        limit = self.options.limits.max_download_bytes
        async with self.client.stream("GET", path) as response:
            if not response.is_success:
                await response.aread()
                self.errors.check(response)
            received = 0
            with dest.open("wb") as out:
                async for chunk in response.aiter_bytes(_CHUNK):
                    received += len(chunk)
                    if received > limit:
                        raise ArchiveRejected(
                            f"the archive of {self.spec.display} is larger than "
                            f"{limit / 1024 / 1024:,.0f} MiB, the download limit"
                        )
                    out.write(chunk)

    async def _get(self, path: str, headers: dict[str, str] | None = None) -> httpx.Response:
        try:
            return await self.client.get(path, headers=headers)
        except httpx.HTTPError as exc:
            raise SourceUnavailable(
                f"cannot reach the GitHub API at {self.options.github_api_url}: {exc}"
            ) from exc


def _json_field(response: httpx.Response, name: str) -> str | None:
    try:
        value = response.json().get(name)
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None
