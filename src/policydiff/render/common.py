"""What every report format shares: what a reader calls each place of a document (clause labels,
序言, 结尾, sections), and the rows of a multi-document alignment by reference clause."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policydiff.schema import ClausePair, DocRef, Document, MultiAlignment, NumericChange

__all__ = ["ReferenceRow", "change_places", "clause_names", "index_by_reference", "place_names", "reference_rows"]


def clause_names(doc: Document) -> dict[str, str]:
    """Clause id → label a reader can find; qualified by section when the numbering restarts per section."""
    labels = [c.label for c in doc.clauses]
    if len(set(labels)) == len(labels):
        return {c.id: c.label for c in doc.clauses}
    sections = {s.id: s for s in doc.iter_sections()}
    out = {}
    for c in doc.clauses:
        sec = sections.get(c.id.rpartition(".")[0])
        out[c.id] = f"{sec.label}{c.label}" if sec and sec.label else c.label
    return out


def place_names(doc: Document) -> dict[str, str]:
    """Where a target sits (Target.clause) → what a reader calls it: 序言, 结尾, a clause or section label."""
    out = {"preamble": "序言", "closing": "结尾"}
    for s in doc.iter_sections():
        title = s.title if not s.label or s.label in s.title else f"{s.label} {s.title}"
        out[s.id] = title[:24]
    for att in doc.attachments:
        out[att.id] = att.title[:24]
    out.update(clause_names(doc))
    return out


def change_places(n: NumericChange, a_names: dict[str, str], b_names: dict[str, str]) -> tuple[str, str]:
    """Where the old and the new target of a change are, by name ('' when that side is absent)."""
    old = a_names.get(n.old.clause or "", n.old.clause or "") if n.old else ""
    new = b_names.get(n.new.clause or "", n.new.clause or "") if n.new else ""
    return old, new


def index_by_reference(
    ma: MultiAlignment, reference: Document
) -> tuple[list[str], list[dict[str, list[ClausePair]]], list[tuple[DocRef, ClausePair]]]:
    """Each alignment's pairs by reference clause id, the row order, and the added clauses.

    Rows follow the reference's clauses, then any ids the alignments name that it lacks.
    """
    hits: list[dict[str, list[ClausePair]]] = []
    extra: list[tuple[DocRef, ClausePair]] = []
    for ref, al in zip(ma.others, ma.alignments, strict=True):
        idx: dict[str, list[ClausePair]] = {}
        for p in al.pairs:
            if p.a_id:
                idx.setdefault(p.a_id, []).append(p)
            else:
                extra.append((ref, p))
        hits.append(idx)
    ref_ids = [c.id for c in reference.clauses]
    seen = set(ref_ids)
    for idx in hits:
        for aid in idx:
            if aid not in seen:
                seen.add(aid)
                ref_ids.append(aid)
    return ref_ids, hits, extra


@dataclass
class ReferenceRow:
    """One row of a multi-document report: a reference clause and its pairs in each other document."""

    id: str
    label: str
    heading: str
    pairs: list[list[ClausePair]]  # per other document, in `ma.others` order

    @property
    def kept(self) -> int:
        """How many other documents keep this clause in some form (a related clause counts)."""
        return sum(any(p.relation != "dropped" for p in ps) for ps in self.pairs)


def reference_rows(ma: MultiAlignment, reference: Document) -> tuple[list[ReferenceRow], list[tuple[DocRef, ClausePair]]]:
    """The rows of the multi-document reports (labelled as the reference names them) and the added clauses."""
    ref_ids, hits, extra = index_by_reference(ma, reference)
    ref_by_id = {c.id: c for c in reference.clauses}
    ref_names = clause_names(reference)
    rows = []
    for aid in ref_ids:
        pairs = [idx.get(aid, []) for idx in hits]
        first = next((p for ps in pairs for p in ps), None)
        c = ref_by_id.get(aid)
        label = ref_names.get(aid) or (first.a_label if first else aid)
        heading = c.heading if c else (first.a_heading if first else "")
        rows.append(ReferenceRow(aid, label or "", heading or "", pairs))
    return rows, extra
