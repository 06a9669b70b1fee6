"""Derive the common Swedish words and the accent table from wordfreq.

    python scripts/build_common_words.py

Writes, in ``src/lindra/language/data/`` (committed; rerun after upgrading wordfreq):

* ``sv_common_words.txt``: every one-word entry of wordfreq's Swedish list at or
  above Zipf 2.5 (about once per 3 million words), sorted. Query spelling help asks
  whether each typed word is real Swedish; reading this file takes about 20 ms,
  where importing wordfreq and decoding its whole list took about 0.3 s of every
  one-off ``lindra search``.
* ``sv_accent_forms.txt.gz``: each plain word and the accented word that å/ä/ö
  restoration puts in for it (:func:`lindra.language.accents.dominant_forms` over the whole
  list), sorted and gzipped, so that the first question typed without å/ä/ö does not
  build the table (about 0.7 s).
"""

from __future__ import annotations

import gzip
from importlib.metadata import version
from pathlib import Path

import wordfreq

from lindra.language.accents import dominant_forms
from lindra.language.swedish import ACCENT_FORMS, COMMON_WORD_ZIPF

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
    twins = sorted(dominant_forms(frequencies).items())
    header = (
        f"# plain<TAB>accented twin, from wordfreq {version('wordfreq')}"
        " (CC BY-SA 4.0 data); scripts/build_common_words.py\n"
    )
    text = header + "".join(f"{plain}\t{word}\n" for plain, word in twins)
    # mtime=0: the same list gives the same bytes
    (OUT / ACCENT_FORMS).write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    print(f"{len(twins)} accented twins")


if __name__ == "__main__":
    main()
