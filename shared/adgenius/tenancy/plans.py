"""Plans and what each one allows: request rates and monthly generation quotas."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel


class Plan(StrEnum):
    STARTER = "starter"
    PRO = "pro"
    ENTERPRISE = "enterprise"


class QuotaKind(StrEnum):
    TEXT_CALLS = "text_calls"
    IMAGES = "images"
    VIDEO_SECONDS = "video_seconds"


class Quotas(BaseModel):
    """Per calendar month (UTC)."""

    text_calls: int
    images: int
    video_seconds: int


class PlanLimits(BaseModel):
    requests_per_minute: int  # whole tenant, all members and keys together
    quotas: Quotas


PLANS: dict[Plan, PlanLimits] = {
    Plan.STARTER: PlanLimits(
        requests_per_minute=300, quotas=Quotas(text_calls=500, images=100, video_seconds=60)
    ),
    Plan.PRO: PlanLimits(
        requests_per_minute=1200, quotas=Quotas(text_calls=5000, images=1000, video_seconds=900)
    ),
    Plan.ENTERPRISE: PlanLimits(
        requests_per_minute=6000,
        quotas=Quotas(text_calls=50000, images=10000, video_seconds=9000),
    ),
}

# An API key without its own limit gets this share of the tenant's rate.
DEFAULT_KEY_REQUESTS_PER_MINUTE = 120
