"""Treatment and condition mentions, normalised to thesaurus concepts."""

from __future__ import annotations

import pytest

from lindra.knowledge.defaults import default_mention_finder
from lindra.knowledge.mentions import MentionFinder
from lindra.language.swedish import default_thesaurus
from lindra.language.tokenize import Tokenizer


@pytest.fixture(scope="module")
def finder() -> MentionFinder:
    return default_mention_finder(default_thesaurus(), Tokenizer())


CASES = [
    ("Botox hjälper för vissa.", "botulinum_toxin"),
    ("Botoxinjektioner minskar smärtan.", "botulinum_toxin"),
    ("Behandling med botulinumtoxin typ A.", "botulinum_toxin"),
    ("Värmekuddar används i akut fas.", "heat_therapy"),
    ("Ispackningar kan lindra.", "cold_therapy"),
    ("Du kan få sjukgymnastik.", "physiotherapy"),
    ("Fysioterapi är en bra start.", "physiotherapy"),
    ("Blockader med kortison.", "nerve_block"),
    ("Transkutan nervstimulation (TNS) används.", "tens"),
    ("Ta Ipren mot värken.", "ibuprofen"),
    ("Kognitiv beteendeterapi (KBT) kan hjälpa.", "cbt"),
    ("Diklofenakgel kan ge viss lindring.", "diclofenac"),  # drug + dosage form
    ("Ibuprofengel på knät.", "ibuprofen"),
    ("Johannesört påverkar p-piller.", "st_johns_wort"),
    ("Sängvila påskyndar inte läkningen.", "bed_rest"),
    ("Fysisk aktivitet hjälper.", "physical_activity"),
    ("Skenan används på natten.", "orthosis"),  # bare form "skena" is a term
    ("I studien var PRP-injektioner inte bättre.", "prp"),  # treatment-hyphen-form
]


@pytest.mark.parametrize("text, concept", CASES)
def test_first_treatment_mention(finder: MentionFinder, text: str, concept: str) -> None:
    treatments = finder.treatments(finder.find(text))
    assert treatments and treatments[0].concept == concept


def test_offsets_quote_the_words(finder: MentionFinder) -> None:
    text = "Akupunktur, laserterapi och transkutan nervstimulation (TNS) används."
    mentions = finder.treatments(finder.find(text))
    assert [text[m.start : m.end] for m in mentions] == [
        "Akupunktur",
        "laserterapi",
        "transkutan nervstimulation",
        "TNS",
    ]


def test_short_stems_need_the_exact_word(finder: MentionFinder) -> None:
    # "finns" and "finnar" share the Snowball stem "finn"; "men" is not "mens".
    assert finder.find("Det finns inga studier, men många tror på det.") == []


def test_generic_words_are_not_treatments(finder: MentionFinder) -> None:
    mentions = finder.find("Behandlingen omfattar träning och alternativ behandling.")
    assert all(m.generic for m in finder.treatments(mentions))


def test_unknown_interventions_by_their_ending(finder: MentionFinder) -> None:
    [mention] = finder.treatments(finder.find("Vi provade kraniosakralterapi i tre veckor."))
    assert (mention.text, mention.known) == ("kraniosakralterapi", False)


def test_conditions(finder: MentionFinder) -> None:
    concepts = {
        m.concept
        for m in finder.conditions(finder.find("Smärta vid benskörhet och kotkompression"))
    }
    assert {"osteoporosis", "vertebral_compression_fracture"} <= concepts


@pytest.mark.parametrize(
    "text, mention, category",
    [
        # WHO INN stems and the drug list, for drugs the thesaurus lacks.
        ("Andra alternativ är nebivolol.", "nebivolol", "drug"),
        ("Hon tar sitagliptin.", "sitagliptin", "drug"),
        ("Hon fick lisinopril.", "lisinopril", "drug"),
        ("Ta Alvedon vid behov.", "Alvedon", "drug"),
        # An adjective makes a treatment head specific.
        ("Psykodynamisk terapi är ett alternativ.", "Psykodynamisk terapi", "treatment"),
        ("Vissa provar antiinflammatorisk kost.", "antiinflammatorisk kost", "treatment"),
        ("Läkaren skriver ut kramplösande medel.", "kramplösande medel", "treatment"),
        # Endings of interventions.
        ("Nattskenan används i sex veckor.", "Nattskenan", "treatment"),
        ("Lågkolhydratkost är populärt.", "Lågkolhydratkost", "treatment"),
        ("Prova hostmedicin från apoteket.", "hostmedicin", "treatment"),
        ("Silvertejp sägs hjälpa.", "Silvertejp", "treatment"),
        ("H2-blockerare minskar syran.", "H2-blockerare", "treatment"),
        ("Hästkastanjextrakt säljs på apotek.", "Hästkastanjextrakt", "treatment"),
        ("Kamma med en luskam varje dag.", "luskam", "treatment"),
        # A discoverer's name in the genitive with a treatment head.
        ("Den mest använda kallas Epleys manöver.", "Epleys manöver", "treatment"),
        ("Endoskopiska metoder har prövats.", "Endoskopiska metoder", "treatment"),
        # A capitalised word no word list knows, before a dosage form: a brand.
        ("Smörj med Xerodermin kräm två gånger om dagen.", "Xerodermin", "drug"),
        ("Som alternativ finns pimekrolimus.", "pimekrolimus", "drug"),  # INN stem -limus
    ],
)
def test_treatments_the_thesaurus_lacks(
    finder: MentionFinder, text: str, mention: str, category: str
) -> None:
    [found] = finder.treatments(finder.find(text))
    assert (found.text, found.category) == (mention, category)


