"""Parsing real report layouts: title lines, totals rows, locale numbers, `--`, currencies,
UTF-16 tab-separated and UTF-8 with a BOM."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from adgenius.analytics.report_import import (
    ReportError,
    attribution_slug,
    decode,
    detect_decimal,
    parse_number,
    parse_report,
)

REPORTS = Path(__file__).parent / "reports"


def test_google_ad_report_utf8_with_title_lines_and_totals() -> None:
    # a Google Ads UI "CSV" download: UTF-8 with a BOM, CRLF, title lines and totals
    report = parse_report((REPORTS / "google_ad_report_utf8.csv").read_bytes())
    assert report.platform == "google_ads" and report.kind == "ad"
    assert report.header_line == 3
    assert report.skipped_totals == 2
    assert report.problems == []
    first, second, third = report.rows
    assert first.line == 4 and first.day == "2026-11-01"
    assert (first.impressions, first.clicks) == (1234, 56)
    assert first.cost_micros == 1_002_500_000
    assert first.conversions_micros == 3_500_000
    assert first.conversion_value_micros == 2_000_000_000
    assert first.currency == "USD"
    assert "utm_content=cr_A1" in first.urls and first.labels == "ag:cr_A1"
    assert first.texts["headlines"] == ["Trail shoes", "Light on rocks"]
    assert (second.clicks, second.conversions_micros, second.cost_micros) == (0, 0, 0)
    assert third.cost_micros == 250_000


def test_google_excel_download_utf16_tabs_german_locale() -> None:
    text = (
        "Anzeigenbericht\r\n"
        "1. November 2026 - 2. November 2026\r\n"
        "Final URL\tLabels\tDay\tCurrency code\tImpr.\tClicks\tCost\tConversions\r\n"
        "https://example.com/?utm_content=cr_B2\t\t01.11.2026\tEUR\t1.234\t12\t1.234,56\t1,5\r\n"
        "https://example.com/?utm_content=cr_B2\t\t02.11.2026\tEUR\t999\t3\t0,99\t--\r\n"
        "Gesamt: Konto\t\t\tEUR\t2.233\t15\t1.235,55\t1,5\r\n"
    )
    data = b"\xff\xfe" + text.encode("utf-16-le")
    report = parse_report(data)
    assert report.skipped_totals == 1 and report.problems == []
    a, b = report.rows
    assert a.day == "2026-11-01" and b.day == "2026-11-02"
    assert a.impressions == 1234 and a.cost_micros == 1_234_560_000
    assert a.conversions_micros == 1_500_000
    assert b.cost_micros == 990_000


def test_google_asset_report_with_performance_label() -> None:
    text = (
        "Asset report\n"
        "All time\n"
        "Asset,Asset type,Performance,Status,Campaign,Ad group,Day,Currency code,"
        "Impr.,Clicks,Cost\n"
        "Trail shoes,Headline,Best,Enabled,Spring,AG 1,2026-11-01,USD,500,20,10.00\n"
        "Light on rocks,Description,Learning,Enabled,Spring,AG 1,2026-11-01,USD,400,10,5.00\n"
        "ag_asset-9.png,Image,Low,Enabled,Spring,AG 1,2026-11-01,USD,100,1,1.00\n"
        "Total: Account,,,,,,,USD,1000,31,16.00\n"
    )
    report = parse_report(text.encode())
    assert report.kind == "asset"
    labels = [(r.asset_field, r.asset_text, r.performance_label) for r in report.rows]
    assert labels == [
        ("headlines", "Trail shoes", "BEST"),
        ("descriptions", "Light on rocks", "LEARNING"),
        ("media", "ag_asset-9.png", "LOW"),
    ]


META_EXPORT = (
    "Reporting starts,Reporting ends,Campaign name,Ad set name,Ad name,Impressions,Reach,"
    "Frequency,Link clicks,Amount spent (EUR),Purchases,Purchases conversion value,"
    "Attribution setting,URL parameters\n"
    '2026-11-01,2026-11-01,Spring,Set 1,Trail shoes [ag:cr_M1],2500,2000,1.25,40,"12,34",2,'
    '"99,90",7-day click or 1-day view,utm_content=cr_M1\n'
    "2026-11-01,2026-11-07,Spring,Set 1,Trail shoes [ag:cr_M1],9000,7000,1.3,80,40,3,100,"
    "7-day click or 1-day view,utm_content=cr_M1\n"
)


def test_meta_export_currency_in_header_and_one_day_rows_only() -> None:
    report = parse_report(META_EXPORT.encode("utf-8-sig"))
    assert report.platform == "meta"
    (row,) = report.rows
    assert row.currency == "EUR" and row.cost_micros == 12_340_000
    assert row.conversion_value_micros == 99_900_000
    assert row.reach == 2000 and row.clicks == 40
    assert row.attribution == "7d_click_1d_view"
    (problem,) = report.problems
    assert problem.line == 3 and "one row per day" in problem.reason


def test_meta_dynamic_creative_breakdown_rows_are_assets() -> None:
    text = (
        "Reporting starts,Reporting ends,Ad name,Image, video and slideshow,Impressions,"
        "Link clicks,Amount spent (USD)\n"
    )
    # the breakdown header itself contains a comma: Meta quotes it
    text = text.replace("Image, video and slideshow", '"Image, video and slideshow"')
    text += "2026-11-01,2026-11-01,Ad [ag:cr_M1],ag_asset-1.png,100,5,1.50\n"
    report = parse_report(text.encode())
    (row,) = report.rows
    assert (row.asset_field, row.asset_text) == ("media", "ag_asset-1.png")
    assert row.currency == "USD"


def test_invalid_rows_are_listed_with_line_and_reason() -> None:
    text = (
        "Day,Impr.,Clicks,Cost,Currency code\n"
        "2026-11-01,10,1,1.00,USD\n"
        "yesterday,10,1,1.00,USD\n"
        "2026-11-02,ten,1,1.00,USD\n"
        "2026-11-03,-5,1,1.00,USD\n"
        "2026-11-04,10,1,1.00,EURO\n"
    )
    report = parse_report(text.encode())
    assert len(report.rows) == 1
    assert [p.line for p in report.problems] == [3, 4, 5, 6]
    reasons = " | ".join(p.reason for p in report.problems)
    assert "date" in reasons and "not a number" in reasons and "negative" in reasons
    assert "ISO 4217" in reasons


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
        b"just,some,columns\n1,2,3\n",
        b"Day,Impr.\n",
    ],
)
def test_malformed_files_are_refused_as_a_whole(data: bytes) -> None:
    with pytest.raises(ReportError):
        parse_report(data)


@pytest.mark.parametrize(
    ("raw", "decimal", "expected"),
    [
        ("1,234.56", ".", "1234.56"),
        ("1.234,56", ",", "1234.56"),
        ("1 234,56", ",", "1234.56"),
        ("1\u00a0234,56", ",", "1234.56"),
        ("$1,234.56", ".", "1234.56"),
        ("12.5%", ".", "12.5"),
        ("EUR 3,00", ",", "3.00"),
        ("1'234.50", ".", "1234.50"),
    ],
)
def test_locale_numbers(raw: str, decimal: str, expected: str) -> None:
    assert parse_number(raw, decimal) == Decimal(expected)


@pytest.mark.parametrize("raw", ["--", "", " ", "-", "N/A"])
def test_no_value_markers(raw: str) -> None:
    assert parse_number(raw, ".") is None


def test_decimal_separator_is_decided_per_file() -> None:
    assert detect_decimal(["1,234", "12,50"], ",") == ","
    assert detect_decimal(["1,234", "12.50"], ",") == "."
    assert detect_decimal(["1.234.567", "3"], ",") == ","


def test_decoding_boms_and_bomless_utf16() -> None:
    assert decode("é".encode("utf-8-sig")) == "é"
    assert decode("Day\tImpr.".encode("utf-16-le")) == "Day\tImpr."
    assert decode(b"\xfe\xff" + "a".encode("utf-16-be")) == "a"


def test_attribution_slugs() -> None:
    assert attribution_slug("7-day click or 1-day view") == "7d_click_1d_view"
    assert attribution_slug("1-day click") == "1d_click"
    assert attribution_slug("--") == "default"


def test_meta_day_breakdown_with_a_reporting_range_per_export() -> None:
    text = (
        "Reporting starts,Reporting ends,Day,Ad name,Impressions,Link clicks,Results,"
        "Amount spent (USD)\n"
        "2026-11-01,2026-11-30,2026-11-04,Ad [ag:cr_M1],100,7,7,1.00\n"
    )
    (row,) = parse_report(text.encode()).rows
    assert row.day == "2026-11-04"
    assert row.conversions_micros == 0  # "Results" counts whatever the objective is: not sales


def test_an_ad_called_total_is_not_a_total_row() -> None:
    text = (
        "Ad name,Day,Impr.,Clicks,Cost,Currency code\n"
        "Total Fitness [ag:cr_T1],2026-11-01,10,1,1.00,USD\n"
        "Total,--,10,1,1.00,USD\n"
        ",Total: Account,10,1,1.00,USD\n"
    )
    report = parse_report(text.encode())
    assert [r.ad_name for r in report.rows] == ["Total Fitness [ag:cr_T1]"]
    assert report.skipped_totals == 2


def test_german_headers_and_semicolons() -> None:
    text = (
        "Anzeigenbericht\n"
        "Labels;Tag;Währungscode;Impressionen;Klicks;Kosten;Conversions;Conv.-Wert\n"
        "ag:cr_G1;03.11.2026;EUR;1.500;30;12,50;2;99,00\n"
    )
    (row,) = parse_report(text.encode("cp1252")).rows
    assert (row.day, row.currency, row.impressions) == ("2026-11-03", "EUR", 1500)
    assert row.cost_micros == 12_500_000 and row.conversion_value_micros == 99_000_000
