"""Query-time synonym expansion from the medical thesaurus.

The index stays exact: only queries are expanded. A query phrase that matches
any term of a concept (compared after the same analysis as the index, so
"benskörheten" matches "benskörhet") adds the concept's other terms with a
lower weight, so "benskörhet" also finds "osteoporos" and "botox" finds
"botulinumtoxin", while pages using the patient's own word still rank first.
A term typed without å/ä/ö ("benskorhet") is recognised too, unless that
spelling is itself a term of some concept.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from lindra.language.analyzer import is_variant
from lindra.language.normalize import fold, strip_accents
from lindra.language.thesaurus import Thesaurus
from lindra.language.tokenize import Token

__all__ = ["SynonymStage"]

# Longest thesaurus term, in analysed tokens, that is matched in a query.
_MAX_PHRASE = 5


def _reduced_to_one_word(surface: str, analysed: tuple[str, ...]) -> bool:
    """Whether a term of several words keeps one after analysis drops its stop words:
    that word alone means something else ("vara med barn" → "barn", "skada sig själv"
    → "skada", "ingen aptit" → "aptit"), so the term neither names its concept in a
    query nor is added to one.

    >>> _reduced_to_one_word("vara med barn", ("barn",))
    True
    >>> _reduced_to_one_word("ont i ryggen", ("ont", "rygg"))
    False
    """
    return len(analysed) == 1 and len(surface.split()) > 1


class SynonymStage:
    """Add the other terms of every thesaurus concept a query mentions.

    :param thesaurus: concepts and their terms.
    :param analyze_term: the index analysis of a term, as a tuple of index terms
        (the analyzer's main tokens: no compound parts, variants or stop words).
    :param weight: query weight of an added single-word synonym; a synonym of
        *n* words adds each word with ``weight / n``.
    """

    name = "synonyms"

    def __init__(
        self,
        thesaurus: Thesaurus,
        analyze_term: Callable[[str], tuple[str, ...]],
        weight: float = 0.5,
    ) -> None:
        self.weight = weight
        self._phrases: dict[tuple[str, ...], set[str]] = {}
        self._forms: dict[str, tuple[tuple[str, ...], ...]] = {}
        accentless: dict[tuple[str, ...], set[str]] = {}  # phone spellings
        for concept in thesaurus:
            forms = []
            # Misspellings help recognise a query word, but are never added to a query.
            targets = {fold(concept.preferred)} | {
                fold(t.text) for t in concept.terms if t.tag != "misspelling"
            }
            for surface in concept.surface_forms():
                analysed = analyze_term(surface)
                if not analysed or _reduced_to_one_word(surface, analysed):
                    continue
                self._phrases.setdefault(analysed, set()).add(concept.id)
                if surface in targets and analysed not in forms:
                    forms.append(analysed)
                plain = strip_accents(surface)
                if plain != surface:
                    accentless.setdefault(analyze_term(plain), set()).add(concept.id)
            self._forms[concept.id] = tuple(forms)
        for analysed, concepts in accentless.items():
            if analysed and analysed not in self._phrases:
                self._phrases[analysed] = concepts

    def concepts_in(self, terms: Sequence[str]) -> list[tuple[int, int, set[str]]]:
        """(start, end, concept ids) of thesaurus phrases in a term sequence, longest first."""
        found = []
        i = 0
        while i < len(terms):
            for length in range(min(_MAX_PHRASE, len(terms) - i), 0, -1):
                concepts = self._phrases.get(tuple(terms[i : i + length]))
                if concepts:
                    found.append((i, i + length, concepts))
                    i += length
                    break
            else:
                i += 1
        return found

    def __call__(self, tokens: Sequence[Token]) -> list[Token]:
        main = [t for t in tokens if t.origin == "text" and not is_variant(t.term)]
        out = list(tokens)
        present = {t.term for t in tokens}
        for start, end, concepts in self.concepts_in([t.term for t in main]):
            anchor = main[start]
            matched = tuple(t.term for t in main[start:end])
            for concept_id in sorted(concepts):
                for form in self._forms[concept_id]:
                    if form == matched:
                        continue
                    for term in form:
                        if term not in present:
                            out.append(anchor.with_term(term, "synonym", self.weight / len(form)))
        return out
