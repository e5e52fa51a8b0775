"""The local video engine: scenes with motion, captions, crossfades and an end card, in H.264.

Frames are produced one at a time and piped into the ffmpeg binary of `imageio-ffmpeg`
(libx264, yuv420p, +faststart), so memory stays at a few frames whatever the duration. The
frame count is ``round(duration_s * fps)``, which makes the duration exact to one frame.

Two entry points share one timeline composer:
- `render_video(spec)`: still images (e.g. local or Imagen renders) animated with pan/zoom;
- `stitch_clips(clips, ...)`: existing clips (e.g. Veo outputs, any size) joined with captions and
  an end card, scaled/cropped (or blur-padded) to the requested ratio.

`LocalVideoModel` wraps the engine as a `VideoModel`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import math
import subprocess
import tempfile
import time
from collections.abc import Generator, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal, Protocol

import imageio_ffmpeg
from PIL import Image, ImageDraw
from pydantic import BaseModel, ConfigDict, Field, field_validator

from adgenius.media.backgrounds import BackgroundStyle, render_background
from adgenius.media.colors import legible_on, parse_hex, to_hex
from adgenius.media.compositor import DEFAULT_PALETTE, LayoutElement, Overlay, compose
from adgenius.media.errors import EncodeError, MediaInputError
from adgenius.media.fonts import font_source
from adgenius.media.imaging import cover, load_image
from adgenius.media.ratios import Box, Ratio, parse_ratio, safe_zone, size_of
from adgenius.media.typography import draw_fitted, fit_text
from adgenius.models.base import Outcome, Usage, VideoOperation

ENGINE = "local"
MODEL_NAME = "adgenius-pillow-ffmpeg-v1"
ZOOM = 1.12  # how far pan/zoom moves into the picture; more looks busy on a 5 s scene


class _ExpectedRescale(logging.Filter):
    """We ask ffmpeg to scale clips while decoding; imageio-ffmpeg warns about it every time."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "different from the source frame size" not in record.getMessage()


logging.getLogger("imageio_ffmpeg").addFilter(_ExpectedRescale())


class Motion(StrEnum):
    ZOOM_IN = "zoom_in"
    ZOOM_OUT = "zoom_out"
    PAN_LEFT = "pan_left"
    PAN_RIGHT = "pan_right"
    STILL = "still"


class Encoding(BaseModel):
    """x264 settings; veryfast keeps a 15 s 1080x1920 render well under 20 s on 2 cores."""

    fps: int = Field(default=24, ge=1, le=60)
    preset: str = "veryfast"
    crf: int = Field(default=23, ge=0, le=51)


class Scene(BaseModel):
    model_config = ConfigDict(ser_json_bytes="base64", val_json_bytes="base64")

    image: bytes
    caption: str = Field(default="", max_length=200)
    weight: float = Field(default=1.0, gt=0)  # share of the video's time, relative to others
    motion: Motion | None = None  # None: chosen from the seed


class EndCard(BaseModel):
    """Closing frame: brand line, call to action and logo on a palette background."""

    model_config = ConfigDict(ser_json_bytes="base64", val_json_bytes="base64")

    headline: str = Field(default="", max_length=200)
    cta: str = Field(default="", max_length=60)
    logo: bytes | None = None
    duration_s: float = Field(default=2.0, gt=0, le=10)


class VideoSpec(BaseModel):
    model_config = ConfigDict(ser_json_bytes="base64", val_json_bytes="base64")

    scenes: list[Scene] = Field(min_length=1, max_length=20)
    end_card: EndCard | None = None
    ratio: Ratio = Ratio.VERTICAL
    size: tuple[int, int] | None = None  # override of the ratio's standard size (even numbers)
    duration_s: float = Field(default=15.0, gt=0, le=180)
    transition_s: float = Field(default=0.5, ge=0, le=2)
    palette: list[str] = Field(default_factory=lambda: list(DEFAULT_PALETTE), min_length=1)
    font_family: str = "sans"
    seed: int = 0
    encoding: Encoding = Field(default_factory=Encoding)

    @field_validator("ratio", mode="before")
    @classmethod
    def _ratio(cls, value: object) -> Ratio:
        return parse_ratio(value)  # type: ignore[arg-type]

    @field_validator("palette")
    @classmethod
    def _palette(cls, value: list[str]) -> list[str]:
        for colour in value:
            parse_hex(colour)
        return value


