"""The ``Store`` protocol that every backend satisfies, and the records it keeps.

A store holds documents with their sections, reader questions, passages (with
the analysed terms the search index is built from) and extracted treatment
evidence. One document is always written or deleted in one transaction, and
every write bumps ``generation`` so readers know their in-memory index is stale.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from lindra.types import Document, Passage

__all__ = ["DocumentSummary", "IndexRow", "PassageRecord", "Store", "StoreStats"]

FieldTerms = dict[str, dict[str, int]]


@dataclass(frozen=True, slots=True)
class PassageRecord:
    """A passage plus its analysed terms per field (``title``, ``heading``, ``body``)."""

    passage: Passage
    terms: FieldTerms
    embedding: bytes | None = None


@dataclass(frozen=True, slots=True)
class IndexRow:
    passage_id: str
    doc_id: str
    terms: FieldTerms


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    id: str
    title: str
    kind: str
    source: str
    content_hash: str
    ingested_at: str
    pipeline: str


@dataclass(frozen=True, slots=True)
class StoreStats:
    documents: int
    sections: int
    passages: int
    reader_questions: int
    treatments: int
    size_bytes: int
    kinds: dict[str, int]


class Store(Protocol):
    """What lindra needs from a backend (SQLite by default, PostgreSQL optional)."""

    location: str
    writes: int  # writes made through this object (not by other processes)

    def generation(self) -> int: ...

    def identity(self) -> str:
        """A random id given to the base when it was created ("" for bases made before
        2026-12-06): a base made again in the same place is another base."""
        ...

    def find_source(self, source: str) -> str | None:
        """Id of the document ingested from *source*, if any."""

    def summary(self, doc_id: str) -> DocumentSummary | None: ...

    def write_document(
        self,
        document: Document,
        passages: Sequence[PassageRecord],
        treatments: Sequence[dict[str, Any]] = (),
    ) -> None:
        """Insert or replace *document* and everything derived from it, atomically."""

    def delete_document(self, doc_id: str) -> bool: ...

    def document(self, doc_id: str) -> Document:
        """:raises DocumentNotFound: when no document has *doc_id*."""

    def documents(self) -> list[DocumentSummary]: ...

    def passages(self, passage_ids: Sequence[str]) -> dict[str, Passage]: ...

    def passages_of(self, doc_id: str) -> list[Passage]: ...

    def index_rows(self) -> Iterator[IndexRow]: ...

    def embeddings(self) -> dict[str, bytes]:
        """Stored passage vectors by passage id (passages without one are left out)."""

    def unembedded(self, limit: int) -> list[tuple[str, str]]:
        """``(document id, passage id)`` of up to *limit* passages without a vector."""

    def set_embeddings(self, vectors: Mapping[str, bytes]) -> int:
        """Store vectors of passages that still exist, in one transaction (a new
        generation); how many were stored."""

    def treatments(
        self, condition: str | None = None, concept: str | None = None, *, research: bool = True
    ) -> list[dict[str, Any]]:
        """Stored evidence entries, each with ``doc_id``; filtered by the condition's
        name and/or the treatment's concept id when given, and without those from
        research abstracts unless *research*."""

    def treatments_about(
        self,
        condition_ids: Collection[str],
        condition_names: Collection[str],
        *,
        research: bool = True,
        limit: int | None = None,
        genres: Sequence[str] = (),
    ) -> list[dict[str, Any]]:
        """Stored evidence entries, each with ``doc_id``, whose own condition or one of
        their page's conditions has one of *condition_ids*, or whose condition name is
        one of *condition_names* (without those from research abstracts unless
        *research*); read through an index, not the whole table. With *limit*, at most
        that many: those whose page kind comes first in *genres*, then by document."""

    def condition_names(self) -> list[str]:
        """Every condition name stored evidence entries give, sorted."""

    def condition_concepts(self) -> list[tuple[str, str | None, str]]:
        """``(condition name, its condition id or None, concept)`` of every stored
        evidence entry that names a condition."""

    def treatments_of(self, doc_id: str) -> list[dict[str, Any]]: ...

    def stats(self) -> StoreStats: ...

    def close(self) -> None: ...
