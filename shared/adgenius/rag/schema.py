"""Typed values that cross the retrieval package's boundary."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class PointType(StrEnum):
    COPY = "copy"
    IMAGE = "image"
    VIDEO = "video"
    DOCUMENT = "document"


CREATIVE_TYPES: tuple[str, ...] = (PointType.COPY, PointType.IMAGE, PointType.VIDEO)


class Status(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    REJECTED = "rejected"
    ARCHIVED = "archived"
    ACTIVE = "active"  # brand documents that are in use


class Performance(BaseModel):
    """Measured results of a creative; stored in the payload, never re-embedded."""

    ctr: float | None = Field(default=None, ge=0, le=1)
    conversion_rate: float | None = Field(default=None, ge=0, le=1)
    impressions: int | None = Field(default=None, ge=0)


class CreativeFilters(BaseModel):
    """Optional equality filters of the search API; a list means "any of"."""

    model_config = ConfigDict(extra="forbid")

    type: PointType | list[PointType] | None = None
    brand_id: str | list[str] | None = None
    campaign_id: str | list[str] | None = None
    platform: str | list[str] | None = None
    status: Status | list[Status] | None = None

    def as_store_filters(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in self.model_dump(mode="json").items():
            if value is not None:
                out[key] = value
        return out


class CreativeHit(BaseModel):
    creative_id: str
    point_id: str  # the best-matching chunk
    score: float
    type: PointType
    brand_id: str | None = None
    campaign_id: str | None = None
    platform: str | None = None
    status: Status | None = None
    text: str
    performance: Performance | None = None


class ContextItem(BaseModel):
    point_id: str
    source_id: str  # creative id or document id
    type: PointType
    text: str
    title: str | None = None
    relevance: float  # cosine similarity with the brief
    score: float  # relevance after the performance weighting
    performance: Performance | None = None


class RetrievedContext(BaseModel):
    """What generation may quote for one brief, with the ids so usage can be recorded."""

    creatives: list[ContextItem] = Field(default_factory=list)
    brand_chunks: list[ContextItem] = Field(default_factory=list)

    @property
    def creative_ids(self) -> list[str]:
        return [item.source_id for item in self.creatives]

    @property
    def document_ids(self) -> list[str]:
        return sorted({item.source_id for item in self.brand_chunks})

    @property
    def point_ids(self) -> list[str]:
        return [item.point_id for item in self.creatives + self.brand_chunks]

    @property
    def is_empty(self) -> bool:
        return not self.creatives and not self.brand_chunks
