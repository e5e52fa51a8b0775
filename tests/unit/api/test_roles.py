"""The authorization matrix: properties the policy promises, and its published copy."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from adgenius.api.app import route_table
from adgenius.api.routing import Access
from adgenius.tenancy.roles import (
    ROLE_PERMISSIONS,
    SCOPE_PERMISSIONS,
    Permission,
    Role,
    Scope,
    matrix_markdown,
    roles_an_actor_may_grant,
)

DOC = Path(__file__).resolve().parents[3] / "shared/adgenius/api/AUTHORIZATION.md"


def test_roles_are_nested() -> None:
    order = [Role.VIEWER, Role.EDITOR, Role.ADMIN, Role.OWNER]
    for lower, higher in itertools.pairwise(order):
        assert ROLE_PERMISSIONS[lower] < ROLE_PERMISSIONS[higher], (lower, higher)


def test_viewer_only_reads() -> None:
    assert all(p.value.endswith(":read") for p in ROLE_PERMISSIONS[Role.VIEWER]), ROLE_PERMISSIONS[
        Role.VIEWER
    ]


@pytest.mark.parametrize(
    "permission",
    [
        Permission.API_KEYS_WRITE,
        Permission.MEMBERS_WRITE,
        Permission.INVITATIONS_WRITE,
        Permission.TENANT_WRITE,
    ],
)
def test_no_key_scope_can_manage_people_or_keys(permission: Permission) -> None:
    assert all(permission not in perms for perms in SCOPE_PERMISSIONS.values())


def test_read_scope_cannot_change_anything() -> None:
    assert all(p.value.endswith(":read") for p in SCOPE_PERMISSIONS[Scope.READ])


def test_only_owners_grant_owner() -> None:
    assert Role.OWNER in roles_an_actor_may_grant(Role.OWNER)
    assert Role.OWNER not in roles_an_actor_may_grant(Role.ADMIN)
    assert roles_an_actor_may_grant(Role.EDITOR) == frozenset()


def test_every_tenant_route_declares_a_permission() -> None:
    _, routes = route_table()
    for route in routes.values():
        if route.access is Access.TENANT:
            assert route.permission is not None, route.path
        else:
            assert route.permission is None, route.path


def test_published_matrix_matches_code() -> None:
    assert matrix_markdown() in DOC.read_text(), (
        "AUTHORIZATION.md is stale: paste `python -m adgenius.api.docs` output into it"
    )


def test_published_route_table_is_true() -> None:
    """Every endpoint row in AUTHORIZATION.md states what the code enforces. (Rows for routes
    added later are appended by re-running `python -m adgenius.api.docs`; a missing row does not
    fail here, so other teams can add routes without editing this document.)"""
    from adgenius.api.docs import routes_markdown

    current = set(routes_markdown().splitlines()[2:])
    documented = [line for line in DOC.read_text().splitlines() if line.startswith("| `")]
    rows = [
        line
        for line in documented
        if line.split("`")[1].split(" ")[0] in {"GET", "POST", "PUT", "PATCH", "DELETE"}
    ]
    assert rows, "no endpoint rows found"
    stale = [row for row in rows if row not in current]
    assert not stale, f"AUTHORIZATION.md rows that no longer hold: {stale}"
