"""POST /v1/metrics: daily rows per creative or asset; replace, never double count; whole-batch
validation; tenant isolation; rates as ratios of sums."""

from __future__ import annotations

import pytest
from analytics_helpers import Shop, group, make_shop

from adgenius.localstack.stack import StackInfo


@pytest.fixture(scope="module")
def shop(stack: StackInfo) -> Shop:
    return make_shop(stack, "api")


@pytest.fixture(scope="module")
def rival(stack: StackInfo) -> Shop:
    return make_shop(stack, "rival")


def _row(cid: str, day: str, **kw: object) -> dict[str, object]:
    return {
        "creative_id": cid,
        "platform": "google_ads",
        "date": day,
        "impressions": 1000,
        "clicks": 50,
        "conversions": 2.5,
        "conversion_value_micros": 100_000_000,
        "cost_micros": 25_000_000,
        "currency": "USD",
        **kw,
    }


def test_rows_replace_and_rates_are_ratios_of_sums(shop: Shop) -> None:
    cid = shop.rsa[0]
    r = shop.post_metrics(
        [_row(cid, "2026-11-01"), _row(cid, "2026-11-02", impressions=10, clicks=5)]
    )
    assert r.status_code == 200, r.text
    assert r.json()["facts_written"] == 2

    # the same batch again changes nothing; the platform restating a day replaces it
    again = shop.post_metrics([_row(cid, "2026-11-01")])
    assert again.json() == {"rows": 1, "facts_written": 0, "facts_unchanged": 1}
    restated = shop.post_metrics([_row(cid, "2026-11-02", impressions=20, clicks=4)])
    assert restated.json()["facts_written"] == 1

    g = group(shop.performance(cid), "google_ads")
    assert (g["impressions"], g["clicks"], g["days"]) == (1020, 54, 2)
    assert g["cost_micros"] == 50_000_000 and g["currency"] == "USD"
    assert g["rates"]["ctr"] == pytest.approx(54 / 1020)  # not the mean of 5% and 20%
    assert g["rates"]["roas"] == pytest.approx(200 / 50)
    assert g["conversions"] == pytest.approx(5.0)
    perf = shop.performance(cid, start="2026-11-02", end="2026-11-02")
    assert [d["date"] for d in perf["daily"]] == ["2026-11-02"]

    campaign = shop.campaign_performance()
    assert group(campaign, "google_ads")["impressions"] >= 1020
    assert cid in {c["creative_id"] for c in campaign["creatives"]}
    assert {d["date"] for d in campaign["daily"]} >= {"2026-11-01", "2026-11-02"}


def test_currencies_and_attribution_settings_are_never_mixed(shop: Shop) -> None:
    cid = shop.meta_copy[0]
    rows = [
        _row(cid, "2026-11-01", platform="meta", currency="EUR", attribution="7d_click_1d_view"),
        _row(cid, "2026-11-01", platform="meta", currency="EUR", attribution="1d_click"),
        _row(cid, "2026-11-01", currency="USD"),
    ]
    assert shop.post_metrics(rows).status_code == 200
    perf = shop.performance(cid)
    keys = sorted((t["platform"], t["attribution"], t["currency"]) for t in perf["totals"])
    assert keys == [
        ("google_ads", "default", "USD"),
        ("meta", "1d_click", "EUR"),
        ("meta", "7d_click_1d_view", "EUR"),
    ]
    assert perf["overall"]["combined"] is None  # two currencies: no combined money
    assert perf["overall"]["currencies"] == ["EUR", "USD"]
    assert perf["overall"]["impressions"] == 3000


def test_asset_rows_by_text_and_by_media(shop: Shop) -> None:
    headline = shop.texts[shop.rsa[1]][1]
    rows = [
        {
            "asset": {"field": "headlines", "text": f"  {headline.upper()} "},
            "platform": "google_ads",
            "date": "2026-11-03",
            "impressions": 300,
            "clicks": 9,
            "performance_label": "BEST",
        },
        {
            "asset": {"asset_id": shop.image_assets[0]},
            "platform": "meta",
            "date": "2026-11-03",
            "impressions": 70,
            "clicks": 7,
            "reach": 60,
        },
    ]
    r = shop.post_metrics(rows)
    assert r.status_code == 200, r.text
    perf = shop.performance(shop.rsa[1])
    (asset,) = [a for a in perf["assets"] if a["text"] == headline]
    assert asset["performance_label"] == "BEST" and asset["totals"][0]["impressions"] == 300
    image = shop.performance(shop.images[0])
    (media,) = [a for a in image["assets"] if a["asset_id"] == shop.image_assets[0]]
    assert media["totals"][0]["clicks"] == 7
    assert "reach" not in media["totals"][0]  # never summed across days


def test_batch_is_validated_as_a_whole(shop: Shop, rival: Shop) -> None:
    cid = shop.rsa[0]
    before = group(shop.performance(cid), "google_ads")
    bad = [
        _row(cid, "2026-10-01"),
        _row(rival.rsa[0], "2026-10-01"),  # another tenant's creative
        _row("does-not-exist", "2026-10-01"),
    ]
    r = shop.post_metrics(bad)
    assert r.status_code == 400
    fields = [d["field"] for d in r.json()["error"]["details"]]
    assert fields == ["rows.1.creative_id", "rows.2.creative_id"]
    assert group(shop.performance(cid), "google_ads") == before  # nothing applied
    assert rival.performance(rival.rsa[0])["totals"] == []  # nothing leaked to the rival

    for body, field in (
        ({"rows": [{**_row(cid, "2026-10-01"), "currency": None}]}, "rows.0"),
        ({"rows": [{**_row(cid, "2026-10-01"), "clicks": -1}]}, "rows.0.clicks"),
        ({"rows": [{**_row(cid, "2026-10-32")}]}, "rows.0.date"),
        ({"rows": []}, "rows"),
    ):
        r = shop.post_metrics(body["rows"])  # type: ignore[arg-type]
        assert r.status_code == 400, r.text
        assert field in [d["field"] for d in r.json()["error"]["details"]], r.text


def test_only_metrics_writers_may_post(shop: Shop) -> None:
    import httpx

    r = httpx.post(
        f"{shop.ws.v1}/metrics",
        json={"rows": [_row(shop.rsa[0], "2026-11-01")]},
        headers={"X-API-Key": "agk_nope.nope"},
        timeout=30,
    )
    assert r.status_code == 401
