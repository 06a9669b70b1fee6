"""Batch queries: one JSON object per line, ``{"id", "query", "candidates"?}``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lindra.errors import QueryError

__all__ = ["BatchQuery", "read_batch"]


@dataclass(frozen=True, slots=True)
class BatchQuery:
    """One line of a batch file. ``id`` is opaque: echoed back, never used to rank."""

    id: Any
    text: str
    candidates: tuple[str, ...] | None = None


def read_batch(
    path: Path, text_keys: tuple[str, ...] = ("query",)
) -> Iterator[BatchQuery | QueryError]:
    """Parse a batch file line by line; a bad line yields a :class:`QueryError`
    naming file and line, so callers can report it and go on.

    :raises QueryError: when the file cannot be read at all.
    """
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise QueryError(f"Cannot read '{path}': {exc.strerror}.") from exc
    with handle:
        try:
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    yield _parse(line, path, number, text_keys)
        except UnicodeDecodeError as exc:
            raise QueryError(f"'{path}' is not UTF-8 text; save it as UTF-8 JSONL.") from exc


def _parse(
    line: str, path: Path, number: int, text_keys: tuple[str, ...]
) -> BatchQuery | QueryError:
    where = f"{path} line {number}"
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        return QueryError(f"{where}: not valid JSON ({exc.msg}).")
    if not isinstance(row, dict):
        return QueryError(f"{where}: expected a JSON object.")
    text = next((row[k] for k in text_keys if k in row), None)
    if not isinstance(text, str) or not text.strip():
        return QueryError(f"{where}: missing '{text_keys[0]}' text.")
    candidates = row.get("candidates")
    if candidates is not None and not (
        isinstance(candidates, list) and all(isinstance(c, str | int) for c in candidates)
    ):
        return QueryError(f"{where}: 'candidates' must be a list of document ids.")
    return BatchQuery(
        row.get("id", number),
        text,
        tuple(str(c) for c in candidates) if candidates is not None else None,
    )
