"""Library functions behind the CLI commands."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from policydiff._atomic import atomic_write_bytes
from policydiff._files import display_path, scan_inputs
from policydiff.errors import OutputExistsError, PolicydiffError, UsageError
from policydiff.text.numbers import plain_number

if TYPE_CHECKING:
    from policydiff.schema import Document

SUPPORTED_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".docx", ".pdf", ".html", ".htm", ".shtml", ".xhtml")


def expand_inputs(
    paths: Iterable[Path], suffixes: tuple[str, ...] = SUPPORTED_SUFFIXES, *, notes: list[str] | None = None, recursive: bool = False
) -> list[Path]:
    """Folders become the supported files inside them, sorted (`ingest.files.scan_inputs`); what a folder
    holds but cannot be read (hidden, lock files, FIFOs, devices) is left out, with a line in `notes`."""
    scan = scan_inputs(paths, suffixes, recursive=recursive)
    if notes is not None:
        notes.extend(f"skipped {path}: {reason}" for path, reason in scan.skipped)
    return scan.files


def parse_many(
    paths: Iterable[Path], encoding: str | None = None, *, max_bytes: int | None = None, notes: list[str] | None = None
) -> list[Document]:
    """Parse every input before anything is written: one bad file raises (and so writes nothing)."""
    return [_read_one(p, encoding, max_bytes) for p in expand_inputs(paths, SUPPORTED_SUFFIXES + (".json",), notes=notes)]


def parse_each(
    paths: Iterable[Path], encoding: str | None = None, *, max_bytes: int | None = None, notes: list[str] | None = None
) -> list[tuple[Path, Document | PolicydiffError]]:
    """Every input's document, or the error that stopped it: one bad file does not stop the others."""
    out: list[tuple[Path, Document | PolicydiffError]] = []
    for p in expand_inputs(paths, SUPPORTED_SUFFIXES + (".json",), notes=notes):
        try:
            out.append((p, _read_one(p, encoding, max_bytes)))
        except PolicydiffError as exc:
            out.append((p, exc))
    return out


def _read_one(path: Path, encoding: str | None, max_bytes: int | None = None) -> Document:
    # Parsed JSON needs only the models: the parser (normalize, structure, ingest) is not imported.
    if path.suffix.lower() == ".json":
        # lazy: every command imports api, and loads only the stages it runs
        from policydiff.parsed_json import load_json

        return load_json(path, max_bytes=max_bytes)
    # lazy: every command imports api, and loads only the stages it runs
    from policydiff.pipeline import parse_file

    return parse_file(path, encoding=encoding, max_bytes=max_bytes)


def atomic_write_text(path: Path, text: str) -> None:
    """Write to a temporary file beside `path`, then rename: never a half-written file."""
    atomic_write_bytes(path, text.encode("utf-8"), mkdir=True)


def document_json(doc: Document) -> str:
    return doc.model_dump_json(indent=2) + "\n"


def output_names(docs: list[Document], paths: list[Path] | None = None) -> None:
    """Raise before anything is written when two documents would write the same `<name>.json`
    (also when the names differ only in case, which is one file on Windows and macOS)."""
    seen: dict[str, int] = {}
    for i, doc in enumerate(docs):
        key = doc.name.casefold()
        if key in seen:
            j = seen[key]
            first = display_path(paths[j]) if paths else docs[j].name
            second = display_path(paths[i]) if paths else doc.name
            raise OutputExistsError(
                f"{first} and {second} would both be written as {display_path(doc.name)}.json; nothing was written. "
                "Parse them separately into different --out folders, or rename one of them."
            )
        seen[key] = i


def write_parsed(docs: list[Document], out: Path, paths: list[Path] | None = None) -> list[Path]:
    output_names(docs, paths)
    written = []
    for doc in docs:
        target = out / f"{doc.name}.json"
        atomic_write_text(target, document_json(doc))
        written.append(target)
    return written


SCHEMA_MODELS = ("document", "alignment", "multi")


def json_schema(model: str = "document") -> str:
    """JSON Schema of `document` (parse), `alignment` (compare A B) or `multi` (compare A B C...)."""
    # lazy: every command imports api, and loads only the stages it runs
    from policydiff.schema import Alignment, Document, Model, MultiAlignment

    models: dict[str, type[Model]] = {"document": Document, "alignment": Alignment, "multi": MultiAlignment}
    if model not in models:
        raise UsageError(f"unknown model {model!r}: choose {', '.join(SCHEMA_MODELS)}.")
    return json.dumps(models[model].model_json_schema(), ensure_ascii=False, indent=2)


