"""Export formats: golden files byte for byte (both encodings), a round trip read the way
Google Ads Editor reads a sheet, identity on every row, clean cells, and what is left out."""

from __future__ import annotations

import csv
import io
import os
import zipfile
from pathlib import Path

import pytest

from adgenius.exports import service
from adgenius.exports.google_editor import pmax_sheet, rsa_sheet
from adgenius.exports.meta_bulk import meta_sheet
from adgenius.exports.sheets import (
    Encoding,
    ExportAsset,
    ExportCampaign,
    ExportCreative,
    ExportFormat,
    encode,
)

GOLDEN = Path(__file__).parent / "golden"
CAMPAIGN = ExportCampaign(id="camp1", name="Spring launch", landing_url="https://example.com/trail")


def rsa(cid: str, **content: object) -> ExportCreative:
    base: dict[str, object] = {
        "headlines": [
            "Trail shoes that grip",
            "Light on rocky paths",
            "Free returns, 30 days",
            "Größe 36–48 verfügbar",
        ],
        "descriptions": ["Grippy soles for muddy trails. Order today.", "Terms apply."],
        "paths": ["trail", "shoes"],
        "pins": {"headlines[0]": "H1", "headlines[2]": "H3", "descriptions[1]": "D2"},
    }
    base.update(content)
    return ExportCreative(
        id=cid, kind="copy", platform="google_rsa", status="approved", content=base
    )


CREATIVES = [
    rsa("cr1"),
    rsa("cr2", headlines=["Run the ridge", "Commas, and more", 'Quote "this", please']),
    rsa("cr3", headlines=["Too short"]),  # fewer than 3 headlines: left out
    rsa("cr4", headlines=["x" * 31, "b", "c"]),  # over 30 characters: left out
    ExportCreative(
        id="cr5", kind="copy", platform="google_rsa", status="draft", content=rsa("x").content
    ),
    rsa("cr6", headlines=["Tab\there", "line\nbreak", "fine"]),  # editorial policy: left out
]


def check_golden(name: str, data: bytes) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_bytes(data)
    assert path.exists(), f"missing golden file {name}; run with UPDATE_GOLDEN=1 once"
    assert data == path.read_bytes(), f"{name} differs from its golden file"


@pytest.mark.parametrize(
    ("encoding", "golden"),
    [(Encoding.UTF16_TSV, "rsa_utf16.tsv.csv"), (Encoding.UTF8_CSV, "rsa_utf8.csv")],
)
def test_rsa_golden_files(encoding: Encoding, golden: str) -> None:
    sheet = rsa_sheet(CAMPAIGN, CREATIVES)
    data = encode(sheet.header, sheet.rows, encoding)
    check_golden(golden, data)
    if encoding is Encoding.UTF16_TSV:
        assert data[:2] == b"\xff\xfe"  # UTF-16LE with a BOM, as Editor writes
        assert b"\t\x00" in data
    else:
        assert data[:3] == b"\xef\xbb\xbf"


def _read_like_editor(data: bytes) -> list[dict[str, str]]:
    """Editor: BOM-detected encoding, tab or comma, headers case- and space-insensitive."""
    text = data.decode("utf-16") if data[:2] == b"\xff\xfe" else data.decode("utf-8-sig")
    delimiter = "\t" if text.split("\r\n", 1)[0].count("\t") else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    header = ["".join(h.lower().split()) for h in rows[0]]
    assert all(len(r) == len(header) for r in rows[1:]), "a cell split a row"
    return [dict(zip(header, r, strict=True)) for r in rows[1:]]


