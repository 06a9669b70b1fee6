"""Query latency: plain BM25 against the full default pipeline, same engine.

    python benchmarks/latency.py [--eval-dir ../shared/eval] [--queries 300]

Both configurations index the PubMedQA-sv corpus (1,000 abstracts) and run the
dev questions as single queries (`Searcher.documents`, top 10). "Plain BM25"
is BM25F with Snowball stems and stop words dropped; "full" adds exact/prefix
variants, compounds, synonyms, spelling help and the dense hybrid (which embeds
each query with e5-small on the CPU). Timings after a warm-up; p50/p95 in ms.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from ablation import CONFIGS, engine_for

DEFAULT_EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"


def measure(engine: object, questions: list[str]) -> tuple[float, float]:
    searcher = engine.searcher  # type: ignore[attr-defined]
    for question in questions[:20]:
        searcher.documents(question, 10)
    samples = []
    for question in questions:
        started = time.perf_counter()
        searcher.documents(question, 10)
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return samples[len(samples) // 2], samples[int(0.95 * (len(samples) - 1))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument(
        "--cache-dir", type=Path, default=Path(tempfile.gettempdir()) / "lindra-bench-cache"
    )
    args = parser.parse_args()
    pubmed = args.eval_dir / "pubmedqa_sv"
    if not (pubmed / "dev.jsonl").exists():
        print(f"skipped: no evaluation data at {args.eval_dir}")
        return 0
    questions = [
        json.loads(line)["question"]
        for line in (pubmed / "dev.jsonl").read_text("utf-8").splitlines()
    ][: args.queries]
    configs = {label: cfg for label, cfg in CONFIGS}
    rows = []
    for label in (CONFIGS[0][0], "+ spelling help", CONFIGS[-1][0]):
        with tempfile.TemporaryDirectory() as tmp:
            engine = engine_for(Path(tmp) / "kb.sqlite", configs[label], args.cache_dir)
            list(engine.ingest_paths([pubmed / "corpus.jsonl"]))
            rows.append((label, *measure(engine, questions)))
            engine.close()
    base = rows[0][1]
    print(f"{'configuration':52} {'p50 ms':>8} {'p95 ms':>8} {'p50 × plain':>12}")
    for label, p50, p95 in rows:
        print(f"{label:52} {p50:8.2f} {p95:8.2f} {p50 / base:12.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
