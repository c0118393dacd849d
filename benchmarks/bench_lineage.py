"""Index + lineage benchmark on synthetic corpora: times, peak memory, recall/precision, brute-force ratio.

    nice python benchmarks/bench_lineage.py                  # N = 1,000 and 10,000, seed 3
    python benchmarks/bench_lineage.py --sizes 200 --brute-children 4

For each size: make_corpus.py N --seed S (S = 3 by default: the lineage thresholds were tuned
on seed 1 and validated on seed 2, so this corpus was seen by neither), then `index` and
`lineage`, each in its own process so that its peak memory (max RSS of the process and of its
largest worker) is its own. Recall@1 is the share of documents with a parent in truth.csv whose
chosen parent is the true one; precision the share of chosen edges that are true.

Brute force (smallest size, 1,000 by default) is compare() on every pair (candidate parent,
child) with the candidate not dated after the child (date from the index), parent = the
candidate with the highest reuse share, none under 0.3. Running all ~500,000 pairs takes hours
here, so the script runs it completely for --brute-children random documents (every candidate
of each: real compare() calls, timed), and EXTRAPOLATES the all-pairs time from the measured time
per pair; recall and precision of brute force are those of the sampled children. The output says
how many pairs were timed.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BRUTE_MIN_REUSE = 0.3


def peak_mb() -> tuple[float, float]:
    """(this process, largest finished child) max RSS in MB; ru_maxrss is KiB on Linux."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return own / 1024, kids / 1024


def truth_of(src: Path) -> dict[str, str]:
    return {r["doc"]: r["parent"] for r in csv.DictReader((src / "truth.csv").open(encoding="utf-8"))}


def score(got: dict[str, str], truth: dict[str, str], among: set[str] | None = None) -> tuple[float, float, int, int]:
    docs = [d for d in truth if among is None or d in among]
    children = [d for d in docs if truth[d]]
    claimed = [d for d in docs if d in got]
    ok = sum(got.get(d) == truth[d] for d in children)
    return ok / max(1, len(children)), ok / max(1, len(claimed)), len(children), len(claimed)


# --- stages, each run in a fresh process ------------------------------------------------


def stage_index(src: Path, ix: Path, workers: int | None) -> dict[str, float]:
    from policydiff.corpus.index import build_index

    t = time.perf_counter()
    stats = build_index(src, ix, workers=workers)
    own, kids = peak_mb()
    return {"seconds": time.perf_counter() - t, "parsed": stats.parsed, "failed": stats.failed, "rss": own, "worker_rss": kids}


def stage_lineage(src: Path, ix: Path, workers: int | None) -> dict[str, object]:
    from policydiff.corpus.lineage import find_lineage, parent_edges

    timings: dict[str, float] = {}
    t = time.perf_counter()
    edges = list(parent_edges(find_lineage(ix, workers=workers, timings=timings)).values())
    secs = time.perf_counter() - t
    own, kids = peak_mb()
    rec, prec, n_children, n_edges = score({e.child: e.parent for e in edges}, truth_of(src))
    return {
        "seconds": secs,
        "timings": timings,
        "rss": own,
        "worker_rss": kids,
        "recall": rec,
        "precision": prec,
        "children": n_children,
        "edges": n_edges,
        "cited_edges": sum(e.decided_by == "citation" for e in edges),
    }


def stage_brute(src: Path, ix: Path, workers: int | None, children: int, seed: int) -> dict[str, object]:
    from policydiff.corpus.lineage import date_order
    from policydiff.corpus.lineage_evidence import run_evidence
    from policydiff.corpus.lineage_facts import read_facts

    meta = read_facts(ix)
    names = sorted(meta)
    earlier = {c: [p for p in names if p != c and date_order(meta[p], meta[c]) != "after"] for c in names}
    all_pairs = sum(len(v) for v in earlier.values())
    sample = sorted(random.Random(seed).sample(names, min(children, len(names))))
    work = [(c, earlier[c]) for c in sample if earlier[c]]
    pairs = sum(len(ps) for _, ps in work)
    t = time.perf_counter()
    ev = run_evidence(str(ix), work, workers=workers)
    secs = time.perf_counter() - t
    best: dict[str, tuple[float, str]] = {}
    for e in ev:
        if e["reuse_share"] >= BRUTE_MIN_REUSE and (e["child"] not in best or (e["reuse_share"], e["parent"]) > best[e["child"]]):
            best[e["child"]] = (e["reuse_share"], e["parent"])
    rec, prec, n_children, n_edges = score({c: p for c, (_, p) in best.items()}, truth_of(src), set(sample))
    own, kids = peak_mb()
    return {
        "seconds": secs,
        "pairs_timed": pairs,
        "children_sampled": len(sample),
        "all_pairs": all_pairs,
        "per_pair": secs / max(1, pairs),
        "extrapolated": secs / max(1, pairs) * all_pairs,
        "recall": rec,
        "precision": prec,
        "children": n_children,
        "edges": n_edges,
        "rss": own,
        "worker_rss": kids,
    }


