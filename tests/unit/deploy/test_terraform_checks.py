"""terraform/ passes every offline check, and each check catches the mistake it is for."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from adgenius.deploy import checks
from adgenius.deploy.hcl_check import Checker

TERRAFORM = checks.TERRAFORM_DIR


def _problems(schemas: dict[str, dict[str, Any]], tmp_path: Path, hcl: str) -> list[str]:
    (tmp_path / "x.tf").write_text(hcl)
    return [f"{p.address}: {p.message}" for p in Checker(schemas).check_dir(tmp_path)]


def test_the_terraform_matches_the_provider_schemas(schemas: dict[str, dict[str, Any]]) -> None:
    checker = Checker(schemas)
    problems = checker.check_dir(TERRAFORM)
    assert problems == [], "\n".join(map(str, problems))
    assert ("resource", "google_cloudfunctions2_function") in checker.types_seen
    assert ("data", "google_firebase_web_app_config") in checker.types_seen


def test_unknown_types_arguments_and_blocks_are_caught(
    schemas: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    found = _problems(
        schemas,
        tmp_path,
        """
resource "google_pubsub_topicc" "a" {
  name = "x"
}
resource "google_firebase_web_app" "b" {
  display_name = "x"
}
resource "google_pubsub_subscription" "c" {
  name  = "s"
  topic = "t"
  ack_deadline = 10
  push_config {
    push_endpoint = "https://x"
    oidc_tokn {
      service_account_email = "a@b"
    }
  }
  retry_policy = { minimum_backoff = "1s" }
  dynamic "dead_letter_polic" {
    for_each = []
    content {}
  }
}
resource "google_cloud_tasks_queue" "d" {
  name     = "q"
  location = "us-central1"
  rate_limits {
    max_dispatches_per_second = 1
    max_burst_size            = 3
  }
}
resource "google_secret_manager_secret" "e" {
  secret_id = "S"
}
""",
    )
    assert found == [
        "google_pubsub_topicc.a: unknown resource type for provider google",
        "google_firebase_web_app.b: unknown resource type for provider google (it exists in "
        "google-beta: set `provider`)",
        "google_pubsub_subscription.c.ack_deadline: unknown argument",
        "google_pubsub_subscription.c.push_config.oidc_tokn: unknown block",
        "google_pubsub_subscription.c.retry_policy: a block, not an argument",
        "google_pubsub_subscription.c.dynamic.dead_letter_polic: not a block of this type",
        # max_burst_size is computed-only: the provider does not accept it as an argument
        "google_cloud_tasks_queue.d.rate_limits.max_burst_size: unknown argument",
        "google_secret_manager_secret.e: missing required block 'replication'",
    ]


def test_a_missing_required_argument_is_caught(
    schemas: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    found = _problems(
        schemas,
        tmp_path,
        'resource "google_cloudfunctions2_function" "f" {\n  name = "f"\n}\n'
        'data "google_firebase_web_app_config" "w" {\n  provider = google-beta\n}\n',
    )
    assert found == [
        "google_cloudfunctions2_function.f: missing required argument 'location'",
        "data.google_firebase_web_app_config.w: missing required argument 'web_app_id'",
    ]


@pytest.mark.skipif(shutil.which("terraform") is None, reason="the terraform binary is not on PATH")
def test_terraform_fmt() -> None:
    result = checks.fmt()
    assert result.ok, result.detail


def test_checkov_findings_are_fixed_or_waived() -> None:
    if not checks.checkov_bin().exists():
        pytest.skip("checkov is not installed in .tools: `python -m adgenius.deploy tools`")
    result = checks.checkov()
    assert result.ok, result.detail
    assert "waived with a reason" in result.name


def test_every_checkov_waiver_gives_a_reason() -> None:
    for path in TERRAFORM.glob("*.tf"):
        for line in path.read_text().splitlines():
            if "checkov:skip=" in line:
                check, _, reason = line.split("checkov:skip=", 1)[1].partition(":")
                assert check.startswith("CKV_") and len(reason.strip()) > 20, line


def test_no_secret_in_plain_text() -> None:
    result = checks.plaintext_secrets()
    assert result.ok, result.detail


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            lambda d: (d / "secrets.tf").write_text(
                (d / "secrets.tf")
                .read_text()
                .replace(
                    "secret_data_wo         = var.qdrant_api_key",
                    'secret_data            = "qd-live-1234"',
                )
            ),
            "secrets.tf: secret_data has a literal value",
        ),
        (
            lambda d: (d / "main.tf").write_text(
                (d / "main.tf")
                .read_text()
                .replace(
                    "QDRANT_URL                       = var.qdrant_url",
                    "QDRANT_URL = var.qdrant_url\n    QDRANT_API_KEY = var.qdrant_url",
                )
            ),
            "main.tf: QDRANT_API_KEY is in the functions' plain environment",
        ),
        (
            lambda d: (d / "variables.tf").write_text(
                (d / "variables.tf").read_text().replace("  sensitive   = true\n", "")
            ),
            "variables.tf: variable qdrant_api_key is not sensitive",
        ),
    ],
)
def test_a_plain_text_secret_is_caught(tmp_path: Path, edit: Any, expected: str) -> None:
    copy = tmp_path / "terraform"
    shutil.copytree(TERRAFORM, copy, ignore=shutil.ignore_patterns(".terraform*"))
    edit(copy)
    result = checks.plaintext_secrets(copy)
    assert not result.ok and expected in result.detail.splitlines()


def test_references_to_unknown_resources_and_attributes_are_caught(
    schemas: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    found = _problems(
        schemas,
        tmp_path,
        """
resource "google_firebase_hosting_site" "web" {
  provider = google-beta
}
resource "google_cloudfunctions2_function" "f" {
  name     = "f"
  location = "us-central1"
}
output "ok" {
  value = [
    google_firebase_hosting_site.web.default_url,
    google_cloudfunctions2_function.f.service_config[0].uri,
  ]
}
output "bad" {
  value = [
    google_firebase_hosting_site.web.url,
    google_cloudfunctions2_function.f.service_config[0].url,
    google_pubsub_topic.missing.id,
    data.google_project.this.number,
  ]
}
""",
    )
    assert found == [
        "google_firebase_hosting_site.web.url: reference to an unknown attribute",
        "google_cloudfunctions2_function.f.service_config.url: reference to an unknown attribute",
        "google_pubsub_topic.missing: reference to an undeclared resource",
        "data.google_project.this: reference to an undeclared data source",
    ]
