"""Readers for each format, and clear errors for bad input."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from lindra.errors import BadRecord, FetchError, IngestError, UnreadableDocument, UnsupportedFormat
from lindra.ingest.readers import discover, read_path
from lindra.types import ParsedDocument


def read_all(path: Path) -> list[ParsedDocument | IngestError]:
    return list(read_path(path, max_bytes=100_000))


def test_markdown_headings_and_lists(tmp_path: Path) -> None:
    path = tmp_path / "ischias.md"
    path.write_text(
        "# Ischias\n\nIschias är smärta som strålar ut i benet.\n\n"
        "## Behandling\n\n- Värme kan lindra.\n- Rörelse hjälper de flesta.\n",
        encoding="utf-8",
    )
    [doc] = read_all(path)
    assert isinstance(doc, ParsedDocument)
    assert doc.title == "Ischias"
    assert [s.heading for s in doc.sections] == ["", "Behandling"]
    assert [b.kind for b in doc.sections[1].blocks] == ["list_item", "list_item"]
    assert doc.sections[1].blocks[0].text == "Värme kan lindra."


def test_html_boilerplate_is_removed(tmp_path: Path) -> None:
    path = tmp_path / "sida.html"
    path.write_text(
        "<html><head><title>Ryggont | Vårdguiden</title></head><body>"
        "<nav><a href='/'>Hem</a><a href='/om'>Om oss</a></nav>"
        "<div id='cookie'>Vi använder kakor på webbplatsen. Godkänn alla</div>"
        "<article><h1>Ont i ryggen</h1><p>De flesta som får ont i ryggen blir bra inom några"
        " veckor. Det är bra att röra på sig så mycket som möjligt.</p>"
        "<h2>Behandling</h2><ul><li>Värme kan lindra smärtan.</li>"
        "<li>Receptfria läkemedel kan hjälpa en kortare tid.</li></ul>"
        "<p>Hej <script>alert('x')</script>kontakta vården om du får feber.</p></article>"
        "<footer>© Region Exempel. Alla rättigheter förbehållna.</footer></body></html>",
        encoding="utf-8",
    )
    [doc] = read_all(path)
    assert isinstance(doc, ParsedDocument)
    assert doc.title == "Ont i ryggen"
    kept = "\n".join(s.text for s in doc.sections)
    assert "Värme kan lindra smärtan." in kept
    for junk in ("Om oss", "kakor", "alert", "rättigheter"):
        assert junk not in kept
    assert "Behandling" in [s.heading for s in doc.sections]


def test_jsonl_records_keep_their_ids_and_bad_lines_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    good = {
        "id": "a1",
        "text": "Värme lindrar smärta i ryggen.",
        "title": "Värme",
        "url": "https://x.se/a",
    }
    path.write_text(
        json.dumps(good, ensure_ascii=False)
        + "\n"
        + "{not json\n"
        + json.dumps({"id": "a2"})
        + "\n"
        + json.dumps({"id": "a3", "text": "Is hjälper.", "kind": "blog"})
        + "\n"
        + json.dumps({"id": 17, "text": "Sjukgymnastik hjälper de flesta."})
        + "\n",
        encoding="utf-8",
    )
    items = read_all(path)
    assert isinstance(items[0], ParsedDocument)
    assert (items[0].id, items[0].title, items[0].source) == ("a1", "Värme", "https://x.se/a")
    assert isinstance(items[1], BadRecord)
    assert f"{path.resolve()} line 2: not valid JSON" in str(items[1])
    assert isinstance(items[2], BadRecord) and "line 3: missing 'text'" in str(items[2])
    assert isinstance(items[3], BadRecord) and "unknown kind 'blog'" in str(items[3])
    assert isinstance(items[4], ParsedDocument) and items[4].id == "17"


def test_empty_jsonl_file(tmp_path: Path) -> None:
    path = tmp_path / "tom.jsonl"
    path.write_text("\n\n", encoding="utf-8")
    [error] = read_all(path)
    assert isinstance(error, UnreadableDocument)


def test_unsupported_suffix(tmp_path: Path) -> None:
    path = tmp_path / "rapport.pdf"
    path.write_bytes(b"%PDF-1.4")
    [error] = read_all(path)
    assert isinstance(error, UnsupportedFormat)
    assert "use .txt, .md, .html or .jsonl" in str(error)


def test_only_boilerplate_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "meny.txt"
    path.write_text(
        "Previous\n\nNext\n\nLämna ett svar\n\nDin e-postadress kommer inte publiceras.\n",
        encoding="utf-8",
    )
    [error] = read_all(path)
    assert isinstance(error, UnreadableDocument)
    assert "boilerplate" in str(error)


def test_discover_walks_folders_and_rejects_missing_paths(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.txt").write_text("text", encoding="utf-8")
    (tmp_path / "a" / "y.png").write_bytes(b"\x89PNG")
    (tmp_path / "a" / ".hidden.txt").write_text("text", encoding="utf-8")
    # Every file is listed, so that one lindra cannot read is reported, not lost.
    assert discover([tmp_path]) == [tmp_path / "a" / "x.txt", tmp_path / "a" / "y.png"]
    [error] = read_all(tmp_path / "a" / "y.png")
    assert isinstance(error, UnsupportedFormat)
    with pytest.raises(FetchError, match="no such file or folder"):
        discover([tmp_path / "missing"])


def test_links_out_of_the_folder_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("Lösenord: hemligt och privat.", encoding="utf-8")
    (folder / "inside.txt").write_text("Värme lindrar ont i ryggen.", encoding="utf-8")
    (folder / "passwd.txt").symlink_to(secret)
    (folder / "same.txt").symlink_to(folder / "inside.txt")
    found = discover([folder])
    refused = [item for item in found if isinstance(item, IngestError)]
    assert [Path(e.source).name for e in refused] == ["passwd.txt"]
    assert "outside the folder" in str(refused[0]) and "--follow-symlinks" in str(refused[0])
    assert folder / "same.txt" in found
    assert folder / "passwd.txt" in discover([folder], follow_symlinks=True)


def test_pipes_are_refused_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    [error] = discover([fifo])
    assert isinstance(error, FetchError) and "not a regular file" in str(error)
    [error] = discover([tmp_path])
    assert isinstance(error, FetchError)


def test_file_names_that_are_not_utf8_are_read(tmp_path: Path) -> None:
    name = os.fsdecode(b"sm\xe4rta.txt")  # Latin-1 bytes in the name
    (tmp_path / name).write_text("Värme lindrar ont i ryggen vid ryggskott.", encoding="utf-8")
    [document] = read_all(tmp_path / name)
    assert isinstance(document, ParsedDocument)
    assert document.source.endswith("sm\ufffdrta.txt")
    document.source.encode("utf-8")


HOSTILE_RECORDS = [
    ('{"id": "a", "text": ' + "[" * 5000 + "]" * 5000 + "}", "nested too deeply"),
    ('{"id": "a", "text": "x", "m": ' + "[" * 40 + "]" * 40 + "}", "nested too deeply"),
    ('{"id": "a", "text": "x", "n": ' + "9" * 5000 + "}", "unreadable JSON value"),
]


@pytest.mark.parametrize("line, message", HOSTILE_RECORDS)
def test_hostile_jsonl_lines_are_skipped_and_the_rest_read(
    tmp_path: Path, line: str, message: str
) -> None:
    path = tmp_path / "records.jsonl"
    good = json.dumps({"id": "ok", "text": "Värme lindrar ont i ryggen."})
    path.write_text(f"{line}\n{good}\n", encoding="utf-8")
    error, document = read_all(path)
    assert isinstance(error, BadRecord) and message in str(error) and error.line == 1
    assert isinstance(document, ParsedDocument) and document.id == "ok"


def test_lone_surrogates_and_nul_are_cleaned_in_every_field(tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    path.write_text(
        '{"id": "a\\ud800\\u0000", "title": "T\\udfff",'
        ' "text": "V\\u00e4rme \\ud83d hj\\u00e4lper.", "author": {"name": "\\ud800"}}\n',
        encoding="utf-8",
    )
    [document] = read_all(path)
    assert isinstance(document, ParsedDocument)
    assert document.id == "a\ufffd"
    assert document.title == "T\ufffd"
    assert document.text == "Värme \ufffd hjälper."
    assert document.metadata["author"] == {"name": "\ufffd"}


def test_utf32_with_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "sida.txt"
    path.write_bytes("Värme lindrar ont i ryggen vid ryggskott.".encode("utf-32"))
    [document] = read_all(path)
    assert isinstance(document, ParsedDocument)
    assert document.text.startswith("Värme lindrar")


def test_personal_data_in_a_reader_question_is_never_stored(tmp_path: Path) -> None:
    path = tmp_path / "fraga.txt"
    path.write_text(
        "Läsarfråga\n\nJag heter Eva (850312-1234, eva@exempel.se, 070-123 45 67) och har "
        "ont i ryggen. Hjälper värme?\n\nSvar\n\nVärme kan lindra. Ring Giftinformation "
        "010-456 67 00 vid förgiftning.\n",
        encoding="utf-8",
    )
    [document] = read_all(path)
    assert isinstance(document, ParsedDocument)
    for secret in ("850312-1234", "eva@exempel.se", "070-123 45 67"):
        assert secret not in document.text
    assert "010-456 67 00" in document.text  # a service's public number stays
    assert len(document.text) == len(path.read_text(encoding="utf-8"))
