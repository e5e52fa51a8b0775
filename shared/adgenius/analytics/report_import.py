"""Parsing the performance reports marketers download (pure: bytes in, rows and problems out).

Layouts handled (see the README for what was checked against the platforms' help pages):
- Google Ads UI downloads: a report title line and a date-range line above the header, a
  "Day" column when segmented by day, "Impr." / "Clicks" / "Cost" / "Conversions" /
  "Conv. value" / "Currency code", and "Total: ..." rows at the end. "CSV" is UTF-8 (often with a
  BOM); "Excel .csv" is UTF-16LE with tabs. Asset reports add "Asset", "Asset type" / "Field
  type" and "Performance" (the asset performance label). Google Ads API / script exports with
  `segments.date`, `metrics.cost_micros` headers work too (cost then already in micros).
- Meta Ads Manager exports: "Reporting starts" / "Reporting ends" (a row must be one day:
  export with the Day breakdown), "Ad name", "Impressions", "Reach", "Link clicks",
  "Amount spent (EUR)" (currency in the header) or a "Currency" column, "Purchases" /
  "Purchases conversion value" / "Results", "Attribution setting", "URL parameters", and the
  dynamic-creative breakdowns ("Text"/"Body", "Headline"/"Title", "Description",
  "Image, video and slideshow" / "Image name").
Numbers: `1,234.56`, `1.234,56`, `1 234,56`, `12%`, currency symbols, and `--` / empty for none.
The decimal separator is decided once per file from its unambiguous values, never per cell.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from pydantic import BaseModel, Field

MICROS = Decimal(1_000_000)
EMPTY = {"", "--", "-", "—", "–", "n/a", "na", "null", "none", "(not set)", " --"}


class ReportError(ValueError):
    """The file as a whole cannot be used (nothing of it is applied)."""


class RowProblem(BaseModel):
    line: int = Field(description="1-based line of the file where the row starts")
    reason: str


class ReportRow(BaseModel):
    """One usable row: metrics normalised, identity cells kept for matching."""

    line: int
    day: str  # YYYY-MM-DD
    platform: str  # google_ads | meta
    attribution: str = "default"
    currency: str | None = None
    impressions: int = 0
    clicks: int = 0
    conversions_micros: int = 0
    conversion_value_micros: int = 0
    cost_micros: int = 0
    reach: int | None = None
    performance_label: str | None = None
    # identity, as found in the row
    urls: list[str] = Field(default_factory=list)  # Final URL (suffix), URL tags, parameters
    labels: str = ""
    ad_name: str = ""
    texts: dict[str, list[str]] = Field(default_factory=dict)  # ad texts: field -> texts
    asset_field: str | None = None  # asset rows: headlines, descriptions, ..., media
    asset_text: str | None = None  # asset rows: the text, or the media's name


class ParsedReport(BaseModel):
    platform: str
    kind: str  # "ad" or "asset"
    header_line: int
    rows: list[ReportRow]
    problems: list[RowProblem]
    skipped_totals: int = 0
    warnings: list[str] = Field(default_factory=list)


# ------------------------------------------------------------------------------- decoding
# Files that are something else under a .csv name: refused at upload, before anything is stored.
_NOT_A_REPORT = (
    (b"PK\x03\x04", "a ZIP archive (an .xlsx workbook?): export the report as CSV"),
    (b"\xd0\xcf\x11\xe0", "an old Excel (.xls) workbook: export the report as CSV"),
    (b"%PDF-", "a PDF, not a CSV report"),
    (b"\x89PNG", "a PNG image, not a CSV report"),
    (b"\xff\xd8\xff", "a JPEG image, not a CSV report"),
    (b"GIF8", "a GIF image, not a CSV report"),
    (b"\x1f\x8b", "gzip-compressed: upload the CSV itself"),
)


def upload_problem(data: bytes) -> str | None:
    """What the file evidently is instead of a report (from its first bytes), or None."""
    for magic, problem in _NOT_A_REPORT:
        if data.startswith(magic):
            return f"the file is {problem}"
    head = data[:4000].lstrip()
    if head[:15].lower().startswith((b"<!doctype html", b"<html")):
        return "the file is an HTML page, not a CSV report"
    return None


def decode(data: bytes) -> str:
    """The file's text; ReportError for UTF-16 that does not decode (odd length, a lone
    surrogate): guessing at it would shift every character after the first bad one."""
    try:
        if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
            return data.decode("utf-16")
        if data.startswith(b"\xef\xbb\xbf"):
            return data[3:].decode("utf-8", errors="replace")
        head = data[:4000]
        if head and head.count(b"\x00") > len(head) // 4:
            # UTF-16 without a BOM: the zero bytes tell the byte order.
            return data.decode("utf-16-le" if head[1:2] == b"\x00" else "utf-16-be")
    except UnicodeDecodeError as exc:
        raise ReportError(
            f"the file looks like UTF-16 but does not decode at byte {exc.start} ({exc.reason}): "
            "export it again as CSV"
        ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _sniff_delimiter(lines: list[str]) -> str:
    best, score = ",", -1
    for delim in ("\t", ",", ";"):
        counts = [ln.count(delim) for ln in lines[:40] if ln.strip()]
        top = max(counts, default=0)
        # The header and data lines share the highest count; title lines have few or none.
        if top > score:
            best, score = delim, top
    return best


# --------------------------------------------------------------------------------- headers
def norm_header(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).strip().strip('"').casefold()
    return " ".join(folded.replace("_", " ").split())


def _currency_in_header(header: str) -> str | None:
    match = re.search(r"\(([A-Za-z]{3})\)\s*$", header.strip())
    return match.group(1).upper() if match else None


# canonical -> accepted (normalised) headers; the first present wins, in this order
ALIASES: dict[str, tuple[str, ...]] = {
    "day": (
        "day",
        "date",
        "segments.date",
        "tag",
        "datum",
        "reporting starts",
        "reporting start",
        "date start",
    ),
    "day_end": ("reporting ends", "reporting end", "date stop"),
    "impressions": ("impr.", "impressions", "impr", "metrics.impressions", "impressionen"),
    "clicks": ("link clicks", "clicks", "metrics.clicks", "klicks", "clicks (all)"),
    "cost_micros": ("metrics.cost micros", "cost micros"),
    "cost": ("cost", "amount spent", "spend", "kosten"),
    "conversions": (
        "conversions",
        "conv.",
        "metrics.conversions",
        "purchases",
        "website purchases",
    ),  # not Meta's "Results": what it counts depends on the objective (often link clicks)
    "conversion_value": (
        "conv. value",
        "conversion value",
        "total conv. value",
        "metrics.conversions value",
        "conv.-wert",
        "purchases conversion value",
        "website purchases conversion value",
    ),
    "currency": (
        "currency code",
        "currency",
        "customer.currency code",
        "account currency",
        "währungscode",
        "währung",
    ),
    "reach": ("reach",),
    "attribution": ("attribution setting", "attribution window"),
    "label": ("performance", "performance label", "asset performance", "asset performance label"),
    "asset": ("asset", "asset text", "text asset"),
    "asset_type": ("asset type", "field type", "asset field type"),
    "labels": ("labels", "label", "ad labels"),
    "ad_name": ("ad name", "ad"),
    "url_final": ("final url", "ad final url", "final urls", "website url", "link"),
    "url_suffix": ("final url suffix", "url suffix"),
    "url_tags": ("url parameters", "url tags", "tracking template"),
    "meta_body": ("text", "body", "primary text", "body asset"),
    "meta_title": ("headline", "title", "title asset"),
    "meta_description": ("description", "link description", "description asset"),
    "meta_media": (
        "image, video and slideshow",
        "image name",
        "image",
        "video name",
        "video",
        "image asset",
        "video asset",
    ),
}
_PREFIXED = ("amount spent",)  # "Amount spent (EUR)": header carries the currency


def _column_map(header: list[str]) -> tuple[dict[str, int], str | None]:
    normed = [norm_header(h) for h in header]
    found: dict[str, int] = {}
    header_currency: str | None = None
    for canonical, names in ALIASES.items():
        for name in names:
            if name in normed:
                found[canonical] = normed.index(name)
                break
    for i, h in enumerate(normed):
        for prefix in _PREFIXED:
            if h.startswith(prefix) and "cost" not in found:
                found["cost"] = i
                header_currency = _currency_in_header(header[i])
        if "cost" in found and found["cost"] == i and header_currency is None:
            header_currency = _currency_in_header(header[i])
    # Meta: with a Day column, "Reporting starts/ends" span the whole export, not the row
    if "day_end" in found and not normed[found["day"]].startswith(("reporting", "date start")):
        del found["day_end"]
    # numbered ad texts: "Headline 1", "Description 2", "Long headline 1"
    for i, h in enumerate(normed):
        m = re.fullmatch(r"(headline|description|long headline) (\d{1,2})", h)
        if m:
            found[f"text:{m.group(1)}:{m.group(2)}"] = i
    return found, header_currency


def _is_header(cells: list[str]) -> bool:
    normed = {norm_header(c) for c in cells}
    has_day = any(n in normed for n in ALIASES["day"])
    has_metric = any(n in normed for n in ALIASES["impressions"]) or any(
        n.startswith("amount spent") for n in normed
    )
    return has_day and has_metric


# --------------------------------------------------------------------------------- numbers
_NUMERIC = re.compile(r"^[+-]?[\d.,'\s\u00a0\u202f]+$")


_CODE_BEFORE = re.compile(r"^[A-Z]{3}(?=[\d+-])")  # "EUR12,00"
_CODE_AFTER = re.compile(r"(?<=\d)[A-Z]{3}$")
_PLAIN = {".": re.compile(r"\d{1,18}(\.\d{1,12})?"), ",": re.compile(r"\d{1,18}(,\d{1,12})?")}


def _strip_number(raw: str) -> str:
    text = raw.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    text = _CODE_BEFORE.sub("", text)
    text = _CODE_AFTER.sub("", text)
    text = text.strip("$€£¥₹₩₽%").strip()
    return text.replace("'", "")


def detect_decimal(values: list[str], delimiter: str) -> str:
    """',' or '.': the file's decimal separator, from values that can only be read one way."""
    comma = dot = 0
    for raw in values:
        text = _strip_number(raw)
        if not text or not _NUMERIC.match(text):
            continue
        if "," in text and "." in text:
            if text.rfind(",") > text.rfind("."):
                comma += 1
            else:
                dot += 1
        elif re.fullmatch(r"[+-]?\d+,\d{1,2}", text) or re.fullmatch(r"[+-]?\d+,\d{4,}", text):
            comma += 1
        elif re.fullmatch(r"[+-]?\d+\.\d{1,2}", text) or re.fullmatch(r"[+-]?\d+\.\d{4,}", text):
            dot += 1
        elif re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+", text):
            comma += 1  # "1.234" with a thousands dot: no dot-decimal writer prints that alone
    if comma > dot:
        return ","
    if dot > comma:
        return "."
    return "," if delimiter == ";" else "."


