"""Normalized text → document tree: sections, clauses, attachments, metadata, issues."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from policydiff.normalize import DATE_LINE_RE, FOOTER_LINE_RE, Normalized
from policydiff.numbering import CLAUSE_STYLES, ORDINAL_RE, SECTION_STYLES, STYLE_RANK, Label, match_label
from policydiff.schema import (
    Attachment,
    Clause,
    DeclaredCount,
    Document,
    Dropped,
    Issue,
    Metadata,
    Section,
    Source,
    Span,
    Table,
    TableRow,
)
from policydiff.structure.metadata import CLAUSE_NOUNS, declared_counts, extract_head, extract_tail

__all__ = ["build_document", "split_sentences"]

SENTENCE_RE = re.compile(r"[^。！？!?\n]+(?:[。！？!?]+[”’」』）)]*|$)")
ATTACHMENT_START_RE = re.compile(r"^附件\s*\d{0,2}$")
ATTACHMENT_NOTE_RE = re.compile(r"^附件\s*\d{0,2}\s*[:：]")
SERIAL_HEADERS = {"序号", "编号", "序", "No", "No."}


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE_RE.findall(text) if s.strip()]


def lead_sentence(text: str) -> str:
    cut = re.search(r"[。！？]", text)
    return (text[: cut.start()] if cut else text).strip()


@dataclass
class _Para:
    text: str
    start: int
    end: int
    label: Label | None = None


@dataclass
class _OpenClause:
    label: Label
    paras: list[_Para]
    path: list[str]
    section: _OpenSection | None


@dataclass
class _OpenSection:
    label: Label | None
    title: str
    level: int
    para: _Para
    body: list[_Para] = field(default_factory=list)
    items: list[_Para] = field(default_factory=list)
    clauses: list[_OpenClause] = field(default_factory=list)
    children: list[_OpenSection] = field(default_factory=list)
    end: int = 0


@dataclass
class _OpenAttachment:
    title: str
    para: _Para
    body: list[_Para] = field(default_factory=list)
    tables: list[list[_Para]] = field(default_factory=list)
    end: int = 0


def _paragraphs(text: str) -> list[_Para]:
    out = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            out.append(_Para(text=line, start=pos, end=pos + len(line), label=match_label(line)))
        pos += len(line) + 1
    return out


def section_depths(paras: list[_Para]) -> dict[str, int]:
    """Depth of each section style from its order of first appearance.

    A style whose first label is not the first of its series (a news release that
    starts at 三、 after （五）) continues a level the document omitted: it goes above
    the styles that rank below it instead of under them.
    """
    order: list[str] = []
    for p in paras:
        if p.label is None or p.label.style not in SECTION_STYLES or p.label.style in order:
            continue
        style = p.label.style
        if p.label.value == 1 or not order:
            order.append(style)
            continue
        for i, seen in enumerate(order):
            if STYLE_RANK[seen] > STYLE_RANK[style]:
                order.insert(i, style)
                break
        else:
            order.append(style)
    return {style: i + 1 for i, style in enumerate(order)}


def build_document(norm: Normalized, name: str, source: Source, parser_version: str, extra_dropped: list[Dropped]) -> Document:
    paras = _paragraphs(norm.text)
    issues: list[Issue] = []

    def span(start: int, end: int) -> Span:
        raw_start = norm.to_raw(start)
        raw_end = norm.to_raw(max(end - 1, start)) + (1 if end > start else 0)
        return Span(start=start, end=end, raw_start=raw_start, raw_end=raw_end, line=norm.raw_line(raw_start))

    # Head: everything before the first numbered heading or clause.
    body_start = next((i for i, p in enumerate(paras) if p.label is not None and not _is_frame(p.text)), len(paras))
    head = paras[:body_start]
    meta, used_head = extract_head([p.text for p in head])
    meta.frame = [head[i].text for i in sorted(used_head)]
    preamble = [p.text for i, p in enumerate(head) if i not in used_head]

    depths = section_depths(paras[body_start:])
    clause_style: str | None = None
    roots: list[_OpenSection] = []
    stack: list[_OpenSection] = []
    top_clauses: list[_OpenClause] = []
    current: _OpenClause | None = None
    attachments: list[_OpenAttachment] = []
    attachment: _OpenAttachment | None = None
    tail: list[_Para] = []
    loose_tables: list[list[_Para]] = []
    table_block: list[_Para] | None = None

    for p in paras[body_start:]:
        text = p.text
        if "\t" in text:
            if table_block is None:
                table_block = []
                (attachment.tables if attachment else loose_tables).append(table_block)
            table_block.append(p)
            current = None
            continue
        table_block = None
        if ATTACHMENT_START_RE.match(text):
            attachment = _OpenAttachment(title="", para=p)
            attachments.append(attachment)
            current = None
            continue
        if FOOTER_LINE_RE.match(text) and not ATTACHMENT_NOTE_RE.match(text) or _is_frame(text):
            tail.append(p)
            attachment = None
            current = None
            continue
        if attachment is not None:
            if not attachment.title and p.label is None:
                attachment.title = text
            else:
                attachment.body.append(p)
            attachment.end = p.end
            continue
        if tail:
            tail.append(p)
            continue
        if ATTACHMENT_NOTE_RE.match(text):
            tail.append(p)
            current = None
            continue
        label = p.label
        if label is not None and label.style in SECTION_STYLES:
            depth = depths[label.style]
            while stack and stack[-1].level >= depth:
                stack.pop()
            title = text if not re.search(r"[。！？]", text[label.end :]) else text[: label.end] + lead_sentence(text[label.end :])
            sec = _OpenSection(label=label, title=title, level=depth, para=p, end=p.end)
            rest = text[len(title) :].lstrip("。！？")
            if rest:
                sec.body.append(_Para(text=rest, start=p.end - len(rest), end=p.end))
            (stack[-1].children if stack else roots).append(sec)
            stack.append(sec)
            current = None
            continue
        if label is not None and label.style in CLAUSE_STYLES:
            if clause_style is None:
                clause_style = label.style
            if label.style == clause_style or current is None or STYLE_RANK[label.style] < STYLE_RANK[clause_style]:
                path = [s.title for s in stack]
                current = _OpenClause(label=label, paras=[p], path=path, section=stack[-1] if stack else None)
                (stack[-1].clauses if stack else top_clauses).append(current)
                for s in stack:
                    s.end = p.end
                continue
            current.paras.append(p)  # a deeper list inside a clause stays part of it
            for s in stack:
                s.end = p.end
            continue
        # Unnumbered paragraph.
        if current is not None:
            current.paras.append(p)
        elif stack:
            if ORDINAL_RE.match(text):
                stack[-1].items.append(p)
            else:
                stack[-1].body.append(p)
        else:
            preamble.append(text)
        for s in stack:
            s.end = p.end

    tail_texts = [p.text for p in tail]
    used_tail = extract_tail(tail_texts, meta)
    meta.frame.extend(tail_texts[i] for i in sorted(used_tail))
    closing = [t for i, t in enumerate(tail_texts) if i not in used_tail]

    # Build models.
    all_clauses: list[Clause] = []

    def make_clause(oc: _OpenClause, cid: str) -> Clause:
        first = oc.paras[0]
        start, end = first.start, oc.paras[-1].end
        body_parts = [first.text[oc.label.end :]] + [q.text for q in oc.paras[1:]]
        text = "\n".join(part for part in body_parts if part)
        items = [q.text for q in oc.paras[1:] if ORDINAL_RE.match(q.text)]
        clause = Clause(
            id=cid,
            label=str(oc.label.value),
            number=oc.label.value,
            style=oc.label.style,
            heading=lead_sentence(text),
            text=text,
            policy_text=text,
            sentences=split_sentences(text),
            path=oc.path,
            span=span(start, end),
            items=items,
        )
        all_clauses.append(clause)
        return clause

    def make_section(os_: _OpenSection, sid: str) -> Section:
        clauses = [make_clause(c, f"{sid}.c{i + 1}") for i, c in enumerate(os_.clauses)]
        children = [make_section(ch, f"{sid}.s{i + 1}") for i, ch in enumerate(os_.children)]
        return Section(
            id=sid,
            label=os_.label.text if os_.label else None,
            style=os_.label.style if os_.label else None,
            title=os_.title,
            level=os_.level,
            body=[q.text for q in os_.body],
            items=[q.text for q in os_.items],
            span=span(os_.para.start, max(os_.end, os_.para.end)),
            clauses=clauses,
            sections=children,
        )

    # Clauses before any section keep document order: emit them first.
    top = [make_clause(c, f"c{i + 1}") for i, c in enumerate(top_clauses)]
    sections = [make_section(s, f"s{i + 1}") for i, s in enumerate(roots)]
    if top:
        sections.insert(0, Section(id="s0", title="", level=0, span=top[0].span, clauses=top))
    all_clauses.sort(key=lambda c: c.span.start)

    dropped = list(extra_dropped) + list(norm.dropped)
    models_attachments = []
    for i, att in enumerate(attachments):
        tables = [_make_table(b, span, dropped, issues) for block in att.tables for b in _split_tables(block)]
        models_attachments.append(
            Attachment(
                id=f"a{i + 1}",
                title=att.title,
                body=[q.text for q in att.body],
                tables=[t for t in tables if t is not None],
                span=span(att.para.start, max(att.end, att.para.end)),
            )
        )
    if loose_tables:
        tables = [_make_table(b, span, dropped, issues) for block in loose_tables for b in _split_tables(block)]
        first = loose_tables[0][0]
        models_attachments.append(
            Attachment(
                id=f"a{len(models_attachments) + 1}",
                title="",
                tables=[t for t in tables if t is not None],
                span=span(first.start, loose_tables[-1][-1].end),
            )
        )

    doc = Document(
        parser_version=parser_version,
        name=name,
        source=source,
        metadata=meta,
        preamble=preamble,
        closing=closing,
        sections=sections,
        clauses=all_clauses,
        attachments=models_attachments,
        dropped=sorted(dropped, key=lambda d: (d.raw_start, d.raw_end)),
        issues=issues,
        whitespace_removed=norm.whitespace_removed,
        text=norm.text,
        raw_text=norm.raw,
    )
    # The model holds its own copy of the list: report into it.
    _check_numbering(doc, doc.issues)
    _check_counts(doc, doc.issues)
    _check_frame(doc, doc.issues)
    return doc


def _is_frame(text: str) -> bool:
    """Print-date and 主办/抄送 lines close the body even when no attachment follows."""
    return bool(DATE_LINE_RE.match(text))


def _split_tables(block: list[_Para]) -> list[list[_Para]]:
    """A header row that differs from the current one starts a new table."""
    out: list[list[_Para]] = []
    header: list[str] | None = None
    for p in block:
        cells = [c.strip() for c in p.text.split("\t")]
        if cells[0] in SERIAL_HEADERS and cells != header:
            header = cells
            out.append([p])
        elif out:
            out[-1].append(p)
        else:
            out.append([p])
    return out


def _make_table(block: list[_Para], span_of: Callable[[int, int], Span], dropped: list[Dropped], issues: list[Issue]) -> Table | None:
    rows = [p.text.split("\t") for p in block]
    header = rows[0]
    header_is_real = header[0].strip() in SERIAL_HEADERS or not header[0].strip().isdigit()
    data_start = 1 if header_is_real else 0
    if not header_is_real:
        header = [f"列{i + 1}" for i in range(len(rows[0]))]
    out_rows: list[TableRow] = []
    seen: dict[tuple[str, ...], int] = {}
    serial = header[0].strip() in SERIAL_HEADERS
    for p, cells in zip(block[data_start:], rows[data_start:], strict=True):
        cells = [c.strip() for c in cells]
        if cells == [h.strip() for h in header]:
            # Repeated header after a page break: recorded, not a row.
            sp = span_of(p.start, p.end)
            dropped.append(Dropped(text=p.text, reason="repeated-header", raw_start=sp.raw_start, raw_end=sp.raw_end, line=sp.line))
            continue
        key = tuple(cells[1:] if serial else cells)
        line = span_of(p.start, p.end).line
        row = TableRow(cells=cells, line=line)
        if key in seen and any(key):
            row.duplicate_of = seen[key]
            issues.append(
                Issue(
                    code="duplicate-table-row",
                    severity="warning",
                    message=f"table row {len(out_rows) + 1} repeats row {seen[key] + 1}: {'｜'.join(cells)[:60]}",
                    line=line,
                )
            )
        else:
            seen[key] = len(out_rows)
        out_rows.append(row)
    first_line = span_of(block[0].start, block[0].end).line
    return Table(header=[h.strip() for h in header], rows=out_rows, line=first_line)


def _check_numbering(doc: Document, issues: list[Issue]) -> None:
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


def _check_counts(doc: Document, issues: list[Issue]) -> None:
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


def _check_frame(doc: Document, issues: list[Issue]) -> None:
    m: Metadata = doc.metadata
    if not m.title:
        issues.append(Issue(code="no-title", message="no title found (标题): the head of the document has no line ending in 通知/方案/意见…"))
    if not m.doc_number and m.doc_type not in ("新闻稿", "起草说明"):
        issues.append(Issue(code="no-doc-number", message="no document number (发文字号, e.g. 郑政办〔2022〕91号) found"))
    for c in doc.clauses:
        if not c.text.strip():
            issues.append(Issue(code="empty-clause", severity="error", message=f"clause {c.label} has no text", line=c.span.line))
