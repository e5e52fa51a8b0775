"""Deterministic stand-in content for the fake Vertex AI server.

Everything is a pure function of the request (prompt, seed, schema), so tests and local runs get
the same bytes every time: text, JSON that satisfies a response schema, PNG images of the
requested aspect ratio, a real H.264 MP4, and hashed bag-of-words embeddings (texts sharing words
end up close, which is enough for retrieval tests).
"""

from __future__ import annotations

import functools
import hashlib
import io
import math
import random
import re
from typing import Any

import numpy as np
from PIL import Image

_WORDS = (
    "bright",
    "bold",
    "fresh",
    "smart",
    "simple",
    "fast",
    "clear",
    "warm",
    "modern",
    "trusted",
    "new",
    "easy",
    "daily",
    "local",
    "premium",
    "friendly",
    "natural",
    "clean",
    "vivid",
    "honest",
    "quick",
    "lasting",
    "calm",
    "brave",
    "open",
    "ready",
    "save",
    "shop",
    "discover",
    "try",
    "enjoy",
    "build",
    "grow",
    "launch",
    "explore",
    "create",
    "style",
    "comfort",
    "quality",
    "value",
    "offer",
    "deal",
    "brand",
    "team",
    "home",
    "coffee",
    "garden",
    "travel",
    "fitness",
    "tech",
    "studio",
    "market",
)

# Output sizes Imagen 3/4 produce for each aspect ratio.
_IMAGE_SIZES = {
    "1:1": (1024, 1024),
    "3:4": (896, 1280),
    "4:3": (1280, 896),
    "9:16": (768, 1408),
    "16:9": (1408, 768),
}
_VIDEO_SIZES = {"16:9": (320, 180), "9:16": (180, 320), "1:1": (240, 240)}


