"""Fixtures for the copy-generation tests: a brief, a brand kit and the embedder."""

from __future__ import annotations

import pytest

from adgenius.generation import BrandKit, CopyBrief
from adgenius.models.local_embedding import WordLlamaEmbedder


@pytest.fixture
def brand_kit() -> BrandKit:
    return BrandKit(
        name="TrailCo",
        voice="energetic, outdoorsy, honest; no hype",
        example_ads=["Run wild trails with grip you can trust", "Light shoes for muddy mornings"],
        banned_words=["cheap", "guaranteed"],
        required_phrases=["Terms apply."],
        colors=["#0A7F3F", "#ffffff"],
    )


@pytest.fixture
def brief() -> CopyBrief:
    return CopyBrief(
        objective="sales",
        product="TrailRunner 2 shoes",
        product_facts=["Vibram outsole with 5 mm lugs", "Only 240 g per shoe", "Free returns"],
        landing_url="https://trailco.example/trailrunner",
        audience="weekend trail runners",
        language="en",
        tone="bold",
        keywords=["trail running shoes", "lightweight trail shoes"],
    )


@pytest.fixture(scope="session")
def embedder() -> WordLlamaEmbedder:
    return WordLlamaEmbedder()
