"""Index snapshots shared through PostgreSQL: how fast a new machine answers.

    python benchmarks/shared_snapshots.py [--docs 10000] [--pg URL] [--runs 3]

Several ``lindra serve`` instances (or one-off ``lindra search`` processes on other
machines) read one PostgreSQL base. The first process that builds a generation's
index publishes its snapshot files in the database; a process on a machine without
a local copy fetches them instead of decoding every passage's terms. This times a
one-off ``lindra search`` on a fresh machine (an empty cache folder) with the
snapshot in the database, without it (a rebuild from the rows), and with the local
copy already fetched. The base is a synthetic corpus drawn from PubMedQA-sv
sentences (``benchmarks/scale.py``), ingested lexically into a schema of its own,
dropped at the end. Skips without the evaluation data or a PostgreSQL server.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from scale import DEFAULT_EVAL, LEXICAL, LINDRA, sentences, synthetic

REPO = Path(__file__).resolve().parents[1]
QUERY = "behandling av smärta efter operation"


def server_url(given: str | None) -> str | None:
    """*given*, or the local test server that scripts/setup-postgres.sh starts."""
    if given:
        return given
    done = subprocess.run(
        ["bash", str(REPO / "scripts" / "setup-postgres.sh")],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = done.stdout.strip().splitlines()
    return lines[-1] if done.returncode == 0 and lines else None


def one_off_search(url: str, cache: Path) -> float:
    """Seconds of a one-off ``lindra search`` process with *cache* as its cache folder."""
    env = {**LEXICAL, "LINDRA_CACHE_DIR": str(cache)}
    started = time.perf_counter()
    subprocess.run(
        [*LINDRA, "search", "--db", url, QUERY], env=env, check=True, capture_output=True
    )
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL)
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--pg", help="PostgreSQL URL (default: the local test server)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    corpus = args.eval_dir / "pubmedqa_sv" / "corpus.jsonl"
    if not corpus.exists():
        print(f"skipped: no evaluation data at {args.eval_dir}")
        return 0
    admin_url = server_url(args.pg)
    if admin_url is None:
        print("skipped: no PostgreSQL server (scripts/setup-postgres.sh failed)")
        return 0
    import psycopg

    sys.path.insert(0, str(REPO))
    from tests.store.conftest import with_search_path

    schema = f"lindra_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
    url = with_search_path(admin_url, schema)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            docs = work / "docs.jsonl"
            synthetic(sentences(corpus), args.docs, docs)
            started = time.perf_counter()
            subprocess.run(
                [*LINDRA, "ingest", "--db", url, str(docs)],
                env={**LEXICAL, "LINDRA_CACHE_DIR": str(work / "writer")},
                check=True,
                capture_output=True,
            )
            ingest = time.perf_counter() - started
            fetched = [one_off_search(url, work / f"fetch{i}") for i in range(args.runs)]
            local = [one_off_search(url, work / "fetch0") for _ in range(args.runs)]
            with psycopg.connect(url, autocommit=True) as conn:
                size = conn.execute("SELECT coalesce(sum(length(data)), 0) FROM index_snapshots")
                row = size.fetchone()
                megabytes = (row[0] if row else 0) / 1e6
                conn.execute("DELETE FROM index_snapshots")
            rebuilt = []
            for i in range(args.runs):
                rebuilt.append(one_off_search(url, work / f"rebuild{i}"))
                with psycopg.connect(url, autocommit=True) as conn:
                    conn.execute("DELETE FROM index_snapshots")  # the rebuild published one
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
    print(f"{args.docs:,} documents on PostgreSQL, lexical; ingest {ingest:.0f} s; ")
    print(f"snapshot in the database: {megabytes:.0f} MB")
    print(f"{'one-off lindra search on a new machine':48} {'median s':>9} {'runs':>20}")
    for label, times in (
        ("snapshot fetched from the database", fetched),
        ("no snapshot in the database (rebuild)", rebuilt),
        ("local copy already fetched", local),
    ):
        runs = " ".join(f"{t:.2f}" for t in times)
        print(f"{label:48} {statistics.median(times):9.2f} {runs:>20}")
    return 0


if __name__ == "__main__":
    os.chdir(REPO)
    raise SystemExit(main())
