"""VertexImageModel (Imagen) against the fake Vertex AI server, through the real SDK."""

from __future__ import annotations

import io

import pytest
from google import genai
from PIL import Image

from adgenius.models.base import ImageModel, Outcome
from adgenius.models.vertex import (
    PermanentModelError,
    TransientModelError,
    VertexConfig,
    VertexImageModel,
)
from adgenius.testing.fake_vertex import FakeVertexServer
from adgenius.testing.faults import Fault

pytestmark = [
    pytest.mark.timeout(30),
    # pytest resets warning filters per test; the module-level filter covers production.
    pytest.mark.filterwarnings("ignore:The generate_images method is deprecated"),
]
ROUTE = "predict"


@pytest.fixture
def image_model(vertex_config: VertexConfig, vertex_client: genai.Client) -> VertexImageModel:
    return VertexImageModel(vertex_config, "imagen-4.0-fast-generate-001", client=vertex_client)


def _size(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as img:
        assert img.format == "PNG"
        return img.size


def test_satisfies_the_image_model_protocol(image_model: VertexImageModel) -> None:
    assert isinstance(image_model, ImageModel)


@pytest.mark.parametrize(
    ("aspect_ratio", "ratio"), [("1:1", 1.0), ("16:9", 16 / 9), ("9:16", 9 / 16)]
)
def test_returns_real_pngs_of_the_requested_aspect_ratio(
    image_model: VertexImageModel, aspect_ratio: str, ratio: float
) -> None:
    result = image_model.generate("a red bicycle", aspect_ratio=aspect_ratio, count=2, seed=3)

    assert result.outcome is Outcome.OK and result.mime_type == "image/png"
    assert len(result.images) == 2
    width, height = _size(result.images[0])
    assert width / height == pytest.approx(ratio, rel=0.1)
    assert result.usage.images == 2 and result.usage.model == "imagen-4.0-fast-generate-001"
    assert result.usage.latency_ms > 0


def test_seed_makes_images_reproducible(image_model: VertexImageModel) -> None:
    first = image_model.generate("a red bicycle", seed=11)
    same = image_model.generate("a red bicycle", seed=11)
    other = image_model.generate("a red bicycle", seed=12)

    assert first.images == same.images
    assert first.images != other.images


def test_429_then_success_is_retried(
    image_model: VertexImageModel, fake_vertex: FakeVertexServer
) -> None:
    fake_vertex.set_faults(Fault(route=ROUTE, kind="error", status=429, times=1))

    result = image_model.generate("retry me")

    assert result.outcome is Outcome.OK and len(result.images) == 1
    assert fake_vertex.calls(ROUTE) == 2


@pytest.mark.parametrize("status", [429, 500])
def test_persistent_quota_or_server_error_is_transient(
    image_model: VertexImageModel,
    vertex_config: VertexConfig,
    fake_vertex: FakeVertexServer,
    status: int,
) -> None:
    fake_vertex.set_faults(Fault(route=ROUTE, model="imagen-*", kind="error", status=status))

    with pytest.raises(TransientModelError) as caught:
        image_model.generate("always failing")

    assert caught.value.status_code == status
    assert fake_vertex.calls(ROUTE) == vertex_config.retry_attempts


def test_invalid_request_is_permanent_and_not_retried(
    image_model: VertexImageModel, fake_vertex: FakeVertexServer
) -> None:
    with pytest.raises(PermanentModelError) as caught:
        image_model.generate("too many", count=5)  # Imagen accepts 1-4

    assert caught.value.status_code == 400
    assert fake_vertex.calls(ROUTE) == 1


def test_slow_response_beyond_timeout_is_transient(
    image_model: VertexImageModel, vertex_config: VertexConfig, fake_vertex: FakeVertexServer
) -> None:
    fake_vertex.set_faults(Fault(route=ROUTE, kind="delay", delay_s=vertex_config.timeout_s + 1))

    with pytest.raises(TransientModelError) as caught:
        image_model.generate("slow")

    assert caught.value.status == "TIMEOUT"


def test_rai_filtered_images_are_a_safety_outcome_with_the_reason(
    image_model: VertexImageModel, fake_vertex: FakeVertexServer
) -> None:
    reason = "39322892: This prompt contains a person and person generation is off."
    fake_vertex.set_faults(Fault(route=ROUTE, kind="safety", reason=reason))

    result = image_model.generate("a portrait", count=2)

    assert result.outcome is Outcome.SAFETY_BLOCKED
    assert result.block_reason is not None and reason in result.block_reason
    assert result.images == [] and result.usage.images == 0


def test_unreadable_response_body_is_transient(
    image_model: VertexImageModel, fake_vertex: FakeVertexServer
) -> None:
    fake_vertex.set_faults(Fault(route=ROUTE, kind="malformed"))

    with pytest.raises(TransientModelError) as caught:
        image_model.generate("garbled")

    assert caught.value.status == "BAD_RESPONSE"


# ------------------------------------------------------------------------- product recontext
def _product_png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (300, 200), (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()


def test_recontext_places_the_brand_product_in_the_scene(
    image_model: VertexImageModel, fake_vertex: FakeVertexServer
) -> None:
    result = image_model.recontext("on a marble kitchen counter", [_product_png()], seed=4)
    assert result.outcome is Outcome.OK and len(result.images) == 1
    assert result.usage.model == "imagen-product-recontext-preview-06-30"
    with Image.open(io.BytesIO(result.images[0])) as img:
        middle = img.convert("RGB").getpixel((img.width // 2, img.height // 2))
    assert middle == (200, 30, 30)  # the product, not a generated stand-in
    calls = fake_vertex.calls()["models"]
    assert calls == {"imagen-product-recontext-preview-06-30:predict": 1}


def test_recontext_faults_map_like_generation(
    image_model: VertexImageModel, fake_vertex: FakeVertexServer
) -> None:
    fake_vertex.set_faults(Fault(route=ROUTE, kind="safety", reason="product", times=1))
    blocked = image_model.recontext("scene", [_product_png()])
    assert blocked.outcome is Outcome.SAFETY_BLOCKED
    fake_vertex.set_faults(Fault(route=ROUTE, kind="error", status=400, times=1))
    with pytest.raises(PermanentModelError):
        image_model.recontext("scene", [_product_png()])
    fake_vertex.set_faults(Fault(route=ROUTE, kind="error", status=503, times=10))
    with pytest.raises(TransientModelError):
        image_model.recontext("scene", [_product_png()])


def test_recontext_refuses_more_than_three_product_photos(image_model: VertexImageModel) -> None:
    with pytest.raises(ValueError, match="one to three"):
        image_model.recontext("scene", [_product_png()] * 4)
