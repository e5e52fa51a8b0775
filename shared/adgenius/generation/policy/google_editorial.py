"""Google Ads editorial rules: punctuation and symbols, capitalisation, spacing, style, phone
numbers, URLs and repetition (adspolicy answers 14847994, 14848295, 14848500, 14848297, and the
AdWords editorial standards 176095). Every check works on the served text (dynamic text replaced
by its default) and returns findings with their span."""

from __future__ import annotations

import re
from collections.abc import Iterator

import regex

from .base import HEADLINE_FIELDS, Finding, PolicyContext, fold_digits, script_of
from .lexicon import (
    ACRONYMS,
    CODE_WORDS,
    DANGLING,
    DANGLING_JA,
    GENERIC_CTA,
    PROMOTIONAL,
    TRAILING_PUNCT,
)

_EXCLAIM = "!！"
_REPEATED = re.compile(r"([^\w\s.])\1+|\.{4,}|(?<!\.)\.\.(?!\.)|。{2,}|[!?！？]{2,}")
_PAIR_REPEAT = re.compile(r"([^\w\s]{2,3})\1+")
_DOTTED = re.compile(r"(?<![\w.])(?:[^\W\d_][.\-*_]){3,}[^\W\d_]?[.\-*_]?(?!\w)")
_LIST_MARK = re.compile(r"[•●▪◦‣⁃∙]")
_DECOR = re.compile(r"[★☆✓✔✗✘✦✧♡♦♣♠◆◇■□▲△▼▽►▶◀➤➔→←↑↓⇒√☞✪✰❖]")
_SUPER = re.compile(r"[⁰¹⁴-⁹⁺⁻⁼⁽⁾ⁱⁿᴬ-ᵪ]|(?<![mtf])[²³]")
_HALF_KATAKANA = re.compile(r"[\uFF61-\uFF9F]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\uFFFD\uE000-\uF8FF]")
_EMOJI = regex.compile(r"[\p{Extended_Pictographic}\p{Regional_Indicator}\uFE0F\u20E3]")
_STANDARD_SYMBOLS = set("©®™")
_WORD = re.compile(r"[^\W_][\w'’@$€£]*")
URL_RE = re.compile(
    r"https?://\S+|www\.\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|io|co|ai|app|shop|store|info|biz|de|fr|es|it|pt|"
    r"jp|cn|uk|us|eu|br|mx|ca|au|nl|be|ch|at)\b(?:/\S*)?",
    re.I,
)
PHONE_RE = re.compile(
    r"(?<![0-9A-Za-z.,/:])(?:\+\s?\d{1,3}[\s.\-]?)?(?:\(\d{1,4}\)[\s.\-]?)?\d{1,5}"
    r"(?:[\s.\-]\d{1,8}){1,5}(?![0-9A-Za-z/]|[.,:]\d)"
    r"|(?<![0-9A-Za-z.,/])\+?\d{10,13}(?![0-9A-Za-z.,/])"
)
VANITY_RE = re.compile(
    r"(?<!\w)(?:\+?1[\s.\-]?)?\(?8[0-9]{2}\)?[\s.\-]?[A-Z]{3,}(?:[\s.\-]?[A-Z0-9]+)*\b"
)
_DATE = re.compile(r"^(?:\d{4}[.\-/ ]\d{1,2}[.\-/ ]\d{1,2}|\d{1,2}[.\-/ ]\d{1,2}[.\-/ ]\d{2,4})$")
_UNITS = frozenset(
    [
        "st",
        "nd",
        "rd",
        "th",
        "hrs",
        "hr",
        "min",
        "mins",
        "sec",
        "secs",
        "pcs",
        "pc",
        "lbs",
        "lb",
        "kgs",
        "kg",
        "mph",
        "kmh",
        "gbps",
        "mbps",
        "fps",
        "yrs",
        "yr",
        "oz",
        "ml",
        "gb",
        "tb",
        "mb",
        "mm",
        "cm",
        "km",
        "px",
        "mp",
        "hz",
        "khz",
        "ghz",
        "mah",
        "kwh",
        "am",
        "pm",
        "x",
        "in",
        "ft",
        "way",
        "day",
        "days",
        "ers",
        "ème",
        "eme",
        "ère",
        "ere",
        "ieme",
        "ième",
        "nde",
    ]
)
_NUMBER_WORDS = re.compile(r"\b[24]\s?(?:u|you|sale|less|rent|ever|nite|your|ur)(?![\w'’])", re.I)
_LEET = re.compile(r"\b(?:b4|gr8|l8r|w8|h8|m8|2day|2nite|4ever|4u|2u|thx|pls|plz)\b", re.I)
GENERIC_CTA_RE = re.compile("|".join(GENERIC_CTA), re.I)
_PROMO = re.compile(r"\b(?:" + "|".join(PROMOTIONAL) + r")\b", re.I)
_MIXED_OK = frozenset(
    [
        "iOS",
        "macOS",
        "iPadOS",
        "watchOS",
        "tvOS",
        "visionOS",
        "eBay",
        "iPhone",
        "iPad",
        "iMac",
        "iPod",
        "AirPods",
        "MacBook",
        "YouTube",
        "PayPal",
        "LinkedIn",
        "WhatsApp",
        "TikTok",
        "PlayStation",
        "McDonald's",
        "DreamWorks",
        "GitHub",
        "JavaScript",
        "PowerPoint",
        "WordPress",
        "HubSpot",
        "FedEx",
        "HiFi",
        "WiFi",
        "eSIM",
        "eCommerce",
    ]
)
_VOWELS = set("AEIOUYÀÁÂÃÄÅÈÉÊËÌÍÎÏÒÓÔÕÖÙÚÛÜ")


