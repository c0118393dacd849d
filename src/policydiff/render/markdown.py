"""Markdown reports for `compare`, meant to be pasted into a paper draft.

GitHub-flavoured Markdown (pipe tables, ~~strike~~), which pandoc also reads.
Document text is backslash-escaped so that a `|` cannot break a table and a
`*` or `<tag>` in a notice cannot turn into formatting or raw HTML.
"""

from __future__ import annotations

from datetime import date

from policydiff.render.html import RELATION_ZH, clause_names
from policydiff.render.multi import ReferenceRow, reference_rows
from policydiff.schema import Alignment, ClausePair, DiffOp, DocRef, Document, MultiAlignment, NumericChange

__all__ = ["alignment_markdown", "escape_md", "multi_markdown", "word_changes"]

# Longest piece of changed text quoted in the word-change list; longer ones are cut in the middle.
MAX_SEGMENT = 60
# Longest clause heading quoted in a table cell.
MAX_HEADING = 28

_SPECIAL = set("\\`*_~[]<>|#")


def escape_md(text: str) -> str:
    """Backslash-escape Markdown punctuation and fold line breaks, for inline use and table cells."""
    text = " ".join(text.split("\n"))
    return "".join("\\" + ch if ch in _SPECIAL else ch for ch in text)


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    half = (limit - 1) // 2
    return text[:half] + "…" + text[-half:]


def _head(text: str | None) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= MAX_HEADING else text[: MAX_HEADING - 1] + "…"


def _date(d: date | None) -> str:
    return d.isoformat() if d else "日期不详"


def _rel(p: ClausePair) -> str:
    return RELATION_ZH.get(p.relation, p.relation) + ("，移位" if p.moved else "")


def _doc_line(ref: DocRef) -> str:
    bits = [ref.doc_number or "无文号", _date(ref.date), f"{ref.clauses} 条"]
    return f"《{escape_md(ref.title or ref.name)}》（{'，'.join(bits)}；{escape_md(ref.name)}）"


def _numbers(changes: list[NumericChange]) -> str:
    """Changed, removed and added targets; unchanged ones are left out to keep cells short."""
    out = []
    for n in changes:
        if n.change == "same":
            continue
        old, sep, new = n.text.partition(" → ")
        shown = f"~~{escape_md(old)}~~ → {escape_md(new)}" if n.change == "removed" and sep else escape_md(n.text)
        out.append(f"{escape_md(n.subject)} {shown}" if n.subject else shown)
    return "；".join(out)


def word_changes(ops: list[DiffOp]) -> list[str]:
    """`~~old~~ → **new**`, `~~deleted~~`, `**inserted**`, one string per change."""
    out = []
    for op in ops:
        a, b = _cut(op.a, MAX_SEGMENT), _cut(op.b, MAX_SEGMENT)
        if op.op == "replace" and a and b:
            out.append(f"~~{escape_md(a)}~~ → **{escape_md(b)}**")
        elif op.op in ("replace", "delete") and a:
            out.append(f"~~{escape_md(a)}~~")
        elif op.op in ("replace", "insert") and b:
            out.append(f"**{escape_md(b)}**")
        # Changes to whitespace alone (a moved line break) are not worth a reader's time.
    return out


def _side(label: str | None, heading: str | None) -> str:
    if label is None:
        return "—"
    return escape_md(f"{label} {_head(heading)}".strip())


