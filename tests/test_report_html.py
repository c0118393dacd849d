"""HTML compare report (render.html): content, escaping, offline-ness, and a real browser render."""

from __future__ import annotations

import html
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

import policydiff
from conftest import parse_seed
from policydiff.align import compare, compare_many
from policydiff.render.html import alignment_html
from policydiff.render.multi import multi_html
from policydiff.schema import Alignment, Document, NumericChange

PARENT, CHILD, OTHER = "zhengzhou-2022-highland-plan", "xinzheng-2023-highland-plan", "kaifeng-2021-expansion-plan"

# Hostile text in a title, a heading (ends up in title="" attributes) and clause bodies.
XSS_A = """某市关于印发<script>alert(0)</script>方案的通知

一、主要任务

1.加强"><img src=x onerror=alert(3)>管理。全市建设示范学校20所，<script>alert(1)</script>培训教师200名。

2.完善制度|规则。推进<img src=x onerror=alert(2)>改革。

3.强化督导检查。建立督导机制，每年通报一次。
"""
XSS_B = """某县实施方案

一、主要任务

1.加强"><img src=x onerror=alert(3)>管理。全县建设示范学校2所，<script>alert(1)</script>培训教师20名。

2.完善制度|规则。推进<img src=x onerror=alert(2)>改革，扩大试点。

3.新增<b>条款</b>。开展宣传。
"""




@pytest.fixture(scope="module")
def real() -> tuple[Alignment, Document, Document]:
    a, b = parse_seed(PARENT), parse_seed(CHILD)
    return compare(a, b, detail=True), a, b


@pytest.fixture(scope="module")
def real_html(real: tuple[Alignment, Document, Document]) -> str:
    return alignment_html(*real)


@pytest.fixture(scope="module")
def hostile() -> tuple[Alignment, Document, Document]:
    a, b = policydiff.parse_text(XSS_A, name="xss-a"), policydiff.parse_text(XSS_B, name="xss-b")
    return compare(a, b, detail=True), a, b


def _rows(page: str) -> dict[int, str]:
    """Pair rows by index, each as its own HTML."""
    return {int(m.group(1)): m.group(0) for m in re.finditer(r'<tr class="pair[^"]*" id="pair-(\d+)".*?</tr>', page, re.DOTALL)}


def _text(page: str) -> str:
    """What a reader sees, still entity-escaped: the page without its tags."""
    return re.sub(r"<[^>]+>", "", page)


def test_page_shell(real_html: str) -> None:
    assert real_html.startswith("<!DOCTYPE html>")
    assert '<html lang="zh-CN">' in real_html
    assert '<meta charset="utf-8">' in real_html
    assert "WenQuanYi Zen Hei" in real_html and "Noto Sans CJK SC" in real_html and "Microsoft YaHei" in real_html
    assert "@media print" in real_html


def test_header_has_both_documents_and_figures(real: tuple[Alignment, Document, Document], real_html: str) -> None:
    al, _, _ = real
    for ref in (al.a, al.b):
        assert ref.title and html.escape(ref.title) in real_html
        assert f"{ref.clauses} 条" in real_html
    assert al.b.doc_number and al.b.doc_number in real_html
    assert f"{al.figures.reuse_share * 100:.1f}%" in real_html
    for key in ("kept", "modified", "merged", "split", "dropped", "added", "moved"):
        assert re.search(rf'data-figure="{key}"><b>{getattr(al.figures, key)}</b>', real_html), key
    for ev in al.direction:
        assert html.escape(ev) in real_html


def test_every_pair_is_a_row_with_its_labels(real: tuple[Alignment, Document, Document], real_html: str) -> None:
    al, _, _ = real
    rows = _rows(real_html)
    assert sorted(rows) == list(range(len(al.pairs)))
    for i, p in enumerate(al.pairs):
        row = rows[i]
        assert f'data-relation="{p.relation}"' in row
        assert f"rel-{p.relation}" in row
        for label in (p.a_label, p.b_label):
            if label:
                assert f">{html.escape(label)}</span>" in row, (i, label)
        if p.a_id and p.b_id:
            assert f"{p.similarity:.2f}" in row
        if p.moved:
            assert "移位" in row


def test_diff_highlights_sit_on_their_side(real: tuple[Alignment, Document, Document], real_html: str) -> None:
    al, a, _ = real
    rows = _rows(real_html)
    i, p = next((i, p) for i, p in enumerate(al.pairs) if p.relation == "modified" and any(op.op == "replace" for op in p.diff))
    left, meta, right = re.findall(r"<td class=\"(?:side|meta)[^\"]*\">.*?</td>", rows[i], re.DOTALL)
    assert "<del" in left and "<ins" not in left
    assert "<ins" in right and "<del" not in right
    assert "相似度" in meta
    # Unchanged text is all there: the left side, tags stripped, is the parent's policy text.
    assert html.unescape(_text(left)).endswith(a.clause(p.a_id or "").policy_text.replace("\n", "↵\n")[-20:])


