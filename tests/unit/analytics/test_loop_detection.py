"""Which experiment writes become loop candidates: only creatives that newly became losers."""

from __future__ import annotations

from typing import Any

import pytest

from adgenius.loop import detection


def _experiment(losers: list[str], **extra: Any) -> dict[str, Any]:
    arms = [{"arm_id": f"arm{i}", "creative_id": f"cr{i}"} for i in range(3)]
    decision = {"losers": losers, "reason": "A leads", "metric": "ctr", "outcome": "losers"}
    return {"id": "e1", "name": "Test", "campaign_id": "c1", "arms": arms, "decision": decision,
            **extra}  # fmt: skip


@pytest.fixture
def published(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Any]]:
    sent: list[tuple[str, Any]] = []
    monkeypatch.setattr(detection, "publish", lambda topic, m: sent.append((topic, m)))
    return sent


def test_only_new_losers_are_published(published: list[tuple[str, Any]]) -> None:
    out = detection.on_experiment_written(
        "t1", _experiment(["arm1"]), _experiment(["arm1", "arm2"])
    )
    assert [(m.tenant_id, m.campaign_id, m.creative_id, m.reason) for m in out] == [
        ("t1", "c1", "cr2", "experiment_loser")
    ]
    assert [t for t, _ in published] == ["loop-act"]
    assert out[0].evidence["experiment_id"] == "e1"
    assert out[0].summary == "lost the experiment \u201cTest\u201d: A leads"


def test_rewrites_deletions_and_unknown_arms_publish_nothing(
    published: list[tuple[str, Any]],
) -> None:
    same = _experiment(["arm1"])
    assert detection.on_experiment_written("t1", same, _experiment(["arm1"], updated_at=2)) == []
    assert detection.on_experiment_written("t1", same, None) == []
    assert detection.on_experiment_written("t1", None, _experiment(["arm9"])) == []
    assert detection.on_experiment_written("t1", None, {**same, "campaign_id": None}) == []
    assert published == []


def test_a_first_decision_publishes_every_loser(published: list[tuple[str, Any]]) -> None:
    out = detection.on_experiment_written("t1", None, _experiment(["arm0", "arm2"]))
    assert sorted(m.creative_id for m in out) == ["cr0", "cr2"] and len(published) == 2