def run_stage(*argv: str) -> dict[str, object]:
    out = subprocess.run([sys.executable, __file__, "--stage", *argv], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- driver ----------------------------------------------------------------------------


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--seed", type=int, default=3, help="corpus seed (3: used neither to tune nor to validate)")
    ap.add_argument("--workers", type=int, default=None, help="process pool size (default: all cores)")
    ap.add_argument("--brute-children", type=int, default=16, help="documents whose brute force is run in full")
    ap.add_argument("--brute-size", type=int, default=1000, help="size at which brute force is measured")
    ap.add_argument("--work", type=Path, default=None, help="keep corpora and indexes here (default: a temp dir)")
    ap.add_argument("--stage", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.stage:
        kind, src, ix, workers = args.stage[0], Path(args.stage[1]), Path(args.stage[2]), args.stage[3]
        w = None if workers == "-" else int(workers)
        if kind == "index":
            res: dict[str, object] = stage_index(src, ix, w)  # type: ignore[assignment]
        elif kind == "lineage":
            res = stage_lineage(src, ix, w)
        else:
            res = stage_brute(src, ix, w, int(args.stage[4]), int(args.stage[5]))
        print(json.dumps(res))
        return

    workers = "-" if args.workers is None else str(args.workers)
    tmp = tempfile.TemporaryDirectory() if args.work is None else None
    work = Path(tmp.name) if tmp else args.work
    work.mkdir(parents=True, exist_ok=True)
    import os

    print(
        f"bench_lineage: sizes {args.sizes}, corpus seed {args.seed}, {os.cpu_count()} cores, workers {args.workers or 'all'}", flush=True
    )
    lin_times: dict[int, float] = {}
    try:
        for n in args.sizes:
            src, ix = work / f"c{n}_s{args.seed}", work / f"i{n}_s{args.seed}"
            t = time.perf_counter()
            if not (src / "truth.csv").exists():
                subprocess.run(
                    [sys.executable, str(HERE / "make_corpus.py"), str(n), "--out", str(src), "--seed", str(args.seed)],
                    check=True,
                    capture_output=True,
                )
            gen = time.perf_counter() - t
            if ix.exists() and args.work is not None:
                import shutil

                shutil.rmtree(ix)  # time a full index, not an incremental no-op
            idx = run_stage("index", str(src), str(ix), workers)
            lin = run_stage("lineage", str(src), str(ix), workers)
            lin_times[n] = float(lin["seconds"])  # type: ignore[arg-type]
            tm = lin["timings"]
            assert isinstance(tm, dict)
            total = float(idx["seconds"]) + float(lin["seconds"])  # type: ignore[arg-type]
            print(
                f"N={n}: generate {gen:.1f}s\n"
                f"  index    {idx['seconds']:.1f}s  (parsed {idx['parsed']}, failed {idx['failed']})  "
                f"peak RSS {idx['rss']:.0f} MB main, {idx['worker_rss']:.0f} MB largest worker\n"
                f"  lineage  {lin['seconds']:.1f}s  (candidates {tm.get('candidates', 0):.1f}s, choose {tm.get('choose', 0):.1f}s, "
                f"compare evidence {tm.get('evidence', 0):.1f}s)  peak RSS {lin['rss']:.0f} MB main, {lin['worker_rss']:.0f} MB largest worker\n"
                f"  index + lineage {total:.1f}s ({total / 60:.1f} min)\n"
                f"  parent recall@1 {lin['recall']:.4f} ({lin['children']} documents with a parent)  "
                f"precision {lin['precision']:.4f} ({lin['edges']} edges, {lin['cited_edges']} with citation evidence)",
                flush=True,
            )
            if n == args.brute_size and args.brute_children > 0:
                b = run_stage("brute", str(src), str(ix), workers, str(args.brute_children), str(args.seed))
                ratio = float(b["extrapolated"]) / float(lin["seconds"])  # type: ignore[arg-type]
                print(
                    f"  brute force all-pairs compare, N={n}: {b['all_pairs']} pairs (candidate not dated after child)\n"
                    f"    measured: compare() on ALL candidates of {b['children_sampled']} random documents = {b['pairs_timed']} pairs "
                    f"in {b['seconds']:.1f}s ({float(b['per_pair']) * 1000:.1f} ms/pair, same process pool)  "  # type: ignore[arg-type]
                    f"peak RSS {b['rss']:.0f} MB main, {b['worker_rss']:.0f} MB largest worker\n"
                    f"    EXTRAPOLATED to all {b['all_pairs']} pairs: {b['extrapolated']:.0f}s ({float(b['extrapolated']) / 3600:.1f} h); "  # type: ignore[arg-type]
                    f"brute / indexed lineage = {ratio:.0f}x\n"
                    f"    brute-force recall@1 {b['recall']:.3f} ({b['children']} sampled documents with a parent)  "
                    f"precision {b['precision']:.3f} ({b['edges']} edges)",
                    flush=True,
                )
        if len(lin_times) >= 2:
            (n1, t1), (n2, t2) = min(lin_times.items()), max(lin_times.items())
            print(
                f"lineage time growth N={n1}→{n2}: {t1:.1f}s → {t2:.1f}s, exponent {math.log(t2 / t1) / math.log(n2 / n1):.2f} (target ≤ 1.2)"
            )
    finally:
        if tmp:
            tmp.cleanup()


if __name__ == "__main__":
    main()
