"""Merge the real-page annotation passes and build the adjudicated gold file.

    python scripts/realpages_gold.py merge          # pages_*.jsonl, pass_[ab]_*.tsv → one file each
    python scripts/realpages_gold.py disagreements  # → disagreements.tsv, for the adjudicator
    python scripts/realpages_gold.py gold           # agreed rows + adjudication.tsv → gold.tsv

Pages with one pass so far keep that pass's rows in ``gold.tsv`` as they are.

Rows of the two blind passes are matched per page by treatment name (as in
``benchmarks/realpages.py``). A matched pair with the same stance is gold as it
is; every other row (a stance the passes disagree on, a treatment only one pass
found) goes to ``disagreements.tsv``. The adjudicator, who reads the page and
``docs/annotation.md``, writes one line per disagreement to ``adjudication.tsv``:
``page_id  treatment  decision  stance  quote  note`` with decision ``keep`` or
``drop``.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from realpages import FIELDS, Row, _pairs, load_rows  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "benchmarks" / "realpages"
# Pages kept apart as a test set (``benchmarks/realpages.py --test``): not merged.
HELD_OUT = ("pages_p15.jsonl", "pages_p16.jsonl")
DISAGREEMENT_FIELDS = ("page_id", "treatment", "kind", "a_stance", "b_stance", "a_quote", "b_quote")


def merge() -> None:
    pages: dict[str, str] = {}
    for part in sorted(p for p in DATA.glob("pages_*.jsonl") if p.name not in HELD_OUT):
        for line in part.read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                pages.setdefault(item["id"], json.dumps(item, ensure_ascii=False))
    (DATA / "pages.jsonl").write_text("".join(v + "\n" for v in pages.values()), "utf-8")
    # The developer's own pass (pass_m.tsv) is the B pass of the pages it covers.
    parts = {
        "pass_a": sorted(DATA.glob("pass_a_*.tsv")),
        "pass_b": [*sorted(DATA.glob("pass_b_*.tsv")), DATA / "pass_m.tsv"],
    }
    for name, files in parts.items():
        rows: list[list[str]] = []
        for part in files:
            with part.open(encoding="utf-8", newline="") as handle:
                reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
                next(reader, None)
                rows += [r for r in reader if len(r) >= 6 and r[0] in pages]
        write_tsv(DATA / f"{name}.tsv", FIELDS, [(r + [""] * 7)[:7] for r in rows])
    print(f"{len(pages)} pages")


def write_tsv(path: Path, header: tuple[str, ...], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("\t".join(header) + "\n")
        for row in rows:
            handle.write("\t".join(" ".join(str(c).split()) for c in row) + "\n")


def split_passes() -> tuple[list[tuple[Row, Row]], list[tuple[Row | None, Row | None]], list[Row]]:
    """Rows of pages both passes annotated, agreed and disputed; and the rows of
    pages only one pass has annotated so far (gold as they are, until a second pass)."""
    a_rows, b_rows = load_rows(DATA / "pass_a.tsv"), load_rows(DATA / "pass_b.tsv")
    a_pages, b_pages = {r.page_id for r in a_rows}, {r.page_id for r in b_rows}
    agreed: list[tuple[Row, Row]] = []
    disputed: list[tuple[Row | None, Row | None]] = []
    for page in sorted(a_pages & b_pages):
        left = [r for r in a_rows if r.page_id == page]
        right = [r for r in b_rows if r.page_id == page]
        pairs = _pairs(left, right)
        agreed += [(a, b) for a, b in pairs if a.stance == b.stance]
        disputed += [(a, b) for a, b in pairs if a.stance != b.stance]
        paired_a = {id(a) for a, _ in pairs}
        paired_b = {id(b) for _, b in pairs}
        disputed += [(a, None) for a in left if id(a) not in paired_a]
        disputed += [(None, b) for b in right if id(b) not in paired_b]
    single = [r for r in a_rows + b_rows if r.page_id not in a_pages & b_pages]
    return agreed, disputed, single


def disagreements() -> None:
    _, disputed, _ = split_passes()
    rows = []
    for a, b in disputed:
        first = a or b
        assert first is not None
        kind = "stance" if a and b else ("only_a" if a else "only_b")
        rows.append(
            [
                first.page_id,
                "|".join(first.names),
                kind,
                a.stance if a else "",
                b.stance if b else "",
                a.quote if a else "",
                b.quote if b else "",
            ]
        )
    write_tsv(DATA / "disagreements.tsv", DISAGREEMENT_FIELDS, rows)
    print(f"{len(rows)} disagreements")


def gold() -> None:
    agreed, _, single = split_passes()
    rows = [
        [r.page_id, r.names[0], "|".join(r.names[1:]), r.condition, r.stance, r.quote, r.note]
        for r in single
    ] + [
        [
            a.page_id,
            a.names[0],
            "|".join(dict.fromkeys([*a.names[1:], *b.names])),
            a.condition or b.condition,
            a.stance,
            a.quote,
            a.note or b.note,
        ]
        for a, b in agreed
    ]
    decisions = DATA / "adjudication.tsv"
    if decisions.exists():
        with decisions.open(encoding="utf-8", newline="") as handle:
            for record in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                if record["decision"].strip() == "keep":
                    names = record["treatment"].split("|")
                    rows.append(
                        [
                            record["page_id"],
                            names[0],
                            "|".join(names[1:]),
                            "",
                            record["stance"].strip(),
                            record["quote"],
                            record.get("note") or "",
                        ]
                    )
    rows.sort(key=lambda r: r[0])
    write_tsv(DATA / "gold.tsv", FIELDS, rows)
    print(f"{len(rows)} gold rows")


if __name__ == "__main__":
    {"merge": merge, "disagreements": disagreements, "gold": gold}[sys.argv[1]]()
