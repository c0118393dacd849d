"""Alignment output for the terminal and as CSV."""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # rich is imported inside the terminal renderers: csv/json output does not load it.
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

from policydiff.render.common import change_places, clause_names, place_names
from policydiff.schema import Alignment, ClausePair, Document, MultiAlignment, NumericChange

CSV_COLUMNS = [
    "a_doc", "a_id", "a_label", "a_heading", "b_doc", "b_id", "b_label", "b_heading",
    "relation", "moved", "similarity", "reused_share", "numeric_changes", "topic_score",
]
RELATION_STYLE = {
    "identical": "green", "modified": "yellow", "merged": "cyan", "split": "cyan",
    "partial": "blue", "added": "magenta", "dropped": "red", "related": "bright_blue",
}
# CSV rows of numeric changes outside clauses (preamble, section text, closing): not clause pairs,
# so their labels stay empty and a_id/b_id say where the targets are.
OUTSIDE_RELATION = "outside-clauses"


def _numeric_text(p: ClausePair) -> str:
    return "; ".join(_change_text(n) for n in p.numeric_changes if n.change != "same")


def _change_text(n: NumericChange) -> str:
    """The change with its subject when that is not obvious from the row (targets outside clauses)."""
    return f"{n.subject} {n.text}" if n.subject else n.text


def outside_changes(al: Alignment) -> list[NumericChange]:
    """Numeric changes of targets outside clauses, unchanged ones included."""
    return [n for n in al.numeric_changes if n.outside]


def pair_row(p: ClausePair) -> dict[str, str]:
    return {
        "a_doc": p.a_doc, "a_id": p.a_id or "", "a_label": p.a_label or "", "a_heading": p.a_heading or "",
        "b_doc": p.b_doc, "b_id": p.b_id or "", "b_label": p.b_label or "", "b_heading": p.b_heading or "",
        "relation": p.relation, "moved": "true" if p.moved else "false",
        "similarity": f"{p.similarity:.3f}", "reused_share": f"{p.reused_share:.3f}",
        "numeric_changes": _numeric_text(p),
        "topic_score": f"{p.topic_score:.3f}" if p.topic_score is not None else "",
    }


def outside_row(al: Alignment, n: NumericChange) -> dict[str, str]:
    return {
        "a_doc": al.a.name, "a_id": n.old.clause or "" if n.old else "", "a_label": "", "a_heading": "",
        "b_doc": al.b.name, "b_id": n.new.clause or "" if n.new else "", "b_label": "", "b_heading": "",
        "relation": OUTSIDE_RELATION, "moved": "false", "similarity": "", "reused_share": "",
        "numeric_changes": _change_text(n), "topic_score": "",
    }


