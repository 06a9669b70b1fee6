"""Sentence boundaries in Swedish text, as character spans."""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["SentenceSplitter"]

# A candidate boundary: terminal punctuation (optionally closing quotes or
# brackets), then whitespace, then something that can start a sentence.
_BOUNDARY = re.compile(r"[.!?…]+[\"'”»)\]]*(?=\s+[\"'”«(\[–-]?[A-ZÅÄÖÉÜ0-9•])")
_LINE_BREAKS = re.compile(r"\n\s*\n|\n(?=\s*(?:[•*·▪–-]|\d+[.)])\s)")


class SentenceSplitter:
    """Split text into sentence spans; abbreviations and initials do not end a sentence.

    >>> s = SentenceSplitter({"t.ex."})
    >>> text = "Ta t.ex. Ipren. Det hjälper ofta! Ring 1177."
    >>> [text[a:b] for a, b in s.spans(text)]
    ['Ta t.ex. Ipren.', 'Det hjälper ofta!', 'Ring 1177.']
    """

    def __init__(self, abbreviations: Iterable[str] = ()) -> None:
        self.abbreviations = frozenset(a.casefold() for a in abbreviations)

    def spans(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
        """Sentence spans within ``text[start:end]`` (offsets into *text*)."""
        stop = len(text) if end is None else end
        spans: list[tuple[int, int]] = []
        for block_start, block_end in self._blocks(text, start, stop):
            cursor = block_start
            for match in _BOUNDARY.finditer(text, block_start, block_end):
                if self._is_abbreviation(text, cursor, match.start()):
                    continue
                spans.append((cursor, match.end()))
                cursor = match.end()
            spans.append((cursor, block_end))
        return [trimmed for span in spans if (trimmed := _trim(text, *span))]

    def _blocks(self, text: str, start: int, stop: int) -> list[tuple[int, int]]:
        # Blank lines and list bullets always end a sentence.
        blocks = []
        cursor = start
        for match in _LINE_BREAKS.finditer(text, start, stop):
            blocks.append((cursor, match.start()))
            cursor = match.end()
        blocks.append((cursor, stop))
        return blocks

    def _is_abbreviation(self, text: str, sentence_start: int, dot: int) -> bool:
        word_start = dot
        while word_start > sentence_start and not text[word_start - 1].isspace():
            word_start -= 1
        word = text[word_start : dot + 1].casefold()
        if word in self.abbreviations:
            return True
        # A single capital letter and a dot is an initial ("K. Andersson").
        return len(word) == 2 and word[0].isalpha() and text[word_start].isupper()


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None
