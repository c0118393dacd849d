"""Citations: 《title》, document numbers, pairing, resolution. Snippets are from data/raw."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policydiff.extract.citations import find_citations, normalize_title, resolve_citations, title_score
from policydiff.schema import Citation, Clause, DocNumber, Document, Metadata, Span
from policydiff.text.docnumber import iter_doc_numbers, parse_doc_number

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"


def read(name: str) -> str:
    return (RAW / f"{name}.txt").read_text(encoding="utf-8")


def _doc_number(raw: str | None) -> DocNumber | None:
    parts = parse_doc_number(raw) if raw else None
    return DocNumber(**parts._asdict()) if parts else None


def brief(cits: list[Citation]) -> list[tuple[str | None, str | None, bool]]:
    return [(c.title, c.number.normalized if c.number else None, c.nonstandard) for c in cits]


# ---------------------------------------------------------------------------
# document numbers

NUMBERS = [
    ("新政办〔2023〕17号", "新政办〔2023〕17号", "新政办", 2023, 17, True),
    ("汴政〔2021〕42号", "汴政〔2021〕42号", "汴政", 2021, 42, True),
    ("(国发〔2019〕4 号)", "国发〔2019〕4号", "国发", 2019, 4, False),
    ("（中办发〔2021〕43号）", "中办发〔2021〕43号", "中办发", 2021, 43, True),
    ("（郑政办明电〔2021〕36号）", "郑政办明电〔2021〕36号", "郑政办明电", 2021, 36, True),
    ("实施方案》(国发〔2019〕4 号)", "国发〔2019〕4号", "国发", 2019, 4, False),
    ("关于印发国发〔2019〕4号", "国发〔2019〕4号", "国发", 2019, 4, True),
    ("的通知国办发[2017]95号", "国办发〔2017〕95号", "国办发", 2017, 95, False),
    ("教职成（2020）7号", "教职成〔2020〕7号", "教职成", 2020, 7, False),
    ("豫政【2021】2号", "豫政〔2021〕2号", "豫政", 2021, 2, False),
    ("豫政［2019］23号", "豫政〔2019〕23号", "豫政", 2019, 23, False),
    ("郑 政 办〔2022〕91 号", "郑政办〔2022〕91号", "郑政办", 2022, 91, False),
    ("国发〔2019〕第4号", "国发〔2019〕4号", "国发", 2019, 4, False),
    ("发改规划〔2019〕1号", "发改规划〔2019〕1号", "发改规划", 2019, 1, True),
]


@pytest.mark.parametrize("text, normalized, agency, year, seq, standard", NUMBERS)
def test_doc_numbers(text: str, normalized: str, agency: str, year: int, seq: int, standard: bool) -> None:
    dn = parse_doc_number(text)
    assert dn is not None
    assert (dn.normalized, dn.agency, dn.year, dn.seq, dn.standard) == (normalized, agency, year, seq, standard)
    assert dn.raw in text and dn.raw.startswith(agency[0])


@pytest.mark.parametrize(
    "text",
    [
        "和《中共中央办公厅 国务院办公厅关于推动现代职业教育高质量发展的意见》等文件精神",
        "中共中央办公厅 国务院办公厅〔2021〕43号",  # an organ name is no 机关代字
        "开封市职业教育提质扩容行动方案 (2021—2025 年)",
        "《职业教育提质培优行动计划（2020-2023年）》",
        "2023年8月28日印发",
        "的〔2019〕4号",
    ],
)
def test_no_doc_number(text: str) -> None:
    assert iter_doc_numbers(text) == []


# ---------------------------------------------------------------------------
# citations

CITATIONS = [
    pytest.param(
        "为贯彻落实《国家职业教育改革实施方案》(国发〔2019〕4 号)《职业教育提质培优行动计划(2020—2023)》(教职成〔2020〕7 号)"
        "《教育部 河南省人民政府关于深化职业教育改革推进技能社会建设的意见》(豫政〔2021〕2 号)和"
        "《中共中央办公厅 国务院办公厅关于推动现代职业教育高质量发展的意见》等文件精神,",
        [
            ("国家职业教育改革实施方案", "国发〔2019〕4号", True),
            ("职业教育提质培优行动计划(2020—2023)", "教职成〔2020〕7号", True),
            ("教育部 河南省人民政府关于深化职业教育改革推进技能社会建设的意见", "豫政〔2021〕2号", True),
            ("中共中央办公厅 国务院办公厅关于推动现代职业教育高质量发展的意见", None, False),
        ],
        id="kaifeng-basis",
    ),
    pytest.param(
        "为贯彻落实《关于推动现代职业教育高质量发展的意见》（中办发〔2021〕43号）、"
        "《中共中央办公厅 国务院办公厅关于深化现代职业教育体系建设改革的意见》"
        "《中共河南省委办公厅 河南省人民政府办公厅关于推动现代职业教育高质量发展的实施意见》（豫办〔2022〕35号）、"
        "《郑州市人民政府办公厅关于印发郑州市职业教育创新发展高地建设实施方案的通知》（郑政办〔2022〕91号）、"
        "《郑州市人民政府办公厅关于办好继续教育加快建设学习型城市的通知》（郑政办明电〔2021〕36号）等文件精神",
        [
            ("关于推动现代职业教育高质量发展的意见", "中办发〔2021〕43号", False),
            ("中共中央办公厅 国务院办公厅关于深化现代职业教育体系建设改革的意见", None, False),
            ("中共河南省委办公厅 河南省人民政府办公厅关于推动现代职业教育高质量发展的实施意见", "豫办〔2022〕35号", False),
            ("郑州市职业教育创新发展高地建设实施方案", "郑政办〔2022〕91号", False),
            ("郑州市人民政府办公厅关于办好继续教育加快建设学习型城市的通知", "郑政办明电〔2021〕36号", False),
        ],
        id="xinzheng-basis",
    ),
    pytest.param(
        "是我市积极贯彻国务院《国家职业教育改革实施方案》（国发〔2019〕4号）和省政府《河南省职业教育改革实施方案》（豫政〔2019〕23号）的行动表现",
        [("国家职业教育改革实施方案", "国发〔2019〕4号", False), ("河南省职业教育改革实施方案", "豫政〔2019〕23号", False)],
        id="drafting-note",
    ),
    pytest.param(
        "1.国务院《关于印发国家职业教育改革实施方案的通知》（国发〔2019〕4号）",
        [("国家职业教育改革实施方案", "国发〔2019〕4号", False)],
        id="wrapper-in-title",
    ),
    pytest.param(
        "2.教育部等九部门关于印发《职业教育提质培优行动计划（2020-2023年）》的通知（教职成〔2020〕7号）",
        [("职业教育提质培优行动计划（2020-2023年）", "教职成〔2020〕7号", False)],
        id="title-inside-notice",
    ),
    pytest.param(
        "《关于印发〈郑州市职业教育改革实施方案〉的通知》",
        [("郑州市职业教育改革实施方案", None, False)],
        id="nested-marks",
    ),
    pytest.param(
        "贯彻落实 《河南省职业教育布点多规模大专业清单》《河 南省职业教育急需紧缺专业清单》 要求",
        [("河南省职业教育布点多规模大专业清单", None, False), ("河南省职业教育急需紧缺专业清单", None, False)],
        id="pdf-spaces",
    ),
    pytest.param(
        "符合《划拨用地目录》的，可通过划拨方式供地",
        [("划拨用地目录", None, False)],
        id="title-only",
    ),
    pytest.param(
        "根据国发〔2019〕4号文件精神",
        [(None, "国发〔2019〕4号", False)],
        id="number-only",
    ),
    pytest.param(
        "根据国发[2019]4号、国发（2019）5号、国发【2019】6号和国发〔2019〕7 号",
        [
            (None, "国发〔2019〕4号", True),
            (None, "国发〔2019〕5号", True),
            (None, "国发〔2019〕6号", True),
            (None, "国发〔2019〕7号", True),
        ],
        id="nonstandard-brackets",
    ),
    pytest.param(
        "《方案》提出25项重点任务:",
        [],
        id="back-reference",
    ),
    pytest.param(
        "对《意见》（国发〔2019〕4号）",
        [(None, "国发〔2019〕4号", False)],
        id="back-reference-with-number",
    ),
    pytest.param(
        "《国家职业教育改革实施方案",
        [],
        id="unclosed",
    ),
]


@pytest.mark.parametrize("text, expected", CITATIONS)
def test_find_citations(text: str, expected: list[tuple[str | None, str | None, bool]]) -> None:
    cits = find_citations(text)
    assert brief(cits) == expected
    for c in cits:
        assert text[c.start : c.end] == c.raw
        if c.number is not None:
            assert c.nonstandard == (not c.number.standard)


def test_title_and_number_are_one_citation() -> None:
    text = "《国家职业教育改革实施方案》(国发〔2019〕4 号)"
    (c,) = find_citations(text)
    assert c.raw == text
    assert c.number is not None and c.number.raw == "国发〔2019〕4 号" and c.number.agency == "国发"


def test_offset_and_exclude() -> None:
    text = "新政办〔2023〕17号\n按照《郑州市职业教育校企合作促进办法》和郑政办〔2022〕91号"
    cits = find_citations(text, offset=100, exclude_numbers={"新政办〔2023〕17号"})
    assert brief(cits) == [("郑州市职业教育校企合作促进办法", None, False), (None, "郑政办〔2022〕91号", False)]
    assert cits[0].start == 100 + text.index("《")
    # A title paired with the document's own number is the document itself.
    assert find_citations("《X市实施方案》（新政办〔2023〕17号）", exclude_numbers={"新政办〔2023〕17号"}) == []


def seed_citations(name: str) -> list[Citation]:
    return find_citations(read(name))


def test_seed_citations() -> None:
    kaifeng = seed_citations("kaifeng-2021-expansion-plan")
    # Header number, the plan itself (in the transmittal notice), four in the basis, 《划拨用地目录》.
    assert len(kaifeng) == 7
    assert kaifeng[0].number is not None and kaifeng[0].number.normalized == "汴政〔2021〕42号"
    assert sum(1 for c in kaifeng if c.title and c.number) == 3
    xinzheng = seed_citations("xinzheng-2023-highland-plan")
    assert len(xinzheng) == 10
    assert sum(1 for c in xinzheng if c.title and c.number) == 5
    assert seed_citations("zhengzhou-2022-highland-plan")[0].title == "郑州市职业教育创新发展高地建设实施方案"
    assert all(c.title != "方案" for c in seed_citations("zhengzhou-2022-highland-plan"))
    note = seed_citations("zhengzhou-reform-plan-drafting-note")
    numbered = {c.number.normalized for c in note if c.number}
    assert numbered == {"国发〔2019〕4号", "豫政〔2019〕23号", "教职成〔2020〕7号", "国办发〔2017〕95号", "豫政办〔2018〕47号"}


# ---------------------------------------------------------------------------
# resolution


def doc(
    name: str,
    title: str | None = None,
    number: str | None = None,
    citations: list[Citation] | None = None,
    clauses: list[Clause] | None = None,
) -> Document:
    return Document(
        parser_version="test",
        name=name,
        text="",
        raw_text="",
        metadata=Metadata(title=title, doc_number=_doc_number(number)),
        citations=citations or [],
        clauses=clauses or [],
    )


def clause_with(citations: list[Citation]) -> Clause:
    span = Span(start=0, end=0, raw_start=0, raw_end=0, line=1)
    return Clause(
        id="c1", label="1", style="arabic-dot", heading="", text="", policy_text="", sentences=[], path=[], span=span, citations=citations
    )


def test_resolve_by_number_and_title() -> None:
    basis = read("xinzheng-2023-highland-plan").split("\n")[16]
    xz_cits = find_citations(basis)
    note_cits = find_citations(
        "是我市积极贯彻国务院《国家职业教育改革实施方案》（国发〔2019〕4号）。参照《郑州市职业教育创新发展高地建设实施方案》"
    )
    docs = [
        doc("zhengzhou-2022-highland-plan", "郑州市职业教育创新发展高地建设实施方案"),
        doc("national-2019", "国务院关于印发国家职业教育改革实施方案的通知", "国发〔2019〕4号"),
        doc("henan-2021", "教育部 河南省人民政府关于深化职业教育改革推进技能社会建设的意见", "豫政〔2021〕2号"),
        doc("xinzheng-2023-highland-plan", "新郑市职业教育高质量创新发展高地建设实施方案", "新政办〔2023〕17号", citations=xz_cits),
        doc("drafting-note", "关于《郑州市职业教育改革实施方案》起草说明", clauses=[clause_with(note_cits)]),
    ]
    resolve_citations(docs)
    got = {c.number.normalized if c.number else c.title: c.resolved_to for c in docs[3].citations}
    # 郑政办〔2022〕91号: zhengzhou-2022 has no number here, so its title resolves it.
    assert got["郑政办〔2022〕91号"] == "zhengzhou-2022-highland-plan"
    assert got["豫政〔2021〕2号"] == "henan-2021"
    assert got["中办发〔2021〕43号"] is None
    assert got["郑政办明电〔2021〕36号"] is None
    clause_cits = docs[4].clauses[0].citations
    assert [c.resolved_to for c in clause_cits] == ["national-2019", "zhengzhou-2022-highland-plan"]


def test_resolve_by_number_only() -> None:
    cit = find_citations("见郑政办〔2022〕91号")[0]
    docs = [doc("a", citations=[cit]), doc("zz", "随便什么标题", "郑政办〔2022〕91号")]
    resolve_citations(docs)
    assert cit.resolved_to == "zz"


def test_resolve_never_to_itself_or_to_another_place() -> None:
    own = find_citations("《开封市职业教育提质扩容行动方案（2021—2025年）》已经市政府第65次常务会议研究同意")
    other_city = find_citations("参照《开封市职业教育创新发展高地建设实施方案》")
    docs = [
        doc(
            "kaifeng",
            "开封市人民政府关于印发开封市职业教育提质扩容行动方案(2021—2025年)的通知",
            "汴政〔2021〕42号",
            citations=own + other_city,
        ),
        doc("zhengzhou-2022-highland-plan", "郑州市职业教育创新发展高地建设实施方案"),
    ]
    resolve_citations(docs)
    assert [c.resolved_to for c in docs[0].citations] == [None, None]


def test_number_contradicting_title_blocks_title_match() -> None:
    cit = find_citations("《郑州市职业教育创新发展高地建设实施方案》（郑政办〔2020〕1号）")[0]
    docs = [doc("a", citations=[cit]), doc("zz", "郑州市职业教育创新发展高地建设实施方案", "郑政办〔2022〕91号")]
    resolve_citations(docs)
    assert cit.resolved_to is None


@pytest.mark.parametrize(
    "cited, title, same",
    [
        ("郑州市职业教育创新发展高地建设实施方案", "郑州市人民政府办公厅关于印发郑州市职业教育创新发展高地建设实施方案的通知", True),
        ("开封市职业教育提质扩容行动方案（2021—2025年）", "开封市职业教育提质扩容行动方案", True),
        ("职业教育提质培优行动计划(2020—2023)", "职业教育提质培优行动计划（2020-2023年）", True),
        ("国家职业教育改革实施方案", "职业教育改革实施方案", True),  # contained, most of it
        ("郑州市职业教育创新发展高地建设实施方案", "郑州市职业教育创新发展高地建没实施方案", True),  # a typo
        ("郑州市职业教育创新发展高地建设实施方案", "新郑市职业教育高质量创新发展高地建设实施方案", False),  # another place
        ("郑州市职业教育创新发展高地建设实施方案", "开封市职业教育创新发展高地建设实施方案", False),
        ("职业教育提质培优行动计划", "职业教育提质培优行动方案", False),  # another kind
        ("开封市职业教育提质扩容行动方案（2021—2025年）", "开封市职业教育提质扩容行动方案（2016—2020年）", False),  # another period
        ("实施方案", "郑州市职业教育改革实施方案", False),  # too short to say
        ("郑州市职业教育改革实施方案", "《郑州市职业教育改革实施方案》起草说明", False),  # about the plan, not the plan
    ],
)
def test_title_score(cited: str, title: str, same: bool) -> None:
    assert (title_score(cited, title) >= 90) == same


def test_normalize_title() -> None:
    assert (
        normalize_title("《郑州市人民政府办公厅关于印发郑州市职业教育创新发展高地建设实施方案的通知》")
        == "郑州市职业教育创新发展高地建设实施方案"
    )
    assert normalize_title("新郑市职业教育高质量创新发展高地 建设实施方案") == "新郑市职业教育高质量创新发展高地建设实施方案"


# ---------------------------------------------------------------------------
# robustness

CITE_TOKENS = list("《》〈〉〔〕[]()（）【】号第 \n。") + ["国发", "2019", "4", "关于印发", "的通知", "方案", "郑 政 办"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(CITE_TOKENS), max_size=60).map("".join) | st.text(max_size=200))
def test_find_citations_never_raises(text: str) -> None:
    for c in find_citations(text, offset=7):
        assert text[c.start - 7 : c.end - 7] == c.raw


# ---------------------------------------------------------------------------
# iter_doc_numbers anchors DOC_NUMBER_RE on the year bracket: same matches as scanning with it

DOC_NUMBER_TOKENS = list("国发政办郑文号第印的 \u3000\t〔〕()（）[]【】，\n") + ["2019", "2020", "19", "1", "12", "12345"]


def _scan_doc_numbers(text: str) -> list[tuple[int, int, str]]:
    from policydiff.text.docnumber import DOC_NUMBER_RE, _from_match

    out = []
    for m in DOC_NUMBER_RE.finditer(text):
        found = _from_match(m)
        if found is not None:
            out.append((m.start("agency") + found[0], m.end(), found[1].normalized))
    return out


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(DOC_NUMBER_TOKENS), max_size=40).map("".join))
def test_iter_doc_numbers_matches_a_plain_scan(text: str) -> None:
    assert [(s, e, dn.normalized) for s, e, dn in iter_doc_numbers(text)] == _scan_doc_numbers(text)


def test_iter_doc_numbers_on_long_runs() -> None:
    # A plain scan backtracks over the whole CJK run from every character of it (quadratic).
    run = "职业教育" * 5000
    assert iter_doc_numbers(run + "号") == []
    text = run + "，国发〔2019〕4号" + run + "，郑 政 办 〔2022〕91 号"
    assert [dn.normalized for _, _, dn in iter_doc_numbers(text)] == ["国发〔2019〕4号", "郑政办〔2022〕91号"]
