"""Calibrate the lineage thresholds on one synthetic seed, validate them on another.

    python benchmarks/calibrate_lineage.py --tune 1 --validate 2 --sizes 1000 10000

For each corpus (make_corpus.py N --seed S, indexed once and cached under --work), the n-gram
candidates are computed once; then every MIN_SCORE on a grid (and CITED_MIN_SCORE, the lower
bar for a cited document) is scored by recall@1 and precision against truth.csv. The chosen
value is the middle of the widest run of grid values reaching the best F1 on the tuning
corpora (summed over sizes); the validation corpora are only reported, never used to choose.
The constants in src/policydiff/corpus/lineage.py were set from this script's output.
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
from pathlib import Path

import numpy as np

from policydiff.corpus import lineage as L
from policydiff.corpus.index import build_index

HERE = Path(__file__).resolve().parent


def corpus(work: Path, n: int, seed: int) -> tuple[Path, Path]:
    src, ix = work / f"c{n}_s{seed}", work / f"i{n}_s{seed}"
    if not (src / "truth.csv").exists():
        subprocess.run([sys.executable, str(HERE / "make_corpus.py"), str(n), "--out", str(src), "--seed", str(seed)], check=True)
    build_index(src, ix)  # incremental: a cached index is reused
    return src, ix


def evaluate(state: tuple, truth: dict[str, str], min_score: float, cited_min: float) -> tuple[float, float]:
    L.MIN_SCORE, L.CITED_MIN_SCORE = min_score, cited_min
    got = {c.child: c.parent for c in L.choose(*state)}
    kids = [d for d, p in truth.items() if p]
    ok = sum(got.get(d) == truth[d] for d in kids)
    return ok / max(1, len(kids)), ok / max(1, len(got))


def f1(r: float, p: float) -> float:
    return 2 * r * p / (r + p) if r + p else 0.0


def plateau_middle(grid: np.ndarray, scores: np.ndarray) -> float:
    """Middle of the longest run of grid points whose score is within 1e-9 of the best."""
    best = scores.max()
    good = scores >= best - 1e-9
    runs, start = [], None
    for i, g in enumerate([*good, False]):
        if g and start is None:
            start = i
        elif not g and start is not None:
            runs.append((i - start, start, i - 1))
            start = None
    _, a, b = max(runs)
    return float(round((grid[a] + grid[b]) / 2, 3))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tune", type=int, default=1)
    ap.add_argument("--validate", type=int, default=2)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000])
    ap.add_argument("--work", type=Path, default=Path("/tmp/policydiff-calibrate"))
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)

    def load(seed: int) -> list[tuple[tuple, dict[str, str]]]:
        out = []
        for n in args.sizes:
            src, ix = corpus(args.work, n, seed)
            truth = {r["doc"]: r["parent"] for r in csv.DictReader((src / "truth.csv").open(encoding="utf-8"))}
            out.append((L.candidates(ix), truth))
        return out

    tune = load(args.tune)
    grid = np.round(np.arange(0.10, 0.36, 0.005), 3)
    cited_grid = np.round(np.arange(0.04, 0.26, 0.01), 3)
    cited0 = L.CITED_MIN_SCORE
    scores = np.array([sum(f1(*evaluate(s, t, ms, min(cited0, ms))) for s, t in tune) for ms in grid])
    min_score = plateau_middle(grid, scores)
    cited_scores = np.array([sum(f1(*evaluate(s, t, min_score, c)) for s, t in tune) for c in cited_grid if c <= min_score])
    cited_min = plateau_middle(cited_grid[: len(cited_scores)], cited_scores)
    print(f"tuned on seed {args.tune}, sizes {args.sizes}: MIN_SCORE={min_score} CITED_MIN_SCORE={cited_min}")
    for (s, t), n in zip(tune, args.sizes, strict=True):
        r, p = evaluate(s, t, min_score, cited_min)
        print(f"  tune     seed {args.tune} N={n}: recall@1 {r:.4f} precision {p:.4f}")
    for (s, t), n in zip(load(args.validate), args.sizes, strict=True):
        r, p = evaluate(s, t, min_score, cited_min)
        print(f"  validate seed {args.validate} N={n}: recall@1 {r:.4f} precision {p:.4f}")


if __name__ == "__main__":
    main()
