"""Derive the list of common Swedish words from wordfreq.

    python scripts/build_common_words.py

Writes ``src/lindra/language/data/sv_common_words.txt`` (committed; rerun after
upgrading wordfreq): every one-word entry of wordfreq's Swedish list at or above
Zipf 2.5 (about once per 3 million words), sorted. Query spelling help asks
whether each typed word is real Swedish; reading this file takes about 20 ms,
where importing wordfreq and decoding its whole list took about 0.3 s of every
one-off ``lindra search``.
"""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

import wordfreq

from lindra.language.swedish import COMMON_WORD_ZIPF

OUT = Path(__file__).resolve().parents[1] / "src" / "lindra" / "language" / "data"


def main() -> None:
    frequencies = wordfreq.get_frequency_dict("sv")
    words = sorted(
        word
        for word in frequencies
        if not any(ch.isspace() for ch in word)
        and wordfreq.zipf_frequency(word, "sv") >= COMMON_WORD_ZIPF
    )
    header = (
        f"# Swedish words at Zipf >= {COMMON_WORD_ZIPF} in wordfreq {version('wordfreq')}"
        " (CC BY-SA 4.0 data); scripts/build_common_words.py\n"
    )
    (OUT / "sv_common_words.txt").write_text(header + "\n".join(words) + "\n", encoding="utf-8")
    print(f"{len(words)} words")


if __name__ == "__main__":
    main()
