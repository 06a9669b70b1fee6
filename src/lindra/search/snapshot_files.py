"""Index snapshots on disk: built once per store generation, read back memory-mapped.

Building the in-memory index means decoding every passage's stored terms (about
3 s for 10,000 documents); a process that finds a snapshot file of the store's
current generation maps its arrays instead, and every process reading the same
files shares their pages through the operating system's cache.

Layout: ``<folder>/<generation>-<key>/`` holds one ``.npy`` file per array (the
BM25 impacts, the embeddings, each word's analysis) and ``strings.npy`` (passage
ids, document ids and terms, NUL-separated UTF-8). The
key hashes whatever else decides the index (BM25 parameters, the ingest pipeline,
the embedding model), so a snapshot built under other settings is never used. A
snapshot is written to a temporary folder and renamed into place, so a reader
never sees half of one; older generations are removed by the writer.

Several machines on one PostgreSQL base share snapshots through the store (a
:class:`SnapshotShelf`): the first process that builds a generation's index
publishes its files there, and the others fetch them into their own folder
instead of decoding every passage again.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from lindra.errors import LindraError
from lindra.search.bm25 import Bm25Index, Bm25Params, TermImpacts
from lindra.search.dense import DenseIndex
from lindra.search.word_analyses import ARRAY_NAMES, WordAnalyses

__all__ = [
    "SnapshotShelf",
    "fetch_snapshot",
    "load_snapshot",
    "publish_snapshot",
    "save_snapshot",
    "snapshot_key",
]

logger = logging.getLogger(__name__)

_SEPARATOR = "\0"


@runtime_checkable
class SnapshotShelf(Protocol):
    """A store that keeps index snapshot files for every process that reads it."""

    def has_snapshot(self, generation: int, key: str) -> bool:
        """Whether the snapshot of *generation* under *key* is on the shelf."""
        ...

    def fetch_snapshot(self, generation: int, key: str, into: Path) -> bool:
        """Write the snapshot's files into the folder *into*; False when there is none."""
        ...

    def publish_snapshot(self, generation: int, key: str, files: Sequence[Path]) -> None:
        """Keep *files* as the snapshot of *generation* (older generations may go)."""
        ...


def snapshot_key(params: Bm25Params, pipeline: str, embedder: str | None, base: str = "") -> str:
    """A short hash of everything besides the store's generation that the index depends
    on; *base*: the store's identity, so that a base made again in the same place (its
    generations counting from 0 again) never reads the snapshots of the one before."""
    text = repr((sorted(params.weights.items()), sorted(params.b.items()), params.k1))
    text += f"|{pipeline}|{embedder or 'lexical'}|format 3"
    text += f"|{base}" if base else ""
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def save_snapshot(
    folder: Path,
    generation: int,
    key: str,
    bm25: Bm25Index,
    dense: DenseIndex | None,
    words: WordAnalyses,
) -> None:
    """Write the snapshot of *generation* (unless one exists) and drop those of other
    generations. Another key's snapshot of the same generation stays: a process with
    other settings (dense retrieval off for a one-off search, say) reads it, and two
    such processes would otherwise rebuild in turn, each deleting the other's.
    Failing to write (a read-only folder, a full disk) only costs the next process
    a rebuild, so it is logged, not raised."""
    target = folder / f"{generation}-{key}"
    if target.exists():
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".building-", dir=folder))
        arrays = {
            "impacts_data": bm25.impacts.data,
            "impacts_indices": bm25.impacts.indices,
            "impacts_indptr": bm25.impacts.indptr,
            "common_columns": bm25.impacts.common_columns,
            "common_impacts": bm25.impacts.common_impacts,
            "idf": bm25.idf,
            "passage_doc": bm25.passage_doc,
            "doc_starts": bm25.doc_starts,
            "strings": _strings(bm25),
            **words.arrays(),
        }
        if dense is not None:
            arrays |= {"dense_matrix": dense.matrix, "dense_present": dense.present}
        for name, array in arrays.items():
            np.save(work / f"{name}.npy", np.ascontiguousarray(array))
        try:
            os.rename(work, target)
        except OSError:  # another process saved the same generation first
            shutil.rmtree(work, ignore_errors=True)
        for old in folder.iterdir():
            if not old.name.startswith((".building-", f"{generation}-")):
                shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        logger.warning("could not save the index snapshot in %s: %s", folder, exc)


