"""Experiments in the browser, end to end on the real local stack (`web/e2e/experiments.spec.ts`
in Debian Chromium): start an experiment from the gallery by picking its arms, import two
Google Ads reports through the web app's import page, and watch the experiment page's decision
go from "not enough data" to "no winner yet" to "B wins" without a reload or a poll.

The workspace is seeded here through the API (user, tenant, brand, campaign, three copy
creatives from the local engine); everything after that happens in the browser."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from browser_session import PASSWORD
from playwright_specs import run_specs, skip_unless_ready

from adgenius.localstack.stack import StackInfo
from adgenius.localstack.workspace import DEMO_CAMPAIGN, create_workspace

pytestmark = [pytest.mark.integration, pytest.mark.e2e, pytest.mark.slow]


def test_experiment_from_the_gallery_decides_live(stack: StackInfo, tmp_path: Path) -> None:
    skip_unless_ready()
    email = f"e2e-experiments-{uuid.uuid4().hex[:8]}@example.com"
    ws = create_workspace(stack, email=email, campaign={**DEMO_CAMPAIGN, "name": "Experiment E2E"})
    r = ws.call(
        "POST", f"/campaigns/{ws.campaign_id}/copy", json={"platform": "google_rsa", "variants": 3}
    )
    assert r.status_code == 201, r.text
    variants = r.json()["variants"]
    assert len(variants) == 3
    seed = tmp_path / "experiment-seed.json"
    seed.write_text(
        json.dumps(
            {
                "email": email,
                "password": PASSWORD,
                "campaign_id": ws.campaign_id,
                "creative_ids": [v["id"] for v in variants],
                "headlines": [v["fields"]["headlines"][0] for v in variants],
            }
        )
    )
    out = run_specs(
        stack, tmp_path, "experiments.spec.ts", env={"EXPERIMENT_SEED": str(seed)}, timeout_s=400
    )
    assert "1 passed" in out, out[-3000:]
