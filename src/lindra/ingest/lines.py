"""Split plain text and Markdown into layout lines (headings, bullets, text).

Both readers produce the same :class:`Line` stream, so one layout builder
(:mod:`lindra.ingest.layout`) handles boilerplate, sections and reader
questions for every format. Spans exclude list bullets and Markdown ``#``
markers, so ``text[line.start:line.end]`` is the line's content.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

__all__ = ["Line", "markdown_lines", "plain_lines"]

LineKind = Literal["text", "heading", "bullet"]

# No "^": these run with match(text, pos), which anchors at pos (a "^" would not).
_BULLET = re.compile(r"\s*(?:[•·▪◦●○■□➢►✓✔*–-]|\d{1,2}[.)])\s+")
_MD_HEADING = re.compile(r"\s{0,3}(#{1,6})\s+")
_MD_FENCE = re.compile(r"\s*(```|~~~)")
_MD_RULE = re.compile(r"\s*([-*_])(\s*\1){2,}\s*$")
_MD_QUOTE = re.compile(r"\s*>\s?")
# Wikipedia's edit links after a heading: "Historia[redigera | redigera wikitext]".
_EDIT_LINK = re.compile(
    r"\s*\[(?:redigera|edit)(?:\s*\|\s*redigera wikitext)?\]\s*$", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class Line:
    """One line of content. ``explicit`` headings were marked up, not guessed."""

    kind: LineKind
    start: int
    end: int
    level: int = 0
    explicit: bool = False
    blank_before: bool = False


def _raw_lines(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each line without its newline characters."""
    pos = 0
    for raw in text.splitlines(keepends=True):
        content = raw.rstrip("\r\n")
        yield pos, pos + len(content)
        pos += len(raw)


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def plain_lines(text: str) -> list[Line]:
    """Lines of scraped plain text. Hard-wrapped paragraphs (a line that starts in
    lower case right after a line without final punctuation) are joined.

    >>> t = "Rubrik\\n\\nEn mening som\\nfortsätter här.\\n  • punkt"
    >>> [(l.kind, t[l.start:l.end]) for l in plain_lines(t)]
    [('text', 'Rubrik'), ('text', 'En mening som\\nfortsätter här.'), ('bullet', 'punkt')]
    """
    lines: list[Line] = []
    blank = True
    for raw_start, raw_end in _raw_lines(text):
        start, end = _strip(text, raw_start, raw_end)
        if edit_link := _EDIT_LINK.search(text, start, end):
            end = edit_link.start()
        if start == end:
            blank = True
            continue
        bullet = _BULLET.match(text, start, end)
        if bullet and bullet.end() < end:
            lines.append(Line("bullet", bullet.end(), end, blank_before=blank))
        elif (
            lines
            and not blank
            and lines[-1].kind == "text"
            and text[start].islower()
            and text[lines[-1].end - 1] not in ".!?:;"
        ):
            lines[-1] = Line("text", lines[-1].start, end, blank_before=lines[-1].blank_before)
        else:
            lines.append(Line("text", start, end, blank_before=blank))
        blank = False
    return lines


def markdown_lines(text: str) -> list[Line]:
    """Lines of a Markdown document: ``#`` headings, list items, paragraphs.

    Code blocks, rules and images are skipped; consecutive paragraph lines are joined.

    >>> t = "# Botox\\n\\nText som\\nfortsätter.\\n\\n- punkt"
    >>> [(l.kind, l.level, t[l.start:l.end]) for l in markdown_lines(t)]
    [('heading', 1, 'Botox'), ('text', 0, 'Text som\\nfortsätter.'), ('bullet', 0, 'punkt')]
    """
    lines: list[Line] = []
    blank = True
    in_fence = False
    for raw_start, raw_end in _raw_lines(text):
        if _MD_FENCE.match(text, raw_start, raw_end):
            in_fence = not in_fence
            blank = True
            continue
        start, end = _strip(text, raw_start, raw_end)
        if in_fence or start == end or _MD_RULE.match(text, start, end):
            blank = True
            continue
        if quote := _MD_QUOTE.match(text, start, end):
            start = quote.end()
        if heading := _MD_HEADING.match(text, start, end):
            content_start, content_end = _strip(text, heading.end(), end)
            content_end = len(text[content_start:content_end].rstrip("# ")) + content_start
            if content_start < content_end:
                level = len(heading.group(1))
                lines.append(Line("heading", content_start, content_end, level, True, blank))
        elif text.startswith("![", start):
            pass  # an image on its own line
        elif bullet := _BULLET.match(text, start, end):
            lines.append(Line("bullet", bullet.end(), end, blank_before=blank))
        elif lines and not blank and lines[-1].kind in ("text", "bullet"):
            previous = lines[-1]
            lines[-1] = Line(previous.kind, previous.start, end, blank_before=previous.blank_before)
        else:
            lines.append(Line("text", start, end, blank_before=blank))
        blank = False
    return lines
