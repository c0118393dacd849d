"""Parse throughput over the seeds repeated to >= 10 MB, beside jieba.lcut on the same text.

Prints MB/s of raw text for: parse without extraction, parse with extraction (targets,
units, citations), and plain jieba segmentation; the ratios; and peak memory of parsing
one 10 MB document relative to its size.

Then the adversarial set (`--adversarial`, or `--only-adversarial`): pathological texts built from the
seeds, each parsed in its own subprocess under a time cap, printing time, MB/s and peak memory (growth of
the process's peak RSS during the parse, as a multiple of the input's UTF-8 size); "timeout" when a case
exceeds the cap. Targets: >= 1 MB/s and <= 10x memory on every case.

usage: python benchmarks/bench_parse.py [--mb 10] [--rounds 5] [--adversarial] [--only-adversarial] [--timeout 60]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
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
    ap.add_argument("--adversarial", action="store_true", help="also run the adversarial set")
    ap.add_argument("--only-adversarial", action="store_true", help="run only the adversarial set")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds allowed per adversarial case")
    ap.add_argument("--case", help=argparse.SUPPRESS)  # the child process of one adversarial case
    args = ap.parse_args()
    if args.case:
        run_case(args.case)
        return
    if args.only_adversarial:
        adversarial(args.timeout)
        return
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
    fixture_set(args.rounds)
    if args.adversarial:
        adversarial(args.timeout)


GENRES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "genres"


def fixture_set(rounds: int) -> None:
    """The real genre fixtures as they come: many small files read and parsed one by one (parse_file,
    ingest included), beside jieba on the texts they hold. Laws and regulations (markdown) and saved web
    pages are printed apart: a page's HTML is mostly markup that jieba never sees."""
    import jieba

    from policydiff.ingest import read_path
    from policydiff.pipeline import parse_file

    for label, suffix in (("laws, regulations, rules, interpretations", ".md"), ("saved web pages", ".html")):
        files = sorted(p for p in GENRES.rglob("*") if p.suffix == suffix)
        texts = [read_path(p).text for p in files]
        disk_mb = sum(len(p.read_bytes()) for p in files) / 1e6
        text_mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
        parse_s = jieba_s = float("inf")
        for _ in range(rounds):
            t0 = time.perf_counter()
            for p in files:
                parse_file(p)
            parse_s = min(parse_s, time.perf_counter() - t0)
            t0 = time.perf_counter()
            for t in texts:
                jieba.lcut(t)
            jieba_s = min(jieba_s, time.perf_counter() - t0)
        print(
            f"fixture set, {label}: {len(files)} files ({disk_mb:.1f} MB on disk, {text_mb:.1f} MB of text): parse_file "
            f"{text_mb / parse_s:.2f} MB/s of text ({len(files) / parse_s:.0f} files/s), jieba {text_mb / jieba_s:.2f} MB/s "
            f"-> parse vs jieba {jieba_s / parse_s:.2f}x (target >= 3x)"
        )
