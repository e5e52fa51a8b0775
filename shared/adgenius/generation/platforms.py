"""Text specs of each ad platform (from team notes ad-platforms.md, Nov 2026).

A spec lists, per text field, how many items are allowed, how long each may be, how length is
measured and whether exceeding it is an error (Google rejects) or a warning (Meta truncates).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from adgenius.domain.brief import Platform


class Measure(StrEnum):
    DISPLAY = "display"  # Google: double-width clusters count 2 (see text_length)
    GRAPHEMES = "graphemes"  # Meta: one per user-perceived character


@dataclass(frozen=True)
class FieldSpec:
    name: str
    min_count: int
    max_count: int
    max_length: int
    target_count: int  # what generators aim for (a "full" set)
    hard_length: bool = True  # False: exceeding max_length is a truncation warning
    unique: bool = True
    # "at least one item <= N" (PMax: a headline <= 15, a description <= 60)
    at_least_one_within: int | None = None
    pin_positions: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlatformSpec:
    platform: Platform
    measure: Measure
    fields: tuple[FieldSpec, ...]
    # Fields where required phrases (disclaimers) must appear at least once.
    disclaimer_fields: tuple[str, ...] = ()
    extra: dict[str, int] = field(default_factory=dict)

    def field(self, name: str) -> FieldSpec:
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(name)

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


GOOGLE_RSA = PlatformSpec(
    platform=Platform.GOOGLE_RSA,
    measure=Measure.DISPLAY,
    fields=(
        FieldSpec("headlines", 3, 15, 30, 15, pin_positions=("H1", "H2", "H3")),
        FieldSpec("descriptions", 2, 4, 90, 4, pin_positions=("D1", "D2")),
        FieldSpec("paths", 0, 2, 15, 2, unique=False),
    ),
    disclaimer_fields=("descriptions",),
)

GOOGLE_PMAX = PlatformSpec(
    platform=Platform.GOOGLE_PMAX,
    measure=Measure.DISPLAY,
    fields=(
        FieldSpec("headlines", 3, 15, 30, 15, at_least_one_within=15),
        FieldSpec("long_headlines", 1, 5, 90, 5),
        FieldSpec("descriptions", 2, 5, 90, 5, at_least_one_within=60),
        FieldSpec("business_name", 1, 1, 25, 1),
    ),
    disclaimer_fields=("descriptions",),
)

# Meta numbers are truncation guidance, not limits: the lower bound of the notes' ranges is
# used (27 for headlines) so flagged text is text that may really be cut on some placements.
META = PlatformSpec(
    platform=Platform.META,
    measure=Measure.GRAPHEMES,
    fields=(
        FieldSpec("primary_texts", 1, 5, 125, 5, hard_length=False),
        FieldSpec("headlines", 1, 5, 27, 5, hard_length=False),
        FieldSpec("descriptions", 0, 5, 27, 5, hard_length=False),
    ),
    disclaimer_fields=("primary_texts",),
    extra={"reels_primary_text": 72},
)

SPECS: dict[Platform, PlatformSpec] = {
    Platform.GOOGLE_RSA: GOOGLE_RSA,
    Platform.GOOGLE_PMAX: GOOGLE_PMAX,
    Platform.META: META,
}


def spec_for(platform: Platform | str) -> PlatformSpec:
    return SPECS[Platform(platform)]
