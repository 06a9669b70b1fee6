"""The CPU-bound half of ingest, which can run in worker processes.

A parsed document becomes what the store keeps: the language check, the genre,
passages with their index terms, and the treatment evidence. None of it touches
the store, so :class:`ParallelPreparer` runs it in a pool of processes (one per
core) while the engine reads inputs, embeds and writes in order in the main
process. Workers are started with ``spawn`` (no inherited locks or database
connections) and each loads the language data once (about 2 s).
"""

from __future__ import annotations

import functools
import multiprocessing
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from lindra.config import Settings
from lindra.errors import IngestError, NotSwedish
from lindra.ingest.budget import Deadline
from lindra.ingest.genre import guess_genre, load_sites
from lindra.ingest.segment import segment
from lindra.language.analyzer import Analyzer
from lindra.language.sentences import SentenceSplitter
from lindra.language.swedish import default_analyzer, default_sentence_splitter, default_thesaurus
from lindra.search.indexing import passage_terms
from lindra.types import POSITIVE_STANCES, Document, ParsedDocument, Passage

# Imported at the first document: a search never needs py3langid's model, nor the
# evidence extractor's modules (with the stance model, about 0.05 s of a cold start).
if TYPE_CHECKING:
    from lindra.ingest.language_id import LanguageGuesser
    from lindra.knowledge.evidence import EvidenceExtractor

__all__ = [
    "PIPELINE_VERSION",
    "DocumentPreparer",
    "EvidenceSource",
    "ParallelPreparer",
    "Prepared",
    "StageClock",
    "pipeline_version",
]

# An evidence extractor, or what loads it at first use.
EvidenceSource: TypeAlias = "EvidenceExtractor | Callable[[], EvidenceExtractor | None] | None"

# Bump when ingest, analysis or extraction change what is stored for the same
# input: documents ingested by an older pipeline are then rebuilt, not skipped.
PIPELINE_VERSION = "15"


def pipeline_version(treatment_tagger: bool = True) -> str:
    """What a document records as the pipeline that prepared it: without the
    treatment tagger its evidence differs, so switching rebuilds it.

    >>> pipeline_version(), pipeline_version(False)
    ('15', '15-finder')
    """
    return PIPELINE_VERSION if treatment_tagger else f"{PIPELINE_VERSION}-finder"


def _load_evidence_extractor(*args: Any, **kwargs: Any) -> EvidenceExtractor:
    """:func:`lindra.knowledge.defaults.default_evidence_extractor`, imported when
    the first document needs it."""
    from lindra.knowledge.defaults import default_evidence_extractor

    return default_evidence_extractor(*args, **kwargs)


@dataclass(frozen=True, slots=True)
class Prepared:
    """A document ready to be embedded and written."""

    document: Document
    passages: list[Passage]
    terms: list[dict[str, dict[str, int]]]
    treatments: list[dict[str, Any]]


