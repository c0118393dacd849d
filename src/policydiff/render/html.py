"""Self-contained HTML reports for `compare`.

One file with inline CSS, an inline SVG heatmap and a tiny inline script for
toggles: no fonts, stylesheets, scripts or images are fetched, so the report
opens offline and can be mailed or archived as is. Every piece of document
text goes through `html.escape`, because notices are untrusted input.
"""

from __future__ import annotations

import itertools

from policydiff.render.html_parts import (
    MOVED_BADGE,
    Segment,
    badge,
    doc_card,
    esc,
    html_page,
    lead_length,
    numbers_card,
    numeric_list,
    render_segments,
)
from policydiff.render.html_style import MOVED_COLOR, RELATION_COLOR, RELATION_ZH
from policydiff.schema import (
    Alignment,
    Clause,
    ClausePair,
    DiffOp,
    Document,
)

__all__ = ["RELATION_COLOR", "RELATION_ZH", "alignment_html"]

# Sequential blue scale for the heatmap (ColorBrewer Blues), 0 → 1.
_SCALE = [(0.0, (247, 251, 255)), (0.25, (198, 219, 239)), (0.5, (107, 174, 214)), (0.75, (33, 113, 181)), (1.0, (8, 48, 107))]
_EMPTY_CELL = "#f1f3f5"


def _pct(x: float) -> str:
    return f"{x * 100:.0f}%"


def _colour(v: float) -> str:
    v = min(max(v, 0.0), 1.0)
    for (x0, c0), (x1, c1) in itertools.pairwise(_SCALE):
        if v <= x1:
            t = (v - x0) / (x1 - x0)
            r, g, b = (round(c0[i] + (c1[i] - c0[i]) * t) for i in range(3))
            return f"#{r:02x}{g:02x}{b:02x}"
    return "#08306b"


# --- clause text with diff highlights -----------------------------------------------

def _side_segments(ops: list[DiffOp], side: str) -> list[Segment]:
    """The text of one side of a word diff, tagged by what happened to each piece."""
    out: list[Segment] = []
    for op in ops:
        if op.op == "equal":
            out.append(("", op.a if side == "a" else op.b))
        elif op.op == "delete" and side == "a":
            out.append(("del", op.a))
        elif op.op == "insert" and side == "b":
            out.append(("ins", op.b))
        elif op.op == "replace":
            out.append(("rep-del", op.a) if side == "a" else ("rep-ins", op.b))
    return out


def _clause_cell(
    clause: Clause | None, label: str | None, heading: str | None, ops: list[DiffOp], side: str, repeat: bool = False
) -> str:
    if clause is None and label is None:
        return '<td class="side empty"><span class="none">（无对应条款）</span></td>'
    path = " › ".join(clause.path) if clause else ""
    # Merged/split rows repeat a clause; say so, since its highlights differ row by row.
    again = '<span class="again" title="same clause as the row above">同上条，差异按本行对照</span>' if repeat else ""
    head = (
        f'<div class="cl-head"><span class="cl-label" title="{esc(clause.id if clause else "")}">{esc(label or "")}</span>'
        f'<span class="cl-path" title="{esc(path)}">{esc(path)}</span>{again}</div>'
    )
    if clause is None:  # the alignment names a clause the document does not hold
        return f'<td class="side side-{side}">{head}<div class="cl-text">{esc(heading or "")}</div></td>'
    segments = _side_segments(ops, side) if ops else [("", clause.policy_text)]
    body = render_segments(segments, lead_length(clause))
    return f'<td class="side side-{side}">{head}<div class="cl-text">{body}</div></td>'


def _meta_cell(p: ClausePair) -> str:
    parts = [f'<div class="badges">{badge(p.relation, p.moved)}</div>']
    if p.topic_score is not None:
        parts.append(
            f'<div class="metric" title="topical similarity: IDF-weighted words and concepts"><span>主题相似</span><b>{p.topic_score:.2f}</b>'
            f'<i class="bar"><i style="width:{min(max(p.topic_score, 0), 1) * 100:.0f}%"></i></i></div>'
        )
    elif p.a_id and p.b_id:
        for name, value, shown in (("相似度", p.similarity, f"{p.similarity:.2f}"), ("复用", p.reused_share, _pct(p.reused_share))):
            parts.append(
                f'<div class="metric"><span>{name}</span><b>{shown}</b>'
                f'<i class="bar"><i style="width:{min(max(value, 0), 1) * 100:.0f}%"></i></i></div>'
            )
    return f'<td class="meta">{"".join(parts)}</td>'


