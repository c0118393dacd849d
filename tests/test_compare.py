"""Issue 4: alignment relations on real and constructed documents."""

from __future__ import annotations

import random

import pytest

import policydiff
from policydiff.align import order_documents
from policydiff.align.numeric import assign, group_changes, numeric_changes
from policydiff.render.alignment import alignment_csv
from policydiff.schema import Citation, Document, Target


def test_self_compare_is_all_identical(seed_docs: dict[str, Document]) -> None:
    doc = seed_docs["xinzheng-2023-highland-plan"]
    al = policydiff.compare(doc, doc)
    assert {p.relation for p in al.pairs} == {"identical"}
    assert len(al.pairs) == len(doc.clauses) and not any(p.moved for p in al.pairs)
    assert al.figures.reuse_share == 1.0


def test_shuffled_renumbered_copy_is_identical_and_moved(seed_docs: dict[str, Document]) -> None:
    doc = seed_docs["zhengzhou-2022-highland-plan"]
    bodies = [c.text for c in doc.clauses]
    order = list(range(len(bodies)))
    random.Random(7).shuffle(order)
    text = "一、任务\n" + "\n".join(f"{n + 1}.{bodies[i]}" for n, i in enumerate(order))
    shuffled = policydiff.parse_text(text, name="shuffled")
    al = policydiff.compare(doc, shuffled)
    assert {p.relation for p in al.pairs} == {"identical"}
    assert any(p.moved for p in al.pairs)
    moved_pairs = [p for p in al.pairs if p.moved]
    assert 0 < len(moved_pairs) < len(al.pairs)


def test_a_struck_comma_is_an_amendment_a_line_break_is_not() -> None:
    """保守国家秘密法 2010 → 2024, 第六条 → 第七条: the only change is a comma (职权范围内，管理 → 职权范围内管理).
    A 新旧对照表 that folds it as unchanged hides the amendment; a paragraph break moved by the source's layout
    (民事诉讼法 2021 → 2023, 第一百九十八条 → 第二百零二条) is not one."""
    old = policydiff.parse_text(
        "保守国家秘密法\n第六条 国家机关和涉及国家秘密的单位（以下简称机关、单位）管理本机关和本单位的保密工作。\n"
        "中央国家机关在其职权范围内，管理或者指导本系统的保密工作。\n"
        "第七条 申请认定财产无主，由公民、法人或者其他组织向财产所在地基层人民法院提出。\n申请书应当写明财产的种类。\n",
        name="old",
    )
    new = policydiff.parse_text(
        "保守国家秘密法\n第七条 国家机关和涉及国家秘密的单位（以下简称机关、单位）管理本机关和本单位的保密工作。\n"
        "中央国家机关在其职权范围内管理或者指导本系统的保密工作。\n"
        "第八条 申请认定财产无主，由公民、法人或者其他组织向财产所在地基层人民法院提出。申请书应当写明财产的种类。\n",
        name="new",
    )
    al = policydiff.compare(old, new, detail=True)
    relations = {(p.a_label, p.b_label): p for p in al.pairs}
    comma = relations[("6", "7")]
    assert comma.relation == "modified"
    assert any(op.op != "equal" and "，" in op.a for op in comma.diff), comma.diff
    assert relations[("7", "8")].relation == "identical"


def test_unrelated_document_has_no_pair_above_threshold(seed_docs: dict[str, Document]) -> None:
    text = "一、总则\n" + "\n".join(
        f"{i}.加强城市道路第{i}段桥梁养护管理，落实排水防涝设施巡查责任，确保汛期交通安全畅通。" for i in range(1, 8)
    )
    other = policydiff.parse_text(text, name="roads")
    al = policydiff.compare(seed_docs["zhengzhou-2022-highland-plan"], other)
    assert all(p.similarity < al.threshold for p in al.pairs if p.a_id and p.b_id)
    assert all(p.reused_share == 0 for p in al.pairs)


