"""The terms a passage is indexed under, per BM25F field."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from lindra.types import Document, ParsedDocument, Passage

__all__ = ["KEYWORD_FIELDS", "embedding_text", "passage_terms"]

# Metadata fields that hold subject keywords (the PubMedQA-sv corpus has Swedish
# MeSH headings in ``mesh_sv``); indexed as a low-weight ``keywords`` field.
KEYWORD_FIELDS = ("keywords", "mesh_sv", "tags")


def passage_terms(
    index_terms: Callable[[str], list[str]],
    document: ParsedDocument,
    passage: Passage,
) -> dict[str, dict[str, int]]:
    """``{field: {term: count}}`` for *passage*; empty fields are left out."""
    keywords: list[str] = []
    for key in KEYWORD_FIELDS:
        value = document.metadata.get(key)
        if isinstance(value, str):
            keywords.append(value)
        elif isinstance(value, Sequence):
            keywords.extend(str(v) for v in value)
    fields = {
        "title": document.title,
        "heading": " ".join(h for h in passage.path if h != document.title),
        "body": passage.text,
        "keywords": "\n".join(keywords),
    }
    terms: dict[str, dict[str, int]] = {}
    for name, text in fields.items():
        counts = Counter(index_terms(text)) if text else Counter()
        if counts:
            terms[name] = dict(counts)
    return terms


def embedding_text(document: ParsedDocument | Document, passage: Passage) -> str:
    """What the embedding model reads for a passage: its title and headings, then
    its text. A title made from the first sentence is not repeated."""
    parts = [
        h for h in (document.title, *passage.path) if h and not passage.text.startswith(h[:40])
    ]
    return "\n".join(dict.fromkeys([*parts, passage.text]))
