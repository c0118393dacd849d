"""Ingest: real .docx/.pdf/.html built from the seeds read back faithfully; encodings; bad inputs."""

from __future__ import annotations

import codecs
import hashlib
import re
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from builders import (
    HTML_BREADCRUMB,
    HTML_FOOTER,
    HTML_NAV,
    HTML_SCRIPT,
    HTML_SHARE,
    HTML_SIDEBAR,
    PDF_HEADER,
    auto_numbered_lines,
    build_docx,
    build_html,
    build_layout_pdf,
    build_list_docx,
    build_pdf,
    html_page,
    seed_body,
)
from policydiff.errors import (
    BinaryInputError,
    CorruptFileError,
    EmptyInputError,
    EncodingDetectionError,
    EncryptedFileError,
    FileMissingError,
    InputError,
    InputTooLargeError,
    NoTextLayerError,
    UnsupportedFormatError,
)
from policydiff.ingest import DEFAULT_MAX_BYTES, Ingested, decode_text, iter_supported, read_bytes, read_path
from policydiff.ingest.wordnum import format_number
from policydiff.pipeline import parse_file
from policydiff.schema import Document

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "data" / "raw").glob("*.txt"))
BAD = Path(__file__).resolve().parent / "fixtures" / "bad"
PAGE_NUMBER_LIKE = re.compile(r"^[—–\-－]+\d{1,4}[—–\-－]+$")


def compact(s: str) -> str:
    return "".join(s.split())


def missing_in_order(expected: list[str], got_lines: list[str]) -> list[str]:
    """Expected lines (whitespace ignored) that do not appear, in order, as whole lines of the output."""
    lines = [compact(x) for x in got_lines if compact(x)]
    pos, missing = 0, []
    for e in expected:
        try:
            pos = lines.index(e, pos) + 1
        except ValueError:
            missing.append(e)
    return missing


def missing_in_stream(expected: list[str], text: str) -> list[str]:
    """Expected lines (whitespace removed) that do not occur, in order, in the whitespace-free text."""
    stream = compact(text)
    pos, missing = 0, []
    for e in expected:
        j = stream.find(e, pos)
        if j < 0:
            missing.append(e)
        else:
            pos = j + len(e)
    return missing


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], tuple[Path, Ingested]]:
    """Every seed as .docx, .pdf and .html, built and ingested once per session."""
    out = tmp_path_factory.mktemp("seeds")
    result = {}
    for seed in SEEDS:
        text = seed.read_text(encoding="utf-8")
        for fmt, build in (("docx", build_docx), ("pdf", build_pdf), ("html", build_html)):
            path = build(text, out / f"{seed.stem}.{fmt}")
            result[(seed.stem, fmt)] = (path, read_path(path))
    return result


def seed_ids() -> list[str]:
    return [s.stem for s in SEEDS]


# -- seeds through real files ----------------------------------------------------------------


def test_seeds_present() -> None:
    assert len(SEEDS) >= 5


@pytest.mark.parametrize("stem", seed_ids())
def test_docx_keeps_every_line_in_order(built: dict, stem: str) -> None:
    text = (ROOT / "data" / "raw" / f"{stem}.txt").read_text(encoding="utf-8")
    _, ing = built[(stem, "docx")]
    expected = [compact(x) for x in seed_body(text) if compact(x)]
    assert missing_in_order(expected, ing.text.splitlines()) == []
    assert ing.source.format == "docx" and ing.source.encoding is None


@pytest.mark.parametrize("stem", seed_ids())
def test_docx_numbering_is_reconstructed(built: dict, stem: str) -> None:
    """The builder wrote labels as Word list numbering (numPr, not text); ingest restores them."""
    text = (ROOT / "data" / "raw" / f"{stem}.txt").read_text(encoding="utf-8")
    path, ing = built[(stem, "docx")]
    numbered = auto_numbered_lines(text)
    assert numbered, "every seed has numbered paragraphs"
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("word/document.xml").decode("utf-8")
    assert xml.count("<w:numPr>") + xml.count('w:val="PolicyHeading1"') == len(numbered)
    first = numbered[0]
    label_free = re.sub(r"^\S+?[、．.）)]\s*", "", first)[:12]
    assert label_free in xml and compact(first)[:12] not in compact(re.sub(r"<[^>]+>", "", xml))
    got = {compact(x) for x in ing.text.splitlines()}
    assert [n for n in numbered if compact(n) not in got] == []


