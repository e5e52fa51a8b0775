"""generate_copy_set through the real VertexTextModel + google-genai SDK against the fake server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from adgenius.generation import CopyFailure, generate_copy_set, validate_copy_set

vertex = pytest.importorskip("adgenius.models.vertex")
fake_vertex = pytest.importorskip("adgenius.testing.fake_vertex")
faults = pytest.importorskip("adgenius.testing.faults")

pytestmark = pytest.mark.timeout(60)


@pytest.fixture(scope="module")
def server() -> Iterator:
    with fake_vertex.FakeVertexServer() as srv:
        yield srv


@pytest.fixture
def model(server):
    server.reset()
    config = vertex.VertexConfig(
        project="demo-adgenius",
        location="us-central1",
        base_url=server.base_url,
        timeout_s=2,
        retry_attempts=2,
        retry_initial_delay_s=0.01,
        retry_max_delay_s=0.02,
        retry_jitter_s=0.0,
    )
    return vertex.VertexTextModel(config, "gemini-2.5-flash")


def test_vertex_result_is_validated_and_recorded(server, model, brief, brand_kit, embedder):
    result = generate_copy_set(
        brief, brand_kit, "google_rsa", engine=model, seed=5, max_repairs=1, embedder=embedder
    )
    [variant] = result.variants
    assert (result.engine, result.model, result.prompt_version) == (
        "vertex",
        "gemini-2.5-flash",
        "google_rsa@v1",
    )
    assert variant.failure is None and variant.copy_set is not None
    # The fake writes schema-valid but arbitrary text: whatever it is, the verdict is the
    # validator's, and a non-compliant set says exactly why.
    assert variant.violations == validate_copy_set(variant.copy_set, brand_kit, brief=brief)
    assert variant.compliant == (not [v for v in variant.violations if v.severity == "error"])
    calls = server.calls("generateContent")
    assert calls == len(result.usage) == 1 + variant.repair_rounds
    assert all(u.engine == "vertex" for u in result.usage)


def test_vertex_safety_block_and_malformed_output_are_typed(server, model, brief, brand_kit):
    server.set_faults(faults.Fault(route="generateContent", kind="safety"))
    [variant] = generate_copy_set(brief, brand_kit, "meta", engine=model).variants
    assert variant.failure is CopyFailure.SAFETY_BLOCKED and not variant.compliant

    server.set_faults(faults.Fault(route="generateContent", kind="malformed"))
    [variant] = generate_copy_set(brief, brand_kit, "meta", engine=model, max_repairs=0).variants
    assert variant.failure is CopyFailure.INVALID_RESPONSE and not variant.compliant
