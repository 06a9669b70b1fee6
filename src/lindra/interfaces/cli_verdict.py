"""``lindra verdict``: yes/no/maybe verdicts for question/text pairs."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from lindra.interfaces.cli_common import CliError, errors, print_json

if TYPE_CHECKING:  # the model's modules are imported by the command
    from lindra.knowledge.verdict import VerdictModel

__all__ = ["register", "verdict_lines"]


def verdict_cli(
    jsonl: Annotated[
        Path,
        typer.Option(
            "--jsonl", help='JSONL lines {"id", "question", "text"}; "-" reads standard input.'
        ),
    ],
) -> None:
    """Say what each text answers to its yes/no question: ja, nej or kanske.

    Prints one JSON line per input line, in order:
    {"id", "verdict", "stance", "quote"}, where quote is the sentence of the text
    the verdict rests on. A bad line prints {"id", "error"} and the rest continue.

    Example: lindra verdict --jsonl items.jsonl > verdicts.jsonl
    """
    with errors():
        if str(jsonl) != "-" and not jsonl.is_file():
            raise CliError(f"No such file: '{jsonl}'. Give a JSONL file or '-' for stdin.")
        from lindra.knowledge.verdict import VerdictModel

        model = VerdictModel.default()
        if str(jsonl) == "-":
            lines = sys.stdin.read().splitlines()
        else:
            lines = jsonl.read_text(encoding="utf-8-sig").splitlines()
        for result in verdict_lines(lines, model, str(jsonl)):
            print_json(result)


def verdict_lines(lines: list[str], model: VerdictModel, source: str) -> Iterator[dict[str, Any]]:
    """One output record per non-blank input line; errors name *source* and the line."""
    from lindra.knowledge.verdict import decide

    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        record: Any = None
        try:
            record = json.loads(line)
            question, text = _fields(record)
        except (json.JSONDecodeError, ValueError) as exc:
            item_id = record.get("id") if isinstance(record, dict) else None
            yield {"id": item_id, "error": f"{source} line {number}: {exc}"}
            continue
        result = decide(question, text, model)
        yield {
            "id": record.get("id"),
            "verdict": result.verdict,
            "stance": result.stance,
            "quote": result.quote,
        }


def _fields(record: Any) -> tuple[str, str]:
    if not isinstance(record, dict):
        raise ValueError('expected a JSON object {"id", "question", "text"}')
    missing = [key for key in ("question", "text") if not isinstance(record.get(key), str)]
    if missing:
        raise ValueError(f"missing or non-string field(s): {', '.join(missing)}")
    if not record["question"].strip():
        raise ValueError("empty question")
    return record["question"], record["text"]


def register(app: typer.Typer) -> None:
    app.command("verdict")(verdict_cli)
