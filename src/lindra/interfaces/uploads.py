"""Uploaded files and JSON records, parsed by the same readers (and errors) as ``lindra ingest``.

The request readers enforce the size limits while reading. Each upload is then
written under its own (sanitised) name to a private temporary folder and read
with :func:`lindra.ingest.readers.read_path`, so a file uploaded through the API
becomes exactly the document ``lindra ingest`` would make of it. The temporary
path is then replaced by ``upload:<name>`` in sources and error messages, so the
same file uploaded twice keeps its document id.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request

from lindra.engine import Engine
from lindra.errors import BadRecord, IngestError, InputTooLarge, UnsupportedFormat
from lindra.ingest.readers import SUPPORTED_SUFFIXES, read_path
from lindra.ingest.sanitize import clean_text
from lindra.interfaces.api_common import ApiError
from lindra.types import IngestOutcome, ParsedDocument

__all__ = [
    "MAX_UPLOAD_FILES",
    "RECORDS_SOURCE",
    "Upload",
    "check_length",
    "check_upload",
    "ingest_while_connected",
    "parse_records",
    "parse_uploads",
    "read_files",
    "read_json_body",
    "too_large",
]

MAX_UPLOAD_FILES = 50
RECORDS_SOURCE = "request-body"

Parsed = ParsedDocument | IngestError


@dataclass(frozen=True, slots=True)
class Upload:
    """One uploaded file: the name the client gave it and its bytes."""

    name: str
    data: bytes


MAX_NAME_BYTES = 200
MAX_SUFFIX_CHARS = 10


def safe_name(name: str) -> str:
    """The file name without any client-side folders, control characters or
    excess length.

    >>> safe_name("C:\\\\Users\\\\eva\\\\ont i ryggen.txt")
    'ont i ryggen.txt'
    >>> safe_name("../../etc/passwd.md")
    'passwd.md'
    """
    base = Path(clean_text(name).replace("\\", "/")).name.strip()
    if base in ("", ".", ".."):
        return "upload"
    # File systems take 255 bytes per name; keep the type, shorten the rest.
    if len(base.encode("utf-8")) <= MAX_NAME_BYTES:
        return base
    suffix = Path(base).suffix[:MAX_SUFFIX_CHARS]
    stem = base[: len(base) - len(Path(base).suffix)].encode("utf-8")
    kept = stem[: MAX_NAME_BYTES - len(suffix.encode("utf-8"))].decode("utf-8", "ignore")
    return kept + suffix


def too_large(size: int, max_bytes: int, source: str) -> InputTooLarge:
    return InputTooLarge(
        f"file is {size:,} bytes, over the limit of {max_bytes:,}; split it or raise "
        "LINDRA_MAX_FILE_BYTES",
        source=source,
    )


def check_upload(name: str, size: int | None, max_bytes: int) -> str:
    """Refuse an upload by its name and size before reading it; return the safe name.

    :raises UnsupportedFormat: for a file type lindra does not read (HTTP 415).
    :raises InputTooLarge: for a file over *max_bytes* (HTTP 413).
    """
    safe = safe_name(name)
    suffix = Path(safe).suffix.casefold()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedFormat(
            f"unsupported file type '{suffix or '(none)'}'; use .txt, .md, .html or .jsonl",
            source=f"upload:{safe}",
        )
    if size is not None and size > max_bytes:
        raise too_large(size, max_bytes, f"upload:{safe}")
    return safe


def parse_uploads(uploads: Sequence[Upload], *, max_bytes: int) -> list[Parsed]:
    """Parse each upload as ``lindra ingest`` would parse the file.

    :raises UnsupportedFormat: / :raises InputTooLarge: before anything is parsed.
    """
    for upload in uploads:
        check_upload(upload.name, len(upload.data), max_bytes)
    parsed: list[Parsed] = []
    for upload in uploads:
        safe = safe_name(upload.name)
        parsed.extend(_read(safe, upload.data, f"upload:{safe}", max_bytes))
    return parsed


def parse_records(body: bytes, *, max_bytes: int) -> list[Parsed]:
    """Parse a JSON body: one record ``{"id", "text", ...}`` or a list of them.

    Records are checked like the lines of a JSONL file; errors name the record's
    position as its line (``request-body line 2: missing 'text' ...``).

    :raises BadRecord: when the body is not JSON, or not an object or a list.
    """
    try:
        value: Any = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BadRecord(
            f"request body is not valid JSON ({exc}); send a record "
            '{"id": ..., "text": ...} or a list of them',
            source=RECORDS_SOURCE,
        ) from exc
    records: Iterable[Any] = value if isinstance(value, list) else [value]
    if not isinstance(value, list | dict):
        raise BadRecord(
            'expected a JSON object {"id": ..., "text": ...} or a list of them',
            source=RECORDS_SOURCE,
        )
    if isinstance(value, list) and not value:
        raise BadRecord("the list of records is empty; nothing to ingest", source=RECORDS_SOURCE)
    # ASCII escapes keep a lone surrogate ("\ud800") as the escape it came as, so the
    # JSONL reader cleans it as it does in a file, instead of failing to encode it.
    lines = "".join(json.dumps(record, ensure_ascii=True) + "\n" for record in records)
    return _read("records.jsonl", lines.encode("utf-8"), RECORDS_SOURCE, max_bytes)


def _read(name: str, data: bytes, label: str, max_bytes: int) -> list[Parsed]:
    with tempfile.TemporaryDirectory(prefix="lindra-upload-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        prefix = str(path.resolve())
        return [_relabel(item, prefix, label) for item in read_path(path, max_bytes=max_bytes)]


def _relabel(item: Parsed, prefix: str, label: str) -> Parsed:
    """Replace the temporary path in a document's source or an error's message."""
    if not item.source.startswith(prefix):
        return item
    source = label + item.source[len(prefix) :]
    if isinstance(item, ParsedDocument):
        return replace(item, source=source)
    relabelled = type(item)(item.reason, source=source, line=item.line)
    relabelled.__cause__ = item.__cause__
    return relabelled


# -- reading requests ----------------------------------------------------------


async def read_json_body(request: Request, max_bytes: int) -> bytes:
    """The request body, refused (413) as soon as it grows past *max_bytes*."""
    check_length(request, max_bytes)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise too_large(size, max_bytes, "request-body")
        chunks.append(chunk)
    return b"".join(chunks)


async def read_files(request: Request, max_bytes: int) -> list[Upload]:
    """The files of a multipart upload, each refused (413/415) by its size and name."""
    check_length(request, max_bytes * MAX_UPLOAD_FILES + 1_000_000)
    form = await request.form(max_files=MAX_UPLOAD_FILES, max_fields=MAX_UPLOAD_FILES)
    try:
        files = [v for _, v in form.multi_items() if isinstance(v, UploadFile)]
        if not files:
            raise ApiError(
                422,
                "ValidationError",
                "No file in the upload. Send one or more files in the multipart field 'files'.",
            )
        uploads = []
        for file in files:
            name = file.filename or "upload"
            check_upload(name, file.size, max_bytes)
            data = await file.read(max_bytes + 1)
            if len(data) > max_bytes:
                raise too_large(len(data), max_bytes, f"upload:{name}")
            uploads.append(Upload(name, data))
        return uploads
    finally:
        await form.close()


def check_length(request: Request, limit: int) -> None:
    """Refuse a request whose declared Content-Length is over *limit* (413)."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        raise too_large(int(length), limit, "request")


# How often an upload's ingest looks whether its client is still there.
DISCONNECT_POLL_SECONDS = 0.5


async def ingest_while_connected(
    request: Request, engine: Engine, items: Sequence[ParsedDocument | IngestError]
) -> list[IngestOutcome]:
    """Ingest *items* in a worker thread; stop before the next document (writing
    nothing more) when the client disconnects or the server cancels the request
    (shutdown)."""
    stop = threading.Event()

    async def watch() -> None:
        while not stop.is_set():
            if await request.is_disconnected():
                stop.set()
                return
            await asyncio.sleep(DISCONNECT_POLL_SECONDS)

    watcher = asyncio.create_task(watch())
    try:
        return await run_in_threadpool(engine.ingest_documents, items, cancelled=stop.is_set)
    finally:
        stop.set()  # also on cancellation: the thread stops at its next check
        watcher.cancel()
