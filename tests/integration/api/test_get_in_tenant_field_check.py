"""store.get_in_tenant: a document is only found in the tenant its own `tenant_id` names (read
as one field since the read path stopped copying the whole document for that check)."""

from __future__ import annotations

import pytest

from adgenius.tenancy import store
from adgenius.tenancy.errors import NotFound


@pytest.mark.parametrize(
    ("data", "found"),
    [
        ({"tenant_id": "{tenant}", "name": "ok"}, True),
        ({"tenant_id": "someone-else", "name": "moved"}, False),
        ({"name": "no tenant field"}, False),
        ({"tenant_id": None, "name": "null tenant"}, False),
    ],
)
def test_a_document_is_found_only_in_the_tenant_it_names(
    stack, unique: str, data: dict[str, object], found: bool
) -> None:
    tenant = f"t-{unique}"
    doc = {k: (v.format(tenant=tenant) if isinstance(v, str) else v) for k, v in data.items()}
    store.tenant_collection(tenant, store.BRANDS).document("b1").set(doc)
    if found:
        snap = store.get_in_tenant(tenant, store.BRANDS, "b1")
        assert snap.to_dict() == doc
    else:
        with pytest.raises(NotFound):
            store.get_in_tenant(tenant, store.BRANDS, "b1")
    with pytest.raises(NotFound):  # absent altogether
        store.get_in_tenant(tenant, store.BRANDS, "b2")
