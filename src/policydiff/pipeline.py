"""The one-way pipeline: ingest → normalize → structure → extract."""

from __future__ import annotations

from pathlib import Path

from policydiff import __version__
from policydiff.api import load_json
from policydiff.errors import NoNumberingError
from policydiff.normalize import normalize
from policydiff.schema import Document, Dropped, Issue, Source
from policydiff.structure import build_document


def parse_text(
    text: str,
    name: str = "document",
    *,
    source: Source | None = None,
    dropped: list[Dropped] | None = None,
    title: str | None = None,
    page_fields: list[str] | None = None,
    issues: list[Issue] | None = None,
) -> Document:
    """Parse a notice's text into a `Document`; never raises on odd text.

    `title`, `page_fields`: the title and the metadata lines (索引号：…, 发布日期：…) its source gives (a web
    page's heading and info bar), when the text alone may not show them. `issues`: what reading the file
    could not do (a .docx part it could not read), recorded on the document.
    """
    norm = normalize(text, titles=frozenset({"".join(title.split())}) if title else frozenset())
    doc = build_document(
        norm, name=name, source=source or Source(), parser_version=__version__, extra_dropped=dropped or [], title_hint=title,
        page_fields=page_fields or [],
    )
    doc.issues.extend(issues or [])
    from policydiff.extract import apply_extraction

    apply_extraction(doc)
    return doc


def parse_file(
    path: str | Path, encoding: str | None = None, *, require_structure: bool = True, max_bytes: int | None = None
) -> Document:
    """Read and parse one file (.txt/.md/.docx/.pdf/.html, or a parsed .json).

    A text without numbering is parsed into unnumbered units, a header-only file (title and version
    history, no body) into a document without units; both carry a warning. A file larger than `max_bytes` (default `policydiff.ingest.DEFAULT_MAX_BYTES`, 20 MB) is refused
    before it is read, with an `InputTooLargeError` naming `--max-bytes`.
    """
    p = Path(path)
    if p.suffix.lower() == ".json":
        return load_json(p)
    from policydiff.ingest import read_path  # docx/pdf/html readers load only when a file is read

    ingested = read_path(p, encoding=encoding, max_bytes=max_bytes)
    from policydiff._files import display_path

    # A file name that is not UTF-8 (GBK bytes from an old archive) is named with its bytes escaped (\xNN).
    doc = parse_text(
        ingested.text,
        name=display_path(p.stem),
        source=ingested.source,
        dropped=ingested.dropped,
        title=ingested.title,
        page_fields=ingested.page_fields,
        issues=ingested.issues,
    )
    if require_structure and not doc.clauses and not doc.sections and not doc.metadata.title and not doc.preamble:
        raise NoNumberingError(
            f"{p}: no text policydiff can read as a document: no title, no paragraphs, no numbered units. "
            "Check that the file is the document itself and not a cover page or an image-only scan."
        )
    return doc
