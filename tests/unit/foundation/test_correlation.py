"""Correlation ids carried in from outside are used only when short and plain."""

from __future__ import annotations

import re

import pytest

from adgenius.observability import correlation, correlation_from_headers


@pytest.mark.parametrize("carried", ["trace-123", "a" * 128, "job:42.x_y-z"])
def test_plain_ids_travel_unchanged(carried: str) -> None:
    assert correlation_from_headers({"X-Correlation-Id": carried}) == carried
    with correlation(carried) as cid:
        assert cid == carried


@pytest.mark.parametrize("carried", ["a" * 129, "a" * 5000, "has space", "new\nline", "ü", ""])
def test_other_ids_are_replaced_by_fresh_ones(carried: str) -> None:
    # Also what a function restores from a Pub/Sub attribute or a task header.
    assert correlation_from_headers({"X-Correlation-Id": carried}) is None
    with correlation(carried) as cid:
        assert cid != carried and re.fullmatch(r"[0-9a-f]{32}", cid)
