"""Emergency triage: does a question describe a situation that needs 112 or 1177?

The answer card starts with a prominent "Ring 112" message when a question
describes a life-threatening situation (chest pain with danger signs, stroke
signs, suicidal thoughts, severe bleeding, anaphylaxis, unconsciousness, ...),
and recommends 1177 for urgent but not life-threatening ones (fever in a small
baby, a suspected fracture, a worsening infection, bleeding in pregnancy ...).

How it works (all Swedish lives in ``data/sv_emergency.tsv``):

1. The question is case folded, tokenised and stripped of accents, so
   "ont i brostet" matches the cue ``ont .. bröstet``.
2. *Cues* are short patterns grouped into *concepts* (``chest_pain``,
   ``breathless``, ``child`` ...): alternatives, prefixes, gaps, numbers,
   macros and typo-tolerant words, matched by :mod:`lindra.answer.cue_patterns`
   (which describes the syntax).
3. A cue preceded by a negator (``inte``, ``inga`` ...) within three words of
   the same clause is dropped: "jag har inte ont i bröstet". A negator that is
   part of another cue ("kan *inte* andas", "vet *inte*") negates nothing.
4. *Rules* combine concepts: ``chest_pain sweat|radiating|... !chronic !general``
   (all terms required, ``|`` = any of, ``!`` = must be absent). Rules with
   level ``-`` define derived concepts such as ``general``. The most urgent
   level that fires wins. A rule fires when it holds for a stretch of text or for
   one of its sentences read on its own (with who the text is about and the past an
   earlier sentence set), so a red flag told in one sentence is not cancelled by
   what another sentence says of something else.

Decision on general-knowledge questions: a question that asks *about* an
emergency without describing a current situation ("Vad är symtomen på
stroke?", "Hur vanligt är hjärtinfarkt?", "Kan ångest ge ont i bröstet?")
does not trigger. The ``general`` concept is a knowledge frame (``vad är``,
``hur vanligt``, ``kan man`` ...) with no personal marker (``jag``, ``min``,
``pappa`` ...) and no first-aid frame. First-aid questions that name a danger
sign ("Vad gör man om någon inte andas?") do trigger, because the right answer
starts with "Ring 112" and the asker may be at the scene. Suicidal wording
("vill dö", "ta livet av mig") triggers in every frame.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from lindra.answer.cue_patterns import (
    GAP_SLOT,
    START_SLOT,
    Match,
    Slot,
    TermIndex,
    key,
    match_at,
    parse_pattern,
    tokenize,
)
from lindra.answer.tense import Tense, TenseLexicon, default_tenses
from lindra.errors import LexiconError
from lindra.language.lexicons import data_lines, packaged_file
from lindra.types import Emergency

__all__ = [
    "EmergencyDetector",
    "Rule",
    "compose_message",
    "load_emergency_table",
    "load_messages",
    "negated",
    "split_sentences",
]

logger = logging.getLogger(__name__)

Level = Literal["112", "1177"]
RuleLevel = Literal["112", "1177", "-"]
LEVELS: tuple[Level, ...] = ("112", "1177")  # most urgent first

NEGATION_SCOPE = 3  # words allowed between a negator and the cue it negates
NEGATION = "negation"  # the concept whose cues are negators
# ... and those that also negate the word before them ("hon svimmade inte"), unlike
# determiners ("ingen", "inga"), which only negate what follows.
NEGATION_AFTER = "negation_after"
CARE_ENGAGED = "care_engaged"
NOW = "now"  # the concept of words that set a sentence in the present
PAST = "past"  # ... and of those that set it in the past ("för tio år sedan")
TIMES_NOW = frozenset({NOW, "acute"})  # words that set what is told now
RECENT = "recent"  # "igår": a narrative about what is going on, whatever its tense
# Negation does not reach across a clause: "hon hostar inte och kan inte andas".
CLAUSE_WORDS = frozenset({"men", "och", "fast", "utan"})
_PUNCT = frozenset(".,;:!?\n")
KNOWN_WORDS = 100_000  # most frequent Swedish words that are never "typo-corrected"


@dataclass(frozen=True, slots=True)
class Rule:
    """A combination of concepts: every term must hold; a term holds if any alternative does."""

    name: str
    level: RuleLevel
    terms: tuple[tuple[tuple[str, bool], ...], ...]

    @classmethod
    def parse(cls, name: str, level: str, expression: str) -> Rule:
        """Parse ``"chest_pain sweat|radiating !general"``.

        >>> Rule.parse("r", "112", "a b|!c").terms
        ((('a', True),), (('b', True), ('c', False)))
        """
        if level not in ("112", "1177", "-"):
            raise ValueError(f"level must be 112, 1177 or -, got {level!r}")
        terms = tuple(
            tuple((alt.lstrip("!"), not alt.startswith("!")) for alt in term.split("|"))
            for term in expression.split()
        )
        if not terms or any(not name for term in terms for name, _ in term):
            raise ValueError(f"empty concept name in {expression!r}")
        return cls(name, level, terms)  # type: ignore[arg-type]

    def holds(self, present: set[str] | frozenset[str]) -> bool:
        return all(any((name in present) == want for name, want in term) for term in self.terms)

    def needs(self) -> set[str]:
        return {name for term in self.terms for name, _ in term}


def negated(
    match: Match, negators: Iterable[int], keys: Sequence[str], after: Iterable[int] = ()
) -> bool:
    """Whether a negator negates *match*: shortly before it in the same clause, inside one
    of its gaps, or (for the *after* negators) right after it: "hon svimmade inte".

    >>> keys = tokenize("jag har inte ont i bröstet")
    >>> negated(Match("chest", (3, 5), (4,)), [2], keys)
    True
    >>> negated(Match("breath", (3, 4, 5), ()), [1], tokenize("hostar inte och kan inte andas"))
    False
    >>> negated(Match("fainted", (1,), ()), [2], tokenize("hon svimmade inte"), after=[2])
    True
    """
    if match.words[-1] + 1 in after:
        return True
    for n in negators:
        if n in match.gaps:
            return True
        between = keys[n + 1 : match.start]
        if n < match.start and len(between) <= NEGATION_SCOPE:
            if not any(w in _PUNCT or w in CLAUSE_WORDS for w in between):
                return True
    return False


def compose_message(level: Level, rule_names: Iterable[str], messages: Mapping[str, str]) -> str:
    """The text shown to the asker: the level's message, then each rule group's addendum once.

    A rule ``suicide.plan`` belongs to group ``suicide``.

    >>> compose_message("112", ["suicide.plan", "suicide.word"],
    ...                 {"112": "Ring 112 nu.", "suicide": "Självmordslinjen 90101."})
    'Ring 112 nu. Självmordslinjen 90101.'
    """
    parts = [messages[level]]
    for name in rule_names:
        extra = messages.get(name.split(".")[0])
        if extra and extra not in parts:
            parts.append(extra)
    return " ".join(parts)


class EmergencyDetector:
    """Triage a question into 112, 1177 or nothing, from cue and rule tables.

    >>> detector = EmergencyDetector(
    ...     cues=[("breath", "kan inte andas"), ("negation", "inte")],
    ...     rules=[Rule.parse("breathing.cannot", "112", "breath")],
    ...     messages={"112": "Ring 112 nu.", "1177": "Ring 1177."},
    ... )
    >>> detector.detect("hjälp jag kan inte anads").level
    '112'

    :param cues: ``(concept, pattern)`` pairs; see :mod:`lindra.answer.cue_patterns`
        for the syntax.
    :param rules: rules, including derived concepts (level ``-``).
    :param messages: texts for ``"112"``, ``"1177"`` and optional rule groups.
    :param known_words: accent-free words that are never read as typos of a cue.
    :param tenses: verb forms by tense, which tell a narrative told afterwards (none:
        a narrative's verbs set no time).
    :raises LexiconError: on a bad pattern, an unknown concept or a missing message.
    """

    def __init__(
        self,
        cues: Iterable[tuple[str, str]],
        rules: Iterable[Rule],
        messages: Mapping[str, str],
        known_words: frozenset[str] = frozenset(),
        tenses: TenseLexicon | None = None,
    ) -> None:
        raw: dict[str, list[tuple[Slot, ...]]] = {}
        for concept, pattern in cues:
            try:
                raw.setdefault(concept, []).append(parse_pattern(pattern))
            except ValueError as exc:
                raise LexiconError(f"emergency cue {concept!r} {pattern!r}: {exc}") from exc
        self.cues = {c: tuple(self._expand(p, raw) for p in ps) for c, ps in raw.items()}
        ids: dict[Slot, int] = {}
        codes = {"gap": GAP_SLOT, "start": START_SLOT}
        self._compiled = {
            c: tuple(tuple(codes.get(s.kind) or ids.setdefault(s, len(ids)) for s in p) for p in ps)
            for c, ps in self.cues.items()
        }
        self._index = TermIndex(list(ids))
        self.rules = tuple(rules)
        self.derived = _ordered_derived(self.rules, set(self.cues))
        for level in LEVELS:
            if level not in messages:
                raise LexiconError(f"emergency messages: no text for {level!r}; add a line for it.")
        self.messages = dict(messages)
        self.known_words = known_words
        self.tenses = tenses

    @staticmethod
    def _expand(
        slots: tuple[Slot, ...], raw: Mapping[str, list[tuple[Slot, ...]]]
    ) -> tuple[Slot, ...]:
        out = []
        for slot in slots:
            if slot.kind != "macro":
                out.append(slot)
                continue
            words = [p[0] for p in raw.get(slot.macro, []) if len(p) == 1 and p[0].kind == "terms"]
            if not words:
                raise LexiconError(f"macro @{slot.macro}: no one-word cues of that concept")
            out.append(Slot("terms", tuple(t for w in words for t in w.terms)))
        return tuple(out)

    @classmethod
    def default(cls) -> EmergencyDetector:
        """The detector with the packaged Swedish tables (the one place that loads them)."""
        from wordfreq import top_n_list

        cues, rules = load_emergency_table(packaged_file("sv_emergency.tsv", "lindra.answer"))
        messages = load_messages(packaged_file("sv_emergency_messages.tsv", "lindra.answer"))
        known = frozenset(key(w) for w in top_n_list("sv", KNOWN_WORDS))
        return cls(cues, rules, messages, known, default_tenses())

    def find(self, question: str) -> dict[str, list[Match]]:
        """The concepts present in *question* (negated cues removed), with their matches."""
        keys = [key(t) for t in tokenize(question)]
        hits = [self._index.slots_for(k, self.known_words) for k in keys]
        breaks = [k in _PUNCT for k in keys]
        starts: dict[int, list[int]] = {}
        for i, ids in enumerate(hits):
            for slot in ids:
                starts.setdefault(slot, []).append(i)
        found: list[Match] = []
        for concept, patterns in self._compiled.items():
            for pattern in patterns:
                first = pattern[1] if pattern[0] == START_SLOT else pattern[0]
                for start in starts.get(first, ()):
                    hit = match_at(pattern, hits, breaks, start)
                    if hit:
                        found.append(Match(concept, *hit))
        special = (NEGATION, NEGATION_AFTER)
        used = {i for m in found if m.concept not in special for i in m.words}
        negators = {i for m in found if m.concept == NEGATION for i in m.words} - used
        after = {i for m in found if m.concept == NEGATION_AFTER for i in m.words} - used
        # "I dag är det ett år sedan ...": a "now" inside a cue of the past names the
        # time of writing, not of what is told.
        past = {i for m in found if m.concept == PAST for i in range(m.start, m.words[-1] + 1)}
        present: dict[str, list[Match]] = {}
        for m in found:
            if m.concept in TIMES_NOW and past.issuperset(m.words):
                continue
            if m.concept in special or not negated(m, negators, keys, after):
                present.setdefault(m.concept, []).append(m)
        return present

    def detect(self, question: str) -> Emergency:
        """Triage *question*: ``Emergency(triggered, message, level, matched)``.

        A long narrative is read a few sentences at a time: a red flag must be told
        within one stretch, with its own time frame ("för tio år sedan" there, not
        a "nu" three paragraphs later), so that a story about the past or signs
        scattered over unrelated paragraphs do not add up to an alarm. What a text
        tells before it says that care is already engaged ("Ambulansen är på väg",
        "Det blev ambulans") is being handled and raises nothing.
        """
        question = without_datelines(question)
        sentences = split_sentences(question)
        # Each sentence is read once (a one-sentence question too: _detect_one reuses it).
        concepts = [self.find(sentence) for sentence in sentences]
        tenses = [self.tenses.of(s) if self.tenses else frozenset() for s in sentences]
        handled, retold = _handled(concepts, tenses)
        if len(sentences) <= WINDOW_SENTENCES:
            windows = [" ".join(sentences[handled:])] if handled else [question]
        else:
            if not (retold or told_afterwards(concepts, tenses)):
                tenses = [frozenset()] * len(sentences)  # verbs' tense sets no time
            windows = self._present_windows(
                sentences[handled:],
                concepts[handled:],
                tenses[handled:],
                in_past=handled > 0,
                by_tense=retold,
            )
        # Background told anywhere (a stay in the tropics) holds in every stretch.
        background = {c for found in concepts for c in found if c in BACKGROUND}
        read = dict(zip(sentences, concepts, strict=False))  # each sentence is read once
        found = [self._detect_one(part, background, read) for part in windows]
        for level in LEVELS:
            for emergency in found:
                if emergency.level == level:
                    return emergency
        return Emergency(False)

    def _present_windows(
        self,
        sentences: Sequence[str],
        found: Sequence[dict[str, list[Match]]],
        tenses: Sequence[frozenset[Tense]],
        *,
        in_past: bool = False,
        by_tense: bool = False,
    ) -> list[str]:
        """Every run of :data:`WINDOW_SENTENCES` sentences of a long narrative, without
        its sentences set in the past (*found*: each sentence's concepts; *tenses*:
        its verbs' tenses, empty unless the narrative is told afterwards; *in_past*:
        the story starts in the past, as it goes on after care was engaged; *by_tense*:
        that past was set by a verb's tense).

        Each sentence is in the past when it names a past time ("för tio år sedan",
        "när jag var"), in the present when it names a recent one ("nu", "i kväll",
        "sedan en timme"), and otherwise keeps the time of the sentence before. A
        sudden onset ("plötsligt") names no time: stories tell of sudden pasts. In a
        narrative told afterwards the tense of the verbs moves the time too: "Han
        slutade andas" there is the story, "Han andas inte och är blå" is now.
        """
        kept: list[str] = []  # the sentence, or "" when it tells of the past
        for sentence, concepts, tense in zip(sentences, found, tenses, strict=True):
            if NOW in concepts:
                in_past = by_tense = False
            elif PAST in concepts:
                in_past, by_tense = True, False
            elif tense == {"past"}:
                by_tense = by_tense or not in_past
                in_past = True
            elif by_tense and tense == {"present"}:
                in_past = by_tense = False
            kept.append("" if in_past else sentence)
        size = WINDOW_SENTENCES
        windows = (" ".join(filter(None, kept[i : i + size])) for i in range(len(kept) - size + 1))
        return [window for window in windows if window]

    def _detect_one(
        self,
        question: str,
        background: Iterable[str] = (),
        read: Mapping[str, dict[str, list[Match]]] | None = None,
    ) -> Emergency:
        """Triage one stretch of text. A rule fires when it holds for the stretch, or
        for one of its sentences read with the stretch's :data:`SITUATION` and the past
        an earlier sentence set (:data:`PAST_FRAMES`): a red flag told whole in one
        sentence ("plötsligt kraftigt ont i bröstet som strålar ut") stands, whatever
        another sentence says of something else ("har rökt i 30 år"). *read*: the
        concepts of sentences already read."""
        matches = read[question] if read and question in read else self.find(question)
        present = self._derive(set(matches) | set(background))
        fired = [r for r in self.rules if r.level != "-" and r.holds(present)]
        situation = {c for c in present if c in SITUATION} | set(background)
        for own in self._sentence_concepts(question, situation, read or {}):
            fired += [r for r in self.rules if r.level != "-" and r not in fired and r.holds(own)]
        for level in LEVELS:
            chosen = [r for r in fired if r.level == level]
            if chosen:
                words = tokenize(question)
                cues = [
                    f"{m.concept}: {' '.join(words[m.start : m.words[-1] + 1])}"
                    for r in chosen
                    for name, want in _flat(r, self.derived)
                    if want
                    for m in matches.get(name, [])[:1]
                ]
                matched = tuple(dict.fromkeys([r.name for r in chosen] + cues))
                logger.debug("emergency %s: %s", level, matched)
                message = compose_message(level, [r.name for r in chosen], self.messages)
                return Emergency(True, message, level, matched)
        return Emergency(False)

    def _sentence_concepts(
        self, text: str, situation: set[str], read: Mapping[str, dict[str, list[Match]]]
    ) -> Iterator[set[str]]:
        """The concepts of each sentence of a text of several, with its *situation* and
        the past an earlier sentence set, which holds until a sentence says "nu" or
        speaks in the present; derived concepts included."""
        sentences = split_sentences(text)
        if len(sentences) < 2:
            return
        time: set[str] = set()
        for sentence in sentences:
            found = set(read[sentence] if sentence in read else self.find(sentence))
            if NOW in found or (self.tenses and self.tenses.of(sentence) == {"present"}):
                time = set()
            time |= found & PAST_FRAMES
            yield self._derive(found | situation | time)

    def _derive(self, present: set[str]) -> set[str]:
        """*present* with the derived concepts (rules of level ``-``) that hold."""
        for rule in self.derived:
            if rule.holds(present):
                present.add(rule.name)
        return present


WINDOW_SENTENCES = 3  # sentences read together in a long narrative
# Concepts that describe the person's situation rather than a sign: told once, in
# the past ("Vi kom hem från Kenya förra veckan", "mens sist för sju veckor sedan"),
# they hold for the whole narrative.
BACKGROUND = frozenset({"travel", "late_period"})
# Concepts that set a sentence in the past; the sentences after it stay there.
PAST_FRAMES = frozenset({PAST, "had"})
# Who the text is about and how it is asked: said once, they hold for each sentence
# of a stretch read on its own (EmergencyDetector._detect_one), as BACKGROUND does.
SITUATION = frozenset(
    {
        "personal",
        "info_frame",
        "first_aid",
        "child",
        "young_baby",
        "pregnant",
        "allergic",
        "diabetes",
        "asthma",
        "angina",
        "known_condition",
    }
)
STORY_SENTENCES = 3  # past-tense sentences that, outnumbering present ones 2:1, make a story
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
# A line that is only a date ("lördag 27 juni 2009", "Publicerad 2019-03-04 kl 10:12"):
# a blog's or forum's dateline, when the text was written, not when something happened.
_MONTH = (
    r"(?:januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept?|okt|nov|dec)\.?"
)
_DATELINE = re.compile(
    r"(?:(?:publicerad|uppdaterad|postad|skriven|inlägg)\w*:?\s+)?"
    r"(?:(?:m[åa]n|tis|ons|tors|fre|l[öo]r|s[öo]n)dag(?:en)?,?\s+)?(?:den\s+)?"
    rf"(?:\d{{1,2}}\s+{_MONTH},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
    r"(?:,?\s*(?:kl\.?\s*)?\d{1,2}[:.]\d{2})?",
    re.IGNORECASE,
)


def _handled(
    found: Sequence[Mapping[str, object]], tenses: Sequence[frozenset[Tense]]
) -> tuple[int, bool]:
    """How many sentences of a text (each one's concepts, *found*, and verb *tenses*)
    tell what care is already handling, and whether the last of them is told in the
    past tense (the sentences after it stay in the past until one speaks in the
    present).

    Care engaged ("Ambulansen är på väg", "blåljus till akuten") handles what the
    story told before it; told in the past tense ("Han föll ihop och kördes till
    akuten"), what its own sentence tells too, unless the story is of yesterday or
    today ("igår"): that is still going on. Care told of in a past time ("låg på
    sjukhus när jag var 19") is history.

    >>> care, past = {CARE_ENGAGED: 1}, frozenset({"past"})
    >>> _handled([{}, care, {}], [past, frozenset(), past])
    (1, False)
    >>> _handled([{}, care, {}], [past, past, past])
    (2, True)
    """
    recent = any(RECENT in c for c in found)
    handled, retold = 0, False
    for i, (concepts, tense) in enumerate(zip(found, tenses, strict=True)):
        if CARE_ENGAGED not in concepts or PAST_FRAMES & concepts.keys():
            continue
        if recent or tense != {"past"}:
            handled, retold = i, False
        else:
            handled, retold = i + 1, True
    return handled, retold


def told_afterwards(
    found: Sequence[Mapping[str, object]], tenses: Sequence[frozenset[Tense]]
) -> bool:
    """Whether a narrative (each sentence's concepts and verb tenses) is told
    afterwards: at least :data:`STORY_SENTENCES` sentences whose verbs are all in the
    past tense, twice as many as those whose verbs are all present, and no "igår"
    (a story of yesterday is about what is going on).

    >>> past, present = frozenset({"past"}), frozenset({"present"})
    >>> told_afterwards([{}] * 4, [past] * 3 + [present])
    True
    >>> told_afterwards([{}] * 5, [past] * 3 + [present] * 2)
    False
    >>> told_afterwards([{RECENT: 1}] + [{}] * 3, [past] * 4)
    False
    """
    if any(RECENT in c for c in found):
        return False
    past = sum(1 for t in tenses if t == {"past"})
    present = sum(1 for t in tenses if t == {"present"})
    return past >= STORY_SENTENCES and past >= 2 * present


def split_sentences(text: str) -> list[str]:
    """Sentences and lines of *text* (a rough split is enough for triage).

    >>> split_sentences("Ont! Sedan en timme. Hjälp")
    ['Ont!', 'Sedan en timme.', 'Hjälp']
    """
    return [s for s in _SENTENCE_END.split(text.strip()) if s.strip()]


def without_datelines(text: str) -> str:
    """*text* without the lines that are only a date: a pasted post's dateline says
    when it was written, and must not set the story in the past.

    >>> without_datelines("lördag 27 juni 2009\\nJag har ont i bröstet nu.")
    'Jag har ont i bröstet nu.'
    >>> without_datelines("Den 27 juni 2009 fick jag en stroke.")
    'Den 27 juni 2009 fick jag en stroke.'
    """
    lines = text.splitlines()
    kept = [line for line in lines if not _DATELINE.fullmatch(line.strip())]
    return "\n".join(kept) if kept and len(kept) < len(lines) else text


def _flat(rule: Rule, derived: Sequence[Rule]) -> list[tuple[str, bool]]:
    """The concept alternatives of *rule*, with derived concepts replaced by theirs."""
    by_name = {r.name: r for r in derived}
    out: list[tuple[str, bool]] = []
    for term in rule.terms:
        for name, want in term:
            out.extend(
                _flat(by_name[name], derived) if name in by_name and want else [(name, want)]
            )
    return out


def _ordered_derived(rules: Sequence[Rule], cue_concepts: set[str]) -> tuple[Rule, ...]:
    """Derived rules (level ``-``) in an order where each one's inputs come first.

    :raises LexiconError: on an unknown concept name or a cycle.
    """
    derived = {r.name: r for r in rules if r.level == "-"}
    for rule in rules:
        unknown = rule.needs() - cue_concepts - set(derived)
        if unknown:
            raise LexiconError(
                f"emergency rule {rule.name!r}: unknown concept(s) {sorted(unknown)}; "
                "add cues for them or fix the spelling."
            )
    ordered: list[Rule] = []
    done: set[str] = set()
    while len(ordered) < len(derived):
        ready = [
            r for n, r in derived.items() if n not in done and r.needs() & set(derived) <= done
        ]
        if not ready:
            raise LexiconError(f"emergency rules: cycle among {sorted(set(derived) - done)}")
        ordered.extend(ready)
        done.update(r.name for r in ready)
    return tuple(ordered)


def load_emergency_table(path: Path) -> tuple[tuple[tuple[str, str], ...], tuple[Rule, ...]]:
    """Load ``cue<TAB>concept<TAB>pattern`` and ``rule<TAB>name<TAB>level<TAB>expression`` rows.

    :raises LexiconError: naming file and line on a malformed row.
    """
    cues: list[tuple[str, str]] = []
    rules: list[Rule] = []
    for number, line in data_lines(path):
        cells = [c.strip() for c in line.split("\t")]
        where = f"{path.name} line {number}"
        if cells[0] == "cue" and len(cells) == 3 and all(cells):
            try:
                parse_pattern(cells[2])
            except ValueError as exc:
                raise LexiconError(f"{where}: {exc}") from exc
            cues.append((cells[1], cells[2]))
            clause = subordinate_order(cells[2])
            if clause is not None:
                cues.append((cells[1], clause))
        elif cells[0] == "rule" and len(cells) == 4 and all(cells):
            try:
                rules.append(Rule.parse(cells[1], cells[2], cells[3]))
            except ValueError as exc:
                raise LexiconError(f"{where}: {exc}") from exc
        else:
            raise LexiconError(
                f"{where}: expected 'cue<TAB>concept<TAB>pattern' or "
                f"'rule<TAB>name<TAB>level<TAB>expression', got {line!r}"
            )
    return tuple(dict.fromkeys(cues)), tuple(rules)


def subordinate_order(pattern: str) -> str | None:
    """The cue *pattern* "verb inte ..." as a subordinate clause words it, "inte
    verb ...": "vaknade av att jag inte får luft" says what "jag får inte luft" says.
    None for other patterns.

    >>> subordinate_order("kan|kunde inte andas|anda")
    'inte kan|kunde andas|anda'
    >>> subordinate_order("får|fick ingen|inte|knappt luft")
    'inte får|fick luft'
    >>> subordinate_order("inte andas|andades") is None, subordinate_order("ont .. inte") is None
    (True, True)
    """
    slots = pattern.split()
    if len(slots) < 3 or "inte" not in slots[1].split("|"):
        return None
    if any(mark in slots[0] for mark in ("..", "^", "#", "@", "*")):
        return None
    return " ".join(["inte", slots[0], *slots[2:]])


def load_messages(path: Path) -> dict[str, str]:
    """Load ``key<TAB>text`` rows (keys: ``112``, ``1177``, rule groups).

    :raises LexiconError: naming file and line on a malformed or repeated key.
    """
    messages: dict[str, str] = {}
    for number, line in data_lines(path):
        cells = [c.strip() for c in line.split("\t")]
        if len(cells) != 2 or not all(cells) or cells[0] in messages:
            raise LexiconError(
                f"{path.name} line {number}: expected a new 'key<TAB>text', got {line!r}"
            )
        messages[cells[0]] = cells[1]
    return messages
