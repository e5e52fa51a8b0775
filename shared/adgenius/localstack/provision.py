"""Creates, from the manifest, what the cloud would have been given by terraform.

Topics with their dead-letter topics and push subscriptions to the functions host, Cloud Tasks
queues, the media bucket, and the Firestore triggers registered with the emulator.
"""

from __future__ import annotations

import contextlib

import httpx
from google.api_core import exceptions as gexc
from google.cloud import pubsub_v1, tasks_v2  # type: ignore[attr-defined]
from google.protobuf import duration_pb2

from adgenius.cloud.clients import publisher_client, tasks_client
from adgenius.cloud.storage import GcsBlobStore
from adgenius.manifest import FunctionKind, Manifest


def create_topics_and_subscriptions(
    manifest: Manifest, project: str, functions_base_url: str
) -> None:
    publisher = publisher_client()
    subscriber = pubsub_v1.SubscriberClient()
    try:
        for topic in manifest.topics:
            names = [topic.name] + ([topic.dead_letter_topic] if topic.dead_letter_topic else [])
            for name in names:
                with contextlib.suppress(gexc.AlreadyExists):
                    publisher.create_topic(name=f"projects/{project}/topics/{name}")
            if topic.dead_letter_topic:
                _create_subscription(
                    subscriber,
                    {
                        "name": f"projects/{project}/subscriptions/{topic.dead_letter_inspection}",
                        "topic": f"projects/{project}/topics/{topic.dead_letter_topic}",
                        "ack_deadline_seconds": 60,
                    },
                )
        # The same subscriptions terraform creates (manifest.push_subscriptions), pushed to the
        # functions host instead of the Cloud Run URLs.
        for sub in manifest.push_subscriptions:
            request: dict[str, object] = {
                "name": f"projects/{project}/subscriptions/{sub.name}",
                "topic": f"projects/{project}/topics/{sub.topic}",
                "push_config": {"push_endpoint": f"{functions_base_url}/{sub.function}"},
                "ack_deadline_seconds": sub.ack_deadline_s,
                "retry_policy": {
                    "minimum_backoff": duration_pb2.Duration(seconds=sub.min_backoff_s),
                    "maximum_backoff": duration_pb2.Duration(seconds=sub.max_backoff_s),
                },
            }
            if sub.dead_letter_topic:
                request["dead_letter_policy"] = {
                    "dead_letter_topic": f"projects/{project}/topics/{sub.dead_letter_topic}",
                    "max_delivery_attempts": sub.max_delivery_attempts,
                }
            _create_subscription(subscriber, request)
    finally:
        subscriber.close()


def _create_subscription(
    subscriber: pubsub_v1.SubscriberClient, request: dict[str, object]
) -> None:
    with contextlib.suppress(gexc.AlreadyExists):
        subscriber.create_subscription(request=request)


def create_queues(
    manifest: Manifest, project: str, location: str, *, rate_multiplier: float = 1.0
) -> None:
    """`rate_multiplier` lets a test stack run the models' queues faster than their quotas."""
    client = tasks_client()
    parent = f"projects/{project}/locations/{location}"
    for spec in manifest.queues:
        queue = tasks_v2.Queue(
            name=f"{parent}/queues/{spec.name}",
            rate_limits=tasks_v2.RateLimits(
                max_dispatches_per_second=spec.max_dispatches_per_second * rate_multiplier,
                max_concurrent_dispatches=spec.max_concurrent_dispatches,
            ),
            retry_config=tasks_v2.RetryConfig(
                max_attempts=spec.max_attempts,
                min_backoff=duration_pb2.Duration(seconds=int(spec.min_backoff_s)),
                max_backoff=duration_pb2.Duration(seconds=int(spec.max_backoff_s)),
            ),
        )
        with contextlib.suppress(gexc.AlreadyExists):
            client.create_queue(parent=parent, queue=queue)


def create_bucket(bucket: str) -> None:
    GcsBlobStore(bucket).ensure_bucket()


def register_firestore_triggers(manifest: Manifest, project: str, firestore_host: str) -> None:
    """The emulator calls `<functions_emulator>/functions/projects/P/triggers/<name>` per event."""
    for fn in manifest.by_kind(FunctionKind.FIRESTORE):
        assert fn.document and fn.event
        response = httpx.post(
            f"http://{firestore_host}/emulator/v1/projects/{project}/eventarcTrigger",
            params={"eventarcTriggerId": fn.name},
            json={
                "eventType": fn.event.value,
                "database": "(default)",
                "namespace": "(default)",
                "document": {"value": fn.document, "matchType": "PATH_PATTERN"},
            },
            timeout=10,
        )
        response.raise_for_status()