def check(text: str, field: str, ctx: PolicyContext) -> Iterator[Finding]:
    script = script_of(text)
    masked = [(m.start(), m.end()) for m in URL_RE.finditer(text)]

    def free(start: int, end: int) -> bool:
        return not any(s < end and start < e for s, e in masked)

    for s, e in masked:
        yield Finding(
            s,
            e,
            "google.url_in_text",
            "URL or e-mail in ad text: put the destination in the final URL / display path",
        )
    for f in _all(text, field, ctx, script):
        if free(f.start, f.end):
            yield f


def _all(text: str, field: str, ctx: PolicyContext, script: str) -> Iterator[Finding]:
    yield from _punctuation(text, field)
    yield from _symbols(text, ctx, script)
    if script == "latin":
        yield from _capitalisation(text, ctx)
    yield from _spacing(text, script)
    yield from _phone(text)
    yield from _repetition(text, script)
    yield from _style(text, ctx, script)
    # The brand's own name is its business name, whatever words it contains.
    if field == "business_name" and text.strip().casefold() != ctx.brand_name.casefold():
        for m in _PROMO.finditer(text):
            yield Finding(
                m.start(),
                m.end(),
                "google.business_name.promotional",
                f"promotional {m.group(0)!r} in the business name",
            )
    if field == "paths":
        for m in re.finditer(r"[/\s]", text):
            yield Finding(
                m.start(),
                m.end(),
                "google.path.characters",
                "a display path cannot contain '/' or spaces",
            )


def _punctuation(text: str, field: str) -> Iterator[Finding]:
    for m in _REPEATED.finditer(text):
        yield Finding(
            m.start(),
            m.end(),
            "google.punctuation.repeated",
            f"repeated punctuation {m.group(0)!r}",
        )
    for m in _PAIR_REPEAT.finditer(text):
        if len(set(m.group(1))) > 1:
            yield Finding(
                m.start(),
                m.end(),
                "google.punctuation.gimmicky",
                f"gimmicky punctuation {m.group(0)!r}",
            )
    for m in _DOTTED.finditer(text):
        letters = sum(ch.isalpha() for ch in m.group(0))
        if letters >= 4:
            yield Finding(
                m.start(),
                m.end(),
                "google.punctuation.gimmicky",
                f"letters spelled out with punctuation: {m.group(0)!r}",
            )
    marks = [i for i, ch in enumerate(text) if ch in _EXCLAIM]
    if field in HEADLINE_FIELDS:
        for i in marks:
            yield Finding(
                i, i + 1, "google.punctuation.exclamation_headline", "no '!' in headlines"
            )
    elif len(marks) > 1 and not _REPEATED.search(text):
        for i in marks[1:]:
            yield Finding(i, i + 1, "google.punctuation.exclamation_count", "only one '!' per ad")
    stripped = text.rstrip()
    for m in re.finditer(r"\.\.\.|…", text):
        if m.end() < len(stripped):
            yield Finding(m.start(), m.end(), "google.punctuation.ellipsis", "ellipsis in ad text")


