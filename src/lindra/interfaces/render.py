"""Formatting of results for the terminal, and the JSON lines of batch commands."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from lindra.config import Settings
from lindra.engine import Engine
from lindra.errors import QueryError, StoreError
from lindra.ingest.sanitize import clean_text
from lindra.interfaces.schemas import AnswerOut, SearchHitOut, SearchOut
from lindra.language.swedish import default_accent_restorer, default_analyzer, default_thesaurus
from lindra.search.batch import read_batch
from lindra.types import Answer, Document, IngestOutcome

# The evidence stances in the terminal's Swedish.
STANCE_LABELS = {
    "proven_effect": "vetenskapligt stöd",
    "some_support": "visst stöd",
    "mixed": "källorna går isär",
    "no_effect": "ingen effekt visad",
    "undocumented": "inte dokumenterad",
    "not_stated": "inget sagt om effekt",
}
DEMO_QUESTIONS = (
    "Hjälper vertebroplastik på lång sikt?",
    "Hur länge håller botox i bäckenbotten?",
    "Hjälper akupunktur mot smärta vid benskörhet?",
)


def demo_files() -> list[Path]:
    root = Path(str(resources.files("lindra") / "demo"))
    return sorted((root / "samples").glob("*.txt")) + sorted(root.glob("*.jsonl"))


# Ingest outcomes as editors read them (``--json`` keeps the English statuses).
STATUS_LABELS = {
    "added": "tillagda",
    "unchanged": "oförändrade",
    "replaced": "ersatta",
    "skipped": "överhoppade",
}


def ingest_summary(console: Console, outcomes: list[IngestOutcome], *, brief: bool = False) -> None:
    counts: dict[str, int] = {}
    for o in outcomes:
        counts[o.status] = counts.get(o.status, 0) + 1
    if not brief and len(outcomes) <= 50:
        table = Table("status", "id", "källa", "varför")
        for o in outcomes:
            table.add_row(STATUS_LABELS[o.status], o.id, o.source, o.error or "")
        console.print(table)
    console.print(
        ", ".join(f"{n} {STATUS_LABELS[status]}" for status, n in sorted(counts.items()))
        or "inget att läsa in"
    )


def search_result(engine: Engine, query: str, top: int) -> SearchOut:
    hits = engine.search(query, top)
    passages = engine.store.passages([h.passage_id for h in hits])
    titles: dict[str, tuple[str, str]] = {}
    out = []
    for hit in hits:
        passage = passages.get(hit.passage_id)
        if passage is None:
            continue  # replaced or deleted by another process since the search
        if hit.doc_id not in titles:
            summary = engine.store.summary(hit.doc_id)
            titles[hit.doc_id] = (summary.title, summary.source) if summary else ("", "")
        title, source = titles[hit.doc_id]
        out.append(
            SearchHitOut(
                doc_id=hit.doc_id,
                passage_id=hit.passage_id,
                score=round(hit.score, 4),
                title=title,
                section=passage.section,
                source=source,
                text=passage.text,
                start=passage.start,
                end=passage.end,
            )
        )
    return SearchOut(query=query, hits=out)


def search_table(console: Console, result: SearchOut) -> None:
    if not result.hits:
        console.print("Inga träffar.")
        return
    table = Table("#", "score", "document", "section", "passage", show_lines=True)
    for rank, hit in enumerate(result.hits, start=1):
        snippet = " ".join((hit.text or "").split())
        table.add_row(
            str(rank),
            f"{hit.score:.2f}",
            f"{escape(hit.title or '')}\n[dim]{escape(hit.doc_id)}[/dim]",
            escape(hit.section or ""),
            escape(snippet[:240] + ("…" if len(snippet) > 240 else "")),
        )
    console.print(table)


def batch_search(engine: Engine, path: Path, top: int) -> Iterator[dict[str, Any]]:
    """One output object per input line, in input order; a bad line gets an ``error``."""
    for item in read_batch(path):
        if isinstance(item, QueryError):
            yield {"id": None, "hits": [], "error": str(item)}
            continue
        try:
            hits = engine.search(item.text, top, item.candidates)
        except QueryError as exc:
            yield {"id": item.id, "hits": [], "error": str(exc)}
            continue
        yield {
            "id": item.id,
            "hits": [
                {"doc_id": h.doc_id, "passage_id": h.passage_id, "score": round(h.score, 4)}
                for h in hits
            ],
        }


def batch_ask(engine: Engine, path: Path) -> Iterator[dict[str, Any]]:
    for item in read_batch(path, text_keys=("question", "query")):
        if isinstance(item, QueryError):
            yield {"id": None, "error": str(item)}
            continue
        try:
            yield {"id": item.id, **AnswerOut.of(engine.ask(item.text)).model_dump()}
        except QueryError as exc:
            yield {"id": item.id, "error": str(exc)}


def answer_card(console: Console, answer: Answer) -> None:
    if answer.emergency.triggered:
        # The console soft-wraps (long lines stay whole for copying); a panel must
        # wrap, or the message would be cut at the edge of the terminal.
        console.print(
            Panel(escape(answer.emergency.message), style="bold white on red"), soft_wrap=False
        )
    if answer.verdict is not None:
        console.print(f"[bold]{escape(answer.verdict.text)}[/bold]")
        if answer.verdict.elsewhere:
            console.print(escape(answer.verdict.elsewhere_title))
            for other in answer.verdict.elsewhere:
                titles = ", ".join(dict.fromkeys(c.title or c.doc_id for c in other.sources))
                console.print(f"  {escape(other.text)} [dim]({escape(titles)})[/dim]")
    if not answer.found:
        if answer.emergency.triggered:  # under "Ring 112", a "found nothing" only distracts
            return
        console.print(escape(answer.note or "Hittade inget."))
    for citation in answer.answers:  # none when nothing was found
        console.print(f"“{escape(citation.text)}”")
        console.print(
            f"  [dim]— {escape(citation.title)} › {escape(citation.section)} "
            f"({escape(citation.source)}, {citation.doc_id} {citation.start}–{citation.end})[/dim]"
        )
    if answer.treatments:
        # "vad kan jag göra mot smärtan vid benskörhet": what the sources say of each
        # treatment for the named condition, also when no passage answers the words.
        console.print("\n[bold]Behandlingar som källorna nämner[/bold]")
        for row in answer.treatments:
            label = STANCE_LABELS.get(row["stance"], row["stance"])
            console.print(f"  {escape(row['concept'])}: {label}")


def document(console: Console, doc: Document) -> None:
    console.print(f"[bold]{escape(doc.title)}[/bold]  [dim]{doc.kind} · {escape(doc.source)}[/dim]")
    for question in doc.reader_questions:
        console.print(Panel(escape(question.text), title="Läsarfråga"), soft_wrap=False)
    for section in doc.sections:
        if section.heading:
            console.print(f"\n[bold]{escape(section.heading)}[/bold]")
        for block in section.blocks:
            prefix = "• " if block.kind == "list_item" else ""
            console.print(prefix + escape(" ".join(block.text.split())))
    if doc.metadata:
        console.print(f"\n[dim]metadata: {escape(str(doc.metadata))}[/dim]")


def stats(engine: Engine) -> dict[str, Any]:
    s = engine.store.stats()
    index = engine.searcher.index()
    return {
        "location": engine.store.location,
        "documents": s.documents,
        "kinds": s.kinds,
        "sections": s.sections,
        "passages": s.passages,
        "reader_questions": s.reader_questions,
        "treatments": s.treatments,
        "store_bytes": s.size_bytes,
        "index_terms": index.vocabulary_size(),
        "index_bytes": index.memory_bytes(),
    }


# Swedish labels of `lindra stats` (the JSON keys stay the English contract).
STATS_LABELS = {
    "location": "kunskapsbas",
    "documents": "dokument",
    "kinds": "slag",
    "sections": "avsnitt",
    "passages": "stycken",
    "reader_questions": "läsarfrågor",
    "treatments": "behandlingsomnämnanden",
    "store_bytes": "lagring",
    "index_terms": "ord i indexet",
    "index_bytes": "indexets storlek i minnet",
}
KIND_LABELS = {
    "article": "artikel",
    "reader_qa": "läsarfråga",
    "faq": "frågor och svar",
    "abstract": "forskningssammanfattning",
}


def stats_table(console: Console, values: dict[str, Any]) -> None:
    table = Table("", "", show_header=False)
    for key, value in values.items():
        if key == "kinds":
            shown = ", ".join(f"{KIND_LABELS.get(k, k)} {n}" for k, n in value.items())
        elif key.endswith("_bytes"):
            shown = f"{value / 1_000_000:.1f} MB"
        else:
            shown = str(value)
        table.add_row(STATS_LABELS.get(key, key), shown)
    console.print(table)


def metrics_table(console: Console, results: dict[str, dict[str, float]]) -> None:
    table = Table("uppgift", "frågor", "nDCG@10", "MRR@10", "R@1", "R@10")
    for task, m in results.items():
        table.add_row(
            task,
            str(int(m["queries"])),
            f"{m['ndcg@10']:.3f}",
            f"{m['mrr@10']:.3f}",
            f"{m['recall@1']:.3f}",
            f"{m['recall@10']:.3f}",
        )
    console.print(table)


def analysis(settings: Settings, text: str, *, query: bool) -> list[dict[str, Any]]:
    """Each analysis stage as ``{"stage", "tokens": [{"term", "text", "origin", "weight"}]}``."""
    thesaurus = default_thesaurus(Path(settings.thesaurus) if settings.thesaurus else None)
    analyzer = default_analyzer(thesaurus)
    stages: list[dict[str, Any]] = [
        {
            "stage": step.stage,
            "tokens": [
                {"term": t.term, "text": t.text, "origin": t.origin, "weight": round(t.weight, 3)}
                for t in step.tokens
            ],
        }
        for step in analyzer.trace(text, query=query)
    ]
    if query:
        try:
            with Engine.from_settings(settings) as engine:
                weights = engine.searcher.query_terms(text)
        except StoreError:  # no (usable) knowledge base: show the analysis without spelling
            return stages
        before = {t["term"] for t in stages[-1]["tokens"]}
        stages.append(
            {
                "stage": "spelling",
                "tokens": [
                    {"term": term, "text": "", "origin": "spelling", "weight": round(weight, 3)}
                    for term, weight in weights.items()
                    if term not in before
                ],
            }
        )
    return stages


def question_reading(settings: Settings, text: str) -> dict[str, Any]:
    """How ``ask`` would read *text* (``reading`` of ``ask --json``), without a base."""
    from lindra.answer.emergency import EmergencyDetector  # not on the search path
    from lindra.answer.reading import read_mentions
    from lindra.knowledge.defaults import default_mention_finder

    thesaurus = default_thesaurus(Path(settings.thesaurus) if settings.thesaurus else None)
    finder = default_mention_finder(thesaurus, default_analyzer(thesaurus).tokenizer)
    question = default_accent_restorer().restore(clean_text(text))
    emergency = EmergencyDetector.default().detect(question)
    return read_mentions(
        question, finder, finder.find(question, question=True), emergency
    ).to_json()


def analysis_table(console: Console, stages: list[dict[str, Any]]) -> None:
    table = Table("stage", "tokens", show_lines=True)
    for stage in stages:
        shown = []
        for token in stage["tokens"]:
            label = token["term"]
            if token["origin"] not in ("text",):
                label += f" [dim]({token['origin']}"
                label += f" ×{token['weight']})[/dim]" if token["weight"] != 1 else ")[/dim]"
            shown.append(label)
        table.add_row(stage["stage"], "  ".join(shown) or "[dim]—[/dim]")
    console.print(table)
