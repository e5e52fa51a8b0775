"""Running the web app's Playwright specs (`web/e2e/`) in Debian Chromium from pytest."""

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

WEB = REPO_ROOT / "web"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def skip_unless_ready() -> None:
    if not (WEB / "node_modules").exists():
        pytest.skip("web dependencies are not installed: run `npm ci` in web/ (nox -s tests does)")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: `apt-get install chromium` (.ci/run does)")
    if not (WEB / "dist" / "index.html").exists():
        pytest.skip("the web app is not built: `npm run build` in web/ (nox -s tests does)")


def run_specs(
    stack: StackInfo,
    tmp_path: Path,
    *specs: str,
    env: dict[str, str] | None = None,
    timeout_s: float = 900,
) -> str:
    """Run the given spec files (all of them when none is named) against the stack; fails the
    test with the output's tail unless they pass. Returns Playwright's stdout."""
    skip_unless_ready()
    stack_file = tmp_path / "stack.json"
    stack_file.write_text(stack.model_dump_json())
    npx = shutil.which("npx")
    assert npx, "npx not found (Node.js 20 is required for the web app)"
    # Its own process group, killed as a whole whatever happens: a timeout or a failure must not
    # leave node and Chromium running.
    proc = subprocess.Popen(
        [npx, "playwright", "test", "-c", "e2e/playwright.config.ts", *specs],
        cwd=WEB,
        env={
            **os.environ,
            "STACK_JSON": str(stack_file),
            "CHROMIUM_PATH": CHROMIUM,
            "CI": "1",
            **(env or {}),
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = proc.communicate(timeout=timeout_s)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    output = stdout[-6000:] + stderr[-3000:]
    assert proc.returncode == 0, output
    assert " passed" in stdout, output
    return stdout
