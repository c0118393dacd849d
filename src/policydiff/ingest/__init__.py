"""Files → plain text: .txt/.md (any common encoding), .docx, .pdf (text layer), .html.

`text` has one paragraph per line and tables as tab-separated blocks (header row first, a blank
line before and after). What ingest removes (page numbers, running headers, web-page furniture)
never reaches the text; it is listed in `dropped` with `raw_start = raw_end = -1`.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from policydiff._files import SUPPORTED_SUFFIXES, Scan, display_path, read_regular, scan_inputs
from policydiff.errors import (
    EmptyInputError,
    FileMissingError,
    UnsupportedFormatError,
    UsageError,
)
from policydiff.ingest._common import Ingested
from policydiff.ingest.textfile import decode_text
from policydiff.schema import Dropped, Issue, Source

__all__ = [
    "DEFAULT_MAX_BYTES",
    "SUPPORTED_SUFFIXES",
    "Ingested",
    "Scan",
    "decode_text",
    "display_path",
    "iter_supported",
    "read_bytes",
    "read_path",
    "scan_inputs",
]

# Far above any real notice (the seeds are 6–41 kB; a .docx or .pdf with pictures a few MB). Bigger files
# are refused from their size alone, before any byte is read, so memory stays bounded. `--max-bytes` changes it.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

_FORMAT_ALIASES = {"txt": "txt", "text": "txt", "md": "md", "docx": "docx", "pdf": "pdf", "html": "html", "htm": "html"}
# Formats people try that need a conversion first.
_CONVERT_HINTS = {
    ".doc": "an old binary Word file: save it as .docx in Word, WPS or LibreOffice (soffice --headless --convert-to docx FILE)",
    ".wps": "a WPS document: save it as .docx in WPS Office",
    ".odt": "an OpenDocument file: save it as .docx (soffice --headless --convert-to docx FILE)",
    ".rtf": "an RTF file: save it as .docx (soffice --headless --convert-to docx FILE)",
    ".ofd": "an OFD file: export it to PDF with an OFD reader first",
    ".jpg": "an image: run OCR first (e.g. tesseract) and parse the text",
    ".jpeg": "an image: run OCR first (e.g. tesseract) and parse the text",
    ".png": "an image: run OCR first (e.g. tesseract) and parse the text",
}


def read_path(path: str | Path, encoding: str | None = None, *, max_bytes: int | None = None) -> Ingested:
    """Read one file; the format follows the suffix. Raises an `InputError` subclass on bad input.

    A file larger than `max_bytes` (None: DEFAULT_MAX_BYTES) is refused before any of it is read.
    """
    if max_bytes is None:
        max_bytes = DEFAULT_MAX_BYTES
    if max_bytes < 1:
        raise UsageError(f"max_bytes must be a positive number of bytes, got {max_bytes}.")
    p = Path(path)
    name = display_path(p)
    if not os.path.lexists(p):
        raise FileMissingError(f"{name}: no such file. Check the path, or run `ls {display_path(p.parent)}` to see what is there.")
    if p.is_dir():
        raise UnsupportedFormatError(f"{name}: is a folder. Give a file, or a folder only to commands that accept one.")
    suffix = p.suffix.lower()
    fmt = SUPPORTED_SUFFIXES.get(suffix)
    if fmt is None:
        hint = _CONVERT_HINTS.get(suffix)
        if hint:
            raise UnsupportedFormatError(f"{name}: is {hint}.")
        raise UnsupportedFormatError(
            f"{name}: unsupported file type {display_path(p.suffix) or '(no extension)'!r}. "
            "Supported: .txt, .md, .docx, .pdf, .html/.htm; rename or convert the file to one of these."
        )
    # A regular file of bounded size, checked on the open file before any byte is read.
    data = read_regular(p, max_bytes)
    return read_bytes(data, name=name, fmt=fmt, encoding=encoding)


def read_bytes(data: bytes, name: str, fmt: str = "txt", encoding: str | None = None) -> Ingested:
    """Read the bytes of a file in format `fmt` (txt, md, docx, pdf, html). `encoding` applies to txt/md/html."""
    kind = _FORMAT_ALIASES.get(fmt.lower().lstrip("."))
    if kind is None:
        raise UnsupportedFormatError(f"{name}: unknown format {fmt!r}. Use one of: txt, md, docx, pdf, html.")
    if not data.strip():
        raise EmptyInputError(f"{name}: the file is empty (no text, only whitespace or nothing). Give a notice with text in it.")
    used: str | None = None
    title: str | None = None
    fields: list[str] = []
    issues: list[Issue] = []  # parts of the file that could not be read (see read_docx)
    if kind in ("txt", "md"):
        text, used = decode_text(data, name, encoding)
        # One paragraph per line: Windows and old Mac line ends become \n.
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        drops: list[Dropped] = []
        if not text.strip():
            raise EmptyInputError(f"{name}: the file is empty (only whitespace). Give a notice with text in it.")
    elif kind == "docx":
        # each reader (python-docx, pdfplumber, bs4/lxml) loads only when its kind of file is read
        from policydiff.ingest.word import read_docx

        text, drops, issues = read_docx(data, name)
    elif kind == "pdf":
        # each reader (python-docx, pdfplumber, bs4/lxml) loads only when its kind of file is read
        from policydiff.ingest.pdf import read_pdf

        text, drops = read_pdf(data, name)
    else:
        # each reader (python-docx, pdfplumber, bs4/lxml) loads only when its kind of file is read
        from policydiff.ingest.web import decode_html, read_html

        html, used = decode_html(data, name, encoding)
        page = read_html(html, name)
        text, drops, title, fields = page.text, page.dropped, page.title, page.fields
    source = Source(
        path=name,
        format=kind,  # type: ignore[arg-type]
        encoding=used,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
    )
    return Ingested(text=text, source=source, dropped=drops, title=title, page_fields=fields, issues=issues)


def iter_supported(folder: str | Path) -> list[Path]:
    """Files in `folder` (not its subfolders) that read_path accepts, sorted by name.

    Skips hidden files, Word's lock files (~$name.docx) and anything that is not a regular file.
    """
    root = Path(folder)
    if not root.is_dir():
        raise FileMissingError(f"{display_path(root)}: no such folder. Check the path, or run `ls {display_path(root.parent)}` to see what is there.")
    return scan_inputs([root], SUPPORTED_SUFFIXES).files
