"""Boundary models for copy generation: the brief, the brand kit and the target platform.

Every free-text field is bounded (``MAX_TEXT``) so an oversized brief (e.g. 20 kB pasted into
one field) is rejected with a field-level validation error instead of reaching a model.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum
from functools import lru_cache
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from adgenius.domain.vocabulary import SUPPORTED_LANGUAGES as SUPPORTED_LANGUAGES
from adgenius.domain.vocabulary import Platform as Platform
from adgenius.text_length import is_wide_text

MAX_TEXT = 2000
MAX_SHORT = 200
MAX_ITEMS = 50

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT)]
ShortText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_SHORT)
]
# A disclaimer must fit inside one 90-character description next to nothing else.
Phrase = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
HexColor = Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True)]

_HEX = re.compile(r"^#(?:[0-9A-F]{3}|[0-9A-F]{6})$")
_LANG = re.compile(r"^(?P<primary>[a-zA-Z]{2,3})(?:[-_][a-zA-Z0-9]{2,8})*$")


class Objective(StrEnum):
    AWARENESS = "awareness"
    TRAFFIC = "traffic"
    LEADS = "leads"
    SALES = "sales"
    APP_INSTALLS = "app_installs"


class Tone(StrEnum):
    PROFESSIONAL = "professional"
    FRIENDLY = "friendly"
    PLAYFUL = "playful"
    BOLD = "bold"
    LUXURY = "luxury"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class BrandKit(_Strict):
    name: ShortText
    voice: Text = Field(description="Voice and tone description, e.g. 'warm, expert, no hype'.")
    example_ads: list[Text] = Field(default_factory=list, max_length=MAX_ITEMS)
    banned_words: list[ShortText] = Field(default_factory=list, max_length=MAX_ITEMS)
    required_phrases: list[Phrase] = Field(
        default_factory=list,
        max_length=4,  # one per description at most: RSA has 4 descriptions
        description="Disclaimers that must appear verbatim in the long text fields.",
    )
    allowed_terms: list[ShortText] = Field(
        default_factory=list,
        max_length=MAX_ITEMS,
        description="Brand and product names and acronyms, written as the brand writes them "
        "(e.g. 'IKEA', 'iPhone'): allowed in ad text in that capitalisation.",
    )
    colors: list[HexColor] = Field(default_factory=list, max_length=16)
    fonts: list[ShortText] = Field(default_factory=list, max_length=8)
    logo_path: ShortText | None = None

    @model_validator(mode="after")
    def _disclaimers_not_banned(self) -> BrandKit:
        # A disclaimer that contains a banned word makes every copy set non-compliant.
        for i, phrase in enumerate(self.required_phrases):
            if clash := find_banned(phrase, self.banned_words):
                raise ValueError(
                    f"required_phrases[{i}] {phrase!r} contains banned word(s) {clash}"
                )
        return self

    @field_validator("colors")
    @classmethod
    def _hex_colors(cls, colors: list[str]) -> list[str]:
        for color in colors:
            if not _HEX.match(color):
                raise ValueError(f"{color!r} is not a hex colour like #1A2B3C")
        return colors


class CopyBrief(_Strict):
    objective: Objective
    product: Text = Field(description="Product or offer name, e.g. 'TrailRunner 2 shoes'.")
    product_facts: list[Text] = Field(default_factory=list, max_length=MAX_ITEMS)
    landing_url: Annotated[str, StringConstraints(max_length=MAX_TEXT)] | None = None
    audience: Text = Field(description="Audience segment, e.g. 'weekend trail runners'.")
    language: str = "en"
    tone: Tone = Tone.FRIENDLY
    keywords: list[ShortText] = Field(default_factory=list, max_length=MAX_ITEMS)
    substantiated_claims: list[ShortText] = Field(
        default_factory=list,
        max_length=MAX_ITEMS,
        description="Claims backed by third-party verification shown on the site, e.g. "
        "'#1 rated by J.D. Power 2025': superlatives they contain are not flagged.",
    )

    @field_validator("language")
    @classmethod
    def _supported_language(cls, value: str) -> str:
        match = _LANG.match(value.strip())
        primary = match.group("primary").lower() if match else None
        if primary not in SUPPORTED_LANGUAGES:
            raise ValueError(
                f"unsupported language {value!r}; supported: {', '.join(SUPPORTED_LANGUAGES)}"
            )
        return primary

    @field_validator("landing_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^\s/$.?#][^\s]*$", value.strip()):
            raise ValueError("landing_url must be an http(s) URL")
        return value.strip() if value else value


def fold_case(text: str) -> str:
    """NFKC (full-width to ASCII) and case folded: how banned words and phrases are compared."""
    return unicodedata.normalize("NFKC", text).casefold()


@lru_cache(maxsize=512)
def _banned_pattern(word: str) -> re.Pattern[str]:
    folded = fold_case(word).strip()
    if is_wide_text(folded):
        return re.compile(re.escape(folded))
    # Whole word: not preceded or followed by a word character (letters, digits, underscore).
    return re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, folded.split())) + r"(?!\w)")


def find_banned(text: str, banned_words: list[str]) -> list[str]:
    """Banned words present in ``text`` (whole-word, case-insensitive)."""
    folded = fold_case(text)
    return [w for w in banned_words if w.strip() and _banned_pattern(w).search(folded)]