def test_curriculum_clause_numeric_changes(seed_docs: dict[str, Document]) -> None:
    al = policydiff.compare(seed_docs["zhengzhou-2022-highland-plan"], seed_docs["xinzheng-2023-highland-plan"])
    pair = next(p for p in al.pairs if p.a_label == "6" and p.b_label == "4")
    texts = [n.text for n in pair.numeric_changes]
    # 200名 → 20名以上: the value and the comparator (= → ≥) both changed.
    assert texts == ["200名 → ≥20名 (×0.1)", "100门 → ≥10门 (×0.1)", "20个 → 2个 (×0.1)"], texts
    assert [n.aspects for n in pair.numeric_changes] == [["value", "comparator"], ["value", "comparator"], ["value"]]
    subsidy = next(p for p in al.pairs if p.a_label == "12" and p.b_label == "10")
    removed = [n for n in subsidy.numeric_changes if n.change == "removed"]
    assert any(n.old and n.old.low == 3000 and n.old.high == 6000 for n in removed)


def test_merge_and_partial_of_clause_3(seed_docs: dict[str, Document]) -> None:
    al = policydiff.compare(seed_docs["zhengzhou-2022-highland-plan"], seed_docs["xinzheng-2023-highland-plan"])
    into_3 = {p.a_label: p.relation for p in al.pairs if p.b_label == "3"}
    assert into_3 == {"3": "merged", "4": "merged", "5": "merged", "13": "partial"}
    # 新郑 cites the 郑州 plan by its title and number: the direction says so first.
    assert al.direction[0] == (
        "xinzheng-2023-highland-plan cites zhengzhou-2022-highland-plan by title: "
        "《郑州市人民政府办公厅关于印发郑州市职业教育创新发展高地建设实施方案的通知》（郑政办〔2022〕91号）"
    )


def test_word_diff_reads_a_replacement(seed_docs: dict[str, Document]) -> None:
    al = policydiff.compare(seed_docs["zhengzhou-2022-highland-plan"], seed_docs["xinzheng-2023-highland-plan"], detail=True)
    pair = next(p for p in al.pairs if p.a_label == "17")
    assert any(op.op == "replace" and "院校" in op.a and "学校" in op.b for op in pair.diff)


def test_sentence_candidates_match_a_stable_argsort_of_cdist() -> None:
    # The numpy-free candidate search must pick what a stable argsort of rapidfuzz's float32
    # cdist row (reversed) picks, ties included: short strings over 3 letters tie a lot.
    np = pytest.importorskip("numpy")
    from rapidfuzz import process
    from rapidfuzz.distance import Indel

    from policydiff.align.clauses import _candidates

    rng = random.Random(3)
    for size in (5, 16, 17, 40, 200):
        choices = ["".join(rng.choice("abc") for _ in range(rng.randint(1, 6))) for _ in range(size)]
        queries = ["".join(rng.choice("abc") for _ in range(rng.randint(1, 6))) for _ in range(30)]
        rows = process.cdist(queries, choices, scorer=Indel.normalized_similarity, dtype=np.float32)
        for query, row in zip(queries, rows, strict=True):
            order = np.argsort(row, kind="stable")[::-1][:8]
            assert _candidates(query, choices) == [(int(j), float(row[j])) for j in order]


# --- numeric changes ---------------------------------------------------------------------------



def _t(subject: str, value: float, unit: str = "%", comparator: str = "eq", year: int | None = None) -> Target:
    low = value if comparator in ("ge", "gt") else None
    high = value if comparator in ("le", "lt") else None
    return Target(raw=f"{value}{unit}", subject=subject, comparator=comparator, value=value, low=low, high=high, unit=unit, year=year)  # type: ignore[arg-type]


def test_exact_target_match_wins_over_an_earlier_similar_one(seed_docs: dict[str, Document]) -> None:
    # zhengzhou 16 has 高职参与率 100% then 中职参与率 ≥50%; xinzheng 14 keeps only the 中职 50%.
    # Matching target by target gave "100% → 50% (×0.5); 50% → —".
    old = [_t("高等职业学校参与率", 100), _t("中等职业学校参与率", 50, comparator="ge")]
    new = [_t("中等职业学校参与率", 50, comparator="ge")]
    assert assign(old, new) == {1: 0}
    al = policydiff.compare(seed_docs["zhengzhou-2022-highland-plan"], seed_docs["xinzheng-2023-highland-plan"])
    pair = next(p for p in al.pairs if p.a_label == "16" and p.b_label == "14")
    got = [(n.change, n.subject, n.text) for n in pair.numeric_changes]
    assert got == [("removed", "高等职业学校参与率", "100% → —"), ("same", "中等职业学校参与率", "≥50% → ≥50%")]


