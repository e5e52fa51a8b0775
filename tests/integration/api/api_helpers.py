"""Test helpers: real users in the Auth emulator and an HTTP client for the API."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx

_counter = itertools.count()


class AuthEmulator:
    """Sign users up and in through the Auth emulator's REST API, like the web SDK does."""

    def __init__(self, host: str, project_id: str) -> None:
        self.base = f"http://{host}"
        self.project_id = project_id
        self.http = httpx.Client(timeout=10)

    def _post(self, path: str, body: dict[str, Any], admin: bool = False) -> dict[str, Any]:
        headers = {"Authorization": "Bearer owner"} if admin else {}
        response = self.http.post(f"{self.base}{path}", json=body, headers=headers)
        response.raise_for_status()
        return response.json()

    def sign_up(self, email: str, password: str = "password-123", verified: bool = True) -> str:
        data = self._post(
            "/identitytoolkit.googleapis.com/v1/accounts:signUp?key=fake-key",
            {"email": email, "password": password, "returnSecureToken": True},
        )
        if verified:
            self._post(
                f"/identitytoolkit.googleapis.com/v1/projects/{self.project_id}/accounts:update",
                {"localId": data["localId"], "emailVerified": True},
                admin=True,
            )
        return data["localId"]

    def id_token(self, email: str, password: str = "password-123") -> str:
        """A fresh ID token (carrying the current custom claims)."""
        data = self._post(
            "/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=fake-key",
            {"email": email, "password": password, "returnSecureToken": True},
        )
        return data["idToken"]


def unique_email(label: str) -> str:
    return f"{label}-{next(_counter)}-{uuid.uuid4().hex[:8]}@example.com"


@dataclass
class Api:
    """An API caller: a user (ID token) or an integration (API key), or nobody."""

    base_url: str
    token: str | None = None
    api_key: str | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.http = httpx.Client(base_url=self.base_url, timeout=30)

    def _headers(self, extra: dict[str, str] | None) -> dict[str, str]:
        out = dict(self.headers)
        if self.token:
            out["Authorization"] = f"Bearer {self.token}"
        if self.api_key:
            out["X-API-Key"] = self.api_key
        out.update(extra or {})
        return out

    def request(
        self, method: str, path: str, *, headers: dict[str, str] | None = None, **kw: Any
    ) -> httpx.Response:
        return self.http.request(method, path, headers=self._headers(headers), **kw)

    def get(self, path: str, **kw: Any) -> httpx.Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, json: Any = None, **kw: Any) -> httpx.Response:
        return self.request("POST", path, json=json, **kw)

    def patch(self, path: str, json: Any = None, **kw: Any) -> httpx.Response:
        return self.request("PATCH", path, json=json, **kw)

    def put(self, path: str, **kw: Any) -> httpx.Response:
        return self.request("PUT", path, **kw)

    def delete(self, path: str, **kw: Any) -> httpx.Response:
        return self.request("DELETE", path, **kw)


@dataclass
class Org:
    """A tenant with one member per role, a brand-limited editor, API keys per scope, two brands
    with a campaign each, and creatives written through the pipeline's write path."""

    tenant_id: str
    users: dict[str, Api]  # owner, admin, editor, viewer, limited (editor of brand_a only)
    uids: dict[str, str]
    keys: dict[str, Api]  # one per scope: read, generate, metrics:write, admin
    brand_a: str
    brand_b: str
    campaign_a: str
    campaign_b: str
    creative_a: str  # brand a, image with one 1:1 asset
    creative_b: str  # brand b, copy
    asset_a: str
    name: str


