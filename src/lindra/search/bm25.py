"""BM25F over passages, held in memory as a sparse matrix of term impacts.

The store keeps each passage's analysed terms per field; this module turns
them into a matrix whose cell (passage, term) is the saturated, length
normalised BM25F term weight (Robertson & Zaragoza 2009, "The Probabilistic
Relevance Framework: BM25 and Beyond", eq. 3.19 with per-field b). A query is
then one sparse column slice times the idf-weighted query vector, the same
"eager scoring" idea as bm25s (Lù 2024). Because the index is rebuilt from the
store, it can never disagree with it, and both backends rank identically.

Searching needs numpy alone: scipy builds the matrix (its compressed-column
conversion is fast C) and is imported only then, so a one-off search from a saved
snapshot does not pay scipy's 0.15–0.2 s import.
"""

from __future__ import annotations

import functools
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt

from lindra.store.base import IndexRow

__all__ = ["Bm25Index", "Bm25Params", "TermImpacts", "idf", "top_k"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.integer]

_BUILD_SLICE = 1 << 20  # postings whose impacts one step computes (bounds its temporaries)


@dataclass(frozen=True, slots=True)
class TermImpacts:
    """The impact matrix in compressed-column form: the passages (``indices``) and
    impacts (``data``) of term column ``j`` are at ``indptr[j]:indptr[j + 1]``,
    passages in ascending order.

    The columns that more than half of the passages hold (``=att``, ``=och``: the
    stop words a question keeps as exact forms) are also kept whole, one row of
    ``common_impacts`` per column of ``common_columns`` (ascending). A query adds
    such a row in one pass instead of scattering half a million entries: at 100,000
    documents that halved a query's scoring, and a row (8 bytes per passage) is at
    most a third larger than the column's entries (12 bytes each).

    >>> m = TermImpacts(np.array([1.0, 2.0, 3.0]), np.array([0, 2, 1]), np.array([0, 2, 3]), 3)
    >>> m.weighted_sum([1, 0], np.array([10.0, 1.0])).tolist()
    [1.0, 30.0, 2.0]
    >>> m.with_common_columns().common_columns.tolist()  # column 0 is in 2 passages of 3
    [0]
    """

    data: FloatArray
    indices: IntArray
    indptr: IntArray
    n_rows: int
    common_columns: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    common_impacts: FloatArray = field(default_factory=lambda: np.zeros((0, 0)))

    def __post_init__(self) -> None:
        ends_at = int(self.indptr[-1]) if len(self.indptr) else 0
        if len(self.indices) != len(self.data) or ends_at != len(self.data):
            raise ValueError(
                f"impact arrays disagree: {len(self.data)} impacts, {len(self.indices)} "
                f"row numbers, columns ending at {ends_at}"
            )
        if len(self.common_columns) and (
            self.common_impacts.shape != (len(self.common_columns), self.n_rows)
            or not np.all(np.diff(self.common_columns) > 0)
            or int(self.common_columns[0]) < 0
            or int(self.common_columns[-1]) >= len(self.indptr) - 1
        ):
            raise ValueError(
                f"{len(self.common_columns)} common columns do not match their "
                f"{self.common_impacts.shape} impacts or the {len(self.indptr) - 1} columns"
            )

    def with_common_columns(self) -> TermImpacts:
        """These impacts with the columns of more than half of the rows kept whole."""
        held = np.diff(self.indptr)
        columns = np.flatnonzero(held > self.n_rows / 2)
        whole = np.zeros((len(columns), self.n_rows))
        for row, column in zip(whole, columns, strict=True):
            start, end = self.indptr[column], self.indptr[column + 1]
            row[self.indices[start:end]] = self.data[start:end]
        return replace(self, common_columns=columns, common_impacts=whole)

    def column_rows(self, column: int) -> IntArray:
        return self.indices[self.indptr[column] : self.indptr[column + 1]]

    def weighted_sum(self, columns: Sequence[int], weights: FloatArray) -> FloatArray:
        """Per row, the sum of ``weights[i]`` times column ``columns[i]``'s impact:
        a sparse matrix-vector product, as one ``bincount`` over the columns' entries,
        plus the common columns' rows."""
        indptr, indices, data = self.indptr, self.indices, self.data
        # In column order, whatever order the caller gives (a query's terms come from
        # sets): the additions, and so the last bits of the scores, are the same every run.
        weighted = sorted(zip(columns, weights, strict=True))
        common = self._common_rows([column for column, _ in weighted])
        spans = [
            (int(indptr[c]), int(indptr[c + 1]), w)
            for (c, w), whole in zip(weighted, common, strict=True)
            if whole < 0
        ]
        if spans:
            rows = np.concatenate([indices[start:end] for start, end, _ in spans])
            values = np.concatenate([data[start:end] * weight for start, end, weight in spans])
            # With weights, bincount returns float64: astype only tells the type checker.
            scores = np.bincount(rows, weights=values, minlength=self.n_rows).astype(
                np.float64, copy=False
            )
        else:
            scores = np.zeros(self.n_rows)
        for (_, weight), whole in zip(weighted, common, strict=True):
            if whole >= 0:
                scores += weight * self.common_impacts[whole]
        return scores

    def _common_rows(self, columns: list[int]) -> list[int]:
        """The row of ``common_impacts`` holding each column, or -1."""
        if not len(self.common_columns) or not columns:
            return [-1] * len(columns)
        found = np.searchsorted(self.common_columns, columns)
        inside = np.minimum(found, len(self.common_columns) - 1)
        held = self.common_columns[inside] == columns
        rows: list[int] = np.where(held, inside, -1).tolist()
        return rows

    @property
    def nbytes(self) -> int:
        return int(
            self.data.nbytes
            + self.indices.nbytes
            + self.indptr.nbytes
            + self.common_columns.nbytes
            + self.common_impacts.nbytes
        )


