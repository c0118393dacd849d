"""Lineage on real laws: provincial measures that implement national laws, their versions and distractors.

    nice python benchmarks/bench_lineage_real.py                 # the test half (never used to calibrate)
    nice python benchmarks/bench_lineage_real.py --half calib    # the half benchmarks/calibrate_lineage.py tunes on
    nice python benchmarks/bench_lineage_real.py --all           # index + lineage on the whole mirror

Source: github LawRefBook/Laws, commit 2f4c5c2 (a bare copy at /work/.mirror/LawRefBook+Laws/repo, read
with git; nothing of it is committed here). The collection is built at run time:

- children: DLC/ local regulations whose title implements a national law present in the mirror
  (…实施《中华人民共和国X法》办法, …实施〈X法〉若干规定, …实施X法条例…); ground truth from the title: the
  child implements X, in the version in force at the child's date (the file names carry version dates,
  `献血法(1997-12-29).md`; the child's date is its file-name date, else the latest date of its header);
- every version of those laws;
- distractors: the other national laws of the same half, 60 administrative regulations and 150 other
  local regulations, sampled with a fixed seed.

The laws are split in two halves by crc32 of the law's name: `calib` (used by calibrate_lineage.py to
fit the decision rule) and `test` (only scored here). Each half is its own collection: no document is
in both. Figures: recall@1 (children whose implements edge goes to the true law version), precision
(of the implements edges of the children), the share decided by citation vs reuse, the version picked
for laws with several versions; then the same with the law's names removed from the children's text
(every 《…》 naming the law and its name written bare become 〔法律〕): reuse alone; and with the laws left
out as well, how many children still get an implements edge (roots given a parent).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path("/work/.mirror/LawRefBook+Laws/repo")
NATIONAL = ("宪法/", "宪法相关法/", "民法典/", "民法商法/", "行政法/", "经济法/", "社会法/", "刑法/", "诉讼与非诉讼程序法/", "其他/")
IMPLEMENTS_RE = re.compile(r"实施[《〈<]?(?:中华人民共和国)?(?P<law>[^》〉>《〈<]+?法)[》〉>]?的?(?:办法|若干规定|规定|细则|条例)")
STEM_RE = re.compile(r"^(?P<name>.*?)(?:\((?P<date>\d{4}-\d{2}-\d{2})\))?$")
DATE_RE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
PLACEHOLDER = "〔法律〕"


def git(*args: str) -> str:
    return subprocess.run(["git", "-c", "core.quotepath=off", "-C", str(REPO), *args], check=True, capture_output=True, text=True).stdout


def read_blobs(paths: list[str]) -> dict[str, str]:
    """File texts at HEAD, through one `git cat-file --batch`."""
    p = subprocess.run(
        ["git", "-C", str(REPO), "cat-file", "--batch"], input="".join(f"HEAD:{x}\n" for x in paths).encode(), capture_output=True, check=True
    )
    out, buf, pos = {}, p.stdout, 0
    for path in paths:
        nl = buf.index(b"\n", pos)
        header = buf[pos:nl].split()
        size = int(header[2])
        out[path] = buf[nl + 1 : nl + 1 + size].decode("utf-8", "replace")
        pos = nl + 1 + size + 1
    return out


def header_date(text: str) -> str | None:
    head = text.split("<!-- INFO END -->")[0]
    days = [f"{int(y):04d}-{int(m):02d}-{int(d):02d}" for y, m, d in DATE_RE.findall(head)]
    return max(days) if days else None


def law_name(stem: str) -> tuple[str, str | None]:
    m = STEM_RE.match(stem)
    assert m is not None
    return m.group("name").removeprefix("中华人民共和国"), m.group("date")


def half_of(name: str) -> str:
    return "calib" if zlib.crc32(name.encode()) % 2 == 0 else "test"


@dataclass
class Collection:
    files: dict[str, str] = field(default_factory=dict)  # relative path → text
    truth: dict[str, str] = field(default_factory=dict)  # child → true parent (relative paths)
    law_of: dict[str, str] = field(default_factory=dict)  # child → law name
    versions: dict[str, list[str]] = field(default_factory=dict)  # law name → its version files


def build(half: str, seed: int = 0) -> Collection:
    files = [f for f in git("ls-tree", "-r", "--name-only", "HEAD").splitlines() if f.endswith(".md") and not f.endswith("_index.md")]
    laws: dict[str, list[tuple[str | None, str]]] = {}
    for f in files:
        if f.startswith(NATIONAL):
            name, day = law_name(Path(f).stem)
            laws.setdefault(name, []).append((day, f))
    kids = []
    for f in files:
        if f.startswith("DLC/") and (m := IMPLEMENTS_RE.search(Path(f).stem)) and m.group("law") in laws:
            kids.append((m.group("law"), f))
    kids = [(law, f) for law, f in kids if half == "all" or half_of(law) == half]
    parents = {law for law, _ in kids}
    rng = random.Random(seed)
    others = sorted(f for name, vs in laws.items() if name not in parents and (half == "all" or half_of(name) == half) for _, f in vs)
    regs = sorted(f for f in files if f.startswith("行政法规/") and (half == "all" or half_of(f) == half))
    kid_files = {f for _, f in kids}
    local = sorted(f for f in files if f.startswith("DLC/") and f not in kid_files and (half == "all" or half_of(f) == half))
    chosen = others + rng.sample(regs, min(60, len(regs))) + rng.sample(local, min(150, len(local)))
    law_files = sorted(f for law in parents for _, f in laws[law])
    texts = read_blobs(sorted(set(chosen) | set(law_files) | kid_files))
    col = Collection(files=texts)
    for law in parents:
        col.versions[law] = sorted(f for _, f in laws[law])
    for law, f in kids:
        day = STEM_RE.match(Path(f).stem).group("date") or header_date(texts[f])  # type: ignore[union-attr]
        dated = sorted((d or header_date(texts[v]) or "", v) for d, v in laws[law])
        before = [v for d, v in dated if day and d and d <= day]
        col.truth[f] = before[-1] if before else dated[0][1]
        col.law_of[f] = law
    return col


def remove_names(text: str, law: str) -> str:
    """The child's text with every 《…》 naming `law` (any version, with or without 中华人民共和国) and the bare name replaced."""

    def sub(m: re.Match[str]) -> str:
        inner = re.sub(r"[（(][^）)]*[）)]$", "", m.group(1)).removeprefix("中华人民共和国")
        return PLACEHOLDER if inner == law else m.group()

    text = re.sub(r"[《〈<]([^》〉>《〈<]{1,60})[》〉>]", sub, text)
    return text.replace("中华人民共和国" + law, PLACEHOLDER).replace(law, PLACEHOLDER)


