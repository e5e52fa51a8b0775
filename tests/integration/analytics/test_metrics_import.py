"""Report import through the real pipeline: upload -> Storage -> trigger -> Pub/Sub parse ->
chunks applied. Realistic layouts; a malformed file; another tenant's file; an overlapping
re-import; a chunk delivered twice."""

from __future__ import annotations

import pytest
from analytics_helpers import Shop, group, make_shop

from adgenius.analytics import imports
from adgenius.cloud import messaging
from adgenius.localstack.stack import StackInfo


@pytest.fixture(scope="module")
def shop(stack: StackInfo) -> Shop:
    return make_shop(stack, "import")


@pytest.fixture(scope="module")
def rival(stack: StackInfo) -> Shop:
    return make_shop(stack, "rival-import")


def google_ad_report(shop: Shop, days: list[tuple[str, int, str]]) -> bytes:
    """Google Ads 'Excel .csv' download: UTF-16LE, tabs, title lines, German numbers, totals."""
    a, b = shop.rsa
    lines = [
        "Anzeigenbericht",
        "1. November 2026 - 30. November 2026",
        "\t".join(
            [
                "Ad status",
                "Final URL",
                "Final URL suffix",
                "Headline 1",
                "Headline 2",
                "Labels",
                "Campaign",
                "Ad group",
                "Day",
                "Currency code",
                "Impr.",
                "Clicks",
                "Cost",
                "Conversions",
                "Conv. value",
            ]
        ),
    ]
    for day, impressions, cost in days:
        lines.append(
            "\t".join(
                [
                    "Enabled",
                    "https://example.com/trail",
                    f"utm_content={a}",
                    shop.texts[a][0],
                    shop.texts[a][1],
                    f"ag:{a}",
                    "Spring",
                    "AG",
                    day,
                    "EUR",
                    f"{impressions:,}".replace(",", "."),
                    "12",
                    cost,
                    "1,5",
                    "--",
                ]
            )
        )
    # an ad without our id, found by its exact (normalised) texts
    lines.append(
        "\t".join(
            [
                "Enabled",
                "https://example.com/trail",
                "",
                shop.texts[b][0].upper(),
                f"  {shop.texts[b][1]}",
                "",
                "Spring",
                "AG",
                "2026-11-01",
                "EUR",
                "100",
                "1",
                "0,10",
                "0",
                "0",
            ]
        )
    )
    lines.append(
        "\t".join(
            [
                "Enabled",
                "https://x.example",
                "",
                "Unknown ad",
                "No id",
                "",
                "Spring",
                "AG",
                "2026-11-01",
                "EUR",
                "5",
                "0",
                "0",
                "0",
                "0",
            ]
        )
    )
    lines.append(
        "\t".join(
            ["Enabled", "", "", "", "", "", "", "", "yesterday", "EUR", "1", "0", "0", "0", "0"]
        )
    )
    lines.append("Gesamt: Konto\t\t\t\t\t\t\t\t\tEUR\t99.999\t99\t999,99\t9\t9")
    return b"\xff\xfe" + ("\r\n".join(lines) + "\r\n").encode("utf-16-le")


def test_google_report_import_and_overlapping_reimport(shop: Shop) -> None:
    a, b = shop.rsa
    first = shop.upload(
        google_ad_report(
            shop,
            [
                ("2026-11-01", 1234, "10,00"),
                ("2026-11-02", 2000, "20,50"),
                ("2026-11-03", 3000, "1.030,25"),
            ],
        ),
        filename="Anzeigenbericht.csv",
    )
    done = shop.wait_import(first["id"])
    assert done["status"] == "succeeded", done
    assert done["platform"] == "google_ads"
    assert (done["rows_matched"], done["skipped_totals"], done["problem_count"]) == (4, 1, 2)
    assert [p["line"] for p in done["problems"]] == [8, 9]
    assert "no creative of this workspace has these ad texts" in done["problems"][0]["reason"]
    assert "date" in done["problems"][1]["reason"]

    g = group(shop.performance(a), "google_ads")
    assert g["impressions"] == 1234 + 2000 + 3000
    assert g["cost_micros"] == 1_060_750_000 and g["currency"] == "EUR"
    assert g["conversions"] == pytest.approx(4.5)
    assert group(shop.performance(b), "google_ads")["impressions"] == 100

    # The platform restates the last two days and adds one: replaced, never added.
    second = shop.upload(
        google_ad_report(
            shop,
            [
                ("2026-11-02", 2100, "21,00"),
                ("2026-11-03", 3100, "31,00"),
                ("2026-11-04", 400, "4,00"),
            ],
        )
    )
    assert shop.wait_import(second["id"])["status"] == "succeeded"
    g = group(shop.performance(a), "google_ads")
    assert g["impressions"] == 1234 + 2100 + 3100 + 400
    assert g["cost_micros"] == 66_000_000
    assert g["days"] == 4
    campaign = group(shop.campaign_performance(), "google_ads")
    assert campaign["impressions"] == 1234 + 2100 + 3100 + 400 + 100

    # The very same file again: every fact unchanged.
    third = shop.upload(
        google_ad_report(
            shop,
            [
                ("2026-11-02", 2100, "21,00"),
                ("2026-11-03", 3100, "31,00"),
                ("2026-11-04", 400, "4,00"),
            ],
        )
    )
    again = shop.wait_import(third["id"])
    assert again["facts_written"] == 0 and again["facts_unchanged"] == again["facts_total"]
    assert group(shop.performance(a), "google_ads") == g


