"""Medical entity tagging: 1177 markup, gazetteer, CRF, the shipped tagger and ``lindra tag``."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lindra.interfaces.cli import app
from lindra.knowledge.crf import train_crf
from lindra.knowledge.entities import (
    BIO_LABELS,
    GAZETTEER_FILES,
    EntityTagger,
    bio_to_spans,
    refine_tags,
    spans_to_bio,
)
from lindra.knowledge.gazetteer import Gazetteer, inflections, load_terms
from lindra.knowledge.markup import MarkupError, parse_markup, to_markup
from lindra.knowledge.ner_features import FeatureExtractor
from lindra.knowledge.ner_training import Example, make_folds, score_spans, train_tagger
from lindra.knowledge.weights import load_weights, save_weights
from lindra.language.lexicons import packaged_file
from lindra.language.stem import SnowballStemmer

SAMPLE = Path(__file__).parent / "data" / "ner_sample.txt"


def sample_lines() -> list[str]:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


@pytest.fixture(scope="module")
def tagger() -> EntityTagger:
    return EntityTagger.default()


# --- markup ---------------------------------------------------------------------


@pytest.mark.parametrize("line", sample_lines())
def test_markup_round_trip(line: str) -> None:
    tokens, spans = parse_markup(line)
    assert to_markup(tokens, spans) == " ".join(line.split())
    assert not {"(", ")", "[", "]", "{", "}"} & set(tokens)


def test_parse_markup_labels_and_offsets() -> None:
    tokens, spans = parse_markup("Det gäller ( tuberkulos ) ( tbc ) och ( hepatit B ) .")
    assert tokens == ["Det", "gäller", "tuberkulos", "tbc", "och", "hepatit", "B", "."]
    assert spans == [(2, 3, "disorder"), (3, 4, "disorder"), (5, 7, "disorder")]


@pytest.mark.parametrize(
    "line",
    ["( feber", "feber )", "( feber ]", "( hög [ feber ] )", "[ a ] }"],
)
def test_parse_markup_rejects_unpaired_brackets(line: str) -> None:
    with pytest.raises(MarkupError):
        parse_markup(line)


def test_to_markup_drops_overlapping_spans() -> None:
    assert to_markup(["a", "b", "c"], [(0, 2, "drug"), (1, 3, "body")]) == "[ a b ] c"


def test_bio_round_trip() -> None:
    spans = [(0, 2, "drug"), (3, 4, "body"), (4, 5, "body")]
    assert bio_to_spans(spans_to_bio(6, spans)) == spans


# --- gazetteers -----------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(GAZETTEER_FILES.values()))
def test_gazetteer_files_are_clean(name: str) -> None:
    path = packaged_file(name, "lindra.knowledge")
    terms = load_terms(path)
    assert list(terms) == sorted(set(terms)), f"{name}: not sorted or has duplicates"
    assert all(t == unicodedata.normalize("NFC", t.strip()) for t in terms)


INFLECTION_CASES = [
    ("näsa", "näsan"),
    ("hjärta", "hjärtat"),
    ("läkemedel", "läkemedlet"),
    ("muskel", "musklerna"),
    ("tablett", "tabletterna"),
    ("allergi", "allergin"),
    ("biverkning", "biverkningarna"),
]


@pytest.mark.parametrize("lemma, form", INFLECTION_CASES)
def test_inflections(lemma: str, form: str) -> None:
    assert form in inflections(lemma)


COMPOUND_CASES = [
    ("ryggsmärtan", "head", "disorder"),
    ("ögondroppar", "head", "drug"),
    ("magslemhinnan", "head", "body"),
    ("hjärt-kärlsjukdom", "head", "disorder"),
    ("magsår", "modifier", "body"),
]


@pytest.mark.parametrize("word, part, label", COMPOUND_CASES)
def test_compound_parts(word: str, part: str, label: str) -> None:
    gazetteer = Gazetteer(
        {"disorder": ["smärta", "sjukdom"], "drug": ["droppar"], "body": ["slemhinna", "mage"]}
    )
    found = gazetteer.head_labels(word) if part == "head" else gazetteer.modifier_labels(word)
    assert found == (label,)


# --- CRF training and weights -----------------------------------------------------


def tiny_extractor() -> FeatureExtractor:
    gazetteer = Gazetteer({"drug": ["paracetamol"], "disorder": ["feber"], "body": ["näsa"]})
    return FeatureExtractor(gazetteer, SnowballStemmer(), lambda word: 3.0)


def sample_examples() -> list[Example]:
    examples = []
    for line in sample_lines():
        tokens, spans = parse_markup(line)
        examples.append(Example(tuple(tokens), tuple(spans)))
    return examples


def test_crf_learns_its_training_sentences() -> None:
    examples = sample_examples()
    trained = train_tagger(examples, tiny_extractor(), c2=0.1)
    predicted = [trained.tag_tokens(e.tokens) for e in examples]
    assert score_spans([e.spans for e in examples], predicted)["micro"].f1 > 0.95


def test_crf_decodes_well_formed_bio() -> None:
    sentences = [[["a"], ["b"]], [["b"], ["a"]]]
    model = train_crf(sentences, [["B-drug", "I-drug"], ["O", "B-body"]], BIO_LABELS)
    for sentence in ([["b"], ["b"], ["b"]], [["x"]], [["a"], ["a"]]):
        tags = model.decode(sentence)
        assert all(
            not t.startswith("I-") or (i > 0 and tags[i - 1][2:] == t[2:])
            for i, t in enumerate(tags)
        )


def test_weights_round_trip(tmp_path: Path) -> None:
    examples = sample_examples()[:5]
    trained = train_tagger(examples, tiny_extractor())
    path = tmp_path / "weights.tsv.gz"
    save_weights(trained.model, path, comments=["test"])
    loaded = EntityTagger(load_weights(path), trained.extractor)
    for example in examples:
        assert loaded.tag_tokens(example.tokens) == trained.tag_tokens(example.tokens)


def test_folds_keep_repeated_sentences_together() -> None:
    examples = [Example(("a", "b"), ()), Example(("c",), ()), Example(("a", "b"), ())] * 2
    folds = make_folds(examples, 3)
    assert sorted(i for fold in folds for i in fold) == list(range(6))
    assert any({0, 2, 3, 5} <= set(fold) for fold in folds)


# --- span boundaries ----------------------------------------------------------------

REFINE_GAZETTEER = Gazetteer(
    {
        "disorder": ["inflammation", "smärta", "tuberkulos", "tbc", "mässling"],
        "disorder_general": ["sjukdom"],
        "drug": ["waran"],
        "body": ["öga", "slemhinna", "tarmfunktion"],
    }
)

# (words, CRF tags, spans after refine_tags)
REFINE_CASES = [
    # grading adjectives join the disorder, also coordinated ones
    ("kronisk inflammation", "O B-disorder", [(0, 2, "disorder")]),
    (
        "långvarig och inflammatorisk smärta",
        "O O O B-disorder",
        [(0, 4, "disorder")],
    ),
    # "och" without a second adjective stays outside
    (
        "feber och svår smärta",
        "B-disorder O O B-disorder",
        [(0, 1, "disorder"), (2, 4, "disorder")],
    ),
    # adjectives do not join drugs or body parts
    ("svåra ögon", "O B-body", [(1, 2, "body")]),
    # a truncated compound joins the entity that completes it
    ("mag- och tarmfunktionerna", "O O B-body", [(0, 3, "body")]),
    # two names of the same label are two entities ...
    ("tuberkulos tbc", "B-disorder I-disorder", [(0, 1, "disorder"), (1, 2, "disorder")]),
    ("sjukdomarna mässling", "B-disorder I-disorder", [(0, 1, "disorder"), (1, 2, "disorder")]),
    # ... unless a genitive joins them
    ("ögonens slemhinnor", "B-body I-body", [(0, 2, "body")]),
    # a brand takes its appositive head noun, a common noun does not
    ("läkemedlet Waran", "O B-drug", [(0, 2, "drug")]),
    ("läkemedlet waran", "O B-drug", [(1, 2, "drug")]),
]


@pytest.mark.parametrize("text, tags, expected", REFINE_CASES)
def test_refine_tags(text: str, tags: str, expected: list[tuple[int, int, str]]) -> None:
    refined = refine_tags(text.split(), tags.split(), REFINE_GAZETTEER)
    assert bio_to_spans(refined) == expected


def test_common_words_are_not_forced_into_entities(tagger: EntityTagger) -> None:
    # "hand" is a body term, but at Zipf >= 5 it is mostly "i första hand".
    entities = tagger.tag("Man ska i första hand använda receptfri nässprej.")
    assert "hand" not in [e.text for e in entities]


def test_rare_compounds_of_known_heads_are_entities(tagger: EntityTagger) -> None:
    entities = tagger.tag("Det finns blodkärlsdemens och pannlobsdemens.")
    assert [(e.label, e.text) for e in entities] == [
        ("disorder", "blodkärlsdemens"),
        ("disorder", "pannlobsdemens"),
    ]


# --- the shipped tagger -------------------------------------------------------------

TAG_CASES = [
    (
        "Man ska inte använda cox-hämmare om man har astma.",
        [("drug", "cox-hämmare"), ("disorder", "astma")],
    ),
    (
        "Barn under 18 år ska inte ta acetylsalicylsyra mot feber.",
        [("drug", "acetylsalicylsyra"), ("disorder", "feber")],
    ),
    (
        "Hepatit B orsakas av ett virus som gör att man får en inflammation i levern.",
        [("disorder", "Hepatit B"), ("disorder", "inflammation"), ("body", "levern")],
    ),
    (
        "Vid pollenallergi kan man ta antihistaminer som tabletter eller ögondroppar.",
        [("disorder", "pollenallergi"), ("drug", "antihistaminer"), ("drug", "ögondroppar")],
    ),
    (
        "Lunginflammation och öroninflammation kan komma efter mässling.",
        [
            ("disorder", "Lunginflammation"),
            ("disorder", "öroninflammation"),
            ("disorder", "mässling"),
        ],
    ),
    (
        "Han har ont i magen och halsbränna.",
        [("disorder", "ont i magen"), ("disorder", "halsbränna")],
    ),
    (
        "Hon tar Waran för att förebygga blodproppar.",
        [("drug", "Waran"), ("disorder", "blodproppar")],
    ),
    ("Migrän kan behandlas med naproxen.", [("disorder", "Migrän"), ("drug", "naproxen")]),
    ("Vårdpersonalen ska berätta vilka behandlingsalternativ som finns.", []),
]


@pytest.mark.parametrize("text, expected", TAG_CASES)
def test_tag_swedish_sentences(
    tagger: EntityTagger, text: str, expected: list[tuple[str, str]]
) -> None:
    entities = tagger.tag(text)
    assert [(e.label, e.text) for e in entities] == expected
    assert all(text[e.start : e.end] == e.text for e in entities)


def test_tag_tokens_ignores_glued_punctuation(tagger: EntityTagger) -> None:
    spans = tagger.tag_tokens(["Ta", "paracetamol,", "inte", "ibuprofen", "."])
    assert (1, 2, "drug") in spans
    assert tagger.tag_tokens([]) == [] and tagger.tag("") == []


def test_tagger_on_sample_is_mostly_right(tagger: EntityTagger) -> None:
    # The shipped weights were trained on these sentences: a sanity check, not a score.
    examples = sample_examples()
    predicted = [tagger.tag_tokens(e.tokens) for e in examples]
    assert score_spans([e.spans for e in examples], predicted)["micro"].f1 > 0.8


# --- lindra tag ---------------------------------------------------------------------


def test_cli_markup_keeps_tokens_and_empty_lines() -> None:
    plain = [" ".join(parse_markup(line)[0]) for line in sample_lines()[:4]]
    stdin = "\n".join([plain[0], "", *plain[1:]]) + "\n"
    result = CliRunner().invoke(app, ["tag", "--markup"], input=stdin)
    assert result.exit_code == 0, result.output
    out = result.stdout.splitlines()
    assert out[1] == ""
    assert [" ".join(parse_markup(line)[0]) for line in out] == [plain[0], "", *plain[1:]]
    assert "[ paracetamol ]" in result.stdout


def test_cli_json_spans() -> None:
    result = CliRunner().invoke(app, ["tag"], input="Ta Alvedon mot huvudvärk.\n")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["line"] == 1
    assert [(e["label"], e["text"], e["tokens"]) for e in record["entities"]] == [
        ("drug", "Alvedon", [1, 2]),
        ("disorder", "huvudvärk", [3, 4]),
    ]


def test_cli_help_mentions_markup() -> None:
    result = CliRunner().invoke(app, ["tag", "--help"])
    assert result.exit_code == 0 and "--markup" in result.stdout
