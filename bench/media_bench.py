"""Benchmarks of the local media engine, each against a raw floor measured in the same run.

- image_1080_local_s: one complete 1080x1080 ad (shapes background, product with shadow, logo,
  fitted headline, CTA button, PNG encode). Baseline: a raw Pillow fill + one line of text +
  PNG encode at the same size and compression, i.e. the least any Pillow renderer pays.
- video_15s_vertical_local_s: a 15 s 1080x1920 ad video (3 scenes with pan/zoom and captions,
  crossfades, end card with logo and CTA) at 24 fps, libx264 veryfast. Baseline: ffmpeg
  encoding 15 s of one static 1080x1920 frame with the same settings (no rendering at all).
- image_composite_1080_local_s: one 1080x1080 ad made from a brand product photo (a 1600x1200
  JPEG as the library stores it): subject-keeping crop, logo variant choice, headline and CTA with
  contrast measured on the pixels and fixed, PNG encode. Baseline: the plain render (gradient
  background, same headline, CTA and logo), same run.
- reframe_4_ratios_s: one picture reframed with its text re-laid into 1:1, 4:5, 9:16, 1.91:1.
  Baseline: four plain Pillow cover-resizes + PNG encodes of the same picture.
"""

from __future__ import annotations

import io
import pathlib
import resource
import statistics
import time
from collections.abc import Callable

import imageio_ffmpeg
from PIL import Image, ImageDraw

from adgenius.media.asset_layouts import AssetLayout
from adgenius.media.compositor import Overlay
from adgenius.media.fonts import load_font
from adgenius.media.image_renderer import ImageSpec, render_image
from adgenius.media.imaging import cover, encode_image
from adgenius.media.ratios import IMAGE_RATIOS, SIZES
from adgenius.media.reframe import reframe_all
from adgenius.media.saliency import subject_box
from adgenius.media.validate import validate_video
from adgenius.media.video import Encoding, EndCard, Scene, VideoSpec, render_video
from adgenius.testing.sample_media import encode, product_photo
from adgenius.testing.sample_media import logo as sample_logo

HEADLINE = "Summer sale: 40% off every running shoe this weekend"


