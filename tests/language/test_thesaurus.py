"""The thesaurus loader, merging a user's file, and checks on the packaged data."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from lindra.errors import LexiconError
from lindra.language.analyzer import Analyzer, is_variant
from lindra.language.lexicons import packaged_file
from lindra.language.normalize import fold
from lindra.language.swedish import default_thesaurus
from lindra.language.thesaurus import CATEGORIES, TAGS, Concept, Term, Thesaurus, load_thesaurus

CASES = Path(__file__).parent / "cases"
PACKAGED = packaged_file("sv_thesaurus.tsv")


def write(tmp_path: Path, *lines: str, name: str = "egen.tsv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def read_cases(name: str) -> list[tuple[str, ...]]:
    """Tab-separated rows of a case file, without comments and blank lines."""
    rows = []
    for line in (CASES / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(tuple(line.split("\t")))
    return rows


@pytest.fixture(scope="module")
def packaged() -> Thesaurus:
    return load_thesaurus(PACKAGED)


# ---------------------------------------------------------------- the loader

GOOD = (
    "# Egna termer för vår mottagning",
    "",
    "osteoporosis\tcondition\tosteoporos\tlay:benskörhet|pro:osteoporos|en:osteoporosis",
    "pelvic_floor_training\ttreatment\tbäckenbottenträning\tlay:knipövningar| lay:knipa |pro:PFMT",
    "ibuprofen\tdrug\tibuprofen\tpro:ibuprofen|brand:Ipren|misspelling:ibuprofén|abbr:IBU",
)


def test_load_good_file(tmp_path: Path) -> None:
    thesaurus = load_thesaurus(write(tmp_path, *GOOD))

    assert len(thesaurus) == 3
    assert "osteoporosis" in thesaurus
    concept = thesaurus.concept("pelvic_floor_training")
    assert concept == Concept(
        "pelvic_floor_training",
        "treatment",
        "bäckenbottenträning",
        (Term("knipövningar", "lay"), Term("knipa", "lay"), Term("PFMT", "pro")),
    )
    assert concept.surface_forms() == ("bäckenbottenträning", "knipövningar", "knipa", "pfmt")


@pytest.mark.parametrize(
    "term, concept_id",
    [
        ("benskörhet", "osteoporosis"),
        ("Benskörhet", "osteoporosis"),
        ("OSTEOPOROS", "osteoporosis"),
        ("knipa", "pelvic_floor_training"),
        ("bäckenbottenträning", "pelvic_floor_training"),
        ("IPREN", "ibuprofen"),
        ("ibuprofén", "ibuprofen"),
    ],
)
def test_lookup_is_case_insensitive(tmp_path: Path, term: str, concept_id: str) -> None:
    thesaurus = load_thesaurus(write(tmp_path, *GOOD))
    assert [c.id for c in thesaurus.lookup(term)] == [concept_id]


def test_lookup_unknown_term_is_empty(tmp_path: Path) -> None:
    thesaurus = load_thesaurus(write(tmp_path, *GOOD))
    assert thesaurus.lookup("ryggskott") == ()


def test_decomposed_input_is_read_as_nfc(tmp_path: Path) -> None:
    decomposed = unicodedata.normalize("NFD", "kroppsvärk")
    path = write(tmp_path, f"body_ache\tsymptom\t{decomposed}\tlay:ont i kroppen")
    thesaurus = load_thesaurus(path)
    assert thesaurus.concept("body_ache").preferred == "kroppsvärk"
    assert [c.id for c in thesaurus.lookup("kroppsvärk")] == ["body_ache"]


BAD_FILES = [
    pytest.param(
        "osteoporosis\tcondition\tlay:benskörhet",
        "expected 4 tab-separated columns (5 with broader concepts), got 3",
        id="three columns",
    ),
    pytest.param(
        "osteoporosis\tcondition\tosteoporos\tlay:benskörhet\tbone_disease\textra",
        "expected 4 tab-separated columns (5 with broader concepts), got 6",
        id="six columns",
    ),
    pytest.param(
        "Osteoporos\tcondition\tosteoporos\tlay:benskörhet",
        "concept id 'Osteoporos' must match [a-z0-9_]+",
        id="capital in id",
    ),
    pytest.param(
        "benskör-het\tcondition\tosteoporos\tlay:benskörhet",
        "concept id 'benskör-het' must match [a-z0-9_]+",
        id="non-ascii id",
    ),
    pytest.param(
        "osteoporosis\tsjukdom\tosteoporos\tlay:benskörhet",
        "unknown category 'sjukdom'; use one of body_part, condition, drug, examination, "
        "other, procedure, profession, symptom, treatment",
        id="unknown category",
    ),
    pytest.param(
        "osteoporosis\tcondition\t\tlay:benskörhet",
        "empty preferred term",
        id="empty preferred",
    ),
    pytest.param(
        "osteoporosis\tcondition\tosteoporos\tvardag:benskörhet",
        "term 'vardag:benskörhet' must be tag:term with tag one of "
        "abbr, ask, brand, en, lay, misspelling, pro",
        id="unknown tag",
    ),
    pytest.param(
        "osteoporosis\tcondition\tosteoporos\tbenskörhet",
        "term 'benskörhet' must be tag:term",
        id="missing tag",
    ),
    pytest.param(
        "osteoporosis\tcondition\tosteoporos\tlay:",
        "term 'lay:' must be tag:term",
        id="empty term",
    ),
]


@pytest.mark.parametrize("line, message", BAD_FILES)
def test_bad_line_names_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = write(tmp_path, "# min fil", line, name="trasig.tsv")
    with pytest.raises(LexiconError) as info:
        load_thesaurus(path)
    assert str(info.value).startswith("trasig.tsv line 2: ")
    assert message in str(info.value)


def test_duplicate_concept_id_names_the_second_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "osteoporosis\tcondition\tosteoporos\tlay:benskörhet",
        "acupuncture\ttreatment\takupunktur\tlay:nålbehandling",
        "osteoporosis\tcondition\tosteoporos\tlay:skört skelett",
        name="dubbel.tsv",
    )
    message = "^dubbel.tsv line 3: concept 'osteoporosis' is listed twice$"
    with pytest.raises(LexiconError, match=message):
        load_thesaurus(path)


def test_missing_file_is_a_lexicon_error(tmp_path: Path) -> None:
    with pytest.raises(LexiconError, match="does not exist"):
        load_thesaurus(tmp_path / "finns-inte.tsv")


def test_file_not_in_utf8_is_a_lexicon_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.tsv"
    path.write_bytes("osteoporosis\tcondition\tbenskörhet\tlay:benskörhet\n".encode("latin-1"))
    with pytest.raises(LexiconError, match="^latin1.tsv: not UTF-8"):
        load_thesaurus(path)


# ----------------------------------------------------------------- merging

BASE = (
    "osteoporosis\tcondition\tosteoporos\tlay:benskörhet|pro:osteoporos",
    "acupuncture\ttreatment\takupunktur\tpro:akupunktur",
)


def test_merge_adds_new_concepts(tmp_path: Path) -> None:
    base = load_thesaurus(write(tmp_path, *BASE, name="bas.tsv"))
    extra = load_thesaurus(write(tmp_path, "cupping\ttreatment\tkoppning\tlay:cupping"))

    merged = base.merged(extra)

    assert len(merged) == 3
    assert [c.id for c in merged.lookup("cupping")] == ["cupping"]
    assert [c.id for c in merged.lookup("akupunktur")] == ["acupuncture"]


def test_merge_same_id_adds_terms_and_keeps_base_heading(tmp_path: Path) -> None:
    base = load_thesaurus(write(tmp_path, *BASE, name="bas.tsv"))
    extra = load_thesaurus(
        write(
            tmp_path,
            "osteoporosis\tother\tskelettskörhet\t"
            "lay:benskörhet|lay:porösa ben|misspelling:osteoporus",
        )
    )

    concept = base.merged(extra).concept("osteoporosis")

    assert concept.category == "condition"
    assert concept.preferred == "osteoporos"
    assert concept.terms == (
        Term("benskörhet", "lay"),
        Term("osteoporos", "pro"),
        Term("porösa ben", "lay"),
        Term("osteoporus", "misspelling"),
    )
    assert [c.id for c in base.merged(extra).lookup("porösa ben")] == ["osteoporosis"]


def test_merge_leaves_both_inputs_unchanged(tmp_path: Path) -> None:
    base = load_thesaurus(write(tmp_path, *BASE, name="bas.tsv"))
    extra = load_thesaurus(write(tmp_path, "osteoporosis\tcondition\tosteoporos\tlay:porösa ben"))

    base.merged(extra)

    assert base.lookup("porösa ben") == ()
    assert len(base.concept("osteoporosis").terms) == 2
    assert extra.concept("osteoporosis").terms == (Term("porösa ben", "lay"),)


def test_default_thesaurus_merges_user_file_over_packaged(tmp_path: Path) -> None:
    extra = write(
        tmp_path,
        "# Mottagningens egna ord",
        "osteoporosis\tcondition\tosteoporos\tlay:porösa ben",
        "leech_therapy\ttreatment\tigelbehandling\tlay:blodiglar",
    )

    thesaurus = default_thesaurus(extra)

    assert len(thesaurus) == len(load_thesaurus(PACKAGED)) + 1
    assert [c.id for c in thesaurus.lookup("porösa ben")] == ["osteoporosis"]
    assert [c.id for c in thesaurus.lookup("benskörhet")] == ["osteoporosis"]
    assert [c.id for c in thesaurus.lookup("blodiglar")] == ["leech_therapy"]


def test_default_thesaurus_reports_the_users_bad_line(tmp_path: Path) -> None:
    extra = write(tmp_path, "cupping\tbehandling\tkoppning\tlay:cupping", name="min.tsv")
    with pytest.raises(LexiconError, match="^min.tsv line 1: unknown category 'behandling'"):
        default_thesaurus(extra)


# -------------------------------------------------------- broader concepts

HIERARCHY = (
    "pain\tsymptom\tsmärta\tpro:smärta",
    "back_pain\tsymptom\tryggsmärta\tpro:ryggsmärta\tpain",
    "low_back_pain\tsymptom\tländryggssmärta\tpro:ländryggssmärta\tback_pain",
    "neck_pain\tsymptom\tnacksmärta\tpro:nacksmärta\tpain",
)


def test_related_goes_up_and_down_but_not_sideways(tmp_path: Path) -> None:
    thesaurus = load_thesaurus(write(tmp_path, *HIERARCHY))
    assert thesaurus.concept("low_back_pain").broader == ("back_pain",)
    assert thesaurus.related("back_pain") == {"pain", "low_back_pain"}
    assert thesaurus.related("low_back_pain") == {"back_pain", "pain"}
    assert thesaurus.related("pain") == {"back_pain", "low_back_pain", "neck_pain"}
    assert "neck_pain" not in thesaurus.related("back_pain")
    assert thesaurus.related("unknown") == frozenset()
    assert thesaurus.kinds("pain") == {"back_pain", "low_back_pain", "neck_pain"}
    assert thesaurus.kinds("low_back_pain") == frozenset()


def test_a_users_file_adds_broader_concepts(tmp_path: Path) -> None:
    extra = write(tmp_path, "migraine\tcondition\tmigrän\tlay:migränattack\tpain")
    thesaurus = default_thesaurus(extra)
    assert thesaurus.concept("migraine").broader == ("headache", "pain")
    assert "migraine" in thesaurus.related("pain")


@pytest.mark.parametrize(
    "line, message",
    [
        (
            "back_pain\tsymptom\tryggsmärta\tpro:ryggont\tvärk",
            "broader concept id 'värk' must match [a-z0-9_]+",
        ),
        (
            "back_pain\tsymptom\tryggsmärta\tpro:ryggont\tbackache",
            "concept 'back_pain' names the broader concept 'backache', which no line defines",
        ),
        (
            "pain\tsymptom\tsmärta\tpro:värk\tback_pain",
            "concept 'back_pain' is, through its broader concepts, a kind of itself",
        ),
    ],
    ids=["bad id", "unknown id", "cycle"],
)
def test_a_bad_broader_concept_names_the_users_file(
    tmp_path: Path, line: str, message: str
) -> None:
    extra = write(tmp_path, line, name="min.tsv")
    with pytest.raises(LexiconError, match="min.tsv") as info:
        default_thesaurus(extra)
    assert message in str(info.value)


def test_packaged_broader_concepts_are_known_and_acyclic(packaged: Thesaurus) -> None:
    packaged.check_hierarchy(PACKAGED.name)
    links = [(c.id, parent) for c in packaged for parent in c.broader]
    assert len(links) >= 100
    # Only conditions and symptoms are ranked, and each under one of the same kind.
    for child, parent in links:
        assert packaged.concept(child).category in {"condition", "symptom"}, child
        assert packaged.concept(parent).category in {"condition", "symptom"}, parent
    assert {"back_pain", "pain"} <= packaged.related("low_back_pain")
    assert "headache" in packaged.related("migraine")


# ------------------------------------------------------ the packaged thesaurus


def data_rows() -> list[list[str]]:
    lines = PACKAGED.read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


def test_packaged_file_loads_with_enough_concepts(packaged: Thesaurus) -> None:
    assert len(packaged) >= 600


def test_packaged_file_is_sorted_by_concept_id() -> None:
    ids = [row[0] for row in data_rows()]
    assert ids == sorted(ids)


def test_packaged_file_is_nfc_without_stray_whitespace() -> None:
    text = PACKAGED.read_text(encoding="utf-8")
    assert text == unicodedata.normalize("NFC", text)
    for number, line in enumerate(text.splitlines(), start=1):
        assert line == line.strip(), f"line {number} has leading or trailing whitespace"
        assert "  " not in line, f"line {number} has a double space"
        if not line.startswith("#"):
            for entry in line.split("\t")[3].split("|"):
                assert entry == entry.strip() and entry, f"line {number}: entry {entry!r}"


def test_every_category_is_represented(packaged: Thesaurus) -> None:
    assert {concept.category for concept in packaged} == CATEGORIES


def test_every_tag_is_used(packaged: Thesaurus) -> None:
    assert {term.tag for concept in packaged for term in concept.terms} == TAGS


def test_no_duplicate_terms_within_a_concept(packaged: Thesaurus) -> None:
    for concept in packaged:
        folded = [fold(term.text) for term in concept.terms]
        assert len(folded) == len(set(folded)), concept.id


def test_preferred_term_is_listed_with_its_tag(packaged: Thesaurus) -> None:
    for concept in packaged:
        assert fold(concept.preferred) in {fold(t.text) for t in concept.terms}, concept.id


def test_no_term_belongs_to_two_concepts(packaged: Thesaurus) -> None:
    shared = {term: ids for term, ids in packaged.terms.items() if len(ids) > 1}
    assert shared == {}


def test_no_two_concepts_share_an_analysed_form(packaged: Thesaurus, sv_analyzer: Analyzer) -> None:
    """Query expansion compares stemmed forms: "värkar" (contractions) would
    otherwise expand every query about "värk" (pain)."""

    def analysed(term: str) -> tuple[str, ...]:
        tokens = sv_analyzer.analyze(term)
        return tuple(t.term for t in tokens if t.origin == "text" and not is_variant(t.term))

    owner: dict[tuple[str, ...], str] = {}
    clashes = []
    for concept in packaged:
        for form in {analysed(f) for f in concept.surface_forms()}:
            if owner.setdefault(form, concept.id) != concept.id:
                clashes.append((form, owner[form], concept.id))
    assert clashes == []


@pytest.mark.parametrize("term, concept_id", read_cases("thesaurus_lookup.tsv"))
def test_packaged_lookup(packaged: Thesaurus, term: str, concept_id: str) -> None:
    assert [c.id for c in packaged.lookup(term)] == [concept_id]


SAME_CONCEPT = [
    ("sjukgymnastik", "fysioterapi"),
    ("KBT", "kognitiv beteendeterapi"),
    ("TNS", "TENS"),
    ("botox", "botulinumtoxin"),
    ("botoxinjektioner", "botulinumtoxin"),
    ("Ipren", "ibuprofen"),
    ("Alvedon", "Panodil"),
    ("benskörhet", "osteoporos"),
    ("klimakteriet", "menopaus"),
    ("kotkompression", "kotfraktur"),
    ("sjukgymnast", "fysioterapeut"),
    ("ont i magen", "buksmärta"),
]


@pytest.mark.parametrize("one, other", SAME_CONCEPT)
def test_packaged_terms_share_a_concept(packaged: Thesaurus, one: str, other: str) -> None:
    assert packaged.lookup(one) == packaged.lookup(other) != ()


TAGGED = [
    ("benskörhet", "lay"),
    ("osteoporos", "pro"),
    ("KBT", "abbr"),
    ("TENS", "abbr"),
    ("Ipren", "brand"),
    ("Lyrica", "brand"),
    ("kotkompresion", "misspelling"),
    ("akupuntur", "misspelling"),
    ("osteoporosis", "en"),
]


@pytest.mark.parametrize("term, tag", TAGGED)
def test_packaged_term_tags(packaged: Thesaurus, term: str, tag: str) -> None:
    (concept,) = packaged.lookup(term)
    assert [t.tag for t in concept.terms if fold(t.text) == fold(term)] == [tag]


# Left out on purpose: each is a common Swedish word in another sense, so
# expanding it would flood a query ("ben" is leg and bone, "lever" is liver and
# "lives", "tryck" is any pressure, "läckage" is also anastomotic leakage).
AMBIGUOUS = "ben tryck lever led leder hand vad sena tunga läckage propp".split()


@pytest.mark.parametrize("word", AMBIGUOUS)
def test_ambiguous_words_are_not_terms(packaged: Thesaurus, word: str) -> None:
    assert packaged.lookup(word) == ()


@pytest.mark.parametrize(
    "query, added",
    [("benskörhet", "osteoporos"), ("sjukgymnastik", "fysioterapi"), ("Ipren", "ibuprofen")],
)
def test_queries_are_expanded_with_packaged_terms(
    sv_analyzer: Analyzer, query: str, added: str
) -> None:
    (stem,) = (
        t.term for t in sv_analyzer.analyze(added) if t.origin == "text" and not is_variant(t.term)
    )
    assert stem in sv_analyzer.query_terms(query)
