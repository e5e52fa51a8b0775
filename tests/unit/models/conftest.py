"""One fake Vertex AI server for the whole folder; faults and counters are reset per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from google import genai

from adgenius.models.vertex import VertexConfig, make_client
from adgenius.testing.fake_vertex import FakeVertexServer


@pytest.fixture(scope="session")
def fake_vertex() -> Iterator[FakeVertexServer]:
    with FakeVertexServer(video_polls_before_done=1, image_scale=0.25) as server:
        yield server


@pytest.fixture(autouse=True)
def _clean_fake(fake_vertex: FakeVertexServer) -> Iterator[None]:
    fake_vertex.reset()
    yield
    fake_vertex.reset()


@pytest.fixture(scope="session")
def vertex_config(fake_vertex: FakeVertexServer) -> VertexConfig:
    # Small backoff and timeout so exhausting retries takes milliseconds, not minutes.
    return VertexConfig(
        project="demo-adgenius",
        location="us-central1",
        base_url=fake_vertex.base_url,
        timeout_s=0.5,
        retry_attempts=3,
        retry_initial_delay_s=0.01,
        retry_max_delay_s=0.05,
        retry_jitter_s=0.01,
    )


@pytest.fixture(scope="session")
def vertex_client(vertex_config: VertexConfig) -> genai.Client:
    return make_client(vertex_config)


@pytest.fixture(scope="session")
def patient_vertex_config(vertex_config: VertexConfig) -> VertexConfig:
    """For calls whose answer the fake server makes with real work (an MP4 encoded by ffmpeg):
    on a busy machine that takes longer than the 0.5 s the fault tests rely on."""
    return vertex_config.model_copy(update={"timeout_s": 15.0})


@pytest.fixture(scope="session")
def patient_vertex_client(patient_vertex_config: VertexConfig) -> genai.Client:
    return make_client(patient_vertex_config)
