"""Response schemas handed to a TextModel (Gemini structured output) and parsed back.

Lengths are deliberately NOT constrained in these schemas: a provider validates the reply
against the schema and rejects it whole, while our rules (character counting with CJK = 2,
banned words, disclaimers) report each failing item so that only those are re-asked.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, create_model

from adgenius.domain.brief import Platform


class RsaResponse(BaseModel):
    headlines: list[str] = Field(default_factory=list)
    descriptions: list[str] = Field(default_factory=list)
    paths: list[str] = Field(default_factory=list)


class PmaxResponse(BaseModel):
    headlines: list[str] = Field(default_factory=list)
    long_headlines: list[str] = Field(default_factory=list)
    descriptions: list[str] = Field(default_factory=list)
    business_name: list[str] = Field(default_factory=list)


class MetaResponse(BaseModel):
    primary_texts: list[str] = Field(default_factory=list)
    headlines: list[str] = Field(default_factory=list)
    descriptions: list[str] = Field(default_factory=list)


class RepairItem(BaseModel):
    field: str = Field(description='The exact path that was asked for, e.g. "headlines[3]".')
    text: str


class RepairResponse(BaseModel):
    items: list[RepairItem] = Field(default_factory=list)


def repair_schema(paths: list[str]) -> type[RepairResponse]:
    """A RepairResponse whose ``field`` may only be one of the paths being repaired."""
    # A Literal built at run time: a valid type for pydantic, but not a static type for mypy.
    one_of_paths: Any = Literal[tuple(paths)]
    item = create_model(
        "RepairItem",
        __base__=RepairItem,
        field=(one_of_paths, Field(description="One of the paths asked for.")),
    )
    return create_model(
        "RepairResponse", __base__=RepairResponse, items=(list[item], Field(default_factory=list))
    )


class VideoScene(BaseModel):
    index: int
    duration_s: int = Field(ge=2, le=8)
    visual: str
    on_screen_text: str = ""
    voiceover: str = ""


class VideoScript(BaseModel):
    title: str = ""
    scenes: list[VideoScene] = Field(default_factory=list)


RESPONSE_SCHEMAS: dict[Platform, type[BaseModel]] = {
    Platform.GOOGLE_RSA: RsaResponse,
    Platform.GOOGLE_PMAX: PmaxResponse,
    Platform.META: MetaResponse,
}
