"""Loaders for the Swedish word lists shipped in ``lindra/language/data``.

One function per file type. Each returns immutable data and reports the file
and line of a malformed entry. Code that needs a list receives it as an
argument; only ``SwedishAnalyzer.default()`` (and the knowledge-base defaults)
call these loaders.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from lindra.errors import LexiconError

__all__ = ["data_lines", "load_tsv", "load_word_set", "packaged_file"]


def packaged_file(name: str, package: str = "lindra.language") -> Path:
    """Path of a data file shipped inside *package* (``<package>/data/<name>``)."""
    return Path(str(resources.files(package) / "data" / name))


def data_lines(path: Path) -> Iterator[tuple[int, str]]:
    """Yield ``(line_number, line)`` for the non-comment, non-blank lines of *path*.

    :raises LexiconError: when the file is missing or not UTF-8.
    """
    try:
        content = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise LexiconError(f"Lexicon file '{path}' does not exist.") from exc
    except UnicodeDecodeError as exc:
        raise LexiconError(f"{path.name}: not UTF-8 (byte {exc.start}); save it as UTF-8.") from exc
    for number, raw in enumerate(content.splitlines(), start=1):
        line = raw.rstrip("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        yield number, unicodedata.normalize("NFC", line)


def load_word_set(path: Path) -> frozenset[str]:
    """Load a one-word-per-line list, lowercased.

    :raises LexiconError: on an entry with inner whitespace.
    """
    words: set[str] = set()
    for number, line in data_lines(path):
        word = line.strip()
        if any(ch.isspace() for ch in word):
            raise LexiconError(f"{path.name} line {number}: expected one word, got {line!r}")
        words.add(word.casefold())
    return frozenset(words)


def load_tsv(
    path: Path, columns: int, *, min_columns: int | None = None
) -> tuple[tuple[str, ...], ...]:
    """Load a tab-separated file with *columns* columns (or at least *min_columns*).

    :raises LexiconError: naming file and line when a row has the wrong shape.
    """
    least = columns if min_columns is None else min_columns
    rows: list[tuple[str, ...]] = []
    for number, line in data_lines(path):
        cells = tuple(cell.strip() for cell in line.split("\t"))
        if not least <= len(cells) <= columns:
            expected = f"{columns}" if least == columns else f"{least} to {columns}"
            raise LexiconError(
                f"{path.name} line {number}: expected {expected} tab-separated columns, "
                f"got {len(cells)}"
            )
        if any(not cell for cell in cells[:least]):
            raise LexiconError(f"{path.name} line {number}: empty column in {line!r}")
        rows.append(cells)
    return tuple(rows)