class DocumentPreparer:
    """Language check, genre, passages, index terms and evidence for one document."""

    def __init__(
        self,
        analyzer: Analyzer,
        sentences: SentenceSplitter,
        evidence: EvidenceSource = None,
        pipeline: str = PIPELINE_VERSION,
    ) -> None:
        self.analyzer = analyzer
        self.sentences = sentences
        self._evidence = evidence
        self.pipeline = pipeline  # recorded with each document (see pipeline_version)
        self._language: LanguageGuesser | None = None
        self._site_genres: dict[str, str] | None = None
        # Seconds spent per stage in this process (benchmarks/scale.py prints them).
        self.stage_seconds: dict[str, float] = {}

    @classmethod
    def from_settings(cls, settings: Settings) -> DocumentPreparer:
        """Load the language data the way :meth:`Engine.from_settings` does."""
        thesaurus = default_thesaurus(Path(settings.thesaurus) if settings.thesaurus else None)
        analyzer = default_analyzer(thesaurus)
        sentences = default_sentence_splitter()
        # Loaded when the first document is prepared: a search never needs it.
        evidence = functools.partial(
            _load_evidence_extractor,
            thesaurus,
            analyzer.tokenizer,
            sentences,
            tagger=settings.treatment_tagger,
        )
        return cls(analyzer, sentences, evidence, pipeline_version(settings.treatment_tagger))

    @functools.cached_property
    def evidence(self) -> EvidenceExtractor | None:
        """The evidence extractor (given, or loaded at first use)."""
        return self._evidence() if callable(self._evidence) else self._evidence

    def prepare(self, parsed: ParsedDocument, any_language: bool, deadline: Deadline) -> Prepared:
        """:raises NotSwedish: unless *any_language* or the text looks Swedish.
        :raises TooComplex: when *deadline* passes (checked between passages)."""
        clock = StageClock(self.stage_seconds)
        body = "\n".join(section.text for section in parsed.sections)
        language = "sv"
        if not any_language:
            swedish, language = self._language_guesser().is_swedish(body or parsed.text)
            if not swedish:
                raise NotSwedish(
                    f"text looks like '{language}', not Swedish; use --any-language to ingest it",
                    source=parsed.source,
                )
        genre = guess_genre(parsed.text, parsed.source, parsed.kind, self._sites())
        parsed = replace(parsed, language=language, metadata={**parsed.metadata, "genre": genre})
        document = Document.of(
            parsed,
            ingested_at=datetime.now(UTC).isoformat(timespec="seconds"),
            pipeline=self.pipeline,
        )
        clock.lap("language and genre")
        deadline.check()
        passages = segment(parsed, sentence_spans=self.sentences.spans)
        clock.lap("passages")
        terms = []
        for passage in passages:
            deadline.check()
            terms.append(passage_terms(self.analyzer.index_terms, parsed, passage))
        clock.lap("index terms")
        treatments = self.treatments(document, deadline.check)
        clock.lap("knowledge")
        deadline.check()
        return Prepared(document, passages, terms, treatments)

    def treatments(
        self, document: Document, check: Callable[[], None] | None = None
    ) -> list[dict[str, Any]]:
        """Treatment evidence entries for *document* (``lindra evidence`` shape)."""
        if self.evidence is None:
            return []
        genre = str(document.metadata.get("genre", "patient_info"))
        return [
            {
                **entry.to_json(),
                "genre": genre,
                # A shop's or clinic's praise of what it offers is a claim, not evidence.
                "claim": genre == "clinic_shop" and entry.stance in POSITIVE_STANCES,
            }
            for entry in self.evidence.extract(document, check)
        ]

    def _sites(self) -> dict[str, str]:
        if self._site_genres is None:
            self._site_genres = load_sites()
        return self._site_genres

    def _language_guesser(self) -> LanguageGuesser:
        if self._language is None:
            from lindra.ingest.language_id import LanguageGuesser

            self._language = LanguageGuesser()
        return self._language


class StageClock:
    """Adds the time since the last lap to a stage's total."""

    def __init__(self, totals: dict[str, float]) -> None:
        self.totals = totals
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.totals[stage] = self.totals.get(stage, 0.0) + now - self.last
        self.last = now


@dataclass(frozen=True, slots=True)
class PreparationFailed:
    """An :class:`IngestError` raised in a worker, as a message (exceptions with
    keyword arguments do not survive pickling)."""

    message: str


# The preparer of this worker process, built once by the pool's initializer.
_worker: DocumentPreparer | None = None
_worker_seconds = 0.0


def _start_worker(settings: Settings) -> None:
    global _worker, _worker_seconds
    _worker = DocumentPreparer.from_settings(settings)
    _worker_seconds = settings.document_seconds


def _prepare_in_worker(parsed: ParsedDocument, any_language: bool) -> Prepared | PreparationFailed:
    assert _worker is not None, "the pool initializer did not run"
    deadline = Deadline(_worker_seconds, source=parsed.source)
    try:
        return _worker.prepare(parsed, any_language, deadline)
    except IngestError as exc:
        return PreparationFailed(str(exc))


class ParallelPreparer:
    """A pool of *workers* processes that prepare documents; results come back in
    the order the documents went in.

    >>> # with ParallelPreparer(settings, 2) as pool: futures = [pool.submit(d, False) ...]
    """

    def __init__(self, settings: Settings, workers: int) -> None:
        self.workers = workers
        self._pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(settings,),
        )

    def submit(
        self, parsed: ParsedDocument, any_language: bool
    ) -> Future[Prepared | PreparationFailed]:
        return self._pool.submit(_prepare_in_worker, parsed, any_language)

    def close(self) -> None:
        """Stop the workers; documents not yet started are dropped (an ingest that
        ends normally has none left)."""
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> ParallelPreparer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
