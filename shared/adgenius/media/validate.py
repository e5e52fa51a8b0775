"""Validation of every rendered output before it is stored or exported.

Each check is recorded by name with its outcome, so a failed creative can say exactly why
(e.g. ``size: 1080x1080 expected, got 1080x1079``). Videos are fully decoded by ffmpeg, so a
truncated or corrupt file fails here, not in the ad platform.
"""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
from enum import StrEnum
from pathlib import Path

import imageio_ffmpeg
from PIL import Image, UnidentifiedImageError
from pydantic import BaseModel, Field

from adgenius.media.decode_budget import DECODES, decoded_bytes
from adgenius.media.imaging import MAX_INPUT_PIXELS
from adgenius.media.ratios import Ratio, parse_ratio, size_of

PMAX_IMAGE_MAX_BYTES = 5120 * 1024  # Google Performance Max image cap
META_IMAGE_MAX_BYTES = 30 * 1024 * 1024
VIDEO_MAX_BYTES = 256 * 1024 * 1024  # our own cap for one rendered ad video
DURATION_TOLERANCE_S = 0.1


class MediaKind(StrEnum):
    IMAGE = "image"
    VIDEO = "video"


class Check(BaseModel):
    name: str
    ok: bool
    detail: str = ""


class MediaReport(BaseModel):
    kind: MediaKind
    ok: bool = True
    mime_type: str = ""
    width: int = 0
    height: int = 0
    size_bytes: int = 0
    duration_s: float | None = None
    fps: float | None = None
    frames: int | None = None
    codec: str | None = None
    pixel_format: str | None = None
    faststart: bool | None = None
    checks: list[Check] = Field(default_factory=list)

    def add(self, name: str, ok: bool, detail: str = "") -> None:
        self.checks.append(Check(name=name, ok=ok, detail=detail))
        self.ok = self.ok and ok

    @property
    def problems(self) -> list[str]:
        return [f"{c.name}: {c.detail}" for c in self.checks if not c.ok]


def _expected(size: tuple[int, int] | None, ratio: str | Ratio | None) -> tuple[int, int] | None:
    if size is not None:
        return size
    return size_of(parse_ratio(ratio)) if ratio is not None else None


def validate_image(
    data: bytes,
    *,
    expected_size: tuple[int, int] | None = None,
    ratio: str | Ratio | None = None,
    max_bytes: int = PMAX_IMAGE_MAX_BYTES,
    formats: tuple[str, ...] = ("PNG", "JPEG"),
) -> MediaReport:
    """Decode ``data`` fully and check format, exact size and the byte cap."""
    report = MediaReport(kind=MediaKind.IMAGE, size_bytes=len(data))
    try:
        with Image.open(io.BytesIO(data)) as image:
            fmt = image.format or ""
            report.mime_type = Image.MIME.get(fmt, "")
            report.width, report.height = image.size
            # Sized from the header first: an image too large to decode is not decoded.
            if image.width * image.height > MAX_INPUT_PIXELS:
                raise ValueError(f"{image.width}x{image.height} is too large to decode")
            with DECODES.reserve(decoded_bytes(image)):
                image.load()  # a truncated file fails here, not at open()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        report.add("decode", False, f"not a decodable image ({exc})")
        return report
    report.add("decode", True)
    report.add("format", fmt in formats, f"{fmt} (allowed: {', '.join(formats)})")
    want = _expected(expected_size, ratio)
    if want is not None:
        got = (report.width, report.height)
        report.add("size", got == want, f"{want[0]}x{want[1]} expected, got {got[0]}x{got[1]}")
    report.add("file_size", len(data) <= max_bytes, f"{len(data)} bytes (cap {max_bytes})")
    return report


