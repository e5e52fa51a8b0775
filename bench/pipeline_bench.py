"""Generation jobs through the whole local pipeline vs the same work done directly.

- `pipeline_200_images_ratio`: a 200-image job (50 variants x 4 ratios) from the create call to
  `succeeded`, divided by rendering the same 200 images in one process in the same run.
- `first_progress_event_s`: from the create call to the first progress a Firestore listener sees
  (the job leaving `queued`: trigger -> Pub/Sub -> planning); baseline: a plain Firestore write
  reaching a listener in the same run.
"""

from __future__ import annotations

import multiprocessing
import statistics
import threading
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from adgenius.cloud.clients import firestore_client
from adgenius.cloud.storage import blob_store
from adgenius.localstack.stack import LocalStack
from adgenius.localstack.workspace import Workspace, create_workspace
from adgenius.media.image_renderer import ImageSpec, render_image
from adgenius.pipeline import store
from adgenius.pipeline.context import read_context
from adgenius.pipeline.work import local_image_spec

IMAGE_JOB = {"kind": "image_set", "variants": 50, "ratios": ["1:1", "4:5", "9:16", "1.91:1"]}


def _render_all(specs: list[ImageSpec]) -> tuple[float, bytes]:
    started = time.monotonic()
    rendered = [render_image(spec).data for spec in specs]
    return time.monotonic() - started, rendered[0]


def _direct_render_s(ws: Workspace, job_id: str) -> float:
    """The same 200 images (the pipeline's items and brand context), rendered back to back in one
    fresh process, like the pipeline's render processes (the bench process's own state, from
    the benches before this one, made the time vary by 20%). The first must equal, byte for
    byte, what the pipeline stored."""
    items = store.list_items(ws.tenant_id, job_id)
    ctx = read_context(ws.tenant_id, ws.campaign_id)
    specs = [local_image_spec(item, ctx) for item in items]
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        pool.submit(render_image, specs[0]).result()  # start-up and imports are not rendering
        elapsed, first = pool.submit(_render_all, specs).result()
    if first != blob_store().get(str(items[0].output_path)):
        raise RuntimeError("the direct render differs from the pipeline's: not the same work")
    return elapsed


def _listener_latency_s(collection: str, action, want) -> float:  # type: ignore[no-untyped-def]
    """Seconds from `action()` to a listener on `collection` seeing a change `want` accepts."""
    seen = threading.Event()
    box: dict[str, object] = {}

    def on_snapshot(_docs, changes, _read_time) -> None:  # type: ignore[no-untyped-def]
        for change in changes:
            if want(box, change.document.id, change.document.to_dict() or {}):
                seen.set()

    watch = firestore_client().collection(collection).on_snapshot(on_snapshot)
    try:
        time.sleep(0.5)  # let the listener attach
        started = time.monotonic()
        action(box)
        if not seen.wait(60):
            raise TimeoutError("the listener saw nothing")
        return time.monotonic() - started
    finally:
        watch.unsubscribe()


def run(work_dir: Path) -> dict[str, dict]:
    stack = LocalStack(data_dir=work_dir / "data")
    info = stack.start()
    try:
        ws = create_workspace(info)
        ws.wait(ws.start_job({"kind": "image_set", "variants": 1}), 120)  # warm the host

        started = time.monotonic()
        job_id = ws.start_job(IMAGE_JOB)
        job = ws.wait(job_id, 1200)
        pipeline_s = time.monotonic() - started
        if job["status"] != "succeeded" or job["counts"]["succeeded"] != 200:
            raise RuntimeError(f"the 200-image job did not succeed: {job['counts']}")
        direct_s = _direct_render_s(ws, job_id)

        firsts, plains = [], []
        jobs = f"tenants/{ws.tenant_id}/jobs"
        scratch = f"tenants/{ws.tenant_id}/bench_scratch"
        for _ in range(5):
            firsts.append(
                _listener_latency_s(
                    jobs,
                    lambda box: box.update(
                        id=ws.start_job({"kind": "copy_batch", "platforms": ["meta"]})
                    ),
                    lambda box, doc_id, data: (
                        doc_id == box.get("id") and data.get("status") != "queued"
                    ),
                )
            )
            doc_id = f"bench-{uuid.uuid4().hex}"
            plains.append(
                _listener_latency_s(
                    scratch,
                    lambda _box, doc_id=doc_id: (
                        firestore_client().document(f"{scratch}/{doc_id}").set({"status": "bench"})
                    ),
                    lambda _box, d, _data, doc_id=doc_id: d == doc_id,
                )
            )
    finally:
        stack.stop()
    first, plain = statistics.median(firsts), statistics.median(plains)
    return {
        "pipeline_200_images_ratio": {
            "value": pipeline_s / direct_s,
            "unit": "x",
            "baseline": 1.0,
            "ratio": pipeline_s / direct_s,
            "goal": f"<= 1.5 (pipeline {pipeline_s:.1f} s vs direct {direct_s:.1f} s)",
        },
        "pipeline_200_images_s": {
            "value": pipeline_s,
            "unit": "s",
            "baseline": direct_s,
            "ratio": pipeline_s / direct_s,
            "goal": "information (baseline: the same 200 renders in one process)",
        },
        "first_progress_event_s": {
            "value": first,
            "unit": "s",
            "baseline": plain,
            "ratio": first / plain,
            "goal": "<= 1 s (median of 5; baseline: a plain write reaching a listener)",
        },
    }
