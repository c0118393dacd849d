"""Parse throughput over the seeds repeated to >= 10 MB, beside jieba.lcut on the same text.

Prints MB/s of raw text for: parse without extraction, parse with extraction (targets,
units, citations), and plain jieba segmentation; the ratios; and peak memory of parsing
one 10 MB document relative to its size.

Then the adversarial set (`--adversarial`, or `--only-adversarial`): pathological texts built from the
seeds, each parsed in its own subprocess under a time cap, printing time, MB/s and peak memory (the peak of
what a parse allocates, tracemalloc, as a multiple of the input's UTF-8 size); "timeout" when a case
exceeds the cap. Targets: >= 1 MB/s and <= 10x memory on every case.

usage: python benchmarks/bench_parse.py [--mb 10] [--rounds 5] [--adversarial] [--only-adversarial] [--timeout 60]
"""

from __future__ import annotations

import argparse
import gc
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
    ap.add_argument("--cases", nargs="+", choices=ADVERSARIAL, help="run only these adversarial cases")
    ap.add_argument("--case", help=argparse.SUPPRESS)  # the child process of one adversarial case
    args = ap.parse_args()
    if args.case:
        run_case(args.case)
        return
    if args.only_adversarial:
        adversarial(args.timeout, args.cases)
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
        adversarial(args.timeout, args.cases)


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
            f"{text_mb / parse_s:.2f} MB/s of text, {disk_mb / parse_s:.2f} MB/s of file ({len(files) / parse_s:.0f} files/s), "
            f"jieba {text_mb / jieba_s:.2f} MB/s "
            f"-> parse vs jieba {jieba_s / parse_s:.2f}x (target >= 3x)"
        )
    # Memory of real laws: what one parsed document holds, and the peak while it is parsed, per input byte.
    from policydiff.pipeline import parse_text

    laws = sorted((p for p in GENRES.rglob("*.md")), key=lambda p: -p.stat().st_size)[:5]
    held_x, peak_x = [], []
    for p in laws:
        text = p.read_text(encoding="utf-8")
        gc.collect()
        tracemalloc.start()
        doc = parse_text(text, name=p.stem)
        held, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        del doc
        held_x.append(held / len(text.encode("utf-8")))
        peak_x.append(peak / len(text.encode("utf-8")))
    print(
        f"memory of the {len(laws)} largest fixture laws ({', '.join(p.stem[:12] for p in laws)}): parsed document "
        f"{min(held_x):.1f}-{max(held_x):.1f}x its text, peak while parsing {min(peak_x):.1f}-{max(peak_x):.1f}x (tracemalloc)"
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

    # Modules import these functions by name: the timer replaces every loaded reference to each.
    patched: list[tuple[Any, str, Any]] = []
    for name in parts:
        wrapper = timed(name, originals[name])
        for mod in [m for k, m in sys.modules.items() if k.startswith("policydiff") and m is not None]:
            for key, value in list(vars(mod).items()):
                if value is originals[name]:
                    patched.append((mod, key, value))
                    setattr(mod, key, wrapper)
    try:
        for t in texts:
            parse_text(t, name="bench")
    finally:
        for mod, key, value in reversed(patched):
            setattr(mod, key, value)
    if "all" not in spent:
        raise SystemExit("extraction_shares: apply_extraction was never called through a patched name; update `parts`")
    total = spent.pop("all")
    shares = {name: spent.get(name, 0.0) / total for name in parts if name != "all"}
    shares["other"] = max(0.0, 1.0 - sum(shares.values()))
    return shares


# --- adversarial set -----------------------------------------------------------------


def _seed_lines() -> list[str]:
    return [line.strip() for p in sorted(RAW.glob("*.txt")) for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]


def _fill(parts: list[str], size: int, sep: str = "") -> str:
    """Cycle `parts` (joined by `sep`) until the text reaches `size` UTF-8 bytes."""
    out, n, i = [], 0, 0
    while n < size:
        piece = parts[i % len(parts)]
        out.append(piece)
        n += len(piece.encode("utf-8")) + len(sep.encode("utf-8"))
        i += 1
    return sep.join(out)


def _case_text(case: str) -> str:
    """The input of one adversarial case, built from the seed notices (data/raw)."""
    lines = _seed_lines()
    sentences = [s + "。" for line in lines for s in line.split("。") if len(s) > 4]
    if case == "one-line-1mb":  # a PDF extraction that lost its newlines
        return _fill(lines, 1_000_000)
    if case == "short-lines-300k":  # 300,000 short lines (a line per phrase)
        phrases = [p[:5] for line in lines for p in line.replace("。", "，").split("，") if p][:5000]
        return "\n".join((phrases * (300_000 // len(phrases) + 1))[:300_000])
    if case == "labels-every-line-1mb":  # every line a 第N条 label
        body = [s for s in sentences if len(s) < 60]
        n = 0
        out = []
        while sum(len(x) for x in out) * 3 < 1_000_000:
            n += 1
            out.append(f"第{_cn(n)}条 {body[n % len(body)]}")
        return "\n".join(out)
    if case == "dense-numbers-1.2mb":  # numbers and units only
        import random

        rng = random.Random(7)
        units = ["个", "所", "万元", "%", "人", "亿元", "项", "家", "名", "倍", "平方米", "人次"]
        parts = [f"{rng.randint(1, 99999)}{rng.choice(units)}" for _ in range(5000)]
        return _fill(parts, 1_200_000, "、")
    if case == "target-phrase-x40000":  # one line, 40,000 targets with deadlines
        return "到2025年达到100所以上，" * 40_000
    if case == "penalties-x40000":  # one line, 40,000 fines (the legal counterpart of the targets case)
        return "第一条 " + "对单位处一万元以上五万元以下罚款，处以罚款二百元，" * 20_000
    if case == "titles-100k":  # 100,000 《…》 titles
        titles = [f"《{s[:20].rstrip('。')}》" for s in sentences if "《" not in s[:20] and "》" not in s[:20]]
        return "\n".join(f"根据{titles[i % len(titles)]}和{titles[(i * 7 + 3) % len(titles)]}制定。" for i in range(50_000))
    if case == "colon-line-100k":  # a 100,000-character line ending in ：, then a paragraph
        return _fill(sentences, 300_000)[:100_000] + "：\n" + "\n".join(lines[:40])
    raise SystemExit(f"unknown case {case}")


ADVERSARIAL = (
    "one-line-1mb",
    "short-lines-300k",
    "labels-every-line-1mb",
    "dense-numbers-1.2mb",
    "target-phrase-x40000",
    "penalties-x40000",
    "titles-100k",
    "colon-line-100k",
)


def _cn(n: int) -> str:
    """Chinese numeral for 1..9999 (十一, 一百零五, 两千…: as laws write them)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    out = ""
    for value, name in ((1000, "千"), (100, "百"), (10, "十")):
        d, n = divmod(n, value)
        if d:
            out += digits[d] + name
        elif out and n:
            out += "零" if not out.endswith("零") else ""
    return out + (digits[n] if n else "")


def run_case(case: str) -> None:
    """Child process: parse one case's text, print a JSON line of its figures: the time of one parse, then
    the peak of the memory a second parse allocates (tracemalloc, as for the 10 MB document above; the
    process's peak RSS cannot tell: building the case text may have set it already)."""
    import gc

    text = _case_text(case)
    size = len(text.encode("utf-8"))
    parse_text("第一条 预热。", name="warm")  # imports and caches are not the case's cost
    t0 = time.perf_counter()
    doc = parse_text(text, name=case)
    seconds = time.perf_counter() - t0
    clauses = len(doc.clauses)
    del doc
    gc.collect()
    tracemalloc.start()
    parse_text(text, name=case)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(json.dumps({"bytes": size, "seconds": seconds, "peak_growth": peak, "clauses": clauses}))


def adversarial(timeout: float, cases: list[str] | None = None) -> None:
    print(f"adversarial set (each case in its own process, at most {timeout:.0f} s; targets >= 1 MB/s, <= 10x memory):")
    for case in cases or ADVERSARIAL:
        t0 = time.perf_counter()
        try:
            res = subprocess.run(
                [sys.executable, __file__, "--case", case], check=False, capture_output=True, text=True, timeout=timeout, env={**os.environ, "PYTHONHASHSEED": "0"}
            )
        except subprocess.TimeoutExpired:
            print(f"  {case:24s} timeout (> {timeout:.0f} s)")
            continue
        if res.returncode != 0:
            print(f"  {case:24s} failed: {(res.stderr.strip().splitlines() or ['?'])[-1]}  ({time.perf_counter() - t0:.1f} s)")
            continue
        r = json.loads(res.stdout.strip().splitlines()[-1])
        mb = r["bytes"] / 1e6
        flag = "" if mb / r["seconds"] >= 1 and r["peak_growth"] <= 10 * r["bytes"] else "  <- misses a target"
        print(
            f"  {case:24s} {mb:5.2f} MB  {r['seconds']:7.2f} s  {mb / r['seconds']:6.2f} MB/s  "
            f"peak +{r['peak_growth'] / 1e6:7.1f} MB = {r['peak_growth'] / r['bytes']:5.1f}x input  ({r['clauses']} clauses){flag}"
        )


if __name__ == "__main__":
    main()
