"""Index snapshots saved per store generation and read back by the next process."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pytest

from lindra import Engine, Settings
from lindra.errors import StoreError
from lindra.search.bm25 import Bm25Index
from lindra.search.snapshot_files import (
    SnapshotShelf,
    fetch_snapshot,
    load_snapshot,
    publish_snapshot,
    save_snapshot,
)
from lindra.search.word_analyses import WordAnalyses
from lindra.store.base import IndexRow
from tests.conftest import settings_for_tests
from tests.store.conftest import fresh_schema, require_postgres


def _engine(db: Path) -> Engine:
    return Engine.from_settings(settings_for_tests(db), create=True)


def _hits(engine: Engine, query: str) -> list[tuple[str, float]]:
    return [(h.doc_id, round(h.score, 9)) for h in engine.searcher.documents(query, 5)]


def _ingest(engine: Engine, folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8")
    assert [o.status for o in engine.ingest_paths([folder / name])] == ["added"]


def test_next_process_reads_the_saved_index_instead_of_the_rows(
    tmp_path: Path, samples_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "kb.sqlite"
    with _engine(db) as engine:
        list(engine.ingest_paths([samples_dir]))
        built = _hits(engine, "värmekudde mot ont i ryggen")
    assert built
    [saved] = (tmp_path / "kb.sqlite.index").iterdir()
    with _engine(db) as engine:

        def no_rows() -> None:
            raise AssertionError("the index was rebuilt from the store's rows")

        monkeypatch.setattr(engine.store, "index_rows", no_rows)
        assert _hits(engine, "värmekudde mot ont i ryggen") == built
        assert engine.searcher.snapshot().generation == int(saved.name.split("-")[0])


def test_a_write_makes_a_new_snapshot_and_drops_the_old(tmp_path: Path) -> None:
    db = tmp_path / "kb.sqlite"
    with _engine(db) as engine:
        _ingest(engine, tmp_path, "is.txt", "Is\n\nIspåsar lindrar smärta efter en stukning.\n")
        assert _hits(engine, "ispåsar")
        [first] = (tmp_path / "kb.sqlite.index").iterdir()
        _ingest(engine, tmp_path, "varme.txt", "Värme\n\nVärmekuddar lindrar ryggsmärta.\n")
        assert [doc for doc, _ in _hits(engine, "värmekuddar")] == ["varme"]
    [second] = (tmp_path / "kb.sqlite.index").iterdir()
    assert second.name != first.name
    with _engine(db) as engine:
        assert [doc for doc, _ in _hits(engine, "värmekuddar")] == ["varme"]


def _saved_base(tmp_path: Path, samples_dir: Path) -> tuple[Path, list[tuple[str, float]], Path]:
    """A base of the sample pages: its path, a query's hits, and its saved snapshot."""
    db = tmp_path / "kb.sqlite"
    with _engine(db) as engine:
        list(engine.ingest_paths([samples_dir]))
        built = _hits(engine, "botox bäckenbotten")
    [saved] = (tmp_path / "kb.sqlite.index").iterdir()
    return db, built, saved


def _cut_impact_columns(saved: Path) -> None:
    np.save(saved / "impacts_indptr.npy", np.load(saved / "impacts_indptr.npy")[:-5])


def _garble_idf(saved: Path) -> None:
    (saved / "idf.npy").write_bytes(b"not an array")


def _add_a_common_column(saved: Path) -> None:
    columns = np.load(saved / "common_columns.npy")
    np.save(saved / "common_columns.npy", np.append(columns, 10**6))


@pytest.mark.parametrize("damage", [_garble_idf, _cut_impact_columns, _add_a_common_column])
def test_a_damaged_snapshot_is_rebuilt(
    tmp_path: Path, samples_dir: Path, damage: Callable[[Path], None]
) -> None:
    db, built, saved = _saved_base(tmp_path, samples_dir)
    damage(saved)
    with _engine(db) as engine:
        assert _hits(engine, "botox bäckenbotten") == built


def test_a_foreign_snapshot_is_not_read_and_stays(tmp_path: Path, samples_dir: Path) -> None:
    """Built under other settings (another key): not used; it stays for those settings."""
    db, built, saved = _saved_base(tmp_path, samples_dir)
    foreign = saved.with_name(saved.name.split("-")[0] + "-000000000000")
    saved.rename(foreign)
    with _engine(db) as engine:
        assert _hits(engine, "botox bäckenbotten") == built
    names = sorted(p.name for p in (tmp_path / "kb.sqlite.index").iterdir())
    assert names == sorted([saved.name, foreign.name])


def test_snapshots_of_other_settings_stay_until_the_generation_moves_on(tmp_path: Path) -> None:
    index = Bm25Index([IndexRow("a:0", "a", {"body": {"värm": 1}})])
    folder = tmp_path / "index"
    words = WordAnalyses.empty(index)
    save_snapshot(folder, 3, "lexical", index, None, words)
    save_snapshot(folder, 3, "dense", index, None, words)
    assert sorted(p.name for p in folder.iterdir()) == ["3-dense", "3-lexical"]
    assert load_snapshot(folder, 3, "lexical", index.params, dense=False) is not None
    save_snapshot(folder, 4, "lexical", index, None, words)
    assert [p.name for p in folder.iterdir()] == ["4-lexical"]


