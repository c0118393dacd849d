"""Thin typer layer: parse arguments, call the library, print what `render` made of it."""

# No `from __future__ import annotations`: typer reads every command's annotations on each
# run, and string annotations would be evaluated anew each time.
import errno
import os
import sys
from collections.abc import Callable
from functools import cache, wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
import typer

from policydiff import __version__
from policydiff.errors import OutputPathError, OutputRequiredError, OverwriteRefusedError, PolicydiffError
from policydiff.render import formats as F
from policydiff.render.messages import error, error_line, note, output_error_line, wrote

if TYPE_CHECKING:
    from rich.console import Console

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Parse Chinese policy notices into clause trees and compare a local plan with the plan it descends from.",
    context_settings={"help_option_names": ["-h", "--help"]},
)
# The library says what is wrong; the CLI names the option that fixes it.
FLAG_FIXES: dict[type[PolicydiffError], str] = {
    OutputRequiredError: "Pass --out FILE.",
    OverwriteRefusedError: "Pass --force to overwrite it, or choose another --out.",
    OutputPathError: "Choose another --out.",
}


@cache
def console(stderr: bool = False) -> "Console":
    # why: rich loads only when something is printed through it (csv/json output is written plainly)
    from rich.console import Console

    return Console(stderr=stderr, soft_wrap=True)


def say(line: str, *, err: bool = False) -> None:
    """One plain line (no markup) to stdout, or to stderr."""
    console(err).print(line, markup=False, highlight=False, soft_wrap=True)


def say_notes(notes: list[str]) -> None:
    for text in notes:
        say(note(text), err=True)


def show(rendered: Any) -> None:
    """Text (json, csv, markdown…) goes to stdout as it is; terminal tables through rich."""
    if isinstance(rendered, str):
        sys.stdout.write(rendered)
    else:
        console(False).print(rendered)


def has_colour() -> bool:
    """Whether standard output shows colour (not piped, NO_COLOR unset)."""
    return console(False).color_system is not None and not console(False).no_color


def _silence_stdout() -> None:
    # What is still buffered for stdout would fail again at exit.
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _fail(errors: list[PolicydiffError] | list[str]) -> None:
    """Failures of single inputs in a batch that went on: one `Error:` line each, then exit 1 (or the errors' code)."""
    for exc in errors:
        say(error(str(exc)), err=True)
    if errors:
        sys.stdout.flush()
        raise typer.Exit(max(getattr(e, "exit_code", 1) for e in errors))


C = TypeVar("C", bound=Callable[..., Any])
# Usage errors typer reports itself (exit 2); typer ≥ 0.26 raises its own copy of click's exceptions.
USAGE_EXCEPTIONS = (typer.Abort, click.exceptions.ClickException, getattr(typer, "TyperException", click.exceptions.ClickException))


