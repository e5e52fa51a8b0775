"""The brand's own pictures as model inputs, against the fake Vertex AI server: Veo
image-to-video (the real SDK's `image=` source) and multimodal embeddings (REST `:predict`)."""

from __future__ import annotations

import httpx
import imageio_ffmpeg
import numpy as np
import pytest
from google import genai

from adgenius.models.base import ImageEmbeddingModel, ImageToVideoModel, Outcome, VideoOperation
from adgenius.models.vertex import (
    PermanentModelError,
    TransientModelError,
    VertexConfig,
    VertexMultimodalEmbedding,
    VertexVideoModel,
)
from adgenius.testing import sample_media as samples
from adgenius.testing.fake_vertex import FakeVertexServer
from adgenius.testing.faults import Fault

pytestmark = pytest.mark.timeout(60)
RED, BLUE = (196, 72, 48), (40, 90, 200)
MULTIMODAL = "multimodalembedding@001"


def _photo(colour: tuple[int, int, int], product: str = "mug") -> bytes:
    return samples.encode(samples.product_photo(product, size=(480, 360), colour=colour), "JPEG")


def _share(frame: np.ndarray, colour: tuple[int, int, int]) -> float:
    return float((np.abs(frame.astype(np.int16) - np.array(colour)).sum(axis=-1) < 60).mean())


# ----------------------------------------------------------------------- Veo image-to-video
@pytest.fixture
def video_model(
    patient_vertex_config: VertexConfig, patient_vertex_client: genai.Client
) -> VertexVideoModel:
    # Patient: the fake server encodes a real MP4 when an operation is done.
    return VertexVideoModel(
        patient_vertex_config, "veo-3.0-fast-generate-001", client=patient_vertex_client
    )


def _first_frame(video: bytes, tmp_path) -> np.ndarray:  # type: ignore[no-untyped-def]
    path = tmp_path / "clip.mp4"
    path.write_bytes(video)
    reader = imageio_ffmpeg.read_frames(str(path))
    meta = next(reader)
    frame = np.frombuffer(next(reader), dtype=np.uint8)
    reader.close()
    width, height = meta["size"]
    return frame.reshape(height, width, 3)


def test_a_clip_starts_from_the_brand_photo(
    video_model: VertexVideoModel, fake_vertex: FakeVertexServer, tmp_path
) -> None:
    assert isinstance(video_model, ImageToVideoModel)
    still = samples.encode(samples.product_photo("mug", size=(360, 640), colour=RED), "PNG")
    op = video_model.start_from_image(
        "slow push in on the mug", still, aspect_ratio="9:16", duration_s=4, seed=3
    )
    assert fake_vertex.calls("predictLongRunning") == 1
    for _ in range(4):
        op = video_model.poll(VideoOperation.model_validate_json(op.model_dump_json()))
        if op.done:
            break
    assert op.done and op.outcome is Outcome.OK and op.video is not None
    frame = _first_frame(op.video, tmp_path)
    assert frame.shape[0] > frame.shape[1]  # 9:16, as asked
    assert _share(frame, RED) > 0.05  # the product is on screen: the request carried the image

    text_only = video_model.start("slow push in", aspect_ratio="9:16", duration_s=4)
    for _ in range(4):
        text_only = video_model.poll(text_only)
    assert text_only.video is not None
    assert _share(_first_frame(text_only.video, tmp_path), RED) < 0.01


def test_image_to_video_faults_and_bad_frames(
    video_model: VertexVideoModel, fake_vertex: FakeVertexServer, vertex_config: VertexConfig
) -> None:
    still = _photo(RED)
    with pytest.raises(ValueError, match="PNG or JPEG"):
        video_model.start_from_image("x", still, mime_type="image/webp")
    # Vertex refuses bytes that are not a picture: a permanent error, never retried.
    with pytest.raises(PermanentModelError):
        video_model.start_from_image("x", b"not an image", mime_type="image/jpeg")
    fake_vertex.set_faults(Fault(route="predictLongRunning", kind="error", status=429, times=1))
    op = video_model.start_from_image("x", still, mime_type="image/jpeg")
    assert op.name and fake_vertex.calls("predictLongRunning") == 3  # refused, 429, accepted
    # The route checks the frame's type as the service does.
    fake_vertex.clear_faults()
    raw = httpx.post(
        f"{fake_vertex.base_url}/v1beta1/projects/p/locations/l/publishers/google/models/"
        "veo-3.0-fast-generate-001:predictLongRunning",
        json={"instances": [{"prompt": "x", "image": {"bytesBase64Encoded": "aGk="}}]},
    )
    assert raw.status_code == 400 and "mimeType" in raw.text


