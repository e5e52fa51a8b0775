"""Every function, topic, queue, trigger, schedule, service account and secret of the manifest
reaches terraform: each kind of thing is one resource whose for_each is that manifest list, and
every field those resources read exists on every manifest entry they iterate."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import hcl2
import pytest

from adgenius.deploy import TERRAFORM_MANIFEST
from adgenius.deploy.checks import TERRAFORM_DIR
from adgenius.manifest import MANIFEST, FunctionKind

# resource address -> (the local it iterates, the manifest list behind that local)
ITERATES = {
    "google_cloudfunctions2_function.fn": ("local.functions", "functions"),
    "google_storage_bucket_object.source": ("local.functions", "functions"),
    "google_pubsub_topic.topic": ("local.topics", "topics"),
    "google_pubsub_topic.dead_letter": ("local.dead_letter_topics", "topics"),
    "google_pubsub_subscription.dead_letter_inspect": ("local.dead_letter_topics", "topics"),
    "google_pubsub_subscription.push": ("local.push_subscriptions", "push_subscriptions"),
    "google_cloud_tasks_queue.queue": ("local.queues", "queues"),
    "google_cloud_scheduler_job.schedule": ("local.schedules", "schedules"),
    "google_service_account.fn": ("local.service_accounts", "service_accounts"),
    "google_secret_manager_secret.secret": ("local.secrets", "secrets"),
}


def _unquote(name: str) -> str:
    return name.strip('"')


@pytest.fixture(scope="module")
def tf() -> dict[str, Any]:
    resources: dict[str, Any] = {}
    locals_: dict[str, Any] = {}
    for path in sorted(TERRAFORM_DIR.glob("*.tf")):
        doc = hcl2.load(path.open())
        for entry in doc.get("locals", []):
            locals_.update(entry)
        for entry in doc.get("resource", []):
            for rtype, instances in entry.items():
                for name, body in instances.items():
                    if not name.startswith("__"):
                        resources[f"{_unquote(rtype)}.{_unquote(name)}"] = body
    return {"resources": resources, "locals": locals_}


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    return json.loads(Path(TERRAFORM_MANIFEST).read_text())


def test_each_manifest_list_is_read_by_terraform(tf: dict[str, Any]) -> None:
    for key in ("functions", "topics", "queues", "schedules", "service_accounts", "secrets"):
        assert f"local.manifest.{key}" in tf["locals"][key], key
    assert "local.manifest.push_subscriptions" in tf["locals"]["push_subscriptions"]


@pytest.mark.parametrize("address", sorted(ITERATES))
def test_resource_iterates_its_manifest_list(
    tf: dict[str, Any], manifest: dict[str, Any], address: str
) -> None:
    body = tf["resources"][address]
    local, key = ITERATES[address]
    assert local in body["for_each"]
    entries = manifest[key]
    assert entries, f"the manifest has no {key}"
    # Every `each.value.X` the resource reads is a field of every entry it iterates.
    fields = set(re.findall(r"each\.value\.(\w+)", json.dumps(body)))
    for entry in entries:
        assert fields <= set(entry), f"{address} reads {fields - set(entry)} missing in {key}"


def test_every_function_is_deployed_with_its_settings(tf: dict[str, Any]) -> None:
    fn = json.dumps(tf["resources"]["google_cloudfunctions2_function.fn"])
    for field in ("deployed_name", "entry_point", "memory_mb", "timeout_s", "max_instances"):
        assert f"each.value.{field}" in fn
    assert "google_service_account.fn[each.value.service_account]" in fn
    assert "each.value.secrets" in fn and "secret_environment_variables" in fn
    # Firestore triggers: one Eventarc trigger per firestore function, on its event and document.
    assert 'each.value.kind == \\"firestore\\"' in fn
    assert "event_trigger.value.event" in fn and "event_trigger.value.document" in fn
    assert "match-path-pattern" in fn


def test_push_subscriptions_carry_retry_and_dead_letter_policy(tf: dict[str, Any]) -> None:
    sub = json.dumps(tf["resources"]["google_pubsub_subscription.push"])
    for field in ("ack_deadline_s", "min_backoff_s", "max_backoff_s", "max_delivery_attempts"):
        assert field in sub
    assert "google_cloudfunctions2_function.fn[each.value.function].service_config[0].uri" in sub
    assert "oidc_token" in sub and "google_service_account.invoker.email" in sub
    pubsub_functions = {f.name for f in MANIFEST.by_kind(FunctionKind.PUBSUB)}
    assert {s.function for s in MANIFEST.push_subscriptions} == pubsub_functions
    assert all(s.dead_letter_topic for s in MANIFEST.push_subscriptions)


def test_queues_and_schedules_target_their_functions(tf: dict[str, Any]) -> None:
    queue = json.dumps(tf["resources"]["google_cloud_tasks_queue.queue"])
    for field in ("max_dispatches_per_second", "max_concurrent_dispatches", "max_attempts"):
        assert f"each.value.{field}" in queue
    job = json.dumps(tf["resources"]["google_cloud_scheduler_job.schedule"])
    assert "each.value.cron" in job
    assert "google_cloudfunctions2_function.fn[each.value.function]" in job


def test_every_private_function_accepts_only_the_invoker(tf: dict[str, Any]) -> None:
    private = json.dumps(tf["resources"]["google_cloud_run_service_iam_member.invoker"])
    public = json.dumps(tf["resources"]["google_cloud_run_service_iam_member.public_api"])
    assert "local.public_functions" in private and "allUsers" in public
    assert 'k == "api"' in tf["locals"]["public_functions"]


def test_every_function_has_a_service_account_with_its_grants(manifest: dict[str, Any]) -> None:
    accounts = {a["name"]: a for a in manifest["service_accounts"]}
    for fn in manifest["functions"]:
        assert fn["service_account"] in accounts, fn["name"]
    # Least privilege: the diagnostics identity cannot read secrets or enqueue generation work.
    diagnostics = accounts["diagnostics"]
    assert diagnostics["enqueues"] == ["diagnostics"]
    assert not any(
        f["secrets"] for f in manifest["functions"] if f["service_account"] == "diagnostics"
    )
