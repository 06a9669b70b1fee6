"""Evidence stance on real Swedish health pages: corpus, agreement, grouped cross-validation.

    python benchmarks/realpages.py [--folds 5] [--json] [--errors]

The corpus (``benchmarks/realpages/``) holds pages found with the search tool's
``pages`` corpus, written by third parties (authorities, journals, news, clinics,
shops, blogs, forums, reader-question columns). Committed: per page its URL, site,
kind and date seen (``pages.jsonl``), and the annotations (``pass_a.tsv``,
``pass_b.tsv``: two blind, independent passes under ``docs/annotation.md``;
``gold.tsv``: adjudicated), each with the one sentence it rests on. The page texts
are third-party and stay out of git, in ``benchmarks/realpages/cache/<id>.txt``;
without them the agreement and quoted-sentence tables are printed and the
pipeline part says which pages are missing and stops.

Printed:

1. the corpus: pages, sites, kinds, gold rows per stance;
2. agreement between the passes: treatments matched (F1 of the two row sets)
   and Cohen's κ of the stance on matched rows;
3. the annotated sentences alone (needs no page text): each gold quote's stance read
   by the rules and by the learned reader trained on the other folds' quotes, and, with
   ``--test``, on the held-out set's quotes; then the pages whose text is missing and
   the quotes a cached text lacks;
4. grouped cross-validation by site (folds fixed from a hash of the site name,
   before any error was read): for each fold the stance reader and the treatment
   tagger are trained on the other folds' pages (and on the two sample pages, read by
   the rules and the thesaurus finder, as the packaged ones are) and lindra's whole
   extractor runs on the held-out pages; the rules run on the same pages, with the
   tagger and with the thesaurus finder alone. Per-class P/R/F1, the confusion
   matrix and treatment recall, matched as in ``benchmarks/stance_pages.py``.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
from collections import Counter
from collections.abc import Callable, Container, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stance_pages import (  # noqa: E402
    SHORT,
    STANCES,
    DocResult,
    GoldRow,
    match_document,
    match_level,
    stance_scores,
)

from lindra.ingest.language_id import LanguageGuesser  # noqa: E402
from lindra.ingest.readers import parse_text  # noqa: E402
from lindra.knowledge.cues import default_cues  # noqa: E402
from lindra.knowledge.defaults import default_evidence_extractor  # noqa: E402
from lindra.knowledge.entities import default_extractor as default_ner_features  # noqa: E402
from lindra.knowledge.evidence import EvidenceExtractor  # noqa: E402
from lindra.knowledge.mentions import MentionFinder  # noqa: E402
from lindra.knowledge.ner_features import FeatureExtractor  # noqa: E402
from lindra.knowledge.stance import classify_sentence  # noqa: E402
from lindra.knowledge.stance_training import (  # noqa: E402
    StanceExample,
    fit_stance_model,
    read_examples,
)
from lindra.knowledge.treatment_tagger import (  # noqa: E402
    TaggedSentence,
    TreatmentTagger,
    tagged_sentence,
    train_treatment_tagger,
)
from lindra.language.stem import SnowballStemmer  # noqa: E402
from lindra.language.swedish import (  # noqa: E402
    default_analyzer,
    default_sentence_splitter,
    default_thesaurus,
)
from lindra.types import Document, Stance  # noqa: E402

DATA = Path(__file__).resolve().parent / "realpages"
# The two sample pages lindra models (packaged with the demo), read by the rules,
# which are checked on them entry by entry: part of the learned reader's training.
SAMPLE_PAGES = Path(__file__).resolve().parents[1] / "src" / "lindra" / "demo" / "samples"
FIELDS = ("page_id", "treatment", "other_names", "condition", "stance", "quote", "note")


@dataclass(frozen=True)
class Page:
    id: str
    url: str
    site: str
    kind: str
    path: Path  # the cached text


@dataclass(frozen=True)
class Row:
    page_id: str
    names: tuple[str, ...]
    condition: str
    stance: Stance
    quote: str
    note: str

    @property
    def optional(self) -> bool:
        return self.note.startswith("optional")

    def gold(self) -> GoldRow:
        return GoldRow(self.page_id, list(self.names), self.stance, self.note, self.optional)


def load_pages(data: Path = DATA, name: str = "pages.jsonl") -> list[Page]:
    path = data / name
    pages = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                item = json.loads(line)
                cached = data / "cache" / f"{item['id']}.txt"
                pages.append(Page(item["id"], item["url"], item["site"], item["kind"], cached))
            except (json.JSONDecodeError, KeyError) as exc:
                raise SystemExit(f"{path} line {number}: {exc}") from exc
    return pages


def load_rows(path: Path) -> list[Row]:
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        for number, record in enumerate(reader, start=2):
            stance = (record.get("stance") or "").strip()
            if stance not in STANCES:
                raise SystemExit(f"{path} line {number}: unknown stance {stance!r}")
            names = [record["treatment"].strip()]
            names += [n.strip() for n in (record.get("other_names") or "").split("|")]
            rows.append(
                Row(
                    record["page_id"].strip(),
                    tuple(n for n in dict.fromkeys(names) if n),
                    (record.get("condition") or "").strip(),
                    stance,  # type: ignore[arg-type]
                    " ".join((record.get("quote") or "").split()),
                    (record.get("note") or "").strip(),
                )
            )
    return rows


def fold_of(site: str, folds: int) -> int:
    """The fold of a site: fixed by a hash of its name, never by its errors."""
    return int(hashlib.sha1(site.encode()).hexdigest(), 16) % folds


# -- agreement ---------------------------------------------------------------------


def _pairs(left: Sequence[Row], right: Sequence[Row]) -> list[tuple[Row, Row]]:
    """Rows of one page matched across two passes, best name match first."""
    scored = []
    for i, a in enumerate(left):
        for j, b in enumerate(right):
            levels = [match_level(x, y) for x in a.names for y in b.names]
            found = [lv for lv in levels if lv is not None]
            if found:
                scored.append((min(found), i, j))
    used_left: set[int] = set()
    used_right: set[int] = set()
    pairs = []
    for _, i, j in sorted(scored):
        if i not in used_left and j not in used_right:
            used_left.add(i)
            used_right.add(j)
            pairs.append((left[i], right[j]))
    return pairs


def cohen_kappa(first: Sequence[str], second: Sequence[str]) -> float:
    """Cohen's κ (1960) of two label sequences."""
    n = len(first)
    if n == 0:
        return 0.0
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / n
    left, right = Counter(first), Counter(second)
    expected = sum(left[c] * right[c] for c in set(left) | set(right)) / (n * n)
    return (observed - expected) / (1 - expected) if expected < 1 else 1.0