def _symbols(text: str, ctx: PolicyContext, script: str) -> Iterator[Finding]:
    for m in _LIST_MARK.finditer(text):
        yield Finding(m.start(), m.end(), "google.style.list", "bullet point in ad text")
    for m in _DECOR.finditer(text):
        yield Finding(
            m.start(), m.end(), "google.symbols.decorative", f"decorative symbol {m.group(0)!r}"
        )
    stars = [
        m.start()
        for m in re.finditer(r"\*", text)
        if not (m.start() > 0 and text[m.start() - 1].isdigit())
    ]
    if len(stars) >= 2 and not re.search(r"\*{2,}", text):
        for i in stars:
            yield Finding(i, i + 1, "google.symbols.decorative", "asterisks used as decoration")
    for m in _SUPER.finditer(text):
        yield Finding(
            m.start(),
            m.end(),
            "google.symbols.superscript",
            f"non-standard superscript {m.group(0)!r}",
        )
    for m in regex.finditer(r"\X", text) if _EMOJI.search(text) else ():
        cluster = m.group(0)
        if cluster in _STANDARD_SYMBOLS or _DECOR.fullmatch(cluster[0]):
            continue
        if _EMOJI.search(cluster):
            yield Finding(
                m.start(),
                m.end(),
                "google.symbols.unsupported",
                f"emoji {cluster!r} is not supported in Google ads",
            )
    for m in _HALF_KATAKANA.finditer(text):
        yield Finding(
            m.start(),
            m.end(),
            "google.symbols.unsupported",
            "single-byte (half-width) katakana is not supported",
        )
    for m in _CONTROL.finditer(text):
        yield Finding(
            m.start(), m.end(), "google.symbols.unsupported", "control or unsupported character"
        )
    yield from _substitution(text, ctx, script)


def _substitution(text: str, ctx: PolicyContext, script: str) -> Iterator[Finding]:
    def hit(start: int, end: int, why: str) -> Finding:
        return Finding(start, end, "google.symbols.substitution", why)

    for m in _WORD.finditer(text):
        token = m.group(0).rstrip("'’")
        if token in ctx.brand_terms or token.rstrip("$€£") in ctx.brand_terms:
            continue
        s, e = m.start(), m.start() + len(token)
        if re.search(r"[^\W\d_][@$€£][^\W\d_]", token) or re.match(r"[@$€£][^\W\d_]{2,}", token):
            yield hit(s, e, f"{token!r}: a symbol used as a letter")
        elif (
            not token[0].isdigit()
            and re.search(r"[A-Za-z][0-9]+[a-z]", token)
            and not re.fullmatch(r"[A-Z]+[0-9]+s", token)  # "MP3s", "GPUs"
        ):
            yield hit(s, e, f"{token!r}: a digit used as a letter")
        elif re.fullmatch(r"[a-z]{2,}(?:33|00|11)", token):
            yield hit(s, e, f"{token!r}: digits used as letters")
        elif (mm := re.fullmatch(r"[0-9]+([a-z]{3,})", token)) and mm.group(1) not in _UNITS:
            yield hit(s, e, f"{token!r}: a number used as a word")
    for m in _NUMBER_WORDS.finditer(text):
        yield hit(m.start(), m.end(), f"{m.group(0)!r}: a number used as a word")
    for m in _LEET.finditer(text):
        yield hit(m.start(), m.end(), f"{m.group(0)!r}: a number used as a word")
    if ctx.language == "en" and script == "latin":
        for m in re.finditer(r"(?<![\w'’])u(?![\w'’])", text):
            yield hit(m.start(), m.end(), "'u' used for 'you'")
    for m in re.finditer(r"[$€£¥](?!\s?\d)", text):
        before = text[: m.start()].rstrip()
        if before and (before[-1].isdigit() or before[-1] in "$€£¥"):
            continue  # "20 €", "5$", the rest of "$$$" (repeated punctuation)
        if m.start() + 1 < len(text) and text[m.start() + 1] in "$€£¥":
            continue  # "$$$" is repeated punctuation
        nxt = text[m.start() + 1 : m.start() + 2]
        if nxt.isalpha() and (m.start() == 0 or not text[m.start() - 1].isalpha()):
            yield hit(
                m.start(),
                m.start() + 1 + len(re.findall(r"^\w*", text[m.start() + 1 :])[0]),
                "a currency symbol used as a letter",
            )
            continue
        if nxt.isalpha():
            continue  # inside a word: reported by the word check
        yield hit(m.start(), m.end(), f"{m.group(0)!r} used as a word instead of a price")


