"""Jobs and their items: the request body, the Firestore documents, the messages and tasks."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from adgenius.domain.vocabulary import SUPPORTED_LANGUAGES, Platform
from adgenius.pipeline.states import TERMINAL_ITEM as TERMINAL_ITEM
from adgenius.pipeline.states import TERMINAL_JOB as TERMINAL_JOB
from adgenius.pipeline.states import ItemStatus as ItemStatus
from adgenius.pipeline.states import JobKind as JobKind
from adgenius.pipeline.states import JobStatus as JobStatus

IMAGE_RATIOS = ("1:1", "4:5", "9:16", "1.91:1")
VIDEO_RATIOS = ("9:16", "1:1", "4:5", "16:9")


Ratio = Literal["1:1", "4:5", "9:16", "1.91:1", "16:9"]
Language = Annotated[str, StringConstraints(min_length=2, max_length=10)]


class LikeCreative(BaseModel):
    """ "More like this": keep a creative's message and look, vary the rest."""

    model_config = ConfigDict(extra="forbid")

    headline: str = Field(min_length=1, max_length=300)
    cta: str = Field(default="", max_length=60)
    style: Literal["gradient", "split", "shapes", "solid", "photo"] = "gradient"
    creative_id: str | None = Field(default=None, max_length=128)


class JobRequest(BaseModel):
    """`POST /v1/campaigns/{id}/jobs`: what to make."""

    model_config = ConfigDict(extra="forbid")

    kind: JobKind
    # image_set
    variants: int = Field(default=4, ge=1, le=200)
    ratios: list[Ratio] | None = Field(default=None, min_length=1, max_length=5)
    # video
    duration_s: int = Field(default=15, ge=6, le=60)
    ratio: Ratio = "9:16"
    scenes: int = Field(default=3, ge=1, le=8)
    # copy_batch
    platforms: list[Platform] = Field(default_factory=list, max_length=3)
    languages: list[Language] = Field(default_factory=list, max_length=8)
    ad_groups: list[Annotated[str, StringConstraints(min_length=1, max_length=200)]] = Field(
        default_factory=list, max_length=50
    )
    seed: int = Field(default=0, ge=0, le=2**31 - 1)
    comment: str | None = Field(default=None, max_length=1000)  # steers a regeneration
    like: LikeCreative | None = None  # image sets: variations of one creative

    @model_validator(mode="after")
    def _kind_specific(self) -> JobRequest:
        if self.kind is JobKind.IMAGE_SET:
            self.ratios = self.ratios or ["1:1"]
            bad = [r for r in self.ratios if r not in IMAGE_RATIOS]
            if bad:
                raise ValueError(
                    f"ratios: {bad[0]} is not an image ratio ({', '.join(IMAGE_RATIOS)})"
                )
            if self.variants * len(self.image_ratios()) > 400:
                raise ValueError("variants x ratios must be at most 400 images per job")
        if self.kind is JobKind.VIDEO:
            bad = [r for r in [self.ratio, *(self.ratios or [])] if r not in VIDEO_RATIOS]
            if bad:
                raise ValueError(
                    f"ratio: {bad[0]} is not a video ratio ({', '.join(VIDEO_RATIOS)})"
                )
        for lang in self.languages:
            if lang.split("-")[0].lower() not in SUPPORTED_LANGUAGES:
                raise ValueError(f"languages: {lang} is not supported")
        return self

    def video_ratios(self) -> list[str]:
        """The main ratio first, then any extra renditions asked for."""
        return list(dict.fromkeys([self.ratio, *(self.ratios or [])]))

    def image_ratios(self) -> list[str]:
        return list(dict.fromkeys(self.ratios or ["1:1"]))

    def quota_need(self) -> dict[str, float]:
        """What the job will consume, reserved before it is accepted."""
        if self.kind is JobKind.IMAGE_SET:
            return {"images": self.variants * len(self.image_ratios())}
        if self.kind is JobKind.VIDEO:
            return {"video_seconds": float(self.duration_s * len(self.video_ratios()))}
        groups = max(1, len(self.ad_groups))
        return {"text_calls": groups * max(1, len(self.platforms)) * max(1, len(self.languages))}


class Counts(BaseModel):
    total: int = 0
    pending: int = 0
    running: int = 0
    succeeded: int = 0
    failed: int = 0
    cancelled: int = 0

    @property
    def finished(self) -> int:
        return self.succeeded + self.failed + self.cancelled


class Job(BaseModel):
    """`tenants/{t}/jobs/{j}`: the document a web client listens to."""

    id: str
    tenant_id: str
    campaign_id: str
    brand_id: str
    kind: JobKind
    request: dict[str, Any]
    status: JobStatus = JobStatus.QUEUED
    phase: str = "queued"
    engine: str = "local"
    round: int = 0  # bumped by "retry failed items"
    counts: Counts = Field(default_factory=Counts)
    eta_s: float | None = None
    error: str | None = None
    creative_ids: list[str] = Field(default_factory=list)
    created_by: str | None = None
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    cancel_requested: bool = False
    # The plan quota this job holds: reserved when accepted, settled to what it delivered when it
    # ends (see pipeline/quota.py). `quota_period` is the month it was reserved in.
    quota_held: dict[str, float] = Field(default_factory=dict)
    quota_period: str | None = None


class Item(BaseModel):
    """`tenants/{t}/jobs/{j}/items/{i}`: one unit of work (an image, a scene, a copy set)."""

    id: str
    tenant_id: str
    job_id: str
    index: int
    kind: Literal["image", "scene", "copy"]
    queue: str
    status: ItemStatus = ItemStatus.PENDING
    ratio: str | None = None
    spec: dict[str, Any] = Field(default_factory=dict)  # what to generate (prompt, texts, seed)
    attempts: int = 0
    redrives: int = 0
    round: int = 0
    error_reason: str | None = None
    error_kind: str | None = None  # transient | permanent | safety | deadline
    creative_id: str | None = None
    output_path: str | None = None  # scenes: the clip or still in Storage
    brand_asset_ids: list[str] = Field(default_factory=list)  # scenes: brand photos shown
    operation: str | None = None  # Veo: the long-running operation's name
    deadline: datetime | None = None
    updated_at: datetime | None = None


class ItemTask(BaseModel):
    """The body of every item task. `attempt` counts our own retries (the emulator has none)."""

    tenant_id: str
    job_id: str
    item_id: str
    round: int = 0
    attempt: int = 0
    action: Literal["run", "poll"] = "run"
    poll: int = 0


class JobMessage(BaseModel):
    tenant_id: str
    job_id: str
    round: int = 0