def rng_for(*parts: Any) -> random.Random:
    """A random generator seeded from the request, so answers are reproducible."""
    digest = hashlib.sha256("\x1f".join(repr(p) for p in parts).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def sentence(rng: random.Random, n_words: int) -> str:
    words = [rng.choice(_WORDS) for _ in range(max(1, n_words))]
    return " ".join(words).capitalize()


def count_tokens(text: str) -> int:
    """Rough token count (Gemini averages ~4 characters per token)."""
    return max(1, math.ceil(len(text) / 4)) if text else 0


def text_reply(prompt: str, system: str, seed: Any) -> str:
    rng = rng_for("text", prompt, system, seed)
    return ". ".join(sentence(rng, rng.randint(5, 10)) for _ in range(rng.randint(2, 3))) + "."


# ---------------------------------------------------------------- JSON from a response schema
def json_for_schema(schema: dict[str, Any], prompt: str, seed: Any) -> Any:
    """A value satisfying `schema`.

    Accepts both shapes the SDK sends: JSON Schema (`responseJsonSchema`: lower-case types,
    `$ref`/`$defs`, `anyOf`, `maxLength`) and Vertex's OpenAPI subset (`responseSchema`:
    upper-case types, `nullable`, snake-case `max_length`).
    """
    rng = rng_for("json", prompt, seed)
    return _value(schema, schema.get("$defs") or schema.get("definitions") or {}, rng, 0)


def _get(schema: dict[str, Any], camel: str) -> Any:
    snake = re.sub(r"([A-Z])", lambda m: "_" + m.group(1).lower(), camel)
    return schema.get(camel, schema.get(snake))


def _value(schema: dict[str, Any], defs: dict[str, Any], rng: random.Random, depth: int) -> Any:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return _value(defs[name], defs, rng, depth + 1)
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return rng.choice(schema["enum"])
    for key in ("anyOf", "any_of", "oneOf", "one_of"):
        if schema.get(key):
            options = [s for s in schema[key] if str(s.get("type", "")).lower() != "null"]
            return _value((options or schema[key])[0], defs, rng, depth + 1)
    kind = schema.get("type", "object" if "properties" in schema else "string")
    if isinstance(kind, list):  # JSON Schema allows ["string", "null"]
        kind = next((k for k in kind if k != "null"), "null")
    kind = str(kind).lower()
    if kind == "object":
        props: dict[str, Any] = schema.get("properties", {})
        # Fill every property, not only required ones, so callers see realistic objects.
        return {name: _value(sub, defs, rng, depth + 1) for name, sub in props.items()}
    if kind == "array":
        lo = int(_get(schema, "minItems") or 0)
        hi = _get(schema, "maxItems")
        n = max(lo, min(int(hi) if hi is not None else 3, 3))
        item = schema.get("items", {"type": "string"})
        return [_value(item, defs, rng, depth + 1) for _ in range(n)]
    if kind in ("integer", "number"):
        lo = _get(schema, "minimum")
        hi = _get(schema, "maximum")
        lo_v = float(lo) if lo is not None else 0.0
        hi_v = float(hi) if hi is not None else max(lo_v, 0.0) + 100.0
        if kind == "integer":
            return rng.randint(math.ceil(lo_v), math.floor(hi_v))
        return round(rng.uniform(lo_v, hi_v), 3)
    if kind == "boolean":
        return rng.random() < 0.5
    if kind == "null":
        return None
    return _string(schema, rng)


def _string(schema: dict[str, Any], rng: random.Random) -> str:
    max_len = _get(schema, "maxLength")
    min_len = int(_get(schema, "minLength") or 0)
    text = sentence(rng, rng.randint(2, 6))
    if max_len is not None:
        text = text[: int(max_len)].rstrip() or text[: int(max_len)]
    while len(text) < min_len:
        text += " " + rng.choice(_WORDS)
    return text[: int(max_len)] if max_len is not None else text


# ---------------------------------------------------------------- images
def image_size(aspect_ratio: str, scale: float = 1.0) -> tuple[int, int]:
    if aspect_ratio in _IMAGE_SIZES:
        width, height = _IMAGE_SIZES[aspect_ratio]
    else:
        w, h = (float(x) for x in aspect_ratio.split(":"))
        width, height = 1024, max(16, round(1024 * h / w))
    return max(8, round(width * scale)), max(8, round(height * scale))


def png_image(prompt: str, aspect_ratio: str, seed: Any, index: int, scale: float = 1.0) -> bytes:
    """A diagonal two-colour gradient PNG whose colours come from the prompt.

    `scale` shrinks the Imagen-sized canvas (tests use 0.25 to keep encoding cheap).
    """
    width, height = image_size(aspect_ratio, scale)
    rng = rng_for("image", prompt, seed, index)
    c0 = np.array([rng.randint(0, 255) for _ in range(3)], dtype=np.float32)
    c1 = np.array([rng.randint(0, 255) for _ in range(3)], dtype=np.float32)
    xs = np.linspace(0.0, 1.0, width, dtype=np.float32)[None, :]
    ys = np.linspace(0.0, 1.0, height, dtype=np.float32)[:, None]
    t = ((xs + ys) / 2.0)[..., None]
    pixels = (c0 * (1.0 - t) + c1 * t).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels, "RGB").save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