def agreement(pass_a: Sequence[Row], pass_b: Sequence[Row]) -> dict[str, Any]:
    pages = sorted({r.page_id for r in pass_a} & {r.page_id for r in pass_b})
    pairs: list[tuple[Row, Row]] = []
    rows_a = rows_b = 0
    for page in pages:
        left = [r for r in pass_a if r.page_id == page]
        right = [r for r in pass_b if r.page_id == page]
        rows_a += len(left)
        rows_b += len(right)
        pairs += _pairs(left, right)
    a_labels = [a.stance for a, _ in pairs]
    b_labels = [b.stance for _, b in pairs]
    return {
        "pages": len(pages),
        "rows_a": rows_a,
        "rows_b": rows_b,
        "matched": len(pairs),
        "treatment_f1": 2 * len(pairs) / (rows_a + rows_b) if rows_a + rows_b else 0.0,
        "stance_kappa": cohen_kappa(a_labels, b_labels),
        "stance_agreement": (
            sum(a == b for a, b in zip(a_labels, b_labels, strict=True)) / len(pairs)
            if pairs
            else 0.0
        ),
    }


# -- the pipeline ------------------------------------------------------------------


def read_document(page: Page) -> Document:
    text = page.path.read_text(encoding="utf-8")
    parsed = parse_text(text, doc_id=page.id, source=page.url)
    return Document.of(parsed, ingested_at="")


