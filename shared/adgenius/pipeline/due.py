"""What the sweeper looks for, and its check for whether anything is due at all.

The queries of the sweep (`steps.sweep`, `tenant_purge.recheck_due`) are built here, once. The
check runs each of them for one document, over every status and age the sweep could act on, and
needs only Firestore: no pydantic, no models, no settings. Most sweeps (one a minute) find nothing
due; the sweeper function (`adgenius.pipeline.sweeper`) answers those with this check alone and
loads the pipeline's steps only when there is work for them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

# Imported at the start, not on the first call: the sweeper's first request is not the one to
# pay for the Firestore client library (what bench/coldstart_bench.py measures is the start).
from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter

from adgenius.cloud.clients import firestore_client
from adgenius.pipeline.states import ItemStatus, JobStatus
from adgenius.tenancy.tombstones import TOMBSTONES

# The states of the jobs the sweep can act on: stale before planning ended (queued, planning),
# complete but not finished (running), or assembling for too long.
SWEPT_JOB_STATES = (JobStatus.QUEUED, JobStatus.PLANNING, JobStatus.RUNNING, JobStatus.ASSEMBLING)


def now() -> datetime:
    return datetime.now(UTC)


def overdue_items_query(limit: int) -> firestore.Query:
    """Pending or running items past their deadline, across tenants."""
    return (
        firestore_client()
        .collection_group("items")
        .where(
            filter=FieldFilter("status", "in", [ItemStatus.PENDING.value, ItemStatus.RUNNING.value])
        )
        .where(filter=FieldFilter("deadline", "<", now()))
        .limit(limit)
    )


def jobs_in_query(status: JobStatus, older_than: timedelta, limit: int) -> firestore.Query:
    """Jobs in `status` whose last update is older than `older_than`, across tenants."""
    return (
        firestore_client()
        .collection_group("jobs")
        .where(filter=FieldFilter("status", "==", status.value))
        .where(filter=FieldFilter("updated_at", "<", now() - older_than))
        .limit(limit)
    )


def recheck_due_query(limit: int) -> firestore.Query:
    """Tombstones of tenants whose purge is due a recheck."""
    return (
        firestore_client()
        .collection(TOMBSTONES)
        .where(filter=FieldFilter("recheck_after", "<", now()))
        .limit(limit)
    )


def anything_due() -> bool:
    """Whether a sweep could have anything to do.

    A superset of what the sweep acts on: jobs of the swept states at any age (the sweep's
    patience is a setting; age zero covers every value of it), so a False is never wrong.
    """
    queries = [
        overdue_items_query(1),
        *(jobs_in_query(status, timedelta(0), 1) for status in SWEPT_JOB_STATES),
        recheck_due_query(1),
    ]
    return any(next(iter(query.stream()), None) is not None for query in queries)
