"""Tables of attachments: TAB-separated rows → header and rows, repeated headers dropped, duplicates flagged."""

from __future__ import annotations

from collections.abc import Callable

from policydiff.schema import Dropped, Issue, Span, Table, TableRow
from policydiff.structure.lines import Para

SERIAL_HEADERS = {"序号", "编号", "序", "No", "No."}


def split_tables(block: list[Para]) -> list[list[Para]]:
    """A header row that differs from the current one starts a new table."""
    out: list[list[Para]] = []
    header: list[str] | None = None
    for p in block:
        cells = [c.strip() for c in p.text.split("\t")]
        if cells[0] in SERIAL_HEADERS and cells != header:
            header = cells
            out.append([p])
        elif out:
            out[-1].append(p)
        else:
            out.append([p])
    return out


def make_table(block: list[Para], span_of: Callable[[int, int], Span], dropped: list[Dropped], issues: list[Issue]) -> Table | None:
    rows = [p.text.split("\t") for p in block]
    header = rows[0]
    header_is_real = header[0].strip() in SERIAL_HEADERS or not header[0].strip().isdigit()
    data_start = 1 if header_is_real else 0
    if not header_is_real:
        header = [f"列{i + 1}" for i in range(len(rows[0]))]
    out_rows: list[TableRow] = []
    seen: dict[tuple[str, ...], int] = {}
    serial = header[0].strip() in SERIAL_HEADERS
    for p, cells in zip(block[data_start:], rows[data_start:], strict=True):
        cells = [c.strip() for c in cells]
        if cells == [h.strip() for h in header]:
            # Repeated header after a page break: recorded, not a row.
            sp = span_of(p.start, p.end)
            dropped.append(Dropped(text=p.text, reason="repeated-header", raw_start=sp.raw_start, raw_end=sp.raw_end, line=sp.line))
            continue
        key = tuple(cells[1:] if serial else cells)
        line = span_of(p.start, p.end).line
        row = TableRow(cells=cells, line=line)
        if key in seen and any(key):
            row.duplicate_of = seen[key]
            issues.append(
                Issue(
                    code="duplicate-table-row",
                    severity="warning",
                    message=f"table row {len(out_rows) + 1} repeats row {seen[key] + 1}: {'｜'.join(cells)[:60]}",
                    line=line,
                )
            )
        else:
            seen[key] = len(out_rows)
        out_rows.append(row)
    first_line = span_of(block[0].start, block[0].end).line
    return Table(header=[h.strip() for h in header], rows=out_rows, line=first_line)
