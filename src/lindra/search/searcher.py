"""Passage and document search over a store, with an index cached per store generation."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from lindra.language.analyzer import Analyzer
from lindra.search.bm25 import Bm25Index, Bm25Params, top_k
from lindra.store.base import Store
from lindra.types import Hit

__all__ = ["DocumentHit", "Searcher"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class DocumentHit:
    """A document ranked by its best passage."""

    doc_id: str
    passage_id: str
    score: float


class Searcher:
    """Rank passages and documents for a query.

    :param store: where passages and their terms live.
    :param analyzer: turns the query into weighted terms.
    """

    def __init__(self, store: Store, analyzer: Analyzer, params: Bm25Params | None = None) -> None:
        self.store = store
        self.analyzer = analyzer
        self.params = params or Bm25Params()
        self._index: Bm25Index | None = None
        self._generation = -1

    def index(self) -> Bm25Index:
        """The current index, rebuilt when the store changed since the last build."""
        generation = self.store.generation()
        if self._index is None or generation != self._generation:
            self._index = Bm25Index(self.store.index_rows(), self.params)
            self._generation = generation
            logger.info("built index of %d passages (generation %d)", len(self._index), generation)
        return self._index

    def query_terms(self, query: str) -> dict[str, float]:
        return self.analyzer.query_terms(query)

    def passages(self, query: str | Mapping[str, float], k: int) -> list[Hit]:
        """The *k* best passages (score > 0)."""
        index = self.index()
        terms = self.query_terms(query) if isinstance(query, str) else query
        scores = index.passage_scores(terms)
        return [
            Hit(index.passage_ids[i], index.doc_ids[index.passage_doc[i]], float(scores[i]))
            for i in top_k(scores, k)
            if scores[i] > 0
        ]

    def documents(
        self,
        query: str | Mapping[str, float],
        k: int,
        candidates: Sequence[str] | None = None,
    ) -> list[DocumentHit]:
        """Documents ranked by their best passage.

        With *candidates*, only those documents are ranked, and all of them are
        returned (up to *k*) even when they share no word with the query, so a
        caller choosing among candidates always gets a ranking.
        """
        index = self.index()
        terms = self.query_terms(query) if isinstance(query, str) else query
        scores, best = index.document_scores(index.passage_scores(terms))
        if candidates is not None:
            mask = index.candidate_mask(candidates)
            scores = np.where(mask, scores, -np.inf)
            order = [i for i in top_k(scores, k) if mask[i]]
        else:
            order = [i for i in top_k(scores, k) if scores[i] > 0]
        return [
            DocumentHit(index.doc_ids[i], index.passage_ids[best[i]], float(scores[i]))
            for i in order
        ]
