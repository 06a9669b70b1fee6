"""Exceptions raised by lindra.

The library raises these; the interfaces translate them (the CLI prints
``Error: <message>`` and exits 1, the API maps each type to a status code).
Every message says what happened, shows the value involved and suggests the
next step.

    LindraError
    ├── ConfigError              bad or missing setting
    ├── IngestError              one input could not be ingested (carries source and line)
    │   ├── FetchError           a page could not be read or downloaded
    │   ├── UnsupportedFormat    unknown file extension or upload type
    │   ├── InputTooLarge        over the configured size limit
    │   ├── UnreadableDocument   empty, binary or undecodable; no usable text after cleaning
    │   ├── NotSwedish           language detection says the text is not Swedish
    │   └── BadRecord            a JSONL line that is not a valid record
    ├── LexiconError             a data file (lexicon, thesaurus) is malformed
    ├── StoreError
    │   ├── IndexNotFound        no knowledge base at the configured location
    │   ├── DocumentNotFound     no document with that id
    │   └── BackendUnavailable   optional backend missing or unreachable
    └── QueryError               empty or unusable question / batch query
"""

from __future__ import annotations

__all__ = [
    "BackendUnavailable",
    "BadRecord",
    "ConfigError",
    "DocumentNotFound",
    "FetchError",
    "IndexNotFound",
    "IngestError",
    "InputTooLarge",
    "LexiconError",
    "LindraError",
    "NotSwedish",
    "QueryError",
    "StoreError",
    "UnreadableDocument",
    "UnsupportedFormat",
]


class LindraError(Exception):
    """Base class of every error lindra raises on purpose."""


class ConfigError(LindraError, ValueError):
    """A setting is missing or invalid."""


class IngestError(LindraError, ValueError):
    """One input could not be ingested; the rest of a batch continues.

    :param message: what happened and what to do.
    :param source: the file path or URL involved.
    :param line: 1-based line number within the source, when it applies.
    """

    def __init__(self, message: str, *, source: str = "", line: int | None = None) -> None:
        where = source
        if source and line is not None:
            where = f"{source} line {line}"
        super().__init__(f"{where}: {message}" if where else message)
        self.source = source
        self.line = line
        self.reason = message


class FetchError(IngestError):
    """A file or page could not be read."""


class UnsupportedFormat(IngestError):
    """The input's type is not one lindra reads."""


class InputTooLarge(IngestError):
    """The input is larger than the configured limit."""


class UnreadableDocument(IngestError):
    """Empty, binary or undecodable input, or no usable text after cleaning."""


class NotSwedish(IngestError):
    """The text does not look Swedish (use --any-language to ingest it anyway)."""


class BadRecord(IngestError):
    """A JSONL line is not a valid record."""


class TooComplex(IngestError):
    """Analysing the document took longer than its time budget; nothing was written."""


class IngestCancelled(IngestError):
    """The ingest was stopped (the client left); the document was not written."""


class LexiconError(LindraError, ValueError):
    """A lexicon or thesaurus file is malformed; the message names file and line."""


class StoreError(LindraError):
    """The knowledge base could not be read or written."""


class IndexNotFound(StoreError, LookupError):
    """No knowledge base exists at the configured location."""


class DocumentNotFound(StoreError, LookupError):
    """No document has the requested id."""


class BackendUnavailable(StoreError):
    """An optional backend (PostgreSQL) is not installed or not reachable."""


class QueryError(LindraError, ValueError):
    """A question or batch query is empty or unusable."""
