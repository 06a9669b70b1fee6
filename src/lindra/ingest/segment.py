"""Cut a document into passages, the units that search retrieves and cites."""

from __future__ import annotations

from collections.abc import Callable

from lindra.types import Block, ParsedDocument, Passage

__all__ = ["segment"]

# Roughly one paragraph, or a heading with a few short ones. Measured on the
# dev sets (see docs/retrieval.md): shorter passages cite more precisely.
MAX_WORDS = 160


def _words(text: str) -> int:
    return len(text.split())


def segment(
    document: ParsedDocument,
    *,
    max_words: int = MAX_WORDS,
    sentence_spans: Callable[[str, int, int], list[tuple[int, int]]] | None = None,
) -> list[Passage]:
    """Passages of *document*: blocks of one section are packed up to *max_words*;
    a longer block is cut at sentence boundaries when *sentence_spans* is given.
    Each reader question becomes a passage of its own (kind ``question``).
    """
    passages: list[Passage] = []

    def emit(section: str, path: tuple[str, ...], spans: list[tuple[int, int]], kind: str) -> None:
        text = "\n".join(document.text[s:e] for s, e in spans)
        passages.append(
            Passage(
                id=f"{document.id}:{len(passages)}",
                doc_id=document.id,
                ordinal=len(passages),
                section=section,
                path=path,
                spans=tuple(spans),
                text=text,
                kind=kind,  # type: ignore[arg-type]
            )
        )

    for question in document.reader_questions:
        emit("Läsarfråga", (), [(question.start, question.end)], "question")

    for section in document.sections:
        name = section.heading or document.title
        current: list[tuple[int, int]] = []
        size = 0
        for block in section.blocks:
            for span in _pieces(document.text, block, max_words, sentence_spans):
                words = _words(document.text[span[0] : span[1]])
                if current and size + words > max_words:
                    emit(name, section.path, current, "body")
                    current, size = [], 0
                current.append(span)
                size += words
        if current:
            emit(name, section.path, current, "body")
    return passages


def _pieces(
    text: str,
    block: Block,
    max_words: int,
    sentence_spans: Callable[[str, int, int], list[tuple[int, int]]] | None,
) -> list[tuple[int, int]]:
    if sentence_spans is None or _words(block.text) <= max_words:
        return [(block.start, block.end)]
    pieces: list[tuple[int, int]] = []
    start = end = block.start
    size = 0
    for s, e in sentence_spans(text, block.start, block.end):
        words = _words(text[s:e])
        if size and size + words > max_words:
            pieces.append((start, end))
            start, size = s, 0
        end = e
        size += words
    pieces.append((start, end))
    return pieces
