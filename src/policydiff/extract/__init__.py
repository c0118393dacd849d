"""Measurable content of clauses: targets, responsible units, citations."""

from __future__ import annotations

import re
from functools import partial
from typing import TYPE_CHECKING

from policydiff.schema import Clause, Document, Issue, Target

if TYPE_CHECKING:
    from policydiff.extract.units import UnitMemo

PERIOD_RE = re.compile(r"((?:19|20)\d{2})\s*[—–\-－~至到]\s*((?:19|20)\d{2})\s*年")
FIVE_YEAR_PLANS = {"十三五": (2016, 2020), "十四五": (2021, 2025), "十五五": (2026, 2030)}


def plan_period(doc: Document) -> tuple[int, int] | None:
    """The period a plan covers: from its title (2021—2025年), else its 五年规划."""
    m = doc.metadata
    for text in (m.title or "", m.plan_title or "", *doc.preamble[:3]):
        found = PERIOD_RE.search(text)
        if found:
            return int(found.group(1)), int(found.group(2))
    head = " ".join(doc.preamble[:3])
    for name, period in FIVE_YEAR_PLANS.items():
        if name in head:
            return period
    day = m.issue_date or m.print_date
    if day:
        for period in FIVE_YEAR_PLANS.values():
            if period[0] <= day.year <= period[1]:
                return period
    return None


def apply_extraction(doc: Document) -> None:
    """Fill targets, units and citations of every clause, section (body and items) and of the text
    outside sections (preamble, closing, attachment bodies: `Document.targets`), in place."""
    # the extractors (regexes, alias tables) load on the first parse; link_documents needs citations only
    from policydiff.extract.citations import find_citations
    from policydiff.extract.targets import find_targets
    from policydiff.extract.units import UnitMemo, alias_table, find_unit_notes, remove_unit_notes

    period = plan_period(doc)
    # A failure of the target heuristics is an Issue on the document, not an exception nor silence.
    targets_in = partial(find_targets, period=period, issues=doc.issues)
    own = {doc.metadata.doc_number.normalized} if doc.metadata.doc_number else set()
    text = doc.text
    all_citations = []
    clauses = doc.clauses
    offsets = [_text_offset(text, clause) for clause in clauses]
    # One extractor at a time over all clauses: each keeps its patterns and code hot.
    # The alias table is looked up once (its cache is keyed by an environment variable, slow to read).
    aliases = alias_table(None)
    # Notes repeat word for word across clauses (（责任单位：市教体局、市财政局）): each is read once.
    memo = UnitMemo()
    notes_of = [find_unit_notes(clause.text, aliases, memo) for clause in clauses]
    for clause, notes in zip(clauses, notes_of, strict=True):
        if notes:
            clause.unit_notes = [n.raw for n in notes]
            clause.responsible_units = [u for n in notes for u in n.units]
            clause.policy_text = remove_unit_notes(clause.text, notes).strip()
    for clause, offset, notes in zip(clauses, offsets, notes_of, strict=True):
        targets = targets_in(clause.text, clause_id=clause.id, offset=offset)
        # A note's numbers (none in practice) and the note itself are not policy: drop targets inside notes.
        if notes and targets:
            spans = [(offset + n.start, offset + n.end) for n in notes]
            targets = [t for t in targets if not any(s <= t.start < e for s, e in spans)]
        # Assigning through the model costs ~1.5 us: an empty list over an empty list is left alone.
        if targets or clause.targets:
            clause.targets = targets
    for clause, offset in zip(clauses, offsets, strict=True):
        citations = find_citations(clause.text, offset=offset, exclude_numbers=own)
        if citations or clause.citations:
            clause.citations = citations
            all_citations.extend(citations)
    for section in doc.iter_sections():
        for body in section.body:
            pos = text.find(body, section.span.start)
            section.targets.extend(targets_in(body, clause_id=section.id, offset=max(pos, 0)))
            all_citations.extend(find_citations(body, offset=max(pos, 0), exclude_numbers=own))
        if section.items:
            # Ordinal items (一是/二是, 首先/其次) are section text too: their targets join the body's.
            cursor = section.span.start
            for item in section.items:
                pos = _find_from(text, item, cursor)
                cursor = pos + len(item)
                section.targets.extend(targets_in(item, clause_id=section.id, offset=pos))
            section.targets.sort(key=lambda t: t.start)
    # Text outside sections: the preamble (headline targets of a news release), the closing and
    # attachment bodies. Their targets are the document's own, with the part as `clause`.
    outside: list[Target] = []
    # Paragraphs are found in order from a cursor: each search is short, however long the text.
    cursor = 0
    for para in doc.preamble:
        pos = _find_from(text, para, cursor)
        cursor = pos + len(para)
        outside.extend(targets_in(para, clause_id="preamble", offset=pos))
        all_citations.extend(find_citations(para, offset=pos, exclude_numbers=own))
    for att in doc.attachments:
        cursor = att.span.start
        for para in att.body:
            pos = _find_from(text, para, cursor)
            cursor = pos + len(para)
            outside.extend(targets_in(para, clause_id=att.id, offset=pos))
    cursor = max((s.span.end for s in doc.sections), default=0)
    for para in doc.closing:
        pos = _find_from(text, para, cursor)
        cursor = pos + len(para)
        outside.extend(targets_in(para, clause_id="closing", offset=pos))
    outside.sort(key=lambda t: t.start)
    doc.targets = outside
    own_titles = {t for t in (doc.metadata.plan_title, doc.metadata.title) if t}
    doc.citations = [c for c in all_citations if not (c.number is None and c.title in own_titles)]
    _link_task_tables(doc, memo)


def _find_from(text: str, para: str, cursor: int) -> int:
    """Where paragraph `para` starts in `text`, searching from `cursor`, else from the start; 0 if absent."""
    pos = text.find(para, cursor)
    if pos < 0:
        pos = text.find(para)
    return max(pos, 0)


def _text_offset(text: str, clause: Clause) -> int:
    """Where the clause text (after its label) starts in the document text."""
    pos = text.find(clause.text[:20], clause.span.start)
    return pos if pos >= 0 else clause.span.start


def _link_task_tables(doc: Document, memo: UnitMemo) -> None:
    # the extractors (regexes, alias tables) load on the first parse; link_documents needs citations only
    from policydiff.extract.task_tables import apply_table_links, is_task_table, link_table_rows

    for att in doc.attachments:
        for table in att.tables:
            if not is_task_table(table):
                continue
            links = link_table_rows(doc.clauses, table, memo=memo)
            apply_table_links(doc.clauses, links)
            for row in links.unmatched:
                cells = table.rows[row].cells
                doc.issues.append(
                    Issue(
                        code="unmatched-table-row",
                        severity="info",
                        message=f"task table row {cells[0] if cells else row + 1} matches no clause: {'｜'.join(cells)[:60]}",
                        line=table.rows[row].line,
                    )
                )


def link_documents(docs: list[Document]) -> None:
    """Resolve citations between the documents given together."""
    # the extractors (regexes, alias tables) load on the first parse; link_documents needs citations only
    from policydiff.extract.citations import resolve_citations

    resolve_citations(docs)
