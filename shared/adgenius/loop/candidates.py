"""Replacement candidates: what the loop does with a losing or fatigued creative.

`tenants/{t}/loop_candidates/{reason}-{creative id}` is one candidate: created once (create()
fails when it exists), so a redelivered decision or a repeated fatigue check never suggests or
acts twice for the same creative and reason. The campaign's loop mode at that moment decides:

- `off`: nothing is written.
- `suggest`: the candidate is `suggested`; the web app lists it live, a person starts the
  regenerate job (`regenerate`) or dismisses it.
- `auto`: the candidate starts `pending` and the step starts the regenerate job itself, when
  the campaign still has a slot of its daily cap and the tenant's quota allows; otherwise it
  stays a suggestion, saying what held it back, and tries again when the campaign's next check
  sends it again (a later day, or a raised cap). The replaced creative is set aside (`rejected`,
  with the loop's reason), the action goes to the audit log, and `undo` reverses it.

Why each step is safe to run twice (a redelivered `loop-act` message, a crash half-way):
- the job id is chosen when the candidate is created, so the job is created at most once and
  its quota reserved once (jobs_service.create_job with `job_id`);
- the daily cap is `daily_cap` slot documents per campaign and day, each taken with create():
  a burst of candidates can never take more slots than there are, and a repeat finds the slot
  it already holds (looked up by candidate id) instead of taking another;
- the audit entry has a fixed id per candidate and action.
Two deliveries of one candidate running at the same moment can each take a slot (the cap is
then under-used by one, never exceeded); they still start one job.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import date, datetime
from typing import Any, Literal

from google.api_core import exceptions as gexc
from google.cloud.firestore import (
    CollectionReference,
    DocumentReference,
    DocumentSnapshot,
    Query,
)
from google.cloud.firestore_v1.base_query import FieldFilter
from pydantic import Field

from adgenius.domain.campaigns import Campaign
from adgenius.domain.creatives import CreativeStatus
from adgenius.loop.campaigns import REPLACEABLE, read_campaign
from adgenius.loop.messages import CandidateMessage, Reason
from adgenius.observability import log_fields
from adgenius.pipeline import jobs_service
from adgenius.pipeline import store as job_store
from adgenius.tenancy import audit, store
from adgenius.tenancy.errors import Conflict, NotFound, QuotaExceeded
from adgenius.tenancy.principal import Principal
from adgenius.tenancy.roles import Permission

CANDIDATES = "loop_candidates"
SLOTS = "loop_slots"  # loop_slots/{campaign}-{YYYY-MM-DD}-{k}: the daily cap, one per job

Status = Literal["pending", "suggested", "dismissed", "started", "undone"]
HeldBack = Literal["daily_cap", "quota", "not_replaceable"]
RETRIED: tuple[HeldBack, ...] = ("daily_cap", "quota")  # auto mode tries these again later

log = logging.getLogger(__name__)


def loop_principal(tenant_id: str) -> Principal:
    """What the loop may do on its own: read, generate, set aside the creative it replaces."""
    return Principal.system(
        name="learning-loop",
        tenant_id=tenant_id,
        permissions=frozenset(
            {
                Permission.CAMPAIGNS_READ,
                Permission.CREATIVES_READ,
                Permission.CREATIVES_REVIEW,
                Permission.GENERATE,
            }
        ),
    )


class Candidate(store.Document):
    id: str
    tenant_id: str
    campaign_id: str
    brand_id: str
    creative_id: str
    reason: Reason
    summary: str
    evidence: dict[str, Any] = Field(default_factory=dict)
    status: Status
    automatic: bool = False  # auto mode: the loop starts (or started) the job itself
    held_back: HeldBack | None = None  # auto mode, but this kept it a suggestion
    job_id: str  # chosen at creation: the one job this candidate can ever start
    day: date  # the day whose cap an automatic job counts against
    replaced_status: str | None = None  # the creative's status before the loop set it aside
    slot: str | None = None
    started_by: dict[str, str | None] | None = None
    undone_by: dict[str, str | None] | None = None
    created_at: datetime
    updated_at: datetime


def candidate_id(reason: str, creative_id: str) -> str:
    return f"{reason}-{creative_id}"


def _candidates(tenant_id: str) -> CollectionReference:
    return store.tenant_collection(tenant_id, CANDIDATES)


# ---------------------------------------------------------------------------- acting
def handle(message: CandidateMessage) -> Candidate | None:
    """The `loop-act` step. Everything is read under the message's tenant: a creative id that
    is not this tenant's creative in this campaign is ignored."""
    tenant_id = message.tenant_id
    campaign = read_campaign(tenant_id, message.campaign_id)
    if campaign is None or campaign.loop.mode == "off":
        return None
    snap = store.tenant_collection(tenant_id, store.CREATIVES).document(message.creative_id).get()
    creative = snap.to_dict() or {}
    if (
        not snap.exists
        or creative.get("tenant_id") != tenant_id
        or creative.get("campaign_id") != campaign.id
    ):
        return None
    ref = _candidates(tenant_id).document(candidate_id(message.reason, message.creative_id))
    now = store.now()
    automatic = campaign.loop.mode == "auto"
    doc = Candidate(
        id=ref.id, tenant_id=tenant_id, campaign_id=campaign.id, brand_id=campaign.brand_id,
        creative_id=message.creative_id, reason=message.reason, summary=message.summary,
        evidence=message.evidence, status="pending" if automatic else "suggested",
        automatic=automatic, job_id=jobs_service.new_job_id(now), day=now.date(),
        replaced_status=str(creative.get("status")), created_at=now, updated_at=now,
    )  # fmt: skip
    snap = ref.get()
    if not snap.exists:
        if creative.get("status") not in REPLACEABLE:
            return None  # already set aside (by a person, or by the loop for another reason)
        try:
            ref.create(doc.model_dump(mode="json") | {"created_at": now, "updated_at": now})
        except gexc.AlreadyExists:  # a concurrent delivery of the same candidate
            snap = ref.get()
    if snap.exists:
        doc = Candidate.model_validate(store.data_with_id(snap))
        replaceable = creative.get("status") in REPLACEABLE
        if automatic and doc.status == "suggested" and doc.held_back in RETRIED and replaceable:
            rearmed = _rearm(snap, doc, now)
            if rearmed is None:
                return doc  # another delivery re-armed it first
            doc = rearmed
        elif doc.status != "pending":
            return doc  # suggested, started, dismissed or undone before: nothing new
        # an earlier delivery stopped half-way: finish its work, if auto is still the mode
        elif not automatic:
            return _hold_back(doc, None)
    if doc.status == "pending":
        return _start_automatically(campaign, doc)
    log.info("loop suggestion", extra=log_fields(candidate=doc.id, reason=doc.reason))
    return doc


