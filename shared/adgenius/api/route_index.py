"""Which module declares each endpoint: (method, path, module in adgenius.api.routes, access).

The request pipeline matches a request against this index and imports only the matched route's
module, and none for a request refused before its handler matters (no credentials on a
non-public route). Generated from the routers; `python -m adgenius.api.route_index` rewrites
it and a unit test fails when it is stale.
"""

from __future__ import annotations

import json
from pathlib import Path

ROUTES: tuple[tuple[str, str, str, str], ...] = (
    ("GET", "/v1/me", "me", "user"),
    ("POST", "/v1/tenants", "tenants", "user"),
    ("GET", "/v1/tenant", "tenants", "tenant"),
    ("PATCH", "/v1/tenant", "tenants", "tenant"),
    ("DELETE", "/v1/tenant", "tenants", "tenant"),
    ("GET", "/v1/usage", "tenants", "tenant"),
    ("GET", "/v1/members", "members", "tenant"),
    ("PATCH", "/v1/members/<uid>", "members", "tenant"),
    ("DELETE", "/v1/members/<uid>", "members", "tenant"),
    ("POST", "/v1/invitations", "invitations", "tenant"),
    ("GET", "/v1/invitations", "invitations", "tenant"),
    ("POST", "/v1/invitations/<inv_id>/accept", "invitations", "user"),
    ("DELETE", "/v1/invitations/<inv_id>", "invitations", "tenant"),
    ("POST", "/v1/api-keys", "api_keys", "tenant"),
    ("GET", "/v1/api-keys", "api_keys", "tenant"),
    ("DELETE", "/v1/api-keys/<key_id>", "api_keys", "tenant"),
    ("GET", "/v1/brands", "brands", "tenant"),
    ("POST", "/v1/brands", "brands", "tenant"),
    ("GET", "/v1/brands/<brand_id>", "brands", "tenant"),
    ("PATCH", "/v1/brands/<brand_id>", "brands", "tenant"),
    ("DELETE", "/v1/brands/<brand_id>", "brands", "tenant"),
    ("PUT", "/v1/brands/<brand_id>/logo", "brands", "tenant"),
    ("GET", "/v1/campaigns", "campaigns", "tenant"),
    ("POST", "/v1/campaigns", "campaigns", "tenant"),
    ("GET", "/v1/campaigns/<campaign_id>", "campaigns", "tenant"),
    ("PATCH", "/v1/campaigns/<campaign_id>", "campaigns", "tenant"),
    ("DELETE", "/v1/campaigns/<campaign_id>", "campaigns", "tenant"),
    ("POST", "/v1/campaigns/<campaign_id>/copy", "campaigns", "tenant"),
    ("GET", "/v1/copy/policies", "copy_policy", "tenant"),
    ("POST", "/v1/copy/validate", "copy_policy", "tenant"),
    ("GET", "/v1/campaigns/<campaign_id>/compliance", "copy_policy", "tenant"),
    ("GET", "/v1/creatives", "creatives", "tenant"),
    ("GET", "/v1/creatives/<creative_id>", "creatives", "tenant"),
    ("POST", "/v1/creatives/<creative_id>/approve", "creatives", "tenant"),
    ("POST", "/v1/creatives/<creative_id>/reject", "creatives", "tenant"),
    ("POST", "/v1/creatives/<creative_id>/archive", "creatives", "tenant"),
    ("POST", "/v1/campaigns/<campaign_id>/jobs", "jobs", "tenant"),
    ("GET", "/v1/jobs", "jobs", "tenant"),
    ("GET", "/v1/jobs/<job_id>", "jobs", "tenant"),
    ("POST", "/v1/jobs/<job_id>/cancel", "jobs", "tenant"),
    ("POST", "/v1/jobs/<job_id>/retry", "jobs", "tenant"),
    ("POST", "/v1/creatives/<creative_id>/regenerate", "jobs", "tenant"),
    ("POST", "/v1/creatives/<creative_id>/more-like-this", "jobs", "tenant"),
    ("GET", "/v1/audit", "audit", "tenant"),
    ("GET", "/v1/openapi.json", "meta", "public"),
    ("GET", "/v1/search", "search", "tenant"),
    ("POST", "/v1/search/reindex", "search", "tenant"),
    ("GET", "/v1/campaigns/<campaign_id>/grounding", "search", "tenant"),
    ("POST", "/v1/brands/<brand_id>/documents", "documents", "tenant"),
    ("GET", "/v1/brands/<brand_id>/documents", "documents", "tenant"),
    ("DELETE", "/v1/brands/<brand_id>/documents/<document_id>", "documents", "tenant"),
    ("POST", "/v1/experiments", "experiments", "tenant"),
    ("GET", "/v1/experiments", "experiments", "tenant"),
    ("GET", "/v1/experiments/<experiment_id>", "experiments", "tenant"),
    ("POST", "/v1/experiments/<experiment_id>/stop", "experiments", "tenant"),
    ("POST", "/v1/experiments/<experiment_id>/archive", "experiments", "tenant"),
    ("GET", "/v1/campaigns/<campaign_id>/insights", "insights", "tenant"),
    ("POST", "/v1/brands/<brand_id>/assets", "brand_assets", "tenant"),
    ("GET", "/v1/brands/<brand_id>/assets", "brand_assets", "tenant"),
    ("GET", "/v1/brands/<brand_id>/assets/<asset_id>", "brand_assets", "tenant"),
    ("PATCH", "/v1/brands/<brand_id>/assets/<asset_id>", "brand_assets", "tenant"),
    ("DELETE", "/v1/brands/<brand_id>/assets/<asset_id>", "brand_assets", "tenant"),
    ("POST", "/v1/metrics", "metrics", "tenant"),
    ("POST", "/v1/metrics/imports", "metrics", "tenant"),
    ("GET", "/v1/metrics/imports", "metrics", "tenant"),
    ("GET", "/v1/metrics/imports/<import_id>", "metrics", "tenant"),
    ("GET", "/v1/creatives/<creative_id>/performance", "metrics", "tenant"),
    ("GET", "/v1/campaigns/<campaign_id>/performance", "metrics", "tenant"),
    ("GET", "/v1/campaigns/<campaign_id>/exports/<export_format>", "exports", "tenant"),
    ("GET", "/v1/campaigns/<campaign_id>/exports/<export_format>/plan", "exports", "tenant"),
    ("POST", "/v1/campaigns/<campaign_id>/exports", "exports", "tenant"),
    ("GET", "/v1/exports/<export_id>", "exports", "tenant"),
    ("GET", "/v1/campaigns/<campaign_id>/loop/candidates", "loop", "tenant"),
    (
        "POST",
        "/v1/campaigns/<campaign_id>/loop/candidates/<candidate_id>/regenerate",
        "loop",
        "tenant",
    ),
    (
        "POST",
        "/v1/campaigns/<campaign_id>/loop/candidates/<candidate_id>/dismiss",
        "loop",
        "tenant",
    ),
    ("POST", "/v1/campaigns/<campaign_id>/loop/candidates/<candidate_id>/undo", "loop", "tenant"),
)


