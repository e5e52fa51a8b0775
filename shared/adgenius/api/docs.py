"""Render the authorization tables of AUTHORIZATION.md from code (`python -m adgenius.api.docs`).

A unit test fails when the document and the code disagree, so the published matrix is the
enforced one.
"""

from __future__ import annotations

from adgenius.api.app import route_table
from adgenius.api.routing import Access
from adgenius.tenancy.roles import ROLE_PERMISSIONS, SCOPE_PERMISSIONS, Role, Scope, matrix_markdown


def routes_markdown() -> str:
    """Every endpoint with the permission it needs and who holds it."""
    lines = [
        "| endpoint | permission | roles | API key scopes |",
        "|---|---|---|---|",
    ]
    _, routes = route_table()
    for route in sorted(routes.values(), key=lambda r: (r.path, r.method)):
        path = route.path.replace("<", "{").replace(">", "}")
        if route.access is Access.PUBLIC:
            lines.append(f"| `{route.method} {path}` | none (public) | anyone | - |")
            continue
        if route.access is Access.USER:
            lines.append(f"| `{route.method} {path}` | signed-in user | any user | - |")
            continue
        assert route.permission is not None
        roles = [r.value for r in Role if route.permission in ROLE_PERMISSIONS[r]]
        scopes = [s.value for s in Scope if route.permission in SCOPE_PERMISSIONS[s]]
        lines.append(
            f"| `{route.method} {path}` | `{route.permission.value}` | {', '.join(roles)} "
            f"| {', '.join(scopes) or '-'} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    print(matrix_markdown())
    print()
    print(routes_markdown())
