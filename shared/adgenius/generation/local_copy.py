"""The local copy engine: real, offline and deterministic for a seed.

How a set is made:
1. Compose candidates: per-language phrase banks (``phrasebanks/{lang}.json``: calls to action
   per objective, tone phrases per tone, templates per field) are filled with the brief's
   product, facts, keywords and audience. Long inputs get shortened variants (cut at a word
   boundary) so something always fits the platform limit.
2. Filter with the same rules as the validator: length, banned words, uniqueness.
3. Rank with maximal marginal relevance over WordLlama embeddings: relevance is the cosine to the
   brief (product, facts, audience, keywords), blended with the cosine to the brand's example ads
   when there are some; redundancy is the highest cosine to an already chosen item. The seed adds
   a small jitter to relevance so different seeds give different (still ranked) sets.
4. Disclaimers (required phrases) are appended to, or replace, descriptions/primary texts.

Policy (``policy``): the brief is rewritten first (``policy.rewrite.clean_brief``: phone numbers,
URLs, emoji, capitals, "!!" never reach a candidate verbatim), and every candidate is checked
with the platform's policy rules: one with an error-level violation is never chosen, one with a
warning (e.g. an unverified "best") only when nothing clean is left. Near-duplicates (normalised
token Jaccard >= ``NEAR_DUPLICATE``) of a chosen line are skipped, and the seed's jitter is large
enough that different seeds pick different sets from the (ranked) pool.

Grounding (what retrieval found for the brief, see ``Grounding``): sentences from the brand's
documents become facts the templates can use; the fields of the brand's winning ads are offered
as candidates themselves (a proven line is worth keeping) and their centroid joins the relevance,
so winners steer which new lines rank first. Both pass the same filters as any candidate.
"""

from __future__ import annotations

import itertools
import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from adgenius.domain.brief import BrandKit, CopyBrief, Platform
from adgenius.text_length import truncate_display

from ..models.base import EmbeddingModel
from .copy_set import CopySet
from .platforms import FieldSpec, PlatformSpec, spec_for
from .policy import PolicyContext, check_text
from .policy.rewrite import clean_brief
from .rules import Severity, contains_phrase, find_banned, measure, normalize_for_uniqueness
from .scoring import NEAR_DUPLICATE, jaccard, tokens
from .steering import MAX_REUSE, STEER_WEIGHT, Steering

ENGINE_NAME = "local"
MODEL_NAME = "adgenius-local-copy-1"

_SLOT = re.compile(r"\{(\w+)\}")
_MAX_CANDIDATES = 600  # bounds embedding + MMR time per field
_SLOT_VALUES = 5  # facts/keywords used per slot, keeps combinations small
_FALLBACK_PENALTY = 0.5  # off-tone / truncated fallbacks are used only when needed
_WARNING_PENALTY = 2.0  # a line with a policy warning is chosen only when nothing else is left
# Seed jitter on relevance (cosines span ~0.2-0.8) and the share of the pool each seed ranks:
# chosen with bench/policy_bench.py (copy_seed_overlap <= 0.3) so that different seeds give
# different sets; every candidate is on-brief and policy-clean, so spreading the choice costs
# little. Policy warnings (-2) stay behind every clean line whatever the jitter.
DEFAULT_JITTER = 0.8
DEFAULT_SAMPLE = 0.6


# The fields composed from phrase-bank templates, and their template names.
_COMPOSED = {
    "headlines": "headline",
    "descriptions": "description",
    "long_headlines": "long_headline",
    "primary_texts": "primary_text",
}
_RELATED_OBJECTIVES = {
    "sales": ("traffic",),
    "traffic": ("awareness",),
    "awareness": ("traffic",),
    "leads": ("traffic",),
    "app_installs": (),
}
_PAIRS = [
    ("{fact}", "{cta}"),
    ("{keyword}", "{cta}"),
    ("{fact}", "{tone}"),
    ("{keyword}", "{tone}"),
    ("{fact}", "{product}"),
    ("{tone}", "{product}"),
]
_WINNER_PRIOR = 0.1  # a winning line is preferred, not imposed: MMR still balances the set
_DOCUMENT_FACTS = 3  # sentences from brand documents added to the brief's facts
_SENTENCE = re.compile(r"(?<=[.!?。！？])\s+|\n+")


