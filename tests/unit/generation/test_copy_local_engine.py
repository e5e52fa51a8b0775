from __future__ import annotations

import random
import string

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from adgenius.generation import (
    SUPPORTED_LANGUAGES,
    BrandKit,
    CopyBrief,
    LocalCopyEngine,
    Objective,
    Platform,
    Tone,
    generate_copy_set,
    validate_copy_set,
)
from adgenius.generation.rules import find_banned, normalize_for_uniqueness
from adgenius.text_length import display_length

# Product data as real users type it, in each language, incl. emoji and wide characters.
PRODUCTS = {
    "en": ("TrailRunner 2 shoes", ["Vibram outsole", "Only 240 g"], "trail runners"),
    "es": ("Zapatillas TrailRunner", ["Suela Vibram", "Solo 240 g"], "corredores de montaña"),
    "fr": ("Chaussures TrailRunner", ["Semelle Vibram", "240 g seulement"], "traileurs"),
    "de": ("TrailRunner Laufschuhe", ["Vibram-Sohle", "Nur 240 g"], "Trailläufer"),
    "pt": ("Tênis TrailRunner", ["Sola Vibram", "Apenas 240 g"], "corredores de trilha"),
    "it": ("Scarpe TrailRunner", ["Suola Vibram", "Solo 240 g"], "trail runner"),
    "ja": ("トレイルランナー2 シューズ", ["ビブラムソール", "片足240g"], "週末のトレイルランナー"),
    "zh": ("越野跑鞋 TrailRunner 2", ["Vibram 大底", "单只仅重240克"], "周末越野跑者"),
}


def _assert_full_rsa(copy, kit: BrandKit) -> None:
    """Independent check of the RSA contract (not via the engine's own flags)."""
    assert len(copy.headlines) == 15 and len(copy.descriptions) == 4
    assert all(0 < display_length(h) <= 30 for h in copy.headlines), copy.headlines
    assert all(0 < display_length(d) <= 90 for d in copy.descriptions), copy.descriptions
    assert len({normalize_for_uniqueness(h) for h in copy.headlines}) == 15
    for text in copy.headlines + copy.descriptions:
        assert not find_banned(text, kit.banned_words), text
    for phrase in kit.required_phrases:
        assert any(phrase in d for d in copy.descriptions)


@pytest.fixture(scope="module")
def engine() -> LocalCopyEngine:
    return LocalCopyEngine()


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_full_rsa_set_in_every_supported_language(language, engine, brand_kit) -> None:
    product, facts, audience = PRODUCTS[language]
    brief = CopyBrief(
        objective="sales",
        product=product,
        product_facts=facts,
        audience=audience,
        language=language,
        keywords=[facts[0]],
    )
    copy = engine.generate(brief, brand_kit, Platform.GOOGLE_RSA, seed=1)
    assert validate_copy_set(copy, brand_kit) == []
    _assert_full_rsa(copy, brand_kit)
    cta_bank = engine_bank_ctas(language, "sales")
    assert any(any(cta in h for cta in cta_bank) for h in copy.headlines)  # language-specific


def engine_bank_ctas(language: str, objective: str) -> list[str]:
    from adgenius.generation.local_copy import phrase_bank

    return phrase_bank(language)["cta"][objective]


@pytest.mark.parametrize("platform", [Platform.GOOGLE_PMAX, Platform.META])
def test_pmax_and_meta_sets_are_compliant(platform, engine, brief, brand_kit) -> None:
    copy = engine.generate(brief, brand_kit, platform, seed=3)
    assert validate_copy_set(copy, brand_kit) == []  # no errors and no truncation warnings
    if platform is Platform.GOOGLE_PMAX:
        assert len(copy.headlines) == 15 and len(copy.long_headlines) == 5
        assert copy.business_name == ["TrailCo"]
    else:
        assert len(copy.primary_texts) == 5
        assert any("Terms apply." in t for t in copy.primary_texts)


def test_deterministic_for_a_seed_and_varied_across_seeds(engine, brief, brand_kit) -> None:
    a = engine.generate(brief, brand_kit, "google_rsa", seed=11)
    b = LocalCopyEngine().generate(brief, brand_kit, "google_rsa", seed=11)
    assert a == b
    others = {
        tuple(engine.generate(brief, brand_kit, "google_rsa", seed=s).headlines) for s in range(5)
    }
    assert len(others) > 1


def test_objective_and_tone_steer_the_copy(engine, brief, brand_kit) -> None:
    sales = engine.generate(brief, brand_kit, "google_rsa", seed=0)
    installs = engine.generate(
        brief.model_copy(update={"objective": Objective.APP_INSTALLS, "tone": Tone.LUXURY}),
        brand_kit,
        "google_rsa",
        seed=0,
    )
    text = " ".join(installs.headlines)
    assert "app" in text.lower() and "app" not in " ".join(sales.headlines).lower()


def test_banned_words_never_used(engine, brief) -> None:
    kit = BrandKit(name="TrailCo", voice="bold", banned_words=["shop", "now", "trail"])
    copy = engine.generate(brief, kit, "google_rsa", seed=2)
    assert validate_copy_set(copy, kit) == []
    assert all(not find_banned(t, kit.banned_words) for t in copy.headlines + copy.descriptions)


def test_regenerate_one_field_avoids_existing_items(engine, brief, brand_kit) -> None:
    copy = engine.generate(brief, brand_kit, "google_rsa", seed=0)
    fresh = engine.regenerate_field(
        brief, brand_kit, "google_rsa", "headlines", exclude=copy.headlines, count=3
    )
    assert len(fresh) == 3
    taken = {normalize_for_uniqueness(h) for h in copy.headlines}
    assert not taken & {normalize_for_uniqueness(h) for h in fresh}


