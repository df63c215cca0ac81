"""The HTTP events AWS hands a Lambda function, as documented for each integration."""

from __future__ import annotations

import json
from typing import Any

ACCOUNT = "123456789012"


def rest_v1(method: str, path: str, body: Any = None) -> dict[str, Any]:
    """API Gateway REST API, Lambda proxy integration (payload 1.0), on `/{proxy+}`."""
    headers = {"Host": "abc123.execute-api.us-east-1.amazonaws.com", "Accept": "application/json"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    return {
        "resource": "/{proxy+}",
        "path": path,
        "httpMethod": method,
        "headers": headers,
        "multiValueHeaders": {k: [v] for k, v in headers.items()},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": {"proxy": path.lstrip("/")},
        "stageVariables": None,
        "requestContext": {
            "accountId": ACCOUNT,
            "apiId": "abc123",
            "resourcePath": "/{proxy+}",
            "httpMethod": method,
            "path": f"/prod{path}",
            "stage": "prod",
            "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
            "protocol": "HTTP/1.1",
            "identity": {"sourceIp": "203.0.113.9", "userAgent": "pytest"},
            "domainName": "abc123.execute-api.us-east-1.amazonaws.com",
        },
        "body": None if body is None else json.dumps(body),
        "isBase64Encoded": False,
    }


def _v2(method: str, path: str, body: Any, domain: str, api_id: str) -> dict[str, Any]:
    headers = {"host": domain, "accept": "application/json", "user-agent": "pytest"}
    if body is not None:
        headers["content-type"] = "application/json"
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": "",
        "headers": headers,
        "requestContext": {
            "accountId": ACCOUNT,
            "apiId": api_id,
            "domainName": domain,
            "domainPrefix": api_id,
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "203.0.113.9",
                "userAgent": "pytest",
            },
            "requestId": "JKJaXmPLvHcESHA=",
            "routeKey": "$default",
            "stage": "$default",
            "time": "01/Jan/2026:00:00:00 +0000",
            "timeEpoch": 1767225600000,
        },
        "body": None if body is None else json.dumps(body),
        "isBase64Encoded": False,
    }


def http_v2(method: str, path: str, body: Any = None) -> dict[str, Any]:
    """API Gateway HTTP API (payload 2.0), `$default` route."""
    return _v2(method, path, body, "r3pmxmplak.execute-api.us-east-1.amazonaws.com", "r3pmxmplak")


def function_url(method: str, path: str, body: Any = None) -> dict[str, Any]:
    """A Lambda Function URL (payload 2.0, the function's own domain)."""
    url_id = "a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6"
    return _v2(method, path, body, f"{url_id}.lambda-url.us-east-1.on.aws", url_id)


SHAPES = {"rest-v1": rest_v1, "http-v2": http_v2, "function-url": function_url}
