"""Multimodal embeddings on Vertex AI (`multimodalembedding@001`): images and texts in one space.

Why REST and not google-genai: the SDK's `embed_content` on Vertex sends either
`instances[].content` (text embedding models, `:predict`) or a `Content` to `:embedContent`
(gemini-embedding); neither is the `{"image": {...}}` / `{"text": ...}` instance that
multimodalembedding@001 reads, and the SDK has no other public call for it (checked in
google-genai 3.6). So this posts to the same `:predict` endpoint with the same credentials the
SDK uses (Application Default Credentials in the cloud, the static fake token against a local
fake server), with the same retry rule (408/429/5xx and network errors, exponential backoff with
jitter) and the same typed errors.

The service takes one instance per request and reads at most 32 tokens of text, so texts are cut
to 32 words; 120 requests per minute per project is its quota, which is why callers cache the
vectors of a picture (they do not change) and embed a thumbnail, not the full photo.
"""

from __future__ import annotations

import base64
import time
from typing import Any

import numpy as np
import tenacity
from google.auth.transport.requests import AuthorizedSession
from requests import exceptions as requests_errors

from adgenius.models.base import Usage
from adgenius.models.errors import ModelError, PermanentModelError, TransientModelError
from adgenius.models.vertex_client import VertexConfig, rest_credentials

_TRANSIENT_STATUS = frozenset({408, 429, 500, 502, 503, 504})
_DIMENSIONS = (128, 256, 512, 1408)
_MAX_TEXT_WORDS = 32


class VertexMultimodalEmbedding:
    """`ImageEmbeddingModel` backed by multimodalembedding@001; rows are float32, unit length."""

    def __init__(
        self,
        config: VertexConfig,
        model: str = "multimodalembedding@001",
        *,
        dimension: int = 512,
        session: AuthorizedSession | None = None,
    ) -> None:
        if dimension not in _DIMENSIONS:
            raise ValueError(f"dimension must be one of {_DIMENSIONS}")
        self._config = config
        self._model = model
        self._dimension = dimension
        self._session = session or AuthorizedSession(rest_credentials(config))
        base = config.base_url or f"https://{config.location}-aiplatform.googleapis.com"
        self._url = (
            f"{base.rstrip('/')}/v1/projects/{config.project}/locations/{config.location}"
            f"/publishers/google/models/{model}:predict"
        )
        self.usage = Usage(model=model, engine="vertex")  # accumulated over this instance's calls

    @property
    def name(self) -> str:
        return self._model

    @property
    def dimension(self) -> int:
        return self._dimension

    def embed_images(self, images: list[bytes]) -> np.ndarray:
        instances = [
            {
                "image": {
                    "bytesBase64Encoded": base64.b64encode(data).decode(),
                    "mimeType": _mime(data),
                }
            }
            for data in images
        ]
        return self._embed(instances, "imageEmbedding")

    def embed_texts(self, texts: list[str]) -> np.ndarray:
        instances = [{"text": " ".join(t.split()[:_MAX_TEXT_WORDS]) or "-"} for t in texts]
        return self._embed(instances, "textEmbedding")

    def _embed(self, instances: list[dict[str, Any]], key: str) -> np.ndarray:
        started = time.perf_counter()
        rows = [self._predict(instance, key) for instance in instances]
        self.usage.latency_ms += (time.perf_counter() - started) * 1000
        self.usage.embeddings += len(rows)
        matrix = np.asarray(rows, dtype=np.float32).reshape(len(rows), self._dimension)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return matrix / np.where(norms == 0, 1.0, norms)

    def _predict(self, instance: dict[str, Any], key: str) -> list[float]:
        body = {"instances": [instance], "parameters": {"dimension": self._dimension}}
        cfg = self._config
        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(cfg.retry_attempts),
            wait=tenacity.wait_exponential_jitter(
                initial=cfg.retry_initial_delay_s,
                max=cfg.retry_max_delay_s,
                jitter=cfg.retry_jitter_s,
            ),
            retry=tenacity.retry_if_exception(lambda e: isinstance(e, TransientModelError)),
            reraise=True,
        )
        for attempt in retrying:
            with attempt:
                payload = self._post(body)
        predictions = payload.get("predictions") or []
        vector = (
            predictions[0].get(key) if predictions and isinstance(predictions[0], dict) else None
        )
        if not isinstance(vector, list) or len(vector) != self._dimension:
            raise PermanentModelError(
                f"{self._model}: expected a {self._dimension}-dimension {key}, got "
                f"{type(vector).__name__} of {len(vector) if isinstance(vector, list) else 0}",
                model=self._model,
            )
        return [float(v) for v in vector]

    def _post(self, body: dict[str, Any]) -> dict[str, Any]:
        model = self._model
        try:
            response = self._session.post(self._url, json=body, timeout=self._config.timeout_s)
        except requests_errors.Timeout as exc:
            raise TransientModelError(
                f"{model}: timed out: {exc!r}", model=model, status="TIMEOUT"
            ) from exc
        except requests_errors.RequestException as exc:
            raise TransientModelError(
                f"{model}: network: {exc!r}", model=model, status="NETWORK"
            ) from exc
        if response.status_code >= 400:
            raise _http_error(model, response.status_code, response.text)
        try:
            payload = response.json()
        except ValueError as exc:
            raise TransientModelError(
                f"{model}: unreadable response", model=model, status="BAD_RESPONSE"
            ) from exc
        if not isinstance(payload, dict):
            raise TransientModelError(
                f"{model}: unreadable response", model=model, status="BAD_RESPONSE"
            )
        return payload


def _http_error(model: str, code: int, text: str) -> ModelError:
    status, message = None, text[:300]
    try:
        import json

        error = json.loads(text).get("error") or {}
        status, message = error.get("status"), str(error.get("message") or message)
    except (ValueError, AttributeError):
        pass
    cls = TransientModelError if code in _TRANSIENT_STATUS or code >= 500 else PermanentModelError
    return cls(
        f"{model}: HTTP {code} {status or ''} {message}".strip(),
        model=model,
        status_code=code,
        status=status,
    )


def _mime(data: bytes) -> str:
    if data.startswith(b"\x89PNG"):
        return "image/png"
    if data.startswith(b"GIF8"):
        return "image/gif"
    if data[:2] == b"BM":
        return "image/bmp"
    return "image/jpeg"
