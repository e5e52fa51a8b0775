"""Where experiments read performance facts from, and how facts become arm totals.

`ExperimentFacts` is the one read interface the engine needs. `InMemoryFacts` serves unit tests
and the bench; `FirestoreFacts` reads the metric fact documents

    tenants/{t}/metric_facts/{id}: {creative_id, asset_key?, platform, date (YYYY-MM-DD),
        attribution, impressions, clicks, conversions, conversion_value_micros, cost_micros,
        currency}

one document per creative (or asset), platform, day and attribution setting, written with a
deterministic id by the metrics import: a redelivered or out-of-order import overwrites the
same documents, and the engine always re-reads the sums, so the decision depends only on the
facts present, never on the order they arrived in. Every read is under one tenant's path.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from adgenius.analytics.experiments.model import ArmTotals

FACTS_COLLECTION = "metric_facts"
_IN_LIMIT = 30  # Firestore's limit for an `in` filter


class Fact(BaseModel):
    model_config = ConfigDict(extra="ignore")

    creative_id: str
    asset_key: str | None = None
    platform: str = ""
    date: date
    attribution: str = ""
    impressions: float = 0
    clicks: float = 0
    conversions: float = 0  # may be fractional (data-driven attribution)
    conversion_value_micros: int = 0
    cost_micros: int = 0
    currency: str = ""


class ArmRef(BaseModel):
    """What identifies an arm's facts: a creative, optionally one asset of it and a platform."""

    arm_id: str
    label: str
    creative_id: str
    asset_key: str | None = None
    platform: str | None = None

    def matches(self, f: Fact) -> bool:
        return (
            f.creative_id == self.creative_id
            # A creative's arm counts the creative's own facts only: an asset report's rows
            # for its headlines carry its id too and would count its impressions again.
            and f.asset_key == self.asset_key
            and (self.platform is None or f.platform == self.platform)
        )


class ExperimentFacts(Protocol):
    def facts(
        self, tenant_id: str, creative_ids: Sequence[str], start: date, end: date
    ) -> Iterable[Fact]:
        """Facts of these creatives in [start, end] (inclusive), of this tenant only."""
        ...


class InMemoryFacts:
    def __init__(self) -> None:
        self._docs: dict[str, dict[str, Fact]] = defaultdict(dict)

    def put(self, tenant_id: str, fact_id: str, fact: Fact) -> None:
        self._docs[tenant_id][fact_id] = fact  # same id -> overwrite, like the documents

    def facts(
        self, tenant_id: str, creative_ids: Sequence[str], start: date, end: date
    ) -> Iterable[Fact]:
        wanted = set(creative_ids)
        return [
            f
            for f in self._docs.get(tenant_id, {}).values()
            if f.creative_id in wanted and start <= f.date <= end
        ]


class FirestoreFacts:
    """Reads `tenants/{t}/metric_facts` by creative id (`in` filter, 30 at a time); the date
    range is applied here so no composite index is needed (an arm has ~1 fact a day)."""

    def facts(
        self, tenant_id: str, creative_ids: Sequence[str], start: date, end: date
    ) -> Iterable[Fact]:
        from google.cloud.firestore_v1.base_query import FieldFilter

        from adgenius.tenancy.store import tenant_collection

        ids = sorted(set(creative_ids))
        out: list[Fact] = []
        for i in range(0, len(ids), _IN_LIMIT):
            query = tenant_collection(tenant_id, FACTS_COLLECTION).where(
                filter=FieldFilter("creative_id", "in", ids[i : i + _IN_LIMIT])
            )
            for snap in query.stream():
                fact = Fact.model_validate(snap.to_dict() or {})
                if start <= fact.date <= end:
                    out.append(fact)
        return out


def decision_window(
    start: date,
    as_of: date,
    *,
    max_runtime_days: int,
    lag_days: int,
    stopped_on: date | None = None,
) -> tuple[date, date, int]:
    """(first day, last day, whole days) of the data a decision may use on `as_of`: complete
    days only (as_of itself is still running), minus `lag_days` still maturing (conversions
    arrive late), never past the planned runtime or the day the experiment was stopped."""
    end = as_of - timedelta(days=1 + lag_days)
    end = min(end, start + timedelta(days=max_runtime_days - 1))
    if stopped_on is not None:
        end = min(end, stopped_on)
    days = (end - start).days + 1
    return start, end, max(days, 0)


def arm_totals(
    facts: Iterable[Fact], arms: Sequence[ArmRef], start: date, end: date
) -> tuple[list[ArmTotals], set[str], set[str]]:
    """Sums per arm over [start, end] (ratios are always ratios of these sums), and the
    attribution settings and currencies seen (more than one of either makes sums meaningless).
    A fact that matches several arms (two arms on one creative) counts for each of them."""
    sums = {a.arm_id: ArmTotals(arm_id=a.arm_id, label=a.label) for a in arms}
    days: dict[str, set[date]] = defaultdict(set)
    attributions: set[str] = set()
    currencies: set[str] = set()
    for f in facts:
        if not (start <= f.date <= end):
            continue
        for a in arms:
            if not a.matches(f):
                continue
            t = sums[a.arm_id]
            t.impressions += f.impressions
            t.clicks += f.clicks
            t.conversions += f.conversions
            t.conversion_value += f.conversion_value_micros / 1e6
            t.cost += f.cost_micros / 1e6
            days[a.arm_id].add(f.date)
            attributions.add(f.attribution)
            if f.cost_micros or f.conversion_value_micros:
                currencies.add(f.currency)
    for arm_id, seen in days.items():
        sums[arm_id].days_with_data = len(seen)
    return [sums[a.arm_id] for a in arms], attributions, currencies
