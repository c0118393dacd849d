"""Markdown compare report (render.markdown)."""

from __future__ import annotations

import re

import pytest

import policydiff
from conftest import parse_seed
from policydiff.align import compare, compare_many
from policydiff.render.markdown import alignment_markdown, escape_md, multi_markdown, word_changes
from policydiff.schema import Alignment, DiffOp, Document, NumericChange

PARENT, CHILD, OTHER = "zhengzhou-2022-highland-plan", "xinzheng-2023-highland-plan", "kaifeng-2021-expansion-plan"

PIPE_A = """某市实施方案

一、主要任务

1.完善制度|规则。推进*改革*，建设示范学校20所。

2.加强督导。每年通报一次。
"""
PIPE_B = """某县实施方案

一、主要任务

1.完善制度|规则。推进*改革*，建设示范学校2所。

2.新增<b>条款</b>。开展宣传。
"""

# An unescaped | separates cells; \| is text.
CELL_SPLIT = re.compile(r"(?<!\\)\|")




@pytest.fixture(scope="module")
def real() -> tuple[Alignment, Document, Document]:
    a, b = parse_seed(PARENT), parse_seed(CHILD)
    return compare(a, b, detail=True), a, b


def _table(md: str, heading: str) -> list[str]:
    """Body rows of the first pipe table after `heading` (without header and separator)."""
    lines = md[md.index(heading) :].splitlines()
    first = next(i for i, ln in enumerate(lines) if ln.startswith("|"))
    block = []
    for ln in lines[first:]:
        if not ln.startswith("|"):
            break
        block.append(ln)
    return block[2:]


def test_real_report_has_a_row_per_pair(real: tuple[Alignment, Document, Document]) -> None:
    al, a, b = real
    md = alignment_markdown(al, a, b)
    assert md.startswith("# 条款对照：")
    assert al.a.title and al.b.title and al.a.title in md and al.b.title in md
    assert f"{al.figures.reuse_share * 100:.1f}%" in md
    assert "| 父条款 | 子条款 | 关系 | 相似度 | 数字变化 |" in md
    rows = _table(md, "## 条款对照表")
    assert len(rows) == len(al.pairs)
    for row, p in zip(rows, al.pairs, strict=True):
        cells = [c.strip() for c in CELL_SPLIT.split(row)[1:-1]]
        assert len(cells) == 5, row
        if p.a_label:
            assert cells[0].startswith(p.a_label)
        if p.b_label:
            assert cells[1].startswith(p.b_label)
        if p.a_id and p.b_id:
            assert cells[3] == f"{p.similarity:.2f}"


def test_modified_pair_shows_word_changes(real: tuple[Alignment, Document, Document]) -> None:
    al, a, b = real
    md = alignment_markdown(al, a, b)
    # 职业院校 became 职业学校 throughout the child plan.
    assert "~~职业院校~~ → **职业学校**" in md
    section = md[md.index("## 修改条款的词语与数字变化") :]
    p = next(p for p in al.pairs if p.relation == "modified")
    assert f"**父 {p.a_label} → 子 {p.b_label}**" in section
    assert "- 词语：" + "；".join(word_changes(p.diff)) in section
    # Merged pairs are listed by name, not as a page of word changes.
    merged = [p for p in al.pairs if p.relation == "merged"]
    assert merged and "## 合并、拆分与部分对应" in md


def test_word_changes_are_compact() -> None:
    ops = [
        DiffOp(op="equal", a="推进", b="推进"),
        DiffOp(op="replace", a="职业院校", b="职业学校"),
        DiffOp(op="delete", a="一体化设计"),
        DiffOp(op="insert", b="切实"),
        DiffOp(op="insert", b="\n"),
        DiffOp(op="replace", a="甲" * 100, b="乙"),
    ]
    out = word_changes(ops)
    assert out[:3] == ["~~职业院校~~ → **职业学校**", "~~一体化设计~~", "**切实**"]
    assert len(out) == 4  # the line break alone is not a change worth listing
    assert "…" in out[3] and len(out[3]) < 80


def test_pipes_and_markup_are_escaped() -> None:
    assert escape_md("a|b*c<d>_e") == r"a\|b\*c\<d\>\_e"
    assert escape_md("一\n二") == "一 二"
    a, b = policydiff.parse_text(PIPE_A, name="pipe-a"), policydiff.parse_text(PIPE_B, name="pipe-b")
    al = compare(a, b, detail=True)
    md = alignment_markdown(al, a, b)
    rows = _table(md, "## 条款对照表")
    assert len(rows) == len(al.pairs)
    assert all(len(CELL_SPLIT.split(r)) == 7 for r in rows), rows
    assert r"完善制度\|规则" in md
    assert "<b>" not in md and r"\<b\>条款\</b\>" in md


def test_numeric_changes_in_table_and_section(real: tuple[Alignment, Document, Document]) -> None:
    al, a, b = real
    al = al.model_copy(deep=True)
    for p in al.pairs:
        p.numeric_changes = []
    i = next(i for i, p in enumerate(al.pairs) if p.relation == "modified")
    al.pairs[i].numeric_changes = [
        NumericChange(subject="课程思政优秀教师", unit="名", change="changed", scale=0.1, text="200名 → 20名 (×0.1)"),
        NumericChange(subject="国际合作项目", unit="个", change="removed", text="15个 → —"),
        NumericChange(subject="示范学校", unit="所", change="same", text="20所 → 20所"),
    ]
    md = alignment_markdown(al, a, b)
    rows = _table(md, "## 条款对照表")
    cell = CELL_SPLIT.split(rows[i])[5].strip()
    assert cell == "课程思政优秀教师 200名 → 20名 (×0.1)；国际合作项目 ~~15个~~ → —"
    assert "- 数字：" + cell in md
    # Every other row has an empty numbers cell.
    assert all(CELL_SPLIT.split(r)[5].strip() == "" for j, r in enumerate(rows) if j != i)


def test_without_word_diff(real: tuple[Alignment, Document, Document]) -> None:
    _, a, b = real
    md = alignment_markdown(compare(a, b), a, b)
    words = [ln for ln in md.splitlines() if ln.startswith("- 词语：")]
    assert words and all("未计算" in ln for ln in words)
    assert "~~删去的文字~~" not in md


def test_multi_markdown(real: tuple[Alignment, Document, Document]) -> None:
    _, a, b = real
    k = parse_seed(OTHER)
    ma = compare_many(a, [b, k], detail=False)
    md = multi_markdown(ma, a, [b, k])
    assert md.startswith("# 多文件条款对照：")
    rows = _table(md, "## 参照条款的去向")
    assert len(rows) == len(a.clauses)
    assert all(len(CELL_SPLIT.split(r)) == 6 for r in rows)
    assert f"| 参照条款 | {escape_md(b.name)} | {escape_md(k.name)} | 沿用 |" in md
    added = sum(1 for al in ma.alignments for p in al.pairs if p.relation == "added")
    assert len(_table(md, "## 仅见于其他文件的条款")) == added
