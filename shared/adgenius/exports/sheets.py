"""What every export sheet shares: the inputs, clean cells, both encodings, the report of what
was left out and why. Pure: no I/O."""

from __future__ import annotations

import csv
import io
import re
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

_CONTROL = re.compile(r"[\t\r\n\v\f\x00-\x08\x0e-\x1f\x7f\u2028\u2029\x85]+")


class ExportFormat(StrEnum):
    GOOGLE_RSA = "google_rsa"  # Google Ads Editor CSV, responsive search ads
    GOOGLE_PMAX = "google_pmax"  # Google Ads Editor CSV, asset groups + images ZIP
    META = "meta"  # Meta Ads Manager bulk import sheet + media ZIP


class Encoding(StrEnum):
    UTF16_TSV = "utf16_tsv"  # what Google Ads Editor itself writes: UTF-16LE, BOM, tabs
    UTF8_CSV = "utf8_csv"  # UTF-8 with a BOM, commas (web bulk uploads, spreadsheets)


class ExportAsset(BaseModel):
    id: str
    kind: str  # image | video
    ratio: str | None = None
    storage_path: str
    content_type: str
    bytes: int = 0


class ExportCreative(BaseModel):
    id: str
    kind: str  # copy | image | video
    platform: str
    status: str
    content: dict[str, Any] = Field(default_factory=dict)
    assets: list[ExportAsset] = Field(default_factory=list)


class ExportCampaign(BaseModel):
    id: str
    name: str
    landing_url: str | None = None
    brand_id: str | None = None


class Excluded(BaseModel):
    creative_id: str
    reasons: list[str]


class MediaFile(BaseModel):
    """A file of the ZIP: its name in the sheet, and where its bytes are."""

    filename: str
    storage_path: str
    bytes: int = 0


class Sheet(BaseModel):
    """The rows of one export, before encoding, with what was left out."""

    header: list[str]
    rows: list[list[str]]
    included: list[str] = Field(default_factory=list)  # creative ids, in row order
    excluded: list[Excluded] = Field(default_factory=list)
    warnings: list[Excluded] = Field(default_factory=list)  # included, with a caveat
    media: list[MediaFile] = Field(default_factory=list)


def cell(value: object) -> str:
    """One clean cell: never a tab, newline or control character inside (they would split a
    row in Editor's TSV or a spreadsheet); runs of them become one space."""
    if value is None:
        return ""
    return _CONTROL.sub(" ", str(value)).strip()


def encode(header: list[str], rows: list[list[str]], encoding: Encoding) -> bytes:
    out = io.StringIO(newline="")
    delimiter = "\t" if encoding is Encoding.UTF16_TSV else ","
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell(v) for v in row])
    text = out.getvalue()
    if encoding is Encoding.UTF16_TSV:
        return b"\xff\xfe" + text.encode("utf-16-le")
    return b"\xef\xbb\xbf" + text.encode("utf-8")


def excluded_csv(sheet: Sheet) -> bytes:
    """`excluded.csv` inside every ZIP: what was left out and why (UTF-8, BOM)."""
    rows = [[e.creative_id, "; ".join(e.reasons)] for e in sheet.excluded]
    rows += [
        [w.creative_id, "included with a warning: " + "; ".join(w.reasons)] for w in sheet.warnings
    ]
    return encode(["Creative ID", "Reason"], rows, Encoding.UTF8_CSV)


def media_name(asset: ExportAsset) -> str:
    """The file name in the ZIP and the sheet; report rows naming it map back to the asset."""
    ext = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp", "video/mp4": "mp4"}.get(
        asset.content_type, asset.storage_path.rsplit(".", 1)[-1] or "bin"
    )
    return f"ag_{asset.id}.{ext}"


def utm_suffix(source: str, medium: str, creative_id: str) -> str:
    return f"utm_source={source}&utm_medium={medium}&utm_content={creative_id}"