def quotes_not_in_texts(pages: Sequence[Page], rows: Sequence[Row]) -> list[str]:
    """``page id: quote`` for each annotated quote its cached page text lacks (whitespace
    aside): a cache rebuilt from the search tool should hold every one."""
    texts = {p.id: " ".join(p.path.read_text("utf-8").split()) for p in pages if p.path.exists()}
    return [
        f"{r.page_id}: {r.quote}"
        for r in rows
        if r.quote and r.page_id in texts and " ".join(r.quote.split()) not in texts[r.page_id]
    ]


def training_examples(
    pages: Sequence[Page], rows: Sequence[Row], split: Callable[[str], list[tuple[int, int]]]
) -> list[StanceExample]:
    """Each gold row's quote with its stance, and every other sentence of the page as
    ``not_stated`` unless it names a treatment the page grades (it may restate it)."""
    examples: list[StanceExample] = []
    for page in pages:
        page_rows = [r for r in rows if r.page_id == page.id and not r.optional]
        graded = [n.casefold() for r in page_rows if r.stance != "not_stated" for n in r.names]
        quotes = {r.quote for r in page_rows}
        examples += [StanceExample(r.quote, r.stance, page.site) for r in page_rows if r.quote]
        if not page.path.exists():
            continue
        text = page.path.read_text(encoding="utf-8")
        for start, end in split(text):
            sentence = " ".join(text[start:end].split())
            folded = sentence.casefold()
            if sentence in quotes or len(sentence) < 20 or any(n in folded for n in graded):
                continue
            examples.append(StanceExample(sentence, "not_stated", page.site))
    return examples


def sample_examples(
    split: Callable[[str], list[tuple[int, int]]], read: Callable[[str], Stance]
) -> list[StanceExample]:
    """The sentences of the sample pages with the rules' stance (see ``SAMPLE_PAGES``)."""
    return [
        example
        for path in sorted(SAMPLE_PAGES.glob("*.txt"))
        for example in read_examples(
            path.read_text(encoding="utf-8"), f"sample:{path.stem}", split, read
        )
    ]


# Of the sentences with neither an annotated name nor a treatment the finder knows,
# one in this many trains the treatment tagger: enough to learn what is no
# treatment, and four times faster to fit.
UNNAMED_SHARE = 4


def treatment_sentences(
    pages: Sequence[Page],
    rows: Sequence[Row],
    finder: MentionFinder,
    extractor: FeatureExtractor,
    split: Callable[[str], list[tuple[int, int]]],
) -> list[TaggedSentence]:
    """Training sentences for the treatment tagger: each cached page's sentences with
    the names of its annotated treatments marked, and the sample pages' with the
    finder's treatments (they are checked on those pages entry by entry)."""
    names: dict[str, list[str]] = {}
    for row in rows:
        names.setdefault(row.page_id, []).extend(n for n in row.names if n)
    texts = [(p.path.read_text("utf-8"), names.get(p.id, [])) for p in pages if p.path.exists()]
    texts += [(path.read_text("utf-8"), None) for path in sorted(SAMPLE_PAGES.glob("*.txt"))]
    sentences = []
    for text, named in texts:
        for number, span in enumerate(split(text)):
            found = finder.treatments(finder.find(text, *span))
            marked = [m.text for m in found] if named is None else named
            sentence = tagged_sentence(extractor, text, span, found, marked)
            if found or "B-treatment" in sentence.tags or number % UNNAMED_SHARE == 0:
                sentences.append(sentence)
    return sentences


def evaluate_pages(
    extractor: EvidenceExtractor, documents: dict[str, Document], rows: Sequence[Row]
) -> list[DocResult]:
    results = []
    for page_id, document in documents.items():
        entries = [e.to_json() for e in extractor.extract(document)]
        gold = [r.gold() for r in rows if r.page_id == page_id]
        results.append(match_document(page_id, gold, entries))
    return results