def _rearm(snap: DocumentSnapshot, cand: Candidate, now: datetime) -> Candidate | None:
    """A candidate auto mode held back (cap reached, quota short) tries again: counted against
    today's cap (a new day has new slots; a raised cap has more). Compare-and-set, so of two
    deliveries only one re-arms it."""
    changes = {"status": "pending", "held_back": None, "day": now.date().isoformat(),
               "updated_at": now}  # fmt: skip
    if not store.update_unchanged_since(snap, changes):
        return None
    return cand.model_copy(update={"status": "pending", "held_back": None, "day": now.date()})


def _slot_refs(tenant_id: str, campaign_id: str, day: date, cap: int) -> list[DocumentReference]:
    slots = store.tenant_collection(tenant_id, SLOTS)
    return [slots.document(f"{campaign_id}-{day.isoformat()}-{k}") for k in range(cap)]


def _take_slot(campaign: Campaign, cand: Candidate) -> str | None:
    """One of the day's `daily_cap` slots for this candidate, or None when all are taken."""
    refs = _slot_refs(cand.tenant_id, campaign.id, cand.day, campaign.loop.daily_cap)
    if not refs:
        return None
    for snap in store.db().get_all(refs):
        if snap.exists and (snap.to_dict() or {}).get("candidate_id") == cand.id:
            return str(snap.id)  # a repeat: the slot taken by the earlier delivery
    for ref in refs:
        try:
            ref.create(
                {"tenant_id": cand.tenant_id, "campaign_id": campaign.id, "candidate_id": cand.id,
                 "day": cand.day.isoformat(), "taken_at": store.now()}
            )  # fmt: skip
            return str(ref.id)
        except gexc.AlreadyExists:
            continue
    return None


def _give_back_slot(tenant_id: str, slot: str, candidate: str) -> None:
    ref = store.tenant_collection(tenant_id, SLOTS).document(slot)
    snap = ref.get()
    if snap.exists and (snap.to_dict() or {}).get("candidate_id") == candidate:
        ref.delete()


