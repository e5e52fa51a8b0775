"""Append-only audit log at tenants/{t}/audit: who did what to which resource, and when."""

from __future__ import annotations

import logging
from typing import Any

from adgenius.tenancy import store
from adgenius.tenancy.principal import Principal

logger = logging.getLogger(__name__)


def record(
    tenant_id: str,
    action: str,
    principal: Principal,
    *,
    target: str | None = None,
    details: dict[str, Any] | None = None,
    entry_id: str | None = None,
) -> None:
    """Write one audit entry, e.g. action='member.role_changed', target='members/<uid>'.

    `entry_id`: a step that may run twice (a redelivered message) names its entry, so a repeat
    rewrites the same entry instead of adding a second one. Inside an idempotent request the entry
    is named by the request (`store.replay_key`): a rerun after a crash writes the entry the dead
    attempt may not have written, and never a second one."""
    entry = {
        "tenant_id": tenant_id,
        "action": action,
        "actor": principal.actor,
        "target": target,
        "details": details or {},
        "at": store.now(),
    }
    entries = store.tenant_collection(tenant_id, store.AUDIT)
    entry_id = entry_id or store.replay_key("audit", action, target)
    if entry_id is None:
        entries.add(entry)
    else:
        entries.document(entry_id).set(entry)
    logger.info("audit %s", action, extra={"fields": {"audit": {**entry, "at": None}}})


def list_entries(tenant_id: str, *, limit: int = 100) -> list[dict[str, Any]]:
    query = store.tenant_collection(tenant_id, store.AUDIT).order_by("at", direction="DESCENDING")
    return [store.data_with_id(s) for s in query.limit(limit).stream()]
