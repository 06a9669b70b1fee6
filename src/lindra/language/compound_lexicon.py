"""The lexicon the compound splitter reads: Swedish words and what it knows about them.

Each word (a :class:`Lemma`) carries its Zipf frequency (wordfreq), its word
classes, whether hunspell-sv lets it begin or end a compound, its inflection
endings and its compound-initial forms (``behandlings``, ``kyrko``, ``smärt``).
``scripts/build_compound_lexicon.py`` derives the packaged tables from
hunspell-sv and wordfreq (see ``data/SOURCES.md``):

- ``data/sv_compound_parts.tsv``: one row per word (95,000), parsed on first use;
- ``data/sv_compound_paradigms.tsv``: the distinct sets of inflection endings;
- ``data/sv_compound_exceptions.tsv``: the few words never split.

Stop words, verb particles and prefixes that are also free words are never
parts. :mod:`lindra.language.compounds` splits words against a
:class:`CompoundLexicon`.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from lindra.errors import LexiconError
from lindra.language.lexicons import load_tsv, load_word_set, packaged_file

__all__ = [
    "MIN_PART",
    "PARTICLES",
    "PREFIX_HOMOGRAPHS",
    "CompoundLexicon",
    "Lemma",
    "load_compound_lexicon",
]

MIN_PART = 3  # hunspell-sv allows 2 (COMPOUNDMIN 2), but 2-letter parts are mostly noise

# Verb particles and prepositions missing from the Snowball stop words (SAG vol. 3,
# "partikelverb"): as a first part they make particle verbs and their nouns
# (föreslå, framställning, genomgång, återfall), not compounds of two words.
PARTICLES = frozenset(
    "bort emot fram förbi före genom in itu kring ned ner omkring samman tillbaka undan åter"
    # and the quantity adverbs, stop words in all but name (anal+spas+mer):
    " fler flera flest mer mera mest".split()
)
# Prefixes that are also free words (SAG vol. 2, avledningsprefix): missbruk is
# not a beauty queen's use, vanvård not 'used-to care', samtycke not 'Sami opinion'.
PREFIX_HOMOGRAPHS = frozenset({"miss", "sam", "van"})
# Plural endings: a compound takes its head's plural (SAG vol. 2).
_PLURAL_ENDINGS = frozenset({"ar", "er", "or", "r", "n", "a"})


@dataclass(frozen=True, slots=True)
class Lemma:
    """What the splitter knows about one dictionary word.

    :param zipf: frequency of the lexeme (all inflected forms), Zipf scale.
    :param pos: word classes, a subset of ``"anv"`` (adjective, noun, verb).
    :param begins: hunspell-sv lets it begin or sit inside a compound as written.
    :param ends: hunspell-sv lets it end a compound.
    :param endings: inflection endings as ``strip>add`` or ``add``.
    :param forms: its other compound-initial forms (``behandlings``, ``smärt``).
    """

    zipf: float
    pos: str = "n"
    begins: bool = True
    ends: bool = True
    endings: frozenset[str] = frozenset()
    forms: tuple[str, ...] = ()

    @property
    def plurals(self) -> frozenset[str]:
        return frozenset(e.rpartition(">")[2] for e in self.endings) & _PLURAL_ENDINGS


@dataclass(frozen=True, slots=True)
class CompoundLexicon:
    """Words, the index of their compound-initial forms, and words never split or used.

    Build one with :func:`load_compound_lexicon` (the packaged data) or
    :meth:`from_words` / :meth:`from_lemmas` (a few words, for tests).

    :param lemmas: word → :class:`Lemma`.
    :param initial_forms: compound-initial form → the words it stands for
        (``kyrko`` → ``kyrka``), besides words that begin compounds as written.
    :param ending_strips: inflection ending → what it replaced (``or`` → ``a``).
    :param exceptions: words never split (``sjukgymnast``), with all their forms.
    :param non_parts: words never a part: stop words, particles, prefix homographs.
    """

    lemmas: Mapping[str, Lemma]
    initial_forms: Mapping[str, tuple[str, ...]]
    ending_strips: Mapping[str, tuple[str, ...]]
    exceptions: frozenset[str] = frozenset()
    non_parts: frozenset[str] = PARTICLES | PREFIX_HOMOGRAPHS
    longest_ending: int = field(init=False, repr=False)
    # The keys of ``lemmas``, for a membership test that runs no Python code.
    words: Container[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        longest = max(map(len, self.ending_strips), default=0)
        object.__setattr__(self, "longest_ending", longest)
        lemmas = self.lemmas
        object.__setattr__(
            self, "words", lemmas.rows if isinstance(lemmas, _LemmaTable) else lemmas
        )

    @classmethod
    def from_lemmas(
        cls,
        lemmas: Mapping[str, Lemma],
        exceptions: Iterable[str] = (),
        stop_words: Iterable[str] = (),
    ) -> CompoundLexicon:
        """Index *lemmas*' compound-initial forms and endings."""
        forms: dict[str, list[str]] = {}
        for word, lemma in lemmas.items():
            for form in lemma.forms:
                forms.setdefault(form, []).append(word)
        endings = {end for lemma in lemmas.values() for end in lemma.endings}
        return cls(
            MappingProxyType(dict(lemmas)),
            MappingProxyType({k: tuple(v) for k, v in forms.items()}),
            _strips_by_ending(endings),
            frozenset(exceptions),
            PARTICLES | PREFIX_HOMOGRAPHS | frozenset(stop_words),
        )

    @classmethod
    def from_words(
        cls, words: Mapping[str, float], exceptions: Iterable[str] = ()
    ) -> CompoundLexicon:
        """Nouns (word → Zipf) that may stand anywhere in a compound, plural -er.

        >>> len(CompoundLexicon.from_words({"rygg": 4.0, "smärta": 4.4}).lemmas)
        2
        """
        endings = frozenset({"en", "er", "erna"})
        return cls.from_lemmas({w: Lemma(z, endings=endings) for w, z in words.items()}, exceptions)

    def analyses(self, form: str) -> list[tuple[str, Lemma]]:
        """The words *form* is an inflected form of: ``patienter`` → ``patient``."""
        return self._analyses(form, 0, self._cuts(form))

    def tail_analyses(self, word: str, first: int) -> dict[int, list[tuple[str, Lemma]]]:
        """:meth:`analyses` of each tail ``word[start:]`` from *first* on that is at
        least :data:`MIN_PART` long, by start.

        The tails share their last letters, so the inflection endings are looked
        up once for all of them: a compound's possible heads at the cost of one word.
        """
        cuts = self._cuts(word[first:])
        return {
            start: self._analyses(word, start, cuts)
            for start in range(first, len(word) - MIN_PART + 1)
        }

    def _cuts(self, form: str) -> list[tuple[int, str, str]]:
        """The endings *form* may carry: (letters cut, letters restored, ``strip>add``)."""
        n = len(form)
        return [
            (size, strip, f"{strip}>{add}" if strip else add)
            for size in range(min(n - MIN_PART, self.longest_ending) + 1)
            for add in (form[n - size :] if size else "",)
            for strip in self.ending_strips.get(add, ())
        ]

    def _analyses(
        self, word: str, start: int, cuts: list[tuple[int, str, str]]
    ) -> list[tuple[str, Lemma]]:
        """The analyses of ``word[start:]``, given the cuts of a longer tail, by size."""
        words, lemmas, n = self.words, self.lemmas, len(word)
        form = word[start:]
        found = [(form, lemmas[form])] if form in words else []
        for size, strip, ending in cuts:
            if size > n - start - MIN_PART:
                break
            stem = word[start : n - size] + strip
            if stem in words and ending in lemmas[stem].endings:
                found.append((stem, lemmas[stem]))
        # Every verb has a present participle in -nde (SAG vol. 2); hunspell-sv
        # does not always list it (stilla → stillande).
        verb = lemmas.get(form[:-3]) if form.endswith("nde") else None
        if verb is not None and "v" in verb.pos:
            found.append((form[:-3], verb))
        return found

    def is_verb_stem(self, stem: str) -> bool:
        """``lindr`` is the stem of the verb ``lindra``."""
        return any(
            lemma is not None and "v" in lemma.pos
            for lemma in (self.lemmas.get(stem + "a"), self.lemmas.get(stem))
        )


