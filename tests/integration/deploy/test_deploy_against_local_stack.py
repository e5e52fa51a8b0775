"""What the deploy does after `apply`, done against the real local stack: the diagnostics client
prints every hop of a real run; and the stack's Pub/Sub subscriptions are exactly the manifest's
push subscriptions that terraform creates in the cloud (name, endpoint, ack deadline, backoff,
dead-letter topic and attempts)."""

from __future__ import annotations

import pytest
from google.cloud import pubsub_v1

from adgenius.deploy import verify
from adgenius.diagnostics.pipeline import HOPS
from adgenius.localstack.auth_users import SignedInUser
from adgenius.localstack.stack import StackInfo
from adgenius.manifest import MANIFEST

pytestmark = pytest.mark.integration


def test_diagnostics_report_hop_by_hop(stack: StackInfo, operator: SignedInUser) -> None:
    progress: list[str] = []
    report = verify.run_diagnostics(
        f"{stack.functions_base_url}/diagnostics",
        operator.bearer,
        timeout_s=60,
        poll_s=0.1,
        on_progress=lambda r: progress.append(r.hops[-1].hop),
    )
    assert report.ok, report
    text = verify.format_report(report)
    lines = text.splitlines()
    assert [line.split()[0] for line in lines[1 : 1 + len(HOPS)]] == list(HOPS)
    assert all(" ok " in line for line in lines[1 : 1 + len(HOPS)])
    assert lines[-1].startswith("PASS: every hop, once each, in ")
    assert progress and progress[-1] == "done"


def test_a_refused_caller_is_reported_not_hung(stack: StackInfo) -> None:
    with pytest.raises(
        verify.VerifyError,
        match=r"HTTP 401: .*missing bearer token.* Firebase ID token was refused",
    ):
        verify.run_diagnostics(f"{stack.functions_base_url}/diagnostics", {}, timeout_s=5)


def test_local_subscriptions_are_the_manifests_push_subscriptions(stack: StackInfo) -> None:
    subscriber = pubsub_v1.SubscriberClient()
    try:
        for expected in MANIFEST.push_subscriptions:
            sub = subscriber.get_subscription(
                subscription=f"projects/{stack.project_id}/subscriptions/{expected.name}"
            )
            assert sub.topic.endswith(f"/topics/{expected.topic}")
            assert sub.push_config.push_endpoint == (
                f"{stack.functions_base_url}/{expected.function}"
            )
            assert sub.ack_deadline_seconds == expected.ack_deadline_s
            assert sub.retry_policy.minimum_backoff.total_seconds() == expected.min_backoff_s
            assert sub.retry_policy.maximum_backoff.total_seconds() == expected.max_backoff_s
            assert sub.dead_letter_policy.dead_letter_topic.endswith(
                f"/topics/{expected.dead_letter_topic}"
            )
            assert sub.dead_letter_policy.max_delivery_attempts == expected.max_delivery_attempts
    finally:
        subscriber.close()
