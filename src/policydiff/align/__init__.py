"""Clause-by-clause alignment of a child plan against the plan it descends from."""

from __future__ import annotations

import bisect
import re
from datetime import date

from policydiff.align.clauses import PAIR_MIN_SIMILARITY, SENTENCE_LINK, ClauseAlignment, align_clauses, fold, pair_similarity
from policydiff.align.numeric import document_changes, group_changes, unpaired_changes
from policydiff.align.related import RELATED_MATCH, related_pairs
from policydiff.schema import (
    Alignment,
    AlignmentFigures,
    ClausePair,
    DocRef,
    Document,
    MultiAlignment,
    NumericChange,
    SentenceLink,
)

__all__ = ["PAIR_MIN_SIMILARITY", "SENTENCE_LINK", "compare", "compare_many", "doc_ref", "order_documents"]


def doc_ref(doc: Document) -> DocRef:
    m = doc.metadata
    return DocRef(
        name=doc.name,
        title=m.plan_title or m.title,
        doc_number=m.doc_number.normalized if m.doc_number else None,
        date=m.issue_date or m.print_date,
        clauses=len(doc.clauses),
    )


def compare(
    parent: Document,
    child: Document,
    *,
    threshold: float | None = None,
    detail: bool = False,
    sentence_link: float = SENTENCE_LINK,
    related: float | None = RELATED_MATCH,
    concepts: tuple[str, ...] = (),
) -> Alignment:
    """Align `child` against `parent`; `detail` adds word-level diffs (loads jieba).

    `threshold` is the least similarity (0–1, `ClausePair.similarity`) of a reported pair:
    clauses of a less similar pair are reported as dropped/added instead. None or 0 keeps
    every pair the alignment finds. `sentence_link` is the share of a child sentence that must
    come from a parent sentence for the two to be linked (tuned; see `align.clauses`).
    `related` is the least topical score of a `related` pair (None: no related pairs; see
    `align.related`), `concepts` extra concept tables (TSV files) for it.
    """
    th = PAIR_MIN_SIMILARITY if threshold is None else threshold
    ca = align_clauses(parent, child, sentence_link, min_similarity=th)
    topical = {} if related is None else related_pairs(parent.clauses, child.clauses, ca.found, cutoff=related, concepts=concepts)
    pairs = _pairs(parent, child, ca, topical)
    if detail:
        # word diffs (align.diff, jieba) load only when a pair's words are compared
        from policydiff.align.diff import word_diff

        for p in pairs:
            # A related pair shares no text: a word diff would strike one whole clause for the other.
            if p.a_id and p.b_id and p.relation not in ("identical", "related"):
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
        threshold=th,
        pairs=pairs,
        numeric_changes=[*document_changes(parent, child), *_grouped_changes(pairs, parent)],
        sentence_links=links,
        figures=_figures(ca, pairs, parent, child),
    )


def compare_many(
    reference: Document,
    others: list[Document],
    *,
    threshold: float | None = None,
    detail: bool = False,
    related: float | None = RELATED_MATCH,
    concepts: tuple[str, ...] = (),
) -> MultiAlignment:
    return MultiAlignment(
        reference=doc_ref(reference),
        others=[doc_ref(o) for o in others],
        alignments=[compare(reference, o, threshold=threshold, detail=detail, related=related, concepts=concepts) for o in others],
    )


def _grouped_changes(pairs: list[ClausePair], a: Document) -> list[NumericChange]:
    """The pairs' numeric changes in parent clause order (each target is in one pair's list only),
    so a measure split over merged, partial or related rows reads as one line; then those of added clauses."""
    pos = _positions(a)
    rows = sorted((pos[p.a_id] if p.a_id else len(pos), k) for k, p in enumerate(pairs))
    return [n for _, k in rows for n in pairs[k].numeric_changes]


def _pairs(a: Document, b: Document, ca: ClauseAlignment, topical: dict[tuple[int, int], float] | None = None) -> list[ClausePair]:
    topical = topical or {}
    moved = _moved(ca)
    # Numeric changes by group: a merged, split, partial or related pair sees the targets of its
    # siblings, so 5个 that went partly to another clause still reads 5个 → 1—2个.
    numbers = group_changes(sorted({*ca.pairs, *topical}), a.clauses, b.clauses, ca.primary_child, ca.primary_parent)
    out: list[ClausePair] = []
    paired_a = {ai for ai, _ in ca.pairs} | {ai for ai, _ in topical}
    paired_b = {bi for _, bi in ca.pairs} | {bi for _, bi in topical}

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
            p.similarity = pair_similarity(ac, bc)
            assert ai is not None and bi is not None
            p.reused_share = round(min(ca.reused.get((ai, bi), 0) / ca.b_len[bi], 1.0), 3)
            p.moved = (ai, bi) in moved
            p.numeric_changes = numbers[(ai, bi)]
            if relation == "related":
                p.topic_score = topical[(ai, bi)]
        elif ac:
            p.numeric_changes = unpaired_changes(ac, "a")
        elif bc:
            p.numeric_changes = unpaired_changes(bc, "b")
        return p

    # Child order, with dropped parent clauses placed after the pair of their predecessor.
    for (ai, bi), rel in sorted([*ca.pairs.items(), *((k, "related") for k in topical if k not in ca.pairs)], key=lambda kv: (kv[0][1], kv[0][0])):
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
        if p.a_id and p.relation != "related":  # topical pairs are counted apart
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
        related=sum(1 for p in pairs if p.relation == "related"),
    )


