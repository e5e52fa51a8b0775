"""The learning loop on the campaign page, end to end in headless Debian Chromium against the
real local stack.

Seeded through the API: a campaign with eight image creatives (four variants in 1:1 and 9:16)
and two weeks of a Google Ads ad report in which the 9:16 ones get twice the CTR. The marketer
opens the campaign: "What works in this campaign" states the ratio's effect. They turn the loop
from Off to Suggest; a restated report shows one creative's CTR falling, and the fatigue
suggestion appears in the open page by its Firestore listener (report import -> fact trigger
-> loop-check -> loop-act -> candidate document). Regenerate starts the replacement job. Then
Automatic: the next fatigued creative is replaced by the loop itself, live, and Undo gives it
back. No reload and no polling of the candidates through the API while the page is open.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from browser_session import sign_in

from adgenius.localstack.loop_sim import google_ad_report, import_reports
from adgenius.localstack.stack import StackInfo
from adgenius.localstack.workspace import DEMO_CAMPAIGN, Workspace, create_workspace
from adgenius.testing.audience import Delivery

pytestmark = [pytest.mark.integration, pytest.mark.e2e, pytest.mark.slow]

DAYS = 14
IMPRESSIONS = 5000  # a day per creative: enough for the fatigue test (>= 300 a day, >= 10k)


def _days() -> list[date]:
    today = datetime.now(UTC).date()
    return [today - timedelta(days=d) for d in range(DAYS, 0, -1)]


def _steady(creative_id: str, ctr: float) -> list[tuple[date, Delivery]]:
    return [
        (day, Delivery(creative_id, IMPRESSIONS, round(IMPRESSIONS * ctr), 0)) for day in _days()
    ]


def _falling(creative_id: str, first: float, last: float) -> list[tuple[date, Delivery]]:
    """A creative that tires: its CTR falls in a straight line over the two weeks."""
    step = (last - first) / (DAYS - 1)
    return [
        (day, Delivery(creative_id, IMPRESSIONS, round(IMPRESSIONS * (first + i * step)), 0))
        for i, day in enumerate(_days())
    ]


def _import(ws: Workspace, name: str, rows: list[tuple[date, Delivery]]) -> None:
    """A report as the marketer downloads it from Google Ads, uploaded through the API."""
    import_reports(ws, {name: google_ad_report("Loop E2E", rows)}, timeout_s=120)


def _candidate(ws: Workspace, creative_id: str) -> dict[str, Any]:
    r = ws.call("GET", f"/campaigns/{ws.campaign_id}/loop/candidates?limit=100")
    assert r.status_code == 200, r.text
    (found,) = [c for c in r.json()["items"] if c["creative_id"] == creative_id]
    return dict(found)


def test_the_loop_panel_suggests_replaces_and_undoes_live(stack: StackInfo, page: Any) -> None:
    from playwright.sync_api import expect

    ws = create_workspace(stack, campaign={**DEMO_CAMPAIGN, "name": "Loop E2E"})
    job = ws.wait(ws.start_job({"kind": "image_set", "variants": 4, "ratios": ["1:1", "9:16"]}))
    assert job["status"] == "succeeded", job
    r = ws.call("GET", f"/creatives?campaign_id={ws.campaign_id}&limit=50")
    assert r.status_code == 200, r.text
    creatives = r.json()["items"]
    tall = [c["id"] for c in creatives if c["content"]["ratio"] == "9:16"]
    square = [c["id"] for c in creatives if c["content"]["ratio"] == "1:1"]
    assert len(tall) == 4 and len(square) == 4, creatives
    tired, next_tired = square[0], square[1]
    headline = {c["id"]: c["content"]["headline"] for c in creatives}
    # Two weeks in which the 9:16 creatives get 3% CTR and the 1:1 ones 1.5%.
    _import(
        ws,
        "ad-report-weeks.csv",
        [row for c in tall for row in _steady(c, 0.03)]
        + [row for c in square for row in _steady(c, 0.015)],
    )

    sign_in(page, ws)
    page.goto(f"/campaigns/{ws.campaign_id}")
    expect(page.get_by_role("heading", name="Edit campaign")).to_be_visible()

    # What works: the ratio's effect, as a sentence with its interval. (Of the two ratios one is
    # tested, the first: 1:1, at half the CTR of 9:16.)
    insights = page.get_by_test_id("insights")
    expect(insights.get_by_role("heading", name="What works in this campaign")).to_be_visible()
    expect(insights).to_contain_text("From 8 creatives between")
    effect = insights.get_by_test_id("effect-ratio:1:1")
    expect(effect).to_have_attribute("data-confident", "yes")
    sentence = re.compile(
        r"^Ratio 1:1: \u2212(\d+)% CTR \(90% interval \u2212\d+% to \u2212\d+%\), "
        r"8 creatives, 4 with it$"
    )
    expect(effect).to_have_text(sentence)
    shown = sentence.match(effect.inner_text())
    assert shown and 45 <= int(shown.group(1)) <= 55, shown  # planted: 1.5% against 3%
    expect(insights.get_by_test_id("effect-ratio:9:16")).to_have_count(0)

    # Loop mode: Off -> Suggest.
    panel = page.get_by_test_id("loop-panel")
    mode = panel.get_by_role("combobox", name="Mode")
    expect(mode).to_have_text("Off")
    expect(panel.get_by_test_id("no-suggestions")).to_be_visible()
    mode.click()
    page.get_by_role("option", name="Suggest").click()
    panel.get_by_role("button", name="Save loop settings").click()
    expect(panel.get_by_role("status")).to_have_text("Loop settings saved")
    assert ws.call("GET", f"/campaigns/{ws.campaign_id}").json()["loop"]["mode"] == "suggest"

    # From here on the page is never reloaded, and the candidates are never fetched over HTTP.
    page.evaluate("window.stayed = true")
    fetched: list[str] = []

    def on_request(request: Any) -> None:
        if request.method == "GET" and "/loop/candidates" in request.url:
            fetched.append(request.url)

    page.on("request", on_request)

    # The platform restates the two weeks: one square creative's CTR falls from 3% to 1%.
    started = time.monotonic()
    _import(ws, "ad-report-restated.csv", _falling(tired, 0.03, 0.01))
    suggestion = panel.get_by_test_id(f"suggestion-fatigue-{tired}")
    expect(suggestion).to_contain_text("Fatigued (CTR falling)", timeout=60_000)
    expect(suggestion).to_contain_text("fatigued: CTR trend")
    # named as the marketer knows it: its headline and ratio
    expect(suggestion).to_contain_text(f"\u201c{headline[tired]}\u201d (1:1)")
    print(f"fatigue suggestion shown {time.monotonic() - started:.1f} s after the import")
    with page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith("/regenerate")
    ) as regenerated:
        suggestion.get_by_role("button", name="Regenerate").click()
    assert regenerated.value.status == 200, regenerated.value.text()
    expect(suggestion).to_have_count(0)
    expect(panel.get_by_test_id("no-suggestions")).to_be_visible()
    accepted = _candidate(ws, tired)
    assert accepted["status"] == "started" and not accepted["automatic"]
    assert accepted["started_by"]["type"] == "user"
    # it moved to the replacements, with its job
    moved = panel.get_by_test_id(f"replacement-fatigue-{tired}")
    expect(moved).to_contain_text("from a suggestion")
    expect(moved.get_by_role("link", name="started")).to_have_attribute(
        "href", f"/jobs/{accepted['job_id']}"
    )
    expect(moved.get_by_role("button", name="Undo")).to_have_count(0)

    # Automatic: the loop replaces the next tired creative itself; Undo gives it back.
    mode.click()
    page.get_by_role("option", name="Automatic").click()
    panel.get_by_role("button", name="Save loop settings").click()
    expect(panel.get_by_role("status")).to_have_text("Loop settings saved")
    started = time.monotonic()
    _import(ws, "ad-report-restated-again.csv", _falling(next_tired, 0.03, 0.01))
    replaced = panel.get_by_test_id(f"replacement-fatigue-{next_tired}")
    expect(replaced).to_contain_text("by the loop", timeout=60_000)
    expect(replaced).to_contain_text(f"\u201c{headline[next_tired]}\u201d (1:1)")
    print(f"automatic replacement shown {time.monotonic() - started:.1f} s after the import")
    automatic = _candidate(ws, next_tired)
    assert automatic["status"] == "started" and automatic["automatic"]
    expect(replaced.get_by_role("link", name="started")).to_have_attribute(
        "href", f"/jobs/{automatic['job_id']}"
    )
    assert ws.call("GET", f"/creatives/{next_tired}").json()["status"] == "rejected"
    replaced.get_by_role("button", name="Undo").click()
    expect(replaced.get_by_text("Undone")).to_be_visible()
    assert _candidate(ws, next_tired)["status"] == "undone"
    assert ws.call("GET", f"/creatives/{next_tired}").json()["status"] == "draft"

    assert page.evaluate("window.stayed") is True, "the campaign page was reloaded"
    assert fetched == [], "the candidates must arrive by the Firestore listener, not by polling"
    page.remove_listener("request", on_request)
