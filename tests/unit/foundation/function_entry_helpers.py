"""Loading a function's entry point as functions-framework would, and Pub/Sub push bodies."""

from __future__ import annotations

import base64
import json
from typing import Any

import functions_framework
from flask.testing import FlaskClient

from adgenius.manifest import MANIFEST


def entry_client(name: str) -> FlaskClient:
    """A test client of the function `name`, built from its manifest entry and its main.py."""
    spec = MANIFEST.function(name)
    app = functions_framework.create_app(
        target=spec.entry_point,
        source=str(spec.source_dir / "main.py"),
        signature_type=spec.signature_type,
    )
    return app.test_client()


def push_body(data: dict[str, Any], subscription: str = "x") -> dict[str, Any]:
    """The body a Pub/Sub push subscription posts (the data base64-encoded JSON)."""
    return {
        "message": {
            "data": base64.b64encode(json.dumps(data).encode()).decode(),
            "attributes": {"correlation_id": "c-1"},
            "messageId": "1",
        },
        "subscription": f"projects/demo-adgenius/subscriptions/{subscription}",
    }
