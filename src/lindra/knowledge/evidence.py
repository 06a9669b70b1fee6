"""What a document says about each treatment it mentions: stance, quote, facts.

The extractor walks a document section by section and sentence by sentence:

* the **subject** of a section is the treatment its heading names, or — for an
  aspect heading such as "Verkan" or "Vilka biverkningar?" — the subject of the
  section before, or the treatment in the title;
* a sentence is **about** the treatments it names; one that names none (or only
  generic words: "behandlingen", "träning") is about the treatments of the
  previous sentence in its paragraph ("Akupunktur, laserterapi och TNS ... Det
  finns ingen dokumentation för behandlingarnas effekt"), else about the subject;
* a drug named in the same sentence as a procedure subject is part of it
  ("blockader där kortison ... sprutas in");
* each sentence's evidence stance (:mod:`lindra.knowledge.stance`) and practical
  facts (:mod:`lindra.knowledge.facts`) go to the treatments it is about.

A treatment's overall stance is the explicit statement with the most weight: a
sentence naming the treatment counts more than one that refers back to it, and
reported opinion ("argumentet handlar om brist på evidens") counts less.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from lindra.knowledge.evidence_summary import Statement, overall_stance, summarise_facts
from lindra.knowledge.facts import Fact, read_facts
from lindra.knowledge.mentions import Mention, MentionFinder
from lindra.language.thesaurus import Thesaurus
from lindra.types import BlockKind, Document, Section, Stance

if TYPE_CHECKING:  # the tagger's CRF and features load only when one is given
    from lindra.knowledge.treatment_tagger import TreatmentTagger

__all__ = ["EvidenceExtractor", "TreatmentEvidence"]

SentenceSpans = Callable[[str, int, int], list[tuple[int, int]]]
ClassifyStance = Callable[[str], Stance]

# Reported speech and the writer's own opinion weigh less than a statement of
# what studies show ("Jag har uppfattat det som att ...", "man menar att ...").
_REPORTED = re.compile(
    r"\b(jag|vi)\s+(har\s+)?(uppfattat|tycker|tror|anser|menar)\b|\bargument\w*\b|"
    r"\bpåstående\w*\b|\bhävdar\b|\bsägs\b",
    re.IGNORECASE,
)
# A statement that names the studies behind it outweighs one that does not
# ("2 kontrollerade undersökningar visar ..." over "resultaten är inte goda").
_STUDY_WORDS = re.compile(
    r"\b(studie\w*|undersökning\w*|rct|kontrollerad\w*|vetenskap\w*|evidens\w*|"
    r"dokument\w*|forskning\w*|metaanalys\w*|översikt\w*)",
    re.IGNORECASE,
)
# A treatment named as the yardstick of a comparison ("bättre än paracetamol",
# "inte lika starkt som för bäckenbottenträning"), up to three words after the cue.
_COMPARATOR = re.compile(
    r"(?:\b(?:än|jämfört\s+med|jämförd\s+med|jämförts\s+med|jämförelse\s+med|som\s+för)|"
    # "lika effektivt som den mer välkända KBT", "likvärdig effekt som SSRI"
    r"\b(?:lika|likvärdig\w*)\b[^.;:]{0,40}?\b(?:som|med))\s+(?:[\w-]+\s+){0,3}$",
    re.IGNORECASE,
)
# A sentence that refers back to several treatments named before it ("Alla de här
# grupperna ...", "Dessa ...", "Ingen av dem ...").
_GROUP_ANAPHOR = re.compile(
    r"\s*(?:alla\s+(?:de\s+här|dessa|dem)|de\s+här|dessa|båda|ingen\s+av\s+(?:dessa|dem|de\s+här)|"
    r"samtliga)\b",
    re.IGNORECASE,
)
# A definite treatment word that refers back across paragraphs: plural to every
# treatment the section has named ("Läkemedlen har i de flesta studier visat en
# tydlig effekt"), singular to the ones named last ("medicinen ger en tydlig effekt").
# The genitive too: "Vetenskapliga bevis saknas för behandlingens effekter".
_PLURAL_ANAPHOR = re.compile(
    r"\b(?:(?:läkemedlen|medicinerna|preparaten|behandlingarna|metoderna|produkterna)s?|"
    r"(?:dessa|de\s+här|de\s+nämnda|ovanstående)\s+(?:läkemedel|mediciner|preparat|"
    r"behandling\w*|metoder|medel|produkter))\b",
    re.IGNORECASE,
)
_SINGULAR_ANAPHOR = re.compile(
    r"\b(?:läkemedlet|medicinen|preparatet|behandlingen|metoden|produkten|sprejen|sprayen|"
    r"krämen|salvan|tabletten|terapin|ingreppet|operationen)s?\b",
    re.IGNORECASE,
)
# Headings that name an aspect of the treatment just described, not a new topic.
_SIDE_EFFECT_HEADING = re.compile(r"biverkning|bieffekt|risk", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Context:
    """What a sentence inherits from its section."""

    section: Section
    path: str
    conditions: list[str]
    # What the heading says of the items listed under it ("Förstahandspreparat").
    list_stance: Stance = "not_stated"


@dataclass(frozen=True, slots=True)
class MentionStance:
    text: str
    stance: Stance
    start: int
    end: int


@dataclass(slots=True)
class _Treatment:
    concept_id: str
    name: str
    known: bool
    mentions: list[MentionStance] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    conditions: Counter[str] = field(default_factory=Counter)  # from section headings
    first: tuple[int, int] = (0, 0)


@dataclass(frozen=True, slots=True)
class TreatmentEvidence:
    """One treatment concept of a document (the ``lindra evidence --json`` entry)."""

    name: str
    concept: str
    concept_id: str
    condition: str | None
    condition_id: str | None
    conditions: tuple[str, ...]
    stance: Stance
    quote: str
    start: int
    end: int
    facts: dict[str, Any]
    fact_quotes: dict[str, list[dict[str, Any]]]
    mentions: tuple[MentionStance, ...]
    # The conditions the page is mainly about: its own, and the page's conditions
    # weighing at least MAIN_CONDITION_SHARE of the heaviest (an answer's verdict scope).
    main_conditions: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "concept": self.concept,
            "concept_id": self.concept_id,
            "condition": self.condition,
            "condition_id": self.condition_id,
            "conditions": list(self.conditions),
            "main_conditions": list(self.main_conditions),
            "stance": self.stance,
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
            "facts": self.facts,
            "fact_quotes": self.fact_quotes,
            "mentions": [
                {"text": m.text, "stance": m.stance, "start": m.start, "end": m.end}
                for m in self.mentions
            ],
        }


class EvidenceExtractor:
    """Per-treatment evidence of one document.

    :param finder: finds concept mentions.
    :param classify: the evidence stance of one sentence.
    :param sentence_spans: sentence boundaries (text, start, end) → spans.
    :param thesaurus: for preferred terms of concepts.
    :param tagger: finds the treatments the finder does not know (optional).
    """

    def __init__(
        self,
        finder: MentionFinder,
        classify: ClassifyStance,
        sentence_spans: SentenceSpans,
        thesaurus: Thesaurus,
        tagger: TreatmentTagger | None = None,
    ) -> None:
        self.finder = finder
        self.classify = classify
        self.sentence_spans = sentence_spans
        self.thesaurus = thesaurus
        self.tagger = tagger

    def extract(
        self, document: Document, check: Callable[[], None] | None = None
    ) -> list[TreatmentEvidence]:
        """Each treatment *document* names, with its evidence; *check* is called
        before each section (it raises to stop a document that runs too long)."""
        text = document.text
        treatments: dict[str, _Treatment] = {}
        headings = [
            span
            for span in (document.title_span, *(s.heading_span for s in document.sections))
            if span
        ]
        title_subject = self._named(document, document.title_span)
        subject: list[Mention] = title_subject
        self._headline(document, document.title_span, title_subject, treatments)
        body_conditions: list[Mention] = []  # in every sentence, for the document's topic
        for section in document.sections:
            if check is not None:
                check()
            subject = self._section_subject(document, section, subject, title_subject, treatments)
            context = _Context(
                section,
                " ".join(section.path),
                self._heading_conditions(section),
                self.classify(section.heading) if section.heading else "not_stated",
            )
            listed: dict[str, Mention] = {}  # what the section named so far, by concept
            recent: list[Mention] = []  # what the section's last naming sentence was about
            # "Behandlingar som har visat sig fungera bra är:" judges the list after it.
            lead_in: Stance = "not_stated"
            for block in section.blocks:
                topic: list[Mention] = []
                block_context = context
                if block.kind == "list_item" and lead_in != "not_stated":
                    block_context = replace(context, list_stance=lead_in)
                spans = self.sentence_spans(text, block.start, block.end)
                for start, end in spans:
                    mentions = self._find(document, start, end)
                    body_conditions.extend(self.finder.conditions(mentions))
                    if not topic:
                        topic = _referred(text, start, end, listed, recent)
                    topic = self._sentence(
                        text,
                        (start, end, mentions),
                        block_context,
                        subject,
                        topic,
                        treatments,
                        block.kind,
                    )
                    for mention in topic:
                        listed.setdefault(mention.concept, mention)
                    recent = topic or recent
                if block.kind != "list_item":
                    last = text[spans[-1][0] : spans[-1][1]].rstrip() if spans else ""
                    lead_in = self.classify(last) if last.endswith(":") else "not_stated"
        doc_conditions = self._document_conditions(document, body_conditions)
        return [
            self._finish(t, text, doc_conditions, headings)
            for t in sorted(treatments.values(), key=lambda t: t.first)
        ]

    def _heading_conditions(self, section: Section) -> list[str]:
        """Conditions named by the section's headings ("Vid artros"): a document
        that separates conditions that way gives its treatments that condition."""
        mentions = self.finder.find(" ".join(section.path))
        return [m.concept for m in self.finder.conditions(mentions) if m.category == "condition"]

    # -- one section, one sentence ------------------------------------------------

    def _find(self, document: Document, start: int, end: int) -> list[Mention]:
        """The finder's mentions in ``document.text[start:end]``, and the tagger's
        treatments where the finder found nothing. Not in a research abstract: the
        tagger learned from patient pages, and in abstracts it marks methods and
        measures ("multivariata cox-analyser") as often as treatments."""
        text = document.text
        mentions = self.finder.find(text, start, end)
        if self.tagger is None or document.metadata.get("genre") == "abstract":
            return mentions
        named = self.finder.treatments(mentions)
        added = [
            mention
            for a, b in self.tagger.spans(text, start, end, named)
            if not any(m.start < b and a < m.end for m in mentions)
            and (mention := self.finder.named_treatment(text, a, b)) is not None
        ]
        return sorted([*mentions, *added], key=lambda m: m.start) if added else mentions

    def _named(self, document: Document, span: tuple[int, int] | None) -> list[Mention]:
        if span is None:
            return []
        return self.finder.treatments(self._find(document, *span))

    def _section_subject(
        self,
        document: Document,
        section: Section,
        previous: list[Mention],
        title_subject: list[Mention],
        treatments: dict[str, _Treatment],
    ) -> list[Mention]:
        named = self._named(document, section.heading_span)
        self._headline(document, section.heading_span, named, treatments)
        if named:
            return named
        # An aspect heading ("Verkan", "Hur gör man?") continues the topic before it.
        return previous or title_subject

    def _headline(
        self,
        document: Document,
        span: tuple[int, int] | None,
        named: list[Mention],
        treatments: dict[str, _Treatment],
    ) -> None:
        """A title or heading names treatments, and may judge them ("Glukosamin
        hjälper inte mot knäartros"): that judgement is a statement like a sentence's."""
        if span is None or not named:
            return
        stance = self.classify(document.text[span[0] : span[1]])
        for mention in named:
            treatment = self._note(treatments, mention, stance)
            if stance != "not_stated":
                treatment.statements.append(Statement(stance, span[0], span[1], 1.5))

    def _sentence(
        self,
        text: str,
        found: tuple[int, int, list[Mention]],
        context: _Context,
        subject: list[Mention],
        topic: list[Mention],
        treatments: dict[str, _Treatment],
        kind: BlockKind = "paragraph",
    ) -> list[Mention]:
        """Note what the sentence text[start:end] with its *found* mentions
        (start, end, mentions) says of the treatments it names or refers to."""
        start, end, mentions = found
        sentence = text[start:end]
        # A generic treatment word ("fysisk träning") refers to the section's
        # subject when there is one, and is a treatment of its own otherwise.
        named = [m for m in self.finder.treatments(mentions) if not (m.generic and subject)]
        subject_ids = {m.concept for m in subject}
        # Drugs and anaesthesia named in a section about a procedure or treatment
        # are part of it ("blockader där kortison ... sprutas in", "Ingreppet kan
        # utföras under lokalbedövning"), not treatments of their own.
        parts = [
            m for m in named if subject and m.concept not in subject_ids and _is_part(m, subject[0])
        ]
        named = [m for m in named if m not in parts]
        # "bättre effekt än paracetamol": the comparator is not what the sentence grades.
        compared = [m for m in named if _COMPARATOR.search(text[start : m.start])]
        named = [m for m in named if m not in compared]
        if not (named or compared or parts or topic or subject):
            if self.finder.infinitive_subject(text, start, end) is None:
                return []  # nothing the sentence could be about: no need to read it
        stance = self.classify(sentence)
        if stance == "not_stated" and kind == "list_item" and named:
            # A bare item under "Förstahandspreparat" or "Rekommenderade preparat".
            stance = context.list_stance
        if not named and not compared and stance != "not_stated":
            # "Att sova halvsittande har inte visat sig hjälpa": an action is the subject.
            action = self.finder.infinitive_subject(text, start, end)
            named = [action] if action is not None else []
        about = named or topic or subject
        weight = (
            (1.5 if named else 1.0)
            * (1.5 if _STUDY_WORDS.search(sentence) else 1.0)
            * (0.5 if _REPORTED.search(sentence) else 1.0)
        )
        facts = read_facts(sentence, start, context.path)
        if _SIDE_EFFECT_HEADING.search(context.section.heading):
            facts.append(Fact("side_effects", " ".join(sentence.split()), start, end))
        for mention in named:
            self._note(treatments, mention, stance)
        for mention in compared:
            self._note(treatments, mention, "not_stated")
        for part in parts:
            owner = self._note(treatments, subject[0], None)
            owner.mentions.append(MentionStance(part.text, stance, part.start, part.end))
        for target in {m.concept: m for m in about}.values():
            treatment = self._note(treatments, target, None)
            if stance != "not_stated":
                treatment.statements.append(Statement(stance, start, end, weight))
            treatment.facts.extend(facts)
            treatment.conditions.update(context.conditions)
        return named or topic

    def _note(
        self, treatments: dict[str, _Treatment], mention: Mention, stance: Stance | None
    ) -> _Treatment:
        key = (
            mention.concept
            if mention.known
            else _unknown_key(mention.concept, treatments, mention.category != "drug")
        )
        treatment = treatments.get(key)
        if treatment is None:
            treatment = _Treatment(key, mention.text, mention.known)
            treatment.first = (mention.start, mention.end)
            treatments[key] = treatment
        if stance is not None:
            treatment.mentions.append(
                MentionStance(mention.text, stance, mention.start, mention.end)
            )
        return treatment

    # -- summary ------------------------------------------------------------------

    def _finish(
        self,
        treatment: _Treatment,
        text: str,
        doc_conditions: Counter[str],
        headings: Sequence[tuple[int, int]],
    ) -> TreatmentEvidence:
        stance, quote_span = overall_stance(treatment.statements)
        if quote_span is None:
            # No evidence statement: quote the first body sentence that names it.
            in_body = [
                m
                for m in treatment.mentions
                if not any(start <= m.start < end for start, end in headings)
            ]
            first = min(in_body or treatment.mentions, key=lambda m: m.start, default=None)
            quote_span = self._sentence_around(text, first.start if first else treatment.first[0])
        facts, fact_quotes = summarise_facts(treatment.facts, text)
        concept = treatment.concept_id
        if concept in self.thesaurus:
            preferred = self.thesaurus.concept(concept).preferred
        else:
            preferred = " ".join(treatment.name.casefold().split())
        condition = _main_condition(treatment.conditions) or _main_condition(doc_conditions)
        ranked = [c for c, _ in doc_conditions.most_common()]
        if condition is not None and condition not in ranked:
            ranked.insert(0, condition)
        return TreatmentEvidence(
            name=" ".join(treatment.name.split()),
            concept=preferred,
            concept_id=concept,
            condition=self._condition_name(condition),
            condition_id=condition,
            conditions=tuple(ranked),
            stance=stance,
            quote=" ".join(text[quote_span[0] : quote_span[1]].split()),
            start=quote_span[0],
            end=quote_span[1],
            facts=facts,
            fact_quotes=fact_quotes,
            mentions=tuple(sorted(set(treatment.mentions), key=lambda m: (m.start, m.end))),
            main_conditions=_main_conditions(condition, doc_conditions),
        )

    def _sentence_around(self, text: str, position: int) -> tuple[int, int]:
        line_start = text.rfind("\n", 0, position) + 1
        line_end = text.find("\n", position)
        line_end = len(text) if line_end < 0 else line_end
        for start, end in self.sentence_spans(text, line_start, line_end):
            if start <= position < end:
                return start, end
        return line_start, line_end

    def _document_conditions(self, document: Document, body: Sequence[Mention]) -> Counter[str]:
        """Conditions the document is about, weighted: title 3, headings 2, *body*
        (the conditions its sentences name) 1; a diagnosis counts more than a
        symptom ("kotkompression" over "smärta")."""
        weighted: list[tuple[Mention, float]] = []
        for span, weight in [(document.title_span, 3.0)] + [
            (s.heading_span, 2.0) for s in document.sections
        ]:
            if span is not None:
                found = self.finder.conditions(self.finder.find(document.text, *span))
                weighted.extend((m, weight) for m in found)
        weighted.extend((m, 1.0) for m in body)
        counts: Counter[str] = Counter()
        for mention, weight in weighted:
            factor = 1.5 if mention.category == "condition" else 1.0
            counts[mention.concept] += int(2 * weight * factor)
        return counts

    def _condition_name(self, concept_id: str | None) -> str | None:
        if concept_id is None:
            return None
        return (
            self.thesaurus.concept(concept_id).preferred
            if concept_id in self.thesaurus
            else concept_id
        )


_GENERIC_HEAD = re.compile(r"(?<=\w{4})(behandling\w*)$")


def _unknown_key(key: str, treatments: dict[str, _Treatment], compound: bool = True) -> str:
    """One key for variants of a treatment the thesaurus lacks: "blockadbehandling"
    and "blockad" are one, and so are "stödkorsett" and "korsett" (a compound
    whose head is a treatment already seen) and "biologiska läkemedel" and "de
    biologiska läkemedlen" (an inflection the stemmer leaves). Drug names are not
    compounds of each other ("isotretinoin" is not "tretinoin"): *compound* False."""
    key = _GENERIC_HEAD.sub("", key)
    for known in treatments.values():
        other = known.concept_id
        if not known.known and (
            (
                compound
                and min(len(key), len(other)) >= 5
                and (key.endswith(other) or other.endswith(key))
            )
            or _uninflected(key) == _uninflected(other)
        ):
            return other
    return key


_DEFINITE_ENDING = re.compile(r"(?<=\w{4})(erna|arna|orna|en|et|na)$")
_SYNCOPE = re.compile(r"(?<=\w{3})e([lnr])$")


def _uninflected(key: str) -> str:
    """The key with its last word's definite ending and syncope undone:
    "läkemedlen", "läkemedlet" and "läkemedel" → "läkemedl"."""
    *first, last = key.split(" ")
    last = _SYNCOPE.sub(r"\1", _DEFINITE_ENDING.sub("", last))
    return " ".join([*first, last])


def _referred(
    text: str, start: int, end: int, listed: dict[str, Mention], recent: list[Mention]
) -> list[Mention]:
    """The treatments a sentence refers back to: every one its section has *listed*
    ("Alla de här grupperna har ... visat", "Läkemedlen har ..."), or the *recent*
    ones for a singular definite word ("medicinen")."""
    if _GROUP_ANAPHOR.match(text, start, end) or _PLURAL_ANAPHOR.search(text, start, end):
        return list(listed.values())
    if _SINGULAR_ANAPHOR.search(text, start, end):
        return list(recent)
    return []


def _is_part(mention: Mention, owner: Mention) -> bool:
    """Anaesthesia always, and a drug given in a specific procedure ("blockader
    där kortison sprutas in"); a drug under a drug class, a generic heading
    ("Sprutor") or a treatment heading ("Hormonell behandling") is its own."""
    if "anesthesia" in mention.concept:
        return True
    return (
        mention.category == "drug"
        and owner.category == "procedure"
        and not owner.generic
        and owner.concept != "surgery"
    )


def _main_condition(counts: Counter[str]) -> str | None:
    return counts.most_common(1)[0][0] if counts else None


# A page condition is a main one when it weighs at least this share of the heaviest:
# "osteoporos" (6) beside "kotkompression" (15) on the sample page, not "astma" (12)
# beside "KOL" (36) or "rosacea" (3) beside "akne" (45) on real pages. On the dev half of
# benchmarks/verdict_scope.py 0.4 and 0.5 tie (21-22 sources about another condition,
# 36-37 disagreements not shown), 0.3 and 0.2 do worse; 0.4 keeps the sample page.
MAIN_CONDITION_SHARE = 0.4


def _main_conditions(own: str | None, counts: Counter[str]) -> tuple[str, ...]:
    """*own* and the conditions of *counts* that weigh at least
    :data:`MAIN_CONDITION_SHARE` of the heaviest, heaviest first.

    >>> _main_conditions("a", Counter({"b": 10, "c": 4, "d": 3}))
    ('a', 'b', 'c')
    """
    top = max(counts.values(), default=0)
    heavy = [c for c, weight in counts.most_common() if weight >= MAIN_CONDITION_SHARE * top]
    return tuple(dict.fromkeys([own, *heavy] if own else heavy))
