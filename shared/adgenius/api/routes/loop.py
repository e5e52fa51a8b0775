"""The learning loop of a campaign: its suggestions and automatic replacements.

The mode and the daily cap are campaign fields (`loop` in `PATCH /v1/campaigns/{id}`)."""

from __future__ import annotations

from typing import get_args

from pydantic import Field

from adgenius.api.routing import Call, ListQuery, Page, Router
from adgenius.loop import candidates
from adgenius.tenancy.roles import Permission

router = Router(tag="loop")

BASE = "/v1/campaigns/<campaign_id>/loop/candidates"


class CandidateListQuery(ListQuery):
    status: candidates.Status | None = Field(
        default=None, description=f"one of {', '.join(get_args(candidates.Status))}"
    )


@router.get(
    BASE,
    permission=Permission.CAMPAIGNS_READ,
    query=CandidateListQuery,
    response=Page[candidates.Candidate],
)
def list_candidates(call: Call) -> Page[candidates.Candidate]:
    """Creatives the loop found losing (an experiment's losers) or fatigued (a falling CTR
    trend): suggestions to replace, and replacements it started on its own (`automatic`)."""
    q: CandidateListQuery = call.query
    items, cursor = candidates.list_candidates(
        call.tenant_id, call.params["campaign_id"], call.user, status=q.status, limit=q.limit,
        cursor=q.cursor,
    )  # fmt: skip
    return Page[candidates.Candidate](items=items, next_cursor=cursor)


@router.post(
    f"{BASE}/<candidate_id>/regenerate",
    permission=Permission.GENERATE,
    response=candidates.Candidate,
    errors=(402, 409),
)
def regenerate(call: Call) -> candidates.Candidate:
    """Accept a suggestion: start the regenerate job for that creative's slot, steered by the
    campaign's winners and insights (repeating the call starts no second job)."""
    p = call.params
    return candidates.regenerate(call.tenant_id, p["campaign_id"], p["candidate_id"], call.user)


@router.post(
    f"{BASE}/<candidate_id>/dismiss",
    permission=Permission.CAMPAIGNS_WRITE,
    response=candidates.Candidate,
    errors=(409,),
)
def dismiss(call: Call) -> candidates.Candidate:
    """Dismiss a suggestion; the loop does not suggest it again for the same reason."""
    p = call.params
    return candidates.dismiss(call.tenant_id, p["campaign_id"], p["candidate_id"], call.user)


@router.post(
    f"{BASE}/<candidate_id>/undo",
    permission=Permission.CAMPAIGNS_WRITE,
    response=candidates.Candidate,
    errors=(409,),
)
def undo(call: Call) -> candidates.Candidate:
    """Undo an automatic replacement: cancel its job if it still runs, archive the creatives
    it made, give the replaced creative back its status."""
    p = call.params
    return candidates.undo(call.tenant_id, p["campaign_id"], p["candidate_id"], call.user)
