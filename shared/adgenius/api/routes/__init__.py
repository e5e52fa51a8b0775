"""The route table: one router per capability. To add endpoints, write a module with a
`router = Router(tag=...)` and append it here (order does not matter)."""

from __future__ import annotations

from adgenius.api.routes import (
    api_keys,
    audit,
    brand_assets,
    brands,
    campaigns,
    copy_policy,
    creatives,
    documents,
    experiments,
    exports,
    insights,
    invitations,
    jobs,
    loop,
    me,
    members,
    meta,
    metrics,
    search,
    tenants,
)
from adgenius.api.routing import Router

ROUTERS: list[Router] = [
    me.router,
    tenants.router,
    members.router,
    invitations.router,
    api_keys.router,
    brands.router,
    campaigns.router,
    copy_policy.router,
    creatives.router,
    jobs.router,
    audit.router,
    meta.router,
    search.router,
    documents.router,
    experiments.router,
    insights.router,
    brand_assets.router,
    metrics.router,
    exports.router,
    loop.router,
]
