"""Structure of the two real sample pages: sections, boilerplate, reader questions."""

from __future__ import annotations

from pathlib import Path

import pytest

from lindra.ingest.readers import read_path
from lindra.types import ParsedDocument

BOILERPLATE_LINES = [
    "Legacy ids",
    "Bassängträning och kotkompression",
    "Akupunktur och benskörhet",
    "Läs mer om sjukgymnastik och arbetsterapi",
    "REKLAM/TIPS",
    "webbkurs",
    "Previous",
    "Next",
    "Lämna ett svar",
    "Din e-postadress",
    "Integritets Preferens",
    "cookies",
    "Mer läsning om",
    "Läsarfråga",
]


def parse(samples_dir: Path, name: str) -> ParsedDocument:
    [document] = list(read_path(samples_dir / name, max_bytes=1_000_000))
    assert isinstance(document, ParsedDocument), document
    return document


def kept_text(document: ParsedDocument) -> str:
    parts = [document.title]
    for section in document.sections:
        parts.append(section.heading)
        parts.extend(block.text for block in section.blocks)
    parts.extend(q.text for q in document.reader_questions)
    return "\n".join(parts)


def test_osteoporosis_sections_follow_the_page(samples_dir: Path) -> None:
    doc = parse(samples_dir, "osteoporos-smartbehandling.txt")
    assert [s.heading for s in doc.sections] == [
        "",
        "Vid akuta smärtor",
        "Värmekudde",
        "Ispackningar",
        "Sjukgymnastik och arbetsterapi",
        "Bassängträning",
        "Stödkorsett",
        "Blockadbehandling",
        "Vertebroplastik",
        "Verkan",
        "Akupunktur och alternativ behandling",
    ]
    assert doc.kind == "article"
    by_heading = {s.heading: s for s in doc.sections}
    assert by_heading["Bassängträning"].path == ("Vid ihållande smärtor", "Bassängträning")
    # The duplicated "Vertebroplastik" heading is kept once; both paragraphs stay.
    vertebro = by_heading["Vertebroplastik"]
    assert len([b for b in vertebro.blocks if b.kind == "paragraph"]) == 2
    assert [b.kind for b in by_heading["Stödkorsett"].blocks].count("list_item") == 2


def test_osteoporosis_cms_trace_is_metadata_only(samples_dir: Path) -> None:
    doc = parse(samples_dir, "osteoporos-smartbehandling.txt")
    assert doc.metadata["legacy_ids"] == "296"
    assert doc.metadata["category"] == "Patient kunskap"
    assert "296" not in kept_text(doc)


def test_botox_reader_questions_are_kept_apart(samples_dir: Path) -> None:
    doc = parse(samples_dir, "botox-backenbotten.txt")
    assert doc.kind == "reader_qa"
    assert doc.title == "Botox för överspänd bäckenbotten"
    assert len(doc.reader_questions) == 2
    assert doc.reader_questions[0].text.startswith("Kan du skriva om botox")
    assert doc.reader_questions[1].text.startswith("Har du skrivit något om botox")
    answer_text = "\n".join(s.text for s in doc.sections)
    assert "levatorskada" not in answer_text
    assert [s.heading for s in doc.sections] == [
        "Var kan man få botox?",
        "Hur gör man?",
        "Hur funkar det?",
        "Vilka biverkningar?",
        "Min kliniska erfarenhet",
        "Varför används det inte mer?",
    ]


@pytest.mark.parametrize("name", ["osteoporos-smartbehandling.txt", "botox-backenbotten.txt"])
@pytest.mark.parametrize("line", BOILERPLATE_LINES)
def test_no_boilerplate_line_left(samples_dir: Path, name: str, line: str) -> None:
    doc = parse(samples_dir, name)
    assert line.casefold() not in kept_text(doc).casefold()


@pytest.mark.parametrize("name", ["osteoporos-smartbehandling.txt", "botox-backenbotten.txt"])
def test_block_offsets_quote_the_source(samples_dir: Path, name: str) -> None:
    doc = parse(samples_dir, name)
    source = (samples_dir / name).read_text(encoding="utf-8")
    assert doc.text == source
    for section in doc.sections:
        for block in section.blocks:
            assert source[block.start : block.end] == block.text
    for question in doc.reader_questions:
        assert " ".join(source[question.start : question.end].split()) == question.text


@pytest.mark.parametrize(
    "line, kind",
    [
        ("Annons: MiniMage – välling med extra fibrer för små magar.", "advertisement"),
        ("SPONSRAT | Köp vår nya kudde nu", "advertisement"),
        ("REKLAM/TIPS", "ad_marker"),
        ("Tips: drick mycket vatten när du äter fibrer.", None),
        ("Annonser i tidningen lovar mycket.", None),
    ],
)
def test_one_line_advertisements_are_boilerplate(line: str, kind: str | None) -> None:
    from lindra.ingest.boilerplate import classify_line

    found = classify_line(line)
    assert (found.value if found else None) == kind


