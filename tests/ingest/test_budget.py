"""The time budget of one document, and stopping an ingest early."""

from __future__ import annotations

import pytest

from lindra.errors import IngestCancelled, TooComplex
from lindra.ingest.budget import Deadline


def test_the_budget_holds_until_spent() -> None:
    now = [100.0]
    deadline = Deadline(30, source="sida.txt", clock=lambda: now[0])
    now[0] = 129.0
    deadline.check()
    now[0] = 131.0
    with pytest.raises(TooComplex, match="more than 30 s") as error:
        deadline.check()
    assert error.value.source == "sida.txt"


def test_a_cancelled_ingest_stops_at_the_next_check() -> None:
    stop = [False]
    deadline = Deadline(30, source="sida.txt", cancelled=lambda: stop[0])
    deadline.check()
    stop[0] = True
    with pytest.raises(IngestCancelled):
        deadline.check()
