"""Hold-out evaluation of the structure stage on real laws and regulations (issue 11).

Each markdown document is parsed with `policydiff.parse_file` and compared with references taken from the raw
text by independent heuristics (no policydiff code):

- articles: paragraphs after `<!-- INFO END -->` (the whole file without it) starting with 第X条 or 第X条之Y
  followed by a space or the line end, so that a wrapped history line such as `第三十一条的决定》第一次修正` or a
  quoted article (“第X条…) is not one; a label typed `第X 条…` (space before 条) counts too;
  also articles run into the paragraph before them after a sentence end (`…决定。 第十六条…`) where the line-start
  numbers skip exactly those (lost line breaks; up to 30 in a row);
- title: the first `# ` line;
- items: paragraphs starting （一） / (一) right after a paragraph of the same article that ends in ：or :.

Prints the share of documents whose parsed article count equals the reference, the share of articles with items
whose parsed clause contains them, the articles nested in another article or under an item, the share of titles
right, documents that lost a sentence of the source, documents whose parse raised, and the parse throughput.

The corpus defaults to the LawRefBook/Laws mirror (read from git, HEAD), a deterministic sample of 400 documents
that leaves out the fixture files of tests/fixtures/genres. The mirror is not part of this repository.

usage: python benchmarks/eval_genres.py [--git REPO | --root DIR] [--sample N | --all] [--show K]
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import re
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import policydiff
from policydiff.errors import PolicydiffError

ROOT = Path(__file__).resolve().parent.parent
MIRROR = Path("/work/.mirror/LawRefBook+Laws/repo")
SOURCES = ROOT / "tests" / "fixtures" / "genres" / "SOURCES.tsv"

CN = "零〇一二三四五六七八九十百千两"
ARTICLE_RE = re.compile(rf"^第([{CN}]+)条(之[一二三四五六七八九十]+)?(?:\s|$)")
# The same label with its space typed before 条 instead of after it (第一百二十四 条采用…, 8 lines in the mirror).
ARTICLE_TYPO_RE = re.compile(rf"^第([{CN}]+) +条()(?=[^\s之的])")
RUN_IN_RE = re.compile(rf"[。；！？][ \t\u3000]*第([{CN}]+)条")
ITEM_RE = re.compile(r"^[（(]([一二三四五六七八九十]+)[）)]")
HEADING_RE = re.compile(r"^#{1,6}\s")
TITLE_RE = re.compile(r"^# (.+)$", re.MULTILINE)
MARKER = "<!-- INFO END -->"
COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)
TABLE_RULE_RE = re.compile(r"^\s*\|?[\s:|-]*-{3,}[\s:|-]*$", re.MULTILINE)
SPLIT_RE = re.compile(r"[。！？\n]")
SPACE_RE = re.compile(r"\s+")
ITEM_LIKE_SECTION_STYLES = {"cn-paren", "arabic", "arabic-paren", "circled"}
# Width forms the normalizer may unify, folded the same way on both sides of a comparison.
FOLD = str.maketrans(
    {
        ",": "，",
        ":": "：",
        ";": "；",
        "!": "！",
        "?": "？",
        "(": "（",
        ")": "）",
        **{chr(c): chr(c - 0xFEE0) for c in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))},
    }
)
_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_UNITS = {"十": 10, "百": 100, "千": 1000}


def cn_number(text: str) -> int:
    total = digit = 0
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        else:
            total += (digit or (1 if ch == "十" else 0)) * _UNITS[ch]
            digit = 0
    return total + digit


def canon(text: str) -> str:
    return SPACE_RE.sub("", text.translate(FOLD)).replace("|", "")


@dataclass
class RefArticle:
    key: tuple[int, str]  # (number, 之Y suffix)
    items: list[str] = field(default_factory=list)  # item texts without their labels


@dataclass
class Reference:
    title: str | None
    articles: list[RefArticle]
    sentences: list[str]


def reference(raw: str) -> Reference:
    m = TITLE_RE.search(raw)
    title = m.group(1).strip() if m else None
    at = raw.find(MARKER)
    body = raw[at + len(MARKER) :] if at >= 0 else raw
    arts: list[RefArticle] = []
    current: RefArticle | None = None
    prev_colon = False  # the previous paragraph of this article ended in a colon, or is an item of that run
    for line in body.split("\n"):
        para = line.strip(" \t\u3000")
        if not para:
            continue
        am = ARTICLE_RE.match(para) or ARTICLE_TYPO_RE.match(para)
        if am:
            current = RefArticle((cn_number(am.group(1)), am.group(2) or ""))
            arts.append(current)
            prev_colon = para.endswith(("：", ":"))
            continue
        if HEADING_RE.match(para):
            current, prev_colon = None, False
            continue
        if current is None:
            continue
        im = ITEM_RE.match(para)
        if im and prev_colon:
            current.items.append(para[im.end() :])
            continue
        prev_colon = para.endswith(("：", ":"))
    # An article whose line break was lost (`…决定。 第十六条市人民…`) where the numbers skip exactly it.
    run_in = {cn_number(m.group(1)) for m in RUN_IN_RE.finditer(body)}
    for k in range(len(arts) - 1, 0, -1):
        (a, sa), (b, sb) = arts[k - 1].key, arts[k].key
        missing = range(a + 1, b)
        if not sa and not sb and 0 < len(missing) <= 30 and all(n in run_in for n in missing):
            arts[k:k] = [RefArticle((n, "")) for n in missing]
    text = TABLE_RULE_RE.sub("", COMMENT_RE.sub("\n", raw))
    sentences = [s for s in (canon(p.lstrip().lstrip("#")) for p in SPLIT_RE.split(text)) if len(s) >= 4]
    return Reference(title, arts, sentences)


def _item_text(item: Any) -> str:
    return item if isinstance(item, str) else str(getattr(item, "text", ""))


def _clause_key(clause: Any) -> tuple[int, str]:
    label = str(clause.label)
    at = label.find("之")
    return (clause.number if clause.number is not None else -1, label[at:] if at >= 0 else "")


@dataclass
class Tally:
    docs: int = 0
    raised: int = 0
    count_right: int = 0
    title_right: int = 0
    lost_docs: int = 0
    with_items: int = 0
    items_kept: int = 0
    nested: int = 0
    ref_articles: int = 0
    parsed_articles: int = 0
    raw_bytes: int = 0
    seconds: float = 0.0
    examples: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter[str] = field(default_factory=Counter)


def evaluate(path: Path, shown_as: str, tally: Tally, group: Tally, show: int) -> None:
    raw = path.read_text(encoding="utf-8", errors="replace")
    ref = reference(raw)
    for t in (tally, group):
        t.docs += 1
        t.raw_bytes += len(raw.encode("utf-8"))
        t.ref_articles += len(ref.articles)
    start = time.perf_counter()
    try:
        doc = policydiff.parse_file(path)
    except Exception as exc:  # noqa: BLE001 -- one bad document never stops the run: counted and shown
        elapsed = time.perf_counter() - start
        for t in (tally, group):
            t.raised += 1
            t.seconds += elapsed
            t.errors[type(exc).__name__] += 1
        if len(tally.examples["raised"]) < show:
            tally.examples["raised"].append(f"{shown_as}: {type(exc).__name__}: {str(exc).replace(str(path), shown_as)[:160]}")
        if not isinstance(exc, PolicydiffError) and tally.errors[type(exc).__name__] <= 3:
            traceback.print_exc(limit=4, file=sys.stderr)  # a crash, not a refusal: show where
        return
    elapsed = time.perf_counter() - start
    arts = [c for c in doc.clauses if c.style == "article"]
    by_key: dict[tuple[int, str], list[Any]] = defaultdict(list)
    for c in arts:
        by_key[_clause_key(c)].append(c)
    seen: Counter[tuple[int, str]] = Counter()
    items_kept = with_items = 0
    for ra in ref.articles:
        nth = seen[ra.key]
        seen[ra.key] += 1
        if not ra.items:
            continue
        with_items += 1
        found = by_key.get(ra.key, [])
        if nth < len(found):
            clause = found[nth]
            text = canon(clause.text)
            if len(clause.items) >= len(ra.items) and all(canon(i)[:20] in text for i in ra.items):
                items_kept += 1
                continue
        if len(tally.examples["items"]) < show:
            got = f"{len(found[nth].items)} items" if nth < len(found) else "no such article"
            tally.examples["items"].append(f"{shown_as}: article {ra.key[0]}{ra.key[1]} has {len(ra.items)} items, parsed {got}")
    ordered = sorted(arts, key=lambda c: c.span.start)
    nested = sum(1 for a, b in itertools.pairwise(ordered) if b.span.start < a.span.end)
    nested += sum(
        1 for s in doc.iter_sections() if s.style in ITEM_LIKE_SECTION_STYLES for c in s.clauses if c.style == "article"
    )
    kept = canon(doc.text) + "\x00" + "\x00".join(canon(d.text) for d in doc.dropped)
    lost = [s for s in ref.sentences if s not in kept]
    title_ok = ref.title is not None and doc.metadata.title is not None and canon(doc.metadata.title) == canon(ref.title)
    for t in (tally, group):
        t.seconds += elapsed
        t.parsed_articles += len(arts)
        t.count_right += len(arts) == len(ref.articles)
        t.title_right += title_ok
        t.lost_docs += bool(lost)
        t.with_items += with_items
        t.items_kept += items_kept
        t.nested += nested
    ex = tally.examples
    if len(arts) != len(ref.articles) and len(ex["count"]) < show:
        ex["count"].append(f"{shown_as}: parsed {len(arts)}, reference {len(ref.articles)}")
    if not title_ok and len(ex["title"]) < show:
        ex["title"].append(f"{shown_as}: parsed {doc.metadata.title!r}, reference {ref.title!r}")
    if lost and len(ex["lost"]) < show:
        ex["lost"].append(f"{shown_as}: {len(lost)} lost, e.g. {lost[0][:60]}")
    if nested and len(ex["nested"]) < show:
        ex["nested"].append(f"{shown_as}: {nested} nested articles")


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} = {part / whole:.1%}" if whole else "n/a (none)"


def _pct(part: int, whole: int) -> str:
    return f"{part / whole:>7.1%}" if whole else "    n/a"


def report(t: Tally, groups: dict[str, Tally]) -> None:
    print(f"documents: {t.docs} ({t.raw_bytes / 1e6:.1f} MB), reference articles: {t.ref_articles}, parsed articles: {t.parsed_articles}")
    print(f"  article count equals the reference:    {_share(t.count_right, t.docs)} (a raised parse counts as wrong)")
    print(f"  articles with items that contain them: {_share(t.items_kept, t.with_items)}")
    print(f"  articles nested in another or under an item: {t.nested}")
    print(f"  titles right:                          {_share(t.title_right, t.docs)}")
    print(f"  documents that lost a sentence:        {t.lost_docs}")
    print(f"  documents whose parse raised:          {t.raised} {dict(t.errors) if t.errors else ''}")
    rate = t.raw_bytes / 1e6 / t.seconds if t.seconds else 0.0
    print(f"  parse throughput:                      {rate:.2f} MB/s, {t.docs / t.seconds if t.seconds else 0:.0f} documents/s")
    print("\nby folder: docs | count right | items kept | titles right | raised")
    for name, g in sorted(groups.items(), key=lambda kv: -kv[1].docs):
        print(f"  {name:<12}\t{g.docs:>4} | {_pct(g.count_right, g.docs)} | {_pct(g.items_kept, g.with_items)} | {_pct(g.title_right, g.docs)} | {g.raised}")
    for kind, lines in t.examples.items():
        if lines:
            print(f"\nexamples ({kind}):")
            for line in lines:
                print(f"  {line}")


def _fixture_exclusions() -> tuple[set[str], set[str]]:
    """Mirror paths and blob ids of the fixture files: the evaluation never scores on them."""
    paths: set[str] = set()
    blobs: set[str] = set()
    if SOURCES.exists():
        for line in SOURCES.read_text(encoding="utf-8").splitlines()[1:]:
            cols = line.split("\t")
            if len(cols) == 4 and cols[1].endswith("LawRefBook/Laws"):
                paths.add(cols[3])
                blobs.add(_blob_id((SOURCES.parent / cols[0]).read_bytes()))
    return paths, blobs


def _blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\x00" % len(data) + data).hexdigest()


def _wanted(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return path.endswith(".md") and not path.startswith(("scripts/", ".")) and name not in {"_index.md", "README.md", "法律法规模版.md"}


def _order(path: str) -> str:
    return hashlib.sha1(path.encode("utf-8")).hexdigest()  # a fixed shuffle: the same sample on every run


def corpus_from_git(repo: Path, sample: int | None, workdir: Path) -> list[tuple[Path, str]]:
    listing = subprocess.run(
        ["git", "-C", str(repo), "ls-tree", "-r", "-z", "HEAD"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    skip_paths, skip_blobs = _fixture_exclusions()
    entries = []
    for rec in listing.split("\0"):
        if not rec:
            continue
        meta, path = rec.split("\t", 1)
        blob = meta.split()[2]
        if _wanted(path) and path not in skip_paths and blob not in skip_blobs:
            entries.append((path, blob))
    entries.sort(key=lambda e: _order(e[0]))
    if sample is not None:
        entries = entries[:sample]
    blobs = subprocess.run(
        ["git", "-C", str(repo), "cat-file", "--batch"],
        input="".join(f"{b}\n" for _, b in entries).encode(),
        capture_output=True,
        check=True,
    ).stdout
    out = []
    pos = 0
    for i, (path, _) in enumerate(entries):
        header_end = blobs.index(b"\n", pos)
        size = int(blobs[pos:header_end].split()[2])
        data = blobs[header_end + 1 : header_end + 1 + size]
        pos = header_end + 1 + size + 1
        target = workdir / f"{i:05d}.md"
        target.write_bytes(data)
        out.append((target, path))
    return out


def corpus_from_dir(root: Path, sample: int | None) -> list[tuple[Path, str]]:
    files = sorted((p for p in root.rglob("*.md") if _wanted(p.relative_to(root).as_posix())), key=lambda p: _order(str(p)))
    if sample is not None:
        files = files[:sample]
    return [(p, p.relative_to(root).as_posix()) for p in files]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    src = ap.add_mutually_exclusive_group()
    src.add_argument("--git", type=Path, default=None, help=f"a git repository of markdown laws, read at HEAD (default {MIRROR})")
    src.add_argument("--root", type=Path, default=None, help="a folder of .md files instead of a git repository")
    size = ap.add_mutually_exclusive_group()
    size.add_argument("--sample", type=int, default=400, help="documents in the fixed pseudo-random sample (default 400)")
    size.add_argument("--all", action="store_true", help="every document")
    ap.add_argument("--show", type=int, default=8, help="examples shown per kind of miss")
    args = ap.parse_args()
    sample = None if args.all else args.sample
    with tempfile.TemporaryDirectory(prefix="eval-genres-") as tmp:
        if args.root is not None:
            corpus = corpus_from_dir(args.root, sample)
        else:
            repo = args.git or MIRROR
            if not repo.exists():
                sys.exit(f"Error: {repo} not found; give --git REPO (a clone of github.com/LawRefBook/Laws) or --root DIR.")
            corpus = corpus_from_git(repo, sample, Path(tmp))
        tally = Tally()
        groups: dict[str, Tally] = defaultdict(Tally)
        for path, shown_as in corpus:
            top = shown_as.split("/", 1)[0] if "/" in shown_as else "."
            evaluate(path, shown_as, tally, groups[top], args.show)
        report(tally, groups)


if __name__ == "__main__":
    main()
