"""The outputs of `index` (its summary line) and `search` (a table of the most similar clauses)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from rich.table import Table


class IndexStatsLike(Protocol):
    # `corpus.index.IndexStats`, described here so that render does not import corpus (a layer above it).
    total: int
    parsed: int
    reused: int
    removed: int
    failed: int


class HitLike(Protocol):
    # `corpus.search.Hit`.
    doc: str
    clause_id: str
    label: str
    heading: str
    similarity: float


def index_summary(stats: IndexStatsLike) -> str:
    return f"indexed {stats.total} documents: {stats.parsed} parsed, {stats.reused} unchanged, {stats.removed} removed, {stats.failed} failed"


def index_error(path: str, error: str) -> str:
    """The line of a file the index could not parse: its error names the file, or is given the path."""
    return error if error.startswith(path) else f"{path}: {error}"


def search_table(hits: Sequence[HitLike]) -> Table:
    t = Table()
    for col in ("document", "clause", "label", "heading", "similarity"):
        t.add_column(col, overflow="fold")
    for h in hits:
        t.add_row(h.doc, h.clause_id, h.label, h.heading, f"{h.similarity:.2f}")
    return t
