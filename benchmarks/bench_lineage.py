"""Index + lineage benchmark on synthetic corpora: times, peak memory, recall/precision, brute-force ratio.

python benchmarks/bench_lineage.py --sizes 200 1000
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from policydiff.corpus.index import _read_table, build_index
from policydiff.corpus.lineage import _citation_targets, _Meta, choose, find_lineage, run_evidence

HERE = Path(__file__).resolve().parent


def maxrss_mb() -> float:
    # ru_maxrss is KiB on Linux; children covers the worker processes.
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024


def score(edges: list, truth: dict[str, str]) -> tuple[float, float]:
    got = {e.child: e.parent for e in edges}
    children = [d for d, p in truth.items() if p]
    ok = sum(got.get(d) == truth[d] for d in children)
    return ok / max(1, len(children)), ok / max(1, len(got))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--brute-sample", type=int, default=300, help="pairs compared to extrapolate brute force")
    args = ap.parse_args()
    times: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            src, ix = Path(tmp) / f"c{n}", Path(tmp) / f"i{n}"
            t = time.perf_counter()
            subprocess.run(
                [sys.executable, str(HERE / "make_corpus.py"), str(n), "--out", str(src), "--seed", str(args.seed)],
                check=True,
                capture_output=True,
            )
            gen = time.perf_counter() - t
            truth = {r["doc"]: r["parent"] for r in csv.DictReader((src / "truth.csv").open(encoding="utf-8"))}
            stats = build_index(src, ix, workers=args.workers)
            t = time.perf_counter()
            edges = find_lineage(ix, workers=args.workers)
            lin = times[n] = time.perf_counter() - t
            rec, prec = score(edges, truth)
            print(
                f"N={n}: generate {gen:.1f}s  index {stats.seconds:.1f}s (parsed {stats.parsed}, failed {stats.failed})  "
                f"lineage {lin:.1f}s  peak RSS {maxrss_mb():.0f} MB  recall@1 {rec:.3f}  precision {prec:.3f}",
                flush=True,
            )
            if n == 1000 or n == min(args.sizes):
                docs = _read_table(ix / "documents.parquet")
                names = [d["name"] for d in docs]
                pairs = [(a, b) for a in names for b in names if a != b]
                rng = random.Random(args.seed)
                sample = rng.sample(pairs, min(args.brute_sample, len(pairs)))
                t = time.perf_counter()
                run_evidence(str(ix), [(c, [p]) for c, p in sample], workers=args.workers)
                per = (time.perf_counter() - t) / len(sample)
                brute = per * len(pairs)
                print(
                    f"  brute force all-pairs compare, N={n}: {len(pairs)} pairs; measured {len(sample)} random pairs "
                    f"({per * 1000:.1f} ms/pair) and EXTRAPOLATED: {brute:.0f}s; ratio brute/indexed {brute / lin:.0f}x",
                    flush=True,
                )
                if len(sample) == len(pairs):  # small N: the real brute-force answer too
                    meta = {d["name"]: _Meta(d["name"], d["date"], d["doc_year"]) for d in docs}
                    ev = run_evidence(str(ix), [(c, [p for p in names if p != c]) for c in names], workers=args.workers)
                    r2, p2 = score(choose(ev, _citation_targets(ix, docs), meta), truth)
                    print(f"  brute force recall@1 {r2:.3f} precision {p2:.3f}")
    if len(times) >= 2:
        (n1, t1), (n2, t2) = min(times.items()), max(times.items())
        print(f"lineage time growth exponent N={n1}→{n2}: {math.log(t2 / t1) / math.log(n2 / n1):.2f}")


if __name__ == "__main__":
    main()
