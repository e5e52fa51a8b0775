"""Response schemas handed to a TextModel (Gemini structured output) and parsed back."""

from __future__ import annotations

from pydantic import BaseModel, Field

from .brief import Platform


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
