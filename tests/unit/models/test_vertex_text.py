"""VertexTextModel against the fake Vertex AI server, through the real google-genai SDK."""

from __future__ import annotations

import socket
from typing import Literal

import pytest
from google import genai
from pydantic import BaseModel, Field

from adgenius.models.base import Outcome, TextModel
from adgenius.models.vertex import (
    MalformedOutputError,
    PermanentModelError,
    TransientModelError,
    VertexConfig,
    VertexTextModel,
)
from adgenius.testing.fake_vertex import FakeVertexServer
from adgenius.testing.faults import Fault

pytestmark = pytest.mark.timeout(30)
ROUTE = "generateContent"


class Headline(BaseModel):
    text: str = Field(max_length=30)
    pin: Literal["H1", "H2", "H3"] | None = None


class SearchAd(BaseModel):
    headlines: list[Headline] = Field(min_length=3, max_length=15)
    descriptions: list[str] = Field(min_length=2, max_length=4)
    score: int = Field(ge=0, le=100)


@pytest.fixture
def text_model(vertex_config: VertexConfig, vertex_client: genai.Client) -> VertexTextModel:
    return VertexTextModel(vertex_config, "gemini-2.5-flash", client=vertex_client)


def test_satisfies_the_text_model_protocol(text_model: VertexTextModel) -> None:
    assert isinstance(text_model, TextModel)


def test_plain_text_is_deterministic_and_records_usage(text_model: VertexTextModel) -> None:
    first = text_model.generate("Coffee shop spring sale", system="Be brief", seed=4)
    again = text_model.generate("Coffee shop spring sale", system="Be brief", seed=4)
    other_system = text_model.generate("Coffee shop spring sale", system="Be loud", seed=4)

    assert first.outcome is Outcome.OK and first.text
    assert again.text == first.text
    assert other_system.text != first.text  # the system instruction reached the server
    assert first.usage.model == "gemini-2.5-flash" and first.usage.engine == "vertex"
    assert first.usage.input_tokens > 0 and first.usage.output_tokens > 0
    assert first.usage.latency_ms > 0


def test_structured_output_is_validated_into_the_schema(text_model: VertexTextModel) -> None:
    result = text_model.generate("Responsive search ad for running shoes", response_schema=SearchAd)

    assert result.outcome is Outcome.OK
    assert isinstance(result.parsed, SearchAd)
    assert 3 <= len(result.parsed.headlines) <= 15
    assert all(len(h.text) <= 30 for h in result.parsed.headlines)
    assert SearchAd.model_validate_json(result.text) == result.parsed


def test_a_client_built_from_config_alone_needs_no_google_credentials(
    vertex_config: VertexConfig,
) -> None:
    result = VertexTextModel(vertex_config).generate("hello")
    assert result.outcome is Outcome.OK and result.text


@pytest.mark.parametrize("status", [429, 500, 503])
def test_transient_errors_are_retried_then_succeed(
    text_model: VertexTextModel, fake_vertex: FakeVertexServer, status: int
) -> None:
    fake_vertex.set_faults(Fault(route=ROUTE, kind="error", status=status, times=2))

    result = text_model.generate("retry me")

    assert result.outcome is Outcome.OK and result.text
    assert fake_vertex.calls(ROUTE) == 3


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_persistent_transient_error_raises_transient_after_all_attempts(
    text_model: VertexTextModel,
    vertex_config: VertexConfig,
    fake_vertex: FakeVertexServer,
    status: int,
) -> None:
    fake_vertex.set_faults(Fault(route=ROUTE, kind="error", status=status))

    with pytest.raises(TransientModelError) as caught:
        text_model.generate("always failing")

    assert caught.value.status_code == status
    assert caught.value.retryable
    assert caught.value.model == "gemini-2.5-flash"
    assert fake_vertex.calls(ROUTE) == vertex_config.retry_attempts


@pytest.mark.parametrize("status", [400, 403, 404])
def test_client_errors_are_permanent_and_not_retried(
    text_model: VertexTextModel, fake_vertex: FakeVertexServer, status: int
) -> None:
    fake_vertex.set_faults(Fault(route=ROUTE, kind="error", status=status))

    with pytest.raises(PermanentModelError) as caught:
        text_model.generate("bad request")

    assert caught.value.status_code == status and not caught.value.retryable
    assert fake_vertex.calls(ROUTE) == 1