# --------------------------------------------------------------------- multimodal embeddings
@pytest.fixture
def embedder(vertex_config: VertexConfig) -> VertexMultimodalEmbedding:
    return VertexMultimodalEmbedding(vertex_config, MULTIMODAL, dimension=256)


def test_photos_and_messages_share_one_space(
    embedder: VertexMultimodalEmbedding, fake_vertex: FakeVertexServer
) -> None:
    assert isinstance(embedder, ImageEmbeddingModel)
    images = embedder.embed_images([_photo(RED), _photo(BLUE, "sneaker")])
    texts = embedder.embed_texts(["Our red enamel mug", "The blue running sneaker"])
    assert images.shape == texts.shape == (2, 256) and images.dtype == np.float32
    assert np.allclose(np.linalg.norm(images, axis=1), 1.0, atol=1e-5)
    similarity = texts @ images.T
    assert similarity[0].argmax() == 0 and similarity[1].argmax() == 1
    # One instance per request, as the service requires; deterministic vectors.
    assert fake_vertex.calls()["models"] == {f"{MULTIMODAL}:predict": 4}
    assert np.array_equal(embedder.embed_images([_photo(RED)])[0], images[0])
    assert embedder.usage.embeddings == 5


def test_a_long_message_is_cut_to_what_the_model_reads(
    embedder: VertexMultimodalEmbedding,
) -> None:
    words = " ".join(f"word{i}" for i in range(32))
    assert np.array_equal(
        embedder.embed_texts([words + " red"])[0], embedder.embed_texts([words + " blue"])[0]
    )


def test_embedding_faults_are_typed_and_retried(
    embedder: VertexMultimodalEmbedding, fake_vertex: FakeVertexServer
) -> None:
    fake_vertex.set_faults(
        Fault(route="predict", model="multimodal*", kind="error", status=429, times=2)
    )
    assert embedder.embed_texts(["red mug"]).shape == (1, 256)
    assert fake_vertex.calls("predict") == 3  # two 429s retried (three attempts in all)

    fake_vertex.set_faults(Fault(route="predict", kind="error", status=503, times=10))
    with pytest.raises(TransientModelError) as transient:
        embedder.embed_texts(["red mug"])
    assert transient.value.status_code == 503 and transient.value.status == "UNAVAILABLE"

    fake_vertex.set_faults(Fault(route="predict", kind="malformed", times=10))
    with pytest.raises(TransientModelError, match="unreadable"):
        embedder.embed_texts(["red mug"])

    fake_vertex.clear_faults()
    with pytest.raises(PermanentModelError) as refused:
        embedder.embed_images([b"GIF8 not really"])
    assert refused.value.status_code == 400


def test_wrong_sized_vectors_are_refused(vertex_config: VertexConfig) -> None:
    with pytest.raises(ValueError, match="dimension"):
        VertexMultimodalEmbedding(vertex_config, dimension=300)


def test_network_failure_is_transient() -> None:
    closed = VertexConfig(
        project="p",
        base_url="http://127.0.0.1:9",  # nothing listens on the discard port
        timeout_s=0.5,
        retry_attempts=2,
        retry_initial_delay_s=0.01,
        retry_max_delay_s=0.02,
        retry_jitter_s=0.0,
    )
    with pytest.raises(TransientModelError) as caught:
        VertexMultimodalEmbedding(closed).embed_texts(["red mug"])
    assert caught.value.status == "NETWORK"


def test_cloud_credentials_come_from_application_default_credentials(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Against Google (no local base URL) the REST call uses ADC, like the SDK: without any,
    building the model fails loudly rather than sending an unauthenticated request."""
    import google.auth
    from google.auth import exceptions as auth_errors

    def no_adc(**_: object) -> object:
        raise auth_errors.DefaultCredentialsError("no ADC here")

    monkeypatch.setattr(google.auth, "default", no_adc)
    with pytest.raises(auth_errors.DefaultCredentialsError):
        VertexMultimodalEmbedding(VertexConfig(project="p"))
