from __future__ import annotations

from pathlib import Path

import imageio_ffmpeg
import pytest
from PIL import Image

from adgenius.media.image_renderer import ImageSpec, render_image
from adgenius.media.validate import MediaKind, mp4_faststart, validate_image, validate_video
from adgenius.media.video import Scene, VideoSpec, render_video

from .conftest import png_bytes


@pytest.fixture(scope="module")
def video() -> bytes:
    still = render_image(ImageSpec(ratio="1:1", style="shapes", seed=4)).data
    spec = VideoSpec(scenes=[Scene(image=still)], ratio="1:1", size=(128, 128), duration_s=2.0)
    return render_video(spec).data


def test_good_video_passes_every_check(video: bytes) -> None:
    report = validate_video(video, expected_size=(128, 128), expected_duration_s=2.0)
    assert report.ok and report.kind is MediaKind.VIDEO
    assert {c.name for c in report.checks} >= {
        "decode", "codec", "pixel_format", "faststart", "size", "duration", "file_size"
    }  # fmt: skip
    assert report.frames == 48 and report.fps == 24


def test_wrong_size_and_duration_are_reported(video: bytes) -> None:
    report = validate_video(video, ratio="9:16", expected_duration_s=2.3)
    assert not report.ok
    failed = {c.name for c in report.checks if not c.ok}
    assert failed == {"size", "duration"}
    assert any("1080x1920 expected" in p for p in report.problems)


def test_duration_tolerance_is_a_tenth_of_a_second(video: bytes) -> None:
    assert validate_video(video, expected_duration_s=2.09).ok
    assert not validate_video(video, expected_duration_s=2.15).ok


def test_truncated_or_garbage_video_fails_to_decode(video: bytes) -> None:
    cut = validate_video(video[: len(video) // 2], expected_duration_s=2.0)
    assert not cut.ok
    garbage = validate_video(b"\x00" * 1000)
    assert not garbage.ok and garbage.checks[0].name == "decode"


def test_faststart_detection(tmp_path: Path) -> None:
    path = tmp_path / "slow.mp4"
    writer = imageio_ffmpeg.write_frames(
        str(path), (64, 64), fps=10, codec="libx264", macro_block_size=2, ffmpeg_log_level="error"
    )
    writer.send(None)
    for _ in range(5):
        writer.send(bytes(64 * 64 * 3))
    writer.close()
    assert mp4_faststart(path.read_bytes()) is False
    report = validate_video(path.read_bytes())
    assert [c.name for c in report.checks if not c.ok] == ["faststart"]


def test_image_checks_size_format_and_byte_cap() -> None:
    png = render_image(ImageSpec(headline="Hi", ratio="4:5")).data
    assert validate_image(png, ratio="4:5").ok
    assert not validate_image(png, ratio="1:1").ok
    capped = validate_image(png, max_bytes=len(png) - 1)
    assert [c.name for c in capped.checks if not c.ok] == ["file_size"]
    assert not validate_image(png, formats=("JPEG",)).ok


def test_truncated_image_fails_to_decode() -> None:
    png = png_bytes(Image.effect_noise((300, 300), 60).convert("RGB"))
    report = validate_image(png[: len(png) // 2])
    assert not report.ok and report.checks[0].name == "decode"
