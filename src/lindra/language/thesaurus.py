"""The medical thesaurus: concepts with their Swedish lay and professional terms.

File format (``sv_thesaurus.tsv``, UTF-8, one concept per line, ``#`` comments)::

    concept <TAB> category <TAB> preferred term <TAB> terms

* ``concept``: a stable lower-case id, ``[a-z0-9_]+`` (``osteoporosis``).
* ``category``: one of :data:`CATEGORIES`.
* ``preferred``: the Swedish term a patient page would use as a heading.
* ``terms``: ``|``-separated ``tag:term`` entries, tag one of :data:`TAGS`
  (``lay:benskörhet|pro:osteoporos|abbr:op``). Terms may be several words.

Users extend it with ``--thesaurus FILE`` (or ``LINDRA_THESAURUS``): a file in
the same format whose concepts are merged over the packaged ones (a concept id
that already exists gets the extra terms).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from lindra.errors import LexiconError
from lindra.language.lexicons import data_lines
from lindra.language.normalize import fold

__all__ = ["CATEGORIES", "QUESTION_ONLY", "TAGS", "Concept", "Term", "Thesaurus", "load_thesaurus"]

CATEGORIES = frozenset(
    {
        "condition", "symptom", "treatment", "drug", "body_part", "procedure", "examination",
        "profession", "other",
    }
)  # fmt: skip
TAGS = frozenset({"lay", "pro", "abbr", "brand", "misspelling", "en", "ask"})
# Words that name the concept in a question ("Hjälper värme mot ...?") but are too
# common to mark it in a page's text ("rodnad, svullnad och värme").
QUESTION_ONLY = "ask"
_CONCEPT_ID = re.compile(r"[a-z0-9_]+")


@dataclass(frozen=True, slots=True)
class Term:
    text: str
    tag: str


@dataclass(frozen=True, slots=True)
class Concept:
    id: str
    category: str
    preferred: str
    terms: tuple[Term, ...]

    def surface_forms(self) -> tuple[str, ...]:
        """The preferred term and every listed term, folded, without repeats."""
        return tuple(
            dict.fromkeys(fold(t) for t in (self.preferred, *(t.text for t in self.terms)))
        )

    def question_forms(self) -> tuple[str, ...]:
        """The terms that name the concept only in a question (tag ``ask``), folded."""
        return tuple(dict.fromkeys(fold(t.text) for t in self.terms if t.tag == QUESTION_ONLY))


class Thesaurus:
    """Concepts by id, and an index from folded term to concept ids."""

    def __init__(self, concepts: Iterable[Concept]) -> None:
        by_id: dict[str, Concept] = {}
        for concept in concepts:
            by_id[concept.id] = concept
        self._concepts = MappingProxyType(by_id)
        index: dict[str, list[str]] = {}
        for concept in by_id.values():
            for form in concept.surface_forms():
                index.setdefault(form, []).append(concept.id)
        self._by_term = MappingProxyType({k: tuple(v) for k, v in index.items()})

    def __len__(self) -> int:
        return len(self._concepts)

    def __iter__(self) -> Iterator[Concept]:
        return iter(self._concepts.values())

    def __contains__(self, concept_id: object) -> bool:
        return concept_id in self._concepts

    def concept(self, concept_id: str) -> Concept:
        return self._concepts[concept_id]

    def lookup(self, term: str) -> tuple[Concept, ...]:
        """Concepts that list *term* (compared folded)."""
        return tuple(self._concepts[c] for c in self._by_term.get(fold(term), ()))

    @property
    def terms(self) -> Mapping[str, tuple[str, ...]]:
        """Folded term → concept ids."""
        return self._by_term

    def merged(self, other: Thesaurus) -> Thesaurus:
        """This thesaurus with *other*'s concepts added; same ids get the union of terms."""
        concepts = dict(self._concepts)
        for concept in other:
            if concept.id in concepts:
                old = concepts[concept.id]
                extra = tuple(t for t in concept.terms if t not in old.terms)
                concepts[concept.id] = Concept(
                    old.id, old.category, old.preferred, old.terms + extra
                )
            else:
                concepts[concept.id] = concept
        return Thesaurus(concepts.values())


def load_thesaurus(path: Path) -> Thesaurus:
    """Read a thesaurus file (format in the module docstring).

    :raises LexiconError: naming the file and line of the first malformed entry.
    """
    concepts: list[Concept] = []
    seen: set[str] = set()
    for number, line in data_lines(path):
        where = f"{path.name} line {number}"
        cells = line.split("\t")
        if len(cells) != 4:
            raise LexiconError(f"{where}: expected 4 tab-separated columns, got {len(cells)}")
        concept_id, category, preferred, terms = (c.strip() for c in cells)
        if not _CONCEPT_ID.fullmatch(concept_id):
            raise LexiconError(f"{where}: concept id {concept_id!r} must match [a-z0-9_]+")
        if concept_id in seen:
            raise LexiconError(f"{where}: concept {concept_id!r} is listed twice")
        if category not in CATEGORIES:
            raise LexiconError(
                f"{where}: unknown category {category!r}; "
                f"use one of {', '.join(sorted(CATEGORIES))}"
            )
        if not preferred:
            raise LexiconError(f"{where}: empty preferred term")
        parsed: list[Term] = []
        for entry in filter(None, (e.strip() for e in terms.split("|"))):
            tag, sep, text = entry.partition(":")
            if not sep or tag not in TAGS or not text.strip():
                raise LexiconError(
                    f"{where}: term {entry!r} must be tag:term "
                    f"with tag one of {', '.join(sorted(TAGS))}"
                )
            parsed.append(Term(text.strip(), tag))
        seen.add(concept_id)
        concepts.append(Concept(concept_id, category, preferred, tuple(parsed)))
    return Thesaurus(concepts)
