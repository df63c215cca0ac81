"""What a REPO argument names, and what an untrusted caller (the HTTP API) may name."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest
from pydantic import SecretStr

from apiscope.analysis.sources import SourceOptions
from apiscope.analysis.sources.spec import (
    GitHubSpec,
    GitSpec,
    LocalSpec,
    check_branch,
    parse_spec,
    redact,
)
from apiscope.errors import SourceError
from apiscope.settings import Settings

TRUSTED = SourceOptions()
UNTRUSTED = SourceOptions.for_http(Settings(allow_local_repos=False))


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("octo/hello-world", GitHubSpec("octo", "hello-world")),
        ("octo/hello.js.git", GitHubSpec("octo", "hello.js")),
        ("https://github.com/octo/hello", GitHubSpec("octo", "hello")),
        ("https://github.com/octo/hello.git/", GitHubSpec("octo", "hello")),
        ("https://github.com/o/h/tree/release/2.x", GitHubSpec("o", "h", "release/2.x")),
        ("git@github.com:octo/hello.git", GitHubSpec("octo", "hello")),
        ("https://gitlab.com/g/sub/p.git", GitSpec(*["https://gitlab.com/g/sub/p.git"] * 2)),
        ("git@gitlab.com:group/proj.git", GitSpec(*["git@gitlab.com:group/proj.git"] * 2)),
        ("ssh://git@example.com/x.git", GitSpec("ssh://git@example.com/x.git", "ssh://example.com/x.git")),
        ("file:///srv/repo.git", GitSpec(*["file:///srv/repo.git"] * 2)),
        ("/no/such/folder", LocalSpec(Path("/no/such/folder"))),
        ("./service", LocalSpec(Path("service"))),
        ("a/b/c", LocalSpec(Path("a/b/c"))),
    ],
)  # fmt: skip
def test_trusted_specs(spec: str, expected: object) -> None:
    """GitHub in all its spellings goes to the API; other URLs to git; paths stay local."""
    assert parse_spec(spec, TRUSTED) == expected


def test_an_existing_folder_wins_over_owner_name(tmp_path: Path, monkeypatch) -> None:
    """On the command line `src/app` that exists is that folder, not a GitHub repository."""
    (tmp_path / "src" / "app").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    assert parse_spec("src/app", TRUSTED) == LocalSpec(Path("src/app"))
    assert parse_spec("src/app", UNTRUSTED) == GitHubSpec("src", "app")


def test_github_enterprise_urls_follow_the_configured_api() -> None:
    """With APISCOPE_GITHUB_API_URL on an Enterprise host, that host's URLs use the API."""
    options = SourceOptions(github_api_url="https://ghe.example.com/api/v3")
    assert parse_spec("https://ghe.example.com/team/svc", options) == GitHubSpec("team", "svc")
    assert isinstance(parse_spec("https://github.com/team/svc", options), GitSpec)


@pytest.mark.parametrize(
    ("spec", "reason"),
    [
        ("/etc", "owner/name or an https URL"),
        ("file:///srv/repo.git", "local repositories are not allowed"),
        ("http://gitlab.com/x/y.git", "must be https"),
        ("https://internal.example/x.git", "must be https"),
        ("https://127.0.0.1:8080/x.git", "must be https"),
        ("git@gitlab.com:x/y.git", "must be https"),
        ("ext::sh -c touch% /tmp/pwned", "owner/name or an https URL"),
        ("-uhack/x", "not a repository"),
    ],
)
def test_untrusted_callers_are_held_to_github_and_https(spec: str, reason: str) -> None:
    """Over HTTP, without APISCOPE_ALLOW_LOCAL_REPOS: no paths, no file://, only known hosts."""
    with pytest.raises(SourceError, match=reason):
        parse_spec(spec, UNTRUSTED)


def test_untrusted_callers_may_use_github_and_known_hosts() -> None:
    """owner/name and https URLs to the allowed hosts pass the same policy."""
    assert parse_spec("octo/hello", UNTRUSTED) == GitHubSpec("octo", "hello")
    assert isinstance(parse_spec("https://gitlab.com/x/y.git", UNTRUSTED), GitSpec)


def test_allow_local_repos_opens_paths_and_file_urls_over_http() -> None:
    """APISCOPE_ALLOW_LOCAL_REPOS=1 lets the HTTP API name local folders and file:// URLs."""
    options = SourceOptions.for_http(Settings(allow_local_repos=True))
    assert parse_spec("/srv/code", options) == LocalSpec(Path("/srv/code"))
    assert isinstance(parse_spec("file:///srv/repo.git", options), GitSpec)


def test_named_local_roots_are_open_to_untrusted_callers(tmp_path: Path) -> None:
    """A folder in `local_roots` (the demo) may be named over HTTP; nothing around it may."""
    demo = tmp_path / "demo"
    (demo / "app").mkdir(parents=True)
    (tmp_path / "secret").mkdir()
    options = replace(UNTRUSTED, local_roots=frozenset({demo}))
    assert parse_spec(str(demo), options) == LocalSpec(demo)
    assert parse_spec(str(demo / "app"), options) == LocalSpec(demo / "app")
    for outside in (tmp_path / "secret", demo / ".." / "secret"):
        with pytest.raises(SourceError, match="owner/name or an https URL"):
            parse_spec(str(outside), options)
    os.symlink(tmp_path / "secret", demo / "link")
    with pytest.raises(SourceError, match="owner/name or an https URL"):
        parse_spec(str(demo / "link"), options)


@pytest.mark.parametrize("spec", ["svn://example.com/repo", "ftp://example.com/x.git"])
def test_unsupported_schemes_are_refused(spec: str) -> None:
    """Only the transports git can use safely are accepted, even from the CLI."""
    with pytest.raises(SourceError, match="unsupported repository URL scheme"):
        parse_spec(spec, TRUSTED)


def test_credentials_never_appear_in_the_display_name() -> None:
    """A URL with a user and password is shown and logged without them."""
    spec = parse_spec("https://bob:hunter2@git.example.com:8443/team/x.git", TRUSTED)
    assert isinstance(spec, GitSpec)
    assert spec.display == "https://git.example.com:8443/team/x.git"
    assert redact("https://token@host/x") == "https://host/x"


@pytest.mark.parametrize("branch", ["-upload-pack=evil", "a..b", "x y", "a:b", "../../x", "/x"])
def test_branch_names_git_would_refuse_are_refused(branch: str) -> None:
    """A branch cannot smuggle an option into git or reshape an API path."""
    with pytest.raises(SourceError, match="not a valid branch name"):
        check_branch(branch)
    assert check_branch("feature/login-2.x") == "feature/login-2.x"
    assert check_branch("  ") is None


def test_a_branch_in_a_github_url_is_checked_too() -> None:
    """`/tree/BRANCH` goes through the same check as --branch."""
    with pytest.raises(SourceError, match=r"not a valid branch name: 'a\.\.b'"):
        parse_spec("https://github.com/octo/hello/tree/a..b", TRUSTED)


def test_options_keep_the_token_out_of_their_repr() -> None:
    """Options built from settings hold GITHUB_TOKEN as a secret a repr or log cannot show."""
    options = SourceOptions.for_cli(Settings(github_token="ghp_secret123"))
    assert options.github_token is not None
    assert options.github_token.get_secret_value() == "ghp_secret123"
    assert "ghp_secret123" not in repr(options)
    assert SourceOptions.for_cli(Settings(github_token=SecretStr(" "))).github_token is None
