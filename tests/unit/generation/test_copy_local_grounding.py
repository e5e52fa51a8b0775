"""The local copy engine composes with what retrieval found: winning lines and brand documents."""

from __future__ import annotations

import pytest

from adgenius.generation import BrandKit, CopyBrief, LocalCopyEngine, generate_copy_set
from adgenius.generation.copy_service import local_grounding
from adgenius.generation.local_copy import Grounding
from adgenius.generation.prompts import ContextSnippet, PromptInput, WinningExample
from adgenius.generation.rules import find_banned
from adgenius.text_length import display_length

WINNING_HEADLINES = ["Grip That Bites Into Mud", "Mud Loves These Lugs"]
PASSAGES = [
    "Every pair is resoled for free in our Leeds workshop. Each order ships within 24 hours.\n"
    "We plant a tree for every pair sold."
]
GROUNDING = Grounding(
    winning={
        "headlines": WINNING_HEADLINES,
        "descriptions": ["Our grippiest lugs yet, tested on 400 km of muddy Welsh trails."],
    },
    passages=PASSAGES,
)


@pytest.fixture(scope="module")
def engine() -> LocalCopyEngine:
    return LocalCopyEngine()


def test_winning_lines_run_again_and_plain_generation_does_not_invent_them(
    engine: LocalCopyEngine, brief: CopyBrief, brand_kit: BrandKit
) -> None:
    for seed in range(3):
        plain = engine.generate(brief, brand_kit, "google_rsa", seed=seed)
        grounded = engine.generate(brief, brand_kit, "google_rsa", seed=seed, grounding=GROUNDING)
        assert not set(WINNING_HEADLINES) & set(plain.headlines)
        assert set(WINNING_HEADLINES) <= set(grounded.headlines)
        assert len(grounded.headlines) == 15 and len(set(grounded.headlines)) == 15


def test_winners_steer_the_other_fields_towards_what_won(
    engine: LocalCopyEngine, brief: CopyBrief, brand_kit: BrandKit
) -> None:
    """Winning headlines about grip in mud: the descriptions chosen for the new set (the pool
    is the same, one fact of five is about grip) lean to that fact more often than without."""
    brief = brief.model_copy(
        update={"product_facts": [*brief.product_facts, "Sure grip on muddy trails"]}
    )
    headlines_only = Grounding(winning={"headlines": WINNING_HEADLINES})

    def about_grip(descriptions: list[str]) -> int:
        return sum(any(w in d.lower() for w in ("mud", "grip", "lugs")) for d in descriptions)

    plain = grounded = 0
    for seed in range(8):
        plain += about_grip(engine.generate(brief, brand_kit, "google_rsa", seed=seed).descriptions)
        grounded += about_grip(
            engine.generate(
                brief, brand_kit, "google_rsa", seed=seed, grounding=headlines_only
            ).descriptions
        )
    assert grounded > plain


def test_brand_document_sentences_become_facts_of_the_copy(
    engine: LocalCopyEngine, brief: CopyBrief, brand_kit: BrandKit
) -> None:
    facts = GROUNDING.document_facts(90)
    used = set()
    for seed in range(6):
        copy = engine.generate(brief, brand_kit, "google_rsa", seed=seed, grounding=GROUNDING)
        used |= {f for f in facts for line in copy.headlines + copy.descriptions if f in line}
        plain = engine.generate(brief, brand_kit, "google_rsa", seed=seed)
        assert not any(f in line for f in facts for line in plain.headlines + plain.descriptions)
    assert used, "no sentence of the brand's documents reached the copy in 6 seeds"


def test_document_facts_are_whole_sentences_that_fit() -> None:
    assert GROUNDING.document_facts(90) == [
        "Every pair is resoled for free in our Leeds workshop",
        "Each order ships within 24 hours",
        "We plant a tree for every pair sold",
    ]
    assert GROUNDING.document_facts(34) == ["Each order ships within 24 hours"]
    assert Grounding(passages=["A. " * 10]).document_facts(90) == []  # too short to say anything


def test_winning_lines_that_break_the_rules_are_not_used(
    engine: LocalCopyEngine, brief: CopyBrief, brand_kit: BrandKit
) -> None:
    too_long = "The lightest trail shoe we have ever made, by far"  # > 30 characters
    banned = "Cheap Grip For Muddy Trails"  # the kit bans "cheap"
    grounding = Grounding(winning={"headlines": [too_long, banned, WINNING_HEADLINES[0]]})
    copy = engine.generate(brief, brand_kit, "google_rsa", seed=1, grounding=grounding)
    assert WINNING_HEADLINES[0] in copy.headlines
    assert too_long not in copy.headlines and banned not in copy.headlines
    assert all(display_length(h) <= 30 and not find_banned(h, ["cheap"]) for h in copy.headlines)


def test_grounded_generation_is_deterministic_for_a_seed(
    engine: LocalCopyEngine, brief: CopyBrief, brand_kit: BrandKit
) -> None:
    first = engine.generate(brief, brand_kit, "meta", seed=7, grounding=GROUNDING)
    again = engine.generate(brief, brand_kit, "meta", seed=7, grounding=GROUNDING)
    assert first == again


def test_the_copy_service_grounds_the_local_engine_with_retrieval(
    engine: LocalCopyEngine, brief: CopyBrief, brand_kit: BrandKit
) -> None:
    prompt_input = PromptInput(
        brief=brief,
        brand_kit=brand_kit,
        context=[ContextSnippet(id="doc-1#0", text=PASSAGES[0])],
        winners=[
            WinningExample(
                id="cr-9", platform="google_rsa", fields={"headlines": WINNING_HEADLINES}
            )
        ],
    )
    assert local_grounding(prompt_input) == Grounding(
        winning={"headlines": WINNING_HEADLINES}, passages=PASSAGES
    )
    result = generate_copy_set(
        brief, brand_kit, "google_rsa", engine=engine, seed=3, prompt_input=prompt_input
    )
    assert result.best is not None and result.best.copy_set is not None
    assert set(WINNING_HEADLINES) <= set(result.best.copy_set.headlines)
    assert result.context_ids == ["doc-1#0"]


def test_a_winning_ad_from_brand_memory_is_placed_line_by_line(
    engine: LocalCopyEngine, brief: CopyBrief, brand_kit: BrandKit
) -> None:
    """Brand memory stores an ad as its lines: a short line runs as a headline, a long one as a
    description, never the other way round."""
    short, long = "Grip That Bites Into Mud", "Our grippiest lugs yet, tested on 400 km of trails."
    prompt_input = PromptInput(
        brief=brief,
        brand_kit=brand_kit,
        winners=[
            WinningExample(id="cr-1", platform="google_rsa", fields={"ad": [f"{short}\n{long}"]})
        ],
    )
    grounding = local_grounding(prompt_input)
    assert grounding.winning_unplaced == [short, long] and grounding.winning == {}

    copy = engine.generate(brief, brand_kit, "google_rsa", seed=2, grounding=grounding)
    assert short in copy.headlines and short not in copy.descriptions
    assert any(d.startswith(long.rstrip(".")) for d in copy.descriptions)
