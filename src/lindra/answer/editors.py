"""Tools for health-information editors: which pages answer a question, and
which questions nothing answers yet (grouped by topic, so it is clear what to
write next)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from lindra.answer.compose import Answerer
from lindra.knowledge.mentions import MentionFinder
from lindra.types import Answer, Document

__all__ = ["Gap", "RouteHit", "gaps", "route"]


@dataclass(frozen=True, slots=True)
class RouteHit:
    """A document that answers a question, and how well."""

    doc_id: str
    title: str
    source: str
    passage_id: str
    section: str
    relevance: float
    score: float
    start: int
    end: int


def route(answerer: Answerer, question: str, k: int = 10) -> list[RouteHit]:
    """Documents whose best passage is relevant enough to answer *question*, best first."""
    query = answerer.searcher.query(question)
    hits = answerer.searcher.passages(query, max(k * 5, 20))
    passages = answerer.store.passages([h.passage_id for h in hits])
    similarity = answerer.searcher.similarity(query, [h.passage_id for h in hits])
    idf = answerer.query_idf(query)
    best: dict[str, RouteHit] = {}
    documents: dict[str, Document] = {}
    for hit in hits:
        if hit.doc_id in best:
            continue
        document = answerer.document(hit.doc_id, documents)
        passage = passages.get(hit.passage_id)
        if document is None or passage is None:
            continue
        relevance = answerer.relevance(query, document, passage, similarity.get(passage.id), idf)
        if relevance >= answerer.threshold:
            best[hit.doc_id] = RouteHit(
                document.id,
                document.title,
                document.source,
                passage.id,
                passage.section,
                round(relevance, 4),
                round(hit.score, 4),
                passage.start,
                passage.end,
            )
    return list(best.values())[:k]


@dataclass(slots=True)
class Gap:
    """Unanswered questions about one topic."""

    topic: str
    questions: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"topic": self.topic, "count": len(self.questions), "questions": self.questions}


def gaps(
    asked: Iterable[tuple[Any, Answer]],
    finder: MentionFinder | None,
    fallback_topic: Callable[[str], str],
) -> list[Gap]:
    """Group the questions that were not answered by the concept they are about
    (the first condition, treatment or body part named), else by their rarest word.

    :param asked: (question id, answer) pairs.
    :param fallback_topic: question → a topic word when no concept is named.
    """
    groups: dict[str, Gap] = defaultdict(lambda: Gap(""))
    for question_id, answer in asked:
        if answer.found:
            continue
        topic = _topic(answer.question, finder) or fallback_topic(answer.question)
        gap = groups[topic]
        gap.topic = topic
        gap.questions.append(
            {
                "id": question_id,
                "question": answer.question,
                "relevance": round(answer.relevance, 4),
            }
        )
    return sorted(groups.values(), key=lambda g: (-len(g.questions), g.topic))


def _topic(question: str, finder: MentionFinder | None) -> str | None:
    if finder is None:
        return None
    mentions: Sequence[Any] = [m for m in finder.find(question, question=True) if not m.generic]
    if not mentions:
        return None
    first = mentions[0]
    return (
        finder.thesaurus.concept(first.concept).preferred
        if first.concept in finder.thesaurus
        else first.text.casefold()
    )