def _strips_by_ending(endings: Iterable[str]) -> Mapping[str, tuple[str, ...]]:
    strips: dict[str, set[str]] = {}
    for end in endings:
        strip, _, add = end.rpartition(">")
        strips.setdefault(add, set()).add(strip)
    return MappingProxyType({add: tuple(sorted(s)) for add, s in strips.items()})


class _LemmaTable(Mapping[str, Lemma]):
    """Rows of ``sv_compound_parts.tsv``, parsed into :class:`Lemma` on first use.

    Parsing all 95,000 rows up front would triple the start-up time; a split
    touches a few dozen of them.
    """

    def __init__(
        self, rows: dict[str, str | Lemma], paradigms: Mapping[str, frozenset[str]], path: Path
    ):
        # word → raw row, replaced by its Lemma when first read (one lookup per get).
        self.rows = rows
        self._paradigms = paradigms
        self._path = path

    def __getitem__(self, word: str) -> Lemma:
        lemma = self.get(word)
        if lemma is None:
            raise KeyError(word)
        return lemma

    def get(self, word: str, default: Lemma | None = None) -> Lemma | None:  # type: ignore[override]
        value = self.rows.get(word)
        if value is None:
            return default
        if isinstance(value, str):
            value = self.rows[word] = self._parse(word, value)
        return value

    def __contains__(self, word: object) -> bool:
        return word in self.rows

    def __iter__(self) -> Iterator[str]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def _parse(self, word: str, row: str) -> Lemma:
        try:
            zipf, pos, roles, paradigm, forms = row.split("\t")
            return Lemma(
                float(zipf),
                "" if pos == "-" else pos,
                "b" in roles,
                "e" in roles,
                self._paradigms[paradigm],
                () if forms == "-" else tuple(forms.split(",")),
            )
        except (ValueError, KeyError) as exc:
            lines = self._path.read_text(encoding="utf-8").split("\n")
            number = next(i for i, line in enumerate(lines, 1) if line.startswith(word + "\t"))
            raise LexiconError(
                f"{self._path.name} line {number}: expected lemma, zipf, pos, roles, paradigm id "
                f"and forms; got {word}\t{row!r} ({exc!r}). Rebuild it with "
                "scripts/build_compound_lexicon.py."
            ) from exc


