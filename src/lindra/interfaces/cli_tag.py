"""``lindra tag``: mark disorders, drugs and body structures in sentences."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Annotated, Any

import typer

from lindra.interfaces.cli_common import errors, print_json

# The tagger's modules are imported by the command: other commands start sooner.
if TYPE_CHECKING:
    from lindra.knowledge.entities import EntityTagger

__all__ = ["markup_lines", "register", "span_records"]

_TOKEN = re.compile(r"\S+")


def tag_cli(
    markup: Annotated[
        bool,
        typer.Option("--markup", help="Write 1177 markup: ( disorder ) [ drug ] { body }."),
    ] = False,
) -> None:
    """Tag medical entities in sentences read from standard input, one per line.

    Tokens are the space-separated words of each line. With --markup each line
    is written back with bracket tokens inserted around its entities (empty
    lines stay empty); otherwise one JSON line per input line:
    {"line", "entities": [{"start", "end", "label", "text", "tokens"}]}, with
    character offsets into the line (glued punctuation left out) and token
    indices [first, last + 1].

    Example: echo "Ta paracetamol mot feber ." | lindra tag --markup
    """
    with errors():
        from lindra.knowledge.entities import EntityTagger

        tagger = EntityTagger.default()
        lines = (line.rstrip("\r\n") for line in sys.stdin)
        if markup:
            for text in markup_lines(lines, tagger):
                sys.stdout.write(text + "\n")
        else:
            for record in span_records(lines, tagger):
                print_json(record)


def markup_lines(lines: Iterable[str], tagger: EntityTagger) -> Iterator[str]:
    """Each line's tokens with its entities bracketed in the 1177 format."""
    from lindra.knowledge.markup import to_markup

    for line in lines:
        tokens = line.split()
        yield to_markup(tokens, tagger.tag_tokens(tokens)) if tokens else ""


def span_records(lines: Iterable[str], tagger: EntityTagger) -> Iterator[dict[str, Any]]:
    """One JSON-ready record per line: its entities with character and token offsets."""
    from lindra.knowledge.ner_features import is_punctuation

    for number, line in enumerate(lines, start=1):
        offsets = [(m.start(), m.end()) for m in _TOKEN.finditer(line)]
        tokens = [line[s:e] for s, e in offsets]
        entities = []
        for first, end, label in tagger.tag_tokens(tokens):
            start, stop = offsets[first][0], offsets[end - 1][1]
            # Punctuation glued to the edge tokens ("feber.") is not part of the entity.
            while stop > start + 1 and is_punctuation(line[stop - 1]):
                stop -= 1
            while start < stop - 1 and is_punctuation(line[start]):
                start += 1
            entities.append(
                {
                    "start": start,
                    "end": stop,
                    "label": label,
                    "text": line[start:stop],
                    "tokens": [first, end],
                }
            )
        yield {"line": number, "entities": entities}


def register(app: typer.Typer) -> None:
    """Add ``lindra tag`` to *app*."""
    app.command("tag")(tag_cli)
