"""Write the flat tables of `render.tables` to CSV, XLSX, Parquet or JSON Lines.

Exports are atomic: each writer fills a temporary file next to the output and
only a finished file is moved into place, so an interrupted export never
leaves a half-written file under the requested name.
"""

from __future__ import annotations

import csv
import json
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Literal, get_args

from policydiff._atomic import atomic_output
from policydiff.errors import OutputExistsError, PolicydiffError, UsageError
from policydiff.render.tables import COLUMNS, TYPES, Row, rows_for
from policydiff.schema import Document

Format = Literal["csv", "xlsx", "parquet", "jsonl"]
FORMATS: tuple[str, ...] = get_args(Format)
TABLES: tuple[str, ...] = tuple(COLUMNS)

# Excel's hard limit per cell; longer text makes Excel report the file as damaged.
XLSX_MAX_CELL = 32767
XLSX_MAX_WIDTH = 60

Writer = Callable[[list[Document], str, Path], None]


def write_export(
    docs: Iterable[Document],
    fmt: Format,
    out: str | Path,
    *,
    table: str = "clauses",
    force: bool = False,
) -> Path:
    """Write `table` of `docs` to `out` in format `fmt` and return the path written.

    For XLSX and `table="clauses"` the workbook also holds the targets,
    citations and units sheets. Raises `OutputExistsError` if `out` exists and
    `force` is false; the existing file is then left untouched.
    """
    out = Path(out)
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    if table not in TABLES:
        raise UsageError(f"unknown table {table!r}; choose one of: {', '.join(TABLES)}")
    if out.is_dir():
        raise OutputExistsError(f"{out} is a folder; give a file name with --out")
    if out.exists() and not force:
        raise OutputExistsError(f"{out} exists; pass --force to overwrite it or choose another --out")
    if not out.parent.is_dir():
        raise PolicydiffError(f"{out.parent}: no such folder; create it or choose another --out")

    docs = list(docs)  # XLSX reads them once per sheet
    writer = _WRITERS[fmt]
    try:
        with atomic_output(out) as tmp:
            writer(docs, table, tmp)
    except OSError as e:
        raise PolicydiffError(f"cannot write {out}: {e.strerror or e}") from e
    return out


# --- CSV ---------------------------------------------------------------------


def _write_csv(docs: list[Document], table: str, path: Path) -> None:
    rows = rows_for(table, docs)
    # The BOM is what makes Excel read the file as UTF-8 instead of the ANSI code page.
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS[table])
        w.writeheader()
        w.writerows(rows)


# --- JSON Lines --------------------------------------------------------------


def _write_jsonl(docs: list[Document], table: str, path: Path) -> None:
    rows = rows_for(table, docs)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False))
            f.write("\n")


# --- Parquet -----------------------------------------------------------------


def _write_parquet(docs: list[Document], table: str, path: Path) -> None:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise PolicydiffError("pyarrow is not installed: pip install 'policydiff[parquet]'") from None
    types = {"string": pa.string(), "int64": pa.int64(), "float64": pa.float64(), "bool": pa.bool_()}
    # An explicit schema keeps an all-None column typed and ints from turning into floats.
    schema = pa.schema([pa.field(col, types[TYPES[table][col]], nullable=True) for col in COLUMNS[table]])
    pq.write_table(pa.Table.from_pylist(rows_for(table, docs), schema=schema), str(path))


# --- XLSX --------------------------------------------------------------------


def _write_xlsx(docs: list[Document], table: str, path: Path) -> None:
    try:
        from openpyxl import Workbook
    except ImportError:
        raise PolicydiffError("openpyxl is not installed: pip install 'policydiff[xlsx]'") from None
    wb = Workbook()
    wb.remove(wb.active)
    # The clauses workbook carries every table so analysts get one file.
    for name in TABLES if table == "clauses" else (table,):
        _fill_sheet(wb.create_sheet(name), COLUMNS[name], rows_for(name, docs))
    wb.save(str(path))


def _fill_sheet(ws: Any, columns: list[str], rows: list[Row]) -> None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    widths = [_display_width(c) for c in columns]
    for j, name in enumerate(columns, start=1):
        ws.cell(row=1, column=j, value=name).font = bold
    for i, row in enumerate(rows, start=2):
        for j, name in enumerate(columns, start=1):
            value = row[name]
            if value is None:
                continue  # leave the cell empty
            if not isinstance(value, str):
                ws.cell(row=i, column=j, value=value)  # numbers and bools stay typed
                widths[j - 1] = max(widths[j - 1], len(str(value)))
                continue
            # Control characters are invalid XML and openpyxl raises on them: drop them.
            value = ILLEGAL_CHARACTERS_RE.sub("", value)[:XLSX_MAX_CELL]
            cell = ws.cell(row=i, column=j, value=value)
            if value.startswith("="):
                cell.data_type = "s"  # text, not a formula openpyxl would write
            widths[j - 1] = max(widths[j - 1], _display_width(value))
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = min(w + 2, XLSX_MAX_WIDTH)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"


def _display_width(text: str) -> int:
    # Only the first line and the first XLSX_MAX_WIDTH chars can matter for a capped width.
    line = text.partition("\n")[0][:XLSX_MAX_WIDTH]
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


_WRITERS: dict[str, Writer] = {
    "csv": _write_csv,
    "xlsx": _write_xlsx,
    "parquet": _write_parquet,
    "jsonl": _write_jsonl,
}

__all__ = ["FORMATS", "TABLES", "Format", "write_export"]
