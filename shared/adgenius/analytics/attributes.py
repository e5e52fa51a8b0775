"""Creative attributes: the features that can explain why one creative beats another.

Pure and deterministic: the same content gives the same attributes, so attributes recorded at
generation time (``content.attributes``, written by the copy paths) and attributes extracted
later from a creative's content (older creatives, imported ones) agree.

Copy: the angle (benefit, price, urgency, social proof, feature) by per-language keyword
lexicons (a word-boundary match for space-separated languages, a substring match for Japanese
and Chinese), the length bucket of the headlines, a number or not, a question or not, the call
to action (matched against the phrase banks' calls to action of the language), the tone
(``style_attributes``: the banks' tone phrases) and the language.
Images and video: what the engine chose and the content records (style, ratio, layout,
colours, duration, the pace of a video's cuts, and for images what the renderer drew:
``content.visual`` with the logo's placement, the photo's subject and people or not); nothing is
guessed from pixels here.

``binary_features`` turns attributes into the yes/no features the insights model estimates
(``angle:price``, ``has_number``, ...): one vocabulary for both.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources
from typing import Any

from adgenius.analytics.style_attributes import TONES, pace_of, tone_of

ANGLES = ("benefit", "price", "urgency", "social_proof", "feature")
_TIE_ORDER = ("price", "urgency", "social_proof", "feature", "benefit")
LENGTH_BUCKETS = ("short", "medium", "long")
ATTRIBUTES_VERSION = "attributes-2"  # 2: tone (copy), pace (video)

# Why lexicons and not a model: they are deterministic, explainable ("matched 'save'") and
# cheap; a cloud engine may record richer attributes, the keys stay the same.
_LEXICON: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "price": (
            "save",
            "saving",
            "savings",
            "discount",
            "off",
            "deal",
            "deals",
            "cheap",
            "cheaper",
            "affordable",
            "price",
            "prices",
            "free",
            "sale",
            "$",
            "€",
            "£",
            "budget",
            "value",
            "half price",
            "low cost",
            "coupon",
            "%",
        ),
        "urgency": (
            "now",
            "today",
            "hurry",
            "last chance",
            "limited",
            "ends",
            "ending",
            "tonight",
            "only",
            "don't miss",
            "before",
            "while stocks last",
            "fast",
            "instant",
            "this week",
            "deadline",
        ),
        "social_proof": (
            "trusted",
            "rated",
            "reviews",
            "review",
            "loved",
            "customers",
            "thousands",
            "millions",
            "award",
            "award-winning",
            "bestselling",
            "best-selling",
            "popular",
            "join",
            "recommended",
            "5-star",
            "stars",
            "favourite",
            "favorite",
            "people",
        ),
        "benefit": (
            "enjoy",
            "feel",
            "easy",
            "easier",
            "effortless",
            "comfort",
            "comfortable",
            "better",
            "healthier",
            "happier",
            "more time",
            "peace of mind",
            "relax",
            "simple",
            "simplify",
            "confidence",
            "love",
            "your",
        ),
        "feature": (
            "with",
            "built",
            "made",
            "includes",
            "including",
            "features",
            "design",
            "designed",
            "battery",
            "speed",
            "speeds",
            "material",
            "technology",
            "tech",
            "waterproof",
            "lightweight",
            "organic",
            "stainless",
            "wireless",
            "hours",
        ),
    },
    "fr": {
        "price": ("économisez", "promo", "réduction", "prix", "gratuit", "soldes", "offre", "€"),
        "urgency": ("maintenant", "aujourd'hui", "vite", "dernière chance", "limité", "limitée"),
        "social_proof": ("clients", "avis", "recommandé", "populaire", "milliers", "rejoignez"),
        "benefit": ("profitez", "facile", "confort", "simple", "sérénité", "mieux", "votre"),
        "feature": ("avec", "conçu", "fabriqué", "inclut", "batterie", "technologie"),
    },
    "de": {
        "price": ("sparen", "rabatt", "preis", "gratis", "kostenlos", "angebot", "sale", "€"),
        "urgency": ("jetzt", "heute", "schnell", "nur", "begrenzt", "letzte chance"),
        "social_proof": ("kunden", "bewertungen", "beliebt", "tausende", "empfohlen"),
        "benefit": ("genießen", "einfach", "komfort", "bequem", "besser", "ihr", "ihre"),
        "feature": ("mit", "gebaut", "entwickelt", "enthält", "akku", "technologie"),
    },
    "es": {
        "price": ("ahorra", "descuento", "precio", "gratis", "oferta", "rebajas", "€", "$"),
        "urgency": ("ahora", "hoy", "rápido", "última oportunidad", "limitado", "solo"),
        "social_proof": ("clientes", "reseñas", "opiniones", "popular", "miles", "únete"),
        "benefit": ("disfruta", "fácil", "comodidad", "cómodo", "mejor", "tu", "tus"),
        "feature": ("con", "diseñado", "fabricado", "incluye", "batería", "tecnología"),
    },
    "ja": {
        "price": ("割引", "円", "無料", "お得", "セール", "価格", "特価", "オフ"),
        "urgency": ("今すぐ", "本日", "期間限定", "限定", "お早めに", "今だけ"),
        "social_proof": ("人気", "満足", "レビュー", "口コミ", "お客様", "受賞", "万人"),
        "benefit": ("快適", "簡単", "安心", "楽しめ", "もっと", "ラク"),
        "feature": ("搭載", "素材", "機能", "設計", "バッテリー", "技術"),
    },
}
_NO_SPACES = {"ja", "zh"}
_NUMBER = re.compile(r"\d|[０-９]")
_QUESTION = re.compile(r"[?？¿]")
_COPY_FIELDS = ("headlines", "long_headlines", "descriptions", "primary_texts")


@lru_cache(maxsize=16)
def _ctas(language: str) -> tuple[str, ...]:
    """The phrase bank's calls to action of a language, longest first (best match wins)."""
    path = resources.files("adgenius.generation") / "phrasebanks" / f"{language}.json"
    try:
        bank = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return ()
    ctas = {c for group in bank.get("cta", {}).values() for c in group}
    return tuple(sorted(ctas, key=lambda c: (-len(c), c)))


