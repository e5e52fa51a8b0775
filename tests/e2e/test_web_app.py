"""The web app end to end in headless Debian Chromium, against the real local stack.

The Playwright specs live with the app (`web/e2e/`); this test runs them against the session's
stack so that `nox -s tests` covers the browser path too: sign up -> onboarding -> brand kit ->
campaign -> generate copy -> an image job's live progress -> approve, an axe check per page,
screenshots in `artifacts/e2e/`, and a second tenant that sees none of the first one's data.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

from adgenius.localstack.stack import StackInfo
from adgenius.settings import REPO_ROOT

pytestmark = [pytest.mark.integration, pytest.mark.e2e, pytest.mark.slow]

WEB = REPO_ROOT / "web"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def test_web_app_end_to_end(stack: StackInfo, tmp_path: Path) -> None:
    if not (WEB / "node_modules").exists():
        pytest.skip("web dependencies are not installed: run `npm ci` in web/ (nox -s tests does)")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: `apt-get install chromium` (.ci/run does)")
    if not (WEB / "dist" / "index.html").exists():
        pytest.skip("the web app is not built: `npm run build` in web/ (nox -s tests does)")
    stack_file = tmp_path / "stack.json"
    stack_file.write_text(stack.model_dump_json())
    npx = shutil.which("npx")
    assert npx, "npx not found (Node.js 20 is required for the web app)"
    # Its own process group, killed as a whole whatever happens: a timeout or a failure must not
    # leave node and Chromium running.
    proc = subprocess.Popen(
        [npx, "playwright", "test", "-c", "e2e/playwright.config.ts"],
        cwd=WEB,
        env={**os.environ, "STACK_JSON": str(stack_file), "CHROMIUM_PATH": CHROMIUM, "CI": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = proc.communicate(timeout=900)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    output = stdout[-6000:] + stderr[-3000:]
    assert proc.returncode == 0, output
    assert " passed" in stdout, output