def documents_json(docs: list[Document]) -> str:
    """One document: its JSON object; several: one JSON array of them."""
    if len(docs) == 1:
        return document_json(docs[0])
    items = ("\n".join("  " + line for line in doc.model_dump_json(indent=2).splitlines()) for doc in docs)
    return "[\n" + ",\n".join(items) + "\n]\n"


def load_documents(
    paths: Iterable[Path], encoding: str | None = None, *, max_bytes: int | None = None, link: bool = True, notes: list[str] | None = None
) -> list[Document]:
    """Raw notices are parsed on the fly; parsed .json files are read directly.

    `link` resolves citations between the documents (`Citation.resolved_to`).
    """
    docs = parse_many(paths, encoding=encoding, max_bytes=max_bytes, notes=notes)
    if link:
        # lazy: every command imports api, and loads only the stages it runs
        from policydiff.extract import link_documents

        link_documents(docs)
    return docs


def order_documents(docs: list[Document]) -> list[Document]:
    """Parents first: cited documents before those citing them, then by date (see `align.order_documents`)."""
    # lazy: every command imports api, and loads only the stages it runs
    from policydiff.align import order_documents as _order

    return _order(docs)


COMPARE_FORMATS = ("table", "json", "csv", "markdown", "html", "docx", "xlsx")
# Formats written as files only (binary, or a page to open).
FILE_FORMATS = ("html", "docx", "xlsx")


def export_files(
    paths: list[Path],
    *,
    fmt: str,
    out: Path,
    table: str = "clauses",
    force: bool = False,
    encoding: str | None = None,
    max_bytes: int | None = None,
    raw_formulas: bool = False,
    notes: list[str] | None = None,
) -> tuple[Path, int]:
    """Write one export table of the documents; returns the path written and the number of documents.

    An existing `out` is refused before anything is parsed (unless `force`). Skipped files and the cells
    changed for the format (formula-looking, too long) are reported in `notes`.
    """
    # lazy: every command imports api, and loads only the stages it runs
    from policydiff.render.export import write_export

    if out.exists() and not force:
        raise OutputExistsError(f"{out} exists; pass --force to overwrite it or choose another --out")
    docs = load_documents(paths, encoding=encoding, max_bytes=max_bytes, notes=notes)
    written = write_export(docs, fmt, out, table=table, force=force, raw_formulas=raw_formulas, notes=notes)  # type: ignore[arg-type]
    return written, len(docs)


