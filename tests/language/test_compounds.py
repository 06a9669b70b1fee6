"""Compound splitting: the case table, the stage, the packaged data and properties."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lindra.errors import LexiconError
from lindra.language.analyzer import Analyzer, FoldStage, StemStage, StopStage
from lindra.language.compound_lexicon import MIN_PART
from lindra.language.compounds import (
    MAX_WORD_CHARS,
    CompoundLexicon,
    CompoundSplitter,
    CompoundStage,
    load_compound_lexicon,
    segment_compound,
    split_compound,
)
from lindra.language.lexicons import load_word_set, packaged_file
from lindra.language.stem import SnowballStemmer
from lindra.language.tokenize import Token, Tokenizer

CASES = Path(__file__).parent / "cases" / "compounds.tsv"


def _case_rows() -> list[tuple[str, str, str]]:
    rows = []
    for line in CASES.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            word, expected, why = line.split("\t")
            rows.append((word, expected, why))
    return rows


def _case_params() -> list[object]:
    return [
        pytest.param(
            word,
            () if expected == "-" else tuple(expected.split()),
            id=word,
            marks=[pytest.mark.xfail(reason=why, strict=True)] if "known failure:" in why else [],
        )
        for word, expected, why in _case_rows()
    ]


@pytest.fixture(scope="module")
def sv_lexicon() -> CompoundLexicon:
    return load_compound_lexicon()


@pytest.fixture(scope="module")
def sv_splitter(sv_lexicon: CompoundLexicon) -> CompoundSplitter:
    return CompoundSplitter(sv_lexicon)


# --- the case table, against the packaged lexicon


def test_case_table_is_well_formed() -> None:
    rows = _case_rows()
    words = [word for word, _, _ in rows]
    assert len(words) == len(set(words)), "duplicate words in compounds.tsv"
    assert sum(expected != "-" for _, expected, _ in rows) >= 120
    for word, expected, why in rows:
        assert word == word.lower() and why, word
        assert expected == "-" or len(expected.split()) == 2, word


@pytest.mark.parametrize("word, expected", _case_params())
def test_split_compound_cases(sv_lexicon: CompoundLexicon, word: str, expected: tuple[str, ...]):
    assert split_compound(word, sv_lexicon) == expected


# --- tiny lexicons, as in STYLE.md

TINY = CompoundLexicon.from_words(
    {
        "ben": 5.1,
        "skörhet": 2.2,
        "rygg": 4.9,
        "smärta": 4.6,
        "osteoporos": 2.0,
        "patient": 4.8,
        "kota": 2.9,
        "kompression": 2.8,
        "behandling": 4.6,
        "effekt": 5.0,
    }
)

SPLIT_CASES = [
    ("benskörhet", ("ben", "skörhet")),
    ("ryggsmärta", ("rygg", "smärta")),
    ("osteoporospatient", ("osteoporos", "patient")),
    ("kotkompression", ("kota", "kompression")),
    ("behandlingseffekten", ("behandling", "effekten")),
    ("osteoporospatienterna", ("osteoporos", "patienterna")),
    ("smärta", ()),
    ("patient", ()),
    ("", ()),
    ("ab", ()),
    ("covid19", ()),
    ("rygg-smärta", ()),
]


@pytest.mark.parametrize("word, expected", SPLIT_CASES)
def test_split_compound_tiny(word: str, expected: tuple[str, ...]) -> None:
    assert split_compound(word, TINY) == expected


def test_linking_letters_are_kept_in_segments() -> None:
    segments = segment_compound("behandlingseffekt", TINY)
    assert [(s.text, s.part) for s in segments] == [
        ("behandlings", "behandling"),
        ("effekt", "effekt"),
    ]


def test_exceptions_are_never_split() -> None:
    lexicon = CompoundLexicon.from_words({"sjuk": 5.4, "gymnast": 3.2}, exceptions={"sjukgymnast"})
    assert split_compound("sjukgymnast", lexicon) == ()
    assert split_compound("sjukgymnaster", lexicon) == ()  # every form of the lemma
    assert split_compound("sjukgymnast", CompoundLexicon.from_words({"sjuk": 5.4, "gymnast": 3.2}))


def test_stop_words_are_never_parts() -> None:
    lexicon = CompoundLexicon.from_lemmas(
        CompoundLexicon.from_words({"om": 7.0, "sorg": 4.3}).lemmas, stop_words={"om"}
    )
    assert split_compound("omsorg", lexicon) == ()


def test_frequent_whole_word_stays_whole() -> None:
    lexicon = CompoundLexicon.from_words({"kul": 3.0, "tur": 3.0, "kultur": 5.0})
    assert split_compound("kultur", lexicon) == ()


# --- the tree of parts and the stage


def test_splitter_returns_the_whole_tree(sv_splitter: CompoundSplitter) -> None:
    assert sv_splitter("bäckenbottensmärta") == ("bäckenbotten", "smärta", "bäcken", "botten")
    assert sv_splitter("varmvattenbassäng") == ("varmvatten", "bassäng", "varm", "vatten")
    assert sv_splitter("blodtrycksmedicin") == ("blodtryck", "medicin", "blod", "tryck")
    assert sv_splitter("sjukgymnast") == ()
    assert sv_splitter.split("blodtrycksmedicin") == ("blodtryck", "medicin")


def _token(term: str, position: int = 0, kind: str = "word", origin: str = "text") -> Token:
    return Token(term, 0, len(term), position, kind, term, origin)  # type: ignore[arg-type]


def test_stage_adds_parts_after_each_compound(sv_splitter: CompoundSplitter) -> None:
    tokens = [_token("ont", 0), _token("bäckenbottensmärta", 1), _token("3-6", 2, "number")]
    out = CompoundStage(sv_splitter)(tokens)
    assert [(t.term, t.origin) for t in out] == [
        ("ont", "text"),
        ("bäckenbottensmärta", "text"),
        ("bäckenbotten", "compound"),
        ("smärta", "compound"),
        ("bäcken", "compound"),
        ("botten", "compound"),
        ("3-6", "text"),
    ]
    parts = [t for t in out if t.origin == "compound"]
    assert {(t.start, t.end, t.position, t.text) for t in parts} == {
        (0, 18, 1, "bäckenbottensmärta")
    }
    assert CompoundStage.name == "split"


def test_stage_splits_hyphen_parts_but_not_its_own(sv_splitter: CompoundSplitter) -> None:
    stage = CompoundStage(sv_splitter)
    assert len(stage([_token("ryggsmärta", origin="hyphen")])) == 3
    assert len(stage([_token("ryggsmärta", origin="compound")])) == 1
    assert len(stage([_token("ryggsmärta", origin="synonym")])) == 1


def test_stage_can_weigh_parts_down(sv_splitter: CompoundSplitter) -> None:
    out = CompoundStage(sv_splitter, part_weight=0.5)([_token("ryggsmärta")])
    assert [t.weight for t in out] == [1.0, 0.5, 0.5]


def test_patient_and_article_words_meet_in_the_analyzer(sv_lexicon: CompoundLexicon) -> None:
    analyzer = Analyzer(
        Tokenizer(),
        [
            FoldStage(),
            CompoundStage(CompoundSplitter(sv_lexicon)),
            StopStage(load_word_set(packaged_file("sv_stop_words.txt"))),
            StemStage(SnowballStemmer()),
        ],
    )
    query = set(analyzer.query_terms("Ont i bäckenbotten"))
    article = set(analyzer.index_terms("Botox mot bäckenbottensmärta"))
    assert query & article == {"bäckenbot", "bäck", "bott"}
    assert "smärt" in set(analyzer.index_terms("smärtlindring"))
    assert analyzer.trace("bäckenbottensmärta")[2].stage == "split"


# --- the packaged data files


@pytest.mark.parametrize(
    "name", ["sv_compound_parts.tsv", "sv_compound_paradigms.tsv", "sv_compound_exceptions.tsv"]
)
def test_data_file_is_sorted_without_duplicates(name: str) -> None:
    lines = [
        line
        for line in packaged_file(name).read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    keys = [line.split("\t")[0] for line in lines]
    assert keys == sorted(keys)
    assert len(keys) == len(set(keys))
    assert all(line == line.strip() and "\t\t" not in line for line in lines)


def test_every_lexicon_row_parses(sv_lexicon: CompoundLexicon) -> None:
    stop_words = load_word_set(packaged_file("sv_stop_words.txt"))
    assert len(sv_lexicon.lemmas) > 80_000
    for word in sv_lexicon.lemmas:
        lemma = sv_lexicon.lemmas[word]
        assert word not in stop_words
        assert 0 < lemma.zipf < 9 and set(lemma.pos) <= set("anv")
    for form, words in sv_lexicon.initial_forms.items():
        assert all(word in sv_lexicon.lemmas for word in words), form


def test_malformed_lexicon_row_names_file_and_line(tmp_path: Path) -> None:
    parts = tmp_path / "parts.tsv"
    parts.write_text("# header\nrygg\t4.9\tn\tbe\t0\t-\nsmärta\tlots\tn\te\t0\t-\n", "utf-8")
    paradigms = tmp_path / "paradigms.tsv"
    paradigms.write_text("0\ten er\n", "utf-8")
    exceptions = tmp_path / "exceptions.tsv"
    exceptions.write_text("# none\n", "utf-8")
    lexicon = load_compound_lexicon(parts, paradigms, exceptions)
    assert lexicon.lemmas["rygg"].zipf == 4.9
    with pytest.raises(LexiconError, match="parts.tsv line 3"):
        lexicon.lemmas["smärta"]
    with pytest.raises(LexiconError, match="does not exist|Cannot read"):
        load_compound_lexicon(tmp_path / "missing.tsv", paradigms, exceptions)
    parts.write_text("rygg 4.9\n", "utf-8")
    with pytest.raises(LexiconError, match="line 1"):
        load_compound_lexicon(parts, paradigms, exceptions)


# --- properties

WORDS = [row[0] for row in _case_rows()][:120] + ["sjuk", "hus", "vård", "smärta", "botten"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcdefghijklmnoprstuvyåäöéAÖ-1 ", max_size=30))
def test_splitting_never_crashes(sv_lexicon: CompoundLexicon, text: str) -> None:
    assert isinstance(split_compound(text, sv_lexicon), tuple)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(WORDS), st.sampled_from(["", "s", "e", "a", "o", "u"])),
        min_size=1,
        max_size=3,
    )
)
def test_segments_rebuild_the_word(
    sv_lexicon: CompoundLexicon, pieces: list[tuple[str, str]]
) -> None:
    lexicon = sv_lexicon
    word = "".join(w + link for w, link in pieces[:-1]) + pieces[-1][0]
    segments = segment_compound(word, lexicon)
    if not segments:
        return
    assert "".join(s.text for s in segments) == word
    for segment in segments:
        assert _linked(segment.text, segment.part), (word, segment)
    parts = split_compound(word, lexicon)
    assert len(parts) == 2 and word.endswith(parts[1])
    assert _linked(word[: len(word) - len(parts[1])], parts[0])


def _linked(text: str, part: str) -> bool:
    """*text* is *part* with a linking letter or two, or a changed or dropped end vowel."""
    common = 0
    while common < min(len(text), len(part)) and text[common] == part[common]:
        common += 1
    return common >= min(len(text), len(part)) - 2 and abs(len(text) - len(part)) <= 2


def test_a_word_longer_than_any_compound_is_kept_whole() -> None:
    lexicon = CompoundLexicon.from_words({"bäcken": 3.6, "botten": 4.7, "smärta": 4.6})
    blob = "bäckenbotten" * 6  # 72 letters, like a base64 blob: no quadratic search
    assert len(blob) > MAX_WORD_CHARS
    assert segment_compound(blob, lexicon) == ()
    assert split_compound("bäckenbottensmärta", lexicon) == ("bäckenbotten", "smärta")


@pytest.mark.parametrize(
    "word", ["bäckenbottensmärtorna", "behandlingarnas", "stillande", "ryggen"]
)
def test_tail_analyses_are_the_analyses_of_each_tail(sv_lexicon: CompoundLexicon, word: str):
    tails = sv_lexicon.tail_analyses(word, MIN_PART)
    assert list(tails) == list(range(MIN_PART, len(word) - MIN_PART + 1))
    assert tails == {start: sv_lexicon.analyses(word[start:]) for start in tails}


def test_a_loading_splitter_reads_its_lexicon_at_the_first_split_only() -> None:
    loads: list[int] = []

    def load() -> CompoundLexicon:
        loads.append(1)
        return CompoundLexicon.from_words({"värme": 4.5, "kudde": 3.8})

    splitter = CompoundSplitter.loading(load)
    assert loads == []
    assert splitter("värmekudde") == ("värme", "kudde")
    splitter("kuddar")  # a second word: no second load
    assert loads == [1]
