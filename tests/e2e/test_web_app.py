"""The web app end to end in headless Debian Chromium, against the real local stack.

The Playwright specs live with the app (`web/e2e/`); this test runs them against the session's
stack so that `nox -s tests` covers the browser path too: sign up -> onboarding -> brand kit ->
campaign -> generate copy -> an image job's live progress -> approve, an axe check per page,
screenshots in `artifacts/e2e/`, and a second tenant that sees none of the first one's data.
(Specs that need a seeded workspace, such as `experiments.spec.ts`, skip here and run from
their own test.)
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright_specs import run_specs

from adgenius.localstack.stack import StackInfo

pytestmark = [pytest.mark.integration, pytest.mark.e2e, pytest.mark.slow]


def test_web_app_end_to_end(stack: StackInfo, tmp_path: Path) -> None:
    run_specs(stack, tmp_path)
