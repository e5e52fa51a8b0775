"""Recording item outcomes on the Firestore emulator: one commit, counts back, once only.

An item's outcome, its once-only mark, its count and its creative are one atomic commit, and the
commit returns the job's counts so that only the last item reads the job. These tests hold the
store to that without the rest of the pipeline.
"""

from __future__ import annotations

import uuid

import pytest
from google.api_core import exceptions as gexc

from adgenius.cloud.clients import firestore_client
from adgenius.localstack.stack import StackInfo
from adgenius.pipeline import store
from adgenius.pipeline.model import Counts, Item, ItemStatus, Job, JobKind, JobStatus

pytestmark = pytest.mark.integration

TENANT = "t-outcomes"


def _job(counts: Counts) -> Job:
    stamp = store.now()
    job = Job(
        id=f"job-{uuid.uuid4().hex[:10]}",
        tenant_id=TENANT,
        campaign_id="c1",
        brand_id="b1",
        kind=JobKind.IMAGE_SET,
        request={"kind": "image_set"},
        status=JobStatus.RUNNING,
        counts=counts,
        created_at=stamp,
        updated_at=stamp,
        started_at=stamp,
    )
    store.create_job(job)
    return job


def _items(job: Job, n: int, status: ItemStatus = ItemStatus.PENDING) -> list[Item]:
    return [
        Item(
            id=f"i{i:03d}",
            tenant_id=job.tenant_id,
            job_id=job.id,
            index=i,
            kind="image",
            queue="images-local",
            status=status,
            spec={"seed": i},
        )
        for i in range(n)
    ]


def _creative(job: Job, item: Item, headline: str) -> store.Documents:
    ref = firestore_client().document(f"tenants/{TENANT}/creatives/{job.id}-{item.id}")
    return [(ref, {"id": ref.id, "tenant_id": TENANT, "kind": "copy", "headline": headline})]


def _stored_counts(job: Job) -> Counts:
    found = store.read_job(job.tenant_id, job.id)
    assert found is not None
    return found.counts


def test_an_outcome_returns_every_count_as_stored_after_it(stack: StackInfo) -> None:
    # Distinct values per count: a count read from the wrong transform result shows.
    job = _job(Counts(total=21, pending=9, running=5, succeeded=4, failed=2, cancelled=1))
    item = _items(job, 1, ItemStatus.RUNNING)[0]
    store.create_items([item])

    recorded = store.item_finished(item, ItemStatus.SUCCEEDED, job=job)

    assert recorded.recorded
    assert recorded.counts == _stored_counts(job)
    assert recorded.counts == Counts(
        total=21, pending=9, running=4, succeeded=5, failed=2, cancelled=1
    )  # the item was read as running, so running (not pending) went down


def test_the_last_outcome_shows_the_job_finished(stack: StackInfo) -> None:
    job = _job(Counts(total=3, pending=3))
    items = _items(job, 3)
    store.create_items(items)
    finished = [store.item_finished(i, ItemStatus.SUCCEEDED).counts for i in items]
    assert [c.finished for c in finished if c] == [1, 2, 3]
    assert finished[-1] == Counts(total=3, succeeded=3)


def test_a_replayed_outcome_changes_nothing_and_creates_nothing(stack: StackInfo) -> None:
    job = _job(Counts(total=2, pending=2))
    item = _items(job, 1)[0]
    store.create_items([item])
    first = store.item_finished(item, ItemStatus.SUCCEEDED, documents=_creative(job, item, "first"))
    again = store.item_finished(
        item, ItemStatus.SUCCEEDED, documents=_creative(job, item, "second")
    )

    assert first.recorded and not again.recorded and again.counts is None
    assert _stored_counts(job) == Counts(total=2, pending=1, succeeded=1)
    ref, _ = _creative(job, item, "")[0]
    assert (ref.get().to_dict() or {})["headline"] == "first"


def test_an_existing_creative_is_kept_and_the_outcome_still_counted(stack: StackInfo) -> None:
    """A creative of this id made outside the step (no outcome mark) does not block the count."""
    job = _job(Counts(total=1, pending=1))
    item = _items(job, 1)[0]
    store.create_items([item])
    ref, data = _creative(job, item, "made before")[0]
    ref.create(data)

    recorded = store.item_finished(
        item, ItemStatus.SUCCEEDED, documents=_creative(job, item, "made now")
    )

    assert recorded.recorded and recorded.counts == Counts(total=1, succeeded=1)
    assert (ref.get().to_dict() or {})["headline"] == "made before"
    assert store.read_item(TENANT, job.id, item.id).status is ItemStatus.SUCCEEDED  # type: ignore[union-attr]


def test_a_creative_is_never_left_without_its_outcome(stack: StackInfo) -> None:
    """The outcome fails as a whole (here: the item is gone): no creative, no count."""
    job = _job(Counts(total=1, pending=1))
    item = _items(job, 1)[0]  # never created: the item update in the commit fails
    with pytest.raises(gexc.NotFound):
        store.item_finished(item, ItemStatus.SUCCEEDED, documents=_creative(job, item, "x"))
    ref, _ = _creative(job, item, "")[0]
    assert not ref.get().exists
    assert _stored_counts(job) == Counts(total=1, pending=1)


def test_replanning_keeps_existing_items_and_adds_missing_ones(stack: StackInfo) -> None:
    job = _job(Counts())
    items = _items(job, 5)
    assert store.create_items(items[:3]) == 3
    store.update_item(items[0], {"status": ItemStatus.SUCCEEDED.value})

    assert store.create_items(items) == 2  # a redelivered plan: only the two missing ones

    stored = store.list_items(TENANT, job.id)
    assert [i.id for i in stored] == [i.id for i in items]
    assert stored[0].status is ItemStatus.SUCCEEDED  # not overwritten


def test_a_plan_larger_than_one_commit_creates_every_item(stack: StackInfo) -> None:
    job = _job(Counts())
    items = _items(job, 450)  # Firestore takes at most 500 writes per commit
    assert store.create_items(items) == 450
    assert len(store.list_items(TENANT, job.id)) == 450


def test_a_cancel_that_stopped_nothing_leaves_the_outcome(stack: StackInfo) -> None:
    """Cancel asked after every item had ended (before the job was completed): succeeded."""
    from adgenius.pipeline import steps

    job = _job(Counts(total=2, succeeded=2))
    store.update_job(TENANT, job.id, {"cancel_requested": True})
    steps.finalize(job)
    assert store.read_job(TENANT, job.id).status is JobStatus.SUCCEEDED  # type: ignore[union-attr]

    stopped = _job(Counts(total=2, succeeded=1, cancelled=1))
    store.update_job(TENANT, stopped.id, {"cancel_requested": True})
    steps.finalize(stopped)
    assert store.read_job(TENANT, stopped.id).status is JobStatus.CANCELLED  # type: ignore[union-attr]
