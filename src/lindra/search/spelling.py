"""Conservative spelling help for queries, against the index vocabulary.

Patients type on phones without å/ä/ö ("backenbotten", "smarta") and with
typos ("kotkompresion"). A query term that the index does not know is matched
to indexed terms with the same letters once accents are removed, or failing
that within a small edit distance. The original term is always kept, so a
correctly spelled word is never replaced; an accent variant of a known term is
added with a lower weight only when it is far more common in the index.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Collection, Mapping, Set

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from lindra.language.analyzer import is_variant
from lindra.language.normalize import strip_accents

__all__ = ["SpellingHelper", "max_edits"]

_ACCENTED = frozenset("åäöéü")
_NON_ASCII_LINE = re.compile(r"^.*[^\x00-\x7f].*$", re.MULTILINE)


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

    :param vocabulary: indexed terms (stems) in a stable order; a dict or set (the
        index's own vocabulary) also serves as the known-term lookup, uncopied.
    :param doc_freq: how many passages contain each term.
    """

    def __init__(self, vocabulary: Collection[str], doc_freq: Callable[[str], int]) -> None:
        self._doc_freq = doc_freq
        self._terms = [term for term in vocabulary if not is_variant(term)]
        self._known = vocabulary if isinstance(vocabulary, Mapping | Set) else set(vocabulary)
        # Only terms with å/ä/ö/é/ü (or other letters outside ASCII) differ from their
        # plain spelling, so only they need a table; one regular-expression pass over
        # the joined vocabulary finds them (every process builds this at its first query).
        accented: dict[str, list[str]] = {}
        for term in _NON_ASCII_LINE.findall("\n".join(self._terms)):
            spelled = strip_accents(term)
            if spelled != term:
                accented.setdefault(spelled, []).append(term)
        self._accented = accented
        # Queries repeat words: each term's suggestions are worked out once per index.
        self._suggestions = functools.lru_cache(maxsize=50_000)(self._suggest)

    @functools.cached_property
    def _by_shape(self) -> dict[tuple[str, int], list[str]]:
        """Fuzzy candidates by first letter and length: typos seldom hit the first
        letter, and an edit changes length by at most one. Built when first needed."""
        by_shape: dict[tuple[str, int], list[str]] = {}
        for term in self._terms:
            by_shape.setdefault((strip_accents(term[:1]), len(term)), []).append(term)
        return by_shape

    def accented(self, term: str) -> list[str]:
        """Indexed terms that read as *term* once å/ä/ö and other accents are removed,
        in the most passages first (a phone's "trangningsinkontinens" is the base's
        "trängningsinkontinens").

        >>> SpellingHelper(["smärt", "smart"], {"smärt": 9, "smart": 1}.get).accented("smart")
        ['smärt']
        """
        found = self._accented.get(strip_accents(term), [])
        return sorted(found, key=lambda t: -self._doc_freq(t))

    def _spellings(self, term: str) -> list[str]:
        """Indexed terms spelled like *term* once accents are removed, itself excluded."""
        plain = strip_accents(term)
        same = [plain] if plain in self._known and not is_variant(plain) else []
        return [t for t in same + self._accented.get(plain, []) if t != term]

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
        return dict(self._suggestions(term, known_word))

    def _suggest(self, term: str, known_word: bool) -> dict[str, float]:
        variants = self._spellings(term)
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
