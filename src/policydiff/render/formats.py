"""The output formats of each command, as the choices of its `--format` option (and the engines of index and lineage).

Only the standard library here: the CLI imports this module to build its options, before it
knows which renderer (and which heavy dependency) a run needs. Each registry of renderers is
keyed by the values of one of these enums (tests/test_render_registry.py checks they agree).
"""

from __future__ import annotations

from enum import Enum


class ParseFormat(str, Enum):
    table = "table"
    json = "json"


class CompareFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    html = "html"
    docx = "docx"
    xlsx = "xlsx"


class TargetsFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class ExportFormat(str, Enum):
    csv = "csv"
    xlsx = "xlsx"
    parquet = "parquet"
    jsonl = "jsonl"


class ExportTable(str, Enum):
    clauses = "clauses"
    targets = "targets"
    citations = "citations"
    units = "units"


class CheckFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"


class LineageFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    graphml = "graphml"
    html = "html"


class SchemaModel(str, Enum):
    document = "document"
    alignment = "alignment"
    multi = "multi"


class Engine(str, Enum):
    """Where index and lineage run: a local process pool, or Dask."""

    local = "local"
    dask = "dask"
