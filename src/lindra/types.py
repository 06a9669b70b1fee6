"""Frozen values passed between the stages of lindra.

Offsets (``start``/``end``) are always character offsets into the stored
``Document.text``: for ``.txt``/``.md`` files that is the decoded file itself,
for JSONL the record's ``text``, for HTML the text extracted from the page.
``document.text[start:end]`` therefore quotes a sentence exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

DocumentKind = Literal["article", "reader_qa", "faq", "abstract"]
DOCUMENT_KINDS: tuple[DocumentKind, ...] = ("article", "reader_qa", "faq", "abstract")

BlockKind = Literal["title", "heading", "paragraph", "list_item", "caption", "question"]


@dataclass(frozen=True, slots=True)
class Block:
    """A unit of cleaned text (heading, paragraph, list item ...) and where it sits."""

    kind: BlockKind
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and the blocks under it. ``path`` lists the enclosing headings."""

    heading: str
    level: int
    path: tuple[str, ...]
    blocks: tuple[Block, ...]
    heading_span: tuple[int, int] | None = None

    @property
    def text(self) -> str:
        return "\n\n".join(block.text for block in self.blocks)


@dataclass(frozen=True, slots=True)
class ReaderQuestion:
    """A question a reader sent in, kept apart from the answer text."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class ParsedDocument:
    """What ingest produces: cleaned structure plus provenance, not yet stored."""

    id: str
    source: str
    title: str
    kind: DocumentKind
    text: str
    sections: tuple[Section, ...]
    reader_questions: tuple[ReaderQuestion, ...] = ()
    metadata: dict[str, Any] = field(default_factory=dict)
    language: str = "sv"
    content_hash: str = ""
    explicit_id: bool = False
    title_span: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """A stored document: the parsed document plus when it was ingested."""

    id: str
    source: str
    title: str
    kind: DocumentKind
    text: str
    sections: tuple[Section, ...]
    reader_questions: tuple[ReaderQuestion, ...]
    metadata: dict[str, Any]
    language: str
    content_hash: str
    ingested_at: str
    pipeline: str = ""
    title_span: tuple[int, int] | None = None

    @classmethod
    def of(cls, parsed: ParsedDocument, *, ingested_at: str, pipeline: str = "") -> Document:
        """The stored form of *parsed*."""
        return cls(
            id=parsed.id,
            source=parsed.source,
            title=parsed.title,
            kind=parsed.kind,
            text=parsed.text,
            sections=parsed.sections,
            reader_questions=parsed.reader_questions,
            metadata=parsed.metadata,
            language=parsed.language,
            content_hash=parsed.content_hash,
            ingested_at=ingested_at,
            pipeline=pipeline,
            title_span=parsed.title_span,
        )


@dataclass(frozen=True, slots=True)
class Passage:
    """A retrieval unit: roughly a heading plus a paragraph or two.

    ``spans`` are the document offsets of the blocks it was built from; ``text``
    is those blocks joined with newlines.
    """

    id: str
    doc_id: str
    ordinal: int
    section: str
    path: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]
    text: str
    kind: Literal["body", "question"] = "body"

    @property
    def start(self) -> int:
        return self.spans[0][0]

    @property
    def end(self) -> int:
        return self.spans[-1][1]


@dataclass(frozen=True, slots=True)
class Hit:
    """One retrieved passage with its score."""

    passage_id: str
    doc_id: str
    score: float


@dataclass(frozen=True, slots=True)
class Citation:
    """A verbatim quote and where it comes from."""

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
    # What kind of source the document is ("guidance", "patient_info", "abstract",
    # "clinic_shop" ...; "" when not known), and whether the sentence is a clinic's
    # or shop's praise of its own offer (a claim, not evidence).
    genre: str = ""
    claim: bool = False


@dataclass(frozen=True, slots=True)
class IngestOutcome:
    """What happened to one input during ingest."""

    id: str
    source: str
    status: Literal["added", "unchanged", "replaced", "skipped"]
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Emergency:
    """Whether a question describes an emergency, and what to tell the asker."""

    triggered: bool
    message: str = ""
    level: Literal["112", "1177"] | None = None
    matched: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Verdict:
    """A one-line summary of what the sources say about a treatment's effect."""

    text: str
    stance: str
    treatment: str
    condition: str | None
    sources: tuple[Citation, ...]
    # The same treatment for other conditions, each its own verdict ("Om botox vid
    # andra besvär"): shown apart, never mixed into this one.
    elsewhere: tuple[Verdict, ...] = ()
    elsewhere_title: str = ""  # "Om botox vid andra besvär" when there are any


@dataclass(frozen=True, slots=True)
class Answer:
    """The answer card: quotes with citations, or an honest "nothing found"."""

    question: str
    found: bool
    answers: tuple[Citation, ...]
    note: str = ""
    relevance: float = 0.0
    emergency: Emergency = Emergency(False)
    verdict: Verdict | None = None
    treatments: tuple[dict[str, Any], ...] = ()
    reading: dict[str, Any] | None = None  # what the question asks (answer.reading)


Stance = Literal[
    "proven_effect", "some_support", "mixed", "no_effect", "undocumented", "not_stated"
]
# What a text says about a treatment's effect, strongest evidence of benefit first.
STANCES: tuple[Stance, ...] = (
    "proven_effect",
    "some_support",
    "mixed",
    "no_effect",
    "undocumented",
    "not_stated",
)
# The stances that say a treatment helps.
POSITIVE_STANCES: frozenset[Stance] = frozenset({"proven_effect", "some_support"})
