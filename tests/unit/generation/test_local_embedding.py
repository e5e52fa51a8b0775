from __future__ import annotations

import numpy as np

from adgenius.models import local_embedding
from adgenius.models.base import EmbeddingModel
from adgenius.models.local_embedding import WordLlamaEmbedder


def test_implements_protocol_with_normalised_float32_rows(embedder) -> None:
    assert isinstance(embedder, EmbeddingModel)
    vectors = embedder.embed(["trail running shoes", "日本語の広告", "😀 emoji", ""])
    assert vectors.dtype == np.float32 and vectors.shape == (4, embedder.dimension) == (4, 256)
    norms = np.linalg.norm(vectors, axis=1)
    assert np.allclose(norms[:3], 1.0, atol=1e-5)
    assert norms[3] == 0.0  # nothing to embed: zero row, not NaN
    assert embedder.embed([]).shape == (0, 256)
    assert embedder.name == "wordllama/l2_supercat-256"


def test_semantics_and_process_cache(embedder) -> None:
    a, b, c = embedder.embed(["running shoes", "trail sneakers", "mortgage rates"])
    assert float(a @ b) > float(a @ c)
    WordLlamaEmbedder().embed(["x"])
    WordLlamaEmbedder().embed(["y"])
    assert list(local_embedding._MODELS) == [("l2_supercat", 256)]  # loaded once per process
