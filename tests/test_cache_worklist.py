"""scripts/cache_worklist.py: work lists of missing page texts, and a broken line."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import load_script

SCRIPT = Path(__file__).parents[1] / "scripts" / "cache_worklist.py"


@pytest.fixture
def worklist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """The script, reading corpora from *tmp_path* instead of ``benchmarks/``."""
    module = load_script(SCRIPT)
    monkeypatch.setattr(module, "BENCHMARKS", tmp_path)
    for corpus in module.CORPORA:
        (tmp_path / corpus / "cache").mkdir(parents=True)
    return module


def _write(path: Path, *items: object) -> None:
    path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), "utf-8")


def test_lists_only_the_pages_without_a_cached_text(worklist: ModuleType, tmp_path: Path) -> None:
    lay = tmp_path / "layquestions"
    _write(
        lay / "pages.jsonl", {"id": "a", "url": "https://a.se"}, {"id": "b", "url": "https://b.se"}
    )
    _write(
        lay / "questions.jsonl", {"id": "q1", "answer_page": "a", "answer_quote": "Vila hjälper."}
    )
    (lay / "cache" / "b.txt").write_text("text", "utf-8")
    [item] = worklist.missing("layquestions")
    assert item["id"] == "a" and item["quotes_to_check"] == ["Vila hjälper."]


def test_a_broken_line_names_file_and_line_and_writes_no_list(
    worklist: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "layquestions" / "pages.jsonl", {"id": "a", "url": "https://a.se"})
    (tmp_path / "narratives" / "narratives.jsonl").write_text('{"id": "n1"}\n{"id": \n', "utf-8")
    out = tmp_path / "out"
    monkeypatch.setattr(sys, "argv", ["cache_worklist.py", "--out", str(out)])
    with pytest.raises(SystemExit, match=r"narratives\.jsonl line 2"):
        worklist.main()
    assert not out.exists()
