from __future__ import annotations

import pytest

from adgenius.media.errors import MediaInputError
from adgenius.media.ratios import (
    SIZES,
    Box,
    Ratio,
    closest_ratio,
    parse_ratio,
    safe_zone,
    size_of,
)


def test_standard_sizes() -> None:
    assert size_of("1:1") == (1080, 1080)
    assert size_of("4:5") == (1080, 1350)
    assert size_of("9:16") == (1080, 1920)
    assert size_of("1.91:1") == (1200, 628)
    assert size_of("16:9") == (1920, 1080)


def test_vertical_safe_zone_keeps_platform_bands_free() -> None:
    zone = safe_zone(Ratio.VERTICAL)
    assert zone.top >= 250
    assert 1920 - zone.bottom >= 340


@pytest.mark.parametrize("ratio", list(Ratio))
def test_safe_zone_is_inside_the_canvas_with_a_margin(ratio: Ratio) -> None:
    w, h = SIZES[ratio]
    zone = safe_zone(ratio)
    assert Box(left=0, top=0, right=w, bottom=h).contains(zone)
    assert zone.left > 0 and zone.top > 0 and zone.right < w and zone.bottom < h


def test_safe_zone_scales_with_a_small_vertical_frame() -> None:
    zone = safe_zone("9:16", (270, 480))
    assert zone.top == round(250 / 4)
    assert 480 - zone.bottom == round(340 / 4)


@pytest.mark.parametrize("spelling", ["1.91", "1.91:1", "191:100", "1.9:1"])
def test_landscape_spellings(spelling: str) -> None:
    assert parse_ratio(spelling) is Ratio.LANDSCAPE


def test_unknown_ratio_is_a_value_error_naming_the_field() -> None:
    with pytest.raises(MediaInputError) as err:
        parse_ratio("3:2", field="aspect_ratio")
    assert isinstance(err.value, ValueError)
    assert err.value.field == "aspect_ratio"


def test_closest_ratio() -> None:
    assert closest_ratio(1920, 1080, tuple(Ratio)) is Ratio.WIDE
    assert closest_ratio(1000, 1000) is Ratio.SQUARE
    assert closest_ratio(720, 1280) is Ratio.VERTICAL
