"""Sentence-level evidence stance: what one Swedish sentence says about a treatment's effect.

The stances are :data:`lindra.types.STANCES`. A sentence is split into clauses at
"men", "medan", ";" and ":" (Swedish puts the speaker's conclusion after "men":
"inte speciellt välbelyst, men ... tyder dock på"), each clause is read from its
cues (``data/sv_evidence_cues.tsv``) and the clause stances are combined.

Reading a clause (the first rule that applies wins):

1. a ``mixed`` cue → ``mixed``;
2. absence of evidence → ``undocumented``: an ``undocumented`` phrase, a negation
   right before an evidence word ("inga studier", "aldrig dokumenterats", "inte
   vetenskapligt studerad"), an evidence word before "saknas"/"är bristfällig", or
   an ``unknown`` phrase ("inte känt om") next to an effect word. Words that also
   name clinical work-up (``inquiry``: "undersökning", "utreda") count only next
   to an effect word, so "Du behöver inte undersökas" stays ``not_stated``;
3. a negated effect → ``no_effect`` when the clause also names studies, a
   comparison or an authority ("studier visar att X inte minskar ...") or holds a
   fixed ``noeffect`` phrase ("inte bättre än placebo", "hjälper inte");
4. evidence for benefit → ``some_support`` after ``suggest`` cues followed by a
   benefit ("tyder på god smärtlindring", not "symtomen tyder på en infektion"),
   otherwise ``proven_effect`` for ``proven`` phrases, ``support`` nouns ("stöd
   för"), an authority that recommends, or a finding verb plus an effect word in a
   sentence about studies; any ``hedge`` in the sentence ("viss", "mindre
   studier") lowers ``proven_effect`` to ``some_support``;
5. otherwise ``not_stated``.

Deliberate choices, each with a case in ``tests/knowledge/cases/stance.tsv``:

- Plain claims of benefit without a study or authority ("för vissa funkar det
  väldigt bra", "Muskelmassage kan också ha en lindrande effekt") are
  ``not_stated``: leaflets describe what a treatment is *for* in those words.
- Plain claims of *no* effect ("Antibiotika hjälper inte mot virusinfektioner")
  are ``no_effect``: a page that says a treatment does not work is giving a verdict.
- "Ingen bevisad effekt" / "saknar dokumenterad effekt" are ``undocumented``
  (unproven), not ``no_effect`` (shown not to work).
- Evidence volume or quality without a direction ("få RCT-studier", "studierna är
  små") is ``not_stated``; "för få studier för att bedöma" is ``undocumented``.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

from lindra.errors import LexiconError
from lindra.language.lexicons import load_tsv, packaged_file
from lindra.types import Stance

__all__ = [
    "Cue",
    "CueLexicon",
    "CueMatch",
    "CueRole",
    "StanceResult",
    "classify_sentence",
    "clause_spans",
    "combine_stances",
    "compile_pattern",
    "default_cues",
    "find_cues",
    "load_cues",
]

logger = logging.getLogger(__name__)

CueRole = Literal[
    "authority",
    "comparison",
    "conditional",
    "effect",
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

# Swedish puts the negation after the finite verb ("har inte gjorts", "finns inga
# studier"), so the negated word is a few words to the right. Three words reach
# "inte gjorts vetenskapliga undersökningar"; four reach "inte kunnat visa någon effekt".
ABSENCE_WINDOW = 3
EFFECT_WINDOW = 4
# "Vetenskapliga belägg för effekten saknas": the postposed verb negates what precedes it.
POSTPOSED_WINDOW = 4
# A definite evidence noun is the subject, and its attributes can be long: "Det
# vetenskapliga stödet för tyngdtäcken vid ADHD saknas nästan helt".
SUBJECT_WINDOW = 8
_EVIDENCE_SUBJECTS = frozenset(
    {"stödet", "underlaget", "evidensen", "dokumentationen", "beläggen", "bevisen"}
)
# A conditional "om" governs the next few words: "Om behandlingen inte hjälper ...".
CONDITIONAL_WINDOW = 6

_WORD = re.compile(r"[\w-]+")
_WORD_CHARS = r"[\w-]"
# Clause boundaries: adversative "men" and "medan", semicolon, colon.
# A colon inside a word ("SBU:s genomgång") is no break.
_CLAUSE_BREAK = re.compile(r"\s*;\s*|\s*:(?!\w)\s*|,?\s+(?:men|medan)\s+", re.IGNORECASE)
_POSITIVE: frozenset[Stance] = frozenset({"proven_effect", "some_support"})


@dataclass(frozen=True, slots=True)
class Cue:
    """One lexicon row: a role and the compiled pattern that finds it."""

    role: CueRole
    pattern: str
    regex: re.Pattern[str]
    note: str = ""


@dataclass(frozen=True, slots=True)
class CueLexicon:
    """The cues that :func:`classify_sentence` looks for, grouped by role."""

    cues: tuple[Cue, ...]

    @classmethod
    def from_rows(cls, rows: Iterable[Sequence[str]]) -> CueLexicon:
        """Build a lexicon from ``(role, pattern[, note])`` rows.

        >>> lex = CueLexicon.from_rows([("suggest", "tyd* ~ på"), ("effect", "*lindring*")])
        >>> classify_sentence("Studier tyder dock på god smärtlindring.", lex).stance
        'some_support'

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
            cues.append(Cue(role, pattern, compile_pattern(pattern), note))  # type: ignore[arg-type]
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


