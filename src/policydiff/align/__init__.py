"""Clause-by-clause alignment of a child plan against the plan it descends from."""

from __future__ import annotations

import bisect

from policydiff.align.clauses import SENTENCE_LINK, ClauseAlignment, align_clauses, fold
from policydiff.align.numeric import numeric_changes
from policydiff.schema import (
    Alignment,
    AlignmentFigures,
    ClausePair,
    DocRef,
    Document,
    MultiAlignment,
    SentenceLink,
)

__all__ = ["SENTENCE_LINK", "compare", "compare_many", "doc_ref"]


def doc_ref(doc: Document) -> DocRef:
    m = doc.metadata
    return DocRef(
        name=doc.name,
        title=m.plan_title or m.title,
        doc_number=m.doc_number.normalized if m.doc_number else None,
        date=m.issue_date or m.print_date,
        clauses=len(doc.clauses),
    )


def compare(parent: Document, child: Document, *, threshold: float = SENTENCE_LINK, detail: bool = False) -> Alignment:
    """Align `child` against `parent`; `detail` adds word-level diffs (loads jieba)."""
    ca = align_clauses(parent, child, threshold)
    pairs = _pairs(parent, child, ca)
    if detail:
        from policydiff.align.diff import word_diff

        for p in pairs:
            if p.a_id and p.b_id and p.relation != "identical":
                p.diff = word_diff(parent.clause(p.a_id).policy_text, child.clause(p.b_id).policy_text)
    links = [
        SentenceLink(
            b_clause=child.clauses[lk.b.clause].id,
            b_sentence=lk.b.index,
            b_text=lk.b.text,
            a_clause=parent.clauses[lk.a.clause].id if lk.a else None,
            a_sentence=lk.a.index if lk.a else None,
            a_text=lk.a.text if lk.a else None,
            similarity=round(lk.similarity, 3),
        )
        for lk in ca.links
    ]
    return Alignment(
        a=doc_ref(parent),
        b=doc_ref(child),
        direction=direction_evidence(parent, child),
        threshold=threshold,
        pairs=pairs,
        sentence_links=links,
        figures=_figures(ca, pairs, parent, child),
    )


def compare_many(reference: Document, others: list[Document], *, threshold: float = SENTENCE_LINK, detail: bool = False) -> MultiAlignment:
    return MultiAlignment(
        reference=doc_ref(reference),
        others=[doc_ref(o) for o in others],
        alignments=[compare(reference, o, threshold=threshold, detail=detail) for o in others],
    )


