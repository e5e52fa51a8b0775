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
