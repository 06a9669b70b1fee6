"""Read files of each supported format into :class:`ParsedDocument` values.

``.txt`` (scraped pages), ``.md``, ``.html``/``.htm`` and ``.jsonl`` (one
record per line: ``id``, ``text``, optional ``title``, ``url``, ``kind``; other
fields are kept as metadata). A bad JSONL line yields an :class:`IngestError`
naming file and line, and the other lines are still read.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lindra.errors import BadRecord, FetchError, IngestError, UnreadableDocument, UnsupportedFormat
from lindra.ingest.decode import decode_bytes
from lindra.ingest.html import html_to_markdown
from lindra.ingest.layout import build_layout
from lindra.ingest.lines import markdown_lines, plain_lines
from lindra.ingest.sanitize import (
    MAX_NESTING,
    clean_text,
    clean_value,
    display_path,
    nesting_depth,
    redact_personal,
)
from lindra.types import DOCUMENT_KINDS, DocumentKind, ParsedDocument

__all__ = ["SUPPORTED_SUFFIXES", "discover", "parse_text", "read_path", "slugify"]

SUPPORTED_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".html", ".htm", ".jsonl"})
_FORMATS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}
_MAX_ID_LENGTH = 200


def slugify(value: str) -> str:
    """A document id from a file name: lower case, ASCII-friendly, dashes.

    >>> slugify("Osteoporos – Smärtbehandling (2)")
    'osteoporos-smartbehandling-2'
    """
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.casefold()).strip("-")
    return slug[:_MAX_ID_LENGTH] or "document"


def discover(paths: list[Path], *, follow_symlinks: bool = False) -> list[Path | IngestError]:
    """Files to ingest, in a stable order, and the files found but refused.

    Given files are taken as they are; folders are searched recursively (hidden
    files skipped). Every file found in a folder is listed, so that one lindra
    cannot read is reported (its reader says why) rather than silently left out.
    Refused here: pipes, devices and other files that are not regular files (they
    would block or never end), and symbolic links in a folder that point outside
    it (unless *follow_symlinks*): a link to ``/etc/passwd`` is not a page.

    :raises FetchError: for a path that does not exist.
    """
    found: list[Path | IngestError] = []
    for path in paths:
        if path.is_dir():
            root = path.resolve()
            for found_path in sorted(path.rglob("*")):
                if any(part.startswith(".") for part in found_path.relative_to(path).parts):
                    continue
                if found_path.is_dir() and not found_path.is_symlink():
                    continue
                found.append(_refusal(found_path, root, follow_symlinks) or found_path)
        elif path.exists():
            found.append(_refusal(path, None, follow_symlinks) or path)
        else:
            raise FetchError("no such file or folder; check the path", source=display_path(path))
    return list(dict.fromkeys(found))


def _refusal(path: Path, root: Path | None, follow_symlinks: bool) -> IngestError | None:
    """Why *path* (found under *root*, or named itself) is not read, or None."""
    source = display_path(path)
    if root is not None and path.is_symlink() and not follow_symlinks:
        target = path.resolve()
        if not target.is_relative_to(root):
            return FetchError(
                f"symbolic link to '{display_path(target)}', outside the folder given; not "
                "followed (copy the file into the folder, or use --follow-symlinks)",
                source=source,
            )
    if not path.is_file():
        return FetchError(
            "not a regular file (a pipe, socket, device or broken link); skipped", source=source
        )
    return None


def parse_text(
    text: str,
    *,
    doc_id: str,
    source: str,
    fmt: str = "text",
    title: str | None = None,
    kind: DocumentKind | None = None,
    metadata: dict[str, Any] | None = None,
    content_hash: str = "",
    explicit_id: bool = False,
) -> ParsedDocument:
    """Structure one document's text (``fmt`` is ``text``, ``markdown`` or ``html``).

    :raises UnreadableDocument: when nothing but boilerplate is left.
    """
    meta = dict(metadata or {})
    if fmt == "html":
        text, page_title, page_meta = html_to_markdown(text, source=source)
        title = title or page_title
        meta = {**page_meta, **meta}
        fmt = "markdown"
    # Readers' questions carry personal data; the base never keeps it.
    text = redact_personal(text)
    lines = markdown_lines(text) if fmt == "markdown" else plain_lines(text)
    layout = build_layout(text, lines, title=title)
    if not layout.sections and not layout.reader_questions:
        raise UnreadableDocument(
            "no article text left after removing boilerplate (navigation, cookie banners, "
            "comment forms)",
            source=source,
        )
    return ParsedDocument(
        id=doc_id,
        source=source,
        title=layout.title,
        kind=kind or layout.kind,
        text=text,
        sections=layout.sections,
        reader_questions=layout.reader_questions,
        metadata={**layout.metadata, **meta},
        content_hash=content_hash or hashlib.sha256(text.encode("utf-8")).hexdigest(),
        explicit_id=explicit_id,
        title_span=layout.title_span,
    )


def read_path(path: Path, *, max_bytes: int) -> Iterator[ParsedDocument | IngestError]:
    """Parse one file; JSONL files yield one item per line.

    Errors are yielded rather than raised so a batch can go on.
    """
    source = display_path(path.resolve())
    suffix = path.suffix.casefold()
    if suffix not in SUPPORTED_SUFFIXES:
        yield UnsupportedFormat(
            f"unsupported file type '{suffix or '(none)'}'; use .txt, .md, .html or .jsonl",
            source=source,
        )
        return
    if suffix == ".jsonl":
        yield from _read_jsonl(path, source, max_bytes)
        return
    try:
        data = path.read_bytes()
        text = clean_text(decode_bytes(data, source=source, max_bytes=max_bytes))
        yield parse_text(
            text,
            doc_id=slugify(path.stem),
            source=source,
            fmt=_FORMATS[suffix],
            content_hash=hashlib.sha256(data).hexdigest(),
        )
    except OSError as exc:
        yield FetchError(f"cannot read file: {exc.strerror}", source=source)
    except IngestError as exc:
        yield exc


def _read_jsonl(path: Path, source: str, max_bytes: int) -> Iterator[ParsedDocument | IngestError]:
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield FetchError(f"cannot read file: {exc.strerror}", source=source)
        return
    seen = 0
    with handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            seen += 1
            try:
                yield _record(raw, path=source, line=number, max_bytes=max_bytes)
            except IngestError as exc:
                yield exc
    if seen == 0:
        yield UnreadableDocument("JSONL file has no records; nothing to ingest", source=source)


def _record(raw: bytes, *, path: str, line: int, max_bytes: int) -> ParsedDocument:
    text = decode_bytes(raw, source=path, max_bytes=max_bytes)
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadRecord(
            f"not valid JSON ({exc.msg} at column {exc.colno}); each line must be one JSON object",
            source=path,
            line=line,
        ) from exc
    except RecursionError as exc:
        raise BadRecord(
            f"JSON nested too deeply; keep records at most {MAX_NESTING} levels deep",
            source=path,
            line=line,
        ) from exc
    except ValueError as exc:  # an integer of more than 4,300 digits
        raise BadRecord(
            f"unreadable JSON value ({exc}); fix the record", source=path, line=line
        ) from exc
    if not isinstance(parsed, dict):
        raise BadRecord("expected a JSON object with 'id' and 'text'", source=path, line=line)
    if nesting_depth(parsed) > MAX_NESTING:
        raise BadRecord(
            f"JSON nested too deeply; keep records at most {MAX_NESTING} levels deep",
            source=path,
            line=line,
        )
    # Lone surrogates ("\\ud800"), NUL and control characters, in any field.
    record: dict[str, Any] = clean_value(parsed)
    doc_id, body = record.get("id"), record.get("text")
    if not isinstance(doc_id, str | int) or isinstance(doc_id, bool) or not str(doc_id).strip():
        raise BadRecord("missing 'id' (a non-empty string or number)", source=path, line=line)
    if not isinstance(body, str) or not body.strip():
        raise BadRecord("missing 'text' (a non-empty string)", source=path, line=line)
    kind = record.get("kind")
    if kind is not None and kind not in DOCUMENT_KINDS:
        raise BadRecord(
            f"unknown kind {kind!r}; use one of {', '.join(DOCUMENT_KINDS)}", source=path, line=line
        )
    title = record.get("title")
    if title is not None and not isinstance(title, str):
        raise BadRecord("'title' must be a string", source=path, line=line)
    url = record.get("url")
    extra = {k: v for k, v in record.items() if k not in ("id", "text", "title", "kind")}
    fmt = "html" if record.get("format") == "html" else "text"
    digest = hashlib.sha256(json.dumps(record, sort_keys=True).encode("utf-8")).hexdigest()
    try:
        return parse_text(
            body,
            doc_id=str(doc_id).strip()[:_MAX_ID_LENGTH],
            source=url if isinstance(url, str) and url else f"{path}:{line}",
            fmt=fmt,
            title=title,
            kind=kind,
            metadata=extra,
            content_hash=digest,
            explicit_id=True,
        )
    except IngestError as exc:
        raise type(exc)(exc.reason, source=path, line=line) from exc
