"""Access ends at once for the web client's direct Firestore reads, not only for the API.

Each test keeps an ID token minted (by the Auth emulator) before a change made through the API,
then reads the local stack's Firestore emulator, which runs the real firestore.rules, with it.
The token's custom claims still say what was true before; the rules must not believe them.
"""

from __future__ import annotations

import httpx
import pytest
from api_helpers import Org


class WebReader:
    """Reads Firestore over REST as the web SDK would, with one user's ID token."""

    def __init__(self, stack, token: str | None) -> None:
        self.root = (
            f"http://{stack.firestore_emulator}/v1/projects/{stack.project_id}"
            "/databases/(default)/documents"
        )
        self.http = httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=10)

    def get(self, path: str) -> int:
        return self.http.get(f"{self.root}/{path}").status_code

    def list(self, path: str) -> int:
        parent, _, collection = path.rpartition("/")
        query = {"structuredQuery": {"from": [{"collectionId": collection}], "limit": 5}}
        return self.http.post(f"{self.root}/{parent}:runQuery", json=query).status_code


@pytest.fixture
def reader(stack):
    return lambda token: WebReader(stack, token)


def test_a_removed_member_reads_nothing_with_the_token_it_still_holds(new_org: Org, reader) -> None:
    t, editor = new_org.tenant_id, new_org.users["editor"]
    web = reader(editor.token)
    reads = (
        lambda: web.get(f"tenants/{t}/brands/{new_org.brand_a}"),
        lambda: web.list(f"tenants/{t}/creatives"),
        lambda: web.list(f"tenants/{t}/members"),
    )
    assert [r() for r in reads] == [200, 200, 200]
    removed = new_org.users["owner"].delete(f"/v1/members/{new_org.uids['editor']}")
    assert removed.status_code == 204, removed.text
    assert [r() for r in reads] == [403, 403, 403]


def test_a_demoted_admin_no_longer_reads_api_keys_or_audit(new_org: Org, reader) -> None:
    t = new_org.tenant_id
    web = reader(new_org.users["admin"].token)
    assert (web.list(f"tenants/{t}/api_keys"), web.list(f"tenants/{t}/audit")) == (200, 200)
    demoted = new_org.users["owner"].patch(
        f"/v1/members/{new_org.uids['admin']}", {"role": "viewer"}
    )
    assert demoted.status_code == 200, demoted.text
    assert (web.list(f"tenants/{t}/api_keys"), web.list(f"tenants/{t}/audit")) == (403, 403)
    assert web.get(f"tenants/{t}/brands/{new_org.brand_a}") == 200


def test_a_member_limited_to_a_brand_later_loses_the_other_brand(new_org: Org, reader) -> None:
    t = new_org.tenant_id
    web = reader(new_org.users["editor"].token)
    other_brand = (
        lambda: web.get(f"tenants/{t}/brands/{new_org.brand_b}"),
        lambda: web.get(f"tenants/{t}/creatives/{new_org.creative_b}"),
        lambda: web.list(f"tenants/{t}/creatives"),
    )
    assert [r() for r in other_brand] == [200, 200, 200]
    limited = new_org.users["owner"].patch(
        f"/v1/members/{new_org.uids['editor']}", {"brand_ids": [new_org.brand_a]}
    )
    assert limited.status_code == 200, limited.text
    assert [r() for r in other_brand] == [403, 403, 403]
    assert web.get(f"tenants/{t}/creatives/{new_org.creative_a}") == 200


def test_the_owner_of_a_deleted_tenant_reads_nothing_right_after_the_202(
    new_org: Org, reader
) -> None:
    t, owner = new_org.tenant_id, new_org.users["owner"]
    web = reader(owner.token)
    assert web.get(f"tenants/{t}/creatives/{new_org.creative_a}") == 200
    accepted = owner.request("DELETE", "/v1/tenant", json={"confirm": new_org.name})
    assert accepted.status_code == 202, accepted.text
    assert web.get(f"tenants/{t}/creatives/{new_org.creative_a}") == 403
    assert web.list(f"tenants/{t}/brands") == 403
    assert web.get(f"tenants/{t}") == 403
