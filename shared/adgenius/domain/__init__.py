"""The product's domain: brands (and their kits), campaigns and briefs, creatives.

What a marketer makes things for and what comes out, stored under `tenants/{tenant_id}/...`.
Accounts and access (tenants, members, roles, keys, limits, audit) are the `tenancy` package
below this one; the services that generate, index and measure creatives sit above it.
"""
