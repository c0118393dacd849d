"""Pass 3: labelled paragraphs and their levels → an open tree of sections, units, items and attachments.

The builder only places paragraphs; models are filled afterwards (see `build_document`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from policydiff.normalize import DATE_LINE_RE, FOOTER_LINE_RE
from policydiff.numbering import CLAUSE_STYLES, ORDINAL_RE, STYLE_RANK, Label
from policydiff.structure.levels import Levels
from policydiff.structure.lines import SENTENCE_END_RE, Para, lead_sentence
from policydiff.structure.page import is_page_meta

ATTACHMENT_START_RE = re.compile(r"^附件\s*\d{0,2}$")
ATTACHMENT_NOTE_RE = re.compile(r"^附件\s*\d{0,2}\s*[:：]")
TOC_RE = re.compile(r"^目\s*录$")


@dataclass(slots=True)
class OpenItem:
    label: Label | None  # None: an ordinal item (一是/首先) whose label is part of its text
    paras: list[Para]
    items: list[OpenItem] = field(default_factory=list)


@dataclass(slots=True)
class OpenUnit:
    label: Label
    paras: list[Para]
    path: list[str]
    items: list[OpenItem] = field(default_factory=list)
    item_stack: list[OpenItem] = field(default_factory=list)  # open items, outermost first
    item_paras: set[int] = field(default_factory=set)  # ids of paras that belong to items


@dataclass(slots=True)
class OpenSection:
    label: Label | None
    title: str
    level: int
    para: Para
    body: list[Para] = field(default_factory=list)
    items: list[Para] = field(default_factory=list)
    units: list[OpenUnit] = field(default_factory=list)
    children: list[OpenSection] = field(default_factory=list)


@dataclass(slots=True)
class OpenAttachment:
    title: str
    para: Para
    body: list[Para] = field(default_factory=list)
    tables: list[list[Para]] = field(default_factory=list)
    end: int = 0


@dataclass(slots=True)
class OpenTree:
    preamble: list[Para] = field(default_factory=list)
    roots: list[OpenSection] = field(default_factory=list)
    top_units: list[OpenUnit] = field(default_factory=list)
    attachments: list[OpenAttachment] = field(default_factory=list)
    tail: list[Para] = field(default_factory=list)
    loose_tables: list[list[Para]] = field(default_factory=list)


def is_frame(text: str) -> bool:
    """Print-date lines close the body even when no attachment follows."""
    return bool(DATE_LINE_RE.match(text))


def split_toc(body: list[Para], levels: Levels) -> tuple[list[Para], list[Para]]:
    """A law's table of contents (目录 followed by its chapter lines) is not its tree: (toc, rest)."""
    if not body or not TOC_RE.match(body[0].text.replace(" ", "")):
        return [], body
    first = next((p for p in body[1:] if p.label is not None), None)
    if first is None or first.label is None:
        return [], body
    key = (first.label.style, first.label.value)
    for i, p in enumerate(body[2:], start=2):
        if p.label is not None and (p.label.style, p.label.value) == key:
            return body[:i], body[i:]
        if p.label is not None and levels.is_unit(p):
            return body[:i], body[i:]
    return [], body


def build_tree(body: list[Para], levels: Levels) -> OpenTree:
    tree = OpenTree()
    stack: list[OpenSection] = []
    unit: OpenUnit | None = None
    attachment: OpenAttachment | None = None
    table_block: list[Para] | None = None
    structure_ahead = _structure_ahead(body, levels)

    for i, p in enumerate(body):
        text = p.text
        if "\t" in text:
            if table_block is None:
                table_block = []
                (attachment.tables if attachment else tree.loose_tables).append(table_block)
            table_block.append(p)
            unit = None
            continue
        table_block = None
        if ATTACHMENT_START_RE.match(text):
            attachment = OpenAttachment(title="", para=p)
            tree.attachments.append(attachment)
            unit = None
            continue
        # The closing block (主办/抄送/印发, print date) is only ever at the end: a paragraph that merely
        # starts with 主办 before more numbered text is body text.
        closes = (FOOTER_LINE_RE.match(text) and not ATTACHMENT_NOTE_RE.match(text)) or is_frame(text) or is_page_meta(text)
        if closes and not structure_ahead[i]:
            tree.tail.append(p)
            attachment = None
            unit = None
            continue
        if attachment is not None:
            if not attachment.title and p.label is None:
                attachment.title = text
            else:
                attachment.body.append(p)
            attachment.end = p.end
            continue
        if tree.tail:
            tree.tail.append(p)
            continue
        if ATTACHMENT_NOTE_RE.match(text) and not structure_ahead[i]:
            tree.tail.append(p)
            unit = None
            continue
        if levels.is_container(p):
            assert p.label is not None
            depth = levels.depths[p.label.style]
            while stack and stack[-1].level >= depth:
                stack.pop()
            sec = _open_section(p, depth)
            (stack[-1].children if stack else tree.roots).append(sec)
            stack.append(sec)
            unit = None
            continue
        if levels.is_unit(p) or _starts_plan_unit(p, levels, unit):
            assert p.label is not None
            unit = OpenUnit(label=p.label, paras=[p], path=[s.title for s in stack])
            (stack[-1].units if stack else tree.top_units).append(unit)
            continue
        if unit is not None:
            _add_to_unit(unit, p, levels)
            continue
        if stack:
            if ORDINAL_RE.match(text):
                stack[-1].items.append(p)
            else:
                stack[-1].body.append(p)
            continue
        tree.preamble.append(p)
    return tree