def parse_number(raw: str, decimal: str) -> Decimal | None:
    """A locale number, or None for "no value" (`--`, empty). Raises ValueError if malformed."""
    if raw is None:
        return None
    plain = raw.strip()
    if _PLAIN[decimal].fullmatch(plain):  # the common case, without the general rules below
        return Decimal(plain.replace(",", "."))
    if plain.casefold() in EMPTY:
        return None
    text = _strip_number(raw)
    if text.casefold() in EMPTY or text == "":
        return None
    if not _NUMERIC.match(text):
        raise ValueError(f"{raw.strip()!r} is not a number")
    thousands = "." if decimal == "," else ","
    text = text.replace(thousands, "")
    if text.count(decimal) > 1:
        raise ValueError(f"{raw.strip()!r} is not a number")
    text = text.replace(decimal, ".")
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(f"{raw.strip()!r} is not a number") from exc


# ----------------------------------------------------------------------------------- dates
_MONTH_FORMATS = ("%b %d, %Y", "%B %d, %Y", "%d %b %Y", "%d %B %Y", "%a, %b %d, %Y", "%Y/%m/%d")


@dataclass
class _DateStyle:
    day_first: bool = False


def detect_day_first(values: list[str], decimal: str) -> bool:
    for raw in values:
        m = re.fullmatch(r"\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*", raw or "")
        if not m:
            continue
        a, b = int(m.group(1)), int(m.group(2))
        if a > 12 >= b:
            return True
        if b > 12 >= a:
            return False
    dotted = any(re.fullmatch(r"\s*\d{1,2}\.\d{1,2}\.\d{4}\s*", v or "") for v in values)
    return dotted or decimal == ","


