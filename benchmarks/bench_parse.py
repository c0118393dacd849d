"""Parse throughput over the seeds repeated to >= 10 MB, beside jieba.lcut on the same text.

Prints MB/s of raw text for: parse without extraction, parse with extraction (targets,
units, citations), and plain jieba segmentation; the ratios; and peak memory of parsing
one 10 MB document relative to its size.

usage: python benchmarks/bench_parse.py [--mb 10] [--rounds 5]
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from policydiff import __version__
from policydiff.normalize import normalize
from policydiff.pipeline import parse_text
from policydiff.schema import Source
from policydiff.structure import build_document

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=10.0)
    ap.add_argument("--rounds", type=int, default=5, help="alternating rounds of each timing; the fastest of each counts")
    args = ap.parse_args()
    seeds = [p.read_text(encoding="utf-8") for p in sorted(RAW.glob("*.txt"))]
    seed_bytes = sum(len(s.encode("utf-8")) for s in seeds)
    reps = max(1, int(args.mb * 1e6 / seed_bytes) + 1)
    texts = seeds * reps
    total_mb = seed_bytes * reps / 1e6

    import jieba

    jieba.initialize()  # dictionary load is not counted against jieba

    # Structure-only parse, full parse and jieba alternate, round after round, and each keeps its
    # fastest round: on a shared machine a slow round is noise from elsewhere, met by all three.
    structure_s = full_s = jieba_s = float("inf")
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        for t in texts:
            build_document(normalize(t), name="bench", source=Source(), parser_version=__version__, extra_dropped=[])
        structure_s = min(structure_s, time.perf_counter() - t0)
        t0 = time.perf_counter()
        for t in texts:
            parse_text(t, name="bench")
        full_s = min(full_s, time.perf_counter() - t0)
        t0 = time.perf_counter()
        for t in texts:
            jieba.lcut(t)
        jieba_s = min(jieba_s, time.perf_counter() - t0)

    shares = extraction_shares(texts)

    big = "\n".join(texts)
    tracemalloc.start()
    parse_text(big, name="big")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    big_bytes = len(big.encode("utf-8"))

    print(
        f"input: {len(texts)} documents, {total_mb:.1f} MB of raw text; timings are the fastest of {args.rounds} "
        "alternating rounds (wall clock: compare ratios of one run)"
    )
    print(f"parse (structure only):   {total_mb / structure_s:7.2f} MB/s  ({structure_s:.2f} s)  normalize + build_document")
    print(f"parse (with extraction):  {total_mb / full_s:7.2f} MB/s  ({full_s:.2f} s)  parse_text: + targets, units, citations")
    print(f"jieba.lcut (baseline):    {total_mb / jieba_s:7.2f} MB/s  ({jieba_s:.2f} s)")
    print(f"parse vs jieba:           {jieba_s / full_s:7.2f}x faster (with extraction; target >= 3x)")
    print(f"extraction overhead:      {(full_s - structure_s) / structure_s:7.1%} of structure-only time (target < 50%)")
    print("  of which:                " + ", ".join(f"{name} {share:.0%}" for name, share in shares.items()))
    print(
        f"peak memory, one {big_bytes / 1e6:.1f} MB document: {peak / 1e6:.1f} MB = {peak / big_bytes:.1f}x input "
        "(tracemalloc, input not counted; target < 10x)"
    )


def extraction_shares(texts: list[str]) -> dict[str, float]:
    """Where extraction time goes, as shares of it: one more full parse of `texts` with a timer
    around each extractor (the timers add a little to every share)."""
    from policydiff import extract
    from policydiff.extract import citations, targets, units

    spent: dict[str, float] = {}
    parts = {
        "targets": (targets, "find_targets"),
        "task tables": (extract, "_link_task_tables"),
        "unit notes": (units, "find_unit_notes"),
        "citations": (citations, "find_citations"),
        "all": (extract, "apply_extraction"),
    }
    originals = {name: getattr(module, attr) for name, (module, attr) in parts.items()}

    def timed(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - t0

        return run

    for name, (module, attr) in parts.items():
        setattr(module, attr, timed(name, originals[name]))
    try:
        for t in texts:
            parse_text(t, name="bench")
    finally:
        for name, (module, attr) in parts.items():
            setattr(module, attr, originals[name])
    total = spent.pop("all")
    shares = {name: spent.get(name, 0.0) / total for name in parts if name != "all"}
    shares["other"] = max(0.0, 1.0 - sum(shares.values()))
    return shares


if __name__ == "__main__":
    main()