def alignment_markdown(al: Alignment, a: Document, b: Document) -> str:
    """Title, summary paragraph, table of aligned clauses, then word and number changes per pair."""
    f = al.figures
    a_title, b_title = al.a.title or al.a.name, al.b.title or al.b.name
    a_names, b_names = clause_names(a), clause_names(b)

    def a_label(p: ClausePair) -> str | None:
        return a_names.get(p.a_id, p.a_label) if p.a_id else p.a_label

    def b_label(p: ClausePair) -> str | None:
        return b_names.get(p.b_id, p.b_label) if p.b_id else p.b_label

    lines = [
        f"# 条款对照：{escape_md(b_title)} ← {escape_md(a_title)}",
        "",
        f"- 父文件：{_doc_line(al.a)}",
        f"- 子文件：{_doc_line(al.b)}",
        "",
        (
            f"子文件《{escape_md(b_title)}》共 {f.child_clauses} 条，逐条对照父文件《{escape_md(a_title)}》（{f.parent_clauses} 条），"
            f"其政策文字有 {f.reuse_share * 100:.1f}% 沿用自父文件。"
            f"父文件条款中 {f.kept} 条原样保留、{f.modified} 条修改、{f.merged} 条合并、{f.split} 条拆分、{f.dropped} 条删除；"
            f"子文件新增 {f.added} 条，{f.moved} 条调整了顺序。"
        ),
        "",
    ]
    if al.direction:
        lines.append("方向依据：" + "；".join(escape_md(d) for d in al.direction) + "。")
    else:
        lines.append("方向依据：未发现引用或日期证据，请人工确认子文件确实源自父文件。")
    lines += [
        "",
        "## 条款对照表",
        "",
        "| 父条款 | 子条款 | 关系 | 相似度 | 数字变化 |",
        "| --- | --- | --- | ---: | --- |",
    ]
    for p in al.pairs:
        sim = (f"~{p.topic_score:.2f}" if p.topic_score is not None else f"{p.similarity:.2f}") if p.a_id and p.b_id else "—"
        lines.append(
            f"| {_side(a_label(p), p.a_heading)} | {_side(b_label(p), p.b_heading)} | {_rel(p)} | {sim} | {_numbers(p.numeric_changes)} |"
        )

    if al.figures.related:
        lines += ["", "“相关”：同一措施、文字不同（不共享句子），相似度一栏为主题相似度（~）。"]
    lines += _numbers_section(al, a, b)

    # Word changes only for modified pairs: a merged or split pair diffs a part against a whole,
    # so its word list would just restate the text. Those get their number changes only.
    modified = [p for p in al.pairs if p.relation == "modified"]
    regrouped = [p for p in al.pairs if p.a_id and p.b_id and p.relation in ("merged", "split", "partial")]
    lines += ["", "## 修改条款的词语与数字变化", ""]
    if any(p.diff for p in modified):
        lines += ["~~删去的文字~~ → **新写入的文字**；过长的片段中间以“…”省略。", ""]
    elif not modified:
        lines += ["（没有修改过的条款。）", ""]
    for p in modified:
        lines.append(
            f"**父 {escape_md(a_label(p) or '')} → 子 {escape_md(b_label(p) or '')}**"
            f"（{_rel(p)}，相似度 {p.similarity:.2f}，复用 {p.reused_share * 100:.0f}%）{escape_md(p.b_heading or '')}"
        )
        lines.append("")
        words = word_changes(p.diff)
        if words:
            lines.append("- 词语：" + "；".join(words))
        elif not p.diff:
            lines.append("- 词语：未计算（compare 时加 detail=True）")
        else:
            lines.append("- 词语：仅空白或换行不同")
        nums = _numbers(p.numeric_changes)
        if nums:
            lines.append("- 数字：" + nums)
        lines.append("")
    if regrouped:
        lines += ["## 合并、拆分与部分对应", ""]
        for p in regrouped:
            nums = _numbers(p.numeric_changes)
            lines.append(
                f"- 父 {escape_md(a_label(p) or '')} {escape_md(_head(p.a_heading))} → 子 {escape_md(b_label(p) or '')} "
                f"{escape_md(_head(p.b_heading))}（{_rel(p)}，复用 {p.reused_share * 100:.0f}%）" + (f"；数字：{nums}" if nums else "")
            )
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _numbers_section(al: Alignment, a: Document, b: Document) -> list[str]:
    """Every numeric change, one line per measure: outside clauses first, then by parent clause."""
    from policydiff.render.numbers import change_places, place_names

    changes = [n for n in al.numeric_changes if n.change != "same"]
    if not changes:
        return []
    a_names, b_names = place_names(a), place_names(b)
    out = [
        "",
        "## 数字变化（每项指标一行）",
        "",
        "序言、章节正文和结尾中的指标在前；合并、拆分、部分对应和相关条款中的指标归并到父条款。",
        "",
        "| 指标 | 父文件位置 | 子文件位置 | 前 → 后 |",
        "| --- | --- | --- | --- |",
    ]
    for n in changes:
        old, new = change_places(n, a_names, b_names)
        out.append(f"| {escape_md(n.subject)} | {escape_md(old or '—')} | {escape_md(new or '—')} | {escape_md(n.text)} |")
    return out


