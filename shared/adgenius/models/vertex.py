"""Google model providers (google-genai in Vertex mode), one import for generation.engines.

config = VertexConfig(project="my-project", location="us-central1")
client = make_client(config)  # share one HTTP client between the four models
text = VertexTextModel(config, "gemini-2.5-flash", client=client)
image = VertexImageModel(config, "imagen-4.0-generate-001", client=client)
video = VertexVideoModel(config, "veo-3.0-fast-generate-001", client=client)
embed = VertexEmbeddingModel(config, "text-embedding-005", dimension=768, client=client)
pictures = VertexMultimodalEmbedding(config)  # multimodalembedding@001 over REST
"""

from adgenius.models.errors import (
    MalformedOutputError,
    ModelError,
    OperationFailedError,
    PermanentModelError,
    TransientModelError,
)
from adgenius.models.vertex_client import VertexConfig, classify, make_client
from adgenius.models.vertex_embedding import VertexEmbeddingModel
from adgenius.models.vertex_image import VertexImageModel
from adgenius.models.vertex_multimodal import VertexMultimodalEmbedding
from adgenius.models.vertex_text import VertexTextModel
from adgenius.models.vertex_video import VertexVideoModel

__all__ = [
    "MalformedOutputError",
    "ModelError",
    "OperationFailedError",
    "PermanentModelError",
    "TransientModelError",
    "VertexConfig",
    "VertexEmbeddingModel",
    "VertexImageModel",
    "VertexMultimodalEmbedding",
    "VertexTextModel",
    "VertexVideoModel",
    "classify",
    "make_client",
]
