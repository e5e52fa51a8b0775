"""Every creating route, retried after a crash: the first attempt wrote its document and died
before it recorded the answer under the Idempotency-Key (and, the worst case, before its audit
entry). The retry answers the same resource, writes no second one, and the audit entry is there
exactly once.

The crash is made deterministic by writing the half-done state directly: the idempotency record
set back to `pending` long enough ago to belong to a dead process, and the audit entry removed.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from api_helpers import Api, AuthEmulator, Org, make_org, unique_email
from google.cloud.firestore_v1.base_query import FieldFilter

from adgenius.analytics.experiments.service import EXPERIMENTS
from adgenius.analytics.imports import IMPORTS
from adgenius.domain.brand_assets import BRAND_ASSETS
from adgenius.domain.creatives import Creative, CreativeKind, CreativeStatus, save_creative
from adgenius.exports.service import EXPORTS
from adgenius.rag.documents import DOCUMENTS
from adgenius.tenancy import store
from adgenius.testing import sample_media as samples


@pytest.fixture(scope="module")
def crash_org(auth: AuthEmulator, api_url: str) -> Org:
    return make_org(auth, api_url, "crash")


def _crash_after_write(uid: str, method: str, path: str, key: str) -> None:
    """Leave the request's record as a process that died before recording its answer does."""
    record_id = hashlib.sha256("\x1f".join([f"user:{uid}", method, path, key]).encode())
    ref = store.db().collection(store.IDEMPOTENCY).document(record_id.hexdigest())
    assert ref.get().get("state") == "done"
    ref.update({"state": "pending", "created_at": datetime.now(UTC) - timedelta(hours=1)})


def _audit(tenant_id: str, action: str, target: str) -> list[Any]:
    entries = store.tenant_collection(tenant_id, store.AUDIT)
    matching = entries.where(filter=FieldFilter("action", "==", action)).stream()
    return [e for e in matching if e.get("target") == target]


def _two_creatives(org: Org) -> list[str]:
    ids = []
    for _ in range(2):
        stamp = store.now()
        creative = Creative(
            id=store.new_id(), tenant_id=org.tenant_id, brand_id=org.brand_a,
            campaign_id=org.campaign_a, kind=CreativeKind.COPY, platform="google_rsa",
            status=CreativeStatus.APPROVED, content={"headlines": ["Run further"]},
            created_at=stamp, updated_at=stamp,
        )  # fmt: skip
        save_creative(creative)
        ids.append(creative.id)
    return ids


@dataclass
class Case:
    """One creating route: the request, where its documents land, its audit entry."""

    path: Callable[[Org], str]
    request: Callable[[Org, str], dict[str, Any]]  # httpx keyword arguments
    collection: str
    status: int = 201
    audit: tuple[str, Callable[[Org, dict[str, Any]], str]] | None = None
    ids: Callable[[dict[str, Any]], list[str]] = field(default=lambda body: [body["id"]])
    where: Callable[[Org], tuple[str, str] | None] = field(default=lambda org: None)


