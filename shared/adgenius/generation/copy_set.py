"""The text assets of one ad, for any platform (unused fields stay empty)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from adgenius.domain.brief import Platform


class CopySet(BaseModel):
    platform: Platform
    headlines: list[str] = Field(default_factory=list)
    descriptions: list[str] = Field(default_factory=list)
    paths: list[str] = Field(default_factory=list)  # RSA display paths
    long_headlines: list[str] = Field(default_factory=list)  # PMax
    business_name: list[str] = Field(default_factory=list)  # PMax, exactly one item
    primary_texts: list[str] = Field(default_factory=list)  # Meta
    # Google pins: field path -> position, e.g. {"headlines[0]": "H1", "descriptions[2]": "D1"}
    pins: dict[str, str] = Field(default_factory=dict)

    def items(self, field: str) -> list[str]:
        return list(getattr(self, field))

    def with_item(self, field: str, index: int, text: str) -> CopySet:
        values = self.items(field)
        if index < len(values):
            values[index] = text
        else:
            values.append(text)
        return self.model_copy(update={field: values})
