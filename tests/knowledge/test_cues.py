"""The evidence-cue lexicon file: format, sorting and clear errors."""

from __future__ import annotations

import re
import unicodedata
from importlib import resources
from pathlib import Path

import pytest

from lindra.errors import LexiconError
from lindra.knowledge.cues import CUE_ROLES, CUES_FILE, CueLexicon, find_cues, load_cues
from lindra.language.lexicons import packaged_file


def test_packaged_lexicon_is_sorted_and_clean() -> None:
    path = packaged_file(CUES_FILE, "lindra.knowledge")
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        assert line == unicodedata.normalize("NFC", line)
        cells = line.split("\t")
        assert len(cells) == 3, line
        assert all(cell == cell.strip() and cell for cell in cells), line
        assert cells[0] in CUE_ROLES, line
        rows.append((cells[0], cells[1]))
    assert rows == sorted(rows), "sort rows by role, then pattern"
    assert len(rows) == len(set(rows)), "duplicate rows"


def test_bad_role_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "cues.tsv"
    path.write_text("# comment\nevidence\tstudie*\tok\nbelief\ttror\tno such role\n", "utf-8")
    with pytest.raises(LexiconError, match="cues.tsv.*'belief'"):
        load_cues(path)


def test_bad_column_count_names_line(tmp_path: Path) -> None:
    path = tmp_path / "cues.tsv"
    path.write_text("evidence\n", "utf-8")
    with pytest.raises(LexiconError, match="cues.tsv line 1"):
        load_cues(path)


def test_bad_regex_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "cues.tsv"
    path.write_text("mixed\tre:(unclosed\tbroken\n", "utf-8")
    with pytest.raises(LexiconError, match="Invalid regular expression"):
        load_cues(path)


def test_find_cues_in_order_with_offsets() -> None:
    lexicon = CueLexicon.from_rows([("negation", "inga"), ("evidence", "*studie*")])
    sentence = "Det finns inga RCT-studier."
    matches = find_cues(sentence, lexicon)
    assert [(m.role, m.text) for m in matches] == [
        ("negation", "inga"),
        ("evidence", "RCT-studier"),
    ]
    assert all(sentence[m.start : m.end] == m.text for m in matches)


def test_literal_gating_finds_what_trying_every_cue_finds() -> None:
    lexicon = load_cues(packaged_file(CUES_FILE, "lindra.knowledge"))
    samples = Path(str(resources.files("lindra") / "demo" / "samples")).glob("*.txt")
    text = " ".join(path.read_text(encoding="utf-8") for path in sorted(samples))
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text) if s]
    for cases in sorted((Path(__file__).parent / "cases").glob("*.tsv")):
        lines = cases.read_text(encoding="utf-8").splitlines()
        sentences += [line.split("\t")[0] for line in lines if line and not line.startswith("#")]
    assert len(sentences) > 500
    for sentence in sentences:
        every_cue = sorted(
            (m.start(), m.end(), cue.role)
            for cue in lexicon.cues
            for m in cue.regex.finditer(sentence)
            if m.end() > m.start()
        )
        assert [(m.start, m.end, m.role) for m in find_cues(sentence, lexicon)] == every_cue
