"""Passage and document search over a store, with an index cached per store generation."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from lindra.language.analyzer import Analyzer
from lindra.language.normalize import fold
from lindra.search.bm25 import Bm25Index, Bm25Params, top_k
from lindra.search.spelling import SpellingHelper
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

    def __init__(
        self,
        store: Store,
        analyzer: Analyzer,
        params: Bm25Params | None = None,
        is_word: Callable[[str], bool] | None = None,
    ) -> None:
        self.store = store
        self.analyzer = analyzer
        self.params = params or Bm25Params()
        self.is_word = is_word
        self._index: Bm25Index | None = None
        self._spelling: SpellingHelper | None = None
        self._generation = -1
        self._lock = threading.Lock()

    def index(self) -> Bm25Index:
        """The current index, rebuilt when the store changed since the last build."""
        generation = self.store.generation()
        with self._lock:
            if self._index is None or generation != self._generation:
                index = Bm25Index(self.store.index_rows(), self.params)
                self._spelling = SpellingHelper(list(index.vocabulary), index.doc_freq)
                self._index, self._generation = index, generation
                logger.info("built index of %d passages (generation %d)", len(index), generation)
            return self._index

    def query_terms(self, query: str) -> dict[str, float]:
        """Weighted query terms: analysis and synonyms, then spelling help when an
        *is_word* check was given (without it, queries are taken as typed)."""
        tokens = self.analyzer.analyze(query, query=True)
        weights: dict[str, float] = {}
        for token in tokens:
            weights[token.term] = max(weights.get(token.term, 0.0), token.weight)
        if self.is_word is None:
            return weights
        self.index()
        assert self._spelling is not None
        known = frozenset(t.term for t in tokens if t.origin == "text" and self.is_word(fold(t.text)))
        return self._spelling.expand(weights, known)

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
        if candidates is None:
            scores, best = index.document_scores(index.passage_scores(terms))
            order = [i for i in top_k(scores, k) if scores[i] > 0]
        else:
            mask = index.candidate_mask(candidates)
            passage_scores = index.passage_scores(
                terms, within=mask[index.passage_doc], local_idf=self.params.local_idf
            )
            scores, best = index.document_scores(passage_scores)
            scores = np.where(mask, scores, -np.inf)
            order = [i for i in top_k(scores, k) if mask[i]]
        return [
            DocumentHit(index.doc_ids[i], index.passage_ids[best[i]], float(scores[i]))
            for i in order
        ]
