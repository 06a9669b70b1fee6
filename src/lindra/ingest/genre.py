"""What kind of source a page is: patient information, authority guidance, news, a shop ...

Answers weigh sources by it (authority guidance and reviews above a clinic's or a
blog's page), research abstracts are kept out of patient views, and a shop's or
clinic's praise of what it sells is marked as a claim. The guess reads, in order:

1. the site, when the source is a URL (``data/sv_sites.tsv``: Swedish
   authorities, regions, journals, newspapers, pharmacies, forums);
2. the document's structure (a reader question answered: ``reader_qa``; a list
   of questions and answers: ``faq``; an abstract's Bakgrund/Metod/Resultat);
3. words on the page: prices and "köp"/"boka tid" (``clinic_shop``), "Svara"/
   "Citera"/"inlägg" (``forum``), a comment form or "bloggen" (``blog``);
4. otherwise ``patient_info``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from lindra.errors import LexiconError

__all__ = ["GENRES", "SITES_FILE", "guess_genre", "load_sites", "site_of"]

SITES_FILE = Path(str(resources.files("lindra.ingest") / "data" / "sv_sites.tsv"))

GENRES = (
    "guidance",
    "patient_info",
    "abstract",
    "news",
    "reader_qa",
    "faq",
    "forum",
    "blog",
    "clinic_shop",
)

# Each cue counts once; a genre needs two distinct cues (one is chance).
_SHOP = re.compile(
    r"\b(lägg i (?:varu)?korg\w*|köp nu|köp här|i lager|fri frakt|frakt\w*|kassan|"
    r"\d+[,.:]?\d*\s?(?:kr|sek)\b|pris\w*|boka (?:tid|behandling|online|här)|"
    r"kampanj\w*|rabatt\w*|beställ\w*|vår(?:a|t)? (?:produkt\w*|behandling\w*|klinik\w*|"
    r"mottagning\w*)|hos oss|våra (?:terapeuter|behandlare|naprapater|kiropraktorer|"
    r"fysioterapeuter))",
    re.IGNORECASE,
)
_FORUM = re.compile(
    r"\b(citera|svara|inlägg\w*|trådstart\w*|medlem sedan|gilla\w*|anmäl inlägg|"
    r"visa hela tråden|senaste svar\w*|forum\w*)\b",
    re.IGNORECASE,
)
_BLOG = re.compile(
    r"\b(lämna ett svar|lämna en kommentar|kommentarer|bloggen|blogg\w*|inlägget|"
    r"publicerat av|taggar|kategorier|previous|next|dela inlägget)\b",
    re.IGNORECASE,
)
_NEWS = re.compile(
    r"\b(publicerad|uppdaterad|reporter|nyhetsbyrå\w*|tt|debatt|ledare|krönika|"
    r"insändare|prenumer\w*|läs också|läs mer:|foto:)\b",
    re.IGNORECASE,
)
_ABSTRACT = re.compile(
    r"^\s*(bakgrund|syfte|metod(?:er)?|resultat|slutsats(?:er)?|konklusion)\s*:?\s*$",
    re.IGNORECASE | re.MULTILINE,
)


def load_sites(path: Path = SITES_FILE) -> dict[str, str]:
    """``site<TAB>genre`` rows.

    :raises LexiconError: naming file and line for a bad row or an unknown genre.
    """
    sites: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != 2 or cells[1] not in GENRES:
            raise LexiconError(
                f"{path.name} line {number}: expected 'site<TAB>genre' with a genre among "
                f"{', '.join(GENRES)}, got {line!r}"
            )
        sites[cells[0].casefold()] = cells[1]
    return sites


def site_of(source: str) -> str | None:
    """The registered site of a URL source, without ``www.``; None for a file.

    >>> site_of("https://www.1177.se/Stockholm/sjukdomar/ryggont/"), site_of("/data/a.txt")
    ('1177.se', None)
    """
    parts = urlsplit(source)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.casefold().removeprefix("www.")
    return host


def _known_site(host: str, sites: Mapping[str, str]) -> str | None:
    """The genre of *host* or of the site it belongs to ("vardgivare.1177.se")."""
    labels = host.split(".")
    for i in range(len(labels) - 1):
        genre = sites.get(".".join(labels[i:]))
        if genre is not None:
            return genre
    return None


def guess_genre(text: str, source: str, kind: str, sites: Mapping[str, str]) -> str:
    """The genre of a page from its site, its structure (*kind*) and its words.

    >>> guess_genre("Köp nu! Pris 199 kr. Fri frakt.", "x.txt", "article", {})
    'clinic_shop'
    >>> sites = {"1177.se": "guidance"}
    >>> guess_genre("Ryggont går oftast över.", "https://www.1177.se/x", "article", sites)
    'guidance'
    >>> guess_genre("Ryggont går oftast över av sig själv.", "x.txt", "article", {})
    'patient_info'
    """
    host = site_of(source)
    if host is not None:
        known = _known_site(host, sites)
        if known is not None:
            return known
    if kind == "abstract" or len(_ABSTRACT.findall(text)) >= 2:
        return "abstract"
    if kind in ("reader_qa", "faq"):
        return kind
    head = text[:20_000]
    counts = {
        genre: len({m.group(0).casefold() for m in pattern.finditer(head)})
        for genre, pattern in (
            ("clinic_shop", _SHOP),
            ("forum", _FORUM),
            ("blog", _BLOG),
            ("news", _NEWS),
        )
    }
    genre, count = max(counts.items(), key=lambda item: item[1])
    return genre if count >= 2 else "patient_info"
