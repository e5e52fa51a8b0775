"""Who is calling, and the one place that decides what they may do."""

from __future__ import annotations

from dataclasses import dataclass, field

from adgenius.tenancy.errors import NotFound, PermissionDenied
from adgenius.tenancy.roles import (
    Permission,
    Role,
    Scope,
    permissions_for_role,
    permissions_for_scopes,
)


@dataclass(frozen=True)
class Principal:
    """An authenticated caller: a signed-in user (maybe without a tenant yet) or an API key."""

    kind: str  # "user" | "api_key" | "system"
    uid: str | None = None
    email: str | None = None
    email_verified: bool = False
    tenant_id: str | None = None
    role: Role | None = None
    brand_ids: tuple[str, ...] | None = None  # None: every brand of the tenant
    api_key_id: str | None = None
    scopes: tuple[Scope, ...] = ()
    permissions: frozenset[Permission] = field(default_factory=frozenset)
    system_name: str | None = None  # kind "system": which part of the product acts

    @classmethod
    def member(
        cls,
        *,
        uid: str,
        email: str | None,
        email_verified: bool,
        tenant_id: str,
        role: Role,
        brand_ids: list[str] | None,
    ) -> Principal:
        return cls(
            kind="user",
            uid=uid,
            email=email,
            email_verified=email_verified,
            tenant_id=tenant_id,
            role=role,
            brand_ids=tuple(brand_ids) if brand_ids is not None else None,
            permissions=permissions_for_role(role),
        )

    @classmethod
    def api_key(cls, *, key_id: str, tenant_id: str, scopes: list[str]) -> Principal:
        parsed = tuple(Scope(s) for s in scopes)
        return cls(
            kind="api_key",
            tenant_id=tenant_id,
            api_key_id=key_id,
            scopes=parsed,
            permissions=permissions_for_scopes(list(parsed)),
        )

    @classmethod
    def system(cls, *, name: str, tenant_id: str, permissions: frozenset[Permission]) -> Principal:
        """The product acting on its own (the learning loop in `auto` mode): tenant-wide, only
        the permissions given, named in the audit log as `{"type": "system", "id": name}`."""
        return cls(kind="system", tenant_id=tenant_id, system_name=name, permissions=permissions)

    @property
    def actor(self) -> dict[str, str | None]:
        """How audit records name this caller."""
        if self.kind == "system":
            return {"type": "system", "id": self.system_name}
        if self.kind == "api_key":
            return {"type": "api_key", "id": self.api_key_id}
        return {"type": "user", "id": self.uid, "email": self.email}

    @property
    def subject(self) -> str:
        """Stable identity for idempotency records and rate windows."""
        if self.kind == "system":
            return f"system:{self.system_name}"
        return f"key:{self.api_key_id}" if self.kind == "api_key" else f"user:{self.uid}"

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions

    def require(self, permission: Permission) -> str:
        """Check a permission; returns the tenant id the caller acts in."""
        if self.tenant_id is None:
            # Signed in but not a member of any tenant: nothing to see yet.
            raise PermissionDenied("you are not a member of a tenant yet")
        if not self.can(permission):
            raise PermissionDenied(f"this action needs the '{permission.value}' permission")
        return self.tenant_id

    def sees_brand(self, brand_id: str | None) -> bool:
        return self.brand_ids is None or (brand_id is not None and brand_id in self.brand_ids)

    def require_brand(self, brand_id: str | None, what: str) -> None:
        """Brand-limited members get 404 for other brands' things, like other tenants' ids."""
        if not self.sees_brand(brand_id):
            raise NotFound(f"{what} not found")


ANONYMOUS_MESSAGE = "send 'Authorization: Bearer <Firebase ID token>' or 'X-API-Key: <key>'"