def parse_day(raw: str, day_first: bool) -> date:
    text = (raw or "").strip()
    if not text:
        raise ValueError("no date")
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    if m:
        a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        d, mo = (a, b) if day_first else (b, a)
        return date(y, mo, d)
    for fmt in _MONTH_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date")


# ---------------------------------------------------------------------------- attribution
def attribution_slug(raw: str | None) -> str:
    """Meta's "7-day click or 1-day view" -> "7d_click_1d_view"; blank -> "default"."""
    if not raw or raw.strip().casefold() in EMPTY:
        return "default"
    text = raw.casefold()
    parts = re.findall(r"(\d+)[\s-]*day[s]?[\s-]*(click|view|engaged[\s-]*view)", text)
    if parts:
        return "_".join(f"{n}d_{kind.replace(' ', '_').replace('-', '_')}" for n, kind in parts)
    slug = re.sub(r"[^a-z0-9]+", "_", text).strip("_")
    return slug[:60] or "default"


_ASSET_FIELDS = {
    "headline": "headlines",
    "headlines": "headlines",
    "long headline": "long_headlines",
    "description": "descriptions",
    "descriptions": "descriptions",
    "business name": "business_name",
    "image": "media",
    "marketing image": "media",
    "square marketing image": "media",
    "portrait marketing image": "media",
    "logo": "media",
    "video": "media",
    "youtube video": "media",
    "text": "primary_texts",
    "body": "primary_texts",
    "primary text": "primary_texts",
}


