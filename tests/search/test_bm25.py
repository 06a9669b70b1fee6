"""BM25F index: scores against a hand computation, fields, candidates, local idf."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from scipy import sparse

from lindra.search.bm25 import Bm25Index, Bm25Params, PassageRanks, TermImpacts, idf, top_k
from lindra.store.base import IndexRow

ROWS = [
    IndexRow("a:0", "a", {"body": {"värm": 2, "rygg": 1}}),
    IndexRow("a:1", "a", {"body": {"is": 1}}),
    IndexRow("b:0", "b", {"body": {"rygg": 1, "smärt": 3}, "heading": {"värm": 1}}),
    IndexRow("c:0", "c", {"body": {"smärt": 1}}),
]


def test_single_field_score_matches_the_formula() -> None:
    params = Bm25Params(k1=1.2, weights={"body": 1.0}, b={"body": 0.75})
    index = Bm25Index([ROWS[0], ROWS[1], ROWS[3]], params)
    lengths = [3, 1, 1]
    avg = sum(lengths) / 3
    tf = 2 / (1 - 0.75 + 0.75 * lengths[0] / avg)
    expected = math.log1p((3 - 1 + 0.5) / (1 + 0.5)) * tf * 2.2 / (1.2 + tf)
    assert np.isclose(index.passage_scores({"värm": 1.0})[0], expected)


def test_documents_are_ranked_by_their_best_passage() -> None:
    index = Bm25Index(ROWS)
    best = index.document_scores(index.passage_scores({"rygg": 1.0, "smärt": 1.0}))
    assert [index.doc_ids[i] for i in top_k(best, 3)][0] == "b"
    scores = index.passage_scores({"is": 1.0})
    best = index.document_scores(scores)
    assert index.passage_ids[index.best_passage(scores, index.doc_number["a"])] == "a:1"
    assert best[index.doc_number["b"]] == 0.0
    # A document with no match shows its first passage.
    assert index.passage_ids[index.best_passage(scores, index.doc_number["b"])].endswith(":0")


def test_scores_are_the_impact_matrix_times_the_weighted_query() -> None:
    index = Bm25Index(ROWS)
    impacts = index.impacts
    matrix = np.zeros((index.n_passages, index.vocabulary_size()))
    for column in range(index.vocabulary_size()):
        start, end = impacts.indptr[column], impacts.indptr[column + 1]
        matrix[impacts.indices[start:end], column] = impacts.data[start:end]
    query = {"rygg": 1.0, "smärt": 0.5, "värm": 2.0}
    columns = [index.vocabulary[t] for t in query]
    expected = matrix[:, columns] @ (np.array(list(query.values())) * index.idf[columns])
    assert np.allclose(index.passage_scores(query), expected)


def test_heading_field_counts() -> None:
    index = Bm25Index(ROWS)
    scores = index.passage_scores({"värm": 1.0})
    assert scores[2] > 0  # "värm" only in b's heading


def test_candidates_and_local_idf() -> None:
    index = Bm25Index(ROWS)
    within = index.candidate_mask(["a", "b"])[index.passage_doc]
    plain = index.passage_scores({"rygg": 1.0, "smärt": 1.0}, within=within)
    local = index.passage_scores({"rygg": 1.0, "smärt": 1.0}, within=within, local_idf=1.0)
    assert plain[3] == local[3] == 0.0  # c is outside the candidates
    # "rygg" is in every candidate passage that has a term in common: locally less telling.
    assert local[0] < plain[0]


def test_idf_is_never_negative() -> None:
    assert (idf(np.array([0.0, 5.0, 10.0]), 10) >= 0).all()


def test_unknown_terms_score_nothing() -> None:
    index = Bm25Index(ROWS)
    assert not index.passage_scores({"okänt": 1.0}).any()
    assert index.doc_freq("okänt") == 0


@given(
    lengths=st.lists(st.integers(min_value=1, max_value=20), min_size=1, max_size=40),
    seed=st.integers(min_value=0, max_value=2**16),
)
def test_the_best_passage_of_each_document_is_the_per_document_maximum(
    lengths: list[int], seed: int
) -> None:
    starts = np.cumsum([0, *lengths[:-1]])
    scores = np.random.default_rng(seed).random(sum(lengths))
    scores[scores < 0.3] = 0.0  # passages the query does not touch
    best = PassageRanks(starts, sum(lengths)).best(scores)
    assert best.tolist() == np.maximum.reduceat(scores, starts).tolist()


@given(st.permutations([0, 1, 2, 3]))
def test_a_weighted_sum_does_not_depend_on_the_order_of_the_columns(order: list[int]) -> None:
    """A query's terms come from sets: the same sums, to the last bit, in any order."""
    rng = np.random.default_rng(7)
    impacts = TermImpacts(
        rng.random(8), np.array([0, 2, 1, 2, 0, 1, 2, 0]), np.array([0, 2, 4, 6, 8]), 3
    )
    weights = np.array([0.1, 0.7, 1.3, 2.9])
    ordered = impacts.weighted_sum([0, 1, 2, 3], weights)
    shuffled = impacts.weighted_sum(order, weights[order])
    assert ordered.tolist() == shuffled.tolist()


def test_the_common_columns_kept_whole_score_as_their_entries() -> None:
    """Columns of more than half of the rows are added as whole rows: the same sums."""
    rng = np.random.default_rng(3)
    dense = rng.random((40, 6)) * (rng.random((40, 6)) < [0.9, 0.8, 0.2, 0.6, 0.05, 0.3])
    csc = sparse.csc_matrix(dense)
    plain = TermImpacts(csc.data, csc.indices, csc.indptr, 40)
    whole = plain.with_common_columns()
    held = np.diff(csc.indptr)
    assert whole.common_columns.tolist() == np.flatnonzero(held > 20).tolist()
    assert whole.common_columns.tolist()  # the test needs some
    for columns in ([0, 1, 2, 3, 4, 5], [2, 4], [0], [3, 0, 5]):
        weights = rng.random(len(columns)) * 3
        expected = dense[:, columns] @ weights
        assert np.allclose(whole.weighted_sum(columns, weights), expected, rtol=1e-12)
        assert np.allclose(plain.weighted_sum(columns, weights), expected, rtol=1e-12)
