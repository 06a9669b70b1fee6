"""Conservative spelling help for queries, against the index vocabulary.

Patients type on phones without å/ä/ö ("backenbotten", "smarta") and with
typos ("kotkompresion"). A query term that the index does not know is matched
to indexed terms with the same letters once accents are removed, or failing
that within a small edit distance. The original term is always kept, so a
correctly spelled word is never replaced; an accent variant of a known term is
added with a lower weight only when it is far more common in the index.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from lindra.language.analyzer import is_variant
from lindra.language.normalize import strip_accents

__all__ = ["SpellingHelper", "max_edits"]

_ACCENTED = frozenset("åäöéü")


def max_edits(term: str) -> int:
    """Edits allowed for a term of this length: none below 5 letters.

    >>> [max_edits(w) for w in ("ont", "smärt", "kotkompresion")]
    [0, 1, 2]
    """
    if len(term) < 5:
        return 0
    return 1 if len(term) < 9 else 2


class SpellingHelper:
    """Suggest indexed terms for unknown or accent-stripped query terms.

    :param vocabulary: indexed terms (stems) in a stable order.
    :param doc_freq: how many passages contain each term.
    """

    def __init__(self, vocabulary: Sequence[str], doc_freq: Callable[[str], int]) -> None:
        self._doc_freq = doc_freq
        self._known = frozenset(vocabulary)
        by_plain: dict[str, list[str]] = {}
        # Fuzzy candidates are looked up by first letter and length: typos
        # seldom hit the first letter, and an edit changes length by at most one.
        by_shape: dict[tuple[str, int], list[str]] = {}
        for term in vocabulary:
            if is_variant(term):
                continue
            by_plain.setdefault(strip_accents(term), []).append(term)
            by_shape.setdefault((strip_accents(term[:1]), len(term)), []).append(term)
        self._by_plain = by_plain
        self._by_shape = by_shape

    def suggest(self, term: str, *, known_word: bool = False) -> dict[str, float]:
        """Extra terms for *term* with their weight factor (empty when none).

        *known_word* says the query word is a real Swedish word: it may still
        get accent variants (phone keyboards), but never edit-distance guesses.

        >>> helper = SpellingHelper(["bäckenbott", "smärt", "kotkompression"], lambda t: 5)
        >>> helper.suggest("backenbott")
        {'bäckenbott': 1.0}
        >>> helper.suggest("kotkompresion")
        {'kotkompression': 0.8}
        >>> helper.suggest("smärt")
        {}
        """
        variants = [t for t in self._by_plain.get(strip_accents(term), []) if t != term]
        if term in self._known:
            if _ACCENTED.intersection(term) or not variants:
                return {}
            # A plain spelling that exists ("smart") but whose accented twin is
            # much more common in this base ("smärt") is probably a phone typing.
            own = self._doc_freq(term)
            return {v: 0.5 for v in variants if self._doc_freq(v) >= 5 * max(own, 1)}
        if variants:
            return {v: 0.8 if known_word else 1.0 for v in variants}
        edits = max_edits(term)
        if not edits or known_word:
            return {}
        first = strip_accents(term[:1])
        pool = [
            candidate
            for length in range(len(term) - edits, len(term) + edits + 1)
            for candidate in self._by_shape.get((first, length), ())
        ]
        matches = process.extract(
            term, pool, scorer=Levenshtein.distance, score_cutoff=edits, limit=5
        )
        if not matches:
            return {}
        best = min(distance for _, distance, _ in matches)
        closest = sorted(
            (m for m, distance, _ in matches if distance == best),
            key=lambda m: -self._doc_freq(m),
        )
        return {m: 0.8 for m in closest[:2]}

    def expand(
        self, query: Mapping[str, float], known_words: frozenset[str] = frozenset()
    ) -> dict[str, float]:
        """*query* plus suggestions; a suggestion's weight is the term's times its factor.

        *known_words* are the query terms that come from real Swedish words.
        """
        expanded = dict(query)
        for term, weight in query.items():
            if is_variant(term):
                continue
            for suggestion, factor in self.suggest(term, known_word=term in known_words).items():
                expanded[suggestion] = max(expanded.get(suggestion, 0.0), weight * factor)
        return expanded
