"""What the loop's steps all read: the campaign, and which creatives may be replaced.

Apart from `adgenius.loop.messages` so that a function refuses a malformed loop message before
importing Firestore and the domain models (cold starts).
"""

from __future__ import annotations

from adgenius.domain.campaigns import Campaign
from adgenius.domain.creatives import CreativeStatus
from adgenius.tenancy import store

# Creatives the loop may replace; rejected or archived ones are already set aside.
REPLACEABLE = (CreativeStatus.DRAFT.value, CreativeStatus.APPROVED.value)


def read_campaign(tenant_id: str, campaign_id: str) -> Campaign | None:
    """The campaign under this tenant's path, or None."""
    snap = store.tenant_collection(tenant_id, store.CAMPAIGNS).document(campaign_id).get()
    data = snap.to_dict() or {}
    if not snap.exists or data.get("tenant_id") != tenant_id:
        return None
    return Campaign(**store.data_with_id(snap))
