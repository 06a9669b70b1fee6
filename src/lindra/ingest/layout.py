"""From layout lines to a document's structure: title, sections, reader questions.

The builder runs four passes over the :class:`~lindra.ingest.lines.Line` stream:

1. drop boilerplate (comment forms end the article; advertisement labels take
   the paragraph after them; CMS traces become metadata);
2. decide which short lines are headings: a heading is followed by body text or
   by a sub-heading; short lines with nothing after them are related-link lists;
3. attach reader questions ("Läsarfråga", "Fråga:") to their paragraph;
4. group blocks into sections, keeping a repeated heading once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from lindra.ingest.boilerplate import Boilerplate, classify_line, cms_trace, trailing_navigation
from lindra.ingest.lines import Line
from lindra.types import Block, BlockKind, DocumentKind, ReaderQuestion, Section

__all__ = ["Layout", "build_layout"]

# "Läsarfråga" labels a reader's question on Swedish health blogs and in
# newspaper health columns; "Fråga:"/"Svar:" prefixes are the FAQ/column form.
_QUESTION_LABEL = re.compile(
    r"^(läsarfråga|läsarfrågor|läsarens fråga|fråga från (en )?läsare|veckans fråga|fråga)\s*:?$",
    re.IGNORECASE,
)
_QUESTION_PREFIX = re.compile(r"^(läsarfråga|fråga|frågan)\s*:\s*", re.IGNORECASE)
_ANSWER_PREFIX = re.compile(r"^(svar|svaret|expertens svar)\s*:\s*", re.IGNORECASE)
# "Patient kunskap: Förutom ..." — a short category label before the lead.
_KICKER = re.compile(r"([A-ZÅÄÖ][\w-]*(?: [\w-]+){0,2}):\s+(?=[A-ZÅÄÖ])")
_TERMINAL = ".,;:!"
_MAX_HEADING_WORDS = 12
_MIN_UNBULLETED = 2  # items in a run of short lines that make it a list
_MIN_CUT_WORDS = 4  # a last line this long without a full stop is a cut sentence


@dataclass(frozen=True, slots=True)
class Layout:
    title: str
    sections: tuple[Section, ...]
    reader_questions: tuple[ReaderQuestion, ...]
    metadata: dict[str, Any]
    kind: DocumentKind
    dropped: tuple[tuple[str, str], ...] = ()
    title_span: tuple[int, int] | None = None


@dataclass(slots=True)
class _Unit:
    line: Line
    start: int
    end: int
    role: str = ""
    level: int = 0
    extra: dict[str, str] = field(default_factory=dict)


def build_layout(text: str, lines: list[Line], *, title: str | None = None) -> Layout:
    """Structure of a document from its lines. See the module docstring."""
    units = [_Unit(line, line.start, line.end) for line in lines]
    metadata: dict[str, Any] = {}
    dropped: list[tuple[str, str]] = []
    _drop_boilerplate(text, units, metadata, dropped)
    content = [u for u in units if not u.role.startswith("drop")]
    _resolve_headings(text, content)
    for unit in content:
        if unit.role == "drop:link_list":
            dropped.append(("link_list", text[unit.start : unit.end]))
    content = [u for u in content if not u.role.startswith("drop")]
    _trim_navigation(text, content, dropped)
    content = [u for u in content if not u.role.startswith("drop")]
    _attach_questions(text, content)
    doc_title, title_span = _find_title(text, content, title, metadata)
    sections, questions = _group(text, content, doc_title)
    return Layout(
        title=doc_title,
        sections=sections,
        reader_questions=questions,
        metadata=metadata,
        kind=_kind(sections, questions),
        dropped=tuple(dropped),
        title_span=title_span,
    )


def _drop_boilerplate(
    text: str, units: list[_Unit], metadata: dict[str, Any], dropped: list[tuple[str, str]]
) -> None:
    article_ended = False
    skip_next_body = False
    for index, unit in enumerate(units):
        line_text = text[unit.start : unit.end]
        if unit.role:
            continue
        if article_ended:
            unit.role = "drop:after_comment_form"
        elif skip_next_body and unit.line.kind != "heading":
            unit.role = "drop:advertisement"
            skip_next_body = False
        else:
            skip_next_body = False
            kind = classify_line(line_text)
            if kind is Boilerplate.COMMENT_FORM:
                article_ended = True
                unit.role = "drop:comment_form"
            elif kind is Boilerplate.CMS_TRACE:
                _record_trace(text, units, index, metadata)
            elif kind is Boilerplate.AD_MARKER:
                unit.role = "drop:advertisement"
                skip_next_body = True
            elif kind is not None:
                unit.role = f"drop:{kind.value}"
            elif _QUESTION_LABEL.match(line_text.strip()):
                unit.role = "label"
        if unit.role.startswith("drop"):
            dropped.append((unit.role.removeprefix("drop:"), line_text))


def _record_trace(text: str, units: list[_Unit], index: int, metadata: dict[str, Any]) -> None:
    unit = units[index]
    trace = cms_trace(text[unit.start : unit.end])
    assert trace is not None
    key, value = trace
    unit.role = "drop:cms_trace"
    if not value and index + 1 < len(units):
        following = units[index + 1]
        candidate = text[following.start : following.end].strip()
        if len(candidate) <= 40 and re.fullmatch(r"[\w ,;-]+", candidate):
            value = candidate
            following.role = "drop:cms_trace"
    metadata[key] = value


def _heading_like(text: str, unit: _Unit) -> bool:
    if unit.line.kind == "heading":
        return True
    if unit.line.kind != "text" or unit.role == "label":
        return False
    line_text = text[unit.start : unit.end].strip()
    words = line_text.split()
    if not words or len(words) > _MAX_HEADING_WORDS or len(line_text) > 100 or "\n" in line_text:
        return False
    if not (line_text[0].isupper() or line_text[0].isdigit()):
        return False
    if line_text[-1] in _TERMINAL or re.search(r"[.!?] [A-ZÅÄÖ]", line_text):
        return False
    # A question works as a heading when it is short ("Hur gör man?").
    return not (line_text.endswith("?") and len(words) > 8)


def _unbulleted_lists(text: str, content: list[_Unit]) -> None:
    """Short lines that follow each other without a blank line, after body text, are
    a list whose bullets the scrape lost ("Förstahandspreparat" / "Karbamid 5% kräm" /
    "Hydrokortison - Grupp I"), not a row of empty headings. The run's first line is
    the list's heading unless a short line (its heading) stands right before it."""
    body_seen = False
    run: list[_Unit] = []
    before_run: _Unit | None = None

    def close() -> None:
        items = run if before_run is not None and _short(before_run) else run[1:]
        if body_seen and len(items) >= _MIN_UNBULLETED:
            for unit in items:
                unit.role = "list_item"
        run.clear()

    def _short(unit: _Unit) -> bool:
        return not unit.role and unit.line.kind == "text" and _heading_like(text, unit)

    previous: _Unit | None = None
    for unit in content:
        if _short(unit) and run and not unit.line.blank_before:
            run.append(unit)
        else:
            close()
            if _short(unit):
                run.append(unit)
                before_run = previous
            elif unit.line.kind == "text" and not unit.role:
                body_seen = True
        previous = unit
    close()


