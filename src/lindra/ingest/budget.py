"""A time budget for analysing one document, and a way to stop an ingest early.

Analysis is linear in the text after the caps of :mod:`lindra.ingest.sanitize`, but
a scraped page can still be huge (data URIs, base64 blobs, a 10 MB single line).
The engine checks a :class:`Deadline` between passages, embedding batches and
sections, so that no document runs unbounded and a client that leaves the API
stops the work it started.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from lindra.errors import IngestCancelled, TooComplex

__all__ = ["Deadline"]


class Deadline:
    """Raise when *seconds* have passed since creation, or when *cancelled* says so.

    >>> Deadline(60, source="a.txt").check()  # within budget: nothing happens
    """

    def __init__(
        self,
        seconds: float,
        *,
        source: str,
        cancelled: Callable[[], bool] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.seconds = seconds
        self.source = source
        self.cancelled = cancelled
        self.clock = clock
        self.end = clock() + seconds

    def check(self) -> None:
        """:raises IngestCancelled: when the ingest was stopped.
        :raises TooComplex: when the budget is spent."""
        if self.cancelled is not None and self.cancelled():
            raise IngestCancelled(
                "the ingest was stopped before this document was written", source=self.source
            )
        if self.clock() > self.end:
            raise TooComplex(
                f"too complex: analysing it took more than {self.seconds:g} s; split the "
                "document or raise LINDRA_DOCUMENT_SECONDS",
                source=self.source,
            )
