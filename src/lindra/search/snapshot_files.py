"""Index snapshots on disk: built once per store generation, read back memory-mapped.

Building the in-memory index means decoding every passage's stored terms (about
3 s for 10,000 documents); a process that finds a snapshot file of the store's
current generation maps its arrays instead, and every process reading the same
files shares their pages through the operating system's cache.

Layout: ``<folder>/<generation>-<key>/`` holds one ``.npy`` file per array and
``strings.npy`` (passage ids, document ids and terms, NUL-separated UTF-8). The
key hashes whatever else decides the index (BM25 parameters, the ingest pipeline,
the embedding model), so a snapshot built under other settings is never used. A
snapshot is written to a temporary folder and renamed into place, so a reader
never sees half of one; older generations are removed by the writer.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np
from scipy import sparse

from lindra.search.bm25 import Bm25Index, Bm25Params
from lindra.search.dense import DenseIndex

__all__ = ["load_snapshot", "save_snapshot", "snapshot_key"]

logger = logging.getLogger(__name__)

_SEPARATOR = "\0"


def snapshot_key(params: Bm25Params, pipeline: str, embedder: str | None) -> str:
    """A short hash of everything besides the store's content that the index depends on."""
    text = repr((sorted(params.weights.items()), sorted(params.b.items()), params.k1))
    text += f"|{pipeline}|{embedder or 'lexical'}|format 1"
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def save_snapshot(
    folder: Path, generation: int, key: str, bm25: Bm25Index, dense: DenseIndex | None
) -> None:
    """Write the snapshot of *generation* (unless one exists) and drop older ones.
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
            "idf": bm25.idf,
            "passage_doc": bm25.passage_doc,
            "doc_starts": bm25.doc_starts,
            "strings": _strings(bm25),
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
            if old != target and not old.name.startswith(".building-"):
                shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        logger.warning("could not save the index snapshot in %s: %s", folder, exc)


def load_snapshot(
    folder: Path, generation: int, key: str, params: Bm25Params, dense: bool
) -> tuple[Bm25Index, DenseIndex | None] | None:
    """The snapshot of *generation*, memory-mapped, or None when there is none (or
    it cannot be read: then the caller rebuilds)."""
    source = folder / f"{generation}-{key}"
    if not source.is_dir():
        return None
    try:

        def array(name: str) -> np.ndarray:
            mapped: np.ndarray = np.load(source / f"{name}.npy", mmap_mode="r")
            return mapped

        passage_ids, doc_ids, terms = _split(array("strings"))
        bm25 = Bm25Index.from_arrays(
            params,
            passage_ids=passage_ids,
            doc_ids=doc_ids,
            terms=terms,
            impacts=sparse.csc_matrix(
                (array("impacts_data"), array("impacts_indices"), array("impacts_indptr")),
                shape=(len(passage_ids), len(terms)),
            ),
            idf=array("idf"),
            passage_doc=array("passage_doc"),
            doc_starts=array("doc_starts"),
        )
        vectors = None
        if dense:
            vectors = DenseIndex.from_arrays(array("dense_matrix"), array("dense_present"))
    except (OSError, ValueError) as exc:
        logger.warning("removing the unreadable index snapshot %s: %s", source, exc)
        shutil.rmtree(source, ignore_errors=True)  # the rebuild saves a sound one
        return None
    return bm25, vectors


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
