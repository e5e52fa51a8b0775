"""The engine end to end on in-memory facts: windows, ratios of sums, idempotence under
redelivery and reordering, tenant isolation, guardrails, reasons, determinism."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from adgenius.analytics.experiments.engine import ExperimentSpec, evaluate
from adgenius.analytics.experiments.facts import ArmRef, Fact, InMemoryFacts, decision_window
from adgenius.analytics.experiments.model import Metric, Outcome, Thresholds

START = date(2026, 10, 1)
ARMS = [
    ArmRef(arm_id="a", label="A", creative_id="cr-a"),
    ArmRef(arm_id="b", label="B", creative_id="cr-b"),
]


def fact(
    creative: str,
    day: int,
    imps: int,
    clicks: int,
    conv: float = 0,
    value: float = 0,
    cost: float = 0,
    attribution: str = "7d_click",
    currency: str = "EUR",
) -> Fact:
    return Fact(
        creative_id=creative, platform="google", date=START + timedelta(days=day),
        attribution=attribution, impressions=imps, clicks=clicks, conversions=conv,
        conversion_value_micros=int(value * 1e6), cost_micros=int(cost * 1e6), currency=currency,
    )  # fmt: skip


def daily_facts(days: int, ctr_b: float = 0.03) -> list[tuple[str, Fact]]:
    out = []
    for d in range(days):
        out.append((f"cr-a-{d}", fact("cr-a", d, 5000, 100, conv=5, value=250, cost=80)))
        out.append(
            (f"cr-b-{d}", fact("cr-b", d, 5000, int(5000 * ctr_b), conv=6, value=300, cost=82))
        )
    return out


def spec(**kw: object) -> ExperimentSpec:
    base: dict[str, object] = {
        "tenant_id": "t1", "arms": ARMS, "metric": Metric.CTR, "start_date": START,
    }  # fmt: skip
    base.update(kw)
    return ExperimentSpec.model_validate(base)


def store(items: list[tuple[str, Fact]], tenant: str = "t1") -> InMemoryFacts:
    s = InMemoryFacts()
    for fid, f in items:
        s.put(tenant, fid, f)
    return s


def test_window_uses_whole_mature_days_within_the_runtime() -> None:
    as_of = START + timedelta(days=10)
    assert decision_window(START, as_of, max_runtime_days=42, lag_days=0) == (
        START, START + timedelta(days=9), 10,
    )  # fmt: skip
    assert decision_window(START, as_of, max_runtime_days=42, lag_days=2)[2] == 8
    assert decision_window(START, START + timedelta(days=90), max_runtime_days=42, lag_days=2)[
        1
    ] == START + timedelta(days=41)
    assert decision_window(START, START, max_runtime_days=42, lag_days=0)[2] == 0


def test_a_clear_ctr_winner_with_a_plain_reason_and_its_snapshot() -> None:
    facts = store(daily_facts(14))
    d = evaluate(spec(), facts, START + timedelta(days=14))
    assert d.outcome is Outcome.WINNER and d.winner == "b" and d.losers == ["a"]
    assert d.reason == (
        "B beats A on CTR with >99.9% probability (3.00% vs 2.00%, +50%); "
        "choosing B now risks <0.1% of its CTR."
    )
    assert d.runtime_days == 14
    assert d.snapshot["arms"][0]["impressions"] == 14 * 5000
    assert d.arms[1].allocation > d.arms[0].allocation
    again = evaluate(spec(), facts, START + timedelta(days=14))
    assert again.model_dump() == d.model_dump()  # same inputs, same decision (and seed)


def test_the_winner_reason_names_the_runner_up_and_the_direction_of_lower_is_better() -> None:
    arms = [*ARMS, ArmRef(arm_id="c", label="C", creative_id="cr-c")]
    items = []
    for d in range(14):  # CPA: A 10.00, B 8.00, C 12.50 per conversion
        items.append((f"a{d}", fact("cr-a", d, 5000, 200, conv=50, cost=500)))
        items.append((f"b{d}", fact("cr-b", d, 5000, 200, conv=50, cost=400)))
        items.append((f"c{d}", fact("cr-c", d, 5000, 200, conv=40, cost=500)))
    as_of = START + timedelta(days=16)
    d = evaluate(spec(arms=arms, metric=Metric.CPA), store(items), as_of)
    assert d.outcome is Outcome.WINNER and d.winner == "b"
    assert d.reason.startswith("B beats A, C on CPA with >99.9% probability (8.00 vs 10.00 for A")
    assert ", the next best, -20%); choosing B now risks " in d.reason


def test_conversion_lag_excludes_the_maturing_days() -> None:
    items = daily_facts(14)
    d = evaluate(spec(metric=Metric.CVR), store(items), START + timedelta(days=14))
    assert d.runtime_days == 12  # 2 days still maturing
    assert d.snapshot["arms"][0]["clicks"] == 12 * 100


def test_redelivered_and_out_of_order_facts_give_the_same_decision() -> None:
    items = daily_facts(20)
    in_order = evaluate(spec(), store(items), START + timedelta(days=20))
    shuffled = items[:] + items[:7]  # redelivered: the same ids written again
    random.Random(5).shuffle(shuffled)
    assert evaluate(spec(), store(shuffled), START + timedelta(days=20)) == in_order


def test_another_tenants_facts_never_enter() -> None:
    items = daily_facts(14)
    facts = store(items)
    for fid, f in daily_facts(14, ctr_b=0.01):  # a tenant where A wins, same creative ids
        facts.put("t2", fid, f)
    mine = evaluate(spec(), facts, START + timedelta(days=14))
    assert mine == evaluate(spec(), store(items), START + timedelta(days=14))
    theirs = evaluate(spec(tenant_id="t2"), facts, START + timedelta(days=14))
    assert theirs.winner == "a"
    assert evaluate(spec(tenant_id="t3"), facts, START + timedelta(days=14)).outcome is (
        Outcome.INSUFFICIENT_DATA
    )


def test_cpa_and_roas_are_ratios_of_sums() -> None:
    # day 1: cheap conversions, day 2: expensive ones; the mean of daily CPAs differs from
    # cost sum / conversion sum
    items = [
        ("a1", fact("cr-a", 0, 1000, 50, conv=10, value=100, cost=10)),
        ("a2", fact("cr-a", 1, 1000, 50, conv=1, value=100, cost=100)),
        ("b1", fact("cr-b", 0, 1000, 50, conv=5, value=100, cost=55)),
        ("b2", fact("cr-b", 1, 1000, 50, conv=5, value=100, cost=55)),
    ]
    t = Thresholds(min_runtime_days=1, min_conversions=0)
    d = evaluate(spec(metric=Metric.CPA, thresholds=t), store(items), START + timedelta(days=5))
    sums_cpa = 110 / 11  # 10.0, while the mean of daily CPAs is (1 + 100) / 2
    assert d.arms[0].mean == pytest.approx(sums_cpa * 11 / 11, rel=0.12)  # prior: shape 1 + 11
    assert d.arms[0].low < sums_cpa < d.arms[0].high
    r = evaluate(spec(metric=Metric.ROAS, thresholds=t), store(items), START + timedelta(days=5))
    assert r.arms[0].mean == pytest.approx(200 / 110, rel=0.1)  # not mean(10, 1) = 5.5
    assert r.arms[0].low < 200 / 110 < r.arms[0].high


def test_a_guardrail_worse_with_high_probability_vetoes_the_winner() -> None:
    items = []
    for d in range(14):  # B wins CTR by far but converts much worse
        items.append((f"a{d}", fact("cr-a", d, 5000, 100, conv=10, cost=80)))
        items.append((f"b{d}", fact("cr-b", d, 5000, 150, conv=3, cost=80)))
    facts = store(items)
    as_of = START + timedelta(days=16)
    plain = evaluate(spec(), facts, as_of)
    assert plain.winner == "b"
    vetoed = evaluate(spec(guardrails=[Metric.CVR]), facts, as_of)
    assert vetoed.outcome is Outcome.INCONCLUSIVE and vetoed.winner is None
    assert "guardrail" in vetoed.reason and "conversion rate" in vetoed.reason
    assert vetoed.guardrails[0].metric is Metric.CVR


def test_insufficient_data_says_what_is_missing_and_open_tests_say_what_would_settle() -> None:
    d = evaluate(spec(), store(daily_facts(3)), START + timedelta(days=3))
    assert d.outcome is Outcome.INSUFFICIENT_DATA
    assert "3 of the 7 days" in d.reason
    close = daily_facts(8, ctr_b=0.0215)
    o = evaluate(spec(), store(close), START + timedelta(days=8))
    assert o.outcome is Outcome.INCONCLUSIVE
    assert o.reason.startswith("B leads on CTR with")
    assert "more days of data would tell whether B beats A" in o.reason
    assert o.arms[0].days_to_settle is not None and o.arms[0].days_to_settle > 0


def test_mixed_attribution_settings_block_until_one_is_chosen() -> None:
    items = [*daily_facts(10), ("x", fact("cr-a", 0, 10, 1, attribution="1d_view"))]
    d = evaluate(spec(), store(items), START + timedelta(days=10))
    assert d.outcome is Outcome.BLOCKED and "attribution" in d.reason
    chosen = evaluate(spec(attribution="7d_click"), store(items), START + timedelta(days=10))
    assert chosen.outcome is Outcome.WINNER
