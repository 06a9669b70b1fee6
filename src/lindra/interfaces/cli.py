"""The ``lindra`` command line: thin commands over :class:`lindra.Engine`.

Each ``<verb>_cli`` parses arguments, calls one library function and formats
the result. Library errors are printed as ``Error: <message>`` with exit code 1.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Annotated, NoReturn

import typer
from rich.markup import escape

from lindra.engine import Engine
from lindra.errors import IngestError
from lindra.interfaces import (
    cli_editors,
    cli_knowledge,
    cli_serve,
    cli_tag,
    cli_verdict,
    render,
)
from lindra.interfaces.cli_common import (
    CliError,
    DbOption,
    JsonOption,
    ThesaurusOption,
    err,
    errors,
    out,
    print_json,
    settings_for,
)
from lindra.interfaces.schemas import AnswerOut, DocumentOut, IngestReport
from lindra.store.check import check_store
from lindra.store.open import open_store
from lindra.types import IngestOutcome

__all__ = ["app", "main"]

app = typer.Typer(
    help="lindra: Swedish patient information as an evidence-graded, searchable knowledge base.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
eval_app = typer.Typer(help="Measure lindra on evaluation data.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")

COMMAND_MODULES: tuple[ModuleType, ...] = (
    cli_editors,
    cli_knowledge,
    cli_serve,
    cli_tag,
    cli_verdict,
)


# CPU priority of `lindra ingest` (0 = normal, 19 = lowest).
INGEST_NICENESS = 10


@app.command("ingest")
def ingest_cli(
    paths: Annotated[
        list[Path], typer.Argument(help="Files or folders (.txt, .html/.htm, .md, .jsonl).")
    ],
    db: DbOption = None,
    thesaurus: ThesaurusOption = None,
    json_output: JsonOption = False,
    any_language: Annotated[
        bool, typer.Option("--any-language", help="Ingest text that does not look Swedish.")
    ] = False,
    follow_symlinks: Annotated[
        bool,
        typer.Option(
            "--follow-symlinks", help="Read links in a folder that point outside it (off: refused)."
        ),
    ] = False,
    nice: Annotated[
        bool,
        typer.Option(
            "--nice/--no-nice",
            help="Run at lower CPU priority, so that a server on the same machine stays "
            "responsive (benchmarks/loadtest.py).",
        ),
    ] = True,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            max=64,
            help="Processes that analyse documents (default: one per core when the "
            "inputs pass 1 MB, else 1).",
        ),
    ] = None,
    embed: Annotated[
        bool,
        typer.Option(
            "--embed/--no-embed",
            help="Embed passages now (dense retrieval), or write them for lexical search "
            "at once and add the vectors later with `lindra embed`.",
        ),
    ] = True,
) -> None:
    """Ingest documents into the knowledge base.

    Example: lindra ingest samples/ articles.jsonl --json

    Exit code 0 when at least one document is in the base afterwards (added,
    replaced or unchanged), 1 when every input failed.
    """
    if nice and hasattr(os, "nice") and os.nice(0) < INGEST_NICENESS:
        # A bulk ingest is background work: on an idle machine this costs nothing;
        # beside `lindra serve` it keeps p99 latency within 2x (instead of about 3x).
        os.nice(INGEST_NICENESS - os.nice(0))
    with errors():
        settings = settings_for(db, thesaurus=thesaurus)
        if follow_symlinks:
            settings = settings.model_copy(update={"follow_symlinks": True})
        with Engine.from_settings(settings, create=True) as engine:
            files = engine.discover(paths)
            processes = workers or _default_workers(files)
            outcomes = _ingest_with_progress(
                engine, files, any_language, quiet=json_output, workers=processes, embed=embed
            )
            if any(o.status in ("added", "replaced") for o in outcomes):
                engine.searcher.snapshot()  # saved, so that the next search starts at once
        if json_output:
            print_json(IngestReport.of(outcomes).model_dump())
        else:
            render.ingest_summary(out, outcomes)
        if outcomes and all(o.status == "skipped" for o in outcomes):
            raise typer.Exit(1)


# Inputs below this size are ingested in this process: starting workers costs ~2 s.
PARALLEL_INGEST_BYTES = 1_000_000


def _default_workers(files: Sequence[Path | IngestError]) -> int:
    size = sum(f.stat().st_size for f in files if isinstance(f, Path))
    return max(1, os.cpu_count() or 1) if size > PARALLEL_INGEST_BYTES else 1


def _ingest_with_progress(
    engine: Engine,
    files: Sequence[Path | IngestError],
    any_language: bool,
    *,
    quiet: bool,
    workers: int = 1,
    embed: bool = True,
) -> list[IngestOutcome]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    outcomes: list[IngestOutcome] = []
    with Progress(
        TextColumn("[bold]Läser in"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=err,
        transient=True,
        disable=quiet,
    ) as progress:
        task = progress.add_task("", total=len(files))
        current = ""

        def next_file(path: str) -> None:
            nonlocal current
            if current:
                progress.advance(task)
            current = Path(path).name
            progress.update(task, description=current)

        for outcome in engine.ingest_files(
            files, any_language=any_language, on_file=next_file, workers=workers, embed=embed
        ):
            if outcome.error:
                err.print(f"Varning: {outcome.error}", markup=False)
            outcomes.append(outcome)
            # A JSONL file of many records: show the records as they go.
            progress.update(task, description=f"{current}: {len(outcomes)} dokument")
        progress.update(task, completed=len(files))
    return outcomes


@app.command("embed")
def embed_cli(
    db: DbOption = None,
    json_output: JsonOption = False,
    sentences: Annotated[
        bool,
        typer.Option(
            "--sentences",
            help="Also embed every sentence an answer may quote, into the embedding cache, "
            "so that the first questions do not wait for them.",
        ),
    ] = False,
) -> None:
    """Add passage vectors that `lindra ingest --no-embed` left out (dense retrieval).

    Example: lindra ingest archive/ --no-embed && lindra embed --sentences
    """
    from rich.progress import MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with errors():
        threads = os.cpu_count() or 1
        with Engine.from_settings(settings_for(db), embedding_threads=threads) as engine:
            with Progress(
                TextColumn("[bold]{task.description}"),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=err,
                transient=True,
                disable=json_output,
            ) as progress:
                task = progress.add_task("Bäddar in stycken", total=None)
                added = engine.embed_missing(lambda n: progress.advance(task, n))
                read = 0
                if sentences:
                    progress.update(task, description="Bäddar in meningar", completed=0)
                    read = engine.embed_sentences(lambda n: progress.advance(task, n))
            engine.searcher.snapshot()
        if json_output:
            print_json({"embedded": added} | ({"sentences": read} if sentences else {}))
        else:
            out.print(f"{added} stycken fick vektorer.")
            if sentences:
                out.print(f"{read} meningar har vektorer i cachen.")


@app.command("search")
def search_cli(
    query: Annotated[str | None, typer.Argument(help="Words or a question.")] = None,
    queries: Annotated[
        Path | None,
        typer.Option("--queries", help='Batch: JSONL lines {"id", "query", "candidates"?}.'),
    ] = None,
    top: Annotated[int, typer.Option("--top", min=1, max=1000, help="Hits per query.")] = 10,
    db: DbOption = None,
    thesaurus: ThesaurusOption = None,
    json_output: JsonOption = False,
) -> None:
    """Search passages; documents are ranked by their best passage.

    Example: lindra search "värmekudde kotkompression" --top 5
    Batch:   lindra search --queries queries.jsonl --top 10 --json
    """
    with errors():
        if (query is None) == (queries is None):
            raise CliError("Give either a QUERY or --queries FILE (not both).")
        settings = settings_for(db, thesaurus=thesaurus)
        with Engine.from_settings(settings) as engine:
            if queries is not None:
                for line in render.batch_search(engine, queries, top):
                    print_json(line)
                return
            assert query is not None
            result = render.search_result(engine, query, top)
            if json_output:
                print_json(result.model_dump())
            else:
                render.search_table(out, result)


@app.command("ask")
def ask_cli(
    question: Annotated[str | None, typer.Argument(help="A question in Swedish.")] = None,
    jsonl: Annotated[
        Path | None, typer.Option("--jsonl", help='Batch: JSONL lines {"id", "question"}.')
    ] = None,
    db: DbOption = None,
    thesaurus: ThesaurusOption = None,
    json_output: JsonOption = False,
) -> None:
    """Answer a question with sentences quoted from the knowledge base.

    Example: lindra ask "Hjälper akupunktur mot smärta vid benskörhet?"
    """
    with errors():
        if (question is None) == (jsonl is None):
            raise CliError("Give either a QUESTION or --jsonl FILE (not both).")
        settings = settings_for(db, thesaurus=thesaurus)
        with Engine.from_settings(settings) as engine:
            if jsonl is not None:
                for line in render.batch_ask(engine, jsonl):
                    print_json(line)
                return
            assert question is not None
            answer = engine.ask(question)
            if json_output:
                print_json(AnswerOut.of(answer).model_dump())
            else:
                render.answer_card(out, answer)


@app.command("show")
def show_cli(
    doc_id: Annotated[str, typer.Argument(help="Document id (see 'lindra ingest' output).")],
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Show a cleaned document with its sections, reader questions and provenance.

    Example: lindra show osteoporos-smartbehandling --json
    """
    with errors():
        with Engine.from_settings(settings_for(db)) as engine:
            document = engine.document(doc_id)
        if json_output:
            print_json(DocumentOut.of(document).model_dump())
        else:
            render.document(out, document)


