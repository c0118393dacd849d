"""Normalized text → document tree, in small named passes.

1. `lines.paragraphs`: paragraphs with their numbering labels.
2. the head (title, document number, history…) is read off before the first structural label.
3. `levels.decide_levels`: what each label style is in this document (section, unit, item).
4. `tree.build_tree`: paragraphs placed into sections, units, items, attachments and the closing.
5. models filled here; `checks` then reports numbering and frame problems.
"""

from __future__ import annotations

import re

from policydiff.normalize import AUTHORITY_LINE_MAX, AUTHORITY_LINE_RE, DATE_LINE_RE, Normalized
from policydiff.schema import Attachment, Clause, Document, Dropped, Issue, Item, Metadata, Section, Source, Span
from policydiff.structure.checks import check_counts, check_frame, check_numbering
from policydiff.structure.legal import doc_kind_of, effective_from, latest_version_date
from policydiff.structure.levels import Levels, decide_levels
from policydiff.structure.lines import Para, lead_sentence, paragraphs, split_sentences
from policydiff.structure.metadata import LEGAL_TITLE_WINDOW, extract_head, extract_tail
from policydiff.structure.page import read_page_meta
from policydiff.structure.tables import make_table, split_tables
from policydiff.structure.tree import OpenItem, OpenSection, OpenTree, OpenUnit, build_tree, is_frame, section_end, split_toc
from policydiff.text.numbering import Label

__all__ = ["build_document", "lead_sentence", "split_sentences"]


def build_document(
    norm: Normalized, name: str, source: Source, parser_version: str, extra_dropped: list[Dropped],
    title_hint: str | None = None,
    page_fields: list[str] | None = None,
) -> Document:
    paras = paragraphs(norm.text)
    issues: list[Issue] = []

    def span(start: int, end: int) -> Span:
        raw_start = norm.to_raw(start)
        raw_end = norm.to_raw(max(end - 1, start)) + (1 if end > start else 0)
        return Span(start=start, end=end, raw_start=raw_start, raw_end=raw_end, line=norm.raw_line(raw_start))

    levels = decide_levels([p for p in paras if not is_frame(p.text)])
    body_start = next((i for i, p in enumerate(paras) if _starts_body(p, levels)), len(paras))
    head = paras[:body_start]
    meta, used_head = extract_head([p.text for p in head], title_line=_marked_title(norm, head, title_hint))
    meta.frame = [head[i].text for i in sorted(used_head)]
    for line in page_fields or []:
        read_page_meta(line, meta)  # what the text's own metadata block did not already say
    if meta.title is None and title_hint:
        meta.title = title_hint  # a page whose text leaves its heading out (it is in `dropped`)
    preamble = [p.text for i, p in enumerate(head) if i not in used_head]
    toc, body = split_toc(paras[body_start:], levels)
    preamble.extend(p.text for p in toc)

    if levels.mode == "unnumbered":
        tree, unnumbered = _unnumbered_tree(head, used_head, body)
        preamble = []
        if unnumbered:
            issues.append(
                Issue(
                    code="no-numbering",
                    message=f"no numbered headings, articles or tasks found: its {unnumbered} paragraphs are read as unnumbered units",
                )
            )
    else:
        tree = build_tree(body, levels)
        preamble.extend(p.text for p in tree.preamble)

    tail_texts = [p.text for p in tree.tail]
    used_tail = extract_tail(tail_texts, meta)
    meta.frame.extend(tail_texts[i] for i in sorted(used_tail))
    closing = [t for i, t in enumerate(tail_texts) if i not in used_tail]
    _legal_metadata(meta, tree, closing)

    all_clauses: list[Clause] = []

    def make_clause(unit: OpenUnit, cid: str) -> Clause:
        clause = _make_clause(unit, cid, span)
        all_clauses.append(clause)
        return clause

    def make_section(os_: OpenSection, sid: str) -> Section:
        clauses = [make_clause(c, f"{sid}.c{i + 1}") for i, c in enumerate(os_.units)]
        children = [make_section(ch, f"{sid}.s{i + 1}") for i, ch in enumerate(os_.children)]
        return Section(
            id=sid,
            label=os_.label.text if os_.label else None,
            style=os_.label.style if os_.label else None,
            title=os_.title,
            level=os_.level,
            body=[q.text for q in os_.body],
            items=[q.text for q in os_.items],
            span=span(os_.para.start, section_end(os_)),
            clauses=clauses,
            sections=children,
        )

    # Clauses before any section keep document order: emit them first.
    top = [make_clause(c, f"c{i + 1}") for i, c in enumerate(tree.top_units)]
    sections = [make_section(s, f"s{i + 1}") for i, s in enumerate(tree.roots)]
    if top:
        sections.insert(0, Section(id="s0", title="", level=0, span=top[0].span, clauses=top))
    all_clauses.sort(key=lambda c: c.span.start)

    dropped = list(extra_dropped) + list(norm.dropped)
    doc = Document(
        parser_version=parser_version,
        name=name,
        source=source,
        metadata=meta,
        preamble=preamble,
        closing=closing,
        sections=sections,
        clauses=all_clauses,
        attachments=_attachments(tree, span, dropped, issues),
        dropped=sorted(dropped, key=lambda d: (d.raw_start, d.raw_end)),
        issues=issues,
        whitespace_removed=norm.whitespace_removed,
        text=norm.text,
        raw_text=norm.raw,
    )
    if not all_clauses and not sections:
        doc.issues.append(Issue(code="no-body", message="no body text: only a title and header lines (e.g. a version history) were found"))
    # The model holds its own copy of the list: report into it.
    check_numbering(doc, doc.issues)
    check_counts(doc, doc.issues)
    check_frame(doc, doc.issues)
    return doc