def from_routers() -> tuple[tuple[str, str, str, str], ...]:
    """The index as the routers declare it (imports every route module)."""
    from adgenius.api.routes import MODULES, router_of

    rows: list[tuple[str, str, str, str]] = []
    seen: dict[str, str] = {}
    for module in MODULES:
        for route in router_of(module).routes:
            endpoint = f"{route.method} {route.path}"
            if endpoint in seen:
                raise RuntimeError(
                    f"{endpoint} is registered twice (routes {module!r} and {seen[endpoint]!r})"
                )
            seen[endpoint] = module
            rows.append((route.method, route.path, module, route.access.value))
    return tuple(rows)


def render(rows: tuple[tuple[str, str, str, str], ...]) -> str:
    source = Path(__file__).read_text()
    head, _, rest = source.partition("ROUTES: tuple[tuple[str, str, str, str], ...] = (")
    _, _, tail = rest.partition("\n)\n") if rest.startswith("\n") else rest.partition(")\n")
    # What `ruff format` writes (double quotes; a row too long for a line, one cell a line), so
    # the file stays exactly as generated.
    body = ""
    for row in rows:
        cells = [json.dumps(cell) for cell in row]
        line = f"    ({', '.join(cells)}),\n"
        if len(line) > 101:  # 100 characters and the newline
            line = "    (\n" + "".join(f"        {cell},\n" for cell in cells) + "    ),\n"
        body += line
    return f"{head}ROUTES: tuple[tuple[str, str, str, str], ...] = (\n{body})\n{tail}"


if __name__ == "__main__":
    index = from_routers()
    Path(__file__).write_text(render(index))
    print(f"wrote {len(index)} routes to {__file__}")
