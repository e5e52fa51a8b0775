"""Property: whatever facts arrive, in whatever batches, re-delivered or restated, the rollup
totals and rates equal a direct recomputation from the facts that finally stand."""

from __future__ import annotations

import uuid
from collections import defaultdict

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adgenius.analytics.facts import (
    DailyFact,
    asset_subject,
    campaign_totals,
    creative_subject,
    totals_for,
    upsert_facts,
)
from adgenius.analytics.rollups import SUMMED, rates_of, totals_of
from adgenius.localstack.stack import StackInfo

CREATIVES = {"c1": "camp1", "c2": "camp1", "c3": "camp2"}
ASSET = "text:headlines:abc"

fact_spec = st.fixed_dictionaries(
    {
        "subject": st.sampled_from(["c1", "c2", "c3", "asset"]),
        "platform": st.sampled_from(["google_ads", "meta"]),
        "date": st.sampled_from(["2026-11-01", "2026-11-02", "2026-11-03"]),
        "attribution": st.sampled_from(["default", "7d_click_1d_view"]),
        "currency": st.sampled_from(["USD", "EUR", None]),
        "impressions": st.integers(0, 10**7),
        "clicks": st.integers(0, 10**5),
        "conversions_micros": st.integers(0, 10**9),
        "conversion_value_micros": st.integers(0, 10**12),
        "cost_micros": st.integers(0, 10**12),
    }
)


def _fact(tenant: str, spec: dict[str, object]) -> DailyFact:
    spec = dict(spec)
    who = str(spec.pop("subject"))
    if who == "asset":
        # an asset of c1: it names its creative, yet never counts in c1's or camp1's totals
        identity = {
            "subject": asset_subject(ASSET),
            "asset_key": ASSET,
            "creative_id": "c1",
            "creative_ids": ["c1"],
            "campaign_id": "camp1",
        }
    else:
        identity = {
            "subject": creative_subject(who),
            "creative_id": who,
            "creative_ids": [who],
            "campaign_id": CREATIVES[who],
        }
    if spec["currency"] is None:  # no currency means no money
        spec["cost_micros"] = spec["conversion_value_micros"] = 0
    return DailyFact(tenant_id=tenant, **identity, **spec)  # type: ignore[arg-type]


def _canon(groups: list[object]) -> list[dict[str, object]]:
    return sorted(
        (g.model_dump() for g in groups),  # type: ignore[attr-defined]
        key=lambda d: (d["platform"], d["attribution"], d["currency"] or ""),
    )


@pytest.mark.integration
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    batches=st.lists(st.lists(fact_spec, min_size=1, max_size=12), min_size=1, max_size=4),
    redeliver=st.booleans(),
)
def test_totals_equal_a_direct_recomputation(
    stack: StackInfo, batches: list[list[dict[str, object]]], redeliver: bool
) -> None:
    tenant = f"prop-{uuid.uuid4().hex[:10]}"
    standing: dict[str, DailyFact] = {}
    for specs in batches:
        facts = [_fact(tenant, s) for s in specs]
        # one day of one subject has one currency within a batch (the API refuses mixes)
        first_currency: dict[str, str | None] = {}
        for f in facts:
            f.currency = first_currency.setdefault(f.fact_id, f.currency)
            if f.currency is None:
                f.cost_micros = f.conversion_value_micros = 0
        upsert_facts(tenant, facts)
        if redeliver:
            assert upsert_facts(tenant, facts).written == 0
        merged: dict[str, DailyFact] = {}
        for f in facts:  # rows of one batch with the same key add up; a later batch replaces
            if f.fact_id in merged:
                m = merged[f.fact_id]
                for name in SUMMED:
                    setattr(m, name, getattr(m, name) + getattr(f, name))
            else:
                merged[f.fact_id] = f.model_copy()
        standing.update(merged)

    by_subject: dict[str, list[DailyFact]] = defaultdict(list)
    for f in standing.values():
        by_subject[f.subject].append(f)
    subjects = [creative_subject(c) for c in CREATIVES] + [asset_subject(ASSET)]
    stored = totals_for(tenant, subjects)
    for subject in subjects:
        expected = totals_of(by_subject.get(subject, []))
        assert _canon(stored[subject]) == _canon(expected), subject
        facts_here = by_subject.get(subject, [])
        for got in stored[subject]:
            same = [
                f
                for f in facts_here
                if (f.platform, f.attribution) == (got.platform, got.attribution)
            ]
            known = {f.currency for f in same if f.currency}
            # facts without money join the one known currency of their group, if exactly one
            facts = [
                f
                for f in same
                if f.currency == got.currency or (f.currency is None and known == {got.currency})
            ]
            impressions = sum(f.impressions for f in facts)
            clicks = sum(f.clicks for f in facts)
            cost = sum(f.cost_micros for f in facts)
            value = sum(f.conversion_value_micros for f in facts)
            rates = rates_of(got)
            assert rates.ctr == (clicks / impressions if impressions else None)
            assert rates.roas == (value / cost if cost else None)
            assert rates.cpc_micros == (cost / clicks if clicks else None)
    for campaign in ("camp1", "camp2"):
        creative_facts = [
            f for f in standing.values() if f.campaign_id == campaign and f.is_creative_fact
        ]
        assert _canon(campaign_totals(tenant, campaign)) == _canon(totals_of(creative_facts))
