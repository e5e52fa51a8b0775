"""VertexEmbeddingModel against the fake Vertex AI server, through the real SDK."""

from __future__ import annotations

import numpy as np
import pytest
from google import genai

from adgenius.models.base import EmbeddingModel
from adgenius.models.vertex import TransientModelError, VertexConfig, VertexEmbeddingModel
from adgenius.testing.fake_vertex import FakeVertexServer
from adgenius.testing.faults import Fault

pytestmark = pytest.mark.timeout(30)
ROUTE = "predict"


@pytest.fixture
def embedder(vertex_config: VertexConfig, vertex_client: genai.Client) -> VertexEmbeddingModel:
    return VertexEmbeddingModel(vertex_config, "text-embedding-005", client=vertex_client)


def test_satisfies_the_embedding_model_protocol(embedder: VertexEmbeddingModel) -> None:
    assert isinstance(embedder, EmbeddingModel)
    assert embedder.dimension == 768 and embedder.name == "text-embedding-005"


def test_rows_are_unit_float32_and_reproducible(embedder: VertexEmbeddingModel) -> None:
    texts = ["summer running shoes sale", "running shoes for summer", "tax advice for bakeries"]

    vectors, usage = embedder.embed_with_usage(texts)

    assert vectors.shape == (3, 768) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(embedder.embed(texts), vectors)
    similar, unrelated = vectors[0] @ vectors[1], vectors[0] @ vectors[2]
    assert similar > unrelated
    assert usage.embeddings == 3 and usage.input_tokens > 0 and usage.engine == "vertex"


def test_requested_dimension_and_batching(
    vertex_config: VertexConfig, vertex_client: genai.Client, fake_vertex: FakeVertexServer
) -> None:
    model = VertexEmbeddingModel(vertex_config, dimension=256, batch_size=3, client=vertex_client)

    vectors = model.embed([f"text number {i}" for i in range(7)])

    assert vectors.shape == (7, 256)
    assert fake_vertex.calls(ROUTE) == 3  # 3 + 3 + 1


def test_empty_input_makes_no_request(
    embedder: VertexEmbeddingModel, fake_vertex: FakeVertexServer
) -> None:
    assert embedder.embed([]).shape == (0, 768)
    assert fake_vertex.calls()["total"] == 0


def test_gemini_embedding_models_use_embed_content_one_text_per_request(
    vertex_config: VertexConfig, vertex_client: genai.Client, fake_vertex: FakeVertexServer
) -> None:
    model = VertexEmbeddingModel(
        vertex_config, "gemini-embedding-001", dimension=128, client=vertex_client
    )

    vectors = model.embed(["one", "two"])

    assert vectors.shape == (2, 128)
    assert fake_vertex.calls("embedContent") == 2


def test_429_then_success_is_retried(
    embedder: VertexEmbeddingModel, fake_vertex: FakeVertexServer
) -> None:
    fake_vertex.set_faults(Fault(route=ROUTE, kind="error", status=429, times=2))

    assert embedder.embed(["retry"]).shape == (1, 768)
    assert fake_vertex.calls(ROUTE) == 3


@pytest.mark.parametrize("status", [429, 500, 503])
def test_persistent_errors_are_transient(
    embedder: VertexEmbeddingModel,
    vertex_config: VertexConfig,
    fake_vertex: FakeVertexServer,
    status: int,
) -> None:
    fake_vertex.set_faults(
        Fault(route=ROUTE, model="text-embedding-*", kind="error", status=status)
    )

    with pytest.raises(TransientModelError) as caught:
        embedder.embed(["failing"])

    assert caught.value.status_code == status
    assert fake_vertex.calls(ROUTE) == vertex_config.retry_attempts


def test_slow_response_beyond_timeout_is_transient(
    embedder: VertexEmbeddingModel, vertex_config: VertexConfig, fake_vertex: FakeVertexServer
) -> None:
    fake_vertex.set_faults(Fault(route=ROUTE, kind="delay", delay_s=vertex_config.timeout_s + 1))

    with pytest.raises(TransientModelError) as caught:
        embedder.embed(["slow"])

    assert caught.value.status == "TIMEOUT"


def test_unreadable_response_is_transient(
    embedder: VertexEmbeddingModel, fake_vertex: FakeVertexServer
) -> None:
    fake_vertex.set_faults(Fault(route=ROUTE, kind="malformed"))

    with pytest.raises(TransientModelError):
        embedder.embed(["garbled"])
