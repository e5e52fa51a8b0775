"""Google dynamic text: keyword insertion, customizers, location insertion, IF and countdowns.

``render(text)`` parses every ``{...}`` and returns the text as it serves by default, with a map
from each served character back to the span it came from, so that length rules measure what
serves and policy rules report spans in the text as the marketer wrote it.

Syntax accepted (Google Ads help 6371157, 6193743; API "customize responsive search ads"):

* ``{KeyWord:Trail Shoes}`` with the word "keyword" in one of Google's cases (keyword, Keyword,
  KeyWord, KEYWord, KeyWORD, KEYWORD): serves the default when the keyword does not fit, so the
  default is what must fit the limit.
* ``{CUSTOMIZER.product:Trail Shoes}``: an attribute name and a default.
* ``{LOCATION(City):your city}``; City, State or Country.
* ``{IF(device=mobile,Call us):Visit us}``: measured as the longer of its two texts.
* ``{COUNTDOWN(2026/12/24 23:59:59,5)}``, ``{=GLOBAL_COUNTDOWN("2026/12/24 12:00:00","en-US",3)}``:
  serves "3 days", "5 hours", "12 minutes"; measured as its longest form ("59 minutes").

A token without a default, with an empty default, an unknown function, a bad date, or unbalanced
braces is malformed: it serves nothing (the platform rejects the asset), so it is an error and
is measured as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

_KEYWORD_CASES = {"keyword", "Keyword", "KeyWord", "KEYWord", "KeyWORD", "KEYWORD"}
_KEYWORD = re.compile(r"^(?P<name>[kK][eE][yY][wW][oO][rR][dD])(?::(?P<default>.*))?$", re.S)
_CUSTOMIZER = re.compile(r"^(?i:customizer)\.(?P<attr>[^:{}]*)(?::(?P<default>.*))?$", re.S)
_LOCATION = re.compile(r"^(?i:location)\((?P<attr>[^)]*)\)(?::(?P<default>.*))?$", re.S)
_IF = re.compile(r"^=?(?i:if)\((?P<cond>[^,]*),(?P<text>[^)]*)\)(?::(?P<default>.*))?$", re.S)
_COUNTDOWN = re.compile(
    r"^=?(?P<fn>(?i:global_countdown|countdown))\((?P<args>[^)]*)\)(?P<rest>.*)$", re.S
)
_DATE = re.compile(r"^\d{4}[/-]\d{1,2}[/-]\d{1,2}(?: \d{1,2}:\d{2}(?::\d{2})?)?$")
_LANG = re.compile(r"^[a-zA-Z]{2}(?:[-_][a-zA-Z]{2})?$")
# The longest text a countdown can serve, per language (days, then hours, then minutes).
_COUNTDOWN_LONGEST = {
    "en": "59 minutes",
    "es": "59 minutos",
    "fr": "59 minutes",
    "de": "59 Minuten",
    "pt": "59 minutos",
    "it": "59 minuti",
    "ja": "59分",
    "zh": "59分钟",
}


@dataclass(frozen=True)
class Token:
    start: int  # span of the whole ``{...}`` in the original text
    end: int
    kind: str  # keyword | customizer | location | if | countdown | malformed
    served: str  # the default text as it serves (or the raw token when malformed)
    error: str | None = None
    keyword_case: str | None = None


@dataclass
class Rendered:
    """The served text and, per served character, its span in the original."""

    original: str
    text: str = ""
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)

    def span(self, start: int, end: int) -> tuple[int, int]:
        if not self.text:
            return (0, len(self.original))
        start = min(max(start, 0), len(self.text) - 1)
        end = min(max(end, start + 1), len(self.text))
        return (min(self.starts[start:end]), max(self.ends[start:end]))

    def in_malformed(self, start: int, end: int) -> bool:
        o_start, o_end = self.span(start, end)
        return any(
            t.kind == "malformed" and o_start < t.end and t.start < o_end for t in self.tokens
        )

    def _add(self, text: str, start: int, end: int | None = None) -> None:
        """Append served text; per character its own original position, or [start, end)."""
        for i, ch in enumerate(text):
            self.text += ch
            if end is None:
                self.starts.append(start + i)
                self.ends.append(start + i + 1)
            else:
                self.starts.append(start)
                self.ends.append(end)


def has_dynamic_text(text: str) -> bool:
    return "{" in text or "}" in text


def render(text: str, language: str = "en") -> Rendered:
    if not has_dynamic_text(text):  # the common case: served text is the text itself
        n = len(text)
        return Rendered(original=text, text=text, starts=list(range(n)), ends=list(range(1, n + 1)))
    out = Rendered(original=text)
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "}":
            out.tokens.append(Token(i, i + 1, "malformed", "}", "a '}' without its '{'"))
            out._add("}", i)
            i += 1
            continue
        if ch != "{":
            out._add(ch, i)
            i += 1
            continue
        close = text.find("}", i + 1)
        nested = text.find("{", i + 1)
        if close == -1 or (nested != -1 and nested < close):
            end = close + 1 if close != -1 else len(text)
            why = "'{' is never closed" if close == -1 else "dynamic text cannot be nested"
            out.tokens.append(Token(i, end, "malformed", text[i:end], why))
            out._add(text[i:end], i)
            i = end
            continue
        token = _parse(text[i + 1 : close], i, close + 1, language)
        out.tokens.append(token)
        if token.kind in {"keyword", "customizer", "location"} and token.error is None:
            # The default serves as typed: map each character to its place in the original.
            offset = text.index(":", i) + 1
            out._add(token.served, offset)
        elif token.kind == "malformed":
            out._add(text[i : close + 1], i)
        else:  # countdown / IF: synthetic text, every character maps to the whole token
            out._add(token.served, i, close + 1)
        i = close + 1
    return out


def _parse(body: str, start: int, end: int, language: str) -> Token:
    raw = "{" + body + "}"

    def bad(why: str) -> Token:
        return Token(start, end, "malformed", raw, why)

    def default_of(m: re.Match[str]) -> str | None:
        value = m.group("default")
        return value if value is not None and value.strip() else None

    if m := _KEYWORD.match(body):
        if m.group("name") not in _KEYWORD_CASES:
            return bad(f"{m.group('name')!r}: use keyword, Keyword, KeyWord or KEYWORD")
        if (default := default_of(m)) is None:
            return bad("keyword insertion needs a default text: {KeyWord:default text}")
        return Token(start, end, "keyword", default, keyword_case=m.group("name"))
    if m := _CUSTOMIZER.match(body):
        if not m.group("attr").strip():
            return bad("a customizer needs an attribute name: {CUSTOMIZER.name:default}")
        if (default := default_of(m)) is None:
            return bad("a customizer needs a default text: {CUSTOMIZER.name:default}")
        return Token(start, end, "customizer", default)
    if m := _LOCATION.match(body):
        if m.group("attr").strip().lower() not in {"city", "state", "country"}:
            return bad("location insertion takes City, State or Country")
        if (default := default_of(m)) is None:
            return bad("location insertion needs a default text: {LOCATION(City):default}")
        return Token(start, end, "location", default)
    if m := _IF.match(body):
        if not m.group("cond").strip() or not m.group("text").strip():
            return bad("IF needs a condition and a text: {IF(device=mobile,text):default}")
        if (default := default_of(m)) is None:
            return bad("IF needs a default text: {IF(condition,text):default}")
        text = m.group("text").strip()
        return Token(start, end, "if", text if len(text) >= len(default) else default)
    if m := _COUNTDOWN.match(body):
        if m.group("rest").strip():
            return bad("a countdown takes no default text")
        args = [a.strip().strip("\"'") for a in m.group("args").split(",")]
        if not args or not _DATE.match(args[0]) or not _valid_date(args[0]):
            return bad('a countdown needs an end date like "2026/12/24 23:59:59"')
        lang = language
        for extra in args[1:]:
            if extra.isdigit():
                continue
            if not _LANG.match(extra):
                return bad(f"countdown argument {extra!r} is neither a language nor a day count")
            lang = extra[:2].lower()
        return Token(start, end, "countdown", _COUNTDOWN_LONGEST.get(lang, "59 minutes"))
    return bad(f"unknown dynamic text {raw!r}")


def _valid_date(value: str) -> bool:
    value = value.replace("-", "/")
    for fmt in ("%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d"):
        try:
            datetime.strptime(value, fmt)
            return True
        except ValueError:
            continue
    return False


def served_text(text: str, language: str = "en") -> str:
    """What a text serves by default (the text itself when it has no dynamic syntax)."""
    return render(text, language).text if has_dynamic_text(text) else text
