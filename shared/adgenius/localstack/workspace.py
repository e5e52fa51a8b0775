"""A signed-in marketer with a tenant, a brand and a campaign, made through the real API.

Used by the demo, the pipeline tests and the benchmarks: everything goes over HTTP to the API
function exactly as the web app does.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from adgenius.localstack.auth_users import SignedInUser, sign_in, sign_up
from adgenius.localstack.stack import StackInfo

TERMINAL = {"succeeded", "partially_succeeded", "failed", "cancelled"}

DEMO_BRAND: dict[str, Any] = {
    "name": "Northwind Coffee",
    "kit": {
        "voice": "warm, expert, never pushy; short sentences",
        "tone": "friendly",
        "example_ads": [
            "Small-batch beans, roasted Tuesday, at your door Friday.",
            "Your morning, upgraded: single-origin coffee delivered fresh.",
        ],
        "banned_words": ["cheap", "guaranteed"],
        "required_phrases": [],
        "colors": ["#6F4E37", "#F5E6CC", "#1B1B1B"],
        "fonts": ["Inter"],
    },
}
DEMO_CAMPAIGN: dict[str, Any] = {
    "name": "Autumn subscription",
    "objective": "sales",
    "offer": "Coffee subscription, first bag free",
    "product_facts": [
        "roasted to order every week",
        "single-origin beans from 12 farms",
        "pause or cancel any time",
    ],
    "landing_url": "https://northwind.example/subscribe",
    "audiences": ["busy professionals who love good coffee"],
    "platforms": ["google_rsa", "meta", "google_pmax"],
    "languages": ["en"],
}


@dataclass
class Workspace:
    stack: StackInfo
    user: SignedInUser
    tenant_id: str
    brand_id: str
    campaign_id: str

    @property
    def v1(self) -> str:
        return f"{self.stack.api_base_url}/v1"

    def call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {**self.user.bearer, **kwargs.pop("headers", {})}
        return httpx.request(method, f"{self.v1}{path}", headers=headers, timeout=120, **kwargs)

    def start_job(self, body: dict[str, Any]) -> str:
        r = self.call(
            "POST",
            f"/campaigns/{self.campaign_id}/jobs",
            json=body,
            headers={"Idempotency-Key": uuid.uuid4().hex},
        )
        if r.status_code != 202:
            raise RuntimeError(f"job not accepted: {r.status_code} {r.text}")
        return str(r.json()["id"])

    def job(self, job_id: str) -> dict[str, Any]:
        r = self.call("GET", f"/jobs/{job_id}")
        r.raise_for_status()
        return dict(r.json())

    def wait_for(self, job_id: str, predicate: Any, timeout_s: float = 60) -> dict[str, Any]:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            job = self.job(job_id)
            if predicate(job):
                return job
            time.sleep(0.05)
        raise TimeoutError(f"job {job_id}: condition not met in {timeout_s} s")

    def wait(self, job_id: str, timeout_s: float = 300, on_progress: Any = None) -> dict[str, Any]:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            job = self.job(job_id)
            if on_progress:
                on_progress(job)
            if job["status"] in TERMINAL:
                return job
            time.sleep(0.25)
        raise TimeoutError(f"job {job_id} did not finish in {timeout_s} s: {self.job(job_id)}")


def create_workspace(
    stack: StackInfo,
    *,
    email: str | None = None,
    brand: dict[str, Any] | None = None,
    campaign: dict[str, Any] | None = None,
    plan: str = "enterprise",
) -> Workspace:
    email = email or f"marketer-{uuid.uuid4().hex[:8]}@example.com"
    user = sign_up(stack.auth_emulator, email)
    v1 = f"{stack.api_base_url}/v1"

    def post(path: str, body: dict[str, Any], who: SignedInUser) -> dict[str, Any]:
        r = httpx.post(f"{v1}{path}", json=body, headers=who.bearer, timeout=60)
        if r.status_code not in (200, 201):
            raise RuntimeError(f"POST {path}: {r.status_code} {r.text}")
        return dict(r.json())

    tenant = post("/tenants", {"name": f"{(brand or DEMO_BRAND)['name']} team", "plan": plan}, user)
    user = sign_in(stack.auth_emulator, email)  # a fresh token carries tenant_id and role
    brand_doc = post("/brands", brand or DEMO_BRAND, user)
    campaign_doc = post(
        "/campaigns", {**(campaign or DEMO_CAMPAIGN), "brand_id": brand_doc["id"]}, user
    )
    return Workspace(stack, user, tenant["id"], brand_doc["id"], campaign_doc["id"])