def test_impossible_brief_is_flagged_not_faked(engine) -> None:
    # Ban the product, the audience and one word of every phrase in the bank: nothing is left
    # to say, so the engine cannot fill 15 headlines honestly.
    from adgenius.generation.local_copy import phrase_bank

    bank = phrase_bank("en")
    phrases = [*bank["cta"]["sales"], *(p for ps in bank["tone"].values() for p in ps)]
    banned = sorted({p.split()[0] for p in phrases} | {"zzgadget", "yyusers"})
    kit = BrandKit(name="X", voice="calm", banned_words=banned)
    brief = CopyBrief(objective="sales", product="zzgadget", audience="yyusers", language="en")
    result = generate_copy_set(brief, kit, "google_rsa", engine=engine)
    [variant] = result.variants
    assert not variant.compliant
    assert variant.violations == validate_copy_set(variant.copy_set, kit, brief=brief)
    assert any(v.rule == "count" for v in variant.violations)


# -- property tests --------------------------------------------------------------------------

WORDS = st.one_of(
    st.text(alphabet=string.ascii_letters + "0123456789", min_size=1, max_size=12),
    st.sampled_from(
        ["日本", "靴", "跑鞋", "軽量", "😀", "👍🏽", "🇫🇷", "👨\u200d👩\u200d👧", "café", "naïve"]
    ),
    st.sampled_from(["Straße", "ＦＵＬＬ", "q\u0301", "Ünïcödé", "½", "x" * 40, "日" * 20]),
    st.text(min_size=1, max_size=6).filter(lambda s: s.strip()),
)
PHRASE = st.lists(WORDS, min_size=1, max_size=8).map(" ".join).filter(lambda s: s.strip())


@st.composite
def brief_and_kit(draw) -> tuple[CopyBrief, BrandKit]:
    brief = CopyBrief(
        objective=draw(st.sampled_from(list(Objective))),
        tone=draw(st.sampled_from(list(Tone))),
        language=draw(st.sampled_from(SUPPORTED_LANGUAGES)),
        product=draw(PHRASE),
        product_facts=draw(st.lists(PHRASE, max_size=4)),
        audience=draw(PHRASE),
        keywords=draw(st.lists(PHRASE, max_size=4)),
    )
    try:
        kit = BrandKit(
            name=draw(PHRASE),
            voice=draw(PHRASE),
            example_ads=draw(st.lists(PHRASE, max_size=2)),
            banned_words=draw(st.lists(WORDS.filter(lambda s: s.strip()), max_size=3)),
            required_phrases=draw(
                st.lists(
                    st.sampled_from(["Terms apply.", "T&C", "利用規約あり", "18+"]), max_size=2
                )
            ),
        )
    except ValidationError:  # a disclaimer containing a banned word is not a valid kit
        assume(False)
    return brief, kit


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(brief_and_kit(), st.integers(0, 10_000))
def test_rsa_set_is_full_or_flagged_with_exact_violations(engine, case, seed) -> None:
    brief, kit = case
    [variant] = generate_copy_set(brief, kit, "google_rsa", engine=engine, seed=seed).variants
    assert variant.violations == validate_copy_set(variant.copy_set, kit, brief=brief)
    if variant.compliant:
        _assert_full_rsa(variant.copy_set, kit)
    else:
        assert variant.violations and variant.score.total == 0.0


def test_local_engine_essentially_always_succeeds(engine) -> None:
    """Over varied realistic briefs (random words, CJK, emoji, banned words) >= 98% succeed."""
    rng = random.Random(1234)
    vocab = ["trail", "shoe", "grip", "light", "日本", "跑鞋", "😀", "café", "pro", "run", "eco"]
    ok = total = 0
    for i in range(60):
        words = lambda n: " ".join(rng.choice(vocab) for _ in range(n))  # noqa: E731
        brief = CopyBrief(
            objective=rng.choice(list(Objective)),
            tone=rng.choice(list(Tone)),
            language=rng.choice(SUPPORTED_LANGUAGES),
            product=words(rng.randint(1, 6)),
            product_facts=[words(rng.randint(2, 12)) for _ in range(rng.randint(0, 4))],
            audience=words(rng.randint(1, 5)),
            keywords=[words(rng.randint(1, 3)) for _ in range(rng.randint(0, 4))],
        )
        kit = BrandKit(
            name=words(2),
            voice=words(4),
            banned_words=rng.sample(vocab, rng.randint(0, 2)),
            required_phrases=["Terms apply."] if i % 2 else [],
        )
        copy = engine.generate(brief, kit, "google_rsa", seed=i)
        total += 1
        ok += not [v for v in validate_copy_set(copy, kit) if v.severity == "error"]
    assert ok / total >= 0.98, f"{ok}/{total}"


@pytest.mark.parametrize("seed", range(8))
def test_a_product_name_that_fails_policy_still_gets_a_full_rsa(engine, seed) -> None:
    """Found by the property test: every line naming a digits-only product has a policy error,
    and some seeds' candidate sample then held only 9 usable headlines."""
    brief = CopyBrief(
        objective=Objective.AWARENESS, product="0000000000", audience="0", tone=Tone.PROFESSIONAL
    )
    kit = BrandKit(name="0", voice="0")
    _assert_full_rsa(engine.generate(brief, kit, "google_rsa", seed=seed), kit)
