"""Compose the answer card for a question: retrieve, select sentences, cite."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from lindra.answer.select import best_sentences, coverage
from lindra.errors import QueryError
from lindra.search.searcher import Searcher
from lindra.store.base import Store
from lindra.types import Answer, Citation, Document

__all__ = ["Answerer", "NOT_FOUND_NOTE"]

NOT_FOUND_NOTE = (
    "Kunskapsbasen har inget som svarar tillräckligt väl på frågan. Kontakta 1177 "
    "(telefon eller 1177.se) eller din vårdcentral för råd."
)


@dataclass(frozen=True, slots=True)
class AnswerSettings:
    threshold: float = 0.5
    max_answers: int = 3
    passages: int = 20


class Answerer:
    """Extractive answers: sentences quoted verbatim from the best passages.

    :param threshold: the least share of the question's (idf-weighted) terms the
        best passage must contain for the answer to count as found.
    """

    def __init__(
        self,
        searcher: Searcher,
        store: Store,
        index_terms: Callable[[str], list[str]],
        sentence_spans: Callable[[str, int, int], list[tuple[int, int]]],
        settings: AnswerSettings | None = None,
    ) -> None:
        self.searcher = searcher
        self.store = store
        self.index_terms = index_terms
        self.sentence_spans = sentence_spans
        self.settings = settings or AnswerSettings()

    def ask(self, question: str) -> Answer:
        """Answer *question* from the knowledge base, or say that nothing was found.

        :raises QueryError: for an empty question.
        """
        if not question.strip():
            raise QueryError(
                "The question is empty. Write a question in Swedish, "
                "e.g. 'Hjälper värme mot ryggsmärta?'."
            )
        terms = self.searcher.query_terms(question)
        if not terms:
            return Answer(
                question, False, (), "Frågan innehåller inga sökbara ord. " + NOT_FOUND_NOTE
            )
        index = self.searcher.index()
        weights = {
            t: w * float(index.idf[index.vocabulary[t]])
            for t, w in terms.items()
            if t in index.vocabulary
        }
        hits = self.searcher.passages(terms, self.settings.passages)
        if not hits or not weights:
            return Answer(question, False, (), NOT_FOUND_NOTE)
        passages = self.store.passages([h.passage_id for h in hits])
        documents: dict[str, Document] = {}
        citations: list[Citation] = []
        best_relevance = 0.0
        for hit in hits:
            passage = passages[hit.passage_id]
            document = documents.get(hit.doc_id) or documents.setdefault(
                hit.doc_id, self.store.document(hit.doc_id)
            )
            context = " ".join((document.title, *passage.path, passage.text))
            relevance = coverage(set(self.index_terms(context)), weights)
            best_relevance = max(best_relevance, relevance)
            if relevance < self.settings.threshold or len(citations) >= self.settings.max_answers:
                continue
            sentences = best_sentences(
                document.text, passage, weights, self.index_terms, self.sentence_spans
            )
            if not sentences:
                continue
            top = sentences[0]
            citations.append(
                Citation(
                    text=" ".join(document.text[top.start : top.end].split()),
                    doc_id=document.id,
                    passage_id=passage.id,
                    start=top.start,
                    end=top.end,
                    title=document.title,
                    section=passage.section,
                    source=document.source,
                    score=round(hit.score, 4),
                )
            )
        if not citations:
            return Answer(question, False, (), NOT_FOUND_NOTE, relevance=best_relevance)
        return Answer(question, True, tuple(citations), relevance=best_relevance)
