"""HTML pages: boilerplate removal with trafilatura, structure kept as Markdown."""

from __future__ import annotations

import logging
from typing import Any

import trafilatura

from lindra.errors import UnreadableDocument

__all__ = ["html_to_markdown"]

logger = logging.getLogger(__name__)


def html_to_markdown(html: str, *, source: str) -> tuple[str, str | None, dict[str, Any]]:
    """Main content of a page as Markdown, plus its title and page metadata.

    trafilatura drops navigation, footers, cookie banners, comments and scripts
    and keeps headings and lists, which the Markdown reader turns into sections.

    :raises UnreadableDocument: when no main content is found.
    """
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
