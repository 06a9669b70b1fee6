"""The JSON shapes of lindra's machine-readable interfaces (CLI ``--json`` and the API).

These are contracts: fields are only ever added, never renamed or removed.
``docs/json.md`` documents each one; ``tests/interfaces/test_api.py`` and
``tests/interfaces/test_api_schema.py`` pin them, the latter through the OpenAPI schema.

Keys that a response may leave out (rather than send as ``null``) are keys of a
``total=False`` TypedDict (:class:`FactsOut`), or model fields that the route leaves
unset and serializes with ``response_model_exclude_unset``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field
from typing_extensions import TypedDict

from lindra.knowledge.facts import FactKind
from lindra.types import Answer, Citation, Document, Emergency, IngestOutcome, Stance, Verdict

__all__ = [
    "AnswerOut",
    "BatchSearchLine",
    "CitationOut",
    "ConditionCountOut",
    "DeletedOut",
    "DocumentOut",
    "ErrorOut",
    "EvidenceEntryOut",
    "EvidenceOut",
    "FactsOut",
    "HealthOut",
    "IngestErrorOut",
    "IngestReport",
    "ReadingOut",
    "SearchHitOut",
    "SearchOut",
    "StatsOut",
    "TreatmentRowOut",
    "TreatmentsOut",
]


class ErrorOut(BaseModel):
    """Every API error: ``{"error": "<ErrorType>", "message": "..."}``."""

    error: str = Field(description="The error type, e.g. 'DocumentNotFound' or 'ValidationError'.")
    message: str = Field(description="What happened and what to do next.")


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


class IngestErrorOut(ErrorOut):
    """An upload's 422: the error shape, plus the ingest report when inputs were read
    but every one was skipped (``error`` is then ``IngestError``)."""

    documents: list[IngestDocumentOut] = Field(
        default_factory=list, description="The report; absent when the request itself was invalid."
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
    genre: str = Field(
        default="", description="What kind of source the document is, e.g. 'guidance'."
    )
    claim: bool = Field(
        default=False, description="A clinic's or shop's praise of its own offer: not evidence."
    )

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
            genre=c.genre,
            claim=c.claim,
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
    # The same treatment for other conditions, one verdict each (empty when the
    # sources grade it for the asked condition).
    elsewhere: list[VerdictOut] = []
    elsewhere_title: str = ""

    @classmethod
    def of(cls, v: Verdict) -> VerdictOut:
        return cls(
            text=v.text,
            stance=v.stance,
            treatment=v.treatment,
            condition=v.condition,
            sources=[CitationOut.of(c) for c in v.sources],
            elsewhere=[cls.of(e) for e in v.elsewhere],
            elsewhere_title=v.elsewhere_title,
        )


class FactsOut(TypedDict, total=False):
    """A treatment's practical facts (``lindra.knowledge.facts.FACT_KINDS``).

    An evidence entry has every key (``null`` or ``[]`` when not stated); a
    treatment row across documents has only the facts some source states.
    """

    phase: list[Literal["acute", "persistent"]]
    onset: str | None
    peak: str | None
    duration: str | None
    repeat: str | None
    side_effects: list[str]
    requirements: list[str]
    access: str | None
    first_line: bool | None
    mechanism: list[str]
    administration: list[str]
    indications: list[str]
    usage: list[str]


class TreatmentSourceOut(BaseModel):
    """One document's say on a treatment, in a treatment row."""

    doc_id: str
    title: str
    source: str
    stance: Stance
    quote: str
    start: int
    end: int
    genre: str = Field(description="What kind of source the document is, e.g. 'guidance'.")
    claim: bool = Field(description="A clinic's or shop's praise of its own offer: not evidence.")


class TreatmentRowOut(BaseModel):
    """One treatment for a condition across documents (a ``lindra treatments --json`` row)."""

    concept: str
    concept_id: str
    stance: Stance = Field(description="The sources' stance, or 'mixed' when they disagree.")
    sources_agree: bool
    facts: FactsOut
    sources: list[TreatmentSourceOut]


