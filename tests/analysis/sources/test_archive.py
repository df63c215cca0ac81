"""Unpacking hostile tar archives: every escape and every limit is refused with a clear error."""

from __future__ import annotations

import os
import tarfile
from pathlib import Path

import pytest

from apiscope.analysis.sources import ArchiveLimits
from apiscope.analysis.sources.archive import extract_tarball
from apiscope.errors import ArchiveRejected
from tests.analysis.sources.conftest import entry, github_tarball, make_tarball

LIMITS = ArchiveLimits()


@pytest.fixture
def dest(tmp_path: Path) -> Path:
    """The work folder, one level down, so anything escaping it lands in tmp_path where we look."""
    return tmp_path / "work" / "tree"


def test_unpacks_a_github_tarball_without_its_top_folder(tmp_path: Path, dest: Path) -> None:
    """Files land under dest with GitHub's `owner-repo-sha/` prefix dropped, and are counted."""
    archive = github_tarball(tmp_path / "a.tar.gz", {"app.py": "x = 1\n", "pkg/mod.py": "y\n"})
    written = extract_tarball(archive, dest, LIMITS, strip=1)
    assert (dest / "app.py").read_text() == "x = 1\n"
    assert (dest / "pkg" / "mod.py").read_text() == "y\n"
    assert written == 2  # the top folder entry itself is dropped, not counted
    assert not (dest / "owner-repo-abc1234").exists()


def test_links_that_stay_inside_are_kept(tmp_path: Path, dest: Path) -> None:
    """A relative symlink and a hard link to files in the archive are legitimate and unpacked."""
    archive = make_tarball(
        tmp_path / "a.tar.gz",
        [
            entry("top/docs/README.md", b"read me"),
            entry("top/README.md", kind=tarfile.SYMTYPE, link="docs/README.md"),
            entry("top/copy.md", kind=tarfile.LNKTYPE, link="top/docs/README.md"),
        ],
    )
    extract_tarball(archive, dest, LIMITS, strip=1)
    assert (dest / "README.md").is_symlink()
    assert (dest / "README.md").read_text() == "read me"
    assert (dest / "copy.md").read_text() == "read me"


@pytest.mark.parametrize(
    ("entries", "reason"),
    [
        ([entry("top/../../escaped.txt", b"owned")], "climbs out of its folder"),
        ([entry("../escaped.txt", b"owned")], "climbs out of its folder"),
        ([entry("/tmp/escaped.txt", b"owned")], "absolute path"),
        ([entry("top/link", kind=tarfile.SYMTYPE, link="/etc/passwd")], "absolute"),
        ([entry("top/link", kind=tarfile.SYMTYPE, link="../../escaped.txt")], "outside"),
        ([entry("top/link", kind=tarfile.LNKTYPE, link="/etc/passwd")], "absolute path"),
        ([entry("top/link", kind=tarfile.LNKTYPE, link="top/../../x")], "climbs out"),
        ([entry("top/dev", kind=tarfile.CHRTYPE)], "device file"),
        ([entry("top/disk", kind=tarfile.BLKTYPE)], "device file"),
        ([entry("top/pipe", kind=tarfile.FIFOTYPE)], "FIFO"),
    ],
    ids=[
        "dotdot-inside-path",
        "dotdot-at-start",
        "absolute-path",
        "symlink-absolute",
        "symlink-relative-escape",
        "hardlink-absolute",
        "hardlink-escape",
        "char-device",
        "block-device",
        "fifo",
    ],
)
def test_unsafe_entries_are_refused(tmp_path: Path, dest: Path, entries: list, reason: str) -> None:
    """Each way out of the work folder, and each special file, refuses the whole archive."""
    archive = make_tarball(tmp_path / "evil.tar.gz", [entry("top/ok.py", b"ok"), *entries])
    with pytest.raises(ArchiveRejected, match=reason):
        extract_tarball(archive, dest, LIMITS, strip=1)
    assert not (tmp_path / "escaped.txt").exists()
    assert not (tmp_path / "work" / "escaped.txt").exists()


