"""Compose the answer card: quoted sentences, verdict, treatment overview, safety.

Everything on the card comes from the knowledge base: sentences are quoted
verbatim with their document offsets, the verdict summarises stored evidence
stances, and when nothing is relevant enough the card says so instead of
padding with weak matches.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from lindra.answer.abstention import AbstentionModel, PassageScore, abstention_features
from lindra.answer.answer_types import AnswerType, AnswerTypes, default_answer_types
from lindra.answer.citations import citation, evidence_first, lead_with
from lindra.answer.effect import is_effect_question, verdict_text
from lindra.answer.practical import asked_fact, asks_how_long, fact_quotes
from lindra.answer.reading import read_mentions
from lindra.errors import DocumentNotFound, QueryError
from lindra.knowledge.facts import duration_in
from lindra.knowledge.mentions import Mention, MentionFinder
from lindra.knowledge.views import GENRE_ORDER, TreatmentRow, main_conditions
from lindra.search.bm25 import idf as idf_of
from lindra.search.query import Query
from lindra.search.searcher import Searcher
from lindra.store.base import Store
from lindra.types import Answer, Citation, Document, Emergency, Passage, Verdict

__all__ = ["AnswerSettings", "Answerer"]

# What an effect question asks the treatment to help against ("mot rynkor", "vid artros").
_TARGET = re.compile(r"\b(?:mot|vid)\s+\w", re.IGNORECASE)
# A sentence that opens by leaning on the one before ("Men det är osäkert ...", "Trots
# detta hävdar ...") says little quoted alone.
_LEANS_BACK = re.compile(
    r"\s*[–-]?\s*(?:men|trots\s+detta|detta|dessa|därför|däremot|dessutom|samtidigt|"
    r"alltså|således|annars)\b",
    re.IGNORECASE,
)

SentenceSpans = Callable[[str, int, int], list[tuple[int, int]]]
# Sentences → their embeddings (rows of unit vectors), as passages are embedded.
SentenceVectors = Callable[[Sequence[str]], npt.NDArray[np.float32]]


@dataclass(frozen=True, slots=True)
class AnswerSettings:
    """How the card is built; the relevance numbers are calibrated on PubMedQA-sv dev
    (benchmarks/answers.py, docs/answers.md).

    A passage's relevance is the share of the question's words it covers, mixed
    (``dense_share``) with its embedding similarity rescaled from
    ``dense_low``..``dense_high`` to 0..1. Without embeddings, coverage alone is
    used against ``lexical_threshold``.
    """

    threshold: float = 0.58  # chosen by grouped CV on real lay questions (docs/answers.md)
    lexical_threshold: float = 0.55
    dense_low: float = 0.82
    dense_high: float = 0.92
    dense_share: float = 0.3
    max_answers: int = 3
    per_passage: int = 2
    candidate_share: float = 0.75
    passages: int = 20
    # How much a sentence loses per place its passage is below the first search hit.
    rank_weight: float = 0.01  # grouped CV on the real lay questions (docs/answers.md)
    # How many other conditions an effect verdict lists ("Om botox vid andra besvär").
    elsewhere: int = 3
    # How many sources a verdict quotes (each stance among them): a base with hundreds
    # of pages on one treatment grades it from all, and quotes a few.
    verdict_sources: int = 10
    # What a sentence gains when the question asks how long or how soon ("Hur länge
    # kan ett barn ha feber?") and the sentence states a duration ("3-6 dygn"). This
    # and type_bonus: grouped CV by site on the real lay questions (docs/answers.md).
    duration_bonus: float = 0.5
    # What a sentence gains when it is of the kind the question asks for: a cause for
    # "Varför ...?", how dangerous for "Är det farligt?" (answer/data/sv_answer_types.tsv).
    type_bonus: float = 0.5
    # What a sentence loses when it opens by leaning on the one before ("Men ...").
    leaning_penalty: float = 0.1
    # The best candidate sentences are read again by the embedding cosine of sentence
    # and question: a lay question shares few words with the sentence that answers it.
    # How many (0: none), and what the cosine adds, rescaled from sentence_low..
    # sentence_high to 0..sentence_weight. Grouped CV by site on the real lay
    # questions (docs/answers.md); each re-read sentence costs ~35 ms unless cached.
    sentence_rerank: int = 10
    sentence_weight: float = 4.0
    sentence_low: float = 0.85
    sentence_high: float = 0.95


@dataclass(frozen=True, slots=True)
class QueryIdf:
    """idf of the query's terms the index knows, and the weight of an unseen word."""

    known: Mapping[str, float]
    unseen: float


