"""benchmarks/make_corpus.py: the synthetic lineage corpus (fast: 40 documents, built once)."""

from __future__ import annotations

import csv
import importlib.util
import os
import random
import re
import statistics
import subprocess
import sys
import unicodedata
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "benchmarks" / "make_corpus.py"
N, SEED = 40, 5
# A document's own number is the first one in it; citations of other plans come later.
DOCNO = re.compile(r"(?<![\u4e00-\u9fff])[\u4e00-\u9fff]{1,4}〔\d{4}〕\d+号")


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_corpus", SCRIPT)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["make_corpus"] = mod  # dataclasses look the module up while the class is made
    spec.loader.exec_module(mod)
    return mod


mc = _load()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    assert mc.main([str(N), "--out", str(out), "--seed", str(SEED)]) == 0
    return out


@pytest.fixture(scope="module")
def truth(corpus: Path) -> list[dict[str, str]]:
    with (corpus / "truth.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def texts(corpus: Path, truth: list[dict[str, str]]) -> dict[str, str]:
    return {r["doc"]: (corpus / f"{r['doc']}.txt").read_text(encoding="utf-8") for r in truth}


def flat(text: str) -> str:
    """What a comparison sees: no layout whitespace, full/half-width folded."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def shingles(text: str, k: int = 8) -> set[str]:
    t = flat(text)
    return {t[i : i + k] for i in range(len(t) - k + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b)


def test_files_and_truth(corpus: Path, truth: list[dict[str, str]]) -> None:
    names = sorted(p.name for p in corpus.iterdir())
    assert names == sorted([f"{r['doc']}.txt" for r in truth] + ["truth.csv"])
    assert len(truth) == N
    assert list(truth[0]) == ["doc", "parent", "family", "cites_parent", "level", "date"]
    docs = {r["doc"] for r in truth}
    roots = [r for r in truth if not r["parent"]]
    assert roots and len(roots) < N // 2
    for r in truth:
        assert re.fullmatch(r"d\d{6}", r["doc"])
        assert r["parent"] == "" or r["parent"] in docs
        assert (r["level"] == "0") == (r["parent"] == "")
    # one root per family, and every family is a tree hanging from it
    assert len({r["family"] for r in truth}) == len(roots)


def test_deterministic_across_processes(corpus: Path, tmp_path: Path) -> None:
    # another process with another hash seed: no set order or hash() may leak into the output
    env = dict(os.environ, PYTHONHASHSEED="123")
    cmd = [sys.executable, str(SCRIPT), str(N), "--out", str(tmp_path), "--seed", str(SEED)]
    subprocess.run(cmd, check=True, env=env, capture_output=True)
    for p in sorted(corpus.iterdir()):
        assert (tmp_path / p.name).read_bytes() == p.read_bytes(), p.name
    other = tmp_path / "other"
    mc.main([str(N), "--out", str(other), "--seed", str(SEED + 1)])
    assert (other / "truth.csv").read_bytes() != (corpus / "truth.csv").read_bytes()


def test_children_dated_after_parent(truth: list[dict[str, str]], texts: dict[str, str]) -> None:
    info = {r["doc"]: r for r in truth}
    for r in truth:
        if r["parent"]:
            p = info[r["parent"]]
            assert p["date"] < r["date"]
            assert int(r["level"]) == int(p["level"]) + 1
            assert p["family"] == r["family"]
        # the truth date is written in the document (印发 line, signature or news lead)
        y, m, d = (int(x) for x in r["date"].split("-"))
        assert f"{y}年{m}月{d}日" in texts[r["doc"]] or f"{y}年 {m}月 {d} 日" in texts[r["doc"]]


def test_citations_match_parent_numbers(truth: list[dict[str, str]], texts: dict[str, str]) -> None:
    own = {}
    for doc, t in texts.items():
        m = DOCNO.search(t)
        assert m, doc
        own[doc] = m.group(0)
    assert len(set(own.values())) == len(own), "document numbers are unique"
    children = [r for r in truth if r["parent"]]
    citing = [r for r in children if r["cites_parent"] == "1"]
    assert 0.35 <= len(citing) / len(children) <= 0.65
    for r in children:
        cited = own[r["parent"]] in flat(texts[r["doc"]])
        assert cited == (r["cites_parent"] == "1"), r["doc"]
    titles = [re.search(r"印发《([^》]+)》|^《([^》]+)》", t, re.MULTILINE) for t in texts.values()]
    assert len({m.group(0) for m in titles if m}) == sum(1 for m in titles if m), "titles are unique"


def test_children_reuse_their_parent(truth: list[dict[str, str]], texts: dict[str, str]) -> None:
    sh = {d: shingles(t) for d, t in texts.items()}
    fam = {r["doc"]: r["family"] for r in truth}
    rng = random.Random(0)
    parent_j, other_j, sibling_j = [], [], []
    for r in truth:
        if not r["parent"]:
            continue
        c = r["doc"]
        jp = jaccard(sh[c], sh[r["parent"]])
        strangers = [d for d in texts if fam[d] != fam[c]]
        for o in rng.sample(strangers, min(5, len(strangers))):
            jo = jaccard(sh[c], sh[o])
            assert jp > jo, (c, o)
            other_j.append(jo)
        parent_j.append(jp)
        sibling_j += [jaccard(sh[c], sh[s["doc"]]) for s in truth if s["parent"] == r["parent"] and s["doc"] != c]
    assert statistics.mean(parent_j) > 3 * statistics.mean(other_j)
    assert statistics.mean(parent_j) > statistics.mean(other_j) + 0.2
    # siblings share the parent's text, but less of it than the parent itself
    assert sibling_j and statistics.mean(parent_j) > statistics.mean(sibling_j)


def test_surface_noise_occurs(texts: dict[str, str]) -> None:
    allt = "\n".join(texts.values())
    patterns = {
        "page number": r"^—\s+\d+\s+—$",
        "markdown heading": r"^#{1,4} \S",
        "web noise": r"^头条 \d\d-\d\d-\d\d$",
        "responsible units": r"（责任单位：|等按职责分工负责|牵头负责",
        "PDF spacing": r" 、 |\S  ,  \S",
        "header": r"^\S+人民政府(办公室|办公厅)?文件$",
        "addressees": r"^各\S+：$",
        "footer": r"^主办：|^抄送：",
        "print date": r"^\d{4}年\d{1,2}月\d{1,2}日印发$",
        "half-width brackets": r"\([一二三四五]\)",
        "full-width brackets": r"（[一二三四五]）",
        "numbered clause": r"^(#+\s*)?\d+\s*[.．、]\s*\S",
        "chinese heading": r"^(#+\s*)?[一二三四五]、",
        "doc number": r"^\S{1,4}〔\d{4}〕\d+号$",
        "parent citation": r"为(深入|认真)?贯彻落实《",
    }
    for what, rx in patterns.items():
        assert re.search(rx, allt, re.MULTILINE), what
    # a page break in mid-sentence: a line cut without punctuation, then blank lines
    assert re.search(r"[\u4e00-\u9fff]\n\n+[\u4e00-\u9fff]", allt)
    # no marker characters may survive rendering
    assert not re.search("[\ue000-\ue0ff]", allt)


def test_seed_parse() -> None:
    places = mc.build_places()
    templates, pool = mc.load_seeds(mc.DEFAULT_SEEDS, places)
    by = {t.name: t for t in templates}
    assert set(by) == {
        "kaifeng-2021-expansion-plan",
        "xinzheng-2023-highland-plan",
        "zhengzhou-2022-highland-plan",
        "zhengzhou-2023-specialty-opinions",
    }
    assert by["zhengzhou-2022-highland-plan"].content.clause_count() == 25
    assert by["xinzheng-2023-highland-plan"].content.clause_count() == 23
    assert by["xinzheng-2023-highland-plan"].style.continuous and not by["kaifeng-2021-expansion-plan"].style.continuous
    assert by["zhengzhou-2022-highland-plan"].style == mc.Style(".", h2_half=True, continuous=True)
    assert by["kaifeng-2021-expansion-plan"].content.unit_form == 1
    assert by["zhengzhou-2023-specialty-opinions"].kind == "意见"
    # "14.5 万人" after a page break is not clause 14
    kf = by["kaifeng-2021-expansion-plan"].content
    assert any("14.5万人" in "".join(p) for s in kf.walk() for p in s.body)
    assert len(pool) > 300


def test_cli_summary(tmp_path: Path) -> None:
    cmd = [sys.executable, str(SCRIPT), "12", "--out", str(tmp_path / "c"), "--seed", "2"]
    r = subprocess.run(cmd, check=True, capture_output=True, text=True)
    line = r.stdout.strip()
    assert "\n" not in line and re.search(r"docs=12 families=\d+ roots=\d+ .*time=[\d.]+s", line)
    bad = subprocess.run([sys.executable, str(SCRIPT), "0", "--out", str(tmp_path / "z")], check=False, capture_output=True, text=True)
    assert bad.returncode != 0
    # a rerun replaces the corpus; a folder with other files is refused, not cleared
    mc.main(["5", "--out", str(tmp_path / "c"), "--seed", "2"])
    assert len(list((tmp_path / "c").glob("d*.txt"))) == 5
    (tmp_path / "c" / "notes.md").write_text("mine", encoding="utf-8")
    with pytest.raises(SystemExit):
        mc.main(["5", "--out", str(tmp_path / "c"), "--seed", "2"])
    assert (tmp_path / "c" / "notes.md").exists()
