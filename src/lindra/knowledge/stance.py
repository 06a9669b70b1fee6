"""Sentence-level evidence stance: what one Swedish sentence says about a treatment's effect.

The stances are :data:`lindra.types.STANCES`. A sentence is split into clauses at
"men", "medan", ";" and ":" (Swedish puts the speaker's conclusion after "men":
"inte speciellt välbelyst, men ... tyder dock på"), each clause is read from its
cues (``data/sv_evidence_cues.tsv``, read by :mod:`lindra.knowledge.cues`) and the
clause stances are combined.

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
   för"), a recommendation to use it (not a dose or a time, not negated), a plain
   evaluation ("har god effekt"), or a finding verb plus an effect word in a
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
from collections.abc import Sequence
from dataclasses import dataclass

from lindra.knowledge.cues import CueLexicon, CueMatch, CueRole, find_cues
from lindra.types import POSITIVE_STANCES, Stance

__all__ = ["StanceResult", "classify_sentence", "clause_spans", "combine_stances"]

logger = logging.getLogger(__name__)

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
# Clause boundaries: adversative "men" and "medan", semicolon, colon.
# A colon inside a word ("SBU:s genomgång") is no break.
_CLAUSE_BREAK = re.compile(r"\s*;\s*|\s*:(?!\w)\s*|,?\s+(?:men|medan)\s+", re.IGNORECASE)
# Modals of capability say what a treatment is for ("kan lindra"); epistemic ones
# ("möjligen", "troligen") hedge a verdict and are read as hedges.
_CAPABILITY = frozenset({"kan", "kunna", "skulle", "kunde"})
# "Många tycker att värme lindrar": an opinion or experience reported, not a verdict.
# Not inside a condition on the reader ("Om du upplever att besvären är lätta, bör du ...").
_OPINION = re.compile(
    r"(?<!\bom du )(?<!\bom man )\b(?:tycker|tyckte|anser|tror|upplever|upplevde|menar)\b",
    re.IGNORECASE,
)
# A recommended dose or time ("den dos som rekommenderas", "rekommenderas först efter
# 20 år") or something to consider ("överväger vaccinering") is no verdict on effect.
_NOT_A_VERDICT = re.compile(
    r"\bdos(?:en|er|erna)?\b|\bdoser\w*|\böverväg\w*|"
    r"\brekommender\w*\s+(?:\S+\s+){0,2}?(?:först|inte\s+förrän)\b",
    re.IGNORECASE,
)
# Advice against that concerns a group or a risk, not whether the treatment works.
_GROUP_OR_RISK = re.compile(
    r"\b(?:till|för|hos|vid)\s+(?:små\s+)?(?:barn|gravida|äldre|ammande|spädbarn)\b|"
    r"\b(?:under\s+)?graviditet\w*|\bamning\w*|\bammar\b|\bom\s+du\b|\bsamtidigt\b|"
    r"\btillsammans\s+med\b|\bnjur\w*|\blever(?:n|skad\w*|sjukdom\w*)\b|\bbiverkning\w*|\brisk\w*",
    re.IGNORECASE,
)


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
    positive = kinds & POSITIVE_STANCES
    if positive and "no_effect" in kinds:
        return "mixed"
    if positive:
        if "undocumented" in kinds or "some_support" in positive:
            return "some_support"
        return "proven_effect"
    return "no_effect" if "no_effect" in kinds else "undocumented"


def classify_sentence(sentence: str, cues: CueLexicon) -> StanceResult:
    """What one sentence says about a treatment's effect.

    >>> from lindra.knowledge.cues import default_cues
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
        stance, clause_negated = _clause_stance(inside, sentence, (start, end))
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


def _clause_stance(
    cues: Sequence[_Located], sentence: str, span: tuple[int, int]
) -> tuple[Stance, bool]:
    """Stance of the clause *span* of *sentence* from its cues, and whether a negation
    took scope."""
    clause = sentence[span[0] : span[1]]

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
    # "Antibiotika rekommenderas inte vid förkylning": advice against is a verdict,
    # unless it is about a group or a risk ("rekommenderas inte till gravida").
    against = [
        a
        for a in of("against")
        if not any(0 <= a.first - k.first <= CONDITIONAL_WINDOW for k in conditionals)
    ]
    if against and not _GROUP_OR_RISK.search(clause):
        return "no_effect", True
    # "Tillverkaren hävdar att studier visar god effekt": a claim someone makes
    # is not evidence of benefit.
    if of("claim"):
        return "not_stated", False
    return _positive_stance(cues, negations, negated_effects, sentence, clause), False


def _positive_stance(
    cues: Sequence[_Located],
    negations: Sequence[_Located],
    negated_effects: Sequence[_Located],
    sentence: str,
    clause: str,
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
    # "Topiramat rekommenderas i andra hand": a recommendation to use it is a verdict
    # (docs/annotation.md, rule 5), unless negated or asked about.
    recommends = [
        r
        for r in of("recommend")
        if not _after(r, negations, ABSENCE_WINDOW)
        and not any(0 < n.first - r.last <= 2 for n in negations)
        and not any(q.first < r.first for q in of("question"))
    ]
    studies = of("evidence", "comparison", "authority")
    if (
        of("proven", "support")
        or (recommends and not _OPINION.search(clause) and not _NOT_A_VERDICT.search(clause))
        or (of("shown") and asserted and studies)
        or (of("evidence") and of("comparison") and asserted)
        or (of("evidence") and judged)
    ):
        return "proven_effect"
    # "Värme har bra effekt", "KBT är en effektiv behandling": a plain evaluation is a
    # verdict; after a modal ("kan lindra") it only says what the treatment is for.
    # A negation negates an evaluation within its own comma-free stretch ("har inte
    # god effekt"), not across one ("opereras sällan, eftersom resultatet är bra").
    evaluations = [
        e
        for e in of("evaluation")
        if not any(
            0 < e.first - n.last <= ABSENCE_WINDOW
            and "," not in sentence[n.match.end : e.match.start]
            for n in negations
        )
        and not any(
            m.first < e.first and m.match.text.casefold() in _CAPABILITY for m in of("modal")
        )
        and not any(q.first < e.first for q in of("question"))
    ]
    if evaluations and not _OPINION.search(clause):
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
