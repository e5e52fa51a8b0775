"""The web app: initial JavaScript size and the dashboard's first contentful paint.

- `web_initial_js_kb_gz`: the entry chunk and its static imports, gzipped (lazy routes excluded),
  from `web/scripts/size.mjs`; baseline: all JavaScript the build emits, gzipped.
- `web_dashboard_fcp_ms`: a signed-in marketer opens the dashboard (`/campaigns`) served by the
  local stack, in headless Debian Chromium; median of 5 loads. Baseline: a minimal HTML page in
  the same browser.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import statistics
import subprocess
from pathlib import Path

from playwright.sync_api import sync_playwright

from adgenius.localstack.stack import LocalStack
from adgenius.localstack.workspace import create_workspace
from adgenius.settings import REPO_ROOT

WEB = REPO_ROOT / "web"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")  # checked by bench.run first
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
FCP_JS = """() => new Promise(resolve => {
  const found = () => performance.getEntriesByName('first-contentful-paint')[0];
  if (found()) return resolve(found().startTime);
  new PerformanceObserver(list => {
    const e = list.getEntriesByName('first-contentful-paint')[0];
    if (e) resolve(e.startTime);
  }).observe({type: 'paint', buffered: true});
})"""


def _sizes() -> tuple[float, float]:
    out = subprocess.run(
        ["node", "scripts/size.mjs"], cwd=WEB, capture_output=True, text=True, check=True
    ).stdout
    initial = float(json.loads(out.strip().splitlines()[-1])["web_initial_js_kb_gz"])
    total = (
        sum(len(gzip.compress(p.read_bytes(), 9)) for p in (WEB / "dist" / "assets").glob("*.js"))
        / 1024
    )
    return initial, total


def _fcps(web_url: str, email: str, password: str) -> tuple[float, float]:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context()
            page = context.new_page()
            page.goto(f"{web_url}signin")
            page.get_by_role("textbox", name="Email").fill(email)
            page.get_by_label(re.compile(r"^Password")).fill(password)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url("**/campaigns**", timeout=60_000)
            dashboard = []
            for _ in range(5):
                fresh = context.new_page()
                fresh.goto(f"{web_url}campaigns", wait_until="load")
                dashboard.append(float(fresh.evaluate(FCP_JS)))
                fresh.close()
            minimal = []
            for _ in range(5):
                fresh = context.new_page()
                fresh.goto("data:text/html,<!doctype html><title>x</title><h1>Hello</h1>")
                minimal.append(float(fresh.evaluate(FCP_JS)))
                fresh.close()
        finally:
            browser.close()
    return statistics.median(dashboard), statistics.median(minimal)


def run(work_dir: Path) -> dict[str, dict]:
    initial, total = _sizes()  # also builds web/dist, which the stack then serves
    stack = LocalStack(data_dir=work_dir / "data", web_root=WEB / "dist")
    info = stack.start()
    try:
        ws = create_workspace(info)
        fcp, minimal = _fcps(info.web_url, ws.user.email, "password-123")
    finally:
        stack.stop()
    return {
        "web_initial_js_kb_gz": {
            "value": initial,
            "unit": "kB",
            "baseline": total,
            "ratio": initial / total,
            "goal": "<= 300 kB gzipped (baseline: all JS of the build)",
        },
        "web_dashboard_fcp_ms": {
            "value": fcp,
            "unit": "ms",
            "baseline": minimal,
            "ratio": fcp / minimal,
            "goal": "information; median of 5 (baseline: a minimal HTML page, same browser)",
        },
    }
