"""Security rules matrix: principal x collection x operation x own/other tenant.

Every cell is asserted allowed or denied against the Firestore emulator running the real
firestore.rules. Expected outcomes come from the policy written down in `expected()` (and in
shared/adgenius/api/AUTHORIZATION.md): members read their tenant as their role allows, brand-
limited members only their brands' documents, nobody writes anything, server-only collections
are never readable.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import httpx
import pytest
from rules_rest import PROJECT, Firestore, id_token

OWN, OTHER = "t1", "t2"
OPS = ("get", "list", "create", "update", "delete")


def brand_a(t: str) -> str:
    return f"brandA-{t}"


def brand_b(t: str) -> str:
    return f"brandB-{t}"


# collection name -> (collection path for tenant t, id of the document read by `get`)
COLLECTIONS: dict[str, tuple[str, str]] = {
    "tenants": ("tenants", "{t}"),
    "members": ("tenants/{t}/members", "owner-{t}"),
    "brands": ("tenants/{t}/brands", "brandA-{t}"),
    "campaigns": ("tenants/{t}/campaigns", "campA"),
    "creatives": ("tenants/{t}/creatives", "crA"),
    "assets": ("tenants/{t}/assets", "asA"),
    "brand_assets": ("tenants/{t}/brand_assets", "baA"),
    "jobs": ("tenants/{t}/jobs", "jobA"),
    "job_items": ("tenants/{t}/jobs/jobA/items", "itemA"),
    "experiments": ("tenants/{t}/experiments", "expA"),
    "experiment_evaluation": ("tenants/{t}/experiments/expA/evaluation", "pending"),
    "usage": ("tenants/{t}/usage", "2026-11-0"),
    "invitations": ("tenants/{t}/invitations", "inv1"),
    "api_keys": ("tenants/{t}/api_keys", "agk_{t}"),
    "audit": ("tenants/{t}/audit", "ev1"),
    "rate_windows": ("tenants/{t}/rate_windows", "tenant-0-0"),
    "metric_imports": ("tenants/{t}/metric_imports", "imp1"),
    "import_chunks": ("tenants/{t}/metric_imports/imp1/chunks", "000000"),
    "metric_facts": ("tenants/{t}/metric_facts", "fact1"),
    "metric_rollups": ("tenants/{t}/metric_rollups", "roll1-0"),
    "exports": ("tenants/{t}/exports", "xpA"),
    "loop_candidates": ("tenants/{t}/loop_candidates", "lcA"),
    "loop_slots": ("tenants/{t}/loop_slots", "campA-2026-11-30-0"),
    "loop_checks": ("tenants/{t}/loop_checks", "campA"),
    "users": ("users", "owner-{t}"),
    "api_key_index": ("api_key_index", "agk_{t}"),
    "invitation_index": ("invitation_index", "inv-{t}"),
    "idempotency_keys": ("idempotency_keys", "key-{t}"),
}
BRAND_SCOPED = {
    "brands",
    "campaigns",
    "creatives",
    "assets",
    "brand_assets",
    "jobs",
    "experiments",
    "exports",
    "loop_candidates",
}
MANAGERS_ONLY = {"invitations", "api_keys", "audit"}
SERVER_ONLY = {
    "rate_windows",
    "users",
    "api_key_index",
    "invitation_index",
    "idempotency_keys",
    "experiment_evaluation",
    "import_chunks",
    "metric_facts",
    "metric_rollups",
    "loop_slots",
    "loop_checks",
}

# principal -> custom claims (None: no token at all). Rules read the member documents, not the
# claims: `seeded` writes each principal's member document to match its claims (a role, a brand
# limit), as the API does; test_stale_tokens covers the tokens whose claims are out of date.
PRINCIPALS: dict[str, dict | None] = {
    "owner": {"tenant_id": OWN, "role": "owner"},
    "admin": {"tenant_id": OWN, "role": "admin"},
    "editor": {"tenant_id": OWN, "role": "editor"},
    "viewer": {"tenant_id": OWN, "role": "viewer"},
    "brand_limited_editor": {"tenant_id": OWN, "role": "editor", "brand_ids": [brand_a(OWN)]},
    "unknown_role": {"tenant_id": OWN, "role": "superuser"},
    "signed_in_no_tenant": {},
    "anonymous": None,
}


def expected(principal: str, collection: str, op: str, own: bool) -> bool:
    claims = PRINCIPALS[principal]
    if op in {"create", "update", "delete"}:
        return False  # every write goes through the API
    if not claims or claims.get("role") not in {"owner", "admin", "editor", "viewer"}:
        return False
    if not own or collection in SERVER_ONLY:
        return False
    if collection == "tenants":
        return op == "get"  # a member reads its tenant document, never lists tenants
    if collection == "metric_imports" and "brand_ids" in claims:
        return False  # imports span brands: a limited member sees only its own uploads
    if collection in MANAGERS_ONLY:
        return claims["role"] in {"owner", "admin"}
    if collection in BRAND_SCOPED and "brand_ids" in claims:
        # The limited member may get its brand's document; an unfiltered list could include
        # other brands, so rules refuse it (the web app filters by brand_id; tested below).
        return op == "get"
    return True


def _seed_docs(t: str) -> Iterator[tuple[str, dict]]:
    yield f"tenants/{t}", {"tenant_id": t, "name": f"Tenant {t}", "plan": "starter"}
    yield f"tenants/{t}/members/owner-{t}", {"tenant_id": t, "uid": f"owner-{t}", "role": "owner"}
    for brand, suffix in ((brand_a(t), "A"), (brand_b(t), "B")):
        yield f"tenants/{t}/brands/{brand}", {"tenant_id": t, "name": brand}
        yield f"tenants/{t}/campaigns/camp{suffix}", {"tenant_id": t, "brand_id": brand}
        yield f"tenants/{t}/creatives/cr{suffix}", {"tenant_id": t, "brand_id": brand}
        yield (
            f"tenants/{t}/assets/as{suffix}",
            {"tenant_id": t, "brand_id": brand, "creative_id": f"cr{suffix}"},
        )
        yield f"tenants/{t}/brand_assets/ba{suffix}", {"tenant_id": t, "brand_id": brand}
        yield f"tenants/{t}/jobs/job{suffix}", {"tenant_id": t, "brand_id": brand}
        yield f"tenants/{t}/jobs/job{suffix}/items/item{suffix}", {"tenant_id": t}
        yield f"tenants/{t}/experiments/exp{suffix}", {"tenant_id": t, "brand_id": brand}
        yield f"tenants/{t}/experiments/exp{suffix}/evaluation/pending", {"tenant_id": t}
        yield f"tenants/{t}/exports/xp{suffix}", {"tenant_id": t, "brand_id": brand}
        yield f"tenants/{t}/loop_candidates/lc{suffix}", {"tenant_id": t, "brand_id": brand}
    yield (
        f"tenants/{t}/metric_imports/imp1",
        {"tenant_id": t, "created_by": {"type": "user", "id": f"owner-{t}"}},
    )
    for collection in (
        "import_chunks",
        "metric_facts",
        "metric_rollups",
        "usage",
        "invitations",
        "api_keys",
        "audit",
        "rate_windows",
        "users",
        "api_key_index",
        "invitation_index",
        "idempotency_keys",
        "loop_slots",
        "loop_checks",
    ):
        path, doc = COLLECTIONS[collection]
        yield f"{path}/{doc}".format(t=t), {"tenant_id": t}


def _member_doc(uid: str, claims: dict) -> tuple[str, dict]:
    t = claims["tenant_id"]
    doc = {"tenant_id": t, "uid": uid, "role": claims["role"]}
    doc["brand_ids"] = claims.get("brand_ids")
    return f"tenants/{t}/members/{uid}", doc


def _member_docs() -> Iterator[tuple[str, dict]]:
    for name, claims in PRINCIPALS.items():
        if claims and claims.get("tenant_id"):
            yield _member_doc(f"user-{name}", claims)
    yield _member_doc("u-owner", {"tenant_id": OWN, "role": "owner"})
    yield _member_doc("user-outsider", {"tenant_id": OTHER, "role": "owner"})


@pytest.fixture(scope="module")
def seeded(rules_emulator: str) -> str:
    admin = Firestore(rules_emulator, PROJECT, "owner")  # "owner" bypasses rules
    docs = [*_seed_docs(OWN), *_seed_docs(OTHER), *_member_docs()]
    for path, data in docs:
        response = admin.set(path, data)
        assert response.status_code == 200, response.text
    return rules_emulator


@pytest.fixture(scope="module")
def clients(seeded: str) -> dict[str, Firestore]:
    return {
        name: Firestore(
            seeded,
            PROJECT,
            id_token(PROJECT, f"user-{name}", **claims) if claims is not None else None,
        )
        for name, claims in PRINCIPALS.items()
    }


def _attempt(db: Firestore, collection: str, op: str, t: str) -> int:
    path, doc = COLLECTIONS[collection]
    path, doc = path.format(t=t), doc.format(t=t)
    if op == "get":
        return db.get(f"{path}/{doc}").status_code
    if op == "list":
        return db.query(path).status_code
    if op == "create":
        return db.create(path, "new-doc", {"tenant_id": t, "brand_id": brand_a(t)}).status_code
    if op == "update":
        return db.update(f"{path}/{doc}", {"status": "approved", "role": "owner"}).status_code
    return db.delete(f"{path}/{doc}").status_code


CELLS = [
    pytest.param(p, c, op, own, id=f"{p}-{c}-{op}-{'own' if own else 'other'}")
    for p, c, op, own in itertools.product(PRINCIPALS, COLLECTIONS, OPS, (True, False))
]


@pytest.mark.parametrize(("principal", "collection", "op", "own"), CELLS)
def test_rules_matrix(
    clients: dict[str, Firestore], principal: str, collection: str, op: str, own: bool
) -> None:
    status = _attempt(clients[principal], collection, op, OWN if own else OTHER)
    allowed = expected(principal, collection, op, own)
    assert status == (200 if allowed else 403), (principal, collection, op, own, status)


@pytest.mark.parametrize("collection", sorted(BRAND_SCOPED - {"brands"}))
def test_brand_limited_member_lists_only_its_brand(
    clients: dict[str, Firestore], collection: str
) -> None:
    db = clients["brand_limited_editor"]
    path = COLLECTIONS[collection][0].format(t=OWN)
    own_brand = db.query(path, where=("brand_id", brand_a(OWN)))
    assert own_brand.status_code == 200
    assert all(row.get("document") for row in own_brand.json())
    assert db.query(path, where=("brand_id", brand_b(OWN))).status_code == 403


@pytest.mark.parametrize("collection", sorted(BRAND_SCOPED))
def test_brand_limited_member_cannot_get_other_brands_docs(
    clients: dict[str, Firestore], collection: str
) -> None:
    path = COLLECTIONS[collection][0].format(t=OWN)
    other = {
        "brands": brand_b(OWN),
        "campaigns": "campB",
        "creatives": "crB",
        "assets": "asB",
        "brand_assets": "baB",
        "jobs": "jobB",
        "experiments": "expB",
        "exports": "xpB",
        "loop_candidates": "lcB",
    }
    assert clients["brand_limited_editor"].get(f"{path}/{other[collection]}").status_code == 403
    assert clients["editor"].get(f"{path}/{other[collection]}").status_code == 200


def test_brand_limited_member_cannot_read_other_brands_job_items(
    clients: dict[str, Firestore],
) -> None:
    limited, editor = clients["brand_limited_editor"], clients["editor"]
    theirs = f"tenants/{OWN}/jobs/jobB/items"
    assert limited.get(f"{theirs}/itemB").status_code == 403
    assert limited.query(theirs).status_code == 403
    assert editor.get(f"{theirs}/itemB").status_code == 200
    assert limited.get(f"tenants/{OWN}/jobs/jobA/items/itemA").status_code == 200


def test_a_listener_may_wait_for_its_own_tenants_job_before_it_exists(
    clients: dict[str, Firestore],
) -> None:
    assert clients["viewer"].get(f"tenants/{OWN}/jobs/not-yet").status_code in (200, 404)
    assert clients["viewer"].get(f"tenants/{OTHER}/jobs/not-yet").status_code == 403


def test_document_whose_tenant_id_disagrees_with_its_path_is_not_readable(seeded: str) -> None:
    admin = Firestore(seeded, PROJECT, "owner")
    path = f"tenants/{OWN}/campaigns/misfiled"
    assert admin.set(path, {"tenant_id": OTHER, "brand_id": brand_a(OWN)}).status_code == 200
    owner = Firestore(seeded, PROJECT, id_token(PROJECT, "u-owner", tenant_id=OWN, role="owner"))
    assert owner.get(path).status_code == 403


def test_jobs_page_list_query_newest_first(seeded: str, clients: dict[str, Firestore]) -> None:
    """The web Jobs page listens to `tenants/{t}/jobs` ordered by document id with a limit;
    a brand-limited member adds `brand_id in [their brands]` (the claim), or rules refuse it."""
    jobs = f"tenants/{OWN}/jobs"

    def ids(response: httpx.Response) -> list[str]:
        assert response.status_code == 200, response.text
        rows = [row["document"]["name"] for row in response.json() if row.get("document")]
        return [name.rsplit("/", 1)[1] for name in rows]

    # (a) all brands: the whole collection, ordered by __name__, limited
    everyone = clients["viewer"].query(jobs, order_by="__name__", limit=50)
    assert ids(everyone) == ["jobA", "jobB"]
    assert ids(clients["owner"].query(jobs, order_by="__name__", limit=1)) == ["jobA"]
    limited = clients["brand_limited_editor"]
    # (b) brand-limited with its brands as an `in` filter
    mine = limited.query(jobs, ("brand_id", [brand_a(OWN)]), op="IN", order_by="__name__")
    assert ids(mine) == ["jobA"]
    # (c) the same query without the brand constraint, or naming another brand: denied
    assert limited.query(jobs, order_by="__name__", limit=50).status_code == 403
    both = [brand_a(OWN), brand_b(OWN)]
    assert limited.query(jobs, ("brand_id", both), op="IN", order_by="__name__").status_code == 403
    # (d) another tenant's members: denied, with or without a filter
    outsider = Firestore(
        seeded,
        PROJECT,
        id_token(PROJECT, "user-outsider", tenant_id=OTHER, role="owner"),
    )
    assert outsider.query(jobs, order_by="__name__", limit=50).status_code == 403
    in_a = ("brand_id", [brand_a(OWN)])
    assert outsider.query(jobs, in_a, op="IN", order_by="__name__").status_code == 403
    other_jobs = f"tenants/{OTHER}/jobs"
    assert clients["viewer"].query(other_jobs, order_by="__name__", limit=50).status_code == 403


def test_brand_limited_member_follows_its_own_import(rules_emulator: str) -> None:
    admin = Firestore(rules_emulator, PROJECT, "owner")
    path = f"tenants/{OWN}/metric_imports/mine"
    doc = {"tenant_id": OWN, "created_by": {"type": "user", "id": "user-limited-importer"}}
    assert admin.set(path, doc).status_code == 200
    claims = PRINCIPALS["brand_limited_editor"]
    assert claims is not None
    member_path, member = _member_doc("user-limited-importer", claims)
    assert admin.set(member_path, member).status_code == 200
    mine = Firestore(rules_emulator, PROJECT, id_token(PROJECT, "user-limited-importer", **claims))
    assert mine.get(path).status_code == 200
    assert mine.get(f"tenants/{OWN}/metric_imports/imp1").status_code == 403
