"""Find treatment and condition mentions in Swedish text and map them to concepts.

Mentions are found by matching thesaurus terms after the same analysis as the
search index (so "värmekuddar", "Värmekudde" and "botoxinjektioner" match their
entries). Treatments the thesaurus does not know are found by:

- the word endings Swedish uses for interventions (-terapi, -behandling,
  -träning, -plastik, -operation, -injektion, -kost, -skena, -salva, -övningar ...);
- a drug word list, and the WHO INN stems of drug names (-olol, -sartan,
  -prazol ...: "propranolol", "topiramat");
- a known drug with a dosage form ("diklofenakgel" → diklofenak);
- an adjective before a treatment head ("psykodynamisk terapi", "glutenfri
  kost", "kramplösande medel").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from lindra.language.thesaurus import Thesaurus
from lindra.language.tokenize import Token

__all__ = ["Mention", "MentionFinder", "TREATMENT_CATEGORIES"]

TREATMENT_CATEGORIES = frozenset({"treatment", "procedure", "drug"})
CONDITION_CATEGORIES = frozenset({"condition", "symptom"})
_MAX_PHRASE = 5

# Word endings of Swedish intervention nouns, for treatments missing from the
# thesaurus ("hydroterapi", "kyfoplastik", "ryggmärgsstimulering").
_TREATMENT_SUFFIX = re.compile(
    r"(terapi|terapin|behandling|behandlingen|behandlingar|träning|träningen|plastik|plastiken|"
    r"operation|operationen|operationer|injektion|injektionen|injektioner|massage|massagen|"
    r"gymnastik|gymnastiken|blockad|blockaden|blockader|stimulering|stimulation|"
    r"kirurgi|ektomi|tomi|korsett|korsetten|ortos|ortosen)$"
    # Heads that are a treatment only inside a compound ("lågkolhydratkost",
    # "järntillskott", "nattskena"), not alone ("kosten", "tillskott").
    r"|(?<=[\w-]{3})(kost|koster|diet|dieten|skena|skenan|skenor|inlägg|inläggen|tejpning|"
    r"tejpningen|protes|protesen|proteser|rehabilitering|rehabiliteringen|hämmare|hämmarna|"
    r"blockerare|analog|analoger|tillskott|tillskottet|täcke|täcken|bandage|kuren|"
    r"salva|salvan|salvor|kräm|krämen|krämer|övningar|övningarna|bad|badet|krage|kragen|"
    r"pulver|pulvret|kompress|kompresser|ligatur|feedback|droppar|dropparna|spray|sprayen|"
    r"sprej|sprejen|tejp|tejpen|medicin|medicinen|mediciner|medel|medlet|medlen|manöver|"
    r"manövern|manövrer|extrakt|extraktet|geler|gelen|tabletter|juice|juicen|olja|oljan|oljor|"
    r"filter|filtret|skydd|ersättning|kam|kammen|renare|hygien|omslag|omslagen)$"
)
# Compounds on those heads that are no treatment ("livsmedel", "forskningsmedel",
# the specialty "allmänmedicin") or only a generic one ("läkemedlet").
_NOT_COMPOUND_TREATMENTS = frozenset(
    """livsmedel livsmedlet livsmedlen hjälpmedel hjälpmedlet hjälpmedlen betalningsmedel
    skattemedel forskningsmedel statsmedel transportmedel uttrycksmedel
    kommunikationsmedel läkemedlet läkemedlen allmänmedicin internmedicin akutmedicin
    idrottsmedicin socialmedicin arbetsmedicin rättsmedicin skolmedicin barnmedicin
    sömnmedicin smärtmedicin dataskydd barnskydd brandskydd integritetsskydd
    konsumentskydd anställningsskydd rättsskydd""".split()
)
# Heads that take a discoverer's name in the genitive: "Epleys manöver",
# "Brandt-Daroffs övningar", "Kegels övningar".
_EPONYM_HEADS = frozenset(
    {"manöver", "manövern", "övningar", "övningarna", "metod", "metoden", "test", "teknik"}
)
# WHO INN stems of drug substances, for drug names no list holds ("propranolol").
_DRUG_STEM = re.compile(
    r"(olol|pril|sartan|statin|prazol|umab|ximab|tinib|azepam|azolam|oxetin|triptan|cillin|"
    r"mycin|cyklin|floxacin|dipin|afil|setron|gliptin|gliflozin|tidin|tiazid|ciklovir|amivir|"
    r"konazol|xaban|parin|profen|coxib|dronat|lukast|piramat|proat|tiapin|peridon|zapin|"
    r"afaxin|pramin|triptylin|oxacin|nidazol|kortison|kortisol|metason|esonid|tropium|"
    r"gabalin|pentin|fenidat|dexamfetamin|xetin|limus|betasol|furoat|nisolon|kason|hexidin|"
    # More WHO INN stems: beta-2 agonists, GLP-1 analogues, biguanides, fusion
    # proteins, antihistamines, local anaesthetics, opioids, z-drugs, antivirals, loop
    # diuretics, thyroid hormone.
    r"(?<!s)terol|glutid|formin|(?<!int)ercept|acept|tadin|tirizin|fenadin|kain|kodon|adol|"
    r"pidem|piklon|navir|tegravir|buvir|semid|tyroxin)$"
)
_MIN_DRUG = 7  # shorter words ending in a stem are ordinary words
# Dosage forms and delivery words after a drug name ("diklofenakgel", "östrogenkräm").
_DRUG_FORMS = (
    "gel", "gelen", "kräm", "krämen", "salva", "salvan", "tabletter", "tablett", "spray",
    "sprej", "plåster", "droppar", "kapslar", "injektion", "injektioner", "spruta", "sprutor",
    "behandling", "behandlingen", "kur", "kuren", "preparat", "preparaten", "preparatet",
)  # fmt: skip
# Dosage forms that follow a brand name ("Miniderm kräm", "Viscotears ögongel").
_BRAND_FORMS = frozenset(
    """kräm krämen salva salvan gel gelen lotion emulsion ögondroppar ögongel droppar
    nässpray spray munspray tabletter tablett brustabletter sugtabletter kapslar mixtur
    oral lösning plåster schampo suppositorier""".split()
)
# A treatment head that an adjective makes specific ("interpersonell terapi").
_HEADS = frozenset(
    {
        "terapi", "terapin", "kost", "kosten", "diet", "dieten", "medel", "medlet", "medlen",
        "läkemedel", "läkemedlen", "rehabilitering", "rehabiliteringen", "behandling",
        "behandlingen", "tabletter", "gymnastik", "träning", "träningen", "kirurgi",
        "kräm", "krämer", "krämen", "salva", "salvor", "övningar", "preparat", "preparaten",
        "metod", "metoden", "metoder", "medicin", "medicinen", "mediciner",
    }
)  # fmt: skip
_ADJECTIVE = re.compile(r"(isk|iska|iv|iva|ell|ella|fri|fria|ande|ende|al|ala|ad|ade|rik|ös|ösa)$")
# Adjectives that say how or when, not which treatment ("effektiv behandling").
_VAGUE_ADJECTIVES = frozenset(
    """medicinsk medicinska alternativ alternativa farmakologisk farmakologiska fysisk fysiska
    kirurgisk kirurgiska effektiv effektiva tidig tidiga individuell individuella aktiv aktiva
    förebyggande pågående kompletterande konservativ konservativa specifik specifika
    symtomatisk symtomatiska symtomlindrande adekvat adekvata optimal optimala akut akuta
    lokal lokala regional regionala ordinarie fortsatt lämplig lämpliga vanlig vanliga
    speciell speciella generell generella initial initiala primär primära sekundär sekundära
    ambulant ambulanta intensiv intensiva passiv passiva normal normala total totala
    extra egen egna enkel enkla bra god goda dålig ny nya omfattande varierande avancerad
    avancerade skonsam anpassad anpassade riktad riktade kombinerad kombinerade aktuell
    aktuella traditionell traditionella professionell professionella långvarig ordinerad
    ordinerade lindrande rekommenderad rekommenderade etablerad etablerade studerad
    studerade beprövad beprövade testad testade utprovad utprovade receptfri receptfria
    receptbelagd receptbelagda vanligast vanligaste""".split()
)


@dataclass(frozen=True, slots=True)
class Mention:
    """A concept named in the text: ``text[start:end]`` is the words as written."""

    concept: str
    category: str
    start: int
    end: int
    text: str
    known: bool = True
    generic: bool = False


# Inflection endings tried when a word's stem does not match: Snowball stems
# "blockad" to "block" but "blockader" to "blockad", so both are looked up.
_ENDINGS = ("erna", "arna", "orna", "ens", "ers", "en", "et", "er", "ar", "or", "na", "n", "s")
# A stem shorter than this only matches a term written exactly as in the text:
# "finns" and "finnar" (acne) share the stem "finn".
_MIN_STEM = 5


class MentionFinder:
    """Find thesaurus concepts (and unknown treatments) in text.

    :param thesaurus: the concepts to find.
    :param tokenize: text → tokens with offsets (the analyzer's tokenizer).
    :param normalise: one word → its stem (fold + Snowball), used on both the
        thesaurus terms and the text.
    :param generic: treatment words too general to be a treatment of their own
        ("behandling", "alternativ behandling"). A generic word the thesaurus knows
        ("fysisk träning", and every term of a generic concept such as
        "injektion" → "injicerar") is returned with ``generic=True``; others are
        skipped.
    :param drugs: drug names (folded, one word each) for drugs the thesaurus lacks.
    :param rare: true for a word no Swedish word list knows; a capitalised rare word
        before a dosage form ("Miniderm kräm", "Viscotears ögongel") is a brand.
    :param products: medicine names → a thesaurus drug, or else the substance they
        contain ("Requip" → "ropinirol"): a brand and its substance are one mention
        key. A name the thesaurus itself lists keeps its concept.
    """

    def __init__(
        self,
        thesaurus: Thesaurus,
        tokenize: Callable[[str], list[Token]],
        normalise: Callable[[str], str],
        generic: frozenset[str] = frozenset(),
        drugs: frozenset[str] = frozenset(),
        rare: Callable[[str], bool] = lambda word: False,
        products: Mapping[str, str] | None = None,
    ) -> None:
        self.thesaurus = thesaurus
        self.rare = rare
        self.tokenize = tokenize
        self.normalise = lru_cache(maxsize=100_000)(normalise)
        exact: dict[tuple[str, ...], str] = {}
        stems: dict[tuple[str, ...], str] = {}
        # Words that name a concept only in a question ("värme"), tried after the rest.
        asked: dict[tuple[str, ...], str] = {}
        for concept in thesaurus:
            in_questions = concept.question_forms()
            for form in concept.surface_forms():
                words = self._words(form)
                key = tuple(self.normalise(w) for w in words)
                if form in in_questions:
                    asked.setdefault(words, concept.id)
                    asked.setdefault(key, concept.id)
                    continue
                # The first concept listing a phrase keeps it (concepts are sorted).
                exact.setdefault(words, concept.id)
                if len(key) > 1 or len(key[0]) >= _MIN_STEM:
                    stems.setdefault(key, concept.id)
        # A product's unknown substance, by the product's stem ("requip" → "ropinirol").
        self._substances: dict[str, str] = {}
        taken = exact.keys() | stems.keys() | asked.keys()
        for name, target in (products or {}).items():
            words = self._words(name)
            key = tuple(self.normalise(w) for w in words)
            if words in taken or key in taken:
                continue
            if target in thesaurus:
                exact[words], stems[key] = target, target
            else:
                drugs |= {name}
                self._substances[" ".join(key)] = self.normalise(target)
        self._exact, self._stems, self._asked = exact, stems, asked
        # One word's concept depends on the word alone; ingest asks for most words often.
        self._lookup_word = lru_cache(maxsize=200_000)(self._word_concept)
        self._unknown_word = lru_cache(maxsize=200_000)(self._unknown_alone)
        # Words that can start a multi-word phrase: only at those is a longer match tried.
        self._starts = frozenset(k[0] for k in exact if len(k) > 1) | frozenset(
            k[0] for k in stems if len(k) > 1
        )
        self.generic_words = frozenset(
            tuple(self.normalise(w) for w in self._words(g)) for g in generic
        )
        self._starts |= frozenset(k[0] for k in self.generic_words if len(k) > 1)
        self._question_starts = self._starts | frozenset(k[0] for k in asked if len(k) > 1)
        self.generic_concepts = frozenset(
            concept_id for g in generic if (concept_id := exact.get(self._words(g))) is not None
        )
        self.drugs = frozenset(self.normalise(d) for d in drugs if " " not in d)

    def _words(self, phrase: str) -> tuple[str, ...]:
        # Numbers count: "typ 1-diabetes" and "typ 2-diabetes" are two concepts.
        return tuple(t.text.casefold() for t in self.tokenize(phrase) if t.kind != "abbreviation")

    def _lookup(self, words: Sequence[str], stems: Sequence[str]) -> str | None:
        found = self._exact.get(tuple(words))
        if found is not None:
            return found
        if len(words) > 1:
            return self._stems.get(tuple(stems))
        return self._lookup_word(words[0])

    def _word_concept(self, word: str) -> str | None:
        found = self._exact.get((word,))
        if found is not None:
            return found
        candidates = [word] + [
            word[: -len(e)] for e in _ENDINGS if word.endswith(e) and len(word) - len(e) >= 4
        ]
        for candidate in candidates:
            # "skenan": the bare form is a term although its stem is short.
            if candidate != word and (concept_id := self._exact.get((candidate,))):
                return concept_id
            stem = self.normalise(candidate)
            if len(stem) >= _MIN_STEM and (concept_id := self._stems.get((stem,))):
                return concept_id
        return self._with_form(word)

    def _with_form(self, word: str) -> str | None:
        """The concept of a drug with its dosage form ("diklofenakgel", "kortisonkräm"),
        or of a treatment hyphened to a form ("PRP-injektioner", "KBT-behandling")."""
        for form in _DRUG_FORMS:
            base = word[: -len(form)]
            if not word.endswith(form) or len(base) < 3:
                continue
            hyphened = base.endswith("-")
            for name in (base.rstrip("-"), base[:-1] if base.endswith("s") else None):
                concept_id = self._exact.get((name,)) if name else None
                if concept_id is None:
                    continue
                category = self.thesaurus.concept(concept_id).category
                if category == "drug" or (hyphened and category in TREATMENT_CATEGORIES):
                    return concept_id
        return None

    def _unknown(
        self, words: Sequence[str], stems: Sequence[str], i: int, capitalised: bool = False
    ) -> tuple[int, str] | None:
        """(length, category) of a treatment the thesaurus lacks starting at word *i*."""
        word = words[i]
        if (
            capitalised
            and i + 1 < len(words)
            and word.endswith("s")
            and len(word) >= 4
            and words[i + 1] in _EPONYM_HEADS
        ):
            return 2, "treatment"
        if (
            i + 1 < len(words)
            and words[i + 1] in _HEADS
            and _ADJECTIVE.search(word)
            and word not in _VAGUE_ADJECTIVES
            and not self._is_generic(stems[i : i + 2], None)
        ):
            return 2, "treatment"
        alone = self._unknown_word(word, stems[i])
        if alone == "drug":
            return 1, "drug"
        if (
            capitalised
            and i + 1 < len(words)
            and words[i + 1] in _BRAND_FORMS
            and len(word) >= 4
            and word.isalpha()
            and self.rare(word)
        ):
            return 1, "drug"
        return (1, alone) if alone else None

    def _unknown_alone(self, word: str, stem: str) -> str | None:
        """A drug or treatment the thesaurus lacks, told by the word alone (cached:
        ingest asks for every word of every sentence)."""
        if stem in self.drugs or (len(word) >= _MIN_DRUG and _DRUG_STEM.search(word)):
            return "drug"
        if (
            _TREATMENT_SUFFIX.search(word)
            and word not in _NOT_COMPOUND_TREATMENTS
            and not self._is_generic([stem], None)
        ):
            return "treatment"
        return None

    def _is_generic(self, stems: Sequence[str], concept_id: str | None) -> bool:
        if concept_id is not None and concept_id in self.generic_concepts:
            return True
        return tuple(stems) in self.generic_words

    def find(
        self, text: str, start: int = 0, end: int | None = None, *, question: bool = False
    ) -> list[Mention]:
        """Mentions within ``text[start:end]``, in order, longest phrase first; in a
        *question*, also the words that name a concept only there (tag ``ask``)."""
        stop = len(text) if end is None else end
        tokens = [t for t in self.tokenize(text[start:stop]) if t.kind != "abbreviation"]
        words = [t.text.casefold() for t in tokens]
        stems = [self.normalise(w) for w in words]
        starts = self._question_starts if question else self._starts
        mentions: list[Mention] = []
        i = 0
        while i < len(tokens):
            longest = 1
            if words[i] in starts or stems[i] in starts:
                longest = min(_MAX_PHRASE, len(tokens) - i)
            for length in range(longest, 0, -1):
                phrase, phrase_stems = words[i : i + length], stems[i : i + length]
                concept_id = self._lookup(phrase, phrase_stems)
                if concept_id is None and question:
                    concept_id = self._asked.get(tuple(phrase)) or self._asked.get(
                        tuple(phrase_stems)
                    )
                generic = self._is_generic(phrase_stems, concept_id)
                if concept_id is None:
                    if generic:  # "behandling", "smärtstillande behandling"
                        i += length
                        break
                    continue
                concept = self.thesaurus.concept(concept_id)
                a, b = start + tokens[i].start, start + tokens[i + length - 1].end
                mentions.append(
                    Mention(concept.id, concept.category, a, b, text[a:b], True, generic)
                )
                i += length
                break
            else:
                a = start + tokens[i].start
                unknown = (
                    None
                    if _in_address(text, a, start + tokens[i].end)
                    else self._unknown(words, stems, i, tokens[i].text[:1].isupper())
                )
                if unknown is None:
                    i += 1
                    continue
                length, category = unknown
                a, b = start + tokens[i].start, start + tokens[i + length - 1].end
                key = " ".join(stems[i : i + length])
                key = self._substances.get(key, key)
                mentions.append(Mention(key, category, a, b, text[a:b], known=False))
                i += length
        return mentions

    def named_treatment(self, text: str, start: int, end: int) -> Mention | None:
        """``text[start:end]`` as a treatment the thesaurus does not know (a name
        another reader found), keyed like the finder's own unknown treatments; None
        for a generic word ("behandlingen")."""
        tokens = [t for t in self.tokenize(text[start:end]) if t.kind != "abbreviation"]
        stems = [self.normalise(t.text.casefold()) for t in tokens]
        if not stems or self._is_generic(stems, None):
            return None
        key = " ".join(stems)
        key = self._substances.get(key, key)
        return Mention(key, "treatment", start, end, text[start:end], known=False)

    def infinitive_subject(self, text: str, start: int, end: int) -> Mention | None:
        """A self-care action that is the subject of a sentence: "Att sova på vänster
        sida har i ett par små studier gett mindre syra" → "sova på vänster sida"
        (up to six words between "Att" and the finite verb)."""
        match = _INFINITIVE_SUBJECT.match(text, start, end)
        if match is None:
            return None
        a, b = match.span("action")
        words = [t.text.casefold() for t in self.tokenize(text[a:b])]
        key = " ".join(self.normalise(w) for w in words)
        return Mention(key, "treatment", a, b, text[a:b], known=False)

    def treatments(self, mentions: Sequence[Mention]) -> list[Mention]:
        return [m for m in mentions if m.category in TREATMENT_CATEGORIES]

    def conditions(self, mentions: Sequence[Mention]) -> list[Mention]:
        return [m for m in mentions if m.category in CONDITION_CATEGORIES]


# "Att <infinitive> ... <finite verb>" opening a sentence: the action is its subject.
_INFINITIVE_SUBJECT = re.compile(
    r"\s*Att\s+(?P<action>(?:[a-zåäö]+a|gå|stå|se|ta|få|ha)(?:\s+[\w-]+){0,5}?)\s+"
    r"(?:har|hade|är|var|ger|gav|minskar|minskade|hjälper|hjälpte|lindrar|lindrade|verkar|"
    r"tycks|fungerar|påverkar|förbättrar|förbättrade|saknar|rekommenderas|kan|brukar|leder|"
    r"gör)\b"
)


def _in_address(text: str, start: int, end: int) -> bool:
    """True for a word inside a web address ("lim.integrativ-medicin.se")."""
    return (end + 1 < len(text) and text[end] == "." and text[end + 1].isalnum()) or (
        start >= 2 and text[start - 1] == "." and text[start - 2].isalnum()
    )
