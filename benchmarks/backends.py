"""SQLite vs PostgreSQL: the same retrieval metrics, and what ingest costs on each.

    python benchmarks/backends.py [--eval-dir ../shared/eval] [--pg-url URL] [--json]

Runs the dev-set evaluation of benchmarks/retrieval.py (PubMedQA-sv retrieval,
SweFAQ answer retrieval and selection) once per backend and prints both rows
per task with whether every metric agrees to 3 decimals. The corpus is ingested
first and timed on its own (after an untimed warm-up); the evaluation then finds
every document unchanged.
Without --pg-url, scripts/setup-postgres.sh starts a local server. Skips cleanly
when the dev sets are absent or PostgreSQL cannot be started; exits 1 when the
backends disagree.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from lindra.config import Settings
from lindra.engine import Engine
from lindra.evaluation.datasets import swefaq
from lindra.evaluation.retrieval import evaluate_files

REPO = Path(__file__).resolve().parents[1]
DEFAULT_EVAL = REPO.parent / "shared" / "eval"
METRICS = ("ndcg@10", "mrr@10", "recall@1", "recall@10")


def start_postgres() -> tuple[str | None, str]:
    """The URL of a local server from scripts/setup-postgres.sh, or (None, why not)."""
    try:
        done = subprocess.run(
            ["bash", str(REPO / "scripts" / "setup-postgres.sh")],
            capture_output=True,
            text=True,
            timeout=900,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, str(exc)
    lines = done.stdout.strip().splitlines()
    if done.returncode or not lines:
        return None, " | ".join(done.stderr.strip().splitlines()[-3:])
    return lines[-1], ""


@contextmanager
def fresh_location(backend: str, pg_url: str) -> Iterator[str]:
    """An empty SQLite file or PostgreSQL schema, removed afterwards."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield str(Path(tmp) / "kb.sqlite")
        return
    import psycopg

    schema = f"lindra_bench_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in pg_url else "?"
    try:
        yield f"{pg_url}{sep}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def timed_ingest(location: str, corpus: Path) -> tuple[int, float]:
    """Ingest *corpus* as evaluate_files does; (documents added, seconds spent ingesting)."""
    settings = Settings(db=location, any_language=True)
    with Engine.from_settings(settings, create=True) as engine:
        started = time.perf_counter()  # not counting the analyzer's start-up
        added = sum(o.status == "added" for o in engine.ingest_paths([corpus]))
        return added, time.perf_counter() - started


def warm_up(corpus: Path, tmp: Path) -> None:
    """Ingest a few records untimed, so first-use costs (lazy loading) hit neither backend."""
    sample = tmp / "warm-up.jsonl"
    with corpus.open(encoding="utf-8") as lines:
        sample.write_text("".join(line for _, line in zip(range(20), lines, strict=False)), "utf-8")
    timed_ingest(str(tmp / "warm-up.sqlite"), sample)


def run_backend(backend: str, pg_url: str, eval_dir: Path, tmp: Path) -> dict[str, Any]:
    pubmed = eval_dir / "pubmedqa_sv"
    faq_queries = eval_dir / "swefaq" / "dev.jsonl"
    faq_corpus = tmp / "swefaq-corpus.jsonl"
    records, _, _ = swefaq(faq_queries)
    faq_corpus.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8"
    )
    plan = [
        ("PubMedQA-sv", pubmed / "corpus.jsonl", pubmed / "dev.jsonl", pubmed / "corpus.jsonl"),
        ("SweFAQ", faq_corpus, faq_queries, None),
    ]
    metrics: dict[str, dict[str, float]] = {}
    timings: dict[str, tuple[int, float, float]] = {}  # docs, ingest s, evaluation s
    for name, corpus, queries, corpus_arg in plan:
        with fresh_location(backend, pg_url) as location:
            docs, ingest_seconds = timed_ingest(location, corpus)
            started = time.perf_counter()
            for task, m in evaluate_files(queries, corpus_arg, db=location).items():
                metrics[f"{name} {task}"] = m
            timings[name] = (docs, ingest_seconds, time.perf_counter() - started)
    return {"metrics": metrics, "timings": timings}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL)
    parser.add_argument("--pg-url", help="an existing server (default: start a local one)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not (args.eval_dir / "pubmedqa_sv" / "dev.jsonl").exists():
        print(f"skipped: no evaluation data at {args.eval_dir}")
        return 0
    pg_url = args.pg_url
    if pg_url is None:
        pg_url, why = start_postgres()
        if pg_url is None:
            print(f"skipped: PostgreSQL could not be started: {why}")
            return 0

    with tempfile.TemporaryDirectory() as tmp:
        warm_up(args.eval_dir / "pubmedqa_sv" / "corpus.jsonl", Path(tmp))
        results = {
            b: run_backend(b, pg_url, args.eval_dir, Path(tmp)) for b in ("sqlite", "postgres")
        }
    tasks = list(results["sqlite"]["metrics"])
    same = {
        task: all(
            round(results["sqlite"]["metrics"][task][m], 3)
            == round(results["postgres"]["metrics"][task][m], 3)
            for m in (*METRICS, "queries")
        )
        for task in tasks
    }
    if args.json:
        print(json.dumps({"results": results, "equal_to_3_decimals": same}, indent=2))
        return 0 if all(same.values()) else 1

    print(
        f"{'task':30} {'backend':9} {'n':>5} {'nDCG@10':>8} {'MRR@10':>8} {'R@1':>7} "
        f"{'R@10':>7}  equal"
    )
    for task in tasks:
        for backend in ("sqlite", "postgres"):
            m = results[backend]["metrics"][task]
            flag = ("yes" if same[task] else "NO") if backend == "postgres" else ""
            print(
                f"{task:30} {backend:9} {int(m['queries']):5d} {m['ndcg@10']:8.3f} "
                f"{m['mrr@10']:8.3f} {m['recall@1']:7.3f} {m['recall@10']:7.3f}  {flag}"
            )
    print()
    print(f"{'corpus':12} {'backend':9} {'docs':>5} {'ingest s':>9} {'docs/s':>7} {'eval s':>7}")
    for name in results["sqlite"]["timings"]:
        for backend in ("sqlite", "postgres"):
            docs, seconds, evaluation = results[backend]["timings"][name]
            print(
                f"{name:12} {backend:9} {docs:5d} {seconds:9.1f} {docs / seconds:7.0f} "
                f"{evaluation:7.1f}"
            )
    verdict = "equal" if all(same.values()) else "DIFFERENT"
    print(f"\nmetrics on SQLite and PostgreSQL: {verdict} to 3 decimals")
    return 0 if all(same.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
