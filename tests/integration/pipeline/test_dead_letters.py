"""Poison messages end on the dead-letter topic, can be inspected, and replayed."""

from __future__ import annotations

import time

import pytest

from adgenius.cloud import messaging
from adgenius.localstack.stack import StackInfo
from adgenius.pipeline import deadletters

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _wait_parked(marker: str, timeout_s: float = 60) -> list[deadletters.DeadLetter]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = [d for d in deadletters.inspect("job-plan") if isinstance(d.data, dict)
                 and d.data.get("marker") == marker]  # fmt: skip
        if found:
            return found
        time.sleep(0.5)
    return []


def test_a_poison_message_is_parked_inspected_and_replayed(stack: StackInfo) -> None:
    marker = f"poison-{time.time_ns()}"
    # Not a JobMessage: the planning function rejects it on every delivery.
    messaging.publish("job-plan", {"marker": marker})
    parked = _wait_parked(marker)
    assert len(parked) == 1
    assert parked[0].data == {"marker": marker}
    # Inspecting does not consume it.
    assert _wait_parked(marker, 5)

    replayed = deadletters.replay("job-plan")
    assert replayed >= 1
    # Still poison: after its redeliveries it is parked again, once.
    again = _wait_parked(marker)
    assert len(again) == 1


def test_unknown_topics_are_refused() -> None:
    with pytest.raises(ValueError, match="not a topic"):
        deadletters.inspect("no-such-topic")