# ---------------------------------------------------------------- video
@functools.lru_cache(maxsize=16)
def mp4_video(aspect_ratio: str, duration_s: int, still: bytes | None = None) -> bytes:
    """A real small H.264 MP4 (cached: encoding takes a few hundred ms).

    With `still` (Veo image-to-video) every frame is that picture, contained in the frame, with
    a moving bar along the bottom edge, so a test can find the picture in the clip."""
    import os
    import tempfile

    import imageio_ffmpeg

    width, height = _VIDEO_SIZES.get(aspect_ratio, _VIDEO_SIZES["16:9"])
    fps = 8
    frames = max(1, int(duration_s * fps))
    base = np.zeros((height, width, 3), dtype=np.uint8)
    if still is not None:
        with Image.open(io.BytesIO(still)) as opened:
            picture = opened.convert("RGB")
        picture.thumbnail((width, height))
        canvas = Image.new("RGB", (width, height))
        canvas.paste(picture, ((width - picture.width) // 2, (height - picture.height) // 2))
        base = np.asarray(canvas, dtype=np.uint8).copy()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "clip.mp4")
        writer = imageio_ffmpeg.write_frames(
            path,
            (width, height),
            fps=fps,
            codec="libx264",
            pix_fmt_out="yuv420p",
            macro_block_size=2,
            ffmpeg_log_level="error",
            output_params=["-preset", "ultrafast"],
        )
        writer.send(None)  # prime the generator
        for i in range(frames):
            frame = base.copy()
            bar = (i * width) // frames
            if still is None:
                frame[..., 0] = (i * 255) // frames
                frame[:, bar : bar + 8, 1] = 255
            else:
                frame[-8:, bar : bar + 8] = 255
            writer.send(frame.tobytes())
        writer.close()
        with open(path, "rb") as fh:
            return fh.read()


def check_image(data: bytes, max_pixels: int = 40_000_000) -> tuple[int, int]:
    """The size of an image in a request; raises ValueError/OSError for one Vertex would refuse."""
    with Image.open(io.BytesIO(data)) as opened:
        if opened.width * opened.height > max_pixels:
            raise ValueError("the image is too large")
        opened.load()
        return opened.size


_HUES = (
    (15, "red"),
    (45, "orange"),
    (70, "yellow"),
    (165, "green"),
    (260, "blue"),
    (300, "purple"),
    (345, "pink"),
    (360, "red"),
)


def colour_words(data: bytes) -> list[str]:
    """The names of a picture's main colours (at most two; "grey" when nothing is colourful).

    What the fake multimodal embedding "sees": enough for a test to tell a red product shot from
    a blue one by its pixels alone."""
    check_image(data)
    with Image.open(io.BytesIO(data)) as opened:
        small = opened.convert("RGB").resize((48, 48))
    hsv = np.asarray(small.convert("HSV"), dtype=np.float32).reshape(-1, 3)
    hue, sat, val = hsv[:, 0] * 360 / 255, hsv[:, 1] / 255, hsv[:, 2] / 255
    colourful = hue[(sat > 0.35) & (val > 0.2)]
    if colourful.size < 0.02 * hsv.shape[0]:
        return ["grey"]
    counts: dict[str, int] = {}
    for h in colourful:
        name = next(n for limit, n in _HUES if h < limit)
        counts[name] = counts.get(name, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [n for n, c in ranked[:2] if c >= 0.15 * colourful.size]


# ---------------------------------------------------------------- embeddings
def embedding(text: str, dimension: int) -> list[float]:
    """Signed feature hashing of lower-cased words, L2-normalised."""
    vec = np.zeros(dimension, dtype=np.float64)
    tokens = re.findall(r"\w+", text.lower()) or [""]
    for tok in tokens:
        digest = hashlib.blake2b(tok.encode(), digest_size=8).digest()
        h = int.from_bytes(digest, "big")
        vec[h % dimension] += 1.0 if (h >> 63) & 1 else -1.0
    norm = float(np.linalg.norm(vec))
    if norm == 0.0:
        vec[0] = 1.0
        norm = 1.0
    return [round(float(x), 6) for x in vec / norm]


def recontext_png(prompt: str, product: bytes, seed: Any, index: int, scale: float = 1.0) -> bytes:
    """Imagen product recontext, faked: the product photo, contained in the middle half of a
    square scene coloured by the prompt (so a test can find the product in the output)."""
    import io

    from PIL import Image

    scene = Image.open(io.BytesIO(png_image(prompt, "1:1", seed, index, scale))).convert("RGB")
    with Image.open(io.BytesIO(product)) as opened:
        if opened.width * opened.height > 40_000_000:
            raise ValueError("the product image is too large")
        picture = opened.convert("RGB")
    side = scene.width // 2
    picture.thumbnail((side, side))
    scene.paste(picture, ((scene.width - picture.width) // 2, (scene.height - picture.height) // 2))
    out = io.BytesIO()
    scene.save(out, "PNG")
    return out.getvalue()
