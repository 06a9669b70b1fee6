"""Swedish compound splitting: ``bäckenbottensmärta`` → ``bäckenbotten`` + ``smärta``.

Swedish writes compounds as one word, so a patient's "ont i bäckenbotten" and an
article's "bäckenbottensmärta" share no index term; a stemmer never splits them.
The analyzer keeps the whole word and :class:`CompoundStage` adds its parts.

Method: Koehn & Knight (2003, "Empirical methods for compound splitting") with
the Swedish morphology of hunspell-sv, as data derived by
``scripts/build_compound_lexicon.py`` (see ``data/SOURCES.md``) and read by
:mod:`lindra.language.compound_lexicon`.

1. Candidates: every cut of the word into 2–4 parts of at least three
   letters. A non-final part is a compound-initial form of a lexicon word:
   one hunspell-sv lists (COMPOUNDBEGIN/MIDDLE words and their fogemorfem
   forms: ``behandlings``, ``kyrko``, ``smärt``), else a productive link
   (-s-, none, a dropped final -a: ``kot`` from ``kota``), penalised. The
   last part is an inflected form of a noun or of a COMPOUNDEND word.
2. Score: the mean Zipf frequency (wordfreq) of the parts, minus a penalty per
   part beyond two. The best split is kept only if it beats the whole word's
   own frequency, so a frequent lexicalised word stays whole.
3. Vetoes, each a Swedish rule rather than a list of words: stop words and
   verb particles are never parts (``om+sorg``, ``gen|omgång``); a compound
   inflects like its head (``tonsill`` has tonsiller, ``sill`` sillar); a
   derivation keeps its suffix (``lindr+ing`` is not ``lind+ring``); derivational
   suffixes and prefixes that look like words are not parts (``sjuk+dom``,
   ``miss+bruk``, ``psyko+logi``); no joint inside a Greek or Latin prefix
   (``tran|skutan``). ``data/sv_compound_exceptions.tsv`` lists the few words
   left over (``sjukgymnast``).
4. Structure: a 3–4-part split is grouped by a known sub-compound or by the
   "fog-s" that marks the main joint (``bäckenbotten+s+smärta``), so
   :func:`split_compound` returns the two top constituents and
   :meth:`CompoundSplitter.parts` the whole tree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

from lindra.language.compound_lexicon import MIN_PART, CompoundLexicon, Lemma, load_compound_lexicon
from lindra.language.tokenize import Token

__all__ = [
    "CompoundLexicon",
    "CompoundSplitter",
    "MAX_WORD_CHARS",
    "CompoundStage",
    "Lemma",
    "Segment",
    "load_compound_lexicon",
    "segment_compound",
    "split_compound",
]

MAX_PARTS = 4  # hunspell-sv COMPOUNDWORDMAX 4
# Splitting costs time quadratic in a word's length; the longest real Swedish
# compounds have about 40 letters, so a longer "word" (a base64 blob, a data
# URI) is indexed as it is.
MAX_WORD_CHARS = 64
EXTRA_PART_PENALTY = 0.75  # Zipf points per part beyond two
GUESSED_LINK_PENALTY = 0.5  # a linking form hunspell-sv does not list
UNMARKED_HEAD_PENALTY = 0.5  # a noun head hunspell-sv does not mark COMPOUNDEND

# Greek and Latin prefixes of medical words (Svenska skrivregler, "Ord med
# främmande förled"), with Latin con- assimilated (kom-, kon-, kor-): the first
# joint comes after them, never inside (tran|skutan) or right at them
# (post|operativ is not mail, kor|relation not cows, bio|kemisk not cinema).
NEOCLASSICAL_PREFIXES = tuple(
    "anti bio endo epi extra hyper hypo inter intra kom kon kor makro mikro multi para peri poly"
    " post retro sub super trans".split()
)
# Derivational suffixes that are also free words (SAG vol. 2, avledningssuffix):
# as a head they give nonsense parts (sjuk+dom 'sick verdict', stor+lek 'big
# game', del+vis 'part wise', brist+ande 'lack spirit'); neoclassical -(o)logi(sk)
# is not 'logi' (lodging), 'logisk' (logical) or 'ologisk' (illogical):
# psyko+logi, farmak+ologisk.
SUFFIX_HOMOGRAPHS = frozenset(
    "ande bar dom else ende het lek logi logisk ologi ologisk skap vis".split()
)
# Suffixes that make nouns from verbs (SAG vol. 2): lindr-ing, pack-ning, lär-are.
DEVERBAL_SUFFIXES = ("ering", "ning", "ing", "ande", "ende", "are", "else")
# Definite, plural and genitive endings of those nouns (SAG vol. 2), for words
# the lexicon lists without inflection (mottagare-n, lindring-ar-na).
_NOUN_INFLECTIONS = ("", *"s n ns na nas en ens ar arna arnas ars et ets".split())


@dataclass(frozen=True, slots=True)
class Segment:
    """One part of a compound: ``text`` as written in it, ``part`` as indexed.

    ``Segment("behandlings", "behandling")``: the linking -s- is dropped;
    ``Segment("smärt", "smärta")``: the dropped final -a is restored. ``score``
    is the evidence for the reading (the word's Zipf frequency minus penalties).
    """

    text: str
    part: str
    score: float = 0.0


def _initial_readings(form: str, lexicon: CompoundLexicon) -> list[Segment]:
    """Readings of *form* as a non-final part, best first, scored by frequency.

    hunspell-sv's compound-initial forms come first; they include the lexically
    conditioned links (kyrk-o-, var-u-, tjänst-e-, yrk-es-, tim- from timme).
    Where it lists none, the productive links of Språkrådet's *Svenska
    skrivregler* / SAG vol. 2 are tried (penalised): -s- after a noun
    (behandling-s-, also when hunspell only lists a verb: rätts- is rätt, not
    rätta), a bare noun or adjective (hud-, anal-) and a noun's dropped final
    -a (smärt-a, kot-a).
    """
    if form in lexicon.non_parts:
        return []
    readings = [
        Segment(form, word, lexicon.lemmas[word].zipf)
        for word in lexicon.initial_forms.get(form, ())
        if word not in lexicon.non_parts
    ]
    lemma = lexicon.lemmas.get(form)
    if lemma is not None and lemma.begins:
        readings.append(Segment(form, form, lemma.zipf))
    linking_s = form.endswith("s")
    # (base, word classes that take the link, penalty); restoring a letter is the
    # bolder guess: led- is led, not leda; näs- is näsa only as näs is rare.
    guesses: list[tuple[str, str, float]] = []
    if linking_s and not any("n" in lexicon.lemmas[r.part].pos for r in readings):
        guesses.append((form[:-1], "n", GUESSED_LINK_PENALTY))
    if not readings:
        guesses.append((form, "an", GUESSED_LINK_PENALTY))
        guesses.append((form + "a", "n", 2 * GUESSED_LINK_PENALTY))
    for base, classes, penalty in guesses:
        lemma = lexicon.lemmas.get(base)
        if (
            lemma is not None
            and set(lemma.pos) & set(classes)
            and len(base) >= MIN_PART
            and base not in lexicon.non_parts
        ):
            readings.append(Segment(form, base, lemma.zipf - penalty))
    # A linking -s belongs to nouns (SAG vol. 2): prefer them.
    readings.sort(
        key=lambda r: (not linking_s or "n" in lexicon.lemmas[r.part].pos, r.score), reverse=True
    )
    return readings


def _final_readings(
    form: str,
    analyses: Sequence[tuple[str, Lemma]],
    lexicon: CompoundLexicon,
    whole: Sequence[Lemma],
    deverbal: set[str],
) -> list[Segment]:
    """Readings of *form* as the head; it must agree with the whole word.

    :param analyses: the lexicon's analyses of *form*.
    :param whole: the lemmas of the whole word, when it is in the lexicon.
    :param deverbal: suffixes by which the whole word derives from a verb
        (``lindr-ing``); the head must then be a derivation of a verb too, so
        ``lindring`` does not become ``lind`` + ``ring``.
    """
    if form in lexicon.non_parts or form in SUFFIX_HOMOGRAPHS:
        return []
    if deverbal and not deverbal & _deverbal([form, *(w for w, _ in analyses)], lexicon):
        return []
    readings = []
    for word, lemma in analyses:
        if word in SUFFIX_HOMOGRAPHS or word in lexicon.non_parts or len(word) < MIN_PART:
            continue
        # Heads are content words: a noun, or a word hunspell-sv lets end a
        # compound that also inflects (uninflected entries are mostly adverbs
        # and stray verb forms: tillbaka, enligt, säljer).
        if not ("n" in lemma.pos or lemma.ends and lemma.pos):
            continue
        if whole and not any(_agrees(lemma, w) for w in whole):
            continue
        penalty = 0.0 if lemma.ends else UNMARKED_HEAD_PENALTY
        readings.append(Segment(form, form, lemma.zipf - penalty))
    return readings


def _agrees(head: Lemma, whole: Lemma) -> bool:
    """A compound inflects like its head: same plural, a shared word class."""
    head_plurals, whole_plurals = head.plurals, whole.plurals
    if head_plurals and whole_plurals and not head_plurals & whole_plurals:
        return False
    return not (head.pos and whole.pos and not set(head.pos) & set(whole.pos))


def _deverbal(words: Iterable[str], lexicon: CompoundLexicon) -> set[str]:
    """The suffixes by which one of *words* derives from a verb: lindring → ``ing``.

    Inflected forms count (mottagar-en is mottag-are). -ering always counts
    (from a loan verb in -era, SAG vol. 2), even when the verb is missing from
    the lexicon: rekanalisering is not rekanalis + ring.
    """
    found = set()
    for word in words:
        for inflection in _NOUN_INFLECTIONS:
            if not word.endswith(inflection):
                continue
            base = word[: len(word) - len(inflection)]
            for suffix in DEVERBAL_SUFFIXES:
                if base.endswith(suffix) and (
                    suffix == "ering"
                    and len(base) > 7
                    or lexicon.is_verb_stem(base[: -len(suffix)])
                ):
                    found.add(suffix)
    return found


def _first_joint(word: str, lexicon: CompoundLexicon) -> int:
    """The earliest first joint: a particle prefix stays inside the first part.

    A particle or preposition before a word (genom+gång, över+stiger, för+stoppade)
    makes a particle derivative; the particle belongs to the first part together
    with a whole word (ut+bildning+s|nivå), so a joint may not cut into it
    (gen|omgång) or leave it with a scrap (övers|tiger). Nor may a joint cut
    into or right after a Greek or Latin prefix (tran|skutan, post|operativ).
    """
    earliest = MIN_PART
    for prefix in NEOCLASSICAL_PREFIXES:
        if word.startswith(prefix):
            earliest = max(earliest, len(prefix) + 1)
    for size in range(1, len(word) - MIN_PART + 1):
        if word[:size] in lexicon.non_parts and lexicon.analyses(word[size:]):
            earliest = max(earliest, size + MIN_PART)
    return earliest


def _best_split(
    word: str, lexicon: CompoundLexicon, whole: Sequence[tuple[str, Lemma]]
) -> tuple[float, tuple[Segment, ...]]:
    """The highest-scoring segmentation into 2–4 parts (Koehn & Knight's mean frequency)."""
    deverbal = _deverbal([word, *(w for w, _ in whole)], lexicon)
    # Inflected forms listed as words of their own carry no word class; ignore them
    # when the lemma is there too (stationära beside stationär).
    whole_lemmas = [lemma for _, lemma in whole if lemma.pos] or [lemma for _, lemma in whole]
    n = len(word)
    heads: dict[int, Segment] = {}
    for start, analyses in lexicon.tail_analyses(word, MIN_PART).items():
        found = _final_readings(word[start:], analyses, lexicon, whole_lemmas, deverbal)
        if found:
            heads[start] = max(found, key=lambda s: s.score)
    initials: dict[tuple[int, int], Segment | None] = {}

    def initial(i: int, j: int) -> Segment | None:
        if (i, j) not in initials:
            found = _initial_readings(word[i:j], lexicon)
            initials[(i, j)] = found[0] if found else None
        return initials[(i, j)]

    best: tuple[float, tuple[Segment, ...]] = (float("-inf"), ())
    # starts[k]: where the head, or at most k more non-final parts and the head,
    # can begin. A part can only end where a full split goes on, so only those
    # joints are tried: a few per word instead of every cut.
    starts = [sorted(heads)]
    for _ in range(MAX_PARTS - 2):
        ahead = starts[-1]
        before = {
            i
            for i in range(MIN_PART, n - 2 * MIN_PART + 1)
            if any(j - i >= MIN_PART and initial(i, j) for j in ahead)
        }
        starts.append(sorted(before.union(ahead)))

    def extend(i: int, chain: tuple[Segment, ...], earliest: int) -> None:
        nonlocal best
        for j in starts[MAX_PARTS - 2 - len(chain)]:
            if j < max(i + MIN_PART, earliest):
                continue
            segment = initial(i, j)
            if segment is None:
                continue
            longer = (*chain, segment)
            # A word the dictionary knows needs evidence for a 3-4-part structure.
            if j in heads and (
                len(longer) == 1 or not whole or _main_joint((*longer, heads[j]), lexicon)
            ):
                parts = (*longer, heads[j])
                score = sum(s.score for s in parts) / len(parts)
                score -= EXTRA_PART_PENALTY * (len(parts) - 2)
                if score > best[0]:
                    best = (score, parts)
            if len(longer) < MAX_PARTS - 1:
                extend(j, longer, 0)

    extend(0, (), _first_joint(word, lexicon))
    return best


def segment_compound(word: str, lexicon: CompoundLexicon) -> tuple[Segment, ...]:
    """The best split of folded *word* into 2–4 parts as written; ``()`` to keep it whole.

    >>> lexicon = CompoundLexicon.from_words({"behandling": 4.6, "effekt": 5.0})
    >>> [(s.text, s.part) for s in segment_compound("behandlingseffekten", lexicon)]
    [('behandlings', 'behandling'), ('effekten', 'effekten')]
    """
    if (
        not 2 * MIN_PART <= len(word) <= MAX_WORD_CHARS
        or not word.isalpha()
        or word in lexicon.exceptions
    ):
        return ()
    analyses = lexicon.analyses(word)
    # An exception covers its inflected forms, listed in the lexicon or not.
    if any(lemma in lexicon.exceptions for lemma, _ in analyses) or any(
        word[:size] in lexicon.exceptions and word[size:] in lexicon.ending_strips
        for size in range(2 * MIN_PART, len(word))
    ):
        return ()
    score, segments = _best_split(word, lexicon, analyses)
    # A lexicalised word more frequent than its parts stays whole (Koehn & Knight).
    whole_zipf = max((lemma.zipf for _, lemma in analyses), default=0.0)
    return segments if segments and score > whole_zipf else ()


def split_compound(word: str, lexicon: CompoundLexicon) -> tuple[str, ...]:
    """Split a Swedish compound into its two main constituents, without linking letters.

    A compound first member stays together: ``blodtryck+s+medicin`` →
    ``blodtryck``, ``medicin`` (split those again for the finer parts).

    >>> lexicon = CompoundLexicon.from_words({"bäcken": 3.6, "botten": 4.7, "smärta": 4.6})
    >>> split_compound("bäckenbottensmärta", lexicon)
    ('bäckenbotten', 'smärta')
    >>> split_compound("smärtlindring", CompoundLexicon.from_words({"smärta": 4.6, "lindring": 3}))
    ('smärta', 'lindring')
    >>> split_compound("smärta", lexicon)
    ()
    """
    segments = segment_compound(word, lexicon)
    if len(segments) <= 2:
        return tuple(s.part for s in segments)
    joint = _main_joint(segments, lexicon) or len(segments) - 1
    left, right = segments[:joint], segments[joint:]
    return (_join(left), "".join(s.text for s in right))


def _join(segments: Sequence[Segment]) -> str:
    """A group of non-final parts as one word: ``bäcken`` + ``bottens`` → ``bäckenbotten``."""
    return "".join(s.text for s in segments[:-1]) + segments[-1].part


def _main_joint(segments: Sequence[Segment], lexicon: CompoundLexicon) -> int | None:
    """Where a 3–4-part compound divides first (the index of its head group).

    Swedish compounds mostly branch to the left, and a first member that is
    itself a compound takes the "fog-s" at the main joint (Språkrådet,
    *Svenska skrivregler*: ``bäckenbotten+s+smärta``). So: a known sub-compound
    on the left (``varmvatten|bassäng``), else an -s- at the last joint, else a
    known sub-compound on the right (``barn|sjukhus``). ``None`` when nothing
    shows the structure: such a split is not trusted (``far+mak+ologisk``).
    """
    last = len(segments) - 1
    for joint in range(last, 1, -1):
        if _join(segments[:joint]) in lexicon.lemmas:
            return joint
    linking = segments[-2]
    if linking.text.endswith("s") and not linking.part.endswith("s"):
        return last
    for joint in range(1, last):
        if lexicon.analyses("".join(s.text for s in segments[joint:])):
            return joint
    return None


class CompoundSplitter:
    """Cached splitting against one lexicon.

    >>> splitter = CompoundSplitter(CompoundLexicon.from_words(
    ...     {"varm": 4.6, "vatten": 5.2, "bassäng": 3.0}))
    >>> splitter("varmvattenbassäng")
    ('varmvatten', 'bassäng', 'varm', 'vatten')
    """

    def __init__(self, lexicon: CompoundLexicon, cache_size: int = 100_000) -> None:
        self._setup(lambda: lexicon, cache_size)

    def _setup(self, load: Callable[[], CompoundLexicon], cache_size: int) -> None:
        self._load = load
        self.split = lru_cache(maxsize=cache_size)(self._split)
        self.parts = lru_cache(maxsize=cache_size)(self._parts)

    @classmethod
    def loading(
        cls, load: Callable[[], CompoundLexicon], cache_size: int = 100_000
    ) -> CompoundSplitter:
        """A splitter that calls *load* at the first word it splits. A search whose
        words the index has analysed already (its word table) never splits one, and
        starts without reading the lexicon (about 0.13 s).

        >>> splitter = CompoundSplitter.loading(lambda: CompoundLexicon.from_words(
        ...     {"varm": 4.6, "vatten": 5.2}))
        >>> splitter("varmvatten")
        ('varm', 'vatten')
        """
        splitter = cls.__new__(cls)
        splitter._setup(load, cache_size)
        return splitter

    @cached_property
    def lexicon(self) -> CompoundLexicon:
        """The lexicon, loaded when first needed."""
        return self._load()

    def load(self) -> None:
        """Read the lexicon now (a server, before it freezes what it has loaded)."""
        self.lexicon  # noqa: B018 - the property loads it

    def __call__(self, word: str) -> tuple[str, ...]:
        return self.parts(word)

    def _split(self, word: str) -> tuple[str, ...]:
        return split_compound(word, self.lexicon)

    def _parts(self, word: str) -> tuple[str, ...]:
        """Every constituent of the compound tree, top first, without repeats."""
        found: dict[str, None] = {}
        for part in self.split(word):
            found[part] = None
        for part in list(found):
            for sub in self.parts(part):
                found.setdefault(sub, None)
        found.pop(word, None)
        return tuple(found)


class CompoundStage:
    """Keep each compound word and add its parts right after it.

    Runs after :class:`~lindra.language.analyzer.FoldStage` (it expects folded
    words) and before stop words and stemming (parts are stemmed too).
    """

    name = "split"
    per_token = True

    def __init__(self, splitter: CompoundSplitter, part_weight: float = 1.0) -> None:
        """:param part_weight: multiplies a part's query weight (index terms ignore weights)."""
        self.splitter = splitter
        self.part_weight = part_weight

    def load(self) -> None:
        """Read what the stage would otherwise read at its first word."""
        self.splitter.load()

    def __call__(self, tokens: Sequence[Token]) -> list[Token]:
        out: list[Token] = []
        for token in tokens:
            out.append(token)
            if token.kind == "word" and token.origin in ("text", "hyphen"):
                weight = token.weight * self.part_weight
                for part in self.splitter(token.term):
                    out.append(token.with_term(part, "compound", weight))
        return out