# ------------------------------------------------------------------------------- the parse
@dataclass
class _Ctx:
    cols: dict[str, int]
    decimal: str
    day_first: bool
    platform: str
    header_currency: str | None
    default_currency: str | None
    problems: list[RowProblem] = field(default_factory=list)


def _cell(cells: list[str], ctx: _Ctx, name: str) -> str:
    i = ctx.cols.get(name)
    if i is None or i >= len(cells):
        return ""
    return (cells[i] or "").strip()


def _int(value: Decimal | None, what: str) -> int:
    if value is None:
        return 0
    if value < 0:
        raise ValueError(f"{what} is negative")
    if value != value.to_integral_value():
        raise ValueError(f"{what} {value} is not a whole number")
    return int(value)


def _micros(value: Decimal | None, what: str) -> int:
    if value is None:
        return 0
    if value < 0:
        raise ValueError(f"{what} is negative")
    return int((value * MICROS).to_integral_value())


def _row(cells: list[str], line: int, ctx: _Ctx) -> ReportRow:
    num = lambda name: parse_number(_cell(cells, ctx, name), ctx.decimal)  # noqa: E731
    day_raw = _cell(cells, ctx, "day")
    try:
        day = parse_day(day_raw, ctx.day_first)
    except ValueError as exc:
        raise ValueError(f"date: {exc}") from exc
    end_raw = _cell(cells, ctx, "day_end")
    if end_raw:
        end = parse_day(end_raw, ctx.day_first)
        if end != day:
            raise ValueError(f"covers {day} to {end}: export one row per day (breakdown by Day)")
    if "cost_micros" in ctx.cols:
        cost = _int(num("cost_micros"), "cost")
    else:
        cost = _micros(num("cost"), "cost")
    value = _micros(num("conversion_value"), "conversion value")
    currency = _cell(cells, ctx, "currency").upper() or ctx.header_currency or ctx.default_currency
    if currency and not re.fullmatch(r"[A-Z]{3}", currency):
        raise ValueError(f"currency {currency!r} is not an ISO 4217 code")
    reach_value = num("reach")
    label = _cell(cells, ctx, "label").upper().replace(" ", "_") or None
    if label and label.casefold() in EMPTY:
        label = None
    texts: dict[str, list[str]] = {}
    for key, i in ctx.cols.items():
        if key.startswith("text:") and i < len(cells) and cells[i].strip():
            kind = key.split(":")[1]
            name = {"headline": "headlines", "description": "descriptions"}.get(
                kind, "long_headlines"
            )
            texts.setdefault(name, []).append(cells[i].strip())
    asset_field = asset_text = None
    if "asset" in ctx.cols:
        asset_text = _cell(cells, ctx, "asset") or None
        kind = norm_header(_cell(cells, ctx, "asset_type"))
        asset_field = _ASSET_FIELDS.get(kind, kind.replace(" ", "_") or None)
    elif ctx.platform == "meta":
        # Dynamic creative breakdowns: one asset per row, in the breakdown's column.
        for canonical, name in (
            ("meta_media", "media"),
            ("meta_body", "primary_texts"),
            ("meta_title", "headlines"),
            ("meta_description", "descriptions"),
        ):
            text = _cell(cells, ctx, canonical)
            if text and text.casefold() not in EMPTY:
                asset_field, asset_text = name, text
                break
    return ReportRow(
        line=line,
        day=day.isoformat(),
        platform=ctx.platform,
        attribution=attribution_slug(_cell(cells, ctx, "attribution")),
        currency=currency or None,
        impressions=_int(num("impressions"), "impressions"),
        clicks=_int(num("clicks"), "clicks"),
        conversions_micros=_micros(num("conversions"), "conversions"),
        conversion_value_micros=value,
        cost_micros=cost,
        reach=None if reach_value is None else _int(reach_value, "reach"),
        performance_label=label,
        urls=[
            u
            for u in (
                _cell(cells, ctx, "url_final"),
                _cell(cells, ctx, "url_suffix"),
                _cell(cells, ctx, "url_tags"),
            )
            if u
        ],
        labels=_cell(cells, ctx, "labels"),
        ad_name=_cell(cells, ctx, "ad_name"),
        texts=texts,
        asset_field=asset_field,
        asset_text=asset_text,
    )


