"""What the Python Playwright tests share besides the `page` fixture (conftest.py): where
Chromium is, the password `create_workspace` signs users up with, signing in."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from adgenius.localstack.workspace import Workspace

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "password-123"  # create_workspace signs the user up with it


def sign_in(page: Any, ws: Workspace) -> None:
    """The sign-in page, as the marketer uses it; returns on the campaigns list."""
    from playwright.sync_api import expect

    page.goto("/signin")
    form = page.get_by_role("form", name="Sign in")
    form.get_by_role("textbox", name="Email").fill(ws.user.email)
    form.get_by_label(re.compile("^Password")).fill(PASSWORD)
    form.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Campaigns")).to_be_visible(timeout=60_000)
