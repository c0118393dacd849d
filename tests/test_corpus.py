"""Corpus index, lineage and clause search (fast: seeds plus a 60-document synthetic corpus)."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from policydiff.corpus import build_index, find_lineage, lineage_graphml, lineage_html, lineage_rows, parent_edges, search_clauses
from policydiff.corpus.index import ngram_hashes

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
MAKE_CORPUS = ROOT / "benchmarks" / "make_corpus.py"


@pytest.fixture(scope="module")
def seed_index(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    src = tmp_path_factory.mktemp("seeds")
    for p in RAW.glob("*.txt"):
        shutil.copy(p, src / p.name)
    out = tmp_path_factory.mktemp("index")
    stats = build_index(src, out, workers=1)
    assert stats.parsed + stats.failed == len(list(RAW.glob("*.txt")))
    return src, out


def test_seed_lineage(seed_index: tuple[Path, Path]) -> None:
    _, out = seed_index
    edges = parent_edges(find_lineage(out, workers=1))
    e = edges["xinzheng-2023-highland-plan"]
    assert e.relation == "implements" and e.decided_by == "citation"
    assert e.parent == "zhengzhou-2022-highland-plan"
    assert e.citation and e.reuse_share > 0.3
    assert "kaifeng-2021-expansion-plan" not in edges
    rows = lineage_rows(list(edges.values()))
    assert rows and set(rows[0]) >= {"child", "parent", "citation", "reuse_share", "score"}
    import xml.etree.ElementTree as ET

    ET.fromstring(lineage_graphml(list(edges.values()), ["kaifeng-2021-expansion-plan"]))
    html = lineage_html(list(edges.values()))
    assert "<svg" in html and "zhengzhou-2022-highland-plan" in html


def test_cli_lineage_html_links_reports(seed_index: tuple[Path, Path], tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from policydiff.cli import app

    _, out = seed_index
    reports = tmp_path / "reports"
    res = CliRunner().invoke(app, ["lineage", str(out), "--format", "html", "--reports", str(reports)])
    assert res.exit_code == 0, res.output
    report = reports / "zhengzhou-2022-highland-plan__xinzheng-2023-highland-plan.html"
    assert report.exists() and "<html" in report.read_text(encoding="utf-8").lower()
    assert f'href="{reports.as_posix()}/{report.name}"' in res.stdout
    assert "kaifeng-2021-expansion-plan" in res.stdout  # roots are drawn too
    csv_out = CliRunner().invoke(app, ["lineage", str(out), "--format", "csv"])
    rows = list(csv.DictReader(csv_out.stdout.splitlines()))
    assert [(r["parent"], r["child"], r["relation"], r["citation"]) for r in rows] == [
        ("zhengzhou-2022-highland-plan", "xinzheng-2023-highland-plan", "implements", "《郑州市人民政府办公厅关于印发郑州市职业教育创新发展高地建设实施方案的通知》（郑政办〔2022〕91号）")
    ]


def test_incremental(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    seeds = sorted(RAW.glob("*.txt"))
    for p in seeds[:-1]:
        shutil.copy(p, src / p.name)
    out = tmp_path / "ix"
    first = build_index(src, out, workers=1)
    assert first.parsed + first.failed == len(seeds) - 1
    before = {p.name: p.stat().st_mtime_ns for p in (out / "docs").iterdir()}
    shutil.copy(seeds[-1], src / seeds[-1].name)
    again = build_index(src, out, workers=1)
    # only the new file is parsed; the others are reused by sha256 and their JSON is untouched
    assert (again.parsed + again.failed, again.reused, again.removed) == (1, len(seeds) - 1, 0)
    assert {p.name: p.stat().st_mtime_ns for p in (out / "docs").iterdir() if p.name in before} == before
    names = {r["name"] for r in pq.read_table(out / "documents.parquet").to_pylist()}
    assert seeds[-1].stem in names and len(names) == again.total
    assert set(pq.read_table(out / "ngrams.parquet")["name"].to_pylist()) == names
    (src / seeds[0].name).unlink()
    third = build_index(src, out, workers=1)
    assert (third.parsed, third.removed) == (0, 1)
    assert not (out / "docs" / f"{seeds[0].stem}.json.zst").exists()
    assert seeds[0].stem not in set(pq.read_table(out / "clauses.parquet")["doc"].to_pylist())


def test_progress_bar(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for p in sorted(RAW.glob("*.txt"))[:2]:
        shutil.copy(p, src / p.name)
    build_index(src, tmp_path / "ix", workers=1, progress=True)
    err = capsys.readouterr().err
    assert "2/2" in err and "files" in err and "left" in err


def test_ngram_hashes() -> None:
    a = ngram_hashes("职业教育创新发展高地建设实施方案" * 20, sample=1)
    b = ngram_hashes("职业教育创新发展高地建设实施方案" * 20)
    assert a.dtype == np.uint64 and np.all(np.diff(a.astype(np.float64)) > 0)  # sorted, unique
    assert set(b.tolist()) <= set(a.tolist())  # the sample is a consistent subset
    assert len(ngram_hashes("短")) <= 1 and len(ngram_hashes("")) == 0


def test_news_lead_metadata(tmp_path: Path) -> None:
    """A news report names its notice's date, title and number in its lead: not a citation of itself."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "news.txt").write_text(
        "2019年5月30日，开封市印发《开封市技能社会建设行动方案（2019—2025年）》（汴政〔2019〕103号）。\n"
        "《方案》提出2项重点任务：\n"
        "为贯彻落实《河南省职业教育改革实施方案》（豫政〔2019〕23号）精神，制定本方案。\n"
        "一、总体要求\n1.加快发展职业教育，到2025年建成一批高水平学校。\n2.完善产教融合机制，建设实训基地。\n",
        encoding="utf-8",
    )
    out = tmp_path / "ix"
    build_index(src, out, workers=1)
    doc = pq.read_table(out / "documents.parquet").to_pylist()[0]
    assert (doc["date"], doc["doc_number"], doc["doc_year"]) == ("2019-05-30", "汴政〔2019〕103号", 2019)
    assert doc["plan_title"] == "开封市技能社会建设行动方案（2019—2025年）"
    numbers = [c["number"] for c in pq.read_table(out / "citations.parquet").to_pylist()]
    assert "豫政〔2019〕23号" in numbers and "汴政〔2019〕103号" not in numbers


