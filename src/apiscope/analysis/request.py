"""What a user asks an analysis for: the contract's request body, validated at submission so a
bad entry is a 422 naming its index, never a failed job later."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from apiscope.analysis.traffic import WorstApi

MAX_WORST_APIS = 1000


class AnalysisRequest(BaseModel):
    """`{"worst_apis": [...], "repo": "owner/name" | URL, "branch": "main"}`."""

    model_config = ConfigDict(extra="forbid")

    worst_apis: list[WorstApi] = Field(min_length=1, max_length=MAX_WORST_APIS)
    repo: str = Field(min_length=1, max_length=2048)
    branch: str | None = Field(default=None, max_length=255)

    @field_validator("repo")
    @classmethod
    def _strip(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("repo must name a repository: owner/name or a URL")
        return value.strip()
