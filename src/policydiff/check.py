"""`policydiff check`: problems a document collection's CI should catch in new notices."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from policydiff.api import SUPPORTED_SUFFIXES, document_json, expand_inputs
from policydiff.errors import PolicydiffError
from policydiff.pipeline import parse_file

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


def check_paths(
    paths: list[Path], parsed_dir: Path | None = Path("data/parsed"), *, encoding: str | None = None, max_bytes: int | None = None
) -> list[Finding]:
    findings: list[Finding] = []
    for path in expand_inputs(paths, SUPPORTED_SUFFIXES):
        try:
            doc = parse_file(path, encoding=encoding, require_structure=False, max_bytes=max_bytes)
        except PolicydiffError as exc:
            findings.append(Finding(str(path), None, "error", "unreadable", str(exc)))
            continue
        for issue in doc.issues:
            severity = "error" if issue.code in ERROR_CODES else issue.severity
            findings.append(Finding(str(path), issue.line, severity, issue.code, issue.message))
        if not doc.clauses and not doc.sections:
            findings.append(Finding(str(path), None, "error", "no-clauses", "no numbered headings or clauses found"))
        kept = sum(1 for ch in doc.text if not ch.isspace())
        dropped = sum(len(d.text) for d in doc.dropped)
        if kept + dropped and dropped / (kept + dropped) > DROPPED_SHARE_WARN:
            findings.append(
                Finding(str(path), None, "warning", "much-dropped", f"{dropped / (kept + dropped):.0%} of the text was dropped as noise")
            )
        enc = doc.source.encoding
        if doc.source.format in ("txt", "md") and enc is None:
            findings.append(Finding(str(path), None, "warning", "encoding-undetected", "the text encoding was not detected"))
        if parsed_dir is not None and parsed_dir.is_dir():
            stored = parsed_dir / f"{doc.name}.json"
            if not stored.exists():
                findings.append(Finding(str(path), None, "error", "parsed-missing", f"{stored} is missing: run `policydiff parse {path}`"))
            elif stored.read_text(encoding="utf-8") != document_json(doc):
                findings.append(Finding(str(path), None, "error", "parsed-out-of-date", f"{stored} is out of date: run `policydiff parse {path}`"))
    return findings


def exit_code(findings: list[Finding], strict: bool) -> int:
    if any(f.severity == "error" for f in findings):
        return 1
    if strict and any(f.severity == "warning" for f in findings):
        return 1
    return 0


def format_findings(findings: list[Finding], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([f.__dict__ for f in findings], ensure_ascii=False, indent=2) + "\n"
    lines = []
    for f in findings:
        if f.severity == "info" and fmt != "json":
            continue
        if fmt == "github":
            kind = "error" if f.severity == "error" else "warning"
            loc = f"file={f.path}" + (f",line={f.line}" if f.line else "")
            lines.append(f"::{kind} {loc},title={f.code}::{f.message}")
        else:
            loc = f"{f.path}:{f.line}" if f.line else f.path
            lines.append(f"{loc}: {f.severity}: {f.code}: {f.message}")
    return "\n".join(lines) + ("\n" if lines else "")
