"""`python -m adgenius.deploy up --plan` offline: everything that needs no cloud runs, then it
says exactly what it lacks; the web app's config comes from terraform's outputs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from adgenius.deploy import checks, cloud, verify
from adgenius.deploy.cloud import DeployOptions
from adgenius.settings import REPO_ROOT


@pytest.fixture
def no_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    monkeypatch.setattr(cloud, "ADC_FILE", tmp_path / "none.json")


def test_missing_requirements_name_each_thing_and_how_to_get_it(no_credentials: None) -> None:
    needs = cloud.missing_requirements(DeployOptions(project=None, env="prod"))
    text = "\n".join(needs)
    assert "--project P" in text
    assert "--qdrant-url" in text and "TF_VAR_qdrant_api_key" in text
    assert "gcloud auth application-default login" in text


def test_nothing_is_missing_with_project_url_and_credentials(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    if not checks.terraform_bin():
        pytest.skip("the terraform binary is not on PATH")
    adc = tmp_path / "adc.json"
    adc.write_text("{}")
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(adc))
    monkeypatch.setenv("PATH", f"{tmp_path}:{__import__('os').environ['PATH']}")
    (tmp_path / "gcloud").write_text("#!/bin/sh\n")
    (tmp_path / "gcloud").chmod(0o755)
    opts = DeployOptions(project="p", env="dev", qdrant_url="https://q.example")
    assert cloud.missing_requirements(opts) == []


def test_plan_runs_offline_and_stops_at_what_it_needs(
    no_credentials: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # checkov has its own test; here the plan's own steps are what is under test.
    monkeypatch.setattr(
        checks, "checkov", lambda *a: checks.CheckResult("checkov", True, skipped="in its test")
    )
    lines: list[str] = []
    code = cloud.deploy(
        DeployOptions(project=None, env="prod", plan_only=True, skip_web=True), lines.append
    )
    out = "\n".join(lines)
    assert code == 0, out
    assert "==> function bundles" in out and "==> terraform checks (offline)" in out
    assert "[  ok] provider schema" in out or "[skip] provider schema" in out
    assert "This machine cannot go further; it needs:" in out
    assert "terraform plan" not in out  # nothing was sent anywhere
    assert json.loads((REPO_ROOT / "terraform" / "manifest.json").read_text())["functions"]


def test_apply_without_requirements_fails(
    no_credentials: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cloud, "build_offline", lambda opts, say: None)
    assert cloud.deploy(DeployOptions(project=None, env="prod"), lambda _: None) == 2


def test_web_app_config_comes_from_terraform_outputs(tmp_path: Path) -> None:
    outputs = {
        "web_app_config": {
            "sensitive": False,
            "value": {
                "projectId": "p",
                "apiKey": "AIza-public-web-key",
                "authDomain": "p.firebaseapp.com",
                "appId": "1:2:web:3",
                "apiBaseUrl": "https://p.web.app",
            },
        }
    }
    path = cloud.write_app_config(outputs, tmp_path / "app-config.json")
    config = json.loads(path.read_text())
    # The keys the web app refuses to start without (web/src/app/config.ts) are all there.
    source = (REPO_ROOT / "web" / "src" / "app" / "config.ts").read_text()
    required = re.search(r"const missing = \[([^\]]+)\]", source)
    assert required
    for key in re.findall(r"'(\w+)'", required.group(1)):
        assert config[key], key
    assert "emulators" not in config


def test_a_run_that_stops_names_the_missing_hop() -> None:
    report = verify.DiagnosticsReport.model_validate(
        {
            "run_id": "r",
            "status": "running",
            "hops": [{"hop": "http", "at_ms": 1.0}, {"hop": "trigger", "at_ms": 2.0}],
            "hops_ms": {"http": 0.0, "trigger": 1.0},
        }
    )
    text = verify.format_report(report)
    assert "pubsub   MISSING" in text
    assert text.splitlines()[-1] == "FAIL: status running; stopped before the 'pubsub' hop"