def test_docx_without_auto_numbering_reads_the_same(tmp_path: Path) -> None:
    text = (ROOT / "data" / "raw" / "kaifeng-2021-expansion-plan.txt").read_text(encoding="utf-8")
    a = read_path(build_docx(text, tmp_path / "a.docx", auto_numbering=True))
    b = read_path(build_docx(text, tmp_path / "b.docx", auto_numbering=False))
    assert [compact(x) for x in a.text.splitlines()] == [compact(x) for x in b.text.splitlines()]


def test_docx_tables_are_tab_blocks_in_body_order(built: dict) -> None:
    text = (ROOT / "data" / "raw" / "xinzheng-2023-highland-plan.txt").read_text(encoding="utf-8")
    _, ing = built[("xinzheng-2023-highland-plan", "docx")]
    seed_rows = [line for line in seed_body(text) if "\t" in line]
    got_rows = [line for line in ing.text.splitlines() if "\t" in line]
    assert got_rows == seed_rows
    lines = ing.text.splitlines()
    for i, line in enumerate(lines):
        if "\t" in line:
            assert i == 0 or lines[i - 1] == "" or "\t" in lines[i - 1], "blank line before a table"
            assert i == len(lines) - 1 or lines[i + 1] == "" or "\t" in lines[i + 1], "blank line after a table"
    # The paragraph before the first table still comes before it.
    assert ing.text.index("附件") < ing.text.index("序号\t工作任务\t责任单位")


def test_docx_headers_and_footers_are_recorded_not_read(built: dict) -> None:
    _, ing = built[("kaifeng-2021-expansion-plan", "docx")]
    assert PDF_HEADER not in ing.text
    reasons = {(d.reason, d.text) for d in ing.dropped}
    assert ("page-header", PDF_HEADER) in reasons and ("page-footer", "内部资料 注意保存") in reasons
    assert all(d.raw_start == -1 and d.raw_end == -1 for d in ing.dropped)


@pytest.mark.parametrize("stem", seed_ids())
def test_html_keeps_every_line_in_order(built: dict, stem: str) -> None:
    text = (ROOT / "data" / "raw" / f"{stem}.txt").read_text(encoding="utf-8")
    _, ing = built[(stem, "html")]
    expected = [compact(x) for x in seed_body(text) if compact(x)]
    assert missing_in_order(expected, ing.text.splitlines()) == []
    assert ing.source.format == "html" and ing.source.encoding == "utf-8"


def test_html_boilerplate_dropped_and_recorded(built: dict) -> None:
    _, ing = built[("zhengzhou-2022-highland-plan", "html")]
    for noise in [*HTML_NAV, HTML_BREADCRUMB, HTML_FOOTER, *HTML_SIDEBAR, HTML_SHARE, "发布时间", "访问统计"]:
        assert noise not in ing.text
    dropped = "\n".join(d.text for d in ing.dropped)
    for noise in [*HTML_NAV, HTML_BREADCRUMB, HTML_FOOTER, *HTML_SIDEBAR, HTML_SHARE, "发布时间"]:
        assert noise in dropped
    # Scripts are recorded whole, not truncated.
    assert any(d.text == HTML_SCRIPT for d in ing.dropped)
    assert {d.reason for d in ing.dropped} == {"html-boilerplate"}


def test_html_tables_are_tab_blocks(built: dict) -> None:
    text = (ROOT / "data" / "raw" / "xinzheng-2023-highland-plan.txt").read_text(encoding="utf-8")
    _, ing = built[("xinzheng-2023-highland-plan", "html")]
    assert [x for x in ing.text.splitlines() if "\t" in x] == [x for x in seed_body(text) if "\t" in x]