def _pair_row(i: int, p: ClausePair, prev: ClausePair | None, a_by_id: dict[str, Clause], b_by_id: dict[str, Clause]) -> str:
    ac = a_by_id.get(p.a_id) if p.a_id else None
    bc = b_by_id.get(p.b_id) if p.b_id else None
    left = _clause_cell(ac, p.a_label, p.a_heading, p.diff, "a", bool(prev and p.a_id and prev.a_id == p.a_id))
    right = _clause_cell(bc, p.b_label, p.b_heading, p.diff, "b", bool(prev and p.b_id and prev.b_id == p.b_id))
    nums = numeric_list(p.numeric_changes)
    if nums:
        # Numbers belong to the side that still holds them: the child, unless it is gone.
        if p.b_id:
            right = right[: -len("</td>")] + nums + "</td>"
        else:
            left = left[: -len("</td>")] + nums + "</td>"
    moved = " moved" if p.moved else ""
    return (
        f'<tr class="pair rel-{esc(p.relation)}{moved}" id="pair-{i}" data-relation="{esc(p.relation)}"'
        f' data-a="{esc(p.a_id or "")}" data-b="{esc(p.b_id or "")}">{left}{_meta_cell(p)}{right}</tr>'
    )


# --- heatmap -------------------------------------------------------------------------


def _section_breaks(clauses: list[Clause]) -> list[int]:
    """Indices where the enclosing section changes, for thin separator lines."""
    return [i for i in range(1, len(clauses)) if clauses[i].path != clauses[i - 1].path]


