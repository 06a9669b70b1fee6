"""Cue patterns: the small matching language of the emergency tables.

A *cue* is a short pattern of word slots matched against a tokenised question
(see :mod:`lindra.answer.emergency` for how cues combine into triage rules).

1. The question is case folded, tokenised and stripped of accents
   (:func:`tokenize`, :func:`key`), so "ont i brostet" matches the cue
   ``ont .. bröstet``.
2. A slot may list alternatives (``a|b``), end or start with ``*``
   (prefix/suffix: ``bröstsmärt*``, ``*tabletter``), be a gap ``..`` (0-4
   words), the question/clause start ``^``, any number ``#`` (``##``: 10 or
   more) or a macro ``@concept`` (the one-word cues of another concept). Words
   of five letters or more also match typos (one edit; two from ten letters),
   but only when the typed word is not itself a known Swedish word, so
   "brösten" (breasts) never becomes "bröstet" (the chest).

:func:`parse_pattern` reads a pattern into :class:`Slot` values, :class:`TermIndex`
finds the word slots each typed word fits, and :func:`match_at` matches a
compiled pattern at one position.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from rapidfuzz.distance import OSA

from lindra.language.normalize import fold, strip_accents

__all__ = [
    "FUZZY_MIN",
    "GAP",
    "GAP_SLOT",
    "START_SLOT",
    "Match",
    "Slot",
    "Term",
    "TermIndex",
    "key",
    "match_at",
    "parse_pattern",
    "parse_term",
    "term_matches",
    "tokenize",
]

GAP = 4  # words a ".." slot may skip
# Decimal numbers stay whole ("38,5"); the comma elsewhere is clause punctuation.
_TOKEN = re.compile(r"[0-9]+(?:[.,][0-9]+)?(?![^\W_])|[^\W_]+|[.,;:!?\n]")
_NUMBER = re.compile(r"[0-9]+(?:[.,][0-9]+)?")
FUZZY_MIN = 5  # shortest cue word that also matches a typo


def tokenize(question: str) -> tuple[str, ...]:
    """Case-folded words and clause punctuation of *question*.

    >>> tokenize("Ont i bröstet, kan inte andas! 38,5 grader")
    ('ont', 'i', 'bröstet', ',', 'kan', 'inte', 'andas', '!', '38,5', 'grader')
    """
    return tuple(_TOKEN.findall(fold(question)))


def _is_number(token: str) -> bool:
    return _NUMBER.fullmatch(token) is not None


def key(word: str) -> str:
    """The form words are compared in: folded, without accents.

    >>> key("Bröstet")
    'brostet'
    """
    return strip_accents(fold(word))


@dataclass(frozen=True, slots=True)
class Term:
    """One alternative of a slot: a word, a prefix (``bröst*``) or a suffix (``*tabletter``)."""

    text: str
    mode: Literal["word", "prefix", "suffix", "number", "big_number", "below"] = "word"
    fuzzy: bool = True


@dataclass(frozen=True, slots=True)
class Slot:
    """One position of a cue pattern: alternatives, a gap, the clause start or a macro."""

    kind: Literal["terms", "gap", "start", "macro"]
    terms: tuple[Term, ...] = ()
    macro: str = ""


def parse_term(text: str) -> Term:
    """Parse one alternative; ``=`` before a word turns typo matching off.

    >>> parse_term("bröstsmärt*")
    Term(text='brostsmart', mode='prefix', fuzzy=True)
    >>> parse_term("=tia")
    Term(text='tia', mode='word', fuzzy=False)
    """
    fuzzy = not text.startswith("=")
    text = key(text.lstrip("="))
    if text in ("#", "##"):
        return Term(text, "number" if text == "#" else "big_number", False)
    if text.startswith("#<") and text[2:].isdigit():  # "#<18": a number below 18
        return Term(text, "below", False)
    if not text.strip("*") or "*" in text.strip("*"):
        raise ValueError(f"bad word {text!r}")
    if text.endswith("*"):
        return Term(text[:-1], "prefix", fuzzy)
    if text.startswith("*"):
        return Term(text[1:], "suffix", False)
    return Term(text, "word", fuzzy)


def parse_pattern(pattern: str) -> tuple[Slot, ...]:
    """Parse a cue pattern into slots.

    >>> [s.kind for s in parse_pattern("^ont .. bröstet|hjärtat @pain")]
    ['start', 'terms', 'gap', 'terms', 'macro']

    :raises ValueError: on an empty pattern or a misplaced ``^`` or ``..``.
    """
    slots: list[Slot] = []
    for part in pattern.split():
        if part.startswith("^"):
            if slots:
                raise ValueError("'^' must start the pattern")
            slots.append(Slot("start"))
            part = part[1:]
            if not part:
                continue
        if part == "..":
            slots.append(Slot("gap"))
        elif part.startswith("@"):
            slots.append(Slot("macro", macro=part[1:]))
        else:
            slots.append(Slot("terms", tuple(parse_term(t) for t in part.split("|"))))
    body = slots[1:] if slots and slots[0].kind == "start" else slots
    if not body or body[0].kind == "gap" or body[-1].kind == "gap":
        raise ValueError(f"pattern {pattern!r} must start and end with a word")
    return tuple(slots)


def term_matches(term: Term, token: str, known: frozenset[str]) -> bool:
    """Whether *token* (a :func:`key`) matches *term*, allowing one typo in long words.

    >>> term_matches(Term("brostet"), "brosttet", frozenset())
    True
    >>> term_matches(Term("brostet"), "brosten", frozenset({"brosten"}))
    False
    >>> term_matches(Term("medvetslos", "prefix"), "medvetsloss", frozenset())
    True
    """
    text = term.text
    if term.mode in ("number", "big_number"):
        return _is_number(token) and (term.mode == "number" or float(token.replace(",", ".")) >= 10)
    if term.mode == "below":
        return _is_number(token) and float(token.replace(",", ".")) < int(text[2:])
    if term.mode == "word" and token == text:
        return True
    if term.mode == "prefix" and token.startswith(text):
        return True
    if term.mode == "suffix":
        return token.endswith(text)
    if not term.fuzzy or len(text) < FUZZY_MIN or token in known or _is_number(token):
        return False
    limit = 1 if len(text) < 10 else 2
    if term.mode == "word":
        return OSA.distance(text, token, score_cutoff=limit) <= limit
    n = len(text)
    return any(OSA.distance(text, token[:k], score_cutoff=1) <= 1 for k in (n - 1, n, n + 1))


@dataclass(frozen=True, slots=True)
class Match:
    """Where a cue matched: the words it used and the words its gaps skipped."""

    concept: str
    words: tuple[int, ...]
    gaps: tuple[int, ...]

    @property
    def start(self) -> int:
        return self.words[0]


GAP_SLOT, START_SLOT = -1, -2  # compiled pattern codes besides word-slot ids


def match_at(
    pattern: Sequence[int], hits: Sequence[frozenset[int]], breaks: Sequence[bool], start: int
) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
    """Match a compiled *pattern* at word *start*: ``(words, gaps)`` or None.

    *hits* holds, per word, the ids of the word slots it fits; *breaks* marks
    clause punctuation, which a gap never skips. Shorter gaps are tried first.

    >>> hits = [frozenset({0}), frozenset(), frozenset({1})]
    >>> match_at((0, GAP_SLOT, 1), hits, [False] * 3, 0)
    ((0, 2), (1,))
    >>> match_at((START_SLOT, 1), hits, [False] * 3, 2) is None
    True
    """

    def walk(
        s: int, i: int, words: tuple[int, ...], gaps: tuple[int, ...]
    ) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
        if s == len(pattern):
            return words, gaps
        code = pattern[s]
        if code == START_SLOT:
            return walk(s + 1, i, words, gaps) if i == 0 or breaks[i - 1] else None
        if code == GAP_SLOT:
            for skip in range(GAP + 1):
                if skip and (i + skip - 1 >= len(hits) or breaks[i + skip - 1]):
                    return None
                found = walk(s + 1, i + skip, words, gaps + tuple(range(i, i + skip)))
                if found:
                    return found
            return None
        if i < len(hits) and code in hits[i]:
            return walk(s + 1, i + 1, (*words, i), gaps)
        return None

    return walk(0, start, (), ())


class TermIndex:
    """Which word slots a typed word fits: dictionary look-ups, typo checks only for unknown words.

    Gives the same answers as :func:`term_matches` over every term of every slot.

    >>> index = TermIndex([Slot("terms", (Term("brostet"),)), Slot("terms", (Term("ont"),))])
    >>> sorted(index.slots_for("brosttet", frozenset()))
    [0]
    """

    def __init__(self, slots: Sequence[Slot]) -> None:
        self.exact: dict[tuple[str, str], set[int]] = {}
        self.fuzzy: list[tuple[Term, int]] = []
        self.below: list[tuple[int, int]] = []  # ("#<18" limit, slot)
        for number, slot in enumerate(slots):
            for term in slot.terms:
                self.exact.setdefault((term.mode, term.text), set()).add(number)
                if term.mode == "below":
                    self.below.append((int(term.text[2:]), number))
                if term.fuzzy and len(term.text) >= FUZZY_MIN:
                    self.fuzzy.append((term, number))

    def slots_for(self, token: str, known: frozenset[str]) -> frozenset[int]:
        found: set[int] = set()
        found |= self.exact.get(("word", token), set())
        for k in range(1, len(token) + 1):
            found |= self.exact.get(("prefix", token[:k]), set())
            found |= self.exact.get(("suffix", token[-k:]), set())
        if _is_number(token):
            value = float(token.replace(",", "."))
            found |= self.exact.get(("number", "#"), set())
            if value >= 10:
                found |= self.exact.get(("big_number", "##"), set())
            found.update(slot for limit, slot in self.below if value < limit)
        elif token not in known:
            found.update(
                n
                for term, n in self.fuzzy
                if abs(len(term.text) - len(token)) <= 2 or term.mode == "prefix"
                if term_matches(term, token, known)
            )
        return frozenset(found)
