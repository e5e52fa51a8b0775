"""Where candidates come from: experiment decisions naming losers, and fatigue.

Losers: the experiment document's trigger compares the decision before and after the write and
publishes one `loop-act` message per creative that newly became a loser (a rewrite of the same
decision publishes nothing; a repeat publish is harmless, candidates are idempotent).

Fatigue: the metric facts' one trigger (`experiments_on_fact`, through `on_facts_written`, which
also asks for the experiments' evaluations) asks for one check of its campaign (coalesced like
experiment evaluations: the `loop_checks/{campaign}` marker is created once, so a report of 900
facts asks for one check; the check deletes the marker before reading, so facts written during
a check ask for the next one). The check runs the fatigue test (analytics.fatigue) on every
replaceable creative of the campaign and publishes a `loop-act` message per fatigued one.
Campaigns whose loop is `off` are never checked.

The tenant always comes from the document path that triggered, never from a document's content.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from google.cloud.firestore import DocumentReference
from google.cloud.firestore_v1.base_query import FieldFilter

from adgenius.analytics.experiments import service as experiments
from adgenius.analytics.experiments.facts import ExperimentFacts, FirestoreFacts
from adgenius.analytics.fatigue import FatigueThresholds, daily_series, fatigue_test
from adgenius.analytics.insights_service import campaign_creatives
from adgenius.cloud.messaging import publish
from adgenius.loop.campaigns import REPLACEABLE, read_campaign
from adgenius.loop.messages import CandidateMessage, CheckMessage
from adgenius.observability import log_fields
from adgenius.tenancy import store

ACT_TOPIC = "loop-act"
CHECK_TOPIC = "loop-check"
CHECKS = "loop_checks"  # loop_checks/{campaign id}: a pending fatigue check
CANDIDATES = "loop_candidates"  # see loop.candidates (not imported: it pulls in the pipeline)
RETRIED = ("daily_cap", "quota")
STALE_MARKER = timedelta(minutes=5)  # a marker whose message was lost is re-published after this

log = logging.getLogger(__name__)


def _loser_creatives(doc: dict[str, Any] | None) -> set[str]:
    if not doc:
        return set()
    decision = doc.get("decision") or {}
    by_arm = {a.get("arm_id"): a.get("creative_id") for a in doc.get("arms") or []}
    return {str(by_arm[a]) for a in decision.get("losers") or [] if by_arm.get(a)}


def on_experiment_written(
    tenant_id: str, before: dict[str, Any] | None, after: dict[str, Any] | None
) -> list[CandidateMessage]:
    """Publish a candidate per creative that is a loser after the write and was not before."""
    if not after or not after.get("campaign_id"):
        return []
    new = sorted(_loser_creatives(after) - _loser_creatives(before))
    messages = _loser_messages(tenant_id, after, new)
    for message in messages:
        publish(ACT_TOPIC, message)
    return messages


def _loser_messages(
    tenant_id: str, experiment: dict[str, Any], creative_ids: list[str]
) -> list[CandidateMessage]:
    decision = experiment.get("decision") or {}
    name, why = experiment.get("name", ""), decision.get("reason", "")
    summary = f"lost the experiment \u201c{name}\u201d: {why}"
    evidence = {
        "experiment_id": experiment.get("id"),
        "metric": decision.get("metric"),
        "outcome": decision.get("outcome"),
        "input_hash": decision.get("input_hash"),
    }
    return [
        CandidateMessage(
            tenant_id=tenant_id,
            campaign_id=str(experiment["campaign_id"]),
            creative_id=creative_id,
            reason="experiment_loser",
            summary=summary[:1000],
            evidence=evidence,
        )
        for creative_id in creative_ids
    ]


def _current_losers(tenant_id: str, campaign_id: str) -> list[CandidateMessage]:
    """The losers named by the current decisions of the campaign's experiments (archived ones
    are over). Candidates are idempotent, so a loser already suggested, dismissed or replaced
    gets nothing new."""
    query = store.tenant_collection(tenant_id, experiments.EXPERIMENTS).where(
        filter=FieldFilter("campaign_id", "==", campaign_id)
    )
    out: list[CandidateMessage] = []
    for snap in query.stream():
        doc = (snap.to_dict() or {}) | {"id": snap.id}
        if doc.get("tenant_id") != tenant_id or doc.get("status") == "archived":
            continue
        out += _loser_messages(tenant_id, doc, sorted(_loser_creatives(doc)))
    return out


# ---------------------------------------------------------------------------- fatigue
def _marker(tenant_id: str, campaign_id: str) -> DocumentReference:
    return store.tenant_collection(tenant_id, CHECKS).document(campaign_id)


def _campaign_of(tenant_id: str, fact: dict[str, Any]) -> str | None:
    if fact.get("campaign_id"):
        return str(fact["campaign_id"])
    creative_id = fact.get("creative_id")
    if not creative_id:
        return None
    snap = store.tenant_collection(tenant_id, store.CREATIVES).document(str(creative_id)).get()
    data = snap.to_dict() or {}
    return str(data["campaign_id"]) if snap.exists and data.get("campaign_id") else None


def on_facts_written(tenant_id: str, facts: list[dict[str, Any]]) -> tuple[int, int]:
    """A metric fact was written (`facts`: the trigger's before and after). One trigger does
    both jobs a fact asks for: evaluations of the running experiments that include its
    creatives, and a fatigue check of its campaign when the loop is on (each coalesced by its
    own pending marker). The second job runs even when the first fails, then the first error
    is raised so the event is redelivered (the pending markers keep the repeat from asking twice).
    Returns (evaluations, checks) requested."""
    creatives = sorted({str(f["creative_id"]) for f in facts if f.get("creative_id")})
    requested = [0, 0]
    failure: Exception | None = None
    jobs = (
        lambda: experiments.on_facts_changed(tenant_id, creatives) if creatives else 0,
        lambda: request_checks(tenant_id, facts),
    )
    for i, job in enumerate(jobs):
        try:
            requested[i] = job()
        except Exception as exc:  # re-raised below, once the other job has run
            log.exception("a fact job failed", extra=log_fields(tenant_id=tenant_id))
            failure = failure or exc
    if failure is not None:
        raise failure
    return requested[0], requested[1]


def request_checks(tenant_id: str, facts: list[dict[str, Any]]) -> int:
    """Facts (a trigger's before and after) changed: ask for a fatigue check of their
    campaigns whose loop is on. Returns how many checks were requested."""
    campaigns = {c for f in facts if (c := _campaign_of(tenant_id, f))}
    requested = 0
    for campaign_id in sorted(campaigns):
        campaign = read_campaign(tenant_id, campaign_id)
        if campaign is not None and campaign.loop.mode != "off":
            requested += int(request_check(tenant_id, campaign_id))
    return requested


def request_check(tenant_id: str, campaign_id: str) -> bool:
    """One check unless one is already pending; True if a message was published."""
    if not store.claim_pending_marker(_marker(tenant_id, campaign_id), tenant_id, STALE_MARKER):
        return False
    publish(CHECK_TOPIC, CheckMessage(tenant_id=tenant_id, campaign_id=campaign_id))
    return True


def request_rescan(tenant_id: str, campaign_id: str) -> None:
    """The loop was turned on: one check that also looks at the decisions already made. Not
    coalesced with the facts' checks (whose marker may be pending): a mode change is rare."""
    publish(CHECK_TOPIC, CheckMessage(tenant_id=tenant_id, campaign_id=campaign_id, decisions=True))


def _held_back(tenant_id: str, campaign_id: str) -> list[CandidateMessage]:
    """Candidates auto mode held back (daily cap reached, quota short): asked again at each
    check, so they start on a later day or once the cap is raised, within the cap."""
    query = store.tenant_collection(tenant_id, CANDIDATES).where(
        filter=FieldFilter("campaign_id", "==", campaign_id)
    )
    query = query.where(filter=FieldFilter("status", "==", "suggested"))
    out = []
    for snap in query.stream():
        doc = snap.to_dict() or {}
        if doc.get("tenant_id") != tenant_id or doc.get("held_back") not in RETRIED:
            continue
        out.append(
            CandidateMessage(
                tenant_id=tenant_id,
                campaign_id=campaign_id,
                creative_id=str(doc["creative_id"]),
                reason=doc["reason"],
                summary=str(doc.get("summary", ""))[:1000],
                evidence=doc.get("evidence") or {},
            )
        )
    return out


def check_campaign(
    tenant_id: str,
    campaign_id: str,
    *,
    decisions: bool = False,
    source: ExperimentFacts | None = None,
    thresholds: FatigueThresholds | None = None,
) -> list[CandidateMessage]:
    """The `loop-check` step: the fatigue test on each replaceable creative of the campaign,
    over the last `window_days` complete days; a `loop-act` message per fatigued one, (auto
    mode) one per candidate held back before, which tries again, and (`decisions`) one per
    loser of the campaign's experiments' current decisions."""
    _marker(tenant_id, campaign_id).delete()  # before reading: later facts ask again
    campaign = read_campaign(tenant_id, campaign_id)
    if campaign is None or campaign.loop.mode == "off":
        return []
    messages = _held_back(tenant_id, campaign_id) if campaign.loop.mode == "auto" else []
    if decisions:
        messages += _current_losers(tenant_id, campaign_id)
    t = thresholds or FatigueThresholds()
    end = store.now().date() - timedelta(days=1)  # today is not complete yet
    start = end - timedelta(days=t.window_days - 1)
    ids = [
        str(c["id"])
        for c in campaign_creatives(tenant_id, campaign_id)
        if c.get("tenant_id") == tenant_id and c.get("status") in REPLACEABLE
    ]
    facts = (source or FirestoreFacts()).facts(tenant_id, ids, start, end) if ids else []
    for creative_id, days in sorted(daily_series(facts).items()):
        result = fatigue_test(days, t)
        if result.fatigued:
            evidence = result.model_dump(mode="json") | {"start": str(start), "end": str(end)}
            messages.append(
                CandidateMessage(
                    tenant_id=tenant_id,
                    campaign_id=campaign_id,
                    creative_id=creative_id,
                    reason="fatigue",
                    summary=result.reason,
                    evidence=evidence,
                )
            )
    messages = list({(m.reason, m.creative_id): m for m in messages}.values())
    for message in messages:
        publish(ACT_TOPIC, message)
    log.info("loop fatigue check", extra=log_fields(campaign_id=campaign_id, found=len(messages)))
    return messages
