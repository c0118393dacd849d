"""compare for research and legal work (issue 13): headline numbers outside clauses, comparators in every
format, numbers grouped across relation rows, related pairs, the date-order warning, three-document detail,
and the 新旧对照表 in Word and Excel."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import policydiff
from policydiff.align.related import load_concepts, parse_concepts
from policydiff.cli import app
from policydiff.errors import CorruptFileError
from policydiff.render.alignment import alignment_csv, alignment_terminal
from policydiff.render.html import alignment_html
from policydiff.render.markdown import alignment_markdown, multi_markdown
from policydiff.render.multi import multi_html
from policydiff.render.redline import redline_docx, redline_xlsx
from policydiff.schema import Alignment, Document

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent
ZZ = "data/raw/zhengzhou-2022-highland-plan.txt"
XZ = "data/raw/xinzheng-2023-highland-plan.txt"
KF = "data/raw/kaifeng-2021-expansion-plan.txt"
SIB = ROOT / "tests" / "fixtures" / "siblings"


@pytest.fixture(scope="module")
def zx(seed_docs: dict[str, Document]) -> tuple[Alignment, Document, Document]:
    a, b = seed_docs["zhengzhou-2022-highland-plan"], seed_docs["xinzheng-2023-highland-plan"]
    return policydiff.compare(a, b, detail=True), a, b


def _terminal(al: Alignment, docs: list[Document]) -> str:
    from rich.console import Console

    buf = io.StringIO()
    Console(file=buf, width=400, color_system=None).print(alignment_terminal(al, docs=docs))
    return buf.getvalue()


def _renderings(al: Alignment, a: Document, b: Document) -> dict[str, str]:
    html = alignment_html(al, a, b)
    return {
        "table": _terminal(al, [a, b]),
        "csv": alignment_csv([al]),
        "json": json.dumps([n["text"] for n in al.model_dump(mode="json")["numeric_changes"]], ensure_ascii=False),
        "markdown": alignment_markdown(al, a, b),
        "html": re.sub(r"<[^>]+>", "", html),
    }


def test_headline_goals_of_the_preamble_in_every_format(zx: tuple[Alignment, Document, Document]) -> None:
    al, a, b = zx
    enrol = next(n for n in al.numeric_changes if n.subject == "中等职业学校在校生规模")
    assert enrol.outside and enrol.old and enrol.new and (enrol.old.value, enrol.new.value) == (450000, 30000)
    assert enrol.old.clause == "preamble"
    for where, text in _renderings(al, a, b).items():
        assert "450000人 (2025) → 30000人 (2025)" in text, where
        assert "800000人 (2025) → —" in text, where  # the dropped 高职 enrolment goal
        assert "— → 60000人次 (2025)" in text, where  # the added training goal
    assert "450000" in runner.invoke(app, ["compare", ZZ, XZ, "--format", "json"]).stdout


def test_comparators_kept_in_every_format(zx: tuple[Alignment, Document, Document]) -> None:
    al, a, b = zx
    for where, text in _renderings(al, a, b).items():
        assert "≥100家 → ≥10家" in text, where
        assert "≥12000元 → —" in text and "— → ≥2元/人" in text, where


def test_a_measure_split_over_rows_reads_as_one_line(zx: tuple[Alignment, Document, Document]) -> None:
    # zhengzhou 13's 5个 产业学院 went to xinzheng 3 (1—2个) while 13 itself became xinzheng 11.
    al, a, b = zx
    lines = [n.text for n in al.numeric_changes if n.subject == "示范性高等职业学校产业学院"]
    assert lines == ["5个 → 1—2个"]
    rows = list(csv.DictReader(io.StringIO(alignment_csv([al]))))
    row = next(r for r in rows if (r["a_label"], r["b_label"]) == ("13", "3"))
    assert row["relation"] == "partial" and "5个 → 1—2个" in row["numeric_changes"]
    assert not any("产业学院 5个 → —" in r["numeric_changes"] or "产业学院 — → 1—2个" in r["numeric_changes"] for r in rows)
    for where, text in _renderings(al, a, b).items():
        assert "5个 → 1—2个" in text, where


def test_parent_dated_after_child_is_warned(seed_docs: dict[str, Document]) -> None:
    al = policydiff.compare(seed_docs["zhengzhou-2022-highland-plan"], seed_docs["kaifeng-2021-expansion-plan"])
    warnings = [d for d in al.direction if d.startswith("warning")]
    assert len(warnings) == 1 and "2021-11-23" in warnings[0] and "(2022, from its file name)" in warnings[0]
    result = runner.invoke(app, ["compare", ZZ, KF], env={"COLUMNS": "300"})
    assert "dated after the child kaifeng-2021-expansion-plan (2021-11-23)" in result.stdout
    # The right order gives evidence, no warning.
    assert not any(d.startswith("warning") for d in policydiff.compare(seed_docs["kaifeng-2021-expansion-plan"], seed_docs["zhengzhou-2022-highland-plan"]).direction)


def test_related_pairs_between_sibling_plans(seed_docs: dict[str, Document]) -> None:
    # zhengzhou 6 (五育并举, 课程思政) was "dropped" against kaifeng, whose （一）1 is on 思想政治教育;
    # zhengzhou 8 (双师型 teachers) is kaifeng's three teacher clauses （五）1–3.
    al = policydiff.compare(seed_docs["zhengzhou-2022-highland-plan"], seed_docs["kaifeng-2021-expansion-plan"])
    assert [(p.b_id, p.relation) for p in al.pairs if p.a_label == "6"] == [("s2.s1.c1", "related")]
    assert [(p.b_id, p.relation) for p in al.pairs if p.a_label == "8"] == [("s2.s5.c1", "related"), ("s2.s5.c2", "related"), ("s2.s5.c3", "related")]
    assert all(p.topic_score and p.topic_score >= 0.24 for p in al.pairs if p.relation == "related")
    assert all(p.topic_score is None for p in al.pairs if p.relation != "related")
    assert al.figures.related == sum(p.relation == "related" for p in al.pairs)
    # Textual pairs are never relabelled; with related pairs off, the textual ones are the same.
    plain = policydiff.compare(seed_docs["zhengzhou-2022-highland-plan"], seed_docs["kaifeng-2021-expansion-plan"], related=None)
    textual = {(p.a_id, p.b_id, p.relation) for p in al.pairs if p.relation != "related" and p.a_id and p.b_id}
    assert textual == {(p.a_id, p.b_id, p.relation) for p in plain.pairs if p.a_id and p.b_id}


def test_xinzheng_gold_stays_exact_with_related_pairs(tmp_path: Path) -> None:
    out = tmp_path / "zx.csv"
    out.write_text(runner.invoke(app, ["compare", ZZ, XZ, "--format", "csv"]).stdout, encoding="utf-8")
    scored = subprocess.run(
        ["python3", str(ROOT / "tests/fixtures/shared/tools/score_alignment.py"), str(ROOT / "tests/fixtures/shared/gold/align-zhengzhou-xinzheng.tsv"), str(out)],
        capture_output=True, text=True, check=False,
    )
    assert "f1=1.000" in scored.stdout, scored.stdout


def test_concept_table_is_extensible(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shipped = load_concepts()
    assert shipped["课程思政"] == shipped["三全育人"] == "思想政治"
    extra = tmp_path / "mine.tsv"
    extra.write_text("# mine\n校园安全\t安全教育\t平安校园\n", encoding="utf-8")
    monkeypatch.setenv("POLICYDIFF_CONCEPTS", str(extra))
    load_concepts.cache_clear()
    try:
        assert load_concepts()["平安校园"] == "校园安全"
        assert load_concepts((str(extra),))["安全教育"] == "校园安全"
    finally:
        load_concepts.cache_clear()
    with pytest.raises(CorruptFileError, match="line 1"):
        parse_concepts("lonely-concept\n", "bad.tsv")
    monkeypatch.delenv("POLICYDIFF_CONCEPTS")
    bad = tmp_path / "bad.tsv"
    bad.write_text("no terms here\n", encoding="utf-8")
    result = runner.invoke(app, ["compare", ZZ, KF, "--concepts", str(bad)])
    assert result.exit_code == 1 and result.output.startswith("Error: ") and "Traceback" not in result.output
    load_concepts.cache_clear()


# --- three documents ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def zxk(seed_docs: dict[str, Document]) -> tuple[Any, Document, list[Document]]:
    ref = seed_docs["zhengzhou-2022-highland-plan"]
    others = [seed_docs["xinzheng-2023-highland-plan"], seed_docs["kaifeng-2021-expansion-plan"]]
    from policydiff.align import compare_many

    return compare_many(ref, others, detail=True), ref, others


def test_three_document_reports_show_text_numbers_and_word_changes(zxk: tuple[Any, Document, list[Document]]) -> None:
    ma, ref, others = zxk
    page = multi_html(ma, ref, others)
    assert page.count("<details") > 40
    assert "200名 → ≥20名 (×0.1)" in re.sub(r"<[^>]+>", "", page)
    assert "<del>" in page and "<ins>" in page
    assert "建设课程思政教学研究示范中心" in page  # the reference text itself
    md = multi_markdown(ma, ref, others)
    detail = md.split("## 逐条详情", 1)[1]
    assert "200名 → ≥20名" in detail and "~~" in detail and "**" in detail
    assert "> 做强“五育并举”" in detail
    result = runner.invoke(app, ["compare", ZZ, XZ, KF, "--detail"], env={"COLUMNS": "300", "NO_COLOR": "1"})
    assert result.exit_code == 0 and "[-" in result.stdout and "{+" in result.stdout and "≥100家 → ≥10家" in result.stdout


# --- the 新旧对照表 ----------------------------------------------------------------------------


def test_docx_redline_round_trip(zx: tuple[Alignment, Document, Document], tmp_path: Path) -> None:
    from docx import Document as Docx
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn

    al, a, b = zx
    data = redline_docx(al, a, b)
    assert data == redline_docx(al, a, b)  # deterministic
    path = tmp_path / "t.docx"
    path.write_bytes(data)
    doc = Docx(str(path))
    sec = doc.sections[0]
    assert sec.orientation == WD_ORIENT.LANDSCAPE and sec.page_width > sec.page_height
    assert "新旧对照表" in doc.paragraphs[0].text and "郑州市职业教育创新发展高地建设实施方案" in doc.paragraphs[0].text
    (table,) = doc.tables
    assert [c.text for c in table.rows[0].cells] == ["修改前", "修改后", "说明"]
    rows = table.rows[1:]
    # One row per pair, except the identical one (xinzheng 13 = zhengzhou 15) folded into a count.
    assert len(rows) == len(al.pairs) - 1 + 1
    assert any("条未修改，从略" in r.cells[0].text for r in rows)
    struck = [run.text for r in rows for run in r.cells[0].paragraphs[0].runs if run.font.strike]
    bold = [run.text for r in rows for run in r.cells[1].paragraphs[0].runs if run.bold]
    assert "200" in "".join(struck) and "20" in "".join(bold)
    row6 = next(r for r in rows if r.cells[0].text.startswith("6　"))
    assert "修改" in row6.cells[2].text and "200名 → ≥20名" in row6.cells[2].text
    merged = next(r for r in rows if r.cells[0].text.startswith("4　"))
    assert "合并" in merged.cells[2].text
    # East-Asian fonts on runs and on the Normal style.
    first_run = rows[0].cells[0].paragraphs[0].runs[0]
    assert first_run.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋"
    assert doc.styles["Normal"].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "宋体"
    assert doc.core_properties.created.year == 2023  # from xinzheng's date, not the clock
    # --all keeps the identical row.
    full = Docx(io.BytesIO(redline_docx(al, a, b, all_rows=True)))
    assert len(full.tables[0].rows) - 1 == len(al.pairs)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert {i.date_time for i in z.infolist()} == {(2023, 8, 28, 0, 0, 0)}


def test_added_and_dropped_rows_are_marked(seed_docs: dict[str, Document]) -> None:
    from docx import Document as Docx

    a, b = seed_docs["zhengzhou-2022-highland-plan"], seed_docs["kaifeng-2021-expansion-plan"]
    al = policydiff.compare(a, b, detail=True)
    doc = Docx(io.BytesIO(redline_docx(al, a, b)))
    notes = [r.cells[2].text for r in doc.tables[0].rows[1:]]
    assert any(n.startswith("新增") for n in notes) and any(n.startswith("删除") for n in notes)
    assert any(n.startswith("相关（主题相似") for n in notes)
    assert any("移位" in n for n in notes)
    assert any("dated after the child" in p.text for p in doc.paragraphs)


def test_xlsx_redline(zx: tuple[Alignment, Document, Document], tmp_path: Path) -> None:
    from openpyxl import load_workbook

    al, a, b = zx
    data = redline_xlsx(al, a, b)
    assert data == redline_xlsx(al, a, b)
    path = tmp_path / "t.xlsx"
    path.write_bytes(data)
    ws = load_workbook(path, rich_text=True).active
    assert [c.value for c in ws[3]] == ["修改前条款", "修改前", "修改后条款", "修改后", "关系", "说明"]
    row6 = next(r for r in ws.iter_rows(min_row=4) if r[0].value == "6")
    blocks = list(row6[1].value)
    assert any(getattr(bl, "font", None) is not None and bl.font.strike and "200" in bl.text for bl in blocks)
    assert any(getattr(bl, "font", None) is not None and bl.font.b and "20" in bl.text for bl in list(row6[3].value))
    assert row6[4].value == "modified"


def test_xlsx_redline_keeps_a_clause_longer_than_a_cell(tmp_path: Path) -> None:
    """Excel holds 32,767 characters a cell: a longer clause continues in the rows below (续), nothing cut;
    control characters (invalid XML) are dropped rather than breaking the file."""
    from openpyxl import load_workbook

    long = "推进职业教育改革，提升人才培养质量，" * 2000 + "\x0b完成。"  # 36,004 characters in one article
    parent = tmp_path / "a.txt"
    child = tmp_path / "b.txt"
    parent.write_text(f"某某办法\n第一条 {long}\n第二条 =SUM(A1) 是一个普通句子。\n", encoding="utf-8")
    child.write_text(f"某某办法\n第一条 {long}新增。\n第二条 =SUM(A1) 是一个普通句子。\n", encoding="utf-8")
    a, b = policydiff.parse_file(parent), policydiff.parse_file(child)
    al = policydiff.compare(a, b)
    path = tmp_path / "long.xlsx"
    path.write_bytes(redline_xlsx(al, a, b, all_rows=True))
    ws = load_workbook(path, rich_text=True).active

    def text(value: Any) -> str:
        return "".join(getattr(bl, "text", bl) for bl in value) if value is not None and not isinstance(value, str) else value or ""

    rows = list(ws.iter_rows(min_row=4, values_only=True))
    first = next(i for i, r in enumerate(rows) if r[0] == "1")
    assert rows[first + 1][0] == "（续）" and rows[first + 1][5] == "续"
    kept = text(rows[first][3]) + text(rows[first + 1][3])
    assert kept == b.clauses[0].text.replace("\x0b", "") and len(kept) > 32767
    assert all(len(text(r[1])) <= 32767 and len(text(r[3])) <= 32767 for r in rows)


def test_docx_and_xlsx_from_the_cli(tmp_path: Path) -> None:
    out = tmp_path / "对照表.docx"
    result = runner.invoke(app, ["compare", ZZ, XZ, "--format", "docx", "--out", str(out)])
    assert result.exit_code == 0 and out.stat().st_size > 10_000
    assert runner.invoke(app, ["compare", ZZ, XZ, "--format", "docx", "--out", str(out)]).exit_code == 1  # exists
    no_out = runner.invoke(app, ["compare", ZZ, XZ, "--format", "xlsx"])
    assert no_out.exit_code == 2 and "--out" in no_out.output
    three = runner.invoke(app, ["compare", ZZ, XZ, KF, "--format", "docx", "--out", str(tmp_path / "x.docx")])
    assert three.exit_code == 2 and "exactly PARENT CHILD" in three.output
    assert runner.invoke(app, ["compare", ZZ, XZ, "--format", "xlsx", "--out", str(tmp_path / "t.xlsx")]).exit_code == 0


@pytest.mark.slow
def test_docx_converts_with_libreoffice(zx: tuple[Alignment, Document, Document], tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but LibreOffice is missing: apt-get install libreoffice-writer")
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer)")
    al, a, b = zx
    src = tmp_path / "redline.docx"
    src.write_bytes(redline_docx(al, a, b))
    env = {**os.environ, "HOME": str(tmp_path)}  # a private LibreOffice profile
    done = subprocess.run(
        [soffice, "--headless", "--norestore", "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
        capture_output=True, text=True, timeout=240, env=env, check=False,
    )
    pdf = tmp_path / "redline.pdf"
    assert done.returncode == 0 and pdf.exists(), done.stderr
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(pdf))
    width, height = doc[0].get_size()
    assert len(doc) >= 3 and width > height  # landscape
    text = doc[0].get_textpage().get_text_range()
    assert "新旧对照表" in text and "修改前" in text


@pytest.mark.slow
def test_three_document_html_in_chromium(zxk: tuple[Any, Document, list[Document]], tmp_path: Path) -> None:
    exe = shutil.which("chromium")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but Debian's chromium is missing: apt-get install chromium")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium); skipping the browser check")
    sync_playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").sync_playwright
    ma, ref, others = zxk
    report = tmp_path / "multi.html"
    report.write_text(multi_html(ma, ref, others), encoding="utf-8")
    errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(report.as_uri())
            row = page.locator('tr.ref-row[data-a="s2.c1"]')  # zhengzhou 6: 200 teachers → ≥20 in xinzheng
            cell = row.locator("td").nth(1).locator("details").first
            assert not cell.locator(".cl-text").is_visible()  # folded until opened
            cell.locator("summary").click()
            assert cell.locator(".cl-text").is_visible()
            shown = cell.inner_text()
            assert "200名 → ≥20名" in shown and "课程思政" in shown
            assert cell.locator("del").count() > 0 and cell.locator("ins").count() > 0
            # The numbers card lists the preamble goals.
            assert "450000人 (2025) → 30000人 (2025)" in page.locator("section.numbers-card").first.inner_text()
            assert page.evaluate("document.documentElement.scrollWidth") <= 1280
        finally:
            browser.close()
    assert errors == []
