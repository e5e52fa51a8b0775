from __future__ import annotations

import io
import subprocess
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pytest
from PIL import Image

from adgenius.media.errors import MediaInputError
from adgenius.media.image_renderer import ImageSpec, render_image
from adgenius.media.ratios import Ratio, safe_zone
from adgenius.media.validate import validate_video
from adgenius.media.video import (
    MODEL_NAME,
    EndCard,
    LocalVideoModel,
    Scene,
    VideoSpec,
    poster_frame,
    render_video,
    stitch_clips,
    stitch_for_ratios,
)
from adgenius.models.base import VideoModel

SMALL_VERTICAL = (180, 320)


@pytest.fixture(scope="module")
def stills() -> list[bytes]:
    return [
        render_image(ImageSpec(ratio="1:1", style=style, seed=i, palette=[colour])).data
        for i, (style, colour) in enumerate([("gradient", "#d93025"), ("shapes", "#1a73e8")])
    ]


@pytest.fixture(scope="module")
def small_clip(stills: list[bytes]) -> bytes:
    """A 16:9 320x180 clip of 2 s: stands in for a Veo output of another size."""
    spec = VideoSpec(scenes=[Scene(image=stills[0])], ratio="16:9", size=(320, 180), duration_s=2.0)
    return render_video(spec).data


def _frame_at(video: bytes, t: float) -> Image.Image:
    return Image.open(io.BytesIO(poster_frame(video, t, max_width=None))).convert("RGB")


@pytest.mark.parametrize("duration", [1.0, 2.5])
def test_video_has_the_asked_duration_and_exact_size(stills: list[bytes], duration: float) -> None:
    spec = VideoSpec(
        scenes=[Scene(image=s, caption=f"Scene {i}") for i, s in enumerate(stills)],
        ratio="9:16", size=SMALL_VERTICAL, duration_s=duration, transition_s=0.2,
    )  # fmt: skip
    video = render_video(spec)
    report = validate_video(video.data, expected_size=SMALL_VERTICAL, expected_duration_s=duration)
    assert report.ok, report.problems
    assert report.codec == "h264" and report.pixel_format == "yuv420p" and report.faststart
    assert abs(report.duration_s - duration) <= 0.1
    assert video.frames == round(duration * 24)


def test_full_size_vertical_video_with_end_card(stills: list[bytes], logo_png: bytes) -> None:
    spec = VideoSpec(
        scenes=[Scene(image=stills[0], caption="Fresh running shoes, built for speed")],
        end_card=EndCard(headline="ACME Run", cta="Shop now", logo=logo_png, duration_s=0.6),
        ratio="9:16", duration_s=1.5, transition_s=0.2, encoding={"fps": 12},
    )  # fmt: skip
    video = render_video(spec)
    report = validate_video(video.data, ratio="9:16", expected_duration_s=1.5)
    assert report.ok, report.problems
    assert (report.width, report.height) == (1080, 1920)
    kinds = {e.kind for e in video.elements}
    assert {"caption", "brand", "cta", "logo"} <= kinds
    zone = safe_zone(Ratio.VERTICAL)
    assert all(zone.contains(e.box) for e in video.elements)


def test_captions_and_scenes_appear_in_order(stills: list[bytes]) -> None:
    spec = VideoSpec(
        scenes=[Scene(image=stills[0], motion="still"), Scene(image=stills[1], motion="still")],
        ratio="1:1", size=(160, 160), duration_s=2.0, transition_s=0.2,
    )  # fmt: skip
    video = render_video(spec).data
    first, last = np.asarray(_frame_at(video, 0.3)), np.asarray(_frame_at(video, 1.7))
    # The first still is red, the second blue: the timeline plays them in order.
    assert first[..., 0].mean() > first[..., 2].mean()
    assert last[..., 2].mean() > last[..., 0].mean()


def test_caption_stays_in_the_vertical_safe_zone(stills: list[bytes]) -> None:
    long_caption = "Free returns for thirty days on every pair of running shoes " * 3
    spec = VideoSpec(
        scenes=[Scene(image=stills[0], caption=long_caption[:200])],
        ratio="9:16", size=(270, 480), duration_s=0.5, transition_s=0,
    )  # fmt: skip
    video = render_video(spec)
    caption = next(e for e in video.elements if e.kind == "caption")
    assert safe_zone("9:16", (270, 480)).contains(caption.box)


