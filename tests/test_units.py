"""Responsible units: inline notes, the alias table, task tables. Snippets are from data/raw."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policydiff.errors import UsageError
from policydiff.extract import task_tables, units
from policydiff.extract.task_tables import (
    LINK_CANDIDATES,
    LINK_THRESHOLD,
    apply_table_links,
    is_task_table,
    link_table_rows,
)
from policydiff.extract.units import (
    ALIASES_ENV,
    canonical_unit,
    find_unit_notes,
    load_aliases,
    parse_unit_list,
    remove_unit_notes,
)
from policydiff.schema import Clause, Span, Table, TableRow
from policydiff.textsim import BigramIndex, bigram_codes, bigrams

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"


def read(name: str) -> str:
    return (RAW / f"{name}.txt").read_text(encoding="utf-8")


def units_of(text: str) -> list[tuple[str, str, str]]:
    notes = find_unit_notes(text)
    assert len(notes) == 1, notes
    return [(u.name, u.role, u.raw) for u in notes[0].units]


# ---------------------------------------------------------------------------
# inline notes

NOTES = [
    pytest.param(
        "推动思想政治教育与技术技能培养相融合。（责任单位：市委宣传部、市总工会、市教体局、市人力资源社会保障局）",
        [
            ("市委宣传部", "joint", "市委宣传部"),
            ("市总工会", "joint", "市总工会"),
            ("市教体局", "joint", "市教体局"),
            ("市人社局", "joint", "市人力资源社会保障局"),
        ],
        id="kaifeng-labelled",
    ),
    pytest.param(
        "基本实现中等职业学校全部达标。（责任单位：各县（区）人民政府、市发展改革委、市教体局、市财政局、市人力资源社会保障局、市资源规划局）",
        [
            ("各县（区）人民政府", "joint", "各县（区）人民政府"),
            ("市发改委", "joint", "市发展改革委"),
            ("市教体局", "joint", "市教体局"),
            ("市财政局", "joint", "市财政局"),
            ("市人社局", "joint", "市人力资源社会保障局"),
            ("市资源规划局", "joint", "市资源规划局"),
        ],
        id="kaifeng-nested-parens",
    ),
    pytest.param(
        "遴选支持 20 个“1+X”证书制度试点示范项目。（责任单位：市教体局）",
        [("市教体局", "joint", "市教体局")],
        id="kaifeng-single-unit",
    ),
    pytest.param(
        "助力乡村振兴。（责任单位：各县（区）人民政府、市总工会、市教体局、市人力资源社会保障局、市农业农村局）",
        [
            ("各县（区）人民政府", "joint", "各县（区）人民政府"),
            ("市总工会", "joint", "市总工会"),
            ("市教体局", "joint", "市教体局"),
            ("市人社局", "joint", "市人力资源社会保障局"),
            ("市农业农村局", "joint", "市农业农村局"),
        ],
        id="kaifeng-county-govts",
    ),
    pytest.param(
        "(责任单位:市教体局、市工业和信息化局)",
        [("市教体局", "joint", "市教体局"), ("市工信局", "joint", "市工业和信息化局")],
        id="half-width",
    ),
    pytest.param(
        "打造 70个省级示范性传统优势专业点 。 (市\n教育局 、 市 工 信局 、 市人社局等按职责分工 负责)",
        [("市教育局", "joint", "市\n教育局"), ("市工信局", "joint", "市 工 信局"), ("市人社局", "joint", "市人社局")],
        id="specialty-spaced",
    ),
    pytest.param(
        "(市教  育局 、 市 工 信局 、 市财政局 、 市人社局 、 市大数据局等按职责分\n工 负责)",
        [
            ("市教育局", "joint", "市教  育局"),
            ("市工信局", "joint", "市 工 信局"),
            ("市财政局", "joint", "市财政局"),
            ("市人社局", "joint", "市人社局"),
            ("市大数据局", "joint", "市大数据局"),
        ],
        id="specialty-marker-split",
    ),
    pytest.param(
        "(市教育局 、 市人社局 、 市交通运输局 、 市商务局 、 市文化\n广电旅游局 、 市卫健委等按职责分工 负责)",
        [
            ("市教育局", "joint", "市教育局"),
            ("市人社局", "joint", "市人社局"),
            ("市交通运输局", "joint", "市交通运输局"),
            ("市商务局", "joint", "市商务局"),
            ("市文广旅局", "joint", "市文化\n广电旅游局"),
            ("市卫健委", "joint", "市卫健委"),
        ],
        id="specialty-unit-split",
    ),
    pytest.param(
        "(市教育局 、 市发展改革委 、\n市 工 信局 、 市科技局 、 市财政局 、 市人社局 、各产业集聚区管委\n会 、 产业园区管委会等按职责分工 负责)",
        [
            ("市教育局", "joint", "市教育局"),
            ("市发改委", "joint", "市发展改革委"),
            ("市工信局", "joint", "市 工 信局"),
            ("市科技局", "joint", "市科技局"),
            ("市财政局", "joint", "市财政局"),
            ("市人社局", "joint", "市人社局"),
            ("各产业集聚区管委会", "joint", "各产业集聚区管委\n会"),
            ("产业园区管委会", "joint", "产业园区管委会"),
        ],
        id="specialty-zones",
    ),
    pytest.param(
        "做好专业动态调\n整 。 (市教育局牵头负责)",
        [("市教育局", "lead", "市教育局")],
        id="specialty-lead",
    ),
    pytest.param(
        "（市教育局、市 工 信局、市人社局等按职责分工 负责）",
        [("市教育局", "joint", "市教育局"), ("市工信局", "joint", "市 工 信局"), ("市人社局", "joint", "市人社局")],
        id="full-width-spaced",
    ),
    pytest.param(
        "（牵头单位：市教育局；配合单位：市财政局、市人社局）",
        [("市教育局", "lead", "市教育局"), ("市财政局", "joint", "市财政局"), ("市人社局", "joint", "市人社局")],
        id="lead-and-partners",
    ),
    pytest.param(
        "（牵头单位：市教育局、市人力资源和社会保障局；配合单位：各县（区）人民政府）",
        [
            ("市教育局", "lead", "市教育局"),
            ("市人社局", "lead", "市人力资源和社会保障局"),
            ("各县（区）人民政府", "joint", "各县（区）人民政府"),
        ],
        id="two-leads",
    ),
    pytest.param(
        "（市教育局牵头，市财政局、市人社局配合）",
        [("市教育局", "lead", "市教育局"), ("市财政局", "joint", "市财政局"), ("市人社局", "joint", "市人社局")],
        id="lead-comma-partners",
    ),
    pytest.param(
        "（责任单位：市财政局、市教育局（牵头））",
        [("市财政局", "joint", "市财政局"), ("市教育局", "lead", "市教育局")],
        id="bracketed-lead-marker",
    ),
    pytest.param(
        "（由市教育局负责）",
        [("市教育局", "joint", "市教育局")],
        id="you-fuze",
    ),
    pytest.param(
        "（责任单位：各有关单位）",
        [("各有关单位", "joint", "各有关单位")],
        id="not-a-single-unit",
    ),
]


@pytest.mark.parametrize("text, expected", NOTES)
def test_note_forms(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert units_of(text) == expected


def test_first_listed_is_not_lead() -> None:
    units = find_unit_notes("（责任单位：市教体局、市财政局）")[0].units
    assert [u.role for u in units] == ["joint", "joint"]


@pytest.mark.parametrize(
    "text",
    [
        "毕业学年高校毕业生（含技师学院）、城乡未继续升学的应届初高中毕业生",
        "重点打造一批国家级骨干专业和省级品牌专业（群）。",
        "开封市职业教育提质扩容行动方案（2021—2025年）",
        "（一）新时代立德树人行动计划",
        "市、县（区）自然资源和规划部门要依法依规做好用地保障。",
        "继续保持国家级农村职业教育和成人教育示范县（市）领先地位。",
        "鼓励和推进职业学校设立国家级职业技能鉴定所（站），实施行动计划",
        "（其中市级财政负责）",
        "（2025年前完成，市教育局负责）",
        "（市教育局、市财政局",  # unclosed
        "由市教育局 牵 头 ,  市直各有关部门组成常态化工 作协调机制",  # no brackets
        "",
    ],
)
def test_not_notes(text: str) -> None:
    assert find_unit_notes(text) == []


def test_offsets_and_raw() -> None:
    text = "到 2025 年底，基本实现中等职业学校全部达标。（责任单位：各县（区）人民政府、市财政局）后文"
    (note,) = find_unit_notes(text)
    assert text[note.start : note.end] == note.raw
    assert note.raw.startswith("（责任单位") and note.raw.endswith("市财政局）")


def test_every_kaifeng_task_has_a_note() -> None:
    text = read("kaifeng-2021-expansion-plan")
    notes = find_unit_notes(text)
    # Numbered tasks: paragraphs starting "1. ", the note closing each (possibly after a page break).
    tasks = [m.start() for m in re.finditer(r"(?m)^\d+\. ", text)]
    assert len(tasks) == 21
    assert len(notes) == 21
    bounds = tasks[1:] + [len(text)]
    for start, end in zip(tasks, bounds, strict=True):
        inside = [n for n in notes if start < n.start < end]
        assert len(inside) == 1, text[start : start + 30]
        assert inside[0].units
    for n in notes:
        assert text[n.start : n.end] == n.raw
        assert all(u.role == "joint" for u in n.units)


def test_every_specialty_task_has_a_note() -> None:
    text = read("zhengzhou-2023-specialty-opinions")
    notes = find_unit_notes(text)
    assert len(notes) == 13
    names = {u.name for n in notes for u in n.units}
    assert {"市教育局", "市工信局", "市人社局", "市大数据局", "市文广旅局", "市资源规划局", "市委编办"} <= names
    assert not any(" " in name or "\n" in name for name in names)
    leads = [n for n in notes if any(u.role == "lead" for u in n.units)]
    assert len(leads) == 2


@pytest.mark.parametrize("name", ["xinzheng-2023-highland-plan", "zhengzhou-2022-highland-plan", "zhengzhou-reform-plan-drafting-note"])
def test_no_notes_in_plans_without_them(name: str) -> None:
    assert find_unit_notes(read(name)) == []


def test_remove_unit_notes() -> None:
    text = "选树一批职业素养和工匠精神教育典型。（责任单位：市总工会、市教体局）"
    assert remove_unit_notes(text) == "选树一批职业素养和工匠精神教育典型。"
    assert remove_unit_notes("没有备注。") == "没有备注。"


# ---------------------------------------------------------------------------
# aliases

ALIASES = [
    ("市教体局", "市教体局"),
    ("市教育体育局", "市教体局"),
    ("市教育局", "市教育局"),  # another city's organ: not 市教体局
    ("市人社局", "市人社局"),
    ("市人力资源社会保障局", "市人社局"),
    ("市人力资源和社会保障局", "市人社局"),
    ("市发改委", "市发改委"),
    ("市发展改革委", "市发改委"),
    ("市发展和改革委员会", "市发改委"),
    ("市工信局", "市工信局"),
    ("市工业和信息化局", "市工信局"),
    ("科工信局", "市科工信局"),
    ("市科工信局", "市科工信局"),
    ("市科技工业和信息化局", "市科工信局"),
    ("市财政局", "市财政局"),
    ("市卫健委", "市卫健委"),
    ("市卫生健康委员会", "市卫健委"),
    ("市资源规划局", "市资源规划局"),
    ("市自然资源和规划局", "市资源规划局"),
    ("市文广旅局", "市文广旅局"),
    ("市文化广电和旅游局", "市文广旅局"),
    ("市文化广电旅游局", "市文广旅局"),
    ("市文广旅体局", "市文广旅体局"),
    ("市文化旅游广电体育局", "市文广旅体局"),
    ("市市场监督管理局", "市市场监管局"),
    ("市住房和城乡建设局", "市住建局"),
    ("市住房公积金管理中心", "市公积金中心"),
    ("市委机构编制委员会办公室", "市委编办"),
    # spaces and widths are ignored
    ("市 工 信局", "市工信局"),
    ("市人力资源 和社会保障局", "市人社局"),
    ("市\n教育局", "市教育局"),
    # unknown names come back cleaned
    ("市总工会", "市总工会"),
    ("各县（区）人民政府", "各县（区）人民政府"),
    ("各乡镇(街道、管委会)", "各乡镇（街道、管委会）"),
    ("各 有关单位", "各有关单位"),
]


@pytest.mark.parametrize("name, canonical", ALIASES)
def test_canonical_unit(name: str, canonical: str) -> None:
    assert canonical_unit(name) == canonical


def test_alias_table_is_package_data() -> None:
    tsv = resources.files("policydiff").joinpath("data", "unit_aliases.tsv")
    assert tsv.is_file()
    assert load_aliases()["市人力资源社会保障局"] == "市人社局"


def test_extra_alias_file(tmp_path: Path) -> None:
    extra = tmp_path / "more.tsv"
    extra.write_text("# mine\n市教体局\t教体局\n市人社局\t人社局\n人社局\t劳动局\n", encoding="utf-8")
    table = load_aliases(extra)
    assert canonical_unit("教体局", table) == "市教体局"
    assert canonical_unit("劳动局", table) == "市人社局"  # chain followed
    assert canonical_unit("市教育体育局", table) == "市教体局"  # packaged entries kept


def test_extra_alias_file_can_change_the_canonical_name(tmp_path: Path) -> None:
    extra = tmp_path / "swap.tsv"
    extra.write_text("市人力资源社会保障局\t市人社局\n", encoding="utf-8")
    table = load_aliases(extra)
    for name in ["市人社局", "市人力资源社会保障局", "市人力资源和社会保障局"]:
        assert canonical_unit(name, table) == "市人力资源社会保障局"


def test_alias_env_var(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    extra = tmp_path / "env.tsv"
    extra.write_text("市教育局\t市教委\n", encoding="utf-8")
    assert canonical_unit("市教委") == "市教委"
    monkeypatch.setenv(ALIASES_ENV, str(extra))
    assert canonical_unit("市教委") == "市教育局"
    assert find_unit_notes("（市教委牵头负责）")[0].units[0].name == "市教育局"


@pytest.mark.parametrize("content", ["只有一列\n", "市教体局\t\n"])
def test_bad_alias_file(tmp_path: Path, content: str) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(UsageError, match="bad.tsv:1"):
        load_aliases(bad)


def test_missing_alias_file(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not found"):
        load_aliases(tmp_path / "nope.tsv")


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("市教育局、市人社局", [("市教育局", "joint"), ("市人社局", "joint")]),
        ("市教育局（牵头）、市财政局", [("市教育局", "lead"), ("市财政局", "joint")]),
        ("市教育局牵头，市财政局配合", [("市教育局", "lead"), ("市财政局", "joint")]),
        ("各行业部门、各乡镇(街道、管委会)", [("各行业部门", "joint"), ("各乡镇（街道、管委会）", "joint")]),
        (
            "市教育局、科工信局、相关乡镇（街道、管委会）",
            [("市教育局", "joint"), ("市科工信局", "joint"), ("相关乡镇（街道、管委会）", "joint")],
        ),
        ("", []),
    ],
)
def test_parse_unit_list(cell: str, expected: list[tuple[str, str]]) -> None:
    assert [(u.name, u.role) for u in parse_unit_list(cell)] == expected


# ---------------------------------------------------------------------------
# task tables: the real xinzheng attachment


def xinzheng_clauses() -> list[Clause]:
    """The 23 numbered clauses of lines 35-111, each joined across its line breaks."""
    lines = read("xinzheng-2023-highland-plan").split("\n")[34:111]
    found: list[list[str]] = []
    for line in lines:
        m = re.match(r"^(\d+)\. (.*)", line)
        if m:
            found.append([m.group(1), m.group(2)])
        elif found and line.strip() and not re.match(r"^(?:[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、)", line):
            found[-1][1] += line.strip()
    span = Span(start=0, end=0, raw_start=0, raw_end=0, line=1)
    return [
        Clause(
            id=f"s2.c{n}",
            label=n,
            number=int(n),
            style="arabic-dot",
            heading=t.split("。")[0],
            text=t,
            policy_text=t,
            sentences=[],
            path=[],
            span=span,
        )
        for n, t in found
    ]


def xinzheng_tables() -> list[Table]:
    """The attachment's TSV rows: the task table (header repeated at page breaks) and the contact table."""
    lines = read("xinzheng-2023-highland-plan").split("\n")
    tables: list[Table] = []
    for i, line in enumerate(lines, 1):
        if "\t" not in line:
            continue
        cells = line.split("\t")
        if cells[0] == "序号" and (not tables or tables[-1].header != cells):
            tables.append(Table(header=cells, rows=[], line=i))
        else:
            tables[-1].rows.append(TableRow(cells=cells, line=i))
    return tables