def write(col: Collection, out: Path, names_removed: bool, without_laws: bool = False) -> None:
    """The collection as files under `out`; `without_laws`: the children's laws left out (the children are roots)."""
    if out.exists():
        shutil.rmtree(out)
    laws = {f for vs in col.versions.values() for f in vs} if without_laws else set()
    for rel, text in col.files.items():
        if rel in laws:
            continue
        if names_removed and rel in col.truth:
            text = remove_names(text, col.law_of[rel])
        p = out / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")


def peak_mb() -> tuple[float, float]:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def ids_by_path(ix: Path, root: Path) -> dict[str, str]:
    """Relative path of each indexed file → its document id (whatever the index's id scheme)."""
    import pyarrow.parquet as pq

    rows = pq.read_table(ix / "documents.parquet", columns=["name", "path"]).to_pylist()
    out = {}
    for r in rows:
        p = Path(r["path"])
        out[(p.relative_to(root) if p.is_absolute() else p).as_posix()] = r["name"]
    return out


def evaluate(col: Collection, src: Path, ix: Path, workers: int | None, orphans: bool = False) -> dict[str, object]:
    from policydiff.corpus.index import build_index
    from policydiff.corpus.lineage import find_lineage, parent_edges

    t = time.perf_counter()
    stats = build_index(src, ix, workers=workers)
    t_index = time.perf_counter() - t
    t = time.perf_counter()
    issues: list[dict[str, str]] = []
    edges = find_lineage(ix, workers=workers, issues=issues)
    t_lin = time.perf_counter() - t
    ids = ids_by_path(ix, src)
    back = {v: k for k, v in ids.items()}
    got = {back.get(c, c): back.get(e.parent, e.parent) for c, e in parent_edges(edges).items() if e.relation == "implements"}
    how = {back.get(c, c): e.decided_by for c, e in parent_edges(edges).items() if e.relation == "implements"}
    kids = sorted(col.truth)
    if orphans:  # the laws are absent: any implements edge of a child is a false one (or another parent)
        return {"files": len(ids), "children": len(kids), "given": sum(k in got for k in kids), "by_reuse": sum(how.get(k) == "reuse" for k in kids)}
    ok = [k for k in kids if got.get(k) == col.truth[k]]
    claimed = [k for k in kids if k in got]
    right_work = [k for k in claimed if got[k] in col.versions[col.law_of[k]]]
    multi = [k for k in right_work if len(col.versions[col.law_of[k]]) > 1]
    return {
        "files": len(col.files),
        "indexed": len(ids),
        "index_failed": stats.failed,
        "children": len(kids),
        "recall": len(ok) / max(1, len(kids)),
        "precision": len(ok) / max(1, len(claimed)),
        "claimed": len(claimed),
        "by_citation": sum(how[k] == "citation" for k in claimed),
        "by_reuse": sum(how[k] == "reuse" for k in claimed),
        "right_work": len(right_work),
        "versions_ok": sum(got[k] == col.truth[k] for k in multi),
        "versions_multi": len(multi),
        "version_picks": [(Path(k).stem, Path(got[k]).stem, Path(col.truth[k]).stem) for k in multi],
        "wrong": [(Path(k).stem, Path(got.get(k, "-")).stem, Path(col.truth[k]).stem) for k in kids if got.get(k) != col.truth[k]],
        "relations": {r: sum(e.relation == r for e in edges) for r in ("implements", "revises", "sibling", "cites")},
        "issues": len(issues),
        "index_s": t_index,
        "lineage_s": t_lin,
    }