def _capitalisation(text: str, ctx: PolicyContext) -> Iterator[Finding]:
    tokens = list(re.finditer(r"[^\W\d_][\w'’.-]*[\w]|[^\W\d_]", text))
    run: list[tuple[int, int]] = []
    prev_word = ""

    def flush() -> Iterator[Finding]:
        if run:
            s, e = run[0][0], run[-1][1]
            yield Finding(s, e, "google.capitalization.excessive", f"{text[s:e]!r} in capitals")
            run.clear()

    for m in tokens:
        token = m.group(0)
        core = re.sub(r"['’]S$|['’]s$", "", token)
        letters = [c for c in core if c.isalpha()]
        upper = len(letters) >= 2 and all(
            c.isupper() for c in letters if c.isalpha() and c.lower() != c.upper()
        )
        if upper and not allowed_caps(core, ctx, prev_word):
            run.append((m.start(), m.start() + len(core)))
        else:
            yield from flush()
            if core not in ctx.brand_terms and core not in _MIXED_OK:
                ups = len(re.findall(r"[a-zß-ÿ][A-ZÀ-Þ]", core))
                if (
                    ups >= 2
                    or re.search(r"[a-zß-ÿ][A-ZÀ-Þ]{2,}[a-zß-ÿ]", core)
                    or (re.match(r"[a-z][A-Z]{2,}", core) and core.upper() not in ACRONYMS)
                ):
                    yield Finding(
                        m.start(),
                        m.end(),
                        "google.capitalization.gimmicky",
                        f"{token!r}: gimmicky capitalisation",
                    )
        prev_word = token.casefold()
    yield from flush()


def allowed_caps(token: str, ctx: PolicyContext, prev_word: str) -> bool:
    bare = token.strip(".-")
    if "-" in bare and all(
        p in ACRONYMS or len(p) == 1 or p in ctx.brand_terms for p in bare.split("-") if p
    ):
        return True  # "USB-C", "COVID-19"
    if bare in ctx.brand_terms or bare.replace(".", "") in ACRONYMS or bare in ACRONYMS:
        return True
    if any(c.isdigit() for c in bare) or prev_word in CODE_WORDS:
        return True  # model numbers, coupon codes ("code SPRING")
    letters = [c for c in bare if c.isalpha()]
    return len(letters) <= 4 and not any(c in _VOWELS for c in letters)


def _spacing(text: str, script: str) -> Iterator[Finding]:
    def hit(start: int, end: int, rule: str, why: str) -> Finding:
        return Finding(start, end, rule, why)

    if script == "latin":
        for m in re.finditer(r"(?<=[^\W\d_]{2})[,;!?:](?=[^\W\d_])", text):
            yield hit(
                m.start(), m.end() + 1, "google.spacing.missing", f"no space after {m.group(0)!r}"
            )
        for m in re.finditer(r"(?<=[a-zß-ÿ]{2})\.(?=[A-ZÀ-Þ][a-zß-ÿ])", text):
            yield hit(m.start(), m.end() + 1, "google.spacing.missing", "no space after '.'")
    for m in re.finditer(r"(?<=\S) {2,}(?=\S)|[\t\n\r\v\f\u3000]{1,}|(?<=\S)\u3000", text):
        yield hit(m.start(), m.end(), "google.spacing.excessive", "extra or irregular spacing")
    for m in re.finditer(r"(?<=\w) +[,.](?!\d)", text):
        yield hit(m.start(), m.end(), "google.spacing.excessive", "space before punctuation")
    for m in re.finditer(r"(?<![\w])(?:[^\W\d_] ){3,}[^\W\d_](?!\w)", text):
        yield hit(
            m.start(), m.end(), "google.spacing.excessive", f"gimmicky spacing {m.group(0)!r}"
        )


def _phone(text: str) -> Iterator[Finding]:
    folded = fold_digits(text)
    for m in PHONE_RE.finditer(folded):
        chunk = m.group(0).strip()
        digits = re.sub(r"\D", "", chunk)
        if not 7 <= len(digits) <= 15 or _DATE.match(chunk):
            continue
        groups = re.split(r"[\s.\-()]+", chunk.lstrip("+"))
        groups = [g for g in groups if g]
        if (
            len(groups) > 1
            and all(len(g) == 3 for g in groups[1:])
            and len(groups[0]) <= 3
            and not re.search(r"-", chunk)
            and not chunk.startswith(("+", "(", "0"))
        ):
            continue  # thousands: "1 000 000", "2.500.000"
        if re.fullmatch(r"(?:19|20)\d{2}\s?[-–]\s?(?:19|20)\d{2}", chunk):
            continue  # a year range
        yield Finding(
            m.start(),
            m.start() + len(m.group(0).rstrip()),
            "google.phone_number",
            "phone number in ad text: use a call asset instead",
        )
    for m in VANITY_RE.finditer(folded):
        yield Finding(
            m.start(),
            m.end(),
            "google.phone_number",
            "vanity phone number in ad text: use a call asset instead",
        )


