"""What a REPO argument names: a local folder, a git URL, or a GitHub repository.

`owner/name`, `https://github.com/owner/name[.git][/tree/BRANCH]` and `git@github.com:owner/name`
all go through the GitHub REST API (a tarball of one commit is far cheaper than a clone); any other
URL is cloned with git. An untrusted caller (the HTTP API) is held to https URLs to allowed hosts
and owner/name, plus local paths and file:// only when the setting allows them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from apiscope.analysis.sources.checkout import SourceOptions, github_web_host
from apiscope.errors import SourceError

_OWNER = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})"
_NAME = r"[A-Za-z0-9._-]{1,100}"
_OWNER_NAME = re.compile(rf"({_OWNER})/({_NAME}?)(?:\.git)?/?")
"""`owner/name`; the lazy name leaves a trailing `.git` to the optional suffix."""
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
_SCP_LIKE = re.compile(r"^[A-Za-z0-9._-]+@([A-Za-z0-9.-]+):(?!//)(.+)$")
_GIT_SCHEMES = frozenset({"https", "http", "ssh", "git", "git+ssh", "file"})
_BAD_REF = re.compile(r"^[-/]|\.\.|[\x00-\x20\x7f~^:?*\[\\]|@\{|\.lock$|/$|//")
"""What git's check-ref-format refuses; also keeps a branch from reshaping an API URL path."""


@dataclass(frozen=True, slots=True)
class LocalSpec:
    """A folder on this machine."""

    path: Path


@dataclass(frozen=True, slots=True)
class GitSpec:
    """A repository git can clone; `display` is the URL without credentials."""

    url: str
    display: str


@dataclass(frozen=True, slots=True)
class GitHubSpec:
    """A repository on GitHub (or the configured GitHub Enterprise)."""

    owner: str
    name: str
    branch: str | None = None
    """A branch named in the URL (`/tree/BRANCH`), used when none is given apart."""

    @property
    def display(self) -> str:
        """`owner/name`."""
        return f"{self.owner}/{self.name}"


RepoSpec = LocalSpec | GitSpec | GitHubSpec


def parse_spec(spec: str, options: SourceOptions) -> RepoSpec:
    """What `spec` names, refused with a one-line reason if this caller may not use it."""
    spec = spec.strip()
    if not spec or spec.startswith("-") or any(c in spec for c in "\0\n\r"):
        raise SourceError(f"not a repository: {spec!r}")
    web_host = github_web_host(options.github_api_url)
    if _SCHEME.match(spec):
        return _url_spec(spec, web_host, options)
    if scp := _SCP_LIKE.match(spec):
        return _scp_spec(spec, scp, web_host, options)
    local = Path(spec).expanduser()
    if options.allow_local and (_looks_like_path(spec) or local.exists()):
        return LocalSpec(local)
    if _within(local, options.local_roots):
        return LocalSpec(local)
    if owner_name := _OWNER_NAME.fullmatch(spec):
        return _github(owner_name.group(1), owner_name.group(2), None, spec)
    if options.allow_local:
        return LocalSpec(local)
    raise SourceError(f"repo must be owner/name or an https URL, not {spec!r}")


def check_branch(branch: str | None) -> str | None:
    """The branch name, None if empty; refused if git could never have created it."""
    if branch is None or not branch.strip():
        return None
    if _BAD_REF.search(branch):
        raise SourceError(f"not a valid branch name: {branch!r}")
    return branch


def _within(path: Path, roots: frozenset[Path]) -> bool:
    """Whether `path`, links and `..` resolved, is one of `roots` or inside one."""
    if not roots:
        return False
    resolved = path.resolve()
    return any(resolved.is_relative_to(root.resolve()) for root in roots)


def _looks_like_path(spec: str) -> bool:
    """A spec that can only mean a folder: `/abs`, `./rel`, `../up`, `~/home`, `a/b/c`."""
    return spec.startswith(("/", ".", "~", "\\")) or spec.count("/") != 1


def _url_spec(spec: str, web_host: str, options: SourceOptions) -> RepoSpec:
    parts = urlsplit(spec)
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if scheme not in _GIT_SCHEMES:
        raise SourceError(f"unsupported repository URL scheme {scheme!r} in {redact(spec)}")
    if scheme == "file":
        if not options.allow_local:
            raise SourceError("local repositories are not allowed (APISCOPE_ALLOW_LOCAL_REPOS)")
        return GitSpec(spec, redact(spec))
    if scheme in ("https", "http") and host == web_host:
        return _github_url(parts.path, spec)
    _check_host(scheme, host, spec, options)
    return GitSpec(spec, redact(spec))


def _scp_spec(spec: str, match: re.Match[str], web_host: str, options: SourceOptions) -> RepoSpec:
    host, path = match.group(1).lower(), match.group(2)
    if host == web_host and (owner_name := _OWNER_NAME.fullmatch(path)):
        return _github(owner_name.group(1), owner_name.group(2), None, spec)
    _check_host("ssh", host, spec, options)
    return GitSpec(spec, spec)


def _github_url(path: str, spec: str) -> GitHubSpec:
    """`/owner/name[.git][/tree/BRANCH]` on GitHub's web host."""
    head, _, branch = path.strip("/").partition("/tree/")
    owner_name = _OWNER_NAME.fullmatch(head)
    if owner_name is None:
        raise SourceError(f"not a GitHub repository URL: {redact(spec)}")
    return _github(owner_name.group(1), owner_name.group(2), check_branch(branch.strip("/")), spec)


def _github(owner: str, name: str, branch: str | None, spec: str) -> GitHubSpec:
    if name in ("", ".", ".."):
        raise SourceError(f"not a GitHub repository: {redact(spec)}")
    return GitHubSpec(owner, name, branch)


def _check_host(scheme: str, host: str, spec: str, options: SourceOptions) -> None:
    """An untrusted caller may only reach the allowed hosts, over https."""
    allowed = options.allowed_hosts
    if allowed is None:
        return
    if scheme != "https" or host not in allowed:
        hosts = ", ".join(sorted(allowed))
        raise SourceError(f"repository URLs must be https to one of {hosts}: {redact(spec)}")


def redact(url: str) -> str:
    """The URL without a user name or password, so it can be shown and logged."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    netloc = parts.hostname or ""
    if parts.port is not None:
        netloc += f":{parts.port}"
    return urlunsplit(parts._replace(netloc=netloc))
