"""Picks the model implementations from settings: the local engine or Vertex AI.

`ADGENIUS_ENGINE=local` (the embedded default) renders with Pillow/ffmpeg and writes copy with the
local engine; `ADGENIUS_ENGINE=vertex` calls Gemini, Imagen and Veo (through
`ADGENIUS_VERTEX_BASE_URL` when set, e.g. the fake Vertex server in tests).
"""

from __future__ import annotations

from functools import lru_cache

from adgenius.models.base import (
    EmbeddingModel,
    ImageEmbeddingModel,
    ImageModel,
    TextModel,
    VideoModel,
)
from adgenius.settings import Engine, get_settings


@lru_cache(maxsize=1)
def _vertex_client():  # type: ignore[no-untyped-def]
    from adgenius.models.vertex import make_client

    return make_client(_vertex_config())


def _vertex_config():  # type: ignore[no-untyped-def]
    from adgenius.models.vertex import VertexConfig

    s = get_settings()
    return VertexConfig(
        project=s.project_id,
        location=s.vertex_location,
        base_url=s.vertex_base_url,
        timeout_s=s.vertex_timeout_s,
        retry_attempts=s.vertex_retry_attempts,
        retry_initial_delay_s=0.2,
        retry_max_delay_s=2.0,
        retry_jitter_s=0.2,
    )


def engine() -> Engine:
    return get_settings().engine


def text_model() -> TextModel | None:
    """Gemini for copy in vertex mode; None means the local copy engine."""
    if engine() is Engine.LOCAL:
        return None
    from adgenius.models.vertex import VertexTextModel

    return VertexTextModel(_vertex_config(), get_settings().text_model, client=_vertex_client())


def image_model() -> ImageModel:
    if engine() is Engine.LOCAL:
        from adgenius.media.image_renderer import LocalImageModel

        return LocalImageModel()
    from adgenius.models.vertex import VertexImageModel

    s = get_settings()
    return VertexImageModel(
        _vertex_config(), s.image_model, client=_vertex_client(), recontext_model=s.recontext_model
    )


def video_model() -> VideoModel:
    if engine() is Engine.LOCAL:
        from adgenius.media.video import LocalVideoModel

        return LocalVideoModel()
    from adgenius.models.vertex import VertexVideoModel

    return VertexVideoModel(_vertex_config(), get_settings().video_model, client=_vertex_client())


def embedding_model() -> EmbeddingModel:
    if engine() is Engine.LOCAL:
        from adgenius.models.local_embedding import WordLlamaEmbedder

        return WordLlamaEmbedder()
    from adgenius.models.vertex import VertexEmbeddingModel

    return VertexEmbeddingModel(
        _vertex_config(), get_settings().embedding_model, client=_vertex_client()
    )


@lru_cache(maxsize=1)
def _image_embedder() -> ImageEmbeddingModel:
    from adgenius.models.vertex import VertexMultimodalEmbedding

    return VertexMultimodalEmbedding(_vertex_config(), get_settings().image_embedding_model)


def image_embedding_model() -> ImageEmbeddingModel | None:
    """Images and texts in one space (multimodalembedding@001) in vertex mode; None locally,
    where photos are matched to messages by their tags and captions."""
    if engine() is Engine.LOCAL:
        return None
    return _image_embedder()


def reset() -> None:
    _vertex_client.cache_clear()
    _image_embedder.cache_clear()