@dataclass(frozen=True, slots=True)
class _Wants:
    """What kind of sentence the question asks for: a duration, a cause, a danger ..."""

    duration: bool
    types: tuple[AnswerType, ...]


@dataclass(frozen=True, slots=True)
class _Scored:
    """A passage the search found for the question, with its relevance parts."""

    rank: int
    relevance: float
    coverage: float
    similarity: float | None
    document: Document
    passage: Passage


@dataclass(frozen=True, slots=True)
class _Candidate:
    score: float
    start: int
    end: int
    passage: Passage
    document: Document


class Answerer:
    """Build the answer card for a question.

    :param searcher: retrieval.
    :param store: documents, passages and stored evidence.
    :param index_terms: the index analysis (to compare sentences with the query).
    :param sentence_spans: sentence boundaries.
    :param messages: the card's fixed Swedish texts.
    :param finder: treatment/condition mentions, for verdicts and overviews (or what
        loads them at the first question).
    :param treatments_for: condition text → treatment rows across documents.
    :param emergency: question → emergency triage.
    :param abstention: decides whether the card answers (with embeddings); without
        it, or without embeddings, the best passage's relevance must reach the bar.
    :param sentence_vectors: embeds candidate sentences to re-rank the best of them
        (with dense retrieval).
    """

    def __init__(
        self,
        searcher: Searcher,
        store: Store,
        index_terms: Callable[[str], list[str]],
        sentence_spans: SentenceSpans,
        messages: Mapping[str, str],
        settings: AnswerSettings | None = None,
        *,
        finder: MentionFinder | Callable[[], MentionFinder | None] | None = None,
        treatments_for: Callable[[str], list[TreatmentRow]] | None = None,
        emergency: Callable[[str], Emergency] | None = None,
        answer_types: AnswerTypes | None = None,
        abstention: AbstentionModel | None = None,
        sentence_vectors: SentenceVectors | None = None,
    ) -> None:
        self.searcher = searcher
        self.store = store
        self.index_terms = index_terms
        self.sentence_spans = sentence_spans
        self.messages = messages
        self.settings = settings or AnswerSettings()
        self._finder = finder
        self.treatments_for = treatments_for
        self.emergency = emergency
        self.answer_types = answer_types or default_answer_types()
        self.abstention = abstention
        self.sentence_vectors = sentence_vectors

    @functools.cached_property
    def finder(self) -> MentionFinder | None:
        """The mention finder (given, or loaded at the first question)."""
        return self._finder() if callable(self._finder) else self._finder

    def ask(self, question: str) -> Answer:
        """Answer *question* from the knowledge base, or say that nothing was found.

        :raises QueryError: for an empty question.
        """
        if not question.strip():
            raise QueryError(
                "The question is empty. Write a question in Swedish, "
                "e.g. 'Hjälper värme mot ryggsmärta?'."
            )
        emergency = self.emergency(question) if self.emergency else Emergency(False)
        mentions, query, asked, topic = self._read(question)
        reading = read_mentions(question, self.finder, mentions, emergency)
        overview = self._overview(mentions)
        answer = self._quotes(question, query, topic)
        quoted = frozenset(c.doc_id for c in answer.answers)
        verdict = self._verdict(question, mentions, asked, quoted)
        if not answer.found and asked and verdict is not None and verdict.sources:
            # "Hjälper värme mot ont i ryggen?": the knowledge base has graded that
            # treatment for that condition, so its evidence sentences answer, though
            # no passage shared enough words with the question to be quoted.
            answer = replace(answer, found=True, answers=verdict.sources, note="")
        elif not answer.found and (fact := self._fact_lead(question, query, mentions, (), asked)):
            # "Hur länge sitter botoxen i?": a page the base holds states that fact of the
            # treatment (for the asked condition), in words the question does not share.
            answer = replace(answer, found=True, answers=(fact,), note="")
            verdict = None
        elif not answer.found and reading.intent == "treatments" and overview:
            # "min mamma har benskörhet, vad kan hon göra": the base's treatments for
            # that condition answer, each with the sentence that grades it.
            answer = replace(answer, found=True, answers=self._table_quotes(overview), note="")
            verdict = None
        elif not answer.found:
            if verdict is not None and not verdict.sources:
                # "Källorna säger inget om värme vid ont i nacken." says more than
                # "nothing found" alone: the sources grade it for other conditions only.
                answer = replace(answer, note=f"{verdict.text}. {answer.note}")
            verdict = None  # "found nothing" never comes with a verdict
        lead = self._fact_lead(question, query, mentions, answer.answers)
        return replace(
            answer,
            answers=evidence_first(
                lead_with(lead, answer.answers), verdict, self.settings.max_answers
            ),
            emergency=emergency,
            verdict=verdict,
            treatments=overview,
            reading=reading.to_json(),
        )

    def _read(self, question: str) -> tuple[list[Mention], Query, list[Mention], frozenset[str]]:
        """The treatments and conditions the question names (read once for the
        verdict, the practical-fact lead and the overview), its query, the conditions
        asked about and the topic a quoted passage must be on."""
        mentions = self.finder.find(question, question=True) if self.finder else []
        query = self.searcher.query(question, gloss=self._drug_gloss(mentions))
        asked = self.finder.conditions(mentions) if self.finder else []
        return mentions, query, asked, self._topic(asked)

    def abstention_features(self, question: str) -> dict[str, float] | None:
        """What the abstention model reads for *question* (None when the search
        finds nothing on topic, or passages lack embeddings): for training it."""
        _, query, _, topic = self._read(question)
        if not query.groups:
            return None
        idf = self.query_idf(query)
        scored = self._scored(query, topic, idf)
        _, closest = self._reread(query, self._candidates(question, query, idf, scored))
        return self._abstention_features(query, scored, idf, closest)

    def _drug_gloss(self, mentions: Sequence[Mention]) -> str:
        """The substance of each medicine the question names by a brand ("Ipren" →
        "ibuprofen"): pages name the substance, and the embedding model knows it."""
        if self.finder is None:
            return ""
        thesaurus = self.finder.thesaurus
        names = []
        for mention in mentions:
            if mention.category != "drug":
                continue
            known = mention.concept in thesaurus
            substance = thesaurus.concept(mention.concept).preferred if known else mention.concept
            if substance.casefold() not in mention.text.casefold() and substance not in names:
                names.append(substance)
        return ", ".join(names)

    # -- quoted sentences ------------------------------------------------------------

    def relevance(
        self,
        query: Query,
        document: Document,
        passage: Passage,
        similarity: float | None = None,
        idf: QueryIdf | None = None,
    ) -> float:
        """How well a passage answers the question, 0..1: the share of the question's
        words (idf-weighted) in the passage and its headings, mixed with the
        passage's embedding *similarity* when there is one."""
        coverage = self._context_coverage(query, document, passage, idf or self.query_idf(query))
        return self._mixed(coverage, similarity)

    def _context_coverage(
        self, query: Query, document: Document, passage: Passage, idf: QueryIdf
    ) -> float:
        """The share of the question's words in the passage, its headings and title."""
        context = " ".join((document.title, *passage.path, passage.text))
        return self._coverage(query, self.index_terms(context), idf)

    def _mixed(self, coverage: float, similarity: float | None) -> float:
        """Relevance from word *coverage* and embedding *similarity* (when known)."""
        if similarity is None:
            return coverage
        s = self.settings
        dense = min(max((similarity - s.dense_low) / (s.dense_high - s.dense_low), 0.0), 1.0)
        return s.dense_share * coverage + (1.0 - s.dense_share) * dense

    @property
    def threshold(self) -> float:
        """The relevance a passage needs to be quoted (depends on dense retrieval)."""
        if self.searcher.embedder is None:
            return self.settings.lexical_threshold
        return self.settings.threshold

    def query_idf(self, query: Query) -> QueryIdf:
        """The idf of the query's terms (and of an unseen word), for :meth:`relevance`."""
        index = self.searcher.index()
        known = {
            term: float(index.idf[index.vocabulary[term]])
            for term in query.weights
            if term in index.vocabulary
        }
        # A word the base has never seen weighs as much as the rarest word can.
        unseen = float(idf_of(np.zeros(1), max(len(index), 1))[0])
        return QueryIdf(known, unseen)

    @staticmethod
    def _coverage(query: Query, terms: Sequence[str], idf: QueryIdf) -> float:
        return query.coverage(terms, idf.known, idf.unseen)

    def _topic(self, asked: Sequence[Mention]) -> frozenset[str]:
        """The conditions a quoted passage must name (one of them) when the question
        names conditions: those, and the broader and narrower ones."""
        if self.finder is None or not asked:
            return frozenset()
        concepts = {m.concept for m in asked}
        for concept in list(concepts):
            concepts |= self.finder.thesaurus.related(concept)
        return frozenset(concepts)

    def _on_topic(
        self,
        topic: frozenset[str],
        document: Document,
        passage: Passage,
        named: dict[str, frozenset[str]],
    ) -> bool:
        """Whether the passage's document names one of *topic*'s conditions ("hur
        länge smittar magsjuka" is not answered about chickenpox); *named* keeps each
        document's conditions for the question's other passages."""
        finder = self.finder
        if not topic or finder is None:
            return True
        context = "\n".join((document.title, *passage.path, passage.text))
        if topic & _conditions_in(finder, context):
            return True  # most often said right there; the whole document is slower to read
        if document.id not in named:
            named[document.id] = _conditions_in(finder, document.text)
        return bool(topic & named[document.id])

    def _scored(self, query: Query, topic: frozenset[str], idf: QueryIdf) -> list[_Scored]:
        """The passages the search finds for *query* that are on *topic*, in rank order."""
        hits = self.searcher.passages(query, self.settings.passages)
        passages = self.store.passages([h.passage_id for h in hits])
        similarity = self.searcher.similarity(query, [h.passage_id for h in hits])
        documents: dict[str, Document] = {}
        scored: list[_Scored] = []
        named: dict[str, frozenset[str]] = {}
        for rank, hit in enumerate(hits):
            passage = passages.get(hit.passage_id)
            document = self.document(hit.doc_id, documents)
            if passage is None or document is None:
                continue  # replaced or deleted by another process since the search
            if not self._on_topic(topic, document, passage, named):
                continue
            coverage = self._context_coverage(query, document, passage, idf)
            cosine = similarity.get(passage.id)
            scored.append(
                _Scored(rank, self._mixed(coverage, cosine), coverage, cosine, document, passage)
            )
        return scored

    def _answers(
        self, query: Query, scored: Sequence[_Scored], idf: QueryIdf, closest: float | None
    ) -> bool:
        """Whether the card quotes: the abstention model decides when every passage
        has an embedding; otherwise the best relevance must reach the bar."""
        if self.abstention is not None:
            features = self._abstention_features(query, scored, idf, closest)
            if features is not None:
                return self.abstention.answers(features)
        return max((s.relevance for s in scored), default=0.0) >= self.threshold

    def _abstention_features(
        self, query: Query, scored: Sequence[_Scored], idf: QueryIdf, closest: float | None
    ) -> dict[str, float] | None:
        """The abstention model's inputs (None without passages, or embeddings for them);
        *closest*: the best candidate sentence's cosine with the question."""
        if any(s.similarity is None for s in scored):
            return None
        background = self.searcher.similarity_background(query)
        if background is None:
            return None
        unseen = sum(1 for group in query.groups if not any(t in idf.known for t in group))
        passages = [
            PassageScore(s.document.id, s.coverage, s.similarity or 0.0, s.relevance)
            for s in scored
        ]
        return abstention_features(passages, len(query.groups), unseen, background, closest)

    def _quotes(self, question: str, query: Query, topic: frozenset[str] = frozenset()) -> Answer:
        if not query.groups:
            return Answer(question, False, (), self.messages["no_terms"])
        idf = self.query_idf(query)
        scored = self._scored(query, topic, idf)
        best_relevance = max((s.relevance for s in scored), default=0.0)
        candidates = self._candidates(question, query, idf, scored)
        # The abstention model weighs how close the best candidate comes to the
        # question, so the candidates are read before it decides; a configured bar
        # decides without them, and they are embedded only for a card that quotes.
        reread = self._reread(query, candidates) if self.abstention is not None else None
        if not self._answers(query, scored, idf, reread[1] if reread else None):
            return Answer(question, False, (), self.messages["not_found"], relevance=best_relevance)
        ranked, _ = reread or self._reread(query, candidates)
        citations = self._pick(ranked)
        if not citations:
            return Answer(question, False, (), self.messages["not_found"], relevance=best_relevance)
        return Answer(question, True, tuple(citations), relevance=best_relevance)

    def _candidates(
        self, question: str, query: Query, idf: QueryIdf, scored: Sequence[_Scored]
    ) -> list[_Candidate]:
        """The sentences the card may quote, from the passages the search found."""
        best_relevance = max((s.relevance for s in scored), default=0.0)
        # Sentences may also come from passages a little below the bar (or below the
        # best one, when the model answers under the bar): a lay question can share
        # few words with the page that answers it.
        floor = min(self.threshold, best_relevance) * self.settings.candidate_share
        wants = _Wants(asks_how_long(question), self.answer_types.asked(question))
        documents = {s.document.id: s.document for s in scored}
        candidates: list[_Candidate] = []
        reader_question: Passage | None = None
        for s in scored:
            if s.relevance < floor:
                continue
            if s.passage.kind == "question":
                # A reader asked this before: answer from that page's answer text.
                reader_question = reader_question or s.passage
                continue
            candidates.extend(
                self._sentences(query, idf, s.document, s.passage, s.relevance, s.rank, wants)
            )
        if reader_question is not None:
            candidates.extend(self._from_reader_page(query, idf, reader_question, documents, wants))
        return candidates

    def document(self, doc_id: str, cache: dict[str, Document]) -> Document | None:
        """A document by id, or None when it was deleted meanwhile (*cache* avoids re-reads)."""
        if doc_id not in cache:
            try:
                cache[doc_id] = self.store.document(doc_id)
            except DocumentNotFound:
                return None
        return cache[doc_id]

    def _sentences(
        self,
        query: Query,
        idf: QueryIdf,
        document: Document,
        passage: Passage,
        relevance: float,
        rank: int,
        wants: _Wants | None = None,
    ) -> list[_Candidate]:
        # A sentence inherits its topic from the title and headings above it:
        # under "Botox ...", "resultatet håller sedan 3-6 månader" answers "Hur
        # länge håller botox?" although it does not repeat the word botox.
        found = []
        topic = self.index_terms(" ".join((document.title, *passage.path)))
        # A section whose heading asks the same thing ("Vilka biverkningar?")
        # is where the answer is.
        heading = 0.1 * self._coverage(query, self.index_terms(" ".join(passage.path)), idf)
        for start, end in self._quotable_spans(document, passage):
            text = document.text[start:end]
            terms = self.index_terms(text)
            own = self._coverage(query, terms, idf)
            timed = bool(wants and wants.duration and duration_in(text))
            typed = bool(wants and AnswerTypes.answers(wants.types, text))
            # "Vanligtvis är det inget att oroa sig för" answers "Är hjärtklappning
            # farligt?" on a page about it without one word of the question.
            if own == 0 and not (timed or typed):
                continue
            in_context = self._coverage(query, [*terms, *topic], idf)
            score = 0.6 * in_context + 0.2 * own + 0.2 * relevance + heading
            score -= self.settings.rank_weight * rank
            if timed:
                score += self.settings.duration_bonus
            if typed:
                score += self.settings.type_bonus
            if _LEANS_BACK.match(document.text, start):
                score -= self.settings.leaning_penalty
            found.append(_Candidate(score, start, end, passage, document))
        return found

    def _quotable_spans(self, document: Document, passage: Passage) -> Iterator[tuple[int, int]]:
        """The sentences of *passage* that a card may quote."""
        for span_start, span_end in passage.spans:
            for start, end in self.sentence_spans(document.text, span_start, span_end):
                # A page's own question ("Hur länge smittar det?") or a lead-in
                # ("Ansträngningsinkontinens:") answers nothing.
                if not document.text[start:end].rstrip().endswith(("?", ":")):
                    yield start, end

    def quotable_sentences(self, document: Document) -> list[str]:
        """Every sentence of *document* that a card may quote, as the card's re-reading
        embeds it (:meth:`_reread`); for filling the embedding cache ahead of questions."""
        texts = dict.fromkeys(
            _embedded_form(document.text[start:end])
            for passage in self.store.passages_of(document.id)
            if passage.kind != "question"
            for start, end in self._quotable_spans(document, passage)
        )
        return list(texts)

    def _from_reader_page(
        self,
        query: Query,
        idf: QueryIdf,
        question: Passage,
        documents: Mapping[str, Document],
        wants: _Wants | None = None,
    ) -> list[_Candidate]:
        document = documents[question.doc_id]
        passages = [p for p in self.store.passages_of(document.id) if p.kind == "body"]
        similarity = self.searcher.similarity(query, [p.id for p in passages])
        found = []
        for passage in passages:
            relevance = self.relevance(query, document, passage, similarity.get(passage.id), idf)
            found.extend(self._sentences(query, idf, document, passage, relevance, 0, wants))
        return found

    def _reread(
        self, query: Query, candidates: Sequence[_Candidate]
    ) -> tuple[list[_Candidate], float | None]:
        """The candidates, the best ``sentence_rerank`` of them scored up by the
        embedding cosine of sentence and question (the rest stay below them), and the
        highest of those cosines (None when none was read)."""
        settings = self.settings
        if self.sentence_vectors is None or query.vector is None or not candidates:
            return list(candidates), None
        ranked = sorted(candidates, key=_best_first)
        best, rest = ranked[: settings.sentence_rerank], ranked[settings.sentence_rerank :]
        if not best:
            return ranked, None
        texts = [_embedded_form(c.document.text[c.start : c.end]) for c in best]
        cosines = self.sentence_vectors(texts) @ np.asarray(query.vector, dtype=np.float32).T
        if cosines.ndim == 2:  # a question and its glossed reading: the closer counts
            cosines = cosines.max(axis=1)
        span = settings.sentence_high - settings.sentence_low
        gains = settings.sentence_weight * np.clip((cosines - settings.sentence_low) / span, 0, 1)
        reread = [replace(c, score=c.score + float(g)) for c, g in zip(best, gains, strict=True)]
        return reread + rest, float(cosines.max())

    def _pick(self, candidates: Sequence[_Candidate]) -> list[Citation]:
        chosen: list[Citation] = []
        per_passage: dict[str, int] = {}
        seen: set[tuple[str, int]] = set()
        for c in sorted(candidates, key=_best_first):
            key = (c.document.id, c.start)
            if key in seen or per_passage.get(c.passage.id, 0) >= self.settings.per_passage:
                continue
            seen.add(key)
            per_passage[c.passage.id] = per_passage.get(c.passage.id, 0) + 1
            chosen.append(citation(c.document, c.passage, c.start, c.end, c.score))
            if len(chosen) >= self.settings.max_answers:
                break
        return chosen

    # -- verdict and overview ------------------------------------------------------

    def _verdict(
        self,
        question: str,
        mentions: Sequence[Mention],
        asked: Sequence[Mention],
        quoted: frozenset[str] = frozenset(),
    ) -> Verdict | None:
        """The verdict on the treatment *mentions* name, for the *asked* conditions
        (*quoted*: the documents the answer quotes)."""
        if self.finder is None or not is_effect_question(question):
            return None
        treatments = [m for m in self.finder.treatments(mentions) if not m.generic]
        if not treatments:
            return None
        if not asked and _TARGET.search(question):
            # "Hjälper botox mot rynkor?" names what it is for, but not as a condition
            # lindra knows: a verdict from the sources' other conditions would be borrowed.
            return None
        # Patient sources only: research abstracts are quoted, labelled, but not graded.
        entries = self.store.treatments(concept=treatments[0].concept, research=False)
        if not entries:
            return None
        if not asked:
            return self._graded(entries, quoted=quoted)
        # Only sources about the asked condition: a verdict is never borrowed from
        # another ("botox mot migrän" is not answered by a pelvic-floor page).
        wanted = self._scope(asked)
        scoped = self._about(entries, wanted)
        if scoped:
            return self._graded(scoped, condition=scoped[0].get("condition"), quoted=quoted)
        # Then sources about a broader condition ("ont i ländryggen" → "ryggsmärta"),
        # said with that condition; the other conditions follow apart.
        groups = _by_condition(entries)
        broader = self._topic([m for m in asked if m.concept in wanted])
        kin = [g for g in groups if g[0].get("condition_id") in broader]
        if kin:
            condition = kin[0][0].get("condition")
            verdict = self._graded(kin[0], condition=condition, scoped=True, quoted=quoted)
            others = [g for g in groups if g is not kin[0]]
        else:
            verdict = Verdict(
                text=self.messages["verdict.other_condition"].format(
                    treatment=treatments[0].text, condition=asked[0].text
                ),
                stance="not_stated",
                treatment=treatments[0].text.casefold(),
                condition=asked[0].text.casefold(),
                sources=(),
            )
            others = groups
        elsewhere = self._elsewhere(others)
        if not elsewhere:
            return verdict
        title = self.messages["verdict.elsewhere"].format(treatment=treatments[0].text)
        return replace(verdict, elsewhere=elsewhere, elsewhere_title=title)

    def _scope(self, asked: Sequence[Mention]) -> set[str]:
        """The conditions a verdict is about: the diagnoses the question names, else
        its symptoms ("smärta vid endometrios" is about endometriosis; every page on
        some pain would otherwise count)."""
        diagnoses = [m for m in asked if m.category == "condition"]
        return {m.concept for m in diagnoses or asked}

    def _about(
        self, entries: Sequence[Mapping[str, Any]], conditions: Collection[str]
    ) -> list[Mapping[str, Any]]:
        """The *entries* about one of *conditions* or a kind of one: their own
        condition, or one their page is mainly about ("osteoporos" beside the
        vertebral fractures of the sample page); all of them when no condition is
        asked. A condition the page only mentions does not count: on real pages, that
        made about one verdict source in ten one about another condition
        (benchmarks/verdict_scope.py)."""
        if not conditions:
            return list(entries)
        wanted = set(conditions)
        if self.finder is not None:
            wanted = wanted.union(*(self.finder.thesaurus.kinds(c) for c in conditions))
        return [
            e
            for e in entries
            if e.get("condition_id") in wanted or wanted & set(main_conditions(e))
        ]

    def _graded(
        self,
        entries: Sequence[Mapping[str, Any]],
        condition: str | None = None,
        scoped: bool = False,
        quoted: frozenset[str] = frozenset(),
    ) -> Verdict:
        """The verdict of *entries* (one treatment), "... vid {condition}" when *scoped*;
        *quoted*: the documents the answer quotes, whose evidence the verdict cites first."""
        text, stance = verdict_text(entries, self.messages)
        if scoped and condition:
            text = self.messages["verdict.scoped"].format(verdict=text, condition=condition)
        return Verdict(
            text=text,
            stance=stance,
            treatment=entries[0]["concept"],
            condition=condition,
            sources=tuple(
                self._entry_citation(e)
                for e in quoted_sources(entries, self.settings.verdict_sources, quoted)
            ),
        )

    def _elsewhere(self, groups: Iterable[Sequence[Mapping[str, Any]]]) -> tuple[Verdict, ...]:
        """What the sources say about the treatment for other conditions, each on its
        own line ("Visst stöd i små studier vid bäckenbottensmärta"), in the order of
        *groups*; conditions no source grades are left out."""
        graded = [
            self._graded(group, condition=group[0].get("condition"), scoped=True)
            for group in groups
        ]
        return tuple(v for v in graded if v.stance != "not_stated")[: self.settings.elsewhere]

    def _fact_lead(
        self,
        question: str,
        query: Query,
        mentions: Sequence[Mention],
        answers: Sequence[Citation],
        asked: Sequence[Mention] = (),
    ) -> Citation | None:
        """For "Hur länge håller botox?": the sentence a quoted page states that fact
        of the treatment in (its extracted fact quote), to lead the answers. With no
        *answers*, the patient pages' entries for the *asked* conditions are read."""
        kind = asked_fact(question)
        if kind is None or self.finder is None:
            return None
        treatments = [m for m in self.finder.treatments(mentions) if not m.generic]
        if not treatments:
            return None
        entries: Sequence[Mapping[str, Any]]
        if answers:
            entries = self.store.treatments(concept=treatments[0].concept)
            quoted = list(dict.fromkeys(c.doc_id for c in answers))
        else:
            entries = self._about(
                self.store.treatments(concept=treatments[0].concept, research=False),
                self._scope(asked),
            )
            quoted = list(dict.fromkeys(str(e["doc_id"]) for e in entries))
        found = fact_quotes(entries, kind, quoted)
        if found is None:
            return None
        entry, quotes = found
        # Several sentences may state it: take the one sharing most words with the
        # question besides the treatment's name, then one that is not the evidence
        # sentence (the verdict shows that), then the first stated.
        idf = self.query_idf(query)
        name = set(self.index_terms(treatments[0].text))
        quoted_starts = {c.start: c for c in answers if c.doc_id == entry["doc_id"]}

        def rank(quote: Mapping[str, Any]) -> tuple[float, bool]:
            terms = [term for term in self.index_terms(quote["text"]) if term not in name]
            return (
                round(self._coverage(query, terms, idf), 6),
                quote["start"] != entry["start"],
            )

        best = max(quotes, key=rank)  # max keeps the first of equals
        if best["start"] in quoted_starts:
            return quoted_starts[best["start"]]
        score = answers[0].score if answers else 0.0
        return replace(self._entry_citation(entry, best), stance=None, score=score)

    def _entry_citation(
        self, entry: Mapping[str, Any], quote: Mapping[str, Any] | None = None
    ) -> Citation:
        """A citation of a stored treatment entry's evidence sentence, or of *quote*
        (one of its fact quotes: text, start, end)."""
        quote = quote or {"text": entry["quote"], "start": entry["start"], "end": entry["end"]}
        document = self.store.document(entry["doc_id"])
        passage = next(
            (p for p in self.store.passages_of(document.id) if p.start <= quote["start"] < p.end),
            None,
        )
        return Citation(
            text=quote["text"],
            doc_id=document.id,
            passage_id=passage.id if passage else "",
            start=quote["start"],
            end=quote["end"],
            title=document.title,
            section=passage.section if passage else "",
            source=document.source,
            stance=entry["stance"],
            genre=str(entry.get("genre") or document.metadata.get("genre", "")),
            claim=bool(entry.get("claim", False)),
        )

    def _table_quotes(self, rows: Sequence[Mapping[str, Any]]) -> tuple[Citation, ...]:
        """The evidence sentences of a treatment table's graded rows (best graded
        first, the table's order), one per treatment, each sentence once."""
        graded = [row for row in rows if row["stance"] != "not_stated"] or list(rows)
        unique: dict[str, Mapping[str, Any]] = {}
        for row in graded:
            if row["sources"]:
                unique.setdefault(row["sources"][0]["quote"], row["sources"][0])
        chosen = list(unique.values())[: self.settings.max_answers]
        return tuple(self._entry_citation(source) for source in chosen)

    def _overview(self, mentions: Sequence[Mention]) -> tuple[dict[str, Any], ...]:
        if self.finder is None or self.treatments_for is None:
            return ()
        conditions = self.finder.conditions(mentions)
        if not conditions or [m for m in self.finder.treatments(mentions) if not m.generic]:
            return ()
        # "ryggont vid osteoporos": the disease, not the symptom, whose table would
        # hold the treatments of every painful condition; of several, the one the
        # base knows most treatments for (the first one on a tie).
        diseases = [c for c in conditions if c.category == "condition"] or conditions
        rows = max((self.treatments_for(c.text) for c in diseases), key=len)
        return tuple(row.to_json() for row in rows)


