"""Interfaces of the model layer.

Every capability the generation engine needs is one small protocol here. The Google
implementations (google-genai in Vertex mode) and the local engine both satisfy them, and the
factory picks one from settings, so callers never import a concrete provider.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel, Field


class Outcome(StrEnum):
    """How a model call ended. A safety block is an outcome, not an exception."""

    OK = "ok"
    SAFETY_BLOCKED = "safety_blocked"


class Usage(BaseModel):
    """What one model call consumed; recorded on every creative and in tenant usage."""

    model: str
    engine: str  # "vertex" or "local"
    latency_ms: float = 0.0
    input_tokens: int = 0
    output_tokens: int = 0
    images: int = 0
    video_seconds: float = 0.0
    embeddings: int = 0


class TextResult(BaseModel):
    outcome: Outcome = Outcome.OK
    text: str = ""
    parsed: Any = None  # the validated object when a response schema was given
    block_reason: str | None = None
    usage: Usage


class ImageResult(BaseModel):
    outcome: Outcome = Outcome.OK
    images: list[bytes] = Field(default_factory=list)  # encoded PNG/JPEG bytes
    mime_type: str = "image/png"
    block_reason: str | None = None
    usage: Usage


class VideoOperation(BaseModel):
    """A long-running video generation: started once, polled with delayed tasks."""

    name: str
    done: bool = False
    outcome: Outcome = Outcome.OK
    video: bytes | None = None  # MP4 bytes when done and returned inline
    video_uri: str | None = None  # gs:// uri when the service stored it
    block_reason: str | None = None
    # Requested clip length, carried from start() to poll() so usage can bill video seconds.
    duration_s: int | None = None
    usage: Usage


@runtime_checkable
class TextModel(Protocol):
    def generate(
        self,
        prompt: str,
        *,
        system: str | None = None,
        response_schema: type[BaseModel] | None = None,
        temperature: float = 0.7,
        seed: int | None = None,
    ) -> TextResult: ...


@runtime_checkable
class ImageModel(Protocol):
    def generate(
        self,
        prompt: str,
        *,
        aspect_ratio: str = "1:1",
        count: int = 1,
        seed: int | None = None,
    ) -> ImageResult: ...


@runtime_checkable
class VideoModel(Protocol):
    def start(
        self,
        prompt: str,
        *,
        aspect_ratio: str = "16:9",
        duration_s: int = 8,
        seed: int | None = None,
    ) -> VideoOperation: ...

    def poll(self, operation: VideoOperation) -> VideoOperation: ...


@runtime_checkable
class ProductImageModel(Protocol):
    """An image model that places the brand's own product photos in a new scene."""

    def recontext(
        self,
        prompt: str,
        product_images: list[bytes],
        *,
        count: int = 1,
        seed: int | None = None,
    ) -> ImageResult: ...


@runtime_checkable
class ImageToVideoModel(Protocol):
    """A video model whose clip can start from a given picture (the brand's photo)."""

    def start_from_image(
        self,
        prompt: str,
        image: bytes,
        *,
        mime_type: str = "image/png",
        aspect_ratio: str = "16:9",
        duration_s: int = 8,
        seed: int | None = None,
    ) -> VideoOperation: ...


@runtime_checkable
class ImageEmbeddingModel(Protocol):
    """Images and texts embedded in one space (L2-normalised float32 rows), so a message can be
    matched with the pictures that show it."""

    @property
    def name(self) -> str: ...

    def embed_images(self, images: list[bytes]) -> Any: ...  # numpy.ndarray (n, dimension)

    def embed_texts(self, texts: list[str]) -> Any: ...


@runtime_checkable
class EmbeddingModel(Protocol):
    """Text embeddings, L2-normalised float32 rows."""

    @property
    def dimension(self) -> int: ...

    @property
    def name(self) -> str: ...

    def embed(self, texts: list[str]) -> Any:  # numpy.ndarray of shape (len(texts), dimension)
        ...
