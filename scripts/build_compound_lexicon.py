"""Derive the compound-parts lexicon from hunspell-sv and wordfreq.

    python scripts/build_compound_lexicon.py [--hunspell DIR] [--out DIR]

Writes two sorted files under ``src/lindra/language/data/`` (committed; rerun after
upgrading hunspell-sv or wordfreq, then run the compound tests and benchmark):

``sv_compound_parts.tsv``
    ``lemma<TAB>zipf<TAB>pos<TAB>roles<TAB>paradigm<TAB>forms``: every lower-case
    hunspell-sv entry that occurs (in any inflected form) in wordfreq's Swedish
    list. ``zipf`` is the lexeme frequency (all inflected forms summed, Zipf
    scale). ``pos`` is ``n`` (noun), ``a`` (adjective), ``v`` (verb) or a mix,
    read off the inflection classes. ``roles`` holds ``b`` (may begin or sit
    in the middle of a compound as it stands: COMPOUNDBEGIN or COMPOUNDMIDDLE)
    and ``e`` (may end one: COMPOUNDEND). ``paradigm`` is an id in the
    paradigm file. ``forms`` lists the lemma's other compound-initial forms,
    comma separated (``behandlings``, ``smärt``, ``kyrko``), or ``-``.

``sv_compound_paradigms.tsv``
    ``id<TAB>endings``: each inflection paradigm as the set of
    ``strip>add`` (or just ``add``) endings that turn the lemma into its forms.

Why derive instead of loading hunspell at run time: the .dic has 280,000
lines whose affix rules expand to ~920,000 forms; expanding them in Python
takes seconds and hundreds of MB per process (this script: ~15 s, ~600 MB).
The derived files keep only what splitting needs and load in ~0.15–0.3 s
(rows are parsed lazily). Stop words are never parts, so they are left out.
"""

from __future__ import annotations

import argparse
import math
import re
import sysconfig
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

import wordfreq

from lindra.language.lexicons import load_word_set

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "lindra" / "language" / "data"

# Inflection classes of sv_SE.aff, grouped by the word class they inflect
# (read from the comments in the .aff: "Bestämd form", "Pluralis", "Verb" ...).
NOUN_CLASSES = set("CEFGHIJ")
ADJECTIVE_CLASSES = set("OPQ")
VERB_CLASSES = set("KLMNm")
# B and D give nouns their definite form (-et, -en) but verbs their present
# participle (-nde); A is the genitive -s.
SHARED_CLASSES = set("ABD")
# Derivations, not inflections: T (-isk), e/d (-bo), 1 and 7 (numbers).
INFLECTION_CLASSES = NOUN_CLASSES | ADJECTIVE_CLASSES | VERB_CLASSES | SHARED_CLASSES
# Classes that make a compound-initial (fogemorfem) form: "Som myra: myr- (stack)",
# "Som ränta: ränte- (höjning)", "Som yrke: yrkes- (man)" ... in sv_SE.aff. Class 7
# (ordinals: första → förstahands-) makes new words, not linking forms.
LINKING_CLASSES = set("zgyhxwvfuits")
# sv_SE.aff's COMPOUNDBEGIN + COMPOUNDMIDDLE, COMPOUNDEND and ONLYINCOMPOUND flags
# (checked against the .aff when it is read).
BEGIN_FLAGS, END_FLAG, BOUND_FLAG = set("XU"), "Y", "Z"


@dataclass(frozen=True, slots=True)
class Rule:
    strip: str
    add: str
    continuation: str
    condition: re.Pattern[str] | None

    def apply(self, word: str) -> str | None:
        if self.strip and not word.endswith(self.strip):
            return None
        if self.condition is not None and not self.condition.search(word):
            return None
        return word[: len(word) - len(self.strip)] + self.add


@dataclass
class Affixes:
    rules: dict[str, list[Rule]] = field(default_factory=lambda: defaultdict(list))
    flags: dict[str, str] = field(default_factory=dict)


@dataclass
class Entry:
    flags: set[str] = field(default_factory=set)
    forms: set[str] = field(default_factory=set)
    endings: set[str] = field(default_factory=set)
    compound_forms: set[str] = field(default_factory=set)
    pos: set[str] = field(default_factory=set)
    free: bool = False  # some line lacks ONLYINCOMPOUND: a word of its own
    bound_flags: set[str] = field(default_factory=set)  # flags of ONLYINCOMPOUND lines