def summary(docs: Sequence[DocResult]) -> dict[str, Any]:
    scored = [r for d in docs for r in d.results if not r.gold.optional]
    matched = [r for r in scored if r.entry is not None]
    entries = sum(d.entries for d in docs)
    extras = sum(len(d.extras) for d in docs)
    return {
        "rows": len(scored),
        "recall": len(matched) / len(scored) if scored else 0.0,
        "precision": (entries - extras) / entries if entries else 0.0,
        "matched": stance_scores(
            [r.gold.stance for r in matched], [str(r.entry["stance"]) for r in matched if r.entry]
        ),
    }


def condition_agreement(
    docs: Sequence[DocResult], rows: Sequence[Row], finder: MentionFinder
) -> dict[str, Any]:
    """Of the found mentions whose annotated condition the thesaurus knows, the share
    whose entry is filed under that condition, or under a broader or narrower one."""
    annotated = {(r.page_id, r.names[0]): r.condition for r in rows}
    counts: Counter[str] = Counter()
    for doc in docs:
        for result in doc.results:
            condition = annotated.get((doc.doc_id, result.gold.names[0]), "")
            if result.gold.optional or result.entry is None or not condition:
                continue
            wanted = {m.concept for m in finder.conditions(finder.find(condition))}
            if not wanted:
                counts["unknown to the thesaurus"] += 1
                continue
            related = set().union(*(finder.thesaurus.related(c) for c in wanted))
            filed = result.entry.get("condition_id")
            counts["same" if filed in wanted else "related" if filed in related else "other"] += 1
    scored = counts["same"] + counts["related"] + counts["other"]
    return {
        "rows": scored,
        "same": counts["same"] / scored if scored else 0.0,
        "same_or_related": (counts["same"] + counts["related"]) / scored if scored else 0.0,
        "unknown_to_thesaurus": counts["unknown to the thesaurus"],
    }


# The hybrid reader lets the model speak only where the rules found nothing and the
# model is this sure of a verdict (fixed before any held-out run).
HYBRID_THRESHOLD = 0.5
READERS = ("rules", "learned", "hybrid")
# The rules with the thesaurus finder alone, without the treatment tagger.
FINDER_ALONE = "rules, finder alone"


class _Pipeline:
    """lindra's extractor, and the three stance readers it can be run with."""

    def __init__(self) -> None:
        thesaurus = default_thesaurus()
        analyzer = default_analyzer(thesaurus)
        self.sentences = default_sentence_splitter()
        self.cues = default_cues()
        self.stem = SnowballStemmer()
        self.extractor = default_evidence_extractor(
            thesaurus, analyzer.tokenizer, self.sentences, tagger=False
        )
        self.features = default_ner_features()
        cues = self.cues
        self.rules: Callable[[str], Stance] = lambda s: classify_sentence(s, cues).stance

    def split(self, text: str) -> list[tuple[int, int]]:
        return self.sentences.spans(text, 0, len(text))

    def tagger(self, pages: Sequence[Page], gold: Sequence[Row]) -> TreatmentTagger:
        """A treatment tagger trained on *pages* alone."""
        finder = self.extractor.finder
        sentences = treatment_sentences(pages, gold, finder, self.features, self.split)
        return train_treatment_tagger(sentences, self.features)

    def readers(
        self, pages: Sequence[Page], gold: Sequence[Row]
    ) -> dict[str, Callable[[str], Stance]]:
        examples = training_examples(pages, gold, self.split)
        examples += sample_examples(self.split, self.rules)
        model = fit_stance_model(examples, self.cues, self.stem)
        rules = self.rules

        def hybrid(sentence: str) -> Stance:
            stance = rules(sentence)
            if stance != "not_stated":
                return stance
            probabilities = model.probabilities(sentence)
            best = max(probabilities, key=lambda c: probabilities[c])
            return best if probabilities[best] >= HYBRID_THRESHOLD else "not_stated"

        return {"rules": rules, "learned": model.classify, "hybrid": hybrid}

    def run(
        self,
        readers: dict[str, Callable[[str], Stance]],
        tagger: TreatmentTagger,
        documents: dict[str, Document],
        rows: Sequence[Row],
    ) -> dict[str, list[DocResult]]:
        """Each reader with the finder and *tagger*, and the rules with the finder alone."""
        results = {}
        self.extractor.tagger = tagger
        for name, classify in readers.items():
            self.extractor.classify = classify
            results[name] = evaluate_pages(self.extractor, documents, rows)
        self.extractor.classify, self.extractor.tagger = self.rules, None
        results[FINDER_ALONE] = evaluate_pages(self.extractor, documents, rows)
        return results


