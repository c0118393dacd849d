"""HTML pieces both compare reports (`html` for two documents, `multi` for three or more) are built from.

Every piece of document text goes through `esc` (`html.escape`), because notices are untrusted input.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import date

from policydiff.render.common import change_places, place_names
from policydiff.render.html_style import CSS, RELATION_ZH, SCRIPT
from policydiff.schema import Alignment, Clause, DocRef, Document, NumericChange


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def date_text(d: date | None) -> str:
    return d.isoformat() if d else "—"


MOVED_BADGE = '<span class="badge moved" title="moved: out of the parent order">移位<small>moved</small></span>'


def badge(relation: str, moved: bool = False) -> str:
    out = (
        f'<span class="badge rel-{esc(relation)}" title="{esc(relation)}">'
        f"{esc(RELATION_ZH.get(relation, relation))}<small>{esc(relation)}</small></span>"
    )
    return out + MOVED_BADGE if moved else out


Segment = tuple[str, str]  # (kind, text); kind: "" | "del" | "ins" | "rep-del" | "rep-ins"


def lead_length(clause: Clause) -> int:
    """Characters of the lead sentence at the start of policy_text, bolded like in print."""
    h = clause.heading
    if not h or not clause.policy_text.startswith(h):
        return 0
    n = len(h)
    return n + 1 if clause.policy_text[n : n + 1] in ("。", "；", "：") else n


def render_segments(segments: Iterable[Segment], lead: int) -> str:
    parts: list[str] = []
    pos = 0
    for kind, text in segments:
        # Split a piece at the end of the lead sentence so only the lead is bold.
        pieces = [(text, pos < lead)]
        if pos < lead < pos + len(text):
            cut = lead - pos
            pieces = [(text[:cut], True), (text[cut:], False)]
        pos += len(text)
        for piece, bold in pieces:
            if not piece:
                continue
            if kind:
                # A changed line break would be invisible; show it as ↵.
                inner = esc(piece.replace("\n", "↵\n"))
                tag = "del" if kind.endswith("del") else "ins"
                cls = ' class="rep"' if kind.startswith("rep") else ""
                inner = f"<{tag}{cls}>{inner}</{tag}>"
            else:
                inner = esc(piece)
            parts.append(f'<b class="lead">{inner}</b>' if bold else inner)
    return "".join(parts)


def numeric_list(changes: list[NumericChange]) -> str:
    if not changes:
        return ""
    items = []
    for n in changes:
        old, sep, new = n.text.partition(" → ")
        if not sep:
            shown = esc(n.text)
        elif n.change == "removed":
            shown = f'<s class="num-old">{esc(old)}</s> → <span class="num-new">{esc(new)}</span>'
        elif n.change == "same":
            shown = f'<span class="num-new">{esc(new)}</span>'
        else:
            shown = f'<span class="num-old">{esc(old)}</span> → <span class="num-new">{esc(new)}</span>'
        word = {"changed": "变化", "removed": "取消", "added": "新增", "same": "未变"}[n.change]
        items.append(
            f'<li class="num num-{esc(n.change)}"><span class="num-kind">{word}</span>'
            f'<span class="num-subj">{esc(n.subject)}</span> {shown}</li>'
        )
    return f'<ul class="nums" aria-label="数字变化">{"".join(items)}</ul>'


def html_page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="policydiff">\n'
        f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n"
        f'<body>\n<div class="page">\n{body}\n<footer>policydiff · 条款对照报告</footer>\n</div>\n'
        f"<script>{SCRIPT}</script>\n</body>\n</html>\n"
    )


def doc_card(ref: DocRef, doc: Document | None, role: str, cls: str) -> str:
    title = ref.title or ref.name
    sub = doc.metadata.title if doc and doc.metadata.title and doc.metadata.title != title else None
    rows = [("文号", ref.doc_number or "—"), ("日期", date_text(ref.date)), ("条款", f"{ref.clauses} 条")]
    if doc and doc.metadata.authority:
        rows.insert(0, ("发文机关", doc.metadata.authority))
    rows.append(("文件", ref.name))
    dl = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in rows)
    return (
        f'<section class="doc {cls}"><h2><span class="role">{esc(role)}</span>{esc(title)}</h2>'
        + (f'<p class="sub">{esc(sub)}</p>' if sub else "")
        + f"<dl>{dl}</dl></section>"
    )


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
            f'<tr class="num-row num-{esc(n.change)}{" outside" if n.outside else ""}"><td>{esc(n.subject)}</td>'
            f"<td>{esc(old or '—')}</td><td>{esc(new or '—')}</td><td>{esc(kind)}</td>"
            f'<td class="num-change">{esc(n.text)}</td></tr>'
        )
    return (
        '<section class="card numbers-card"><h2>数字变化（每项指标一行）</h2>'
        '<p class="legend">序言、章节正文和结尾中的指标在前；合并、拆分、部分对应和相关的条款中的指标归并到父条款，一项指标只列一次。</p>'
        '<table class="grid numbers"><thead><tr><th>指标</th><th>父文件位置</th><th>子文件位置</th><th>变化</th><th>前 → 后</th></tr></thead>'
        f'<tbody>{"".join(rows)}</tbody></table></section>'
    )
