"""Issue 2: the parse of the seeds, against gold and against losing text."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

import policydiff
from conftest import RAW, ROOT, SEEDS, SHARED
from policydiff.api import document_json
from policydiff.schema import Document

FULLWIDTH = str.maketrans({",": "，", "(": "（", ")": "）", ":": "：", ";": "；"})
GOLD = SHARED / "gold" / "structure.tsv"


def load_gold() -> dict[str, list[tuple[str, str, str]]]:
    gold: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        doc, path, label, heading = line.split("\t")
        gold[doc].append((path.translate(FULLWIDTH), label, heading.translate(FULLWIDTH)))
    return gold


@pytest.mark.skipif(not GOLD.exists(), reason="shared gold not beside the repo")
@pytest.mark.parametrize("doc_name", sorted(load_gold()) if GOLD.exists() else [])
def test_clauses_match_gold(seed_docs: dict[str, Document], doc_name: str) -> None:
    expected = load_gold()[doc_name]
    doc = seed_docs[doc_name]
    got = [(" > ".join(c.path).translate(FULLWIDTH), c.label, c.heading.translate(FULLWIDTH)) for c in doc.clauses if c.style == "arabic"]
    assert got == expected


_STRIP = re.compile(r"[\s\W_]+", re.UNICODE)


def _fold(text: str) -> str:
    return _STRIP.sub("", text)


def _haystack(doc: Document) -> str:
    data = json.loads(doc.model_dump_json(exclude={"text", "raw_text"}))
    parts: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            parts.append(value)
        elif isinstance(value, dict):
            if "label" in value and "text" in value and "heading" in value:
                parts.append(str(value["label"]) + value["text"])  # a clause with its number
            if "cells" in value:
                parts.append("".join(value["cells"]))  # a table row as one line
            if "header" in value and "rows" in value:
                parts.append("".join(value["header"]))
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(data)
    return "\u0000".join(_fold(p) for p in parts)


@pytest.mark.parametrize("path", SEEDS, ids=[p.stem for p in SEEDS])
def test_every_raw_sentence_is_in_the_parse(seed_docs: dict[str, Document], path: Path) -> None:
    doc = seed_docs[path.stem]
    raw = doc.raw_text
    # Blank out what the normalizer dropped, by its raw offsets, then split on 。
    chars = list(raw)
    for d in doc.dropped:
        if d.raw_start >= 0:
            for i in range(d.raw_start, d.raw_end):
                chars[i] = " "
    hay = _haystack(doc)
    missing = []
    for sentence in "".join(chars).split("。"):
        folded = _fold(sentence)
        if not folded or folded in hay:
            continue
        # A sentence that crosses paragraphs (a heading, then text) must be found piece by piece.
        pieces = [_fold(x) for x in re.split(r"\n\s*\n|\n(?=\S)", sentence)]
        if all(not p or p in hay for p in pieces):
            continue
        missing.append(sentence.strip()[:80])
    assert missing == []


def test_dropped_records_noise_with_reasons(seed_docs: dict[str, Document]) -> None:
    zz = seed_docs["zhengzhou-2022-highland-plan"]
    noise = [d for d in zz.dropped if d.reason == "web-noise"]
    assert len(noise) >= 50 and all(d.text.startswith("头条") for d in noise)
    assert all(zz.raw_text[d.raw_start : d.raw_end] == d.text for d in zz.dropped)
    spec = seed_docs["zhengzhou-2023-specialty-opinions"]
    assert {d.text for d in spec.dropped if d.reason == "page-number"} == {"—   10  —", "—   1  —"}
    note = seed_docs["zhengzhou-reform-plan-drafting-note"]
    assert [d.text for d in note.dropped if d.reason == "word-artifact"] == ["[bookmark: _GoBack]"]
    kf = seed_docs["kaifeng-2021-expansion-plan"]
    assert {d.reason for d in kf.dropped} == {"markup"}
    assert "#" not in kf.text and "**" not in kf.text


def test_pdf_spacing_and_page_breaks_are_repaired(seed_docs: dict[str, Document]) -> None:
    spec = seed_docs["zhengzhou-2023-specialty-opinions"]
    assert "产教对话机制" in spec.clause("s4.s3.c1").heading
    assert "到2025年" in spec.text and "1—3个" in spec.text
    xz = seed_docs["xinzheng-2023-highland-plan"]
    assert "为新郑打造" in xz.text
    assert "20名以上" in xz.text
    kf = seed_docs["kaifeng-2021-expansion-plan"]
    assert "新增14.5万人的目标" in kf.text  # the trap line is joined, not a clause
    assert all(c.label != "14" for c in kf.clauses)


def test_metadata_of_seeds(seed_docs: dict[str, Document]) -> None:
    xz = seed_docs["xinzheng-2023-highland-plan"].metadata
    assert xz.doc_number and xz.doc_number.normalized == "新政办〔2023〕17号"
    assert (xz.doc_number.year, xz.doc_number.seq, xz.doc_number.agency) == (2023, 17, "新政办")
    assert xz.title == "新郑市人民政府办公室关于印发新郑市职业教育高质量创新发展高地建设实施方案的通知"
    assert xz.plan_title == "新郑市职业教育高质量创新发展高地建设实施方案"
    assert xz.authority == "新郑市人民政府办公室"
    assert xz.addressees == ["各乡镇人民政府", "各街道办事处", "市人民政府各部门", "各有关单位"]
    assert str(xz.print_date) == "2023-08-28" and xz.sponsor == "市教育局"
    assert xz.cc[-1] == "市检察院" and xz.doc_type == "实施方案"
    kf = seed_docs["kaifeng-2021-expansion-plan"].metadata
    assert kf.doc_number and kf.doc_number.normalized == "汴政〔2021〕42号"
    assert str(kf.issue_date) == "2021-11-23" and str(kf.print_date) == "2021-11-25"
    assert kf.supervisor == "市政府办公室四科" and kf.doc_type == "行动方案"
    assert kf.addressees == ["各县、区人民政府", "各有关单位"]
    spec = seed_docs["zhengzhou-2023-specialty-opinions"].metadata
    assert spec.title == "郑州市人民政府办公厅关于郑州市深化现代职业教育专业结构调整优化的实施意见"
    assert str(spec.issue_date) == "2023-10-19" and spec.doc_type == "实施意见"
    zz = seed_docs["zhengzhou-2022-highland-plan"].metadata
    assert zz.plan_title == "郑州市职业教育创新发展高地建设实施方案" and zz.doc_type == "新闻稿"
    note = seed_docs["zhengzhou-reform-plan-drafting-note"].metadata
    assert note.doc_type == "起草说明"


def test_declared_counts(seed_docs: dict[str, Document]) -> None:
    zz = seed_docs["zhengzhou-2022-highland-plan"].metadata.declared_counts
    assert [(c.value, c.what, c.parsed) for c in zz] == [(25, "重点任务", 25)]
    xz = seed_docs["xinzheng-2023-highland-plan"].metadata.declared_counts
    assert (23, "行动计划", 23) in [(c.value, c.what, c.parsed) for c in xz]
    note = seed_docs["zhengzhou-reform-plan-drafting-note"].metadata.declared_counts
    assert [(c.value, c.what) for c in note] == [(4, "部分"), (24, "内容")]


def test_declared_count_mismatch_is_a_warning() -> None:
    text = (RAW / "zhengzhou-2022-highland-plan.txt").read_text(encoding="utf-8")
    cut = re.sub(r"\n25\.[^\n]*", "", text)
    doc = policydiff.parse_text(cut, name="cut")
    codes = [i.code for i in doc.issues]
    assert "declared-count-mismatch" in codes


def test_attachment_tables(seed_docs: dict[str, Document]) -> None:
    xz = seed_docs["xinzheng-2023-highland-plan"]
    (att,) = xz.attachments
    assert att.title == "新郑市职业教育高质量创新发展高地建设工作任务清单"
    first, second = att.tables
    assert first.header == ["序号", "工作任务", "责任单位"] and len(first.rows) == 29
    assert [r.cells[0] for r in first.rows] == [str(i) for i in range(1, 30)]
    assert second.rows[-1].duplicate_of == len(second.rows) - 2
    assert [i.code for i in xz.issues] == ["duplicate-table-row"]
    assert sum(d.reason == "repeated-header" for d in xz.dropped) == 3


def test_section_bodies_and_ordinal_items(seed_docs: dict[str, Document]) -> None:
    spec = seed_docs["zhengzhou-2023-specialty-opinions"]
    principles = spec.sections[1]
    assert principles.title == "二、基本原则"
    assert principles.sections[0].title == "（一）坚持三标引领，提质进位"
    assert principles.sections[0].body[0].startswith("对标国家中心城市")
    note = seed_docs["zhengzhou-reform-plan-drafting-note"]
    items = next(s for s in note.sections if s.title.startswith("四、")).items
    assert [i[:2] for i in items] == ["首先", "其次", "再次", "第四"]
    opinions = next(s for s in note.sections if s.title.startswith("五、")).items
    assert [i[:2] for i in opinions] == ["一是", "二是", "三是", "四是"]


def test_mis_leveled_heading_and_ids(seed_docs: dict[str, Document]) -> None:
    zz = seed_docs["zhengzhou-2022-highland-plan"]
    assert [s.title for s in zz.sections][-1] == "三、保障措施"
    assert zz.clause("21").path == ["三、保障措施"]
    xz = seed_docs["xinzheng-2023-highland-plan"]
    assert xz.clause("3").id == "s2.s1.c3"
    assert all(c.id.isascii() for c in xz.clauses)
    c = xz.clause("20")
    assert xz.text[c.span.start : c.span.end].startswith("20.建立联席会议制度")
    assert xz.raw_text[c.span.raw_start : c.span.raw_end].startswith("20. 建立联席会议制度")
    assert c.span.line == 101


def test_kaifeng_restarts_are_info_not_warnings(seed_docs: dict[str, Document]) -> None:
    kf = seed_docs["kaifeng-2021-expansion-plan"]
    assert [(i.code, i.severity) for i in kf.issues] == [("numbering-restart", "info")]


def test_numbering_gap_and_repeat_are_reported() -> None:
    text = "一、任务\n1.甲。\n2.乙。\n4.丁。\n4.戊。\n"
    doc = policydiff.parse_text(text, name="t")
    assert [i.code for i in doc.issues if i.code.startswith("numbering")] == ["numbering-gap", "numbering-repeat"]


def test_table_rows_are_not_clauses() -> None:
    text = "一、任务\n1.甲。\n序号\t工作任务\t责任单位\n1\t做甲\t市教育局\n2\t做乙\t市财政局\n"
    doc = policydiff.parse_text(text, name="t")
    assert [c.label for c in doc.clauses] == ["1"]
    assert len(doc.attachments[0].tables[0].rows) == 2


@pytest.mark.parametrize("path", SEEDS, ids=[p.stem for p in SEEDS])
def test_parsed_seed_json_is_up_to_date(seed_docs: dict[str, Document], path: Path) -> None:
    stored = ROOT / "data" / "parsed" / f"{path.stem}.json"
    assert stored.exists(), f"run: policydiff parse data/raw/*.txt (missing {stored})"
    assert stored.read_text(encoding="utf-8") == document_json(seed_docs[path.stem]), (
        f"{stored} is out of date with the parser: run `policydiff parse data/raw/*.txt`"
    )


def test_labels_and_counts_share_the_numeral_parser() -> None:
    from policydiff.text.numbering import cn_to_int, match_label
    from policydiff.text.numbers import cn_to_int as numeral

    for s in ("一", "十", "十二", "二十四", "两", "一百零五", "三万五千"):
        assert cn_to_int(s) == numeral(s) is not None
    assert cn_to_int("12") == 12 and numeral("12") is None  # labels and counts may be written in digits
    # Slogans and digit runs are no numbers (the label parser once read 十四五 as 15).
    assert [cn_to_int(s) for s in ("十四五", "二〇二五", "三五")] == [None, None, None]
    label = match_label("（十二）加强组织领导")
    assert label is not None and label.value == 12
    assert match_label("十四五、期间") is None


@pytest.mark.parametrize("path", SEEDS, ids=[p.stem for p in SEEDS])
def test_parsed_document_validates_as_built(seed_docs: dict[str, Document], path: Path) -> None:
    # Every model the extractors build holds values its schema accepts unchanged.
    doc = seed_docs[path.stem]
    assert Document.model_validate(doc.model_dump()) == doc


def test_news_lead_gives_the_notice_metadata() -> None:
    doc = policydiff.parse_text(
        "2019年5月30日，开封市印发《开封市技能社会建设行动方案（2019—2025年）》（汴政〔2019〕103号）。\n"
        "一、总体要求\n1.坚持就业导向。到2025年培训10万人次。\n2.加强保障。完善制度。",
        name="news",
    )
    m = doc.metadata
    assert (m.title, m.authority, m.issue_date, m.doc_type) == (
        "开封市技能社会建设行动方案（2019—2025年）", "开封市", date(2019, 5, 30), "新闻稿"
    )
    assert m.doc_number is not None and (m.doc_number.normalized, m.doc_number.year, m.doc_number.seq) == ("汴政〔2019〕103号", 2019, 103)
    assert doc.citations == []  # the lead names the notice itself, not another document


def test_news_lead_without_year_leaves_the_date_unknown(seed_docs: dict[str, Document]) -> None:
    doc = seed_docs["zhengzhou-2022-highland-plan"]
    assert (doc.metadata.authority, doc.metadata.issue_date) == ("郑州市", None)


def test_models_share_their_field_name_sets(seed_docs: dict[str, Document]) -> None:
    """A parsed law holds a model per clause, span, sentence and target; a set of field names of its own
    (728 bytes) was most of each (bench_parse.py prints the memory). Shared, it must still behave:
    assignment, copies, JSON round trips."""
    doc = seed_docs["zhengzhou-2022-highland-plan"]
    a, b = doc.clauses[0], doc.clauses[1]
    assert a.span.model_fields_set is b.span.model_fields_set == set(type(a.span).model_fields)
    copy = a.model_copy(update={"label": "99"})
    copy.heading = "改过的标题"
    assert (copy.label, copy.heading, a.label) == ("99", "改过的标题", doc.clauses[0].label)
    assert set(type(a).model_fields) == a.model_fields_set  # unchanged by the assignment on the copy
    again = Document.model_validate_json(doc.model_dump_json())
    assert again == doc and again.model_dump_json() == doc.model_dump_json()
