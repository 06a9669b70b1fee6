"""The searcher's snapshots: its own writes at once, other processes' writes soon."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from lindra import Engine, Settings
from lindra.search import searcher


def page(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.txt"
    path.write_text(f"{name.capitalize()}\n\n{text}\n", encoding="utf-8")
    return path


def test_own_writes_are_searched_at_once(tmp_path: Path) -> None:
    settings = Settings(db=str(tmp_path / "kb.sqlite"), dense=False)
    with Engine.from_settings(settings, create=True) as engine:
        list(engine.ingest_paths([page(tmp_path, "is", "Ispackningar lindrar svullnad.")]))
        assert [h.doc_id for h in engine.search("ispackningar")] == ["is"]
        list(engine.ingest_paths([page(tmp_path, "vila", "Vila hjälper vid ryggskott.")]))
        assert [h.doc_id for h in engine.search("ryggskott")] == ["vila"]


def test_another_writer_is_seen_after_a_background_rebuild(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(searcher, "REFRESH_SECONDS", 0.0)
    settings = Settings(db=str(tmp_path / "kb.sqlite"), dense=False)
    with (
        Engine.from_settings(settings, create=True) as writer,
        Engine.from_settings(settings) as reader,
    ):
        list(writer.ingest_paths([page(tmp_path, "is", "Ispackningar lindrar svullnad.")]))
        assert [h.doc_id for h in reader.search("ispackningar")] == ["is"]
        list(writer.ingest_paths([page(tmp_path, "vila", "Vila hjälper vid ryggskott.")]))
        # The reader answers from its consistent last snapshot at once ...
        assert reader.search("ryggskott") == []
        # ... and from the new generation once the background build is done.
        deadline = time.monotonic() + 10
        while not reader.search("ryggskott"):
            assert time.monotonic() < deadline, "the reader never saw the new document"
            time.sleep(0.05)
        assert [h.doc_id for h in reader.search("ryggskott")] == ["vila"]