@dataclass(frozen=True, slots=True)
class Bm25Params:
    """BM25F parameters: saturation ``k1``, per-field weight and length normalisation ``b``,
    and how much of the idf to compute within a candidate set."""

    k1: float = 1.2
    weights: Mapping[str, float] = field(
        default_factory=lambda: {"title": 1.0, "heading": 1.5, "body": 1.0, "keywords": 0.5}
    )
    b: Mapping[str, float] = field(
        default_factory=lambda: {"title": 0.5, "heading": 0.5, "body": 0.75, "keywords": 0.5}
    )
    # Share of idf computed within a candidate set when one is given.
    local_idf: float = 0.75


def idf(doc_freq: FloatArray, n_docs: int) -> FloatArray:
    """Lucene's non-negative BM25 idf: ln(1 + (N - df + 0.5) / (df + 0.5)).

    >>> [round(float(x), 3) for x in idf(np.array([1.0, 50.0]), 100)]
    [4.21, 0.693]
    """
    return np.log1p((n_docs - doc_freq + 0.5) / (doc_freq + 0.5))


class Bm25Index:
    """An immutable BM25F index over the passages of a store.

    :param rows: passages with their per-field term counts, grouped by document
        (the store yields them ordered by document id and ordinal).
    """

    def __init__(self, rows: Iterable[IndexRow], params: Bm25Params | None = None) -> None:
        self.params = params or Bm25Params()
        self.passage_ids: list[str] = []
        self.doc_ids: list[str] = []
        self.vocabulary: dict[str, int] = {}
        passage_doc = array("q")
        # Postings per field as typed arrays (12 bytes each, where lists of Python
        # ints cost about 3x as much): the build's peak memory is in these.
        triples: dict[str, tuple[array[int], array[int], array[int]]] = {}
        lengths: dict[str, array[int]] = {}
        for row_number, row in enumerate(rows):
            self.passage_ids.append(row.passage_id)
            if not self.doc_ids or self.doc_ids[-1] != row.doc_id:
                self.doc_ids.append(row.doc_id)
            passage_doc.append(len(self.doc_ids) - 1)
            for field_name, counts in row.terms.items():
                rows_, cols, vals = triples.setdefault(
                    field_name, (array("i"), array("i"), array("i"))
                )
                field_lengths = lengths.setdefault(field_name, array("i"))
                field_lengths.extend([0] * (row_number + 1 - len(field_lengths)))
                field_lengths[row_number] = sum(counts.values())
                rows_.extend([row_number] * len(counts))
                cols.extend(self.vocabulary.setdefault(t, len(self.vocabulary)) for t in counts)
                vals.extend(counts.values())
        self.n_passages = len(self.passage_ids)
        self.passage_doc = np.frombuffer(passage_doc, dtype=np.int64)
        self.doc_starts = (
            np.flatnonzero(np.r_[True, np.diff(self.passage_doc) != 0])
            if self.n_passages
            else np.zeros(0, dtype=np.int64)
        )
        self._build(triples, lengths)

    @classmethod
    def from_arrays(
        cls,
        params: Bm25Params,
        *,
        passage_ids: list[str],
        doc_ids: list[str],
        terms: list[str],
        impacts: TermImpacts,
        idf: FloatArray,
        passage_doc: npt.NDArray[np.int64],
        doc_starts: npt.NDArray[np.int64],
    ) -> Bm25Index:
        """An index from the arrays a built one holds (a saved snapshot, read back)."""
        index = cls.__new__(cls)
        index.params = params
        index.passage_ids, index.doc_ids = passage_ids, doc_ids
        index.vocabulary = {term: column for column, term in enumerate(terms)}
        index.n_passages = len(passage_ids)
        index.passage_doc, index.doc_starts = passage_doc, doc_starts
        index.impacts, index.idf = impacts, idf
        return index

    # Id lookups that a plain search never needs: built at first use, not at every
    # process start (0.09 s at 100,000 documents and 190,000 passages).
    @functools.cached_property
    def passage_rows(self) -> dict[str, int]:
        """Row of each passage id (dense similarity of given passages)."""
        return {pid: row for row, pid in enumerate(self.passage_ids)}

    @functools.cached_property
    def terms(self) -> list[str]:
        """Each column's term (the vocabulary is numbered in insertion order)."""
        return list(self.vocabulary)

    @functools.cached_property
    def doc_number(self) -> dict[str, int]:
        """Number of each document id (candidate masks)."""
        return {doc_id: i for i, doc_id in enumerate(self.doc_ids)}

    def _build(
        self,
        triples: dict[str, tuple[array[int], array[int], array[int]]],
        lengths: dict[str, array[int]],
    ) -> None:
        """Impacts: per passage and term, the saturated sum of the length-normalised
        field counts (one matrix built once from all fields' postings).

        Memory bounds the size of base one machine can index, so each field's postings
        are copied into one set of arrays and freed at once (*triples* is emptied), and
        the values are computed a slice at a time: the build needs about 27 bytes per
        posting above the postings it starts from (50 before), and every impact is the
        same to the last bit.
        """
        from scipy import sparse  # building only: searching a snapshot never imports it

        shape = (self.n_passages, len(self.vocabulary))
        total = sum(len(rows_) for rows_, _, _ in triples.values())
        all_rows = np.empty(total, dtype=np.int32)
        all_cols = np.empty(total, dtype=np.int32)
        all_values = np.empty(total, dtype=np.float64)
        start = 0
        for field_name in list(triples):
            rows_, cols, vals = triples.pop(field_name)
            weight = self.params.weights.get(field_name, 1.0)
            b = self.params.b.get(field_name, 0.75)
            field_lengths = np.zeros(self.n_passages)
            known = np.frombuffer(lengths[field_name], dtype=np.int32)
            field_lengths[: len(known)] = known
            average = field_lengths.mean() or 1.0
            norm = weight / (1.0 - b + b * field_lengths / average)
            end = start + len(rows_)
            all_rows[start:end] = np.frombuffer(rows_, dtype=np.int32)
            all_cols[start:end] = np.frombuffer(cols, dtype=np.int32)
            counts = np.frombuffer(vals, dtype=np.int32)
            for part in range(0, len(counts), _BUILD_SLICE):
                at = slice(part, part + _BUILD_SLICE)
                rows_at = all_rows[start:end][at]
                all_values[start:end][at] = counts[at] * norm[rows_at]
            del rows_, cols, vals, counts
            start = end
        pseudo_tf = sparse.csc_matrix((all_values, (all_rows, all_cols)), shape=shape)
        del all_rows, all_cols, all_values
        pseudo_tf.sum_duplicates()  # a term in two fields of a passage: one impact
        # saturation tf (k1 + 1) / (k1 + tf), in place
        k1 = self.params.k1
        data = pseudo_tf.data
        denominator = data + k1
        data *= k1 + 1.0
        data /= denominator
        del denominator
        self.impacts = TermImpacts(
            data, pseudo_tf.indices, pseudo_tf.indptr, self.n_passages
        ).with_common_columns()
        doc_freq = np.diff(self.impacts.indptr).astype(np.float64)
        self.idf = idf(doc_freq, max(self.n_passages, 1))

    def __len__(self) -> int:
        return self.n_passages

    def doc_freq(self, term: str) -> int:
        column = self.vocabulary.get(term)
        if column is None:
            return 0
        return int(self.impacts.indptr[column + 1] - self.impacts.indptr[column])

    def passage_scores(
        self,
        query: Mapping[str, float],
        within: npt.NDArray[np.bool_] | None = None,
        local_idf: float = 0.0,
    ) -> FloatArray:
        """BM25F score of every passage for weighted query terms.

        :param within: mask over passages that restricts the ranking.
        :param local_idf: share (0..1) of each term's idf computed inside *within*
            rather than over the whole index: among candidates that all mention
            "vaccin", the word no longer tells them apart.
        """
        columns = [self.vocabulary[t] for t in query if t in self.vocabulary]
        if not columns or not self.n_passages:
            return np.zeros(self.n_passages)
        term_idf = self.idf[columns]
        if within is not None and local_idf > 0:
            # every stored impact is positive: a column's rows are the passages with the term
            inside = np.array(
                [np.count_nonzero(within[self.impacts.column_rows(c)]) for c in columns],
                dtype=np.float64,
            )
            local = idf(inside, max(int(within.sum()), 1))
            term_idf = local_idf * local + (1.0 - local_idf) * term_idf
        weights = np.array([query[t] for t in query if t in self.vocabulary]) * term_idf
        scores = self.impacts.weighted_sum(columns, weights)
        return scores if within is None else np.where(within, scores, 0.0)

    def document_scores(self, passage_scores: FloatArray) -> FloatArray:
        """Best passage score per document."""
        if not self.n_passages:
            return np.zeros(0)
        return self._passage_ranks.best(passage_scores)

    @functools.cached_property
    def _passage_ranks(self) -> PassageRanks:
        return PassageRanks(self.doc_starts, self.n_passages)

    def best_passage(self, passage_scores: FloatArray, doc: int) -> int:
        """Row of the document's best passage (the first of equals); asked only for
        the documents shown, so ranking never pays for it."""
        start = int(self.doc_starts[doc])
        end = int(self.doc_starts[doc + 1]) if doc + 1 < len(self.doc_starts) else self.n_passages
        return start + int(np.argmax(passage_scores[start:end]))

    def candidate_mask(self, doc_ids: Sequence[str]) -> npt.NDArray[np.bool_]:
        """Boolean mask over documents for a candidate set (unknown ids are ignored)."""
        mask = np.zeros(len(self.doc_ids), dtype=bool)
        numbers = [self.doc_number[d] for d in doc_ids if d in self.doc_number]
        mask[numbers] = True
        return mask

    def vocabulary_size(self) -> int:
        return len(self.vocabulary)

    def memory_bytes(self) -> int:
        return self.impacts.nbytes + int(self.idf.nbytes)