def _pairs(a: Document, b: Document, ca: ClauseAlignment) -> list[ClausePair]:
    moved = _moved(ca)
    out: list[ClausePair] = []
    paired_a = {ai for ai, _ in ca.pairs}
    paired_b = {bi for _, bi in ca.pairs}

    def pair(ai: int | None, bi: int | None, relation: str) -> ClausePair:
        ac = a.clauses[ai] if ai is not None else None
        bc = b.clauses[bi] if bi is not None else None
        p = ClausePair(
            a_doc=a.name,
            a_id=ac.id if ac else None,
            a_label=ac.label if ac else None,
            a_heading=ac.heading if ac else None,
            b_doc=b.name,
            b_id=bc.id if bc else None,
            b_label=bc.label if bc else None,
            b_heading=bc.heading if bc else None,
            relation=relation,  # type: ignore[arg-type]
        )
        if ac and bc:
            from rapidfuzz.distance import Indel

            p.similarity = round(Indel.normalized_similarity(fold(ac.policy_text), fold(bc.policy_text)), 3)
            assert ai is not None and bi is not None
            p.reused_share = round(min(ca.reused.get((ai, bi), 0) / ca.b_len[bi], 1.0), 3)
            p.moved = (ai, bi) in moved
            if relation != "partial":
                p.numeric_changes = numeric_changes(ac, bc)
        return p

    # Child order, with dropped parent clauses placed after the pair of their predecessor.
    for (ai, bi), rel in sorted(ca.pairs.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        out.append(pair(ai, bi, rel))
    for bi in range(len(b.clauses)):
        if bi not in paired_b:
            out.append(pair(None, bi, "added"))
    for ai in range(len(a.clauses)):
        if ai not in paired_a:
            out.append(pair(ai, None, "dropped"))

    # Position of Document.clause(key) (first clause with that id or label), without
    # list.index: comparing pydantic models field by field made sorting quadratic.
    a_pos, b_pos = _positions(a), _positions(b)

    def order_key(p: ClausePair) -> tuple[int, int, int]:
        bi = b_pos[p.b_id] if p.b_id else -1
        ai = a_pos[p.a_id] if p.a_id else -1
        if bi < 0:  # dropped: after the child clause that holds its predecessor
            prev = [q for (x, q) in ca.pairs if x < ai]
            return (max(prev) if prev else -1, 1, ai)
        return (bi, 0, ai)

    out.sort(key=order_key)
    return out


def _positions(doc: Document) -> dict[str, int]:
    pos: dict[str, int] = {}
    for i, c in enumerate(doc.clauses):
        pos.setdefault(c.id, i)
        pos.setdefault(c.label, i)
    return pos


def _moved(ca: ClauseAlignment) -> set[tuple[int, int]]:
    """Pairs outside the longest run that keeps parent order (in child order)."""
    core = sorted((bi, ai) for (ai, bi), rel in ca.pairs.items() if rel != "partial")
    seq = [ai for _, ai in core]
    # Longest non-decreasing subsequence with back-pointers.
    tails: list[int] = []
    tails_idx: list[int] = []
    prev = [-1] * len(seq)
    for i, v in enumerate(seq):
        k = bisect.bisect_right(tails, v)
        if k == len(tails):
            tails.append(v)
            tails_idx.append(i)
        else:
            tails[k] = v
            tails_idx[k] = i
        prev[i] = tails_idx[k - 1] if k else -1
    keep: set[int] = set()
    i = tails_idx[-1] if tails_idx else -1
    while i >= 0:
        keep.add(i)
        i = prev[i]
    return {(ai, bi) for n, (bi, ai) in enumerate(core) if n not in keep}


def _figures(ca: ClauseAlignment, pairs: list[ClausePair], a: Document, b: Document) -> AlignmentFigures:
    reused = sum(lk.common for lk in ca.links if lk.a is not None)
    total = sum(ca.b_len) if b.clauses else 1
    rel_by_a: dict[str, set[str]] = {}
    for p in pairs:
        if p.a_id:
            rel_by_a.setdefault(p.a_id, set()).add(p.relation)

    def count(rel: str) -> int:
        return sum(1 for rels in rel_by_a.values() if rel in rels)

    return AlignmentFigures(
        reuse_share=round(min(reused / total, 1.0), 3),
        parent_clauses=len(a.clauses),
        child_clauses=len(b.clauses),
        kept=sum(1 for rels in rel_by_a.values() if rels == {"identical"}),
        modified=count("modified"),
        merged=count("merged"),
        split=count("split"),
        dropped=count("dropped"),
        added=sum(1 for p in pairs if p.relation == "added"),
        moved=sum(1 for p in pairs if p.moved),
    )


def direction_evidence(a: Document, b: Document) -> list[str]:
    """Why b is taken to derive from a: it cites a, or it is dated later."""
    out = []
    a_num = a.metadata.doc_number.normalized if a.metadata.doc_number else None
    a_title = fold(a.metadata.plan_title or "")
    for c in b.citations:
        if c.resolved_to == a.name or (a_num and c.number and c.number.normalized == a_num):
            out.append(f"{b.name} cites {a.name}: {c.raw}")
            break
        if a_title and c.title and a_title and a_title in fold(c.title):
            out.append(f"{b.name} cites {a.name} by title: {c.raw}")
            break
    da, db = a.metadata.issue_date or a.metadata.print_date, b.metadata.issue_date or b.metadata.print_date
    if da and db:
        if db > da:
            out.append(f"{b.name} ({db}) is dated after {a.name} ({da})")
        elif db < da:
            out.append(f"warning: {b.name} ({db}) is dated before {a.name} ({da}); the order may be reversed")
    return out
