"""A tenant's plan changes, and its deletion: access ends at once, then every byte goes."""

from __future__ import annotations

import io
import time

import httpx
from api_helpers import Api, AuthEmulator, Org, make_org
from PIL import Image

from adgenius.cloud import messaging
from adgenius.cloud.clients import storage_client
from adgenius.pipeline import tenant_purge
from adgenius.settings import get_settings
from adgenius.tenancy import deletion, limits, store


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (64, 64), "orange").save(buf, "PNG")
    return buf.getvalue()


def test_owners_change_the_plan_and_its_quotas_follow(new_org: Org) -> None:
    owner, admin = new_org.users["owner"], new_org.users["admin"]
    before = owner.get("/v1/tenant").json()
    assert before["plan"] == "pro"
    assert admin.patch("/v1/tenant", {"plan": "enterprise"}).status_code == 403
    bad = owner.patch("/v1/tenant", {"plan": "platinum"})
    assert bad.status_code == 400 and bad.json()["error"]["details"][0]["field"] == "plan"

    changed = owner.patch("/v1/tenant", {"plan": "enterprise", "name": "Renamed"})
    assert changed.status_code == 200, changed.text
    assert changed.json()["plan"] == "enterprise" and changed.json()["name"] == "Renamed"
    assert changed.json()["quotas"]["images"] > before["quotas"]["images"]
    assert limits.quotas_for(new_org.tenant_id).images == changed.json()["quotas"]["images"]
    assert owner.get("/v1/audit").json()["items"][0]["action"] == "tenant.updated"


def _blobs(tenant_id: str) -> list[str]:
    bucket = get_settings().bucket
    return [b.name for b in storage_client().list_blobs(bucket, prefix=f"tenants/{tenant_id}/")]


def _wait_indexed(owner: Api) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if owner.get("/v1/search", params={"q": "secret headline"}).json().get("items"):
            return
        time.sleep(0.3)
    raise AssertionError("the creatives never reached brand memory")


def _wait_purged(tenant_id: str) -> dict:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        tombstone = deletion.tombstone_of(tenant_id) or {}
        if tombstone.get("status") == "purged":
            return tombstone
        time.sleep(0.3)
    raise AssertionError(f"not purged: {deletion.tombstone_of(tenant_id)}")


def test_deleting_a_tenant_ends_access_then_purges_everything(
    auth: AuthEmulator, api_url: str, other: Org
) -> None:
    org = make_org(auth, api_url, "doomed")
    owner, admin, t = org.users["owner"], org.users["admin"], org.tenant_id
    owner_email = owner.get("/v1/me").json()["email"]
    assert owner.put(f"/v1/brands/{org.brand_a}/logo", content=_png()).status_code == 200
    _wait_indexed(owner)
    assert _blobs(t), "the logo should be in Storage"

    # Only owners, and only with the tenant's name.
    assert admin.request("DELETE", "/v1/tenant", json={"confirm": org.name}).status_code == 403
    wrong = owner.request("DELETE", "/v1/tenant", json={"confirm": "something else"})
    assert wrong.status_code == 400
    assert wrong.json()["error"]["details"][0]["field"] == "confirm"
    assert owner.request("DELETE", "/v1/tenant").status_code == 400  # no body
    assert owner.get("/v1/tenant").status_code == 200  # nothing happened

    accepted = owner.request("DELETE", "/v1/tenant", json={"confirm": org.name})
    assert accepted.status_code == 202, accepted.text
    assert accepted.json() == {"tenant_id": t, "status": "deleting"}

    # Access ends at once, for members and API keys alike.
    for caller in [owner, admin, org.users["viewer"], org.keys["read"], org.keys["admin"]]:
        assert caller.get("/v1/brands").status_code in (401, 403)

    tombstone = _wait_purged(t)
    assert tombstone["blobs"] >= 1 and tombstone["points"] >= 2 and tombstone["documents"] > 10
    assert not store.tenant_ref(t).get().exists
    assert list(store.tenant_ref(t).collections()) == []
    assert _blobs(t) == []
    for index in (store.API_KEY_INDEX, store.INVITATION_INDEX, store.IDEMPOTENCY):
        leftovers = store.db().collection(index).where("tenant_id", "==", t).limit(1).get()
        assert list(leftovers) == [], index
    for uid in org.uids.values():
        assert not store.db().collection(store.USERS).document(uid).get().exists

    # The former owner is a user without a tenant and may start again.
    owner.token = auth.id_token(owner_email)
    assert owner.get("/v1/me").json()["tenant_id"] is None
    assert owner.post("/v1/tenants", {"name": "Fresh start"}).status_code == 201

    # A purge message delivered again changes nothing; another tenant is untouched.
    messaging.publish(deletion.PURGE_TOPIC, deletion.TenantPurge(tenant_id=t))
    deadline = time.monotonic() + 30
    while (deletion.tombstone_of(t) or {})["purged_at"] == tombstone["purged_at"]:
        assert time.monotonic() < deadline, "the second purge never ran"
        time.sleep(0.3)
    again = deletion.tombstone_of(t) or {}
    assert {k: again[k] for k in ("blobs", "points", "documents")} == {
        k: tombstone[k] for k in ("blobs", "points", "documents")
    }
    rival = other.users["owner"]
    assert rival.get(f"/v1/brands/{other.brand_a}").status_code == 200
    assert rival.get(f"/v1/creatives/{other.creative_a}").status_code == 200


def test_the_sweeper_purges_a_deleted_tenant_once_more_later(
    auth: AuthEmulator, api_url: str, stack
) -> None:
    """What work in flight wrote after the purge (here: a file) goes in the second purge."""
    org = make_org(auth, api_url, "late")
    t = org.tenant_id
    owner = org.users["owner"]
    accepted = owner.request("DELETE", "/v1/tenant", json={"confirm": org.name})
    assert accepted.status_code == 202
    first = _wait_purged(t)
    assert first["recheck_after"] > first["purged_at"]
    late = f"tenants/{t}/creatives/late/late.png"
    storage_client().bucket(get_settings().bucket).blob(late).upload_from_string(_png())

    store.db().collection(deletion.TOMBSTONES).document(t).update(
        {"recheck_after": store.now()}  # as if RECHECK_AFTER had passed
    )
    swept = httpx.post(f"{stack.functions_base_url}/jobs_sweeper", timeout=60).json()
    assert swept["tenant_rechecks"] >= 1
    deadline = time.monotonic() + 30
    while (deletion.tombstone_of(t) or {})["purged_at"] == first["purged_at"]:
        assert time.monotonic() < deadline, "the second purge never ran"
        time.sleep(0.3)
    assert _blobs(t) == []
    after = deletion.tombstone_of(t) or {}
    assert after["rechecked"] is True and "recheck_after" not in after
    assert after["blobs"] == first["blobs"] + 1


def test_a_purge_without_a_deletion_request_is_refused(new_org: Org) -> None:
    """A stray or forged purge message can never delete a live tenant."""
    report = tenant_purge.purge(new_org.tenant_id)
    assert report.status == "skipped"
    assert new_org.users["owner"].get("/v1/tenant").status_code == 200
    assert new_org.users["owner"].get(f"/v1/brands/{new_org.brand_a}").status_code == 200
