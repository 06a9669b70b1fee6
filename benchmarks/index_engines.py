"""Index engines compared on a synthetic corpus: build speed, size, query latency.

    python benchmarks/index_engines.py [--docs 100000] [--queries 300]

The corpus has Zipf-distributed words (like running text) and ~120 words per
document; queries are 5 words drawn like a user's (mid-frequency words more
often). Each engine gets the same token lists. lindra's engine is measured as
it runs: a BM25F impact matrix built from the stored term counts (the row
preparation, i.e. decoding the stored JSON, is timed too). Engines that are not
installed are skipped. Medians of 3 builds; latency over all queries.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np

from lindra.search.bm25 import Bm25Index, top_k
from lindra.store.base import IndexRow


def corpus(n_docs: int, seed: int = 7) -> tuple[list[list[str]], list[list[str]], int]:
    rng = np.random.default_rng(seed)
    vocabulary = 60_000
    ranks = np.arange(1, vocabulary + 1)
    p = 1.0 / ranks**1.07
    p /= p.sum()
    lengths = rng.integers(40, 200, size=n_docs)
    words = rng.choice(vocabulary, size=int(lengths.sum()), p=p)
    docs, at = [], 0
    for length in lengths:
        docs.append([f"w{w}" for w in words[at : at + length]])
        at += length
    q_ranks = rng.integers(50, 20_000, size=(300, 5))
    queries = [[f"w{w}" for w in row] for row in q_ranks]
    return docs, queries, vocabulary


def timed(fn: Callable[[], object], runs: int = 3) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def latency(search: Callable[[list[str]], object], queries: list[list[str]]) -> tuple[float, float]:
    for q in queries[:10]:
        search(q)
    samples = []
    for q in queries:
        started = time.perf_counter()
        search(q)
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return samples[len(samples) // 2], samples[int(len(samples) * 0.95)]


def run_lindra(docs: list[list[str]], queries: list[list[str]]) -> dict[str, float]:
    stored = [json.dumps({"body": dict(Counter(d))}) for d in docs]

    def build() -> Bm25Index:
        rows = (IndexRow(f"d{i}:0", f"d{i}", json.loads(s)) for i, s in enumerate(stored))
        return Bm25Index(rows)

    seconds, index = timed(build)
    assert isinstance(index, Bm25Index)
    p50, p95 = latency(lambda q: top_k(index.passage_scores({t: 1.0 for t in q}), 10), queries)
    return {"docs/s": len(docs) / seconds, "MB": index.memory_bytes() / 1e6, "p50": p50, "p95": p95}


def run_bm25s(docs: list[list[str]], queries: list[list[str]]) -> dict[str, float] | None:
    try:
        import bm25s
    except ImportError:
        return None

    def build() -> object:
        retriever = bm25s.BM25()
        retriever.index(docs, show_progress=False)
        return retriever

    seconds, retriever = timed(build)
    size = sum(getattr(v, "nbytes", 0) for v in retriever.scores.values())  # type: ignore[attr-defined]
    p50, p95 = latency(
        lambda q: top_k(retriever.get_scores(q), 10),  # type: ignore[attr-defined]
        queries,
    )
    return {"docs/s": len(docs) / seconds, "MB": size / 1e6, "p50": p50, "p95": p95}


def run_tantivy(
    docs: list[list[str]], queries: list[list[str]], tmp: Path
) -> dict[str, float] | None:
    try:
        import tantivy
    except ImportError:
        return None
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("body", stored=False)
    schema = builder.build()

    def build() -> object:
        path = tmp / f"tantivy-{time.perf_counter_ns()}"
        path.mkdir()
        index = tantivy.Index(schema, path=str(path))
        writer = index.writer(heap_size=200_000_000, num_threads=1)
        for d in docs:
            writer.add_document(tantivy.Document(body=" ".join(d)))
        writer.commit()
        writer.wait_merging_threads()
        index.reload()
        return index, path

    seconds, (index, path) = timed(build)  # type: ignore[misc]
    searcher = index.searcher()
    size = sum(f.stat().st_size for f in path.iterdir())
    p50, p95 = latency(
        lambda q: searcher.search(index.parse_query(" ".join(q), ["body"]), 10), queries
    )
    return {"docs/s": len(docs) / seconds, "MB": size / 1e6, "p50": p50, "p95": p95}


def run_fts5(docs: list[list[str]], queries: list[list[str]], tmp: Path) -> dict[str, float]:
    def build() -> tuple[sqlite3.Connection, Path]:
        path = tmp / f"fts-{time.perf_counter_ns()}.sqlite"
        conn = sqlite3.connect(path)
        conn.execute("CREATE VIRTUAL TABLE t USING fts5(body)")
        conn.executemany("INSERT INTO t (body) VALUES (?)", ((" ".join(d),) for d in docs))
        conn.commit()
        return conn, path

    seconds, (conn, path) = timed(build)  # type: ignore[misc]
    sql = "SELECT rowid FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT 10"
    p50, p95 = latency(lambda q: conn.execute(sql, (" OR ".join(q),)).fetchall(), queries)
    return {"docs/s": len(docs) / seconds, "MB": path.stat().st_size / 1e6, "p50": p50, "p95": p95}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    args = parser.parse_args()
    docs, queries, _ = corpus(args.docs)
    tokens = sum(map(len, docs))
    print(f"{args.docs:,} documents, {tokens:,} tokens, {len(queries)} queries of 5 words")
    print(f"{'engine':22} {'docs/s':>9} {'size MB':>8} {'p50 ms':>8} {'p95 ms':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, run in (
            ("lindra (numpy BM25F)", lambda: run_lindra(docs, queries)),
            ("bm25s", lambda: run_bm25s(docs, queries)),
            ("tantivy", lambda: run_tantivy(docs, queries, Path(tmp))),
            ("SQLite FTS5 (OR)", lambda: run_fts5(docs, queries, Path(tmp))),
        ):
            result = run()
            if result is None:
                print(f"{name:22} (not installed)")
                continue
            print(
                f"{name:22} {result['docs/s']:9,.0f} {result['MB']:8.1f} "
                f"{result['p50']:8.2f} {result['p95']:8.2f}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
