"""The worst-API object of the contract, validated and normalised.

Monitoring tools export endpoints in several spellings; all of these are the same API:
`{"method": "GET", "path": "/users/42"}`, `{"url": "https://api.example.com/users/42?x=1"}`,
`{"endpoint": "GET /users/42"}`, with metrics in snake_case (`p95_ms`) or camelCase (`p95Ms`).
Normalised, every entry has an upper-case `method` (`ANY` when none was given: it then matches a
route of any method) and a `path` without host or query string; metrics keep their snake_case
names, and any other field is kept as submitted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic.alias_generators import to_camel

from apiscope.analysis.matching.urls import request_path
from apiscope.analysis.routes import ANY_METHOD
from apiscope.errors import InvalidInput

_METHOD = re.compile(r"[A-Za-z]+")
_ENDPOINT_KEYS = ("path", "url", "endpoint")
NO_ENDPOINT = 'no endpoint: give "method" and "path", a "url", or "endpoint": "GET /path"'


class WorstApi(BaseModel):
    """One observed API and its metrics; every metric is optional."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=True,
        extra="allow",
        frozen=True,
    )

    method: str = Field(default=ANY_METHOD, pattern=r"^[A-Z]+$")
    path: str = Field(min_length=1)
    p50_ms: float | None = Field(default=None, ge=0)
    p95_ms: float | None = Field(default=None, ge=0)
    p99_ms: float | None = Field(default=None, ge=0)
    avg_ms: float | None = Field(default=None, ge=0)
    error_rate: float | None = Field(default=None, ge=0, le=1)
    requests: int | None = Field(default=None, ge=0)

    @model_validator(mode="before")
    @classmethod
    def _endpoint(cls, data: Any) -> Any:
        """Read the endpoint from `method` + `path`, `url` or `endpoint`."""
        if not isinstance(data, dict):
            return data
        fields = {k: v for k, v in data.items() if k not in _ENDPOINT_KEYS}
        method, path = _endpoint_of(data)
        method = data.get("method") or method or ANY_METHOD
        if not isinstance(method, str) or not _METHOD.fullmatch(method.strip()):
            raise ValueError(f"method must be an HTTP method like GET, not {method!r}")
        return {**fields, "method": method.strip().upper(), "path": path}

    def to_json(self) -> dict[str, Any]:
        """The normalised object: endpoint first, then metrics given, then extra fields."""
        return self.model_dump(exclude_none=True)

    @property
    def endpoint(self) -> str:
        """`GET /path`, for messages and reports."""
        return f"{self.method} {self.path}"


def _endpoint_of(data: dict[str, Any]) -> tuple[str, str]:
    """(method or "", path) from whichever endpoint field is present."""
    for key in _ENDPOINT_KEYS:
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            return (
                _split_endpoint(value.strip()) if key == "endpoint" else ("", request_path(value))
            )
    raise ValueError(NO_ENDPOINT)


def _split_endpoint(endpoint: str) -> tuple[str, str]:
    """`GET /users/1` → (`GET`, `/users/1`); a bare path has no method."""
    first, _, rest = endpoint.partition(" ")
    if rest.strip() and _METHOD.fullmatch(first):
        return first, request_path(rest.strip())
    return "", request_path(endpoint)


def parse_worst_apis(items: object, source: str = "worst_apis") -> list[WorstApi]:
    """Validate a JSON list of worst APIs; an entry that fails is named by its index."""
    if isinstance(items, dict) and "worst_apis" in items:
        items = items["worst_apis"]
    if not isinstance(items, list):
        raise InvalidInput(f"{source}: expected a JSON array of worst-API objects")
    return [validate_worst_api(item, f"{source}[{index}]") for index, item in enumerate(items)]


def validate_worst_api(item: object, where: str) -> WorstApi:
    """One worst API, or `InvalidInput` saying where and what is wrong."""
    try:
        return WorstApi.model_validate(item)
    except ValidationError as exc:
        raise InvalidInput(f"{where}: {first_error(exc)}") from None


def first_error(exc: ValidationError) -> str:
    """A validation error as one line: the field at fault and pydantic's message."""
    error = exc.errors(include_url=False)[0]
    field = ".".join(str(part) for part in error["loc"])
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{field}: {message}" if field else message


def worst_api_json(apis: Iterable[WorstApi]) -> list[dict[str, Any]]:
    """The JSON array `apiscope worst --json` prints and `--worst` reads."""
    return [api.to_json() for api in apis]
