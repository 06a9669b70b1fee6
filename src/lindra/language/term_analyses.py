"""Thesaurus terms analysed ahead of time, so that a process does not analyse them at start.

Query expansion (:mod:`lindra.language.synonyms`) needs every thesaurus term, and its
spelling without å/ä/ö, in analysed form: about 6,800 analyses, 0.1 s at every process
start. ``scripts/build_term_analyses.py`` stores them in ``data/sv_thesaurus_analysed.json``
with a fingerprint of the word lists the analysis reads (abbreviations, stop words). When
those files change, the stored analyses are not used; a term the file lacks (a user's own
thesaurus) is analysed as before; and a test checks every stored analysis against the
analyzer, so a change in the analysis code cannot leave a stale one.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
from collections.abc import Callable, Mapping

from lindra.language.lexicons import packaged_file
from lindra.language.normalize import strip_accents
from lindra.language.thesaurus import Thesaurus

__all__ = [
    "ANALYSES_FILE",
    "TermAnalysis",
    "analyses_of",
    "stored_analyses",
    "with_stored",
    "word_list_fingerprint",
]

logger = logging.getLogger(__name__)

ANALYSES_FILE = "sv_thesaurus_analysed.json"
WORD_LISTS = ("sv_abbreviations.txt", "sv_stop_words.txt")

TermAnalysis = Callable[[str], tuple[str, ...]]


def word_list_fingerprint() -> str:
    """A hash of the packaged word lists that a term's analysis depends on."""
    digest = hashlib.sha256()
    for name in WORD_LISTS:
        digest.update(packaged_file(name).read_bytes())
    return digest.hexdigest()[:16]


def analyses_of(thesaurus: Thesaurus, analyze: TermAnalysis) -> dict[str, tuple[str, ...]]:
    """Every term of *thesaurus*, and its spelling without å/ä/ö, with its analysis."""
    terms = {
        spelling
        for concept in thesaurus
        for surface in concept.surface_forms()
        for spelling in (surface, strip_accents(surface))
    }
    return {term: analyze(term) for term in sorted(terms)}


@functools.cache
def stored_analyses() -> Mapping[str, tuple[str, ...]]:
    """The packaged analyses, or none when the file is missing, unreadable or made for
    other word lists (then every term is analysed at start, as without the file)."""
    try:
        data = json.loads(packaged_file(ANALYSES_FILE).read_text("utf-8"))
        if data["word_lists"] != word_list_fingerprint():
            logger.info("%s was made for other word lists; not used", ANALYSES_FILE)
            return {}
        return {term: tuple(terms) for term, terms in data["terms"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        logger.info("%s not used: %s", ANALYSES_FILE, exc)
        return {}


def with_stored(analyze: TermAnalysis, stored: Mapping[str, tuple[str, ...]]) -> TermAnalysis:
    """*analyze*, answered from *stored* for the terms it holds."""

    def analysis(term: str) -> tuple[str, ...]:
        found = stored.get(term)
        return found if found is not None else analyze(term)

    return analysis
