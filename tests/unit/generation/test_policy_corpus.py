"""The labelled policy corpus (policy_corpus.json): precision and recall per rule.

Each case is one ad text in one field of one platform, labelled with every rule that must fire
(empty for a valid text) and citing the policy page and its words. The corpus was written from
the platforms' own examples ("flowers!!", "F.L.O.W.E.R.S.", "Meet other Jewish singles!") and
adds what they imply: other languages, CJK, emoji, combining accents, exact-limit and off-by-one
lengths, and valid texts that look suspicious ("5* hotels", "Buy 2 get 1 free", "USB-C").
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from adgenius.generation.policy import RULES, check_item
from adgenius.generation.policy.base import PolicyContext
from adgenius.generation.rules import Severity

CORPUS = json.loads((Path(__file__).parent / "policy_corpus.json").read_text(encoding="utf-8"))
CASES = CORPUS["cases"]
LENGTH_RULES = {"length", "truncation"}


def _run(case: dict) -> list:
    ctx = PolicyContext(
        language=case.get("language", "en"),
        brand_terms=frozenset(case.get("brand_terms", [])),
        substantiation=tuple(s.casefold() for s in case.get("substantiated", [])),
    )
    return check_item(case["text"], case["field"], case["platform"], ctx)


def score(cases: list[dict]) -> tuple[dict[str, Counter], int, int]:
    """Per rule: tp, fp, fn; and the number of error-level findings on valid cases."""
    per_rule: dict[str, Counter] = {}
    false_errors = 0
    for case in cases:
        found = _run(case)
        got = {v.rule for v in found}
        want = set(case["expect"])
        for rule in got | want:
            c = per_rule.setdefault(rule, Counter())
            c["tp" if rule in got and rule in want else "fp" if rule in got else "fn"] += 1
        if not want:
            false_errors += sum(v.severity is Severity.ERROR for v in found)
    return per_rule, false_errors, len(cases)


def test_corpus_is_broad() -> None:
    assert len(CASES) >= 150
    assert len({c["id"] for c in CASES}) == len(CASES)
    assert {c["platform"] for c in CASES} == {"google_rsa", "google_pmax", "meta"}
    for case in CASES:
        assert case["source"].startswith("https://") and len(case["quote"]) > 20, case["id"]
        assert set(case["expect"]) <= set(RULES) | LENGTH_RULES, case["id"]
    texts = " ".join(c["text"] for c in CASES)
    assert any("\u0301" in c["text"] for c in CASES)  # combining accents
    assert any(ord(ch) > 0x1F000 for ch in texts)  # emoji
    assert any("\u4e00" <= ch <= "\u9fff" for ch in texts)  # CJK
    assert sum("exactly" in c.get("note", "") for c in CASES) >= 4  # exact limits
    assert sum(not c["expect"] for c in CASES) >= 60  # valid texts, many look suspicious


@pytest.mark.parametrize("rule", sorted(RULES))
def test_every_rule_has_positive_and_negative_cases(rule: str) -> None:
    family = rule.split(".", 1)[0]
    positives = [c for c in CASES if rule in c["expect"]]
    negatives = [
        c
        for c in CASES
        if rule not in c["expect"] and (c["platform"] == "meta") == (family == "meta")
    ]
    assert positives and negatives


def test_precision_and_recall_per_rule(capsys: pytest.CaptureFixture[str]) -> None:
    per_rule, false_errors, n = score(CASES)
    tp = sum(c["tp"] for c in per_rule.values())
    fn = sum(c["fn"] for c in per_rule.values())
    fp = sum(c["fp"] for c in per_rule.values())
    with capsys.disabled():
        print(f"\npolicy corpus: {n} cases")
        print(f"{'rule':45} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>9} {'recall':>7}")
        for rule, c in sorted(per_rule.items()):
            p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
            r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
            print(f"{rule:45} {c['tp']:>4} {c['fp']:>4} {c['fn']:>4} {p:>9.2f} {r:>7.2f}")
        print(
            f"overall recall {tp / (tp + fn):.3f}, precision {tp / (tp + fp):.3f}, "
            f"false errors on valid cases {false_errors}"
        )
    assert tp / (tp + fn) >= 0.95
    assert false_errors == 0


def test_length_only_validator_misses_the_policies() -> None:
    """The baseline the bench compares with: lengths alone find almost none of the labels."""
    policy_cases = [c for c in CASES if set(c["expect"]) - LENGTH_RULES]
    from adgenius.generation.platforms import spec_for
    from adgenius.generation.rules import measure

    found = 0
    for case in policy_cases:
        spec = spec_for(case["platform"])
        fs = spec.field(case["field"])
        found += measure(case["text"], spec.measure) > fs.max_length
    assert found < 0.1 * len(policy_cases)
