"""The HTML report of three or more documents, and the numbers card both HTML reports share.

Each cell of the multi-document table opens (a `<details>` element) on the clause text with its
word changes marked and its numeric changes, so the detail of the two-document report is one click away.
"""

from __future__ import annotations

from dataclasses import dataclass

from policydiff.render.html import (
    Segment,
    _badge,
    _doc_card,
    _e,
    _lead_length,
    _numeric_list,
    _page,
    _render_segments,
    clause_names,
)
from policydiff.render.html_style import package_css
from policydiff.render.numbers import change_places, place_names
from policydiff.schema import Alignment, Clause, ClausePair, DiffOp, DocRef, Document, MultiAlignment

__all__ = ["ReferenceRow", "index_by_reference", "multi_html", "numbers_card", "reference_rows"]

MULTI_CSS = package_css("report-multi.css")  # added to report.css in reports of several documents


def numbers_card(al: Alignment, a: Document, b: Document) -> str:
    """Every numeric change, one line per measure: targets outside clauses first, then by parent clause."""
    changes = [n for n in al.numeric_changes if n.change != "same"]
    if not changes:
        return ""
    a_names, b_names = place_names(a), place_names(b)
    rows = []
    for n in changes:
        old, new = change_places(n, a_names, b_names)
        kind = {"changed": "变化", "removed": "取消", "added": "新增", "same": "未变"}[n.change]
        rows.append(
            f'<tr class="num-row num-{_e(n.change)}{" outside" if n.outside else ""}"><td>{_e(n.subject)}</td>'
            f"<td>{_e(old or '—')}</td><td>{_e(new or '—')}</td><td>{_e(kind)}</td>"
            f'<td class="num-change">{_e(n.text)}</td></tr>'
        )
    return (
        '<section class="card numbers-card"><h2>数字变化（每项指标一行）</h2>'
        '<p class="legend">序言、章节正文和结尾中的指标在前；合并、拆分、部分对应和相关的条款中的指标归并到父条款，一项指标只列一次。</p>'
        '<table class="grid numbers"><thead><tr><th>指标</th><th>父文件位置</th><th>子文件位置</th><th>变化</th><th>前 → 后</th></tr></thead>'
        f'<tbody>{"".join(rows)}</tbody></table></section>'
    )


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


def _inline_segments(ops: list[DiffOp]) -> list[Segment]:
    """Both sides of a word diff in one text, as a reader marks a revision: deleted words struck
    before the words that replace them."""
    out: list[Segment] = []
    for op in ops:
        if op.op == "equal":
            out.append(("", op.b))
        else:
            if op.a:
                out.append(("rep-del" if op.op == "replace" else "del", op.a))
            if op.b:
                out.append(("rep-ins" if op.op == "replace" else "ins", op.b))
    return out


def _text(clause: Clause | None, p: ClausePair | None, side: str) -> str:
    """The clause's policy text; for a child clause, with the pair's word changes marked inline."""
    if clause is None:
        return ""
    ops = p.diff if p is not None and p.relation != "identical" else []
    segments = _inline_segments(ops) if ops and side == "b" else [("", clause.policy_text)]
    # The lead sentence is bolded only where the text is the clause's own.
    lead = _lead_length(clause) if not ops else 0
    return f'<div class="cl-text">{_render_segments(segments, lead)}</div>'


def _score(p: ClausePair) -> str:
    if p.topic_score is not None:
        return f'<span class="sim" title="topical score">~{p.topic_score:.2f}</span>'
    return f'<span class="sim" title="similarity">{p.similarity:.2f}</span>'


def _cell_item(p: ClausePair, name: str, clause: Clause | None) -> str:
    nums = _numeric_list([n for n in p.numeric_changes if n.change != "same"])
    summary = f'<span class="cl-label">{_e(name)}</span> {_badge(p.relation, p.moved)}{_score(p)}'
    if clause is None and not nums:
        return f'<span class="hit-item">{summary}</span>'
    return f'<details class="cell hit-item"><summary>{summary}</summary>{_text(clause, p, "b")}{nums}</details>'


