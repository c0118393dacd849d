"""Compare on real law revisions: every pair of consecutive versions of a work in the LawRefBook/Laws mirror.

Each version is parsed with `policydiff.parse_file`; each later version is compared with the one before it
(`policydiff.compare`, related pairs on, as the CLI does) and timed beside difflib.HtmlDiff over the lines of the
same two files (the baseline of bench_compare.py), measured in the same run. No gold alignment exists for
these pairs, so the checks are the ones any revision must pass:

- no compare raises;
- every clause of both versions is in the alignment (paired, or dropped/added): nothing silently lost;
- each pair's relation agrees with its texts: `identical` only for policy texts equal but for spaces and line
  breaks (a struck comma is an amendment), and an article whose
  text is unchanged in the new version is found `identical` (moved or not) unless it is part of a merge
  or split;
- inheritance is found: the share of parent articles that are paired (a revision keeps most of a law);
- and, as a figure, how many revisions changed a penalty (罚款 5万—50万 → 5万—200万 元) that compare reports.

Prints the figures over all pairs, the time ratio to difflib (median, 90th percentile, max), and the worst
cases. The mirror is not part of this repository (see bench_lineage_real.py for its source).

usage: python benchmarks/eval_compare_versions.py [--git REPO] [--sample N | --all] [--show K]
"""

from __future__ import annotations

import argparse
import difflib
import re
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import itertools

import policydiff

REPO = Path("/work/.mirror/LawRefBook+Laws/repo")
PENALTIES = ("罚款", "罚金", "拘留", "行政拘留", "有期徒刑")
STEM_RE = re.compile(r"^(?P<name>.*?)\((?P<date>\d{4}-\d{2}-\d{2})\)$")


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "core.quotepath=off", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


def version_pairs(repo: Path) -> list[tuple[str, str]]:
    """(older, newer) for consecutive dated versions of one work in one folder."""
    works: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for f in git(repo, "ls-tree", "-r", "--name-only", "HEAD").splitlines():
        if not f.endswith(".md") or f.endswith("_index.md"):
            continue
        m = STEM_RE.match(Path(f).stem)
        if m:
            works.setdefault((str(Path(f).parent), m.group("name")), []).append((m.group("date"), f))
    pairs = []
    for versions in works.values():
        versions.sort()
        pairs += [(a, b) for (da, a), (db, b) in itertools.pairwise(versions) if da != db]
    return sorted(pairs)


def difflib_seconds(a: str, b: str) -> float:
    t0 = time.perf_counter()
    difflib.HtmlDiff().make_file(a.splitlines(), b.splitlines())
    return time.perf_counter() - t0


