"""Verdicts on real pages: does "Hjälper X mot Y?" rest only on pages about Y, and
does the card show it when those pages disagree?

    python benchmarks/verdict_scope.py [--json] [--errors] [--base DIR]

The questions come from the real-page corpus (``benchmarks/realpages/``): for every
treatment that the adjudicated annotations (``gold.tsv``) grade with an evidence
stance (proven, some support, no effect, undocumented) on two or more pages, each
condition it is graded for becomes one question, "Hjälper {treatment} mot
{condition}?". The base holds every cached page annotated for one of those
treatments, ingested with dense retrieval off (verdicts come from the knowledge
entries, not from passage ranking).

Each page a verdict cites is judged by the annotations, not by lindra: *about the
asked condition* when the page has a row for the treatment whose condition is the
asked one or a wording of it (one names the other, "depression" and "mild
depression", "knäartros" and "artros i knät"; or the thesaurus finds the same
condition in both, or one a kind of the other); *another condition* when its rows name
only other conditions (the issue's goal: none); *unclear* when the thesaurus cannot
place a wording; *not annotated* when the page has no row for the treatment, or rows
without a condition. The pages the treatment table of the asked condition (``lindra
treatments Y``) lists for the treatment are judged the same way. Disagreement: when the base
holds pages graded for the same treatment and condition both ways (an effect, and
none or no evidence), the card should say "Källorna går isär" and cite both sides.

The page texts are third-party and stay out of git (``benchmarks/realpages/cache``);
without them the script says so and stops.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import re
import sys
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from realpages import DATA, Row, load_pages, load_rows  # noqa: E402

from lindra import Engine, Settings  # noqa: E402
from lindra.knowledge.mentions import MentionFinder  # noqa: E402
from lindra.language.thesaurus import Thesaurus  # noqa: E402
from lindra.types import Answer  # noqa: E402

EFFECT = frozenset({"proven_effect", "some_support"})
NONE = frozenset({"no_effect", "undocumented"})
EVIDENCE = EFFECT | NONE
_WORD = re.compile(r"[^\W\d_]+")
HALVES = ("dev", "test")
MIN_SHARED = 5  # letters of a shared word that makes two condition wordings one


@dataclass(frozen=True)
class Question:
    treatment: str
    condition: str
    names: frozenset[str]  # the treatment's names in the annotations (lower case)

    @property
    def text(self) -> str:
        return f"Hjälper {self.treatment} mot {self.condition}?"

    @property
    def half(self) -> str:
        """``dev`` or ``test``, fixed by a hash of the treatment before any error was
        read: changes are made looking at dev only."""
        digest = hashlib.sha1(self.treatment.casefold().encode()).hexdigest()
        return HALVES[int(digest, 16) % 2]


def share_words(first: str, second: str) -> bool:
    """Whether two annotated condition wordings share a word (or one holds the other).

    >>> share_words("knäartros", "artros i knät"), share_words("migrän", "artros")
    (True, False)
    """
    a, b = first.casefold().strip(), second.casefold().strip()
    if not a or not b:
        return False
    if a == b or a in b or b in a:
        return True
    words_a = [w for w in _WORD.findall(a) if len(w) >= MIN_SHARED]
    words_b = [w for w in _WORD.findall(b) if len(w) >= MIN_SHARED]
    return any(x in y or y in x for x in words_a for y in words_b)


class ConditionJudge:
    """Whether two annotated condition wordings name one condition: they share a
    word, or the thesaurus finds in them the same concept or one a kind of the other
    ("sömnbesvär" and "insomni"; "urininkontinens" and "ansträngningsinkontinens").
    ``None`` when neither holds and the thesaurus finds no condition in one of them."""

    def __init__(self, finder: MentionFinder, thesaurus: Thesaurus) -> None:
        self.finder = finder
        self.thesaurus = thesaurus

    @functools.cache  # noqa: B019 - one judge per run
    def concepts(self, wording: str) -> frozenset[str]:
        found = self.finder.conditions(self.finder.find(wording))
        return frozenset(m.concept for m in found)

    def same(self, first: str, second: str) -> bool | None:
        if share_words(first, second):
            return True
        a, b = self.concepts(first), self.concepts(second)
        if not a or not b:
            return None
        kin = set(b).union(*(self.thesaurus.related(c) for c in b))
        return bool(a & kin)


def names_treatment(row: Row, names: frozenset[str]) -> bool:
    return any(n.casefold() in names for n in row.names)


def questions_of(rows: Sequence[Row]) -> list[Question]:
    """One question per treatment and condition graded with an evidence stance, for
    treatments so graded on two or more pages."""
    graded = [r for r in rows if not r.optional and r.stance in EVIDENCE and r.condition]
    pages: dict[str, set[str]] = defaultdict(set)
    names: dict[str, set[str]] = defaultdict(set)
    for row in graded:
        key = row.names[0].casefold()
        pages[key].add(row.page_id)
        names[key].update(n.casefold() for n in row.names)
    asked: dict[tuple[str, str], Question] = {}
    for row in graded:
        key = row.names[0].casefold()
        if len(pages[key]) >= 2:
            condition = row.condition.casefold()
            asked.setdefault(
                (key, condition), Question(row.names[0], row.condition, frozenset(names[key]))
            )
    return list(asked.values())


def judge(page_rows: Sequence[Row], question: Question, conditions: ConditionJudge) -> str:
    """What a cited page is about, by its annotations: ``asked``, ``other``,
    ``unclear`` (a wording the thesaurus cannot place) or ``not annotated``."""
    about = [r for r in page_rows if names_treatment(r, question.names)]
    wordings = [r.condition for r in about if r.condition]
    if not wordings:
        return "not annotated"
    same = [conditions.same(w, question.condition) for w in wordings]
    if any(same):
        return "asked"
    return "unclear" if None in same else "other"


def sides(
    rows_by_page: dict[str, list[Row]], question: Question, conditions: ConditionJudge
) -> dict[str, set[str]]:
    """The pages graded for the asked treatment and condition, by side."""
    found: dict[str, set[str]] = {"effect": set(), "none": set()}
    for page_id, rows in rows_by_page.items():
        for row in rows:
            if names_treatment(row, question.names) and conditions.same(
                row.condition, question.condition
            ):
                if row.stance in EFFECT:
                    found["effect"].add(page_id)
                elif row.stance in NONE:
                    found["none"].add(page_id)
    return found


def table_pages(engine: Engine, question: Question) -> set[str]:
    """The pages the treatment table for the asked condition (``lindra treatments``)
    lists for the asked treatment."""
    assert engine.evidence_extractor is not None
    finder = engine.evidence_extractor.finder
    treatments = finder.treatments(finder.find(question.text, question=True))
    if not treatments:
        return set()
    rows = engine.treatments(question.condition)
    return {
        source["doc_id"]
        for row in rows
        if row.concept_id == treatments[0].concept
        for source in row.sources
    }


def score(
    questions: Sequence[Question],
    answers: Sequence[Answer],
    tables: Sequence[set[str]],
    rows_by_page: dict[str, list[Row]],
    conditions: ConditionJudge,
) -> dict[str, Any]:
    tabled: dict[str, int] = defaultdict(int)
    for question, pages in zip(questions, tables, strict=True):
        for page_id in pages:
            tabled[judge(rows_by_page.get(page_id, []), question, conditions)] += 1
    cited: dict[str, int] = defaultdict(int)
    wrong: list[dict[str, str]] = []
    disagreeing = shown = with_verdict = 0
    missed: list[str] = []
    for question, answer in zip(questions, answers, strict=True):
        verdict = answer.verdict
        if verdict is not None and verdict.sources:
            with_verdict += 1
        pages = {c.doc_id: c for c in verdict.sources} if verdict is not None else {}
        for page_id, citation in pages.items():
            kind = judge(rows_by_page.get(page_id, []), question, conditions)
            cited[kind] += 1
            if kind == "other":
                annotated = {
                    r.condition
                    for r in rows_by_page[page_id]
                    if names_treatment(r, question.names) and r.condition
                }
                wrong.append(
                    {
                        "question": question.text,
                        "page": page_id,
                        "annotated conditions": "; ".join(sorted(annotated)),
                        "quote": citation.text[:160],
                    }
                )
        graded = sides(rows_by_page, question, conditions)
        if graded["effect"] and graded["none"]:
            disagreeing += 1
            both = bool(graded["effect"] & set(pages)) and bool(graded["none"] & set(pages))
            if verdict is not None and verdict.stance == "mixed" and both:
                shown += 1
            else:
                stance = verdict.stance if verdict is not None else "no verdict"
                missed.append(f"{question.text} -> {stance}, cites {sorted(pages)}")
    return {
        "questions": len(questions),
        "with a verdict": with_verdict,
        "cited pages": dict(cited),
        "table pages": dict(tabled),
        "about another condition": wrong,
        "disagreeing in the base": disagreeing,
        "disagreement shown": shown,
        "disagreement not shown": missed,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--errors", action="store_true", help="list each miss (dev half)")
    parser.add_argument(
        "--base", type=Path, help="keep the base in this folder, and reuse it when there"
    )
    args = parser.parse_args()
    pages = {p.id: p for p in load_pages(DATA)}
    rows = load_rows(DATA / "gold.tsv")
    questions = questions_of(rows)
    names = frozenset().union(*(q.names for q in questions))
    wanted = sorted({r.page_id for r in rows if names_treatment(r, names)})
    present = [pages[p] for p in wanted if p in pages and pages[p].path.exists()]
    if not present:
        print(f"verdict scope: none of the {len(wanted)} pages is cached in {DATA / 'cache'}")
        return 0
    rows_by_page: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        rows_by_page[row.page_id].append(row)
    with tempfile.TemporaryDirectory() as tmp:
        base = args.base or Path(tmp)
        db = base / "kb.sqlite"
        if not db.exists():
            folder = base / "pages"
            folder.mkdir(parents=True)
            for page in present:
                (folder / f"{page.id}.txt").write_text(page.path.read_text("utf-8"), "utf-8")
            with Engine.from_settings(Settings(db=str(db), dense=False), create=True) as engine:
                list(engine.ingest_paths([folder]))
        with Engine.from_settings(Settings(db=str(db), dense=False)) as engine:
            answers = [engine.ask(q.text) for q in questions]
            tables = [table_pages(engine, q) for q in questions]
            assert engine.evidence_extractor is not None
            finder = engine.evidence_extractor.finder
            judge_conditions = ConditionJudge(finder, finder.thesaurus)
            report: dict[str, Any] = {
                "pages": len(present),
                "pages missing": len(wanted) - len(present),
            }
            for half in HALVES:
                chosen = [i for i, q in enumerate(questions) if q.half == half]
                report[half] = score(
                    [questions[i] for i in chosen],
                    [answers[i] for i in chosen],
                    [tables[i] for i in chosen],
                    rows_by_page,
                    judge_conditions,
                )
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return 0
    print(
        f"Verdicts on real pages: {len(questions)} questions over {report['pages']} pages "
        f"({report['pages missing']} not cached), dense retrieval off"
    )
    labels = {
        "asked": "about the asked condition",
        "other": "about another condition (goal 0)",
        "unclear": "conditions the thesaurus cannot place",
        "not annotated": "not annotated for it",
    }
    print(f"{'':44}" + "".join(f"{half:>8}" for half in HALVES))
    lines = [("questions", lambda r: r["questions"])]
    lines.append(("answered with a verdict", lambda r: r["with a verdict"]))
    lines.append(("pages cited by the verdicts", lambda r: sum(r["cited pages"].values())))
    for kind, label in labels.items():
        lines.append((f"  {label}", lambda r, k=kind: r["cited pages"].get(k, 0)))
    lines.append(
        ("pages the treatment table lists for it", lambda r: sum(r["table pages"].values()))
    )
    for kind, label in labels.items():
        lines.append((f"  {label}", lambda r, k=kind: r["table pages"].get(k, 0)))
    lines.append(("pages disagree in the base", lambda r: r["disagreeing in the base"]))
    lines.append(("  shown as 'går isär' citing both sides", lambda r: r["disagreement shown"]))
    for label, value in lines:
        print(f"{label:44}" + "".join(f"{value(report[half]):>8}" for half in HALVES))
    if args.errors:
        for item in report["dev"]["about another condition"]:
            print(f"  other condition: {item}")
        for line in report["dev"]["disagreement not shown"]:
            print(f"  not shown: {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
