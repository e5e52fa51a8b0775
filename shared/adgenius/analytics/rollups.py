"""Pure arithmetic on daily facts: sums, rates and currency groups (no I/O).

Rules that peers get wrong and that this module makes impossible to get wrong by construction:
- every rate (CTR, CVR, CPC, CPA, ROAS) is a ratio of sums, never an average of daily ratios;
- reach is never summed across days (a daily reach is de-duplicated within its day only), so
  totals carry no reach at all;
- money is only ever added within one currency: totals are grouped by (platform, attribution,
  currency), and the overall figure carries money only when a single currency is involved.
Money and conversions are integers in micros (conversions can be fractional on Google Ads), so
sums are exact and "correct to the cent" is a property, not a hope.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from pydantic import BaseModel, Field

SUMMED = (
    "impressions",
    "clicks",
    "conversions_micros",
    "conversion_value_micros",
    "cost_micros",
)
MICROS = 1_000_000


class Summable(Protocol):
    impressions: int
    clicks: int
    conversions_micros: int
    conversion_value_micros: int
    cost_micros: int


class Totals(BaseModel):
    """Sums over facts of one (platform, attribution, currency) group, with derived rates."""

    platform: str | None = None
    attribution: str | None = None
    currency: str | None = Field(default=None, description="ISO 4217; null when unknown")
    impressions: int = 0
    clicks: int = 0
    conversions_micros: int = 0
    conversion_value_micros: int = 0
    cost_micros: int = 0
    days: int = Field(default=0, description="how many daily facts were summed")

    def add(self, other: Summable, days: int = 1) -> None:
        for name in SUMMED:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.days += days


class Rates(BaseModel):
    """Ratios of sums; null when the denominator is zero (never a fake 0)."""

    ctr: float | None = None  # clicks / impressions
    cvr: float | None = None  # conversions / clicks
    cpc_micros: float | None = None  # cost / clicks
    cpa_micros: float | None = None  # cost / conversions
    roas: float | None = None  # conversion value / cost


def _ratio(num: float, den: float) -> float | None:
    return None if den == 0 else num / den


def rates_of(s: Summable) -> Rates:
    conversions = s.conversions_micros / MICROS
    return Rates(
        ctr=_ratio(s.clicks, s.impressions),
        cvr=_ratio(conversions, s.clicks),
        cpc_micros=_ratio(s.cost_micros, s.clicks),
        cpa_micros=_ratio(s.cost_micros, conversions),
        roas=_ratio(s.conversion_value_micros, s.cost_micros),
    )


class TotalsView(Totals):
    """Totals as the API shows them: sums plus their rates."""

    conversions: float = 0.0
    rates: Rates = Field(default_factory=Rates)

    @classmethod
    def of(cls, totals: Totals) -> TotalsView:
        return cls(
            **totals.model_dump(),
            conversions=totals.conversions_micros / MICROS,
            rates=rates_of(totals),
        )


class Overall(BaseModel):
    """Everything of a subject together. Counts add across platforms; money only within one
    currency: with several currencies the money fields and money rates are null and
    `currencies` says why. Conversions from different attribution settings are not comparable,
    so `attributions` lists them."""

    impressions: int = 0
    clicks: int = 0
    ctr: float | None = None
    currencies: list[str] = Field(default_factory=list)
    attributions: list[str] = Field(default_factory=list)
    combined: TotalsView | None = None


def group_key(platform: str, attribution: str, currency: str | None) -> tuple[str, str, str]:
    return (platform, attribution, currency or "")


def fold_unknown_currency(groups: dict[tuple[str, str, str], Totals]) -> list[Totals]:
    """Facts without money carry no currency; they join their (platform, attribution) group's
    single known currency, if there is exactly one. Nothing with money is ever re-labelled."""
    out: dict[tuple[str, str, str], Totals] = {}
    for key, totals in sorted(groups.items()):
        out[key] = totals.model_copy()
    for (platform, attribution, currency), totals in list(out.items()):
        if currency or totals.cost_micros or totals.conversion_value_micros:
            continue
        known = [k for k in out if k[0] == platform and k[1] == attribution and k[2]]
        if len(known) == 1:
            target = out[known[0]]
            target.add(totals, days=0)
            target.days += totals.days
            del out[(platform, attribution, currency)]
    return list(out.values())


def totals_of(facts: Iterable[FactLike]) -> list[Totals]:
    """Group and sum facts the way rollups do (the reference the property test checks)."""
    groups: dict[tuple[str, str, str], Totals] = {}
    for fact in facts:
        key = group_key(fact.platform, fact.attribution, fact.currency)
        if key not in groups:
            groups[key] = Totals(
                platform=fact.platform, attribution=fact.attribution, currency=fact.currency
            )
        groups[key].add(fact)
    return fold_unknown_currency(groups)


def overall_of(groups: list[Totals]) -> Overall:
    overall = Overall()
    for g in groups:
        overall.impressions += g.impressions
        overall.clicks += g.clicks
    overall.ctr = _ratio(overall.clicks, overall.impressions)
    overall.currencies = sorted({g.currency for g in groups if g.currency})
    overall.attributions = sorted({g.attribution for g in groups if g.attribution})
    if len(overall.currencies) <= 1 and len(overall.attributions) <= 1 and groups:
        single = Totals(
            platform=None if len({g.platform for g in groups}) > 1 else groups[0].platform,
            attribution=overall.attributions[0] if overall.attributions else None,
            currency=overall.currencies[0] if overall.currencies else None,
        )
        for g in groups:
            single.add(g, days=0)
            single.days += g.days
        overall.combined = TotalsView.of(single)
    return overall


class FactLike(Summable, Protocol):
    platform: str
    attribution: str
    currency: str | None
