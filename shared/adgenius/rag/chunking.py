"""Turning brand documents and creatives into the texts that get embedded."""

from __future__ import annotations

from typing import Any

from adgenius.rag.document_text import PDF, extract, markdown_to_text

# Brand documents are embedded in windows of about this many words; consecutive windows share
# OVERLAP words so a sentence cut at a boundary is still whole in one of them.
CHUNK_WORDS = 120
OVERLAP_WORDS = 30


def chunk_text(text: str, size: int = CHUNK_WORDS, overlap: int = OVERLAP_WORDS) -> list[str]:
    """Split on whitespace into windows of `size` words, each sharing `overlap` with the last."""
    if size <= 0 or not 0 <= overlap < size:
        raise ValueError("need size > 0 and 0 <= overlap < size")
    words = text.split()
    if not words:
        return []
    step = size - overlap
    chunks = []
    for start in range(0, len(words), step):
        chunks.append(" ".join(words[start : start + size]))
        if start + size >= len(words):
            break
    return chunks


def pdf_to_text(data: bytes) -> str:
    """Text of a PDF within `document_text.LIMITS` (raises `document_text.Unreadable`)."""
    return extract(data, PDF).text


def document_text(data: bytes | str, mime_type: str) -> str:
    """Plain text of a brand document: text/plain, text/markdown or application/pdf."""
    if mime_type == "application/pdf":
        if isinstance(data, str):
            raise TypeError("a PDF must be given as bytes")
        return pdf_to_text(data)
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    if mime_type in ("text/markdown", "text/x-markdown"):
        return markdown_to_text(text)
    if mime_type.startswith("text/"):
        return text
    raise ValueError(f"unsupported document type {mime_type!r}")


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value if v]


def creative_text(creative: dict[str, Any]) -> str:
    """The text that represents a creative in vector space, by kind.

    copy: headlines, descriptions and primary text; image: prompt and caption; video: script
    (plus its title/prompt when present). Unknown fields are ignored on purpose so that ids,
    URLs and metrics never end up in the embedding.
    """
    content = creative.get("content") or {}
    kind = creative.get("kind")
    keys: tuple[str, ...]
    if kind == "copy":
        keys = ("headlines", "headline", "primary_text", "descriptions", "description", "cta")
    elif kind == "image":
        keys = ("prompt", "caption", "alt_text", "headline")
    elif kind == "video":
        keys = ("title", "prompt", "script", "voiceover", "caption")
    else:
        raise ValueError(f"unknown creative kind {kind!r}")
    parts: list[str] = []
    for key in keys:
        value = content.get(key)
        if isinstance(value, list) and value and isinstance(value[0], dict):
            # Scripts may be a list of scenes like {"text": ..., "visual": ...}.
            parts.extend(str(v) for scene in value for v in scene.values() if isinstance(v, str))
        else:
            parts.extend(_as_list(value))
    return "\n".join(p.strip() for p in parts if p.strip())
