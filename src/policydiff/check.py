"""`policydiff check`: problems a document collection's CI should catch in new notices."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from policydiff._files import display_path
from policydiff.api import SUPPORTED_SUFFIXES, document_json, expand_inputs
from policydiff.errors import PolicydiffError
from policydiff.pipeline import parse_file
from policydiff.schema import Document

# More than this share of non-space characters dropped as noise deserves a look.
DROPPED_SHARE_WARN = 0.3
# Issue codes that are errors in a collection (the rest are warnings).
ERROR_CODES = {"unreadable", "empty-clause", "declared-count-mismatch", "numbering-gap", "numbering-repeat", "no-clauses"}


@dataclass
class Finding:
    path: str
    line: int | None
    severity: str  # error | warning | info
    code: str
    message: str
    # The library error behind an `unreadable` finding: a caller can state its fix in its own terms.
    error: PolicydiffError | None = field(default=None, compare=False, repr=False)


# Facts about a document as it was published, which a collection cannot change without editing the
# source (never done): listed as info, so that `--strict` fails only on what the collection can fix.
SOURCE_FACT_CODES = {"no-doc-number", "no-title"}


def default_parsed_dir(path: Path) -> Path:
    """The parsed JSON of a collection sits beside its raw folder: data/raw → data/parsed."""
    folder = path if path.is_dir() else path.parent
    return folder.resolve().parent / "parsed"


def _as_published(doc: Document, line: int | None) -> bool:
    """Whether the duplicate table row at `line` was numbered apart from the row it repeats: the serial
    numbers differ, so the author wrote it twice (a conversion that doubled a line doubles its number too)."""
    for att in doc.attachments:
        for table in att.tables:
            for row in table.rows:
                if row.line == line and row.duplicate_of is not None:
                    return row.cells != table.rows[row.duplicate_of].cells
    return False


def _same_parse(stored: Path, doc: Document) -> bool:
    """Whether `stored` holds `doc`'s parse; the source path is left out, since it records how the file
    was named when it was parsed (data/raw/x.txt from the repository root), not what it holds."""
    try:
        text = stored.read_text(encoding="utf-8")
        if text == document_json(doc):
            return True
        old = Document.model_validate_json(text)
    except (OSError, UnicodeDecodeError, ValueError):
        return False
    old = old.model_copy(update={"source": old.source.model_copy(update={"path": doc.source.path})})
    return document_json(old) == document_json(doc)


def check_paths(
    paths: list[Path], parsed_dir: Path | None = None, *, encoding: str | None = None, max_bytes: int | None = None
) -> list[Finding]:
    """Findings for every notice in `paths`, folders searched with their subfolders (a collection is
    checked whole). `parsed_dir` None: each path's sibling `parsed/` folder (data/raw → data/parsed),
    wherever the command runs; a notice in data/raw/henan has its parse in data/parsed/henan."""
    findings: list[Finding] = []
    for given in paths:
        notes: list[str] = []
        files = expand_inputs([given], SUPPORTED_SUFFIXES, notes=notes, recursive=True)
        findings.extend(Finding(display_path(given), None, "info", "skipped", n) for n in notes)
        stored_dir = parsed_dir if parsed_dir is not None else default_parsed_dir(Path(given))
        for path in files:
            below = path.parent.relative_to(given) if Path(given).is_dir() else Path()
            findings.extend(_check_one(path, stored_dir, below, encoding, max_bytes))
    return findings


def _check_one(path: Path, parsed_dir: Path, below: Path, encoding: str | None, max_bytes: int | None) -> list[Finding]:
    """Findings of one notice; its parse is looked for in `parsed_dir`/`below` when `parsed_dir` exists."""
    shown = display_path(path)
    findings: list[Finding] = []
    try:
        doc = parse_file(path, encoding=encoding, require_structure=False, max_bytes=max_bytes)
    except PolicydiffError as exc:
        return [Finding(shown, None, "error", "unreadable", str(exc), error=exc)]
    for issue in doc.issues:
        severity = "error" if issue.code in ERROR_CODES else issue.severity
        if issue.code in SOURCE_FACT_CODES or (issue.code == "duplicate-table-row" and _as_published(doc, issue.line)):
            severity = "info"
        findings.append(Finding(shown, issue.line, severity, issue.code, issue.message))
    if not doc.clauses and not doc.sections:
        findings.append(Finding(shown, None, "error", "no-clauses", "no numbered headings or clauses found"))
    kept = sum(1 for ch in doc.text if not ch.isspace())
    dropped = sum(len(d.text) for d in doc.dropped)
    if kept + dropped and dropped / (kept + dropped) > DROPPED_SHARE_WARN:
        findings.append(Finding(shown, None, "warning", "much-dropped", f"{dropped / (kept + dropped):.0%} of the text was dropped as noise"))
    enc = doc.source.encoding
    if doc.source.format in ("txt", "md") and enc is None:
        findings.append(Finding(shown, None, "warning", "encoding-undetected", "the text encoding was not detected"))
    if parsed_dir.is_dir():
        parsed_dir = parsed_dir / below
        stored = parsed_dir / f"{doc.name}.json"
        if not stored.exists():
            findings.append(Finding(shown, None, "error", "parsed-missing", f"{stored} is missing: run `policydiff parse {shown} --out {parsed_dir}`"))
        else:
            current = _same_parse(stored, doc)
            if not current:
                findings.append(
                    Finding(shown, None, "error", "parsed-out-of-date", f"{stored} is out of date: run `policydiff parse {shown} --out {parsed_dir}`")
                )
    return findings


def exit_code(findings: list[Finding], strict: bool) -> int:
    if any(f.severity == "error" for f in findings):
        return 1
    if strict and any(f.severity == "warning" for f in findings):
        return 1
    return 0
