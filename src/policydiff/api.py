"""Library functions behind the CLI commands."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from policydiff.errors import FileMissingError
from policydiff.pipeline import parse_file
from policydiff.schema import Document

SUPPORTED_SUFFIXES = (".txt", ".md", ".docx", ".pdf", ".html", ".htm")


def expand_inputs(paths: Iterable[Path], suffixes: tuple[str, ...] = SUPPORTED_SUFFIXES) -> list[Path]:
    """Folders become the supported files inside them, sorted."""
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            found = sorted(q for q in p.iterdir() if q.is_file() and q.suffix.lower() in suffixes)
            if not found:
                raise FileMissingError(f"{p}: no supported files ({', '.join(suffixes)}) in this folder.")
            out.extend(found)
        else:
            out.append(p)
    return out


def parse_many(paths: Iterable[Path], encoding: str | None = None) -> list[Document]:
    """Parse every input before anything is written: one bad file writes nothing."""
    return [parse_file(p, encoding=encoding) for p in expand_inputs(paths, SUPPORTED_SUFFIXES + (".json",))]


def atomic_write_text(path: Path, text: str) -> None:
    """Write to a temporary file beside `path`, then rename: never a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def document_json(doc: Document) -> str:
    return doc.model_dump_json(indent=2) + "\n"


def write_parsed(docs: list[Document], out: Path) -> list[Path]:
    written = []
    for doc in docs:
        target = out / f"{doc.name}.json"
        atomic_write_text(target, document_json(doc))
        written.append(target)
    return written


def json_schema(model: str = "document") -> str:
    from policydiff.errors import UsageError

    if model == "document":
        schema = Document.model_json_schema()
    elif model == "alignment":
        from policydiff.schema import Alignment  # type: ignore[attr-defined]

        schema = Alignment.model_json_schema()
    else:
        raise UsageError(f"unknown model {model!r}: choose document or alignment.")
    return json.dumps(schema, ensure_ascii=False, indent=2)
