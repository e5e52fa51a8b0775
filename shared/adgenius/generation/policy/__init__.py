"""Ad policy compliance: the platforms' editorial rules, separate from the length rules.

``check_copy_set`` runs every rule of the copy set's platform family over every text field and
returns ``Violation``s with the rule id, field path, character span (in Unicode code points of
the text as written, ``[start, end)``), severity, a one-line explanation and the policy page.
The rules and their sources are listed in ``registry.RULES`` (and the README).

Decisions (documented in the README):
* "!" in a headline (RSA/PMax headlines, long headlines, business name) is an error: the AdWords
  editorial standards (176095) disallow it and reviewers still disapprove it; the current
  punctuation page does not spell it out, so we keep the stricter reading. In descriptions one
  "!" per text is allowed.
* URLs in ad text are a warning (allowed when they match the destination, which we cannot see).
* Superlatives are warnings unless the brief substantiates them (``substantiated_claims`` or a
  fact naming its source); Chinese superlatives are errors.
* Meta special ad categories are warnings that ask for the declaration: Meta rejects an
  undeclared one, but only the advertiser can declare it.
"""

from __future__ import annotations

from functools import lru_cache

from adgenius.domain.brief import BrandKit, CopyBrief, Platform

from ..copy_set import CopySet
from ..rules import Severity, Violation
from . import claims, google_editorial, meta
from .base import Finding, PolicyContext
from .dynamic_text import Rendered, has_dynamic_text, render, served_text
from .registry import RULES, Family, Rule, family_of, rules_for

POLICY_FIELDS = (
    "headlines",
    "long_headlines",
    "descriptions",
    "primary_texts",
    "paths",
    "business_name",
)


def check_text(
    text: str,
    field: str,
    platform: Platform | str,
    ctx: PolicyContext | None = None,
) -> list[Violation]:
    """Policy violations of one text. ``field`` is its path ("headlines[3]") or field name."""
    found = _check(text, field.split("[", 1)[0], Platform(platform), ctx or PolicyContext())
    return [v.model_copy(update={"field": field}) for v in found]


@lru_cache(maxsize=8192)
def _check(text: str, base: str, platform: Platform, ctx: PolicyContext) -> tuple[Violation, ...]:
    # Cached: the local engine checks the same candidate lines for every seed and variant.
    rendered = render(text, ctx.language)
    findings: list[Finding] = []
    dynamic_tokens = [t for t in rendered.tokens if t.kind != "malformed"]
    if family_of(platform) is Family.GOOGLE:
        for token in rendered.tokens:
            if token.kind == "malformed":
                findings.append(
                    _raw(
                        rendered,
                        token.start,
                        token.end,
                        "google.dynamic.syntax",
                        token.error or "malformed",
                    )
                )
        for token in dynamic_tokens:
            if platform is not Platform.GOOGLE_RSA or base == "business_name":
                findings.append(
                    _raw(
                        rendered,
                        token.start,
                        token.end,
                        "google.dynamic.unsupported",
                        f"{token.kind} insertion does not serve in {platform.value} {base}",
                    )
                )
            elif token.keyword_case in {"KEYWORD", "KEYWord", "KeyWORD"}:
                findings.append(
                    _raw(
                        rendered,
                        token.start,
                        token.end,
                        "google.dynamic.keyword_caps",
                        f"{{{token.keyword_case}:...}} inserts the keyword in capitals",
                    )
                )
        served = [
            f
            for f in google_editorial.check(rendered.text, base, ctx)
            if not rendered.in_malformed(f.start, f.end)
        ]
        served += list(claims.check(rendered.text, ctx))
        findings += [_map(rendered, f) for f in served]
    else:
        for token in dynamic_tokens:
            findings.append(
                _raw(
                    rendered,
                    token.start,
                    token.end,
                    "meta.dynamic.unsupported",
                    "Meta shows Google dynamic text as typed",
                )
            )
        findings += [_map(rendered, f) for f in meta.check(rendered.text, base)]
    return tuple(_violations(findings, base))


def check_item(
    text: str,
    field: str,
    platform: Platform | str,
    ctx: PolicyContext | None = None,
) -> list[Violation]:
    """One text as one field of the platform: its length rule (what serves, measured the
    platform's way) and its policy rules. What the corpus and ``POST /v1/copy/validate`` use."""
    from ..platforms import spec_for
    from ..rules import measure

    spec = spec_for(platform)
    base = field.split("[", 1)[0]
    out: list[Violation] = []
    if base in spec.field_names:
        fs = spec.field(base)
        length = measure(text, spec.measure)
        if length > fs.max_length:
            out.append(
                Violation(
                    field=field,
                    rule="length" if fs.hard_length else "truncation",
                    message=f"{length} characters ({spec.measure.value} count); "
                    f"{'limit' if fs.hard_length else 'may be truncated after'} {fs.max_length}",
                    severity=Severity.ERROR if fs.hard_length else Severity.WARNING,
                )
            )
    return out + check_text(text, field, platform, ctx)


def check_copy_set(
    copy: CopySet,
    brand_kit: BrandKit | None = None,
    brief: CopyBrief | None = None,
    *,
    language: str | None = None,
) -> list[Violation]:
    ctx = PolicyContext.build(brand_kit, brief, language)
    out: list[Violation] = []
    for name in POLICY_FIELDS:
        for i, text in enumerate(copy.items(name)):
            if text.strip():
                out.extend(check_text(text, f"{name}[{i}]", copy.platform, ctx))
    return out


def _raw(rendered: Rendered, start: int, end: int, rule: str, message: str) -> Finding:
    """A finding already in the original text's coordinates (a whole dynamic-text token)."""
    return Finding(min(start, len(rendered.original)), end, rule, message)


def _map(rendered: Rendered, f: Finding) -> Finding:
    start, end = rendered.span(f.start, f.end) if rendered.text else (f.start, f.end)
    return Finding(start, end, f.rule, f.message, f.severity)


def _violations(findings: list[Finding], field: str) -> list[Violation]:
    out: list[Violation] = []
    seen: set[tuple[str, int, int]] = set()
    for f in sorted(findings, key=lambda f: (f.start, f.rule)):
        key = (f.rule, f.start, f.end)
        if key in seen:
            continue
        seen.add(key)
        rule = RULES[f.rule]
        severity = f.severity or rule.severity
        out.append(
            Violation(
                field=field,
                rule=f.rule,
                message=f.message,
                severity=Severity(severity),
                span=(f.start, f.end),
                source=rule.source,
            )
        )
    return out


__all__ = [
    "POLICY_FIELDS",
    "RULES",
    "PolicyContext",
    "Rule",
    "check_copy_set",
    "check_item",
    "check_text",
    "has_dynamic_text",
    "render",
    "rules_for",
    "served_text",
]
