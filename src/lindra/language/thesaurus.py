"""The medical thesaurus: concepts with their Swedish lay and professional terms.

File format (``sv_thesaurus.tsv``, UTF-8, one concept per line, ``#`` comments)::

    concept <TAB> category <TAB> preferred term <TAB> terms [<TAB> broader]

* ``concept``: a stable lower-case id, ``[a-z0-9_]+`` (``osteoporosis``).
* ``category``: one of :data:`CATEGORIES`.
* ``preferred``: the Swedish term a patient page would use as a heading.
* ``terms``: ``|``-separated ``tag:term`` entries, tag one of :data:`TAGS`
  (``lay:benskörhet|pro:osteoporos|abbr:op``). Terms may be several words.
* ``broader`` (optional): ``|``-separated ids of the concepts this one is a kind
  of (``low_back_pain`` → ``back_pain``; ``migraine`` → ``headache``). Answers use
  it to grade "ont i ländryggen" from sources about "ryggsmärta".

Users extend it with ``--thesaurus FILE`` (or ``LINDRA_THESAURUS``): a file in
the same format whose concepts are merged over the packaged ones (a concept id
that already exists gets the extra terms).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
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
    broader: tuple[str, ...] = ()

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
        narrower: dict[str, list[str]] = {}
        for concept in by_id.values():
            for parent in concept.broader:
                narrower.setdefault(parent, []).append(concept.id)
        self._narrower = MappingProxyType({k: tuple(v) for k, v in narrower.items()})

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

    def related(self, concept_id: str) -> frozenset[str]:
        """The concepts *concept_id* is a kind of and those that are kinds of it, at
        any depth ("ländryggssmärta" → "ryggsmärta", "smärta"; "ryggskott")."""
        return self._reach(concept_id, self.broader) | self.kinds(concept_id)

    def kinds(self, concept_id: str) -> frozenset[str]:
        """The concepts that are kinds of *concept_id*, at any depth ("ryggsmärta" →
        "ländryggssmärta", "ryggskott")."""
        return self._reach(concept_id, self.narrower)

    def broader(self, concept_id: str) -> tuple[str, ...]:
        """The concepts *concept_id* is directly a kind of."""
        concept = self._concepts.get(concept_id)
        return concept.broader if concept else ()

    def narrower(self, concept_id: str) -> tuple[str, ...]:
        """The concepts that are directly kinds of *concept_id*."""
        return self._narrower.get(concept_id, ())

    @staticmethod
    def _reach(start: str, step: Callable[[str], tuple[str, ...]]) -> frozenset[str]:
        found: set[str] = set()
        todo = list(step(start))
        while todo:
            current = todo.pop()
            if current not in found and current != start:
                found.add(current)
                todo.extend(step(current))
        return frozenset(found)

    def check_hierarchy(self, where: str) -> None:
        """:raises LexiconError: when a concept names an unknown broader concept or
        is, through its broader concepts, a kind of itself."""
        for concept in self._concepts.values():
            for parent in concept.broader:
                if parent not in self._concepts:
                    raise LexiconError(
                        f"{where}: concept {concept.id!r} names the broader concept "
                        f"{parent!r}, which no line defines"
                    )
            seen, todo = set(), list(concept.broader)
            while todo:
                current = todo.pop()
                if current == concept.id:
                    raise LexiconError(
                        f"{where}: concept {concept.id!r} is, through its broader "
                        "concepts, a kind of itself; remove one link of the cycle"
                    )
                if current not in seen:
                    seen.add(current)
                    todo.extend(self._concepts[current].broader)

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
                broader = tuple(dict.fromkeys(old.broader + concept.broader))
                concepts[concept.id] = Concept(
                    old.id, old.category, old.preferred, old.terms + extra, broader
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
        if len(cells) not in (4, 5):
            raise LexiconError(
                f"{where}: expected 4 tab-separated columns (5 with broader concepts), "
                f"got {len(cells)}"
            )
        concept_id, category, preferred, terms, *rest = (c.strip() for c in cells)
        broader = tuple(filter(None, (b.strip() for b in (rest[0] if rest else "").split("|"))))
        for parent in broader:
            if not _CONCEPT_ID.fullmatch(parent):
                raise LexiconError(f"{where}: broader concept id {parent!r} must match [a-z0-9_]+")
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
        concepts.append(Concept(concept_id, category, preferred, tuple(parsed), broader))
    return Thesaurus(concepts)
