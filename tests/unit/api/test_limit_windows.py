"""Pure time arithmetic of rate windows and quota periods."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adgenius.tenancy.limits import _seconds_to_next_period, _window, current_period


@pytest.mark.parametrize(
    ("now", "start_second", "remaining"),
    [
        (datetime(2026, 3, 1, 10, 0, 0, tzinfo=UTC), 0, 60),
        (datetime(2026, 3, 1, 10, 0, 59, tzinfo=UTC), 0, 1),
        (datetime(2026, 3, 1, 10, 1, 30, tzinfo=UTC), 60, 30),
    ],
)
def test_one_minute_windows(now: datetime, start_second: int, remaining: int) -> None:
    start, left = _window(now)
    base = int(datetime(2026, 3, 1, 10, 0, 0, tzinfo=UTC).timestamp())
    assert (start - base, left) == (start_second, remaining)


@pytest.mark.parametrize(
    ("now", "period", "seconds"),
    [
        (datetime(2026, 12, 31, 23, 59, 30, tzinfo=UTC), "2026-12", 31),
        (datetime(2026, 2, 28, 0, 0, 0, tzinfo=UTC), "2026-02", 86400 + 1),
        (datetime(2026, 1, 31, 12, 0, 0, tzinfo=UTC), "2026-01", 43200 + 1),
    ],
)
def test_quota_periods_reset_on_the_first_utc(now: datetime, period: str, seconds: int) -> None:
    assert current_period(now) == period
    assert _seconds_to_next_period(now) == seconds