def multi_html(ma: MultiAlignment, reference: Document, others: list[Document]) -> str:
    """One row per reference clause, a column per other document, then clauses only the others have.

    Every cell opens on the clause's text (word changes marked), and its numeric changes."""
    by_doc = {d.name: d for d in others}
    cards = [_doc_card(ma.reference, reference, "参照文件", "doc-a")]
    for ref, al in zip(ma.others, ma.alignments, strict=True):
        f = al.figures
        cards.append(
            _doc_card(ref, by_doc.get(ref.name), "对照文件", "doc-b")[: -len("</section>")]
            + f'<p class="legend">文字复用 <b>{f.reuse_share * 100:.1f}%</b> · 保留 {f.kept} · 修改 {f.modified} · 合并 {f.merged}'
            f" · 拆分 {f.split} · 删除 {f.dropped} · 新增 {f.added} · 移位 {f.moved} · 相关 {f.related}</p></section>"
        )
    warnings = [d for al in ma.alignments for d in al.direction if d.startswith("warning")]
    warn = "".join(f'<p class="direction warn">{_e(w)}</p>' for w in warnings)
    head = (
        '<header class="card"><h1>多文件条款对照<small>policydiff compare</small></h1>'
        f'<div class="figs" style="grid-template-columns:repeat({min(len(cards), 3)}, 1fr)">{"".join(cards)}</div>{warn}</header>'
    )

    names = {o.name: clause_names(by_doc[o.name]) if o.name in by_doc else {} for o in ma.others}
    clauses = {o.name: {c.id: c for c in by_doc[o.name].clauses} if o.name in by_doc else {} for o in ma.others}
    ref_by_id = {c.id: c for c in reference.clauses}

    def b_name(p: ClausePair) -> str:
        return names.get(p.b_doc, {}).get(p.b_id or "", p.b_label or "")

    def b_clause(p: ClausePair) -> Clause | None:
        return clauses.get(p.b_doc, {}).get(p.b_id or "")

    ref_rows, extra = reference_rows(ma, reference)

    head_cells = "".join(f'<th title="{_e(o.title or "")}">{_e(o.title or o.name)}</th>' for o in ma.others)
    rows = []
    for row in ref_rows:
        cells = []
        for ps in row.pairs:
            items = []
            for p in ps:
                if p.relation == "dropped":
                    nums = _numeric_list([n for n in p.numeric_changes if n.change != "same"])
                    items.append(
                        f'<details class="cell hit-item"><summary>{_badge("dropped")}</summary>{nums}</details>'
                        if nums
                        else f'<span class="hit-item">{_badge("dropped")}</span>'
                    )
                else:
                    items.append(_cell_item(p, b_name(p), b_clause(p)))
            cells.append(f'<td>{"".join(items) or "—"}</td>')
        ref_clause = ref_by_id.get(row.id)
        ref_cell = f'<span class="cl-label">{_e(row.label)}</span> {_e(row.heading)}'
        if ref_clause is not None:
            ref_cell = f'<details class="cell"><summary>{ref_cell}</summary>{_text(ref_clause, None, "a")}</details>'
        rows.append(
            f'<tr class="ref-row" data-a="{_e(row.id)}"><td>{ref_cell}</td>'
            f'{"".join(cells)}<td class="cover">{row.kept}/{len(row.pairs)}</td></tr>'
        )
    main = (
        '<section class="card"><h2>参照条款在各文件中的去向</h2>'
        '<p class="legend">点击条款展开全文：<del>删去</del> <ins>新增</ins>的文字和数字变化；相关＝同一措施、文字不同（~分数为主题相似度）。</p>'
        f'<table class="grid multi"><thead><tr><th>参照条款：{_e(ma.reference.title or ma.reference.name)}</th>{head_cells}'
        f'<th>沿用</th></tr></thead><tbody>{"".join(rows)}</tbody></table></section>'
    )
    extra_rows = "".join(
        f'<tr class="only-other"><td>{_e(ref.title or ref.name)}</td><td><span class="cl-label">{_e(b_name(p))}</span></td>'
        f"<td><details class=\"cell\"><summary>{_e(p.b_heading or '')}</summary>{_text(b_clause(p), None, 'b')}"
        f"{_numeric_list(p.numeric_changes)}</details></td></tr>"
        for ref, p in extra
    )
    only = (
        '<section class="card"><h2>仅见于其他文件的条款</h2>'
        + (
            f'<table class="grid only"><thead><tr><th>文件</th><th>条款</th><th>首句</th></tr></thead><tbody>{extra_rows}</tbody></table>'
            if extra_rows
            else '<p class="none">（无：其他文件的每一条都能在参照文件中找到来源。）</p>'
        )
        + "</section>"
    )
    numbers = "".join(numbers_card(al, reference, by_doc[ref.name]) for ref, al in zip(ma.others, ma.alignments, strict=True) if ref.name in by_doc)
    page = _page(f"多文件条款对照：{ma.reference.title or ma.reference.name}", head + main + numbers + only)
    return page.replace("</style>", MULTI_CSS + "</style>", 1)


