"""Coalescing markers (experiment evaluations, loop checks) on the Firestore emulator."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from api_helpers import Org

from adgenius.tenancy import store

STALE = timedelta(minutes=5)


def test_one_claim_per_marker_until_it_is_stale_then_exactly_one_again(org: Org) -> None:
    marker = store.tenant_collection(org.tenant_id, "evaluation_markers").document(store.new_id())

    with ThreadPoolExecutor(8) as pool:  # a burst of facts asks at once: one publishes
        first = list(
            pool.map(lambda _: store.claim_pending_marker(marker, org.tenant_id, STALE), range(8))
        )
    assert first.count(True) == 1
    assert not store.claim_pending_marker(marker, org.tenant_id, STALE)  # still pending

    # Its message was lost (the publish failed after the create): once stale, it is claimed
    # again, by exactly one of the callers racing for it.
    marker.update({"requested_at": store.now() - STALE - timedelta(seconds=1)})
    with ThreadPoolExecutor(8) as pool:
        again = list(
            pool.map(lambda _: store.claim_pending_marker(marker, org.tenant_id, STALE), range(8))
        )
    assert again.count(True) == 1
    assert marker.get().to_dict()["tenant_id"] == org.tenant_id
    assert not store.claim_pending_marker(marker, org.tenant_id, STALE)

    # Deleted by the step that did the work: the next request claims at once.
    marker.delete()
    assert store.claim_pending_marker(marker, org.tenant_id, STALE)