@app.command("stats")
def stats_cli(db: DbOption = None, json_output: JsonOption = False) -> None:
    """Count documents, sections, passages and the index size.

    Example: lindra stats --json
    """
    with errors():
        with Engine.from_settings(settings_for(db)) as engine:
            stats = render.stats(engine)
        if json_output:
            print_json(stats)
        else:
            render.stats_table(out, stats)


@app.command("check")
def check_cli(db: DbOption = None, json_output: JsonOption = False) -> None:
    """Check that the knowledge base holds together: every document with its passages,
    index rows and evidence, nothing pointing at a missing document. Exit 1 if not.

    Example: lindra check --json
    """
    with errors():
        store = open_store(settings_for(db).db)
        try:
            report = check_store(store)
        finally:
            store.close()
    body = {
        "ok": report.ok,
        "documents": report.documents,
        "passages": report.passages,
        "index_rows": report.index_rows,
        "treatments": report.treatments,
        "problems": report.problems,
    }
    if json_output:
        print_json(body)
    else:
        for problem in report.problems:
            out.print(f"Fel: {escape(problem)}")
        out.print(
            f"{report.documents} dokument, {report.passages} avsnitt, {report.index_rows} "
            f"indexrader, {report.treatments} behandlingar: "
            + ("allt hänger ihop." if report.ok else f"{len(report.problems)} fel.")
        )
    if not report.ok:
        raise typer.Exit(1)