def test_identical_pair_has_no_highlights(real: tuple[Alignment, Document, Document], real_html: str) -> None:
    al, _, _ = real
    rows = _rows(real_html)
    same = [i for i, p in enumerate(al.pairs) if p.relation == "identical"]
    assert same, "the seed pair has an identical clause"
    for i in same:
        assert "<del" not in rows[i] and "<ins" not in rows[i]


def test_heatmap_is_inline_svg(real: tuple[Alignment, Document, Document], real_html: str) -> None:
    al, a, b = real
    assert '<svg class="heatmap-svg"' in real_html
    svg = real_html[real_html.index('<svg class="heatmap-svg"') :]
    svg = svg[: svg.index("</svg>")]
    paired = {(p.a_id, p.b_id) for p in al.pairs if p.a_id and p.b_id}
    assert svg.count('<rect class="hit"') == len(paired)
    # Cells link to their pair rows and carry tooltips; every clause has an axis label.
    assert svg.count('<a href="#pair-') == len(paired)
    assert svg.count("<title>") >= len(paired) + len(a.clauses) + len(b.clauses)
    for c in a.clauses + b.clauses:
        assert f"</title>{html.escape(c.label)}</text>" in svg


def test_heatmap_grows_with_the_pairs_not_with_rows_times_columns() -> None:
    """Two rules of 700 articles drew 484,000 empty cells (a 32 MB page): the empty grid is one patterned rect."""
    a = policydiff.parse_text("某规则\n" + "".join(f"第{i}条 甲项工作第{i}号规定的内容。\n" for i in range(1, 301)), name="a")
    b = policydiff.parse_text("某规则\n" + "".join(f"第{i}条 乙类事务第{i}项要求的办法。\n" for i in range(1, 301)), name="b")
    page = alignment_html(compare(a, b, related=None), a, b)
    svg = page[page.index('<svg class="heatmap-svg"') :]
    svg = svg[: svg.index("</svg>")]
    assert svg.count("<rect") < 1_000 and 'fill="url(#pd-empty-cell)"' in svg
    assert len(page) < 2_000_000


def test_no_remote_resources(real_html: str) -> None:
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", real_html, re.IGNORECASE)
    assert not re.search(r"url\(\s*['\"]?\s*(?:https?:)?//", real_html, re.IGNORECASE)
    assert "<link" not in real_html and "@import" not in real_html and "@font-face" not in real_html
    assert "http://" not in real_html and "https://" not in real_html
    assert real_html.count("<script") == 1  # the inline toggle script, without src


def test_injection_is_escaped(hostile: tuple[Alignment, Document, Document]) -> None:
    al, a, b = hostile
    page = alignment_html(al, a, b)
    assert page.count("<script") == 1, "only our own inline script"
    assert "<img" not in page
    assert "<b>条款</b>" not in page
    # The quote in a heading cannot close a title="" attribute.
    assert '"><img' not in page
    text = _text(page)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&lt;img src=x onerror=alert(2)&gt;" in text
    assert "&lt;script&gt;alert(0)&lt;/script&gt;" in text  # the title
    assert "&lt;b&gt;条款&lt;/b&gt;" in text


def test_added_and_dropped_rows_leave_a_side_empty(hostile: tuple[Alignment, Document, Document]) -> None:
    al, a, b = hostile
    rows = _rows(alignment_html(al, a, b))
    rels = {p.relation for p in al.pairs}
    assert {"added", "dropped"} <= rels, rels
    for i, p in enumerate(al.pairs):
        cells = re.findall(r'<td class="([^"]*)"', rows[i])
        if p.relation == "added":
            assert cells[0] == "side empty" and cells[2] != "side empty"
        elif p.relation == "dropped":
            assert cells[2] == "side empty" and cells[0] != "side empty"
        else:
            assert "side empty" not in cells


def test_numeric_changes_listed_per_pair(real: tuple[Alignment, Document, Document]) -> None:
    al, a, b = real
    al = al.model_copy(deep=True)
    # Targets are extracted upstream; pin a known set so the rendering is what is tested.
    al.pairs[0].numeric_changes = [
        NumericChange(subject="课程思政优秀教师", unit="名", change="changed", scale=0.1, text="200名 → 20名 (×0.1)"),
        NumericChange(subject="国际合作项目", unit="个", change="removed", text="15个 → —"),
        NumericChange(subject="产业学院", unit="个", change="added", text="— → 1—2个"),
    ]
    for p in al.pairs[1:]:
        p.numeric_changes = []
    rows = _rows(alignment_html(al, a, b))
    first = rows[0]
    assert '<ul class="nums"' in first
    assert "200名</span> → <span class=\"num-new\">20名 (×0.1)</span>" in first
    assert '<s class="num-old">15个</s>' in first
    assert "1—2个" in first and "课程思政优秀教师" in first
    assert all('<ul class="nums"' not in rows[i] for i in range(1, len(al.pairs)))


