"""Experiment specification and decision documents (pydantic, stored in Firestore as is)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

ENGINE_VERSION = "experiments-1"


class Metric(StrEnum):
    CTR = "ctr"  # clicks / impressions
    CVR = "cvr"  # conversions / clicks
    CPA = "cpa"  # cost / conversions (lower is better)
    ROAS = "roas"  # conversion value / cost
    CONVERSIONS_PER_IMPRESSION = "conversions_per_impression"


LOWER_IS_BETTER = {Metric.CPA}
USES_CONVERSIONS = {Metric.CVR, Metric.CPA, Metric.ROAS, Metric.CONVERSIONS_PER_IMPRESSION}
USES_CLICKS = {Metric.CTR, Metric.CVR}


class Outcome(StrEnum):
    INSUFFICIENT_DATA = "insufficient_data"
    BLOCKED = "blocked"  # a sample-ratio mismatch (or mixed currencies) makes the data suspect
    INCONCLUSIVE = "inconclusive"
    LOSERS = "losers"  # no winner yet, but some arms can be dropped
    WINNER = "winner"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Thresholds(_Strict):
    """Decision rule. The defaults are calibrated by simulation (tests/unit/analytics/
    test_experiment_calibration.py, bench `aa_false_winner_rate`): an A/A experiment looked at
    every day from day `min_runtime_days` to `max_runtime_days` declares a false winner in
    <= 5% of runs. A naive P(best) > 0.95 at any daily look does so in ~30%."""

    prob_best: float = Field(default=0.997, ge=0.9, lt=1.0)
    max_relative_loss: float = Field(default=0.01, gt=0.0, le=1.0)
    loser_prob_best: float = Field(default=0.003, ge=0.0, le=0.1)
    min_impressions: int = Field(default=1000, ge=0)
    min_clicks: int = Field(default=30, ge=0)
    min_conversions: int = Field(default=40, ge=0)
    min_runtime_days: int = Field(default=7, ge=1, le=365)
    max_runtime_days: int = Field(default=42, ge=1, le=365)
    conversion_lag_days: int = Field(default=2, ge=0, le=60)
    guardrail_prob_worse: float = Field(default=0.95, ge=0.5, lt=1.0)
    srm_p_value: float = Field(default=0.001, gt=0.0, lt=0.5)
    prior: Literal["weak", "empirical_bayes"] = "weak"
    allocation_floor: float = Field(default=0.01, ge=0.0, le=0.5)

    @model_validator(mode="after")
    def _runtime_order(self) -> Thresholds:
        if self.max_runtime_days < self.min_runtime_days:
            raise ValueError("max_runtime_days must be >= min_runtime_days")
        return self


class ArmTotals(BaseModel):
    """Sums over the decision window for one arm (money in currency units, not micros)."""

    arm_id: str
    label: str
    impressions: float = 0.0
    clicks: float = 0.0
    conversions: float = 0.0
    conversion_value: float = 0.0
    cost: float = 0.0
    days_with_data: int = 0


class MetricSummary(BaseModel):
    """One metric for every arm, in arm order. None where a value is undefined (a CPA
    without conversions has no finite mean)."""

    metric: Metric
    model: str
    lower_is_better: bool
    mean: list[float | None]
    low: list[float | None]
    high: list[float | None]
    prob_best: list[float]
    expected_loss: list[float | None]
    relative_loss: list[float | None]


class ArmResult(BaseModel):
    arm_id: str
    label: str
    mean: float | None
    low: float | None
    high: float | None
    prob_best: float
    expected_loss: float | None
    relative_loss: float | None
    allocation: float
    status: Literal["winner", "loser", "open"]
    days_to_settle: int | None = None  # estimated more days of data, when it can be said


class Decision(BaseModel):
    outcome: Outcome
    reason: str
    winner: str | None = None
    losers: list[str] = []
    metric: Metric
    arms: list[ArmResult]
    guardrails: list[MetricSummary] = []
    srm_p_value: float | None = None
    runtime_days: int
    window_start: date | None
    window_end: date | None
    engine_version: str = ENGINE_VERSION
    seed: int
    input_hash: str
    snapshot: dict[str, Any]
    evaluated_at: datetime | None = None