def test_xinzheng_fixture() -> None:
    clauses = xinzheng_clauses()
    assert [c.number for c in clauses] == list(range(1, 24))
    tasks, contacts = xinzheng_tables()
    data_rows = [r for r in tasks.rows if r.cells[0] != "序号"]
    assert len(data_rows) == 29
    assert len(tasks.rows) == 32  # 3 repeated headers
    assert contacts.header[:4] == ["序号", "单位名称", "工作任务", "牵头领导"]


def test_is_task_table() -> None:
    tasks, contacts = xinzheng_tables()
    assert is_task_table(tasks)
    assert not is_task_table(contacts)  # 单位名称/牵头领导 are no unit column
    assert is_task_table(Table(header=["序号", "重点任务", "牵头单位", "配合单位"], rows=[], line=1))
    assert not is_task_table(Table(header=["序号", "工作任务", "完成时限"], rows=[], line=1))


def test_link_xinzheng_table() -> None:
    clauses = xinzheng_clauses()
    tasks, _ = xinzheng_tables()
    result = link_table_rows(clauses, tasks)
    row_no = {r: tasks.rows[r].cells[0] for r in range(len(tasks.rows))}
    linked = {row_no[r]: cid for r, cid, _ in result.links}
    assert len(linked) == 29 and result.unmatched == []
    assert all(score >= LINK_THRESHOLD for _, _, score in result.links)
    # Checked by hand against the text.
    expected = {
        "1": "s2.c2",  # 坚持把发展中职教育作为普及高中段教育…
        "2": "s2.c2",  # 合理规划职业学校布局…
        "3": "s2.c2",  # 通过新郑中专…实施标准化建设工程
        "4": "s2.c3",  # 鼓励中原工学院、河南工程学院…
        "6": "s2.c3",  # 建立校地人才互动机制…
        "9": "s2.c5",  # 组建…10个特色专业群
        "15": "s2.c9",  # merges clauses 9 and 11; 9 comes first
        "17": "s2.c10",  # 根据《郑州市职业教育校企合作促进办法》…
        "20": "s2.c14",
        "27": "s2.c20",  # 建立职业教育创新发展协调推进机制…
        "28": "s2.c21",
        "29": "s2.c23",  # 办好职业教育活动周…
    }
    for row, cid in expected.items():
        assert linked[row] == cid, row
    units = {u.name: u.role for u in result.units_by_clause["s2.c20"]}
    assert units == {"市教育局": "joint", "市人社局": "joint", "市发改委": "joint", "市财政局": "joint", "各乡镇（街道、管委会）": "joint"}
    # Rows 4-6 all restate clause 3: their units merge without duplicates.
    c3 = [u.name for u in result.units_by_clause["s2.c3"]]
    assert len(c3) == len(set(c3)) and "市科工信局" in c3 and "各行业部门" in c3
    # Clauses no row restates get nothing.
    assert "s2.c1" not in result.units_by_clause and "s2.c13" not in result.units_by_clause


