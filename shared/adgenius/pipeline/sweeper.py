"""The scheduled sweeper's work: re-drive or fail overdue items, re-publish stuck jobs, and purge
deleted tenants once more (`steps.sweep`, `tenant_purge.recheck_due`).

A sweep runs every minute and most find nothing due. `due.anything_due` tells, with Firestore
alone, and only when something is due do the pipeline's steps load (pydantic, the models, the
settings, the clients of Pub/Sub and Cloud Tasks): a sweeper instance starts with what a sweep
that finds nothing needs (cold starts, bench/coldstart_bench.py).
"""

from __future__ import annotations

from adgenius.pipeline import due

# What a sweep counts (`steps.sweep`'s counts, then `tenant_purge.recheck_due`'s).
COUNTS = ("redriven", "failed", "replanned", "reassembled", "tenant_rechecks")


def sweep() -> dict[str, int]:
    if not due.anything_due():
        return dict.fromkeys(COUNTS, 0)
    from adgenius.pipeline import steps, tenant_purge

    return {**steps.sweep(), "tenant_rechecks": tenant_purge.recheck_due()}
