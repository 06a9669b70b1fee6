"""``lindra evidence`` and ``lindra treatments``: the treatment knowledge base."""

from __future__ import annotations

import csv
import sys
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from lindra.engine import Engine
from lindra.interfaces.cli_common import DbOption, JsonOption, errors, out, print_json, settings_for

__all__ = ["register"]

STANCE_LABELS = {
    "proven_effect": "vetenskapligt stöd",
    "some_support": "visst stöd",
    "mixed": "källorna går isär",
    "no_effect": "ingen effekt visad",
    "undocumented": "inte dokumenterad",
    "not_stated": "inget sagt om effekt",
}
_KEY_FACTS = ("phase", "onset", "peak", "duration", "repeat", "first_line", "access")


def evidence_cli(
    doc_id: Annotated[str, typer.Argument(help="Document id.")],
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Show each treatment a document mentions, with its evidence stance, quote and facts.

    Example: lindra evidence osteoporos-smartbehandling --json
    """
    with errors():
        with Engine.from_settings(settings_for(db)) as engine:
            entries = engine.evidence(doc_id)
        if json_output:
            print_json({"doc_id": doc_id, "treatments": entries})
            return
        if not entries:
            out.print("Inga behandlingar hittades i dokumentet.")
        for entry in entries:
            label = STANCE_LABELS.get(entry["stance"], entry["stance"])
            out.print(
                f"\n[bold]{escape(entry['name'])}[/bold] ({escape(entry['concept'])}): {label}"
            )
            out.print(f"  “{escape(entry['quote'])}” [dim]({entry['start']}–{entry['end']})[/dim]")
            for key, value in _facts(entry["facts"]):
                out.print(f"  [dim]{key}:[/dim] {escape(value)}")


def treatments_cli(
    condition: Annotated[
        str, typer.Argument(help="A condition, e.g. 'osteoporos' or 'benskörhet'.")
    ],
    db: DbOption = None,
    json_output: JsonOption = False,
    csv_output: Annotated[
        bool, typer.Option("--csv", help="Print CSV (one row per source).")
    ] = False,
) -> None:
    """List the treatments the knowledge base knows for a condition, across documents.

    Example: lindra treatments benskörhet --csv
    """
    with errors():
        with Engine.from_settings(settings_for(db)) as engine:
            rows = engine.treatments(condition)
        if json_output:
            print_json({"condition": condition, "treatments": [r.to_json() for r in rows]})
        elif csv_output:
            _write_csv([r.to_json() for r in rows])
        elif not rows:
            out.print(f"Inga behandlingar kända för '{escape(condition)}'.")
        else:
            table = Table("behandling", "evidens", "fakta", "källor", show_lines=True)
            for row in rows:
                sources = "\n".join(
                    f"{STANCE_LABELS.get(s['stance'], s['stance'])}: {s['title']} ({s['doc_id']})"
                    for s in row.sources
                )
                facts = "\n".join(f"{k}: {v}" for k, v in _facts(row.facts))
                label = STANCE_LABELS.get(row.stance, row.stance)
                table.add_row(escape(row.concept), label, escape(facts), escape(sources))
            out.print(table)


def _facts(facts: dict[str, Any]) -> list[tuple[str, str]]:
    shown = []
    for key in (*_KEY_FACTS, "requirements", "side_effects"):
        value = facts.get(key)
        if value in (None, [], ""):
            continue
        shown.append((key, "; ".join(map(str, value)) if isinstance(value, list) else str(value)))
    return shown


def _write_csv(rows: list[dict[str, Any]]) -> None:
    writer = csv.writer(sys.stdout)
    writer.writerow(
        ["concept", "stance", "source_stance", "doc_id", "title", "quote", "start", "end"]
    )
    for row in rows:
        for source in row["sources"]:
            writer.writerow(
                [
                    row["concept"],
                    row["stance"],
                    source["stance"],
                    source["doc_id"],
                    source["title"],
                    source["quote"],
                    source["start"],
                    source["end"],
                ]
            )


def register(app: typer.Typer) -> None:
    app.command("evidence")(evidence_cli)
    app.command("treatments")(treatments_cli)