def test_unmatched_rows_and_explicit_columns() -> None:
    clauses = xinzheng_clauses()
    table = Table(
        header=["序号", "工作任务", "牵头单位", "配合单位"],
        rows=[
            TableRow(cells=["1", "合理规划职业学校布局，重点办好2所骨干中等职业学校。", "市教育局", "市财政局、市发展改革委"], line=2),
            TableRow(cells=["2", "开展城市绿化和垃圾分类宣传周活动。", "市城管局", ""], line=3),
            TableRow(cells=["3", "", "市教育局", ""], line=4),
        ],
        line=1,
    )
    result = link_table_rows(clauses, table)
    assert [(r, cid) for r, cid, _ in result.links] == [(0, "s2.c2")]
    assert result.unmatched == [1]
    assert [(u.name, u.role) for u in result.units_by_clause["s2.c2"]] == [
        ("市教育局", "lead"),
        ("市财政局", "joint"),
        ("市发改委", "joint"),
    ]
    only = link_table_rows(clauses, table, task_col="工作任务", unit_col="配合单位")
    assert [u.name for u in only.units_by_clause["s2.c2"]] == ["市财政局", "市发改委"]
    with pytest.raises(UsageError, match="no column"):
        link_table_rows(clauses, table, unit_col="责任单位")

    apply_table_links(clauses, result)
    apply_table_links(clauses, result)  # idempotent
    assert [u.name for u in clauses[1].responsible_units] == ["市教育局", "市财政局", "市发改委"]


