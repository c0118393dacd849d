"""Flatten parsed documents into rows for spreadsheets, data frames and exports.

Every row is a dict with the keys of `COLUMNS[table]` in that order and plain
Python values only (str, int, float, bool, None), so the csv module, openpyxl,
pyarrow and json can all take the rows as they are.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Literal

from policydiff.errors import PolicydiffError, UsageError
from policydiff.schema import Citation, Document, Target

if TYPE_CHECKING:
    import pandas as pd

Row = dict[str, Any]
ColumnType = Literal["string", "int64", "float64", "bool"]

COLUMNS: dict[str, list[str]] = {
    "clauses": [
        "doc",
        "doc_number",
        "title",
        "date",
        "section_path",
        "clause_id",
        "label",
        "heading",
        "text",
        "responsible_units",
        "targets",
        "n_targets",
        "chars",
        "line",
    ],
    "targets": [
        "doc",
        "clause_id",
        "clause_label",
        "subject",
        "comparator",
        "value",
        "low",
        "high",
        "unit",
        "year",
        "kind",
        "raw",
    ],
    "citations": ["doc", "clause_id", "raw", "title", "number", "nonstandard", "resolved_to"],
    "units": ["doc", "clause_id", "clause_label", "name", "role", "raw"],
}

# Column types for the Parquet schema; anything not listed is a string.
_NON_STRING: dict[str, dict[str, ColumnType]] = {
    "clauses": {"n_targets": "int64", "chars": "int64", "line": "int64"},
    "targets": {"value": "float64", "low": "float64", "high": "float64", "year": "int64"},
    "citations": {"nonstandard": "bool"},
    "units": {},
}
TYPES: dict[str, dict[str, ColumnType]] = {
    table: {col: _NON_STRING[table].get(col, "string") for col in cols} for table, cols in COLUMNS.items()
}


def _float(x: float | None) -> float | None:
    # pydantic may keep an int in a float field; Parquet and XLSX want one type per column.
    return None if x is None else float(x)


def _doc_date(doc: Document) -> str | None:
    d = doc.metadata.issue_date or doc.metadata.print_date
    return d.isoformat() if d else None


def clause_rows(docs: Iterable[Document]) -> list[Row]:
    """One row per clause, in document order."""
    rows: list[Row] = []
    for doc in docs:
        number = doc.metadata.doc_number.normalized if doc.metadata.doc_number else None
        date = _doc_date(doc)
        for c in doc.clauses:
            rows.append(
                {
                    "doc": doc.name,
                    "doc_number": number,
                    "title": doc.metadata.title,
                    "date": date,
                    "section_path": " > ".join(c.path),
                    "clause_id": c.id,
                    "label": c.label,
                    "heading": c.heading,
                    "text": c.text,
                    "responsible_units": "、".join(u.name for u in c.responsible_units),
                    "targets": json.dumps([t.model_dump(mode="json") for t in c.targets], ensure_ascii=False),
                    "n_targets": len(c.targets),
                    "chars": len(c.policy_text),
                    "line": c.span.line,
                }
            )
    return rows


def _target_row(doc: Document, clause_id: str | None, clause_label: str | None, t: Target) -> Row:
    return {
        "doc": doc.name,
        "clause_id": clause_id,
        "clause_label": clause_label,
        "subject": t.subject,
        "comparator": t.comparator,
        "value": _float(t.value),
        "low": _float(t.low),
        "high": _float(t.high),
        "unit": t.unit,
        "year": t.year,
        "kind": t.kind,
        "raw": t.raw,
    }


def target_rows(docs: Iterable[Document]) -> list[Row]:
    """One row per target: targets outside sections first (`clause_id` "preamble", "closing" or the attachment
    id), then clause targets, then targets in section bodies.

    Section-body targets (e.g. 发展目标 paragraphs) carry the section id in
    `clause_id` and the section label, if any, in `clause_label`.
    """
    rows: list[Row] = []
    for doc in docs:
        rows.extend(_target_row(doc, t.clause, None, t) for t in doc.targets)  # preamble, closing, attachments
        for c in doc.clauses:
            rows.extend(_target_row(doc, c.id, c.label, t) for t in c.targets)
        for s in doc.iter_sections():
            rows.extend(_target_row(doc, t.clause or s.id, s.label, t) for t in s.targets)
    return rows


def _citation_key(c: Citation) -> tuple[str, int, int]:
    return (c.raw, c.start, c.end)


def _citation_row(doc: Document, clause_id: str | None, c: Citation) -> Row:
    return {
        "doc": doc.name,
        "clause_id": clause_id,
        "raw": c.raw,
        "title": c.title,
        "number": c.number.normalized if c.number else None,
        "nonstandard": c.nonstandard,
        "resolved_to": c.resolved_to,
    }


def citation_rows(docs: Iterable[Document]) -> list[Row]:
    """One row per citation; `clause_id` is None for citations outside any clause.

    `Document.citations` lists every citation, clause ones included, so each
    clause citation is matched to its entry there and written once, with its
    clause id. Clause citations missing from that list are written after it.
    """
    rows: list[Row] = []
    for doc in docs:
        # Queue per key so two identical citations in different clauses keep their own ids.
        owners: dict[tuple[str, int, int], list[tuple[str, Citation]]] = {}
        for cl in doc.clauses:
            for cit in cl.citations:
                owners.setdefault(_citation_key(cit), []).append((cl.id, cit))
        for cit in doc.citations:
            queue = owners.get(_citation_key(cit))
            clause_id = queue.pop(0)[0] if queue else None
            rows.append(_citation_row(doc, clause_id, cit))
        order = {c.id: i for i, c in enumerate(doc.clauses)}
        leftovers = sorted(
            ((cid, cit) for queue in owners.values() for cid, cit in queue),
            key=lambda pair: order[pair[0]],
        )
        rows.extend(_citation_row(doc, cid, cit) for cid, cit in leftovers)
    return rows


def unit_rows(docs: Iterable[Document]) -> list[Row]:
    """One row per responsible unit named in a clause."""
    rows: list[Row] = []
    for doc in docs:
        for c in doc.clauses:
            rows.extend(
                {
                    "doc": doc.name,
                    "clause_id": c.id,
                    "clause_label": c.label,
                    "name": u.name,
                    "role": u.role,
                    "raw": u.raw,
                }
                for u in c.responsible_units
            )
    return rows


ROWS: dict[str, Callable[[Iterable[Document]], list[Row]]] = {
    "clauses": clause_rows,
    "targets": target_rows,
    "citations": citation_rows,
    "units": unit_rows,
}


def rows_for(table: str, docs: Iterable[Document]) -> list[Row]:
    """Rows of the named table (`clauses`, `targets`, `citations` or `units`)."""
    try:
        fn = ROWS[table]
    except KeyError:
        raise UsageError(f"unknown table {table!r}; choose one of: {', '.join(ROWS)}") from None
    return fn(docs)


def clause_table(docs: Iterable[Document]) -> pd.DataFrame:
    """The clause rows as a pandas DataFrame (pandas is an optional dependency)."""
    try:
        # pandas is the optional [pandas] extra
        import pandas as pd
    except ImportError:
        raise PolicydiffError("pandas is not installed: pip install 'policydiff[pandas]'") from None
    cols = COLUMNS["clauses"]
    frame = pd.DataFrame(clause_rows(docs), columns=cols)
    # Fixed dtypes, whatever the rows hold: an empty frame or an all-None column would otherwise be
    # `object`, and one document's frame would differ from its rows in a many-document frame.
    pandas_types = {"string": "string", "int64": "int64", "float64": "float64", "bool": "boolean"}
    return frame.astype({c: pandas_types[t] for c, t in TYPES["clauses"].items()})


def to_frame(doc: Document) -> pd.DataFrame:
    """One document's clause table as a pandas DataFrame: one row per clause, the columns of
    `policydiff export` (pandas is an optional extra: pip install 'policydiff[pandas]')."""
    return clause_table([doc])


__all__ = [
    "COLUMNS",
    "ROWS",
    "TYPES",
    "citation_rows",
    "clause_rows",
    "clause_table",
    "rows_for",
    "target_rows",
    "to_frame",
    "unit_rows",
]
