"""Corpus-scale work: an incremental index, lineage of plans, and clause search."""

from __future__ import annotations

from policydiff.corpus.index import IndexStats, build_index
from policydiff.corpus.lineage import find_lineage, parent_edges
from policydiff.corpus.lineage_evidence import write_reports
from policydiff.corpus.search import Hit, search_clauses
from policydiff.render.lineage import lineage_graphml, lineage_html, lineage_rows
from policydiff.schema import Edge

__all__ = [
    "Edge",
    "Hit",
    "IndexStats",
    "build_index",
    "find_lineage",
    "lineage_graphml",
    "lineage_html",
    "lineage_rows",
    "parent_edges",
    "search_clauses",
    "write_reports",
]
