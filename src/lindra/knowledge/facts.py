"""Practical facts about a treatment, read from the sentences that concern it.

Each rule is a small regular expression over one Swedish sentence, written from
how Swedish patient texts (1177, FASS patient leaflets, region and blog pages)
phrase onset, duration, side effects and requirements. A fact always keeps the
sentence it came from, so the answer card can quote it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, get_args

__all__ = ["FACT_KINDS", "Fact", "duration_in", "read_facts"]

FactKind = Literal[
    "phase",
    "onset",
    "peak",
    "duration",
    "repeat",
    "side_effects",
    "requirements",
    "access",
    "first_line",
    "mechanism",
    "administration",
    "indications",
    "usage",
]
FACT_KINDS: tuple[FactKind, ...] = get_args(FactKind)


@dataclass(frozen=True, slots=True)
class Fact:
    """One fact: its kind, a short value and the sentence span it rests on."""

    kind: FactKind
    value: str
    start: int
    end: int


_NUMBER = r"(?:\d+(?:[,.]\d+)?|en|ett|två|tre|fyra|fem|sex|sju|åtta|nio|tio|tolv|några|få|par)"
_UNIT = (
    r"(?:sekunder|sekund|minuter|minut|min|timmar|timme|tim|h|dygn|dagar|dag|veckor|vecka|"
    r"v|månader|månad|mån|år)"
)
# "1-2 veckor", "3–6 månader", "ungefär 4 veckor", "upp till två dygn", "ett par dagar"
_DURATION = re.compile(
    rf"(?:(?:ungefär|cirka|ca\.?|runt|omkring|upp till|minst|högst|någon|några)\s+)?"
    rf"{_NUMBER}(?:\s*(?:-|–|till|à)\s*{_NUMBER})?\s+{_UNIT}\b",
    re.IGNORECASE,
)


def duration_in(text: str) -> re.Match[str] | None:
    """The first duration expression in *text*.

    >>> duration_in("resultatet håller sedan 3-6 månader").group()
    '3-6 månader'
    >>> duration_in("maximal lindring kommer efter ungefär 4 veckor").group()
    'ungefär 4 veckor'
    """
    return _DURATION.search(text)


_ONSET = re.compile(
    r"(tar|dröjer)\b[^.]{0,40}?\b(innan|tills|till dess)\b[^.]{0,40}\b(lindring|effekt|verkan|"
    r"förbättring|resultat)\w*|(börjar|brukar)\s+(verka|hjälpa|ge effekt|märkas)|"
    r"effekten\s+(kommer|märks|börjar)|(första|tidig)\w*\s+effekt",
    re.IGNORECASE,
)
_PEAK = re.compile(
    r"\b(maximal|maximala|full|fulla|bästa|störst[a]?|optimal)\s+(lindring|effekt|verkan)\w*",
    re.IGNORECASE,
)
# "verkar inom en timme" tells onset, and "kvarstår problemen i sex månader" the
# illness: "kvarstår" and "räcker" count only after an effect word.
_DURATION_VERB = re.compile(
    r"\b(håller|varar|sitter i)\b(?!\s+i sig)|"
    r"\b(effekt\w*|lindring\w*|resultat\w*|verkan)\s+(?:\S+\s+){0,2}?(kvarstår|räcker)\b",
    re.IGNORECASE,
)
_REPEAT = re.compile(
    r"\b(upprepa\w*|ny(tt|a)? (behandling|injektion|spruta)\w*|förnya\w*|ges om|"
    r"(var|vart) (\d+|tredje|fjärde|sjätte)\w*)\b",
    re.IGNORECASE,
)
_HARMS = (
    r"illamående|yrsel|huvudvärk|klåda|utslag|diarré|förstoppning|sveda|irritation|"
    r"rodnad|svullnad|blödning\w*|infektion\w*|allergisk\w*|trötthet|muntorrhet|"
    r"biverkning\w*|besvär|problem|skador|skada|smärta|ont|sömnproblem|beroende|"
    r"kramp\w*|svettning\w*|hjärtklappning|viktuppgång|torr\w*|fjällning|stickningar|"
    r"dåsighet|nedstämdhet|cancer|trombos|njursten|symtom"
)
_SIDE_EFFECT = re.compile(
    r"\b(biverkning\w*|bieffekt\w*|komplikation\w*|riskerna med|oönskade effekter|"
    r"försvagar|blir nedsatt|övergående)\b|"
    r"\b(ökar|öka|ökade|ökad)\s+(?:\S+\s+)?risk(en|er)?\s+för\b|"
    r"\brisk(en|er)?\s+för\s+\S*(inducerad|orsakad)|"
    # "kan ge dig en remiss" is no side effect: what it can cause must be a harm.
    r"\bkan (ge|orsaka|leda till)\s+(?:\S+\s+){0,3}?(" + _HARMS + r")",
    re.IGNORECASE,
)
_REQUIREMENT = re.compile(
    r"\b(ska|skall|måste|bör|behöver)\s+(du|man|patienten|ni)\s+(inte\s+)?(vara|kunna|ha)\b"
    r"|\bfår\s+(du|man|patienten|ni)\s+inte\s+(vara|ha|använda|ta|träna)\b"
    r"|\b(rekommenderar|rekommenderas)\s+(ytterst\s+)?sällan\b"
    r"|\b(bara|endast|enbart)\s+(i|under)\s+(en\s+)?(kort|begränsad)\s+(period|tid)\b"
    r"|\b(kan|ska|bör)\s+användas\s+(?:\S+\s+){0,4}?(i|under)\s+(en\s+)?(kort|begränsad)\s+"
    r"(period|tid)\b"
    r"|\binte\s+(lämplig|rekommenderas|ges)\b",
    re.IGNORECASE,
)
_ACCESS = re.compile(
    r"\b(remiss\w*|hänvisa\w*|förskriv\w*|recept\w*|receptfri\w*|utanför sjukhus\w*|"
    r"vårdcentral\w*|specialistmottagning\w*|hjälpmedel\w*|apotek\w*|behandlare)\b",
    re.IGNORECASE,
)
_FIRST_LINE_NO = re.compile(
    r"\b(inte|aldrig|ej)\b[^.]{0,30}\b(förstahands\w*|första hand)", re.IGNORECASE
)
# "syftar i första hand till" means "mainly"; "i andra hand" is second line.
_FIRST_LINE_YES = re.compile(
    r"\b(förstahandsbehandling|förstahandsval|förstahandsalternativ\w*|"
    r"(?<!syftar )(?<!handlar )(?<!gäller )i första hand)\b",
    re.IGNORECASE,
)
_SECOND_LINE = re.compile(r"\b(i andra hand|i tredje hand|andrahands\w*)\b", re.IGNORECASE)
_MECHANISM = re.compile(
    r"\b(funkar|fungerar|verkar)\s+(så|genom)\b|\bhämmar\b|\bblockerar\b|"
    r"\bstabiliser\w*\b",
    re.IGNORECASE,
)
_ADMINISTRATION = re.compile(
    r"\b(under|i)\s+(lokalbedövning|narkos|sövning)\b|\bsprutas\s+in\b|\binjicer\w*\b|"
    r"\bstickplats\w*\b|\bges\s+(ofta\s+)?(som|i|på)\b|\bröra sig\b[^.]{0,30}\befter\b",
    re.IGNORECASE,
)
# "Om du har smärtsamma muskelspänningar (myoser) ... kan", "används mot migrän"
_INDICATION = re.compile(
    r"\b(?:om du har|för att behandla|(?:används|ges|hjälper) (?:mot|vid|för))\s+"
    r"([^,.;]{3,80}?)(?=\s+(?:i området|kan|så|och|som)\b|[,.;]|$)",
    re.IGNORECASE,
)
# How often a treatment is used: "Behandlingen används därför endast sällan".
_USAGE = re.compile(
    r"\b(används|rekommenderas)\s+(därför\s+)?(endast\s+|bara\s+|ytterst\s+|mycket\s+)?"
    r"(sällan|ofta|av och till|ibland|sparsamt)\b",
    re.IGNORECASE,
)
_PHASES = (
    ("acute", re.compile(r"\bakut\w*", re.IGNORECASE)),
    (
        "persistent",
        re.compile(r"\b(ihållande|kronisk\w*|långvarig\w*|långdragen)\b", re.IGNORECASE),
    ),
)


def _clean(text: str) -> str:
    return " ".join(text.split())


def read_facts(sentence: str, start: int, context: str = "") -> list[Fact]:
    """Facts stated in one sentence that starts at offset *start* of its document.

    *context* is the sentence's section heading path, which can carry the phase
    ("Vid akuta smärtor").

    >>> sentence = "Det tar ofta 1-2 veckor innan lindringen börjar."
    >>> [(f.kind, f.value) for f in read_facts(sentence, 0)]
    [('onset', '1-2 veckor')]
    """
    facts: list[Fact] = []
    end = start + len(sentence)

    def add(kind: FactKind, value: str) -> None:
        facts.append(Fact(kind, _clean(value), start, end))

    for phase, pattern in _PHASES:
        if pattern.search(sentence) or pattern.search(context):
            add("phase", phase)
    for kind, value in _timings(sentence):
        add(kind, value)
    if _FIRST_LINE_NO.search(sentence) or (
        _SECOND_LINE.search(sentence) and not _FIRST_LINE_YES.search(sentence)
    ):
        add("first_line", "false")
    elif _FIRST_LINE_YES.search(sentence):
        add("first_line", "true")
    for kind, pattern in (
        ("side_effects", _SIDE_EFFECT),
        ("requirements", _REQUIREMENT),
        ("access", _ACCESS),
        ("mechanism", _MECHANISM),
        ("administration", _ADMINISTRATION),
        ("usage", _USAGE),
    ):
        if pattern.search(sentence):
            add(kind, sentence)
    if indication := _INDICATION.search(sentence):
        add("indications", indication.group(1))
    return facts


_TIMING_CUES: tuple[tuple[FactKind, re.Pattern[str]], ...] = (
    ("onset", _ONSET),
    ("peak", _PEAK),
    ("repeat", _REPEAT),
    ("duration", _DURATION_VERB),
)


def _timings(sentence: str) -> list[tuple[FactKind, str]]:
    """Each duration in *sentence*, labelled by the closest timing cue before it.

    >>> _timings("Det tar 1-2 veckor innan lindringen kommer och maximal lindring kommer "
    ...          "efter 4 veckor, resultatet håller sedan 3-6 månader.")
    [('onset', '1-2 veckor'), ('peak', '4 veckor'), ('duration', '3-6 månader')]
    """
    durations = list(_DURATION.finditer(sentence))
    if not durations:
        return []  # most sentences: no need to look for the cues
    cues = [
        (match.start(), kind)
        for kind, pattern in _TIMING_CUES
        for match in pattern.finditer(sentence)
    ]
    found: list[tuple[FactKind, str]] = []
    for duration in durations:
        before = [(position, kind) for position, kind in cues if position < duration.start()]
        if before:
            found.append((max(before)[1], duration.group()))
    return found
