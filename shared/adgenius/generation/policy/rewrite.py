"""Rewrite brief text so that nothing offending is copied verbatim into an ad.

The brief is the marketer's input, and marketers write "FREE shipping!!", "Call 1-800-555-0199"
and emoji. Before any engine composes copy, every free-text brief field is rewritten: phone
numbers, URLs and e-mail addresses are dropped (with a note: a call asset or the final URL
carries them), emoji and decorative symbols removed, repeated punctuation and "!" removed,
words in capitals put in normal case (the brand kit's own names and acronyms stay), letter-spaced
words joined, generic calls to action dropped. Whatever still violates a rule after this is
filtered or flagged by the validator.
"""

from __future__ import annotations

import re
import unicodedata

import regex

from adgenius.domain.brief import BrandKit, CopyBrief

from .base import PolicyContext, fold_digits
from .google_editorial import GENERIC_CTA_RE, PHONE_RE, URL_RE, VANITY_RE, allowed_caps
from .lexicon import ACRONYMS

_EMOJI_CLUSTER = regex.compile(r"\X")
_EMOJI = regex.compile(r"[\p{Extended_Pictographic}\p{Regional_Indicator}\uFE0F\u20E3]")
_DECOR = re.compile(r"[•●▪◦‣⁃∙★☆✓✔✗✘✦✧♥♡❤♦♣♠※◆◇■□▲△▼▽►▶◀➤➔→←↑↓⇒√☞✪✰❖⁰¹⁴-⁹⁺⁻⁼⁽⁾ⁱⁿ]")
_CALL_WORDS = re.compile(
    r"(?:\b(?:call|phone|text|dial|ring|tel\.?|whatsapp|llama|llámanos|appelez|appelez-nous|"
    r"anrufen|rufen sie an|ligue|chiama)\b(?:\s+(?:us|now|today|free|toll-free|at|on|au|unter|"
    r"al|para))*\s*:?\s*)$",
    re.I,
)
_SPACED = re.compile(r"(?<![\w])(?:[^\W\d_] ){3,}[^\W\d_](?!\w)")


def clean_text(text: str, ctx: PolicyContext, notes: list[str], *, sentence: bool = True) -> str:
    """One brief text, rewritten so it carries no policy violation of its own making."""
    text = unicodedata.normalize("NFKC", text) if re.search(r"[\uFF61-\uFF9F]", text) else text
    folded = fold_digits(text)
    for pattern in (PHONE_RE, VANITY_RE):
        for m in reversed(list(pattern.finditer(folded))):
            digits = re.sub(r"\D", "", m.group(0))
            if pattern is PHONE_RE and not 7 <= len(digits) <= 15:
                continue
            head = _CALL_WORDS.sub("", text[: m.start()])
            text = head + text[m.end() :]
            folded = fold_digits(text)
            _note(
                notes,
                "A phone number in the brief was left out of the ad text: add it as a "
                "call asset instead.",
            )
    if URL_RE.search(text):
        text = URL_RE.sub("", text)
        text = re.sub(r"\b(?:visit|at|on|see|go to)\s*$", "", text.rstrip(), flags=re.I)
        _note(
            notes,
            "A URL or e-mail address in the brief was left out of the ad text: the final "
            "URL and display paths carry the destination.",
        )
    kept = []
    for m in _EMOJI_CLUSTER.finditer(text):
        cluster = m.group(0)
        if cluster in "©®™" or not _EMOJI.search(cluster):
            kept.append(cluster)
    text = "".join(kept)
    text = _DECOR.sub(" ", text)
    text = GENERIC_CTA_RE.sub("", text)
    text = _SPACED.sub(lambda m: m.group(0).replace(" ", ""), text)
    text = re.sub(r"[!！¡]+", "", text)
    text = re.sub(r"([?？.,;:*$%#@&+=~_/\\|-])\1+", r"\1", text)
    text = re.sub(r"\.{2,}|…", "", text)
    text = re.sub(r"\*", "", text)
    text = _fix_caps(text, ctx, sentence)
    text = re.sub(r"\s+([,.;:?])", r"\1", text)
    text = re.sub(r"([,;:])(?=[^\W\d_])", r"\1 ", text)
    text = " ".join(text.split()).strip(" ,;:-–|/")
    return text


def _fix_caps(text: str, ctx: PolicyContext, sentence: bool) -> str:
    words = list(re.finditer(r"[^\W\d_][\w'’.-]*[\w]|[^\W\d_]", text))
    out, last = [], 0
    prev = ""
    for i, m in enumerate(words):
        token = m.group(0)
        letters = [c for c in token if c.isalpha()]
        fixed = token
        caps = len(letters) >= 2 and all(c.isupper() for c in letters)
        if caps and not allowed_caps(token, ctx, prev):
            first = (i == 0 and sentence) or re.search(r"[.!?]\s*$", text[: m.start()])
            fixed = token.capitalize() if first else token.lower()
        elif (
            token not in ctx.brand_terms
            and token.upper() not in ACRONYMS
            and len(re.findall(r"[a-z][A-Z]", token)) >= 2
        ):
            fixed = token.lower()
        out.append(text[last : m.start()] + fixed)
        last = m.end()
        prev = token.casefold()
    out.append(text[last:])
    return "".join(out)


def _note(notes: list[str], note: str) -> None:
    if note not in notes:
        notes.append(note)


def clean_brief(brief: CopyBrief, brand_kit: BrandKit) -> tuple[CopyBrief, list[str]]:
    """The brief with every free-text field rewritten, and notes on what was left out."""
    ctx = PolicyContext.build(brand_kit, brief)
    notes: list[str] = []

    def one(text: str, sentence: bool = True) -> str:
        cleaned = clean_text(text, ctx, notes, sentence=sentence)
        # What is left of "Call 1-800-555-0199 today" ("today") is not a fact any more.
        words = len(cleaned.split()) if " " in text.strip() else len(cleaned)
        return cleaned if words >= 2 or cleaned == text.strip() else ""

    def many(texts: list[str], sentence: bool = True) -> list[str]:
        return [t for t in (one(x, sentence) for x in texts) if t]

    product = clean_text(brief.product, ctx, notes) or brief.product
    audience = clean_text(brief.audience, ctx, notes, sentence=False) or brief.audience
    cleaned = brief.model_copy(
        update={
            "product": product,
            "audience": audience,
            "product_facts": many(brief.product_facts),
            "keywords": [
                k for k in (clean_text(x, ctx, notes, sentence=False) for x in brief.keywords) if k
            ],
        }
    )
    return cleaned, notes