def _has_term(text: str, term: str, language: str) -> bool:
    if language in _NO_SPACES or not term[:1].isalnum():
        return term in text
    return re.search(rf"(?<![\w'-]){re.escape(term)}(?![\w'-])", text) is not None


def angle_scores(text: str, language: str) -> dict[str, int]:
    """Lexicon hits per angle (0 for every angle in a language without a lexicon)."""
    lexicon = _LEXICON.get(language.split("-")[0].lower() or "en", {})
    low = text.lower()
    return {a: sum(_has_term(low, t, language) for t in lexicon.get(a, ())) for a in ANGLES}


def length_bucket(texts: Iterable[str]) -> str:
    """Bucket of the mean length of the lines (characters): <= 22 short, <= 32 medium."""
    lengths = [len(t) for t in texts if t]
    if not lengths:
        return "short"
    mean = sum(lengths) / len(lengths)
    return "short" if mean <= 22 else "medium" if mean <= 32 else "long"


def _lines(content: Mapping[str, Any]) -> list[str]:
    out: list[str] = []
    for name in _COPY_FIELDS:
        value = content.get(name)
        if isinstance(value, list):
            out.extend(str(v) for v in value if v)
    for name in ("headline", "description"):  # image / video creatives carry single lines
        if isinstance(content.get(name), str) and content[name]:
            out.append(content[name])
    return out


def copy_attributes(content: Mapping[str, Any], language: str | None = None) -> dict[str, Any]:
    """Attributes of a copy creative's content (``headlines``, ``descriptions``, ...)."""
    language = (language or str(content.get("language") or "en")).split("-")[0].lower()
    lines = _lines(content)
    heads = [str(h) for h in content.get("headlines") or [] if h]
    if not heads and isinstance(content.get("headline"), str) and content["headline"]:
        heads = [content["headline"]]
    text = " \n ".join(lines)
    scores = angle_scores(text, language)
    # The angle is the one the copy leans on most; ties go to the more specific claim
    # (_TIE_ORDER: price before urgency ... benefit, whose lexicon has common words like
    # "your"), "none" when no lexicon term matched.
    best = max(_TIE_ORDER, key=lambda a: (scores[a], -_TIE_ORDER.index(a)))
    low = text.lower()
    explicit_cta = content.get("cta") if isinstance(content.get("cta"), str) else None
    cta = explicit_cta or next((c for c in _ctas(language) if c.lower() in low), None)
    return {
        "version": ATTRIBUTES_VERSION,
        "language": language,
        "angle": best if scores[best] > 0 else "none",
        "angles": [a for a in ANGLES if scores[a] > 0],
        "length": length_bucket(heads or lines),
        "has_number": bool(_NUMBER.search(" ".join(heads or lines))),
        "is_question": bool(_QUESTION.search(text)),
        "cta": cta,
        "tone": tone_of(text, language),
    }


