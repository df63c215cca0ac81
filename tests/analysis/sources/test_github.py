"""GitHub through the real client code, against the fake GitHub REST server on 127.0.0.1."""

from __future__ import annotations

import logging
import tarfile
from dataclasses import replace
from pathlib import Path

import pytest
from bench.server import free_port
from pydantic import SecretStr

from apiscope.analysis.sources import ArchiveLimits, SourceOptions, open_source
from apiscope.errors import ArchiveRejected, SourceError, SourceUnavailable
from tests.analysis.sources.conftest import entry, github_tarball, make_tarball
from tests.analysis.sources.fake_github import FakeGitHub, FakeRepo

MAIN_SHA = "a" * 40
FEATURE_SHA = "b" * 40
TOKEN = "ghp_SECRETtoken0123456789"


@pytest.fixture
def repo(github: FakeGitHub, tmp_path: Path) -> FakeRepo:
    """octo/shop: `main` and `feature/login`, each with its own tarball."""
    main = github_tarball(tmp_path / "main.tgz", {"app.py": "main\n"})
    feature = github_tarball(tmp_path / "feature.tgz", {"login.py": "login\n"})
    repo = FakeRepo(
        refs={"main": MAIN_SHA, "feature/login": FEATURE_SHA},
        tarballs={MAIN_SHA: main.read_bytes(), FEATURE_SHA: feature.read_bytes()},
    )
    github.repos["octo", "shop"] = repo
    return repo


@pytest.fixture
def gh_options(github: FakeGitHub, options: SourceOptions) -> SourceOptions:
    return replace(options, github_api_url=github.api_url)


def with_token(options: SourceOptions, token: str = TOKEN) -> SourceOptions:
    return replace(options, github_token=SecretStr(token))


async def test_default_branch_commit_and_tarball(
    github: FakeGitHub, repo: FakeRepo, gh_options: SourceOptions
) -> None:
    """No branch: the repo API names the default branch, its SHA is resolved, its tarball used."""
    checked = await open_source("octo/shop", None, gh_options)
    assert (checked.repo, checked.branch, checked.commit) == ("octo/shop", "main", MAIN_SHA)
    assert (checked.root / "app.py").read_text() == "main\n"
    assert github.paths() == [
        "/repos/octo/shop",
        "/repos/octo/shop/commits/main",
        f"/repos/octo/shop/tarball/{MAIN_SHA}",
    ]
    assert github.paths("codeload") == [f"/codeload/octo/shop/{MAIN_SHA}"]


async def test_a_branch_named_in_the_url_or_apart(
    github: FakeGitHub, repo: FakeRepo, gh_options: SourceOptions
) -> None:
    """`/tree/feature/login` in a URL and --branch both pick that branch, with no repo call."""
    url = "http://127.0.0.1/octo/shop/tree/feature/login"  # the fake API's web host
    for spec, branch in ((url, None), ("octo/shop", "feature/login")):
        checked = await open_source(spec, branch, gh_options)
        assert (checked.branch, checked.commit) == ("feature/login", FEATURE_SHA)
        assert (checked.root / "login.py").is_file()
    assert "/repos/octo/shop" not in github.paths()


async def test_a_known_commit_is_not_downloaded_again(
    github: FakeGitHub, repo: FakeRepo, gh_options: SourceOptions
) -> None:
    """The SHA is always resolved online, but a cached commit's tarball is not fetched again."""
    first = await open_source("octo/shop", "main", gh_options)
    again = await open_source("octo/shop", "main", gh_options)
    assert (again.cached, again.root) == (True, first.root)
    assert github.paths().count("/repos/octo/shop/commits/main") == 2
    assert len(github.paths("codeload")) == 1


async def test_github_enterprise_base_path(
    github: FakeGitHub, repo: FakeRepo, gh_options: SourceOptions
) -> None:
    """APISCOPE_GITHUB_API_URL with a path (Enterprise's /api/v3) prefixes every call."""
    options = replace(gh_options, github_api_url=f"{github.api_url}/api/v3")
    checked = await open_source("octo/shop", None, options)
    assert checked.commit == MAIN_SHA
    assert all(path.startswith("/api/v3/repos/octo/shop") for path in github.paths())


async def test_private_repository_needs_the_token(
    github: FakeGitHub, repo: FakeRepo, gh_options: SourceOptions
) -> None:
    """Without a token GitHub says 404, and the error says a token may be what is missing."""
    repo.private = True
    with pytest.raises(SourceError, match=r"octo/shop not found .*set GITHUB_TOKEN"):
        await open_source("octo/shop", None, gh_options)
    github.token = TOKEN
    checked = await open_source("octo/shop", None, with_token(gh_options))
    assert checked.commit == MAIN_SHA


async def test_the_token_goes_to_the_api_only(
    github: FakeGitHub, repo: FakeRepo, gh_options: SourceOptions, caplog
) -> None:
    """Sent to the API, never to the tarball host, and absent from the result and every log."""
    caplog.set_level(logging.DEBUG)
    github.token = TOKEN
    checked = await open_source("octo/shop", None, with_token(gh_options))
    api = [r.headers.get("authorization") for r in github.requests if r.server == "api"]
    codeload = [r.headers.get("authorization") for r in github.requests if r.server != "api"]
    assert api == [f"Bearer {TOKEN}"] * 3
    assert codeload == [None]
    assert TOKEN not in repr(checked) + str(checked.to_json())
    assert caplog.records, "httpx logs its requests at this level"
    assert all(TOKEN not in record.getMessage() for record in caplog.records)


