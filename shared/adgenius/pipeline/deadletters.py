"""Poison messages: inspect and replay what Pub/Sub parked on a dead-letter topic.

Every topic of the manifest has `<topic>-dead-letter`, kept by the pull subscription
`<topic>-dead-letter-inspect`. `list` looks without consuming; `replay` publishes each message
back to its original topic (after a fix was deployed) and acknowledges it.

    python -m adgenius.pipeline.deadletters list job-plan
    python -m adgenius.pipeline.deadletters replay job-plan
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from google.cloud import pubsub_v1  # type: ignore[attr-defined]
from pydantic import BaseModel

from adgenius.cloud.clients import publisher_client
from adgenius.manifest import MANIFEST
from adgenius.settings import get_settings


class DeadLetter(BaseModel):
    message_id: str
    data: Any
    attributes: dict[str, str]
    delivery_attempt: int | None = None


def _subscription(topic: str) -> str:
    spec = next((t for t in MANIFEST.topics if t.name == topic), None)
    if spec is None or spec.dead_letter_inspection is None:
        raise ValueError(f"{topic!r} is not a topic with a dead-letter topic in the manifest")
    return f"projects/{get_settings().project_id}/subscriptions/{spec.dead_letter_inspection}"


def _decode(data: bytes) -> Any:
    try:
        return json.loads(data)
    except ValueError:
        return data.decode(errors="replace")


def inspect(topic: str, max_messages: int = 100) -> list[DeadLetter]:
    """The parked messages, left in place (their ack deadline is reset at once)."""
    sub = _subscription(topic)
    with pubsub_v1.SubscriberClient() as subscriber:
        response = subscriber.pull(
            request={"subscription": sub, "max_messages": max_messages}, timeout=10
        )
        received = list(response.received_messages)
        if received:
            subscriber.modify_ack_deadline(
                request={
                    "subscription": sub,
                    "ack_ids": [r.ack_id for r in received],
                    "ack_deadline_seconds": 0,
                }
            )
    return [
        DeadLetter(
            message_id=r.message.message_id,
            data=_decode(r.message.data),
            attributes=dict(r.message.attributes),
            delivery_attempt=r.delivery_attempt or None,
        )
        for r in received
    ]


def replay(topic: str, max_messages: int = 100) -> int:
    """Publish parked messages back to `topic`, then acknowledge them. Returns how many."""
    publisher = publisher_client()
    topic_path = f"projects/{get_settings().project_id}/topics/{topic}"
    sub = _subscription(topic)
    with pubsub_v1.SubscriberClient() as subscriber:
        response = subscriber.pull(
            request={"subscription": sub, "max_messages": max_messages}, timeout=10
        )
        received = list(response.received_messages)
        for r in received:
            publisher.publish(topic_path, r.message.data, **dict(r.message.attributes)).result(30)
        if received:
            subscriber.acknowledge(
                request={"subscription": sub, "ack_ids": [r.ack_id for r in received]}
            )
    return len(received)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("command", choices=["list", "replay"])
    parser.add_argument("topic")
    parser.add_argument("--max", type=int, default=100)
    args = parser.parse_args()
    if args.command == "list":
        for letter in inspect(args.topic, args.max):
            print(letter.model_dump_json())
    else:
        print(f"replayed {replay(args.topic, args.max)} message(s) to {args.topic}")


if __name__ == "__main__":
    main()
