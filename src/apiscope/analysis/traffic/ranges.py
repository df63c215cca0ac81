"""Splitting an uncompressed log into byte ranges that worker processes read by themselves.

A range owns every line that starts inside it: its reader skips the partial line it opens in
(the previous range owns it) and reads past its end to finish its own last line. So each line,
and each newline, is read by exactly one range, and the line number where a range starts is the
number of newlines in the ranges before it, which the parent adds up once they are done.
Handing out offsets instead of bytes means no log data crosses a pipe.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO

RANGE_BYTES = 32 * 1024 * 1024
"""Small enough that workers finish together (ranges are handed out as workers free up)."""


@dataclass(frozen=True, slots=True)
class ByteRange:
    """Bytes `[start, end)` of a file, numbered among the ranges of that file."""

    index: int
    path: Path
    start: int
    end: int


def plan_ranges(path: Path, range_bytes: int = RANGE_BYTES) -> list[ByteRange]:
    """The file cut into ranges of about `range_bytes`."""
    size = path.stat().st_size
    starts = list(range(0, size, max(1, range_bytes))) or [0]
    ends = [*starts[1:], size]
    return [
        ByteRange(i, path, start, end)
        for i, (start, end) in enumerate(zip(starts, ends, strict=True))
    ]


class RangeReader:
    """A file-like view of the lines a range owns; `read` returns b"" once they are read."""

    def __init__(self, file: IO[bytes], start: int, end: int) -> None:
        self._file = file
        self._end = end
        self._finished = False
        self._last = b"\n"
        file.seek(max(0, start - 1))
        if start > 0:
            file.readline()  # the line holding byte start-1 belongs to the previous range
        self._pos = file.tell()

    def read(self, size: int = -1) -> bytes:
        """Up to `size` bytes of the range, then the rest of its last line, then b""."""
        if self._pos < self._end:
            data = self._file.read(
                min(size, self._end - self._pos) if size > 0 else self._end - self._pos
            )
            if data:
                self._pos += len(data)
                self._last = data[-1:]
                return data
        if self._finished:
            return b""
        self._finished = True
        return b"" if self._last == b"\n" else self._file.readline()