def _cites(x: Document, y: Document) -> str | None:
    """How `x` cites `y` (by document number or title), or None."""
    y_num = y.metadata.doc_number.normalized if y.metadata.doc_number else None
    y_title = fold(y.metadata.plan_title or "")
    for c in x.citations:
        if c.resolved_to == y.name or (y_num and c.number and c.number.normalized == y_num):
            return f"{c.raw}"
        if y_title and c.title and y_title in fold(c.title):
            return f"by title: {c.raw}"
    return None


def _date(doc: Document) -> date | None:
    return doc.metadata.issue_date or doc.metadata.print_date


_NAME_YEAR = re.compile(r"(?<![0-9])(19[5-9][0-9]|20[0-9][0-9])(?![0-9])")


def dated(doc: Document) -> tuple[date | None, int | None, str]:
    """The document's date, else its year (from its document number 〔2022〕, then a year in its file
    name, as collections name files zhengzhou-2022-… or …(2010-07-30)), and how that was found."""
    d = _date(doc)
    if d:
        return d, d.year, str(d)
    if doc.metadata.doc_number:
        y = doc.metadata.doc_number.year
        return None, y, f"{y}, from its number {doc.metadata.doc_number.normalized}"
    m = _NAME_YEAR.search(doc.name)
    if m:
        return None, int(m.group()), f"{m.group()}, from its file name"
    return None, None, ""


def direction_evidence(a: Document, b: Document) -> list[str]:
    """Why b is taken to derive from a (it cites a, or it is dated later), and warnings when
    the evidence points the other way (a cites b, or the given parent is dated after the child)."""
    out = []
    how = _cites(b, a)
    if how:
        out.append(f"{b.name} cites {a.name}" + (" by title" if how.startswith("by title: ") else "") + f": {how.removeprefix('by title: ')}")
    back = _cites(a, b)
    if back and not how:
        out.append(
            f"warning: {a.name} cites {b.name} ({back.removeprefix('by title: ')}): the second document looks like the parent; "
            "swap them or use --auto-order"
        )
    (da, ya, sa), (db, yb, sb) = dated(a), dated(b)
    # Full dates when both have one, else the years (from a document number or file name), shown as found.
    when_a, when_b, shown_a, shown_b = (da.toordinal(), db.toordinal(), da, db) if da and db else (ya, yb, sa, sb)
    if when_a and when_b:
        if when_b > when_a:
            out.append(f"{b.name} ({shown_b}) is dated after {a.name} ({shown_a})")
        elif when_b < when_a:
            out.append(
                f"warning: the parent {a.name} ({shown_a}) is dated after the child {b.name} ({shown_b}); the order may be reversed: "
                "swap them or use --auto-order"
            )
    return out


def order_documents(docs: list[Document]) -> list[Document]:
    """Parents first: a topological order of the citations within the set, then dates.

    A cited document comes before every document that cites it. Among the documents whose
    cited ones are all placed, the one with the most descendants (documents citing it, directly
    or through others) comes first, then the earlier dated, then the one given first; so the
    reference (first) is the most ancestral document, not merely the oldest. Citation cycles
    are broken the same way.
    """
    n = len(docs)
    parents = {i: {j for j in range(n) if j != i and _cites(docs[i], docs[j])} for i in range(n)}
    children = {j: {i for i in range(n) if j in parents[i]} for j in range(n)}

    def descendants(j: int) -> int:
        seen: set[int] = set()
        todo = [j]
        while todo:
            for k in children[todo.pop()]:
                if k not in seen and k != j:
                    seen.add(k)
                    todo.append(k)
        return len(seen)

    def key(i: int) -> tuple[int, date, int]:
        return (-descendants(i), _date(docs[i]) or date.max, i)

    placed: list[int] = []
    left = set(range(n))
    while left:
        ready = [i for i in left if not (parents[i] & left)] or list(left)  # a cycle: break it by the same key
        best = min(ready, key=key)
        placed.append(best)
        left.remove(best)
    return [docs[i] for i in placed]