def test_year_and_comparator_changes_are_changes() -> None:
    parent = policydiff.parse_text(
        "某市方案\n一、任务\n1.加强师资队伍建设。到2025年，全市“双师型”教师占专业课教师比例达到70%以上。\n"
        "2.优化专业结构。全市职业学校专业对口就业率不低于70%，持续改善办学条件。\n",
        name="p",
    )
    child = policydiff.parse_text(
        "某县方案\n一、任务\n1.加强师资队伍建设。到2023年，全县“双师型”教师占专业课教师比例达到70%以上。\n"
        "2.优化专业结构。全县职业学校专业对口就业率不超过70%，持续改善办学条件。\n",
        name="c",
    )
    year = numeric_changes(parent.clauses[0], child.clauses[0])
    assert [(n.change, n.aspects, n.text) for n in year] == [("changed", ["year"], "≥70% (2025) → ≥70% (2023)")]
    comp = numeric_changes(parent.clauses[1], child.clauses[1])
    assert [(n.change, n.aspects, n.text) for n in comp] == [("changed", ["comparator"], "≥70% → ≤70%")]
    # ...and they reach every output: csv numeric_changes, json (aspects), terminal and reports use n.text.
    al = policydiff.compare(parent, child)
    csv_text = alignment_csv([al])
    assert "≥70% (2025) → ≥70% (2023)" in csv_text and "≥70% → ≤70%" in csv_text and "(×1)" not in csv_text
    dumped = al.model_dump(mode="json")
    assert [n["aspects"] for p in dumped["pairs"] for n in p["numeric_changes"]] == [["year"], ["comparator"]]
    from rich.console import Console

    from policydiff.render.alignment import pairs_table
    from policydiff.render.html import alignment_html
    from policydiff.render.markdown import alignment_markdown

    console = Console(width=400, record=True)
    console.print(pairs_table(al))
    shown = {
        "terminal": console.export_text(),
        "markdown": alignment_markdown(al, parent, child),
        "html": alignment_html(al, parent, child).replace("</span> → <span class=\"num-new\">", " → "),
    }
    for where, text in shown.items():
        assert "≥70% (2025) → ≥70% (2023)" in text and "≥70% → ≤70%" in text, where


def test_numeric_change_text_has_plain_numbers() -> None:
    (n,) = numeric_changes(_clause([_t("培训人次", 1080000, "人次")]), _clause([_t("培训人次", 2160000.5, "人次")]))
    assert n.text == "1080000人次 → 2160000.5人次 (×2)"


def test_same_target_with_no_change_is_same() -> None:
    t = _t("“双师型”教师占专业课教师比例", 70, comparator="ge", year=2025)
    (n,) = group_changes([(0, 0)], [_clause([t])], [_clause([t.model_copy()])])[(0, 0)]
    assert n.change == "same" and n.aspects == [] and n.scale is None and n.text == "≥70% (2025) → ≥70% (2025)"


def _clause(targets: list[Target]) -> policydiff.Clause:
    from policydiff.schema import Clause, Span

    return Clause(
        id="c", label="1", style="arabic-dot", heading="h", text="t", policy_text="t", sentences=["t"], path=[],
        span=Span(start=0, end=1, raw_start=0, raw_end=1, line=1), targets=targets,
    )


SPLIT_PARENT = """某市方案
一、主要任务
1.加强师资队伍建设。培训职业学校骨干教师200名，建设市级教师发展中心，完善教师培训体系和考核评价机制。建设市级示范学校20所，推进学校标准化建设，全面改善职业学校办学条件。
2.深化产教融合。推动企业深度参与职业教育，建设产教融合实训基地10个，完善校企合作激励政策。
"""
SPLIT_CHILD = """某县方案
一、主要任务
1.加强师资队伍建设。培训职业学校骨干教师20名，建设县级教师发展中心，完善教师培训体系和考核评价机制。
2.改善办学条件。建设县级示范学校2所，推进学校标准化建设，全面改善职业学校办学条件。
3.深化产教融合。推动企业深度参与职业教育，建设产教融合实训基地1个，完善校企合作激励政策。
"""


