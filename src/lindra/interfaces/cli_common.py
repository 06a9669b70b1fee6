"""Pieces shared by the command modules: consoles, common options, error handling."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from rich.console import Console

from lindra.config import Settings, load_settings
from lindra.errors import LindraError

__all__ = [
    "DbOption",
    "JsonOption",
    "CliError",
    "err",
    "errors",
    "out",
    "print_json",
    "settings_for",
]

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db", help="SQLite file or postgresql:// URL (default: LINDRA_DB or the user data dir)."
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
ThesaurusOption = Annotated[
    str | None,
    typer.Option(
        "--thesaurus",
        help="Extra thesaurus TSV merged over the packaged one (see docs/thesaurus.md).",
    ),
]


class CliError(Exception):
    """A usage problem found after argument parsing (printed like library errors)."""


@contextmanager
def errors() -> Iterator[None]:
    """Print library and usage errors as ``Error: <message>`` and exit with code 1."""
    try:
        yield
    except (LindraError, CliError) as exc:
        err.print(f"Error: {exc}", markup=False)
        raise typer.Exit(1) from exc


def settings_for(db: str | None, **overrides: Any) -> Settings:
    """Settings from config, environment and the command's options; sets up logging."""
    settings = load_settings(db=db, **overrides)
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(levelname)s %(name)s: %(message)s"
    )
    return settings


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False) + "\n")