def heatmap_svg(al: Alignment, a: Document, b: Document) -> str:
    """Parent clauses as rows, child clauses as columns; colour = reused share of the pair."""
    rows, cols = a.clauses, b.clauses
    if not rows or not cols:
        return '<p class="none">（没有可对照的条款）</p>'
    ri = {c.id: i for i, c in enumerate(rows)}
    ci = {c.id: i for i, c in enumerate(cols)}
    pairs: dict[tuple[int, int], tuple[int, ClausePair]] = {}
    for k, p in enumerate(al.pairs):
        if p.a_id in ri and p.b_id in ci:
            pairs[(ri[p.a_id], ci[p.b_id])] = (k, p)  # type: ignore[index]
    # Sentence links give an estimate for clauses that share sentences but were not paired.
    link_n: dict[tuple[int, int], int] = {}
    link_chars: dict[tuple[int, int], float] = {}
    for lk in al.sentence_links:
        if lk.a_clause in ri and lk.b_clause in ci:
            key = (ri[lk.a_clause], ci[lk.b_clause])  # type: ignore[index]
            link_n[key] = link_n.get(key, 0) + 1
            link_chars[key] = link_chars.get(key, 0.0) + len(lk.b_text) * lk.similarity

    cell = max(8, min(20, 620 // max(len(rows), len(cols))))
    font = max(7, min(11, round(cell * 0.6)))
    left, top = 44, 40
    width, height = left + cell * len(cols) + 8, top + cell * len(rows) + 8
    # Empty cells are one rectangle filled with a pattern of cells: a rect each made the page grow with
    # rows × columns (484,000 rects, 32 MB, for two rules of 700 articles).
    grid_w, grid_h = cell * len(cols), cell * len(rows)
    out = [
        (f'<svg class="heatmap-svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="条款相似度热力图">'),
        (f'<defs><pattern id="pd-empty-cell" x="{left}" y="{top}" width="{cell}" height="{cell}" patternUnits="userSpaceOnUse">'
         f'<rect width="{cell - 1}" height="{cell - 1}" fill="{_EMPTY_CELL}"/></pattern></defs>'),
        f'<rect class="empty" x="{left}" y="{top}" width="{grid_w}" height="{grid_h}" fill="url(#pd-empty-cell)"/>',
        f'<text class="axis" x="{left}" y="11">子文件条款 →</text>',
        f'<text class="axis" x="10" y="{top}" transform="rotate(90 10 {top})">父文件条款 →</text>',
    ]
    for j, c in enumerate(cols):
        x = left + j * cell + cell / 2
        out.append(f'<text class="lbl" x="{x:.1f}" y="{top - 5}" text-anchor="middle" font-size="{font}">'
                   f"<title>{esc(c.label)} {esc(c.heading)}</title>{esc(c.label)}</text>")
    for i, c in enumerate(rows):
        y = top + i * cell + cell / 2 + font * 0.35
        out.append(f'<text class="lbl" x="{left - 4}" y="{y:.1f}" text-anchor="end" font-size="{font}">'
                   f"<title>{esc(c.label)} {esc(c.heading)}</title>{esc(c.label)}</text>")
    for i, j in sorted(set(pairs) | set(link_n)):
        ac, bc = rows[i], cols[j]
        x, y = left + j * cell, top + i * cell
        geo = f'x="{x}" y="{y}" width="{cell - 1}" height="{cell - 1}"'
        hit = pairs.get((i, j))
        n = link_n.get((i, j), 0)
        where = f"父 {ac.label} {ac.heading} × 子 {bc.label} {bc.heading}"
        if hit is not None:
            k, p = hit
            tip = (
                f"{where}\n{RELATION_ZH.get(p.relation, p.relation)} {p.relation}{' · 移位' if p.moved else ''}"
                f" · 相似度 {p.similarity:.2f} · 复用 {_pct(p.reused_share)} · {n} 句对应"
            )
            stroke = RELATION_COLOR.get(p.relation, "#333")
            out.append(
                f'<a href="#pair-{k}"><rect class="hit" {geo} fill="{_colour(p.reused_share)}" stroke="{stroke}" '
                f'stroke-width="1.5"><title>{esc(tip)}</title></rect></a>'
            )
        else:
            share = min(link_chars.get((i, j), 0.0) / max(len(bc.policy_text), 1), 1.0)
            tip = f"{where}\n未配对 · {n} 句相似 · 约 {_pct(share)} 文字"
            out.append(f'<rect class="link" {geo} fill="{_colour(share)}"><title>{esc(tip)}</title></rect>')
    x0, x1 = left, left + cell * len(cols) - 1
    y0, y1 = top, top + cell * len(rows) - 1
    for i in _section_breaks(rows):
        y = top + i * cell - 0.5
        out.append(f'<line class="sec" x1="{x0 - 2}" y1="{y}" x2="{x1}" y2="{y}"/>')
    for j in _section_breaks(cols):
        x = left + j * cell - 0.5
        out.append(f'<line class="sec" x1="{x}" y1="{y0 - 2}" x2="{x}" y2="{y1}"/>')
    out.append("</svg>")
    return "".join(out)


def _scale_legend() -> str:
    stops = "".join(f'<stop offset="{x * 100:.0f}%" stop-color="{_colour(x)}"/>' for x, _ in _SCALE)
    return (
        '<svg class="legend-svg" width="180" height="30" viewBox="0 0 180 30" aria-hidden="true">'
        f'<defs><linearGradient id="pd-scale">{stops}</linearGradient></defs>'
        '<rect x="0" y="2" width="180" height="10" fill="url(#pd-scale)"/>'
        '<text x="0" y="26" font-size="10">0%</text><text x="90" y="26" font-size="10" text-anchor="middle">50%</text>'
        '<text x="180" y="26" font-size="10" text-anchor="end">100%</text></svg>'
    )


# --- page ------------------------------------------------------------------------------

def _direction(evidence: list[str]) -> str:
    if not evidence:
        return '<div class="direction"><b>方向依据：</b><span class="none">未发现引用或日期证据（子文件是否源自父文件请人工确认）。</span></div>'
    items = "".join(
        f'<li class="{"warn" if ev.startswith("warning") else ""}">{esc(ev)}</li>' for ev in evidence
    )
    return f'<div class="direction"><b>方向依据：</b><ul>{items}</ul></div>'


def _figures(al: Alignment) -> str:
    f = al.figures
    figs = [
        ("kept", "原样保留", f.kept, RELATION_COLOR["identical"]),
        ("modified", "修改", f.modified, RELATION_COLOR["modified"]),
        ("merged", "合并", f.merged, RELATION_COLOR["merged"]),
        ("split", "拆分", f.split, RELATION_COLOR["split"]),
        ("dropped", "删除", f.dropped, RELATION_COLOR["dropped"]),
        ("added", "新增", f.added, RELATION_COLOR["added"]),
        ("moved", "移位", f.moved, MOVED_COLOR),
        ("related", "相关", f.related, RELATION_COLOR["related"]),
        ("pairs", "对照行", len(al.pairs), "#8c959f"),
    ]
    cells = "".join(
        f'<div class="fig" style="--c:{c}" data-figure="{k}"><b>{v}</b><span>{esc(zh)} · {k}</span></div>' for k, zh, v, c in figs
    )
    legend = "".join(badge(r) for r in RELATION_COLOR)
    return (
        '<section class="card figures"><h2>对照概要</h2>'
        f'<div class="reuse"><b>{f.reuse_share * 100:.1f}%</b><span>子文件政策文字沿用自父文件（文字复用率）</span></div>'
        f'<div class="legend">父文件 {f.parent_clauses} 条 · 子文件 {f.child_clauses} 条；保留、修改、合并、拆分、删除按父文件条款计，新增按子文件条款计。</div>'
        f'<div class="figs">{cells}</div>'
        f'<div class="legend">关系：{legend}{MOVED_BADGE}</div>'
        '<div class="legend" style="margin-top:6px">文字：<del>父文件删去</del> <ins>子文件新增</ins>；每条首句加粗。</div>'
        "</section>"
    )


def alignment_html(al: Alignment, a: Document, b: Document) -> str:
    """The whole comparison as one offline HTML page."""
    a_by_id = {c.id: c for c in a.clauses}
    b_by_id = {c.id: c for c in b.clauses}
    a_title, b_title = al.a.title or al.a.name, al.b.title or al.b.name
    head = (
        '<header class="card">'
        '<h1>条款对照报告<small>policydiff compare</small></h1>'
        f'<div class="docs">{doc_card(al.a, a, "父文件", "doc-a")}<div class="arrow" aria-hidden="true">→</div>'
        f'{doc_card(al.b, b, "子文件", "doc-b")}</div>{_direction(al.direction)}</header>'
    )
    heat = (
        '<section class="card heatmap"><h2>条款相似度热力图</h2><figure>'
        f"{heatmap_svg(al, a, b)}<figcaption>{_scale_legend()}<br>"
        "行＝父文件条款，列＝子文件条款。颜色＝子条款文字复用自该父条款的比例；"
        "描边＝已配对（颜色表示关系），无描边＝仅有相似句子。悬停看详情，点击跳到对照行；灰线为章节分界。"
        "</figcaption></figure></section>"
    )
    rows = "".join(_pair_row(i, p, al.pairs[i - 1] if i else None, a_by_id, b_by_id) for i, p in enumerate(al.pairs))
    table = (
        '<section class="card"><h2>逐条对照</h2>'
        '<div class="controls" hidden><label><input type="checkbox" data-toggle="hide-identical"> 隐藏相同条款</label>'
        '<label><input type="checkbox" data-toggle="compact"> 紧凑显示</label></div>'
        '<table class="pairs"><colgroup><col style="width:44%"><col style="width:12%"><col style="width:44%"></colgroup>'
        f'<thead><tr><th>父文件：{esc(a_title)}</th><th class="meta">关系</th><th>子文件：{esc(b_title)}</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></section>"
    )
    body = f'{head}<div class="overview">{_figures(al)}{heat}</div><div style="height:18px"></div>{numbers_card(al, a, b)}{table}'
    return html_page(f"条款对照：{b_title} ← {a_title}", body)