def handle_errors(func: C) -> C:
    """Every failure of a command becomes one `Error: …` line (cause and fix) and exit code 1 (2 for usage)."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            result = func(*args, **kwargs)
            sys.stdout.flush()  # inside the boundary: a failed write (a full disk) is an error too
            return result
        except typer.Exit:
            sys.stdout.flush()
            raise
        except USAGE_EXCEPTIONS:
            raise
        except KeyboardInterrupt:
            say("Error: interrupted; nothing was written.", err=True)
            raise typer.Exit(130) from None
        except BrokenPipeError:  # the reader went away (`| head`): stop quietly
            _silence_stdout()
            raise typer.Exit(1) from None
        except Exception as exc:
            if os.environ.get("POLICYDIFF_DEBUG"):
                raise
            line, code = error_line(exc)
            line = next((f"{line} {fix}" for kind, fix in FLAG_FIXES.items() if isinstance(exc, kind)), line)
            if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EIO, errno.EDQUOT) and exc.filename is None:
                line = output_error_line(exc)
                _silence_stdout()
            say(error(line), err=True)
            raise typer.Exit(code) from None

    return wrapper  # type: ignore[return-value]


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
INDEX_ARG = typer.Argument(..., help="Index folder made by `policydiff index`.", show_default=False)
ENCODING_OPT = typer.Option(None, "--encoding", help="Text encoding of .txt/.md input, e.g. gb18030 (default: detected).")
MAX_BYTES_OPT = typer.Option(None, "--max-bytes", min=1, help="Refuse input files larger than this many bytes, before reading them (default: 20 MB).")
FORCE_OPT = typer.Option(False, "--force", help="Overwrite --out if it exists.")
ENGINE_OPT = typer.Option(F.Engine.local, "--engine", help="local (process pool) or dask.")
# Commands import the library when they run: --help and --version stay fast, and each command loads only what it uses.


@app.command("parse")
@handle_errors
def parse_cmd(
    files: list[Path] = FILES_ARG,
    out: Path = typer.Option(Path("data/parsed"), "--out", "-o", help="Folder for <name>.json files."),
    fmt: F.ParseFormat = typer.Option(
        F.ParseFormat.table, "--format", "-f", help="table: write JSON files and print a summary; json: print the document JSON instead (an array for several files)."
    ),
    encoding: str | None = ENCODING_OPT,
    max_bytes: int | None = MAX_BYTES_OPT,
) -> None:
    """Parse notices into validated document trees.

    Example: policydiff parse data/raw/*.txt --out data/parsed
    """
    # why: the library loads when a command runs (fast --help)
    from policydiff import api

    notes: list[str] = []
    results = api.parse_each(files, encoding=encoding, max_bytes=max_bytes, notes=notes)
    say_notes(notes)
    # One bad file does not stop the others: each failure is one Error line, and the exit code is 1.
    done = [(p, d) for p, d in results if not isinstance(d, PolicydiffError)]
    docs = [d for _, d in done]
    if docs and fmt is F.ParseFormat.json:
        sys.stdout.write(api.documents_json(docs))
    elif docs:
        written = api.write_parsed(docs, out, [p for p, _ in done])
        # why: the summary table loads rich, which JSON output does not need
        from policydiff.render.terminal import parse_summary

        show(parse_summary(docs))
        for path in written:
            say(wrote(path))
    _fail([d for _, d in results if isinstance(d, PolicydiffError)])


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
    # why: the library loads when a command runs (fast --help)
    from policydiff.api import parse_many
    from policydiff.render.terminal import document_tree

    (doc,) = parse_many([file], encoding=encoding, max_bytes=max_bytes)
    console(False).print(document_tree(doc, markers=not has_colour()), soft_wrap=False)


@app.command("schema")
@handle_errors
def schema_cmd(
    model: F.SchemaModel = typer.Option(F.SchemaModel.document, "--model", help="document (parse), alignment (compare A B) or multi (compare A B C...)."),
) -> None:
    """Print the JSON Schema generated from the models.

    Example: policydiff schema > document.schema.json
    """
    # why: the library loads when a command runs (fast --help)
    from policydiff.api import json_schema

    sys.stdout.write(json_schema(model.value) + "\n")


@app.command("compare")
@handle_errors
def compare_cmd(
    files: list[Path] = typer.Argument(..., help="PARENT CHILD [MORE...]: the reference plan first.", show_default=False),
    fmt: F.CompareFormat = typer.Option(
        F.CompareFormat.table, "--format", "-f", help="table, json, csv, markdown, html, docx (the 新旧对照表 in Word) or xlsx (the same table)."
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
        None, "--threshold", min=0, max=1,
        help="Least similarity (0–1, the sim column) of a reported clause pair; the clauses of a less similar pair are listed as dropped/added. "
        "Default: no cutoff, every pair the sentence links support (parts of a merge can be 0.2 similar).",
    ),
    auto_order: bool = typer.Option(
        False, "--auto-order", help="Reorder the files: cited documents before those citing them, then by date; the most ancestral is the reference."
    ),
    force: bool = FORCE_OPT,
    encoding: str | None = ENCODING_OPT,
    max_bytes: int | None = MAX_BYTES_OPT,
) -> None:
    """Align a child plan with the plan it descends from, clause by clause.

    Example: policydiff compare data/raw/zhengzhou-2022-highland-plan.txt data/raw/xinzheng-2023-highland-plan.txt
    """
    # why: the library loads when a command runs (fast --help)
    from policydiff.api import compare_files

    if len(files) < 2:
        raise typer.BadParameter("give at least two documents: PARENT CHILD", param_hint="FILES")
    # Only the terminal table with --detail needs to know (and loads rich for it).
    colour = has_colour() if detail and fmt is F.CompareFormat.table and out is None else True
    rendered = compare_files(
        files, fmt=fmt.value, out=out, detail=detail, threshold=threshold, auto_order=auto_order, force=force, encoding=encoding,
        max_bytes=max_bytes, color=colour, all_rows=all_rows, concepts=tuple(str(c) for c in concepts), related=related,
    )
    if rendered is not None:
        show(rendered)
    elif out is not None:
        say(wrote(out))


@app.command("targets")
@handle_errors
def targets_cmd(
    files: list[Path] = FILES_ARG,
    fmt: F.TargetsFormat = typer.Option(F.TargetsFormat.table, "--format", "-f", help="table, json or csv."),
    compare: bool = typer.Option(False, "--compare", help="One row per subject, a column per document."),
    encoding: str | None = ENCODING_OPT,
    max_bytes: int | None = MAX_BYTES_OPT,
) -> None:
    """List the quantitative targets of notices.

    Example: policydiff targets data/raw/zhengzhou-2022-highland-plan.txt data/raw/kaifeng-2021-expansion-plan.txt --compare
    """
    # why: the library loads when a command runs (fast --help)
    from policydiff.api import load_documents, render_targets

    show(render_targets(load_documents(files, encoding=encoding, max_bytes=max_bytes), fmt=fmt.value, compare=compare))


@app.command("export")
@handle_errors
def export_cmd(
    files: list[Path] = FILES_ARG,
    fmt: F.ExportFormat = typer.Option(..., "--format", "-f", help="csv, xlsx, parquet or jsonl."),
    out: Path = typer.Option(..., "--out", "-o", help="Output file."),
    table: F.ExportTable = typer.Option(F.ExportTable.clauses, "--table", help="clauses, targets, citations or units."),
    force: bool = FORCE_OPT,
    raw_formulas: bool = typer.Option(
        False, "--raw-formulas", help="Keep cells starting with = + - @ as they are (by default they are made inert for Excel/WPS)."
    ),
    encoding: str | None = ENCODING_OPT,
    max_bytes: int | None = MAX_BYTES_OPT,
) -> None:
    """Export clause, target, citation or unit tables for Excel, pandas or a database.

    Example: policydiff export data/raw --format xlsx --out clauses.xlsx
    """
    # why: the library loads when a command runs (fast --help)
    from policydiff.api import export_files

    notes: list[str] = []
    path, n_docs = export_files(
        files, fmt=fmt.value, out=out, table=table.value, force=force, encoding=encoding, max_bytes=max_bytes, raw_formulas=raw_formulas, notes=notes
    )
    say_notes(notes)
    say(wrote(path, f"{table.value}, {n_docs} documents"))


@app.command("check")
@handle_errors
def check_cmd(
    files: list[Path] = FILES_ARG,
    fmt: F.CheckFormat = typer.Option(F.CheckFormat.text, "--format", "-f", help="text, json or github (workflow annotations)."),
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
    # why: the library loads when a command runs (fast --help)
    from policydiff.check import check_paths, exit_code
    from policydiff.render.findings import FINDING_RENDERERS, check_summary

    findings = check_paths(files, parsed_dir=parsed, encoding=encoding, max_bytes=max_bytes)
    sys.stdout.write(FINDING_RENDERERS[fmt.value](findings))
    if fmt is F.CheckFormat.text:
        say(check_summary(findings), err=True)
    raise typer.Exit(exit_code(findings, strict))


@app.command("index")
@handle_errors
def index_cmd(
    corpus: Path = typer.Argument(..., help="Folder of notices (subfolders included).", show_default=False),
    out: Path = typer.Option(..., "--out", "-o", help="Index folder (Parquet tables and search structures)."),
    engine: F.Engine = ENGINE_OPT,
    scheduler: str | None = typer.Option(None, "--scheduler", help="Dask scheduler address (default: a LocalCluster)."),
    prune: bool = typer.Option(False, "--prune", help="Allow removing more than half of the indexed documents (they are gone from the corpus)."),
) -> None:
    """Parse a corpus folder into an index for lineage and search; re-runs parse only changed files.

    Example: policydiff index data/raw --out data/index
    """
    # why: the library (numpy, pyarrow) loads when a command runs (fast --help)
    from policydiff.corpus.index import build_index
    from policydiff.render.corpus import index_summary

    stats = build_index(corpus, out, engine=engine.value, scheduler=scheduler, progress=sys.stderr.isatty(), prune=prune)
    say_notes(stats.notes)
    say(index_summary(stats))
    _fail([f"{path}: {err}" for path, err in stats.errors])


@app.command("lineage")
@handle_errors
def lineage_cmd(
    index: Path = INDEX_ARG,
    fmt: F.LineageFormat = typer.Option(F.LineageFormat.table, "--format", "-f", help="table, json, csv, graphml or html."),
    engine: F.Engine = ENGINE_OPT,
    scheduler: str | None = typer.Option(None, "--scheduler", help="Dask scheduler address."),
    reports: Path | None = typer.Option(
        None, "--reports", help="Also write a compare report (HTML) per edge into this folder; --format html links edges to them."
    ),
) -> None:
    """How documents descend from each other: implements, revises, sibling and cites relations with their evidence.

    Example: policydiff lineage data/index --format html --reports lineage-reports > lineage.html
    """
    # why: the library (numpy, pyarrow) loads when a command runs (fast --help)
    from policydiff.corpus.lineage import document_names, find_lineage
    from policydiff.corpus.lineage_evidence import write_reports
    from policydiff.corpus.lineage_facts import read_facts
    from policydiff.corpus.store import check_readable
    from policydiff.render.lineage import LINEAGE_RENDERERS, LineageView
    from policydiff.render.messages import pair_warning

    check_readable(index)
    issues: list[dict[str, str]] = []
    edges = find_lineage(index, engine=engine.value, scheduler=scheduler, issues=issues, progress=sys.stderr.isatty())
    if reports is not None:
        write_reports(index, edges, reports, engine=engine.value, scheduler=scheduler, issues=issues)
    for issue in issues:  # the run goes on; each pair that failed is named
        say(pair_warning(issue), err=True)
    works = lambda: {n: f.work for n, f in read_facts(index).items() if f.work}
    view = LineageView(edges, issues, names=lambda: document_names(index), works=works, reports=reports.as_posix() if reports else None)
    show(LINEAGE_RENDERERS[fmt.value](view))


@app.command("search")
@handle_errors
def search_cmd(
    index: Path = INDEX_ARG,
    query: str = typer.Argument(..., help="Text, or FILE:CLAUSE_ID.", show_default=False),
    top: int = typer.Option(20, "--top", help="How many clauses to show."),
) -> None:
    """The clauses in the corpus most similar to a text or a clause: which plans copied it?

    Example: policydiff search data/index "xinzheng-2023-highland-plan:s2.s2.c3"
    """
    # why: the library (numpy, pyarrow) loads when a command runs (fast --help)
    from policydiff.corpus.search import search_clauses
    from policydiff.render.corpus import search_table

    show(search_table(search_clauses(index, query, top=top)))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
