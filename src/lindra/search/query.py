"""A parsed query: weighted terms, grouped by the word of the question they stand for."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["Query"]


@dataclass(frozen=True, slots=True)
class Query:
    """Weighted index terms of a query.

    ``groups`` has one entry per content word of the question (stop words have
    none): every term that counts as a match for that word — its stem, exact
    form, prefix, synonyms and spelling suggestions. Relevance is judged per
    word, so "benskörhet" is covered by a passage that says "osteoporos".
    """

    text: str
    weights: Mapping[str, float]
    groups: tuple[frozenset[str], ...] = ()
    vector: Any = None  # the query's embedding (numpy array) when dense retrieval is on

    def coverage(
        self, present: Iterable[str], idf: Mapping[str, float], unknown: float = 0.0
    ) -> float:
        """Share of the question's words (weighted by idf) that *present* covers.

        A word none of whose terms the index knows weighs *unknown* (pass the idf
        of an unseen term): a question about trains is not answered by a page
        that merely shares the word "tid" with it.

        >>> q = Query("botox bäckenbotten", {"botox": 1, "bäckenbott": 1},
        ...           (frozenset({"botox", "botulinumtoxin"}), frozenset({"bäckenbott"})))
        >>> q.coverage({"botulinumtoxin"}, {"botox": 3.0, "botulinumtoxin": 2.0, "bäckenbott": 1.0})
        0.75
        """
        terms = set(present)
        total = matched = 0.0
        for group in self.groups:
            weight = max((idf[t] for t in group if t in idf), default=unknown)
            total += weight
            if terms & group:
                matched += weight
        return matched / total if total else 0.0