def _median_s(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm-up: font loading and first-call caches are not what we measure
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _cpu_s() -> float:
    """CPU seconds of this process and its finished children (ffmpeg), user + system."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _png(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


def _assets() -> tuple[bytes, bytes]:
    logo = Image.new("RGBA", (300, 100), (0, 0, 0, 0))
    ImageDraw.Draw(logo).ellipse((0, 0, 99, 99), fill=(250, 200, 0, 255))
    product = Image.new("RGBA", (600, 900), (0, 0, 0, 0))
    ImageDraw.Draw(product).rounded_rectangle((60, 60, 540, 840), radius=80, fill=(220, 50, 50))
    return _png(logo), _png(product)


def _measure(value: float, baseline: float, goal: str, unit: str = "s") -> dict:
    return {
        "value": round(value, 4),
        "unit": unit,
        "baseline": round(baseline, 4),
        "ratio": round(value / baseline, 3) if baseline > 0 else float("inf"),
        "goal": goal,
    }


def bench_image(logo: bytes, product: bytes) -> dict:
    spec = ImageSpec(
        headline=HEADLINE,
        cta="Shop now",
        ratio="1:1",
        style="shapes",
        seed=1,
        logo=logo,
        product=product,
    )
    value = _median_s(lambda: render_image(spec), runs=7)

    def raw() -> bytes:
        image = Image.new("RGB", (1080, 1080), (26, 115, 232))
        ImageDraw.Draw(image).text((80, 400), HEADLINE[:24], font=load_font(size=72), fill="white")
        return encode_image(image, "png")

    return _measure(value, _median_s(raw, runs=7), "<= 0.5 s")


def bench_composite(logo: bytes) -> dict:
    photo_image = product_photo("mug", size=(1600, 1200))
    subject = subject_box(photo_image).to_list()
    photo = encode(photo_image, "JPEG", quality=90)
    common = {"headline": HEADLINE, "cta": "Shop now", "ratio": "1:1", "seed": 1}
    spec = ImageSpec(
        **common,
        asset_layout=AssetLayout.HERO,
        photo=photo,
        photo_subject=subject,
        logos=[logo, _png(sample_logo("light"))],
    )
    plain = ImageSpec(**common, style="gradient", logo=logo)
    value = _median_s(lambda: render_image(spec), runs=5)
    return _measure(value, _median_s(lambda: render_image(plain), runs=5), "<= 0.5 s")


def bench_video(work_dir: pathlib.Path, logo: bytes, product: bytes) -> dict[str, dict]:
    encoding = Encoding(fps=24, preset="veryfast", crf=23)
    stills = [
        render_image(
            ImageSpec(ratio="9:16", style=s, seed=i, product=product if i == 0 else None)
        ).data
        for i, s in enumerate(["photo", "shapes", "split"])
    ]
    spec = VideoSpec(
        scenes=[
            Scene(image=stills[0], caption="Meet the new Trail Runner"),
            Scene(image=stills[1], caption="Light, fast and built to last"),
            Scene(image=stills[2], caption="Free returns for 30 days"),
        ],
        end_card=EndCard(headline="ACME Run", cta="Shop now", logo=logo, duration_s=2.5),
        ratio="9:16",
        duration_s=15.0,
        encoding=encoding,
    )
    started, cpu = time.perf_counter(), _cpu_s()
    video = render_video(spec)
    value, value_cpu = time.perf_counter() - started, _cpu_s() - cpu
    (work_dir / "video_15s_vertical.mp4").write_bytes(video.data)
    report = validate_video(video.data, ratio="9:16", expected_duration_s=15.0)
    if not report.ok:
        raise RuntimeError(f"benchmark video is invalid: {report.problems}")

    frame = Image.new("RGB", (1080, 1920), (26, 115, 232))
    ImageDraw.Draw(frame).text((100, 900), "static", font=load_font(size=96), fill="white")
    raw_frame = frame.tobytes()
    started, cpu = time.perf_counter(), _cpu_s()
    writer = imageio_ffmpeg.write_frames(
        str(work_dir / "baseline_static.mp4"),
        (1080, 1920),
        fps=encoding.fps,
        quality=None,
        codec="libx264",
        pix_fmt_out="yuv420p",
        macro_block_size=2,
        ffmpeg_log_level="error",
        output_params=[
            "-preset",
            encoding.preset,
            "-crf",
            str(encoding.crf),
            "-movflags",
            "+faststart",
        ],
    )
    writer.send(None)
    for _ in range(round(15.0 * encoding.fps)):
        writer.send(raw_frame)
    writer.close()
    baseline, baseline_cpu = time.perf_counter() - started, _cpu_s() - cpu
    size_mb = len(video.data) / 1e6
    return {
        "video_15s_vertical_local_s": _measure(value, baseline, "<= 20 s"),
        # CPU time is what a shared or loaded machine cannot distort; 2 cores give 40 CPU-s
        # in the 20 s goal.
        "video_15s_vertical_local_cpu_s": _measure(value_cpu, baseline_cpu, "<= 40 s", "cpu-s"),
        # Baseline is itself: recorded so that a size regression shows in results.json.
        "video_15s_vertical_size_mb": _measure(size_mb, size_mb, "<= 30 MB", "MB"),
    }


def bench_reframe(product: bytes) -> dict:
    source = render_image(ImageSpec(ratio="1.91:1", style="photo", product=product, seed=2)).data
    overlay = Overlay(headline=HEADLINE, cta="Shop now")
    value = _median_s(lambda: reframe_all(source, overlay=overlay), runs=3)

    def raw() -> None:
        image = Image.open(io.BytesIO(source)).convert("RGB")
        for ratio in IMAGE_RATIOS:
            encode_image(cover(image, SIZES[ratio]), "png")

    return _measure(value, _median_s(raw, runs=3), "<= 1.5 s")


def run(work_dir: pathlib.Path) -> dict[str, dict]:
    work_dir = pathlib.Path(work_dir)
    work_dir.mkdir(parents=True, exist_ok=True)
    logo, product = _assets()
    return {
        "image_1080_local_s": bench_image(logo, product),
        "image_composite_1080_local_s": bench_composite(logo),
        **bench_video(work_dir, logo, product),
        "reframe_4_ratios_s": bench_reframe(product),
    }


if __name__ == "__main__":
    import json
    import tempfile

    print(json.dumps(run(pathlib.Path(tempfile.mkdtemp(prefix="media-bench-"))), indent=2))
