"""Derive the names of medicines sold in Sweden from the NPL product register.

    python scripts/build_drug_products.py MEDICATIONS_JSON

MEDICATIONS_JSON is ``data/medications.json`` of BirgerMoell/swedish-medications
(MIT; 9,064 products with their active substances and ATC codes, read from FASS,
which lists every product of Läkemedelsverket's register). Writes
``src/lindra/knowledge/data/sv_drug_products.tsv`` (committed; rerun to refresh):
one line per name, ``name<TAB>substance``, where the substance is the product's one
active substance in Swedish spelling, or empty for a combination.

Kept: a product's invented name (its first word: "Loceryl", "Celluvisc",
"Cocillana-Etyfin") and every one-word substance. Left out: names that are common
words in Swedish or English ("Balance", "Anti", "Medicinsk", "vatten", "järn"),
vaccine substances (named after the disease: "stelkramp"), and the gases,
solutions and diagnostics of ATC groups B05 and V, which no patient page names as
a treatment, and the body's own signal substances ("acetylkolin").
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from wordfreq import zipf_frequency

OUT = (
    Path(__file__).resolve().parents[1]
    / "src"
    / "lindra"
    / "knowledge"
    / "data"
    / "sv_drug_products.tsv"
)
NAME = re.compile(r"[a-zåäöéü][a-zåäöéü-]{3,}[a-zåäöéü]")
# A brand this common in running text is mostly the word ("Diane", "Lung"); a
# substance this common is mostly the chemical ("vatten", "koppar", "protein").
MAX_BRAND_ZIPF_SV = 2.2
MAX_BRAND_ZIPF_EN = 3.0
MAX_SUBSTANCE_ZIPF = 3.0
LEFT_OUT_ATC = ("B05", "V", "J07")
# The body's own signal substances and plain chemicals, which pages name as such
# ("brist på acetylkolin") far more often than as a medicine.
NOT_MEDICINES = frozenset(
    {"acetylkolin", "noradrenalin", "adenosin", "dopamin", "histamin", "glycerol",
     "propylenglykol", "mjölksyra", "citronsyra", "kväveoxid", "elektrolyter",
     "natriumklorid", "kaliumklorid", "glukos", "albumin"}
)  # fmt: skip


def main(source: Path) -> None:
    products = json.loads(source.read_text(encoding="utf-8"))
    names: dict[str, set[str]] = {}
    substances: set[str] = set()
    for product in products:
        if product["atcCode"].startswith(LEFT_OUT_ATC):
            continue
        active = {s.casefold() for s in product["activeSubstances"]}
        substances |= {s for s in active if NAME.fullmatch(s) and s not in NOT_MEDICINES}
        brand = product["name"].replace("®", " ").split()[0].casefold()
        names.setdefault(brand, set()).update(active)
    lines = {
        (substance, substance)
        for substance in substances
        if zipf_frequency(substance, "sv") < MAX_SUBSTANCE_ZIPF
    }
    for brand, active in names.items():
        if (
            NAME.fullmatch(brand)
            and brand not in substances
            and zipf_frequency(brand, "sv") < MAX_BRAND_ZIPF_SV
            and zipf_frequency(brand, "en") < MAX_BRAND_ZIPF_EN
        ):
            lines.add((brand, next(iter(active)) if len(active) == 1 else ""))
    header = (
        "# Medicines sold in Sweden: invented names and substances, from the NPL register\n"
        "# via BirgerMoell/swedish-medications data/medications.json\n"
        "# (MIT, Copyright (c) 2025 Birger Moëll).\n"
        "# written by scripts/build_drug_products.py. name<TAB>single active substance\n"
    )
    body = "".join(f"{name}\t{substance}\n" for name, substance in sorted(lines))
    OUT.write_text(header + body, encoding="utf-8")
    print(f"{len(lines)} names -> {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