# ---------------------------------------------------------------------------
# robustness


NOTE_TOKENS = list("（）()、，；：:;责任单位牵头负责配合等按职责分工 \n。") + [
    "市人社局",
    "各县（区）人民政府",
    "（责任单位：",
    "牵头单位：",
    "等按职责分工负责",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(NOTE_TOKENS), max_size=60).map("".join) | st.text(max_size=200))
def test_find_unit_notes_never_raises(text: str) -> None:
    for note in find_unit_notes(text):
        assert text[note.start : note.end] == note.raw
        assert note.raw[0] in "（(" and note.raw[-1] in "）)"


# ---------------------------------------------------------------------------
# the fast paths of table linking give what exhaustive scoring gives


def test_link_matches_exhaustive_scoring() -> None:
    """Every clause scored with every fragment: each row links to the best clause of all."""
    clauses = xinzheng_clauses()
    tasks, _ = xinzheng_tables()
    result = link_table_rows(clauses, tasks)
    keys = [(c.id, task_tables._match_key(c.policy_text or c.text)) for c in clauses]
    assert len(result.links) == 29
    for r, cid, score in result.links:
        fragments = task_tables._fragments(task_tables._match_key(tasks.rows[r].cells[1]))
        scored = [(task_tables._row_score(fragments, key), key_id) for key_id, key in keys]
        best = max(s for s, _ in scored if s is not None)
        assert (cid, score) == (next(c for s, c in scored if s == best), round(best, 1)), r


