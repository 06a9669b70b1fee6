"""The command line: every command documented, JSON contracts stable, errors clear."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from lindra.interfaces.cli import app, leave_now
from lindra.interfaces.render import answer_card
from lindra.types import Answer

runner = CliRunner()
DATA = Path(__file__).parents[1] / "data"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("LINDRA_DENSE", "false")
    monkeypatch.setenv("LINDRA_CACHE_DIR", str(tmp_path / "cache"))
    return str(tmp_path / "kb.sqlite")


@pytest.fixture
def filled(db: str) -> str:
    result = runner.invoke(
        app,
        [
            "ingest",
            str(DATA / "osteoporos-smartbehandling.txt"),
            str(DATA / "botox-backenbotten.txt"),
            "--db",
            db,
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    return db


def commands() -> list[str]:
    import typer.main

    group = typer.main.get_group(app)
    return sorted(group.commands)


@pytest.mark.parametrize("command", commands())
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    if command != "eval":
        assert "Example" in result.output or "example" in result.output.casefold()


def test_ingest_json_contract(db: str, tmp_path: Path) -> None:
    bad = tmp_path / "tom.txt"
    bad.write_text("", encoding="utf-8")
    result = runner.invoke(
        app, ["ingest", str(DATA / "botox-backenbotten.txt"), str(bad), "--db", db, "--json"]
    )
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert [set(d) for d in report["documents"]] == [{"id", "source", "status", "error"}] * 2
    first, second = report["documents"]
    assert (first["id"], first["status"], first["error"]) == ("botox-backenbotten", "added", None)
    assert second["status"] == "skipped" and "file is empty" in second["error"]
    again = json.loads(
        runner.invoke(
            app, ["ingest", str(DATA / "botox-backenbotten.txt"), "--db", db, "--json"]
        ).stdout
    )
    assert again["documents"][0]["status"] == "unchanged"


def test_ingest_fails_when_nothing_could_be_ingested(db: str, tmp_path: Path) -> None:
    bad = tmp_path / "bild.txt"
    bad.write_bytes(b"\x00\x01\x02binary")
    result = runner.invoke(app, ["ingest", str(bad), "--db", db])
    assert result.exit_code == 1


def test_missing_path_is_an_error(db: str) -> None:
    result = runner.invoke(app, ["ingest", "/no/such/file.txt", "--db", db])
    assert result.exit_code == 1
    assert "Error: /no/such/file.txt: no such file or folder" in result.output


def test_show_json_contract(filled: str) -> None:
    result = runner.invoke(app, ["show", "botox-backenbotten", "--db", filled, "--json"])
    doc = json.loads(result.stdout)
    assert {"id", "title", "kind", "source", "metadata", "sections", "reader_questions"} <= set(doc)
    assert doc["kind"] == "reader_qa"
    assert all({"heading", "text"} <= set(s) for s in doc["sections"])
    assert len(doc["reader_questions"]) == 2


def test_show_unknown_id(filled: str) -> None:
    result = runner.invoke(app, ["show", "nope", "--db", filled])
    assert result.exit_code == 1
    assert "No document with id 'nope'" in result.output


def test_search_json(filled: str) -> None:
    result = runner.invoke(app, ["search", "värmekudde kotkompression", "--db", filled, "--json"])
    out = json.loads(result.stdout)
    assert out["hits"][0]["doc_id"] == "osteoporos-smartbehandling"
    assert {"doc_id", "passage_id", "score"} <= set(out["hits"][0])


def test_batch_search_keeps_order_ids_and_candidates(filled: str, tmp_path: Path) -> None:
    queries = tmp_path / "q.jsonl"
    queries.write_text(
        json.dumps({"id": 7, "query": "botox bäckenbotten"})
        + "\n"
        + "not json\n"
        + json.dumps({"id": "x", "query": "botox", "candidates": ["osteoporos-smartbehandling"]})
        + "\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["search", "--queries", str(queries), "--top", "5", "--db", filled])
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == [7, None, "x"]
    assert lines[0]["hits"][0]["doc_id"] == "botox-backenbotten"
    assert set(lines[0]["hits"][0]) == {"doc_id", "passage_id", "score"}
    assert "line 2: not valid JSON" in lines[1]["error"]
    assert [h["doc_id"] for h in lines[2]["hits"]] == ["osteoporos-smartbehandling"]


def test_ask_json_contract(filled: str) -> None:
    result = runner.invoke(
        app, ["ask", "Hjälper vertebroplastik på lång sikt?", "--db", filled, "--json"]
    )
    answer = json.loads(result.stdout)
    assert {"question", "found", "emergency", "verdict", "answers", "treatments"} <= set(answer)
    assert answer["found"] is True
    assert set(answer["emergency"]) >= {"triggered", "message"}
    first = answer["answers"][0]
    assert {"text", "doc_id", "passage_id", "start", "end", "title", "section", "source"} <= set(
        first
    )
    # The kind of source each quote comes from (the sample page is patient information).
    assert (first["genre"], first["claim"]) == ("patient_info", False)
    assert all(s["genre"] == "patient_info" for s in answer["verdict"]["sources"])
    assert answer["verdict"]["stance"] == "no_effect"
    assert {"text", "stance", "treatment", "condition", "sources"} <= set(answer["verdict"])
    # Graded for the asked condition: nothing from other conditions.
    assert (answer["verdict"]["elsewhere"], answer["verdict"]["elsewhere_title"]) == ([], "")


def test_ask_lists_what_the_sources_say_of_each_treatment(filled: str) -> None:
    result = runner.invoke(
        app, ["ask", "vad kan jag göra mot smärtan vid benskörhet", "--db", filled]
    )
    assert result.exit_code == 0, result.output
    assert "Behandlingar som källorna nämner" in result.stdout
    assert "värmebehandling: inte dokumenterad" in result.stdout
    # The disease's table, not the symptom's: no pelvic-floor botox for osteoporosis.
    assert "botulinumtoxin" not in result.stdout


def test_a_found_nothing_card_still_lists_the_named_conditions_treatments() -> None:
    row = {"concept": "bassängträning", "stance": "undocumented", "sources": [], "facts": {}}
    answer = Answer(
        "min mamma har benskörhet, vad kan hon göra",
        False,
        (),
        "Hittade inget.",
        treatments=(row,),
    )
    console = Console(file=io.StringIO(), width=100)
    answer_card(console, answer)
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert "Hittade inget." in text
    assert "bassängträning: inte dokumenterad" in text


def test_ask_emergency_card_is_whole_and_alone(filled: str) -> None:
    result = runner.invoke(
        app, ["ask", "min pappa sjönk plötsligt ihop och svarar inte", "--db", filled]
    )
    text = " ".join(result.stdout.replace("│", " ").split())
    # The whole message, wrapped inside its panel rather than cut at the edge.
    assert "Ring 112 nu." in text and "Vänta inte på svar här." in text
    # Issue 13: nothing about "found nothing" below the banner.
    assert "Kunskapsbasen har inget" not in text and "Hittade inget" not in text


def test_ask_jsonl_batch(filled: str, tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text(
        "\n".join(
            json.dumps({"id": i, "question": q})
            for i, q in [(1, "Hur länge håller botox?"), (2, "Hur byter man däck på en cykel?")]
        )
        + "\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["ask", "--jsonl", str(path), "--db", filled])
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(line["id"], line["found"]) for line in lines] == [(1, True), (2, False)]


def test_evidence_and_treatments(filled: str) -> None:
    result = runner.invoke(app, ["evidence", "botox-backenbotten", "--db", filled, "--json"])
    evidence = json.loads(result.stdout)
    assert evidence["doc_id"] == "botox-backenbotten"
    entry = evidence["treatments"][0]
    assert {
        "name",
        "concept",
        "condition",
        "stance",
        "quote",
        "start",
        "end",
        "facts",
        "mentions",
    } <= set(entry)
    assert {
        "phase",
        "onset",
        "peak",
        "duration",
        "repeat",
        "side_effects",
        "requirements",
        "access",
        "first_line",
    } <= set(entry["facts"])
    result = runner.invoke(app, ["treatments", "benskörhet", "--db", filled, "--json"])
    rows = json.loads(result.stdout)["treatments"]
    assert {"vertebroplastik", "bassängträning"} <= {r["concept"] for r in rows}
    csv_out = runner.invoke(app, ["treatments", "osteoporos", "--db", filled, "--csv"]).stdout
    assert csv_out.splitlines()[0].startswith("concept,stance")


def test_stats_table_is_swedish(filled: str) -> None:
    shown = runner.invoke(app, ["stats", "--db", filled]).stdout
    assert "dokument" in shown and "läsarfråga" in shown
    assert "{" not in shown and "documents" not in shown  # no Python dict, no JSON keys


def test_stats_json(filled: str) -> None:
    stats = json.loads(runner.invoke(app, ["stats", "--db", filled, "--json"]).stdout)
    assert stats["documents"] == 2 and stats["passages"] > 10


def test_commands_without_a_base_say_what_to_do(db: str) -> None:
    result = runner.invoke(app, ["search", "botox", "--db", db])
    assert result.exit_code == 1
    assert "Run 'lindra ingest <path>' first" in result.output


def test_analyze_shows_every_stage(db: str) -> None:
    result = runner.invoke(app, ["analyze", "ont i backenbotten", "--json", "--db", db])
    stages = [s["stage"] for s in json.loads(result.stdout)["stages"]]
    assert stages[:3] == ["tokens", "normalised", "hyphen"]
    assert "split" in stages and "stemmed" in stages and "synonyms" in stages


def test_analyze_shows_how_ask_reads_the_question(db: str) -> None:
    result = runner.invoke(app, ["analyze", "hur lange haller botox", "--json", "--db", db])
    reading = json.loads(result.stdout)["reading"]
    assert (reading["intent"], reading["fact"]) == ("practical", "duration")
    assert reading["treatments"] == ["botulinum_toxin"]


def test_serve_keeps_questions_out_of_the_log_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    from lindra.interfaces import cli_serve

    calls: list[dict[str, object]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: calls.append(kw))
    monkeypatch.setattr(
        cli_serve, "open_store", lambda db: type("S", (), {"close": lambda s: None})()
    )
    monkeypatch.delenv("LINDRA_LOG_QUERIES", raising=False)
    monkeypatch.setenv("LINDRA_DB", ":memory:")  # --workers writes it; restored after
    cli_serve.serve_cli(db=":memory:")
    monkeypatch.setenv("LINDRA_LOG_QUERIES", "true")
    cli_serve.serve_cli(db=":memory:", workers=2)
    assert [c["access_log"] for c in calls] == [False, True]


def test_treatments_without_a_condition_lists_conditions(tmp_path: Path) -> None:
    db = str(tmp_path / "kb.sqlite")
    data = Path(__file__).parents[1] / "data"
    runner.invoke(app, ["ingest", str(data / "osteoporos-smartbehandling.txt"), "--db", db])
    listed = runner.invoke(app, ["treatments", "--db", db, "--json"])
    assert listed.exit_code == 0, listed.output
    conditions = json.loads(listed.stdout)["conditions"]
    assert conditions and all(c["treatments"] >= 1 for c in conditions)
    table = runner.invoke(app, ["treatments", "--db", db])
    assert "tillstånd" in table.stdout and "behandlingar" in table.stdout


def test_json_and_csv_together_are_refused(tmp_path: Path) -> None:
    result = runner.invoke(app, ["treatments", "rygg", "--json", "--csv"])
    assert result.exit_code == 2
    assert "cannot be combined with --json" in result.output


def run_lindra(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m lindra`` in a new process (the installed script's own exit path)."""
    return subprocess.run(
        [sys.executable, "-m", "lindra", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_read_only_command_prints_everything_before_it_leaves(filled: str) -> None:
    done = run_lindra("search", "--db", filled, "--json", "--top", "50", "värmekudde")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["hits"]
    assert done.stderr == ""


def test_a_read_only_command_that_fails_still_says_why(tmp_path: Path) -> None:
    done = run_lindra("search", "--db", str(tmp_path / "saknas.sqlite"), "botox")
    assert done.returncode == 1
    assert "No knowledge base" in done.stderr


def test_leaving_survives_a_reader_that_left_early(monkeypatch: pytest.MonkeyPatch) -> None:
    class ClosedPipe(io.StringIO):
        def flush(self) -> None:
            raise BrokenPipeError(32, "Broken pipe")  # as after `| head -1`

    codes: list[int] = []
    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    monkeypatch.setattr(os, "_exit", codes.append)
    leave_now(0)
    leave_now("Error: something")
    assert codes == [0, 1]
