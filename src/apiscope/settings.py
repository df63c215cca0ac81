"""Settings, read from the environment once, at the edge (CLI, app factory, Lambda handler)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_STORE = "sqlite:///./.apiscope/apiscope.db"


class Settings(BaseSettings):
    """Everything configurable, as `APISCOPE_*` environment variables."""

    model_config = SettingsConfigDict(env_prefix="APISCOPE_", extra="ignore")

    store: str = DEFAULT_STORE
    """Job store URL: sqlite:///path.db (default), memory://."""
    api_keys: Annotated[list[str], NoDecode] = Field(default_factory=list)
    """Comma-separated keys; empty means no authentication (local use)."""
    job_kinds: Annotated[list[str], NoDecode] = Field(default_factory=list)
    """Extra job kinds as `module:attribute` naming a JobRegistry, comma-separated."""
    max_body_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    job_retention_seconds: float = Field(default=7 * 24 * 3600, gt=0)
    job_lease_seconds: float = Field(default=30.0, ge=1)
    concurrency: int = Field(default=4, ge=1, le=256)
    poll_interval_seconds: float = Field(default=2.0, gt=0)
    shutdown_grace_seconds: float = Field(default=10.0, ge=0)

    @field_validator("api_keys", "job_kinds", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value
