"""Thin typer layer: parse arguments, call the library, print what `render` made of it (through `cli_io`). Commands
import the library when they run: --help stays fast, and each loads only what it uses (compare -f csv: no rich, no jieba)."""

# No `from __future__ import annotations`: typer would evaluate string annotations anew on each run.
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import typer

from policydiff import __version__
from policydiff.cli_io import explain, fail, handle_errors, plain_terminal, say, show
from policydiff.render import formats as F
from policydiff.render.messages import note, pair_warning, wrote

app = typer.Typer(
    add_completion=False, no_args_is_help=True, rich_markup_mode=None, context_settings={"help_option_names": ["-h", "--help"]},
    help="Parse Chinese policy notices into clause trees and compare a local plan with the plan it descends from.",
)


def command(name: str) -> Callable[[Callable[..., Any]], Any]:
    """A command of `app`, inside the error boundary."""
    return lambda func: app.command(name)(handle_errors(func))


def version_callback(value: bool) -> None:
    if value:
        print(f"policydiff {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(version: bool = typer.Option(False, "--version", callback=version_callback, is_eager=True, help="Print the version and exit.")) -> None:
    pass


FILES = typer.Argument(..., help="Notice files (.txt .md .docx .pdf .html, or parsed .json) or folders.", show_default=False)
INDEX = typer.Argument(..., help="Index folder made by `policydiff index`.", show_default=False)
ENCODING = typer.Option(None, "--encoding", help="Text encoding of .txt/.md input, e.g. gb18030 (default: detected).")
MAX_BYTES = typer.Option(None, "--max-bytes", min=1, help="Refuse input files larger than this many bytes, before reading them (default: 20 MB).")
FORCE = typer.Option(False, "--force", help="Overwrite --out if it exists.")
ENGINE = typer.Option(F.Engine.local, "--engine", help="A local process pool, or dask.")
SCHEDULER = typer.Option(None, "--scheduler", help="Dask scheduler address (default: a LocalCluster).")


@command("parse")
def parse_cmd(
    files: list[Path] = FILES,
    out: Path = typer.Option(Path("data/parsed"), "--out", "-o", help="Folder for <name>.json files."),
    fmt: F.ParseFormat = typer.Option("table", "--format", "-f", help="table: write JSON files, print a summary; json: print the documents."),
    encoding: str | None = ENCODING, max_bytes: int | None = MAX_BYTES,
) -> None:
    """Parse notices into validated document trees.

    Example: policydiff parse data/raw/*.txt --out data/parsed"""
    from policydiff import api  # why: the library loads when a command runs
    notes: list[str] = []
    done, failed = api.split_failures(api.parse_each(files, encoding=encoding, max_bytes=max_bytes, notes=notes))
    say(*map(note, notes), err=True)
    docs = [d for _, d in done]  # one bad file does not stop the others
    if docs and fmt is F.ParseFormat.json:
        sys.stdout.write(api.documents_json(docs))
    elif docs:
        written = api.write_parsed(docs, out, [p for p, _ in done])
        from policydiff.render.terminal import parse_summary  # why: the summary table loads rich, which JSON output does not need
        show(parse_summary(docs))
        say(*map(wrote, written))
    fail(failed)


@command("show")
def show_cmd(
    file: Path = typer.Argument(..., help="A notice or a parsed .json.", show_default=False), encoding: str | None = ENCODING, max_bytes: int | None = MAX_BYTES
) -> None:
    """Print a notice's tree: sections with their text and items, clauses with targets and responsible units marked in the text, and warnings.
    Without colour (piped or NO_COLOR), targets read [20个] and responsible units {市教体局}.

    Example: policydiff show data/raw/kaifeng-2021-expansion-plan.txt"""
    # why: the library loads when a command runs
    from policydiff.api import parse_many
    from policydiff.render.terminal import document_tree
    (doc,) = parse_many([file], encoding=encoding, max_bytes=max_bytes)
    show(document_tree(doc, markers=plain_terminal()), soft_wrap=False)


@command("schema")
def schema_cmd(model: F.SchemaModel = typer.Option("document", "--model", help="document (parse), alignment (compare A B) or multi (compare A B C...).")) -> None:
    """Print the JSON Schema generated from the models.

    Example: policydiff schema > document.schema.json"""
    from policydiff.api import json_schema  # why: the library loads when a command runs
    sys.stdout.write(json_schema(model.value) + "\n")


@command("compare")
def compare_cmd(
    files: list[Path] = typer.Argument(..., help="PARENT CHILD [MORE...]: the reference plan first.", show_default=False),
    fmt: F.CompareFormat = typer.Option("table", "--format", "-f", help="docx: the 新旧对照表 in Word; xlsx: the same table."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Write to this file instead of standard output (required for html, docx, xlsx)."),
    detail: bool = typer.Option(False, "--detail", help="Show word-level diffs inside each pair (coloured; without colour marked [-deleted-]{+inserted+})."),
    all_rows: bool = typer.Option(False, "--all", help="docx/xlsx: keep identical rows (folded into a count by default)."),
    related: bool = typer.Option(True, "--related/--no-related", help="Report `related` pairs (the same measure in other words; "
                                 "loads jieba when a clause has no textual pair)."),
    concepts: list[Path] = typer.Option([], "--concepts", help="A concept table (TSV: concept, then its terms) added to the shipped one for "
                                        "`related` pairs; repeatable. Also read from POLICYDIFF_CONCEPTS (paths separated by :)."),
    threshold: float | None = typer.Option(None, "--threshold", min=0, max=1, help="Least similarity (0–1, the sim column) of a reported clause "
                                           "pair; the clauses of a less similar pair are listed as dropped/added. Default: no cutoff, every pair the "
                                           "sentence links support (parts of a merge can be 0.2 similar)."),
    auto_order: bool = typer.Option(False, "--auto-order", help="Reorder the files: cited documents before those citing them, then by date; "
                                    "the most ancestral is the reference."),
    force: bool = FORCE,
    encoding: str | None = ENCODING, max_bytes: int | None = MAX_BYTES,
) -> None:
    """Align a child plan with the plan it descends from, clause by clause.

    Example: policydiff compare data/raw/zhengzhou-2022-highland-plan.txt data/raw/xinzheng-2023-highland-plan.txt"""
    from policydiff.api import compare_files  # why: the library loads when a command runs
    if len(files) < 2:
        raise typer.BadParameter("give at least two documents: PARENT CHILD", param_hint="FILES")
    # Only the terminal table with --detail needs to know (and loads rich for it).
    colour = not plain_terminal() if detail and fmt is F.CompareFormat.table and out is None else True
    rendered = compare_files(files, fmt=fmt.value, out=out, detail=detail, threshold=threshold, auto_order=auto_order, force=force, encoding=encoding,
                             max_bytes=max_bytes, color=colour, all_rows=all_rows, concepts=tuple(str(c) for c in concepts), related=related)
    if rendered is not None:
        show(rendered)
    elif out is not None:
        say(wrote(out))


@command("targets")
def targets_cmd(
    files: list[Path] = FILES,
    fmt: F.TargetsFormat = typer.Option("table", "--format", "-f", help="Output format."),
    compare: bool = typer.Option(False, "--compare", help="One row per subject, a column per document."),
    encoding: str | None = ENCODING, max_bytes: int | None = MAX_BYTES,
) -> None:
    """List the quantitative targets of notices.

    Example: policydiff targets data/raw/zhengzhou-2022-highland-plan.txt data/raw/kaifeng-2021-expansion-plan.txt --compare"""
    from policydiff.api import load_documents, render_targets  # why: the library loads when a command runs
    show(render_targets(load_documents(files, encoding=encoding, max_bytes=max_bytes), fmt=fmt.value, compare=compare))


@command("export")
def export_cmd(
    files: list[Path] = FILES,
    fmt: F.ExportFormat = typer.Option(..., "--format", "-f", help="File format."),
    out: Path = typer.Option(..., "--out", "-o", help="Output file."),
    table: F.ExportTable = typer.Option("clauses", "--table", help="Which table (xlsx from clauses: all four, one sheet each)."),
    force: bool = FORCE,
    raw_formulas: bool = typer.Option(False, "--raw-formulas", help="Keep cells starting with = + - @ as they are (by default made inert for Excel/WPS)."),
    encoding: str | None = ENCODING, max_bytes: int | None = MAX_BYTES,
) -> None:
    """Export clause, target, citation or unit tables for Excel, pandas or a database.

    Example: policydiff export data/raw --format xlsx --out clauses.xlsx"""
    from policydiff.api import export_files  # why: the library loads when a command runs
    notes: list[str] = []
    path, n_docs = export_files(files, fmt=fmt.value, out=out, table=table.value, force=force, encoding=encoding, max_bytes=max_bytes,
                                raw_formulas=raw_formulas, notes=notes)
    say(*map(note, notes), err=True)
    say(wrote(path, f"{table.value}, {n_docs} documents"))


@command("check")
def check_cmd(
    files: list[Path] = FILES,
    fmt: F.CheckFormat = typer.Option("text", "--format", "-f", help="github: workflow annotations."),
    strict: bool = typer.Option(False, "--strict", help="Fail on warnings too."),
    parsed: Path | None = typer.Option(None, "--parsed", help="Folder of parsed JSON to check for staleness (default: the `parsed` folder "
                                       "beside each checked folder, data/raw → data/parsed; skipped if absent)."),
    encoding: str | None = ENCODING, max_bytes: int | None = MAX_BYTES,
) -> None:
    """Check notices for problems, for CI on a document collection (folders with their subfolders).

    Example: policydiff check data/raw --format github"""
    # why: the library loads when a command runs
    from policydiff.check import check_paths, exit_code
    from policydiff.render.findings import FINDING_RENDERERS, check_summary
    findings = [replace(f, message=explain(f.error)) if f.error else f for f in check_paths(files, parsed_dir=parsed, encoding=encoding, max_bytes=max_bytes)]
    sys.stdout.write(FINDING_RENDERERS[fmt.value](findings))
    if fmt is F.CheckFormat.text:
        say(check_summary(findings), err=True)
    raise typer.Exit(exit_code(findings, strict))


@command("index")
def index_cmd(
    corpus: Path = typer.Argument(..., help="Folder of notices (subfolders included).", show_default=False),
    out: Path = typer.Option(..., "--out", "-o", help="Index folder (Parquet tables and search structures)."),
    engine: F.Engine = ENGINE, scheduler: str | None = SCHEDULER,
    prune: bool = typer.Option(False, "--prune", help="Allow removing more than half of the indexed documents (they are gone from the corpus)."),
) -> None:
    """Parse a corpus folder into an index for lineage and search; re-runs parse only changed files.

    Example: policydiff index data/raw --out data/index"""
    # why: the library (numpy, pyarrow) loads when a command runs
    from policydiff.corpus.index import build_index
    from policydiff.render.corpus import index_error, index_summary
    stats = build_index(corpus, out, engine=engine.value, scheduler=scheduler, progress=sys.stderr.isatty(), prune=prune)
    say(*map(note, stats.notes), err=True)
    say(index_summary(stats))
    fail([index_error(path, err) for path, err in stats.errors])


@command("lineage")
def lineage_cmd(
    index: Path = INDEX,
    fmt: F.LineageFormat = typer.Option("table", "--format", "-f", help="Output format."),
    engine: F.Engine = ENGINE, scheduler: str | None = SCHEDULER,
    reports: Path | None = typer.Option(None, "--reports", help="Also write a compare report (HTML) per edge into this folder; --format html links to them."),
) -> None:
    """How documents descend from each other: implements, revises, sibling and cites relations with their evidence.

    Example: policydiff lineage data/index --format html --reports lineage-reports > lineage.html"""
    # why: the library (numpy, pyarrow) loads when a command runs
    from policydiff.corpus.lineage_run import lineage_view
    from policydiff.render.lineage import LINEAGE_RENDERERS
    view = lineage_view(index, engine=engine.value, scheduler=scheduler, reports=reports, progress=sys.stderr.isatty())
    say(*map(pair_warning, view.issues), err=True)  # the run went on; each pair that failed is named
    show(LINEAGE_RENDERERS[fmt.value](view))


@command("search")
def search_cmd(
    index: Path = INDEX,
    query: str = typer.Argument(..., help="Text, or FILE:CLAUSE_ID.", show_default=False),
    top: int = typer.Option(20, "--top", help="How many clauses to show."),
) -> None:
    """The clauses in the corpus most similar to a text or a clause: which plans copied it?

    Example: policydiff search data/index "xinzheng-2023-highland-plan:s2.s2.c3"
    """
    # why: the library (numpy, pyarrow) loads when a command runs
    from policydiff.corpus.search import search_clauses
    from policydiff.render.corpus import search_table
    show(search_table(search_clauses(index, query, top=top)))


def main() -> None:
    app()

