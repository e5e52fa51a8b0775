"""Images from outside are decoded within a memory budget sized from their headers."""

from __future__ import annotations

import io
import threading

import pytest
from PIL import Image, ImageFile

from adgenius.domain import brands
from adgenius.media import decode_budget
from adgenius.media.decode_budget import DecodeBudget, DecodeBusy, DecodeTooLarge, decoded_bytes
from adgenius.media.errors import MediaInputError
from adgenius.media.imaging import load_image
from adgenius.media.validate import validate_image
from adgenius.tenancy.errors import InvalidInput, RateLimited
from adgenius.testing import hostile

BIG = hostile.png_16bit(4096, 4096)  # ~40 kB on disk, 32 MB decoded, 64 MB more as RGBA


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """Every full decode (ImageFile.load) with the image's size."""
    seen: list[tuple[int, int]] = []
    original = ImageFile.ImageFile.load

    def counting(self: ImageFile.ImageFile):  # type: ignore[no-untyped-def]
        seen.append(self.size)
        return original(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", counting)
    return seen


def _budget(monkeypatch: pytest.MonkeyPatch, capacity: int) -> DecodeBudget:
    budget = DecodeBudget(capacity)
    monkeypatch.setattr(brands, "DECODES", budget)
    return budget


def test_the_decoded_size_comes_from_the_header() -> None:
    with Image.open(io.BytesIO(BIG)) as image:
        assert image.mode == "I;16"
        assert decoded_bytes(image) == 4096 * 4096 * 2
        assert decoded_bytes(image, converts_to="RGBA") == 4096 * 4096 * 6
    assert len(BIG) < 130 * 1024


def test_a_logo_over_the_budget_is_refused_before_decoding(
    monkeypatch: pytest.MonkeyPatch, loads: list[tuple[int, int]]
) -> None:
    _budget(monkeypatch, 32 * 1024 * 1024)  # the 4096x4096 16-bit logo needs 48 MB
    with pytest.raises(InvalidInput) as info:
        brands.normalise_logo(BIG)
    assert info.value.details[0].field == "logo"
    assert "too large to decode" in info.value.details[0].problem
    assert (4096, 4096) not in loads  # refused from the header: never decoded


def test_concurrent_logos_share_one_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    one = 2048 * 2048 * 3  # a 2048x2048 16-bit PNG decoded, plus its 8-bit grey copy
    budget = _budget(monkeypatch, one + one // 2)  # room for one at a time
    data = hostile.png_16bit(2048, 2048)
    results: list[bytes] = []
    threads = [
        threading.Thread(target=lambda: results.append(brands.normalise_logo(data)))
        for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4
    assert budget.peak == one  # never two decodes at once
    assert budget.in_use == 0


def test_a_logo_that_cannot_get_the_budget_in_time_is_429(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    budget = _budget(monkeypatch, 200 * 1024 * 1024)
    monkeypatch.setattr(decode_budget, "WAIT_S", 0.05)
    with budget.reserve(budget.capacity), pytest.raises(RateLimited):
        brands.normalise_logo(hostile.png_16bit(64, 64))


def test_jpeg_logos_decode_at_a_reduced_scale(loads: list[tuple[int, int]]) -> None:
    out = io.BytesIO()
    Image.new("RGB", (4096, 4096), "navy").save(out, "JPEG")
    logo = Image.open(io.BytesIO(brands.normalise_logo(out.getvalue())))
    assert logo.size == (brands.LOGO_SIZE, brands.LOGO_SIZE)
    assert (4096, 4096) not in loads and (1024, 1024) in loads


def test_other_decoders_use_the_budget_too(monkeypatch: pytest.MonkeyPatch) -> None:
    from adgenius.media import imaging, validate

    small = DecodeBudget(1024 * 1024)
    monkeypatch.setattr(imaging, "DECODES", small)
    monkeypatch.setattr(validate, "DECODES", small)
    with pytest.raises(MediaInputError, match="too large to decode"):
        load_image(BIG, "image")
    report = validate_image(BIG)
    assert not report.ok and "decode" in report.problems[0]
    with pytest.raises(DecodeTooLarge), small.reserve(small.capacity + 1):
        pass
    with small.reserve(small.capacity), pytest.raises(DecodeBusy), small.reserve(1, wait_s=0.01):
        pass
