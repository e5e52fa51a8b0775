"""Each hop of a diagnostics run, written so that redelivery changes nothing twice.

A hop is recorded by creating `diagnostics/{run}/hops/{hop}` with `create()`, which fails if it
exists: the record is the proof that the hop's effect happened. Each step checks the record of its
own hop first (skip if present), performs its effect, then records - so a crash between effect and
record re-runs an effect whose consumer is itself guarded by the next hop's record.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from google.api_core import exceptions as gexc
from google.cloud import firestore

from adgenius.cloud import messaging, tasks
from adgenius.cloud.clients import firestore_client
from adgenius.cloud.storage import blob_store
from adgenius.observability import current_correlation_id, log_fields
from adgenius.tenancy.store import is_doc_id

HOPS = ("http", "trigger", "pubsub", "task", "storage", "done")
TOPIC = "diagnostics"
QUEUE = "diagnostics"
COLLECTION = "diagnostics"

log = logging.getLogger(__name__)


def _run_ref(run_id: str) -> firestore.DocumentReference:
    return firestore_client().collection(COLLECTION).document(run_id)


def _now_ms() -> float:
    return time.time() * 1000.0


def hop_recorded(run_id: str, hop: str) -> bool:
    return bool(_run_ref(run_id).collection("hops").document(hop).get().exists)


def record_hop(run_id: str, hop: str, started_ms: float | None = None) -> bool:
    """Record a hop once; a repeat only bumps the run's duplicate counter. True if first."""
    at_ms = _now_ms()
    try:
        _run_ref(run_id).collection("hops").document(hop).create(
            {"hop": hop, "at_ms": at_ms, "index": HOPS.index(hop)}
        )
    except gexc.AlreadyExists:
        _run_ref(run_id).update({"duplicates": firestore.Increment(1)})
        return False
    if started_ms is not None:
        _run_ref(run_id).update({f"hops_ms.{hop}": round(at_ms - started_ms, 1)})
    log.info("diagnostics hop", extra=log_fields(run_id=run_id, hop=hop))
    return True


def start_run(requested_by: str) -> str:
    """The HTTP hop: the run document's creation fires the Firestore trigger."""
    run_id = uuid.uuid4().hex
    started_ms = _now_ms()
    ref = _run_ref(run_id)
    ref.collection("hops").document("http").create({"hop": "http", "at_ms": started_ms, "index": 0})
    ref.create(
        {
            "status": "running",
            "requested_by": requested_by,
            "started_ms": started_ms,
            "created_at": datetime.now(UTC),
            "correlation_id": current_correlation_id(),
            "hops_ms": {"http": 0.0},
            "duplicates": 0,
        }
    )
    return run_id


def _started_ms(run_id: str) -> float:
    snap = _run_ref(run_id).get()
    return float((snap.to_dict() or {}).get("started_ms", _now_ms()))


def on_run_created(run_id: str) -> None:
    """Firestore trigger hop: hand the run to the Pub/Sub step."""
    if hop_recorded(run_id, "trigger"):
        return
    messaging.publish(TOPIC, {"run_id": run_id})
    record_hop(run_id, "trigger", _started_ms(run_id))


def on_step(run_id: str) -> None:
    """Pub/Sub hop: fan out one Cloud Task (named after the run, so it is created once)."""
    if hop_recorded(run_id, "pubsub"):
        return
    tasks.enqueue(QUEUE, {"run_id": run_id}, task_id=f"diagnostics-{run_id}")
    record_hop(run_id, "pubsub", _started_ms(run_id))


def on_task(run_id: str) -> None:
    """Task hop: write an object to Storage and mark the run done."""
    started = _started_ms(run_id)
    if not hop_recorded(run_id, "task"):
        record_hop(run_id, "task", started)
    if not hop_recorded(run_id, "storage"):
        payload = json.dumps({"run_id": run_id, "written_ms": _now_ms()}).encode()
        blob_store().put(f"diagnostics/{run_id}.json", payload, "application/json")
        record_hop(run_id, "storage", started)
    if record_hop(run_id, "done", started):
        _run_ref(run_id).update({"status": "done", "total_ms": round(_now_ms() - started, 1)})


def read_run(run_id: str) -> dict[str, Any] | None:
    if not is_doc_id(run_id):  # from the query string: never a path or an id Firestore reserves
        return None
    snap = _run_ref(run_id).get()
    if not snap.exists:
        return None
    run = snap.to_dict() or {}
    hops = [h.to_dict() for h in _run_ref(run_id).collection("hops").stream()]
    hops.sort(key=lambda h: h["at_ms"])
    return {
        "run_id": run_id,
        "status": run.get("status"),
        "total_ms": run.get("total_ms"),
        "duplicates": run.get("duplicates", 0),
        "hops": [{"hop": h["hop"], "at_ms": h["at_ms"]} for h in hops],
        "hops_ms": run.get("hops_ms", {}),
    }