@dataclass(frozen=True)
class Grounding:
    """What retrieval found for a brief, as plain text the local engine can compose with.

    ``winning``: per copy field (``headlines``, ``descriptions``, ...), lines of the brand's
    winning ads, best first. ``winning_unplaced``: winning lines whose field is not known (brand
    memory stores an ad as its lines); each is offered to the tightest field it fits, so a short
    line is a headline and a long one a description. ``passages``: brand-document passages, most
    relevant first.
    """

    winning: dict[str, list[str]] = field(default_factory=dict)
    winning_unplaced: list[str] = field(default_factory=list)
    passages: list[str] = field(default_factory=list)

    def winning_lines(self) -> list[str]:
        return [*(t for texts in self.winning.values() for t in texts), *self.winning_unplaced]

    def document_facts(self, limit: int) -> list[str]:
        """Whole sentences of the passages that fit a field of ``limit`` characters."""
        facts: list[str] = []
        for passage in self.passages:
            for sentence in _SENTENCE.split(passage):
                sentence = _strip_end(sentence)
                if 3 <= len(sentence) <= limit and sentence not in facts:
                    facts.append(sentence)
                if len(facts) == _DOCUMENT_FACTS:
                    return facts
        return facts


@lru_cache(maxsize=16)
def phrase_bank(language: str) -> dict[str, Any]:
    path = resources.files("adgenius.generation") / "phrasebanks" / f"{language}.json"
    return json.loads(path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class _Candidate:
    text: str
    prior: float  # 0 for on-brief candidates, negative for fallbacks
    steer: float = 0.0  # preferred minus avoided attributes (Steering.steer_score)
    reuse: bool = False  # a near-copy of a winner's line (capped per field)


def _clean(text: str, capitalize: bool) -> str:
    text = " ".join(text.split())
    text = re.sub(r"([.!?。！？])[.。]+", r"\1", text)  # "fact.." -> "fact."
    text = re.sub(r"\s+([,.:;])", r"\1", text).strip(" -|:")
    if capitalize:
        # Sentence starts that are all-lowercase words ("lightweight shoes") get a capital;
        # brand-cased words like "iPhone" are left alone.
        text = re.sub(
            r"(^|[.!?]\s+|^[¿¡]|[.!?]\s+[¿¡])([^\W\d_][^\s]*)",
            lambda m: (
                m.group(1) + (m.group(2)[0].upper() + m.group(2)[1:])
                if m.group(2).islower()
                else m.group(0)
            ),
            text,
        )
    return text


def _strip_end(text: str) -> str:
    return text.strip().rstrip(".。!！ ")


def _short_variants(text: str, limit: int, *, cut: bool = False) -> list[str]:
    """The text itself plus shorter forms: first clause and, with ``cut``, a word-boundary cut.

    Cuts of facts read badly ("Save up to 60% on the"), so only names get one here; cut facts
    are fallback candidates with a penalty (see ``_Context.candidates``).
    """
    text = _strip_end(text)
    out = [text]
    clause = re.split(r"\s[-–|]\s|[,;:(（、，：]", text, maxsplit=1)[0].strip()
    if clause and clause != text:
        out.append(clause)
    short = truncate_display(text, limit) if cut else ""
    # A cut that drops most of the phrase changes its meaning ("for busy" from "for busy
    # professionals who love coffee"): keep only cuts that leave the larger part.
    if short and len(short) < 0.6 * len(text):
        short = ""
    if short and short not in out:
        out.append(short)
    return out


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector


@dataclass(frozen=True)
class _Anchors:
    """What relevance is measured to: the brief, the brand's voice, its winning lines."""

    about: np.ndarray
    voice: np.ndarray
    winners: np.ndarray | None = None


class LocalCopyEngine:
    """Composes and ranks copy without any remote model."""

    name = ENGINE_NAME
    model = MODEL_NAME

    def __init__(
        self,
        embedder: EmbeddingModel | None = None,
        mmr_lambda: float = 0.7,
        *,
        jitter: float = DEFAULT_JITTER,
        sample: float = DEFAULT_SAMPLE,
        policy: bool = True,
    ) -> None:
        if embedder is None:
            from ..models.local_embedding import WordLlamaEmbedder

            embedder = WordLlamaEmbedder()
        self.embedder = embedder
        self.mmr_lambda = mmr_lambda
        self.jitter = jitter
        self.sample = sample
        self.policy = policy  # False only to measure the old engine (bench baseline)

    # -- public -------------------------------------------------------------------------------
    def generate(
        self,
        brief: CopyBrief,
        brand_kit: BrandKit,
        platform: Platform | str,
        *,
        seed: int = 0,
        grounding: Grounding | None = None,
        steering: Steering | None = None,
    ) -> CopySet:
        """``steering``: winners' lines join the relevance anchor (lines like them rank
        higher), near-copies of them and lines with a loser's phrase are rejected, and each
        preferred (avoided) attribute a line has adds (removes) ``STEER_WEIGHT`` relevance."""
        spec = spec_for(platform)
        grounding = grounding or Grounding()
        if self.policy:
            brief, _ = clean_brief(brief, brand_kit)
        ctx = _Context(
            brief, brand_kit, spec, phrase_bank(brief.language), random.Random(seed), grounding
        )
        ctx.steering = steering if steering is not None and not steering.is_empty() else None
        anchors = self._anchors(brief, brand_kit, grounding, ctx.steering)
        copy = CopySet(platform=spec.platform)
        for fs in spec.fields:
            copy = copy.model_copy(update={fs.name: self._field(ctx, fs, anchors)})
        return self._add_disclaimers(copy, ctx)

    def regenerate_field(
        self,
        brief: CopyBrief,
        brand_kit: BrandKit,
        platform: Platform | str,
        field: str,
        *,
        seed: int = 0,
        exclude: list[str] | None = None,
        count: int | None = None,
    ) -> list[str]:
        """Fresh items for one field, avoiding ``exclude`` ("regenerate one slot")."""
        spec = spec_for(platform)
        if self.policy:
            brief, _ = clean_brief(brief, brand_kit)
        ctx = _Context(
            brief, brand_kit, spec, phrase_bank(brief.language), random.Random(seed), Grounding()
        )
        fs = spec.field(field)
        return self._field(
            ctx, fs, self._anchors(brief, brand_kit), exclude=exclude or [], count=count
        )

    # -- internals ----------------------------------------------------------------------------
    def _anchors(
        self,
        brief: CopyBrief,
        brand_kit: BrandKit,
        grounding: Grounding | None = None,
        steering: Steering | None = None,
    ) -> _Anchors:
        about = " ".join([brief.product, *brief.product_facts, brief.audience, *brief.keywords])
        voice = brand_kit.example_ads or [brand_kit.voice]
        winners = grounding.winning_lines() if grounding else []
        if steering is not None:
            winners = [*winners, *steering.winner_lines()]
        vectors = self.embedder.embed([about, *voice, *winners])
        return _Anchors(
            about=vectors[0],
            voice=_unit(vectors[1 : 1 + len(voice)].mean(axis=0)),
            winners=_unit(vectors[1 + len(voice) :].mean(axis=0)) if winners else None,
        )

    def _field(
        self,
        ctx: _Context,
        fs: FieldSpec,
        anchors: _Anchors,
        *,
        exclude: list[str] | None = None,
        count: int | None = None,
    ) -> list[str]:
        if fs.name == "paths":
            return [p for p in ctx.paths(fs) if not self._policy_findings(ctx, fs.name, p)]
        if fs.name == "business_name":
            name = truncate_display(ctx.brand_kit.name, fs.max_length)
            return [name] if name else []
        limit = fs.max_length
        taken = {normalize_for_uniqueness(t) for t in exclude or []}
        pool: list[_Candidate] = []
        steering = ctx.steering
        avoided = steering.avoid_phrases() if steering is not None else []
        for cand in ctx.candidates(fs.name, limit):
            key = normalize_for_uniqueness(cand.text)
            if key in taken or not cand.text:
                continue
            if measure(cand.text, ctx.spec.measure) > limit:
                continue
            if find_banned(cand.text, ctx.brand_kit.banned_words):
                continue
            if steering is not None:
                # Diversity: a near-copy of a winner is not a new creative; a loser's phrase
                # is what lost.
                # A loser's phrase is what lost. A near-copy of a winner's line is a proven
                # line: a few may stay (``MAX_REUSE`` of the field), the rest must be new.
                if steering.has_avoided_phrase(cand.text, avoided):
                    continue
                cand = _Candidate(
                    cand.text,
                    cand.prior,
                    steering.steer_score(cand.text, fs.name),
                    steering.is_near_copy(cand.text),
                )
            taken.add(key)
            pool.append(cand)
        everything = pool
        if len(pool) > _MAX_CANDIDATES:
            pool = sorted(ctx.rng.sample(pool, _MAX_CANDIDATES), key=lambda c: -c.prior)
        want = count if count is not None else fs.target_count
        if self.policy and self.sample < 1.0:
            # Each seed ranks its own random share of the pool (when the pool is big enough to
            # fill the set from it): different seeds, different sets.
            share = [c for c in pool if c.prior > 0 or ctx.rng.random() < self.sample]
            if len(share) >= 1.5 * want:
                pool = share

        def vet(text: str) -> float | None:
            """None: a policy error (never chosen); else the penalty for its warnings."""
            found = check_text(text, fs.name, ctx.spec.platform, ctx.policy)
            if any(v.severity is Severity.ERROR for v in found):
                return None
            return _WARNING_PENALTY if found else 0.0

        reuse_cap = int(want * MAX_REUSE)
        chosen = self._mmr(
            pool, want, anchors, ctx.rng, vet if self.policy else None, reuse_cap=reuse_cap
        )
        if len(chosen) < want and len(everything) > len(pool):
            # The seed's sample ran out (its lines had policy errors, e.g. a product name that
            # is only digits): the rest of the candidates fill the set before it goes short.
            seen = {normalize_for_uniqueness(t) for t in chosen}
            sampled = {id(c) for c in pool}
            rest = [
                c
                for c in everything
                if id(c) not in sampled and normalize_for_uniqueness(c.text) not in seen
            ]
            chosen += self._mmr(
                rest,
                want - len(chosen),
                anchors,
                ctx.rng,
                vet if self.policy else None,
                reuse_cap=max(0, reuse_cap - sum(c.reuse for c in pool if c.text in chosen)),
            )
        if fs.at_least_one_within:
            chosen = self._ensure_short(
                chosen, pool, fs.at_least_one_within, ctx, vet if self.policy else None
            )
        return chosen

    def _mmr(
        self,
        pool: list[_Candidate],
        k: int,
        anchors: _Anchors,
        rng: random.Random,
        vet: Callable[[str], float | None] | None = None,
        *,
        reuse_cap: int = 0,
    ) -> list[str]:
        """MMR selection, with at most ``reuse_cap`` near-copies of winners' lines. ``vet`` (the
        policy check) runs lazily, on the lines about to be picked only: a line with a policy
        error is dropped, one with warnings loses ``_WARNING_PENALTY`` and competes again
        (checking the whole pool would cost ~1 ms per candidate)."""
        if not pool or k <= 0:
            return []
        emb = self.embedder.embed([c.text for c in pool])
        # A winning line's preference must survive the seed's jitter, so it is lifted by it.
        prior = np.array(
            [c.prior + (self.jitter if c.prior > 0 else 0.0) for c in pool], dtype=np.float32
        )
        jitter = np.array([rng.uniform(0.0, self.jitter) for _ in pool], dtype=np.float32)
        if anchors.winners is None:
            fit = 0.7 * (emb @ anchors.about) + 0.3 * (emb @ anchors.voice)
        else:  # winners steer: lines like them rank higher
            fit = (
                0.45 * (emb @ anchors.about)
                + 0.2 * (emb @ anchors.voice)
                + 0.35 * (emb @ anchors.winners)
            )
        steer = np.array([c.steer for c in pool], dtype=np.float32)
        reuse = np.array([c.reuse for c in pool], dtype=bool)
        relevance = fit + prior + jitter + STEER_WEIGHT * steer
        lam = self.mmr_lambda
        redundancy = np.full(len(pool), -1.0, dtype=np.float32)
        picked: list[int] = []
        blocked = np.zeros(len(pool), dtype=bool)
        vetted = np.zeros(len(pool), dtype=bool)
        toks = [tokens(c.text) for c in pool] if self.policy else []
        while len(picked) < min(k, len(pool)):
            score = lam * relevance - (1 - lam) * np.maximum(redundancy, 0.0)
            score[picked] = -np.inf
            if reuse.any() and int(reuse[picked].sum()) >= reuse_cap:
                score[reuse] = -np.inf
            if self.policy:
                # Near-duplicates of a chosen line go last: used only if nothing else is left.
                score[blocked] -= 10.0
            best = int(np.argmax(score))
            if not np.isfinite(score[best]):
                break
            if vet is not None and not vetted[best]:
                vetted[best] = True
                penalty = vet(pool[best].text)
                if penalty is None or penalty > 0:
                    relevance[best] = -np.inf if penalty is None else relevance[best] - penalty
                    continue
            picked.append(best)
            redundancy = np.maximum(redundancy, emb @ emb[best])
            if self.policy:
                for i in range(len(pool)):
                    if not blocked[i] and jaccard(toks[i], toks[best]) >= NEAR_DUPLICATE:
                        blocked[i] = True
        return [pool[i].text for i in picked]

    def _policy_findings(self, ctx: _Context, field: str, text: str) -> bool:
        """Any policy violation, warnings included (a display path has plenty of options)."""
        return self.policy and bool(check_text(text, field, ctx.spec.platform, ctx.policy))

    def _ensure_short(
        self,
        chosen: list[str],
        pool: list[_Candidate],
        within: int,
        ctx: _Context,
        vet: Callable[[str], float | None] | None = None,
    ) -> list[str]:
        if not chosen or any(measure(t, ctx.spec.measure) <= within for t in chosen):
            return chosen
        for cand in pool:
            short = measure(cand.text, ctx.spec.measure) <= within
            if short and cand.text not in chosen and (vet is None or vet(cand.text) == 0.0):
                return [*chosen[:-1], cand.text]
        return chosen

    def _add_disclaimers(self, copy: CopySet, ctx: _Context) -> CopySet:
        for name in ctx.spec.disclaimer_fields:
            fs = ctx.spec.field(name)
            items = copy.items(name)
            carrying: set[int] = set()
            for phrase in ctx.brand_kit.required_phrases:
                if any(contains_phrase(t, phrase) for t in items):
                    continue
                free = [i for i in reversed(range(len(items))) if i not in carrying]
                target = next(
                    (
                        i
                        for i in free
                        if measure(ctx.join(items[i], phrase), ctx.spec.measure) <= fs.max_length
                    ),
                    None,
                )
                if target is not None:
                    items[target] = ctx.join(items[target], phrase)
                elif free:
                    target = free[0]
                    items[target] = phrase
                else:
                    items.append(phrase)
                    target = len(items) - 1
                carrying.add(target)
            copy = copy.model_copy(update={name: items})
        return copy


class _Context:
    """Slot values and candidate composition for one brief in one language."""

    def __init__(
        self,
        brief: CopyBrief,
        brand_kit: BrandKit,
        spec: PlatformSpec,
        bank: dict[str, Any],
        rng: random.Random,
        grounding: Grounding,
    ) -> None:
        self.brief, self.brand_kit, self.spec, self.bank, self.rng = (
            brief,
            brand_kit,
            spec,
            bank,
            rng,
        )
        self.grounding = grounding
        self.steering: Steering | None = None
        self.policy = PolicyContext.build(brand_kit, brief)
        self.capitalize: bool = bank["capitalize"]
        self.joiner: str = bank["joiner"]

    def join(self, text: str, phrase: str) -> str:
        text = text.strip()
        if text and not text.endswith((".", "!", "?", "。", "！", "？")):
            text += self.bank["period"]
        return f"{text}{self.joiner}{phrase}".strip()

    def _slots(self, limit: int) -> dict[str, list[str]]:
        b = self.brief
        known = [*b.product_facts[:_SLOT_VALUES], *self.grounding.document_facts(limit)]
        facts = [v for f in known for v in _short_variants(f, limit)]
        keywords = [v for k in b.keywords[:_SLOT_VALUES] for v in _short_variants(k, limit)]
        return {
            "product": _short_variants(b.product, max(limit // 2, 10), cut=True),
            "fact": facts,
            "fact2": facts,
            "keyword": keywords,
            "audience": _short_variants(b.audience, max(limit // 2, 10), cut=True),
            # The objective's own calls to action first, then those of related objectives
            # ("Learn more" suits a sales ad; "Download the app" does not).
            "cta": list(
                dict.fromkeys(
                    c
                    for o in (b.objective.value, *_RELATED_OBJECTIVES[b.objective.value])
                    for c in self.bank["cta"][o]
                )
            ),
            "tone": list(self.bank["tone"][b.tone.value]),
        }

    def candidates(self, field: str, limit: int) -> list[_Candidate]:
        templates = list(self.bank[_COMPOSED[field]])
        # Meta headlines/descriptions are short: build them from headline templates.
        if field == "descriptions" and limit < 60:
            templates = list(self.bank["headline"])
        if limit <= 40:
            # Two short phrases joined by the language's separator ("Five speeds | Shop now"):
            # grammatical in every language, and they widen the pool so that different seeds
            # can give different sets even for a brief with few facts.
            sep = " | " if self.capitalize else "｜"
            templates += [sep.join(pair) for pair in _PAIRS]
        slots = self._slots(limit)
        out: list[_Candidate] = []
        for template in templates:
            names = list(dict.fromkeys(_SLOT.findall(template)))
            if any(not slots[n] for n in names):
                continue
            for values in itertools.product(*(slots[n] for n in names)):
                filled = dict(zip(names, values, strict=True))
                if "fact2" in filled and filled["fact2"] == filled.get("fact"):
                    continue
                text = template
                for name, value in filled.items():
                    text = text.replace("{" + name + "}", value)
                out.append(_Candidate(_clean(text, self.capitalize), 0.0))
        # The brand's winning lines for this field, as they ran.
        winning = [
            *self.grounding.winning.get(field, []),
            *(t for t in self.grounding.winning_unplaced if self._tightest_field(t) == field),
        ]
        for text in winning:
            out.append(_Candidate(_clean(text, self.capitalize), _WINNER_PRIOR))
        # Fallbacks: other tones' phrases, and hard cuts of the product and facts.
        other_tones = [p for t, ps in self.bank["tone"].items() for p in ps]
        cuts = [
            truncate_display(_strip_end(t), limit)
            for t in [*self.brief.product_facts, *self.brief.keywords]
        ]
        cuts.append(truncate_display(_strip_end(self.brief.product), limit))
        for text in [*other_tones, *cuts]:
            if text:
                out.append(_Candidate(_clean(text, self.capitalize), -_FALLBACK_PENALTY))
        return out

    def _tightest_field(self, text: str) -> str | None:
        """The composed field with the smallest limit that `text` fits."""
        size = measure(text, self.spec.measure)
        fits = [f for f in self.spec.fields if f.name in _COMPOSED and size <= f.max_length]
        return min(fits, key=lambda f: f.max_length).name if fits else None

    def paths(self, fs: FieldSpec) -> list[str]:
        words: list[str] = []
        for source in [*self.brief.keywords, self.brief.product]:
            token = re.sub(r"[^\w-]", "", source.split()[0]) if source.split() else ""
            token = truncate_display(token, fs.max_length)
            if token and token not in words and not find_banned(token, self.brand_kit.banned_words):
                words.append(token)
            if len(words) == fs.target_count:
                break
        return words
