"""The outputs of `check`: findings as text lines, JSON or GitHub workflow annotations, and the summary line."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any, Protocol


class FindingLike(Protocol):
    # `check.Finding`, described here so that render does not import check (a layer above it).
    path: str
    line: int | None
    severity: str  # error | warning | info
    code: str
    message: str


def _lines(lines: list[str]) -> str:
    return "\n".join(lines) + ("\n" if lines else "")


def findings_text(findings: Sequence[FindingLike]) -> str:
    """`path:line: severity: code: message`, info findings left out."""
    lines = []
    for f in findings:
        if f.severity != "info":
            loc = f"{f.path}:{f.line}" if f.line else f.path
            lines.append(f"{loc}: {f.severity}: {f.code}: {f.message}")
    return _lines(lines)


def findings_github(findings: Sequence[FindingLike]) -> str:
    """GitHub Actions workflow commands (`::error file=…,line=…,title=code::message`), info left out."""
    lines = []
    for f in findings:
        if f.severity == "info":
            continue
        kind = "error" if f.severity == "error" else "warning"
        loc = f"file={f.path}" + (f",line={f.line}" if f.line else "")
        lines.append(f"::{kind} {loc},title={f.code}::{f.message}")
    return _lines(lines)


def findings_json(findings: Sequence[FindingLike]) -> str:
    """Every finding, info included."""
    fields = ("path", "line", "severity", "code", "message")
    return json.dumps([{k: getattr(f, k) for k in fields} for f in findings], ensure_ascii=False, indent=2) + "\n"


FINDING_RENDERERS: dict[str, Callable[[Sequence[Any]], str]] = {
    "text": findings_text,
    "json": findings_json,
    "github": findings_github,
}


def check_summary(findings: Sequence[FindingLike]) -> str:
    errors = sum(f.severity == "error" for f in findings)
    warnings = sum(f.severity == "warning" for f in findings)
    return f"checked: {errors} errors, {warnings} warnings"
