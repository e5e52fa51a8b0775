"""POST /v1/campaigns/{id}/copy: synchronous copy generation through the generation engine."""

from __future__ import annotations

from api_helpers import Org

from adgenius.tenancy.limits import read_usage, reserve_quota


def test_generate_copy_saves_draft_creatives_and_counts_usage(new_org: Org) -> None:
    editor = new_org.users["editor"]
    before = read_usage(new_org.tenant_id)["text_calls"]
    response = editor.post(
        f"/v1/campaigns/{new_org.campaign_a}/copy",
        {"platform": "google_rsa", "variants": 2, "seed": 7},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    creatives = body["creatives"]
    assert len(creatives) + body["failed_variants"] == 2 and creatives
    for creative in creatives:
        assert creative["kind"] == "copy" and creative["status"] == "draft"
        assert creative["platform"] == "google_rsa"
        assert creative["campaign_id"] == new_org.campaign_a
        assert creative["brand_id"] == new_org.brand_a
        assert creative["content"]["headlines"], creative["content"]
        assert creative["engine"] and creative["prompt_version"]
    listed = editor.get(
        "/v1/creatives", params={"campaign_id": new_org.campaign_a, "kind": "copy"}
    ).json()["items"]
    assert {c["id"] for c in creatives} <= {c["id"] for c in listed}
    assert read_usage(new_org.tenant_id)["text_calls"] == before + 2
    assert body["creative_ids"] == [c["id"] for c in creatives]
    assert body["engine"] and body["model"] and body["prompt_version"]
    for variant, creative in zip(body["variants"], creatives, strict=True):
        assert variant["id"] == creative["id"]
        assert variant["fields"]["headlines"] == creative["content"]["headlines"]
        assert variant["limits"]["headlines"] == 30  # RSA headline limit
        assert all(len(h) <= 30 for h in variant["fields"]["headlines"]) or not variant["compliant"]


def test_copy_request_validation(org: Org) -> None:
    editor = org.users["editor"]
    path = f"/v1/campaigns/{org.campaign_a}/copy"
    for body, field in (
        ({}, "platform"),
        ({"platform": "google_pmax"}, "platform"),  # not targeted by the campaign
        ({"platform": "meta", "language": "fr"}, "language"),  # not a campaign language
        ({"platform": "meta", "language": "xx"}, "language"),
        ({"platform": "meta", "variants": 6}, "variants"),
        ({"platform": "meta", "temperature": 2}, "temperature"),
    ):
        response = editor.post(path, body)
        assert response.status_code == 400, (body, response.text)
        assert field in {d["field"] for d in response.json()["error"]["details"]}


def test_copy_permissions_and_isolation(org: Org, other: Org) -> None:
    body = {"platform": "meta"}
    assert org.users["viewer"].post(f"/v1/campaigns/{org.campaign_a}/copy", body).status_code == 403
    assert org.keys["read"].post(f"/v1/campaigns/{org.campaign_a}/copy", body).status_code == 403
    assert (
        org.users["limited"].post(f"/v1/campaigns/{org.campaign_b}/copy", body).status_code == 404
    )
    foreign = org.users["owner"].post(f"/v1/campaigns/{other.campaign_a}/copy", body)
    assert foreign.status_code == 404 and other.tenant_id not in foreign.text
    by_key = org.keys["generate"].post(f"/v1/campaigns/{org.campaign_a}/copy", body)
    assert by_key.status_code == 201, by_key.text


def test_copy_over_quota_is_402(new_org: Org) -> None:
    quota = new_org.users["owner"].get("/v1/usage").json()["quotas"]["text_calls"]
    reserve_quota(new_org.tenant_id, "text_calls", quota - 1)
    response = new_org.users["editor"].post(
        f"/v1/campaigns/{new_org.campaign_a}/copy", {"platform": "meta", "variants": 2}
    )
    assert response.status_code == 402
    assert response.json()["error"]["code"] == "quota_exceeded"
    assert int(response.headers["Retry-After"]) > 0
    assert read_usage(new_org.tenant_id)["text_calls"] == quota - 1  # nothing reserved
