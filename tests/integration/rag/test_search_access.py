"""Who sees what in /v1/search: tenants, brand-limited members, owners' re-index, bad input."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from rag_helpers import creatives_of_job, ids, search, wait_for_search

from adgenius.domain.creatives import Creative, CreativeKind, CreativeStatus, save_creative
from adgenius.localstack.auth_users import SignedInUser, sign_in, sign_up
from adgenius.localstack.stack import StackInfo
from adgenius.localstack.workspace import Workspace, create_workspace
from adgenius.rag.chunking import creative_text
from adgenius.tenancy.store import new_id, now

pytestmark = pytest.mark.integration

SATCHEL = "Hand-stitched waxed canvas satchel that shrugs off a monsoon commute"


# --------------------------------------------------------------------------------- tenants
def test_tenants_with_the_same_texts_never_see_each_others_creatives(stack: StackInfo) -> None:
    spaces = [create_workspace(stack) for _ in range(3)]
    jobs = {
        ws.tenant_id: ws.start_job({"kind": "copy_batch", "platforms": ["meta"]}) for ws in spaces
    }
    made: dict[str, set[str]] = {}
    job_texts = []
    for ws in spaces:
        assert ws.wait(jobs[ws.tenant_id], 120)["status"] == "succeeded"
        (generated,) = creatives_of_job(ws, jobs[ws.tenant_id])
        job_texts.append(creative_text(generated))
        # and one creative with exactly the same text in every tenant
        made[ws.tenant_id] = {generated["id"], _creative(ws, ws.brand_id, ws.campaign_id, SATCHEL)}
    # The job texts differ a little per tenant (the seed mixes in ids) but are near-duplicates.
    q_job = job_texts[0].splitlines()[0]

    for ws in spaces:
        own = made[ws.tenant_id]
        others = set().union(*(c for t, c in made.items() if t != ws.tenant_id))
        for q in (SATCHEL, q_job):
            result, _ = wait_for_search(ws, lambda r, own=own: own <= set(ids(r)), q=q, limit=50)
            assert not set(ids(result)) & others
            assert {h["creative"]["tenant_id"] for h in result["items"]} == {ws.tenant_id}
            assert result["dropped"] == 0
        # another tenant's brand id as a filter finds nothing, it does not cross over
        other = next(s for s in spaces if s is not ws)
        assert search(ws, q=SATCHEL, brand_id=other.brand_id, limit=50)["items"] == []


# ------------------------------------------------------------------------------ brands
@dataclass
class BrandsSetup:
    ws: Workspace
    brand_b: str
    creative_a: str
    creative_b: str
    limited: SignedInUser  # a viewer limited to brand B


def _verified_user(stack: StackInfo, email: str) -> SignedInUser:
    user = sign_up(stack.auth_emulator, email)
    r = httpx.post(
        f"http://{stack.auth_emulator}/identitytoolkit.googleapis.com/v1/projects/"
        f"{stack.project_id}/accounts:update",
        json={"localId": user.uid, "emailVerified": True},
        headers={"Authorization": "Bearer owner"},
        timeout=10,
    )
    r.raise_for_status()
    return sign_in(stack.auth_emulator, email)


def _creative(ws: Workspace, brand_id: str, campaign_id: str, text: str) -> str:
    stamp = now()
    creative = Creative(
        id=new_id(),
        tenant_id=ws.tenant_id,
        brand_id=brand_id,
        campaign_id=campaign_id,
        kind=CreativeKind.COPY,
        platform="meta",
        status=CreativeStatus.DRAFT,
        content={"headline": text, "primary_text": text},
        engine="local",
        created_at=stamp,
        updated_at=stamp,
    )
    save_creative(creative)  # the pipeline's write path: the trigger indexes it
    return creative.id


@pytest.fixture(scope="module")
def brands(stack: StackInfo) -> BrandsSetup:
    ws = create_workspace(stack)
    r = ws.call("POST", "/brands", json={"name": "Second brand", "kit": {"voice": "dry"}})
    assert r.status_code == 201, r.text
    brand_b = r.json()["id"]
    r = ws.call(
        "POST",
        "/campaigns",
        json={
            "brand_id": brand_b,
            "name": "B launch",
            "objective": "sales",
            "offer": "Bags",
            "platforms": ["meta"],
        },
    )
    assert r.status_code == 201, r.text
    campaign_b = r.json()["id"]
    creative_a = _creative(ws, ws.brand_id, ws.campaign_id, SATCHEL)
    creative_b = _creative(ws, brand_b, campaign_b, SATCHEL)

    email = f"limited-{uuid.uuid4().hex[:8]}@example.com"
    invited = ws.call(
        "POST", "/invitations", json={"email": email, "role": "viewer", "brand_ids": [brand_b]}
    )
    assert invited.status_code == 201, invited.text
    user = _verified_user(stack, email)
    accepted = httpx.post(
        f"{ws.v1}/invitations/{invited.json()['id']}/accept", headers=user.bearer, timeout=30
    )
    assert accepted.status_code == 200, accepted.text
    limited = sign_in(stack.auth_emulator, email)  # fresh token with tenant and role claims
    wait_for_search(ws, lambda r: {creative_a, creative_b} <= set(ids(r)), q=SATCHEL)
    return BrandsSetup(ws, brand_b, creative_a, creative_b, limited)


def _search_as(setup: BrandsSetup, user: SignedInUser, **params: Any) -> httpx.Response:
    return httpx.get(f"{setup.ws.v1}/search", params=params, headers=user.bearer, timeout=30)


def test_brand_limited_members_only_find_their_brands(brands: BrandsSetup) -> None:
    owner = ids(search(brands.ws, q=SATCHEL))
    assert {brands.creative_a, brands.creative_b} <= set(owner)

    r = _search_as(brands, brands.limited, q=SATCHEL)
    assert r.status_code == 200, r.text
    assert ids(r.json()) == [brands.creative_b]
    assert r.json()["dropped"] == 0  # the other brand is filtered in the index, not counted

    r = _search_as(brands, brands.limited, q=SATCHEL, brand_id=brands.ws.brand_id)
    assert r.status_code == 200 and r.json()["items"] == []


def test_reindex_rebuilds_the_tenant_from_firestore_for_owners_only(brands: BrandsSetup) -> None:
    r = brands.ws.call("POST", f"/creatives/{brands.creative_a}/approve")
    assert r.status_code == 200, r.text
    wait_for_search(
        brands.ws, lambda r: ids(r) == [brands.creative_a], q=SATCHEL, status="approved"
    )

    r = httpx.post(f"{brands.ws.v1}/search/reindex", headers=brands.limited.bearer, timeout=30)
    assert r.status_code == 403, r.text

    r = brands.ws.call("POST", "/search/reindex")
    assert r.status_code == 200, r.text
    assert r.json() == {"creatives": 2, "documents": 0, "points": 2}
    # straight after the rebuild (no trigger involved) the statuses come from Firestore
    assert ids(search(brands.ws, q=SATCHEL, status="approved")) == [brands.creative_a]
    assert ids(search(brands.ws, q=SATCHEL, status="draft")) == [brands.creative_b]


# ------------------------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "query.q"),
        ({"q": "   "}, "query.q"),
        ({"q": "x" * 501}, "query.q"),
        ({"q": "coffee", "colour": "red"}, "query.colour"),
        ({"q": "coffee", "type": "document"}, "query.type"),
        ({"q": "coffee", "status": "pending"}, "query.status"),
        ({"q": "coffee", "platform": "myspace"}, "query.platform"),
        ({"q": "coffee", "limit": "0"}, "query.limit"),
        ({"q": "coffee", "brand_id": "../x"}, "query.brand_id"),
    ],
)
def test_bad_search_input_gets_a_400_naming_the_field(
    brands: BrandsSetup, params: dict[str, str], field: str
) -> None:
    r = brands.ws.call("GET", "/search", params=params)
    assert r.status_code == 400, r.text
    assert field in [d["field"] for d in r.json()["error"]["details"]], r.json()
