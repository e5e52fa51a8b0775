"""How ad text is measured.

Counting rule (documented because every platform limit depends on it):

* Text is NFC-normalised, then split into extended grapheme clusters (Unicode UAX #29, via the
  ``regex`` package's ``\\X``). A cluster is what a reader sees as one character: ``e`` + combining
  accent, an emoji with a skin-tone modifier, a ZWJ family emoji or a flag are ONE cluster each.
  Bytes and UTF-16 code units are never counted.
* ``display_length`` (used for Google Ads limits): a cluster counts 2 when its first code point is
  East Asian Wide or Fullwidth (``unicodedata.east_asian_width`` is ``W`` or ``F``), otherwise 1.
  Google Ads documents that double-width characters (Chinese, Japanese, Korean, full-width forms)
  count twice toward headline/description limits, so a 30-character headline holds 15 kanji.
  Most emoji are East Asian Wide, so they count 2 as well (conservative: Google's editorial policy
  rejects most emoji in search ads anyway). Ambiguous-width (``A``) characters count 1.
* ``grapheme_length`` (used for Meta's truncation guidance): every cluster counts 1.
"""

from __future__ import annotations

import unicodedata

import regex

_CLUSTER = regex.compile(r"\X")
_WIDE = frozenset({"W", "F"})


def graphemes(text: str) -> list[str]:
    """Extended grapheme clusters of ``text`` after NFC normalisation."""
    return _CLUSTER.findall(unicodedata.normalize("NFC", text))


def grapheme_length(text: str) -> int:
    """Number of user-perceived characters."""
    if text.isascii() and "\r" not in text:
        return len(text)
    return len(graphemes(text))


def cluster_width(cluster: str) -> int:
    """1 or 2: the Google Ads weight of one grapheme cluster."""
    return 2 if cluster and unicodedata.east_asian_width(cluster[0]) in _WIDE else 1


def display_length(text: str) -> int:
    """Length as Google Ads counts it: double-width clusters weigh 2."""
    if text.isascii() and "\r" not in text:
        return len(text)  # one cluster per character, none wide (the common case, and hot)
    return sum(cluster_width(c) for c in graphemes(text))


def truncate_display(text: str, limit: int, *, ellipsis: str = "") -> str:
    """Longest prefix (whole clusters, preferring a word boundary) with display length <= limit."""
    budget = limit - display_length(ellipsis)
    if display_length(text) <= limit:
        return text
    out: list[str] = []
    used = 0
    for cluster in graphemes(text):
        w = cluster_width(cluster)
        if used + w > budget:
            break
        out.append(cluster)
        used += w
    clusters = graphemes(text)
    if is_wide_text(text):
        out = _cjk_boundary(out, clusters[len(out)] if len(out) < len(clusters) else "")
        cut = "".join(out)
    else:
        cut = "".join(out)
        nfc = "".join(clusters)
        if len(cut) < len(nfc) and not nfc[len(cut)].isspace():
            # Never chop a word ("Coffee subscrip"): end at the last whole word, or give nothing.
            space = cut.rfind(" ")
            cut = cut[:space] if space > 0 else ""
    cut = cut.rstrip(" ,;:-、，・｜|")
    return cut + ellipsis if cut else ""


_PHRASE_END = set("、。，．！？・｜）」』】 ")


def _run_class(cluster: str) -> str:
    """Script class of a cluster: a cut between two clusters of the same class splits a word,
    except between two Han/hiragana characters (Chinese and Japanese have no word spaces, so a
    character boundary is a sensible cut)."""
    ch = cluster[0]
    if "\u30a0" <= ch <= "\u30ff" or ch == "ー":
        return "katakana"
    if (ch.isalnum() and ch.isascii()) or (
        unicodedata.category(ch).startswith("L") and ord(ch) < 0x2000
    ):
        return "latin"
    if "０" <= ch <= "９" or "Ａ" <= ch <= "ｚ":
        return "latin"
    return "other"


def _cjk_boundary(out: list[str], following: str) -> list[str]:
    """Move a CJK cut back so it never splits a katakana or Latin word; prefer the end of a
    phrase (after 、。｜ or a space) when that keeps most of the text."""
    if not following:
        return out
    for i in range(len(out), 0, -1):
        if out[i - 1] in _PHRASE_END and i >= 0.6 * len(out):
            return out[:i]
    end = len(out)
    cls = _run_class(following)
    while end > 0 and cls != "other" and _run_class(out[end - 1]) == cls:
        end -= 1
    return out[:end]


def is_wide_text(text: str) -> bool:
    """True when most clusters are double-width (CJK copy): word boundaries do not apply."""
    clusters = [c for c in graphemes(text) if not c.isspace()]
    if not clusters:
        return False
    wide = sum(1 for c in clusters if cluster_width(c) == 2)
    return wide * 2 >= len(clusters)
