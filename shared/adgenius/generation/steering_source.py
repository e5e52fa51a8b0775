"""Where a campaign's steering comes from: its experiments' decisions and its insights.

Winners and losers are the arms of the campaign's decided experiments (an experiment's winner,
and the arms it marked as losers); insights are the campaign's confident attribute effects.
Everything is read under the tenant's path; with no decided experiment and no confident insight
the steering is empty and generation is exactly as without the loop.
"""

from __future__ import annotations

import logging
from datetime import date

from google.cloud.firestore_v1.base_query import FieldFilter

from adgenius.analytics.experiments.facts import ExperimentFacts
from adgenius.analytics.experiments.service import EXPERIMENTS
from adgenius.analytics.insights_service import campaign_creatives, insights_for, line_insights
from adgenius.tenancy import store

from .steering import Steering, build_steering

logger = logging.getLogger(__name__)

MAX_WINNERS = 3
MAX_LOSERS = 5
MAX_KEPT = 10


def decided_arms(tenant_id: str, campaign_id: str) -> tuple[list[str], list[str]]:
    """(winner creative ids, loser creative ids) of the campaign's decided experiments,
    newest experiment first."""
    winners, losers, _ = decided_arm_sets(tenant_id, campaign_id)
    return winners, losers


def decided_arm_sets(tenant_id: str, campaign_id: str) -> tuple[list[str], list[str], list[str]]:
    """(winners, losers, kept) creative ids of the campaign's decided experiments, newest
    experiment first; kept: the arms of an experiment with losers that were not among them."""
    query = store.tenant_collection(tenant_id, EXPERIMENTS).where(
        filter=FieldFilter("campaign_id", "==", campaign_id)
    )
    docs = sorted(
        (s.to_dict() or {} for s in query.stream()),
        key=lambda d: str(d.get("created_at") or ""),
        reverse=True,
    )
    winners: list[str] = []
    losers: list[str] = []
    kept: list[str] = []
    for doc in docs:
        decision = doc.get("decision") or {}
        by_arm = {a.get("arm_id"): a.get("creative_id") for a in doc.get("arms") or []}
        if decision.get("winner") in by_arm:
            winners.append(str(by_arm[decision["winner"]]))
        lost = [a for a in decision.get("losers") or [] if a in by_arm]
        losers.extend(str(by_arm[a]) for a in lost)
        if lost:
            kept.extend(
                str(c) for a, c in by_arm.items() if a not in lost and a != decision.get("winner")
            )
    won = list(dict.fromkeys(winners))
    lost_ids = [c for c in dict.fromkeys(losers) if c not in won]
    return won, lost_ids, [c for c in dict.fromkeys(kept) if c not in won and c not in lost_ids]


def campaign_steering(
    tenant_id: str,
    campaign_id: str,
    language: str,
    *,
    source: ExperimentFacts | None = None,
    as_of: date | None = None,
) -> Steering:
    """The campaign's steering. Like grounding, it never fails a generation: when its reads
    fail the steering is empty (generation as without the loop) and the failure is logged."""
    try:
        return _read_steering(tenant_id, campaign_id, language, source=source, as_of=as_of)
    except Exception:
        logger.exception(
            "steering unavailable for %s/%s; generating without it", tenant_id, campaign_id
        )
        return Steering(language=language)


def _read_steering(
    tenant_id: str,
    campaign_id: str,
    language: str,
    *,
    source: ExperimentFacts | None,
    as_of: date | None,
) -> Steering:
    creatives = campaign_creatives(tenant_id, campaign_id)
    by_id = {str(c["id"]): c for c in creatives}
    winner_ids, loser_ids, kept_ids = decided_arm_sets(tenant_id, campaign_id)

    def copy_of(ids: list[str], limit: int) -> list[tuple[str, dict[str, object]]]:
        out = []
        for cid in ids:
            c = by_id.get(cid)
            content = c.get("content") if c else None
            if c and c.get("kind") == "copy" and isinstance(content, dict):
                out.append((cid, content))
        return out[:limit]

    insights = insights_for(tenant_id, campaign_id, source=source, as_of=as_of, creatives=creatives)
    return build_steering(
        insights,
        winners=copy_of(winner_ids, MAX_WINNERS),
        losers=copy_of(loser_ids, MAX_LOSERS),
        language=language,
        kept=copy_of(kept_ids, MAX_KEPT),
        line_insights=line_insights(tenant_id, campaign_id, as_of=as_of, creatives=creatives),
    )
