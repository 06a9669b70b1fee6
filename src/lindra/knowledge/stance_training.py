"""Training the stance reader (:mod:`lindra.knowledge.stance_model`) on labelled sentences.

Used by ``scripts/train_stance_model.py`` (the shipped weights) and
``benchmarks/realpages.py`` (grouped cross-validation by site). scikit-learn is a
development dependency (``pip install -e '.[dev]'``); lindra needs only NumPy to
apply the trained model.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from lindra.knowledge.cues import CueLexicon
from lindra.knowledge.stance_model import StanceModel, Stem, sentence_features
from lindra.types import STANCES, Stance

__all__ = ["DEFAULT_C", "StanceExample", "fit_stance_model", "read_examples"]

# Inverse L2 strength, chosen by grouped cross-validation (benchmarks/realpages.py).
DEFAULT_C = 1.0
# A word or bigram seen in fewer training sentences is left out.
MIN_COUNT = 2


@dataclass(frozen=True, slots=True)
class StanceExample:
    """One sentence and the stance it states about a treatment; *group* is its site."""

    sentence: str
    stance: Stance
    group: str


def read_examples(
    text: str,
    group: str,
    spans: Callable[[str], Sequence[tuple[int, int]]],
    read: Callable[[str], Stance],
) -> list[StanceExample]:
    """Every sentence of *text* with the stance *read* gives it.

    For pages whose reading was checked by hand, entry by entry: the two sample
    pages lindra models, which the rules read exactly. Added to the training
    sentences, they teach the model the plain verdicts of those pages ("men
    behandlingseffekten har aldrig dokumenterats"), which the corpus alone leaves
    to its far more common ``not_stated`` sentences.

    >>> [e.stance for e in read_examples("Ingen effekt. Bra.", "s", lambda t: [(0, 13), (14, 18)],
    ...                                 lambda s: "no_effect" if "Ingen" in s else "not_stated")]
    ['no_effect', 'not_stated']
    """
    sentences = (" ".join(text[start:end].split()) for start, end in spans(text))
    return [StanceExample(s, read(s), group) for s in sentences if s]


def fit_stance_model(
    examples: Sequence[StanceExample],
    cues: CueLexicon,
    stem: Stem,
    *,
    c: float = DEFAULT_C,
    info: Mapping[str, Any] | None = None,
) -> StanceModel:
    """A logistic regression over *examples*, with balanced class weights (the
    rare classes — ``mixed``, ``no_effect`` — matter as much as the common ones).

    :raises ValueError: when the examples hold fewer than two stances.
    """
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    rows = [sentence_features(e.sentence, cues, stem) for e in examples]
    counts = Counter(f for features in rows for f in set(features))
    names = sorted(f for f, n in counts.items() if n >= MIN_COUNT or not f.startswith(("w:", "b:")))
    vocabulary = {f: i for i, f in enumerate(names)}
    indices = [[vocabulary[f] for f in dict.fromkeys(fs) if f in vocabulary] for fs in rows]
    matrix = csr_matrix(
        (
            np.ones(sum(map(len, indices))),
            np.asarray([i for row in indices for i in row], dtype=np.int64),
            np.cumsum([0, *map(len, indices)]),
        ),
        shape=(len(rows), len(vocabulary)),
    )
    labels = [e.stance for e in examples]
    if len(set(labels)) < 2:
        raise ValueError("need sentences of at least two stances to train a stance model")
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=5000)
    model.fit(matrix, labels)
    classes = tuple(str(k) for k in model.classes_)
    weights = model.coef_.T
    bias = model.intercept_
    if len(classes) == 2:  # scikit-learn keeps one column for two classes
        weights = np.hstack([-weights / 2, weights / 2])
        bias = np.asarray([-bias[0] / 2, bias[0] / 2])
    ordered: list[Stance] = [c for c in STANCES if c in classes]
    order = [classes.index(c) for c in ordered]
    return StanceModel(
        vocabulary,
        weights[:, order],
        bias[order],
        tuple(ordered),
        cues,
        stem,
        {"examples": len(examples), "c": c, **(info or {})},
    )