@pytest.mark.parametrize("stem", seed_ids())
def test_pdf_keeps_every_line_in_order(built: dict, stem: str) -> None:
    text = (ROOT / "data" / "raw" / f"{stem}.txt").read_text(encoding="utf-8")
    _, ing = built[(stem, "pdf")]
    # Seed lines that are themselves page numbers (— 10 —) may land on a page edge and be dropped.
    expected = [compact(x) for x in seed_body(text) if compact(x) and not PAGE_NUMBER_LIKE.match(compact(x))]
    assert missing_in_stream(expected, ing.text) == []
    assert ing.source.format == "pdf" and ing.source.encoding is None


@pytest.mark.parametrize("stem", seed_ids())
def test_pdf_page_numbers_and_headers_dropped(built: dict, stem: str) -> None:
    path, ing = built[(stem, "pdf")]
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        pages = len(pdf.pages)
    assert pages >= 2
    assert PDF_HEADER not in ing.text
    headers = [d for d in ing.dropped if d.reason == "page-header"]
    assert [d.page for d in headers] == list(range(1, pages + 1))
    assert all(d.text == PDF_HEADER for d in headers)
    # Removed before the text existed: a page, but no line or offsets.
    assert all(d.line is None and d.page is not None for d in ing.dropped)
    numbers = {(d.page, compact(d.text)) for d in ing.dropped if d.reason == "page-number"}
    assert {(n, f"—{n}—") for n in range(1, pages + 1)} <= numbers
    for n in range(1, pages + 1):
        assert f"— {n} —" not in ing.text.splitlines()
    assert all(d.raw_start == -1 for d in ing.dropped)


def test_pdf_ruled_tables_become_tab_rows(built: dict) -> None:
    text = (ROOT / "data" / "raw" / "xinzheng-2023-highland-plan.txt").read_text(encoding="utf-8")
    _, ing = built[("xinzheng-2023-highland-plan", "pdf")]
    seed_rows = [compact(x) for x in seed_body(text) if "\t" in x]
    got_rows = [x for x in ing.text.splitlines() if "\t" in x]
    assert [compact(x) for x in got_rows] == seed_rows
    # Cells wrap inside narrow columns; the joins are spaces that the normalizer removes.
    assert [compact(c) for c in got_rows[0].split("\t")] == ["序号", "工作任务", "责任单位"]


@pytest.mark.parametrize("page_format", ["第 {n} 页", "{n}"])
def test_pdf_other_page_number_styles_and_alternating_heads(tmp_path: Path, page_format: str) -> None:
    text = (ROOT / "data" / "raw" / "zhengzhou-2022-highland-plan.txt").read_text(encoding="utf-8")
    path = build_pdf(text, tmp_path / "alt.pdf", header="郑州市人民政府公报", even_header="2022年第11期", page_format=page_format)
    ing = read_path(path)
    assert "郑州市人民政府公报" not in ing.text and "2022年第11期" not in ing.text
    numbers = [compact(d.text) for d in ing.dropped if d.reason == "page-number"]
    pages = sum(1 for d in ing.dropped if d.reason == "page-header")
    assert pages >= 4 and numbers == [compact(page_format.format(n=n)) for n in range(1, pages + 1)]
    expected = [compact(x) for x in seed_body(text) if compact(x)]
    assert missing_in_stream(expected, ing.text) == []


# -- whole documents: the same clauses from every format and encoding ------------------------


def clause_keys(doc: Document) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(c.label, c.heading, tuple(c.path)) for c in doc.clauses]


def section_keys(doc: Document) -> list[tuple[str, str, int]]:
    return [(s.label, s.title, s.level) for s in doc.iter_sections()]


@pytest.fixture(scope="session")
def seed_parsed() -> dict[str, Document]:
    return {seed.stem: parse_file(seed) for seed in SEEDS}