CAMPAIGN = {"objective": "sales", "offer": "Trail shoes", "platforms": ["meta"]}
CASES = {
    "brand": Case(
        lambda o: "/v1/brands",
        lambda o, m: {"json": {"name": m}},
        store.BRANDS,
        audit=("brand.created", lambda o, b: f"brands/{b['id']}"),
    ),
    "campaign": Case(
        lambda o: "/v1/campaigns",
        lambda o, m: {"json": {**CAMPAIGN, "name": m, "brand_id": o.brand_a}},
        store.CAMPAIGNS,
        audit=("campaign.created", lambda o, b: f"campaigns/{b['id']}"),
    ),
    "api key": Case(
        lambda o: "/v1/api-keys",
        lambda o, m: {"json": {"name": m, "scopes": ["read"]}},
        store.API_KEYS,
        audit=("api_key.created", lambda o, b: f"api_keys/{b['id']}"),
    ),
    "invitation": Case(
        lambda o: "/v1/invitations",
        lambda o, m: {"json": {"email": f"{m}@example.com", "role": "viewer"}},
        store.INVITATIONS,
        audit=("invitation.created", lambda o, b: f"invitations/{b['id']}"),
    ),
    "experiment": Case(
        lambda o: "/v1/experiments",
        lambda o, m: {
            "json": {
                "campaign_id": o.campaign_a,
                "name": m,
                "metric": "ctr",
                "arms": [{"creative_id": c} for c in _two_creatives(o)],
            }
        },
        EXPERIMENTS,
        audit=("experiment.created", lambda o, b: f"experiments/{b['id']}"),
    ),
    "export": Case(
        lambda o: f"/v1/campaigns/{o.campaign_a}/exports",
        lambda o, m: {"json": {"format": "meta"}},
        EXPORTS,
        status=202,
    ),
    "job": Case(
        lambda o: f"/v1/campaigns/{o.campaign_a}/jobs",
        lambda o, m: {"json": {"kind": "copy_batch", "platforms": ["meta"], "variants": 1}},
        "jobs",
        status=202,
    ),
    "regenerate": Case(
        lambda o: f"/v1/creatives/{o.creative_a}/regenerate",
        lambda o, m: {"json": {"comment": m}},
        "jobs",
        status=202,
    ),
    "copy": Case(
        lambda o: f"/v1/campaigns/{o.campaign_b}/copy",
        lambda o, m: {"json": {"platform": "meta", "variants": 2, "audience": m}},
        store.CREATIVES,
        audit=("copy.generated", lambda o, b: f"campaigns/{o.campaign_b}"),
        ids=lambda body: body["creative_ids"],
        where=lambda o: ("campaign_id", o.campaign_b),
    ),
    "document": Case(
        lambda o: f"/v1/brands/{o.brand_a}/documents",
        lambda o, m: {
            "content": f"Brand voice {m}: warm, short sentences.".encode(),
            "headers": {"Content-Type": "text/plain"},
        },
        DOCUMENTS,
        audit=("document.added", lambda o, b: f"documents/{b['id']}"),
    ),
    "asset": Case(
        lambda o: f"/v1/brands/{o.brand_a}/assets",
        lambda o, m: {
            "content": samples.encode(samples.product_photo("mug", size=(320, 240)), "PNG"),
            "headers": {"Content-Type": "image/png"},
            "params": {"kind": "product", "caption": m},
        },
        BRAND_ASSETS,
        audit=("brand_asset.added", lambda o, b: f"{BRAND_ASSETS}/{b['id']}"),
    ),
    "metric import": Case(
        lambda o: "/v1/metrics/imports",
        lambda o, m: {
            "content": f"Day,Ad ID,Impressions,Clicks\n2026-11-01,{m},5,1\n".encode(),
            "headers": {"Content-Type": "text/csv"},
        },
        IMPORTS,
        status=202,
        audit=("metrics.import_started", lambda o, b: f"metric_imports/{b['id']}"),
    ),
}


def _count(org: Org, case: Case) -> int:
    query: Any = store.tenant_collection(org.tenant_id, case.collection)
    if (where := case.where(org)) is not None:
        query = query.where(filter=FieldFilter(where[0], "==", where[1]))
    return sum(1 for _ in query.select([]).stream())


@pytest.mark.parametrize("name", list(CASES))
def test_a_retry_after_a_crash_answers_the_first_attempts_resource(
    crash_org: Org, name: str
) -> None:
    case, owner = CASES[name], crash_org.users["owner"]
    path, marker = case.path(crash_org), f"crash-{uuid.uuid4().hex[:8]}"
    request = case.request(crash_org, marker)
    key = uuid.uuid4().hex
    request["headers"] = {**request.get("headers", {}), "Idempotency-Key": key}
    before = _count(crash_org, case)

    first = owner.request("POST", path, **request)
    assert first.status_code == case.status, first.text
    ids = case.ids(first.json())
    assert ids
    target = case.audit[1](crash_org, first.json()) if case.audit else ""
    if case.audit:  # the worst case: the process died before its audit entry, too
        for entry in _audit(crash_org.tenant_id, case.audit[0], target):
            entry.reference.delete()
    _crash_after_write(crash_org.uids["owner"], "POST", path, key)

    retry = owner.request("POST", path, **request)
    assert retry.status_code == case.status, retry.text
    assert retry.headers.get("Idempotent-Replayed") is None  # run again, not replayed
    assert case.ids(retry.json()) == ids
    assert _count(crash_org, case) == before + len(ids)
    if case.audit:
        assert len(_audit(crash_org.tenant_id, case.audit[0], target)) == 1
    if name == "api key":
        # The first run's secret never reached the client; the retry's is the one that works.
        assert retry.json()["key"] != first.json()["key"]
        for answer, status in ((retry, 200), (first, 401)):
            caller = Api(owner.base_url, api_key=answer.json()["key"])
            assert caller.get("/v1/brands").status_code == status

    # And the answer the retry recorded is what a third attempt replays.
    again = owner.request("POST", path, **request)
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert case.ids(again.json()) == ids


