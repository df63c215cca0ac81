"""Reading a log file as blocks of whole lines, gzip or not, without loading it whole.

Blocks are a few MB: large enough that per-block overhead (a regex call, a process hand-off)
vanishes, small enough that memory stays constant and two workers stay busy. Compression is
recognised by its magic bytes, not the file name, since rotated logs are named anything.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Protocol, cast

from apiscope.errors import InvalidInput

BLOCK_BYTES = 4 * 1024 * 1024
HEAD_BYTES = 64 * 1024
GZIP_MAGIC = b"\x1f\x8b"
MAX_LINE_BYTES = 1024 * 1024
"""A "line" longer than this (a binary file, a log without newlines) is cut, not buffered whole."""


def is_gzip(path: Path) -> bool:
    """Whether the file starts with the gzip magic bytes."""
    with _opened(path) as raw:
        return raw.read(2) == GZIP_MAGIC


@contextmanager
def open_log(path: Path) -> Iterator[BinaryIO]:
    """The file's decompressed bytes; read errors become `InvalidInput` naming the file."""
    compressed = is_gzip(path)
    with _opened(path) as raw:
        stream = cast(BinaryIO, gzip.GzipFile(fileobj=raw, mode="rb")) if compressed else raw
        try:
            yield stream
        except (OSError, EOFError, zlib.error) as exc:
            raise InvalidInput(f"{path}: cannot read: {exc}") from None


@contextmanager
def _opened(path: Path) -> Iterator[BinaryIO]:
    try:
        raw = path.open("rb")
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot open: {exc.strerror or exc}") from None
    with raw:
        yield raw


def head(path: Path, size: int = HEAD_BYTES) -> bytes:
    """The first `size` decompressed bytes, for format detection."""
    with open_log(path) as stream:
        return stream.read(size)


class Readable(Protocol):
    """Anything with `read`: a file, a gzip stream, a `RangeReader`."""

    def read(self, size: int = -1, /) -> bytes:
        """Up to `size` bytes; b"" at the end."""
        ...


def blocks(stream: Readable, size: int = BLOCK_BYTES) -> Iterator[tuple[int, bytes]]:
    """(1-based number of its first line, block of whole lines) until the end of the stream."""
    line = 1
    carry = b""
    while chunk := stream.read(size):
        chunk = carry + chunk
        end = chunk.rfind(b"\n") + 1
        if end == 0 and len(chunk) < MAX_LINE_BYTES:
            carry = chunk
            continue
        end = end or len(chunk)
        carry = chunk[end:]
        yield line, chunk[:end]
        line += chunk.count(b"\n", 0, end)
    if carry:
        yield line, carry
