"""Fixtures of the Python Playwright tests: a headless Debian Chromium page on the session's
stack (the TypeScript specs in web/e2e/ start their own browser through `playwright_specs`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browser_session import CHROMIUM

from adgenius.localstack.stack import StackInfo
from adgenius.settings import REPO_ROOT


@pytest.fixture
def page(stack: StackInfo) -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="the dev extra installs it")
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: `apt-get install chromium`")
    if not (REPO_ROOT / "web" / "dist" / "index.html").exists():
        pytest.skip("the web app is not built: `npm run build` in web/ (nox -s tests does)")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        try:
            context = browser.new_context(
                base_url=stack.web_url, viewport={"width": 1280, "height": 900}
            )
            context.set_default_timeout(30_000)
            yield context.new_page()
        finally:
            browser.close()