def _clause(cid: str, text: str) -> Clause:
    span = Span(start=0, end=0, raw_start=0, raw_end=0, line=1)
    return Clause(id=cid, label=cid, number=1, style="arabic-dot", heading=text[:6], text=text, policy_text=text, sentences=[], path=[], span=span)


def test_rows_quoting_no_clause_well_enough_use_the_bigram_shortlist() -> None:
    clauses = [
        _clause("c1", "加强组织领导和统筹协调，建立工作机制，统筹推进职业教育改革发展。"),
        _clause("c2", "实施中职学校办学条件达标工程，新建改扩建一批中等职业学校。"),
    ]
    row = "加强组织领导和统筹协调，实施中职学校办学条件达标工程建设，新建改扩建中等职业学校"
    table = Table(header=["工作任务", "责任单位"], rows=[TableRow(cells=[row, "市教育局"], line=2)], line=1)
    # The row quotes a fragment of c1 verbatim but restates c2, reworded: c1 stays below the
    # threshold, and the bigram shortlist brings c2.
    fragments = task_tables._fragments(row)
    keys = [task_tables._match_key(c.text) for c in clauses]
    assert task_tables._VerbatimFinder(keys).quoting(fragments) == [0]
    assert task_tables._row_score(fragments, keys[0]) < task_tables.LINK_THRESHOLD < task_tables._row_score(fragments, keys[1])
    links = link_table_rows(clauses, table)
    assert [(r, cid) for r, cid, _ in links.links] == [(0, "c2")]