def alignment_csv(alignments: list[Alignment]) -> str:
    """One row per clause pair, then one per numeric change outside clauses (relation `outside-clauses`)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for al in alignments:
        for p in al.pairs:
            writer.writerow(pair_row(p))
        for n in outside_changes(al):
            if n.change != "same":
                writer.writerow(outside_row(al, n))
    return buf.getvalue()


def alignment_json(obj: Alignment | MultiAlignment) -> str:
    return json.dumps(obj.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def summary(al: Alignment) -> Table:
    # rich loads only for terminal output: CSV and JSON runs never import it
    from rich.table import Table

    t = Table(title="policydiff compare", show_header=True)
    t.add_column("", style="bold")
    t.add_column("reference (A)", overflow="fold")
    t.add_column("compared (B)", overflow="fold")
    for label, fa, fb in (
        ("document", al.a.name, al.b.name),
        ("title", al.a.title or "—", al.b.title or "—"),
        ("number", al.a.doc_number or "—", al.b.doc_number or "—"),
        ("date", str(al.a.date or "—"), str(al.b.date or "—")),
        ("clauses", str(al.a.clauses), str(al.b.clauses)),
    ):
        t.add_row(label, fa, fb)
    f = al.figures
    t.add_row(
        "figures",
        f"kept {f.kept} · modified {f.modified} · merged {f.merged} · split {f.split} · dropped {f.dropped}",
        f"reused {f.reuse_share:.0%} of text · added {f.added} · moved {f.moved}",
    )
    return t


def pairs_table(al: Alignment, detail: bool = False, markers: bool = False, docs: list[Document] | None = None) -> Table:
    """The aligned clause table; with the documents, clause labels are section-qualified where
    the numbering restarts per section (（五）1)."""
    # rich loads only for terminal output: CSV and JSON runs never import it
    from rich.table import Table
    from rich.text import Text

    names = _clause_names(docs)
    t = Table(show_lines=detail)
    for col in ("A", "A heading", "B", "B heading", "relation", "sim", "reused", "numbers"):
        t.add_column(col, overflow="fold")
    for p in al.pairs:
        rel = Text(p.relation + (" +moved" if p.moved else ""), style=RELATION_STYLE.get(p.relation, ""))
        b_cell: Text | str = p.b_heading or ""
        if detail and p.diff:
            b_cell = diff_text(p, markers)
        t.add_row(
            _name(names, p.a_doc, p.a_id, p.a_label) or "", p.a_heading or "", _name(names, p.b_doc, p.b_id, p.b_label) or "", b_cell, rel,
            (f"~{p.topic_score:.2f}" if p.topic_score is not None else f"{p.similarity:.2f}") if p.a_id and p.b_id else "",
            f"{p.reused_share:.0%}" if p.a_id and p.b_id else "",
            _numeric_text(p),
        )
    return t


# Word diffs shown without colour (piped, NO_COLOR, --out): wdiff's markers.
DELETE_MARKS = ("[-", "-]")
INSERT_MARKS = ("{+", "+}")


def diff_text(p: ClausePair, markers: bool = False) -> Text:
    """The child text with deletions struck in red and insertions underlined in green;
    with `markers`, deletions read [-old-] and insertions {+new+} (for output without colour)."""
    # rich loads only for terminal output: CSV and JSON runs never import it
    from rich.text import Text

    out = Text()

    def delete(text: str) -> None:
        if markers:
            out.append(DELETE_MARKS[0] + text + DELETE_MARKS[1], style="red")
        else:
            out.append(text, style="red strike")

    def insert(text: str) -> None:
        if markers:
            out.append(INSERT_MARKS[0] + text + INSERT_MARKS[1], style="green")
        else:
            out.append(text, style="green underline")

    for op in p.diff:
        if op.op == "equal":
            out.append(op.b)
        elif op.op == "delete":
            delete(op.a)
        elif op.op == "insert":
            insert(op.b)
        else:
            delete(op.a)
            insert(op.b)
    return out


def alignment_terminal(al: Alignment, detail: bool = False, markers: bool = False, docs: list[Document] | None = None) -> Group:
    # rich loads only for terminal output: CSV and JSON runs never import it
    from rich.console import Group
    from rich.text import Text

    parts: list[Table | Text] = [summary(al)]
    evidence = [d for d in al.direction if not d.startswith("warning")]
    if evidence:
        parts.append(Text("direction: " + "; ".join(evidence), style="dim"))
    for d in al.direction:
        if d.startswith("warning"):
            parts.append(Text(d, style="bold yellow"))
    parts.append(pairs_table(al, detail, markers, docs))
    outside = [n for n in outside_changes(al) if n.change != "same"]
    if outside:
        parts.append(outside_table(al, outside, docs))
    if al.figures.related:
        parts.append(Text("related: the same measure in other words (no shared text); its sim column is the topical score, marked ~", style="dim"))
    return Group(*parts)


def outside_table(al: Alignment, changes: list[NumericChange], docs: list[Document] | None = None) -> Table:
    """Numeric changes of the targets outside clauses: the headline goals of a preamble."""
    # rich loads only for terminal output: CSV and JSON runs never import it
    from rich.table import Table

    names = {d.name: place_names(d) for d in docs or []}
    t = Table(title="numbers outside clauses (preamble, section text, closing)", show_lines=False)
    for col in ("A", "B", "subject", "change"):
        t.add_column(col, overflow="fold")
    for n in changes:
        old, new = change_places(n, names.get(al.a.name, {}), names.get(al.b.name, {}))
        t.add_row(old, new, n.subject, n.text)
    return t


def multi_terminal(ma: MultiAlignment, docs: list[Document] | None = None, detail: bool = False, markers: bool = False) -> Table:
    """One row per reference clause, a column per other document.

    With the documents, clauses are named as in the reports: qualified by their section
    (（五）1) in a document whose numbering restarts in every section. With `detail`, each cell
    also shows the pair's numeric changes and the child text with its word changes marked."""
    # rich loads only for terminal output: CSV and JSON runs never import it
    from rich.table import Table
    from rich.text import Text

    t = Table(title=f"{ma.reference.name} against {len(ma.others)} documents", show_lines=detail)
    t.add_column(ma.reference.name, overflow="fold")
    for o in ma.others:
        t.add_column(o.name, overflow="fold")
    if not detail:
        for row in multi_rows(ma, docs):
            t.add_row(*row)
        return t
    names = _clause_names(docs)
    rows: dict[str, list[Text]] = {}
    extra: list[list[Text]] = []
    n = len(ma.alignments)
    for k, al in enumerate(ma.alignments):
        for p in al.pairs:
            cell = Text()
            if p.relation == "dropped":
                cell.append("—")
            else:
                cell.append(f"{_name(names, p.b_doc, p.b_id, p.b_label)} {p.relation}" + (" moved" if p.moved else ""))
            nums = _numeric_text(p)
            if nums:
                cell.append("\n" + nums, style="yellow")
            if p.diff and p.relation not in ("identical", "dropped"):
                cell.append("\n")
                cell.append_text(diff_text(p, markers))
            if p.a_id is None:
                only = [Text() for _ in range(n + 1)]
                only[k + 1] = cell
                extra.append(only)
                continue
            if p.a_id not in rows:
                rows[p.a_id] = [Text(f"{_name(names, p.a_doc, p.a_id, p.a_label)} {p.a_heading or ''}")] + [Text() for _ in range(n)]
            target = rows[p.a_id][k + 1]
            if target.plain:
                target.append("\n")
            target.append_text(cell)
    for cells in [*rows.values(), *extra]:
        t.add_row(*cells)
    return t