def _resolve_headings(text: str, content: list[_Unit]) -> None:
    _unbulleted_lists(text, content)
    cut = _cut_at_end(text, content)
    # Backwards, so each unit knows what follows it.
    following: _Unit | None = None
    for unit in reversed(content):
        kind = unit.line.kind
        if unit.role in ("label", "list_item"):
            pass
        elif kind == "heading":
            unit.role = "heading"
        elif kind == "bullet":
            unit.role = "list_item"
        elif not _heading_like(text, unit) or unit is cut:
            unit.role = "paragraph"
        elif following is None or following.role == "drop:link_list":
            unit.role = "drop:link_list"
        elif following.role == "heading":
            # A line with an inner colon before a heading is an image caption
            # ("Vertebroplastik: Bencement sprutas in i en ryggkota").
            is_caption = ": " in text[unit.start : unit.end]
            unit.role = "caption" if is_caption else "heading"
            unit.extra["parent"] = "" if is_caption else "yes"
        else:
            unit.role = "heading"
        following = unit
    _assign_levels(content)


def _cut_at_end(text: str, content: list[_Unit]) -> _Unit | None:
    """The last line when it is a sentence cut off where the text ends ("En annan typ
    av lokalbehandling är regelbundna sittbad ell"), not the last link of a list:
    four words or more, right after body text or after one heading that follows
    body text, with nothing dropped in between ("Läs också"). Without this it and
    the heading above it were dropped as links."""
    if len(content) < 2:
        return None
    last = content[-1]
    words = text[last.start : last.end].split()
    if last.line.kind != "text" or len(words) < _MIN_CUT_WORDS or not _heading_like(text, last):
        return None

    def adjacent(first: _Unit, second: _Unit) -> bool:
        return not text[first.end : second.start].strip()

    before = content[-2]
    if not adjacent(before, last):
        return None
    if not _heading_like(text, before):
        return last
    body = (
        len(content) >= 3 and not _heading_like(text, content[-3]) and adjacent(content[-3], before)
    )
    return last if body else None