@pytest.mark.parametrize("encoding", list(Encoding))
def test_rsa_round_trip_finds_every_headline_pin_and_url(encoding: Encoding) -> None:
    sheet = rsa_sheet(CAMPAIGN, CREATIVES)
    rows = _read_like_editor(encode(sheet.header, sheet.rows, encoding))
    by_id = {r["labels"].removeprefix("ag:"): r for r in rows}
    assert list(by_id) == ["cr1", "cr2"]
    for creative in CREATIVES[:2]:
        row = by_id[creative.id]
        assert row["adtype"] == "Responsive search ad"
        assert row["finalurl"] == "https://example.com/trail"
        assert f"utm_content={creative.id}" in row["finalurlsuffix"]
        heads = creative.content["headlines"]
        assert isinstance(heads, list)
        for i, text in enumerate(heads, start=1):
            assert row[f"headline{i}"] == " ".join(str(text).split())
        for i in range(len(heads) + 1, 16):
            assert row[f"headline{i}"] == "" and row[f"headline{i}position"] == ""
    assert by_id["cr1"]["headline1position"] == "1"
    assert by_id["cr1"]["headline3position"] == "3"
    assert by_id["cr1"]["headline2position"] == ""
    assert by_id["cr1"]["description2position"] == "2"
    assert by_id["cr1"]["headline4"] == "Größe 36–48 verfügbar"
    assert by_id["cr2"]["headline2"] == "Commas, and more"
    assert by_id["cr2"]["headline3"] == 'Quote "this", please'


def test_rsa_lists_what_it_left_out_and_why() -> None:
    sheet = rsa_sheet(CAMPAIGN, CREATIVES)
    reasons = {e.creative_id: " ".join(e.reasons) for e in sheet.excluded}
    assert set(reasons) == {"cr3", "cr4", "cr5", "cr6"}
    assert "headlines" in reasons["cr3"] and "need 3-15" in reasons["cr3"]
    assert "31 characters" in reasons["cr4"]
    assert "not approved (draft)" in reasons["cr5"]
    assert "control or unsupported character" in reasons["cr6"]  # the editorial policy
    assert sheet.warnings == []
    with_drafts = rsa_sheet(CAMPAIGN, CREATIVES, include_drafts=True)
    assert "cr5" in with_drafts.included
    no_url = rsa_sheet(ExportCampaign(id="c", name="n"), CREATIVES[:1])
    assert no_url.rows == [] and "landing URL" in no_url.excluded[0].reasons[0]


PMAX = ExportCreative(
    id="pm1",
    kind="copy",
    platform="google_pmax",
    status="approved",
    content={
        "headlines": ["Trail shoes", "Grip on rocks", "Free returns"],
        "long_headlines": ["Trail shoes that grip on wet rock and mud"],
        "descriptions": ["Order today.", "Free returns within 30 days on all trail shoes."],
        "business_name": ["Trail Co"],
    },
)
IMAGE = ExportCreative(
    id="im1",
    kind="image",
    platform="meta",
    status="approved",
    content={"headline": "Grip on every trail", "description": "Free returns", "cta": "Shop now"},
    assets=[
        ExportAsset(
            id="im1-sq",
            kind="image",
            ratio="1:1",
            storage_path="t/a/sq.png",
            content_type="image/png",
            bytes=1000,
        ),
        ExportAsset(
            id="im1-ls",
            kind="image",
            ratio="1.91:1",
            storage_path="t/a/ls.png",
            content_type="image/png",
            bytes=1200,
        ),
        ExportAsset(
            id="im1-st",
            kind="image",
            ratio="9:16",
            storage_path="t/a/st.png",
            content_type="image/png",
            bytes=900,
        ),
    ],
)
VIDEO = ExportCreative(
    id="vi1",
    kind="video",
    platform="meta",
    status="approved",
    content={"headline": "See it run", "description": "15 s on the ridge", "cta": "Learn more"},
    assets=[
        ExportAsset(
            id="vi1-9x16",
            kind="video",
            ratio="9:16",
            storage_path="t/v/v.mp4",
            content_type="video/mp4",
            bytes=4000,
        )
    ],
)
META_COPY = ExportCreative(
    id="mc1",
    kind="copy",
    platform="meta",
    status="approved",
    content={
        "primary_texts": ["Grip where it matters. Terms apply."],
        "headlines": ["Trail shoes, built for mud"],
        "descriptions": ["Free returns"],
    },
)


