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
from lindra.interfaces.render import STANCE_LABELS

__all__ = ["register"]

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
        str | None,
        typer.Argument(help="A condition, e.g. 'osteoporos' or 'benskörhet'; none: list them."),
    ] = None,
    db: DbOption = None,
    json_output: JsonOption = False,
    csv_output: Annotated[
        bool, typer.Option("--csv", help="Print CSV (one row per source).")
    ] = False,
    research: Annotated[
        bool, typer.Option("--research", help="Include research abstracts (left out by default).")
    ] = False,
) -> None:
    """List the treatments the knowledge base knows for a condition, across documents.
    Without a condition, list the conditions and how many treatments each has.

    Example: lindra treatments benskörhet --csv
    """
    if json_output and csv_output:
        raise typer.BadParameter(
            "cannot be combined with --json; choose one format", param_hint="--csv"
        )
    with errors():
        with Engine.from_settings(settings_for(db)) as engine:
            if condition is None:
                _print_conditions(
                    engine.conditions(), json_output=json_output, csv_output=csv_output
                )
                return
            rows = engine.treatments(condition, research=research)
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


def _print_conditions(
    conditions: list[tuple[str, int]], *, json_output: bool, csv_output: bool
) -> None:
    if json_output:
        print_json(
            {"condition": None, "conditions": [{"name": n, "treatments": c} for n, c in conditions]}
        )
    elif csv_output:
        writer = csv.writer(sys.stdout)
        writer.writerow(["condition", "treatments"])
        writer.writerows(conditions)
    elif not conditions:
        out.print("Kunskapsbasen har inga behandlingar ännu. Lägg till sidor med 'lindra ingest'.")
    else:
        table = Table("tillstånd", "behandlingar")
        for name, count in conditions:
            table.add_row(escape(name), str(count))
        out.print(table)
        out.print("Visa behandlingarna för ett tillstånd: lindra treatments <tillstånd>")


# Fact names as editors read them (the JSON keys stay the English contract).
FACT_LABELS = {
    "phase": "fas",
    "onset": "effekt efter",
    "peak": "störst effekt efter",
    "duration": "varaktighet",
    "repeat": "upprepas",
    "first_line": "förstahandsval",
    "access": "så får man den",
    "requirements": "krav",
    "side_effects": "biverkningar",
}
_VALUES = {"True": "ja", "False": "nej", "acute": "akut", "persistent": "långvarig"}


def _facts(facts: dict[str, Any]) -> list[tuple[str, str]]:
    shown = []
    for key in (*_KEY_FACTS, "requirements", "side_effects"):
        value = facts.get(key)
        if value in (None, [], ""):
            continue
        values = value if isinstance(value, list) else [value]
        text = "; ".join(_VALUES.get(str(v), str(v)) for v in values)
        shown.append((FACT_LABELS[key], text))
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
