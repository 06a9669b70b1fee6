"""lindra: an evidence-graded knowledge base and cited answers for Swedish patient information.

>>> from lindra import Engine, Settings
>>> with Engine.from_settings(Settings(db=":memory:"), create=True) as engine:
...     engine.store.stats().documents
0
"""

from lindra.config import Settings, load_settings
from lindra.engine import Engine
from lindra.errors import (
    BackendUnavailable,
    BadRecord,
    ConfigError,
    DocumentNotFound,
    FetchError,
    IndexNotFound,
    IngestError,
    InputTooLarge,
    LexiconError,
    LindraError,
    NotSwedish,
    QueryError,
    StoreError,
    UnreadableDocument,
    UnsupportedFormat,
)
from lindra.types import Citation, Document, Hit, IngestOutcome, Passage, Section

__version__ = "0.1.0"

__all__ = [
    "BackendUnavailable",
    "BadRecord",
    "Citation",
    "ConfigError",
    "Document",
    "DocumentNotFound",
    "Engine",
    "FetchError",
    "Hit",
    "IndexNotFound",
    "IngestError",
    "IngestOutcome",
    "InputTooLarge",
    "LexiconError",
    "LindraError",
    "NotSwedish",
    "Passage",
    "QueryError",
    "Section",
    "Settings",
    "StoreError",
    "UnreadableDocument",
    "UnsupportedFormat",
    "load_settings",
]
