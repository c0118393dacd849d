"""Checks of the finished tree: numbering gaps and repeats, declared counts, missing frame elements."""

from __future__ import annotations

from policydiff.schema import DeclaredCount, Document, Issue, Metadata, Section
from policydiff.structure.metadata import CLAUSE_NOUNS, declared_counts
from policydiff.text.numbering import match_label


def check_numbering(doc: Document, issues: list[Issue]) -> None:
    def check(labels: list[tuple[int, str, int]], what: str) -> None:
        prev: int | None = None
        for value, _style, line in labels:
            if prev is not None:
                if value == prev:
                    issues.append(Issue(code="numbering-repeat", message=f"{what} {value} appears twice in a row", line=line))
                elif value < prev and value != 1:
                    issues.append(Issue(code="numbering-order", message=f"{what} {value} follows {prev}", line=line))
                elif value > prev + 1:
                    issues.append(Issue(code="numbering-gap", message=f"{what} {value} follows {prev}: {what} {prev + 1} is missing", line=line))
            prev = value

    # Clause numbers run either through the document or restart in each section.
    clauses = doc.clauses
    restarts = 0
    seq: list[tuple[int, str, int]] = []
    for i, c in enumerate(clauses):
        if "之" in c.label or c.style == "paragraph":
            continue  # 第十七条之一 sits between 17 and 18 by design; unnumbered paragraphs have no sequence
        if i and c.number == 1 and c.path != clauses[i - 1].path:
            restarts += 1
            check(seq, "clause")
            seq = []
        seq.append((c.number or 0, c.style, c.span.line))
    check(seq, "clause")
    if restarts:
        issues.append(Issue(code="numbering-restart", severity="info", message=f"clause numbering restarts in {restarts + 1} sections"))

    def walk(sections: list[Section]) -> None:
        by_style: dict[str, list[tuple[int, str, int]]] = {}
        for s in sections:
            if s.style and s.label:
                lab = match_label(s.title)
                if lab:
                    by_style.setdefault(s.style, []).append((lab.value, s.style, s.span.line))
            walk(s.sections)
        for seq_ in by_style.values():
            check(seq_, "section")

    walk(doc.sections)


def check_counts(doc: Document, issues: list[Issue]) -> None:
    texts = doc.preamble + [b for s in doc.iter_sections() for b in s.body]
    counts: list[DeclaredCount] = []
    for t in texts:
        counts.extend(declared_counts(t))
    describes_other = doc.metadata.doc_type == "起草说明"
    top_level = len([s for s in doc.sections if s.level == 1]) or len(doc.sections)
    for dc in counts:
        if describes_other:
            continue  # a drafting note counts the plan it describes, not itself
        if dc.what in CLAUSE_NOUNS:
            dc.parsed = len(doc.clauses)
        elif dc.what == "部分":
            dc.parsed = top_level
        if dc.parsed is not None and dc.parsed != dc.value:
            issues.append(
                Issue(
                    code="declared-count-mismatch",
                    message=f"the document declares {dc.raw} but {dc.parsed} were parsed",
                    line=_line_of_text(doc, dc.raw),
                )
            )
    doc.metadata.declared_counts = counts


def _line_of_text(doc: Document, needle: str) -> int | None:
    pos = doc.raw_text.find(needle)
    if pos < 0:
        return None
    return doc.raw_text.count("\n", 0, pos) + 1


def check_frame(doc: Document, issues: list[Issue]) -> None:
    m: Metadata = doc.metadata
    if not m.title:
        issues.append(Issue(code="no-title", message="no title found (标题): the head of the document has no line ending in 通知/方案/意见…"))
    # Laws, regulations, rules and interpretations are cited by title and order number, not a 发文字号.
    numbered_kinds = (None, "notice", "plan", "normative-document")
    if not m.doc_number and m.doc_type not in ("新闻稿", "起草说明") and m.doc_kind in numbered_kinds and doc.clauses:
        issues.append(Issue(code="no-doc-number", message="no document number (发文字号, e.g. 郑政办〔2022〕91号) found"))
    for c in doc.clauses:
        if not c.text.strip():
            issues.append(Issue(code="empty-clause", severity="error", message=f"clause {c.label} has no text", line=c.span.line))
