"""Evaluate one experiment: read its facts, build the mature window's totals, decide."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field, model_validator

from adgenius.analytics.experiments.decision import decide
from adgenius.analytics.experiments.facts import (
    ArmRef,
    ExperimentFacts,
    arm_totals,
    decision_window,
)
from adgenius.analytics.experiments.model import (
    USES_CONVERSIONS,
    Decision,
    Metric,
    Thresholds,
)

MONEY_METRICS = {Metric.CPA, Metric.ROAS}


class ExperimentSpec(BaseModel):
    """What the engine needs to know about an experiment (a subset of the stored document)."""

    tenant_id: str
    arms: list[ArmRef] = Field(min_length=2, max_length=20)
    metric: Metric
    guardrails: list[Metric] = []
    planned_split: list[float] | None = None
    thresholds: Thresholds = Thresholds()
    start_date: date
    stopped_on: date | None = None
    attribution: str | None = None  # None: facts must agree on one setting

    @model_validator(mode="after")
    def _split_matches(self) -> ExperimentSpec:
        if self.planned_split is not None and len(self.planned_split) != len(self.arms):
            raise ValueError("planned_split needs one share per arm")
        return self

    @property
    def uses_conversions(self) -> bool:
        return any(m in USES_CONVERSIONS for m in [self.metric, *self.guardrails])


def evaluate(spec: ExperimentSpec, source: ExperimentFacts, as_of: date) -> Decision:
    t = spec.thresholds
    lag = t.conversion_lag_days if spec.uses_conversions else 0
    start, end, days = decision_window(
        spec.start_date, as_of, max_runtime_days=t.max_runtime_days, lag_days=lag,
        stopped_on=spec.stopped_on,
    )  # fmt: skip
    facts = []
    if days > 0:
        facts = list(source.facts(spec.tenant_id, [a.creative_id for a in spec.arms], start, end))
    if spec.attribution is not None:
        facts = [f for f in facts if f.attribution == spec.attribution]
    totals, attributions, currencies = arm_totals(facts, spec.arms, start, end)
    blocked = None
    if len(attributions) > 1:
        blocked = (
            f"The facts mix attribution settings ({', '.join(sorted(attributions))}), which "
            "are not comparable: set the experiment's attribution."
        )
    elif len(currencies) > 1 and any(m in MONEY_METRICS for m in [spec.metric, *spec.guardrails]):
        mixed = ", ".join(sorted(currencies))
        blocked = f"The facts mix currencies ({mixed}): costs cannot be summed."
    return decide(
        totals,
        spec.metric,
        t,
        runtime_days=days,
        window=(start, end) if days > 0 else (None, None),
        guardrails=spec.guardrails,
        planned_split=spec.planned_split,
        blocked_reason=blocked,
    )