@pytest.mark.parametrize("fmt", ["docx", "pdf", "html"])
@pytest.mark.parametrize("stem", seed_ids())
def test_round_trip_gives_the_seed_clauses(built: dict, seed_parsed: dict[str, Document], stem: str, fmt: str) -> None:
    """A .docx/.pdf/.html made from a seed parses to the .txt's clause labels, headings and section paths."""
    ref = seed_parsed[stem]
    path, _ = built[(stem, fmt)]
    doc = parse_file(path)
    assert doc.source.format == fmt and ref.clauses
    assert clause_keys(doc) == clause_keys(ref)
    assert section_keys(doc) == section_keys(ref)
    # The clause texts too (whitespace aside: a PDF has its own line breaks and CJK spacing).
    assert [compact(c.text) for c in doc.clauses] == [compact(c.text) for c in ref.clauses]
    page_only = {"source_site", "publish_date", "index_number"}  # a web page's info bar says more than the text
    assert doc.metadata.model_dump(exclude=page_only) == ref.metadata.model_dump(exclude=page_only)
    if fmt == "html":
        assert (str(doc.metadata.publish_date), doc.metadata.source_site) == ("2023-08-28", "市人民政府办公室")
    if fmt == "pdf":
        # What ingest dropped (never in the raw text) keeps its page in the document.
        removed = [d for d in doc.dropped if d.raw_start == -1]
        assert removed and all(d.page is not None and d.line is None for d in removed)


@pytest.mark.parametrize("stem", seed_ids())
def test_gb18030_copy_parses_like_the_utf8_seed(tmp_path: Path, seed_parsed: dict[str, Document], stem: str) -> None:
    seed = ROOT / "data" / "raw" / f"{stem}.txt"
    copy = tmp_path / seed.name
    data = seed.read_text(encoding="utf-8").encode("gb18030")
    copy.write_bytes(data)
    assert data != seed.read_bytes()
    doc, ref = parse_file(copy), seed_parsed[stem]
    # Same clauses, text and metadata: only the source record differs.
    assert doc.model_dump(exclude={"source"}) == ref.model_dump(exclude={"source"})
    assert doc.source.encoding == "gb18030" and ref.source.encoding == "utf-8"
    assert doc.source.size == len(data) and doc.source.sha256 == hashlib.sha256(data).hexdigest() != ref.source.sha256


CLAUSE_TWO = (
    "推进产教融合，深化校企合作，全面建设一批高水平产教融合型实训基地，到2025年全市建成市级以上职业教育公共实训基地30个，"
    "培育产教融合型企业50家，企业参与职业教育的积极性明显提高，校企合作的长效机制基本形成，全市高职院校毕业生就业率保持在95%以上"
)


def test_pdf_wrapped_lines_become_paragraphs(tmp_path: Path) -> None:
    """Lines the layout wrapped are joined (also over a page break); indents, short lines, titles and
    right-aligned signatures keep their own lines."""
    path = build_layout_pdf(tmp_path / "layout.pdf", [
        [
            ("title", "某某市人民政府关于印发职业教育提质培优"),
            ("title", "行动方案的通知"),
            ("left", "各县（区）人民政府，市政府各部门："),
            ("indent", "一、总体要求"),
            # ≤ 50 characters without a full stop: alone it would pass for a heading.
            ("indent-full", "1. 坚持职业教育面向市场、服务发展、促进就业的根本导向，支持职业院校开"),
            ("left", "展技能等级认定工作。加强就业指导。"),
            ("indent-full", "2. 推进产教融合，深化校企合作，全面建设一批高水平产教融合型实训基地，到"),
            ("full", "2025年全市建成市级以上职业教育公共实训基地30个，培育产教融合型企业50家，"),
            ("full", "企业参与职业教育的积极性明显提高，校企合作的长效机制基本形成，全市高职"),
        ],
        [
            ("left", "院校毕业生就业率保持在95%以上。"),
            ("indent", "（一）工作目标"),
            ("indent-full", "各地各部门要充分认识发展职业教育的重要意义，切实加强组织领导，"),
            ("indent", "确保各项任务落到实处。"),
            ("right", "某某市人民政府"),
            ("right", "2023年6月20日"),
        ],
    ])
    lines = [compact(x) for x in read_path(path).text.splitlines()]
    assert lines == [
        "某某市人民政府关于印发职业教育提质培优行动方案的通知",
        "各县（区）人民政府，市政府各部门：",
        "一、总体要求",
        "1.坚持职业教育面向市场、服务发展、促进就业的根本导向，支持职业院校开展技能等级认定工作。加强就业指导。",
        "2." + CLAUSE_TWO + "。",
        "（一）工作目标",
        "各地各部门要充分认识发展职业教育的重要意义，切实加强组织领导，",
        "确保各项任务落到实处。",
        "某某市人民政府",
        "2023年6月20日",
    ]
    doc = parse_file(path)
    assert [(c.label, c.heading) for c in doc.clauses][:2] == [
        ("1", "坚持职业教育面向市场、服务发展、促进就业的根本导向，支持职业院校开展技能等级认定工作"),
        ("2", CLAUSE_TWO),
    ]