def _hold_back(cand: Candidate, why: HeldBack | None) -> Candidate:
    ref = _candidates(cand.tenant_id).document(cand.id)
    ref.update({"status": "suggested", "held_back": why, "updated_at": store.now()})
    log.info("loop held back", extra=log_fields(candidate=cand.id, held_back=why))
    return cand.model_copy(update={"status": "suggested", "held_back": why})


def _comment(cand: Candidate) -> str:
    if cand.reason == "fatigue":
        return "The previous version's CTR kept falling; keep the offer, find a fresher angle."
    return "The previous version lost an A/B test; try a different angle from the winners."


def _start_automatically(campaign: Campaign, cand: Candidate) -> Candidate:
    tenant_id = cand.tenant_id
    slot = _take_slot(campaign, cand)
    if slot is None:
        return _hold_back(cand, "daily_cap")
    principal = loop_principal(tenant_id)
    try:
        jobs_service.job_from_creative(
            tenant_id, cand.creative_id, principal, more=False, comment=_comment(cand),
            job_id=cand.job_id,
        )  # fmt: skip
    except QuotaExceeded:
        _give_back_slot(tenant_id, slot, cand.id)
        return _hold_back(cand, "quota")
    except NotFound:  # the creative was deleted meanwhile
        _give_back_slot(tenant_id, slot, cand.id)
        return _hold_back(cand, "not_replaceable")
    _set_aside(tenant_id, cand, principal)
    now = store.now()
    changes = {"status": "started", "slot": slot, "started_by": principal.actor, "updated_at": now}
    _candidates(tenant_id).document(cand.id).update(changes)
    audit.record(
        tenant_id, "loop.regenerate_started", principal, target=f"creatives/{cand.creative_id}",
        details={"campaign_id": cand.campaign_id, "candidate_id": cand.id, "reason": cand.reason,
                 "summary": cand.summary, "evidence": cand.evidence, "job_id": cand.job_id},
        entry_id=f"loop-{cand.id}-started",
    )  # fmt: skip
    log.info("loop started a job", extra=log_fields(candidate=cand.id, job_id=cand.job_id))
    return cand.model_copy(
        update={"status": "started", "slot": slot, "started_by": principal.actor}
    )


def _set_aside(tenant_id: str, cand: Candidate, principal: Principal) -> None:
    """The replaced creative becomes `rejected` with the loop's reason (undo restores it)."""
    ref = store.tenant_collection(tenant_id, store.CREATIVES).document(cand.creative_id)
    snap = ref.get()
    if not snap.exists or (snap.to_dict() or {}).get("status") not in REPLACEABLE:
        return
    now = store.now()
    review = {"comment": f"Replaced by the learning loop: {cand.summary}", "by": principal.actor,
              "at": now}  # fmt: skip
    store.update_unchanged_since(
        snap, {"status": CreativeStatus.REJECTED.value, "review": review, "updated_at": now}
    )


# ---------------------------------------------------------------------------- the API
def _load(tenant_id: str, campaign_id: str, cand_id: str, principal: Principal) -> Candidate:
    snap = store.get_in_tenant(tenant_id, CANDIDATES, cand_id)
    cand = Candidate.model_validate(store.data_with_id(snap))
    if cand.campaign_id != campaign_id or not principal.sees_brand(cand.brand_id):
        raise NotFound("candidate not found")
    return cand


def list_candidates(
    tenant_id: str,
    campaign_id: str,
    principal: Principal,
    *,
    status: Status | None,
    limit: int,
    cursor: str | None,
) -> tuple[list[Candidate], str | None]:
    snap = store.get_in_tenant(tenant_id, store.CAMPAIGNS, campaign_id)
    principal.require_brand((snap.to_dict() or {}).get("brand_id"), "campaign")
    query: CollectionReference | Query = _candidates(tenant_id).where(
        filter=FieldFilter("campaign_id", "==", campaign_id)
    )
    if status is not None:
        query = query.where(filter=FieldFilter("status", "==", status))
    snaps, next_cursor = store.page(query, limit=limit, cursor=cursor)  # type: ignore[arg-type]
    return [Candidate.model_validate(store.data_with_id(s)) for s in snaps], next_cursor


