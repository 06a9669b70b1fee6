"""The evidence-cue lexicon: roles, patterns, loading and matching.

The packaged lexicon is ``data/sv_evidence_cues.tsv`` (its header explains the
roles and the pattern syntax); :mod:`lindra.knowledge.stance` reads sentences
with it.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

from lindra.errors import LexiconError
from lindra.language.lexicons import load_tsv, packaged_file

__all__ = [
    "CUES_FILE",
    "CUE_ROLES",
    "Cue",
    "CueLexicon",
    "CueMatch",
    "CueRole",
    "compile_pattern",
    "default_cues",
    "find_cues",
    "load_cues",
]

CueRole = Literal[
    "against",
    "authority",
    "claim",
    "comparison",
    "conditional",
    "effect",
    "evaluation",
    "evidence",
    "good",
    "hedge",
    "inquiry",
    "mixed",
    "modal",
    "negation",
    "noeffect",
    "proven",
    "question",
    "recommend",
    "shown",
    "suggest",
    "support",
    "undocumented",
    "unknown",
]
CUE_ROLES: frozenset[str] = frozenset(get_args(CueRole))

CUES_FILE = "sv_evidence_cues.tsv"

_WORD_CHARS = r"[\w-]"

# The standard library's regex parser (public as sre_parse before Python 3.11).
_regex_parser: Any = importlib.import_module("re._parser")
_constants: Any = importlib.import_module("re._constants")


@dataclass(frozen=True, slots=True)
class Cue:
    """One lexicon row: a role and the compiled pattern that finds it."""

    role: CueRole
    pattern: str
    regex: re.Pattern[str]
    note: str = ""
    # Lower-case strings one of which every match contains (empty: unknown); a
    # sentence with none of them is not searched, which makes matching ~10x faster.
    literals: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CueLexicon:
    """The cues that :func:`classify_sentence` looks for, grouped by role."""

    cues: tuple[Cue, ...]
    # Cue positions by required literal, grouped by the literal's first two characters,
    # and the cues without one (always tried).
    _by_head: Mapping[str, tuple[tuple[str, tuple[int, ...]], ...]] = field(
        init=False, repr=False, compare=False
    )
    _always: frozenset[int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # A cue without literals, or with a one-letter one, is tried on every sentence.
        gated = {
            i for i, cue in enumerate(self.cues) if cue.literals and min(map(len, cue.literals)) > 1
        }
        by_literal: dict[str, list[int]] = {}
        for position in sorted(gated):
            for literal in self.cues[position].literals:
                by_literal.setdefault(literal, []).append(position)
        by_head: dict[str, list[tuple[str, tuple[int, ...]]]] = {}
        for literal, positions in by_literal.items():
            by_head.setdefault(literal[:2], []).append((literal, tuple(positions)))
        object.__setattr__(self, "_by_head", {k: tuple(v) for k, v in by_head.items()})
        object.__setattr__(self, "_always", frozenset(range(len(self.cues))) - gated)

    def candidates(self, lowered: str) -> list[Cue]:
        """The cues that can match a lower-cased sentence, in lexicon order: each
        distinct literal is looked for once, not once per cue that needs it."""
        chosen = set(self._always)
        # A literal can only be in the sentence where its first two characters are.
        pairs = {lowered[i : i + 2] for i in range(len(lowered) - 1)}
        for head in pairs.intersection(self._by_head):
            for literal, positions in self._by_head[head]:
                if literal in lowered:
                    chosen.update(positions)
        return [self.cues[i] for i in sorted(chosen)]

    @classmethod
    def from_rows(cls, rows: Iterable[Sequence[str]]) -> CueLexicon:
        """Build a lexicon from ``(role, pattern[, note])`` rows.

        >>> lex = CueLexicon.from_rows([("suggest", "tyd* ~ på"), ("effect", "*lindring*")])
        >>> [m.role for m in find_cues("Studier tyder dock på god smärtlindring.", lex)]
        ['suggest', 'effect']

        :raises LexiconError: on an unknown role or an invalid regular expression.
        """
        cues = []
        for row in rows:
            role, pattern = row[0], row[1]
            note = row[2] if len(row) > 2 else ""
            if role not in CUE_ROLES:
                raise LexiconError(
                    f"Unknown cue role {role!r}; use one of {', '.join(sorted(CUE_ROLES))}."
                )
            regex = compile_pattern(pattern)
            cue = Cue(role, pattern, regex, note, required_literals(pattern))  # type: ignore[arg-type]
            cues.append(cue)
        return cls(tuple(cues))

    def roles(self, role: CueRole) -> tuple[Cue, ...]:
        return tuple(cue for cue in self.cues if cue.role == role)


@dataclass(frozen=True, slots=True)
class CueMatch:
    """A cue found in a sentence; ``start``/``end`` index the sentence string."""

    role: CueRole
    pattern: str
    start: int
    end: int
    text: str


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """Compile a lexicon pattern (see the header of ``sv_evidence_cues.tsv``).

    >>> bool(compile_pattern("*studie*").search("Få RCT-studier finns."))
    True
    >>> compile_pattern("tyd* ~ på").search("De tyder dock på nytta.").group()
    'tyder dock på'
    >>> bool(compile_pattern("viss").search("Vissa får botox."))
    False

    :raises LexiconError: when a ``re:`` pattern is not a valid regular expression.
    """
    if pattern.startswith("re:"):
        try:
            return re.compile(pattern[3:], re.IGNORECASE)
        except re.error as exc:
            raise LexiconError(f"Invalid regular expression {pattern!r}: {exc}") from exc
    parts: list[str] = []
    for word in pattern.split():
        if word == "~":
            parts.append(r"(?:\S+\s+){0,3}?")
            continue
        core = re.escape(word.strip("*"))
        head = f"{_WORD_CHARS}*" if word.startswith("*") else ""
        tail = f"{_WORD_CHARS}*" if word.endswith("*") else ""
        parts.append(f"{head}{core}{tail}" + r"\s+")
    body = "".join(parts)
    body = body[: -len(r"\s+")] if body.endswith(r"\s+") else body
    return re.compile(rf"(?<!{_WORD_CHARS}){body}(?!{_WORD_CHARS})", re.IGNORECASE)


def required_literals(pattern: str) -> tuple[str, ...]:
    r"""Strings one of which every match of *pattern* contains, lower-cased; ``()``
    when none can be read off (the pattern is then tried on every sentence).

    >>> required_literals("tyd* ~ på")
    ('tyd',)
    >>> required_literals("re:(?<!som )(?:lindrar|botar)")
    ('lindrar', 'botar')
    >>> required_literals(r"re:\b(?:ger|gav)\s+(?:\S+\s+)?ingen\s+(?:hjälp|skydd)")
    ('ingen',)
    """
    if not pattern.startswith("re:"):
        cores = [word.strip("*").lower() for word in pattern.split() if word != "~"]
        return (max(cores, key=len),) if cores else ()
    heads = _literal_heads(_regex_parser.parse(pattern[3:], re.IGNORECASE))
    return tuple(head.lower() for head in heads) if heads else ()


def _literal_heads(items: Sequence[tuple[Any, Any]]) -> list[str] | None:
    """Literals one of which every match of a parsed regex contains: of the parts
    a match must pass through in turn (a literal run, or a group whose every
    alternative has literals), the one whose shortest literal is longest; ``None``
    when no part has literals of two characters or more."""
    best: list[str] | None = None
    at = 0
    while at < len(items):
        op, value = items[at]
        found: list[str] | None = None
        if op is _constants.LITERAL:
            run = []
            while at < len(items) and items[at][0] is _constants.LITERAL:
                run.append(chr(items[at][1]))
                at += 1
            found = ["".join(run)] if len(run) >= 2 else None
        else:
            at += 1
            if op is _constants.SUBPATTERN:
                found = _literal_heads(value[-1])
            elif op is _constants.BRANCH:
                branches = [_literal_heads(branch) for branch in value[1]]
                if all(branches):
                    found = [head for branch in branches for head in branch or ()]
        if found and (best is None or min(map(len, found)) > min(map(len, best))):
            best = found
    return best


def load_cues(path: Path) -> CueLexicon:
    """Load a cue lexicon TSV (``role<TAB>pattern<TAB>note``).

    :raises LexiconError: naming file and line for a malformed row.
    """
    rows = load_tsv(path, 3, min_columns=2)
    try:
        return CueLexicon.from_rows(rows)
    except LexiconError as exc:
        raise LexiconError(f"{path.name}: {exc}") from exc


def default_cues() -> CueLexicon:
    """The packaged Swedish cue lexicon, ``lindra/knowledge/data/sv_evidence_cues.tsv``."""
    return load_cues(packaged_file(CUES_FILE, "lindra.knowledge"))


def find_cues(sentence: str, lexicon: CueLexicon) -> tuple[CueMatch, ...]:
    """Every cue occurrence in *sentence*, ordered by position.

    >>> lex = CueLexicon.from_rows([("negation", "inga"), ("evidence", "*undersökning*")])
    >>> [(m.role, m.text) for m in find_cues("Det finns inga undersökningar.", lex)]
    [('negation', 'inga'), ('evidence', 'undersökningar')]
    """
    lowered = sentence.lower()
    found = [
        CueMatch(cue.role, cue.pattern, m.start(), m.end(), m.group())
        for cue in lexicon.candidates(lowered)
        for m in cue.regex.finditer(sentence)
        if m.end() > m.start()
    ]
    return tuple(sorted(found, key=lambda m: (m.start, m.end, m.role)))