def test_real_numeric_changes_are_shown(real: tuple[Alignment, Document, Document], real_html: str) -> None:
    al, _, _ = real
    rows = _rows(real_html)
    for i, p in enumerate(al.pairs):
        for n in p.numeric_changes:
            assert html.escape(n.subject) in rows[i]
            for part in n.text.split(" → "):
                assert html.escape(part) in rows[i]


def test_without_word_diff_and_without_pairs(real: tuple[Alignment, Document, Document]) -> None:
    _, a, b = real
    plain = compare(a, b, detail=False)
    page = alignment_html(plain, a, b)
    assert "<del" not in _rows(page)[0] and len(_rows(page)) == len(plain.pairs)
    empty = plain.model_copy(update={"pairs": [], "sentence_links": [], "direction": []})
    page = alignment_html(empty, a, b)
    assert _rows(page) == {} and "未发现引用或日期证据" in page


def test_multi_html(real: tuple[Alignment, Document, Document]) -> None:
    _, a, b = real
    k = parse_seed(OTHER)
    ma = compare_many(a, [b, k])
    page = multi_html(ma, a, [b, k])
    assert page.count('<tr class="ref-row"') == len(a.clauses)
    added = sum(1 for al in ma.alignments for p in al.pairs if p.relation == "added")
    assert added and page.count('<tr class="only-other"') == added
    for ref in ma.others:
        assert ref.title and html.escape(ref.title) in page
    # Kaifeng restarts its numbering per section: labels carry the section.
    assert "（一）1" in page
    assert "http://" not in page and "https://" not in page


# --- in a real browser -------------------------------------------------------------------


def _chromium() -> str:
    exe = shutil.which("chromium")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but Debian's chromium is missing: apt-get install chromium")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium); skipping the browser check")
    return exe


@pytest.mark.slow
def test_renders_in_chromium(real: tuple[Alignment, Document, Document], hostile: tuple[Alignment, Document, Document], tmp_path: Path) -> None:
    exe = _chromium()
    if os.environ.get("CI"):
        from playwright.sync_api import sync_playwright
    else:
        sync_playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").sync_playwright
    al, a, b = real
    report = tmp_path / "report.html"
    report.write_text(alignment_html(al, a, b), encoding="utf-8")
    bad = tmp_path / "hostile.html"
    bad.write_text(alignment_html(*hostile), encoding="utf-8")

    errors: list[str] = []
    remote: list[str] = []
    dialogs: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=exe,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})

            def route(r: Any) -> None:
                # Anything but the file itself would be a resource fetched from elsewhere.
                if r.request.url.startswith("file:"):
                    r.continue_()
                else:
                    remote.append(r.request.url)
                    r.abort()

            context.route("**/*", route)
            page = context.new_page()
            page.on("console", lambda m: errors.append(f"console: {m.text}") if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))

            def on_dialog(d: Any) -> None:
                dialogs.append(d.message)
                d.dismiss()

            page.on("dialog", on_dialog)

            page.goto(report.as_uri())
            assert page.locator("table.pairs tbody tr.pair").count() == len(al.pairs)
            assert page.evaluate("document.querySelectorAll('table.pairs tbody tr.pair').length") == len(al.pairs)
            box = page.locator("svg.heatmap-svg").bounding_box()
            assert box is not None and box["width"] > 200
            # No horizontal scrolling at 1280px.
            assert page.evaluate("document.documentElement.scrollWidth") <= 1280
            # The toggle script ran: controls are shown and hiding identical rows works.
            assert page.locator(".controls").is_visible()
            n_same = sum(1 for p in al.pairs if p.relation == "identical")
            page.locator('input[data-toggle="hide-identical"]').check()
            assert page.locator("tr.pair:visible").count() == len(al.pairs) - n_same
            page.locator('input[data-toggle="hide-identical"]').uncheck()
            shot = tmp_path / "report.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 10_000

            page.goto(bad.as_uri())
            shown = page.locator("table.pairs").inner_text()
            assert "<script>alert(1)</script>" in shown and "<img src=x onerror=alert(2)>" in shown
            assert page.locator("table.pairs img").count() == 0
        finally:
            browser.close()
    assert errors == []
    assert remote == []
    assert dialogs == []
