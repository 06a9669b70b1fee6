"""Text made safe to store, index and print, checked once at the ingest boundary.

Every string that enters the base (a document's text, its id, title and source,
every metadata value) passes :func:`clean_text`; :func:`display_path` turns a
file name that is not valid UTF-8 into text that can be stored and printed.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path
from typing import Any

__all__ = [
    "MAX_NESTING",
    "clean_text",
    "clean_value",
    "display_path",
    "nesting_depth",
    "redact_personal",
]

# JSON metadata deeper than this is no page metadata but an attack or a bug.
MAX_NESTING = 32

# NUL cannot be stored in PostgreSQL text; the other C0 controls (but tab,
# newline, form feed and carriage return) and DEL never belong in prose.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# A str holds a surrogate code point only when it is unpaired (JSON "\ud800",
# a file name decoded with surrogateescape): it cannot be encoded as UTF-8.
_SURROGATES = re.compile(r"[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """NFC text without control characters, lone surrogates replaced by U+FFFD.

    >>> clean_text("sm\\u00e4rta\\x00 \\ud800!")
    'smärta \\ufffd!'
    """
    text = _SURROGATES.sub("\ufffd", text)
    return unicodedata.normalize("NFC", _CONTROLS.sub("", text))


# Personal data a reader may write into a question (GDPR art. 9 makes health data
# sensitive): Swedish personal identity numbers (ÅÅMMDD-NNNN, ÅÅÅÅMMDD-NNNN),
# e-mail addresses and mobile phone numbers (07X-XXX XX XX, +46 7X ...). Masked
# character for character, so offsets into the text stay right. Every repeat is
# bounded and anchored, so a megabyte-long "word" costs linear time.
_PERSONAL = re.compile(
    r"(?<![\w-])(?:19|20)?\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])[-+]?\d{4}(?![\w-])|"
    r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}|"
    r"(?:\+46|0046|\b0)\s?7[02369](?:[\s-]?\d){7}\b"
)


def redact_personal(text: str) -> str:
    """*text* with personal identity numbers, e-mail addresses and mobile numbers
    masked (same length, so offsets are kept).

    >>> redact_personal("Jag heter Eva, 850312-1234, eva@exempel.se, 070-123 45 67.")
    'Jag heter Eva, ###########, ##############, #############.'
    """
    return _PERSONAL.sub(lambda m: "#" * len(m.group()), text)


def clean_value(value: Any) -> Any:
    """*value* with :func:`clean_text` applied to every string in it (keys too)."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_value(item) for item in value]
    if isinstance(value, dict):
        return {clean_text(str(k)): clean_value(v) for k, v in value.items()}
    return value


def nesting_depth(value: Any) -> int:
    """How deeply lists and objects nest in a parsed JSON value, without recursion.

    >>> nesting_depth({"a": [1, {"b": []}]})
    4
    """
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            deepest = max(deepest, depth)
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            deepest = max(deepest, depth)
            stack.extend((v, depth + 1) for v in item)
    return deepest


def display_path(path: Path) -> str:
    """The absolute path as printable text; bytes that are not UTF-8 become U+FFFD.

    >>> display_path(Path("/tmp/ok.txt"))
    '/tmp/ok.txt'
    """
    raw = os.fsencode(os.path.abspath(path))
    return raw.decode("utf-8", "replace")
