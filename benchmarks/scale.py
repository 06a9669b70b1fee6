"""lindra side by side with plain BM25 engines on synthetic corpora of real sentences.

    python benchmarks/scale.py [--docs 10000 100000] [--queries 300] [--million]

The corpora are drawn deterministically (seed 7) from the sentences of the
PubMedQA-sv corpus: documents of 8–15 sentences (~1,600 characters). In the same
run and on the same text it measures

- lindra: ``lindra ingest`` (lexical and knowledge, ``LINDRA_DENSE=false``) with one
  worker process per core, documents/s (including the index snapshot it saves),
  store and snapshot size, peak RSS of one process; the cold start of a one-off
  ``lindra search`` (which maps the saved snapshot; median of 5, bytecode compiled);
  query and ``ask`` latency in process (``load s``: the first query, which reads the
  snapshot);
- bm25s with PyStemmer's Swedish Snowball stemmer, and tantivy with its Swedish
  stemmer: index build documents/s and query latency;
- where each lindra ingest second goes (stage profile, one process, first 500 documents);
- quality on a real set, so that no speed-up hides a loss: recall@10 and MRR of the
  PubMedQA-sv dev questions against its corpus (1,000 abstracts) for each engine.

Skips cleanly without ``../shared/eval``. bm25s and tantivy come with ``pip install
-e '.[bench]'`` (``make bench`` installs them); an engine that is missing is skipped.
Absolute times vary on a shared machine: compare the ratios within one run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

DEFAULT_EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
LINDRA = [sys.executable, "-m", "lindra"]
LEXICAL = {**os.environ, "LINDRA_DENSE": "false"}


# -- corpora -----------------------------------------------------------------


def sentences(corpus: Path) -> list[str]:
    found = []
    for line in corpus.read_text("utf-8").splitlines():
        text = json.loads(line)["text"].replace("\n", " ")
        found += [s.strip().rstrip(".") for s in text.split(". ") if len(s.strip()) > 30]
    return found


def synthetic(pool: Sequence[str], n_docs: int, path: Path, seed: int = 7) -> list[str]:
    """Write *n_docs* JSONL documents to *path*; return their texts."""
    rng = random.Random(seed)
    texts = []
    with path.open("w", encoding="utf-8") as out:
        for i in range(n_docs):
            text = ". ".join(rng.choice(pool) for _ in range(rng.randint(8, 15))) + "."
            texts.append(text)
            record = {"id": f"d{i}", "title": f"Dokument {i}", "text": text}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return texts


# -- timing helpers -----------------------------------------------------------


def percentiles(samples_ms: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples_ms)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return at(0.50), at(0.95), at(0.99)


def timed(fn: Callable[[str], Any], queries: Sequence[str]) -> tuple[float, float, float]:
    for query in queries[:10]:
        fn(query)
    samples = []
    for query in queries:
        started = time.perf_counter()
        fn(query)
        samples.append((time.perf_counter() - started) * 1000)
    return percentiles(samples)


def children_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


# -- engines ------------------------------------------------------------------


class Bm25s:
    name = "bm25s + Snowball"

    def __init__(self) -> None:
        import bm25s
        import Stemmer

        self.bm25s = bm25s
        self.stemmer = Stemmer.Stemmer("swedish")

    def build(self, texts: Sequence[str]) -> None:
        tokens = self.bm25s.tokenize(
            list(texts), stopwords="sv", stemmer=self.stemmer, show_progress=False
        )
        self.retriever = self.bm25s.BM25()
        self.retriever.index(tokens, show_progress=False)

    def query(self, text: str, k: int = 10) -> list[int]:
        tokens = self.bm25s.tokenize(
            [text], stopwords="sv", stemmer=self.stemmer, show_progress=False
        )
        if not tokens.vocab:
            return []
        ids, _ = self.retriever.retrieve(tokens, k=k, show_progress=False, n_threads=1)
        return [int(i) for i in ids[0]]


class Tantivy:
    name = "tantivy (Swedish stemmer)"

    def __init__(self) -> None:
        import tantivy

        self.tantivy = tantivy

    def build(self, texts: Sequence[str]) -> None:
        t = self.tantivy
        analyzer = (
            t.TextAnalyzerBuilder(t.Tokenizer.simple())
            .filter(t.Filter.lowercase())
            .filter(t.Filter.stemmer("swedish"))
            .build()
        )
        builder = t.SchemaBuilder()
        builder.add_integer_field("id", stored=True)
        builder.add_text_field("body", tokenizer_name="sv")
        self.folder = tempfile.TemporaryDirectory(prefix="tantivy-")
        self.index = t.Index(builder.build(), path=self.folder.name)
        self.index.register_tokenizer("sv", analyzer)
        writer = self.index.writer(heap_size=200_000_000, num_threads=os.cpu_count() or 1)
        for i, text in enumerate(texts):
            writer.add_document(t.Document(id=i, body=text))
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()

    def query(self, text: str, k: int = 10) -> list[int]:
        words = [w for w in "".join(c if c.isalnum() else " " for c in text).split() if w]
        if not words:
            return []
        parsed = self.index.parse_query(" OR ".join(words), ["body"])
        hits = self.searcher.search(parsed, k).hits
        return [self.searcher.doc(address)["id"][0] for _, address in hits]


def other_engines() -> list[Any]:
    engines = []
    for kind in (Bm25s, Tantivy):
        try:
            engines.append(kind())
        except ImportError as exc:
            print(f"({kind.name} skipped: {exc}; pip install -e '.[bench]')")
    return engines


# -- lindra -------------------------------------------------------------------


def lindra_ingest(docs: Path, db: Path, workers: int) -> tuple[float, float]:
    """(seconds, peak RSS MB of the largest process) of ``lindra ingest``."""
    started = time.perf_counter()
    subprocess.run(
        [*LINDRA, "ingest", "--db", str(db), "--workers", str(workers), "--json", str(docs)],
        env=LEXICAL,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started, children_peak_mb()


def cold_search(db: Path, query: str, runs: int = 5) -> float:
    """Median seconds of a one-off ``lindra search`` in a new process, with lindra's
    bytecode compiled as ``pip install`` leaves it (an editable install under
    PYTHONDONTWRITEBYTECODE would otherwise compile every module on every run)."""
    import lindra

    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(Path(lindra.__file__).parent)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(
            [*LINDRA, "search", "--db", str(db), "--json", query],
            env=LEXICAL,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        seconds.append(time.perf_counter() - started)
    return sorted(seconds)[len(seconds) // 2]


def stage_profile(docs: Path, n: int = 500) -> dict[str, float]:
    """Milliseconds per document in each ingest stage (one process, first *n* documents)."""
    from lindra import Engine, Settings

    with tempfile.TemporaryDirectory() as tmp:
        head = Path(tmp) / "head.jsonl"
        lines = docs.read_text("utf-8").splitlines()[:n]
        head.write_text("\n".join(lines) + "\n", encoding="utf-8")
        settings = Settings(db=str(Path(tmp) / "kb.sqlite"), dense=False)
        with Engine.from_settings(settings, create=True) as engine:
            started = time.perf_counter()
            list(engine.ingest_paths([head]))
            total = time.perf_counter() - started
            stages = dict(engine.preparer.stage_seconds)
    stages["reading and the rest"] = total - sum(stages.values())
    return {stage: 1000 * seconds / len(lines) for stage, seconds in stages.items()}


def lindra_queries(db: Path, queries: Sequence[str]) -> dict[str, Any]:
    """Index load, query and ``ask`` latency of one lexical engine, in process."""
    from lindra import Engine, Settings

    with Engine.from_settings(Settings(db=str(db), dense=False)) as engine:
        started = time.perf_counter()
        engine.searcher.documents(queries[0], 10)
        load = time.perf_counter() - started
        search = timed(lambda q: engine.searcher.documents(q, 10), queries)
        ask = timed(engine.ask, queries[:100])
    return {"load": load, "search": search, "ask": ask}


# -- quality on a real set ----------------------------------------------------


def quality(eval_dir: Path, others: Sequence[Any]) -> list[tuple[str, float, float]]:
    """(engine, MRR@10, R@10) on PubMedQA-sv dev against its corpus."""
    from lindra.evaluation.datasets import load_queries
    from lindra.evaluation.retrieval import evaluate_files, run_queries, score_run

    pubmed = eval_dir / "pubmedqa_sv"
    rows = []
    given = os.environ.get("LINDRA_DENSE")
    for label, dense in (("lindra, lexical", "false"), ("lindra, default (dense on)", "true")):
        os.environ["LINDRA_DENSE"] = dense
        m = evaluate_files(pubmed / "dev.jsonl", pubmed / "corpus.jsonl")["retrieval"]
        rows.append((label, m["mrr@10"], m["recall@10"]))
    if given is None:
        os.environ.pop("LINDRA_DENSE")
    else:
        os.environ["LINDRA_DENSE"] = given
    records = [
        json.loads(line)
        for line in (pubmed / "corpus.jsonl").read_text("utf-8").split("\n")
        if line
    ]
    ids = [str(r["id"]) for r in records]
    questions = load_queries(pubmed / "dev.jsonl")
    for engine in others:
        engine.build([r.get("title", "") + "\n" + r["text"] for r in records])
        run = run_queries(
            lambda q, k, _c, engine=engine: [ids[i] for i in engine.query(q, k)], questions
        )
        m = score_run(run, questions)
        rows.append((engine.name, m["mrr@10"], m["recall@10"]))
    return rows


# -- the run ------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL)
    parser.add_argument("--docs", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--million", action="store_true", help="add a 1,000,000-document corpus")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    pubmed = args.eval_dir / "pubmedqa_sv"
    if not (pubmed / "corpus.jsonl").exists():
        print(f"skipped: no evaluation data at {args.eval_dir}")
        return 0
    pool = sentences(pubmed / "corpus.jsonl")
    dev = [
        json.loads(line)["question"]
        for line in (pubmed / "dev.jsonl").read_text("utf-8").splitlines()
    ]
    queries = dev[: args.queries]
    sizes = [*args.docs, *([1_000_000] if args.million else [])]
    others = other_engines()
    print(f"{os.cpu_count()} cores; lindra ingest with {args.workers} worker processes\n")
    print(
        f"{'corpus':>9} {'engine':28} {'docs/s':>8} {'index MB':>9} {'peak MB':>8} "
        f"{'cold s':>7} {'load s':>7} {'q p50':>7} {'q p95':>7} {'q p99':>7} {'ask p50':>8}"
    )
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            docs, db = Path(tmp) / "docs.jsonl", Path(tmp) / "kb.sqlite"
            texts = synthetic(pool, n, docs)
            seconds, peak = lindra_ingest(docs, db, args.workers)
            cold = cold_search(db, queries[0])
            measured = lindra_queries(db, queries)
            # The store and the saved index snapshot (kb.sqlite.index/).
            size = sum(f.stat().st_size for f in Path(tmp).rglob("*") if f.is_file()) / 1e6
            size -= docs.stat().st_size / 1e6
            p50, p95, p99 = measured["search"]
            print(
                f"{n:9,d} {'lindra, lexical':28} {n / seconds:8.1f} {size:9.0f} {peak:8.0f} "
                f"{cold:7.2f} {measured['load']:7.2f} {p50:7.2f} {p95:7.2f} {p99:7.2f} "
                f"{measured['ask'][0]:8.1f}",
                flush=True,
            )
            bm25_p50 = None
            for engine in others:
                before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                started = time.perf_counter()
                engine.build(texts)
                built = time.perf_counter() - started
                peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                p50, p95, p99 = timed(engine.query, queries)
                bm25_p50 = bm25_p50 or p50
                print(
                    f"{n:9,d} {engine.name:28} {n / built:8.1f} {'':>9} {max(peak, before):8.0f} "
                    f"{'':>7} {'':>7} {p50:7.2f} {p95:7.2f} {p99:7.2f} {'':>8}",
                    flush=True,
                )
            if bm25_p50:
                ratio = measured["search"][0] / bm25_p50
                print(f"{'':9} lindra query p50 / {others[0].name}: {ratio:.1f}x")
    print("\nWhere one process spends its ingest time (ms per document, 500 documents):")
    with tempfile.TemporaryDirectory() as tmp:
        docs = Path(tmp) / "docs.jsonl"
        synthetic(pool, 500, docs)
        profile = stage_profile(docs)
    for stage, ms in sorted(profile.items(), key=lambda kv: -kv[1]):
        print(f"  {stage:24} {ms:7.2f}")
    print(f"  {'total':24} {sum(profile.values()):7.2f}")
    print("\nQuality on a real set: PubMedQA-sv dev (500 questions, 1,000 abstracts)")
    print(f"  {'engine':28} {'MRR@10':>7} {'R@10':>7}")
    for label, mrr, recall in quality(args.eval_dir, others):
        print(f"  {label:28} {mrr:7.3f} {recall:7.3f}")
    print("  (SweFAQ and the lay questions: benchmarks/retrieval.py and benchmarks/answers.py)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
