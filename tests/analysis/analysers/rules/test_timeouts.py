"""Outbound HTTP calls whose client has no default timeout."""

from __future__ import annotations

from apiscope.analysis.analysers.rules.timeouts import HttpWithoutTimeout
from tests.analysis.analysers.conftest import Check

RULE = HttpWithoutTimeout()


def test_requests_and_urlopen_without_timeout(check: Check) -> None:
    """`requests.get(url)` and `urlopen(url)` can wait forever: one finding, both lines."""
    source = """
        def handler(url):
            page = requests.get(url)
            raw = urllib.request.urlopen(url).read()
            return page, raw
    """
    assert check(RULE, source) == [((2, 2), (3, 3))]


def test_calls_with_a_timeout_or_splatted_options_and_httpx(check: Check) -> None:
    """`timeout=` given, options splatted in (may hold one), and httpx (5 s default)."""
    source = """
        def handler(url, options):
            a = requests.get(url, timeout=5)
            b = requests.post(url, **options)
            c = httpx.get(url)
            d = urlopen(url, None, 10)
            return a, b, c, d
    """
    assert check(RULE, source) == []


def test_go_default_client_and_client_literal_without_timeout(check: Check) -> None:
    """`http.Get` and `&http.Client{}` never time out; a client with `Timeout` does."""
    source = """
        package api

        func handler(w http.ResponseWriter, r *http.Request) {
            resp, _ := http.Get("https://rates/latest")
            plain := &http.Client{Transport: transport}
            bounded := &http.Client{Timeout: 3 * time.Second}
            bounded.Do(req)
        }
    """
    assert check(RULE, source, "go") == [((4, 4), (5, 5))]