def test_a_symlink_chain_cannot_climb_out(tmp_path: Path, dest: Path) -> None:
    """A link that looks harmless next to an earlier link to a subfolder still cannot escape."""
    archive = make_tarball(
        tmp_path / "chain.tar.gz",
        [
            entry("top/sub/", kind=tarfile.DIRTYPE),
            entry("top/d", kind=tarfile.SYMTYPE, link="sub"),
            entry("top/d/up", kind=tarfile.SYMTYPE, link="../.."),  # dest/sub/../.. = outside
        ],
    )
    with pytest.raises(ArchiveRejected, match="'d/up' is a symlink"):
        extract_tarball(archive, dest, LIMITS, strip=1)


def test_a_file_cannot_be_written_through_a_symlinked_folder(tmp_path: Path, dest: Path) -> None:
    """Replacing a folder by a link and then writing into it is caught at the write."""
    outside = tmp_path / "outside"
    outside.mkdir()
    dest.mkdir(parents=True)
    os.symlink(outside, dest / "sneaky")  # what an earlier, unchecked step could have left
    archive = make_tarball(tmp_path / "a.tar.gz", [entry("top/sneaky/x.py", b"owned")])
    with pytest.raises(ArchiveRejected, match=r"'sneaky/x\.py' would land outside"):
        extract_tarball(archive, dest, LIMITS, strip=1)
    assert not (outside / "x.py").exists()


def test_a_decompression_bomb_is_refused_by_total_size(tmp_path: Path, dest: Path) -> None:
    """Tiny compressed, huge unpacked: refused from the headers before the data is inflated."""
    zeros = b"\0" * (3 * 1024 * 1024)
    archive = make_tarball(
        tmp_path / "bomb.tar.gz", [entry(f"top/zeros{i}.bin", zeros) for i in range(4)]
    )
    assert archive.stat().st_size < 100 * 1024
    limits = ArchiveLimits(max_total_bytes=8 * 1024 * 1024)
    with pytest.raises(ArchiveRejected, match=r"unpacks to more than 8\.0 MiB"):
        extract_tarball(archive, dest, limits, strip=1)
    assert not (dest / "zeros2.bin").exists()


def test_one_file_over_the_single_file_limit_is_refused(tmp_path: Path, dest: Path) -> None:
    """The per-file limit names the file; its data is never written."""
    archive = make_tarball(tmp_path / "big.tar.gz", [entry("top/big.bin", b"\0" * 2048)])
    with pytest.raises(ArchiveRejected, match=r"'big.bin' is 2,048 bytes, over the 1,024 bytes"):
        extract_tarball(archive, dest, ArchiveLimits(max_file_bytes=1024), strip=1)
    assert not (dest / "big.bin").exists()


def test_too_many_entries_are_refused(tmp_path: Path, dest: Path) -> None:
    """The entry count limit stops an archive of countless tiny files."""
    archive = make_tarball(tmp_path / "many.tar.gz", [entry(f"f{i}", b"") for i in range(11)])
    with pytest.raises(ArchiveRejected, match="more than 10 entries"):
        extract_tarball(archive, dest, ArchiveLimits(max_files=10))


def test_a_corrupt_archive_is_refused_not_crashed_on(tmp_path: Path, dest: Path) -> None:
    """Random bytes and a truncated archive both give a one-line ArchiveRejected."""
    garbage = tmp_path / "garbage.tar.gz"
    garbage.write_bytes(os.urandom(4096))
    with pytest.raises(ArchiveRejected, match="not a readable tar archive"):
        extract_tarball(garbage, dest, LIMITS)
    whole = make_tarball(tmp_path / "whole.tar.gz", [entry("top/a", os.urandom(64 * 1024))])
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(ArchiveRejected, match="not a readable tar archive"):
        extract_tarball(truncated, dest, LIMITS)