# Modules a one-off `lindra search` never runs: scipy builds the index; the others
# answer questions, read files, tag entities or decide verdicts.
NOT_FOR_SEARCH = (
    "scipy",
    "lindra.answer.compose",
    "lindra.answer.emergency",
    "lindra.ingest.language_id",
    "lindra.ingest.readers",
    "lindra.knowledge.defaults",
    "lindra.knowledge.entities",
    "lindra.knowledge.evidence",
    "lindra.knowledge.stance_model",
    "lindra.knowledge.verdict",
    "rich.progress",
    "statistics",
    "tomllib",
)


def test_a_search_from_a_saved_snapshot_imports_only_what_it_needs(
    tmp_path: Path, samples_dir: Path
) -> None:
    """A cold `lindra search` is spared the import of what only other commands run, and
    the compound lexicon: the base's word table holds every word of the question."""
    db, built, _ = _saved_base(tmp_path, samples_dir)
    settings = settings_for_tests(db).model_dump_json()
    script = f"""
import json, sys
import lindra.interfaces.cli
from lindra import Engine, Settings
with Engine.from_settings(Settings.model_validate_json({settings!r})) as engine:
    found = engine.searcher.documents("botox bäckenbotten", 5)
    hits = [[h.doc_id, round(h.score, 9)] for h in found]
    [splitter] = [s.splitter for s in engine.analyzer.stages if hasattr(s, "splitter")]
imported = [m for m in {NOT_FOR_SEARCH!r} if m in sys.modules]
print(json.dumps({{"hits": hits, "imported": imported, "lexicon": "lexicon" in vars(splitter)}}))
"""
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    out = json.loads(run.stdout.splitlines()[-1])
    assert out == {"hits": [list(hit) for hit in built], "imported": [], "lexicon": False}


@pytest.mark.integration
@pytest.mark.postgres
def test_processes_on_one_postgres_base_share_the_snapshot(
    tmp_path: Path, samples_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with fresh_schema(require_postgres()) as url:

        def machine(name: str) -> Engine:  # each with its own cache folder
            settings = Settings(db=url, dense=False, cache_dir=str(tmp_path / name))
            return Engine.from_settings(settings, create=True)

        with machine("a") as engine:
            list(engine.ingest_paths([samples_dir]))
            built = _hits(engine, "värmekudde mot ont i ryggen")
            generation = engine.store.generation()
        assert built
        with machine("b") as engine:

            def no_rows() -> None:
                raise AssertionError("the index was rebuilt from the store's rows")

            monkeypatch.setattr(engine.store, "index_rows", no_rows)
            assert _hits(engine, "värmekudde mot ont i ryggen") == built
        [copied] = (tmp_path / "b" / "index").glob("*/*")
        assert copied.name.startswith(f"{generation}-")
        monkeypatch.undo()
        # A write: the next build is published and the old generation leaves the store.
        with machine("a") as engine:
            _ingest(engine, tmp_path, "varme.txt", "Värme\n\nVärmekuddar lindrar ryggsmärta.\n")
            assert [doc for doc, _ in _hits(engine, "värmekuddar")][:1] == ["varme"]
            shelf, key = engine.store, copied.name.split("-", 1)[1]
            assert isinstance(shelf, SnapshotShelf)
            assert not shelf.has_snapshot(generation, key)
            assert shelf.has_snapshot(engine.store.generation(), key)


class _BrokenShelf:
    """A shelf whose database fails mid-copy."""

    def has_snapshot(self, generation: int, key: str) -> bool:
        return True

    def fetch_snapshot(self, generation: int, key: str, into: Path) -> bool:
        (into / "idf.npy").write_bytes(b"half")
        raise StoreError("the connection dropped")

    def publish_snapshot(self, generation: int, key: str, files: Sequence[Path]) -> None:
        raise StoreError("no right to create the table")


def test_a_failed_fetch_or_publish_costs_a_rebuild_not_an_error(tmp_path: Path) -> None:
    shelf = _BrokenShelf()
    assert isinstance(shelf, SnapshotShelf)
    assert not fetch_snapshot(shelf, tmp_path, 3, "k")
    assert list(tmp_path.iterdir()) == []  # the half copy is gone
    (tmp_path / "3-k").mkdir()
    (tmp_path / "3-k" / "idf.npy").write_bytes(b"x")
    publish_snapshot(shelf, tmp_path, 3, "k")  # logged, not raised


def test_a_base_made_again_in_the_same_place_does_not_read_the_old_snapshot(
    tmp_path: Path,
) -> None:
    db = tmp_path / "kb.sqlite"
    with _engine(db) as engine:
        _ingest(engine, tmp_path, "varme.txt", "Värme\n\nVärmekuddar lindrar ryggsmärta.\n")
        assert _hits(engine, "värmekuddar")
    for leftover in tmp_path.glob("kb.sqlite*"):
        if leftover.is_file():  # the base goes; its snapshot folder stays behind
            leftover.unlink()
    with _engine(db) as engine:  # the same generation number, another base
        _ingest(engine, tmp_path, "is.txt", "Is\n\nIspåsar lindrar smärta efter en stukning.\n")
    with _engine(db) as engine:
        assert [doc for doc, _ in _hits(engine, "ispåsar")] == ["is"]
