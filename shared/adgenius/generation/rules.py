"""Validators for a CopySet against a platform spec and a brand kit.

Every problem is a ``Violation`` with a field path ("headlines[3]", or "headlines" for a rule
about the whole list), the rule name, a readable message and a severity. Errors make a set
non-compliant; warnings (Meta truncation) are shown but never block.

Rules: ``empty``, ``length``, ``truncation`` (warning), ``count``, ``duplicate`` (case-, width- and
whitespace-insensitive), ``short_variant`` (PMax "at least one <= N"), ``pin`` (only H1-H3 on
headlines and D1-D2 on descriptions, of existing items), ``banned_word`` (whole word, case
insensitive; substring for CJK words, which have no spaces), ``required_phrase``.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

import regex
from pydantic import BaseModel, Field

from adgenius.domain.brief import BrandKit, CopyBrief, find_banned, fold_case
from adgenius.text_length import cluster_width, display_length, grapheme_length

from .copy_set import CopySet
from .platforms import Measure, PlatformSpec, spec_for

_CLUSTER = regex.compile(r"\X")


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Violation(BaseModel):
    field: str = Field(description='Field path, e.g. "headlines[3]", or a field for list rules.')
    rule: str = Field(description='Rule id, e.g. "length" or "google.punctuation.repeated".')
    message: str = Field(description="One line: what is wrong.")
    severity: Severity = Severity.ERROR
    span: tuple[int, int] | None = Field(
        default=None,
        description="[start, end) of the offending characters in the text as written, counted "
        "in Unicode code points (JavaScript: Array.from(text)); null for rules about a list.",
    )
    source: str | None = Field(default=None, description="The policy page the rule comes from.")

    @property
    def base_field(self) -> str:
        return self.field.split("[", 1)[0]

    @property
    def index(self) -> int | None:
        match = re.search(r"\[(\d+)\]$", self.field)
        return int(match.group(1)) if match else None


_PATH = re.compile(r"^(?P<field>[a-z_]+)\[(?P<index>\d+)\]$")


def normalize_for_uniqueness(text: str) -> str:
    """Case-, full-width- and whitespace-insensitive key (NFKC folds full-width to ASCII)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(folded.split())


def contains_phrase(text: str, phrase: str) -> bool:
    return " ".join(fold_case(phrase).split()) in " ".join(fold_case(text).split())


def measure(text: str, how: Measure) -> int:
    """Length of what serves: Google dynamic text counts as its default text."""
    if how is Measure.DISPLAY:
        from .policy.dynamic_text import served_text  # late: policy imports this module

        return display_length(served_text(text))
    return grapheme_length(text)


def overflow_span(text: str, limit: int, how: Measure) -> tuple[int, int] | None:
    """The characters past the limit ([start, end) in code points), or None for dynamic text
    (its served text is not the text as written)."""
    if "{" in text:
        return None
    used = 0
    for m in _CLUSTER.finditer(text):
        width = cluster_width(m.group(0)) if how is Measure.DISPLAY else 1
        if used + width > limit:
            return (m.start(), len(text))
        used += width
    return None


def validate_copy_set(
    copy: CopySet,
    brand_kit: BrandKit | None = None,
    spec: PlatformSpec | None = None,
    *,
    brief: CopyBrief | None = None,
    language: str | None = None,
    policy: bool = True,
) -> list[Violation]:
    """Length/count/pin/brand rules, then (``policy``) the platform's editorial policy rules."""
    out = validate_lengths(copy, brand_kit, spec)
    if policy:
        from .policy import check_copy_set  # late: policy imports this module

        out.extend(check_copy_set(copy, brand_kit, brief, language=language))
    return out


def validate_lengths(
    copy: CopySet, brand_kit: BrandKit | None = None, spec: PlatformSpec | None = None
) -> list[Violation]:
    """The length-only validator (counts, lengths, duplicates, pins, banned words, disclaimers)."""
    spec = spec or spec_for(copy.platform)
    banned = brand_kit.banned_words if brand_kit else []
    out: list[Violation] = []
    for fs in spec.fields:
        items = copy.items(fs.name)
        if not fs.min_count <= len(items) <= fs.max_count:
            out.append(
                Violation(
                    field=fs.name,
                    rule="count",
                    message=f"{len(items)} {fs.name}; need {fs.min_count}-{fs.max_count}",
                )
            )
        seen: dict[str, int] = {}
        for i, text in enumerate(items):
            path = f"{fs.name}[{i}]"
            if not text.strip():
                out.append(Violation(field=path, rule="empty", message="text is empty"))
                continue
            length = measure(text, spec.measure)
            if length > fs.max_length:
                out.append(
                    Violation(
                        field=path,
                        rule="length" if fs.hard_length else "truncation",
                        message=f"{length} characters ({spec.measure.value} count); "
                        f"{'limit' if fs.hard_length else 'may be truncated after'} "
                        f"{fs.max_length}",
                        severity=Severity.ERROR if fs.hard_length else Severity.WARNING,
                        span=overflow_span(text, fs.max_length, spec.measure),
                    )
                )
            if fs.unique:
                key = normalize_for_uniqueness(text)
                if key in seen:
                    out.append(
                        Violation(
                            field=path,
                            rule="duplicate",
                            message=f"duplicates {fs.name}[{seen[key]}]",
                        )
                    )
                else:
                    seen[key] = i
            for word in find_banned(text, banned):
                out.append(
                    Violation(field=path, rule="banned_word", message=f"uses banned {word!r}")
                )
        within = fs.at_least_one_within
        if within and items and not any(measure(t, spec.measure) <= within for t in items):
            out.append(
                Violation(
                    field=fs.name,
                    rule="short_variant",
                    message=f"need at least one of <= {within} characters",
                )
            )
    out.extend(_validate_pins(copy, spec))
    if brand_kit:
        for phrase in brand_kit.required_phrases:
            for name in spec.disclaimer_fields:
                if not any(contains_phrase(t, phrase) for t in copy.items(name)):
                    out.append(
                        Violation(
                            field=name,
                            rule="required_phrase",
                            message=f"required phrase {phrase!r} missing from {name}",
                        )
                    )
    return out


def _validate_pins(copy: CopySet, spec: PlatformSpec) -> list[Violation]:
    out: list[Violation] = []
    for path, position in copy.pins.items():
        match = _PATH.match(path)
        if not match or match.group("field") not in spec.field_names:
            out.append(Violation(field=path, rule="pin", message="pin target is not a text field"))
            continue
        fs = spec.field(match.group("field"))
        if not fs.pin_positions:
            out.append(Violation(field=path, rule="pin", message=f"{fs.name} cannot be pinned"))
        elif position not in fs.pin_positions:
            allowed = "/".join(fs.pin_positions)
            out.append(
                Violation(
                    field=path, rule="pin", message=f"{position!r} invalid; use one of {allowed}"
                )
            )
        if int(match.group("index")) >= len(copy.items(fs.name)):
            out.append(Violation(field=path, rule="pin", message="pinned item does not exist"))
    return out


def errors(violations: list[Violation]) -> list[Violation]:
    return [v for v in violations if v.severity is Severity.ERROR]


def is_compliant(violations: list[Violation]) -> bool:
    return not errors(violations)
