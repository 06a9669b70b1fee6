"""``lindra route`` and ``lindra gaps``: tools for health-information editors."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from lindra.engine import Engine
from lindra.errors import QueryError
from lindra.interfaces.cli_common import DbOption, JsonOption, errors, out, print_json, settings_for
from lindra.search.batch import read_batch

__all__ = ["register"]


def route_cli(
    question: Annotated[str, typer.Argument(help="A question in Swedish.")],
    top: Annotated[int, typer.Option("--top", min=1, max=100)] = 10,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """List the documents that answer a question, best first.

    Example: lindra route "Hur länge håller botox?"
    """
    with errors():
        with Engine.from_settings(settings_for(db)) as engine:
            hits = engine.route(question, top)
        if json_output:
            print_json({"question": question, "documents": [asdict(h) for h in hits]})
        elif not hits:
            out.print("Inget dokument svarar på frågan.")
        else:
            table = Table("relevans", "dokument", "avsnitt", "källa")
            for hit in hits:
                table.add_row(
                    f"{hit.relevance:.2f}",
                    f"{escape(hit.title)}\n[dim]{escape(hit.doc_id)}[/dim]",
                    escape(hit.section),
                    escape(hit.source),
                )
            out.print(table)


def gaps_cli(
    questions: Annotated[Path, typer.Argument(help='JSONL lines {"id", "question"}.')],
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """List the questions the knowledge base cannot answer, grouped by topic.

    Example: lindra gaps reader-questions.jsonl --json
    """
    with errors():
        items = []
        for item in read_batch(questions, text_keys=("question", "query")):
            if isinstance(item, QueryError):
                raise item
            items.append((item.id, item.text))
        with Engine.from_settings(settings_for(db)) as engine:
            groups = engine.gaps(items)
        if json_output:
            print_json(
                {
                    "questions": len(items),
                    "unanswered": sum(len(g.questions) for g in groups),
                    "topics": [g.to_json() for g in groups],
                }
            )
            return
        if not groups:
            out.print(f"Alla {len(items)} frågor har svar i kunskapsbasen.")
        for group in groups:
            out.print(f"\n[bold]{escape(group.topic)}[/bold] ({len(group.questions)})")
            for q in group.questions:
                out.print(f"  • {escape(q['question'])} [dim](id {q['id']})[/dim]")


def register(app: typer.Typer) -> None:
    app.command("route")(route_cli)
    app.command("gaps")(gaps_cli)
