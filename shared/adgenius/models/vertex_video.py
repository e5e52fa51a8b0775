"""Veo video generation on Vertex AI as a long-running operation.

`start()` sends `:predictLongRunning` and returns at once; `poll()` sends one
`:fetchPredictOperation` and returns. Neither sleeps: the pipeline re-polls from delayed tasks,
so a function instance is never held for the minutes a clip takes.

Starting is not idempotent: a start that timed out or failed with 500 may still have created an
operation, and a blind retry would pay for a second clip. So `start()` switches the SDK's retries
off and retries only answers that say the request was not accepted (429, 503); everything else
surfaces at once as a typed error and the pipeline decides.
"""

from __future__ import annotations

import time

import tenacity
from google import genai
from google.genai import types

from adgenius.models.base import Outcome, Usage, VideoOperation
from adgenius.models.errors import ModelError, OperationFailedError
from adgenius.models.vertex_client import VertexConfig, VertexModel, translate_errors

# gRPC codes for which a fresh operation may succeed: DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED,
# ABORTED, INTERNAL, UNAVAILABLE.
_RETRYABLE_OPERATION_CODES = frozenset({4, 8, 10, 13, 14})
# HTTP answers to a start request that guarantee no operation was created.
_NOT_ACCEPTED_STATUS = frozenset({429, 503})


class VertexVideoModel(VertexModel):
    """`VideoModel` backed by Veo.

    `poll()` raises `TransientModelError`/`PermanentModelError` when the poll request itself
    fails (poll again later / give up), and `OperationFailedError` when the operation finished
    with an error (start a new one if `.retryable`).
    """

    def __init__(
        self,
        config: VertexConfig,
        model: str = "veo-3.0-fast-generate-001",
        *,
        client: genai.Client | None = None,
        output_gcs_uri: str | None = None,
        generate_audio: bool | None = None,
    ) -> None:
        super().__init__(config, model, client)
        self._config = config
        self._output_gcs_uri = output_gcs_uri  # when set, Veo writes there instead of inline
        self._generate_audio = generate_audio  # Veo 3 only; None leaves the service default

    def start(
        self,
        prompt: str,
        *,
        aspect_ratio: str = "16:9",
        duration_s: int = 8,
        seed: int | None = None,
    ) -> VideoOperation:
        return self._start(
            types.GenerateVideosSource(prompt=prompt), aspect_ratio, duration_s, seed
        )

    def start_from_image(
        self,
        prompt: str,
        image: bytes,
        *,
        mime_type: str = "image/png",
        aspect_ratio: str = "16:9",
        duration_s: int = 8,
        seed: int | None = None,
    ) -> VideoOperation:
        """Image-to-video: the clip starts from `image` (the brand's photo) and moves as
        `prompt` says. The image should already have the clip's aspect ratio: Veo pads or crops
        one that does not, where our `scene_still` keeps the subject whole."""
        if mime_type not in ("image/png", "image/jpeg"):
            raise ValueError("Veo takes a PNG or JPEG first frame")
        source = types.GenerateVideosSource(
            prompt=prompt, image=types.Image(image_bytes=image, mime_type=mime_type)
        )
        return self._start(source, aspect_ratio, duration_s, seed)

    def _start(
        self,
        source: types.GenerateVideosSource,
        aspect_ratio: str,
        duration_s: int,
        seed: int | None,
    ) -> VideoOperation:
        config = types.GenerateVideosConfig(
            aspect_ratio=aspect_ratio,
            duration_seconds=duration_s,
            seed=seed,
            number_of_videos=1,
            output_gcs_uri=self._output_gcs_uri,
            generate_audio=self._generate_audio,
            # No SDK-level retries for this request; see the module docstring.
            http_options=types.HttpOptions(retry_options=types.HttpRetryOptions(attempts=1)),
        )
        started = time.perf_counter()
        for attempt in self._start_retrying():
            with attempt, translate_errors(self._model):
                operation = self._client.models.generate_videos(
                    model=self._model, source=source, config=config
                )
        usage = Usage(
            model=self._model, engine="vertex", latency_ms=(time.perf_counter() - started) * 1000
        )
        pending = VideoOperation(name=operation.name or "", duration_s=duration_s, usage=usage)
        return _apply(pending, operation, usage)

    def _start_retrying(self) -> tenacity.Retrying:
        cfg = self._config
        return tenacity.Retrying(
            stop=tenacity.stop_after_attempt(cfg.retry_attempts),
            wait=tenacity.wait_exponential_jitter(
                initial=cfg.retry_initial_delay_s,
                max=cfg.retry_max_delay_s,
                jitter=cfg.retry_jitter_s,
            ),
            retry=tenacity.retry_if_exception(
                lambda e: isinstance(e, ModelError) and e.status_code in _NOT_ACCEPTED_STATUS
            ),
            reraise=True,
        )

    def poll(self, operation: VideoOperation) -> VideoOperation:
        if operation.done:
            return operation
        model = operation.usage.model or self._model
        started = time.perf_counter()
        with translate_errors(model):
            current = self._client.operations.get(
                # `name` comes from the `Operation` mixin, which the pydantic plugin does not see.
                types.GenerateVideosOperation(name=operation.name)  # type: ignore[call-arg]
            )
        usage = Usage(
            model=model, engine="vertex", latency_ms=(time.perf_counter() - started) * 1000
        )
        return _apply(operation, current, usage)


def _apply(
    previous: VideoOperation, current: types.GenerateVideosOperation, usage: Usage
) -> VideoOperation:
    """The caller's operation updated with what the service reported."""
    if not current.done:
        return previous.model_copy(update={"usage": usage})
    if current.error:
        code = current.error.get("code")
        raise OperationFailedError(
            f"{usage.model}: video operation failed: {current.error.get('message', current.error)}",
            model=usage.model,
            operation=previous.name,
            code=code,
            retryable=code in _RETRYABLE_OPERATION_CODES,
        )
    response = current.response or current.result
    videos = [v.video for v in (response.generated_videos if response else None) or [] if v.video]
    if not videos:
        reasons = (response.rai_media_filtered_reasons if response else None) or []
        return previous.model_copy(
            update={
                "done": True,
                "outcome": Outcome.SAFETY_BLOCKED,
                "block_reason": "; ".join(reasons) or "video filtered (no reason given)",
                "usage": usage,
            }
        )
    video = videos[0]
    usage.video_seconds = float(previous.duration_s or 0)
    return previous.model_copy(
        update={
            "done": True,
            "video": video.video_bytes,
            "video_uri": video.uri,
            "usage": usage,
        }
    )
