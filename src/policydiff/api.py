"""Library functions behind the CLI commands."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from policydiff._atomic import atomic_write_bytes
from policydiff._files import SUPPORTED_SUFFIXES as _FORMATS
from policydiff._files import display_path, scan_inputs
from policydiff.errors import OutputExistsError, OutputRequiredError, OverwriteRefusedError, PolicydiffError, UsageError
from policydiff.render.compare import (
    FILE_ONLY,
    MULTI_RENDERERS,
    NO_DIRECTION,
    PAIR_RENDERERS,
    SHOWS_WORD_DIFF,
    CompareOptions,
    as_file_bytes,
)
from policydiff.render.documents import document_json, documents_json  # noqa: F401  (re-exported: check, parse)
from policydiff.render.target_list import TARGET_COLUMNS, TARGET_RENDERERS, target_records  # noqa: F401  (re-exported: `targets` rows)

if TYPE_CHECKING:
    from policydiff.render.compare import Rendered
    from policydiff.schema import Document

SUPPORTED_SUFFIXES = tuple(_FORMATS)  # the one list (_files): the suffixes ingest reads


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


def split_failures(
    results: list[tuple[Path, Document | PolicydiffError]],
) -> tuple[list[tuple[Path, Document]], list[PolicydiffError]]:
    """`parse_each`'s results as the documents read (with their paths) and the errors of the others."""
    done = [(p, d) for p, d in results if not isinstance(d, PolicydiffError)]
    return done, [d for _, d in results if isinstance(d, PolicydiffError)]


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
                "Parse them separately into different output folders, or rename one of them."
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

    refuse_overwrite(out, force)
    docs = load_documents(paths, encoding=encoding, max_bytes=max_bytes, notes=notes)
    written = write_export(docs, fmt, out, table=table, force=force, raw_formulas=raw_formulas, notes=notes)  # type: ignore[arg-type]
    return written, len(docs)


def refuse_overwrite(out: Path | None, force: bool) -> None:
    if out is not None and out.exists() and not force:
        raise OverwriteRefusedError(f"{out} exists; nothing was overwritten.", fix="Allow overwriting (force=True) or choose another file.")


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
) -> Rendered | None:
    """Run compare and render it in `fmt` (see `render.compare`); returns text or a rich renderable,
    or None when written to `out`.

    `threshold`: least similarity of a reported clause pair (None: every pair found).
    `color`: False when the terminal output will be shown without colour; word diffs are then
    marked [-deleted-]{+inserted+}. `all_rows`: the docx/xlsx 对照表 keeps identical rows (folded by default).
    `concepts`: concept tables (TSV) added to the shipped one for `related` pairs; `related` False: none.
    """
    # why: the aligner (numpy, rapidfuzz) loads only for compare
    from policydiff.align import compare, compare_many
    from policydiff.align.related import RELATED_MATCH

    # Every argument is checked before a document is read.
    if fmt not in PAIR_RENDERERS:
        raise UsageError(f"unknown compare format {fmt!r}: choose one of {', '.join(PAIR_RENDERERS)}.")
    if fmt in FILE_ONLY and out is None:
        raise OutputRequiredError(f"{fmt} output is written to a file.", fix="Give one (out=PATH).")
    two_only = UsageError(f"{fmt} output is the 新旧对照表 of two documents: give exactly PARENT CHILD.")
    if len(paths) != 2 and fmt not in MULTI_RENDERERS:
        raise two_only
    if threshold is not None and not 0 <= threshold <= 1:
        raise UsageError(f"the threshold must be between 0 and 1, got {threshold}.")
    refuse_overwrite(out, force)
    # Resolved citations only feed the direction evidence and auto_order.
    docs = load_documents(paths, encoding=encoding, max_bytes=max_bytes, link=fmt not in NO_DIRECTION or auto_order)
    if auto_order:
        docs = order_documents(docs)
    want_diff = detail or fmt in SHOWS_WORD_DIFF
    cutoff = RELATED_MATCH if related else None
    view = CompareOptions(detail=detail, markers=not color or out is not None, all_rows=all_rows)
    if len(docs) == 2:
        al = compare(docs[0], docs[1], threshold=threshold, detail=want_diff, concepts=concepts, related=cutoff)
        rendered = PAIR_RENDERERS[fmt](al, docs, view)
    elif fmt in MULTI_RENDERERS:
        ma = compare_many(docs[0], docs[1:], threshold=threshold, detail=want_diff, concepts=concepts, related=cutoff)
        rendered = MULTI_RENDERERS[fmt](ma, docs, view)
    else:  # folders that held more than two documents
        raise two_only
    if out is None:
        return rendered
    atomic_write_bytes(out, as_file_bytes(rendered), mkdir=True)
    return None


def render_targets(docs: list[Document], fmt: str = "table", compare: bool = False) -> object:
    """The targets of `docs` as a terminal table, JSON or CSV (`render.target_list`)."""
    if fmt not in TARGET_RENDERERS:
        raise UsageError(f"unknown targets format {fmt!r}: choose {', '.join(TARGET_RENDERERS)}.")
    return TARGET_RENDERERS[fmt](docs, compare)