# -- Word numbering details --------------------------------------------------------------------


def test_docx_multilevel_numbering_resets_deeper_levels(tmp_path: Path) -> None:
    levels = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3."), ("decimalEnclosedCircle", "%4")]
    items = [("总体要求", 0), ("指导思想", 1), ("甲", 2), ("乙", 2), ("丙", 3), ("基本原则", 1), ("丁", 2),
             ("未编号段落", None), ("重点任务", 0), ("戊", 1), ("己", 2)]
    ing = read_path(build_list_docx(tmp_path / "m.docx", levels, items))
    assert ing.text.splitlines() == ["一、总体要求", "（一）指导思想", "1.甲", "2.乙", "①丙", "（二）基本原则", "1.丁",
                                     "未编号段落", "二、重点任务", "（一）戊", "1.己"]


def test_docx_numbering_restart_and_style_numbering(tmp_path: Path) -> None:
    levels = [("decimal", "%1."), ("decimal", "%1.%2")]
    items = [("甲", 0), ("乙", 0), ("乙一", 1), ("丙", 0), ("丁", 0)]
    ing = read_path(build_list_docx(tmp_path / "r.docx", levels, items, restart_at={3: 7}, via_style=True))
    assert ing.text.splitlines() == ["1.甲", "2.乙", "2.1乙一", "7.丙", "8.丁"]