def test_chunk_delivered_twice_changes_nothing(shop: Shop) -> None:
    cid = shop.meta_copy[0]
    text = (
        "Reporting starts,Reporting ends,Ad name,Impressions,Reach,Link clicks,Amount spent (USD)\n"
    )
    text += "".join(
        f"2026-10-{d:02d},2026-10-{d:02d},Meta ad [ag:{cid}],{100 * d},{90 * d},{d},{d}.25\n"
        for d in range(1, 29)
    )
    started = shop.upload(text.encode("utf-8-sig"))
    done = shop.wait_import(started["id"])
    assert done["status"] == "succeeded" and done["chunks_total"] >= 1
    before = shop.performance(cid)
    message = imports.ChunkMessage(tenant_id=shop.ws.tenant_id, import_id=started["id"], chunk=0)
    imports.on_apply(message)  # in-process redelivery
    messaging.publish(imports.APPLY_TOPIC, message)  # and through Pub/Sub
    messaging.publish(
        imports.PARSE_TOPIC, imports.ImportMessage(**message.model_dump(exclude={"chunk"}))
    )
    import time

    time.sleep(2)
    assert shop.performance(cid)["totals"] == before["totals"]
    after = shop.wait_import(started["id"])
    assert after["chunks_done"] == done["chunks_done"]
    g = group(before, "meta")
    assert g["impressions"] == sum(100 * d for d in range(1, 29))
    assert g["cost_micros"] == sum(d * 1_000_000 + 250_000 for d in range(1, 29))
    day = next(f for f in before["daily"] if f["date"] == "2026-10-03")
    assert day["reach"] == 270


def test_file_of_another_tenant_matches_nothing_and_leaks_nothing(shop: Shop, rival: Shop) -> None:
    rival_file = google_ad_report(rival, [("2026-09-01", 500, "5,00")])
    started = shop.upload(rival_file)  # shop uploads the rival's report
    done = shop.wait_import(started["id"])
    assert done["status"] == "succeeded"
    assert done["rows_matched"] == 0 and done["facts_total"] == 0
    reasons = " ".join(p["reason"] for p in done["problems"])
    assert "not a creative of this workspace" in reasons
    for cid in rival.rsa:
        assert rival.performance(cid)["totals"] == []
        r = shop.ws.call("GET", f"/creatives/{cid}/performance")
        assert r.status_code == 404


def test_malformed_file_fails_as_a_whole(shop: Shop) -> None:
    # A file that is evidently no CSV (here a PNG) is refused at upload, naming the body ...
    r = shop.ws.call(
        "POST",
        "/metrics/imports",
        content=b"\x89PNG\r\n\x1a\n\x00\x00garbage\x00\x00",
        headers={"Content-Type": "text/csv"},
    )
    assert r.status_code == 400 and r.json()["error"]["details"][0]["field"] == "body"
    # ... and text that is no report of any platform fails as a whole when it is parsed.
    started = shop.upload(b"Dear team,\nplease find the numbers attached.\nBest, Sam\n")
    done = shop.wait_import(started["id"])
    assert done["status"] == "failed" and done["error"]
    assert done["facts_total"] == 0

    bad = b"Day,Impr.,Clicks,Cost\n2026-11-01,5,1\n"
    r = shop.ws.call("POST", "/metrics/imports", content=b"", headers={"Content-Type": "text/csv"})
    assert r.status_code == 400
    started = shop.upload(bad)
    done = shop.wait_import(started["id"])
    assert done["status"] == "succeeded" and done["problem_count"] == 1


def test_meta_asset_breakdown_by_media_name(shop: Shop) -> None:
    asset = shop.image_assets[0]
    text = (
        'Reporting starts,Reporting ends,Ad name,"Image, video and slideshow",Impressions,'
        "Link clicks,Amount spent (USD),Attribution setting\n"
        f"2026-11-05,2026-11-05,Ad [ag:{shop.images[0]}],ag_{asset}.png,700,70,7.00,"
        "7-day click or 1-day view\n"
    )
    done = shop.wait_import(shop.upload(text.encode())["id"])
    assert done["status"] == "succeeded" and done["rows_matched"] == 1, done
    perf = shop.performance(shop.images[0])
    (media,) = [a for a in perf["assets"] if a["asset_id"] == asset]
    (t,) = [t for t in media["totals"] if t["attribution"] == "7d_click_1d_view"]
    assert t["impressions"] == 700 and t["currency"] == "USD"
