"""The CRF's decoder: Viterbi finds the best well-formed label sequence."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from lindra.knowledge.crf import CrfModel, allowed_transitions

LABELS = ("O", "B-x", "I-x", "B-y", "I-y")


def _model(seed: int) -> CrfModel:
    rng = np.random.default_rng(seed)
    size = len(LABELS)
    return CrfModel(
        labels=LABELS,
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
@given(st.integers(0, 10_000), st.integers(1, 5))
def test_viterbi_finds_the_best_sequence(seed: int, length: int) -> None:
    model = _model(seed)
    emissions = np.random.default_rng(seed + 1).normal(size=(length, len(LABELS)))
    assert tuple(model.viterbi(emissions)) == _best_by_search(model, emissions)