def test_search(seed_index: tuple[Path, Path]) -> None:
    _, out = seed_index
    hits = search_clauses(out, "xinzheng-2023-highland-plan:6", top=5)
    top2 = {(h.doc, h.label) for h in hits[:2]}
    assert top2 == {("xinzheng-2023-highland-plan", "6"), ("zhengzhou-2022-highland-plan", "8")}
    assert hits[0].similarity == 1.0 and len(hits) == 5
    assert search_clauses(out, "") == [] and search_clauses(out, "，：") == []  # folds to nothing
    assert [h.similarity for h in search_clauses(out, "职业教育", top=3)] == [0.9, 0.9, 0.9]  # found inside longer clauses


def _edited(text: str) -> str:
    """A lightly modified clause: every 13th character replaced, a short span dropped."""
    chars = ["的" if i % 13 == 6 else c for i, c in enumerate(text)]
    cut = len(chars) // 2
    return "".join(chars[:cut] + chars[cut + 4 :])


@pytest.mark.slow
def test_search_prefilter_equals_scan(synthetic: tuple[Path, Path]) -> None:
    """The bigram prefilter returns exactly the full scan's top-k: clauses, edited clauses, excerpts, short text."""
    from policydiff.corpus.search import ClauseSearcher

    _, out = synthetic
    s = ClauseSearcher(out)
    picks = np.random.default_rng(0).choice(s.n, 8, replace=False)
    queries = []
    for i in picks:
        t = s.clause_text(int(i))
        queries += [t, _edited(t), t[len(t) // 3 : len(t) // 3 + 15], t[:3], t[:1]]
    for q in queries:
        rows, sims = s.search_rows(q, 10)
        ref_rows, ref_sims = s.search_rows(q, 10, scan=True)
        assert rows.tolist() == ref_rows.tolist() and sims.tolist() == ref_sims.tolist(), q


def test_search_clause_reference(synthetic: tuple[Path, Path]) -> None:
    _, out = synthetic
    clause = pq.read_table(out / "clauses.parquet", columns=["doc", "clause_id", "label"]).slice(7, 1).to_pylist()[0]
    for key in (clause["clause_id"], clause["label"]):
        hits = search_clauses(out, f"some/dir/{clause['doc']}.txt:{key}", top=3)
        assert (hits[0].doc, hits[0].clause_id, hits[0].similarity) == (clause["doc"], clause["clause_id"], 1.0)


def test_search_structure_rebuilt(tmp_path: Path) -> None:
    """`index` writes search/; a search after it was removed, or after a re-index, sees the current clauses."""
    from typer.testing import CliRunner

    from policydiff.cli import app

    src = tmp_path / "src"
    src.mkdir()
    seeds = sorted(RAW.glob("*.txt"))
    shutil.copy(seeds[0], src / seeds[0].name)
    out = tmp_path / "ix"
    build_index(src, out, workers=1)
    meta = json.loads((out / "search" / "meta.json").read_text(encoding="utf-8"))
    assert meta["rows"] == pq.read_metadata(out / "clauses.parquet").num_rows
    shutil.rmtree(out / "search")
    assert search_clauses(out, "职业教育", top=2) and (out / "search" / "meta.json").exists()
    shutil.copy(seeds[1], src / seeds[1].name)
    build_index(src, out, workers=1)
    clauses = pq.read_table(out / "clauses.parquet")
    first = clauses.filter(pc.equal(clauses["doc"], seeds[1].stem)).slice(0, 1).to_pylist()[0]
    hits = search_clauses(out, first["policy_text"], top=1)
    assert (hits[0].doc, hits[0].similarity) == (seeds[1].stem, 1.0)
    res = CliRunner().invoke(app, ["search", str(out), f"{seeds[1].stem}:{first['clause_id']}", "--top", "2"])
    assert res.exit_code == 0 and "1.00" in res.stdout


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if not MAKE_CORPUS.exists():
        pytest.skip("benchmarks/make_corpus.py not available")
    src = tmp_path_factory.mktemp("synth")
    subprocess.run([sys.executable, str(MAKE_CORPUS), "60", "--out", str(src), "--seed", "3"], check=True, capture_output=True)
    out = tmp_path_factory.mktemp("synth_ix")
    build_index(src, out, workers=2)
    return src, out


def test_synthetic_recall(synthetic: tuple[Path, Path]) -> None:
    src, out = synthetic
    truth = {r["doc"]: r["parent"] for r in csv.DictReader((src / "truth.csv").open(encoding="utf-8"))}
    edges = list(parent_edges(find_lineage(out, workers=2)).values())
    got = {e.child: e.parent for e in edges}
    children = [d for d, p in truth.items() if p]
    ok = sum(got.get(d) == truth[d] for d in children)
    assert ok / len(children) >= 0.95 and ok / len(got) >= 0.95
    assert all(e.inherited_clauses > 0 and 0 < e.reuse_share <= 1 and e.date_order == "before" for e in edges)


@pytest.mark.slow
def test_dask_matches_local(synthetic: tuple[Path, Path], tmp_path: Path) -> None:
    """Dask (a LocalCluster with two workers) parses and compares as the process pool does: same tables, same edges."""
    pytest.importorskip("dask.distributed")
    src, out = synthetic
    local = find_lineage(out, workers=2)
    dask_ix = tmp_path / "dask_ix"
    build_index(src, dask_ix, engine="dask", workers=2)
    for table, key in (("documents", "name"), ("clauses", "doc"), ("ngrams", "name"), ("citations", "doc")):
        # rows come in the order workers finish: compare them sorted
        a, b = (pq.read_table(ix / f"{table}.parquet").to_pylist() for ix in (out, dask_ix))
        assert sorted(a, key=lambda r: (r[key], str(r))) == sorted(b, key=lambda r: (r[key], str(r)))
    dask = find_lineage(dask_ix, engine="dask", workers=2)
    assert [(e.child, e.parent, e.inherited_clauses, e.reuse_share) for e in dask] == [
        (e.child, e.parent, e.inherited_clauses, e.reuse_share) for e in local
    ]
