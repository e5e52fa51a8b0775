"""The route table: one router per capability. To add endpoints, write a module with a
`router = Router(tag=...)`, append its name to `MODULES` and regenerate the route index
(`python -m adgenius.api.route_index`; a unit test fails when it is stale).

`ROUTERS` imports every module, so only what needs the whole table asks for it (the OpenAPI
document, the authorization docs, tests). A request imports only its own route's module, found
through `adgenius.api.route_index`: an instance's first answer does not wait for nineteen
capabilities and their backends to import.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # Never run: names every route module for the static import graph (the bundle's extras are
    # derived from it, see adgenius.deploy.extras) and for mypy. A unit test holds it to MODULES.
    from adgenius.api.routes import (  # noqa: F401
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

MODULES: tuple[str, ...] = (
    "me",
    "tenants",
    "members",
    "invitations",
    "api_keys",
    "brands",
    "campaigns",
    "copy_policy",
    "creatives",
    "jobs",
    "audit",
    "meta",
    "search",
    "documents",
    "experiments",
    "insights",
    "brand_assets",
    "metrics",
    "exports",
    "loop",
)


def router_of(module: str) -> Router:
    """The router declared by `adgenius.api.routes.<module>` (imports that module only)."""
    router: Router = importlib.import_module(f"{__name__}.{module}").router
    return router


def __getattr__(name: str) -> list[Router]:
    if name == "ROUTERS":
        return [router_of(module) for module in MODULES]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
