"""Rich renderables for the terminal."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from policydiff.schema import Clause, Document, Section


def parse_summary(docs: list[Document]) -> Table:
    table = Table(title="parsed", show_lines=False)
    for col in ("document", "title", "number", "date", "sections", "clauses", "targets", "warnings"):
        table.add_column(col, overflow="fold")
    for d in docs:
        m = d.metadata
        day = m.issue_date or m.print_date
        n_targets = sum(len(c.targets) for c in d.clauses)
        warnings = [i for i in d.issues if i.severity != "info"]
        table.add_row(
            d.name,
            m.plan_title or m.title or "—",
            m.doc_number.normalized if m.doc_number else "—",
            day.isoformat() if day else "—",
            str(len(d.iter_sections())),
            str(len(d.clauses)),
            str(n_targets),
            str(len(warnings)),
        )
    return table


def _clause_line(c: Clause) -> Text:
    line = Text(f"{c.label}. ", style="bold")
    line.append(c.heading)
    for t in c.targets:
        line.append(f"  [{t.raw}]", style="cyan")
    if c.responsible_units:
        line.append("  责任: " + "、".join(u.name + ("(牵头)" if u.role == "lead" else "") for u in c.responsible_units), style="magenta")
    return line


def document_tree(doc: Document) -> Tree:
    m = doc.metadata
    head = Text(m.title or doc.name, style="bold")
    if m.doc_number:
        head.append(f"  {m.doc_number.normalized}", style="green")
    tree = Tree(head)

    def add(node: Tree, sections: list[Section]) -> None:
        for s in sections:
            child = node.add(Text(s.title or "(no heading)", style="bold blue"))
            for b in s.body:
                child.add(Text(b[:60] + ("…" if len(b) > 60 else ""), style="dim"))
            for c in s.clauses:
                child.add(_clause_line(c))
            add(child, s.sections)

    add(tree, doc.sections)
    for a in doc.attachments:
        att = tree.add(Text(f"附件 {a.title}", style="bold yellow"))
        for t in a.tables:
            att.add(f"table: {' | '.join(t.header)} ({len(t.rows)} rows)")
    if doc.issues:
        warn = tree.add(Text("warnings", style="bold red"))
        for i in doc.issues:
            warn.add(Text(f"{i.code}: {i.message}" + (f" (line {i.line})" if i.line else ""), style="red" if i.severity == "error" else "yellow"))
    return tree