def test_a_sign_up_retried_after_a_crash_makes_one_tenant(auth: AuthEmulator, api_url: str) -> None:
    email = unique_email("crash-signup")
    uid = auth.sign_up(email)
    user = Api(api_url, token=auth.id_token(email))
    key = {"Idempotency-Key": uuid.uuid4().hex}
    first = user.post("/v1/tenants", {"name": "Crash Co"}, headers=key)
    assert first.status_code == 201, first.text
    tenant_id = first.json()["id"]
    for entry in _audit(tenant_id, "tenant.created", f"tenants/{tenant_id}"):
        entry.reference.delete()
    _crash_after_write(uid, "POST", "/v1/tenants", key["Idempotency-Key"])
    # The retry may carry a token refreshed meanwhile (it names the tenant the first run made).
    user.token = auth.id_token(email)
    retry = user.post("/v1/tenants", {"name": "Crash Co"}, headers=key)
    assert retry.status_code == 201, retry.text
    assert retry.json()["id"] == tenant_id
    assert len(_audit(tenant_id, "tenant.created", f"tenants/{tenant_id}")) == 1
    tenants = store.db().collection(store.TENANTS)
    owned = tenants.where(filter=FieldFilter("created_by", "==", uid)).stream()
    assert [t.id for t in owned] == [tenant_id]


def test_a_retry_after_a_failure_after_the_write_finds_what_the_failed_attempt_wrote(
    crash_org: Org,
) -> None:
    """Not a crash but an error after the write (a 503 from Pub/Sub after the document): the
    record keeps the failed attempt's ids for the same request, and only for it."""
    from adgenius.api.idempotency import StoredResponse, run_once
    from adgenius.tenancy.principal import Principal
    from adgenius.tenancy.roles import Role

    principal = Principal.member(
        uid=crash_org.uids["owner"], email=None, email_verified=True,
        tenant_id=crash_org.tenant_id, role=Role.OWNER, brand_ids=None,
    )  # fmt: skip
    probes = store.tenant_collection(crash_org.tenant_id, f"probe_{uuid.uuid4().hex[:8]}")

    def work(fail: bool) -> Callable[[], StoredResponse]:
        def run() -> StoredResponse:
            doc_id = store.new_id()
            store.create_once(probes.document(doc_id), {"tenant_id": crash_org.tenant_id})
            if fail:
                raise RuntimeError("the publish after the write failed")
            return StoredResponse(201, f'{{"id": "{doc_id}"}}', {})

        return run

    key = uuid.uuid4().hex
    with pytest.raises(RuntimeError):
        run_once(principal, key, "POST", "/v1/probe", b"same", work(fail=True))
    answer, replayed = run_once(principal, key, "POST", "/v1/probe", b"same", work(fail=False))
    assert not replayed
    assert [p.id for p in probes.stream()] == [answer.body.split('"')[3]]
    # Another body under the key after a failure is a new request: new ids, a second document.
    with pytest.raises(RuntimeError):
        run_once(principal, key + "x", "POST", "/v1/probe", b"one", work(fail=True))
    run_once(principal, key + "x", "POST", "/v1/probe", b"other", work(fail=False))
    assert len(list(probes.stream())) == 3
