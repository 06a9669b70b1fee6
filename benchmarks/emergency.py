"""Emergency triage precision and recall on real narratives and on the case files.

    python benchmarks/emergency.py [--errors tuned|held-out|all|real] [--json]

The real-narrative set (``benchmarks/narratives/``) holds texts in which people
describe a health situation to a question column or a forum, found with the
search tool and written by third parties, labelled 112 / 1177 / advice / none
with a complaint category (``narratives.jsonl``; the texts themselves are
third-party and cached, git-ignored, in ``benchmarks/narratives/cache/``; without
the cache each item is read from its one quoted sentence, which is said). It is
reported per category: recall of 112 situations, precision of the 112 alarm,
and false "1177 today" for texts that need no care today.

Two tasks: "112 vs rest" (112 cases positive; 1177 and negative cases negative)
and "any trigger" (112 and 1177 cases positive, negative cases negative).
Each case file has a part used while writing the rules ("tuned") and a part
below its "held-out" marker that was not looked at while tuning; both are
reported, so the held-out numbers estimate how the rules generalise.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from pathlib import Path

from lindra.answer.emergency import EmergencyDetector

CASES = Path(__file__).resolve().parents[1] / "tests" / "answer" / "cases"
NARRATIVES = Path(__file__).resolve().parent / "narratives"
HELD_OUT_MARKER = "=== held-out"
PARTS = ("tuned", "held-out", "all")
# Vignette sets whose errors were all read: Semigran before the dev/test split was
# introduced; the tenth session's sets after their test halves' held-out runs
# (eleventh session). They are printed whole.
READ_VIGNETTES = frozenset(
    {
        "vignettes",
        "vignettes_avey",
        "vignettes_healthbench",
        "vignettes_ilicki",
        "vignettes_ramaswamy",
        "vignettes_brown",
        "vignettes_wallace",
    }
)


def read_narratives(folder: Path = NARRATIVES) -> tuple[list[dict[str, str]], int]:
    """The labelled narratives of every batch (``narratives*.jsonl``, each item's
    ``set`` is its file), each with its ``text`` (cached) or its quote, then the
    vignettes of every published set (``vignettes*.jsonl``, their lay Swedish
    rendering); and how many narratives had to fall back to the quote."""
    items, fallback = [], 0
    for path in sorted(folder.glob("narratives*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                item, cached = _with_text({**json.loads(line), "set": path.stem}, folder)
                items.append(item)
                fallback += not cached
    for path in sorted(folder.glob("vignettes*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                name = path.stem if path.stem in READ_VIGNETTES else f"{path.stem} {half(item)}"
                items.append({**item, "set": name, "text": item["text_sv"]})
    return items, fallback


def half(item: dict[str, str]) -> str:
    """The half of a vignette set an item belongs to, fixed before any error was read:
    errors of the ``dev`` half may be read while changing the rules, the ``test`` half
    is only scored."""
    return ("dev", "test")[int(hashlib.sha1(item["id"].encode()).hexdigest(), 16) % 2]


def _with_text(item: dict[str, str], folder: Path) -> tuple[dict[str, str], bool]:
    """*item* with its cached text, or with its quote when the cache is absent."""
    cached = folder / "cache" / f"{item['id']}.txt"
    if cached.exists():
        return {**item, "text": cached.read_text(encoding="utf-8").strip()}, True
    return {**item, "text": item["quote"]}, False


def real_narratives(detector: EmergencyDetector) -> tuple[list[dict[str, object]], list[str]]:
    """Per-category and overall rows for the real-narrative set, and its errors."""
    items, fallback = read_narratives()
    rows = [(item, detector.detect(item["text"]).level or "none") for item in items]
    table: list[dict[str, object]] = []
    categories = sorted({str(item["category"]) for item in items})
    sets = sorted({str(item["set"]) for item in items})
    for category in [*categories, "all", *(f"set {name}" for name in sets)]:
        chosen = [(i, g) for i, g in rows if category in ("all", i["category"], f"set {i['set']}")]
        m112 = scores([(i["label"] == "112", g == "112") for i, g in chosen])
        calm = [g for i, g in chosen if i["label"] in ("advice", "none")]
        table.append(
            {
                "category": category,
                "items": len(chosen),
                "112": int(m112["positives"]),
                "recall_112": m112["recall"],
                "precision_112": m112["precision"],
                "any_recall": scores(
                    [(i["label"] in ("112", "1177"), g != "none") for i, g in chosen]
                )["recall"],
                "calm": len(calm),
                "calm_raised": sum(g != "none" for g in calm),
            }
        )

    def wrong(item: dict[str, object], got: str) -> bool:
        calm = item["label"] in ("advice", "none")
        missed = item["label"] == "1177" and got == "none"
        return (item["label"] == "112") != (got == "112") or (calm and got != "none") or missed

    errors = [
        f"{i['label']:>6} got {g:>4} [{i['category']}] {i['id']}: "
        + " ".join(str(i["text"]).split())[:160]
        for i, g in rows
        if wrong(i, g)
    ]
    if fallback:
        errors.insert(0, f"({fallback} of {len(items)} narratives read from their quote: no cache)")
    return table, errors


def read_cases(path: Path) -> dict[str, list[str]]:
    """Questions of a case file, split at the held-out marker (comments and blanks dropped)."""
    parts: dict[str, list[str]] = {"tuned": [], "held-out": []}
    part = "tuned"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") and HELD_OUT_MARKER in line:
            part = "held-out"
        elif line.strip() and not line.startswith("#"):
            parts[part].append(line.strip())
    parts["all"] = parts["tuned"] + parts["held-out"]
    return parts


def scores(pairs: list[tuple[bool, bool]]) -> dict[str, float]:
    """Precision, recall and counts of ``(expected, predicted)`` pairs."""
    tp = sum(e and p for e, p in pairs)
    fp = sum(p and not e for e, p in pairs)
    fn = sum(e and not p for e, p in pairs)
    return {
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
        "positives": float(tp + fn),
        "negatives": float(len(pairs) - tp - fn),
        "fp": float(fp),
        "fn": float(fn),
    }


# The symptom-checker audit's own triage levels, and what counts as the right
# advice for each: emergency care for "emergent" (Semigran et al. scored 80 % of
# checkers' answers right there), care for "non_emergent", none for "self_care".
AUDIT_LEVELS = {"emergent": "an alert", "non_emergent": "an alert", "self_care": "no alert"}


def audit_table(detector: EmergencyDetector) -> list[dict[str, object]]:
    """The vignettes by the audit's triage level: how often lindra gives 112, an
    alert (112 or 1177 today), or none; "right" as the audit would count it."""
    items = [i for i in read_narratives()[0] if i["set"] == "vignettes"]
    rows = []
    for level, right in AUDIT_LEVELS.items():
        got = [detector.detect(i["text"]).level for i in items if i["original_triage"] == level]
        alerts = sum(g is not None for g in got)
        rows.append(
            {
                "triage": level,
                "items": len(got),
                "112": sum(g == "112" for g in got),
                "alert": alerts,
                "right": (alerts if right == "an alert" else len(got) - alerts) / max(len(got), 1),
                "right_means": right,
            }
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--errors", choices=(*PARTS, "real"), help="list misclassified questions of a part"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    detector = EmergencyDetector.default()
    files = {lvl: read_cases(CASES / f"emergency_{lvl}.txt") for lvl in ("112", "1177", "negative")}
    results: dict[str, dict[str, float]] = {}
    errors: list[str] = []
    questions = 0
    for part in PARTS:
        rows = [
            (expected, question, detector.detect(question).level or "none")
            for expected, cases in (("112", files["112"]), ("1177", files["1177"]))
            + (("none", files["negative"]),)
            for question in cases[part]
        ]
        questions = len(rows)  # the last part, "all", holds every question
        results[f"112 vs rest ({part})"] = scores([(e == "112", g == "112") for e, _, g in rows])
        results[f"any trigger ({part})"] = scores([(e != "none", g != "none") for e, _, g in rows])
        if part == args.errors:
            errors = [f"expected {e:>4}, got {g:>4}: {q}" for e, q, g in rows if e != g]
    real, real_errors = real_narratives(detector)
    audit = audit_table(detector) if (NARRATIVES / "vignettes.jsonl").exists() else []
    elapsed = time.perf_counter() - started
    if args.json:
        print(
            json.dumps(
                {"real_narratives": real, "vignettes_by_audit_triage": audit, **results}, indent=2
            )
        )
        return 0
    if real:
        print(
            "Real narratives (third-party text) and published clinical vignettes in lay "
            "Swedish (VIGNETTES.md; sets not yet read in a dev and a test half): per "
            "category, then per set"
        )
        print(
            f"{'category':24} {'items':>5} {'112':>4} {'R 112':>6} {'P 112':>6} "
            f"{'R any':>6} {'calm':>5} {'raised':>6}"
        )
        for r in real:
            print(
                f"{r['category']:24} {r['items']:5d} {r['112']:4d} {r['recall_112']:6.3f} "
                f"{r['precision_112']:6.3f} {r['any_recall']:6.3f} {r['calm']:5d} "
                f"{r['calm_raised']:6d}"
            )
        print()
    if audit:
        print("The 45 vignettes by the audit's triage level (checkers: 80 % right on emergent)")
        print(f"{'triage':14} {'items':>5} {'112':>4} {'alert':>5} {'right':>6}  right means")
        for a in audit:
            print(
                f"{a['triage']:14} {a['items']:5d} {a['112']:4d} {a['alert']:5d} "
                f"{a['right']:6.3f}  {a['right_means']}"
            )
        print()
    if real:
        if args.errors == "real":
            errors = real_errors
    print("The project's own case files (unit-test lists, not evidence):")
    print(f"{'task':28} {'pos':>4} {'neg':>4} {'precision':>9} {'recall':>7} {'FP':>3} {'FN':>3}")
    for task, m in results.items():
        print(
            f"{task:28} {int(m['positives']):4d} {int(m['negatives']):4d} "
            f"{m['precision']:9.3f} {m['recall']:7.3f} {int(m['fp']):3d} {int(m['fn']):3d}"
        )
    print(f"({questions} questions scored, {elapsed:.1f} s including loading)")
    for line in errors:
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
