"""Types and small helpers shared by the format readers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from policydiff.schema import Dropped, Issue, Source

DropReason = Literal["page-number", "page-header", "page-footer", "html-boilerplate", "word-artifact"]

# Ideographs (incl. extension A and compatibility ideographs).
CJK_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RE = re.compile(f"[{CJK_CLASS}]")


@dataclass
class Ingested:
    """A file read into plain text: one paragraph per line, tables as tab-separated blocks."""

    text: str
    source: Source
    dropped: list[Dropped] = field(default_factory=list)
    title: str | None = None  # the title its source marks (a web page's heading or <title>)
    page_fields: list[str] = field(default_factory=list)  # a web page's own metadata lines (索引号：…, 发布日期：…)
    issues: list[Issue] = field(default_factory=list)  # parts that could not be read, and what that leaves out


def dropped(text: str, reason: DropReason, *, page: int | None = None) -> Dropped:
    """A span removed during ingest: it never reaches the text, so it has no raw offsets or line.
    `page` is the 1-based page of a PDF it was on."""
    return Dropped(text=text, reason=reason, raw_start=-1, raw_end=-1, page=page)


def count_cjk(text: str) -> int:
    return len(CJK_RE.findall(text))


def clean_cell(text: str) -> str:
    # A tab or newline inside a cell would split it into extra columns or rows downstream.
    return " ".join(text.split())


class LineBuffer:
    """Collects output lines; keeps a blank line around tables and never two blank lines in a row."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, line: str) -> None:
        if "\n" in line:
            for part in line.split("\n"):
                self.add(part)
            return
        # A tab outside a table would make the structure stage see a table.
        line = line.replace("\t", " ").rstrip()
        if not line.strip():
            self.blank()
            return
        self.lines.append(line)

    def blank(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def add_table(self, rows: list[list[str]]) -> None:
        """Header row first, one row per line, cells tab-separated, blank line before and after."""
        cleaned = [[clean_cell(c) for c in row] for row in rows]
        cleaned = [row for row in cleaned if any(row)]
        if not cleaned:
            return
        width = max(len(r) for r in cleaned)
        if width < 2:
            # A one-column "table" is a box around paragraphs, not data.
            for row in cleaned:
                self.add(row[0] if row else "")
            return
        self.blank()
        for row in cleaned:
            row = row + [""] * (width - len(row))
            self.lines.append("\t".join(row))
        self.lines.append("")

    def text(self) -> str:
        lines = self.lines
        while lines and lines[-1] == "":
            lines = lines[:-1]
        start = 0
        while start < len(lines) and lines[start] == "":
            start += 1
        body = "\n".join(lines[start:])
        return body + "\n" if body else ""
