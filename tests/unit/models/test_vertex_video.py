"""VertexVideoModel (Veo) against the fake Vertex AI server, through the real SDK."""

from __future__ import annotations

from pathlib import Path

import imageio_ffmpeg
import pytest
from google import genai

from adgenius.models.base import Outcome, VideoModel, VideoOperation
from adgenius.models.vertex import (
    OperationFailedError,
    PermanentModelError,
    TransientModelError,
    VertexConfig,
    VertexVideoModel,
)
from adgenius.testing.fake_vertex import FakeVertexServer
from adgenius.testing.faults import Fault

pytestmark = pytest.mark.timeout(30)
START, FETCH = "predictLongRunning", "fetchPredictOperation"


@pytest.fixture
def video_model(
    patient_vertex_config: VertexConfig, patient_vertex_client: genai.Client
) -> VertexVideoModel:
    # Patient: the fake server encodes a real MP4 when an operation is done.
    return VertexVideoModel(
        patient_vertex_config, "veo-3.0-fast-generate-001", client=patient_vertex_client
    )


@pytest.fixture
def impatient_video_model(
    vertex_config: VertexConfig, vertex_client: genai.Client
) -> VertexVideoModel:
    """The suite's short timeout, for the tests of what a timeout does."""
    return VertexVideoModel(vertex_config, "veo-3.0-fast-generate-001", client=vertex_client)


def _poll_until_done(model: VertexVideoModel, op: VideoOperation, limit: int = 5) -> VideoOperation:
    for _ in range(limit):
        op = model.poll(op)
        if op.done:
            return op
    raise AssertionError("operation never finished")


def test_satisfies_the_video_model_protocol(video_model: VertexVideoModel) -> None:
    assert isinstance(video_model, VideoModel)


def test_start_returns_at_once_and_each_poll_is_one_request(
    video_model: VertexVideoModel, fake_vertex: FakeVertexServer, tmp_path: Path
) -> None:
    op = video_model.start("a dog surfing", aspect_ratio="9:16", duration_s=4, seed=1)

    assert not op.done and op.name.endswith(op.name.rsplit("/", 1)[-1])
    assert "/operations/" in op.name and op.duration_s == 4
    assert fake_vertex.calls(START) == 1 and fake_vertex.calls(FETCH) == 0

    # The pipeline stores the operation in a task payload between polls.
    op = VideoOperation.model_validate_json(op.model_dump_json())
    op = video_model.poll(op)
    assert not op.done and fake_vertex.calls(FETCH) == 1
    assert op.usage.video_seconds == 0

    op = video_model.poll(op)
    assert op.done and op.outcome is Outcome.OK and fake_vertex.calls(FETCH) == 2
    assert op.video is not None and op.video[4:8] == b"ftyp"  # an MP4 container
    assert op.usage.video_seconds == 4.0 and op.usage.model == "veo-3.0-fast-generate-001"

    clip = tmp_path / "clip.mp4"
    clip.write_bytes(op.video)
    _frames, seconds = imageio_ffmpeg.count_frames_and_secs(str(clip))
    assert seconds == pytest.approx(4.0, abs=0.5)


def test_poll_of_a_finished_operation_sends_nothing(
    video_model: VertexVideoModel, fake_vertex: FakeVertexServer
) -> None:
    done = _poll_until_done(video_model, video_model.start("a cat", duration_s=4))
    calls = fake_vertex.calls(FETCH)

    assert video_model.poll(done) == done
    assert fake_vertex.calls(FETCH) == calls


def test_gcs_output_is_returned_as_a_uri(
    vertex_config: VertexConfig, vertex_client: genai.Client
) -> None:
    model = VertexVideoModel(vertex_config, client=vertex_client, output_gcs_uri="gs://b/t1/")

    op = _poll_until_done(model, model.start("a cat", duration_s=4))

    assert op.video is None and op.video_uri == "gs://b/t1/sample_0.mp4"


def test_429_at_start_is_retried(
    video_model: VertexVideoModel, fake_vertex: FakeVertexServer
) -> None:
    fake_vertex.set_faults(Fault(route=START, kind="error", status=429, times=1))

    op = video_model.start("retry me", duration_s=4)

    assert not op.done and fake_vertex.calls(START) == 2


def test_persistent_quota_error_at_start_is_transient_after_all_attempts(
    video_model: VertexVideoModel, vertex_config: VertexConfig, fake_vertex: FakeVertexServer
) -> None:
    fake_vertex.set_faults(Fault(route=START, kind="error", status=429))

    with pytest.raises(TransientModelError) as caught:
        video_model.start("failing")

    assert caught.value.status_code == 429
    assert fake_vertex.calls(START) == vertex_config.retry_attempts