def test_too_short_a_video_for_its_scenes_names_the_field(stills: list[bytes]) -> None:
    spec = VideoSpec(scenes=[Scene(image=stills[0])] * 4, size=SMALL_VERTICAL, duration_s=1.0)
    with pytest.raises(MediaInputError) as err:
        render_video(spec)
    assert err.value.field == "duration_s"


def test_broken_scene_image_names_the_scene() -> None:
    spec = VideoSpec(scenes=[Scene(image=b"nope")], size=SMALL_VERTICAL, duration_s=1.0)
    with pytest.raises(MediaInputError) as err:
        render_video(spec)
    assert err.value.field == "scenes[0].image"


def test_odd_size_is_refused(stills: list[bytes]) -> None:
    with pytest.raises(MediaInputError, match="size"):
        render_video(VideoSpec(scenes=[Scene(image=stills[0])], size=(181, 320), duration_s=1))


def test_stitch_clips_of_another_size_with_captions_and_end_card(small_clip: bytes) -> None:
    transition, card = 0.25, 0.5
    video = stitch_clips(
        [small_clip, small_clip], ["First", "Second"], EndCard(headline="Brand", duration_s=card),
        "9:16", size=SMALL_VERTICAL, transition_s=transition,
    )  # fmt: skip
    expected = 2.0 + 2.0 + (card + transition) - 2 * transition
    report = validate_video(video.data, expected_size=SMALL_VERTICAL, expected_duration_s=expected)
    assert report.ok, report.problems
    assert [e.text for e in video.elements if e.kind == "caption"] == ["First", "Second"]


def test_stitch_for_several_ratios(small_clip: bytes) -> None:
    videos = stitch_for_ratios(
        [small_clip], ["1:1", "16:9"], captions=["Hello"], transition_s=0.2, max_clip_s=1.0,
        encoding={"fps": 12, "preset": "ultrafast"},
    )  # fmt: skip
    assert {(v.width, v.height) for v in videos.values()} == {(1080, 1080), (1920, 1080)}
    for ratio, video in videos.items():
        assert validate_video(video.data, ratio=ratio, expected_duration_s=1.0).ok


def test_stitch_refuses_broken_clips() -> None:
    with pytest.raises(MediaInputError) as err:
        stitch_clips([b"not a video"], size=SMALL_VERTICAL)
    assert err.value.field == "clips"


def test_local_video_model_completes_at_once(stills: list[bytes]) -> None:
    model = LocalVideoModel(size=(160, 90))
    assert isinstance(model, VideoModel)
    op = model.start("a blue running shoe on a track", aspect_ratio="16:9", duration_s=2, seed=1)
    assert op.done and op.video
    assert model.poll(op) is op
    assert op.usage.engine == "local" and op.usage.model == MODEL_NAME
    assert validate_video(op.video, expected_size=(160, 90), expected_duration_s=2).ok


def test_local_video_model_deferred_renders_on_poll() -> None:
    model = LocalVideoModel(size=(90, 160), deferred=True)
    op = model.start("sunrise coffee", aspect_ratio="9:16", duration_s=1, seed=2)
    assert not op.done and op.video is None
    done = LocalVideoModel(size=(90, 160)).poll(op)  # another instance: the request is in the name
    assert done.done
    assert validate_video(done.video, expected_size=(90, 160), expected_duration_s=1).ok


def test_stitch_accepts_clips_with_audio_and_another_fps(tmp_path: Path) -> None:
    """Veo clips carry an audio track and may run at another frame rate."""
    clip = tmp_path / "veo_like.mp4"
    subprocess.run(
        [
            imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-f", "lavfi",
            "-i", "testsrc=size=256x144:rate=30:duration=1.5", "-f", "lavfi",
            "-i", "sine=frequency=440:duration=1.5", "-c:v", "libx264", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-shortest", str(clip),
        ],
        check=True,
    )  # fmt: skip
    video = stitch_clips([clip], ["With sound"], None, "9:16", size=SMALL_VERTICAL)
    report = validate_video(video.data, expected_size=SMALL_VERTICAL, expected_duration_s=1.5)
    assert report.ok, report.problems
    assert report.fps == 24