def join(
    auth: AuthEmulator, base_url: str, inviter: Api, role: str, **extra: Any
) -> tuple[Api, str]:
    """Sign up a new user and bring them into the inviter's tenant with `role`."""
    email = unique_email(role)
    uid = auth.sign_up(email)
    response = inviter.post("/v1/invitations", {"email": email, "role": role, **extra})
    assert response.status_code == 201, response.text
    user = Api(base_url, token=auth.id_token(email))
    accepted = user.post(f"/v1/invitations/{response.json()['id']}/accept")
    assert accepted.status_code == 200, accepted.text
    user.token = auth.id_token(email)  # refreshed: now carries tenant_id/role claims
    return user, uid


def make_org(auth: AuthEmulator, base_url: str, label: str = "acme") -> Org:
    from adgenius.domain.creatives import (
        Asset,
        Creative,
        CreativeKind,
        CreativeStatus,
        save_asset,
        save_creative,
    )
    from adgenius.tenancy.store import new_id, now

    email = unique_email(f"{label}-owner")
    owner_uid = auth.sign_up(email)
    owner = Api(base_url, token=auth.id_token(email))
    name = f"{label} {uuid.uuid4().hex[:6]}"
    created = owner.post("/v1/tenants", {"name": name, "plan": "pro"})
    assert created.status_code == 201, created.text
    tenant_id = created.json()["id"]
    owner.token = auth.id_token(email)

    brands = []
    for brand_name in (f"{label} brand A", f"{label} brand B"):
        r = owner.post("/v1/brands", {"name": brand_name, "kit": {"voice": "warm"}})
        assert r.status_code == 201, r.text
        brands.append(r.json()["id"])
    campaigns = []
    for brand_id in brands:
        r = owner.post(
            "/v1/campaigns",
            {
                "brand_id": brand_id,
                "name": f"{label} launch",
                "objective": "sales",
                "offer": "Trail shoes",
                "platforms": ["meta", "google_rsa"],
            },
        )
        assert r.status_code == 201, r.text
        campaigns.append(r.json()["id"])

    users = {"owner": owner}
    uids = {"owner": owner_uid}
    for role in ("admin", "editor", "viewer"):
        users[role], uids[role] = join(auth, base_url, owner, role)
    users["limited"], uids["limited"] = join(auth, base_url, owner, "editor", brand_ids=[brands[0]])

    keys = {}
    for scope in ("read", "generate", "metrics:write", "admin"):
        r = owner.post("/v1/api-keys", {"name": f"{scope} key", "scopes": [scope]})
        assert r.status_code == 201, r.text
        keys[scope] = Api(base_url, api_key=r.json()["key"])

    creative_ids = []
    stamp = now()
    for brand_id, campaign_id, kind in (
        (brands[0], campaigns[0], CreativeKind.IMAGE),
        (brands[1], campaigns[1], CreativeKind.COPY),
    ):
        creative = Creative(
            id=new_id(),
            tenant_id=tenant_id,
            brand_id=brand_id,
            campaign_id=campaign_id,
            kind=kind,
            platform="meta",
            status=CreativeStatus.DRAFT,
            content={"headline": f"{label} secret headline"},
            engine="local",
            model="local-copy",
            prompt_version="meta@v1",
            created_at=stamp,
            updated_at=stamp,
        )
        save_creative(creative)
        creative_ids.append(creative.id)
    asset = Asset(
        id=new_id(),
        tenant_id=tenant_id,
        creative_id=creative_ids[0],
        brand_id=brands[0],
        kind=CreativeKind.IMAGE,
        ratio="1:1",
        width=512,
        height=512,
        storage_path=f"tenants/{tenant_id}/creatives/{creative_ids[0]}/1x1.png",
        content_type="image/png",
        bytes=1234,
    )
    save_asset(asset)
    return Org(
        tenant_id=tenant_id,
        users=users,
        uids=uids,
        keys=keys,
        brand_a=brands[0],
        brand_b=brands[1],
        campaign_a=campaigns[0],
        campaign_b=campaigns[1],
        creative_a=creative_ids[0],
        creative_b=creative_ids[1],
        asset_a=asset.id,
        name=name,
    )