def test_start_is_not_blindly_retried_when_an_operation_may_exist(
    impatient_video_model: VertexVideoModel,
    vertex_config: VertexConfig,
    fake_vertex: FakeVertexServer,
) -> None:
    video_model = impatient_video_model
    # A 500 or a timeout may come after the operation was created: retrying could pay twice.
    fake_vertex.set_faults(Fault(route=START, kind="error", status=500))
    with pytest.raises(TransientModelError) as server_error:
        video_model.start("maybe started")
    assert server_error.value.status_code == 500
    assert fake_vertex.calls(START) == 1

    fake_vertex.reset()
    fake_vertex.set_faults(Fault(route=START, kind="delay", delay_s=vertex_config.timeout_s + 1))
    with pytest.raises(TransientModelError) as timeout:
        video_model.start("maybe started")
    assert timeout.value.status == "TIMEOUT"
    assert fake_vertex.calls(START) == 1


def test_polls_are_retried_by_the_sdk(
    video_model: VertexVideoModel, fake_vertex: FakeVertexServer
) -> None:
    op = video_model.start("a cat", duration_s=4)
    fake_vertex.set_faults(Fault(route=FETCH, kind="error", status=500, times=2))

    assert not video_model.poll(op).done
    assert fake_vertex.calls(FETCH) == 3


def test_unreadable_poll_response_is_transient(
    video_model: VertexVideoModel, fake_vertex: FakeVertexServer
) -> None:
    op = video_model.start("a cat", duration_s=4)
    fake_vertex.set_faults(Fault(route=FETCH, kind="malformed"))

    with pytest.raises(TransientModelError) as caught:
        video_model.poll(op)

    assert caught.value.status == "BAD_RESPONSE"


def test_persistent_429_while_polling_is_transient_and_the_operation_survives(
    video_model: VertexVideoModel, vertex_config: VertexConfig, fake_vertex: FakeVertexServer
) -> None:
    op = video_model.start("a cat", duration_s=4)
    fake_vertex.set_faults(Fault(route=FETCH, kind="error", status=429))

    with pytest.raises(TransientModelError):
        video_model.poll(op)
    assert fake_vertex.calls(FETCH) == vertex_config.retry_attempts

    fake_vertex.clear_faults()
    assert _poll_until_done(video_model, op).outcome is Outcome.OK


def test_slow_poll_beyond_timeout_is_transient(
    impatient_video_model: VertexVideoModel,
    vertex_config: VertexConfig,
    fake_vertex: FakeVertexServer,
) -> None:
    video_model = impatient_video_model
    op = video_model.start("a cat", duration_s=4)
    fake_vertex.set_faults(Fault(route=FETCH, kind="delay", delay_s=vertex_config.timeout_s + 1))

    with pytest.raises(TransientModelError) as caught:
        video_model.poll(op)

    assert caught.value.status == "TIMEOUT"


def test_unknown_operation_is_permanent(video_model: VertexVideoModel) -> None:
    op = video_model.start("a cat", duration_s=4)
    lost = op.model_copy(update={"name": op.name.rsplit("/", 1)[0] + "/does-not-exist"})

    with pytest.raises(PermanentModelError) as caught:
        video_model.poll(lost)

    assert caught.value.status_code == 404


def test_filtered_video_is_a_safety_outcome(
    video_model: VertexVideoModel, fake_vertex: FakeVertexServer
) -> None:
    fake_vertex.set_faults(Fault(route=START, kind="safety", reason="58061214: child safety"))

    op = _poll_until_done(video_model, video_model.start("unsafe", duration_s=4))

    assert op.outcome is Outcome.SAFETY_BLOCKED and op.block_reason == "58061214: child safety"
    assert op.video is None and op.usage.video_seconds == 0


@pytest.mark.parametrize(("status", "retryable"), [(500, True), (429, True), (400, False)])
def test_operation_that_finishes_with_an_error_raises_operation_failed(
    video_model: VertexVideoModel, fake_vertex: FakeVertexServer, status: int, retryable: bool
) -> None:
    op = video_model.start("a cat", duration_s=4)
    fake_vertex.set_faults(Fault(route=FETCH, kind="operation_error", status=status, reason="boom"))

    with pytest.raises(OperationFailedError) as caught:
        _poll_until_done(video_model, op)

    assert caught.value.retryable is retryable
    assert caught.value.operation == op.name and "boom" in str(caught.value)


def test_start_and_poll_do_not_wait_for_the_video(
    video_model: VertexVideoModel, fake_vertex: FakeVertexServer
) -> None:
    op = video_model.poll(video_model.start("quick", duration_s=4))
    assert not op.done  # the poll answered while the video was still being made
