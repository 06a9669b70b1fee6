"""Train and cross-validate the abstention model (:mod:`lindra.answer.abstention`).

Needs scikit-learn (the ``dev`` extra); the trained model is applied without it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import numpy as np

from lindra.answer.abstention import FEATURES, AbstentionModel

__all__ = ["DEFAULT_C", "AbstentionExample", "cross_validated", "fit_abstention", "outcome"]

# Strong regularisation: a few hundred questions, nine correlated features.
DEFAULT_C = 0.1


@dataclass(frozen=True, slots=True)
class AbstentionExample:
    """One question asked of a base: what the search saw, and what was right.

    ``right_page_first``: with no bar, the card's first quote comes from the page
    that answers the question (always false for a question the base cannot answer).
    """

    features: Mapping[str, float] | None
    answerable: bool
    right_page_first: bool
    group: Hashable = ""  # e.g. the question's site, for grouped cross-validation

    @property
    def good(self) -> bool:
        """Whether answering this question helps the asker."""
        return self.answerable and self.right_page_first


def outcome(examples: Sequence[AbstentionExample], answered: Sequence[bool]) -> dict[str, float]:
    """Rates for *examples* given which were *answered*: answerable questions
    answered, answered from the right page, and unanswerable ones left unanswered.

    >>> e = [AbstentionExample(None, True, True), AbstentionExample(None, False, False)]
    >>> outcome(e, [True, True])
    {'answered': 1.0, 'answered from the right page': 1.0, 'found nothing': 0.0}
    """
    pairs = list(zip(examples, answered, strict=True))
    answerable = [(e, a) for e, a in pairs if e.answerable]
    other = [a for e, a in pairs if not e.answerable]
    return {
        "answered": _rate(a for _, a in answerable),
        "answered from the right page": _rate(e.right_page_first and a for e, a in answerable),
        "found nothing": _rate(not a for a in other),
    }


def fit_abstention(
    examples: Sequence[AbstentionExample],
    *,
    c: float = DEFAULT_C,
    info: Mapping[str, Any] | None = None,
) -> AbstentionModel:
    """A logistic regression telling good answers from the rest; its threshold is
    the score that best balances answering the answerable from the right page and
    leaving the others unanswered (each weighs half) on *examples*.

    :raises ValueError: when *examples* lack good answers or other questions.
    """
    from sklearn.linear_model import LogisticRegression

    found = [e for e in examples if e.features is not None]
    labels = np.asarray([e.good for e in found])
    if labels.all() or not labels.any():
        raise ValueError("need questions answered from the right page and others to train")
    matrix = np.asarray([[e.features[n] for n in FEATURES] for e in found if e.features])
    mean, scale = matrix.mean(axis=0), matrix.std(axis=0) + 1e-9
    regression = LogisticRegression(C=c, max_iter=2000).fit((matrix - mean) / scale, labels)
    model = AbstentionModel(
        mean,
        scale,
        regression.coef_[0],
        float(regression.intercept_[0]),
        0.0,
        {"questions": len(examples), "c": c, **(info or {})},
    )
    scores = [model.score(e.features) if e.features else -np.inf for e in examples]

    def balance(threshold: float) -> tuple[float, float]:
        rates = outcome(examples, [s >= threshold for s in scores])
        useful = rates["answered from the right page"] + rates["found nothing"]
        return useful, -abs(threshold)  # ties: the bar nearest an even chance

    # Candidate bars halfway between neighbouring scores, so that a question scoring
    # a little under the weakest good one trained on is not refused for that alone.
    found_scores = sorted({s for s in scores if np.isfinite(s)})
    bars = [found_scores[0], *((a + b) / 2 for a, b in pairwise(found_scores))]
    threshold = max(bars, key=balance)
    return AbstentionModel(mean, scale, model.weights, model.bias, float(threshold), model.info)


def cross_validated(
    examples: Sequence[AbstentionExample],
    fold_of: Callable[[AbstentionExample], Hashable],
    *,
    c: float = DEFAULT_C,
) -> list[bool]:
    """Whether each example is answered by a model trained on the other folds."""
    folds = [fold_of(e) for e in examples]
    answered = [False] * len(examples)
    for fold in dict.fromkeys(folds):
        train = [e for e, f in zip(examples, folds, strict=True) if f != fold]
        model = fit_abstention(train, c=c)
        for i, f in enumerate(folds):
            if f == fold:
                answered[i] = model.answers(examples[i].features)
    return answered


def _rate(values: Any) -> float:
    items = list(values)
    return sum(items) / len(items) if items else 0.0
