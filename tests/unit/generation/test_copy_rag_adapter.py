from __future__ import annotations

import pytest

from adgenius.generation import Platform
from adgenius.generation.prompts import ContextProvider, WinnersProvider, gather_input
from adgenius.generation.prompts.rag_adapter import BrandMemoryProviders

rag_memory = pytest.importorskip("adgenius.rag.memory")
edge_store = pytest.importorskip("adgenius.rag.edge_store")


@pytest.fixture
def providers(tmp_path, embedder) -> BrandMemoryProviders:
    memory = rag_memory.BrandMemory(edge_store.EdgeStore(tmp_path / "v", 256), embedder)
    memory.index_document(
        rag_memory.BrandDocument(
            tenant_id="t-1",
            document_id="faq",
            title="faq.md",
            data="TrailRunner 2 has a Vibram outsole with 5 mm lugs and weighs 240 g.",
        )
    )
    memory.index_document(
        rag_memory.BrandDocument(
            tenant_id="t-2", document_id="other", data="Secret plans of another tenant's shoes."
        )
    )
    memory.index_creative(
        {
            "id": "cr-9",
            "tenant_id": "t-1",
            "kind": "copy",
            "status": "approved",
            "platform": "google_rsa",
            "content": {"headlines": ["Grip that never quits on muddy trails"]},
            "metrics": {"ctr": 0.041},
        }
    )
    return BrandMemoryProviders(memory)


def test_rag_adapter_feeds_tenant_scoped_context_and_winners(providers, brief, brand_kit) -> None:
    assert isinstance(providers, ContextProvider) and isinstance(providers, WinnersProvider)
    inp = gather_input(
        brief,
        brand_kit,
        Platform.GOOGLE_RSA,
        tenant_id="t-1",
        context_provider=providers,
        winners_provider=providers,
    )
    assert [s.source for s in inp.context] == ["faq.md"]
    assert "Vibram" in inp.context[0].text
    assert [(w.id, w.metric) for w in inp.winners] == [("cr-9", "CTR 4.1%")]
    assert "Grip that never quits" in inp.winners[0].fields["ad"][0]
    other = providers.retrieve("shoes", tenant_id="t-2")
    assert [s.id for s in other] != [s.id for s in inp.context]  # no cross-tenant reads
    assert all("Vibram" not in s.text for s in other)
