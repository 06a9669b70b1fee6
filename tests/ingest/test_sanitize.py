"""Text checked once at the ingest boundary."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from lindra.ingest.sanitize import clean_text, clean_value, nesting_depth


@given(st.text())
def test_clean_text_is_idempotent_and_always_encodable(text: str) -> None:
    cleaned = clean_text(text)
    assert clean_text(cleaned) == cleaned
    cleaned.encode("utf-8")
    assert "\x00" not in cleaned


def test_clean_text_keeps_line_breaks_and_tabs() -> None:
    assert clean_text("a\tb\nc\r\nd\x0ce") == "a\tb\nc\r\nd\x0ce"


def test_clean_value_cleans_keys_and_nested_values() -> None:
    assert clean_value({"\ud800": ["x\x00", {"y": "\udfff"}], "n": 3}) == {
        "\ufffd": ["x", {"y": "\ufffd"}],
        "n": 3,
    }


def test_nesting_depth_needs_no_recursion() -> None:
    deep: list[object] = []
    for _ in range(100_000):
        deep = [deep]
    assert nesting_depth(deep) == 100_001
