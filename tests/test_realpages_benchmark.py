"""The parts of ``benchmarks/realpages.py`` that run without the page cache."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import load_benchmark


@pytest.fixture(scope="module")
def realpages() -> ModuleType:
    return load_benchmark("realpages")


def _pages_and_rows(realpages: ModuleType, folder: Path) -> tuple[list, list]:
    # Sentences written for this test, on made-up sites.
    sentences = [
        ("Värme har god effekt mot smärtan.", "proven_effect"),
        ("Akupunktur har ingen effekt mot ryggont.", "no_effect"),
        ("Krämen finns på apoteket.", "not_stated"),
    ]
    pages, rows = [], []
    for n in range(10):
        sentence, stance = sentences[n % 3]
        page = realpages.Page(f"p{n}", f"https://site{n}.example/", f"site{n}.example", "blog",
                              folder / f"p{n}.txt")  # fmt: skip
        pages.append(page)
        rows.append(realpages.Row(page.id, ("behandling",), "", stance, sentence, ""))
    return pages, rows


def test_quotes_are_read_alone_without_any_page_text(realpages: ModuleType, tmp_path: Path) -> None:
    pages, rows = _pages_and_rows(realpages, tmp_path)
    result = realpages.quoted_sentences(pages, rows, 3, (pages[:3], rows[:3]))
    for part in ("cv", "held_out"):
        assert set(result[part]) == {"rules", "learned"}
        assert result[part]["rules"]["n"] == (10 if part == "cv" else 3)
    assert result["held_out"]["rules"]["accuracy"] == 1.0


def test_a_quote_missing_from_its_cached_text_is_listed(
    realpages: ModuleType, tmp_path: Path
) -> None:
    pages, rows = _pages_and_rows(realpages, tmp_path)
    pages[0].path.write_text("Värme har god\neffekt mot smärtan.", encoding="utf-8")
    pages[1].path.write_text("Något helt annat.", encoding="utf-8")
    assert realpages.quotes_not_in_texts(pages[:3], rows[:3]) == [
        "p1: Akupunktur har ingen effekt mot ryggont."
    ]
