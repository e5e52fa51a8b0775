"""Text embeddings on Vertex AI (`text-embedding-005` via `:predict`, or `gemini-embedding-*`)."""

from __future__ import annotations

import time

import numpy as np
from google import genai
from google.genai import types

from adgenius.models.base import Usage
from adgenius.models.errors import PermanentModelError
from adgenius.models.vertex_client import VertexConfig, VertexModel, translate_errors

# text-embedding-00x accepts up to 250 texts per request (and ~20k tokens); stay well below.
_DEFAULT_BATCH = 100


class VertexEmbeddingModel(VertexModel):
    """`EmbeddingModel` backed by Vertex text embeddings; rows are float32 and L2-normalised.

    `task_type` (e.g. "RETRIEVAL_DOCUMENT", "RETRIEVAL_QUERY") is fixed per instance: build one
    instance per use if both are needed. `gemini-embedding-*` models take one text per request.
    """

    def __init__(
        self,
        config: VertexConfig,
        model: str = "text-embedding-005",
        *,
        dimension: int = 768,
        task_type: str | None = None,
        batch_size: int | None = None,
        client: genai.Client | None = None,
    ) -> None:
        super().__init__(config, model, client)
        self._dimension = dimension
        self._task_type = task_type
        default_batch = 1 if model.startswith("gemini-embedding") else _DEFAULT_BATCH
        self._batch_size = batch_size or default_batch

    @property
    def dimension(self) -> int:
        return self._dimension

    def embed(self, texts: list[str]) -> np.ndarray:
        return self.embed_with_usage(texts)[0]

    def embed_with_usage(self, texts: list[str]) -> tuple[np.ndarray, Usage]:
        """Embeddings plus what they cost (`embeddings` rows, `input_tokens`, latency)."""
        usage = Usage(model=self._model, engine="vertex")
        if not texts:
            return np.zeros((0, self._dimension), dtype=np.float32), usage
        config = types.EmbedContentConfig(
            output_dimensionality=self._dimension, task_type=self._task_type
        )
        started = time.perf_counter()
        rows: list[list[float]] = []
        for start in range(0, len(texts), self._batch_size):
            batch = texts[start : start + self._batch_size]
            with translate_errors(self._model):
                response = self._client.models.embed_content(
                    model=self._model,
                    contents=batch,  # type: ignore[arg-type]  # list[str] is valid; stub is invariant
                    config=config,
                )
            for item in response.embeddings or []:
                rows.append(list(item.values or []))
                if item.statistics is not None and item.statistics.token_count:
                    usage.input_tokens += int(item.statistics.token_count)
        usage.latency_ms = (time.perf_counter() - started) * 1000
        matrix = np.asarray(rows, dtype=np.float32)
        if matrix.shape != (len(texts), self._dimension):
            raise PermanentModelError(
                f"{self._model}: expected {(len(texts), self._dimension)} embeddings, "
                f"got {matrix.shape}",
                model=self._model,
            )
        # Normalise ourselves: the interface promises unit rows whatever the service returns.
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        matrix /= np.where(norms == 0, 1.0, norms)
        usage.embeddings = len(texts)
        return matrix, usage
