"""The Parquet tables of an index (documents, clauses, targets, citations, ngrams): written as documents are
parsed, rows of unchanged documents carried over from the old tables, then sorted by name (see `corpus.index`)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from policydiff._atomic import atomic_output

# sentences were a copy of the clause text nobody read (lineage and search use clauses and docs/).
TABLES = ("documents", "clauses", "targets", "citations", "ngrams")
FLUSH_EVERY = 256  # documents buffered before their rows go to the Parquet writers
ROW_GROUP = 8192  # rows per Parquet row group of the final, sorted tables
# Parquet settings for every table: zstd and dictionary pages (names and ids repeat on every row).
PARQUET = {"compression": "zstd", "compression_level": 9, "use_dictionary": True, "write_statistics": False}


def read_table(path: Path, columns: list[str] | None = None) -> list[dict[str, Any]]:
    """The rows of a table as dicts (only `columns` when given: documents.lineage is large)."""
    if not path.exists():
        return []
    # pyarrow is an optional extra ([corpus], [parquet]): imported where a table is read or written
    import pyarrow.parquet as pq

    return pq.read_table(path, columns=columns).to_pylist()


def write_final(table: Any, path: Path) -> None:
    """One table, sorted by document name (rows of a document keep their order), written atomically, a row
    group at a time: the sorted copy is never whole in memory beside the table."""
    # pyarrow is an optional extra ([corpus], [parquet]): imported where a table is read or written
    import pyarrow.parquet as pq

    key = "name" if "name" in table.column_names else "doc"
    with atomic_output(path) as tmp, pq.ParquetWriter(tmp, table.schema, **PARQUET) as w:
        if not table.num_rows:
            w.write_table(table)
            return
        order = _sorted_rows(table[key])
        for lo in range(0, table.num_rows, ROW_GROUP):
            w.write_table(table.take(order.slice(lo, ROW_GROUP)), row_group_size=ROW_GROUP)


def _sorted_rows(names: Any) -> Any:
    """Row order by name in UTF-8 byte order, stable (Arrow's sort on a string column compares bytes)."""
    # pyarrow is an optional extra ([corpus], [parquet]): imported where a table is read or written
    import pyarrow.compute as pc

    return pc.array_sort_indices(names, order="ascending")


def table_schemas() -> dict[str, Any]:
    # pyarrow is an optional extra ([corpus], [parquet]): imported where a table is read or written
    import pyarrow as pa

    s = pa.string()
    return {
        "documents": pa.schema(
            [
                ("name", s),
                ("path", s),
                ("sha256", s),
                ("title", s),
                ("plan_title", s),
                ("doc_number", s),
                ("doc_year", pa.int32()),
                ("date", s),
                ("n_clauses", pa.int32()),
                ("doc_type", s),
                ("lineage", s),  # corpus/lineage_facts.py: what lineage reads of a document, as JSON
            ]
        ),
        "clauses": pa.schema([("doc", s), ("clause_id", s), ("label", s), ("heading", s), ("policy_text", s)]),
        "targets": pa.schema(
            [
                ("doc", s),
                ("clause_id", s),
                ("subject", s),
                ("comparator", s),
                ("value", pa.float64()),
                ("low", pa.float64()),
                ("high", pa.float64()),
                ("unit", s),
                ("year", pa.int32()),
                ("kind", s),
                ("raw", s),
            ]
        ),
        "citations": pa.schema([("doc", s), ("raw", s), ("title", s), ("number", s), ("resolved_to", s)]),
        "ngrams": pa.schema([("name", s), ("n_ngrams", pa.int64()), ("sample", pa.list_(pa.uint64()))]),
        "errors": pa.schema([("name", s), ("path", s), ("sha256", s), ("error", s)]),
    }


def _key(table: str) -> str:
    return "name" if table in ("documents", "ngrams", "errors") else "doc"


def old_rows(path: Path, table: str, keep: set[str], schema: Any) -> Iterator[Any]:
    """The rows of an existing table whose document is kept, row group by row group (Arrow, no Python objects)."""
    # pyarrow is an optional extra ([corpus], [parquet]): imported where a table is read or written
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    if not path.exists() or not keep:
        return
    f = pq.ParquetFile(path)
    if f.schema_arrow != schema:
        return
    wanted = pa.array(sorted(keep), pa.string())
    for g in range(f.num_row_groups):
        t = f.read_row_group(g, use_threads=False)
        yield t.filter(pc.is_in(t[_key(table)], value_set=wanted))


class TableWriters:
    """One Parquet writer per table; new rows arrive in batches so memory stays bounded while parsing.
    close() sorts each table by name and writes it in its final form."""

    def __init__(self, out_dir: Path, schemas: dict[str, Any]) -> None:
        # pyarrow is an optional extra ([corpus], [parquet]): imported where a table is read or written
        import pyarrow.parquet as pq

        self.out_dir, self.schemas = out_dir, schemas
        self.tmp = {t: out_dir / f"{t}.parquet.part" for t in TABLES}
        self.w: dict[str, Any] = {}
        try:
            for t in TABLES:
                self.w[t] = pq.ParquetWriter(self.tmp[t], schemas[t], compression="zstd", compression_level=1)
        except BaseException:
            self.abort()  # a full disk can fail the first writes: no .part file is left
            raise
        self.buf: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
        self.pending = 0

    def add_table(self, table: str, parts: Iterable[Any]) -> None:
        for arrow in parts:
            if arrow.num_rows:
                self.w[table].write_table(arrow, row_group_size=FLUSH_EVERY if table == "ngrams" else None)

    def add(self, result: dict[str, Any]) -> None:
        for t in TABLES:
            self.buf[t].extend(result[t])
        self.pending += 1
        if self.pending >= FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        # pyarrow is an optional extra ([corpus], [parquet]): imported where a table is read or written
        import pyarrow as pa

        for t in TABLES:
            rows = self.buf[t]
            if not rows:
                continue
            if t == "ngrams":
                arr = [np.asarray(r["sample"], dtype=np.uint64) for r in rows]
                offsets = np.concatenate([[0], np.cumsum([len(a) for a in arr])]).astype(np.int32)
                values = pa.array(np.concatenate(arr) if arr else np.zeros(0, np.uint64), pa.uint64())
                table = pa.table(
                    {
                        "name": pa.array([r["name"] for r in rows], pa.string()),
                        "n_ngrams": pa.array([r["n_ngrams"] for r in rows], pa.int64()),
                        "sample": pa.ListArray.from_arrays(pa.array(offsets), values),
                    },
                    schema=self.schemas[t],
                )
            else:
                table = pa.Table.from_pylist(rows, schema=self.schemas[t])
            self.w[t].write_table(table)
            self.buf[t] = []
        self.pending = 0

    def close(self) -> None:
        """Flush, then write each table sorted by name in its final place (atomically)."""
        # pyarrow is an optional extra ([corpus], [parquet]): imported where a table is read or written
        import pyarrow as pa
        import pyarrow.parquet as pq

        self.flush()
        for t in TABLES:
            self.w[t].close()
            table = pq.read_table(self.tmp[t], use_threads=False)
            write_final(table, self.out_dir / f"{t}.parquet")
            del table
            self.tmp[t].unlink(missing_ok=True)
            pa.default_memory_pool().release_unused()

    def abort(self) -> None:
        for t in TABLES:
            # closing flushes, which fails again on a full disk: the part goes anyway
            with contextlib.suppress(Exception):
                if t in self.w:
                    self.w[t].close()
            self.tmp[t].unlink(missing_ok=True)
