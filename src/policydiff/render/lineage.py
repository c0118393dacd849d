"""Lineage outputs: rows (JSON/CSV), a terminal table, GraphML and a self-contained HTML graph."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

if TYPE_CHECKING:
    from policydiff.schema import Edge

_Q = {chr(34): "&quot;"}
# How each relation is drawn: colour, dash pattern, width.
_STYLE = {
    "implements": ("#c0392b", "", 1.8),
    "revises": ("#2c6fbb", "6 3", 1.8),
    "sibling": ("#999", "2 3", 1.0),
    "cites": ("#bbb", "1 3", 0.8),
}


_ARROW = (
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto">'
    '<path d="M0,0 L10,5 L0,10 z" fill="#c0392b"/></marker></defs>'
)


def lineage_rows(edges: list[Edge]) -> list[dict[str, Any]]:
    return [asdict(e) for e in edges]


def report_name(parent: str, child: str) -> str:
    """File name of an edge's compare report (document ids may be paths: / becomes ~)."""
    return f"{parent.replace('/', '~')}__{child.replace('/', '~')}.html"


def lineage_table(edges: list[Edge], issues: list[dict[str, str]] | None = None) -> Any:
    """A rich Table: one row per relation, with its evidence."""
    # rich loads only for terminal output: CSV and JSON runs never import it
    from rich.table import Table

    n_parents = len({e.child for e in edges if e.relation in ("implements", "revises")})
    caption = f"{n_parents} documents with a parent (implements or revises); the others are roots"
    if issues:
        caption += f"; {len(issues)} pairs could not be compared"
    t = Table(caption=caption)
    for col in (
        "child",
        "relation",
        "parent",
        "citation",
        "reuse child←parent",
        "parent→child",
        "clauses",
        "parent dated",
        "direction",
        "score",
    ):
        t.add_column(col, overflow="fold", no_wrap=col not in ("child", "parent", "citation"))
    for e in edges:
        parent_like = e.relation in ("implements", "revises")
        t.add_row(
            e.child,
            e.relation,
            e.parent,
            e.citation or "",
            f"{e.reuse_share:.2f}" if parent_like else "",
            f"{e.parent_share:.2f}" if parent_like else "",
            str(e.inherited_clauses) if parent_like else "",
            e.date_order,
            e.direction,
            f"{e.score:.2f}",
        )
    return t


def lineage_graphml(edges: list[Edge], docs: list[str] | None = None) -> str:
    """GraphML: one node per document (all of `docs`, plus any edge end), parent → child edges with their relation."""
    nodes = sorted(set(docs or []) | {e.child for e in edges} | {e.parent for e in edges})
    keys = [
        ("relation", "relation", "string"),
        ("citation", "citation", "string"),
        ("decided_by", "decided_by", "string"),
        ("reuse", "reuse_share", "double"),
        ("parent_share", "parent_share", "double"),
        ("inherited", "inherited_clauses", "int"),
        ("date_order", "date_order", "string"),
        ("direction", "direction", "string"),
        ("score", "score", "double"),
    ]
    out = ['<?xml version="1.0" encoding="UTF-8"?>', '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">']
    out += [f'  <key id="{k}" for="edge" attr.name="{name}" attr.type="{typ}"/>' for k, name, typ in keys]
    out.append('  <graph id="lineage" edgedefault="directed">')
    out += [f'    <node id="{escape(n, _Q)}"/>' for n in nodes]
    for i, e in enumerate(edges):
        out.append(f'    <edge id="e{i}" source="{escape(e.parent, _Q)}" target="{escape(e.child, _Q)}">')
        values = {
            "relation": e.relation,
            "citation": e.citation or "",
            "decided_by": e.decided_by,
            "reuse": e.reuse_share,
            "parent_share": e.parent_share,
            "inherited": e.inherited_clauses,
            "date_order": e.date_order,
            "direction": e.direction,
            "score": e.score,
        }
        out += [f'      <data key="{k}">{escape(str(values[k]))}</data>' for k, _, _ in keys]
        out.append("    </edge>")
    out += ["  </graph>", "</graphml>", ""]
    return "\n".join(out)