def test_split_pairs_do_not_report_the_siblings_targets_as_removed() -> None:
    al = policydiff.compare(policydiff.parse_text(SPLIT_PARENT, name="p"), policydiff.parse_text(SPLIT_CHILD, name="c"))
    got = {(p.a_label, p.b_label): (p.relation, [n.text for n in p.numeric_changes]) for p in al.pairs}
    assert got == {
        ("1", "1"): ("split", ["200名 → 20名 (×0.1)"]),
        ("1", "2"): ("split", ["20所 → 2所 (×0.1)"]),
        ("2", "3"): ("modified", ["10个 → 1个 (×0.1)"]),
    }
    assert al.figures.split == 1


def test_merged_pairs_list_an_added_target_once(seed_docs: dict[str, Document]) -> None:
    # zhengzhou 3, 4, 5 → xinzheng 3: its 1—2个 产业学院 was "added" in all three rows. It comes from
    # zhengzhou 13's 5个 (the partial row 13 → 3), and is listed once, as that change.
    al = policydiff.compare(seed_docs["zhengzhou-2022-highland-plan"], seed_docs["xinzheng-2023-highland-plan"])
    into_3 = [n for p in al.pairs if p.b_label == "3" for n in p.numeric_changes]
    assert [n.text for n in into_3 if n.text.endswith("→ 1—2个")] == ["5个 → 1—2个"]
    removed = sorted(n.text for n in into_3 if n.change == "removed")
    assert removed == ["1—2所 → —", "1所 → —", "6个 → —"]


# --- relations and figures -------------------------------------------------------------------


def test_moved_and_modified_is_its_own_state(seed_docs: dict[str, Document]) -> None:
    from rich.console import Console

    from policydiff.render.alignment import pairs_table

    doc = seed_docs["zhengzhou-2022-highland-plan"]
    bodies = [c.text for c in doc.clauses]
    # Clause 2 moves to the end, with its target changed.
    order = [0, *range(2, len(bodies)), 1]
    texts = [bodies[i].replace("1—2所", "3所") if i == 1 else bodies[i] for i in order]
    child = policydiff.parse_text("一、任务\n" + "\n".join(f"{n + 1}.{t}" for n, t in enumerate(texts)), name="moved")
    al = policydiff.compare(doc, child)
    (moved,) = [p for p in al.pairs if p.moved]
    assert (moved.a_label, moved.b_label, moved.relation) == ("2", str(len(bodies)), "modified")
    assert [n.text for n in moved.numeric_changes] == ["1—2所 → 3所"]
    assert {p.relation for p in al.pairs if not p.moved} == {"identical"}
    assert al.figures.moved == 1 and al.figures.modified == 1
    console = Console(width=300, record=True)
    console.print(pairs_table(al))
    assert "modified +moved" in console.export_text()
    row = next(r for r in alignment_csv([al]).splitlines() if ",modified," in r)
    assert ",modified,true," in row


def test_reuse_share_per_clause_by_hand() -> None:
    parent = policydiff.parse_text("某市方案\n一、任务\n1.加强师资队伍建设。培训骨干教师二百名并完善考核评价机制。\n", name="p")
    child = policydiff.parse_text("某县方案\n一、任务\n1.加强师资队伍建设。开展校园足球联赛活动丰富课余生活。\n", name="c")
    (pair,) = policydiff.compare(parent, child).pairs
    # The child keeps its first sentence, 加强师资队伍建设。 (9 characters), of 9 + 17 = 26.
    assert pair.relation == "modified"
    assert pair.reused_share == round(9 / 26, 3) == 0.346
    al = policydiff.compare(parent, child)
    assert al.figures.reuse_share == 0.346


def test_threshold_is_the_least_pair_similarity(seed_docs: dict[str, Document]) -> None:
    zz, xz = seed_docs["zhengzhou-2022-highland-plan"], seed_docs["xinzheng-2023-highland-plan"]
    default = policydiff.compare(zz, xz)
    assert policydiff.compare(zz, xz, threshold=0).pairs == default.pairs
    assert min(p.similarity for p in default.pairs if p.a_id and p.b_id) < 0.3
    for th in (0.3, 0.5, 0.9, 1.0):
        al = policydiff.compare(zz, xz, threshold=th)
        paired = [p for p in al.pairs if p.a_id and p.b_id]
        assert paired and all(p.similarity >= th for p in paired), th
        # Every clause is still accounted for: unpaired ones are dropped/added.
        assert {p.a_id for p in al.pairs if p.a_id} == {c.id for c in zz.clauses}
        assert {p.b_id for p in al.pairs if p.b_id} == {c.id for c in xz.clauses}
    at_03 = {(p.a_label, p.b_label): p.relation for p in policydiff.compare(zz, xz, threshold=0.3).pairs}
    # Of the merge 3, 4, 5 → 3 only 5 (0.30) is left: a plain modification; 3 and 4 are dropped.
    assert at_03[("5", "3")] == "modified" and at_03[("3", None)] == "dropped" and at_03[("4", None)] == "dropped"
    assert ("13", "3") not in at_03
    assert sum(r == "modified" for r in at_03.values()) < sum(p.relation == "modified" for p in default.pairs) + 2
    only_identical = policydiff.compare(zz, xz, threshold=1.0)
    assert {p.relation for p in only_identical.pairs if p.a_id and p.b_id} == {"identical"}


