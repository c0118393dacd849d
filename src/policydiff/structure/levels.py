"""Pass 2: decide, from the document's own numbering, what each label style is in it.

Chinese normative texts share label styles but not their meaning: （一） is a section heading in a plan,
an item (项) of an article in a law. The document decides: when it numbers its units with 第X条, every
第X条 is a unit and （一） below one is its item; otherwise the first task style (1. / （1） / ①) is the
unit and the 一、/（一） styles above it are sections; a notice numbered only 一、/（一） has its deepest
style as the unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from policydiff.structure.lines import Para
from policydiff.text.numbering import CLAUSE_STYLES, CONTAINER_STYLES, SECTION_STYLES, STYLE_RANK

Mode = Literal["legal", "plan", "unnumbered"]

# Two articles make a legal text; one is enough when it comes before any other task numbering.
MIN_ARTICLES = 2


@dataclass(frozen=True)
class Levels:
    mode: Mode
    depths: dict[str, int]  # container/section style → depth, 1 outermost
    unit: str | None  # the style of the units compare aligns
    legal_headings: frozenset[int] = frozenset()  # ids of 一、 paragraphs that head articles in a law

    def is_container(self, para: Para) -> bool:
        label = para.label
        if label is None or label.style not in self.depths:
            return False
        if self.mode == "legal" and label.style not in CONTAINER_STYLES:
            return id(para) in self.legal_headings  # else an item of the article it stands in
        return True

    def is_unit(self, para: Para) -> bool:
        return para.label is not None and para.label.style == self.unit


def decide_levels(body: list[Para]) -> Levels:
    styles = [p.label.style for p in body if p.label is not None]
    if not styles:
        return Levels(mode="unnumbered", depths={}, unit=None)
    articles = [p for p in body if p.label is not None and p.label.style == "article"]
    first_task = next((s for s in styles if s in CLAUSE_STYLES), None)
    if len(articles) >= MIN_ARTICLES or (articles and first_task == "article"):
        headings = _legal_headings(body)
        return Levels(mode="legal", depths=_depths(headings), unit="article", legal_headings=frozenset(id(p) for p in headings))
    clause_style = next((s for s in styles if s in CLAUSE_STYLES), None)
    if clause_style is not None:
        return Levels(mode="plan", depths=_depths([p for p in body if p.label and p.label.style in SECTION_STYLES]), unit=clause_style)
    # Only 一、/（一） styles: the deepest one that carries sentences is the task.
    present = sorted(set(styles), key=lambda s: STYLE_RANK[s])
    unit = present[-1]
    sections = [p for p in body if p.label and p.label.style in SECTION_STYLES and p.label.style != unit]
    return Levels(mode="plan", depths=_depths(sections), unit=unit)


def _legal_headings(body: list[Para]) -> list[Para]:
    """编/章/节 lines, and 一、 lines that read as headings (short, no sentence or list colon) and are followed
    by an article or another heading: a 一、 list inside an article is its items."""
    out = []
    labelled = [p for p in body if p.label is not None]
    for p, nxt in zip(labelled, [*labelled[1:], None], strict=True):
        assert p.label is not None
        if p.label.style in CONTAINER_STYLES or _heads_articles(p, nxt):
            out.append(p)
    return out


def _heads_articles(p: Para, nxt: Para | None) -> bool:
    assert p.label is not None
    return (
        p.label.style == "cn-dun"
        and p.is_heading
        and not p.text.endswith(("：", ":", "；", ";", "，"))
        and (nxt is None or (nxt.label is not None and nxt.label.style in ("article", "cn-dun", *CONTAINER_STYLES)))
    )


def _depths(headings: list[Para]) -> dict[str, int]:
    """Depth of each heading style from its order of first appearance.

    A style whose first label is not the first of its series (a news release that starts at 三、 after
    （五）) continues a level the document omitted: it goes above the styles that rank below it instead
    of under them. Containers (编/分编/章/节) always keep their canonical order.
    """
    order: list[str] = []
    for p in headings:
        assert p.label is not None
        style = p.label.style
        if style in order:
            continue
        if (p.label.value == 1 or not order) and style not in CONTAINER_STYLES:
            order.append(style)
            continue
        for i, seen in enumerate(order):
            if STYLE_RANK[seen] > STYLE_RANK[style]:
                order.insert(i, style)
                break
        else:
            order.append(style)
    return {style: i + 1 for i, style in enumerate(order)}