def report(label: str, r: dict[str, object], verbose: bool) -> None:
    print(
        f"{label}: {r['files']} files ({r['indexed']} indexed, {r['index_failed']} failed), {r['children']} parent-child pairs\n"
        f"  recall@1 {r['recall']:.3f}  precision {r['precision']:.3f}  ({r['claimed']} children with an implements edge: "
        f"{r['by_citation']} decided by citation, {r['by_reuse']} by reuse; {r['right_work']} to the right law in some version)\n"
        f"  versions: {r['versions_ok']}/{r['versions_multi']} children of laws with several versions got the version in force\n"
        f"  relations {r['relations']}, {r['issues']} pairs failed to compare; index {r['index_s']:.1f}s, lineage {r['lineage_s']:.1f}s",
        flush=True,
    )
    if verbose:
        for child, got, want in r["version_picks"]:  # type: ignore[attr-defined]
            print(f"    version  {child}: picked {got}  (in force: {want})")
        for child, got, want in r["wrong"]:  # type: ignore[attr-defined]
            print(f"    miss     {child}: got {got}, want {want}")


# --- whole collection ------------------------------------------------------------------


def stage(kind: str, src: Path, ix: Path) -> None:
    """Run in a fresh process: its peak RSS (own and largest worker) is its own."""
    t = time.perf_counter()
    if kind == "index":
        from policydiff.corpus.index import build_index

        s = build_index(src, ix)
        res: dict[str, object] = {"parsed": s.parsed, "failed": s.failed, "total": s.total}
    else:
        from policydiff.corpus.lineage import find_lineage

        issues: list[dict[str, str]] = []
        edges = find_lineage(ix, issues=issues)
        res = {"relations": {r: sum(e.relation == r for e in edges) for r in ("implements", "revises", "sibling", "cites")}, "issues": len(issues)}
    own, kids = peak_mb()
    res.update(seconds=time.perf_counter() - t, rss=own, worker_rss=kids)
    print(json.dumps(res, ensure_ascii=False))


