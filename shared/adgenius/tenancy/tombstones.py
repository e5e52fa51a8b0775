"""Names of a tenant's deletion: the collection of tombstones and the topic of the purge.

Plain constants, apart from the deletion service (`adgenius.tenancy.deletion`, which re-exports
them) and the purge message: the sweeper's check for a tenant due a recheck reads the tombstones
at its start and imports neither pydantic nor the service's dependencies (cold starts).
"""

from __future__ import annotations

PURGE_TOPIC = "tenant-purge"
TOMBSTONES = "deleted_tenants"
