"""API keys: who is calling, so every job belongs to the key that submitted it.

A job records a digest of its key (the owner), never the key. Keys are compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterable
from typing import Annotated

from fastapi import Header, HTTPException, status


def owner_of(key: str) -> str:
    """The owner id recorded on jobs submitted with `key`."""
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def caller_dependency(keys: ApiKeys) -> Callable[..., str | None]:
    """A FastAPI dependency giving the caller's owner id (None without configured keys)."""

    def caller(authorization: Annotated[str | None, Header()] = None) -> str | None:
        return keys.authenticate(authorization)

    return caller


class ApiKeys:
    """The configured keys; none configured means local use with no authentication."""

    def __init__(self, keys: Iterable[str] = ()) -> None:
        self._keys = [k.encode() for k in keys if k]

    @property
    def enabled(self) -> bool:
        """Whether requests must carry a key."""
        return bool(self._keys)

    def authenticate(self, authorization: str | None) -> str | None:
        """The caller's owner id from an `Authorization: Bearer` header; 401 if not valid."""
        if not self.enabled:
            return None
        scheme, _, key = (authorization or "").partition(" ")
        given = key.strip().encode()
        # Compare with every key, so the time taken does not tell which one nearly matched.
        matched = False
        for candidate in self._keys:
            matched |= hmac.compare_digest(candidate, given)
        if scheme.lower() != "bearer" or not given or not matched:
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED,
                "Missing or invalid API key",
                headers={"WWW-Authenticate": "Bearer"},
            )
        return owner_of(given.decode())