def test_pmax_golden_and_images_named_by_the_sheet() -> None:
    sheet = pmax_sheet(CAMPAIGN, [PMAX, IMAGE])
    check_golden("pmax_utf16.tsv.csv", encode(sheet.header, sheet.rows, Encoding.UTF16_TSV))
    check_golden("pmax_utf8.csv", encode(sheet.header, sheet.rows, Encoding.UTF8_CSV))
    (row,) = _read_like_editor(encode(sheet.header, sheet.rows, Encoding.UTF8_CSV))
    assert row["assetgroup"] == "Spring launch [ag:pm1]"
    assert "utm_content=pm1" in row["finalurlsuffix"]
    assert row["longheadline1"].startswith("Trail shoes that grip")
    assert row["businessname"] == "Trail Co"
    # 9:16 is not a PMax image ratio: only square and landscape travel
    assert row["images"] == "ag_im1-sq.png;ag_im1-ls.png"
    assert [m.filename for m in sheet.media] == ["ag_im1-sq.png", "ag_im1-ls.png"]


def test_meta_golden_identity_and_media() -> None:
    sheet = meta_sheet(CAMPAIGN, [META_COPY, IMAGE, VIDEO])
    check_golden("meta_utf8.csv", encode(sheet.header, sheet.rows, Encoding.UTF8_CSV))
    rows = _read_like_editor(encode(sheet.header, sheet.rows, Encoding.UTF8_CSV))
    assert [r["adname"] for r in rows] == [
        "Spring launch copy [ag:mc1]",
        "Spring launch image [ag:im1]",
        "Spring launch video [ag:vi1]",
    ]
    for r, cid in zip(rows, ["mc1", "im1", "vi1"], strict=True):
        assert f"utm_content={cid}" in r["urltags"]
        assert r["link"] == "https://example.com/trail" and r["displaylink"] == "example.com"
    assert rows[0]["imagefilename"] == "ag_im1-sq.png"  # copy paired with the first image
    assert rows[1]["calltoaction"] == "SHOP_NOW"
    assert rows[2]["videofilename"] == "ag_vi1-9x16.mp4" and rows[2]["imagefilename"] == ""
    assert {m.filename for m in sheet.media} == {"ag_im1-sq.png", "ag_vi1-9x16.mp4"}


def test_meta_copy_without_media_is_left_out_with_its_reason() -> None:
    sheet = meta_sheet(CAMPAIGN, [META_COPY])
    assert sheet.rows == []
    assert "needs an image or video" in sheet.excluded[0].reasons[0]


class _Blobs:
    def get(self, path: str) -> bytes:
        return f"bytes of {path}".encode()


def test_zip_holds_sheet_media_and_excluded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service, "blob_store", lambda: _Blobs())
    sheet = meta_sheet(CAMPAIGN, [META_COPY, IMAGE, VIDEO, CREATIVES[0]])
    request = service.ExportRequest(format=ExportFormat.META, encoding=Encoding.UTF8_CSV)
    plan = service.ExportPlan(
        format=ExportFormat.META,
        filename="x.zip",
        media_type="application/zip",
        included=sheet.included,
        excluded=sheet.excluded,
        warnings=sheet.warnings,
        media_files=len(sheet.media),
        media_bytes=0,
    )
    data = service.render(sheet, plan, request)
    assert data == service.render(sheet, plan, request)  # deterministic bytes
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        assert names[:2] == ["meta_bulk_import.csv", "excluded.csv"]
        assert set(names[2:]) == {"media/ag_im1-sq.png", "media/ag_vi1-9x16.mp4"}
        assert zf.read("media/ag_im1-sq.png") == b"bytes of t/a/sq.png"
        excluded = zf.read("excluded.csv").decode("utf-8-sig")
        assert "cr1" in excluded and "not a Meta creative" in excluded


def test_a_cell_never_holds_a_tab_or_a_newline() -> None:
    from adgenius.exports.sheets import cell

    assert cell("a\tb\r\nc\u2028d  ") == "a b c d"
    body = {**META_COPY.content, "primary_texts": ["Line one\nLine two. Terms apply."]}
    sheet = meta_sheet(CAMPAIGN, [META_COPY.model_copy(update={"content": body}), IMAGE])
    rows = _read_like_editor(encode(sheet.header, sheet.rows, Encoding.UTF16_TSV))
    assert rows[0]["body"] == "Line one Line two. Terms apply."
