"""Exports through the API: streamed sheets and ZIPs, the job path for big ones, tenant checks,
and the closed loop: export a campaign, import a report made from that export, see the numbers."""

from __future__ import annotations

import csv
import io
import time
import zipfile

import httpx
import pytest
from analytics_helpers import Shop, group, make_shop, png

from adgenius.localstack.stack import StackInfo


@pytest.fixture(scope="module")
def shop(stack: StackInfo) -> Shop:
    return make_shop(stack, "export")


@pytest.fixture(scope="module")
def rival(stack: StackInfo) -> Shop:
    return make_shop(stack, "rival-export")


def _rows(data: bytes) -> list[dict[str, str]]:
    text = data.decode("utf-16") if data[:2] == b"\xff\xfe" else data.decode("utf-8-sig")
    delimiter = "\t" if "\t" in text.split("\r\n", 1)[0] else ","
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))


def test_rsa_streams_in_both_encodings(shop: Shop) -> None:
    for encoding, first_bytes in (("utf16_tsv", b"\xff\xfe"), ("utf8_csv", b"\xef\xbb\xbf")):
        r = shop.ws.call(
            "GET",
            f"/campaigns/{shop.ws.campaign_id}/exports/google_rsa",
            params={"encoding": encoding},
        )
        assert r.status_code == 200, r.text
        assert r.headers["content-type"].startswith("text/csv")
        assert r.content.startswith(first_bytes)
        assert r.headers["X-Export-Included"] == "2"
        rows = _rows(r.content)
        assert sorted(row["Labels"] for row in rows) == sorted(f"ag:{c}" for c in shop.rsa)
        for row in rows:
            cid = row["Labels"].removeprefix("ag:")
            assert row["Headline 1"] == shop.texts[cid][0]
            assert row["Headline 1 position"] == "1"
            assert f"utm_content={cid}" in row["Final URL suffix"]


def test_meta_zip_carries_the_media(shop: Shop) -> None:
    r = shop.ws.call("GET", f"/campaigns/{shop.ws.campaign_id}/exports/meta")
    assert r.status_code == 200, r.text
    with zipfile.ZipFile(io.BytesIO(r.content)) as zf:
        sheet = _rows(zf.read("meta_bulk_import.csv"))
        media = f"media/ag_{shop.image_assets[0]}.png"
        assert zf.read(media) == png()
    assert {row["Ad Name"].split("[ag:")[1].rstrip("]") for row in sheet} == {
        shop.meta_copy[0],
        shop.images[0],
    }


def test_bad_requests_and_other_tenants(shop: Shop, rival: Shop) -> None:
    base = f"/campaigns/{shop.ws.campaign_id}/exports"
    r = shop.ws.call("GET", f"{base}/tiktok")
    assert r.status_code == 400 and r.json()["error"]["details"][0]["field"] == "format"
    r = shop.ws.call("GET", f"{base}/google_rsa", params={"creative_ids": rival.rsa[0]})
    assert r.status_code == 400
    assert r.json()["error"]["details"][0]["field"] == "creative_ids"
    r = shop.ws.call("GET", f"/campaigns/{rival.ws.campaign_id}/exports/google_rsa")
    assert r.status_code == 404
    r = shop.ws.call("GET", f"{base}/google_rsa/plan", params={"creative_ids": shop.images[0]})
    assert r.status_code == 200
    plan = r.json()
    assert plan["included"] == [] and plan["excluded"][0]["creative_id"] == shop.images[0]


def test_export_job_lands_in_storage_with_a_link(shop: Shop) -> None:
    r = shop.ws.call("POST", f"/campaigns/{shop.ws.campaign_id}/exports", json={"format": "meta"})
    assert r.status_code == 202, r.text
    export_id = r.json()["id"]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job = shop.ws.call("GET", f"/exports/{export_id}").json()
        if job["status"] in ("ready", "failed"):
            break
        time.sleep(0.2)
    assert job["status"] == "ready", job
    data = httpx.get(job["url"], timeout=30).content
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert "meta_bulk_import.csv" in zf.namelist()


def test_closed_loop_export_then_import_a_report_of_it(shop: Shop) -> None:
    r = shop.ws.call(
        "GET",
        f"/campaigns/{shop.ws.campaign_id}/exports/google_rsa",
        params={"encoding": "utf8_csv"},
    )
    exported = _rows(r.content)
    # What Google Ads reports after the sheet went live: its own columns, our suffix and label.
    lines = [
        "Ad report",
        "November 1, 2026 - November 2, 2026",
        "Final URL,Final URL suffix,Labels,Day,Currency code,Impr.,Clicks,Cost,Conversions",
    ]
    for n, row in enumerate(exported, start=1):
        lines.append(
            f"{row['Final URL']},{row['Final URL suffix']},{row['Labels']},2026-11-01,USD,"
            f'"{n},000",{n * 10},{n}.50,{n}'
        )
    lines.append('Total: Account,,,,USD,"3,000",30,4.00,3')
    started = shop.upload("\r\n".join(lines).encode("utf-8-sig"))
    done = shop.wait_import(started["id"])
    assert done["status"] == "succeeded" and done["problem_count"] == 0, done
    for n, row in enumerate(exported, start=1):
        cid = row["Labels"].removeprefix("ag:")
        g = group(shop.performance(cid), "google_ads")
        assert (g["impressions"], g["clicks"], g["cost_micros"]) == (
            n * 1000,
            n * 10,
            n * 1_000_000 + 500_000,
        )
        creative = shop.ws.call("GET", f"/creatives/{cid}").json()
        assert creative["metrics"]["impressions"] == n * 1000  # the loop closes on the creative
