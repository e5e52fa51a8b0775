from __future__ import annotations

import numpy as np

from adgenius.generation import BrandKit, CopySet, Violation, score_copy_set
from adgenius.generation.scoring import diversity


def _set(headlines: list[str]) -> CopySet:
    return CopySet(platform="google_rsa", headlines=headlines, descriptions=["Shop today."] * 2)


def test_non_compliant_set_scores_zero_total(brand_kit, embedder) -> None:
    copy = _set(["Run wild trails", "Grip you can trust", "Light trail shoes"])
    ok = score_copy_set(copy, [], brand_kit, embedder)
    bad = score_copy_set(
        copy, [Violation(field="headlines[0]", rule="length", message="x")], brand_kit, embedder
    )
    assert ok.compliance == 1.0 and ok.total > 0
    assert bad.compliance == 0.0 and bad.total == 0.0
    assert bad.voice == ok.voice  # the gate does not hide the other measures


def test_warnings_do_not_fail_the_gate(brand_kit, embedder) -> None:
    warn = Violation(field="headlines[0]", rule="truncation", message="x", severity="warning")
    assert score_copy_set(_set(["a b", "c d", "e f"]), [warn], brand_kit, embedder).compliance == 1


def test_voice_rewards_copy_close_to_example_ads(brand_kit, embedder) -> None:
    on_voice = _set(["Grip you can trust on wild trails", "Light shoes for muddy runs", "Trail"])
    off_voice = _set(["Quarterly tax filing software", "Invoice templates for accountants", "VAT"])
    a = score_copy_set(on_voice, [], brand_kit, embedder)
    b = score_copy_set(off_voice, [], brand_kit, embedder)
    assert a.voice > b.voice


def test_diversity_penalises_near_duplicates(brand_kit, embedder) -> None:
    same = _set(["Trail running shoes", "Trail running shoe", "Shoes for trail running"])
    varied = _set(["Trail running shoes", "Free returns for 60 days", "Order online today"])
    assert (
        score_copy_set(varied, [], brand_kit, embedder).diversity
        > score_copy_set(same, [], brand_kit, embedder).diversity
    )
    assert diversity(np.eye(3, dtype=np.float32)) == 1.0  # orthogonal items: fully diverse
    one = np.ones((1, 4), dtype=np.float32)
    assert diversity(one) == 1.0


def test_voice_uses_description_when_no_examples(embedder) -> None:
    kit = BrandKit(name="Calm Bank", voice="calm, reassuring banking and savings")
    money = score_copy_set(_set(["Savings accounts", "Calm banking", "Bank"]), [], kit, embedder)
    shoes = score_copy_set(_set(["Trail shoes", "Grip on mud", "Run"]), [], kit, embedder)
    assert money.voice > shoes.voice
