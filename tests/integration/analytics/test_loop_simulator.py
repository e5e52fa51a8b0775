"""The loop simulator on the real stack, two short rounds: generate -> export -> delivery ->
report import -> experiment -> regenerate, for a steered and an unsteered campaign."""

from __future__ import annotations

import subprocess
import sys

from adgenius.localstack.loop_sim import LoopConfig, run_loop
from adgenius.localstack.stack import StackInfo
from adgenius.tenancy import store

SEED = 11  # an audience for which round 1's experiment decides (checked below)


def test_two_rounds_of_the_loop_end_to_end(stack: StackInfo) -> None:
    cfg = LoopConfig(rounds=2, days_per_round=4, slices=2)
    res = run_loop(stack, SEED, cfg, log=lambda _: None)
    for rounds in (res.on, res.off):
        assert [r.round for r in rounds] == [1, 2]
        assert all(r.impressions == cfg.days_per_round * cfg.daily_impressions for r in rounds)
        assert all(0 < r.clicks < r.impressions for r in rounds)
        assert len(rounds[0].replaced) == cfg.replace
    # Round 1: both campaigns ran the same ads on the same audience draws.
    assert res.on[0].clicks == res.off[0].clicks and res.on[0].outcome == res.off[0].outcome
    assert res.on[0].outcome in ("losers", "winner"), res.on[0].outcome

    # What the product holds: every delivered impression and click came back through the
    # report import into the fact store, per campaign.
    # report import into the fact store (ad rows per creative, asset rows per headline).
    made: dict[str, dict] = {}
    for tenant_id, rounds in zip(res.tenant_ids, (res.on, res.off), strict=True):
        creatives = store.tenant_collection(tenant_id, store.CREATIVES).stream()
        made.update({s.id: s.to_dict() or {} for s in creatives})
        facts = [s.to_dict() or {} for s in
                 store.tenant_collection(tenant_id, "metric_facts").stream()]  # fmt: skip
        ads = [f for f in facts if not f.get("asset_key")]
        assert sum(f["impressions"] for f in ads) == sum(r.impressions for r in rounds)
        assert sum(f["clicks"] for f in ads) == sum(r.clicks for r in rounds)
        heads = [f for f in facts if str(f.get("asset_key", "")).startswith("text:headlines:")]
        # three headlines per impression
        assert sum(f["impressions"] for f in heads) == 3 * sum(r.impressions for r in rounds)

    # The round-2 ads of the steered campaign record what steered them; the other's nothing.
    steered = [c for c in made.values() if c["content"].get("steering")]
    assert steered and res.on[0].steering["losers"]
    assert {c["tenant_id"] for c in steered} == {res.tenant_ids[0]}
    assert all(not made[c]["content"].get("steering") for c in res.on[0].steering["losers"])
    assert res.off[0].steering == {}


def test_loop_demo_cli_help_and_bad_rounds() -> None:
    cmd = [sys.executable, "-m", "adgenius.localstack.loop_demo"]
    out = subprocess.run([*cmd, "--help"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "--rounds" in out.stdout and "--seed" in out.stdout
    bad = subprocess.run([*cmd, "--rounds", "1"], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "--rounds must be at least 2" in bad.stderr
