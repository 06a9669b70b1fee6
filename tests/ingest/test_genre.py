"""The genre of a source: site, structure and words."""

from __future__ import annotations

import pytest

from lindra.ingest.genre import GENRES, guess_genre, load_sites, site_of

SITES = load_sites()

CASES = [
    ("https://www.1177.se/Stockholm/sjukdomar/ont-i-ryggen/", "article", "Ryggont.", "guidance"),
    ("https://vardgivare.sbu.se/rapport", "article", "Slutsatser.", "guidance"),
    ("https://www.aftonbladet.se/halsa/a/1", "article", "Ny studie.", "news"),
    ("https://www.familjeliv.se/forum/thread/1", "article", "Hej!", "forum"),
    ("/data/sida.txt", "reader_qa", "Fråga: ... Svar: ...", "reader_qa"),
    ("/data/sida.txt", "article", "Bakgrund:\nText.\nMetod:\nText.\nResultat:\nText.", "abstract"),
    (
        "/data/butik.txt",
        "article",
        "Värmedyna för ryggen. Pris 349 kr. Lägg i varukorgen. Fri frakt över 500 kr.",
        "clinic_shop",
    ),
    (
        "/data/info.txt",
        "article",
        "Ryggont går oftast över av sig själv inom några veckor.",
        "patient_info",
    ),
]


@pytest.mark.parametrize("source, kind, text, genre", CASES)
def test_guess_genre(source: str, kind: str, text: str, genre: str) -> None:
    assert guess_genre(text, source, kind, SITES) == genre


def test_every_listed_site_has_a_known_genre() -> None:
    assert SITES and set(SITES.values()) <= set(GENRES)
    assert all(site == site.casefold() and "/" not in site for site in SITES)


def test_site_of_ignores_files() -> None:
    assert site_of("C:/data/a.txt") is None and site_of("upload:a.txt") is None
