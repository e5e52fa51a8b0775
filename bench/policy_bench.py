"""Ad policy compliance: the validator on the labelled corpus, generation on hostile briefs.

Measures (all in one run, each with a same-run baseline):

* ``copy_policy_recall``: share of the corpus labels (tests/unit/generation/policy_corpus.json,
  every rule, both platforms) that the validator reports. Baseline: the length-only validator
  (what existed before the policy layer) on the same labels.
* ``copy_policy_false_error_rate``: error-level findings per valid corpus case (texts that look
  suspicious but comply). Baseline: the length-only validator on the same cases.
* ``copy_generated_violation_rate``: share of generated sets (>= 50: hostile and ordinary briefs,
  8 languages, 3 platforms, varied seeds) carrying an error-level violation that the result does
  not flag (missing from ``violations`` or the set marked compliant). Baseline: the old engine
  (no brief rewriting, no policy filter, small jitter) judged the old way (length rules only),
  with the policy validator as the referee: sets the old pipeline passed although they break a
  policy.
* ``copy_seed_overlap``: mean Jaccard overlap of the headline sets of 5 seeds of one brief, over
  several briefs. Baseline: the old engine (jitter 0.08, no near-duplicate skipping).

    python -c "import pathlib, bench.policy_bench as b; print(b.run(pathlib.Path('/tmp/x')))"
"""

from __future__ import annotations

import itertools
import json
import pathlib
import random
import statistics

from adgenius.generation import (
    SUPPORTED_LANGUAGES,
    BrandKit,
    CopyBrief,
    LocalCopyEngine,
    Platform,
    generate_copy_set,
)
from adgenius.generation.platforms import spec_for
from adgenius.generation.policy import check_item
from adgenius.generation.policy.base import PolicyContext
from adgenius.generation.rules import Severity, measure, validate_copy_set, validate_lengths
from adgenius.models.local_embedding import WordLlamaEmbedder
from adgenius.testing.brief_samples import HOSTILE_FACTS as HOSTILE
from adgenius.testing.brief_samples import ORDINARY_FACTS as ORDINARY
from adgenius.testing.brief_samples import PRODUCT_NAMES as PRODUCT

ROOT = pathlib.Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "unit" / "generation" / "policy_corpus.json"
LENGTH_RULES = {"length", "truncation"}
GENERATED_SETS = 60
SEEDS = 5

KIT = BrandKit(name="BlendCo", voice="warm, expert, no hype")


def _corpus_scores() -> tuple[float, float, float, float]:
    cases = json.loads(CORPUS.read_text(encoding="utf-8"))["cases"]
    labels = hits = length_hits = 0
    valid = false_errors = length_false_errors = 0
    for case in cases:
        ctx = PolicyContext(
            language=case.get("language", "en"),
            brand_terms=frozenset(case.get("brand_terms", [])),
            substantiation=tuple(s.casefold() for s in case.get("substantiated", [])),
        )
        found = check_item(case["text"], case["field"], case["platform"], ctx)
        got = {v.rule for v in found}
        spec = spec_for(case["platform"])
        fs = spec.field(case["field"])
        over = measure(case["text"], spec.measure) > fs.max_length
        length_got = {"length" if fs.hard_length else "truncation"} if over else set()
        for rule in case["expect"]:
            labels += 1
            hits += rule in got
            length_hits += rule in length_got
        if not case["expect"]:
            valid += 1
            false_errors += any(v.severity is Severity.ERROR for v in found)
            length_false_errors += bool(length_got) and fs.hard_length
    return hits / labels, length_hits / labels, false_errors / valid, length_false_errors / valid


def _brief(rng: random.Random, i: int) -> CopyBrief:
    lang = SUPPORTED_LANGUAGES[i % len(SUPPORTED_LANGUAGES)]
    hostile = i % 2 == 0
    pool = HOSTILE[lang] if hostile else ORDINARY[lang]
    facts = rng.sample(pool, k=min(3, len(pool)))
    return CopyBrief(
        objective=rng.choice(["sales", "leads", "traffic", "awareness"]),
        product=PRODUCT[lang] + (" 🔥" if hostile and rng.random() < 0.5 else ""),
        product_facts=facts,
        audience="BUSY home cooks" if hostile else "home cooks",
        language=lang,
        keywords=[rng.choice(pool)],
    )


def _unflagged(variant, brief: CopyBrief) -> bool:
    errors = [
        v
        for v in validate_copy_set(variant.copy_set, KIT, brief=brief)
        if v.severity is Severity.ERROR
    ]
    return bool(errors) and (variant.compliant or any(e not in variant.violations for e in errors))


def _overlap(engine: LocalCopyEngine, briefs: list[CopyBrief]) -> float:
    values = []
    for brief in briefs:
        sets = [
            set(engine.generate(brief, KIT, Platform.GOOGLE_RSA, seed=s).headlines)
            for s in range(SEEDS)
        ]
        values += [len(a & b) / len(a | b) for a, b in itertools.combinations(sets, 2)]
    return statistics.mean(values)


def run(work_dir: pathlib.Path) -> dict[str, dict]:
    work_dir.mkdir(parents=True, exist_ok=True)
    embedder = WordLlamaEmbedder()
    embedder.embed(["warm up"])
    results: dict[str, dict] = {}

    def add(name: str, value: float, baseline: float, goal: str, unit: str) -> None:
        results[name] = {
            "value": round(value, 4),
            "unit": unit,
            "baseline": round(baseline, 4),
            # Equal values (both 0 for false errors) are a ratio of 1; NaN is not valid JSON.
            "ratio": round(value / baseline, 3) if baseline else (1.0 if value == 0 else 1e9),
            "goal": goal,
        }

    recall, length_recall, false_rate, length_false_rate = _corpus_scores()
    add("copy_policy_recall", recall, length_recall, ">= 0.95", "fraction")
    add("copy_policy_false_error_rate", false_rate, length_false_rate, "0", "fraction")

    engine = LocalCopyEngine(embedder)
    old = LocalCopyEngine(embedder, jitter=0.08, policy=False)
    rng = random.Random(20261130)
    platforms = list(Platform)
    unflagged = old_unflagged = flagged = 0
    for i in range(GENERATED_SETS):
        brief = _brief(rng, i)
        platform = platforms[i % len(platforms)]
        seed = rng.randrange(10_000)
        [variant] = generate_copy_set(brief, KIT, platform, engine=engine, seed=seed).variants
        unflagged += _unflagged(variant, brief)
        flagged += not variant.compliant
        copy = old.generate(brief, KIT, platform, seed=seed)
        old_says_ok = not [v for v in validate_lengths(copy, KIT) if v.severity is Severity.ERROR]
        policy_errors = [
            v for v in validate_copy_set(copy, KIT, brief=brief) if v.severity is Severity.ERROR
        ]
        old_unflagged += old_says_ok and bool(policy_errors)
    add(
        "copy_generated_violation_rate",
        unflagged / GENERATED_SETS,
        old_unflagged / GENERATED_SETS,
        "0 unflagged",
        "fraction",
    )
    print(f"policy_bench: {flagged}/{GENERATED_SETS} generated sets flagged non-compliant")

    briefs = [_brief(random.Random(k), k) for k in range(8)]
    add("copy_seed_overlap", _overlap(engine, briefs), _overlap(old, briefs), "<= 0.3", "jaccard")
    return results


if __name__ == "__main__":
    print(json.dumps(run(pathlib.Path("/tmp/policy-bench")), indent=1))
