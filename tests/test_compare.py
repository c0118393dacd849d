"""Issue 4: alignment relations on real and constructed documents."""

from __future__ import annotations

import random
import re

import pytest

import policydiff
from policydiff.schema import Document


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
    assert any(re.match(r"200名 → 20名 \(×0\.1\)", t) for t in texts), texts
    assert any(t.startswith("100门 → 10门") for t in texts)
    assert any(t.startswith("20个 → 2个") for t in texts)
    subsidy = next(p for p in al.pairs if p.a_label == "12" and p.b_label == "10")
    removed = [n for n in subsidy.numeric_changes if n.change == "removed"]
    assert any(n.old and n.old.low == 3000 and n.old.high == 6000 for n in removed)


def test_merge_and_partial_of_clause_3(seed_docs: dict[str, Document]) -> None:
    al = policydiff.compare(seed_docs["zhengzhou-2022-highland-plan"], seed_docs["xinzheng-2023-highland-plan"])
    into_3 = {p.a_label: p.relation for p in al.pairs if p.b_label == "3"}
    assert into_3 == {"3": "merged", "4": "merged", "5": "merged", "13": "partial"}
    assert any("cites" in e for e in al.direction) or al.direction == []


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