def _quote(text: str) -> str:
    return "> " + escape_md(" ".join(text.split()))


def multi_markdown(ma: MultiAlignment, reference: Document, others: list[Document]) -> str:
    """A table with a row per reference clause and a column per other document, then the others' own clauses."""
    lines = [f"# 多文件条款对照：{escape_md(ma.reference.title or ma.reference.name)}", "", f"参照文件：{_doc_line(ma.reference)}", ""]
    for ref, al in zip(ma.others, ma.alignments, strict=False):
        f = al.figures
        lines.append(
            f"- {_doc_line(ref)}：文字复用 {f.reuse_share * 100:.1f}%，保留 {f.kept}、修改 {f.modified}、合并 {f.merged}、"
            f"拆分 {f.split}、删除 {f.dropped}、新增 {f.added}、移位 {f.moved}"
        )

    ref_rows, extra = reference_rows(ma, reference)
    names = {d.name: clause_names(d) for d in others}

    def b_name(p: ClausePair) -> str:
        return names.get(p.b_doc, {}).get(p.b_id or "", p.b_label or "")

    lines += [
        "",
        "## 参照条款的去向",
        "",
        "| 参照条款 | " + " | ".join(escape_md(o.name) for o in ma.others) + " | 沿用 |",
        "| --- | " + " | ".join("---" for _ in ma.others) + " | ---: |",
    ]
    for row in ref_rows:
        cells = [
            "；".join("删除" if p.relation == "dropped" else f"{escape_md(b_name(p))} {_rel(p)}" for p in ps) or "—"
            for ps in row.pairs
        ]
        lines.append(f"| {_side(row.label, row.heading)} | " + " | ".join(cells) + f" | {row.kept}/{len(row.pairs)} |")

    lines += _multi_detail(ma, reference, others, ref_rows)
    lines += ["", "## 仅见于其他文件的条款", ""]
    if extra:
        lines += ["| 文件 | 条款 | 首句 |", "| --- | --- | --- |"]
        for ref, p in extra:
            nums = _numbers(p.numeric_changes)
            lines.append(
                f"| {escape_md(ref.name)} | {escape_md(b_name(p))} | {escape_md(p.b_heading or '')}" + (f"；数字：{nums}" if nums else "") + " |"
            )
    else:
        lines.append("（无：其他文件的每一条都能在参照文件中找到来源。）")
    return "\n".join(lines) + "\n"


def _multi_detail(ma: MultiAlignment, reference: Document, others: list[Document], ref_rows: list[ReferenceRow]) -> list[str]:
    """Per reference clause: its text, then each document's clause with its word and number changes."""
    names = {d.name: clause_names(d) for d in others}
    clauses = {d.name: {c.id: c for c in d.clauses} for d in others}
    ref_by_id = {c.id: c for c in reference.clauses}
    out = ["", "## 逐条详情", "", "~~删去的文字~~ → **新写入的文字**；相关＝同一措施、文字不同（~为主题相似度）。"]
    for row in ref_rows:
        out += ["", f"### {_side(row.label, row.heading)}", ""]
        c = ref_by_id.get(row.id)
        if c is not None:
            out += [_quote(c.policy_text), ""]
        for ref, ps in zip(ma.others, row.pairs, strict=True):
            for p in ps:
                if p.relation == "dropped":
                    nums = _numbers(p.numeric_changes)
                    out.append(f"- {escape_md(ref.name)}：删除" + (f"；数字：{nums}" if nums else ""))
                    continue
                bc = clauses.get(p.b_doc, {}).get(p.b_id or "")
                name = names.get(p.b_doc, {}).get(p.b_id or "", p.b_label or "")
                score = f"~{p.topic_score:.2f}" if p.topic_score is not None else f"{p.similarity:.2f}"
                out.append(f"- {escape_md(ref.name)} {escape_md(name)}（{_rel(p)}，{score}）")
                if bc is not None and p.relation != "identical":
                    out.append("  " + _quote(bc.policy_text))
                words = word_changes(p.diff) if p.relation in ("modified", "identical") else []
                if words:
                    out.append("  - 词语：" + "；".join(words))
                nums = _numbers(p.numeric_changes)
                if nums:
                    out.append("  - 数字：" + nums)


    return out
