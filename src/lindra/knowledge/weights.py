"""Read and write CRF weights as a gzipped, tab-separated text file.

Layout (UTF-8, one record per line)::

    # comments (provenance, licence)
    @version <TAB> ner-features-1
    @labels  <TAB> O <TAB> B-disorder ...
    @start   <TAB> w_O <TAB> w_B-disorder ...
    @end     <TAB> ...
    @trans <TAB> <from-label> <TAB> w_O ...     (one line per from-label)
    <feature> <TAB> w_O <TAB> w_B-disorder ...  (one line per feature)
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from lindra.errors import LexiconError
from lindra.knowledge.crf import CrfModel
from lindra.knowledge.ner_features import FEATURE_VERSION

__all__ = ["load_weights", "save_weights"]


def _row(values: Iterable[float]) -> str:
    return "\t".join(f"{v:.4g}" for v in values)


def save_weights(
    model: CrfModel,
    path: Path,
    *,
    comments: Iterable[str] = (),
    min_weight: float = 0.0,
    version: str = FEATURE_VERSION,
) -> int:
    """Write *model* to *path*; drop features whose weights are all below *min_weight*.

    *version* names the features the model reads (checked when it is loaded).

    :returns: the number of feature rows written.
    """
    lines = [f"# {c}" for c in comments]
    lines.append(f"@version\t{version}")
    lines.append("@labels\t" + "\t".join(model.labels))
    lines.append("@start\t" + _row(model.start))
    lines.append("@end\t" + _row(model.end))
    for label, row in zip(model.labels, model.transitions, strict=True):
        lines.append(f"@trans\t{label}\t" + _row(row))
    written = 0
    for feature, index in sorted(model.features.items()):
        row = model.weights[index]
        if np.abs(row).max() < min_weight:
            continue
        lines.append(f"{feature}\t" + _row(row))
        written += 1
    # mtime=0: the same model gives the same bytes.
    with gzip.GzipFile(path, "wb", mtime=0) as handle:
        handle.write(("\n".join(lines) + "\n").encode("utf-8"))
    return written


def load_weights(
    path: Path, *, version: str = FEATURE_VERSION, script: str = "scripts/train_ner.py"
) -> CrfModel:
    """Read weights written by :func:`save_weights` for the features *version*
    (*script* is the one that trains them, named in the errors).

    :raises LexiconError: when the file is missing, from other features, or malformed.
    """
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, EOFError) as exc:
        raise LexiconError(f"Cannot read CRF weights '{path}': {exc}. Run {script}.") from exc
    labels: list[str] = []
    meta: dict[str, list[float]] = {}
    trans: dict[str, list[float]] = {}
    names: list[str] = []
    rows: list[list[float]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line or line.startswith("#"):
            continue
        cells = line.split("\t")
        if cells[0] == "@version":
            found = cells[1] if len(cells) > 1 else ""
            if found != version:
                raise LexiconError(
                    f"{path.name}: weights for {found!r}, code expects "
                    f"{version!r}. Retrain with {script}."
                )
            continue
        try:
            if cells[0] == "@labels":
                labels = cells[1:]
            elif cells[0] in ("@start", "@end"):
                meta[cells[0]] = [float(c) for c in cells[1:]]
            elif cells[0] == "@trans":
                trans[cells[1]] = [float(c) for c in cells[2:]]
            else:
                names.append(cells[0])
                rows.append([float(c) for c in cells[1:]])
        except (IndexError, ValueError) as exc:
            raise LexiconError(f"{path.name} line {number}: malformed weights row.") from exc
    size = len(labels)
    if not labels or any(len(r) != size for r in rows) or set(trans) != set(labels):
        raise LexiconError(f"{path.name}: rows do not match the {size} labels {labels}.")
    return CrfModel(
        labels=tuple(labels),
        features={name: i for i, name in enumerate(names)},
        weights=np.array(rows, dtype=np.float64).reshape(len(rows), size),
        transitions=np.array([trans[label] for label in labels], dtype=np.float64),
        start=np.array(meta["@start"], dtype=np.float64),
        end=np.array(meta["@end"], dtype=np.float64),
    )
