"""Retrieval and classification metrics (binary relevance)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

__all__ = ["classification_scores", "mrr_at", "ndcg_at", "recall_at"]


def ndcg_at(ranking: Sequence[str], relevant: Iterable[str], k: int = 10) -> float:
    """nDCG@k with binary gains (Järvelin & Kekäläinen 2002).

    >>> round(ndcg_at(["a", "b"], {"b"}), 3)
    0.631
    """
    wanted = set(relevant)
    dcg = sum(1.0 / math.log2(rank + 2) for rank, doc in enumerate(ranking[:k]) if doc in wanted)
    ideal = sum(1.0 / math.log2(rank + 2) for rank in range(min(len(wanted), k)))
    return dcg / ideal if ideal else 0.0


def mrr_at(ranking: Sequence[str], relevant: Iterable[str], k: int = 10) -> float:
    """Reciprocal rank of the first relevant document within the top *k*.

    >>> mrr_at(["a", "b", "c"], {"c"})
    0.3333333333333333
    """
    wanted = set(relevant)
    for rank, doc in enumerate(ranking[:k], start=1):
        if doc in wanted:
            return 1.0 / rank
    return 0.0


def recall_at(ranking: Sequence[str], relevant: Iterable[str], k: int) -> float:
    """Share of the relevant documents found in the top *k*.

    >>> recall_at(["a", "b"], {"b", "c"}, 2)
    0.5
    """
    wanted = set(relevant)
    return len(wanted.intersection(ranking[:k])) / len(wanted) if wanted else 0.0


def classification_scores(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, float]:
    """Accuracy and macro-F1 over the labels that occur in *gold*.

    >>> classification_scores(["ja", "nej"], ["ja", "ja"])["accuracy"]
    0.5
    """
    labels = sorted(set(gold))
    accuracy = (
        sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold) if gold else 0.0
    )
    f1s = []
    for label in labels:
        tp = sum(g == p == label for g, p in zip(gold, predicted, strict=True))
        fp = sum(p == label != g for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == label != p for g, p in zip(gold, predicted, strict=True))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return {"accuracy": accuracy, "macro_f1": sum(f1s) / len(f1s) if f1s else 0.0}