def lineage_html(edges: list[Edge], docs: list[str] | None = None, reports: str | None = None, works: dict[str, str] | None = None) -> str:
    """Self-contained HTML page with an inline SVG forest, one column per generation.

    The versions of a work (`works`: document → work key) share one box, oldest on top, joined by
    dashed blue revises edges; implements edges are solid red arrows between boxes, siblings and
    plain citations light dotted lines. With `reports` (a folder or URL prefix holding
    write_reports() output), each implements/revises edge links to its compare report."""
    nodes = sorted(set(docs or []) | {e.child for e in edges} | {e.parent for e in edges})
    works = works or {}
    group_of = {n: works.get(n) or n for n in nodes}
    members: dict[str, list[str]] = {}
    for n in nodes:
        members.setdefault(group_of[n], []).append(n)
    revised_from = {e.child: e.parent for e in edges if e.relation == "revises"}
    for ms in members.values():  # oldest version first: follow the revises chain
        ms.sort(key=lambda n: (_chain_depth(n, revised_from), n))
    # Generations of boxes along implements edges.
    up = {group_of[e.child]: group_of[e.parent] for e in edges if e.relation == "implements" and group_of[e.child] != group_of[e.parent]}

    def depth(g: str) -> int:
        d, seen = 0, set()
        while g in up and g not in seen:
            seen.add(g)
            g, d = up[g], d + 1
        return d

    kids: dict[str, list[str]] = {}
    for c, p in up.items():
        kids.setdefault(p, []).append(c)
    order: list[str] = []
    placed: set[str] = set()

    def walk(g: str) -> None:
        if g in placed:
            return
        placed.add(g)
        order.append(g)
        for k in sorted(kids.get(g, [])):
            walk(k)

    for g in sorted(members):
        if g not in up or depth(g) == 0:
            walk(g)
    for g in sorted(members):
        walk(g)  # groups on a cycle
    row_h, box_w, col_w = 22, 200, 260
    pos: dict[str, tuple[int, int]] = {}
    y = 20
    boxes = []
    for g in order:
        x = 20 + col_w * depth(g)
        ms = members[g]
        if len(ms) > 1:
            boxes.append(
                f'<g><title>{escape(g)}: {len(ms)} versions</title><rect x="{x - 6}" y="{y - 4}" width="{box_w + 12}" '
                f'height="{row_h * len(ms) + 8}" rx="6" fill="#f4f8fd" stroke="#2c6fbb" stroke-dasharray="4 2"/></g>'
            )
        for n in ms:
            pos[n] = (x, y + row_h // 2)
            y += row_h
        y += 14
    width = 60 + col_w * (1 + max((depth(g) for g in members), default=0))
    height = y + 20
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
        _ARROW,
    ]
    parts += boxes
    for e in sorted(edges, key=lambda e: ("cites", "sibling", "revises", "implements").index(e.relation)):
        colour, dash, w = _STYLE.get(e.relation, _STYLE["cites"])
        (x1, y1), (x2, y2) = pos[e.parent], pos[e.child]
        if e.relation == "revises" and x1 == x2:  # inside a versions box: a bracket on its left side
            shape = f'<path d="M{x1 - 2},{y1} C{x1 - 16},{y1} {x2 - 16},{y2} {x2 - 2},{y2}" fill="none"'
        else:
            shape = f'<line x1="{x1 + box_w}" y1="{y1}" x2="{x2}" y2="{y2}"'
        marker = ' marker-end="url(#arrow)"' if e.relation == "implements" else ""
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        tip = f"{e.parent} → {e.child}: {e.relation} ({e.decided_by}), parent dated {e.date_order}, direction from {e.direction}"
        if e.citation:
            tip += f", cited as {e.citation}"
        if e.relation in ("implements", "revises"):
            tip += f"; reuse {e.reuse_share:.2f} of the child, {e.parent_share:.2f} of the parent's clauses, {e.inherited_clauses} inherited clauses"
        edge = f'<g><title>{escape(tip)}</title>{shape} stroke="{colour}" stroke-width="{w}"{dash_attr}{marker}/></g>'
        if reports is not None and e.relation in ("implements", "revises"):
            name = report_name(e.parent, e.child)
            href = reports.rstrip("/") + "/" + name if reports else name
            edge = f'<a href="{escape(href, _Q)}">{edge}</a>'
        parts.append(edge)
    for n, (x, yy) in pos.items():
        parts.append(
            f'<g><title>{escape(n)}</title><rect x="{x}" y="{yy - 9}" width="{box_w}" height="18" rx="4" fill="#eef" stroke="#88a"/>'
        )
        parts.append(f'<text x="{x + 5}" y="{yy + 4}">{escape(n[-26:])}</text></g>')
    parts.append("</svg>")
    legend = (
        "<p>Solid red arrows: implements (parent → child); dashed blue: revises (versions of one work, boxed together); "
        "dotted grey: siblings and plain citations. Hover an edge for its evidence"
        + ("; click an implements or revises edge for its compare report" if reports is not None else "")
        + ".</p>\n"
    )
    return (
        '<!DOCTYPE html>\n<html lang="zh"><head><meta charset="utf-8"><title>policydiff lineage</title></head><body>\n'
        + legend
        + "\n".join(parts)
        + "\n</body></html>\n"
    )


def _chain_depth(n: str, revised_from: dict[str, str]) -> int:
    d, seen = 0, set()
    while n in revised_from and n not in seen:
        seen.add(n)
        n, d = revised_from[n], d + 1
    return d


@dataclass
class LineageView:
    """What the lineage outputs draw from. `names` and `works` are read from the index only by the
    outputs that need them (all documents as graph nodes; a work's versions boxed together)."""

    edges: list[Edge]
    issues: list[dict[str, str]] = field(default_factory=list)
    names: Callable[[], list[str]] = list
    works: Callable[[], dict[str, str]] = dict
    reports: str | None = None  # folder of per-edge compare reports the HTML links to


def lineage_json(view: LineageView) -> str:
    return json.dumps(lineage_rows(view.edges), ensure_ascii=False, indent=2) + "\n"


def lineage_csv(view: LineageView) -> str:
    rows = lineage_rows(view.edges)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]) if rows else ["child", "parent", "relation"], lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


LINEAGE_RENDERERS: dict[str, Callable[[LineageView], Any]] = {
    "table": lambda v: lineage_table(v.edges, v.issues),
    "json": lineage_json,
    "csv": lineage_csv,
    "graphml": lambda v: lineage_graphml(v.edges, v.names()),
    "html": lambda v: lineage_html(v.edges, v.names(), reports=v.reports, works=v.works()),
}