def load_snapshot(
    folder: Path, generation: int, key: str, params: Bm25Params, dense: bool
) -> tuple[Bm25Index, DenseIndex | None, WordAnalyses] | None:
    """The snapshot of *generation*, memory-mapped, or None when there is none (or
    it cannot be read: then the caller rebuilds)."""
    source = folder / f"{generation}-{key}"
    if not source.is_dir():
        return None
    try:

        def array(name: str) -> np.ndarray:
            # A plain read-only view of the map: slicing a numpy.memmap builds a memmap
            # object each time, which made every query term's column slow to read.
            mapped: np.ndarray = np.asarray(np.load(source / f"{name}.npy", mmap_mode="r"))
            return mapped

        passage_ids, doc_ids, terms = _split(array("strings"))
        columns = array("impacts_indptr")
        if len(columns) != len(terms) + 1:
            raise ValueError("the impact columns do not match the terms")
        bm25 = Bm25Index.from_arrays(
            params,
            passage_ids=passage_ids,
            doc_ids=doc_ids,
            terms=terms,
            impacts=TermImpacts(
                array("impacts_data"),
                array("impacts_indices"),
                columns,
                len(passage_ids),
                array("common_columns"),
                array("common_impacts"),
            ),
            idf=array("idf"),
            passage_doc=array("passage_doc"),
            doc_starts=array("doc_starts"),
        )
        vectors = None
        if dense:
            vectors = DenseIndex.from_arrays(array("dense_matrix"), array("dense_present"))
        words = WordAnalyses(bm25, {name: array(name) for name in ARRAY_NAMES})
    except (OSError, ValueError) as exc:
        logger.warning("removing the unreadable index snapshot %s: %s", source, exc)
        shutil.rmtree(source, ignore_errors=True)  # the rebuild saves a sound one
        return None
    return bm25, vectors, words


def fetch_snapshot(shelf: SnapshotShelf, folder: Path, generation: int, key: str) -> bool:
    """Copy the snapshot of *generation* from *shelf* into *folder* (where
    :func:`load_snapshot` reads it); False when the shelf has none or the copy
    fails (the caller then builds the index itself)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".building-", dir=folder))
    except OSError as exc:
        logger.warning("could not fetch the index snapshot into %s: %s", folder, exc)
        return False
    try:
        if not shelf.fetch_snapshot(generation, key, work):
            return False
        os.rename(work, folder / f"{generation}-{key}")
    except (OSError, LindraError) as exc:  # a full disk, the database, or a faster process
        logger.info("index snapshot %d-%s not fetched: %s", generation, key, exc)
        return (folder / f"{generation}-{key}").is_dir()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    logger.info("fetched index snapshot %d-%s from the store", generation, key)
    return True


def publish_snapshot(shelf: SnapshotShelf, folder: Path, generation: int, key: str) -> None:
    """Put the snapshot of *generation* saved in *folder* on *shelf*, unless it is
    there already. Failing costs the other processes a rebuild: logged, not raised."""
    source = folder / f"{generation}-{key}"
    try:
        if not source.is_dir() or shelf.has_snapshot(generation, key):
            return
        shelf.publish_snapshot(generation, key, sorted(source.glob("*.npy")))
    except (OSError, LindraError) as exc:
        logger.warning("could not publish index snapshot %d-%s: %s", generation, key, exc)


def _strings(bm25: Bm25Index) -> np.ndarray:
    terms = sorted(bm25.vocabulary, key=bm25.vocabulary.__getitem__)
    parts = [str(len(bm25.passage_ids)), str(len(bm25.doc_ids)), *bm25.passage_ids]
    text = _SEPARATOR.join([*parts, *bm25.doc_ids, *terms])
    return np.frombuffer(text.encode("utf-8"), dtype=np.uint8)


def _split(blob: np.ndarray) -> tuple[list[str], list[str], list[str]]:
    """:raises ValueError: when the counts do not add up (a separator inside an id)."""
    parts = bytes(blob).decode("utf-8").split(_SEPARATOR)
    n_passages, n_docs = int(parts[0]), int(parts[1])
    passage_ids = parts[2 : 2 + n_passages]
    doc_ids = parts[2 + n_passages : 2 + n_passages + n_docs]
    terms = parts[2 + n_passages + n_docs :]
    if len(passage_ids) != n_passages or len(doc_ids) != n_docs:
        raise ValueError("the snapshot's id lists do not add up")
    return passage_ids, doc_ids, terms