def cross_validate(pages: Sequence[Page], gold: Sequence[Row], folds: int) -> dict[str, Any]:
    pipeline = _Pipeline()
    documents = {p.id: read_document(p) for p in pages}
    pooled: dict[str, list[DocResult]] = {name: [] for name in (*READERS, FINDER_ALONE)}
    per_fold = []
    for fold in range(folds):
        held = [p for p in pages if fold_of(p.site, folds) == fold]
        train = [p for p in pages if fold_of(p.site, folds) != fold]
        results = pipeline.run(
            pipeline.readers(train, gold),
            pipeline.tagger(train, gold),
            {p.id: documents[p.id] for p in held},
            gold,
        )
        row: dict[str, Any] = {"fold": fold, "pages": len(held)}
        for name, docs in results.items():
            pooled[name] += docs
            row[f"{name}_f1"] = summary(docs)["matched"]["macro_f1"]
        per_fold.append(row)
    return {
        "folds": per_fold,
        **{name: summary(docs) for name, docs in pooled.items()},
        "conditions": condition_agreement(pooled["rules"], gold, pipeline.extractor.finder),
    }


def held_out(
    pages: Sequence[Page], gold: Sequence[Row], test: Sequence[Page], rows: Sequence[Row]
) -> dict[str, Any]:
    """Train on the whole corpus, score on pages that no change was tuned on."""
    pipeline = _Pipeline()
    results = pipeline.run(
        pipeline.readers(pages, gold),
        pipeline.tagger(pages, gold),
        {p.id: read_document(p) for p in test},
        rows,
    )
    return {
        **{name: summary(docs) for name, docs in results.items()},
        "conditions": condition_agreement(results["rules"], rows, pipeline.extractor.finder),
    }


def quoted_sentences(
    pages: Sequence[Page],
    gold: Sequence[Row],
    folds: int,
    test: tuple[Sequence[Page], Sequence[Row]] | None = None,
) -> dict[str, Any]:
    """The stance of each annotated sentence alone, read by the rules and by the
    learned reader trained on the other folds' sentences (grouped by site).

    Needs no page text: every row carries its quote. It isolates reading a sentence
    from finding mentions and choosing their sentences, and runs where the cache is
    absent. The learned reader here is trained on the quotes only.
    """
    cues, stem = default_cues(), SnowballStemmer()
    sites = {p.id: p.site for p in pages}

    def scored(rows: Sequence[Row], ids: Container[str]) -> list[Row]:
        return [r for r in rows if r.quote and not r.optional and r.page_id in ids]

    def readers(train: Sequence[Row]) -> dict[str, Callable[[str], Stance]]:
        examples = [StanceExample(r.quote, r.stance, sites[r.page_id]) for r in train]
        return {
            "rules": lambda sentence: classify_sentence(sentence, cues).stance,
            "learned": fit_stance_model(examples, cues, stem).classify,
        }

    rows = scored(gold, sites)
    pooled: dict[str, tuple[list[str], list[str]]] = {"rules": ([], []), "learned": ([], [])}
    for fold in range(folds):
        held = [r for r in rows if fold_of(sites[r.page_id], folds) == fold]
        train = [r for r in rows if fold_of(sites[r.page_id], folds) != fold]
        for name, read in readers(train).items():
            pooled[name][0].extend(r.stance for r in held)
            pooled[name][1].extend(read(r.quote) for r in held)
    result: dict[str, Any] = {"cv": {n: stance_scores(*pair) for n, pair in pooled.items()}}
    if test is not None:
        test_rows = scored(test[1], {p.id for p in test[0]})
        result["held_out"] = {
            name: stance_scores([r.stance for r in test_rows], [read(r.quote) for r in test_rows])
            for name, read in readers(rows).items()
        }
    return result


# -- report ------------------------------------------------------------------------

TITLES = {
    "rules": "rules (the cue lexicon alone)",
    "learned": "learned stance reader",
    "hybrid": f"hybrid (rules; the model where they find nothing, p >= {HYBRID_THRESHOLD})",
    FINDER_ALONE: "rules, with the thesaurus finder alone (no treatment tagger)",
}


def print_scores(title: str, result: dict[str, Any]) -> None:
    matched = result["matched"]
    print(
        f"\n{title}: treatment recall {result['recall']:.3f}, precision {result['precision']:.3f}"
    )
    print(
        f"stance on found mentions (n={matched['n']}): macro-F1 {matched['macro_f1']:.3f}, "
        f"accuracy {matched['accuracy']:.3f}"
    )
    print(f"{'class':<14}{'P':>7}{'R':>7}{'F1':>7}{'n':>6}")
    for label in STANCES:
        m = matched["per_class"][label]
        print(
            f"{label:<14}{m['precision']:>7.3f}{m['recall']:>7.3f}{m['f1']:>7.3f}{m['support']:>6}"
        )
    print("confusion (rows gold, columns predicted): " + " ".join(SHORT[s] for s in STANCES))
    for label, row in zip(STANCES, matched["confusion"], strict=True):
        print(f"  {SHORT[label]:<8}" + "".join(f"{v:>7}" for v in row))


def print_quotes(quotes: dict[str, Any], folds: int) -> None:
    parts = [(f"grouped {folds}-fold CV by site", quotes["cv"])]
    if "held_out" in quotes:
        parts.append(("held out, trained on every corpus quote", quotes["held_out"]))
    print("\nthe annotated sentences alone (no page text needed): stance macro-F1 / accuracy")
    print(f"{'':<42}{'reader':<9}{'F1':>7}{'acc':>7}" + "".join(f"{SHORT[s]:>8}" for s in STANCES))
    for title, scores in parts:
        for name, m in scores.items():
            print(
                f"{title:<42}{name:<9}{m['macro_f1']:>7.3f}{m['accuracy']:>7.3f}"
                + "".join(f"{m['per_class'][s]['f1']:>8.2f}" for s in STANCES)
            )
    n = next(iter(quotes["cv"].values()))["n"]
    print(f"(per-class columns: F1; {n} corpus sentences)")


def print_conditions(agreement: dict[str, Any]) -> None:
    print(
        f"\ncondition of the found mentions (n={agreement['rows']}, annotated condition known "
        f"to the thesaurus; {agreement['unknown_to_thesaurus']} others): the same "
        f"{agreement['same']:.3f}, the same or a broader or narrower one "
        f"{agreement['same_or_related']:.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help="corpus folder")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--test",
        nargs="+",
        metavar=("PAGES", "ROWS"),
        help="held-out pages (a pages_*.jsonl in the corpus folder) and their annotation "
        "files (pass_*.tsv): train on the whole corpus, score on them",
    )
    args = parser.parse_args()

    data = args.data
    pages = load_pages(data)
    gold = load_rows(data / "gold.tsv")
    report: dict[str, Any] = {
        "pages": len(pages),
        "sites": len({p.site for p in pages}),
        "kinds": dict(Counter(p.kind for p in pages).most_common()),
        "gold_rows": dict(Counter(r.stance for r in gold if not r.optional)),
        "optional_rows": sum(r.optional for r in gold),
    }
    if (data / "pass_a.tsv").exists() and (data / "pass_b.tsv").exists():
        report["agreement"] = agreement(
            load_rows(data / "pass_a.tsv"), load_rows(data / "pass_b.tsv")
        )
    test_set = None
    if args.test:
        test_pages = load_pages(data, args.test[0])
        test_set = (test_pages, [r for name in args.test[1:] for r in load_rows(data / name)])
    report["quotes"] = quoted_sentences(pages, gold, args.folds, test_set)
    missing = [p for p in pages if not p.path.exists()]
    report["missing_texts"] = [p.url for p in missing]
    checked = (pages, gold) if test_set is None else ([*pages, *test_set[0]], [*gold, *test_set[1]])
    report["quotes_not_in_texts"] = quotes_not_in_texts(*checked)
    present = [p for p in pages if p.path.exists()]
    if present:
        guesser = LanguageGuesser()
        report["not_swedish_by_lindra"] = [
            p.id for p in present if not guesser.is_swedish(p.path.read_text("utf-8"))[0]
        ]
        report["cv"] = cross_validate(present, gold, args.folds)
        if test_set:
            test_pages = [p for p in test_set[0] if p.path.exists()]
            scored = {p.id for p in test_pages}
            test_rows = [r for r in test_set[1] if r.page_id in scored]
            annotated = [p for p in test_pages if p.id in {r.page_id for r in test_rows}]
            report["held_out"] = {
                "pages": len(annotated),
                "sites": len({p.site for p in annotated}),
                "rows": len(test_rows),
                **held_out(present, gold, annotated, test_rows),
            }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return
    print(f"pages {report['pages']}, sites {report['sites']}, kinds {report['kinds']}")
    print(
        f"gold rows by stance {report['gold_rows']} (optional, not scored: "
        f"{report['optional_rows']})"
    )
    if "agreement" in report:
        a = report["agreement"]
        print(
            f"agreement of the blind passes on {a['pages']} pages: rows A {a['rows_a']}, "
            f"B {a['rows_b']}, matched {a['matched']} (treatment F1 {a['treatment_f1']:.3f}); "
            f"stance agreement {a['stance_agreement']:.3f}, Cohen's kappa {a['stance_kappa']:.3f}"
        )
    print_quotes(report["quotes"], args.folds)
    if missing:
        print(f"{len(missing)} page texts are not in {data / 'cache'} (third-party, not in git):")
        for url in report["missing_texts"][:20]:
            print(f"  {url}")
    if report["quotes_not_in_texts"]:
        print(f"{len(report['quotes_not_in_texts'])} quotes are not in their cached text:")
        for line in report["quotes_not_in_texts"][:10]:
            print(f"  {line[:160]}")
    if not present:
        print("No cached page texts: the pipeline part is skipped.")
        return
    print(f"pages lindra's language check would reject: {report['not_swedish_by_lindra']}")
    cv = report["cv"]
    print(f"\ngrouped {args.folds}-fold cross-validation by site")
    print(f"{'fold':>4}{'pages':>7}" + "".join(f"{name + ' F1':>12}" for name in READERS))
    for f in cv["folds"]:
        print(
            f"{f['fold']:>4}{f['pages']:>7}"
            + "".join(f"{f[name + '_f1']:>12.3f}" for name in READERS)
        )
    for name, title in TITLES.items():
        print_scores(title, cv[name])
    print_conditions(cv["conditions"])
    if "held_out" in report:
        held = report["held_out"]
        print(
            f"\nheld out ({' '.join(args.test)}): {held['pages']} annotated pages, "
            f"{held['sites']} sites, {held['rows']} rows; trained on the whole corpus"
        )
        for name, title in TITLES.items():
            print_scores(f"held out, {title}", held[name])
        print_conditions(held["conditions"])


if __name__ == "__main__":
    main()