class ConditionCountOut(BaseModel):
    """A condition named by stored evidence, with its number of treatments."""

    name: str
    treatments: int


class TreatmentsOut(BaseModel):
    """``GET /api/treatments``: the rows for ``condition``, or (without one) the known
    conditions in ``conditions``, a key that is absent when a condition was given."""

    condition: str | None
    treatments: list[TreatmentRowOut]
    conditions: list[ConditionCountOut] = Field(
        default_factory=list, description="Only without a condition: the known conditions."
    )


class FactQuoteOut(BaseModel):
    text: str
    start: int
    end: int


class MentionOut(BaseModel):
    text: str
    stance: Stance
    start: int
    end: int


class EvidenceEntryOut(BaseModel):
    """One treatment concept of a document (a ``lindra evidence --json`` entry).

    ``genre`` and ``claim`` are absent in entries stored by pipeline version 1.
    """

    name: str
    concept: str
    concept_id: str
    condition: str | None
    condition_id: str | None
    conditions: list[str]
    main_conditions: list[str] = Field(
        default_factory=list,
        description="Its condition and those the page is mainly about (the verdict scope); "
        "absent in entries stored before pipeline version 15.",
    )
    stance: Stance
    quote: str
    start: int
    end: int
    facts: FactsOut
    fact_quotes: dict[FactKind, list[FactQuoteOut]]
    mentions: list[MentionOut]
    genre: str = Field(default="patient_info", description="What kind of source the document is.")
    claim: bool = Field(
        default=False, description="A clinic's or shop's praise of its own offer: not evidence."
    )


class EvidenceOut(BaseModel):
    doc_id: str
    treatments: list[EvidenceEntryOut]


class StatsOut(BaseModel):
    """``lindra stats --json``."""

    location: str = Field(description="The knowledge base (a file name, never a server path).")
    documents: int
    kinds: dict[str, int] = Field(description="Documents per kind.")
    sections: int
    passages: int
    reader_questions: int
    treatments: int
    store_bytes: int
    index_terms: int
    index_bytes: int


def _no_default(schema: dict[str, Any]) -> None:
    """Leave a field's default out of its JSON schema: the key is absent, not defaulted."""
    schema.pop("default", None)


class HealthOut(BaseModel):
    """``GET /healthz``."""

    status: Literal["ok"]
    ready: bool = Field(description="False while there is no knowledge base yet.")
    version: str
    generation: int = Field(
        default=0,  # never sent: the route leaves it unset when not ready
        description="The store's write counter; only when ready.",
        json_schema_extra=_no_default,
    )


class DeletedOut(BaseModel):
    id: str
    deleted: Literal[True]


class ReadingOut(BaseModel):
    """How a question was read (``lindra.answer.reading``)."""

    intent: Literal["emergency", "practical", "effect", "treatments", "what_is", "other"]
    fact: FactKind | None
    treatments: list[str] = Field(description="Treatment concept ids.")
    conditions: list[str] = Field(description="Condition concept ids.")
    about: Literal["self", "child", "pregnant", "relative"] | None


class AnswerOut(BaseModel):
    question: str
    found: bool
    emergency: EmergencyOut
    verdict: VerdictOut | None
    answers: list[CitationOut]
    treatments: list[TreatmentRowOut]
    note: str
    relevance: float
    reading: ReadingOut | None = None

    @classmethod
    def of(cls, a: Answer) -> AnswerOut:
        return cls(
            question=a.question,
            found=a.found,
            emergency=EmergencyOut.of(a.emergency),
            verdict=VerdictOut.of(a.verdict) if a.verdict else None,
            answers=[CitationOut.of(c) for c in a.answers],
            treatments=[TreatmentRowOut.model_validate(row) for row in a.treatments],
            note=a.note,
            relevance=round(a.relevance, 4),
            reading=ReadingOut.model_validate(a.reading) if a.reading is not None else None,
        )
