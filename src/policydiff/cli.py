"""Thin typer layer: parse arguments, call one library function, print."""

# No `from __future__ import annotations`: typer reads every command's annotations on each
# run, and string annotations would be evaluated anew each time.
import csv
import errno
import io
import json
import os
import sys
from collections.abc import Callable
from enum import Enum
from functools import cache, wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
import typer

from policydiff import __version__
from policydiff._files import display_path
from policydiff.errors import PolicydiffError, UsageError

if TYPE_CHECKING:
    from rich.console import Console

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Parse Chinese policy notices into clause trees and compare a local plan with the plan it descends from.",
    context_settings={"help_option_names": ["-h", "--help"]},
)


# rich loads only when something is printed through it: csv/json output is written plainly.
@cache
def console() -> "Console":
    from rich.console import Console  # rich loads only for terminal output

    return Console(soft_wrap=True)


@cache
def err_console() -> "Console":
    from rich.console import Console  # rich loads only for terminal output

    return Console(stderr=True, soft_wrap=True)


def has_colour() -> bool:
    """Whether standard output shows colour (not piped, NO_COLOR unset)."""
    c = console()
    return c.color_system is not None and not c.no_color


F = TypeVar("F", bound=Callable[..., Any])


# Optional dependencies and the extra that installs them.
_EXTRAS = {"numpy": "corpus", "pyarrow": "corpus", "scipy": "corpus", "dask": "dask", "distributed": "dask", "pandas": "pandas"}


def _error_line(exc: BaseException) -> tuple[str, int]:
    """The one line (without `Error: `) and exit code for a failure escaping a command."""
    if isinstance(exc, PolicydiffError):
        return str(exc), exc.exit_code
    if isinstance(exc, ModuleNotFoundError) and (exc.name or "").split(".")[0] in _EXTRAS:
        extra = _EXTRAS[(exc.name or "").split(".")[0]]
        return f"this command needs the optional package {exc.name}, which is not installed: pip install 'policydiff[{extra}]'", 1
    if isinstance(exc, OSError):
        where = display_path(os.fsdecode(exc.filename)) if isinstance(exc.filename, str | bytes | Path) else "a file"
        reason = exc.strerror or str(exc)
        fixes = {
            errno.ENOSPC: "free some space on that disk or write somewhere else; nothing partial was left",
            errno.EDQUOT: "free some space on that disk or write somewhere else; nothing partial was left",
            errno.EACCES: "check the permissions of that path or write somewhere else",
            errno.EPERM: "check the permissions of that path or write somewhere else",
            errno.EROFS: "that file system is read-only: write somewhere else",
            errno.EISDIR: "that path is a folder: give a file name",
            errno.ENOTDIR: "a part of that path is a file, not a folder: choose another path",
            errno.EEXIST: "it exists: remove it or choose another path",
            errno.ENOENT: "check the path",
        }
        return f"{where}: {reason}; {fixes.get(exc.errno or 0, 'check the path and try again')}.", 1
    if isinstance(exc, MemoryError):
        return "out of memory; give smaller inputs (see --max-bytes) or run it on a machine with more memory.", 1
    return (
        (f"unexpected failure ({type(exc).__name__}: {str(exc)[:300]}). This is a bug in policydiff: please report it "
        "with the command line; POLICYDIFF_DEBUG=1 shows the traceback."),
        1,
    )


def _flush_stdout() -> None:
    """Flush what a command printed inside the error boundary, so a failed write (a full disk) is an error."""
    sys.stdout.flush()


