"""Storage down and Firestore slow, behind fault proxies, while jobs and API writes run.

After each fault: every job terminal and complete, nothing lost or doubled, no 500 from the API.
"""

from __future__ import annotations

import os
import threading
import time
import uuid

import httpx
import pytest
from fault_helpers import (
    assert_complete_and_unique,
    assert_unfinished,
    attempted_at_least,
    wait_terminal_sweeping,
)

from adgenius.localstack.stack import LocalStack
from adgenius.localstack.workspace import Workspace
from adgenius.testing import sample_media as samples

pytestmark = [pytest.mark.integration, pytest.mark.slow]

# An honest outage by default (the 30 s); shorten it with the variable on a slow day.
STORAGE_OUTAGE_S = float(os.environ.get("ADGENIUS_FAULT_STORAGE_OUTAGE_S", "30"))
FIRESTORE_LATENCY_S = float(os.environ.get("ADGENIUS_FAULT_FIRESTORE_LATENCY_S", "0.1"))


MUG = samples.encode(samples.product_photo("mug", size=(800, 600)), "JPEG", quality=85)


def _upload(ws: Workspace, key: str) -> httpx.Response:
    return ws.call(
        "POST",
        f"/brands/{ws.brand_id}/assets",
        content=MUG,
        params={"kind": "product"},
        headers={"Content-Type": "image/jpeg", "Idempotency-Key": key},
    )


def test_storage_unavailable_mid_job_loses_nothing(
    fault_stack: LocalStack, fault_ws: Workspace
) -> None:
    proxy = fault_stack.proxies["storage"]
    # The outage begins before the job's items can store anything: all 20 of the local queue's
    # concurrent dispatches would otherwise finish a small job between two polls on a fast machine.
    proxy.set_mode("refuse")
    cut_at = time.monotonic()
    job_id = fault_ws.start_job({"kind": "image_set", "variants": 6, "ratios": ["1:1"]})
    attempted_at_least(fault_ws, job_id, 1)
    assert_unfinished(fault_ws, job_id)
    key = uuid.uuid4().hex
    # An upload needs Storage: it answers 503 with Retry-After once the Storage retries give up
    # (`storage_retry_s`), never a 500 and never a hang; it runs beside the clock of the outage.
    refused: dict[str, httpx.Response] = {}
    uploader = threading.Thread(target=lambda: refused.update(r=_upload(fault_ws, key)))
    try:
        uploader.start()
        # Reads and writes that need no Storage still answer 2xx meanwhile.
        while time.monotonic() - cut_at < STORAGE_OUTAGE_S:
            r = fault_ws.call("GET", f"/jobs/{job_id}")
            assert r.status_code == 200, r.text
            time.sleep(1.0)
        answered_in_the_outage = not uploader.is_alive()
    finally:
        proxy.set_mode("pass")
    uploader.join()
    if answered_in_the_outage:
        assert refused["r"].status_code == 503, refused["r"].text
        assert refused["r"].headers["Retry-After"]
        assert refused["r"].json()["error"]["code"] == "unavailable"
    else:  # a slow machine: its last retry came after the outage
        assert refused["r"].status_code in (201, 503), refused["r"].text
    # The client's retry with the same key, once Storage is back, stores the picture once.
    stored = _upload(fault_ws, key)
    assert stored.status_code in (200, 201), stored.text
    listed = fault_ws.call("GET", f"/brands/{fault_ws.brand_id}/assets").json()["items"]
    assert [a["id"] for a in listed] == [stored.json()["id"]]
    job = wait_terminal_sweeping(fault_stack, fault_ws, job_id)
    assert_complete_and_unique(fault_ws, job, 6)


def test_storage_black_hole_then_back(fault_stack: LocalStack, fault_ws: Workspace) -> None:
    """A stall (connections accepted, nothing answered) ends in client timeouts, not a hang."""
    proxy = fault_stack.proxies["storage"]
    proxy.set_mode("stall")  # before the items run, so that they meet it (see above)
    job_id = fault_ws.start_job({"kind": "image_set", "variants": 4, "ratios": ["1:1"]})
    attempted_at_least(fault_ws, job_id, 1)
    assert_unfinished(fault_ws, job_id)
    time.sleep(float(os.environ.get("ADGENIUS_FAULT_STALL_S", "8")))
    proxy.set_mode("pass")
    job = wait_terminal_sweeping(fault_stack, fault_ws, job_id)
    assert_complete_and_unique(fault_ws, job, 4)


def test_firestore_slow_during_a_job_and_api_writes(
    fault_stack: LocalStack, fault_ws: Workspace
) -> None:
    proxy = fault_stack.proxies["firestore"]
    proxy.set_latency(FIRESTORE_LATENCY_S)
    try:
        job_id = fault_ws.start_job({"kind": "image_set", "variants": 4, "ratios": ["1:1"]})
        created = []
        for i in range(5):
            key = uuid.uuid4().hex
            body = {"name": f"slow {i}", "kit": {"voice": "plain", "tone": "friendly"}}
            r = fault_ws.call("POST", "/brands", json=body, headers={"Idempotency-Key": key})
            assert r.status_code == 201, r.text
            created.append((key, body, r.json()["id"]))
        job = wait_terminal_sweeping(fault_stack, fault_ws, job_id)
    finally:
        proxy.set_latency(0.0)
    assert_complete_and_unique(fault_ws, job, 4)
    for key, body, brand_id in created:
        again = fault_ws.call("POST", "/brands", json=body, headers={"Idempotency-Key": key})
        assert again.status_code == 201 and again.json()["id"] == brand_id
        assert fault_ws.call("GET", f"/brands/{brand_id}").status_code == 200