def load_compound_lexicon(
    parts: Path | None = None,
    paradigms: Path | None = None,
    exceptions: Path | None = None,
    stop_words: Iterable[str] | None = None,
) -> CompoundLexicon:
    """Load ``sv_compound_parts.tsv``, ``sv_compound_paradigms.tsv`` and
    ``sv_compound_exceptions.tsv``; the packaged files unless paths are given.

    :param stop_words: words that are never parts; the packaged ``sv_stop_words.txt``
        unless given.
    :raises LexiconError: on a missing file or a malformed row (naming file and line;
        rows are checked when first used, and all of them by the lexicon tests).
    """
    parts = parts or packaged_file("sv_compound_parts.tsv")
    paradigms = paradigms or packaged_file("sv_compound_paradigms.tsv")
    exceptions = exceptions or packaged_file("sv_compound_exceptions.tsv")
    endings = {
        cells[0]: frozenset() if cells[1] == "-" else frozenset(cells[1].split())
        for cells in load_tsv(paradigms, 2)
    }
    # The file is large and written NFC by scripts/build_compound_lexicon.py, so it is
    # read directly rather than through data_lines (which re-normalises every line).
    try:
        text = parts.read_text(encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError) as exc:
        raise LexiconError(
            f"Cannot read '{parts}' ({exc}); rebuild it with scripts/build_compound_lexicon.py."
        ) from exc
    lines = text.split("\n")
    try:  # one dict() over the lines: twice as fast as a loop, at every process start
        text_rows: dict[str, str] = dict(
            line.split("\t", 1) for line in lines if line and line[0] != "#"
        )
    except ValueError:
        number = next(
            i for i, line in enumerate(lines, 1) if line[:1] not in "#" and "\t" not in line
        )
        raise LexiconError(
            f"{parts.name} line {number}: expected 6 tab-separated columns"
        ) from None
    forms: dict[str, list[str]] = {}
    for word, row in text_rows.items():
        if row[-1:] not in ("", "-"):  # the compound-initial forms
            for form in row.rpartition("\t")[2].split(","):
                forms.setdefault(form, []).append(word)
    if stop_words is None:
        stop_words = load_word_set(packaged_file("sv_stop_words.txt"))
    rows: dict[str, str | Lemma] = text_rows  # type: ignore[assignment]  # parsed in place
    return CompoundLexicon(
        _LemmaTable(rows, endings, parts),
        MappingProxyType({k: tuple(v) for k, v in forms.items()}),
        _strips_by_ending(e for paradigm in endings.values() for e in paradigm),
        frozenset(row[0] for row in load_tsv(exceptions, 2)),
        PARTICLES | PREFIX_HOMOGRAPHS | frozenset(stop_words),
    )