def hunspell_dir() -> Path:
    """The folder with sv_SE.dic: the venv's share/hunspell (hunspell-sv on PyPI), else Debian's."""
    for folder in (
        Path(sysconfig.get_paths()["data"]) / "share" / "hunspell",
        Path("/usr/share/hunspell"),
    ):
        if (folder / "sv_SE.dic").exists():
            return folder
    raise SystemExit("sv_SE.dic not found: pip install hunspell-sv (or apt install hunspell-sv)")


def read_affixes(path: Path) -> Affixes:
    affixes = Affixes()
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = line.split()
        if len(cells) == 2 and cells[0] in (
            "COMPOUNDBEGIN",
            "COMPOUNDMIDDLE",
            "COMPOUNDEND",
            "ONLYINCOMPOUND",
            "FORBIDDENWORD",
            "NEEDAFFIX",
        ):
            affixes.flags[cells[0]] = cells[1]
        elif len(cells) >= 5 and cells[0] == "SFX":
            flag, strip, add, condition = cells[1:5]
            add, _, continuation = add.partition("/")
            affixes.rules[flag].append(
                Rule(
                    "" if strip == "0" else strip,
                    "" if add == "0" else add,
                    continuation,
                    None if condition == "." else re.compile(f"(?:{condition})$"),
                )
            )
    return affixes


def read_dictionary(path: Path) -> Iterator[tuple[str, str]]:
    with path.open(encoding="utf-8") as lines:
        next(lines)  # the entry count
        for line in lines:
            word, _, flags = line.strip().partition("/")
            if word:
                yield unicodedata.normalize("NFC", word), flags


def ending(lemma: str, form: str) -> str:
    """``strip>add`` (or ``add``) that turns *lemma* into *form*: kyrka, kyrkor → ``a>or``."""
    common = 0
    while common < min(len(lemma), len(form)) and lemma[common] == form[common]:
        common += 1
    strip, add = lemma[common:], form[common:]
    return f"{strip}>{add}" if strip else add


def collect(folder: Path) -> dict[str, Entry]:
    affixes = read_affixes(folder / "sv_SE.aff")
    begin = {affixes.flags["COMPOUNDBEGIN"], affixes.flags["COMPOUNDMIDDLE"]}
    forbidden = affixes.flags.get("FORBIDDENWORD", "%")
    only_in_compound = affixes.flags["ONLYINCOMPOUND"]
    if (begin, affixes.flags["COMPOUNDEND"], only_in_compound) != (
        BEGIN_FLAGS,
        END_FLAG,
        BOUND_FLAG,
    ):
        raise SystemExit(f"unexpected compound flags in sv_SE.aff: {affixes.flags}; update me")
    entries: dict[str, Entry] = defaultdict(Entry)
    for word, flags in read_dictionary(folder / "sv_SE.dic"):
        # Lower-case letters only: names, abbreviations and hyphen forms are not parts.
        if not (word.isalpha() and word.islower()) or forbidden in flags:
            continue
        entry = entries[word]
        if only_in_compound in flags:
            # A bound form (smärt/XZ belongs to smärta); it must not make the free
            # homograph (smärt/kOPQ, 'slender') a compound-initial word.
            entry.bound_flags |= set(flags)
            continue
        entry.flags |= set(flags)
        entry.free = True
        for flag in flags:
            for rule in affixes.rules.get(flag, ()):
                form = rule.apply(word)
                if form is None or not form.isalpha():
                    continue
                if begin & set(rule.continuation):
                    if flag in LINKING_CLASSES:
                        entry.compound_forms.add(form)  # behandlings-, kyrko-, smärt-
                elif flag in INFLECTION_CLASSES and not rule.continuation:
                    entry.forms.add(form)
                    entry.endings.add(ending(word, form))
                    if flag in NOUN_CLASSES or (flag in "BD" and rule.add in ("et", "en")):
                        entry.pos.add("n")
                    elif flag in ADJECTIVE_CLASSES:
                        entry.pos.add("a")
                    elif flag in VERB_CLASSES or rule.add.startswith("nde"):
                        entry.pos.add("v")
    return entries


def zipf(frequency: float) -> float:
    return round(math.log10(frequency) + 9, 2) if frequency > 0 else 0.0