def mp4_faststart(data: bytes) -> bool | None:
    """True when the ``moov`` box comes before ``mdat`` (playback can start while downloading)."""
    offset = 0
    seen: list[str] = []
    while offset + 8 <= len(data) and len(seen) < 64:
        size = int.from_bytes(data[offset : offset + 4], "big")
        kind = data[offset + 4 : offset + 8].decode("latin-1")
        if size == 1 and offset + 16 <= len(data):
            size = int.from_bytes(data[offset + 8 : offset + 16], "big")
        seen.append(kind)
        if kind in ("moov", "mdat"):
            return kind == "moov"
        if size < 8:
            break
        offset += size
    return None


_STREAM = re.compile(r"Stream #0:\d+[^:]*: Video: (\w+).*?, (\w+)(?:\([^)]*\))*, (\d+)x(\d+)")
_FPS = re.compile(r"([\d.]+) fps")
_FRAME = re.compile(r"frame=\s*(\d+)")
_DURATION = re.compile(r"Duration: (\d+):(\d+):([\d.]+)")


def probe_video(path: Path, timeout_s: float = 120) -> tuple[int, str]:
    """Decode every frame with ffmpeg; returns (exit code, log)."""
    cmd = [
        imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-nostdin", "-xerror",
        "-i", str(path), "-map", "0:v:0", "-f", "null", "-",
    ]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, timeout=timeout_s, check=False)
    return done.returncode, done.stderr.decode("utf-8", "replace")


def validate_video(
    data: bytes,
    *,
    expected_size: tuple[int, int] | None = None,
    ratio: str | Ratio | None = None,
    expected_duration_s: float | None = None,
    tolerance_s: float = DURATION_TOLERANCE_S,
    max_bytes: int = VIDEO_MAX_BYTES,
) -> MediaReport:
    """Decode ``data`` fully and check H.264/yuv420p, size, duration, faststart and byte cap."""
    report = MediaReport(kind=MediaKind.VIDEO, size_bytes=len(data), mime_type="video/mp4")
    with tempfile.TemporaryDirectory(prefix="adgenius-validate-") as tmp:
        path = Path(tmp) / "video.mp4"
        path.write_bytes(data)
        code, log = probe_video(path)
    stream = _STREAM.search(log)
    if code != 0 or stream is None:
        tail = " | ".join(log.strip().splitlines()[-3:])
        report.add("decode", False, f"ffmpeg could not decode it (exit {code}): {tail}")
        return report
    report.add("decode", True)
    report.codec, report.pixel_format = stream.group(1), stream.group(2)
    report.width, report.height = int(stream.group(3)), int(stream.group(4))
    line = log[stream.start() : log.find("\n", stream.start())]
    fps = _FPS.search(line)
    report.fps = float(fps.group(1)) if fps else None
    frames = _FRAME.findall(log)
    report.frames = int(frames[-1]) if frames else None
    if report.frames and report.fps:
        report.duration_s = report.frames / report.fps
    elif (d := _DURATION.search(log)) is not None:
        report.duration_s = int(d.group(1)) * 3600 + int(d.group(2)) * 60 + float(d.group(3))
    report.faststart = mp4_faststart(data)
    report.add("codec", report.codec == "h264", f"{report.codec} (h264 expected)")
    report.add("pixel_format", report.pixel_format == "yuv420p", f"{report.pixel_format}")
    report.add("faststart", bool(report.faststart), "moov box must precede mdat")
    want = _expected(expected_size, ratio)
    if want is not None:
        got = (report.width, report.height)
        report.add("size", got == want, f"{want[0]}x{want[1]} expected, got {got[0]}x{got[1]}")
    if expected_duration_s is not None:
        got_s = report.duration_s or 0.0
        report.add(
            "duration",
            abs(got_s - expected_duration_s) <= tolerance_s,
            f"{expected_duration_s:.2f} s +- {tolerance_s} expected, got {got_s:.3f} s",
        )
    report.add("file_size", len(data) <= max_bytes, f"{len(data)} bytes (cap {max_bytes})")
    return report