def _starts_plan_unit(p: Para, levels: Levels, unit: OpenUnit | None) -> bool:
    """In a plan, a task label of a style above the unit's, or any task label outside a unit, opens one."""
    if levels.mode != "plan" or p.label is None or p.label.style not in CLAUSE_STYLES or levels.unit not in STYLE_RANK:
        return False
    return unit is None or STYLE_RANK[p.label.style] < STYLE_RANK[levels.unit]


def _open_section(p: Para, depth: int) -> OpenSection:
    assert p.label is not None
    rest = p.text[p.label.end :]
    title = p.text if not SENTENCE_END_RE.search(rest) else p.text[: p.label.end] + lead_sentence(rest)
    sec = OpenSection(label=p.label, title=title, level=depth, para=p)
    remainder = p.text[len(title) :].lstrip("。！？")
    if remainder:
        sec.body.append(Para(text=remainder, start=p.end - len(remainder), end=p.end))
    return sec


def section_end(sec: OpenSection) -> int:
    """Where a section's text ends: its last paragraph of body, items, units or subsections."""
    ends = [sec.para.end]
    if sec.body:
        ends.append(sec.body[-1].end)
    if sec.items:
        ends.append(sec.items[-1].end)
    if sec.units:
        ends.append(sec.units[-1].paras[-1].end)
    if sec.children:
        ends.append(section_end(sec.children[-1]))
    return max(ends)


def _add_to_unit(unit: OpenUnit, p: Para, levels: Levels) -> None:
    """A paragraph inside a unit: an item (项/目) when labelled, else a paragraph (款) or item text."""
    unit.paras.append(p)
    label = p.label
    if label is None:
        if ORDINAL_RE.match(p.text):
            item = OpenItem(label=None, paras=[p])
            unit.items.append(item)
            unit.item_stack = [item]
            unit.item_paras.add(id(p))
            return
        # Text under an open item continues it only when that item did not end its sentence; a new
        # paragraph after a closed item list is the article's next 款.
        if unit.item_stack and not _item_closed(unit.item_stack[-1]):
            unit.item_stack[-1].paras.append(p)
            unit.item_paras.add(id(p))
            return
        unit.item_stack = []
        return
    stack = unit.item_stack
    styles = [it.label.style if it.label else "ordinal" for it in stack]
    if label.style in styles:
        del stack[styles.index(label.style) :]
    item = OpenItem(label=label, paras=[p])
    (stack[-1].items if stack else unit.items).append(item)
    stack.append(item)
    unit.item_paras.add(id(p))


def _item_closed(item: OpenItem) -> bool:
    """An item that ends in a colon goes on in the next paragraph; any other ends there."""
    last = (item.items[-1] if item.items else item).paras[-1].text
    return not last.endswith(("：", ":"))


def _structure_ahead(body: list[Para], levels: Levels) -> list[bool]:
    """For each paragraph: whether a unit or container label follows before the next attachment."""
    ahead = [False] * len(body)
    seen = False
    for i in range(len(body) - 1, -1, -1):
        ahead[i] = seen
        p = body[i]
        if ATTACHMENT_START_RE.match(p.text):
            seen = False
        elif p.label is not None and (levels.is_unit(p) or levels.is_container(p)):
            seen = True
    return ahead
