"""The CRF's decoder: Viterbi finds the best well-formed label sequence."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from lindra.knowledge.crf import CrfModel, allowed_transitions

LABELS = ("O", "B-x", "I-x", "B-y", "I-y")
# Three labels take Viterbi's written-out loop, the others the general one.
THREE = ("O", "B-x", "I-x")


def _model(seed: int, labels: tuple[str, ...] = LABELS) -> CrfModel:
    rng = np.random.default_rng(seed)
    size = len(labels)
    return CrfModel(
        labels=labels,
        features={},
        weights=np.zeros((0, size)),
        transitions=rng.normal(size=(size, size)),
        start=rng.normal(size=size),
        end=rng.normal(size=size),
    )


def _best_by_search(model: CrfModel, emissions: np.ndarray) -> tuple[str, ...]:
    """Every label sequence tried: the highest-scoring one BIO allows."""
    trans, start = allowed_transitions(model.labels)
    trans = trans + model.transitions
    size = len(model.labels)

    def score(path: tuple[int, ...]) -> float:
        total = model.start[path[0]] + start[path[0]] + emissions[0, path[0]]
        for t in range(1, len(path)):
            total += trans[path[t - 1], path[t]] + emissions[t, path[t]]
        return float(total + model.end[path[-1]])

    paths = itertools.product(range(size), repeat=len(emissions))
    best = max(paths, key=score)
    return tuple(model.labels[i] for i in best)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 5), st.sampled_from([LABELS, THREE]))
def test_viterbi_finds_the_best_sequence(seed: int, length: int, labels: tuple[str, ...]) -> None:
    model = _model(seed, labels)
    emissions = np.random.default_rng(seed + 1).normal(size=(length, len(labels)))
    assert tuple(model.viterbi(emissions)) == _best_by_search(model, emissions)


def test_of_equal_paths_both_loops_take_the_first() -> None:
    """Ties go to the lower label index in the written-out loop as in the general
    one (scores in whole numbers, so that sums tie exactly)."""
    for labels in (THREE, ("O", "B-x", "I-x", "B-y")):
        size = len(labels)
        model = CrfModel(
            labels, {}, np.zeros((0, size)), np.zeros((size, size)), np.zeros(size), np.zeros(size)
        )
        assert model.viterbi(np.zeros((4, size))) == ["O"] * 4
        assert model.viterbi(np.array([[0.0, 1.0] + [1.0] * (size - 2)] * 3)) == ["B-x"] * 3
