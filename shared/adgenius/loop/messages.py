"""What the loop's steps pass each other, and the little they all read (kept free of the
generation pipeline, so the detection functions' bundles stay small)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from adgenius.domain.campaigns import Campaign
from adgenius.domain.creatives import CreativeStatus
from adgenius.tenancy import store

Reason = Literal["experiment_loser", "fatigue"]
# Creatives the loop may replace; rejected or archived ones are already set aside.
REPLACEABLE = (CreativeStatus.DRAFT.value, CreativeStatus.APPROVED.value)


class CandidateMessage(BaseModel):
    """`loop-act`: one creative that lost or tired, with what says so."""

    tenant_id: store.DocId
    campaign_id: store.DocId
    creative_id: store.DocId
    reason: Reason
    summary: str = Field(max_length=1000)
    evidence: dict[str, Any] = Field(default_factory=dict)


class CheckMessage(BaseModel):
    """`loop-check`: look for fatigued creatives in one campaign."""

    tenant_id: store.DocId
    campaign_id: store.DocId


def read_campaign(tenant_id: str, campaign_id: str) -> Campaign | None:
    """The campaign under this tenant's path, or None."""
    snap = store.tenant_collection(tenant_id, store.CAMPAIGNS).document(campaign_id).get()
    data = snap.to_dict() or {}
    if not snap.exists or data.get("tenant_id") != tenant_id:
        return None
    return Campaign(**store.data_with_id(snap))
