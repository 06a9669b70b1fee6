"""Run queries against an engine and score the rankings."""

from __future__ import annotations

import json
import logging
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from statistics import mean

from lindra.config import Settings
from lindra.engine import Engine
from lindra.errors import QueryError
from lindra.evaluation.datasets import EvalQuery, is_swefaq, load_queries, swefaq
from lindra.evaluation.metrics import mrr_at, ndcg_at, recall_at

__all__ = ["evaluate_files", "run_queries", "score_run"]

logger = logging.getLogger(__name__)

Ranker = Callable[[str, int, Sequence[str] | None], list[str]]


def run_queries(rank: Ranker, queries: Sequence[EvalQuery], k: int = 10) -> dict[str, list[str]]:
    """``{query id: [doc id, ...]}``; query ids are only used as keys, never for ranking."""
    return {q.id: rank(q.query, k, q.candidates) for q in queries}


def score_run(run: dict[str, list[str]], queries: Sequence[EvalQuery]) -> dict[str, float]:
    """Mean nDCG@10, MRR@10, Recall@1 and Recall@10 (accuracy = Recall@1 for selection)."""
    if not queries:
        return {"queries": 0.0}
    rows = [(run.get(q.id, []), q.relevant) for q in queries]
    return {
        "queries": float(len(queries)),
        "ndcg@10": mean(ndcg_at(r, rel, 10) for r, rel in rows),
        "mrr@10": mean(mrr_at(r, rel, 10) for r, rel in rows),
        "recall@1": mean(recall_at(r, rel, 1) for r, rel in rows),
        "recall@10": mean(recall_at(r, rel, 10) for r, rel in rows),
    }


def evaluate_files(
    queries_path: Path, corpus_path: Path | None, *, top: int = 10, db: str | None = None
) -> dict[str, dict[str, float]]:
    """Ingest a corpus into a (temporary) base, run the queries and score them.

    SweFAQ files need no corpus: every distinct answer becomes a document, and
    both answer retrieval and answer selection (ranking within each question's
    candidates) are scored.

    :raises QueryError: when a PubMedQA-style query file comes without a corpus.
    """
    with tempfile.TemporaryDirectory() as tmp:
        location = db or str(Path(tmp) / "eval.sqlite")
        with Engine.from_settings(Settings(db=location, any_language=True), create=True) as engine:
            if is_swefaq(queries_path):
                records, retrieval, selection = swefaq(queries_path)
                corpus_file = Path(tmp) / "swefaq-corpus.jsonl"
                corpus_file.write_text(
                    "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8"
                )
                _ingest(engine, corpus_file)
                tasks = {"answer retrieval": retrieval, "answer selection": selection}
            else:
                if corpus_path is None:
                    raise QueryError("Give --corpus with the documents the queries should find.")
                _ingest(engine, corpus_path)
                tasks = {"retrieval": load_queries(queries_path)}

            def rank(query: str, k: int, candidates: Sequence[str] | None) -> list[str]:
                return [hit.doc_id for hit in engine.searcher.documents(query, k, candidates)]

            return {name: score_run(run_queries(rank, qs, top), qs) for name, qs in tasks.items()}


def _ingest(engine: Engine, corpus: Path) -> None:
    failed = [o for o in engine.ingest_paths([corpus]) if o.status == "skipped"]
    if failed:
        logger.warning("%d corpus records skipped, e.g. %s", len(failed), failed[0].error)
