"""Write the flat tables of `render.tables` to CSV, XLSX, Parquet or JSON Lines.

Exports are atomic: each writer fills a temporary file next to the output and
only a finished file is moved into place, so an interrupted export never
leaves a half-written file under the requested name.
"""

from __future__ import annotations

import csv
import datetime
import json
import os
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Literal, get_args

from policydiff._atomic import atomic_output
from policydiff.errors import OutputPathError, OverwriteRefusedError, PolicydiffError, UsageError
from policydiff.render.tables import COLUMNS, TYPES, Row, rows_for
from policydiff.schema import Document

Format = Literal["csv", "xlsx", "parquet", "jsonl"]
FORMATS: tuple[str, ...] = get_args(Format)
TABLES: tuple[str, ...] = tuple(COLUMNS)

# Excel's hard limit per cell; longer text makes Excel report the file as damaged.
XLSX_MAX_CELL = 32767
XLSX_MAX_WIDTH = 60

# Cells a spreadsheet would run as a formula (OWASP, CSV injection): = + - @, and tab / CR, which some
# importers strip before looking at the first character.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Fixed timestamps inside the XLSX package (ZIP entries, docProps/core.xml), so the same inputs give the same bytes.
FIXED_TIME = datetime.datetime(1980, 1, 1)

Writer = Callable[[list[Document], str, Path, "_Options"], None]


class _Options:
    def __init__(self, raw_formulas: bool) -> None:
        self.raw_formulas = raw_formulas
        self.neutralised = 0  # formula-looking cells made inert
        self.split = 0  # XLSX cells over the limit, continued in extra columns
        self.split_columns: list[str] = []


def write_export(
    docs: Iterable[Document],
    fmt: Format,
    out: str | Path,
    *,
    table: str = "clauses",
    force: bool = False,
    raw_formulas: bool = False,
    notes: list[str] | None = None,
) -> Path:
    """Write `table` of `docs` to `out` in format `fmt` and return the path written.

    For XLSX and `table="clauses"` the workbook also holds the targets,
    citations and units sheets. Raises `OverwriteRefusedError` if `out` exists and
    `force` is false; the existing file is then left untouched.

    CSV and XLSX cells that start like a formula (= + - @, tab, CR) are made inert unless `raw_formulas`:
    CSV puts an apostrophe before them (OWASP), XLSX stores them as text with Excel's quote prefix (the
    value unchanged). XLSX cells over Excel's 32,767 characters continue in extra columns `<name>_2`, ….
    What was changed is added to `notes`.
    """
    out = Path(out)
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    if table not in TABLES:
        raise UsageError(f"unknown table {table!r}; choose one of: {', '.join(TABLES)}")
    if out.is_dir():
        raise OutputPathError(f"{out} is a folder, not a file.", fix="Give a file name.")
    if out.exists() and not force:
        raise OverwriteRefusedError(f"{out} exists; nothing was overwritten.", fix="Allow overwriting (force=True) or choose another file.")
    if not out.parent.is_dir():
        raise OutputPathError(f"{out.parent}: no such folder; create it first.")

    docs = list(docs)  # XLSX reads them once per sheet
    writer = _WRITERS[fmt]
    opts = _Options(raw_formulas)
    try:
        with atomic_output(out) as tmp:
            writer(docs, table, tmp, opts)
    except OSError as e:
        raise OutputPathError(f"cannot write {out}: {e.strerror or e}; nothing was written. Free some space.", fix="Or write somewhere else.") from e
    if notes is not None:
        if opts.neutralised:
            how = "written with a leading apostrophe" if fmt == "csv" else "stored as text"
            notes.append(f"{opts.neutralised} cells starting like a formula (= + - @) were {how}; --raw-formulas keeps them as they are")
        if opts.split:
            notes.append(
                f"{opts.split} cells were longer than Excel's {XLSX_MAX_CELL:,} characters and continue in the columns "
                + ", ".join(opts.split_columns)
            )
    return out


def _inert(value: Any, opts: _Options) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START) and not opts.raw_formulas:
        opts.neutralised += 1
        return "'" + value
    return value


# --- CSV ---------------------------------------------------------------------


def _write_csv(docs: list[Document], table: str, path: Path, opts: _Options) -> None:
    rows = rows_for(table, docs)
    # The BOM is what makes Excel read the file as UTF-8 instead of the ANSI code page.
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS[table])
        w.writeheader()
        w.writerows({k: _inert(v, opts) for k, v in row.items()} for row in rows)


# --- JSON Lines --------------------------------------------------------------


def _write_jsonl(docs: list[Document], table: str, path: Path, opts: _Options) -> None:
    rows = rows_for(table, docs)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False))
            f.write("\n")


# --- Parquet -----------------------------------------------------------------


def _write_parquet(docs: list[Document], table: str, path: Path, opts: _Options) -> None:
    try:
        # pyarrow is an optional extra ([corpus], [parquet]): imported where a table is read or written
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise PolicydiffError("pyarrow is not installed: pip install 'policydiff[parquet]'") from None
    types = {"string": pa.string(), "int64": pa.int64(), "float64": pa.float64(), "bool": pa.bool_()}
    # An explicit schema keeps an all-None column typed and ints from turning into floats.
    schema = pa.schema([pa.field(col, types[TYPES[table][col]], nullable=True) for col in COLUMNS[table]])
    pq.write_table(pa.Table.from_pylist(rows_for(table, docs), schema=schema), str(path), compression="zstd")