def _marked_title(norm: Normalized, head: list[Para], hint: str | None) -> int | None:
    """The head paragraph its source marked as the title: the web page's heading, or a `# 标题` line."""
    if hint:
        compact = "".join(hint.split())
        for i, p in enumerate(head):
            if "".join(p.text.split()) == compact:
                return i
    for i, p in enumerate(head[:LEGAL_TITLE_WINDOW]):
        raw_start = norm.to_raw(p.start)
        line_start = norm.raw.rfind("\n", 0, raw_start) + 1
        if norm.raw[line_start:raw_start].strip().startswith("#"):
            return i
    return None


def _legal_metadata(meta: Metadata, tree: OpenTree, closing: list[str]) -> None:
    """Effective date, document kind and a law's date of issue, once the tree is known."""
    last_units = [q.text for u in _last_units(tree, 3) for q in u.paras]
    effective_from([*last_units, *closing], meta)
    meta.doc_kind = doc_kind_of(meta)
    if meta.issue_date is None:
        meta.issue_date = latest_version_date(meta)


def _last_units(tree: OpenTree, n: int) -> list[OpenUnit]:
    units: list[OpenUnit] = list(tree.top_units)

    def walk(sections: list[OpenSection]) -> None:
        for s in sections:
            units.extend(s.units)
            walk(s.children)

    walk(tree.roots)
    units.sort(key=lambda u: u.paras[0].start)
    return units[-n:]


def _starts_body(p: Para, levels: Levels) -> bool:
    """The body starts at the first section heading or unit (a law's history lines are head)."""
    if p.label is None or is_frame(p.text):
        return False
    if levels.mode == "legal":
        return levels.is_container(p) or levels.is_unit(p) or p.text.replace(" ", "") in ("目录",)
    return True


