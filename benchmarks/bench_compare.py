"""Whole-process time of `policydiff compare --format csv` (raw files, parsed JSON) beside
Python's difflib.HtmlDiff on the same two files, measured in the same run.

usage: python benchmarks/bench_compare.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
A = ROOT / "data" / "raw" / "zhengzhou-2022-highland-plan.txt"
B = ROOT / "data" / "raw" / "xinzheng-2023-highland-plan.txt"
DIFFLIB = (
    "import difflib,sys;a=open(sys.argv[1],encoding='utf-8').read().splitlines();"
    "b=open(sys.argv[2],encoding='utf-8').read().splitlines();"
    "sys.stdout.write(difflib.HtmlDiff().make_file(a,b))"
)


def run_once(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def timed(cmds: list[list[str]], repeat: int) -> list[float]:
    """Median time of each command. Runs are interleaved (and one warm-up round is dropped) so
    that load from other processes falls on all commands alike and the ratios stay comparable."""
    for cmd in cmds:
        run_once(cmd)
    runs: list[list[float]] = [[] for _ in cmds]
    for _ in range(repeat):
        for i, cmd in enumerate(cmds):
            runs[i].append(run_once(cmd))
    return [statistics.median(r) for r in runs]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([py, "-m", "policydiff", "parse", str(A), str(B), "--out", tmp], check=True, stdout=subprocess.DEVNULL)
        ja, jb = Path(tmp) / f"{A.stem}.json", Path(tmp) / f"{B.stem}.json"
        base, raw, parsed = timed(
            [
                [py, "-c", DIFFLIB, str(A), str(B)],
                [py, "-m", "policydiff", "compare", str(A), str(B), "--format", "csv"],
                [py, "-m", "policydiff", "compare", str(ja), str(jb), "--format", "csv"],
            ],
            args.repeat,
        )
    print(f"difflib.HtmlDiff (baseline): {base:.3f} s")
    print(f"compare raw --format csv:    {raw:.3f} s = {raw / base:.1f}x baseline (target <= 10x)")
    print(f"compare json --format csv:   {parsed:.3f} s = {parsed / base:.1f}x baseline (target <= 4x)")


if __name__ == "__main__":
    main()