def _assign_levels(content: list[_Unit]) -> None:
    seen_parent = False
    for unit in content:
        if unit.role != "heading":
            continue
        if unit.line.explicit:
            unit.level = unit.line.level
        elif unit.extra.get("parent"):
            unit.level = 1
            seen_parent = True
        else:
            unit.level = 2 if seen_parent else 1


def _trim_navigation(text: str, content: list[_Unit], dropped: list[tuple[str, str]]) -> None:
    for unit in content:
        if unit.role not in ("paragraph", "list_item"):
            continue
        kept = trailing_navigation(text[unit.start : unit.end])
        if kept < unit.end - unit.start:
            dropped.append(("navigation", text[unit.start + kept : unit.end].strip()))
            unit.end = unit.start + kept
            if kept == 0:
                unit.role = "drop:navigation"


def _attach_questions(text: str, content: list[_Unit]) -> None:
    for index, unit in enumerate(content):
        line_text = text[unit.start : unit.end]
        if unit.role == "paragraph":
            if prefix := _QUESTION_PREFIX.match(line_text):
                unit.start += prefix.end()
                unit.role = "question"
            elif prefix := _ANSWER_PREFIX.match(line_text):
                unit.start += prefix.end()
        if unit.role != "label":
            continue
        before = content[index - 1] if index > 0 else None
        after = content[index + 1] if index + 1 < len(content) else None
        # The label either follows the question (blog style) or introduces it.
        if (
            before is not None
            and before.role == "paragraph"
            and "?" in text[before.start : before.end]
        ):
            before.role = "question"
        elif after is not None and after.role == "paragraph":
            after.role = "question"


def _find_title(
    text: str, content: list[_Unit], given: str | None, metadata: dict[str, Any]
) -> tuple[str, tuple[int, int] | None]:
    first = content[0] if content else None
    if first is not None and first.role == "heading" and first.level <= 1:
        heading = _clean(text[first.start : first.end])
        if not given or heading.casefold() == given.strip().casefold():
            first.role = "title"
            return heading, (first.start, first.end)
    if given and given.strip():
        return given.strip(), None
    if first is not None and first.role == "paragraph":
        if kicker := _KICKER.match(text, first.start, first.end):
            metadata["category"] = kicker.group(1)
            first.start = kicker.end()
    for unit in content:
        if unit.role in ("paragraph", "heading", "question"):
            return _headline(text[unit.start : unit.end]), None
    return "", None


def _headline(sentence_text: str, limit: int = 90) -> str:
    """A short label from the first sentence, cut at a word boundary."""
    first = re.split(r"(?<=[.!?])\s", _clean(sentence_text), maxsplit=1)[0]
    if len(first) <= limit:
        return first
    return first[:limit].rsplit(" ", 1)[0] + " …"


def _clean(value: str) -> str:
    return " ".join(value.split())


def _group(
    text: str, content: list[_Unit], title: str
) -> tuple[tuple[Section, ...], tuple[ReaderQuestion, ...]]:
    sections: list[Section] = []
    questions: list[ReaderQuestion] = []
    heading, level = "", 0
    path: tuple[str, ...] = ()
    span: tuple[int, int] | None = None
    blocks: list[Block] = []
    parents: dict[int, str] = {}

    def close() -> None:
        if blocks:
            sections.append(Section(heading, level, path, tuple(blocks), span))

    for unit in content:
        role = unit.role
        if role == "heading":
            name = _clean(text[unit.start : unit.end])
            # A heading repeated right away, or repeating the title, is kept once.
            if name.casefold() in (heading.casefold(), title.casefold()):
                continue
            close()
            blocks = []
            heading, level, span = name, unit.level, (unit.start, unit.end)
            parents = {lv: h for lv, h in parents.items() if lv < level}
            parents[level] = name
            path = tuple(parents[lv] for lv in sorted(parents))
        elif role == "question":
            questions.append(
                ReaderQuestion(_clean(text[unit.start : unit.end]), unit.start, unit.end)
            )
        elif role in ("paragraph", "list_item", "caption"):
            kind: BlockKind = role  # type: ignore[assignment]
            blocks.append(Block(kind, unit.start, unit.end, text[unit.start : unit.end]))
    close()
    return tuple(sections), tuple(questions)


def _kind(sections: tuple[Section, ...], questions: tuple[ReaderQuestion, ...]) -> DocumentKind:
    if questions:
        return "reader_qa"
    question_headings = sum(1 for s in sections if s.heading.endswith("?"))
    if question_headings >= 3 and question_headings * 2 >= len(sections):
        return "faq"
    return "article"
