"""The answer card's fixed Swedish texts, kept in a data file editors can change."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from lindra.errors import LexiconError
from lindra.language.lexicons import load_tsv, packaged_file

__all__ = ["REQUIRED_KEYS", "default_messages", "load_messages"]

REQUIRED_KEYS = frozenset(
    {
        "no_terms",
        "not_found",
        "verdict.elsewhere",
        "verdict.mixed",
        "verdict.no_effect",
        "verdict.no_effect_long_term",
        "verdict.not_stated",
        "verdict.other_condition",
        "verdict.proven_effect",
        "verdict.scoped",
        "verdict.some_support",
        "verdict.undocumented",
    }
)


def load_messages(path: Path) -> Mapping[str, str]:
    """``key → text`` from a two-column TSV file.

    :raises LexiconError: for a malformed line or a missing required key.
    """
    messages = {key: text for key, text in load_tsv(path, 2)}
    missing = sorted(REQUIRED_KEYS - messages.keys())
    if missing:
        raise LexiconError(f"{path.name}: missing message keys {', '.join(missing)}")
    return MappingProxyType(messages)


def default_messages() -> Mapping[str, str]:
    return load_messages(packaged_file("sv_answer_messages.tsv", "lindra.answer"))
