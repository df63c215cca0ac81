"""Unpacking a downloaded tar archive without trusting it.

Every entry is checked before it is written: no absolute path, no `..`, no symlink or hard link
whose target resolves outside the folder (resolving links already unpacked, so a chain of links
cannot climb out either), no device file or FIFO, and the limits on entry count, one file's size
and the total size, all read from the headers before any data is inflated. Python's own `data`
filter then runs as a second line of defence; our checks come first so each refusal says exactly
which entry broke which rule.
"""

from __future__ import annotations

import gzip
import os
import tarfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from apiscope.analysis.sources.checkout import ArchiveLimits
from apiscope.errors import ArchiveRejected, SourceError

_READ_ERRORS = (tarfile.ReadError, tarfile.CompressionError, EOFError, zlib.error, gzip.BadGzipFile)


def extract_tarball(archive: Path, dest: Path, limits: ArchiveLimits, *, strip: int = 0) -> int:
    """Unpack `archive` (any compression) into `dest`, dropping `strip` leading path components.

    Returns the number of entries written. Raises `ArchiveRejected` at the first unsafe entry or
    broken limit (what was written so far stays in `dest`, which the caller discards).
    """
    dest.mkdir(parents=True, exist_ok=True)
    budget = _Budget(limits)
    real_dest = os.path.realpath(dest)
    try:
        with tarfile.open(archive, "r:*") as tar:
            tar.errorlevel = 2
            for member in tar:
                checked = _checked(member, real_dest, strip, budget)
                if checked is not None:
                    tar.extract(checked, dest, filter="data")
    except ArchiveRejected:
        raise
    except tarfile.FilterError as exc:
        raise ArchiveRejected(f"unsafe archive entry: {exc}") from exc
    except (*_READ_ERRORS, tarfile.TarError, KeyError) as exc:
        raise ArchiveRejected(f"not a readable tar archive: {exc}") from exc
    except OSError as exc:
        raise SourceError(f"cannot unpack the archive into {dest}: {exc}") from exc
    return budget.files


@dataclass
class _Budget:
    """The running totals, checked against the limits entry by entry."""

    limits: ArchiveLimits
    files: int = 0
    total: int = 0

    def spend(self, name: str, member: tarfile.TarInfo) -> None:
        self.files += 1
        if self.files > self.limits.max_files:
            raise ArchiveRejected(f"archive has more than {self.limits.max_files:,} entries")
        if not member.isreg():
            return
        if member.size > self.limits.max_file_bytes:
            raise ArchiveRejected(
                f"archive entry {name!r} is {_size(member.size)}, over the "
                f"{_size(self.limits.max_file_bytes)} limit for one file"
            )
        self.total += member.size
        if self.total > self.limits.max_total_bytes:
            raise ArchiveRejected(
                f"archive unpacks to more than {_size(self.limits.max_total_bytes)}, the limit"
            )


def _checked(
    member: tarfile.TarInfo, real_dest: str, strip: int, budget: _Budget
) -> tarfile.TarInfo | None:
    """The entry renamed under `dest`, or None to skip it; raises if it is unsafe."""
    name = _relative(member.name, strip)
    if name is None:
        return None
    budget.spend(name, member)
    linkname = member.linkname
    if member.issym():
        _check_symlink(name, linkname, real_dest)
    elif member.islnk():
        linkname = _hard_link_target(name, linkname, strip)
        _check_inside(real_dest, os.path.join(real_dest, linkname), name, "is a hard link pointing")
    elif not (member.isreg() or member.isdir()):
        raise ArchiveRejected(f"archive entry {name!r} is {_kind(member)}; refused")
    parent = os.path.realpath(os.path.join(real_dest, os.path.dirname(name)))
    _check_inside(real_dest, os.path.join(parent, os.path.basename(name)), name, "would land")
    return member.replace(name=name, linkname=linkname, deep=False)


def _relative(path: str, strip: int) -> str | None:
    """The entry path with `strip` components dropped; None when nothing is left."""
    if path.startswith("/") or (len(path) > 1 and path[1] == ":" and path[0].isalpha()):
        raise ArchiveRejected(f"archive entry {path!r} has an absolute path")
    parts = [p for p in path.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise ArchiveRejected(f"archive entry {path!r} climbs out of its folder with '..'")
    return "/".join(parts[strip:]) or None


def _check_symlink(name: str, target: str, real_dest: str) -> None:
    if target.startswith("/"):
        raise ArchiveRejected(f"archive entry {name!r} is a symlink to the absolute {target!r}")
    where = os.path.join(real_dest, os.path.dirname(name), target)
    _check_inside(real_dest, where, name, f"is a symlink ({target!r}) pointing")


def _hard_link_target(name: str, target: str, strip: int) -> str:
    """A hard link names another entry by its archive path, so it is stripped the same way."""
    relative = _relative(target, strip)
    if relative is None:
        raise ArchiveRejected(f"archive entry {name!r} is a hard link to the archive's top folder")
    return relative


def _check_inside(real_dest: str, path: str, name: str, what: str) -> None:
    """Resolve links already on disk; the result must stay within `real_dest`."""
    resolved = os.path.realpath(path)
    if os.path.commonpath([real_dest, resolved]) != real_dest:
        raise ArchiveRejected(f"archive entry {name!r} {what} outside the repository")


def _kind(member: tarfile.TarInfo) -> str:
    if member.ischr() or member.isblk():
        return "a device file"
    return "a FIFO" if member.isfifo() else f"of an unsupported type {member.type!r}"


def _size(count: int) -> str:
    return f"{count / 1024 / 1024:,.1f} MiB" if count >= 1024 * 1024 else f"{count:,} bytes"
