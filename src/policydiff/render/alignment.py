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

    from policydiff.schema import Alignment, ClausePair, MultiAlignment

CSV_COLUMNS = [
    "a_doc", "a_id", "a_label", "a_heading", "b_doc", "b_id", "b_label", "b_heading",
    "relation", "moved", "similarity", "reused_share", "numeric_changes",
]
RELATION_STYLE = {
    "identical": "green", "modified": "yellow", "merged": "cyan", "split": "cyan",
    "partial": "blue", "added": "magenta", "dropped": "red",
}


def _numeric_text(p: ClausePair) -> str:
    return "; ".join(n.text for n in p.numeric_changes if n.change != "same")


def pair_row(p: ClausePair) -> dict[str, str]:
    return {
        "a_doc": p.a_doc, "a_id": p.a_id or "", "a_label": p.a_label or "", "a_heading": p.a_heading or "",
        "b_doc": p.b_doc, "b_id": p.b_id or "", "b_label": p.b_label or "", "b_heading": p.b_heading or "",
        "relation": p.relation, "moved": "true" if p.moved else "false",
        "similarity": f"{p.similarity:.3f}", "reused_share": f"{p.reused_share:.3f}",
        "numeric_changes": _numeric_text(p),
    }


def alignment_csv(alignments: list[Alignment]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for al in alignments:
        for p in al.pairs:
            writer.writerow(pair_row(p))
    return buf.getvalue()


def alignment_json(obj: Alignment | MultiAlignment) -> str:
    return json.dumps(obj.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def summary(al: Alignment) -> Table:
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


def pairs_table(al: Alignment, detail: bool = False) -> Table:
    from rich.table import Table
    from rich.text import Text

    t = Table(show_lines=detail)
    for col in ("A", "A heading", "B", "B heading", "relation", "sim", "reused", "numbers"):
        t.add_column(col, overflow="fold")
    for p in al.pairs:
        rel = Text(p.relation + (" +moved" if p.moved else ""), style=RELATION_STYLE.get(p.relation, ""))
        b_cell: Text | str = p.b_heading or ""
        if detail and p.diff:
            b_cell = diff_text(p)
        t.add_row(
            p.a_label or "", p.a_heading or "", p.b_label or "", b_cell, rel,
            f"{p.similarity:.2f}" if p.a_id and p.b_id else "",
            f"{p.reused_share:.0%}" if p.a_id and p.b_id else "",
            _numeric_text(p),
        )
    return t


def diff_text(p: ClausePair) -> Text:
    from rich.text import Text

    out = Text()
    for op in p.diff:
        if op.op == "equal":
            out.append(op.b)
        elif op.op == "delete":
            out.append(op.a, style="red strike")
        elif op.op == "insert":
            out.append(op.b, style="green underline")
        else:
            out.append(op.a, style="red strike")
            out.append(op.b, style="green underline")
    return out


def alignment_terminal(al: Alignment, detail: bool = False) -> Group:
    from rich.console import Group
    from rich.text import Text

    parts: list[Table | Text] = [summary(al)]
    if al.direction:
        parts.append(Text("direction: " + "; ".join(al.direction), style="dim"))
    parts.append(pairs_table(al, detail))
    return Group(*parts)


def multi_terminal(ma: MultiAlignment) -> Table:
    from rich.table import Table

    """One row per reference clause, a column per other document."""
    t = Table(title=f"{ma.reference.name} against {len(ma.others)} documents", show_lines=False)
    t.add_column(ma.reference.name, overflow="fold")
    for o in ma.others:
        t.add_column(o.name, overflow="fold")
    for row in multi_rows(ma):
        t.add_row(*row)
    return t


def multi_rows(ma: MultiAlignment) -> list[list[str]]:
    ref_rows: dict[str, list[str]] = {}
    order: list[str] = []
    extra: list[list[str]] = []
    n = len(ma.alignments)
    for k, al in enumerate(ma.alignments):
        for p in al.pairs:
            if p.a_id is None:
                row = [""] * (n + 1)
                row[k + 1] = f"{p.b_label} {p.b_heading or ''} (added)"
                extra.append(row)
                continue
            if p.a_id not in ref_rows:
                ref_rows[p.a_id] = [f"{p.a_label} {p.a_heading or ''}"] + [""] * n
                order.append(p.a_id)
            cell = "—" if p.relation == "dropped" else f"{p.b_label} {p.relation}" + (" moved" if p.moved else "")
            prev = ref_rows[p.a_id][k + 1]
            ref_rows[p.a_id][k + 1] = f"{prev}; {cell}" if prev and prev != "—" else cell
    return [ref_rows[a] for a in order] + extra