# --- XLSX --------------------------------------------------------------------


def _write_xlsx(docs: list[Document], table: str, path: Path, opts: _Options) -> None:
    try:
        # openpyxl loads only when an .xlsx is written
        from openpyxl import Workbook
        from openpyxl.writer.excel import ExcelWriter
    except ImportError:
        raise PolicydiffError("openpyxl is not installed: pip install openpyxl") from None
    wb = Workbook()
    wb.remove(wb.active)
    # The clauses workbook carries every table so analysts get one file.
    for name in TABLES if table == "clauses" else (table,):
        _fill_sheet(wb.create_sheet(name), COLUMNS[name], rows_for(name, docs), opts)
    wb.properties.created = wb.properties.modified = FIXED_TIME
    with _FixedTimeZip(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()  # openpyxl's save_workbook, without its "modified = now"


class _FixedTimeZip(zipfile.ZipFile):
    """ZIP entries dated FIXED_TIME instead of the clock."""

    def writestr(self, zinfo_or_arcname: Any, data: Any, *args: Any, **kwargs: Any) -> None:
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            zinfo_or_arcname = zipfile.ZipInfo(zinfo_or_arcname, date_time=FIXED_TIME.timetuple()[:6])
            zinfo_or_arcname.compress_type = self.compression
            zinfo_or_arcname.external_attr = 0o600 << 16
        super().writestr(zinfo_or_arcname, data, *args, **kwargs)

    def write(self, filename: Any, arcname: Any = None, *args: Any, **kwargs: Any) -> None:
        # openpyxl writes each worksheet to a temporary file first: its mtime would date the entry
        with open(filename, "rb") as f:
            self.writestr(arcname or os.path.basename(filename), f.read())

    def open(self, name: Any, mode: Any = "r", *args: Any, **kwargs: Any) -> Any:
        if mode == "w" and not isinstance(name, zipfile.ZipInfo):
            name = zipfile.ZipInfo(name, date_time=FIXED_TIME.timetuple()[:6])
            name.compress_type = self.compression
            name.external_attr = 0o600 << 16
        return super().open(name, mode, *args, **kwargs)


def _fill_sheet(ws: Any, columns: list[str], rows: list[Row], opts: _Options) -> None:
    # openpyxl loads only when an .xlsx is written
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    # Text over the cell limit continues in extra columns at the end: <name>_2, <name>_3, ...
    parts: dict[str, int] = {}
    for row in rows:
        for name in columns:
            v = row[name]
            if isinstance(v, str) and len(v) > XLSX_MAX_CELL:
                cleaned = xlsx_text(v)
                if len(cleaned) > XLSX_MAX_CELL:
                    parts[name] = max(parts.get(name, 1), -(-len(cleaned) // XLSX_MAX_CELL))
    extra = [(name, k) for name in columns if name in parts for k in range(2, parts[name] + 1)]
    header = columns + [f"{name}_{k}" for name, k in extra]
    opts.split_columns += [f"{name}_{k}" for name, k in extra]
    widths = [_display_width(c) for c in header]
    for j, name in enumerate(header, start=1):
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
            value = xlsx_text(value)
            if len(value) > XLSX_MAX_CELL:
                opts.split += 1
                rest = value[XLSX_MAX_CELL:]
                value = value[:XLSX_MAX_CELL]
                for k in range(2, parts[name] + 1):
                    if rest:
                        col = len(columns) + 1 + extra.index((name, k))
                        _text_cell(ws, i, col, rest[:XLSX_MAX_CELL], opts, count=False)
                    rest = rest[XLSX_MAX_CELL:]
            _text_cell(ws, i, j, value, opts)
            widths[j - 1] = max(widths[j - 1], _display_width(value))
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = min(w + 2, XLSX_MAX_WIDTH)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"


def _text_cell(ws: Any, row: int, col: int, value: str, opts: _Options, *, count: bool = True) -> None:
    if text_cell(ws, row, col, value, raw_formulas=opts.raw_formulas):
        opts.neutralised += count


def text_cell(ws: Any, row: int, col: int, value: str, *, raw_formulas: bool = False) -> bool:
    """Write `value` into an openpyxl sheet as text, never as a formula; True when a formula-looking
    start was made inert (unless `raw_formulas`). `value` must be clean (see `xlsx_text`)."""
    cell = ws.cell(row=row, column=col, value=value)
    cell.data_type = "s"  # always text: openpyxl would write "=..." as a formula
    if not value.startswith(FORMULA_START) or raw_formulas:
        return False
    # Excel's quote prefix: shown and kept as text even when the cell is edited.
    # why: openpyxl loads only when an .xlsx is written
    from openpyxl.styles.cell_style import StyleArray

    if cell._style is None:  # the same default openpyxl's own style setters create
        cell._style = StyleArray()
    cell._style.quotePrefix = 1
    return True


def xlsx_text(value: str) -> str:
    """`value` as an XLSX cell can hold it: control characters (invalid XML, openpyxl raises on them)
    dropped. Callers with text over XLSX_MAX_CELL continue it elsewhere (see _fill_sheet)."""
    # why: openpyxl loads only when an .xlsx is written
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", value)


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
