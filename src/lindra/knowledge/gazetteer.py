"""Gazetteers of Swedish medical terms, matched through inflection and compounds.

Entries are base forms ("näsa", "alzheimers sjukdom"). Swedish inflects nouns with
suffixes (näsa → näsan, näsor, näsorna) and builds compounds whose last part
carries the meaning (ögon|droppar is a drug, mag|sår a disorder), so matching
uses generated noun forms (not a stemmer: Snowball maps "stela" and "stelhet",
"senare" and "sena" to one stem) and compound heads.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from lindra.errors import LexiconError
from lindra.language.lexicons import data_lines
from lindra.language.normalize import fold

__all__ = ["DRUG_PRODUCTS_FILE", "Gazetteer", "inflections", "load_drug_products", "load_terms"]

# Medicines of the Swedish product register: name<TAB>its one substance (or empty).
DRUG_PRODUCTS_FILE = "sv_drug_products.tsv"

# Shortest compound part we try: "mag" (magsår), "led" (ledvärk), "hud" (hudutslag).
_MIN_PART = 3
# Swedish linking morphemes (fogemorfem) between compound parts: kropp-s-del, sjukdom-s-tillstånd.
_LINKS = ("s", "e", "o", "u")


def inflections(lemma: str) -> tuple[str, ...]:
    """The lemma and its regular Swedish noun forms (over-generation is harmless).

    Rules follow the five noun declensions of Swedish grammar: -a words take
    -an/-or/-orna, -e words -en/-ar/-arna, -el/-er words drop their vowel
    (läkemedel → läkemedlet), other words take -en/-et/-er/-ar and plural definite.

    >>> inflections("näsa")
    ('näsa', 'näsan', 'näsans', 'näsas', 'näsat', 'näsats', 'näsor', 'näsorna')
    >>> "läkemedlet" in inflections("läkemedel")
    True
    """
    forms = {lemma}
    if lemma.endswith("a"):
        base = lemma[:-1]
        forms.update({lemma + "n", lemma + "ns", lemma + "s", base + "or", base + "orna"})
        # Neuter -a nouns take -t: hjärta → hjärtat, öga → ögat.
        forms.update({lemma + "t", lemma + "ts"})
    elif lemma.endswith("e"):
        base = lemma[:-1]
        forms.update({lemma + "n", lemma + "ns", base + "ar", base + "arna", base + "na"})
    elif lemma.endswith(("el", "er")) and len(lemma) > 4:
        syncope = lemma[:-2] + lemma[-1]
        forms.update(
            {lemma + "n", syncope + "et", syncope + "en", syncope + "ar", syncope + "arna"}
        )
        forms.update({syncope + "er", syncope + "erna", lemma + "s", syncope + "ets"})
    elif lemma.endswith(("i", "o", "u", "y", "é", "ö")):
        # Vowel-final loans: allergi → allergin, allergier; video → videon.
        for suffix in ("n", "ns", "s", "er", "erna", "r", "rna"):
            forms.add(lemma + suffix)
    else:
        for suffix in ("en", "et", "ens", "ets", "er", "erna", "ar", "arna", "na", "s"):
            forms.add(lemma + suffix)
    return tuple(sorted(forms))


def load_terms(path: Path) -> tuple[str, ...]:
    """Read a gazetteer file: one lower-case term per line, words separated by single spaces.

    :raises LexiconError: on upper-case letters or doubled spaces (names the line).
    """
    terms: list[str] = []
    for number, line in data_lines(path):
        term = line.strip()
        if term != term.lower() or "  " in term:
            raise LexiconError(
                f"{path.name} line {number}: expected a lower-case term with single spaces, "
                f"got {line!r}"
            )
        terms.append(term)
    return tuple(terms)


@dataclass(frozen=True, slots=True)
class _Entry:
    keys: tuple[str, ...]
    label: str


class Gazetteer:
    """Labelled term lists, looked up by word form (whole words, phrases, compound parts).

    >>> g = Gazetteer({"body": ["näsa"], "disorder": ["sår", "alzheimers sjukdom"]})
    >>> g.word_labels("näsan"), g.head_labels("magsåret"), g.modifier_labels("näsblod")
    (('body',), ('disorder',), ('body',))
    >>> g.phrase_matches(["Alzheimers", "sjukdom", "och", "näsan"])
    [(0, 2, 'disorder'), (3, 4, 'body')]
    """

    def __init__(self, terms: Mapping[str, Iterable[str]]) -> None:
        words: dict[str, set[str]] = {}
        phrases: dict[str, list[_Entry]] = {}
        for label, entries in terms.items():
            for term in entries:
                parts = fold(term).split()
                if not parts:
                    continue
                for form in inflections(parts[-1]):
                    keys = (*parts[:-1], form)
                    if len(keys) == 1:
                        words.setdefault(keys[0], set()).add(label)
                    else:
                        phrases.setdefault(keys[0], []).append(_Entry(keys, label))
        self._words: Mapping[str, tuple[str, ...]] = MappingProxyType(
            {key: tuple(sorted(labels)) for key, labels in words.items()}
        )
        for candidates in phrases.values():
            candidates.sort(key=lambda entry: -len(entry.keys))
        self._phrases: Mapping[str, Sequence[_Entry]] = MappingProxyType(
            {key: tuple(entries) for key, entries in phrases.items()}
        )

    def key(self, word: str) -> str:
        """The lookup key of a word: the word case folded."""
        return fold(word)

    def word_labels(self, word: str) -> tuple[str, ...]:
        """Labels of single-word entries that *word* is a form of."""
        return self._words.get(self.key(word), ())

    def head_labels(self, word: str) -> tuple[str, ...]:
        """Labels of the longest known last part of a compound (ryggsmärta → smärta).

        The word itself does not count: "smärta" has no head, "ryggsmärta" has.
        """
        folded = fold(word)
        if "-" in folded.strip("-"):
            head = folded.rsplit("-", 1)[1]
            if len(head) >= _MIN_PART and (labels := self.word_labels(head)):
                return labels
        for cut in range(_MIN_PART, len(folded) - _MIN_PART + 1):
            labels = self._words.get(folded[cut:], ())
            if labels:
                return labels
        return ()

    def modifier_labels(self, word: str) -> tuple[str, ...]:
        """Labels of the longest known first part of a compound (magsår → mage)."""
        folded = fold(word)
        for cut in range(len(folded) - _MIN_PART, _MIN_PART - 1, -1):
            part = folded[:cut]
            candidates = [part, part + "a", part + "e"]
            if part.endswith(_LINKS) and len(part) > _MIN_PART:
                candidates.append(part[:-1])
            for candidate in candidates:
                labels = self._words.get(candidate, ())
                if labels:
                    return labels
        return ()

    def phrase_matches(
        self, words: Sequence[str], keys: Sequence[str] | None = None
    ) -> list[tuple[int, int, str]]:
        """Greedy longest, left-to-right matches of entries as token spans (end
        exclusive); *keys*: the words' :meth:`key`, where already worked out."""
        if keys is None:
            keys = [self.key(word) for word in words]
        matches: list[tuple[int, int, str]] = []
        index = 0
        while index < len(keys):
            found: tuple[int, str] | None = None
            for entry in self._phrases.get(keys[index], ()):
                size = len(entry.keys)
                if tuple(keys[index : index + size]) == entry.keys:
                    found = (size, entry.label)
                    break
            if found is None and keys[index] in self._words:
                found = (1, self._words[keys[index]][0])
            if found is None:
                index += 1
                continue
            matches.append((index, index + found[0], found[1]))
            index += found[0]
        return matches


def load_drug_products(path: Path) -> dict[str, str]:
    """Read :data:`DRUG_PRODUCTS_FILE`: medicine name → its one active substance,
    or "" for a combination."""
    products: dict[str, str] = {}
    for _, line in data_lines(path):
        name, _, substance = line.partition("\t")
        products[name] = substance
    return products