# --- direction and order ---------------------------------------------------------------------


def test_direction_in_both_orders(seed_docs: dict[str, Document]) -> None:
    zz, xz = seed_docs["zhengzhou-2022-highland-plan"], seed_docs["xinzheng-2023-highland-plan"]
    forward = policydiff.compare(zz, xz).direction
    assert forward[0].startswith("xinzheng-2023-highland-plan cites zhengzhou-2022-highland-plan")
    assert not any(d.startswith("warning") for d in forward)
    backward = policydiff.compare(xz, zz).direction
    assert len(backward) == 2 and backward[0].startswith("warning: xinzheng-2023-highland-plan cites zhengzhou-2022-highland-plan")
    assert "second document looks like the parent" in backward[0] and "--auto-order" in backward[0]
    # ...and the given parent is the newer one: both dates named (zhengzhou's year from its file name).
    assert backward[1].startswith("warning: the parent xinzheng-2023-highland-plan (2023-08-28) is dated after the child zhengzhou-2022-highland-plan (2022")


def _named(doc: Document, name: str, title: str, cites: list[str], day: str | None) -> Document:
    from datetime import date

    meta = doc.metadata.model_copy(update={"plan_title": title, "title": title, "doc_number": None, "issue_date": date.fromisoformat(day) if day else None})
    return doc.model_copy(update={"name": name, "metadata": meta, "citations": [Citation(raw=f"《{t}》", title=t) for t in cites]})


def test_auto_order_is_a_topological_sort_by_citations_then_dates(seed_docs: dict[str, Document]) -> None:
    base = seed_docs["zhengzhou-reform-plan-drafting-note"]
    # A ← B ← C by citation, dated the wrong way round; D cites nothing and is the oldest.
    a = _named(base, "A", "甲省职业教育方案", [], "2023-05-01")
    b = _named(base, "B", "乙市职业教育方案", ["甲省职业教育方案"], "2022-05-01")
    c = _named(base, "C", "丙县职业教育方案", ["乙市职业教育方案"], "2021-05-01")
    d = _named(base, "D", "丁县职业教育方案", [], "2020-01-01")
    # A is the reference (the most descendants); then whatever is free, oldest first.
    assert [x.name for x in order_documents([c, d, b, a])] == ["A", "B", "D", "C"]
    assert [x.name for x in order_documents([c, b, a])] == ["A", "B", "C"]
    # Without B the chain is broken: no citation between A and C, so by date.
    assert [x.name for x in order_documents([d, c, a])] == ["D", "C", "A"]
    # No citations: by date; undated last, in the order given.
    e = _named(base, "E", "戊", [], None)
    assert [x.name for x in order_documents([e, c, d])] == ["D", "C", "E"]
    # A citation cycle still gives every document once.
    x = _named(base, "X", "某甲", ["某乙"], "2021-01-01")
    y = _named(base, "Y", "某乙", ["某甲"], "2022-01-01")
    assert [z.name for z in order_documents([y, x])] == ["X", "Y"]


def test_auto_order_puts_the_cited_plan_first_not_the_oldest(seed_docs: dict[str, Document]) -> None:
    from policydiff.extract import link_documents

    docs = [seed_docs[n].model_copy(deep=True) for n in ("xinzheng-2023-highland-plan", "kaifeng-2021-expansion-plan", "zhengzhou-2022-highland-plan")]
    link_documents(docs)
    assert order_documents(docs)[0].name == "zhengzhou-2022-highland-plan"
