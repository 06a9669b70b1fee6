"""Loaders that turn evaluation files into a corpus and queries.

Two shapes are understood:

* a corpus JSONL (``{"id", "text", ...}``) plus queries JSONL with ``id``,
  ``query`` (or ``question``), ``relevant`` (list of doc ids) and optional
  ``candidates`` — the PubMedQA-sv files have this shape;
* SweFAQ lines (``{"question", "candidate_answers", "label", ...}``), from which
  the corpus (every distinct answer) and the queries are derived.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lindra.errors import QueryError

__all__ = ["EvalQuery", "answer_id", "load_queries", "swefaq"]


@dataclass(frozen=True, slots=True)
class EvalQuery:
    id: str
    query: str
    relevant: tuple[str, ...]
    candidates: tuple[str, ...] | None = None


def answer_id(text: str) -> str:
    """A stable document id for a SweFAQ answer text.

    >>> answer_id("Ja.")
    'faq-b0d4847c49c3'
    """
    return "faq-" + hashlib.sha1(text.strip().encode("utf-8")).hexdigest()[:12]


def _lines(path: Path) -> list[tuple[int, dict[str, Any]]]:
    rows = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                raise QueryError(f"{path} line {number}: not valid JSON ({exc.msg}).") from exc
            if not isinstance(value, dict):
                raise QueryError(f"{path} line {number}: expected a JSON object.")
            rows.append((number, value))
    return rows


def is_swefaq(path: Path) -> bool:
    rows = _lines(path)
    return bool(rows) and "candidate_answers" in rows[0][1]


def load_queries(path: Path) -> list[EvalQuery]:
    """Queries with their relevant documents.

    :raises QueryError: naming file and line for a malformed line.
    """
    queries = []
    for number, row in _lines(path):
        text = row.get("query", row.get("question"))
        relevant = row.get("relevant", [])
        if not isinstance(text, str) or not text.strip():
            raise QueryError(f"{path} line {number}: missing 'query' (or 'question').")
        if not isinstance(relevant, list) or not all(isinstance(r, str | int) for r in relevant):
            raise QueryError(f"{path} line {number}: 'relevant' must be a list of document ids.")
        candidates = row.get("candidates")
        queries.append(
            EvalQuery(
                str(row.get("id", number)),
                text,
                tuple(str(r) for r in relevant),
                tuple(str(c) for c in candidates) if isinstance(candidates, list) else None,
            )
        )
    return queries


def swefaq(path: Path) -> tuple[list[dict[str, Any]], list[EvalQuery], list[EvalQuery]]:
    """SweFAQ as (corpus records, retrieval queries, answer-selection queries).

    Query ids are line numbers; ``meta`` is kept out of the corpus (it names the
    category, which the official task does not give the ranker).
    """
    corpus: dict[str, dict[str, Any]] = {}
    retrieval, selection = [], []
    for number, row in _lines(path):
        answers = [str(a) for a in row["candidate_answers"]]
        ids = [answer_id(a) for a in answers]
        for doc_id, text in zip(ids, answers, strict=True):
            corpus.setdefault(doc_id, {"id": doc_id, "text": text, "kind": "faq"})
        gold = ids[int(row["label"])]
        qid = f"q{number}"
        retrieval.append(EvalQuery(qid, row["question"], (gold,)))
        selection.append(EvalQuery(qid, row["question"], (gold,), tuple(ids)))
    return list(corpus.values()), retrieval, selection