@pytest.mark.parametrize(
    "text",
    [
        "En effektiv behandling kräver tid.",  # how, not which
        "Du kan behöva en mer omfattande behandling.",
        "Några studier tyder på att tillskott kan hjälpa.",  # a compound head alone
        "Medicinsk behandling kan behövas.",
        "Smärtstillande behandling ges vid behov.",
        "Det är bäst att börja i tid.",
        "Hon motionerar varje dag.",
        "Han tog kokain.",  # -kain drugs need the list, not the stem
        "Ät varierade livsmedel.",  # compound heads with exceptions
        "Hon är specialist i allmänmedicin.",
        "Läs mer på lim.integrativ-medicin.se om metoderna.",  # inside a web address
        "Läkemedlet ska tas med mat.",
        "Läkaren kan göra en gastroskopi.",  # an examination, not a treatment
        "Läs om dataskydd och kakor.",
        "Andra husmedel nämns ofta på forum.",  # generic
        "Denna kräm är dyr.",  # a common word before a dosage form is no brand
    ],
)
def test_no_treatment(finder: MentionFinder, text: str) -> None:
    assert [m.text for m in finder.treatments(finder.find(text)) if not m.generic] == []


@pytest.mark.parametrize(
    "sentence, action",
    [
        ("Att sova på vänster sida har i studier gett mindre syra.", "sova på vänster sida"),
        ("Att tvätta oftare ger inte färre finnar.", "tvätta oftare"),
        ("Att undvika rörelser gör inte att besvären försvinner.", "undvika rörelser"),
    ],
)
def test_an_action_can_be_the_subject(finder: MentionFinder, sentence: str, action: str) -> None:
    found = finder.infinitive_subject(sentence, 0, len(sentence))
    assert found is not None and found.text == action and not found.known


@pytest.mark.parametrize(
    "sentence", ["Att det finns studier är bra.", "Det är viktigt att sova.", "Atten är en ö."]
)
def test_no_action_subject(finder: MentionFinder, sentence: str) -> None:
    assert finder.infinitive_subject(sentence, 0, len(sentence)) is None


def test_a_question_only_word_names_a_treatment_in_a_question_alone(
    finder: MentionFinder,
) -> None:
    page = "Huden runt såret visar rodnad, svullnad och värme."
    assert finder.treatments(finder.find(page)) == []
    question = finder.treatments(finder.find("Hjälper värme mot ont i ryggen?", question=True))
    assert [m.concept for m in question] == ["heat_therapy"]


PRODUCTS = [
    ("Jag tog Nexium i två veckor.", "esomeprazole", True),  # brand → thesaurus drug
    ("Loceryl nagellack mot nagelsvamp.", "amorolfin", False),  # brand → its substance
    ("Amorolfin finns som nagellack.", "amorolfin", False),  # the substance itself
    ("Prova Cocillana-Etyfin mot hostan.", "cocillana-etyfin", False),  # a combination
]


@pytest.mark.parametrize("text, key, known", PRODUCTS)
def test_medicines_of_the_swedish_register(
    finder: MentionFinder, text: str, key: str, known: bool
) -> None:
    first = finder.treatments(finder.find(text))[0]
    assert (first.concept, first.category, first.known) == (key, "drug", known)


def test_common_words_are_not_taken_for_product_names(finder: MentionFinder) -> None:
    # "Balance" and "Anti" are products too; "vatten" and "acetylkolin" substances.
    text = "Balance i livet, anti-inflammatorisk kost, vatten och brist på acetylkolin."
    assert [m.text for m in finder.treatments(finder.find(text))] == ["anti-inflammatorisk kost"]


def test_a_product_never_takes_a_thesaurus_word() -> None:
    thesaurus = default_thesaurus()
    products = {"akupunktur": "ibuprofen", "värme": "ibuprofen"}
    finder = MentionFinder(thesaurus, Tokenizer().tokenize, str.casefold, products=products)
    assert [m.concept for m in finder.find("Akupunktur och värme.")] == ["acupuncture"]
    asked = finder.find("Hjälper värme?", question=True)
    assert [m.concept for m in asked] == ["heat_therapy"]


def test_a_name_found_elsewhere_becomes_an_unknown_treatment(finder: MentionFinder) -> None:
    text = "Lustgas kan lindra smärtan vid förlossningen."
    mention = finder.named_treatment(text, 0, 7)
    assert mention is not None
    assert (mention.text, mention.category, mention.known) == ("Lustgas", "treatment", False)
    assert mention.concept == finder.normalise("lustgas")
    # A generic word stays no treatment of its own, whoever found it.
    assert finder.named_treatment("Behandlingen tar tid.", 0, 12) is None
