"""What every source hands back, and what it is allowed to do: plain records, no I/O."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import SecretStr

from apiscope.settings import DEFAULT_GITHUB_API_URL, Settings

DEFAULT_ALLOWED_HOSTS = frozenset({"github.com", "gitlab.com", "bitbucket.org", "codeberg.org"})
"""Hosts an untrusted caller (the HTTP API) may name in an https URL, besides GitHub's own."""


@dataclass(frozen=True, slots=True)
class CheckedOut:
    """A repository's files on disk, at a known commit when there is one."""

    root: Path
    """The folder to read: in the cache for remote sources, the folder itself when local."""
    repo: str
    """How to show the repository: `owner/name`, the URL without credentials, or the path."""
    branch: str | None
    """The branch or tag checked out; the default branch when none was asked for."""
    commit: str | None
    """The full commit SHA (None for a local folder that is not a git work tree)."""
    source: str
    """Where it came from: `local`, `git` or `github`."""
    cached: bool = False
    """True when the files came from the cache rather than a fresh download."""

    def to_json(self) -> dict[str, str | None]:
        """The result's `repository` object."""
        return {"repo": self.repo, "branch": self.branch, "commit": self.commit}


@dataclass(frozen=True, slots=True)
class ArchiveLimits:
    """Bounds on what one repository may unpack to; going over any of them refuses it."""

    max_download_bytes: int = 512 * 1024 * 1024
    max_total_bytes: int = 2 * 1024 * 1024 * 1024
    max_file_bytes: int = 100 * 1024 * 1024
    max_files: int = 200_000


def default_cache_dir() -> Path:
    """`$XDG_CACHE_HOME/apiscope/repos`, or `~/.cache/apiscope/repos`."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "apiscope" / "repos"


@dataclass(frozen=True, slots=True)
class SourceOptions:
    """How sources fetch, where they cache, and which repository specs a caller may use."""

    cache_dir: Path = field(default_factory=default_cache_dir)
    github_api_url: str = DEFAULT_GITHUB_API_URL
    github_token: SecretStr | None = None
    """Sent only to the GitHub API; SecretStr so a repr or log of the options never shows it."""
    allow_local: bool = True
    """Local paths and file:// URLs; always for the CLI, by setting for the HTTP API."""
    allowed_hosts: frozenset[str] | None = None
    """When set, remote URLs must be https to one of these hosts; None allows any git URL."""
    local_roots: frozenset[Path] = frozenset()
    """Folders any caller may name, even without `allow_local`: the shipped demo application."""
    limits: ArchiveLimits = ArchiveLimits()
    timeout: float = 300.0
    """Seconds one git command or one download may take."""

    @classmethod
    def for_cli(cls, settings: Settings, cache_dir: Path | None = None) -> SourceOptions:
        """A trusted caller: any path or git URL."""
        return cls(
            cache_dir=cache_dir or default_cache_dir(),
            github_api_url=settings.github_api_url,
            github_token=_token(settings.github_token),
        )

    @classmethod
    def for_http(cls, settings: Settings, cache_dir: Path | None = None) -> SourceOptions:
        """An untrusted caller: owner/name or https to known hosts; local only if allowed."""
        hosts = DEFAULT_ALLOWED_HOSTS | {github_web_host(settings.github_api_url)}
        return cls(
            cache_dir=cache_dir or default_cache_dir(),
            github_api_url=settings.github_api_url,
            github_token=_token(settings.github_token),
            allow_local=settings.allow_local_repos,
            allowed_hosts=frozenset(hosts),
        )


def github_web_host(api_url: str) -> str:
    """The host of GitHub's web pages for an API base: github.com, or the Enterprise host."""
    host = (urlsplit(api_url).hostname or "").lower()
    return "github.com" if host in ("api.github.com", "github.com") else host


def _token(token: SecretStr | None) -> SecretStr | None:
    """An empty GITHUB_TOKEN means none (CI systems often export it empty)."""
    return token if token is not None and token.get_secret_value().strip() else None
