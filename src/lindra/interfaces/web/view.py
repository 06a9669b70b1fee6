"""Values the templates render: a document cut into pieces around a cited span.

Offsets are those of the stored ``Document.text`` (as in every citation), so a
link ``/documents/<id>?start=…&end=…`` marks exactly the quoted sentence.
"""

from __future__ import annotations

from dataclasses import dataclass

from lindra.types import Document

__all__ = ["BlockView", "DocumentView", "ListView", "Piece", "SectionView", "document_view"]


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of text; ``marked`` when it is part of the cited span."""

    text: str
    marked: bool = False
    anchor: bool = False  # the first marked piece carries id="cited"


@dataclass(frozen=True, slots=True)
class BlockView:
    kind: str
    pieces: tuple[Piece, ...]


@dataclass(frozen=True, slots=True)
class ListView:
    """Consecutive list items, rendered as one ``<ul>``."""

    items: tuple[BlockView, ...]
    kind: str = "list"


@dataclass(frozen=True, slots=True)
class SectionView:
    heading: str
    level: int
    parts: tuple[BlockView | ListView, ...]


@dataclass(frozen=True, slots=True)
class DocumentView:
    document: Document
    questions: tuple[tuple[Piece, ...], ...]
    sections: tuple[SectionView, ...]
    cited: str  # the cited text (whitespace normalised), "" when nothing is cited
    marked: bool  # whether the cited span was found inside the shown text


def split_at_span(text: str, offset: int, start: int, end: int) -> list[Piece]:
    """Cut *text* (which starts at document offset *offset*) around ``[start, end)``.

    >>> [(p.text, p.marked) for p in split_at_span("Värme lindrar. Is också.", 100, 115, 124)]
    [('Värme lindrar. ', False), ('Is också.', True)]
    >>> [p.text for p in split_at_span("Utanför.", 0, 50, 60)]
    ['Utanför.']
    """
    lo = max(start - offset, 0)
    hi = min(end - offset, len(text))
    if lo >= hi:
        return [Piece(text)]
    pieces = [Piece(text[:lo]), Piece(text[lo:hi], marked=True), Piece(text[hi:])]
    return [p for p in pieces if p.text]


def valid_span(document: Document, start: int | None, end: int | None) -> tuple[int, int] | None:
    """The span to mark, or None when it is missing or outside the document."""
    if start is None or end is None or not 0 <= start < end <= len(document.text):
        return None
    return start, end


def document_view(document: Document, span: tuple[int, int] | None) -> DocumentView:
    """Sections, list groups and reader questions, with the cited span marked."""
    start, end = span if span is not None else (-1, -1)
    anchored = False

    def cut(text: str, offset: int) -> tuple[Piece, ...]:
        nonlocal anchored
        pieces = split_at_span(text, offset, start, end)
        out = []
        for piece in pieces:
            if piece.marked and not anchored:
                piece = Piece(piece.text, marked=True, anchor=True)
                anchored = True
            out.append(piece)
        return tuple(out)

    questions = tuple(cut(q.text, q.start) for q in document.reader_questions)
    sections = []
    for section in document.sections:
        parts: list[BlockView | ListView] = []
        run: list[BlockView] = []
        for block in section.blocks:
            view = BlockView(block.kind, cut(block.text, block.start))
            if block.kind == "list_item":
                run.append(view)
                continue
            if run:
                parts.append(ListView(tuple(run)))
                run = []
            parts.append(view)
        if run:
            parts.append(ListView(tuple(run)))
        sections.append(SectionView(section.heading, section.level, tuple(parts)))
    cited = " ".join(document.text[start:end].split()) if span is not None else ""
    return DocumentView(document, questions, tuple(sections), cited, anchored)