def _embedded_form(sentence: str) -> str:
    """A sentence as it is embedded: its words, one space apart."""
    return " ".join(sentence.split())


def _best_first(candidate: _Candidate) -> tuple[float, str, int]:
    return (-candidate.score, candidate.document.id, candidate.start)


def quoted_sources(
    entries: Sequence[Mapping[str, Any]], limit: int, quoted: frozenset[str] = frozenset()
) -> list[Mapping[str, Any]]:
    """The evidence entries a verdict cites, at most *limit*, authority guidance and
    patient information before a clinic's or a blog's page: the first of each stance
    (every side of a disagreement is quoted), then those of the *quoted* documents,
    then the others in that order.

    >>> entries = [{"doc_id": d, "stance": s, "genre": ""} for d, s in
    ...            [("a", "proven_effect"), ("b", "proven_effect"), ("c", "no_effect")]]
    >>> [e["doc_id"] for e in quoted_sources(entries, 2)]
    ['a', 'c']
    >>> [e["doc_id"] for e in quoted_sources(entries, 2, frozenset({"b"}))]
    ['a', 'c']
    >>> [e["doc_id"] for e in quoted_sources(entries, 3, frozenset({"b"}))]
    ['a', 'b', 'c']
    """
    ordered = sorted(entries, key=lambda e: GENRE_ORDER.get(e.get("genre", ""), 99))
    first_of_stance: dict[str, int] = {}
    for i, entry in enumerate(ordered):
        first_of_stance.setdefault(entry["stance"], i)
    wanted = [
        *first_of_stance.values(),
        *(i for i, e in enumerate(ordered) if e["doc_id"] in quoted),
        *range(len(ordered)),
    ]
    chosen = list(dict.fromkeys(wanted))[:limit]
    return [ordered[i] for i in sorted(chosen)]


def _conditions_in(finder: MentionFinder, text: str) -> frozenset[str]:
    return frozenset(m.concept for m in finder.conditions(finder.find(text)))


def _by_condition(entries: Sequence[Mapping[str, Any]]) -> list[list[Mapping[str, Any]]]:
    """*entries* grouped by the condition they are about (entries without one left
    out): conditions with authority guidance or patient information first, then those
    with more sources."""
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for entry in entries:
        if entry.get("condition_id"):
            groups.setdefault(entry["condition_id"], []).append(entry)

    def order(group: list[Mapping[str, Any]]) -> tuple[int, int, str]:
        best = min(GENRE_ORDER.get(e.get("genre", ""), 99) for e in group)
        return (best, -len(group), str(group[0].get("condition", "")))

    return sorted(groups.values(), key=order)