def _make_clause(unit: OpenUnit, cid: str, span_of: object) -> Clause:
    first = unit.paras[0]
    start, end = first.start, unit.paras[-1].end
    label = unit.label
    parts = [first.text[label.end :]] + [q.text for q in unit.paras[1:]]
    text = "\n".join(part for part in parts if part)
    # One string object for equal texts: a one-paragraph, one-sentence article is otherwise held three times.
    pool = {text: text}
    paragraphs_ = [pool.setdefault(part, part) for part, q in zip(parts, unit.paras, strict=True) if part and id(q) not in unit.item_paras]
    assert callable(span_of)
    return Clause(
        id=cid,
        label=label.key,
        number=label.value,
        style=label.style,
        heading=lead_sentence(text),
        text=text,
        policy_text=text,
        sentences=[pool.setdefault(sentence, sentence) for sentence in split_sentences(text)],
        path=unit.path,
        span=span_of(start, end),
        paragraphs=paragraphs_,
        items=[_make_item(it) for it in unit.items],
    )


def _make_item(item: OpenItem) -> Item:
    paras = sorted(_item_paras(item), key=lambda q: q.start)
    first = paras[0].text[item.label.end :] if item.label else paras[0].text
    text = "\n".join([first, *(q.text for q in paras[1:])])  # nested items keep their labels
    nested = [_make_item(it) for it in item.items]
    if item.label is None:
        return Item(label="", number=None, style="ordinal", text=text, items=nested)
    return Item(label=_bare(item.label.text), number=item.label.value, style=item.label.style, text=text, items=nested)


def _item_paras(item: OpenItem) -> list[Para]:
    return [*item.paras, *(q for it in item.items for q in _item_paras(it))]


_LABEL_MARKS = re.compile(r"[（）()、.．\s]")


def _bare(label_text: str) -> str:
    """（一） → 一, 3. → 3."""
    return _LABEL_MARKS.sub("", label_text)


def _attachments(tree: OpenTree, span_of: object, dropped: list[Dropped], issues: list[Issue]) -> list[Attachment]:
    assert callable(span_of)
    out = []
    for i, att in enumerate(tree.attachments):
        tables = [make_table(b, span_of, dropped, issues) for block in att.tables for b in split_tables(block)]
        out.append(
            Attachment(
                id=f"a{i + 1}",
                title=att.title,
                body=[q.text for q in att.body],
                tables=[t for t in tables if t is not None],
                span=span_of(att.para.start, max(att.end, att.para.end)),
            )
        )
    if tree.loose_tables:
        tables = [make_table(b, span_of, dropped, issues) for block in tree.loose_tables for b in split_tables(block)]
        first = tree.loose_tables[0][0]
        out.append(
            Attachment(
                id=f"a{len(out) + 1}",
                title="",
                tables=[t for t in tables if t is not None],
                span=span_of(first.start, tree.loose_tables[-1][-1].end),
            )
        )
    return out


def _unnumbered_tree(head: list[Para], used_head: set[int], body: list[Para]) -> tuple[OpenTree, int]:
    """A text with no numbering at all (a judgment, a short reply, a news item): each paragraph of its
    body is an unnumbered unit, so compare and search still see it; its closing lines stay closing."""
    tree = OpenTree()
    candidates = [p for i, p in enumerate(head) if i not in used_head] + body
    content: list[Para] = []
    for p in candidates:
        if is_frame(p.text) or (tree.tail and not content[-1:]):
            tree.tail.append(p)
        else:
            content.append(p)
    # Closing lines (date, authority) after the last paragraph with a sentence end.
    while content and _is_closing_line(content[-1].text):
        tree.tail.insert(0, content.pop())
    for n, p in enumerate(content, start=1):
        tree.top_units.append(OpenUnit(label=Label(style="paragraph", text="", value=n, end=0), paras=[p], path=[]))
    return tree, len(content)


def _is_closing_line(text: str) -> bool:
    return bool(DATE_LINE_RE.match(text) or (len(text) <= AUTHORITY_LINE_MAX and AUTHORITY_LINE_RE.match(text)))
