"""Rich renderables for the terminal."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from policydiff.schema import Clause, Document, ResponsibleUnit, Section, Target


def parse_summary(docs: list[Document]) -> Table:

    table = Table(title="parsed", show_lines=False)
    for col in ("document", "title", "number", "date", "sections", "clauses", "targets", "warnings"):
        table.add_column(col, overflow="fold")
    for d in docs:
        m = d.metadata
        day = m.issue_date or m.print_date
        n_targets = len(d.all_targets())  # as `policydiff targets` lists them
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


# Marks around targets and responsible units when the output has no colour (piped, NO_COLOR).
TARGET_MARKS = ("[", "]")
UNIT_MARKS = ("{", "}")
TARGET_STYLE = "bold cyan"
UNIT_STYLE = "magenta"

Mark = tuple[int, int, str]  # start, end (in the paragraph), kind: "target" | "unit"


def _target_marks(text: str, base: int | None, targets: list[Target]) -> list[Mark]:
    """Where the targets are in `text`: by their offsets when `text` starts at `base` of the
    document text, else by their raw span, searched in order."""
    out: list[Mark] = []
    pos = 0
    for t in sorted(targets, key=lambda t: t.start):
        if base is not None and base <= t.start and t.end <= base + len(text) and text[t.start - base : t.end - base] == t.raw:
            out.append((t.start - base, t.end - base, "target"))
            continue
        i = text.find(t.raw, pos) if t.raw else -1
        if i >= 0:
            out.append((i, i + len(t.raw), "target"))
            pos = i + len(t.raw)
    return out


def _unit_marks(text: str, notes: list[str], units: list[ResponsibleUnit]) -> tuple[list[Mark], list[ResponsibleUnit]]:
    """Responsible units inside the unit notes of `text`, and the units not written there (from a task table)."""
    out: list[Mark] = []
    found: set[int] = set()
    for note in notes:
        at = text.find(note)
        if at < 0:
            continue
        for k, u in enumerate(units):
            i = note.find(u.raw) if u.raw else -1
            if i >= 0:
                out.append((at + i, at + i + len(u.raw), "unit"))
                found.add(k)
    return out, [u for k, u in enumerate(units) if k not in found]


def marked_text(text: str, marks: list[Mark], markers: bool = False, bold_until: int = 0) -> Text:
    """`text` with targets and units styled, or bracketed when `markers` (no colour)."""
    out = Text()
    pos = 0

    def plain(upto: int) -> None:
        nonlocal pos
        if upto <= pos:
            return
        if pos < bold_until:
            cut = min(bold_until, upto)
            out.append(text[pos:cut], style="bold")
            pos = cut
        out.append(text[pos:upto])
        pos = upto

    for start, end, kind in sorted(marks):
        if start < pos:  # overlaps an earlier mark
            continue
        plain(start)
        left, right = TARGET_MARKS if kind == "target" else UNIT_MARKS
        piece = text[start:end]
        style = TARGET_STYLE if kind == "target" else UNIT_STYLE
        out.append(f"{left}{piece}{right}" if markers else piece, style=style)
        pos = end
    plain(len(text))
    return out


def _find(doc: Document, text: str, start: int) -> int | None:
    i = doc.text.find(text, start) if text else -1
    return i if i >= 0 else None


def _clause_line(doc: Document, c: Clause, markers: bool = False) -> Text:
    marks = _target_marks(c.text, _find(doc, c.text, c.span.start), c.targets)
    unit_marks, elsewhere = _unit_marks(c.text, c.unit_notes, c.responsible_units)
    lead = len(c.heading) if c.text.startswith(c.heading) else 0
    line = Text()
    line.append(f"{c.label}.", style="bold")
    line.append_text(marked_text(c.text, marks + unit_marks, markers, bold_until=lead))
    if elsewhere:
        names = "、".join(u.name + ("(牵头)" if u.role == "lead" else "") for u in elsewhere)
        line.append("  责任: ", style=UNIT_STYLE)
        line.append(f"{UNIT_MARKS[0]}{names}{UNIT_MARKS[1]}" if markers else names, style=UNIT_STYLE)
    return line


def document_tree(doc: Document, markers: bool = False) -> Tree:
    """Sections with their text and ordinal items, clauses with targets and units marked in
    the text, attachments and warnings. `markers`: bracket targets [20个] and units {市教体局}
    for output without colour."""
    m = doc.metadata
    head = Text(m.title or doc.name, style="bold")
    if m.doc_number:
        head.append(f"  {m.doc_number.normalized}", style="green")
    tree = Tree(head)

    def add(node: Tree, sections: list[Section]) -> None:
        for s in sections:
            child = node.add(Text(s.title or "(no heading)", style="bold blue"))
            for para in [*s.body, *s.items]:
                child.add(marked_text(para, _target_marks(para, _find(doc, para, s.span.start), s.targets), markers))
            for c in s.clauses:
                child.add(_clause_line(doc, c, markers))
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
