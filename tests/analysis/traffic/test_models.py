"""The worst-API object: every spelling the contract accepts, normalised; bad entries named."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from apiscope.analysis.traffic import WorstApi, parse_worst_apis
from apiscope.errors import InvalidInput


@pytest.mark.parametrize(
    "given",
    [
        {"method": "GET", "path": "/users/42"},
        {"method": "get", "path": "/users/42?page=2"},
        {"method": "GET", "url": "https://api.example.com/users/42?page=2#top"},
        {"endpoint": "GET /users/42"},
        {"endpoint": "  get   /users/42?x=1 "},
    ],
)
def test_endpoint_spellings_normalise_alike(given: dict[str, str]) -> None:
    """`method`+`path`, `url` and `endpoint` all give method GET and path /users/42."""
    api = WorstApi.model_validate(given)
    assert (api.method, api.path) == ("GET", "/users/42")


def test_camel_case_and_snake_case_metrics() -> None:
    """`p95Ms`, `errorRate` and friends land in the snake_case fields, which are what is output."""
    api = WorstApi.model_validate(
        {"endpoint": "POST /orders", "p50Ms": 10, "p95Ms": 20, "p99Ms": 30, "avgMs": 12,
         "errorRate": 0.5, "requests": 7}
    )  # fmt: skip
    assert api.to_json() == {
        "method": "POST", "path": "/orders", "p50_ms": 10.0, "p95_ms": 20.0, "p99_ms": 30.0,
        "avg_ms": 12.0, "error_rate": 0.5, "requests": 7,
    }  # fmt: skip


def test_extra_fields_are_kept_as_submitted() -> None:
    """Fields the contract does not name (a service, a team) pass through untouched."""
    api = WorstApi.model_validate({"endpoint": "GET /a", "service": "billing", "sloMs": 300})
    assert api.to_json() == {"method": "GET", "path": "/a", "service": "billing", "sloMs": 300}


def test_missing_method_means_any() -> None:
    """An endpoint with no method gets `ANY`, which matching treats as any method."""
    assert WorstApi.model_validate({"url": "/a"}).method == "ANY"
    assert WorstApi.model_validate({"endpoint": "/a"}).method == "ANY"


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"p95_ms": 3}, 'worst_apis[1]: no endpoint: give "method" and "path"'),
        ({"method": "GET"}, "worst_apis[1]: no endpoint"),
        ({"path": ""}, "worst_apis[1]: no endpoint"),
        (
            {"path": "/a", "error_rate": 1.5},
            "worst_apis[1]: error_rate: Input should be less than or equal to 1",
        ),
        (
            {"path": "/a", "p95_ms": -1},
            "worst_apis[1]: p95_ms: Input should be greater than or equal to 0",
        ),
        ({"path": "/a", "method": "GE T"}, "worst_apis[1]: method must be an HTTP method like GET"),
        (
            {"path": "/a", "requests": "many"},
            "worst_apis[1]: requests: Input should be a valid integer",
        ),
        ("GET /a", "worst_apis[1]: Input should be a valid dictionary"),
    ],
)
def test_bad_entries_are_named_by_index(entry: object, message: str) -> None:
    """A bad entry fails the whole list with an `InvalidInput` naming its index and the problem."""
    with pytest.raises(InvalidInput) as caught:
        parse_worst_apis([{"endpoint": "GET /ok"}, entry])
    assert str(caught.value).startswith(message)


def test_not_a_list_is_invalid() -> None:
    """A JSON object that is not a list of worst APIs is refused."""
    with pytest.raises(InvalidInput, match="expected a JSON array"):
        parse_worst_apis({"apis": []})


def test_request_body_shape_is_accepted() -> None:
    """`{"worst_apis": [...]}`, the HTTP body, reads like the bare list."""
    assert parse_worst_apis({"worst_apis": [{"endpoint": "GET /a"}]})[0].path == "/a"


def test_http_layer_gets_a_pydantic_validation_error_with_the_index() -> None:
    """Validated as a request-body field, a bad entry is a ValidationError locating its index."""
    with pytest.raises(ValidationError) as caught:
        TypeAdapter(list[WorstApi]).validate_python([{"endpoint": "GET /a"}, {"p95_ms": 1}])
    assert caught.value.errors()[0]["loc"][0] == 1