@dataclass(frozen=True, slots=True)
class StanceResult:
    """The stance of one sentence, the cues it rests on and how it was qualified.

    ``negated`` is true when a negation took scope over evidence or an effect
    ("inga undersökningar", "inte bättre än placebo"); ``hedged`` when the sentence
    softens its claim ("tyder på", "viss", "kan").
    """

    stance: Stance
    cues: tuple[CueMatch, ...]
    negated: bool
    hedged: bool


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
    found = [
        CueMatch(cue.role, cue.pattern, m.start(), m.end(), m.group())
        for cue in lexicon.cues
        for m in cue.regex.finditer(sentence)
        if m.end() > m.start()
    ]
    return tuple(sorted(found, key=lambda m: (m.start, m.end, m.role)))


def clause_spans(sentence: str) -> list[tuple[int, int]]:
    """Split a sentence into clauses at "men", "medan", ";" and ":".

    >>> s = "Effekten är inte välbelyst, men studier tyder på nytta."
    >>> [s[a:b] for a, b in clause_spans(s)]
    ['Effekten är inte välbelyst', 'studier tyder på nytta.']
    """
    spans: list[tuple[int, int]] = []
    cursor = 0
    for match in _CLAUSE_BREAK.finditer(sentence):
        if match.start() > cursor:
            spans.append((cursor, match.start()))
        cursor = match.end()
    if cursor < len(sentence):
        spans.append((cursor, len(sentence)))
    return spans or [(0, len(sentence))]


def combine_stances(stances: Sequence[Stance]) -> Stance:
    """Combine the stances of a sentence's clauses.

    Benefit next to no effect is a conflict; benefit next to missing evidence is
    limited support ("inte välbelyst, men ... tyder på"); the weaker of two
    positive readings wins.

    >>> combine_stances(["undocumented", "some_support"])
    'some_support'
    >>> combine_stances(["proven_effect", "no_effect"])
    'mixed'
    >>> combine_stances(["not_stated", "undocumented"])
    'undocumented'
    """
    kinds = set(stances) - {"not_stated"}
    if not kinds:
        return "not_stated"
    if "mixed" in kinds:
        return "mixed"
    positive = kinds & _POSITIVE
    if positive and "no_effect" in kinds:
        return "mixed"
    if positive:
        if "undocumented" in kinds or "some_support" in positive:
            return "some_support"
        return "proven_effect"
    return "no_effect" if "no_effect" in kinds else "undocumented"


def classify_sentence(sentence: str, cues: CueLexicon) -> StanceResult:
    """What one sentence says about a treatment's effect.

    >>> lex = default_cues()
    >>> classify_sentence("Behandlingseffekten har aldrig dokumenterats.", lex).stance
    'undocumented'
    >>> r = classify_sentence("I kontrollerade studier var medlet inte bättre än placebo.", lex)
    >>> r.stance, r.negated
    ('no_effect', True)
    >>> classify_sentence("Muskelmassage kan också ha en lindrande effekt.", lex).stance
    'not_stated'
    """
    matches = find_cues(sentence, cues)
    words = [m.start() for m in _WORD.finditer(sentence)]
    hedges = [m for m in matches if m.role == "hedge"]
    stances: list[Stance] = []
    negated = False
    for start, end in clause_spans(sentence):
        inside = [_Located.of(m, words) for m in matches if start <= m.start < end]
        stance, clause_negated = _clause_stance(inside)
        stances.append(stance)
        negated = negated or clause_negated
    stance = combine_stances(stances)
    if stance == "proven_effect" and hedges:
        stance = "some_support"
    hedged = any(m.role in ("hedge", "suggest", "modal") for m in matches)
    logger.debug("stance %s for %r (clauses %s)", stance, sentence, stances)
    return StanceResult(stance, matches, negated, hedged)


