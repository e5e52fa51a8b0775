"""Tenants, members, roles, API keys, limits and audit: the account layer of AdGenius.

Everything a tenant owns lives under `tenants/{tenant_id}/...` and carries `tenant_id`, so a
path built from the caller's tenant can never reach another tenant's data.
"""
