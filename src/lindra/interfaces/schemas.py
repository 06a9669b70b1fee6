"""The JSON shapes of lindra's machine-readable interfaces (CLI ``--json`` and the API).

These are contracts: fields are only ever added, never renamed or removed.
``docs/json.md`` documents each one; ``tests/interfaces/test_schemas.py`` pins them.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from lindra.types import Answer, Citation, Document, Emergency, IngestOutcome, Verdict

__all__ = [
    "AnswerOut",
    "BatchSearchLine",
    "CitationOut",
    "DocumentOut",
    "IngestReport",
    "SearchHitOut",
    "SearchOut",
]


class IngestDocumentOut(BaseModel):
    id: str
    source: str
    status: Literal["added", "unchanged", "replaced", "skipped"]
    error: str | None = None


class IngestReport(BaseModel):
    documents: list[IngestDocumentOut]

    @classmethod
    def of(cls, outcomes: list[IngestOutcome]) -> IngestReport:
        return cls(
            documents=[
                IngestDocumentOut(id=o.id, source=o.source, status=o.status, error=o.error)
                for o in outcomes
            ]
        )


class BlockOut(BaseModel):
    kind: str
    text: str
    start: int
    end: int


class SectionOut(BaseModel):
    heading: str
    text: str
    level: int
    path: list[str]
    start: int
    end: int
    blocks: list[BlockOut]


class ReaderQuestionOut(BaseModel):
    text: str
    start: int
    end: int


class DocumentOut(BaseModel):
    id: str
    title: str
    kind: str
    source: str
    metadata: dict[str, Any]
    sections: list[SectionOut]
    reader_questions: list[str]
    reader_question_spans: list[ReaderQuestionOut]
    content_hash: str
    ingested_at: str
    language: str
    text: str

    @classmethod
    def of(cls, doc: Document) -> DocumentOut:
        return cls(
            id=doc.id,
            title=doc.title,
            kind=doc.kind,
            source=doc.source,
            metadata=doc.metadata,
            sections=[
                SectionOut(
                    heading=s.heading,
                    text=s.text,
                    level=s.level,
                    path=list(s.path),
                    start=s.blocks[0].start,
                    end=s.blocks[-1].end,
                    blocks=[
                        BlockOut(kind=b.kind, text=b.text, start=b.start, end=b.end)
                        for b in s.blocks
                    ],
                )
                for s in doc.sections
            ],
            reader_questions=[q.text for q in doc.reader_questions],
            reader_question_spans=[
                ReaderQuestionOut(text=q.text, start=q.start, end=q.end)
                for q in doc.reader_questions
            ],
            content_hash=doc.content_hash,
            ingested_at=doc.ingested_at,
            language=doc.language,
            text=doc.text,
        )


class SearchHitOut(BaseModel):
    doc_id: str
    passage_id: str
    score: float
    title: str | None = None
    section: str | None = None
    source: str | None = None
    text: str | None = None
    start: int | None = None
    end: int | None = None


class SearchOut(BaseModel):
    query: str
    hits: list[SearchHitOut]


class BatchSearchLine(BaseModel):
    id: Any
    hits: list[SearchHitOut]


class CitationOut(BaseModel):
    text: str
    doc_id: str
    passage_id: str
    start: int
    end: int
    title: str
    section: str
    source: str
    score: float = 0.0
    stance: str | None = None

    @classmethod
    def of(cls, c: Citation) -> CitationOut:
        return cls(
            text=c.text,
            doc_id=c.doc_id,
            passage_id=c.passage_id,
            start=c.start,
            end=c.end,
            title=c.title,
            section=c.section,
            source=c.source,
            score=c.score,
            stance=c.stance,
        )


class EmergencyOut(BaseModel):
    triggered: bool
    message: str = ""
    level: str | None = None
    matched: list[str] = Field(default_factory=list)

    @classmethod
    def of(cls, e: Emergency) -> EmergencyOut:
        return cls(triggered=e.triggered, message=e.message, level=e.level, matched=list(e.matched))


class VerdictOut(BaseModel):
    text: str
    stance: str
    treatment: str
    condition: str | None
    sources: list[CitationOut]

    @classmethod
    def of(cls, v: Verdict) -> VerdictOut:
        return cls(
            text=v.text,
            stance=v.stance,
            treatment=v.treatment,
            condition=v.condition,
            sources=[CitationOut.of(c) for c in v.sources],
        )


class AnswerOut(BaseModel):
    question: str
    found: bool
    emergency: EmergencyOut
    verdict: VerdictOut | None
    answers: list[CitationOut]
    treatments: list[dict[str, Any]]
    note: str
    relevance: float
    reading: dict[str, Any] | None = None

    @classmethod
    def of(cls, a: Answer) -> AnswerOut:
        return cls(
            question=a.question,
            found=a.found,
            emergency=EmergencyOut.of(a.emergency),
            verdict=VerdictOut.of(a.verdict) if a.verdict else None,
            answers=[CitationOut.of(c) for c in a.answers],
            treatments=list(a.treatments),
            note=a.note,
            relevance=round(a.relevance, 4),
            reading=a.reading,
        )
