"""Bytes to text: encodings, binary files, empty files, size limits."""

from __future__ import annotations

import pytest

from lindra.errors import InputTooLarge, UnreadableDocument
from lindra.ingest.decode import decode_bytes, looks_binary

TEXT = "Smärta i bäckenbotten kan lindras. Ökad rörlighet hjälper."


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"])
def test_swedish_text_decodes_in_common_encodings(encoding: str) -> None:
    assert decode_bytes(TEXT.encode(encoding), source="a.txt", max_bytes=10_000) == TEXT


def test_cp1252_specific_characters() -> None:
    text = "”Smärta” – 5 € per besök"
    assert decode_bytes(text.encode("cp1252"), source="a.txt", max_bytes=1000) == text


@pytest.mark.parametrize("data", [b"", b"   \n\n\t "])
def test_empty_input_is_rejected(data: bytes) -> None:
    with pytest.raises(UnreadableDocument, match="a.txt: file is empty"):
        decode_bytes(data, source="a.txt", max_bytes=1000)


def test_binary_input_is_rejected() -> None:
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    assert looks_binary(data)
    with pytest.raises(UnreadableDocument, match="binary"):
        decode_bytes(data, source="bild.png.txt", max_bytes=10_000)


def test_size_limit_names_the_limit() -> None:
    with pytest.raises(InputTooLarge, match="over the limit of 10"):
        decode_bytes(b"x" * 11, source="big.txt", max_bytes=10)


def test_nfc_normalisation() -> None:
    decomposed = "sma\u0308rta".encode()
    assert decode_bytes(decomposed, source="a.txt", max_bytes=100) == "smärta"