# Site chrome as it appears in the text of real Swedish health pages
# (benchmarks/realpages/): skip links, menu and share bars, dates, credits.
@pytest.mark.parametrize(
    "line, kind",
    [
        ("Logga in | Meny | Sök", "navigation"),
        ("Dela | Skriv ut | Tipsa en vän", "navigation"),
        ("Gå direkt till huvudinnehållet", "navigation"),
        ("Hoppa till huvudinnehåll", "navigation"),
        ("Skriv ut (ca 13 sidor)", "navigation"),
        ("Sidan uppdaterades senast 2024-02-26", "navigation"),
        ("Uppdaterad den: 2020-06-29", "navigation"),
        ("Lästid: ca 5 min Publicerad: Publikationstyp:", "navigation"),
        ("Tack, din epostadress är nu registrerad.", "navigation"),
        ("© Region Exempel 2022", "credit"),
        ("Foto: Getty Images", "credit"),
        ("Text: Anna Ek, först publicerad i tidningen", "credit"),
        ("Skriv ut recepten och ta med till apoteket.", None),
        ("Sök vård direkt om du får feber.", None),
        ("Text och bild är viktiga i patientinformation.", None),
    ],
)
def test_site_chrome_lines_are_boilerplate(line: str, kind: str | None) -> None:
    from lindra.ingest.boilerplate import classify_line

    found = classify_line(line)
    assert (found.value if found else None) == kind


def test_wikipedia_edit_links_leave_headings(tmp_path: Path) -> None:
    page = tmp_path / "homeopati.txt"
    page.write_text(
        "Homeopati\n\nHistoria[redigera | redigera wikitext]\n\n"
        "Homeopatin grundades på 1700-talet av en tysk läkare.\n",
        encoding="utf-8",
    )
    document = parse(tmp_path, "homeopati.txt")
    assert [s.heading for s in document.sections] == ["Historia"]


def test_short_lines_without_bullets_after_body_text_are_a_list(tmp_path: Path) -> None:
    page = tmp_path / "eksem.txt"
    page.write_text(
        "Eksem\n\n"
        "Här följer de preparat som regionen rekommenderar vid eksem.\n\n"
        "Förstahandspreparat\n\n"
        "Karbamid 5 % kräm\n"
        "Hydrokortison 1 %\n"
        "Mometason kräm\n\n"
        "Övriga preparat\n"
        "Takrolimus salva\n"
        "Pimekrolimus kräm\n",
        encoding="utf-8",
    )
    document = parse(tmp_path, "eksem.txt")
    listed = {s.heading: [(b.kind, b.text) for b in s.blocks] for s in document.sections}
    assert listed["Förstahandspreparat"] == [
        ("list_item", "Karbamid 5 % kräm"),
        ("list_item", "Hydrokortison 1 %"),
        ("list_item", "Mometason kräm"),
    ]
    assert listed["Övriga preparat"] == [
        ("list_item", "Takrolimus salva"),
        ("list_item", "Pimekrolimus kräm"),
    ]


def test_short_lines_before_any_body_text_stay_headings(tmp_path: Path) -> None:
    page = tmp_path / "meny.txt"
    page.write_text(
        "Hem\nOm oss\nKontakt\n\nEksem\n\nEksem är en vanlig hudsjukdom som kliar.\n",
        encoding="utf-8",
    )
    document = parse(tmp_path, "meny.txt")
    assert all(b.kind != "list_item" for s in document.sections for b in s.blocks)


def test_a_sentence_cut_off_at_the_end_is_kept_with_its_heading(tmp_path: Path) -> None:
    # Excerpts end mid-sentence; that line and the heading above it are text, not links.
    page = tmp_path / "hemorrojder.txt"
    page.write_text(
        "Egenbehandling\n\n"
        "Salva med kortison minskar svullnaden men påverkar inte orsaken.\n\n"
        "Sittbad\n\n"
        "En annan typ av lokalbehandling är regelbundna sittbad ell",
        encoding="utf-8",
    )
    document = parse(tmp_path, "hemorrojder.txt")
    listed = {s.heading: [b.text for b in s.blocks] for s in document.sections}
    assert listed["Sittbad"] == ["En annan typ av lokalbehandling är regelbundna sittbad ell"]


@pytest.mark.parametrize(
    "ending",
    [
        "Läs också\n\nSå lindrar du ryggont\n\nTio tips för en bättre sömn i vinter",
        "Till startsidan",
    ],
    ids=["related links", "short last line"],
)
def test_links_at_the_end_are_still_dropped(tmp_path: Path, ending: str) -> None:
    page = tmp_path / "sida.txt"
    page.write_text(
        f"Ryggont\n\nDe flesta med ryggont blir bättre inom några veckor.\n\n{ending}\n",
        encoding="utf-8",
    )
    document = parse(tmp_path, "sida.txt")
    assert [b.text for s in document.sections for b in s.blocks] == [
        "De flesta med ryggont blir bättre inom några veckor."
    ]