def check(al: policydiff.Alignment, a: policydiff.Document, b: policydiff.Document) -> list[str]:
    """What is wrong with one alignment (empty: nothing)."""
    problems = []
    a_ids = {c.id for c in a.clauses}
    b_ids = {c.id for c in b.clauses}
    seen_a = {p.a_id for p in al.pairs if p.a_id}
    seen_b = {p.b_id for p in al.pairs if p.b_id}
    if a_ids - seen_a:
        problems.append(f"{len(a_ids - seen_a)} parent clauses missing from the alignment")
    if b_ids - seen_b:
        problems.append(f"{len(b_ids - seen_b)} child clauses missing from the alignment")
    # Spaces and line breaks are layout (the mirror sometimes breaks a 款 where the other version does not).
    at = {c.id: re.sub(r"\s+", "", c.policy_text) for c in a.clauses}
    bt = {c.id: re.sub(r"\s+", "", c.policy_text) for c in b.clauses}
    wrong = [p for p in al.pairs if p.relation == "identical" and p.a_id and p.b_id and at[p.a_id] != bt[p.b_id]]
    if wrong:
        problems.append(f"{len(wrong)} pairs called identical with different texts (first: {wrong[0].a_label} → {wrong[0].b_label})")
    by_text: dict[str, list[str]] = {}
    for c in b.clauses:
        by_text.setdefault(bt[c.id], []).append(c.id)
    in_merge = {p.a_id for p in al.pairs if p.relation in ("merged", "split")} | {p.b_id for p in al.pairs if p.relation in ("merged", "split")}
    identical = {(p.a_id, p.b_id) for p in al.pairs if p.relation == "identical"}
    missed = [
        c for c in a.clauses
        if len(at[c.id]) >= 10 and c.id not in in_merge and len(by_text.get(at[c.id], ())) == 1
        and (c.id, by_text[at[c.id]][0]) not in identical and by_text[at[c.id]][0] not in in_merge
    ]
    if missed:
        problems.append(f"{len(missed)} unchanged articles not found identical (first: {missed[0].label})")
    return problems


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--git", type=Path, default=REPO)
    size = ap.add_mutually_exclusive_group()
    size.add_argument("--sample", type=int, default=120, help="pairs in a fixed pseudo-random sample (default 120)")
    size.add_argument("--all", action="store_true")
    ap.add_argument("--show", type=int, default=6)
    args = ap.parse_args()
    if not args.git.is_dir():
        raise SystemExit(f"no mirror at {args.git}: fetch github:LawRefBook/Laws and give --git")
    pairs = version_pairs(args.git)
    if not args.all:
        pairs = sorted(pairs, key=lambda p: zlib.crc32(p[1].encode()))[: args.sample]
    paths = sorted({f for p in pairs for f in p})
    with tempfile.TemporaryDirectory() as tmp:
        files = {}
        blob = subprocess.run(["git", "-C", str(args.git), "cat-file", "--batch"], input="".join(f"HEAD:{x}\n" for x in paths).encode(),
                              capture_output=True, check=True).stdout
        pos = 0
        for i, path in enumerate(paths):
            nl = blob.index(b"\n", pos)
            n = int(blob[pos:nl].split()[2])
            target = Path(tmp) / f"{i}-{Path(path).name}"
            target.write_bytes(blob[nl + 1 : nl + 1 + n])
            files[path] = target
            pos = nl + 1 + n + 1
        docs = {p: policydiff.parse_file(files[p]) for p in paths}
        policydiff.compare(docs[pairs[0][0]], docs[pairs[0][1]])  # loads the aligner and jieba once, outside the timings
        ratios, inherited, raised, bad = [], [], [], []
        penalty_pairs = penalty_changes = 0
        slowest: list[tuple[float, str]] = []
        for old, new in pairs:
            a, b = docs[old], docs[new]
            t0 = time.perf_counter()
            try:
                al = policydiff.compare(a, b)
            except Exception as exc:  # noqa: BLE001 - counted and shown: the figure is how often this happens
                raised.append(f"{new}: {type(exc).__name__}: {exc}")
                continue
            spent = time.perf_counter() - t0
            base = difflib_seconds(files[old].read_text(encoding="utf-8"), files[new].read_text(encoding="utf-8"))
            ratios.append(spent / max(base, 1e-4))
            slowest.append((spent / max(base, 1e-4), f"{new} ({len(a.clauses)}→{len(b.clauses)} articles, {spent:.2f} s)"))
            if a.clauses:
                paired = {p.a_id for p in al.pairs if p.a_id and p.b_id}
                inherited.append(len(paired) / len(a.clauses))
            revised = [c for c in al.numeric_changes if c.change != "same" and c.subject.startswith(PENALTIES)]
            penalty_pairs += bool(revised)
            penalty_changes += len(revised)
            if problems := check(al, a, b):
                bad.append(f"{old} → {Path(new).name}: {'; '.join(problems)}")
    n = len(pairs)
    print(f"pairs of consecutive versions: {n} ({len(paths)} files)")
    print(f"  compare raised:                        {len(raised)}")
    print(f"  alignments with a problem:             {len(bad)}")
    if inherited:
        print(f"  parent articles paired (median, 10th): {statistics.median(inherited):.1%}, {sorted(inherited)[len(inherited) // 10]:.1%}")
    print(f"  pairs with a changed penalty:          {penalty_pairs} ({penalty_changes} changes of 罚款, 罚金, 拘留 or 有期徒刑)")
    if ratios:
        q = sorted(ratios)
        print(f"  time / difflib.HtmlDiff:               median {statistics.median(q):.2f}x, 90th {q[int(0.9 * (len(q) - 1))]:.2f}x, max {q[-1]:.2f}x")
    for title, rows in (("raised", raised), ("problems", bad), ("slowest (ratio)", [f"{r:.1f}x {s}" for r, s in sorted(slowest, reverse=True)])):
        if rows:
            print(f"\n{title}:")
            for row in rows[: args.show]:
                print(f"  {row}")


if __name__ == "__main__":
    main()
