"""A scripted fake TextModel for the copy-generation tests (no network, controlled JSON)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from adgenius.models.base import Outcome, TextResult, Usage


@dataclass
class Call:
    prompt: str
    system: str | None
    response_schema: type[BaseModel] | None
    seed: int | None


Reply = dict[str, Any] | str | TextResult | Callable[["Call"], Any]


@dataclass
class FakeTextModel:
    """Returns scripted replies in order (JSON dicts, raw text or whole TextResults)."""

    replies: list[Reply]
    calls: list[Call] = field(default_factory=list)

    def generate(
        self,
        prompt: str,
        *,
        system: str | None = None,
        response_schema: type[BaseModel] | None = None,
        temperature: float = 0.7,
        seed: int | None = None,
    ) -> TextResult:
        call = Call(prompt, system, response_schema, seed)
        self.calls.append(call)
        reply = self.replies[min(len(self.calls), len(self.replies)) - 1]
        if callable(reply):
            reply = reply(call)
        usage = Usage(model="fake-gemini", engine="fake", input_tokens=len(prompt) // 4)
        if isinstance(reply, TextResult):
            return reply
        text = reply if isinstance(reply, str) else json.dumps(reply, ensure_ascii=False)
        return TextResult(outcome=Outcome.OK, text=text, usage=usage)


def blocked() -> TextResult:
    return TextResult(
        outcome=Outcome.SAFETY_BLOCKED,
        block_reason="SAFETY",
        usage=Usage(model="fake-gemini", engine="fake"),
    )
