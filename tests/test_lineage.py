"""Lineage on laws: citations resolved to works and versions, relations, failures recorded, header-only files.

Real excerpts are from github LawRefBook/Laws, commit 2f4c5c2 (河南省实施《献血法》办法(1999-09-24).md,
第一条–第二条); the small laws below are hand-made in that repository's markdown layout.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from policydiff.corpus import build_index, find_lineage, parent_edges
from policydiff.corpus.lineage_facts import DocFacts, resolve_law_citations
from policydiff.extract.citations import LawCitation, Version, find_citations, law_citations, pick_version, title_score, work_key

HENAN = (
    "# 河南省实施《中华人民共和国献血法》办法\n\n"
    "第一条 为保证医疗临床用血需要和安全，保障献血者和用血者身体健康，发扬人道主义精神，促进社会主义物质文明和精神文明建设，"
    "根据《中华人民共和国献血法》（以下简称《献血法》），结合本省实际，制定本办法。\n\n"
    "第二条 在本省行政区域内的国家机关、社会团体、企业事业组织、居民委员会、村民委员会（以下统称单位）和公民，均应遵守《献血法》和本办法。\n"
)


# --- citations of laws ----------------------------------------------------------------


@pytest.mark.parametrize(
    "title, key",
    [
        ("《中华人民共和国献血法》", "献血法"),
        ("献血法", "献血法"),
        ("《职业教育法》（2022年修订）", "职业教育法"),
        ("中华人民共和国刑法(2020修正)", "刑法"),
        ("食品安全法实施条例（试行）", "食品安全法实施条例"),
        ("河南省实施《中华人民共和国献血法》办法", "河南省实施献血法办法"),
        ("河南省实施《献血法》办法", "河南省实施献血法办法"),
    ],
)
def test_work_key(title: str, key: str) -> None:
    assert work_key(title) == key


def test_law_citations_real_excerpt() -> None:
    cites = law_citations(HENAN, ["河南省实施《中华人民共和国献血法》办法"])
    # the title's 《…》, 第一条's full title, and 第二条's short form; 本办法/以下简称《献血法》 are not citations
    assert [(c.raw, c.key) for c in cites] == [
        ("《中华人民共和国献血法》", "献血法"),
        ("《中华人民共和国献血法》", "献血法"),
        ("《献血法》", "献血法"),
    ]


def test_short_forms_versions_orders_and_back_references() -> None:
    text = (
        "第一条 根据《血液制品管理条例》（以下简称《条例》）和《职业教育法》（2022年修订），制定本法。\n"
        "第二条 本法所称血液制品，依照《条例》执行；该法另有规定的除外。《办法》另行制定。\n"
        "第三条 依照国务院令第746号和中华人民共和国国务院令第七百四十六号执行。\n"
    )
    cites = law_citations(text)
    assert [(c.raw, c.key, c.year, c.order) for c in cites] == [
        ("《血液制品管理条例》", "血液制品管理条例", None, False),
        ("《职业教育法》（2022年修订）", "职业教育法", 2022, False),
        ("《条例》", "血液制品管理条例", None, False),  # defined by 以下简称
        ("国务院令第746号", "国务院令第746号", None, True),
        ("中华人民共和国国务院令第七百四十六号", "国务院令第746号", None, True),
    ]  # 本法, 该法 and the undefined 《办法》 are no citations


def test_short_law_titles_are_citations_generic_ones_are_not() -> None:
    assert [c.title for c in find_citations("依照《刑法》和《献血法》，按《方案》和《条例》执行。")] == ["刑法", "献血法"]


def test_containment_is_not_identity() -> None:
    assert title_score("中华人民共和国献血法", "河南省实施《中华人民共和国献血法》办法") == 0
    assert title_score("中华人民共和国道路交通安全法", "北京市实施中华人民共和国道路交通安全法办法") == 0
    assert title_score("《道路交通安全法》", "中华人民共和国道路交通安全法") == 100


def _facts(name: str, title: str, day: str | None, cites: list[str] = (), effective: str | None = None) -> DocFacts:  # type: ignore[assignment]
    return DocFacts(
        name=name,
        title=title,
        date=dt.date.fromisoformat(day) if day else None,
        effective=dt.date.fromisoformat(effective) if effective else None,
        work=work_key(title),
        cites=[LawCitation(f"《{c}》", work_key(c), None, 0) for c in cites],
    )


def test_resolution_to_the_version_in_force_never_to_a_containing_title() -> None:
    docs = [
        _facts("law-1997", "中华人民共和国献血法", "1997-12-29"),
        _facts("law-2020", "中华人民共和国献血法", "2020-06-01", effective="2020-10-01"),
        _facts("zhejiang", "浙江省实施《中华人民共和国献血法》办法", "2010-07-30", ["中华人民共和国献血法"]),
        _facts("henan-2020", "河南省实施《献血法》办法", "2020-08-01", ["献血法"]),  # before the 2020 version took effect
        _facts("henan-2021", "河南省实施《献血法》办法", "2021-03-01", ["献血法", "河南省实施《献血法》办法"]),
    ]
    got = resolve_law_citations({d.name: d for d in docs})
    assert got["zhejiang"] == {"law-1997": "《中华人民共和国献血法》"}
    assert got["henan-2020"] == {"law-1997": "《献血法》"}
    assert got["henan-2021"] == {"law-2020": "《献血法》"}  # its own work (another version of itself) is no citation
    law_citing_itself = _facts("law-2020", "献血法", "2020-06-01", ["中华人民共和国献血法"])
    assert resolve_law_citations({d.name: d for d in [docs[0], law_citing_itself]}) == {}
    # without the law, 《献血法》 names nothing: never the measure whose title contains it
    assert resolve_law_citations({d.name: d for d in docs[2:4]}) == {}


def test_pick_version() -> None:
    v = [
        Version("v1999", dt.date(1999, 4, 29), dt.date(1999, 10, 1)),
        Version("v2017", dt.date(2017, 9, 1), dt.date(1999, 10, 1)),  # effective date of the first version: ignored
        Version("v2023", dt.date(2023, 9, 1), dt.date(2024, 1, 1)),
    ]
    assert pick_version(v, dt.date(2010, 1, 1)).name == "v1999"  # type: ignore[union-attr]
    assert pick_version(v, dt.date(2023, 12, 1)).name == "v2017"  # type: ignore[union-attr]  # v2023 not yet in force
    assert pick_version(v, dt.date(2024, 2, 1)).name == "v2023"  # type: ignore[union-attr]
    assert pick_version(v, None).name == "v2023"  # type: ignore[union-attr]
    assert pick_version(v, dt.date(1990, 1, 1)).name == "v1999"  # type: ignore[union-attr]  # every version later: the earliest
    assert pick_version(v, dt.date(2024, 2, 1), year=2017).name == "v2017"  # type: ignore[union-attr]  # （2017年修正）


# --- lineage on a small collection ---------------------------------------------------------

LAW_ARTICLES = [
    "为了保证医疗临床用血需要和安全，保障献血者和用血者身体健康，发扬人道主义精神，促进社会主义物质文明和精神文明建设，制定本法。",
    "国家实行无偿献血制度。国家提倡十八周岁至五十五周岁的健康公民自愿献血。",
    "地方各级人民政府领导本行政区域内的献血工作，统一规划并负责组织、协调有关部门共同做好献血工作。",
    "县级以上各级人民政府卫生行政部门监督管理献血工作。各级红十字会依法参与、推动献血工作。",
    "各级人民政府采取措施广泛宣传献血的意义，普及献血的科学知识，开展预防和控制经血液途径传播的疾病的教育。",
    "血站对献血者必须免费进行必要的健康检查；身体状况不符合献血条件的，血站应当向其说明情况，不得采集血液。",
]
HISTORY = "1997年12月29日 第八届全国人民代表大会常务委员会第二十九次会议通过"


def _law(title: str, history: list[str], articles: list[str]) -> str:
    body = "\n\n".join(f"第{'一二三四五六七八九十'[i]}条 {a}" for i, a in enumerate(articles))
    return f"# {title}\n\n" + "\n\n".join(history) + "\n\n<!-- INFO END -->\n\n" + body + "\n"


@pytest.fixture(scope="module")
def laws_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("laws")
    v2 = [*LAW_ARTICLES[:5], "血站采集血液必须严格遵守有关操作规程和制度，采血必须由具有采血资格的医务人员进行，一次性采血器材用后必须销毁。"]
    files = {
        "法律/献血法(1997-12-29).md": _law("中华人民共和国献血法", [HISTORY], LAW_ARTICLES),
        "法律/献血法(2023-01-01).md": _law("中华人民共和国献血法", [HISTORY, "2022年12月30日 第十三届全国人民代表大会常务委员会第三十八次会议修订"], v2),
        "地方/河南省实施《献血法》办法(1999-09-24).md": _law(
            "河南省实施《中华人民共和国献血法》办法",
            ["1999年9月24日 河南省第九届人民代表大会常务委员会第十一次会议通过"],
            [
                "为保证医疗临床用血需要和安全，根据《中华人民共和国献血法》（以下简称《献血法》），结合本省实际，制定本办法。",
                "全省实行无偿献血制度。年满十八周岁至五十五周岁的健康公民依照《献血法》和本办法自愿参加献血。",
                "县级以上人民政府领导本行政区域内的献血工作，负责制定年度献血计划，保障献血工作经费。",
            ],
        ),
        "地方/甲市档案条例.md": "# 甲市档案条例\n\n2001年5月1日 甲市人民代表大会常务委员会通过\n\n2010年7月30日 甲市人民代表大会常务委员会修正\n\n<!-- INFO END -->\n",
        "地方/乙市档案条例.md": "# 乙市档案条例\n\n2001年5月1日 乙市人民代表大会常务委员会通过\n\n2010年7月30日 乙市人民代表大会常务委员会修正\n\n<!-- INFO END -->\n",
    }
    for rel, text in files.items():
        p = src / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    out = tmp_path_factory.mktemp("laws_ix")
    stats = build_index(src, out, workers=1)
    assert stats.failed == 0
    return out


def _by_path(index: Path) -> dict[str, str]:
    import pyarrow.parquet as pq

    return {Path(r["path"]).name: r["name"] for r in pq.read_table(index / "documents.parquet", columns=["name", "path"]).to_pylist()}


def test_lineage_of_laws(laws_index: Path) -> None:
    ids = _by_path(laws_index)
    law97, law23 = ids["献血法(1997-12-29).md"], ids["献血法(2023-01-01).md"]
    henan = ids["河南省实施《献血法》办法(1999-09-24).md"]
    edges = find_lineage(laws_index, workers=1)
    parents = parent_edges(edges)
    e = parents[henan]
    assert (e.parent, e.relation, e.decided_by, e.citation, e.date_order, e.direction) == (
        law97,
        "implements",
        "citation",
        "《中华人民共和国献血法》",
        "before",
        "dates",
    )
    assert 0 < e.reuse_share < 1 and 0 < e.parent_share < 1 and e.inherited_clauses >= 1
    v = parents[law23]
    assert (v.parent, v.relation, v.decided_by, v.date_order, v.direction) == (law97, "revises", "version", "before", "dates")
    assert v.inherited_clauses == 5 and v.reuse_share > 0.7


def test_header_only_documents_get_no_parent_from_boilerplate(laws_index: Path) -> None:
    ids = _by_path(laws_index)
    header_only = {ids["甲市档案条例.md"], ids["乙市档案条例.md"]}
    edges = find_lineage(laws_index, workers=1)
    assert not [e for e in edges if {e.child, e.parent} & header_only]


def test_a_failing_pair_is_an_issue_and_the_run_goes_on(laws_index: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from policydiff.corpus import lineage_evidence

    ids = _by_path(laws_index)
    henan = ids["河南省实施《献血法》办法(1999-09-24).md"]
    real = lineage_evidence.text_evidence

    def flaky(index_dir: str, child: str, parent: str) -> dict[str, object]:
        if child == henan:
            raise ZeroDivisionError("float division by zero")
        return real(index_dir, child, parent)

    monkeypatch.setattr(lineage_evidence, "text_evidence", flaky)
    issues: list[dict[str, str]] = []
    edges = find_lineage(laws_index, workers=1, issues=issues)
    assert issues == [{"child": henan, "parent": ids["献血法(1997-12-29).md"], "error": "ZeroDivisionError: float division by zero"}]
    parents = parent_edges(edges)
    assert parents[henan].inherited_clauses == 0  # kept, without evidence
    assert parents[ids["献血法(2023-01-01).md"]].inherited_clauses == 5  # the other pair was measured


def test_cli_names_the_failing_pair(laws_index: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from policydiff.cli import app
    from policydiff.corpus import lineage_evidence

    def broken(index_dir: str, child: str, parent: str) -> dict[str, object]:
        raise ValueError("boom")

    monkeypatch.setattr(lineage_evidence, "text_evidence", broken)
    res = CliRunner().invoke(app, ["lineage", str(laws_index), "--format", "csv"])
    assert res.exit_code == 0
    assert "warning: could not compare" in res.stderr and "boom" in res.stderr
    assert "implements" in res.stdout and "revises" in res.stdout


def test_html_groups_versions_and_draws_relations_apart(laws_index: Path) -> None:
    from policydiff.corpus.lineage import document_names
    from policydiff.corpus.lineage_facts import read_facts
    from policydiff.render.lineage import lineage_html

    edges = find_lineage(laws_index, workers=1)
    works = {n: f.work for n, f in read_facts(laws_index).items() if f.work}
    html = lineage_html(edges, document_names(laws_index), works=works)
    assert "献血法: 2 versions" in html
    assert html.count('marker-end="url(#arrow)"') == 1  # one implements edge
    assert 'stroke="#2c6fbb" stroke-width="1.8" stroke-dasharray="6 3"' in html  # the revises edge


def test_fragment_links_with_zero_rarity_weights() -> None:
    """Every bigram in every sentence: the rarity weights of a fragment sum to 0 (was ZeroDivisionError)."""
    from policydiff.align.clauses import SentRef, _fragment_links

    a = [SentRef(0, 0, "职业教育职业教育", "职业教育职业教育")]
    b = [SentRef(0, 0, "职业教育职业教育", "职业教育职业教育")]
    assert _fragment_links(a, b, {0}) == []


def test_same_named_files_are_all_indexed_and_traced(tmp_path: Path) -> None:
    src = tmp_path / "src"
    for folder in ("北京", "上海"):
        p = src / folder / "实施办法.md"
        p.parent.mkdir(parents=True)
        p.write_text(_law(f"{folder}市实施《中华人民共和国献血法》办法", [], LAW_ARTICLES[:3]), encoding="utf-8")
    (src / "献血法.md").write_text(_law("中华人民共和国献血法", [HISTORY], LAW_ARTICLES), encoding="utf-8")
    out = tmp_path / "ix"
    build_index(src, out, workers=1)
    from policydiff.corpus.lineage import document_names

    assert len(document_names(out)) == 3
    parents = parent_edges(find_lineage(out, workers=1))
    assert sorted(e.parent for e in parents.values() if e.relation == "implements") == [_by_path(out)["献血法.md"]] * 2


def test_versions_without_dates_say_direction_unknown() -> None:
    from policydiff.corpus.lineage import _versions

    a = _facts("a", "中华人民共和国献血法", None)
    b = _facts("b", "献血法", None)
    a.level = b.level = 5
    (e,) = _versions({"a": a, "b": b}, {})
    assert (e.relation, e.date_order, e.direction) == ("revises", "unknown", "unknown")
    b.date = dt.date(2023, 1, 1)
    a.date = dt.date(1997, 12, 29)
    (e,) = _versions({"a": a, "b": b}, {})
    assert (e.parent, e.child, e.date_order, e.direction) == ("a", "b", "before", "dates")


def test_a_city_implements_its_own_province_only_and_nobody_implements_an_interpretation() -> None:
    from policydiff.corpus.lineage import _eligible
    from policydiff.corpus.lineage_facts import province_of

    header = "2015年12月14日 济南市第十五届人民代表大会常务委员会第二十五次会议通过 2016年1月22日山东省第十二届人民代表大会常务委员会第十八次会议批准"
    assert province_of("济南市", header) == "山东省" and province_of("浙江省", "") == "浙江省"
    city = DocFacts("jinan", "济南市湿地保护条例", dt.date(2016, 1, 22), level=1, region="济南市", province="山东省")
    own = DocFacts("sd", "山东省湿地保护条例", dt.date(2012, 1, 1), level=2, region="山东省", province="山东省")
    other = DocFacts("zj", "浙江省湿地保护条例", dt.date(2012, 1, 1), level=2, region="浙江省", province="浙江省")
    court = DocFacts("spc", "最高人民法院关于审理人身损害赔偿案件适用法律若干问题的解释", dt.date(2003, 1, 1), level=3, kind="judicial-interpretation")
    assert _eligible(city, own, {}) and not _eligible(city, other, {}) and not _eligible(city, court, {})
