"""Gemini text generation on Vertex AI, with validated structured (JSON) output."""

from __future__ import annotations

import time

from google import genai
from google.genai import types
from pydantic import BaseModel, ValidationError

from adgenius.models.base import Outcome, TextResult, Usage
from adgenius.models.errors import MalformedOutputError
from adgenius.models.vertex_client import VertexConfig, VertexModel, translate_errors

# Finish reasons that mean "the answer was withheld for policy reasons", not "it ended".
_BLOCKING_FINISH_REASONS = frozenset(
    {"SAFETY", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII", "IMAGE_SAFETY", "RECITATION"}
)


class VertexTextModel(VertexModel):
    """`TextModel` backed by Gemini (`generateContent`).

    With `response_schema`, the schema is sent as JSON Schema (`response_json_schema`) and the
    reply is validated with pydantic; an invalid reply is re-asked once, then
    `MalformedOutputError` (a `PermanentModelError`) is raised. The re-ask uses `seed + 1` when a
    seed was given.
    """

    def __init__(
        self,
        config: VertexConfig,
        model: str = "gemini-2.5-flash",
        *,
        client: genai.Client | None = None,
        max_output_tokens: int | None = None,
    ) -> None:
        super().__init__(config, model, client)
        self._max_output_tokens = max_output_tokens

    def generate(
        self,
        prompt: str,
        *,
        system: str | None = None,
        response_schema: type[BaseModel] | None = None,
        temperature: float = 0.7,
        seed: int | None = None,
    ) -> TextResult:
        config = types.GenerateContentConfig(
            system_instruction=system,
            temperature=temperature,
            seed=seed,
            max_output_tokens=self._max_output_tokens,
        )
        if response_schema is not None:
            config.response_mime_type = "application/json"
            config.response_json_schema = response_schema.model_json_schema()

        usage = Usage(model=self._model, engine="vertex")
        started = time.perf_counter()
        attempts = 2 if response_schema is not None else 1
        last_error: Exception | None = None
        text = ""
        for attempt in range(attempts):
            if attempt and seed is not None:
                # A fixed seed would likely reproduce the same broken output; vary it.
                config.seed = seed + attempt
            with translate_errors(self._model):
                response = self._client.models.generate_content(
                    model=self._model, contents=prompt, config=config
                )
            _add_usage(usage, response)
            blocked = _block_reason(response)
            if blocked is not None:
                usage.latency_ms = (time.perf_counter() - started) * 1000
                return TextResult(outcome=Outcome.SAFETY_BLOCKED, block_reason=blocked, usage=usage)
            text = response.text or ""
            if response_schema is None:
                usage.latency_ms = (time.perf_counter() - started) * 1000
                return TextResult(text=text, usage=usage)
            try:
                parsed = response_schema.model_validate_json(text)
            except ValidationError as exc:
                last_error = exc  # models occasionally truncate or drift; ask once more
                continue
            usage.latency_ms = (time.perf_counter() - started) * 1000
            return TextResult(text=text, parsed=parsed, usage=usage)
        assert response_schema is not None  # without a schema the only attempt returned above
        raise MalformedOutputError(
            f"{self._model}: output does not match {response_schema.__name__} "
            f"after {attempts} attempts: {last_error}",
            model=self._model,
            raw_text=text,
        )


def _add_usage(usage: Usage, response: types.GenerateContentResponse) -> None:
    meta = response.usage_metadata
    if meta is None:
        return
    usage.input_tokens += meta.prompt_token_count or 0
    # Thinking tokens are billed as output.
    usage.output_tokens += (meta.candidates_token_count or 0) + (meta.thoughts_token_count or 0)


def _block_reason(response: types.GenerateContentResponse) -> str | None:
    feedback = response.prompt_feedback
    if feedback is not None and feedback.block_reason is not None:
        reason = _enum_name(feedback.block_reason)
        return (
            f"{reason}: {feedback.block_reason_message}"
            if feedback.block_reason_message
            else reason
        )
    for candidate in response.candidates or []:
        finish = _enum_name(candidate.finish_reason) if candidate.finish_reason else ""
        if finish in _BLOCKING_FINISH_REASONS:
            blocked = [_enum_name(r.category) for r in candidate.safety_ratings or [] if r.blocked]
            return f"{finish}: {', '.join(blocked)}" if blocked else finish
    return None


def _enum_name(value: object) -> str:
    return str(getattr(value, "value", value))