def test_slow_response_beyond_timeout_is_transient(
    text_model: VertexTextModel, vertex_config: VertexConfig, fake_vertex: FakeVertexServer
) -> None:
    fake_vertex.set_faults(Fault(route=ROUTE, kind="delay", delay_s=vertex_config.timeout_s + 1))

    with pytest.raises(TransientModelError) as caught:
        text_model.generate("slow")

    assert caught.value.status == "TIMEOUT"
    assert fake_vertex.calls(ROUTE) == vertex_config.retry_attempts


def test_one_slow_response_is_retried_and_a_slow_but_in_time_one_succeeds(
    text_model: VertexTextModel, vertex_config: VertexConfig, fake_vertex: FakeVertexServer
) -> None:
    fake_vertex.set_faults(
        Fault(route=ROUTE, kind="delay", delay_s=vertex_config.timeout_s + 1, times=1),
        Fault(route=ROUTE, kind="delay", delay_s=0.05),
    )

    result = text_model.generate("slow once")

    assert result.outcome is Outcome.OK
    assert fake_vertex.calls(ROUTE) == 2


@pytest.mark.parametrize("reason", ["SAFETY", "PROHIBITED_CONTENT"])
def test_blocked_prompt_is_an_outcome_with_the_reason(
    text_model: VertexTextModel, fake_vertex: FakeVertexServer, reason: str
) -> None:
    fake_vertex.set_faults(Fault(route=ROUTE, kind="safety", reason=reason))

    result = text_model.generate("something unsafe", response_schema=SearchAd)

    assert result.outcome is Outcome.SAFETY_BLOCKED
    assert result.block_reason is not None and result.block_reason.startswith(reason)
    assert result.parsed is None and result.text == ""
    assert result.usage.input_tokens > 0
    assert fake_vertex.calls(ROUTE) == 1  # a block is not retried


def test_safety_finish_reason_is_an_outcome_naming_the_category(
    text_model: VertexTextModel, fake_vertex: FakeVertexServer
) -> None:
    fake_vertex.set_faults(Fault(route=ROUTE, kind="safety", safety_mode="finish"))

    result = text_model.generate("something unsafe")

    assert result.outcome is Outcome.SAFETY_BLOCKED
    assert result.block_reason == "SAFETY: HARM_CATEGORY_DANGEROUS_CONTENT"


def test_malformed_json_once_is_reasked_and_usage_covers_both_calls(
    text_model: VertexTextModel, fake_vertex: FakeVertexServer
) -> None:
    clean = text_model.generate("Ad for tea", response_schema=SearchAd)
    fake_vertex.reset()
    fake_vertex.set_faults(Fault(route=ROUTE, kind="malformed", times=1))

    result = text_model.generate("Ad for tea", response_schema=SearchAd)

    assert isinstance(result.parsed, SearchAd)
    assert result.parsed == clean.parsed
    assert fake_vertex.calls(ROUTE) == 2
    assert result.usage.input_tokens == 2 * clean.usage.input_tokens


def test_reask_after_malformed_json_varies_the_seed(
    text_model: VertexTextModel, fake_vertex: FakeVertexServer
) -> None:
    with_next_seed = text_model.generate("Ad for tea", response_schema=SearchAd, seed=6)
    fake_vertex.set_faults(Fault(route=ROUTE, kind="malformed", times=1))

    result = text_model.generate("Ad for tea", response_schema=SearchAd, seed=5)

    assert result.parsed == with_next_seed.parsed


def test_unreachable_endpoint_is_transient(vertex_config: VertexConfig) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = vertex_config.model_copy(update={"base_url": f"http://127.0.0.1:{port}"})

    with pytest.raises(TransientModelError) as caught:
        VertexTextModel(config).generate("anyone there?")

    assert caught.value.status == "NETWORK"


def test_persistently_malformed_json_raises_a_typed_permanent_error(
    text_model: VertexTextModel, fake_vertex: FakeVertexServer
) -> None:
    fake_vertex.set_faults(Fault(route=ROUTE, kind="malformed"))

    with pytest.raises(MalformedOutputError) as caught:
        text_model.generate("Ad for tea", response_schema=SearchAd)

    assert isinstance(caught.value, PermanentModelError)
    assert caught.value.raw_text.startswith('{"truncated"')
    assert fake_vertex.calls(ROUTE) == 2  # the first try plus exactly one re-ask


def test_without_a_schema_text_is_returned_as_is(
    text_model: VertexTextModel, fake_vertex: FakeVertexServer
) -> None:
    fake_vertex.set_faults(Fault(route=ROUTE, kind="malformed"))

    result = text_model.generate("free text")

    assert result.outcome is Outcome.OK and result.text.startswith('{"truncated"')
    assert fake_vertex.calls(ROUTE) == 1