def test_row_score_cutoff_only_drops_rows_below_need() -> None:
    clauses = xinzheng_clauses()
    tasks, _ = xinzheng_tables()
    keys = [task_tables._match_key(c.policy_text or c.text) for c in clauses]
    for row in tasks.rows[:12]:
        fragments = task_tables._fragments(task_tables._match_key(row.cells[1]))
        for key in keys:
            full = task_tables._row_score(fragments, key)
            assert full is not None
            for need in (0.0, 40.0, 60.0, full, 90.0, 100.0):
                bounded = task_tables._row_score(fragments, key, need=need)
                assert bounded == full if full >= need else bounded in (None, full), (need, full, bounded)


PIECE_TEXT = st.text(alphabet="职业教育学校市局发展建设", max_size=80)


@settings(max_examples=500, deadline=None)
@given(
    st.text(alphabet="职业教育学校市局发展建设", min_size=5, max_size=60),
    PIECE_TEXT,
    PIECE_TEXT,
    st.integers(min_value=0, max_value=60),
    st.booleans(),
    st.floats(min_value=60.0, max_value=101.0) | st.sampled_from([100.0, 99.999, 0.5]),
)
def test_may_reach_only_rules_out_scores_below_the_cutoff(frag: str, before: str, after: str, cut: int, near: bool, cutoff: float) -> None:
    from rapidfuzz import fuzz

    # Near: the text quotes frag with a character dropped, where the bound is tight.
    text = before + (frag[:cut] + frag[cut + 1 :] if near else "") + after
    saved = task_tables._MIN_PIECE
    task_tables._MIN_PIECE = 1  # look for pieces of any length: the bound itself is under test
    try:
        if not task_tables._may_reach(frag, text, cutoff):
            assert fuzz.partial_ratio(frag, text) < cutoff
    finally:
        task_tables._MIN_PIECE = saved


