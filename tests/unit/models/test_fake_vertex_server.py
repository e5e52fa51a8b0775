"""The fake Vertex AI server itself: the CLI process, HTTP steering, streaming, schemas."""

from __future__ import annotations

import json
from typing import Literal

import pytest
import requests
from google import genai
from google.genai import types
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, Field

from adgenius.models.base import Outcome
from adgenius.models.vertex import TransientModelError, VertexConfig, VertexTextModel
from adgenius.testing import fake_content
from adgenius.testing.fake_vertex import FakeVertexServer
from adgenius.testing.fake_vertex_process import FakeVertexProcess
from adgenius.testing.faults import Fault

pytestmark = pytest.mark.timeout(30)
GEMINI = "gemini-2.5-flash"


class Variant(BaseModel):
    headline: str = Field(min_length=5, max_length=30)
    tone: Literal["playful", "serious"]
    cta: str | None = None


class Brief(BaseModel):
    variants: list[Variant] = Field(min_length=2, max_length=5)
    budget: float = Field(ge=10, le=20)
    urgent: bool


def test_separate_process_is_steered_over_http_and_stops_on_sigterm() -> None:
    with FakeVertexProcess(seed=3, image_scale=0.1) as fake:
        config = VertexConfig(
            project="p",
            base_url=fake.base_url,
            timeout_s=2,
            retry_attempts=3,
            retry_initial_delay_s=0.01,
            retry_max_delay_s=0.05,
            retry_jitter_s=0.01,
        )
        model = VertexTextModel(config)

        fake.set_faults(Fault(route="generateContent", kind="error", status=429, times=2))
        assert model.generate("hello from another process").outcome is Outcome.OK
        calls = fake.calls()
        assert calls["routes"] == {"generateContent": 3}
        assert calls["models"] == {f"{GEMINI}:generateContent": 3}

        fake.set_faults(Fault(kind="error", status=503))
        with pytest.raises(TransientModelError):
            model.generate("now failing")
        fake.clear_faults()
        assert model.generate("recovered").outcome is Outcome.OK

        # The wire protocol, for steering from something that is not Python.
        bad = requests.post(f"{fake.base_url}/_faults", json={"faults": [{"kind": "x"}]}, timeout=5)
        assert bad.status_code == 400
        raw = {"faults": [{"route": "predict", "kind": "safety"}], "replace": False}
        assert requests.post(f"{fake.base_url}/_faults", json=raw, timeout=5).json() == {
            "faults": 1
        }
        fake.reset()
        assert fake.calls("generateContent") == 0

        assert fake.stop() == 0  # SIGTERM shuts it down cleanly


def test_probabilistic_faults_are_reproducible_from_the_seed(fake_vertex: FakeVertexServer) -> None:
    url = (
        f"{fake_vertex.base_url}/v1beta1/projects/p/locations/l/publishers/google/models/"
        f"{GEMINI}:generateContent"
    )
    body = {"contents": [{"role": "user", "parts": [{"text": "hi"}]}]}

    def statuses(seed: int) -> list[int]:
        fake_vertex.set_faults(
            Fault(route="generateContent", kind="error", status=429, probability=0.5), seed=seed
        )
        with requests.Session() as http:
            return [http.post(url, json=body, timeout=5).status_code for _ in range(24)]

    first, again, other = statuses(7), statuses(7), statuses(8)

    assert first == again
    assert set(first) == {200, 429}
    assert first != other


def test_fault_matches_only_its_model_glob(
    fake_vertex: FakeVertexServer, vertex_client: genai.Client
) -> None:
    fake_vertex.set_faults(Fault(route="generateContent", model="gemini-2.5-pro", kind="safety"))

    flash = vertex_client.models.generate_content(model=GEMINI, contents="hi")
    pro = vertex_client.models.generate_content(model="gemini-2.5-pro", contents="hi")

    assert flash.text and flash.prompt_feedback is None
    assert pro.prompt_feedback is not None and pro.prompt_feedback.block_reason is not None


def test_streaming_matches_the_unary_answer(vertex_client: genai.Client) -> None:
    config = types.GenerateContentConfig(seed=5)
    unary = vertex_client.models.generate_content(model=GEMINI, contents="spring", config=config)
    chunks = list(
        vertex_client.models.generate_content_stream(model=GEMINI, contents="spring", config=config)
    )

    assert len(chunks) > 1
    assert "".join(c.text or "" for c in chunks) == unary.text
    assert chunks[-1].usage_metadata is not None
    assert chunks[-1].usage_metadata.candidates_token_count == (
        unary.usage_metadata.candidates_token_count if unary.usage_metadata else None
    )


@pytest.mark.parametrize("form", ["json_schema", "openapi"])
def test_schema_output_validates_in_both_schema_forms(
    vertex_client: genai.Client, form: str
) -> None:
    config = types.GenerateContentConfig(response_mime_type="application/json")
    if form == "json_schema":
        config.response_json_schema = Brief.model_json_schema()
    else:  # the SDK converts a pydantic class to Vertex's OpenAPI subset
        config.response_schema = Brief

    response = vertex_client.models.generate_content(model=GEMINI, contents="x", config=config)

    brief = Brief.model_validate_json(response.text or "")
    assert 2 <= len(brief.variants) <= 5 and 10 <= brief.budget <= 20


@settings(max_examples=60, deadline=None)
@given(
    prompt=st.text(max_size=40),
    lo=st.integers(min_value=0, max_value=40),
    extra=st.integers(min_value=0, max_value=40),
    min_items=st.integers(min_value=0, max_value=6),
)
def test_generated_json_respects_bounds(prompt: str, lo: int, extra: int, min_items: int) -> None:
    schema = {
        "type": "object",
        "properties": {
            "s": {"type": "string", "minLength": lo, "maxLength": lo + extra},
            "n": {"type": "integer", "minimum": -lo, "maximum": extra},
            "xs": {"type": "array", "items": {"type": "number"}, "minItems": min_items},
            "e": {"enum": ["a", "b"]},
            "maybe": {"anyOf": [{"type": "null"}, {"type": "boolean"}]},
        },
    }

    value = fake_content.json_for_schema(schema, prompt, seed=None)

    assert lo <= len(value["s"]) <= lo + extra
    assert -lo <= value["n"] <= extra
    assert len(value["xs"]) >= min_items
    assert value["e"] in ("a", "b") and isinstance(value["maybe"], bool)
    assert value == fake_content.json_for_schema(schema, prompt, seed=None)
    json.dumps(value)  # serialisable


def test_control_and_unknown_routes(fake_vertex: FakeVertexServer) -> None:
    base = fake_vertex.base_url
    assert requests.get(f"{base}/_health", timeout=5).json() == {"ok": True}
    missing = requests.post(f"{base}/v1beta1/nowhere", json={}, timeout=5)
    assert missing.status_code == 404 and missing.json()["error"]["status"] == "NOT_FOUND"
    fake_vertex.set_faults(Fault(route="predict", kind="error", status=429, times=1))
    listed = requests.get(f"{base}/_faults", timeout=5).json()["faults"]
    assert [f["route"] for f in listed] == ["predict"]
    requests.post(f"{base}/_reset", timeout=5)
    assert fake_vertex.state.faults.active() == [] and fake_vertex.calls()["total"] == 0