def _clause_names(docs: list[Document] | None) -> dict[str, dict[str, str]]:
    """Document name → clause id → the label a reader can find (as in the reports)."""
    if not docs:
        return {}
    return {d.name: clause_names(d) for d in docs}


def _name(names: dict[str, dict[str, str]], doc: str, cid: str | None, label: str | None) -> str | None:
    return names.get(doc, {}).get(cid or "", label)


def multi_rows(ma: MultiAlignment, docs: list[Document] | None = None) -> list[list[str]]:
    names = _clause_names(docs)

    def a_name(p: ClausePair) -> str | None:
        return _name(names, p.a_doc, p.a_id, p.a_label)

    def b_name(p: ClausePair) -> str | None:
        return _name(names, p.b_doc, p.b_id, p.b_label)

    ref_rows: dict[str, list[str]] = {}
    order: list[str] = []
    extra: list[list[str]] = []
    n = len(ma.alignments)
    for k, al in enumerate(ma.alignments):
        for p in al.pairs:
            if p.a_id is None:
                row = [""] * (n + 1)
                row[k + 1] = f"{b_name(p)} {p.b_heading or ''} (added)"
                extra.append(row)
                continue
            if p.a_id not in ref_rows:
                ref_rows[p.a_id] = [f"{a_name(p)} {p.a_heading or ''}"] + [""] * n
                order.append(p.a_id)
            cell = "—" if p.relation == "dropped" else f"{b_name(p)} {p.relation}" + (" moved" if p.moved else "")
            prev = ref_rows[p.a_id][k + 1]
            ref_rows[p.a_id][k + 1] = f"{prev}; {cell}" if prev and prev != "—" else cell
    return [ref_rows[a] for a in order] + extra
