"""What the loop's steps pass each other.

Ids are checked with `adgenius.tenancy.ids` only, so the functions receiving these messages
refuse a malformed one before importing Firestore and the domain models (cold starts); what the
steps read is in `adgenius.loop.campaigns`.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from adgenius.tenancy.ids import DocId

Reason = Literal["experiment_loser", "fatigue"]


class CandidateMessage(BaseModel):
    """`loop-act`: one creative that lost or tired, with what says so."""

    tenant_id: DocId
    campaign_id: DocId
    creative_id: DocId
    reason: Reason
    summary: str = Field(max_length=1000)
    evidence: dict[str, Any] = Field(default_factory=dict)


class CheckMessage(BaseModel):
    """`loop-check`: look for fatigued creatives in one campaign; with `decisions`, also for
    the losers its experiments' current decisions name (asked when the loop is turned on, so
    that what was decided while it was off is not passed over)."""

    tenant_id: DocId
    campaign_id: DocId
    decisions: bool = False
