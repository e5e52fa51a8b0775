"""What real users of the API do, for locust (`bench.load.run` starts it; never imported by the
product). Reads the seeded tenants from the JSON file named by ADGENIUS_LOAD_FIXTURE.

- Marketer (Firebase ID token): lists campaigns, creatives and jobs, opens creatives (whose
  answer carries signed URLs of the images).
- Integration (API key): polls jobs, lists them, posts daily metrics (tag `write`).
- Trickle (one user, paced): a copy request or a one-image job every few seconds (tag `write`).
- Hello: the hello-world function on the same server (the ceiling, run in its own phase).
- Floor: a function on the same server that reads one Firestore document (its own phase).

Only stdlib and locust here: locust patches the process with gevent.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import uuid
from pathlib import Path
from typing import Any

from locust import FastHttpUser, between, constant, constant_pacing, tag, task

FIXTURE: dict[str, Any] = json.loads(
    Path(os.environ.get("ADGENIUS_LOAD_FIXTURE", "/dev/null")).read_text() or '{"tenants": []}'
)
THINK = (
    between(0.0, float(os.environ["ADGENIUS_LOAD_THINK_S"]))
    if float(os.environ.get("ADGENIUS_LOAD_THINK_S", "0"))
    else constant(0)
)


_users = itertools.count()


def _tenant() -> dict[str, Any]:
    """The next seeded tenant, in turn. With as many tenants as users, no two busy users share
    one tenant's rate limit (enterprise: 6,000 requests a minute); picked at random, two or
    three users at ~50 requests/s each sometimes shared one and went over it (answered 429,
    as the product should)."""
    tenants = FIXTURE["tenants"]
    return tenants[next(_users) % len(tenants)]


class Marketer(FastHttpUser):
    weight = 3
    wait_time = THINK

    def on_start(self) -> None:
        self.t = _tenant()
        self.auth = {"Authorization": f"Bearer {self.t['token']}"}

    @task(4)
    def list_campaigns(self) -> None:
        self.client.get("/api/v1/campaigns", headers=self.auth, name="GET /v1/campaigns")

    @task(4)
    def list_creatives(self) -> None:
        self.client.get("/api/v1/creatives?limit=20", headers=self.auth, name="GET /v1/creatives")

    @task(2)
    def list_jobs(self) -> None:
        self.client.get("/api/v1/jobs", headers=self.auth, name="GET /v1/jobs")

    @task(3)
    def open_creative(self) -> None:
        creative = random.choice(self.t["creative_ids"])
        self.client.get(
            f"/api/v1/creatives/{creative}", headers=self.auth, name="GET /v1/creatives/{id}"
        )


class Integration(FastHttpUser):
    weight = 1
    wait_time = THINK

    def on_start(self) -> None:
        self.t = _tenant()
        self.auth = {"X-API-Key": self.t["key"]}

    @task(5)
    def poll_job(self) -> None:
        job = random.choice(self.t["job_ids"])
        self.client.get(f"/api/v1/jobs/{job}", headers=self.auth, name="GET /v1/jobs/{id} (key)")

    @task(1)
    def list_jobs(self) -> None:
        self.client.get("/api/v1/jobs", headers=self.auth, name="GET /v1/jobs (key)")

    @tag("write")
    @task(1)
    def post_metrics(self) -> None:
        day = f"2026-11-{random.randint(1, 28):02d}"
        rows = [
            {
                "creative_id": creative,
                "platform": "meta",
                "date": day,
                "impressions": random.randint(100, 5000),
                "clicks": random.randint(0, 80),
            }
            for creative in random.sample(self.t["creative_ids"], k=1)
        ]
        self.client.post(
            "/api/v1/metrics", json={"rows": rows}, headers=self.auth, name="POST /v1/metrics"
        )


class Trickle(FastHttpUser):
    """A steady trickle of generation work, whatever the number of other users."""

    fixed_count = 1
    wait_time = constant_pacing(float(os.environ.get("ADGENIUS_LOAD_TRICKLE_S", "6")))

    def on_start(self) -> None:
        self.t = _tenant()
        self.auth = {"Authorization": f"Bearer {self.t['token']}"}
        self.turn = 0

    @tag("write")
    @task
    def generate(self) -> None:
        self.t = random.choice(FIXTURE["tenants"])
        self.auth = {"Authorization": f"Bearer {self.t['token']}"}
        campaign = random.choice(self.t["campaign_ids"])
        headers = {**self.auth, "Idempotency-Key": uuid.uuid4().hex}
        self.turn += 1
        if self.turn % 2:
            body = {"platform": "meta", "variants": 2, "seed": self.turn}
            self.client.post(
                f"/api/v1/campaigns/{campaign}/copy",
                json=body,
                headers=headers,
                name="POST /v1/campaigns/{id}/copy",
            )
        else:
            body = {"kind": "image_set", "variants": 1, "ratios": ["1:1"]}
            self.client.post(
                f"/api/v1/campaigns/{campaign}/jobs",
                json=body,
                headers=headers,
                name="POST /v1/campaigns/{id}/jobs",
            )


class Hello(FastHttpUser):
    wait_time = THINK

    @task
    def hello(self) -> None:
        self.client.get("/hello", name="GET /hello")


class Floor(FastHttpUser):
    """One Firestore document read, nothing else: the least a read endpoint does."""

    wait_time = THINK

    def on_start(self) -> None:
        self.t = _tenant()

    @task
    def floor(self) -> None:
        doc = f"tenants/{self.t['tenant_id']}/campaigns/{random.choice(self.t['campaign_ids'])}"
        self.client.get("/floor", params={"doc": doc}, name="GET /floor")
