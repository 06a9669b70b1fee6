"""Bytes to text: size limit, binary detection and Swedish-friendly decoding."""

from __future__ import annotations

import unicodedata

from lindra.errors import InputTooLarge, UnreadableDocument

__all__ = ["decode_bytes", "looks_binary"]

# Bytes that never occur in text files (NUL and the C0 controls other than
# tab, newline, form feed and carriage return).
_CONTROL = set(range(0, 9)) | {11} | set(range(14, 32))


def looks_binary(data: bytes) -> bool:
    """True for data with NUL bytes or many control characters.

    >>> looks_binary(b"sm\\xc3\\xa4rta"), looks_binary(b"%PDF\\x00\\x01")
    (False, True)
    """
    sample = data[:8192]
    if b"\x00" in sample and not sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    controls = sum(1 for byte in sample if byte in _CONTROL)
    return controls > max(2, len(sample) // 100)


def decode_bytes(data: bytes, *, source: str, max_bytes: int) -> str:
    """Decode a text file, trying UTF-8 first and then Windows-1252 (a superset of
    Latin-1's printable range, used by older Swedish web pages and Word exports).

    Returns NFC text. Newlines are kept as they are so offsets match the file.

    >>> decode_bytes("smärta".encode("cp1252"), source="x.txt", max_bytes=100)
    'smärta'

    :raises InputTooLarge: when *data* is longer than *max_bytes*.
    :raises UnreadableDocument: for empty, binary or undecodable data.
    """
    if len(data) > max_bytes:
        raise InputTooLarge(
            f"file is {len(data):,} bytes, over the limit of {max_bytes:,}; split it or raise "
            "LINDRA_MAX_FILE_BYTES",
            source=source,
        )
    if not data.strip():
        raise UnreadableDocument("file is empty; nothing to ingest", source=source)
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        text = _decode(data, "utf-32", source)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _decode(data, "utf-16", source)
    elif looks_binary(data):
        raise UnreadableDocument(
            "looks like a binary file, not text; convert it to .txt, .html, .md or .jsonl first",
            source=source,
        )
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                text = data.decode("latin-1")
    text = unicodedata.normalize("NFC", text)
    if not text.strip():
        raise UnreadableDocument("file has no text; nothing to ingest", source=source)
    return text


def _decode(data: bytes, encoding: str, source: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise UnreadableDocument(
            f"cannot decode as {encoding} (byte {exc.start}); save the file as UTF-8",
            source=source,
        ) from exc
