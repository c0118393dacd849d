"""The HTML report of three or more documents.

Each cell of the multi-document table opens (a `<details>` element) on the clause text with its
word changes marked and its numeric changes, so the detail of the two-document report is one click away.
"""

from __future__ import annotations

from policydiff.render.common import clause_names, reference_rows
from policydiff.render.html_parts import Segment, badge, doc_card, esc, html_page, lead_length, numbers_card, numeric_list, render_segments
from policydiff.render.html_style import package_css
from policydiff.schema import Clause, ClausePair, DiffOp, Document, MultiAlignment

__all__ = ["multi_html"]

MULTI_CSS = package_css("report-multi.css")  # added to report.css in reports of several documents


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
    lead = lead_length(clause) if not ops else 0
    return f'<div class="cl-text">{render_segments(segments, lead)}</div>'


def _score(p: ClausePair) -> str:
    if p.topic_score is not None:
        return f'<span class="sim" title="topical score">~{p.topic_score:.2f}</span>'
    return f'<span class="sim" title="similarity">{p.similarity:.2f}</span>'


def _cell_item(p: ClausePair, name: str, clause: Clause | None) -> str:
    nums = numeric_list([n for n in p.numeric_changes if n.change != "same"])
    summary = f'<span class="cl-label">{esc(name)}</span> {badge(p.relation, p.moved)}{_score(p)}'
    if clause is None and not nums:
        return f'<span class="hit-item">{summary}</span>'
    return f'<details class="cell hit-item"><summary>{summary}</summary>{_text(clause, p, "b")}{nums}</details>'


def multi_html(ma: MultiAlignment, reference: Document, others: list[Document]) -> str:
    """One row per reference clause, a column per other document, then clauses only the others have.

    Every cell opens on the clause's text (word changes marked), and its numeric changes."""
    by_doc = {d.name: d for d in others}
    cards = [doc_card(ma.reference, reference, "参照文件", "doc-a")]
    for ref, al in zip(ma.others, ma.alignments, strict=True):
        f = al.figures
        cards.append(
            doc_card(ref, by_doc.get(ref.name), "对照文件", "doc-b")[: -len("</section>")]
            + f'<p class="legend">文字复用 <b>{f.reuse_share * 100:.1f}%</b> · 保留 {f.kept} · 修改 {f.modified} · 合并 {f.merged}'
            f" · 拆分 {f.split} · 删除 {f.dropped} · 新增 {f.added} · 移位 {f.moved} · 相关 {f.related}</p></section>"
        )
    warnings = [d for al in ma.alignments for d in al.direction if d.startswith("warning")]
    warn = "".join(f'<p class="direction warn">{esc(w)}</p>' for w in warnings)
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

    head_cells = "".join(f'<th title="{esc(o.title or "")}">{esc(o.title or o.name)}</th>' for o in ma.others)
    rows = []
    for row in ref_rows:
        cells = []
        for ps in row.pairs:
            items = []
            for p in ps:
                if p.relation == "dropped":
                    nums = numeric_list([n for n in p.numeric_changes if n.change != "same"])
                    items.append(
                        f'<details class="cell hit-item"><summary>{badge("dropped")}</summary>{nums}</details>'
                        if nums
                        else f'<span class="hit-item">{badge("dropped")}</span>'
                    )
                else:
                    items.append(_cell_item(p, b_name(p), b_clause(p)))
            cells.append(f'<td>{"".join(items) or "—"}</td>')
        ref_clause = ref_by_id.get(row.id)
        ref_cell = f'<span class="cl-label">{esc(row.label)}</span> {esc(row.heading)}'
        if ref_clause is not None:
            ref_cell = f'<details class="cell"><summary>{ref_cell}</summary>{_text(ref_clause, None, "a")}</details>'
        rows.append(
            f'<tr class="ref-row" data-a="{esc(row.id)}"><td>{ref_cell}</td>'
            f'{"".join(cells)}<td class="cover">{row.kept}/{len(row.pairs)}</td></tr>'
        )
    main = (
        '<section class="card"><h2>参照条款在各文件中的去向</h2>'
        '<p class="legend">点击条款展开全文：<del>删去</del> <ins>新增</ins>的文字和数字变化；相关＝同一措施、文字不同（~分数为主题相似度）。</p>'
        f'<table class="grid multi"><thead><tr><th>参照条款：{esc(ma.reference.title or ma.reference.name)}</th>{head_cells}'
        f'<th>沿用</th></tr></thead><tbody>{"".join(rows)}</tbody></table></section>'
    )
    extra_rows = "".join(
        f'<tr class="only-other"><td>{esc(ref.title or ref.name)}</td><td><span class="cl-label">{esc(b_name(p))}</span></td>'
        f"<td><details class=\"cell\"><summary>{esc(p.b_heading or '')}</summary>{_text(b_clause(p), None, 'b')}"
        f"{numeric_list(p.numeric_changes)}</details></td></tr>"
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
    page = html_page(f"多文件条款对照：{ma.reference.title or ma.reference.name}", head + main + numbers + only)
    return page.replace("</style>", MULTI_CSS + "</style>", 1)


