"""Offline text embeddings with WordLlama (19 MB static embeddings shipped inside the wheel).

The weights are loaded from the installed package directory with downloads disabled, so this
never touches the network; the loaded model is cached once per process (loading takes ~0.15 s).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np

_LOCK = threading.Lock()
_MODELS: dict[tuple[str, int], Any] = {}


def _load(config: str, dim: int) -> Any:
    with _LOCK:
        key = (config, dim)
        if key not in _MODELS:
            import wordllama
            from wordllama import WordLlama

            _MODELS[key] = WordLlama.load(
                config=config,
                cache_dir=Path(wordllama.__file__).parent,
                dim=dim,
                disable_download=True,
            )
        return _MODELS[key]


class WordLlamaEmbedder:
    """``EmbeddingModel`` backed by WordLlama; rows are L2-normalised float32."""

    def __init__(self, config: str = "l2_supercat", dim: int = 256) -> None:
        self._config = config
        self._dim = dim

    @property
    def dimension(self) -> int:
        return self._dim

    @property
    def name(self) -> str:
        return f"wordllama/{self._config}-{self._dim}"

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self._dim), dtype=np.float32)
        raw = np.asarray(_load(self._config, self._dim).embed(list(texts)), dtype=np.float32)
        norms = np.linalg.norm(raw, axis=1, keepdims=True)
        # Texts with no known tokens embed to zero; keep them zero instead of dividing by 0.
        return np.divide(raw, norms, out=np.zeros_like(raw), where=norms > 0)