@pytest.mark.parametrize(
    ("n", "fmt", "want"),
    [(1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (11, "chineseCounting", "十一"), (20, "chineseCounting", "二十"),
     (101, "chineseCountingThousand", "一百零一"), (110, "chineseCountingThousand", "一百一十"),
     (12, "japaneseCounting", "十二"), (110, "japaneseCounting", "百十"), (3, "ideographTraditional", "丙"),
     (13, "ideographTraditional", "丙"), (2, "ideographZodiac", "丑"), (10, "ideographDigital", "一〇"),
     (5, "chineseLegalSimplified", "伍"), (4, "upperRoman", "IV"), (9, "lowerRoman", "ix"), (28, "lowerLetter", "bb"),
     (3, "decimalEnclosedCircle", "③"), (7, "decimalZero", "07"), (12, "decimalFullWidth", "１２"), (5, "mystery", "5")],
)
def test_word_number_formats(n: int, fmt: str, want: str) -> None:
    assert format_number(n, fmt) == want


def test_docx_revisions_hidden_text_and_text_boxes(tmp_path: Path) -> None:
    import docx
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document = docx.Document()
    p = document.add_paragraph("保留")
    p._p.append(parse_xml(f'<w:del {w} w:id="1" w:author="a"><w:r><w:delText>已删除</w:delText></w:r></w:del>'))
    p._p.append(parse_xml(f'<w:ins {w} w:id="2" w:author="a"><w:r><w:t>新增</w:t></w:r></w:ins>'))
    p._p.append(parse_xml(f'<w:r {w}><w:rPr><w:vanish/></w:rPr><w:t>隐藏文字</w:t></w:r>'))
    p._p.append(parse_xml(f'<w:r {w}><w:tab/><w:t>制表</w:t><w:br/><w:t>换行</w:t></w:r>'))
    document.save(str(tmp_path / "rev.docx"))
    ing = read_path(tmp_path / "rev.docx")
    assert ing.text.splitlines() == ["保留新增 制表", "换行"]
    assert [(d.reason, d.text) for d in ing.dropped] == [("word-artifact", "隐藏文字")]


# -- HTML details ------------------------------------------------------------------------------


def test_html_title_outside_content_is_kept_and_layout_handled(tmp_path: Path) -> None:
    page = """<html><head><meta charset="utf-8"></head><body>
    <div id="nav"><a>首页</a><a>新闻中心</a></div>
    <div class="detail"><h1 class="art-title">关于进一步加强职业教育工作的通知</h1>
    <div class="TRS_Editor"><p>各区县人民政府：</p><p>为深入贯彻落实职业教育法，现就有关事项通知如下。</p>
    <p>一、提高认识<br>职业教育是国民教育体系的重要组成部分。</p>
    <table><tr><td>序号</td><td colspan="2">任务</td></tr><tr><td rowspan="2">1</td><td>甲</td><td>乙</td></tr>
    <tr><td>丙</td><td>丁</td></tr></table>
    <div style="display:none">隐藏的统计代码说明</div>
    <div class="bdsharebuttonbox">分享到微博</div></div></div>
    <div class="footer">版权所有：某某市人民政府</div></body></html>"""
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    ing = read_path(path)
    assert ing.text.splitlines() == [
        "关于进一步加强职业教育工作的通知", "各区县人民政府：", "为深入贯彻落实职业教育法，现就有关事项通知如下。",
        "一、提高认识", "职业教育是国民教育体系的重要组成部分。", "", "序号\t任务\t", "1\t甲\t乙", "\t丙\t丁",
    ]
    dropped = [d.text for d in ing.dropped]
    assert "分享到微博" in dropped and "版权所有：某某市人民政府" in dropped and "隐藏的统计代码说明" in dropped
    assert any("首页" in d for d in dropped)


def test_html_meta_charset_gbk_and_wrong_declaration(tmp_path: Path) -> None:
    text = "关于印发实施方案的通知\n一、总体要求\n朱镕基同志和王喆同志的讲话精神。\n"
    gb = build_html(text, tmp_path / "gb.html", encoding="gb18030")  # declares gb2312, holds GBK-only 镕 喆
    ing = read_path(gb)
    assert ing.source.encoding == "gb18030" and "朱镕基同志和王喆同志的讲话精神。" in ing.text
    # A page that declares utf-8 but is really GBK is detected anyway.
    wrong = tmp_path / "wrong.html"
    wrong.write_bytes(html_page(text, "utf-8").encode("gbk"))
    assert "一、总体要求" in read_path(wrong).text


# -- encodings -----------------------------------------------------------------------------------

SIMPLIFIED = (ROOT / "data" / "raw" / "zhengzhou-reform-plan-drafting-note.txt").read_text(encoding="utf-8")[:1500]
TRADITIONAL = "為貫徹落實國務院關於職業教育改革的決定，現將有關事項通知如下。一、提高思想認識，加強組織領導。"


@pytest.mark.parametrize(
    ("label", "text", "encode"),
    [
        ("gb18030", SIMPLIFIED + "𠀀", lambda t: t.encode("gb18030")),  # 𠀀 needs GB18030's four-byte form
        ("gbk", SIMPLIFIED, lambda t: t.encode("gbk")),
        ("gb2312-short", "关于印发方案的通知：各单位要认真贯彻执行。", lambda t: t.encode("gb2312")),
        ("utf-8-bom", SIMPLIFIED, lambda t: codecs.BOM_UTF8 + t.encode("utf-8")),
        ("utf-16-bom", SIMPLIFIED, lambda t: t.encode("utf-16")),
        ("utf-16-be-bom", SIMPLIFIED, lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be")),
        ("utf-16-le-no-bom", SIMPLIFIED, lambda t: t.encode("utf-16-le")),
        ("big5", TRADITIONAL, lambda t: t.encode("big5")),
        ("utf-8", SIMPLIFIED, lambda t: t.encode("utf-8")),
    ],
)
def test_encodings_decode_to_the_same_text(tmp_path: Path, label: str, text: str, encode) -> None:
    path = tmp_path / f"{label}.txt"
    path.write_bytes(encode(text))
    ing = read_path(path)
    assert ing.text == text
    assert ing.source.encoding


def test_gb_detection_prefers_gb18030() -> None:
    _, used = decode_text(SIMPLIFIED.encode("gbk"), "x.txt")
    assert used == "gb18030"


def test_explicit_encoding_overrides_and_reports(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(TRADITIONAL.encode("big5"))
    assert read_path(path, encoding="big5").text == TRADITIONAL
    with pytest.raises(EncodingDetectionError, match="Try another encoding, e.g. gb18030") as info:
        read_path(path, encoding="utf-8")
    assert (info.value.option, info.value.value) == ("encoding", "gb18030")
    with pytest.raises(EncodingDetectionError, match="unknown encoding 'no-such-codec'. Give a Python codec name") as info:
        read_path(path, encoding="no-such-codec")
    assert "--" not in str(info.value), "library errors name no CLI flag"
    assert info.value.option == "encoding"


def test_byte_soup_is_undetectable(tmp_path: Path) -> None:
    import random

    rng = random.Random(5)
    path = tmp_path / "soup.txt"
    path.write_bytes(bytes(rng.choice(list(range(0x80, 0x100)) + [0x20, 0x0A]) for _ in range(3000)))
    with pytest.raises(EncodingDetectionError) as info:
        read_path(path)
    assert "cannot detect the text encoding" in str(info.value) and "Name the encoding, e.g. gb18030." in str(info.value)
    assert (info.value.option, info.value.value) == ("encoding", "gb18030")


def test_utf8_cut_mid_character_and_almost_utf8(tmp_path: Path) -> None:
    data = ("关于印发实施方案的通知。" * 20).encode("utf-8")
    cut = tmp_path / "cut.txt"
    cut.write_bytes(data[:-1])  # the last 。 loses a byte
    assert read_path(cut).text == "关于印发实施方案的通知。" * 19 + "关于印发实施方案的通知"
    broken = tmp_path / "broken.txt"
    broken.write_bytes(data[:30] + b"\xff" + data[30:])
    with pytest.raises(EncodingDetectionError, match=r"UTF-8 except for 1 invalid byte.*first at byte 30.*name the encoding"):
        read_path(broken)


def test_html_form_wrapper_and_no_content_names(tmp_path: Path) -> None:
    body = "".join(f"<p>{i}.为深入贯彻落实职业教育法，推进现代职业教育体系建设，现就有关事项通知如下。</p>" for i in range(1, 4))
    page = (f'<html><body><form id="form1"><div class="nav"><a>首页</a><a>政务公开</a></div><div><div>'
            f"<h2>关于加强职业教育工作的通知</h2>{body}</div><div>相关链接：<a>国务院</a></div></div>"
            '<div id="footer">版权所有</div></form></body></html>')
    ing = read_bytes(page.encode(), "aspx.html", "html")
    assert ing.text.splitlines()[0] == "关于加强职业教育工作的通知"
    assert len(ing.text.splitlines()) == 4
    assert {d.text for d in ing.dropped} >= {"首页政务公开", "版权所有", "相关链接：国务院"}


def test_crlf_becomes_lf(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes("一、总则\r\n（一）目的\r\n".encode("gb18030"))
    assert read_path(path).text == "一、总则\n（一）目的\n"


# -- bad inputs ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "error", "cause", "fix"),
    [
        ("empty.txt", EmptyInputError, r"empty", r"Give a notice with text"),
        ("whitespace.txt", EmptyInputError, r"empty \(only whitespace\)", r"Give a notice with text"),
        ("binary.txt", BinaryInputError, r"NUL bytes .* binary file", r"Give a \.txt/\.md notice saved as text"),
        ("nul.txt", BinaryInputError, r"NUL bytes \(first at byte 34\)", r"real extension"),
        ("latin1-garbage.txt", EncodingDetectionError, r"cannot detect the text encoding", r"Name the encoding, e\.g\. gb18030"),
        ("truncated.docx", CorruptFileError, r"not a valid \.docx \(truncated or damaged", r"Re-save it from Word"),
        ("scanned.pdf", NoTextLayerError, r"has no text layer \(scanned\?\)", r"run OCR first, e\.g\. ocrmypdf"),
        ("not-a-pdf.pdf", CorruptFileError, r"is not a PDF: no %PDF header, it is a web page", r"download the PDF again"),
    ],
)
def test_bad_inputs_say_cause_and_fix(name: str, error: type[InputError], cause: str, fix: str) -> None:
    path = BAD / name
    assert path.exists() and path.stat().st_size < 4096, "bad fixtures are tiny committed files"
    with pytest.raises(error) as info:
        read_path(path)
    message = str(info.value)
    assert str(path) in message
    assert re.search(cause, message), message
    assert re.search(fix, message), message


def test_too_large_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    chunk = bytes(range(256)) * 4096  # 1 MB of noise
    with path.open("wb") as f:
        for _ in range(50):
            f.write(chunk)
    tracemalloc.start()
    try:
        with pytest.raises(InputTooLargeError) as info:
            read_path(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5 * 1024 * 1024
    message = str(info.value)
    assert "50.0 MB" in message and f"{DEFAULT_MAX_BYTES:,}" in message and "raise the limit (max_bytes), e.g. to 52428801" in message
    assert (info.value.option, info.value.value) == ("max_bytes", 52428801)


def test_max_bytes_can_be_raised_or_lowered() -> None:
    seed = SEEDS[0]
    with pytest.raises(InputTooLargeError, match=r"raise the limit \(max_bytes\)"):
        read_path(seed, max_bytes=100)
    assert read_path(seed, max_bytes=seed.stat().st_size).text


def test_missing_folder_and_unsupported(tmp_path: Path) -> None:
    with pytest.raises(FileMissingError, match="no such file"):
        read_path(tmp_path / "nope.txt")
    with pytest.raises(UnsupportedFormatError, match="folder"):
        read_path(tmp_path)
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    with pytest.raises(UnsupportedFormatError, match=r"save it as \.docx"):
        read_path(tmp_path / "old.doc")
    (tmp_path / "old.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    with pytest.raises(UnsupportedFormatError, match=r"\.doc\) with a \.docx name.*save it as \.docx"):
        read_path(tmp_path / "old.docx")
    (tmp_path / "x.xlsx").write_bytes(b"PK")
    with pytest.raises(UnsupportedFormatError, match=r"Supported: \.txt"):
        read_path(tmp_path / "x.xlsx")


def test_pdf_renamed_txt_is_binary(tmp_path: Path, built: dict) -> None:
    pdf, _ = built[("zhengzhou-reform-plan-drafting-note", "pdf")]
    path = tmp_path / "really-a-pdf.txt"
    path.write_bytes(pdf.read_bytes())
    with pytest.raises(BinaryInputError, match=r"is a PDF file, not text\. If so, rename it to \.pdf"):
        read_path(path)


def test_encrypted_pdf(tmp_path: Path) -> None:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    path = tmp_path / "locked.pdf"
    c = canvas.Canvas(str(path), encrypt=pdfencrypt.StandardEncryption("secret", canPrint=0))
    c.drawString(100, 700, "locked")
    c.save()
    with pytest.raises(EncryptedFileError, match=r"password.*qpdf --password=PASS --decrypt"):
        read_path(path)


def test_damaged_pdf(tmp_path: Path, built: dict) -> None:
    pdf, _ = built[("zhengzhou-reform-plan-drafting-note", "pdf")]
    path = tmp_path / "cut.pdf"
    path.write_bytes(pdf.read_bytes()[:1500])
    with pytest.raises((CorruptFileError, NoTextLayerError)):
        read_path(path)


# -- contract ------------------------------------------------------------------------------------


def test_source_fields_and_read_bytes_agree(built: dict) -> None:
    path, ing = built[("kaifeng-2021-expansion-plan", "docx")]
    data = path.read_bytes()
    assert ing.source.path == str(path)
    assert ing.source.sha256 == hashlib.sha256(data).hexdigest() and ing.source.size == len(data)
    again = read_bytes(data, name=str(path), fmt="docx")
    assert again.text == ing.text and again.source == ing.source
    seed = SEEDS[0]
    txt = read_path(seed)
    assert txt.source.format == "txt" and txt.source.encoding == "utf-8" and txt.dropped == []
    assert txt.text == seed.read_text(encoding="utf-8")


def test_iter_supported(tmp_path: Path) -> None:
    for name in ["b.docx", "a.txt", "C.PDF", "d.htm", "e.md", ".hidden.txt", "~$lock.docx", "notes.xlsx"]:
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "f.txt").write_bytes(b"x")
    assert [p.name for p in iter_supported(tmp_path)] == ["C.PDF", "a.txt", "b.docx", "d.htm", "e.md"]
    with pytest.raises(FileMissingError):
        iter_supported(tmp_path / "missing")