GRAM_TEXT = st.text(alphabet="职业教育学校市局发展建设", max_size=30)


@settings(max_examples=200, deadline=None)
@given(st.lists(GRAM_TEXT, max_size=70), st.lists(GRAM_TEXT, min_size=1, max_size=6))
def test_bigram_index_counts_like_set_intersections(texts: list[str], queries: list[str]) -> None:
    index = BigramIndex(texts)
    overlaps = index.overlaps(queries)
    shortlists = index.shortlists(queries, LINK_CANDIDATES)
    for q, counts, shortlist in zip(queries, overlaps, shortlists, strict=True):
        naive = [len(bigrams(q) & bigrams(t)) for t in texts]
        assert counts == naive
        assert shortlist == sorted(range(len(texts)), key=lambda k: -naive[k])[:LINK_CANDIDATES]
        first = next((k for k, t in enumerate(texts) if bigrams(q) <= bigrams(t)), None)
        assert index.first_containing(q) == first
        assert len(bigram_codes(q)) == len(bigrams(q))


def test_marker_search_windows_cover_the_patterns() -> None:
    from re import _parser  # type: ignore[attr-defined]

    assert _parser.parse(units._MARKER_RE.pattern).getwidth()[1] <= units._MARKER_WIDTH
    assert _parser.parse(units._PAREN_MARKER_RE.pattern).getwidth()[1] <= units._PAREN_MARKER_WIDTH