def handle_errors(func: F) -> F:
    """Every failure of a command becomes one `Error: …` line (cause and fix) and exit code 1 (2 for usage)."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            result = func(*args, **kwargs)
            _flush_stdout()
            return result
        except typer.Exit:
            _flush_stdout()
            raise
        except (typer.Abort, click.exceptions.ClickException):
            raise
        except KeyboardInterrupt:
            err_console().print("Error: interrupted; nothing was written.", markup=False, highlight=False)
            raise typer.Exit(130) from None
        except BrokenPipeError:
            # The reader went away (`| head`): nothing to say to it; stop quietly without a flush error at exit.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(1) from None
        except Exception as exc:
            if os.environ.get("POLICYDIFF_DEBUG"):
                raise
            line, code = _error_line(exc)
            if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EIO, errno.EDQUOT) and exc.filename is None:
                line = f"cannot write the output ({exc.strerror}): free some space or write somewhere else."
                # What is still buffered for stdout would fail again at exit.
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            err_console().print(f"Error: {line}", markup=False, highlight=False, soft_wrap=True)
            raise typer.Exit(code) from None

    return wrapper  # type: ignore[return-value]


class Engine(str, Enum):
    local = "local"
    dask = "dask"


def version_callback(value: bool) -> None:
    if value:
        print(f"policydiff {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: bool = typer.Option(False, "--version", callback=version_callback, is_eager=True, help="Print the version and exit."),
) -> None:
    pass


FILES_ARG = typer.Argument(..., help="Notice files (.txt .md .docx .pdf .html, or parsed .json) or folders.", show_default=False)
ENCODING_OPT = typer.Option(None, "--encoding", help="Text encoding of .txt/.md input, e.g. gb18030 (default: detected).")
MAX_BYTES_OPT = typer.Option(
    None, "--max-bytes", min=1, help="Refuse input files larger than this many bytes, before reading them (default: 20 MB)."
)


@app.command("parse")
@handle_errors
def parse_cmd(
    files: list[Path] = FILES_ARG,
    out: Path = typer.Option(Path("data/parsed"), "--out", "-o", help="Folder for <name>.json files."),
    fmt: str = typer.Option(
        "table", "--format", "-f", help="table: write JSON files and print a summary; json: print the document JSON instead (an array for several files)."
    ),
    encoding: str | None = ENCODING_OPT,
    max_bytes: int | None = MAX_BYTES_OPT,
) -> None:
    """Parse notices into validated document trees.

    Example: policydiff parse data/raw/*.txt --out data/parsed
    """
    # lazy: each command loads only what it runs (--help and --version load no stage)
    from policydiff.api import documents_json, output_names, parse_each, write_parsed

    if fmt not in ("table", "json"):
        raise typer.BadParameter("choose table or json", param_hint="--format")
    notes: list[str] = []
    results = parse_each(files, encoding=encoding, max_bytes=max_bytes, notes=notes)
    _print_notes(notes)
    # One bad file does not stop the others: each failure is one Error line, and the exit code is 1.
    failed = [exc for _, exc in results if isinstance(exc, PolicydiffError)]
    done = [(p, d) for p, d in results if not isinstance(d, PolicydiffError)]
    docs = [d for _, d in done]
    if fmt == "json":
        if docs:
            sys.stdout.write(documents_json(docs))
    elif docs:
        # lazy: each command loads only what it runs (--help and --version load no stage)
        from policydiff.render.terminal import parse_summary

        output_names(docs, [p for p, _ in done])
        written = write_parsed(docs, out)
        console().print(parse_summary(docs))
        for path in written:
            console().print(f"wrote {path}", markup=False, highlight=False)
    for exc in failed:
        err_console().print(f"Error: {exc}", markup=False, highlight=False, soft_wrap=True)
    if failed:
        _flush_stdout()
        raise typer.Exit(max(exc.exit_code for exc in failed))


def _print_notes(notes: list[str]) -> None:
    for note in notes:
        err_console().print(f"note: {note}", markup=False, highlight=False, soft_wrap=True)


@app.command("show")
@handle_errors
def show_cmd(
    file: Path = typer.Argument(..., help="A notice or a parsed .json.", show_default=False),
    encoding: str | None = ENCODING_OPT,
    max_bytes: int | None = MAX_BYTES_OPT,
) -> None:
    """Print a notice's tree: sections with their text and items, clauses with targets and responsible units marked in the text, and warnings.

    Without colour (piped or NO_COLOR), targets read [20个] and responsible units {市教体局}.

    Example: policydiff show data/raw/kaifeng-2021-expansion-plan.txt
    """
    # lazy: each command loads only what it runs (--help and --version load no stage)
    from policydiff.api import parse_many
    from policydiff.render.terminal import document_tree

    (doc,) = parse_many([file], encoding=encoding, max_bytes=max_bytes)
    console().print(document_tree(doc, markers=not has_colour()), soft_wrap=False)


@app.command("schema")
@handle_errors
def schema_cmd(
    model: str = typer.Option("document", "--model", help="document (parse), alignment (compare A B) or multi (compare A B C...)."),
) -> None:
    """Print the JSON Schema generated from the models.

    Example: policydiff schema > document.schema.json
    """
    # lazy: each command loads only what it runs (--help and --version load no stage)
    from policydiff.api import json_schema

    sys.stdout.write(json_schema(model) + "\n")


def _print_rendered(rendered: Any) -> None:
    """Text formats (json, csv, markdown) go to stdout as they are; terminal tables through rich."""
    if isinstance(rendered, str):
        sys.stdout.write(rendered)
    else:
        console().print(rendered)


@app.command("compare")
@handle_errors
def compare_cmd(
    files: list[Path] = typer.Argument(..., help="PARENT CHILD [MORE...]: the reference plan first.", show_default=False),
    fmt: str = typer.Option(
        "table", "--format", "-f", help="table, json, csv, markdown, html, docx (the 新旧对照表 in Word) or xlsx (the same table)."
    ),
    out: Path | None = typer.Option(None, "--out", "-o", help="Write to this file instead of standard output (required for html, docx, xlsx)."),
    detail: bool = typer.Option(
        False, "--detail", help="Show word-level diffs inside each pair (coloured; without colour marked [-deleted-]{+inserted+})."
    ),
    all_rows: bool = typer.Option(False, "--all", help="docx/xlsx: keep identical rows (folded into a count by default)."),
    related: bool = typer.Option(
        True, "--related/--no-related", help="Report `related` pairs (the same measure in other words; loads jieba when a clause has no textual pair)."
    ),
    concepts: list[Path] = typer.Option(
        [], "--concepts", help="A concept table (TSV: concept, then its terms) added to the shipped one for `related` pairs; repeatable. "
        "Also read from POLICYDIFF_CONCEPTS (paths separated by :).",
    ),
    threshold: float | None = typer.Option(
        None,
        "--threshold",
        help="Least similarity (0–1, the sim column) of a reported clause pair; the clauses of a less similar pair are listed as dropped/added. "
        "Default: no cutoff, every pair the sentence links support (parts of a merge can be 0.2 similar).",
    ),
    auto_order: bool = typer.Option(
        False, "--auto-order", help="Reorder the files: cited documents before those citing them, then by date; the most ancestral is the reference."
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite --out if it exists."),
    encoding: str | None = ENCODING_OPT,
    max_bytes: int | None = MAX_BYTES_OPT,
) -> None:
    """Align a child plan with the plan it descends from, clause by clause.

    Example: policydiff compare data/raw/zhengzhou-2022-highland-plan.txt data/raw/xinzheng-2023-highland-plan.txt
    """
    # lazy: each command loads only what it runs (--help and --version load no stage)
    from policydiff.api import compare_files

    if len(files) < 2:
        raise typer.BadParameter("give at least two documents: PARENT CHILD", param_hint="FILES")
    # Only the terminal table with --detail needs to know (and loads rich for it).
    colour = has_colour() if detail and fmt == "table" and out is None else True
    text = compare_files(
        files, fmt=fmt, out=out, detail=detail, threshold=threshold, auto_order=auto_order, force=force, encoding=encoding, max_bytes=max_bytes,
        color=colour, all_rows=all_rows, concepts=tuple(str(c) for c in concepts), related=related,
    )
    if text is not None:
        _print_rendered(text)
    elif out is not None:
        console().print(f"wrote {out}", markup=False, highlight=False)


@app.command("targets")
@handle_errors
def targets_cmd(
    files: list[Path] = FILES_ARG,
    fmt: str = typer.Option("table", "--format", "-f", help="table, json or csv."),
    compare: bool = typer.Option(False, "--compare", help="One row per subject, a column per document."),
    encoding: str | None = ENCODING_OPT,
    max_bytes: int | None = MAX_BYTES_OPT,
) -> None:
    """List the quantitative targets of notices.

    Example: policydiff targets data/raw/zhengzhou-2022-highland-plan.txt data/raw/kaifeng-2021-expansion-plan.txt --compare
    """
    # lazy: each command loads only what it runs (--help and --version load no stage)
    from policydiff.api import load_documents, render_targets

    docs = load_documents(files, encoding=encoding, max_bytes=max_bytes)
    _print_rendered(render_targets(docs, fmt=fmt, compare=compare))


@app.command("export")
@handle_errors
def export_cmd(
    files: list[Path] = FILES_ARG,
    fmt: str = typer.Option(..., "--format", "-f", help="csv, xlsx, parquet or jsonl."),
    out: Path = typer.Option(..., "--out", "-o", help="Output file."),
    table: str = typer.Option("clauses", "--table", help="clauses, targets, citations or units."),
    force: bool = typer.Option(False, "--force", help="Overwrite --out if it exists."),
    raw_formulas: bool = typer.Option(
        False, "--raw-formulas", help="Keep cells starting with = + - @ as they are (by default they are made inert for Excel/WPS)."
    ),
    encoding: str | None = ENCODING_OPT,
    max_bytes: int | None = MAX_BYTES_OPT,
) -> None:
    """Export clause, target, citation or unit tables for Excel, pandas or a database.

    Example: policydiff export data/raw --format xlsx --out clauses.xlsx
    """
    # lazy: each command loads only what it runs (--help and --version load no stage)
    from policydiff.api import export_files

    notes: list[str] = []
    path, n_docs = export_files(
        files, fmt=fmt, out=out, table=table, force=force, encoding=encoding, max_bytes=max_bytes, raw_formulas=raw_formulas, notes=notes
    )
    _print_notes(notes)
    console().print(f"wrote {path} ({table}, {n_docs} documents)", markup=False, highlight=False)


@app.command("check")
@handle_errors
def check_cmd(
    files: list[Path] = FILES_ARG,
    fmt: str = typer.Option("text", "--format", "-f", help="text, json or github (workflow annotations)."),
    strict: bool = typer.Option(False, "--strict", help="Fail on warnings too."),
    parsed: Path | None = typer.Option(
        None, "--parsed", help="Folder of parsed JSON to check for staleness (default: the `parsed` folder beside each checked folder, data/raw → data/parsed; skipped if absent)."
    ),
    encoding: str | None = ENCODING_OPT,
    max_bytes: int | None = MAX_BYTES_OPT,
) -> None:
    """Check notices for problems, for CI on a document collection.

    Example: policydiff check data/raw --format github
    """
    # lazy: each command loads only what it runs (--help and --version load no stage)
    from policydiff.check import check_paths, exit_code, format_findings

    if fmt not in ("text", "json", "github"):
        raise UsageError(f"unknown --format {fmt!r}: choose text, json or github.")
    findings = check_paths(files, parsed_dir=parsed, encoding=encoding, max_bytes=max_bytes)
    sys.stdout.write(format_findings(findings, fmt))
    code = exit_code(findings, strict)
    if fmt == "text":
        errors = sum(f.severity == "error" for f in findings)
        warnings = sum(f.severity == "warning" for f in findings)
        err_console().print(f"checked: {errors} errors, {warnings} warnings", markup=False, highlight=False)
    raise typer.Exit(code)


@app.command("index")
@handle_errors
def index_cmd(
    corpus: Path = typer.Argument(..., help="Folder of notices (subfolders included).", show_default=False),
    out: Path = typer.Option(..., "--out", "-o", help="Index folder (Parquet tables and search structures)."),
    engine: Engine = typer.Option(Engine.local, "--engine", help="local (process pool) or dask."),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Dask scheduler address (default: a LocalCluster)."),
    prune: bool = typer.Option(False, "--prune", help="Allow removing more than half of the indexed documents (they are gone from the corpus)."),
) -> None:
    """Parse a corpus folder into an index for lineage and search; re-runs parse only changed files.

    Example: policydiff index data/raw --out data/index
    """
    # lazy: each command loads only what it runs (--help and --version load no stage)
    from policydiff.corpus.index import build_index

    stats = build_index(corpus, out, engine=engine.value, scheduler=scheduler, progress=sys.stderr.isatty(), prune=prune)
    _print_notes(stats.notes)
    console().print(
        f"indexed {stats.total} documents: {stats.parsed} parsed, {stats.reused} unchanged, {stats.removed} removed, {stats.failed} failed",
        markup=False,
        highlight=False,
    )
    for path, error in stats.errors:
        err_console().print(f"Error: {path}: {error}", markup=False, highlight=False, soft_wrap=True)
    if stats.errors:
        _flush_stdout()
        raise typer.Exit(1)


@app.command("lineage")
@handle_errors
def lineage_cmd(
    index: Path = typer.Argument(..., help="Index folder made by `policydiff index`.", show_default=False),
    fmt: str = typer.Option("table", "--format", "-f", help="table, json, csv, graphml or html."),
    engine: Engine = typer.Option(Engine.local, "--engine", help="local (process pool) or dask."),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Dask scheduler address."),
    reports: Path | None = typer.Option(
        None, "--reports", help="Also write a compare report (HTML) per edge into this folder; --format html links edges to them."
    ),
) -> None:
    """How documents descend from each other: implements, revises, sibling and cites relations with their evidence.

    Example: policydiff lineage data/index --format html --reports lineage-reports > lineage.html
    """
    # lazy: each command loads only what it runs (--help and --version load no stage)
    from policydiff.corpus.lineage import document_names, find_lineage
    from policydiff.corpus.lineage_evidence import write_reports
    from policydiff.corpus.lineage_facts import read_facts
    from policydiff.render.lineage import lineage_graphml, lineage_html, lineage_rows, lineage_table

    if fmt not in ("table", "json", "csv", "graphml", "html"):
        raise UsageError(f"unknown --format {fmt!r}: choose table, json, csv, graphml or html.")
    # lazy: each command loads only what it runs (--help and --version load no stage)
    from policydiff.corpus.store import check_readable

    check_readable(index)
    issues: list[dict[str, str]] = []
    edges = find_lineage(index, engine=engine.value, scheduler=scheduler, issues=issues, progress=sys.stderr.isatty())
    if reports is not None:
        write_reports(index, edges, reports, engine=engine.value, scheduler=scheduler, issues=issues)
    for i in issues:  # the run goes on; each pair that failed is named
        err_console().print(f"warning: could not compare {i['parent']} with {i['child']}: {i['error']}", markup=False, highlight=False)
    rows = lineage_rows(edges)
    if fmt == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    elif fmt == "graphml":
        sys.stdout.write(lineage_graphml(edges, document_names(index)))
    elif fmt == "html":
        works = {n: f.work for n, f in read_facts(index).items() if f.work}
        sys.stdout.write(lineage_html(edges, document_names(index), reports=None if reports is None else reports.as_posix(), works=works))
    elif fmt == "csv":
        buf = io.StringIO()
        fields = list(rows[0]) if rows else ["child", "parent", "relation"]
        w = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
        sys.stdout.write(buf.getvalue())
    else:
        console().print(lineage_table(edges, issues))


@app.command("search")
@handle_errors
def search_cmd(
    index: Path = typer.Argument(..., help="Index folder made by `policydiff index`.", show_default=False),
    query: str = typer.Argument(..., help="Text, or FILE:CLAUSE_ID.", show_default=False),
    top: int = typer.Option(20, "--top", help="How many clauses to show."),
) -> None:
    """The clauses in the corpus most similar to a text or a clause: which plans copied it?

    Example: policydiff search data/index "xinzheng-2023-highland-plan:s2.s2.c3"
    """
    from rich.table import Table  # rich loads only for terminal output

    from policydiff.corpus.search import search_clauses  # lazy: each command loads only what it runs

    hits = search_clauses(index, query, top=top)
    t = Table()
    for col in ("document", "clause", "label", "heading", "similarity"):
        t.add_column(col, overflow="fold")
    for h in hits:
        t.add_row(h.doc, h.clause_id, h.label, h.heading, f"{h.similarity:.2f}")
    console().print(t)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