class PassageRanks:
    """The best passage score of each document, without a per-document loop.

    ``np.maximum.reduceat`` costs about 15 ns per document, whatever its length;
    most documents have a few passages, so the maximum is taken rank by rank instead
    (the first passage of every document, then the second of those that have one,
    ...), one vectorised step per rank up to :data:`RANK_STEPS`, and the passages of
    longer documents after that by ``reduceat`` over those documents alone: at
    10,000 documents 0.15 → 0.05 ms per query.

    >>> ranks = PassageRanks(np.array([0, 2, 3]), 6)  # documents of 2, 1 and 3 passages
    >>> ranks.best(np.array([1.0, 5.0, 2.0, 0.0, 7.0, 3.0])).tolist()
    [5.0, 2.0, 7.0]
    """

    RANK_STEPS = 8

    def __init__(self, doc_starts: npt.NDArray[np.int64], n_passages: int) -> None:
        self.firsts = np.asarray(doc_starts, dtype=np.intp)
        lengths = np.diff(np.r_[self.firsts, n_passages])
        # (documents with a passage at rank j, that passage's row), j = 1 .. RANK_STEPS - 1
        self.steps = [
            (docs, self.firsts[docs] + rank)
            for rank in range(1, min(self.RANK_STEPS, int(lengths.max(initial=0))))
            if len(docs := np.flatnonzero(lengths > rank))
        ]
        # the passages past RANK_STEPS of longer documents, document by document
        self.long_docs = np.flatnonzero(lengths > self.RANK_STEPS)
        tails = lengths[self.long_docs] - self.RANK_STEPS
        self.long_starts = np.cumsum(tails) - tails
        self.long_rows = np.repeat(self.firsts[self.long_docs] + self.RANK_STEPS, tails) + (
            np.arange(int(tails.sum())) - np.repeat(self.long_starts, tails)
        )

    def best(self, passage_scores: FloatArray) -> FloatArray:
        best = passage_scores[self.firsts]
        for docs, rows in self.steps:
            best[docs] = np.maximum(best[docs], passage_scores[rows])
        if len(self.long_docs):
            tails = np.maximum.reduceat(passage_scores[self.long_rows], self.long_starts)
            best[self.long_docs] = np.maximum(best[self.long_docs], tails)
        return best


def top_k(scores: FloatArray, k: int) -> list[int]:
    """Indices of the *k* highest scores, best first; ties keep index order."""
    if k <= 0 or not len(scores):
        return []
    k = min(k, len(scores))
    part = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
    return sorted(part.tolist(), key=lambda i: (-scores[i], i))