def test_marker_last_characters_cover_the_pattern() -> None:
    # _parse_item runs _MARKER_RE only on items ending in one of these: every match ends in one.
    kinds = ["牵头", "负责", "配合", "参与", "协同", "协办"]
    tails = ["", "负责", "落实", "实施", "推进"]
    for kind in kinds:
        for tail in tails:
            word = kind + tail
            assert units._MARKER_RE.search(word), word
            assert word[-1] in units._MARKER_LAST, word


def _split_depth0_plain(s: str, seps: str) -> list[tuple[int, int]]:
    """The character loop _split_depth0 replaced."""
    spans: list[tuple[int, int]] = []
    depth = 0
    begin = 0
    for i, c in enumerate(s):
        if c == "（":
            depth += 1
        elif c == "）":
            depth = max(0, depth - 1)
        elif depth == 0 and c in seps:
            spans.append((begin, i))
            begin = i + 1
    spans.append((begin, len(s)))
    return [(a, b) for a, b in spans if b > a]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="（）、，；/市局乡镇", max_size=30))
def test_split_depth0_matches_the_character_loop(s: str) -> None:
    for seps in ("、，；", "、，；/"):
        assert units._split_depth0(s, seps) == _split_depth0_plain(s, seps)


VERBATIM_TEXT = st.text(alphabet="职业教育学校市局发展建设", max_size=25)


@settings(max_examples=300, deadline=None)
@given(st.lists(VERBATIM_TEXT, max_size=12), st.lists(VERBATIM_TEXT, min_size=1, max_size=8))
def test_verbatim_finder_is_first_containing_then_substring(keys: list[str], tasks: list[str]) -> None:
    finder = task_tables._VerbatimFinder(keys)
    index = BigramIndex(keys)
    for task in tasks:
        k = index.first_containing(task)
        expected = k if k is not None and task in keys[k] else None
        assert finder.first(task) == expected, (keys, task)


def test_verbatim_finder_falls_back_to_bigram_sets() -> None:
    # Every bigram of the row is in an earlier clause, which holds them all without quoting it.
    keys = ["教育局发展教育", "市教育局发展"]
    finder = task_tables._VerbatimFinder(keys)
    assert finder.first("教育局发展") == 0
    keys = ["局发展教育局", "教育局发展"]
    assert task_tables._VerbatimFinder(keys).first("教育局发展") is None  # clause 0 holds all its bigrams first
    assert task_tables._VerbatimFinder([]).first("教育") is None
    assert task_tables._VerbatimFinder(["a\x00b", "ab"]).first("ab") == 1  # separator in a clause: the plain path


@settings(max_examples=300, deadline=None)
@given(st.lists(VERBATIM_TEXT, max_size=10), st.lists(st.text(alphabet="职业教育学校市局发展建设", max_size=14), max_size=5))
def test_quoting_finds_the_clauses_holding_a_fragment(keys: list[str], fragments: list[str]) -> None:
    expected = sorted({k for k, key in enumerate(keys) for f in fragments if len(f) >= task_tables.MIN_FRAGMENT_LEN and f in key})
    assert task_tables._VerbatimFinder(keys).quoting(fragments) == expected
