"""HTML pages: trafilatura first, the standard library's parser as a fallback."""

from __future__ import annotations

from lindra.ingest.html import html_to_markdown


def test_deeply_nested_html_keeps_its_text() -> None:
    sentence = "<p>Värmekudde lindrar smärta vid ryggont.</p>"
    page = "<html><body>" + "<div>" * 10_000 + sentence + "</div>" * 10_000 + "</body></html>"
    markdown, _, _ = html_to_markdown(page, source="deep.html")
    assert "Värmekudde lindrar smärta vid ryggont." in markdown
