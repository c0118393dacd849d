"""Whole-process time of `policydiff compare --format csv` (raw files, parsed JSON) beside
Python's difflib.HtmlDiff on the same two files, measured in the same run; then a large pair
(人民检察院刑事诉讼规则 （试行）2012 → 2019, 700 articles each) read from a LawRefBook/Laws mirror at run
time; then precision and recall of `related` pairs on the sibling golds (benchmarks/related_gold.py).

usage: python benchmarks/bench_compare.py [--repeat 5] [--mirror /work/.mirror/LawRefBook+Laws/repo]
"""

from __future__ import annotations

import argparse
import os
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


# Two versions of a procedural rule with 600+ articles (LawRefBook/Laws, commit 2f4c5c2 or later).
LARGE = ("司法解释/人民检察院刑事诉讼规则（试行）(2012-11-22).md", "司法解释/人民检察院刑事诉讼规则(2019-12-02).md")
MIRROR = Path("/work/.mirror/LawRefBook+Laws/repo")


def large_pair(mirror: Path, tmp: Path) -> tuple[Path, Path] | None:
    """The large pair written out of the mirror (a git directory), or None when it is not there."""
    out = []
    for k, path in enumerate(LARGE):
        done = subprocess.run(["git", "-C", str(mirror), "show", f"HEAD:{path}"], capture_output=True, check=False)
        if done.returncode != 0:
            return None
        target = tmp / f"rule-{k}.md"
        target.write_bytes(done.stdout)
        out.append(target)
    return out[0], out[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--mirror", type=Path, default=Path(os.environ.get("LAWS_MIRROR", MIRROR)), help="git directory of LawRefBook/Laws")
    ap.add_argument("--no-related", action="store_true", help="skip the precision/recall of related pairs")
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
    print(f"compare raw --format csv:    {raw / base:.1f}x baseline (target <= 10x): {raw:.3f} s")
    print(f"compare json --format csv:   {parsed / base:.1f}x baseline (target <= 4x): {parsed:.3f} s")

    with tempfile.TemporaryDirectory() as tmp:
        pair = large_pair(args.mirror, Path(tmp))
        if pair is None:
            print(f"large pair: skipped, {LARGE[0]} and {LARGE[1]} not found in {args.mirror} (give --mirror)")
        else:
            la, lb = pair
            cmd = [py, "-m", "policydiff", "compare", str(la), str(lb), "--format", "csv"]
            base, raw, textual = timed([[py, "-c", DIFFLIB, str(la), str(lb)], cmd, [*cmd, "--no-related"]], max(1, args.repeat // 2))
            print(f"large pair (人民检察院刑事诉讼规则 2012 → 2019), difflib.HtmlDiff: {base:.3f} s")
            print(f"large pair compare raw --format csv: {raw / base:.1f}x baseline (target <= 3x): {raw:.3f} s")
            print(f"  ... with --no-related (no jieba): {textual / base:.1f}x baseline: {textual:.3f} s")

    if not args.no_related:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from related_gold import GOLDS, score

        for name, (gold, a, b) in GOLDS.items():
            rel, both = score(gold, a, b)
            print(f"related pairs, {name} gold {gold.name}: {rel}; with textual pairs: {both}")


if __name__ == "__main__":
    main()