def _repetition(text: str, script: str) -> Iterator[Finding]:
    words = list(re.finditer(r"[^\W_]+", text))
    i = 0
    while i < len(words):
        j = i
        while (
            j + 1 < len(words) and words[j + 1].group(0).casefold() == words[i].group(0).casefold()
        ):
            gap = text[words[j].end() : words[j + 1].start()]
            if re.fullmatch(r"[\s,!.\-–|/]*", gap) is None:
                break
            j += 1
        count = j - i + 1
        if count >= 2 and not words[i].group(0).isdigit():
            gaps = text[words[i].end() : words[j].start()]
            if count >= 3 or re.search(r"[,!.]", gaps):
                yield Finding(
                    words[i].start(),
                    words[j].end(),
                    "google.repetition",
                    f"{words[i].group(0)!r} repeated {count} times",
                )
        i = j + 1
    # A phrase said twice in a row: "Get it now. Get it now."
    folded = [w.group(0).casefold() for w in words]
    for n in range(2, 5):
        for k in range(len(folded) - 2 * n + 1):
            if folded[k : k + n] == folded[k + n : k + 2 * n]:
                yield Finding(
                    words[k].start(),
                    words[k + 2 * n - 1].end(),
                    "google.repetition",
                    "the same phrase twice in a row",
                )
                return
    if script in {"ja", "zh", "ko"}:
        for m in re.finditer(r"([^\s\W\d]{2,5}?)\1{2,}", text):
            yield Finding(m.start(), m.end(), "google.repetition", f"{m.group(1)!r} repeated")


def _style(text: str, ctx: PolicyContext, script: str) -> Iterator[Finding]:
    for m in GENERIC_CTA_RE.finditer(text):
        yield Finding(
            m.start(), m.end(), "google.style.generic_cta", f"generic call to action {m.group(0)!r}"
        )
    stripped = text.rstrip()
    if re.match(r"\s*(?:\d{1,2}[.)]|[-–])\s", text) and (
        re.search(r"\s\d{1,2}[.)]\s", text[2:]) or re.match(r"\s*[-–]\s", text)
    ):
        yield Finding(0, len(stripped), "google.style.list", "numbered or bulleted list")
    yield from _incomplete(stripped, ctx, script)


def _incomplete(text: str, ctx: PolicyContext, script: str) -> Iterator[Finding]:
    if not text:
        return
    end = len(text)
    if text.endswith(("...", "…")):
        cut = 3 if text.endswith("...") else 1
        yield Finding(
            end - cut, end, "google.style.incomplete", "text ends in an ellipsis: looks cut off"
        )
        return
    if text.endswith(TRAILING_PUNCT):
        yield Finding(
            end - 1,
            end,
            "google.style.incomplete",
            f"text ends with {text[-1]!r}: not a complete thought",
        )
        return
    for open_, close in ("()", "[]", "（）", "「」", "【】", "“”", "«»"):
        if text.count(open_) > text.count(close):
            i = text.rfind(open_)
            yield Finding(i, end, "google.style.incomplete", f"{open_!r} is never closed")
            return
    if script == "ja":
        if text.endswith(DANGLING_JA):
            yield Finding(
                end - 1,
                end,
                "google.style.incomplete",
                "text ends with a particle: not a complete thought",
            )
        return
    if script != "latin":
        return
    m = re.search(r"(?<!\w)([^\W\d_]+)\W*$", text)  # a whole word: "model 735a" is no "a"
    if not m:
        return
    word = m.group(1)
    lang = ctx.language if ctx.language in DANGLING else "en"
    dangling = DANGLING[lang]
    # A one-letter word counts in lower case only ("Plan A" is complete), and a text of one
    # word is a label, not a cut sentence.
    single = len(word) == 1 and not word.islower()
    if word.casefold() in dangling and not single and len(re.findall(r"[^\W\d_]+", text)) > 1:
        yield Finding(
            m.start(1),
            m.end(1),
            "google.style.incomplete",
            f"text ends with {word!r}: looks cut off",
        )
