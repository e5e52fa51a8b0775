"""The local default embedder, measured on the labelled ad set, beats the BM25 baseline."""

from __future__ import annotations

from adgenius.rag.evaluate import EvalQuery, evaluate, load_eval_set, metrics, no_word_overlap


def test_labelled_set_is_consistent() -> None:
    items, queries = load_eval_set()
    ids = {i.id for i in items}
    assert 150 <= len(items) <= 300 and 40 <= len(queries) <= 80
    assert len(ids) == len(items)
    assert all(q.relevant and set(q.relevant) <= ids for q in queries)
    by_id = {i.id: i for i in items}
    assert sum(no_word_overlap(q, by_id) for q in queries) >= 10


def test_metrics_on_a_small_example() -> None:
    queries = [
        EvalQuery(id="a", query="", relevant=["x"]),
        EvalQuery(id="b", query="", relevant=["y", "z"]),
    ]
    recall, mrr = metrics([["w", "x"], ["y"] + ["n"] * 10 + ["z"]], queries)
    assert recall[1] == (0 + 0.5) / 2
    assert recall[5] == (1 + 0.5) / 2
    assert recall[10] == (1 + 0.5) / 2
    assert mrr == (1 / 2 + 1) / 2


def test_default_embedder_beats_bm25() -> None:
    rows = {(r.method, r.subset): r for r in evaluate(["bm25", "wordllama"])}
    for subset in ("all", "paraphrase"):
        dense, bm25 = rows["wordllama", subset], rows["bm25", subset]
        assert dense.mrr > bm25.mrr, subset
        assert dense.recall[5] > bm25.recall[5], subset
        assert dense.recall[10] > bm25.recall[10], subset