@dataclass(frozen=True, slots=True)
class _Located:
    """A cue match with the indices of its first and last word in the sentence."""

    match: CueMatch
    first: int
    last: int

    @classmethod
    def of(cls, match: CueMatch, word_starts: list[int]) -> _Located:
        first = max(bisect.bisect_right(word_starts, match.start) - 1, 0)
        last = max(bisect.bisect_left(word_starts, match.end) - 1, first)
        return cls(match, first, last)

    @property
    def role(self) -> CueRole:
        return self.match.role


def _after(cue: _Located, negations: Sequence[_Located], window: int) -> bool:
    """True when a negation ends at most *window* words before *cue* starts."""
    return any(0 < cue.first - n.last <= window for n in negations)


def _postposed_window(cue: _Located) -> int:
    last_word = cue.match.text.casefold().split()[-1]
    return SUBJECT_WINDOW if last_word in _EVIDENCE_SUBJECTS else POSTPOSED_WINDOW


def _clause_stance(cues: Sequence[_Located]) -> tuple[Stance, bool]:
    """Stance of one clause from its cues, and whether a negation took scope."""

    def of(*roles: CueRole) -> list[_Located]:
        return [c for c in cues if c.role in roles]

    if of("mixed"):
        return "mixed", False
    conditionals = of("conditional")
    negations = [
        n
        for n in of("negation")
        if not any(0 <= n.first - c.first <= CONDITIONAL_WINDOW for c in conditionals)
    ]
    effects = of("effect")
    # "Undersökning", "utreda", "dokumentera" also name clinical work-up ("Du behöver
    # inte undersökas"): negated, they mean "unstudied" only next to an effect word.
    evidence = of("evidence", "support", "proven") + (of("inquiry") if effects else [])
    # "Vetenskapliga belägg för effekten saknas", "dokumentationen är bristfällig".
    postposed = [n for n in negations if n.match.text.casefold().startswith(("sakna", "brist"))]
    absent = any(_after(e, negations, ABSENCE_WINDOW) for e in evidence) or any(
        0 < n.first - e.last <= _postposed_window(e) for e in evidence for n in postposed
    )
    if absent or of("undocumented") or (effects and of("unknown")):
        return "undocumented", absent
    # "hjälper inte", "minskar inte": the finite verb comes before the negation (V2).
    negated_effects = [
        e
        for e in of("effect", "good")
        if _after(e, negations, EFFECT_WINDOW) or any(n.first - e.last == 1 for n in negations)
    ]
    context = of("evidence", "comparison", "authority", "support", "shown", "suggest")
    strong = [
        c
        for c in of("noeffect")
        if not any(0 <= c.first - k.first <= CONDITIONAL_WINDOW for k in conditionals)
    ]
    if strong or (negated_effects and context):
        return "no_effect", True
    return _positive_stance(cues, negations, negated_effects), False


def _positive_stance(
    cues: Sequence[_Located], negations: Sequence[_Located], negated_effects: Sequence[_Located]
) -> Stance:
    """Evidence of benefit in a clause without absence or negated effect."""

    def of(*roles: CueRole) -> list[_Located]:
        return [c for c in cues if c.role in roles]

    questions = of("question")
    asserted = [
        e
        for e in of("effect", "good")
        if e not in negated_effects and not any(q.first < e.first for q in questions)
    ]
    # "inget tyder på", "tyder inte på": a negated suggestion supports nothing; and
    # "symtomen tyder på en infektion" is a diagnosis, so a benefit must follow.
    suggests = [
        g
        for g in of("suggest")
        if not any(g.first - 1 <= n.first <= g.last for n in negations)
        and any(e.first >= g.first for e in asserted)
    ]
    if suggests:
        return "some_support"
    # "I kontrollerade studier gav X bättre hud än overksam kräm": a judgement counts
    # as a result only in a controlled comparison (not mere "resultat").
    controlled = [c for c in of("comparison") if not c.match.text.casefold().startswith("result")]
    judged = bool(asserted) and bool(controlled)
    asserted = [e for e in asserted if e.role == "effect"]
    recommends = [r for r in of("recommend") if not _after(r, negations, ABSENCE_WINDOW)]
    studies = of("evidence", "comparison", "authority")
    if (
        of("proven", "support")
        or (of("authority") and recommends)
        or (of("shown") and asserted and studies)
        or (of("evidence") and of("comparison") and asserted)
        or (of("evidence") and judged)
    ):
        return "proven_effect"
    # "I en liten studie minskade smärtan": a result, from a study the text itself
    # calls small or single (the hedge turns proven into some_support above).
    if (
        of("hedge")
        and of("evidence")
        and any(e.first > h.last for e in asserted for h in of("hedge"))
    ):
        return "some_support"
    return "not_stated"
