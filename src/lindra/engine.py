"""The composition root: builds the analyzer, store and searcher from settings."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from lindra.answer.compose import Answerer, AnswerSettings
from lindra.config import Settings
from lindra.errors import IngestError, NotSwedish, QueryError
from lindra.ingest.language_id import LanguageGuesser
from lindra.ingest.readers import discover, read_path
from lindra.ingest.segment import segment
from lindra.language.analyzer import Analyzer
from lindra.language.sentences import SentenceSplitter
from lindra.language.swedish import (
    default_analyzer,
    default_sentence_splitter,
    default_thesaurus,
    is_common_word,
)
from lindra.search.indexing import passage_terms
from lindra.search.searcher import DocumentHit, Searcher
from lindra.store.base import PassageRecord, Store
from lindra.store.open import open_store
from lindra.types import Answer, Document, IngestOutcome, ParsedDocument

__all__ = ["PIPELINE_VERSION", "Engine"]

# Bump when ingest, analysis or extraction change what is stored for the same
# input: documents ingested by an older pipeline are then rebuilt, not skipped.
PIPELINE_VERSION = "1"

logger = logging.getLogger(__name__)

Progress = Callable[[str], None]


class Engine:
    """Everything a CLI command or API request needs, with one lifetime.

    >>> # with Engine.from_settings(Settings(db=":memory:"), create=True) as engine: ...
    """

    def __init__(
        self,
        settings: Settings,
        store: Store,
        analyzer: Analyzer,
        sentences: SentenceSplitter,
    ) -> None:
        self.settings = settings
        self.store = store
        self.analyzer = analyzer
        self.sentences = sentences
        self.searcher = Searcher(store, analyzer, is_word=is_common_word)
        self.answerer = Answerer(
            self.searcher,
            store,
            analyzer.index_terms,
            sentences.spans,
            AnswerSettings(threshold=settings.answer_threshold),
        )
        self._language: LanguageGuesser | None = None

    @classmethod
    def from_settings(cls, settings: Settings, *, create: bool = False) -> Engine:
        """Open the configured store (creating it when *create*) and load the language data.

        :raises IndexNotFound: when the store does not exist and *create* is false.
        """
        thesaurus = default_thesaurus(Path(settings.thesaurus) if settings.thesaurus else None)
        store = open_store(settings.db, create=create)
        return cls(settings, store, default_analyzer(thesaurus), default_sentence_splitter())

    def __enter__(self) -> Engine:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    # -- ingest ----------------------------------------------------------------

    def ingest_paths(
        self,
        paths: Sequence[Path],
        *,
        any_language: bool | None = None,
        on_file: Progress | None = None,
    ) -> Iterator[IngestOutcome]:
        """Ingest files and folders, one outcome per document (or per failure).

        A failure never stops the batch and never leaves a half-written document.

        :raises FetchError: when a given path does not exist (before anything is written).
        """
        files = discover(list(paths))
        for path in files:
            if on_file is not None:
                on_file(str(path))
            for item in read_path(path, max_bytes=self.settings.max_file_bytes):
                yield self._ingest_item(item, any_language)

    def ingest_documents(
        self, items: Iterable[ParsedDocument | IngestError], *, any_language: bool | None = None
    ) -> list[IngestOutcome]:
        """Ingest already parsed documents (the API's upload path)."""
        return [self._ingest_item(item, any_language) for item in items]

    def _ingest_item(
        self, item: ParsedDocument | IngestError, any_language: bool | None
    ) -> IngestOutcome:
        if isinstance(item, IngestError):
            logger.warning("%s", item)
            return IngestOutcome("", item.source, "skipped", str(item))
        try:
            return self._store(
                item, self.settings.any_language if any_language is None else any_language
            )
        except IngestError as exc:
            logger.warning("%s", exc)
            return IngestOutcome(item.id, item.source, "skipped", str(exc))

    def _store(self, parsed: ParsedDocument, any_language: bool) -> IngestOutcome:
        doc_id = self._document_id(parsed)
        body = "\n".join(section.text for section in parsed.sections)
        language = "sv"
        if not any_language:
            swedish, language = self._language_guesser().is_swedish(body or parsed.text)
            if not swedish:
                raise NotSwedish(
                    f"text looks like '{language}', not Swedish; use --any-language to ingest it",
                    source=parsed.source,
                )
        existing = self.store.summary(doc_id)
        if (
            existing is not None
            and existing.content_hash == parsed.content_hash
            and existing.pipeline == PIPELINE_VERSION
        ):
            return IngestOutcome(doc_id, parsed.source, "unchanged")
        parsed = replace(parsed, id=doc_id, language=language)
        document = Document(
            id=doc_id,
            source=parsed.source,
            title=parsed.title,
            kind=parsed.kind,
            text=parsed.text,
            sections=parsed.sections,
            reader_questions=parsed.reader_questions,
            metadata=parsed.metadata,
            language=language,
            content_hash=parsed.content_hash,
            pipeline=PIPELINE_VERSION,
            ingested_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        passages = segment(parsed, sentence_spans=self.sentences.spans)
        records = [
            PassageRecord(p, passage_terms(self.analyzer.index_terms, parsed, p)) for p in passages
        ]
        self.store.write_document(document, records, self.extract_treatments(document))
        return IngestOutcome(doc_id, parsed.source, "replaced" if existing else "added")

    def _document_id(self, parsed: ParsedDocument) -> str:
        """Records keep their own id. Files keep the id of their earlier version;
        a file whose name clashes with another source's gets a suffix."""
        if parsed.explicit_id:
            return parsed.id
        known = self.store.find_source(parsed.source)
        if known is not None:
            return known
        existing = self.store.summary(parsed.id)
        if existing is None:
            return parsed.id
        suffix = 2
        while (other := self.store.summary(f"{parsed.id}-{suffix}")) is not None:
            if other.source == parsed.source:
                break
            suffix += 1
        return f"{parsed.id}-{suffix}"

    def _language_guesser(self) -> LanguageGuesser:
        if self._language is None:
            self._language = LanguageGuesser()
        return self._language

    def extract_treatments(self, document: Document) -> list[dict[str, Any]]:
        """Treatment evidence entries for *document* (filled by the knowledge stage)."""
        return []

    # -- read ------------------------------------------------------------------

    def document(self, doc_id: str) -> Document:
        """:raises DocumentNotFound: for an unknown id."""
        return self.store.document(doc_id)

    def search(
        self, query: str, k: int | None = None, candidates: Sequence[str] | None = None
    ) -> list[DocumentHit]:
        """Documents ranked by their best passage for *query*.

        :raises QueryError: for an empty or over-long query.
        """
        self._check_query(query)
        return self.searcher.documents(query, k or self.settings.top_k, candidates)

    def ask(self, question: str) -> Answer:
        """The answer card for *question*.

        :raises QueryError: for an empty or over-long question.
        """
        self._check_query(question)
        return self.answerer.ask(question)

    def _check_query(self, query: str) -> None:
        if not query.strip():
            raise QueryError(
                "The query is empty. Give some Swedish words, e.g. 'ryggsmärta värme'."
            )
        if len(query) > self.settings.max_query_chars:
            raise QueryError(
                f"The query is {len(query)} characters long; the limit is "
                f"{self.settings.max_query_chars}. Shorten it."
            )