def compare_files(
    paths: list[Path],
    *,
    fmt: str = "table",
    out: Path | None = None,
    detail: bool = False,
    threshold: float | None = None,
    auto_order: bool = False,
    force: bool = False,
    encoding: str | None = None,
    max_bytes: int | None = None,
    color: bool = True,
    all_rows: bool = False,
    concepts: tuple[str, ...] = (),
    related: bool = True,
) -> object | None:
    """Run compare and render it; returns text or a rich renderable, or None when written to `out`.

    `threshold`: least similarity of a reported clause pair (None: every pair found).
    `color`: False when the terminal output will be shown without colour; word diffs are then
    marked [-deleted-]{+inserted+}. `all_rows`: the docx/xlsx 对照表 keeps identical rows (folded by default).
    `concepts`: concept tables (TSV) added to the shipped one for `related` pairs; `related` False: none.
    """
    # lazy: every command imports api, and loads only the stages it runs
    from policydiff.align import compare, compare_many
    from policydiff.render import alignment as ra

    if fmt not in COMPARE_FORMATS:
        raise UsageError(f"unknown --format {fmt!r}: choose one of {', '.join(COMPARE_FORMATS)}.")
    if fmt in FILE_FORMATS and out is None:
        raise UsageError(f"--format {fmt} writes a file: add --out report.{fmt}.")
    if fmt in ("docx", "xlsx") and len(paths) != 2:
        raise UsageError(f"--format {fmt} is the 新旧对照表 of two documents: give exactly PARENT CHILD.")
    if threshold is not None and not 0 <= threshold <= 1:
        raise UsageError(f"--threshold must be between 0 and 1, got {threshold}.")
    if out is not None and out.exists() and not force:
        raise OutputExistsError(f"{out} exists; pass --force to overwrite it or choose another --out.")
    # Resolved citations only feed the direction evidence and --auto-order, which csv does not show.
    docs = load_documents(paths, encoding=encoding, max_bytes=max_bytes, link=fmt != "csv" or auto_order)
    if auto_order:
        docs = order_documents(docs)
    th = threshold
    markers = not color or out is not None
    # Word diffs need jieba (~0.7 s to load): only for outputs that show them.
    want_diff = detail or fmt in ("json", "markdown", "html", "docx", "xlsx")
    rendered: object
    if len(docs) == 2:
        # lazy: every command imports api, and loads only the stages it runs
        from policydiff.align.related import RELATED_MATCH

        cutoff = RELATED_MATCH if related else None
        al = compare(docs[0], docs[1], threshold=th, detail=want_diff, concepts=concepts, related=cutoff)
        if fmt in ("docx", "xlsx"):
            # lazy: every command imports api, and loads only the stages it runs
            from policydiff.render.redline import write_redline

            assert out is not None
            write_redline(al, docs[0], docs[1], fmt, out, all_rows=all_rows)
            return None
        if fmt == "csv":
            rendered = ra.alignment_csv([al])
        elif fmt == "json":
            rendered = ra.alignment_json(al)
        elif fmt == "markdown":
            # lazy: every command imports api, and loads only the stages it runs
            from policydiff.render.markdown import alignment_markdown

            rendered = alignment_markdown(al, docs[0], docs[1])
        elif fmt == "html":
            # lazy: every command imports api, and loads only the stages it runs
            from policydiff.render.html import alignment_html

            rendered = alignment_html(al, docs[0], docs[1])
        else:
            rendered = ra.alignment_terminal(al, detail=detail, markers=markers, docs=docs)
    else:
        # lazy: every command imports api, and loads only the stages it runs
        from policydiff.align.related import RELATED_MATCH

        ma = compare_many(docs[0], docs[1:], threshold=th, detail=want_diff, concepts=concepts, related=RELATED_MATCH if related else None)
        if fmt == "csv":
            rendered = ra.alignment_csv(ma.alignments)
        elif fmt == "json":
            rendered = ra.alignment_json(ma)
        elif fmt == "markdown":
            # lazy: every command imports api, and loads only the stages it runs
            from policydiff.render.markdown import multi_markdown

            rendered = multi_markdown(ma, docs[0], docs[1:])
        elif fmt == "html":
            # lazy: every command imports api, and loads only the stages it runs
            from policydiff.render.multi import multi_html

            rendered = multi_html(ma, docs[0], docs[1:])
        else:
            rendered = ra.multi_terminal(ma, docs, detail=detail, markers=markers)
    if out is None:
        return rendered
    if not isinstance(rendered, str):
        # rich loads only for terminal output: CSV and JSON runs never import it
        from rich.console import Console

        console = Console(file=None, record=True, width=160)
        with console.capture():
            console.print(rendered)
        rendered = console.export_text()
    atomic_write_text(out, rendered)
    return None


TARGET_COLUMNS = ["doc", "clause", "label", "subject", "comparator", "value", "low", "high", "unit", "year", "kind", "raw"]


def target_records(docs: list[Document]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for doc in docs:
        labels = {c.id: c.label for c in doc.clauses}
        targets = doc.all_targets()
        for t in targets:
            rows.append(
                {
                    "doc": doc.name, "clause": t.clause, "label": labels.get(t.clause or "", ""), "subject": t.subject,
                    "comparator": t.comparator, "value": t.value, "low": t.low, "high": t.high, "unit": t.unit,
                    "year": t.year, "kind": t.kind, "raw": t.raw,
                }
            )
    return rows


def render_targets(docs: list[Document], fmt: str = "table", compare: bool = False) -> object:
    if fmt not in ("table", "json", "csv"):
        raise UsageError(f"unknown --format {fmt!r}: choose table, json or csv.")
    rows = target_records(docs)
    if compare and fmt != "table":
        # CSV and JSON cells hold typed values (value, low, high, comparator, unit, year per document).
        from policydiff.render.targets import typed_compare_rows

        header, table_rows = typed_compare_rows(docs, rows)
    elif compare:
        # lazy: every command imports api, and loads only the stages it runs
        from policydiff.render.targets import compare_rows

        header, table_rows = compare_rows(docs, rows)
    else:
        header, table_rows = TARGET_COLUMNS, [[r[c] for c in TARGET_COLUMNS] for r in rows]
    if fmt == "json":
        return json.dumps([dict(zip(header, r, strict=True)) for r in table_rows], ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(header)
        w.writerows(["" if v is None else plain_number(v) if isinstance(v, float) else v for v in r] for r in table_rows)
        return buf.getvalue()
    # rich loads only for terminal output: CSV and JSON runs never import it
    from rich.table import Table

    t = Table(show_lines=False)
    for h in header:
        t.add_column(str(h), overflow="fold")
    for r in table_rows:
        t.add_row(*("" if v is None else (plain_number(v) if isinstance(v, float) else str(v)) for v in r))
    return t