_TOTAL = re.compile(r"(?i)^(total|totals|grand total|gesamt|summe|insgesamt)\b")


def _is_total(cells: list[str], day_col: int) -> bool:
    """A platform's total line: a "Total..." cell and no date (an ad may be called "Total
    Fitness"; its rows still carry a day)."""
    day = cells[day_col].strip() if day_col < len(cells) else ""
    if day and day.casefold() not in EMPTY and not _TOTAL.match(day):
        return False
    return any(_TOTAL.match(c.strip()) for c in cells if c)


def _records(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """(starting line, cells) for every record; quoted cells may span lines."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    out: list[tuple[int, list[str]]] = []
    last = 0
    try:
        for cells in reader:
            out.append((last + 1, cells))
            last = reader.line_num
    except csv.Error as exc:
        raise ReportError(f"line {last + 1}: not a readable CSV ({exc})") from exc
    return out


def parse_report(
    data: bytes, *, platform: str | None = None, default_currency: str | None = None
) -> ParsedReport:
    """Parse one report file. Raises ReportError when the file as a whole is unusable."""
    if not data.strip():
        raise ReportError("the file is empty")
    text = decode(data)
    if "\x00" in text:
        raise ReportError("the file is binary, not a CSV or tab-separated report")
    lines = text.splitlines()
    delimiter = _sniff_delimiter(lines)
    records = _records(text, delimiter)
    header_at = next((i for i, (_, cells) in enumerate(records[:50]) if _is_header(cells)), None)
    if header_at is None:
        raise ReportError(
            "no header row with a date column (Day / Date / Reporting starts) and impressions "
            "found in the first 50 lines: export the report segmented by day"
        )
    header_line, header = records[header_at]
    cols, header_currency = _column_map(header)
    normed = {norm_header(h) for h in header}
    detected = (
        "meta"
        if {"reporting starts", "ad set name", "link clicks"} & normed
        or any(h.startswith("amount spent") for h in normed)
        else "google_ads"
    )
    platform = platform or detected
    body = [(ln, cells) for ln, cells in records[header_at + 1 :]]
    number_cols = [
        cols[c]
        for c in ("cost", "conversions", "conversion_value", "impressions", "clicks")
        if c in cols
    ]
    sample = [cells[i] for _, cells in body[:5000] for i in number_cols if i < len(cells)]
    decimal = detect_decimal(sample, delimiter)
    day_values = [cells[cols["day"]] for _, cells in body[:5000] if cols["day"] < len(cells)]
    ctx = _Ctx(
        cols=cols,
        decimal=decimal,
        day_first=detect_day_first(day_values, decimal),
        platform=platform,
        header_currency=header_currency,
        default_currency=(default_currency or "").upper() or None,
    )
    rows: list[ReportRow] = []
    totals = 0
    for line, cells in body:
        if not any(c.strip() for c in cells):
            continue
        if _is_total(cells, cols["day"]):
            totals += 1
            continue
        if len(cells) < len(header) and len(cells) <= max(cols.values()):
            ctx.problems.append(
                RowProblem(line=line, reason=f"{len(cells)} cells; the header has {len(header)}")
            )
            continue
        try:
            rows.append(_row(cells, line, ctx))
        except ValueError as exc:
            ctx.problems.append(RowProblem(line=line, reason=str(exc)))
    warnings = []
    no_currency = "currency" not in cols and not header_currency and not ctx.default_currency
    if no_currency and any(r.cost_micros or r.conversion_value_micros for r in rows):
        warnings.append(
            "no currency column: money is kept apart as 'unknown currency' and never added "
            "to amounts in a known currency (add Currency code, or pass currency=)"
        )
    if not rows and not ctx.problems:
        raise ReportError("the report has a header but no data rows")
    kind = "asset" if any(r.asset_field for r in rows) else "ad"
    return ParsedReport(
        platform=platform,
        kind=kind,
        header_line=header_line,
        rows=rows,
        problems=ctx.problems,
        skipped_totals=totals,
        warnings=warnings,
    )