def media_attributes(
    content: Mapping[str, Any], assets: Iterable[Mapping[str, Any]] = ()
) -> dict[str, Any]:
    """Attributes of an image or video creative: the copy on it plus what the engine chose."""
    out = copy_attributes(content)
    for key in ("style", "ratio", "layout", "variant"):
        if content.get(key) not in (None, ""):
            out[key] = content[key]
    visual = content.get("visual")
    if isinstance(visual, dict):  # what the renderer drew (logo place, the photo's subject)
        for key in ("logo_placement", "subject"):
            if visual.get(key) not in (None, ""):
                out[key] = str(visual[key])
        if "people" in visual:
            out["people"] = bool(visual["people"])
    colours = content.get("palette") or content.get("colours") or content.get("colors")
    if isinstance(colours, list) and colours:
        out["dominant_colour"] = str(colours[0]).lower()
    durations = [float(a["duration_s"]) for a in assets if a.get("duration_s")]
    if content.get("duration_s"):
        durations.append(float(content["duration_s"]))
    if durations:
        d = max(durations)
        out["duration"] = "short" if d <= 10 else "medium" if d <= 20 else "long"
        scenes = content.get("scenes")
        pace = pace_of(d, int(scenes)) if isinstance(scenes, int | float) else None
        if pace:
            out["pace"] = pace
    return out


def creative_attributes(
    kind: str, content: Mapping[str, Any], assets: Iterable[Mapping[str, Any]] = ()
) -> dict[str, Any]:
    """The recorded attributes when the engine wrote them, else extracted from the content."""
    recorded = content.get("attributes")
    if isinstance(recorded, dict) and recorded.get("version") == ATTRIBUTES_VERSION:
        return dict(recorded)
    if kind == "copy":
        return copy_attributes(content)
    return media_attributes(content, assets)


def binary_features(attrs: Mapping[str, Any]) -> dict[str, bool]:
    """Yes/no features for the insights model. Categorical attributes become one feature per
    value seen (``angle:price``); the language is left out (it is a segment, not a choice)."""
    out: dict[str, bool] = {}
    angles = set(attrs.get("angles") or [])
    for a in ANGLES:
        out[f"angle:{a}"] = a in angles
    if "length" in attrs:
        for b in LENGTH_BUCKETS:
            out[f"length:{b}"] = attrs["length"] == b
    for flag in ("has_number", "is_question"):
        if flag in attrs:
            out[flag] = bool(attrs[flag])
    out["has_cta"] = bool(attrs.get("cta"))
    if attrs.get("tone") in TONES:
        out[f"tone:{attrs['tone']}"] = True
    for key in ("style", "ratio", "layout", "dominant_colour", "duration", "pace", "subject"):
        if attrs.get(key) not in (None, ""):
            out[f"{key}:{attrs[key]}"] = True
    if attrs.get("logo_placement") not in (None, ""):
        # Logo or not is its own comparison; where it sits, among images with one.
        out["has_logo"] = attrs["logo_placement"] != "none"
        if attrs["logo_placement"] != "none":
            out[f"logo_placement:{attrs['logo_placement']}"] = True
    if "people" in attrs:
        out["people"] = bool(attrs["people"])
    return out


FEATURE_LABELS = {
    "angle:benefit": "a benefit angle",
    "angle:price": "a price angle",
    "angle:urgency": "an urgency angle",
    "angle:social_proof": "social proof",
    "angle:feature": "a feature angle",
    "length:short": "short headlines",
    "length:medium": "medium-length headlines",
    "length:long": "long headlines",
    "has_number": "a number in the headline",
    "is_question": "a question",
    "has_cta": "a call to action",
    **{f"tone:{t}": f"a {t} tone" for t in TONES},
    "has_logo": "the logo on the image",
    "people": "people in the picture",
    "subject:product": "a product photo",
    "subject:lifestyle": "a lifestyle photo",
    "subject:graphic": "a graphic without a photo",
    "pace:fast": "fast cuts (under 3 s a scene)",
    "pace:slow": "slow cuts (6 s or more a scene)",
}


def describe(feature: str) -> str:
    """Plain words for a feature ("a number in the headline"), used in insights and prompts."""
    if feature in FEATURE_LABELS:
        return FEATURE_LABELS[feature]
    key, _, value = feature.partition(":")
    return f"{key.replace('_', ' ')} {value.replace('_', ' ')}".strip()
