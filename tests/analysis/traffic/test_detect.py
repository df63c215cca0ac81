"""Format detection from the first lines, and the errors for files that are nothing we read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from apiscope.analysis.traffic import Kind, TrafficOptions, read_traffic
from apiscope.errors import InvalidInput
from tests.analysis.traffic.conftest import alb_line, apache_line, apigw_line, nginx_line, write_log

SAMPLES = {
    Kind.NGINX: [nginx_line("GET", "/a")],
    Kind.ALB: [alb_line("GET", "https://h:443/a")],
    Kind.APIGW: [apigw_line("GET", "/a")],
    Kind.JSON_LINES: [json.dumps({"method": "GET", "path": "/a", "status": 200, "duration_ms": 5})],
    Kind.JSON_DOCUMENT: [json.dumps([{"endpoint": "GET /a", "p95_ms": 5}], indent=2)],
    Kind.CSV: ["method,path,p95_ms", "GET,/a,5"],
}


@pytest.mark.parametrize("kind", list(SAMPLES))
@pytest.mark.parametrize("compress", [False, True])
def test_every_format_is_detected_gzip_or_not(tmp_path: Path, kind: Kind, compress: bool) -> None:
    """Each kind of file is recognised from its content, compressed or not, and read."""
    log = write_log(tmp_path / "traffic", SAMPLES[kind], compress=compress)
    report = read_traffic(log)
    assert report.format is kind
    assert [api.endpoint for api in report.apis] == ["GET /a"]


def test_apache_is_read_as_the_combined_format(tmp_path: Path) -> None:
    """Apache combined lines are detected as the combined (`nginx`) format."""
    assert (
        read_traffic(write_log(tmp_path / "a.log", [apache_line("GET", "/a")])).format is Kind.NGINX
    )


def test_leading_blank_lines_and_a_byte_order_mark(tmp_path: Path) -> None:
    """A BOM and blank lines before the content do not hide the format."""
    log = tmp_path / "a.csv"
    log.write_bytes(b"\xef\xbb\xbf\n\nmethod,path,p95_ms\nGET,/a,5\n")
    assert read_traffic(log).apis[0].p95_ms == 5


@pytest.mark.parametrize("content", [b"", b"\n\n  \n"])
def test_empty_file_is_an_error(tmp_path: Path, content: bytes) -> None:
    """An empty (or blank) file is a clear error, not an empty ranking."""
    log = tmp_path / "empty.log"
    log.write_bytes(content)
    with pytest.raises(InvalidInput, match=r"empty\.log: the file is empty"):
        read_traffic(log)


def test_unrecognised_file_names_its_first_line(tmp_path: Path) -> None:
    """Text in no known format is an error quoting the first non-blank line and its number."""
    log = write_log(tmp_path / "notes.txt", ["", "hello world", "second line"])
    with pytest.raises(
        InvalidInput, match=r"notes.txt: unrecognised format: line 2 \('hello world'\)"
    ):
        read_traffic(log)


def test_forced_format_that_reads_nothing_is_an_error(tmp_path: Path) -> None:
    """`--format alb` on an nginx log: no line readable, so an error rather than an empty result."""
    log = write_log(tmp_path / "access.log", [nginx_line("GET", "/a")])
    with pytest.raises(InvalidInput, match="no line could be read as alb; line 1:"):
        read_traffic(log, TrafficOptions(format=Kind.ALB))


def test_invalid_json_document_is_an_error(tmp_path: Path) -> None:
    """A JSON array cut short is reported as invalid JSON."""
    log = write_log(tmp_path / "worst.json", ['[{"endpoint": "GET /a"'])
    with pytest.raises(InvalidInput, match=r"worst\.json: not valid JSON"):
        read_traffic(log)


def test_worst_api_without_endpoint_in_a_file_names_its_index(tmp_path: Path) -> None:
    """A metrics export entry without an endpoint is an error naming the file and index."""
    log = write_log(tmp_path / "worst.json", [json.dumps([{"endpoint": "GET /a"}, {"p95_ms": 3}])])
    with pytest.raises(InvalidInput, match=r"worst.json\[1\]: no endpoint"):
        read_traffic(log)


def test_missing_file_is_an_error(tmp_path: Path) -> None:
    """A path that does not exist is an `InvalidInput`, not an OSError."""
    with pytest.raises(InvalidInput, match="cannot open"):
        read_traffic(tmp_path / "missing.log")


def test_corrupt_gzip_is_an_error(tmp_path: Path) -> None:
    """A gzip file cut in the middle is an `InvalidInput` naming the file."""
    log = write_log(
        tmp_path / "access.log.gz",
        [nginx_line("GET", f"/a/{i}") for i in range(2000)],
        compress=True,
    )
    log.write_bytes(log.read_bytes()[:-200])
    with pytest.raises(InvalidInput, match=r"access\.log\.gz: cannot read"):
        read_traffic(log)