@app.command("analyze")
def analyze_cli(
    text: Annotated[str, typer.Argument(help="Swedish text or a question.")],
    index: Annotated[
        bool, typer.Option("--index", help="Show the analysis used for indexing, not for queries.")
    ] = False,
    db: DbOption = None,
    thesaurus: ThesaurusOption = None,
    json_output: JsonOption = False,
) -> None:
    """Show the token stream after each analysis stage, so you can see why something matched.

    Example: lindra analyze "ont i backenbotten efter botox"

    Stages: tokens → normalised → hyphen → stop words → stemmed → variants →
    synonyms (queries) → spelling (queries, when a knowledge base exists).
    """
    with errors():
        settings = settings_for(db, thesaurus=thesaurus)
        trace = render.analysis(settings, text, query=not index)
        reading = render.question_reading(settings, text)
        if json_output:
            print_json({"text": text, "stages": trace, "reading": reading})
        else:
            render.analysis_table(out, trace)
            out.print(
                "Tolkning: "
                + ", ".join(f"{key}={escape(str(value))}" for key, value in reading.items())
            )


@app.command("demo")
def demo_cli(
    db: DbOption = None,
    thesaurus: ThesaurusOption = None,
    questions: Annotated[
        bool, typer.Option("--questions/--no-questions", help="Answer three sample questions.")
    ] = True,
) -> None:
    """Build the bundled demo knowledge base (sample pages, PubMedQA-sv, SweFAQ answers).

    Example: lindra demo --db demo.sqlite
    """
    with errors():
        settings = settings_for(db, thesaurus=thesaurus)
        with Engine.from_settings(settings, create=True) as engine:
            files = render.demo_files()
            outcomes = _ingest_with_progress(engine, files, False, quiet=False)
            render.ingest_summary(out, outcomes, brief=True)
            out.print(f"Kunskapsbasen finns i {settings.db}")
            if questions:
                for sample in render.DEMO_QUESTIONS:
                    out.rule(sample)
                    render.answer_card(out, engine.ask(sample))


@eval_app.command("retrieval")
def eval_retrieval_cli(
    queries: Annotated[
        Path, typer.Option("--queries", help="Queries JSONL (PubMedQA-sv dev or SweFAQ).")
    ],
    corpus: Annotated[
        Path | None, typer.Option("--corpus", help="Corpus JSONL; not needed for SweFAQ files.")
    ] = None,
    top: Annotated[int, typer.Option("--top", min=10, max=1000)] = 10,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Ingest a corpus into a temporary base, run the queries and print nDCG@10, MRR@10, R@1, R@10.

    Example: lindra eval retrieval --corpus pubmedqa_sv/corpus.jsonl --queries pubmedqa_sv/dev.jsonl
    """
    from lindra.evaluation.retrieval import evaluate_files  # statistics: not for other commands

    with errors():
        settings_for(None)
        results = evaluate_files(queries, corpus, top=top, db=db)
        if json_output:
            print_json(results)
        else:
            render.metrics_table(out, results)


# Command groups that live in their own modules register themselves here.
for _module in COMMAND_MODULES:
    _module.register(app)


# Commands that only read: once one has printed, the process has nothing left to
# write or close, and the interpreter's teardown would only free the index's
# objects one by one (0.15–0.3 s on a base of 100,000 documents).
READ_ONLY_COMMANDS = frozenset(
    {"search", "ask", "show", "stats", "check", "analyze", "route", "gaps"}
    | {"evidence", "treatments", "tag", "verdict"}
)


def main() -> None:
    """Entry point of the ``lindra`` script."""
    try:
        app()
    except SystemExit as done:
        if sys.argv[1:2] and sys.argv[1] in READ_ONLY_COMMANDS:
            leave_now(done.code)
        raise


def leave_now(code: object) -> NoReturn:
    """Exit with *code* as :func:`sys.exit` would, without the interpreter's teardown."""
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except OSError:  # a reader that left early (`lindra search ... | head -1`)
            pass
    os._exit(code or 0)
