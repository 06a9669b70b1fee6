"""Each indexed word's analysis, stored per index: the same tokens as analysing it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lindra import Engine
from lindra.language.analyzer import EXACT, Analyzer, WordRewrite
from lindra.search.bm25 import Bm25Index
from lindra.search.word_analyses import WordAnalyses
from lindra.store.base import IndexRow
from tests.conftest import settings_for_tests

# Questions as patients type them: compounds, capitals, a typo, missing å/ä/ö.
QUESTIONS = (
    "Hjälper värmekudde mot ont i ryggen efter kotkompression?",
    "hur lange haller botox i backenbotten",
    "Kan jag bada i varmvattenbassäng med stödkorsett?",
    "Vad är Vertebroplastik och nervblockad?",
    "akupunktur mot bäckenbottensmärta, finns det evidens",
)


def _index(*words: str) -> Bm25Index:
    return Bm25Index([IndexRow("p1", "d1", {"body": dict.fromkeys(words, 1)})])


def test_every_word_of_the_base_reads_as_it_is_analysed(sample_engine: Engine) -> None:
    snapshot = sample_engine.searcher.snapshot()
    analyzer = sample_engine.searcher.analyzer
    words = [t[len(EXACT) :] for t in snapshot.bm25.terms if t.startswith(EXACT)]
    assert len(words) > 400
    assert all(snapshot.words(word) == analyzer.rewrite_word(word) for word in words)
    assert snapshot.words("migränanfall") is None  # not a word of the samples


def test_questions_are_analysed_the_same_with_the_table(sample_engine: Engine) -> None:
    searcher = sample_engine.searcher
    known = searcher.snapshot().words
    read = [word for word in QUESTIONS[0].rstrip("?").split() if known(word) is not None]
    assert read == ["värmekudde", "mot", "ont", "i", "ryggen", "efter", "kotkompression"]
    for question in QUESTIONS:
        assert searcher.analyzer.analyze(question, query=True, known=known) == (
            searcher.analyzer.analyze(question, query=True)
        )


def test_a_new_generation_analyses_only_the_words_it_adds(sv_analyzer: Analyzer) -> None:
    analysed: list[str] = []

    def rewrite(word: str) -> WordRewrite:
        analysed.append(word)
        return sv_analyzer.rewrite_word(word)

    def index_of(text: str) -> Bm25Index:
        return _index(*sv_analyzer.index_terms(text))

    first = WordAnalyses.build(index_of("Ispackningar lindrar svullnad"), rewrite)
    assert sorted(analysed) == ["ispackningar", "lindrar", "svullnad"]
    analysed.clear()
    second = WordAnalyses.build(index_of("Ispackningar lindrar ryggsmärta"), rewrite, first)
    assert analysed == ["ryggsmärta"]
    assert second("ispackningar") == sv_analyzer.rewrite_word("ispackningar")


def test_a_word_whose_tokens_are_not_all_index_terms_is_left_to_the_analyzer() -> None:
    index = _index("=smärta", "smärt")
    table = WordAnalyses.build(
        index, lambda word: (("smärt", "text", 1.0), ("okänd", "compound", 1.0))
    )
    assert table("smärta") is None
    whole = WordAnalyses.build(
        index, lambda word: (("smärt", "text", 1.0), ("=smärta", "exact", 1.0))
    )
    assert whole("smärta") == (("smärt", "text", 1.0), ("=smärta", "exact", 1.0))


def test_arrays_of_another_index_are_refused() -> None:
    arrays = WordAnalyses.build(_index("=is", "is"), lambda word: ()).arrays()
    with pytest.raises(ValueError, match="do not match"):
        WordAnalyses(_index("=is", "is", "=vila", "vila"), arrays)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("word_columns", [0, 7]),  # a column past the vocabulary
        ("word_starts", [0, 2, 1]),  # going backwards
        ("word_origins", [0, 99]),  # no such origin
        ("word_weights", [1.0]),  # one weight short
    ],
)
def test_damaged_arrays_are_refused(name: str, value: list[float]) -> None:
    index = _index("=is", "is")
    arrays = dict(
        WordAnalyses.build(
            index, lambda word: (("=is", "exact", 1.0), ("is", "text", 1.0))
        ).arrays()
    )
    assert arrays["word_columns"].tolist() == [0, 1]
    arrays[name] = np.array(value, dtype=arrays[name].dtype)
    with pytest.raises(ValueError, match="damaged"):
        WordAnalyses(index, arrays)


def test_the_saved_table_is_read_back_by_the_next_process(
    tmp_path: Path, samples_dir: Path
) -> None:
    db = tmp_path / "kb.sqlite"
    with Engine.from_settings(settings_for_tests(db), create=True) as engine:
        list(engine.ingest_paths([samples_dir]))
        built = engine.searcher.snapshot().words.arrays()
    [saved] = (tmp_path / "kb.sqlite.index").iterdir()
    assert (saved / "word_starts.npy").is_file()
    with Engine.from_settings(settings_for_tests(db)) as engine:
        read = engine.searcher.snapshot().words.arrays()
    assert built.keys() == read.keys()
    assert all(np.array_equal(built[name], read[name]) for name in built)


def test_index_terms_of_a_passage_are_the_same_with_the_table(
    sample_engine: Engine, samples_dir: Path
) -> None:
    searcher = sample_engine.searcher
    text = (samples_dir / "botox-backenbotten.txt").read_text("utf-8")
    assert searcher.index_terms(text) == searcher.analyzer.index_terms(text)
    assert searcher.index_terms(QUESTIONS[0]) == searcher.analyzer.index_terms(QUESTIONS[0])
