"""Roles, API key scopes and the permissions they grant: the one authorization matrix.

Handlers declare a `Permission`; nothing else in the code base compares roles. The matrix is
rendered into AUTHORIZATION.md (see `matrix_markdown`), so the document cannot drift from code.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    EDITOR = "editor"
    VIEWER = "viewer"


class Scope(StrEnum):
    """What an API key may do. Keys are tenant-wide (never limited to brands)."""

    READ = "read"
    GENERATE = "generate"
    METRICS_WRITE = "metrics:write"
    ADMIN = "admin"


class Permission(StrEnum):
    TENANT_READ = "tenant:read"
    TENANT_WRITE = "tenant:write"
    USAGE_READ = "usage:read"
    MEMBERS_READ = "members:read"
    MEMBERS_WRITE = "members:write"
    INVITATIONS_READ = "invitations:read"
    INVITATIONS_WRITE = "invitations:write"
    API_KEYS_READ = "api_keys:read"
    API_KEYS_WRITE = "api_keys:write"
    BRANDS_READ = "brands:read"
    BRANDS_WRITE = "brands:write"
    CAMPAIGNS_READ = "campaigns:read"
    CAMPAIGNS_WRITE = "campaigns:write"
    CREATIVES_READ = "creatives:read"
    CREATIVES_REVIEW = "creatives:review"
    GENERATE = "generate"
    METRICS_WRITE = "metrics:write"
    AUDIT_READ = "audit:read"


P = Permission

_READ = frozenset({P.TENANT_READ, P.USAGE_READ, P.BRANDS_READ, P.CAMPAIGNS_READ, P.CREATIVES_READ})
_VIEWER = _READ | {P.MEMBERS_READ}
_EDITOR = _VIEWER | {P.CAMPAIGNS_WRITE, P.CREATIVES_REVIEW, P.GENERATE, P.METRICS_WRITE}
_ADMIN = _EDITOR | {
    P.MEMBERS_WRITE,
    P.INVITATIONS_READ,
    P.INVITATIONS_WRITE,
    P.API_KEYS_READ,
    P.API_KEYS_WRITE,
    P.BRANDS_WRITE,
    P.AUDIT_READ,
}
_OWNER = _ADMIN | {P.TENANT_WRITE}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.VIEWER: frozenset(_VIEWER),
    Role.EDITOR: frozenset(_EDITOR),
    Role.ADMIN: frozenset(_ADMIN),
    Role.OWNER: frozenset(_OWNER),
}

# An `admin` key can do what an admin member can, except mint or revoke keys and manage people:
# a leaked integration key must not be able to entrench itself.
SCOPE_PERMISSIONS: dict[Scope, frozenset[Permission]] = {
    Scope.READ: _READ,
    Scope.GENERATE: frozenset({P.GENERATE, P.CAMPAIGNS_WRITE}),
    Scope.METRICS_WRITE: frozenset({P.METRICS_WRITE}),
    Scope.ADMIN: frozenset(_ADMIN - {P.API_KEYS_WRITE, P.MEMBERS_WRITE, P.INVITATIONS_WRITE}),
}


def permissions_for_role(role: Role) -> frozenset[Permission]:
    return ROLE_PERMISSIONS[role]


def permissions_for_scopes(scopes: list[Scope] | list[str]) -> frozenset[Permission]:
    granted: set[Permission] = set()
    for scope in scopes:
        granted |= SCOPE_PERMISSIONS[Scope(scope)]
    return frozenset(granted)


def roles_an_actor_may_grant(actor: Role) -> frozenset[Role]:
    """Admins manage editors and viewers (and other admins); only owners create owners."""
    if actor is Role.OWNER:
        return frozenset(Role)
    if actor is Role.ADMIN:
        return frozenset({Role.ADMIN, Role.EDITOR, Role.VIEWER})
    return frozenset()


def matrix_markdown() -> str:
    """The role/scope x permission table, as published in AUTHORIZATION.md."""
    roles = list(Role)
    scopes = list(Scope)
    header = ["permission", *[r.value for r in roles], *[f"key:{s.value}" for s in scopes]]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for perm in Permission:
        cells = ["yes" if perm in ROLE_PERMISSIONS[r] else "-" for r in roles]
        cells += ["yes" if perm in SCOPE_PERMISSIONS[s] else "-" for s in scopes]
        lines.append(f"| `{perm.value}` | " + " | ".join(cells) + " |")
    return "\n".join(lines)
