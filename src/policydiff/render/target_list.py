"""The outputs of `targets`: one row per target, or with `--compare` one row per measure (table, JSON, CSV)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from policydiff.text.numbers import plain_number

if TYPE_CHECKING:
    from rich.table import Table

    from policydiff.schema import Document

TARGET_COLUMNS = ["doc", "clause", "label", "subject", "comparator", "value", "low", "high", "unit", "year", "kind", "raw"]

Header = list[str]
Rows = list[list[Any]]


def target_records(docs: list[Document]) -> list[dict[str, object]]:
    """Every target of the documents (clauses, section bodies, preamble), one record each."""
    rows: list[dict[str, object]] = []
    for doc in docs:
        labels = {c.id: c.label for c in doc.clauses}
        for t in doc.all_targets():
            rows.append(
                {
                    "doc": doc.name, "clause": t.clause, "label": labels.get(t.clause or "", ""), "subject": t.subject,
                    "comparator": t.comparator, "value": t.value, "low": t.low, "high": t.high, "unit": t.unit,
                    "year": t.year, "kind": t.kind, "raw": t.raw,
                }
            )
    return rows


def target_rows(docs: list[Document], *, compare: bool, typed: bool) -> tuple[Header, Rows]:
    """The header and rows to show. `compare`: one row per measure and a column per document, with
    typed cells per document (`typed`, for CSV and JSON) or display strings (≥70% (2025))."""
    rows = target_records(docs)
    if not compare:
        return TARGET_COLUMNS, [[r[c] for c in TARGET_COLUMNS] for r in rows]
    # why: the measure grouping loads rapidfuzz; plain listings do not need it
    from policydiff.render.targets import compare_rows, typed_compare_rows

    header, table_rows = typed_compare_rows(docs, rows) if typed else compare_rows(docs, rows)
    return [str(h) for h in header], [list(r) for r in table_rows]


def _cell(v: object) -> object:
    return "" if v is None else plain_number(v) if isinstance(v, float) else v


def targets_json(docs: list[Document], compare: bool = False) -> str:
    header, rows = target_rows(docs, compare=compare, typed=True)
    return json.dumps([dict(zip(header, r, strict=True)) for r in rows], ensure_ascii=False, indent=2) + "\n"


def targets_csv(docs: list[Document], compare: bool = False) -> str:
    header, rows = target_rows(docs, compare=compare, typed=True)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows([_cell(v) for v in r] for r in rows)
    return buf.getvalue()


def targets_table(docs: list[Document], compare: bool = False) -> Table:
    # why: rich is loaded only for the terminal table
    from rich.table import Table

    header, rows = target_rows(docs, compare=compare, typed=False)
    t = Table(show_lines=False)
    for h in header:
        t.add_column(str(h), overflow="fold")
    for r in rows:
        t.add_row(*(str(_cell(v)) for v in r))
    return t


TARGET_RENDERERS: dict[str, Callable[[list[Document], bool], Any]] = {
    "table": targets_table,
    "json": targets_json,
    "csv": targets_csv,
}
