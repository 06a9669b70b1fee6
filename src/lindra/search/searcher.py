"""Passage and document search over a store, with an index cached per store generation."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import numpy.typing as npt

from lindra.language.analyzer import EXACT, Analyzer, is_variant
from lindra.language.normalize import fold
from lindra.search.bm25 import Bm25Index, Bm25Params, FloatArray, top_k
from lindra.search.dense import DenseIndex, Embedder
from lindra.search.query import Query
from lindra.search.snapshot_files import (
    SnapshotShelf,
    fetch_snapshot,
    load_snapshot,
    publish_snapshot,
    save_snapshot,
    snapshot_key,
)
from lindra.search.spelling import SpellingHelper
from lindra.search.word_analyses import WordAnalyses
from lindra.store.base import Store
from lindra.types import Hit

__all__ = ["DocumentHit", "Searcher", "Snapshot"]

logger = logging.getLogger(__name__)

# After another process writes, a reader keeps its snapshot at least this long
# before it builds the next one in the background (a running ingest's writes are
# coalesced instead of rebuilding the index for each document) ...
REFRESH_SECONDS = 1.0
# ... and at least this many times as long as the last build took, so that
# rebuilding never takes more than a tenth of a core while another process writes.
REFRESH_PER_BUILD = 10.0


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything built from one store generation. A query uses one snapshot
    from start to end, so a write by another process can never mix generations."""

    generation: int
    bm25: Bm25Index
    spelling: SpellingHelper
    dense: DenseIndex | None
    words: WordAnalyses


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
    :param is_word: whether a typed word is real Swedish (enables spelling help).
    :param filler: question-forming words that do not count for relevance.
    :param embedder: enables hybrid ranking with passage embeddings.
    :param dense_weight: share of the dense score in the hybrid (0 = BM25 only).
    :param snapshot_folder: where built indexes are saved and read back, per store
        generation (:mod:`lindra.search.snapshot_files`); None keeps them in memory.
        A store that is a :class:`SnapshotShelf` (PostgreSQL) also shares them with
        the other processes reading it.
    :param snapshot_pipeline: the ingest pipeline version, part of the snapshot's key
        with the BM25 parameters and the embedding model.
    """

    def __init__(
        self,
        store: Store,
        analyzer: Analyzer,
        params: Bm25Params | None = None,
        is_word: Callable[[str], bool] | None = None,
        filler: frozenset[str] = frozenset(),
        embedder: Embedder | None = None,
        dense_weight: float = 0.6,
        snapshot_folder: Path | None = None,
        snapshot_pipeline: str = "",
    ) -> None:
        self.store = store
        self.analyzer = analyzer
        self.params = params or Bm25Params()
        self.snapshot_folder = snapshot_folder
        self.snapshot_key = snapshot_key(
            self.params,
            snapshot_pipeline,
            embedder.model_id if embedder else None,
            store.identity(),
        )
        self.is_word = is_word
        self.filler = filler
        self.embedder = embedder
        self.dense_weight = dense_weight
        self._snapshot: Snapshot | None = None
        self._built_writes = -1  # the store's own write count at the last build
        self._lock = threading.Lock()
        self._refreshing = threading.Event()
        self._refreshed_at = 0.0
        self._build_seconds = 0.0

    def snapshot(self) -> Snapshot:
        """The indexes of the store's generation, consistent from start to end.

        After a write through this store the next call rebuilds at once (a writer
        reads its own writes). After a write by another process the last snapshot is
        served while a background thread builds the next one, at most one build per
        :data:`REFRESH_SECONDS` (longer for a base whose build is slow): a running
        ingest never makes readers wait on a rebuild, and its writes become visible
        within seconds.
        """
        current = self._snapshot
        if current is None or self.store.writes != self._built_writes:
            return self._rebuild()
        if current.generation != self.store.generation():
            self._refresh_in_background()
        return current

    def _refresh_in_background(self) -> None:
        pause = max(REFRESH_SECONDS, REFRESH_PER_BUILD * self._build_seconds)
        if self._refreshing.is_set() or time.monotonic() - self._refreshed_at < pause:
            return
        self._refreshing.set()

        def refresh() -> None:
            try:
                self._rebuild()
            except Exception:  # the next request tries again, synchronously if need be
                logger.exception("rebuilding the index in the background failed")
            finally:
                self._refreshed_at = time.monotonic()
                self._refreshing.clear()

        threading.Thread(target=refresh, name="lindra-index-refresh", daemon=True).start()

    def _rebuild(self) -> Snapshot:
        """Build the snapshot of the current generation (unless one just was).

        The store's rows are read inside one generation check: if a writer
        committed meanwhile, the build is repeated, so a snapshot never mixes
        two generations.
        """
        with self._lock:
            current = self._snapshot
            writes = self.store.writes
            generation = self.store.generation()
            if (
                current is not None
                and current.generation == generation
                and writes == self._built_writes
            ):
                return current
            started = time.perf_counter()
            generation, bm25, dense, words = self._load_or_build(generation, current)
            spelling = SpellingHelper(bm25.vocabulary, bm25.doc_freq)
            self._snapshot = Snapshot(generation, bm25, spelling, dense, words)
            self._built_writes = writes
            self._build_seconds = time.perf_counter() - started
            logger.info("built index of %d passages (generation %d)", len(bm25), generation)
            return self._snapshot

    def _load_or_build(
        self, generation: int, previous: Snapshot | None
    ) -> tuple[int, Bm25Index, DenseIndex | None, WordAnalyses]:
        """The indexes of *generation*, read from a saved snapshot, or else built from
        the store's rows (again, for the newer generation, if a writer commits
        meanwhile) and saved; with the generation they hold. The words that the
        *previous* snapshot analysed are not analysed again."""
        folder = self.snapshot_folder
        shelf = self.store if isinstance(self.store, SnapshotShelf) else None
        if folder is not None:
            dense_on = self.embedder is not None
            key = self.snapshot_key
            saved = load_snapshot(folder, generation, key, self.params, dense_on)
            if saved is None and shelf and fetch_snapshot(shelf, folder, generation, key):
                saved = load_snapshot(folder, generation, key, self.params, dense_on)
            if saved is not None:
                return generation, *saved
        while True:
            bm25 = Bm25Index(self.store.index_rows(), self.params)
            vectors = self.store.embeddings() if self.embedder is not None else {}
            if self.store.generation() == generation:
                break
            generation = self.store.generation()
        dense = (
            DenseIndex(bm25.passage_ids, vectors, self.embedder.dimensions)
            if self.embedder is not None
            else None
        )
        words = (
            WordAnalyses.build(
                bm25, self.analyzer.rewrite_word, previous.words if previous else None
            )
            if self.analyzer.per_token
            else WordAnalyses.empty(bm25)
        )
        if folder is not None:
            save_snapshot(folder, generation, self.snapshot_key, bm25, dense, words)
            if shelf is not None:
                publish_snapshot(shelf, folder, generation, self.snapshot_key)
        return generation, bm25, dense, words

    def index(self) -> Bm25Index:
        """The BM25 index of the current snapshot."""
        return self.snapshot().bm25

    def query(self, text: str, gloss: str = "") -> Query:
        """The parsed query, with its embedding when dense retrieval is on. With a
        *gloss* ("ibuprofen" for "Ipren") the text is embedded both as written and
        glossed, and a passage is as close as the closer of the two (the gloss is not
        searched for)."""
        parsed = self.query_without_vector(text)
        if self.embedder is None:
            return parsed
        if not gloss:
            return replace(parsed, vector=self.embedder.queries([text])[0])
        return replace(parsed, vector=self.embedder.queries([text, f"{text} ({gloss})"]))

    def query_without_vector(self, text: str, snapshot: Snapshot | None = None) -> Query:
        """Weighted query terms: analysis and synonyms, then spelling help when an
        *is_word* check was given (without it, queries are taken as typed)."""
        snapshot = snapshot or self.snapshot()
        tokens = self.analyzer.analyze(text, query=True, known=snapshot.words)
        weights: dict[str, float] = {}
        groups: dict[int, set[str]] = {}
        typed: set[str] = set()  # terms from the question's own words, not synonyms
        for token in tokens:
            weights[token.term] = max(weights.get(token.term, 0.0), token.weight)
            if not token.term.startswith(EXACT) or token.origin != "text":
                groups.setdefault(token.position, set()).add(token.term)
            if token.origin in ("text", "hyphen", "compound"):
                typed.add(token.term)
        # Stop words (exact-only tokens at their position) and question fillers
        # ("får", "tag") make no group: they do not say what the question is about.
        fillers = {t.position for t in tokens if t.origin == "text" and fold(t.text) in self.filler}
        content = {
            p: g
            for p, g in groups.items()
            if p not in fillers and any(not is_variant(t) for t in g)
        }
        if self.is_word is not None:
            spelling = snapshot.spelling
            known = frozenset(
                t.term for t in tokens if t.origin == "text" and self.is_word(fold(t.text))
            )
            for group in content.values():
                for term in list(group):
                    if is_variant(term) or term not in typed:
                        continue
                    for suggestion, factor in spelling.suggest(
                        term, known_word=term in known
                    ).items():
                        group.add(suggestion)
                        weight = weights[term] * factor
                        weights[suggestion] = max(weights.get(suggestion, 0.0), weight)
        return Query(text, weights, tuple(frozenset(g) for _, g in sorted(content.items())))

    def index_terms(self, text: str) -> list[str]:
        """The index analysis of *text*, its words read from the last snapshot's table
        where it holds them (any generation's table is right: it only lacks newer words)."""
        snapshot = self._snapshot or self.snapshot()
        return self.analyzer.index_terms(text, snapshot.words)

    def query_terms(self, text: str) -> dict[str, float]:
        return dict(self.query_without_vector(text).weights)

    def passages(self, query: str | Query | Mapping[str, float], k: int) -> list[Hit]:
        """The *k* best passages (score > 0)."""
        snapshot = self.snapshot()
        index = snapshot.bm25
        scores = self.scores(self._query(query, snapshot), snapshot=snapshot)
        return [
            Hit(index.passage_ids[i], index.doc_ids[index.passage_doc[i]], float(scores[i]))
            for i in top_k(scores, k)
            if scores[i] > 0
        ]

    def documents(
        self,
        query: str | Query | Mapping[str, float],
        k: int,
        candidates: Sequence[str] | None = None,
    ) -> list[DocumentHit]:
        """Documents ranked by their best passage.

        With *candidates*, only those documents are ranked, and all of them are
        returned (up to *k*) even when they share no word with the query, so a
        caller choosing among candidates always gets a ranking.
        """
        snapshot = self.snapshot()
        index = snapshot.bm25
        parsed = self._query(query, snapshot)
        if candidates is None:
            passage_scores = self.scores(parsed, snapshot=snapshot)
            scores = index.document_scores(passage_scores)
            matched = np.flatnonzero(scores > 0)
            order = [int(matched[i]) for i in top_k(scores[matched], k)]
        else:
            mask = index.candidate_mask(candidates)
            within = mask[index.passage_doc]
            passage_scores = self.scores(parsed, within, snapshot)
            scores = np.where(mask, index.document_scores(passage_scores), -np.inf)
            order = [i for i in top_k(scores, k) if mask[i]]
        return [
            DocumentHit(
                index.doc_ids[i],
                index.passage_ids[index.best_passage(passage_scores, i)],
                float(scores[i]),
            )
            for i in order
        ]

    def scores(
        self,
        query: Query,
        within: npt.NDArray[np.bool_] | None = None,
        snapshot: Snapshot | None = None,
    ) -> FloatArray:
        """Score of every passage: BM25F, or with an embedder a hybrid of BM25F and
        cosine similarity, each scaled to 0..1 over the passages ranked (Bruch et
        al. 2023, "An Analysis of Fusion Functions for Hybrid Retrieval": convex
        combination of min-max normalised scores)."""
        snapshot = snapshot or self.snapshot()
        local = self.params.local_idf if within is not None else 0.0
        lexical = snapshot.bm25.passage_scores(query.weights, within=within, local_idf=local)
        if snapshot.dense is None or query.vector is None or not len(lexical):
            return lexical
        dense = snapshot.dense.scores(query.vector)
        scope = within if within is not None else np.ones(len(lexical), dtype=bool)
        scope = scope & snapshot.dense.present
        if not scope.any():
            return lexical
        top = lexical[scope].max()
        lexical_part = lexical / top if top > 0 else lexical
        low, high = dense[scope].min(), dense[scope].max()
        dense_part = np.where(scope, (dense - low) / (high - low) if high > low else 0.0, 0.0)
        hybrid = self.dense_weight * dense_part + (1.0 - self.dense_weight) * lexical_part
        return hybrid if within is None else np.where(within, hybrid, 0.0)

    def similarity(self, query: Query, passage_ids: Sequence[str]) -> dict[str, float]:
        """Embedding cosine of *query* with each passage (empty without dense retrieval)."""
        snapshot = self.snapshot()
        if snapshot.dense is None or query.vector is None:
            return {}
        scores = snapshot.dense.scores(query.vector)
        rows = snapshot.bm25.passage_rows
        return {
            pid: float(scores[rows[pid]])
            for pid in passage_ids
            if pid in rows and snapshot.dense.present[rows[pid]]
        }

    def spelled(self, word: str) -> str | None:
        """How the base spells *word*, typed without å/ä/ö: as typed when the index
        knows its stem, with the accents of the index's most used term that reads
        the same without them, else None."""
        stems = [
            token.term
            for token in self.analyzer.analyze(word)
            if token.origin == "text" and not is_variant(token.term)
        ]
        if not stems:
            return None
        snapshot = self.snapshot()
        if stems[0] in snapshot.bm25.vocabulary:
            return word
        folded = fold(word)
        accented = snapshot.spelling.accented(stems[0])
        if not accented or not folded.startswith(stems[0]):
            return None
        return accented[0] + folded[len(stems[0]) :]

    def similarity_background(self, query: Query) -> tuple[float, float] | None:
        """Mean and spread of *query*'s embedding cosine with the base's passages at
        large (see :meth:`DenseIndex.background`); None without dense retrieval."""
        snapshot = self.snapshot()
        if snapshot.dense is None or query.vector is None:
            return None
        return snapshot.dense.background(query.vector)

    def queries(self, texts: Sequence[str]) -> list[Query]:
        """Parse many queries, embedding them in one batch."""
        snapshot = self.snapshot()
        parsed = [self.query_without_vector(t, snapshot) for t in texts]
        if self.embedder is None or not texts:
            return parsed
        vectors = self.embedder.queries(list(texts))
        return [replace(q, vector=v) for q, v in zip(parsed, vectors, strict=True)]

    def _query(self, query: str | Query | Mapping[str, float], snapshot: Snapshot) -> Query:
        if isinstance(query, str):
            parsed = self.query_without_vector(query, snapshot)
            if self.embedder is None:
                return parsed
            return replace(parsed, vector=self.embedder.queries([query])[0])
        if isinstance(query, Query):
            return query
        return Query("", query)