def build(folder: Path) -> tuple[list[str], list[str]]:
    entries = collect(folder)
    frequencies = wordfreq.get_frequency_dict("sv", wordlist="large")
    stop_words = load_word_set(DATA / "sv_stop_words.txt")  # never compound parts
    # hunspell-sv also lists many inflected forms as entries of their own
    # (frågor/XY, bristande/Y); they belong to their lemma, not beside it --
    # unless they begin compounds themselves (data/X, the plural of datum).
    inflected = {form for word, e in entries.items() for form in e.forms if form != word}
    lexeme_zipf: dict[str, float] = {}
    for lemma, entry in entries.items():
        if not entry.free:
            continue
        if not entry.endings and lemma in inflected:
            if not entry.flags & BEGIN_FLAGS:
                continue
            entry.flags -= {END_FLAG}
        forms = entry.forms | {lemma}
        lexeme_zipf[lemma] = zipf(sum(frequencies.get(form, 0.0) for form in forms))

    # Bound compound-initial entries (smärt/XZ, kyrko/UXZ, arbets/UXZ) belong to a
    # free lemma: smärt- to smärta, kyrko- to kyrka, arbets- to arbete, familje- to
    # familj, laboratorie- to laboratorium.
    for bound, entry in entries.items():
        # Skip it when the free word itself begins compounds (data/X beside data/XZ).
        if not entry.bound_flags & BEGIN_FLAGS or entry.free and entry.flags & BEGIN_FLAGS:
            continue
        candidates = [bound + "a", bound + "e", bound]
        if bound[-1] in "aeiosu":  # a linking or changed final letter: familj-e, kyrk-o
            candidates += [bound[:-1], bound[:-1] + "a", bound[:-1] + "e", bound[:-1] + "um"]
        if bound[-2:] in ("er", "el"):  # the .aff's "t" class: siffer-, tavel-, äppel-
            candidates += [bound[:-2] + "ra", bound[:-2] + "la", bound[:-2] + "le"]
        if bound[-2:] in ("ra", "la"):  # förälder → föräldra-, ängel → ängla-
            candidates += [bound[:-2] + "er", bound[:-2] + "el"]
        # Nouns first (linking forms are a noun matter: arbets- is arbete, not
        # arbeta), then the most frequent: smärt- is smärta (not smärt 'slender'),
        # blind- is blind (not the verb blinda).
        known = [c for c in candidates if lexeme_zipf.get(c, 0.0) > 0]
        if known:
            base = max(known, key=lambda c: ("n" in entries[c].pos, lexeme_zipf[c]))
            entries[base].compound_forms.add(bound)

    kept = [
        lemma
        for lemma in sorted(lexeme_zipf)
        if lexeme_zipf[lemma] > 0 and lemma not in stop_words and len(lemma) >= 2
    ]
    # Paradigms numbered in sorted order, zero-padded so both files sort as text.
    endings = {lemma: " ".join(sorted(entries[lemma].endings)) or "-" for lemma in kept}
    distinct = sorted(set(endings.values()))
    width = len(str(len(distinct) - 1))
    number = {text: f"{i:0{width}d}" for i, text in enumerate(distinct)}
    rows: list[str] = []
    for lemma in kept:
        entry = entries[lemma]
        begins = bool(entry.flags & BEGIN_FLAGS) or lemma in entry.compound_forms
        roles = ("b" if begins else "") + ("e" if END_FLAG in entry.flags else "")
        pos = "".join(sorted(entry.pos)) or "-"
        initial = ",".join(sorted(entry.compound_forms - {lemma})) or "-"
        paradigm = number[endings[lemma]]
        rows.append(
            f"{lemma}\t{lexeme_zipf[lemma]:.2f}\t{pos}\t{roles or '-'}\t{paradigm}\t{initial}"
        )
    return rows, [f"{number[text]}\t{text}" for text in distinct]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hunspell", type=Path, default=None, help="folder with sv_SE.dic/.aff")
    parser.add_argument("--out", type=Path, default=DATA)
    args = parser.parse_args()
    folder = args.hunspell or hunspell_dir()
    rows, paradigm_rows = build(folder)
    header = (
        "# Derived by scripts/build_compound_lexicon.py from hunspell-sv ({}) sv_SE.dic/.aff\n"
        "# (LGPL-3.0) and wordfreq {} 'sv' large list (CC BY-SA 4.0). See SOURCES.md.\n"
    )
    stamp = header.format(version("hunspell-sv"), version("wordfreq"))
    parts = args.out / "sv_compound_parts.tsv"
    parts.write_text(
        stamp + "# lemma\tzipf\tpos\troles\tparadigm\tforms\n" + "\n".join(rows) + "\n",
        encoding="utf-8",
    )
    paradigms = args.out / "sv_compound_paradigms.tsv"
    paradigms.write_text(
        stamp
        + "# id\tendings (strip>add, space separated; '-' = uninflected)\n"
        + "\n".join(paradigm_rows)
        + "\n",
        encoding="utf-8",
    )
    print(f"{parts}: {len(rows)} lemmas; {paradigms}: {len(paradigm_rows)} paradigms")


if __name__ == "__main__":
    main()
