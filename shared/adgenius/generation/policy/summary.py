"""A compliance summary of a list of violations (per creative; summed per campaign)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, Field

from ..rules import Severity, Violation

SPECIAL_PREFIX = "meta.special_ad_category."


class ComplianceSummary(BaseModel):
    compliant: bool = Field(description="No error-level violation.")
    errors: int
    warnings: int
    by_rule: dict[str, int] = Field(default_factory=dict, description="Violations per rule id.")
    special_ad_categories: list[str] = Field(
        default_factory=list,
        description="Meta special ad categories the text implies: declare them on the campaign.",
    )


def summarize(violations: Iterable[Violation | dict[str, Any]]) -> ComplianceSummary:
    items = [v if isinstance(v, Violation) else Violation.model_validate(v) for v in violations]
    errors = sum(v.severity is Severity.ERROR for v in items)
    by_rule = Counter(v.rule for v in items)
    categories = sorted(
        {v.rule.removeprefix(SPECIAL_PREFIX) for v in items if v.rule.startswith(SPECIAL_PREFIX)}
    )
    return ComplianceSummary(
        compliant=errors == 0,
        errors=errors,
        warnings=len(items) - errors,
        by_rule=dict(sorted(by_rule.items())),
        special_ad_categories=categories,
    )


def combine(summaries: Iterable[ComplianceSummary]) -> ComplianceSummary:
    total = Counter[str]()
    errors = warnings = 0
    categories: set[str] = set()
    for s in summaries:
        total.update(s.by_rule)
        errors += s.errors
        warnings += s.warnings
        categories.update(s.special_ad_categories)
    return ComplianceSummary(
        compliant=errors == 0,
        errors=errors,
        warnings=warnings,
        by_rule=dict(sorted(total.items())),
        special_ad_categories=sorted(categories),
    )