async def test_a_bad_token_is_explained(
    github: FakeGitHub, repo: FakeRepo, gh_options: SourceOptions
) -> None:
    """401 Bad credentials names GITHUB_TOKEN and never shows it."""
    github.token = TOKEN
    with pytest.raises(SourceError, match="rejected GITHUB_TOKEN") as raised:
        await open_source("octo/shop", None, with_token(gh_options, "ghp_wrong"))
    assert "ghp_wrong" not in str(raised.value)


async def test_missing_repository_branch_and_empty_repository(
    github: FakeGitHub, repo: FakeRepo, gh_options: SourceOptions
) -> None:
    """Three different 4xx answers, three different one-line errors."""
    with pytest.raises(SourceError, match="repository octo/nothing not found"):
        await open_source("octo/nothing", "main", gh_options)
    with pytest.raises(SourceError, match="branch 'gone' not found in GitHub repository octo/shop"):
        await open_source("octo/shop", "gone", gh_options)
    github.repos["octo", "new"] = FakeRepo(empty=True)
    with pytest.raises(SourceError, match="octo/new is empty"):
        await open_source("octo/new", None, gh_options)


async def test_primary_rate_limit_says_when_it_resets(
    github: FakeGitHub, repo: FakeRepo, gh_options: SourceOptions
) -> None:
    """403 with X-RateLimit-Remaining 0: transient, with the reset time from X-RateLimit-Reset."""
    reset = "1893456000"  # 2030-01-01 00:00:00 UTC
    headers = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset}
    github.fail_next("/repos/octo/shop", 403, headers, message="API rate limit exceeded")
    with pytest.raises(SourceUnavailable) as raised:
        await open_source("octo/shop", None, gh_options)
    message = str(raised.value)
    assert "rate limit exceeded (403); it resets at 2030-01-01 00:00:00 UTC" in message
    assert message.endswith("set GITHUB_TOKEN for a higher limit")
    assert raised.value.retry_after is not None and raised.value.retry_after > 0


async def test_secondary_rate_limit_429_gives_the_wait(
    github: FakeGitHub, repo: FakeRepo, gh_options: SourceOptions
) -> None:
    """429 with Retry-After: transient, the wait taken from the header."""
    github.fail_next("/repos/octo/shop/commits", 429, {"Retry-After": "30"}, message="slow down")
    with pytest.raises(SourceUnavailable, match=r"rate limit exceeded \(429\)") as raised:
        await open_source("octo/shop", "main", with_token(gh_options))
    assert raised.value.retry_after is not None and 0 < raised.value.retry_after <= 30
    assert "GITHUB_TOKEN" not in str(raised.value)


async def test_a_plain_403_is_not_a_rate_limit(
    github: FakeGitHub, repo: FakeRepo, gh_options: SourceOptions
) -> None:
    """A 403 without rate-limit headers is a permanent refusal, with GitHub's message."""
    github.fail_next("/repos/octo/shop", 403, {}, message="Repository access blocked")
    with pytest.raises(SourceError, match=r"refused access to octo/shop \(403\): .*blocked") as e:
        await open_source("octo/shop", None, gh_options)
    assert not isinstance(e.value, SourceUnavailable)


async def test_server_errors_and_no_network_are_transient(
    github: FakeGitHub, repo: FakeRepo, gh_options: SourceOptions
) -> None:
    """5xx and a refused connection are SourceUnavailable: a retry may succeed."""
    github.fail_next("/repos/octo/shop", 502, {}, message="Bad gateway")
    with pytest.raises(SourceUnavailable, match="GitHub answered 502"):
        await open_source("octo/shop", None, gh_options)
    closed = replace(gh_options, github_api_url=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(SourceUnavailable, match="cannot reach the GitHub API"):
        await open_source("octo/shop", None, closed)


async def test_a_hostile_tarball_leaves_nothing_behind(
    github: FakeGitHub, repo: FakeRepo, gh_options: SourceOptions, tmp_path: Path
) -> None:
    """An escaping tarball is refused, and neither the cache nor the staging area keeps a trace."""
    evil = [entry("top/ok.py", b"ok"), entry("top/x", kind=tarfile.SYMTYPE, link="/etc/passwd")]
    repo.tarballs[MAIN_SHA] = make_tarball(tmp_path / "evil.tgz", evil).read_bytes()
    with pytest.raises(ArchiveRejected, match="symlink"):
        await open_source("octo/shop", "main", gh_options)
    assert sorted(p.name for p in gh_options.cache_dir.iterdir()) == [".staging"]
    assert list((gh_options.cache_dir / ".staging").iterdir()) == []


async def test_the_download_limit_stops_a_huge_tarball(
    github: FakeGitHub, repo: FakeRepo, gh_options: SourceOptions
) -> None:
    """A tarball larger than the download limit is refused while it streams."""
    limited = replace(gh_options, limits=ArchiveLimits(max_download_bytes=64))
    with pytest.raises(ArchiveRejected, match=r"larger than .* the download limit"):
        await open_source("octo/shop", "main", limited)
