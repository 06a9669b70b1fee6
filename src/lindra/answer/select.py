"""Pick the sentences of retrieved passages that answer a question best."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from lindra.types import Passage

__all__ = ["ScoredSentence", "coverage", "best_sentences"]


@dataclass(frozen=True, slots=True)
class ScoredSentence:
    start: int
    end: int
    score: float


def coverage(matched: set[str], weights: Mapping[str, float]) -> float:
    """Share of the query's weight that *matched* covers.

    >>> coverage({"botox"}, {"botox": 3.0, "bäckenbott": 1.0})
    0.75
    """
    total = sum(weights.values())
    return sum(w for t, w in weights.items() if t in matched) / total if total else 0.0


def best_sentences(
    text: str,
    passage: Passage,
    term_weights: Mapping[str, float],
    index_terms: Callable[[str], list[str]],
    sentence_spans: Callable[[str, int, int], list[tuple[int, int]]],
) -> list[ScoredSentence]:
    """Sentences of *passage* scored by the share of the query's weight they
    contain, best first."""
    scored = []
    for span_start, span_end in passage.spans:
        for start, end in sentence_spans(text, span_start, span_end):
            terms = set(index_terms(text[start:end]))
            score = coverage(terms, term_weights)
            if score > 0:
                scored.append(ScoredSentence(start, end, score))
    scored.sort(key=lambda s: (-s.score, s.start))
    return scored
