"""HTML pages: boilerplate removal with trafilatura, structure kept as Markdown."""

from __future__ import annotations

import logging
from html.parser import HTMLParser
from typing import Any

from lindra.errors import UnreadableDocument

__all__ = ["html_to_markdown", "plain_text"]

logger = logging.getLogger(__name__)


def html_to_markdown(html: str, *, source: str) -> tuple[str, str | None, dict[str, Any]]:
    """Main content of a page as Markdown, plus its title and page metadata.

    trafilatura drops navigation, footers, cookie banners, comments and scripts
    and keeps headings and lists, which the Markdown reader turns into sections.

    :raises UnreadableDocument: when no main content is found.
    """
    import trafilatura  # about 0.1 s: only commands that read HTML pay for it

    markdown = trafilatura.extract(
        html,
        output_format="markdown",
        include_comments=False,
        include_links=False,
        include_images=False,
        include_tables=True,
        favor_recall=True,
        deduplicate=False,
    )
    if not markdown or not markdown.strip():
        # lxml gives up on pages nested deeper than libxml2's limit (256 levels);
        # the standard library's parser has no such limit.
        markdown = plain_text(html)
    if not markdown.strip():
        raise UnreadableDocument(
            "no main text found in the HTML page (only navigation or scripts?)", source=source
        )
    metadata: dict[str, Any] = {}
    title: str | None = None
    meta = trafilatura.extract_metadata(html)
    if meta is not None:
        title = meta.title or None
        for key in ("url", "date", "author", "sitename", "description"):
            value = getattr(meta, key, None)
            if value:
                metadata[key] = value
    logger.debug("extracted %d characters from %s", len(markdown), source)
    return markdown, title, metadata


_SKIPPED = frozenset({"script", "style", "noscript", "template", "head", "nav", "footer"})
_BLOCKS = frozenset(
    {"p", "div", "li", "br", "tr", "section", "article", "h1", "h2", "h3", "h4", "h5", "h6"}
)


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def plain_text(html: str) -> str:
    """The visible text of *html*, one paragraph per block element: the fallback
    when trafilatura finds nothing.

    >>> plain_text("<div><div><p>Värme <b>hjälper</b>.</p></div></div><script>x()</script>")
    'Värme hjälper.'
    """
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    paragraphs = (" ".join(p.split()) for p in "".join(collector.parts).split("\n\n"))
    return "\n\n".join(p for p in paragraphs if p)