class RenderedVideo(BaseModel):
    model_config = ConfigDict(ser_json_bytes="base64", val_json_bytes="base64")

    data: bytes
    mime_type: str = "video/mp4"
    width: int
    height: int
    fps: int
    frames: int
    duration_s: float
    # Caption and end-card element boxes, for safe-zone checks.
    elements: list[LayoutElement] = Field(default_factory=list)


# ---------------------------------------------------------------------------------- segments


class _Segment(Protocol):
    duration: float

    def frame(self, t: float) -> Image.Image:
        """The frame at local time ``t`` (seconds, never decreasing between calls)."""
        ...

    def close(self) -> None: ...


def _ease(p: float) -> float:
    return 0.5 - 0.5 * math.cos(math.pi * min(max(p, 0.0), 1.0))


class _Caption:
    """A caption pre-rendered once as an RGBA tile, pasted on every frame of its segment."""

    def __init__(self, text: str, size: tuple[int, int], ratio: Ratio, palette, family: str):
        self.tile: Image.Image | None = None
        self.element: LayoutElement | None = None
        if not text.strip():
            return
        safe = safe_zone(ratio, size)
        region_h = max(40, round(safe.height * (0.2 if size[1] > size[0] else 0.26)))
        region = Box(
            left=safe.left, top=safe.bottom - region_h, right=safe.right, bottom=safe.bottom
        )
        pad = max(6, region_h // 8)
        fitted = fit_text(
            text,
            region.inset(pad),
            family=family,
            bold=True,
            max_size=round(min(size) * 0.06),
            min_size=max(10, round(min(size) * 0.02)),
            max_lines=3,
        )
        if not fitted.lines:
            return
        w, h = fitted.width + 2 * pad, fitted.height + 2 * pad
        box = Box(
            left=region.left + (region.width - w) // 2,
            top=region.bottom - h,
            right=region.left + (region.width - w) // 2 + w,
            bottom=region.bottom,
        )
        tile = Image.new("RGBA", (w, h), (0, 0, 0, 0))
        draw = ImageDraw.Draw(tile)
        panel = (16, 16, 16)
        draw.rounded_rectangle((0, 0, w - 1, h - 1), radius=max(6, h // 6), fill=(*panel, 170))
        colour = legible_on(panel, palette, 7.0)
        draw_fitted(draw, fitted, Box(left=pad, top=pad, right=w - pad, bottom=h - pad), colour)
        self.tile, self.position = tile, (box.left, box.top)
        self.element = LayoutElement(
            kind="caption",
            box=box,
            text=" / ".join(fitted.lines),
            font=font_source(fitted.font),
            font_size=fitted.size,
            color=to_hex(colour),
            truncated=fitted.truncated,
        )

    def apply(self, frame: Image.Image) -> Image.Image:
        if self.tile is not None:
            frame.paste(self.tile, self.position, self.tile)
        return frame


class _StillSegment:
    """A still picture with pan/zoom (Ken Burns) and its caption."""

    def __init__(
        self,
        image: Image.Image,
        size: tuple[int, int],
        motion: Motion,
        caption: _Caption,
        duration: float,
    ):
        self.size, self.motion, self.caption, self.duration = size, motion, caption, duration
        big = (round(size[0] * ZOOM), round(size[1] * ZOOM))
        self.source = cover(image.convert("RGB"), big)

    def frame(self, t: float) -> Image.Image:
        p = _ease(t / self.duration) if self.duration > 0 else 0.0
        sw, sh = self.source.size
        w, h = self.size
        if self.motion in (Motion.STILL, Motion.PAN_LEFT, Motion.PAN_RIGHT):
            # A pan moves ~1 px per frame: whole-pixel crops look the same as resampling and
            # cost ~1 ms instead of ~30 ms for a 1080x1920 frame.
            travel = sw - w
            if self.motion is Motion.STILL:
                left = travel // 2
            else:
                left = round(travel * (1 - p if self.motion is Motion.PAN_LEFT else p))
            top = (sh - h) // 2
            frame = self.source.crop((left, top, left + w, top + h))
        else:
            zoom_in = self.motion is Motion.ZOOM_IN
            scale = 1 + (ZOOM - 1) * (p if zoom_in else 1 - p)
            cw, ch = sw / scale, sh / scale
            box = ((sw - cw) / 2, (sh - ch) / 2, (sw + cw) / 2, (sh + ch) / 2)
            frame = self.source.resize((w, h), Image.Resampling.BILINEAR, box=box)
        return self.caption.apply(frame)

    def close(self) -> None:
        pass


class _ClipSegment:
    """An existing video clip, decoded lazily by ffmpeg at the output size and fps."""

    def __init__(
        self,
        path: Path,
        size: tuple[int, int],
        fps: int,
        fit: str,
        caption: _Caption,
        duration: float,
    ):
        self.size, self.fps, self.caption, self.duration = size, fps, caption, duration
        w, h = size
        if fit == "blur":
            vf = (
                f"split[a][b];[a]scale={w // 8}:{h // 8}:force_original_aspect_ratio=increase,"
                f"crop={w // 8}:{h // 8},boxblur=4,scale={w}:{h}[bg];"
                f"[b]scale={w}:{h}:force_original_aspect_ratio=decrease[fg];"
                f"[bg][fg]overlay=(W-w)/2:(H-h)/2,setsar=1,fps={fps}"
            )
        else:
            vf = (
                f"scale={w}:{h}:force_original_aspect_ratio=increase,"
                f"crop={w}:{h},setsar=1,fps={fps}"
            )
        self._gen: Generator[Any, None, None] = imageio_ffmpeg.read_frames(
            str(path), output_params=["-vf", vf]
        )
        meta = next(self._gen)
        if tuple(meta["size"]) != (w, h):
            raise EncodeError(f"clip decoded at {meta['size']} instead of {size}")
        self._index = -1
        self._last: Image.Image | None = None
        self._done = False

    def frame(self, t: float) -> Image.Image:
        target = int(t * self.fps + 1e-6)
        while self._index < target and not self._done:
            try:
                raw = next(self._gen)
            except StopIteration:
                self._done = True  # shorter than its slot: hold the last frame
                break
            self._index += 1
            if self._index >= target:
                self._last = Image.frombuffer("RGB", self.size, raw, "raw", "RGB", 0, 1)
        if self._last is None:
            self._last = Image.new("RGB", self.size, (0, 0, 0))
        return self.caption.apply(self._last.copy())

    def close(self) -> None:
        self._gen.close()


class _CardSegment:
    def __init__(self, image: Image.Image, duration: float):
        self.image, self.duration = image, duration

    def frame(self, t: float) -> Image.Image:
        return self.image

    def close(self) -> None:
        pass


# ---------------------------------------------------------------------------------- timeline


def _encode(
    segments: Sequence[_Segment],
    size: tuple[int, int],
    duration_s: float,
    transition: float,
    enc: Encoding,
) -> tuple[bytes, int]:
    """Compose the timeline frame by frame and pipe it to libx264; returns (mp4 bytes, frames)."""
    starts: list[float] = []
    clock = 0.0
    for seg in segments:
        starts.append(clock)
        clock += seg.duration - transition
    n_frames = max(1, round(duration_s * enc.fps))
    with tempfile.TemporaryDirectory(prefix="adgenius-video-") as tmp:
        out = Path(tmp) / "out.mp4"
        writer = imageio_ffmpeg.write_frames(
            str(out),
            size,
            fps=enc.fps,
            quality=None,
            codec="libx264",
            pix_fmt_out="yuv420p",
            macro_block_size=2,
            ffmpeg_log_level="error",
            output_params=["-preset", enc.preset, "-crf", str(enc.crf), "-movflags", "+faststart"],
        )
        try:
            writer.send(None)
            current = 0
            last_frame: Image.Image | None = None
            last_bytes = b""
            for k in range(n_frames):
                t = k / enc.fps
                while (
                    current + 1 < len(segments)
                    and t >= starts[current] + segments[current].duration
                ):
                    segments[current].close()  # its crossfade is over: free its decoder
                    current += 1
                seg = segments[current]
                frame = seg.frame(t - starts[current])
                nxt = current + 1
                if nxt < len(segments) and t >= starts[nxt] and transition > 0:
                    alpha = min(1.0, (t - starts[nxt]) / transition)
                    frame = Image.blend(frame, segments[nxt].frame(t - starts[nxt]), alpha)
                if frame is not last_frame:  # a held end card is converted once, not per frame
                    last_frame, last_bytes = frame, frame.tobytes()
                writer.send(last_bytes)
            writer.close()  # flushes and waits for ffmpeg; errors here are encode errors too
        except (OSError, RuntimeError) as exc:
            raise EncodeError("ffmpeg could not encode the video", str(exc)) from exc
        finally:
            writer.close()  # on any failure: stop ffmpeg now rather than at garbage collection
            for seg in segments:
                seg.close()
        return out.read_bytes(), n_frames


def _check_size(size: tuple[int, int]) -> tuple[int, int]:
    w, h = size
    if w < 16 or h < 16 or w % 2 or h % 2:
        raise MediaInputError("size", f"{w}x{h}: H.264 yuv420p needs even sides of at least 16 px")
    return size


def _end_card(
    card: EndCard, size: tuple[int, int], ratio: Ratio, palette: list[str], family: str, seed: int
):
    overlay = Overlay(
        headline=card.headline,
        cta=card.cta,
        logo=card.logo,
        palette=palette,
        font_family=family,
        scrim="never",
    )
    background = render_background(BackgroundStyle.GRADIENT, size, overlay.rgb_palette(), seed)
    image, layout = compose(background, ratio, overlay)
    return image, [
        e.model_copy(update={"kind": "brand"}) if e.kind == "headline" else e
        for e in layout.elements
    ]


def _motions(seed: int, count: int) -> list[Motion]:
    cycle = [Motion.ZOOM_IN, Motion.PAN_RIGHT, Motion.ZOOM_OUT, Motion.PAN_LEFT]
    return [cycle[(seed + i) % len(cycle)] for i in range(count)]


def _long_enough(durations: Sequence[float], n_seg: int, transition: float, fps: int) -> bool:
    """Every segment must outlast its crossfades (one at each side that has a neighbour)."""
    for i, d in enumerate(durations):
        neighbours = (i > 0) + (i < n_seg - 1)
        if d < neighbours * transition + 1 / fps:
            return False
    return True


def render_video(spec: VideoSpec) -> RenderedVideo:
    """Render ``spec`` to an MP4 of exactly ``spec.duration_s`` (to one frame) at its size."""
    size = _check_size(spec.size or size_of(spec.ratio))
    palette = [parse_hex(c) for c in spec.palette]
    T = spec.transition_s
    card_image, card_elements, card_d = None, [], 0.0
    if spec.end_card is not None:
        card_image, card_elements = _end_card(
            spec.end_card, size, spec.ratio, spec.palette, spec.font_family, spec.seed
        )
        card_d = spec.end_card.duration_s + T
    n_seg = len(spec.scenes) + (1 if card_image is not None else 0)
    available = spec.duration_s + T * (n_seg - 1) - card_d
    total_weight = sum(s.weight for s in spec.scenes)
    durations = [available * s.weight / total_weight for s in spec.scenes]
    if not _long_enough(durations, n_seg, T, spec.encoding.fps):
        raise MediaInputError(
            "duration_s",
            f"{spec.duration_s:g} s is too short for {len(spec.scenes)} scenes"
            + (f" and a {spec.end_card.duration_s:g} s end card" if spec.end_card else ""),
        )
    motions = _motions(spec.seed, len(spec.scenes))
    segments: list[_Segment] = []
    elements: list[LayoutElement] = []
    for i, (scene, d) in enumerate(zip(spec.scenes, durations, strict=True)):
        image = load_image(scene.image, f"scenes[{i}].image", "RGB")
        caption = _Caption(scene.caption, size, spec.ratio, palette, spec.font_family)
        if caption.element:
            elements.append(caption.element)
        segments.append(_StillSegment(image, size, scene.motion or motions[i], caption, d))
    if card_image is not None:
        segments.append(_CardSegment(card_image, card_d))
        elements.extend(card_elements)
    data, frames = _encode(segments, size, spec.duration_s, T, spec.encoding)
    return RenderedVideo(
        data=data,
        width=size[0],
        height=size[1],
        fps=spec.encoding.fps,
        frames=frames,
        duration_s=frames / spec.encoding.fps,
        elements=elements,
    )


# ---------------------------------------------------------------------------------- stitching


def probe_clip(path: Path) -> dict:
    """Size, fps and duration of a clip from ffmpeg's header (no full decode)."""
    gen = imageio_ffmpeg.read_frames(str(path))
    try:
        meta = next(gen)
    except (OSError, RuntimeError, StopIteration) as exc:
        raise MediaInputError("clips", f"{path.name} is not a readable video ({exc})") from None
    finally:
        gen.close()
    return meta


def stitch_clips(
    clips: Sequence[bytes | Path],
    captions: Sequence[str] = (),
    end_card: EndCard | None = None,
    ratio: str | Ratio = Ratio.VERTICAL,
    *,
    size: tuple[int, int] | None = None,
    palette: list[str] | None = None,
    font_family: str = "sans",
    transition_s: float = 0.5,
    max_clip_s: float | None = None,
    fit: Literal["auto", "cover", "blur"] = "auto",
    encoding: Encoding | dict | None = None,
    seed: int = 0,
) -> RenderedVideo:
    """Join ``clips`` (any sizes) into one video at ``ratio`` with captions and an end card.

    ``fit="auto"`` crops to fill when the clip's aspect is close to the target's and otherwise
    shows the whole clip over a blurred copy of itself (a 16:9 Veo clip in a 9:16 story).
    """
    if not clips:
        raise MediaInputError("clips", "at least one clip is needed")
    r = parse_ratio(ratio)
    size = _check_size(size or size_of(r))
    enc = Encoding.model_validate(encoding or {})
    palette = palette or list(DEFAULT_PALETTE)
    rgb = [parse_hex(c) for c in palette]
    T = transition_s
    with tempfile.TemporaryDirectory(prefix="adgenius-stitch-") as tmp:
        paths: list[Path] = []
        for i, clip in enumerate(clips):
            if isinstance(clip, Path):
                paths.append(clip)
            else:
                p = Path(tmp) / f"clip{i}.mp4"
                p.write_bytes(clip)
                paths.append(p)
        metas = [probe_clip(p) for p in paths]
        durations = []
        n_seg = len(metas) + (1 if end_card is not None else 0)
        for i, meta in enumerate(metas):
            d = float(meta.get("duration") or 0)
            d = min(d, max_clip_s) if max_clip_s else d
            if not _long_enough([d], 1 if n_seg == 1 else 2, T, enc.fps):
                raise MediaInputError(f"clips[{i}]", f"clip of {d:.2f} s is too short")
            durations.append(d)
        segments: list[_Segment] = []
        elements: list[LayoutElement] = []
        try:
            for i, (path, meta, d) in enumerate(zip(paths, metas, durations, strict=True)):
                text = captions[i] if i < len(captions) else ""
                caption = _Caption(text, size, r, rgb, font_family)
                if caption.element:
                    elements.append(caption.element)
                src_w, src_h = meta["source_size"]
                mode = fit
                if mode == "auto":
                    off = abs(math.log((src_w / src_h) / (size[0] / size[1])))
                    mode = "cover" if off < 0.35 else "blur"
                segments.append(_ClipSegment(path, size, enc.fps, mode, caption, d))
            if end_card is not None:
                image, card_elements = _end_card(end_card, size, r, palette, font_family, seed)
                segments.append(_CardSegment(image, end_card.duration_s + T))
                elements.extend(card_elements)
        except Exception:
            for seg in segments:
                seg.close()
            raise
        total = sum(s.duration for s in segments) - T * (len(segments) - 1)
        data, frames = _encode(segments, size, total, T, enc)
    return RenderedVideo(
        data=data,
        width=size[0],
        height=size[1],
        fps=enc.fps,
        frames=frames,
        duration_s=frames / enc.fps,
        elements=elements,
    )


def stitch_for_ratios(
    clips: Sequence[bytes | Path], ratios: Sequence[str | Ratio], **kwargs
) -> dict[Ratio, RenderedVideo]:
    """:func:`stitch_clips` once per ratio (each gets its own crop, safe zone and captions)."""
    return {parse_ratio(r): stitch_clips(clips, ratio=r, **kwargs) for r in ratios}


# ---------------------------------------------------------------------------------- model


class LocalVideoModel:
    """`VideoModel` backed by the local engine: seeded scenes from the local image engine.

    ``start`` renders at once and returns a finished operation (``done=True`` with the MP4
    bytes), unless ``deferred=True``: then ``start`` only records the request in the operation
    name (so any process can finish it) and ``poll`` renders, like a Veo operation would.
    Like Veo it returns a clip without captions; `stitch_clips` adds captions and the end card.
    """

    def __init__(
        self,
        *,
        palette: list[str] | None = None,
        product: bytes | None = None,
        encoding: Encoding | None = None,
        size: tuple[int, int] | None = None,
        deferred: bool = False,
    ) -> None:
        self._palette = palette
        self._product = product
        self._encoding = encoding or Encoding()
        self._size = size
        self._deferred = deferred

    def start(
        self,
        prompt: str,
        *,
        aspect_ratio: str = "16:9",
        duration_s: int = 8,
        seed: int | None = None,
    ) -> VideoOperation:
        ratio = parse_ratio(aspect_ratio, "aspect_ratio")
        if seed is None:
            seed = int(hashlib.sha256(prompt.encode()).hexdigest()[:8], 16)
        request = {"p": prompt, "r": ratio.value, "d": duration_s, "s": seed}
        token = base64.urlsafe_b64encode(json.dumps(request).encode()).decode().rstrip("=")
        operation = VideoOperation(
            name=f"local-video/{token}",
            done=False,
            usage=Usage(model=MODEL_NAME, engine=ENGINE, video_seconds=float(duration_s)),
        )
        return operation if self._deferred else self.poll(operation)

    def poll(self, operation: VideoOperation) -> VideoOperation:
        if operation.done:
            return operation
        token = operation.name.removeprefix("local-video/")
        try:
            request = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        except (ValueError, json.JSONDecodeError):
            raise MediaInputError(
                "operation", f"{operation.name!r} is not a local video operation"
            ) from None
        started = time.perf_counter()
        rendered = self._render(
            request["p"], parse_ratio(request["r"]), float(request["d"]), int(request["s"])
        )
        return operation.model_copy(
            update={
                "done": True,
                "outcome": Outcome.OK,
                "video": rendered.data,
                "usage": Usage(
                    model=MODEL_NAME,
                    engine=ENGINE,
                    video_seconds=rendered.duration_s,
                    latency_ms=(time.perf_counter() - started) * 1000,
                ),
            }
        )

    def _render(self, prompt: str, ratio: Ratio, duration_s: float, seed: int) -> RenderedVideo:
        from adgenius.media.image_renderer import ImageSpec, palette_from_prompt, render_image

        palette = self._palette or palette_from_prompt(prompt)
        size = self._size or size_of(ratio)
        styles = [BackgroundStyle.GRADIENT, BackgroundStyle.SHAPES, BackgroundStyle.SPLIT]
        n_scenes = max(1, min(4, round(duration_s / 3)))
        scenes = []
        for i in range(n_scenes):
            style = BackgroundStyle.PHOTO if self._product and i == 0 else styles[(seed + i) % 3]
            still = render_image(
                ImageSpec(
                    palette=palette,
                    ratio=ratio,
                    seed=seed + i,
                    style=style,
                    product=self._product,
                )
            )
            scenes.append(Scene(image=still.data))
        spec = VideoSpec(
            scenes=scenes,
            ratio=ratio,
            size=size,
            duration_s=duration_s,
            palette=palette,
            seed=seed,
            encoding=self._encoding,
            transition_s=min(0.5, duration_s / (4 * n_scenes)),
        )
        return render_video(spec)


def poster_frame(video: bytes, at_s: float = 0.5, max_width: int | None = 320) -> bytes:
    """A JPEG still of ``video`` at ``at_s`` seconds (thumbnails, review UI)."""
    with tempfile.TemporaryDirectory(prefix="adgenius-poster-") as tmp:
        src, out = Path(tmp) / "in.mp4", Path(tmp) / "poster.jpg"
        src.write_bytes(video)
        scale = ["-vf", f"scale='min({max_width},iw)':-2"] if max_width else []
        cmd = [
            imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-nostdin", "-ss", f"{at_s:.3f}",
            "-i", str(src), "-frames:v", "1", *scale, "-q:v", "3", str(out),
        ]  # fmt: skip
        done = subprocess.run(cmd, capture_output=True, timeout=60, check=False)
        if done.returncode != 0 or not out.exists():
            raise MediaInputError("video", f"no frame at {at_s} s: {done.stderr.decode()[-300:]}")
        return out.read_bytes()
