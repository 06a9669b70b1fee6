"""The answer card end to end on the sample pages (lexical ranking)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from lindra import Engine
from lindra.answer.compose import AnswerSettings
from lindra.answer.messages import load_messages
from lindra.errors import LexiconError, QueryError
from tests.conftest import engine_over, engine_with_page


def quotes_exact(engine: Engine, citations: object) -> bool:
    for c in citations:  # type: ignore[attr-defined]
        text = engine.document(c.doc_id).text
        if " ".join(text[c.start : c.end].split()) != c.text:
            return False
    return True


@pytest.mark.parametrize(
    "question, phrase",
    [
        ("Hur länge håller botox i bäckenbotten?", "håller sedan 3-6 månader"),
        ("Får man träna i bassäng om man är inkontinent?", "inkontinent"),
        ("Vilka biverkningar har botox?", "Biverkningarna kan vara"),
        # Effect questions lead with the page's evidence sentence.
        ("Hjälper vertebroplastik på lång sikt?", "inte finns en långtidseffekt"),
        ("Hjälper akupunktur mot smärta vid benskörhet?", "ingen dokumentation"),
        # Practical questions lead with the sentence the page states that fact in.
        ("Hur ofta måste man ta om botoxsprutan?", "upprepa behandlingen efter 3-6 månader"),
        ("Var får man tag på en stödkorsett?", "medicintekniska hjälpmedel"),
        ("Hur fungerar botox i musklerna?", "hämmar musklernas förmåga"),
    ],
)
def test_first_quote_answers(sample_engine: Engine, question: str, phrase: str) -> None:
    answer = sample_engine.ask(question)
    assert answer.found
    assert phrase in answer.answers[0].text
    assert quotes_exact(sample_engine, answer.answers)


def test_verdict_for_an_effect_question(sample_engine: Engine) -> None:
    answer = sample_engine.ask("Hjälper akupunktur mot smärta vid benskörhet?")
    assert answer.verdict is not None
    assert (answer.verdict.stance, answer.verdict.treatment) == ("undocumented", "akupunktur")
    assert answer.verdict.text == "Effekten är inte dokumenterad"
    [source] = answer.verdict.sources
    assert source.text == "Det finns ingen dokumentation för behandlingarnas effekt."
    assert quotes_exact(sample_engine, answer.verdict.sources)
    assert (answer.answers[0].text, answer.answers[0].stance) == (source.text, "undocumented")
    assert all(a.stance is None for a in answer.answers[1:])
    # The citation opens the passage that holds the quote, in its section.
    [passage] = sample_engine.store.passages([source.passage_id]).values()
    assert passage.start <= source.start < source.end <= passage.end
    assert source.section == passage.section == "Akupunktur och alternativ behandling"
    # The question's condition (benskörhet) selects the osteoporosis page's sources.
    assert answer.verdict.condition == "kotkompression"


def test_long_term_verdict(sample_engine: Engine) -> None:
    verdict = sample_engine.ask("Hjälper vertebroplastik på lång sikt?").verdict
    assert verdict is not None and verdict.text == "Studier visar ingen långtidseffekt"


def test_overview_uses_the_condition_the_base_knows_treatments_for(
    sample_engine: Engine,
) -> None:
    # "ryggont" has no treatments on the sample pages; "benskörhet" has the page's list.
    answer = sample_engine.ask("Vad hjälper mot ryggont vid benskörhet?")
    assert {"vertebroplastik", "bassängträning"} <= {row["concept"] for row in answer.treatments}


def test_treatment_overview_for_a_condition(sample_engine: Engine) -> None:
    answer = sample_engine.ask("Vad kan jag göra åt smärtan efter en kotkompression?")
    concepts = {row["concept"] for row in answer.treatments}
    assert {"vertebroplastik", "bassängträning", "fysioterapi"} <= concepts
    assert all({"concept", "stance", "facts", "sources"} <= set(row) for row in answer.treatments)
    assert answer.verdict is None


def test_timing_question_has_no_verdict(sample_engine: Engine) -> None:
    answer = sample_engine.ask("När kommer den bästa effekten av botox?")
    assert answer.verdict is None


def test_a_question_already_asked_finds_the_earlier_answer(sample_engine: Engine) -> None:
    answer = sample_engine.ask("Kan du skriva något om botox för överspänd bäckenbotten?")
    assert answer.found
    assert all(c.doc_id == "botox-backenbotten" for c in answer.answers)
    assert all(c.section != "Läsarfråga" for c in answer.answers)


@pytest.mark.parametrize(
    "question",
    ["Hur byter man däck på en cykel?", "Vilken tid går tåget till Malmö?", "Vad kostar en pizza?"],
)
def test_honest_not_found(sample_engine: Engine, question: str) -> None:
    answer = sample_engine.ask(question)
    assert not answer.found and answer.answers == ()
    assert "1177" in answer.note


def test_emergency_comes_with_the_card(sample_engine: Engine) -> None:
    answer = sample_engine.ask("min mamma har ont i bröstet och kan inte andas")
    assert answer.emergency.triggered and answer.emergency.level == "112"
    assert "112" in answer.emergency.message


def test_empty_question(sample_engine: Engine) -> None:
    with pytest.raises(QueryError, match="empty"):
        sample_engine.ask("   ")


def test_messages_file_must_have_every_key(tmp_path: Path) -> None:
    path = tmp_path / "m.tsv"
    path.write_text("not_found\tHittade inget.\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="missing message keys"):
        load_messages(path)


def test_a_verdict_is_never_borrowed_from_another_condition(
    tmp_path: Path, samples_dir: Path
) -> None:
    # Threshold 0: every question is "found", so the verdict alone is tested.
    botox = samples_dir / "botox-backenbotten.txt"
    with engine_over(tmp_path, botox, answer_threshold=0.0) as engine:
        verdict = engine.ask("Hjälper botox mot migrän?").verdict
        assert verdict is not None
        assert verdict.text == "Källorna säger inget om botox vid migrän"
        assert (verdict.stance, verdict.sources) == ("not_stated", ())
        # What the page says for its own condition follows, labelled as such.
        [other] = verdict.elsewhere
        assert verdict.elsewhere_title == "Om botox vid andra besvär"
        assert (other.stance, other.condition) == ("some_support", "överaktiv bäckenbotten")
        assert other.text == "Visst stöd i små studier vid överaktiv bäckenbotten"
        assert other.sources and all(c.doc_id == "botox-backenbotten" for c in other.sources)
        scoped = engine.ask("Hjälper botox mot kramp i bäckenbotten?").verdict
        assert scoped is not None and scoped.stance == "some_support"
        assert (scoped.elsewhere, scoped.elsewhere_title) == ((), "")
        # What it is asked to help against is no condition lindra knows: no verdict.
        assert engine.ask("Hjälper botox mot rynkor?").verdict is None


def test_found_nothing_never_carries_a_verdict(sample_engine: Engine) -> None:
    answer = sample_engine.ask("Hjälper akupunktur mot vårtor på fötterna hos hundar?")
    assert not answer.found and answer.verdict is None


def test_an_effect_question_in_plain_words_is_answered_from_the_graded_evidence(
    tmp_path: Path, samples_dir: Path
) -> None:
    # A bar so high that no passage is quoted: only the stored evidence can answer.
    osteoporosis = samples_dir / "osteoporos-smartbehandling.txt"
    with engine_over(tmp_path, osteoporosis, answer_threshold=5.0) as engine:
        answer = engine.ask("hjälper värme mot ont i ryggen vid benskörhet")
        assert answer.found and answer.reading is not None
        assert answer.reading["treatments"] == ["heat_therapy"]
        assert answer.verdict is not None and answer.verdict.stance == "undocumented"
        assert "aldrig dokumenterats" in answer.answers[0].text
        assert answer.answers[0].doc_id == "osteoporos-smartbehandling"
        # Not graded for that condition: still nothing found, and no verdict.
        other = engine.ask("hjälper värme mot migrän")
        assert not other.found and other.verdict is None


def test_a_practical_question_is_answered_from_the_stated_fact(
    tmp_path: Path, samples_dir: Path
) -> None:
    # A bar so high that no passage is quoted: only the stored fact sentence can answer.
    botox = samples_dir / "botox-backenbotten.txt"
    with engine_over(tmp_path, botox, answer_threshold=5.0) as engine:
        answer = engine.ask("hur länge sitter botoxen i")
        assert answer.found and answer.verdict is None
        assert "håller sedan 3-6 månader" in answer.answers[0].text
        assert quotes_exact(engine, answer.answers)
        # For another condition the page states nothing: no fact is borrowed.
        assert not engine.ask("hur länge sitter botoxen i vid migrän").found
        # A fact the page does not state is not answered either.
        assert not engine.ask("kan gravida få botox").found


def test_a_treatments_question_is_answered_from_the_conditions_table(
    tmp_path: Path, samples_dir: Path
) -> None:
    # A bar so high that no passage is quoted: only the stored table can answer.
    pages = [samples_dir / "osteoporos-smartbehandling.txt", samples_dir / "botox-backenbotten.txt"]
    with engine_over(tmp_path, *pages, answer_threshold=5.0) as engine:
        answer = engine.ask("min mamma har benskörhet och ont i ryggen vad kan hon göra")
        assert answer.found and answer.verdict is None
        assert answer.reading is not None and answer.reading["intent"] == "treatments"
        assert answer.answers and quotes_exact(engine, answer.answers)
        assert {c.doc_id for c in answer.answers} == {"osteoporos-smartbehandling"}
        assert all(c.stance not in (None, "not_stated") for c in answer.answers)
        # A condition the base has no treatments for: nothing found.
        assert not engine.ask("min mamma har migrän, vad kan hon göra").found


def test_how_long_question_leads_with_a_sentence_stating_a_duration(tmp_path: Path) -> None:
    text = (
        "Hur länge varar en panikattack?\n\n"
        "En panikattack känns mycket obehaglig. "
        "De flesta panikattacker går över inom 10 minuter.\n"
    )
    with engine_with_page(tmp_path, "panik.txt", text) as engine:
        answer = engine.ask("Hur länge varar en panikattack?")
    assert answer.found
    assert "10 minuter" in answer.answers[0].text


def test_a_sentence_of_the_asked_kind_answers_without_the_questions_words(
    tmp_path: Path,
) -> None:
    text = (
        "Hjärtklappning\n\n"
        "Hjärtklappning innebär att hjärtat slår snabbt eller hårt en kort stund. "
        "Hjärtklappning kan komma vid stress, efter kaffe och vid feber. "
        "Vanligtvis är det inget att oroa sig för.\n"
    )
    with engine_with_page(tmp_path, "hjartklappning.txt", text, answer_threshold=0.0) as engine:
        answer = engine.ask("Är hjärtklappning farligt?")
    assert answer.found
    assert answer.answers[0].text == "Vanligtvis är det inget att oroa sig för."


def test_a_verdict_from_a_broader_condition_says_which(tmp_path: Path) -> None:
    text = (
        "Värme vid ryggsmärta\n\nVärmebehandling har i flera randomiserade kontrollerade "
        "studier visat god effekt mot akut ryggsmärta.\n"
    )
    with engine_with_page(tmp_path, "varme-rygg.txt", text, answer_threshold=0.0) as engine:
        # "ländryggssmärta" is a kind of "ryggsmärta" (sv_thesaurus.tsv, broader column).
        verdict = engine.ask("Hjälper värme mot ont i ländryggen?").verdict
        assert verdict is not None
        assert verdict.text == "Studier visar att behandlingen har effekt vid ryggsmärta"
        assert (verdict.stance, verdict.condition) == ("proven_effect", "ryggsmärta")
        assert [c.doc_id for c in verdict.sources] == ["varme-rygg"]
        # A sibling ("ont i nacken") is no kind of back pain: nothing is borrowed, no
        # passage is about it, and the note says what the sources lack.
        sideways = engine.ask("Hjälper värme mot ont i nacken?")
        assert not sideways.found and sideways.verdict is None and sideways.answers == ()
        assert sideways.note.startswith("Källorna säger inget om värme vid ont i nacken. ")
        assert "1177" in sideways.note


def test_a_disagreeing_page_about_the_same_condition_is_shown(
    tmp_path: Path, samples_dir: Path
) -> None:
    # The issue's case: a second page says botox for the pelvic floor "har inte visat
    # bättre effekt än placebo"; the verdict must not stay "Visst stöd".
    pages = written_pages(
        tmp_path,
        {
            "botox-backenbotten": (samples_dir / "botox-backenbotten.txt").read_text("utf-8"),
            "botox-placebo": "Botox mot spänd bäckenbotten\n\nBotox har inte visat bättre "
            "effekt än placebo mot smärta vid överaktiv bäckenbotten, visar en ny "
            "randomiserad studie.\n",
        },
    )
    with engine_over(tmp_path, pages, answer_threshold=0.0) as engine:
        verdict = engine.ask("Hjälper botox mot kramp i bäckenbotten?").verdict
        assert verdict is not None
        assert (verdict.text, verdict.stance) == ("Källorna går isär", "mixed")
        sides = {c.doc_id: c.stance for c in verdict.sources}
        assert sides == {"botox-backenbotten": "some_support", "botox-placebo": "no_effect"}
        [row] = [r for r in engine.treatments("överaktiv bäckenbotten") if "botulinum" in r.concept]
        assert (row.stance, row.agree) == ("mixed", False)


def test_a_page_that_only_mentions_the_asked_condition_grades_nothing_for_it(
    tmp_path: Path,
) -> None:
    pages = written_pages(
        tmp_path,
        {
            "kol": "Rökstopp vid KOL\n\nKOL är en lungsjukdom. Vid KOL har rökstopp god "
            "effekt, visar flera stora studier. KOL ger andfåddhet och hosta. Många med KOL "
            "blir bättre av träning. KOL förväxlas ibland med astma.\n",
            "astma": "Rökstopp vid astma\n\nFör rökstopp vid astma saknas vetenskapligt stöd "
            "för effekt på astmasymtomen.\n",
        },
    )
    with engine_over(tmp_path, pages, answer_threshold=0.0) as engine:
        verdict = engine.ask("Hjälper rökstopp mot astma?").verdict
        # The COPD page names asthma once, in passing: it is no source for asthma.
        assert verdict is not None and verdict.stance == "undocumented"
        assert [c.doc_id for c in verdict.sources] == ["astma"]
        kol = engine.ask("Hjälper rökstopp mot KOL?").verdict
        assert kol is not None and [c.doc_id for c in kol.sources] == ["kol"]


def test_a_passage_about_another_condition_does_not_answer(tmp_path: Path) -> None:
    text = (  # a page on chickenpox only
        "Vattkoppor\n\nHur länge smittar vattkoppor? Vattkoppor smittar från ett par dagar "
        "innan blåsorna kommer tills alla blåsor har torkat in, ungefär en vecka.\n"
    )
    with engine_with_page(tmp_path, "vattkoppor.txt", text, answer_threshold=0.0) as engine:
        # The question names a condition the page never names: nothing is quoted.
        stomach = engine.ask("Hur länge smittar magsjuka?")
        assert not stomach.found and stomach.answers == ()
        pox = engine.ask("Hur länge smittar vattkoppor?")
        # The page's own question is not quoted as an answer.
        assert pox.found and "ungefär en vecka" in pox.answers[0].text
        assert not any(c.text.endswith("?") for c in pox.answers)
        # A question that names no condition is not held to one.
        assert engine.ask("Hur länge smittar det?").found


def test_a_lead_in_is_not_quoted_and_a_sentence_leaning_back_comes_later(tmp_path: Path) -> None:
    text = (  # written for this test
        "Biverkningar\n\nAtt rapportera biverkningar:\n\n"
        "Men alla läkemedel kan ge biverkningar, och biverkningar är vanliga.\n\n"
        "Biverkningar rapporteras till Läkemedelsverket av vården, och du kan rapportera "
        "biverkningar själv.\n"
    )
    with engine_with_page(tmp_path, "biverkningar.txt", text, answer_threshold=0.0) as engine:
        answer = engine.ask("Måste jag rapportera biverkningar själv?")
        assert answer.found
        assert not any(c.text.endswith(":") for c in answer.answers)
        assert answer.answers[0].text.startswith("Biverkningar rapporteras")


def test_a_brand_is_glossed_with_its_substance_for_the_embedding(sample_engine: Engine) -> None:
    answerer = sample_engine.answerer
    assert answerer.finder is not None

    def gloss(question: str) -> str:
        return answerer._drug_gloss(answerer.finder.find(question, question=True))

    assert gloss("Vågar jag dricka alkohol om jag tar Ipren?") == "ibuprofen"
    assert gloss("När kommer en ersättare till Waran?") == "warfarin"
    assert gloss("Hjälper ibuprofen mot mensvärk?") == ""  # the substance itself


def test_a_verdict_over_many_pages_quotes_a_few_and_every_side(tmp_path: Path) -> None:
    proven = {
        f"varme-{n:02d}": f"Värme vid ryggsmärta {n}\n\nVärmebehandling har i flera "
        "randomiserade kontrollerade studier visat god effekt mot akut ryggsmärta.\n"
        for n in range(14)
    }
    none = (
        "Värme och ryggsmärta\n\nVärmebehandling har ingen effekt vid ryggsmärta enligt "
        "en stor studie.\n"
    )
    pages = written_pages(tmp_path, {**proven, "varme-ingen": none})
    with engine_over(tmp_path, pages, answer_threshold=0.0) as engine:
        verdict = engine.ask("Hjälper värme mot ryggsmärta?").verdict
        assert verdict is not None and verdict.stance == "mixed"  # graded from all 15
        assert len(verdict.sources) == AnswerSettings().verdict_sources
        assert {c.stance for c in verdict.sources} == {"proven_effect", "no_effect"}


def test_the_best_sentences_are_read_again_by_their_embeddings(
    dense_sample_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    answerer = dense_sample_engine.answerer
    question = "Hur går det till när man gör en vertebroplastik?"
    # Every question answered (no abstention model, no bar): the order is what is tested.
    monkeypatch.setattr(answerer, "abstention", None)
    answering = replace(answerer.settings, threshold=0.0)
    monkeypatch.setattr(answerer, "settings", replace(answering, sentence_rerank=0))
    # The first quote is the stated fact ("Bencement sprutas in"), then the best sentences.
    lexical = [c.text for c in answerer.ask(question).answers]
    assert len(lexical) == 3
    embedder = dense_sample_engine.embedder
    assert embedder is not None
    asked = embedder.queries([question])[0]
    read: list[str] = []

    def closest_to_last(texts: Sequence[str]) -> npt.NDArray[np.float32]:
        # The question's own vector for the last quote, orthogonal ones elsewhere.
        read.extend(texts)
        return np.stack([asked if t == lexical[2] else np.zeros_like(asked) for t in texts])

    monkeypatch.setattr(answerer, "sentence_vectors", closest_to_last)
    monkeypatch.setattr(answerer, "settings", replace(answering, sentence_rerank=5))
    reread = [c.text for c in answerer.ask(question).answers]
    assert reread[1] == lexical[2]
    assert 0 < len(read) <= 5  # only the best candidates are embedded


def test_the_sentences_read_again_are_among_the_quotable_ones(
    dense_sample_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `lindra embed --sentences` fills the cache with quotable_sentences: the card must
    # ask for no other text, or the cache would not spare its questions the model.
    answerer = dense_sample_engine.answerer
    quotable = {
        text
        for summary in dense_sample_engine.store.documents()
        for text in answerer.quotable_sentences(dense_sample_engine.store.document(summary.id))
    }
    assert not any(text.endswith(("?", ":")) for text in quotable)
    read: list[str] = []
    vectors = answerer.sentence_vectors
    assert vectors is not None

    def recorded(texts: Sequence[str]) -> npt.NDArray[np.float32]:
        read.extend(texts)
        return vectors(texts)

    monkeypatch.setattr(answerer, "sentence_vectors", recorded)
    for question in ("hur länge håller botox", "hjälper värme mot ont i ryggen vid benskörhet"):
        answerer.ask(question)
    assert read and set(read) <= quotable


def test_a_configured_bar_declines_without_embedding_sentences(
    dense_sample_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    answerer = dense_sample_engine.answerer
    read: list[str] = []

    def recorded(texts: Sequence[str]) -> npt.NDArray[np.float32]:
        read.extend(texts)
        return np.zeros((len(texts), 384), dtype=np.float32)

    monkeypatch.setattr(answerer, "sentence_vectors", recorded)
    monkeypatch.setattr(answerer, "abstention", None)
    monkeypatch.setattr(answerer, "settings", replace(answerer.settings, threshold=2.0))
    answer = answerer.ask("Hur går det till när man gör en vertebroplastik?")
    # No passage reaches a bar this high, so no sentence is embedded; the card falls
    # back on the stated fact ("Bencement sprutas in"), which needs no embedding.
    assert read == []
    assert [c.text for c in answer.answers] == [
        "Vertebroplastik: Bencement sprutas in i en ryggkota"
    ]


def test_without_embeddings_the_sentences_keep_their_order(sample_engine: Engine) -> None:
    assert sample_engine.answerer.sentence_vectors is None  # dense retrieval is off


def written_pages(tmp_path: Path, texts: dict[str, str]) -> Path:
    """A folder of ``<name>.txt`` pages with *texts*."""
    folder = tmp_path / "pages"
    folder.mkdir()
    for name, text in texts.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder
