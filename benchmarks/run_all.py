"""Run every benchmark in turn (``make bench``) and print each one's tables.

    python benchmarks/run_all.py [--quick] [--only NAME ...]

``--quick`` leaves out the slow ones (answers: ~11 min, verdict scope: ~4 min with
the real-page cache, ablation, backends, index engines); each benchmark still skips
cleanly when ``../shared/eval`` (or a page cache) is absent. The exit status is
non-zero when a benchmark failed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

# name → extra arguments; in order of the data flow (language, knowledge, search, answer).
BENCHMARKS: dict[str, list[str]] = {
    "compounds": [],
    "ner": [],
    "verdict": [],
    "stance_pages": [],
    "stance_pages_check": ["--data", str(HERE / "data" / "stance_pages_check")],
    "stance_pages_dev2": ["--data", str(HERE / "data" / "stance_pages_dev2")],
    "stance_pages_dev3": ["--data", str(HERE / "data" / "stance_pages_dev3")],
    "stance_pages_final": ["--data", str(HERE / "data" / "stance_pages_final")],
    "retrieval": [],
    "latency": [],
    "emergency": [],
    "answers": [],
    "verdict_scope": [],
    "ablation": [],
    "backends": [],
    "index_engines": [],
    "scale": [],
}
SLOW = frozenset({"answers", "verdict_scope", "ablation", "backends", "index_engines", "scale"})


def script(name: str) -> Path:
    """The script of a benchmark: every ``stance_pages_*`` set runs stance_pages.py."""
    return HERE / ("stance_pages.py" if name.startswith("stance_pages") else f"{name}.py")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="leave out the slow benchmarks")
    parser.add_argument("--only", nargs="+", choices=sorted(BENCHMARKS), metavar="NAME")
    args = parser.parse_args()
    names = args.only or [n for n in BENCHMARKS if not (args.quick and n in SLOW)]
    failed = []
    summary = []
    for name in names:
        print(f"\n===== {name} =====", flush=True)
        started = time.perf_counter()
        result = subprocess.run([sys.executable, str(script(name)), *BENCHMARKS[name]])
        seconds = time.perf_counter() - started
        summary.append((name, "ok" if result.returncode == 0 else "FAILED", seconds))
        if result.returncode != 0:
            failed.append(name)
    print("\n| benchmark | status | seconds |\n|---|---|---|")
    for name, status, seconds in summary:
        print(f"| {name} | {status} | {seconds:.0f} |")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
