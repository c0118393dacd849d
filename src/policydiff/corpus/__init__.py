"""Corpus-scale work: an incremental index, lineage of plans, and clause search."""

from __future__ import annotations

from policydiff.corpus.index import IndexStats, build_index
from policydiff.corpus.lineage import Edge, find_lineage, lineage_graphml, lineage_html, lineage_rows, write_reports
from policydiff.corpus.search import Hit, search_clauses

__all__ = [
    "Edge",
    "Hit",
    "IndexStats",
    "build_index",
    "find_lineage",
    "lineage_graphml",
    "lineage_html",
    "lineage_rows",
    "search_clauses",
    "write_reports",
]