def regenerate(tenant_id: str, campaign_id: str, cand_id: str, principal: Principal) -> Candidate:
    """A person accepts a suggestion: its regenerate job starts (402 when the quota is short).
    A double click starts one job: the candidate's job id is fixed."""
    cand = _load(tenant_id, campaign_id, cand_id, principal)
    if cand.status == "started":
        return cand
    if cand.status != "suggested":
        raise Conflict(f"the suggestion is {cand.status}")
    jobs_service.job_from_creative(
        tenant_id, cand.creative_id, principal, more=False, comment=_comment(cand),
        job_id=cand.job_id,
    )  # fmt: skip
    changes = {"status": "started", "automatic": False, "held_back": None,
               "started_by": principal.actor, "updated_at": store.now()}  # fmt: skip
    _candidates(tenant_id).document(cand.id).update(changes)
    audit.record(
        tenant_id, "loop.suggestion_accepted", principal, target=f"creatives/{cand.creative_id}",
        details={"campaign_id": campaign_id, "candidate_id": cand.id, "job_id": cand.job_id},
        entry_id=f"loop-{cand.id}-accepted",
    )  # fmt: skip
    return _load(tenant_id, campaign_id, cand_id, principal)


def dismiss(tenant_id: str, campaign_id: str, cand_id: str, principal: Principal) -> Candidate:
    cand = _load(tenant_id, campaign_id, cand_id, principal)
    if cand.status == "dismissed":
        return cand
    if cand.status != "suggested":
        raise Conflict(f"the suggestion is {cand.status}")
    _candidates(tenant_id).document(cand.id).update(
        {"status": "dismissed", "updated_at": store.now()}
    )
    audit.record(
        tenant_id, "loop.suggestion_dismissed", principal, target=f"creatives/{cand.creative_id}",
        details={"campaign_id": campaign_id, "candidate_id": cand.id},
    )  # fmt: skip
    return _load(tenant_id, campaign_id, cand_id, principal)


def undo(tenant_id: str, campaign_id: str, cand_id: str, principal: Principal) -> Candidate:
    """Reverse an automatic replacement: cancel its job if it still runs, archive what it made,
    give the replaced creative back its status (unless a person changed it since)."""
    cand = _load(tenant_id, campaign_id, cand_id, principal)
    if cand.status == "undone":
        return cand
    if cand.status != "started" or not cand.automatic:
        raise Conflict("only an automatic replacement can be undone")
    job = job_store.read_job(tenant_id, cand.job_id)
    if job is not None and not job.status.terminal:
        with contextlib.suppress(Conflict):  # it ended meanwhile
            jobs_service.cancel_job(tenant_id, job.id, principal)
    made = store.tenant_collection(tenant_id, store.CREATIVES).where(
        filter=FieldFilter("job_id", "==", cand.job_id)
    )
    archived = []
    now = store.now()
    for snap in made.stream():
        data = snap.to_dict() or {}
        if data.get("tenant_id") == tenant_id and data.get("status") != "archived":
            review = {"comment": "Undo of an automatic replacement", "by": principal.actor,
                      "at": now}  # fmt: skip
            snap.reference.update({"status": "archived", "review": review, "updated_at": now})
            archived.append(snap.id)
    restored = _restore(tenant_id, cand, principal)
    _candidates(tenant_id).document(cand.id).update(
        {"status": "undone", "undone_by": principal.actor, "updated_at": now}
    )
    audit.record(
        tenant_id, "loop.undone", principal, target=f"creatives/{cand.creative_id}",
        details={"campaign_id": campaign_id, "candidate_id": cand.id, "job_id": cand.job_id,
                 "archived": archived, "restored": restored},
        entry_id=f"loop-{cand.id}-undone",
    )  # fmt: skip
    return _load(tenant_id, campaign_id, cand_id, principal)


def _restore(tenant_id: str, cand: Candidate, principal: Principal) -> bool:
    ref = store.tenant_collection(tenant_id, store.CREATIVES).document(cand.creative_id)
    snap = ref.get()
    data = snap.to_dict() or {}
    by_loop = ((data.get("review") or {}).get("by") or {}).get("type") == "system"
    if not snap.exists or data.get("status") != "rejected" or not by_loop:
        return False  # a person decided about it since: their decision stands
    now = store.now()
    review = {"comment": "Restored by undo", "by": principal.actor, "at": now}
    changes = {"status": cand.replaced_status or "approved", "review": review, "updated_at": now}
    return store.update_unchanged_since(snap, changes)
