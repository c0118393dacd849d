"""Every output of `compare`, selected by format name: one registry for two documents, one for three or more."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

from policydiff.render import alignment as ra

if TYPE_CHECKING:
    from rich.console import RenderableType

    from policydiff.schema import Alignment, Document, MultiAlignment

# Text (str), a file's bytes, or a rich renderable for the terminal.
Rendered: TypeAlias = "str | bytes | RenderableType"

# Formats that are only written to a file (binary, or a page to open).
FILE_ONLY = frozenset({"html", "docx", "xlsx"})
# Formats that show word-level changes: only these need the word diffs (jieba, ~0.7 s to load).
SHOWS_WORD_DIFF = frozenset({"json", "markdown", "html", "docx", "xlsx"})
# Formats that show no direction evidence: citations between the documents need not be resolved.
NO_DIRECTION = frozenset({"csv"})
# Width of a terminal table written to a file.
FILE_WIDTH = 160


@dataclass(frozen=True)
class CompareOptions:
    detail: bool = False  # terminal table: word changes inside each pair
    markers: bool = False  # terminal table: mark word changes [-deleted-]{+inserted+} (no colour)
    all_rows: bool = False  # docx/xlsx: keep identical rows (folded into a count by default)


# The markdown, html and docx/xlsx renderers are imported when chosen: csv output loads neither them nor rich.


def _pair_markdown(al: Alignment, docs: list[Document], _: CompareOptions) -> Rendered:
    # why: keeps csv/json fast (markdown loads the HTML helpers)
    from policydiff.render.markdown import alignment_markdown

    return alignment_markdown(al, docs[0], docs[1])


def _pair_html(al: Alignment, docs: list[Document], _: CompareOptions) -> Rendered:
    # why: keeps csv/json fast
    from policydiff.render.html import alignment_html

    return alignment_html(al, docs[0], docs[1])


def _pair_docx(al: Alignment, docs: list[Document], o: CompareOptions) -> Rendered:
    # why: python-docx is heavy and needed only here
    from policydiff.render.redline import redline_docx

    return redline_docx(al, docs[0], docs[1], o.all_rows)


def _pair_xlsx(al: Alignment, docs: list[Document], o: CompareOptions) -> Rendered:
    # why: openpyxl is heavy and needed only here
    from policydiff.render.redline import redline_xlsx

    return redline_xlsx(al, docs[0], docs[1], o.all_rows)


def _multi_markdown(ma: MultiAlignment, docs: list[Document], _: CompareOptions) -> Rendered:
    # why: keeps csv/json fast
    from policydiff.render.markdown import multi_markdown

    return multi_markdown(ma, docs[0], docs[1:])


def _multi_html(ma: MultiAlignment, docs: list[Document], _: CompareOptions) -> Rendered:
    # why: keeps csv/json fast
    from policydiff.render.multi import multi_html

    return multi_html(ma, docs[0], docs[1:])


PAIR_RENDERERS: dict[str, Callable[[Alignment, list[Document], CompareOptions], Rendered]] = {
    "table": lambda al, docs, o: ra.alignment_terminal(al, detail=o.detail, markers=o.markers, docs=docs),
    "json": lambda al, docs, o: ra.alignment_json(al),
    "csv": lambda al, docs, o: ra.alignment_csv([al]),
    "markdown": _pair_markdown,
    "html": _pair_html,
    "docx": _pair_docx,
    "xlsx": _pair_xlsx,
}

# The 新旧对照表 (docx, xlsx) is of two documents only.
MULTI_RENDERERS: dict[str, Callable[[MultiAlignment, list[Document], CompareOptions], Rendered]] = {
    "table": lambda ma, docs, o: ra.multi_terminal(ma, docs, detail=o.detail, markers=o.markers),
    "json": lambda ma, docs, o: ra.alignment_json(ma),
    "csv": lambda ma, docs, o: ra.alignment_csv(ma.alignments),
    "markdown": _multi_markdown,
    "html": _multi_html,
}


def as_file_bytes(rendered: Rendered) -> bytes:
    """What a file written with `--out` holds: text as UTF-8, a terminal table as plain text."""
    if isinstance(rendered, bytes):
        return rendered
    if not isinstance(rendered, str):
        # why: rich is loaded only for terminal tables
        from rich.console import Console

        buf = io.StringIO()
        Console(file=buf, width=FILE_WIDTH, color_system=None).print(rendered)
        rendered = buf.getvalue()
    return rendered.encode("utf-8")
