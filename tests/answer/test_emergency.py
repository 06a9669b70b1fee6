"""Emergency triage: every line of the case files, the data tables, and the pieces."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lindra.answer.cue_patterns import (
    Match,
    Term,
    TermIndex,
    key,
    parse_pattern,
    term_matches,
    tokenize,
)
from lindra.answer.emergency import (
    EmergencyDetector,
    Rule,
    compose_message,
    load_emergency_table,
    load_messages,
    negated,
)
from lindra.errors import LexiconError
from lindra.language.lexicons import data_lines, packaged_file
from lindra.language.normalize import strip_accents
from lindra.types import Emergency

CASES = Path(__file__).parent / "cases"
EXPECTED = {
    "emergency_112.txt": "112",
    "emergency_1177.txt": "1177",
    "emergency_negative.txt": None,
}


def read_cases(name: str) -> list[str]:
    lines = (CASES / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


CASE_ROWS = [(name, q) for name in EXPECTED for q in read_cases(name)]


@pytest.fixture(scope="module")
def detector() -> EmergencyDetector:
    return EmergencyDetector.default()


def tiny(cues: list[tuple[str, str]], rules: list[tuple[str, str, str]]) -> EmergencyDetector:
    """A detector built from a few cues, the way a linguist would test a rule."""
    return EmergencyDetector(
        cues=[*cues, ("negation", "inte|ingen|inga"), ("negation_after", "inte")],
        rules=[Rule.parse(*r) for r in rules],
        messages={"112": "Ring 112 nu.", "1177": "Ring 1177.", "suicide": "Ring 90101."},
    )


# --- the case files -------------------------------------------------------------------


def test_case_files_are_large_enough() -> None:
    emergencies = len(read_cases("emergency_112.txt")) + len(read_cases("emergency_1177.txt"))
    assert emergencies >= 60
    assert len(read_cases("emergency_negative.txt")) >= 60


@pytest.mark.parametrize("name, question", CASE_ROWS, ids=[q[:50] for _, q in CASE_ROWS])
def test_case(detector: EmergencyDetector, name: str, question: str) -> None:
    result = detector.detect(question)
    assert result.level == EXPECTED[name], result.matched
    assert result.triggered == (EXPECTED[name] is not None)


@pytest.mark.parametrize("name, question", CASE_ROWS[::7], ids=[q[:50] for _, q in CASE_ROWS[::7]])
def test_case_typed_without_accents_or_in_capitals(
    detector: EmergencyDetector, name: str, question: str
) -> None:
    assert detector.detect(strip_accents(question)).level == EXPECTED[name]
    assert detector.detect(question.upper()).level == EXPECTED[name]


# --- what the asker sees ----------------------------------------------------------------


def test_112_message_comes_first_and_names_the_cues(detector: EmergencyDetector) -> None:
    result = detector.detect("Min pappa kan inte prata och munnen hänger")
    assert result.message.startswith("Ring 112")
    assert "stroke.face" in result.matched
    assert "face_droop: munnen hänger" in result.matched


def test_suicide_adds_the_suicide_line(detector: EmergencyDetector) -> None:
    result = detector.detect("vill inte leva langre")
    assert result.level == "112"
    assert "90101" in result.message


def test_poisoning_adds_the_poison_centre(detector: EmergencyDetector) -> None:
    result = detector.detect("min 2 åring har druckit lampolja")
    assert "Giftinformationscentralen" in result.message


def test_1177_message(detector: EmergencyDetector) -> None:
    result = detector.detect("min bebis är 6 veckor och har feber")
    assert result.level == "1177"
    assert result.message.startswith("Ring 1177")


def test_no_emergency_is_the_empty_value(detector: EmergencyDetector) -> None:
    assert detector.detect("Hur länge håller botox?") == Emergency(False)
    assert detector.detect("") == Emergency(False)


def test_messages_give_no_dosing_advice() -> None:
    messages = load_messages(packaged_file("sv_emergency_messages.tsv", "lindra.answer"))
    assert messages["112"].startswith("Ring 112")
    assert messages["1177"].startswith("Ring 1177")
    for text in messages.values():
        assert not re.search(r"\b(mg|gram|tablett|dos)\w*", text, re.IGNORECASE), text


@settings(deadline=None)
@given(st.text(max_size=200))
def test_detect_never_fails(text: str) -> None:
    result = DEFAULT.detect(text)
    assert result.triggered == (result.level is not None)


DEFAULT = EmergencyDetector.default()


# --- the data table ---------------------------------------------------------------------


def test_table_is_sorted_without_duplicates_or_stray_whitespace() -> None:
    path = packaged_file("sv_emergency.tsv", "lindra.answer")
    rows = [line for _, line in data_lines(path)]
    assert all(line == line.strip() and "  " not in line for line in rows)
    keys = [tuple(cell.casefold() for cell in line.split("\t")) for line in rows]
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)


def test_every_concept_is_used() -> None:
    cues, rules = load_emergency_table(packaged_file("sv_emergency.tsv", "lindra.answer"))
    used = {name for rule in rules for name in rule.needs()}
    used |= {w[1:] for _, pattern in cues for w in pattern.split() if w.startswith("@")}
    # negation and not_negation act through the negation scope; care_engaged through
    # a narrative's time frame, not through rules ("now" and "recent" do both)
    assert {concept for concept, _ in cues} - used == {
        "care_engaged",
        "negation",
        "negation_after",
        "not_negation",
    }


def test_rule_groups_with_messages_exist() -> None:
    _, rules = load_emergency_table(packaged_file("sv_emergency.tsv", "lindra.answer"))
    messages = load_messages(packaged_file("sv_emergency_messages.tsv", "lindra.answer"))
    groups = {rule.name.split(".")[0] for rule in rules}
    assert set(messages) - {"112", "1177"} <= groups


def test_bad_table_row_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "sv_emergency.tsv"
    path.write_text("# comment\ncue\tpain\tont\nrule\tx\t999\tpain\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="sv_emergency.tsv line 3: level must be"):
        load_emergency_table(path)
    path.write_text("cue\tpain\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="line 1: expected 'cue"):
        load_emergency_table(path)
    path.write_text("cue\tpain\t.. ont\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="must start and end with a word"):
        load_emergency_table(path)


def test_repeated_message_key(tmp_path: Path) -> None:
    path = tmp_path / "m.tsv"
    path.write_text("112\tRing 112.\n112\tRing 112 nu.\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="m.tsv line 2"):
        load_messages(path)


# --- the pieces -------------------------------------------------------------------------


def test_tokenize_keeps_decimals_and_clause_punctuation() -> None:
    assert tokenize("Feber 38,5! ont i brostet, hjälp") == (
        "feber", "38,5", "!", "ont", "i", "brostet", ",", "hjälp",
    )  # fmt: skip


@pytest.mark.parametrize(
    "term, token, known, expected",
    [
        (Term("brostet"), "brostet", frozenset(), True),  # accents already stripped
        (Term("brostet"), "brosttet", frozenset(), True),  # one typo
        (Term("brostet"), "brosten", frozenset({"brosten"}), False),  # a real word: breasts
        (Term("andas"), "anads", frozenset(), True),  # transposition
        (Term("andas"), "andra", frozenset({"andra"}), False),
        (Term("ont"), "ond", frozenset(), False),  # short words: no typos
        (Term("medvetslos", "prefix"), "medvetslost", frozenset(), True),
        (Term("tabletter", "suffix", False), "somntabletter", frozenset(), True),
        (Term("#", "number", False), "38,5", frozenset(), True),
        (Term("##", "big_number", False), "9", frozenset(), False),
        (Term("##", "big_number", False), "30", frozenset(), True),
        (Term("#<18", "below", False), "4", frozenset(), True),  # a child's age
        (Term("#<18", "below", False), "58", frozenset(), False),
        (Term("stroke", fuzzy=False), "stroka", frozenset(), False),
    ],
)
def test_term_matches(term: Term, token: str, known: frozenset[str], expected: bool) -> None:
    assert term_matches(term, token, known) is expected


@given(st.sampled_from([q for _, q in CASE_ROWS]), st.integers(0, 30), st.integers(0, 30))
def test_term_index_agrees_with_term_matches(question: str, word: int, at: int) -> None:
    """The look-up index is only an optimisation of term_matches, typos included."""
    words = [key(w) for w in tokenize(question)]
    token = words[word % len(words)]
    cut = at % max(len(token) - 1, 1)
    for typed in (
        token,
        token[:cut] + token[cut + 1 : cut + 2] + token[cut : cut + 1] + token[cut + 2 :],
    ):
        expected = {
            n
            for n, slot in enumerate(SLOTS)
            if any(term_matches(t, typed, KNOWN) for t in slot.terms)
        }
        assert INDEX.slots_for(typed, KNOWN) == expected


SLOTS = list(dict.fromkeys(s for ps in DEFAULT.cues.values() for p in ps for s in p if s.terms))
INDEX = TermIndex(SLOTS)
KNOWN = DEFAULT.known_words


@pytest.mark.parametrize("pattern", ["", "..", "ont ..", "^", "ont ^i", "brö*st"])
def test_bad_patterns(pattern: str) -> None:
    with pytest.raises(ValueError):
        parse_pattern(pattern)


@pytest.mark.parametrize(
    "question, words, negator, expected",
    [
        ("jag har inte ont i bröstet", (3, 5), 2, True),
        ("inga tankar på att skada mig", (4, 5), 0, True),
        ("jag har inte feber men ont i bröstet", (6, 8), 2, False),  # "men" ends the clause
        ("hon hostar inte och kan inte andas", (4, 5, 6), 2, False),  # "och" too
        ("inte det minsta i världen ont i bröstet", (5, 7), 0, False),  # too far
    ],
)
def test_negated(question: str, words: tuple[int, ...], negator: int, expected: bool) -> None:
    match = Match("x", words, ())
    assert negated(match, [negator], tokenize(question)) is expected


def test_negator_after_the_verb() -> None:
    assert negated(Match("fainted", (1,), ()), [2], tokenize("han svimmade inte"), after=[2])
    # "inget" is a determiner: it negates "ont", not "blödning"
    assert not negated(Match("bleeding", (1,), ()), [2], tokenize("en blödning inget ont"))


def test_negator_inside_a_gap() -> None:
    keys = tokenize("vill inte dö")
    assert negated(Match("suicidal", (0, 2), (1,)), [1], keys)


def test_tiny_detector_combines_concepts() -> None:
    d = tiny(
        [("chest", "ont .. bröstet"), ("breath", "svårt att andas"), ("personal", "jag")],
        [("chest.danger", "112", "chest breath"), ("chest.pain", "1177", "chest")],
    )
    assert d.detect("ont i brostet och svart att andas").level == "112"
    assert d.detect("jag har ont i bröstet").level == "1177"
    assert d.detect("jag har inte ont i bröstet").level is None


def test_tiny_detector_derived_concepts_and_absence() -> None:
    d = tiny(
        [("info", "^vad är"), ("personal", "jag|min"), ("name", "stroke")],
        [("general", "-", "info !personal"), ("name.now", "112", "name !general")],
    )
    assert d.detect("Vad är stroke?").level is None
    assert d.detect("Vad är det, min pappa har fått en stroke").level == "112"


def test_macros_expand_to_one_word_cues() -> None:
    d = tiny(
        [("pain_word", "ont|värk"), ("pain_word", "så ont"), ("head", "@pain_word .. huvudet")],
        [("head.pain", "1177", "head")],
    )
    assert d.detect("värk i huvudet").level == "1177"


def test_unknown_concept_in_a_rule() -> None:
    with pytest.raises(LexiconError, match="unknown concept"):
        tiny([("pain", "ont")], [("r", "112", "pian")])


def test_cycle_among_derived_rules() -> None:
    with pytest.raises(LexiconError, match="cycle"):
        tiny([("pain", "ont")], [("a", "-", "b"), ("b", "-", "a")])


def test_missing_level_message() -> None:
    with pytest.raises(LexiconError, match="no text for '1177'"):
        EmergencyDetector([("pain", "ont")], [], {"112": "Ring 112."})


def test_compose_message_adds_each_group_once() -> None:
    messages = {"112": "Ring 112 nu.", "suicide": "Ring 90101."}
    assert compose_message("112", ["suicide.a", "suicide.b", "chest.x"], messages) == (
        "Ring 112 nu. Ring 90101."
    )


def test_rule_parse() -> None:
    rule = Rule.parse("chest.danger", "112", "chest sweat|!calm")
    assert rule.holds({"chest"}) and rule.holds({"chest", "sweat", "calm"})
    assert not rule.holds({"chest", "calm"})
    with pytest.raises(ValueError, match="level"):
        Rule.parse("r", "113", "chest")


def test_a_long_story_about_the_past_raises_no_alarm() -> None:
    story = (
        "För tio år sedan fick min pappa en stroke. Han pratade sluddrigt och armen var svag. "
        "Han fick rehabilitering i ett år. Nu mår han bra och går på promenader varje dag. "
        "Vi har precis flyttat och han undrar om han får köra bil igen. "
        "Vad gäller för körkort efter stroke?"
    )
    assert DEFAULT.detect(story).level is None


# A pasted blog post: its dateline says when it was written, not when things happened.
POSTED = (
    "Min mamma har tryck över bröstet och är kallsvettig. "
    "Det strålar ut i vänster arm. Hon är blek och mår illa. Jag vet inte vad jag ska göra."
)


@pytest.mark.parametrize(
    "dateline",
    [
        "lördag 27 juni 2009",
        "lordag 27 juni 2009",
        "sondagen den 2 maj 2010",
        "Publicerad 2019-03-04 kl 10:12",
        "3 mars 2017",
        "Den 3 mars 2017",
    ],
)
def test_a_dateline_above_a_post_does_not_set_it_in_the_past(dateline: str) -> None:
    assert DEFAULT.detect(f"{dateline}\n\n{POSTED}").level == "112"


def test_a_date_within_a_sentence_still_sets_the_past() -> None:
    story = (
        "Den 3 juni 2017 fick min pappa en stroke. Han pratade sluddrigt och armen var svag. "
        "Han fick rehabilitering i ett år. Nu mår han bra och går på promenader varje dag. "
        "Vi har precis flyttat och han undrar om han får köra bil igen. "
        "Vad gäller för körkort efter stroke?"
    )
    assert DEFAULT.detect(story).level is None


# A story told in the past tense, with no named time: the tense of its verbs sets it.
TOLD_AFTERWARDS = (
    "Min son slutade andas i vagnen och blev alldeles blå om läpparna. "
    "Jag skrek hans namn och skakade honom. Han vaknade efter en stund. "
    "Läkarna hittade ingenting och vi fick åka hem. "
)


@pytest.mark.parametrize(
    "text, level",
    [
        (TOLD_AFTERWARDS + "Hur vanligt är det hos små barn?", None),
        # The same sign told in the present: now.
        (TOLD_AFTERWARDS + "Men nu andas han inte och är blå om läpparna igen.", "112"),
        (TOLD_AFTERWARDS + "Han andas inte och är blå om läpparna!", "112"),
        # Yesterday is not a story told afterwards.
        ("Igår " + TOLD_AFTERWARDS[0].lower() + TOLD_AFTERWARDS[1:], "112"),
    ],
)
def test_a_narrative_told_in_the_past_tense(text: str, level: str | None) -> None:
    assert DEFAULT.detect(text).level == level


def test_a_stay_in_the_tropics_told_early_holds_for_a_fever_told_later() -> None:
    story = (
        "Vi kom hem från en resa till Kenya för tre veckor sedan. "
        "Resan var fantastisk och vi såg massor av djur. "
        "Jobbet har varit stressigt sedan dess. "
        "Nu har jag haft feber och frossa i två dagar och ont i huvudet. Är det en förkylning?"
    )
    emergency = DEFAULT.detect(story)
    assert emergency.level == "1177" and "travel.fever" in emergency.matched


def test_a_red_flag_told_within_a_long_story_still_fires() -> None:
    story = (
        "Vi har varit på semester i två veckor och allt har varit bra. "
        "Barnen har badat varje dag och vi har ätit gott. "
        "Men nu i kväll säger min man att han har ett tryck över bröstet sedan en halvtimme. "
        "Han är kallsvettig och blek. Vad ska vi göra?"
    )
    assert DEFAULT.detect(story).level == "112"


@pytest.mark.parametrize(
    "text, level",
    [
        # Care already engaged after the red flag: the story is being handled.
        ("Min pappa fick en stroke i morse. Det blev ambulans till sjukhuset.", None),
        (
            "Han bara föll ihop och andades knappt. Vi ringde direkt. "
            "Nu ligger han på sjukhuset och mår bättre. Läkarna vet inte varför.",
            None,
        ),
        # Help is on its way but the sign is told with it, in the present: still 112.
        ("Ambulansen är på väg men han andas inte, vad ska jag göra?", "112"),
        # A new sign after the care: raised again.
        (
            "Hon var inlagd förra veckan. Vi kom hem i fredags. "
            "Nu har hon plötsligt svårt att andas och läpparna är blå.",
            "112",
        ),
        # Care told in the past tense handles what its own sentence tells.
        ("Han föll ihop på jobbet och kördes till akuten med ambulans.", None),
        ("Han foll ihop pa jobbet och kordes till akuten med ambulans.", None),  # no å/ä/ö
        ("Min dotter fick en allergisk chock och vi ringde 112.", None),
        (
            "Min son fick ett krampanfall och fördes till sjukhuset med ambulans. "
            "Nu har han svårt att andas och är blå om läpparna.",
            "112",
        ),
        # Told in the present, the sign is still going on.
        ("Han har jätteont i bröstet och vi har ringt 112, vad gör vi?", "112"),
    ],
)
def test_care_already_engaged(text: str, level: str | None) -> None:
    assert DEFAULT.detect(text).level == level


@pytest.mark.parametrize(
    "text",
    [
        # Care told of as history does not silence the red flags told before it.
        "Jag fick plötsligt väldigt ont i magen i morse och blir yr när jag står upp. "
        "Mensen är tre veckor sen. Jag låg på sjukhus för en blindtarmsoperation när jag var 15.",
        # The last period, told with its own past time, holds for the whole story.
        "Jag har plötsligt fått jätteont i magen och blir yr när jag reser mig. "
        "Jag tar inga mediciner. Jag har ingen feber. Jag hade mens sist för 7 veckor sen.",
    ],
)
def test_history_told_late_does_not_hide_a_red_flag(text: str) -> None:
    assert DEFAULT.detect(text).level == "112"


@pytest.mark.parametrize(
    "question",
    [
        "jag har hjärtsvikt och vaknade av att jag inte får luft",  # "får inte luft"
        "ring någon, jag märker att han inte kan andas",  # "kan inte andas"
    ],
)
def test_a_red_flag_in_a_subordinate_clause_word_order(question: str) -> None:
    assert DEFAULT.detect(question).level == "112"