def run_stage(kind: str, src: Path, ix: Path) -> dict[str, object]:
    out = subprocess.run([sys.executable, __file__, "--stage", kind, str(src), str(ix)], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def whole(work: Path) -> None:
    src, ix = work / "laws", work / "index"
    for p in (src, ix):
        if p.exists():
            shutil.rmtree(p)
    src.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", "HEAD"], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(src)], input=archive, check=True)
    from policydiff.api import SUPPORTED_SUFFIXES as SUPPORTED

    files = [p for p in src.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED]
    text_bytes = sum(p.stat().st_size for p in files)
    print(f"whole collection: {len(files)} files ({text_bytes / 1e6:.1f} MB) from LawRefBook/Laws 2f4c5c2", flush=True)
    idx = run_stage("index", src, ix)
    size = sum(p.stat().st_size for p in ix.rglob("*") if p.is_file())
    print(
        f"  index    {idx['seconds']:.1f}s  {idx['total']} documents + {idx['failed']} failed of {len(files)} files; "
        f"index {size / 1e6:.1f} MB = {size / text_bytes:.2f}x the text; peak RSS {idx['rss']:.0f} MB main, {idx['worker_rss']:.0f} MB largest worker",
        flush=True,
    )
    lin = run_stage("lineage", src, ix)
    print(
        f"  lineage  {lin['seconds']:.1f}s  relations {lin['relations']}, {lin['issues']} pairs failed to compare (recorded, run completed); "
        f"peak RSS {lin['rss']:.0f} MB main, {lin['worker_rss']:.0f} MB largest worker",
        flush=True,
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--half", choices=("test", "calib", "all"), default="test")
    ap.add_argument("--all", action="store_true", help="index + lineage on every file of the mirror instead")
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--work", type=Path, default=None, help="keep collections and indexes here (default: a temp dir)")
    ap.add_argument("-v", "--verbose", action="store_true", help="list version picks and misses")
    ap.add_argument("--stage", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.stage:
        stage(args.stage[0], Path(args.stage[1]), Path(args.stage[2]))
        return
    tmp = tempfile.TemporaryDirectory() if args.work is None else None
    work = Path(tmp.name) if tmp else args.work
    work.mkdir(parents=True, exist_ok=True)
    try:
        if args.all:
            whole(work)
            return
        col = build(args.half)
        multi = sum(len(v) > 1 for v in col.versions.values())
        print(
            f"bench_lineage_real: half {args.half}: {len(col.truth)} measures implementing {len(col.versions)} laws "
            f"({sum(len(v) for v in col.versions.values())} law files, {multi} laws with several versions), "
            f"{len(col.files) - len(col.truth) - sum(len(v) for v in col.versions.values())} distractors",
            flush=True,
        )
        for removed in (False, True):
            src, ix = work / f"{args.half}-{int(removed)}", work / f"{args.half}-{int(removed)}-ix"
            write(col, src, removed)
            if ix.exists():
                shutil.rmtree(ix)
            r = evaluate(col, src, ix, args.workers)
            report("names removed from the children (reuse alone)" if removed else "with citations", r, args.verbose)
        src, ix = work / f"{args.half}-orphans", work / f"{args.half}-orphans-ix"
        write(col, src, True, without_laws=True)
        if ix.exists():
            shutil.rmtree(ix)
        r = evaluate(col, src, ix, args.workers, orphans=True)
        print(
            f"names removed and the laws left out ({r['files']} files): {r['given']}/{r['children']} children still get an implements "
            f"edge ({r['by_reuse']} by reuse): false parents, or other documents they do implement",
            flush=True,
        )
    finally:
        if tmp:
            tmp.cleanup()


if __name__ == "__main__":
    main()
