"""Bytes of a file → text. Plain text only for now; docx/pdf/html come with issue 5."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from policydiff.errors import (
    BinaryInputError,
    EmptyInputError,
    EncodingDetectionError,
    FileMissingError,
    UnsupportedFormatError,
)
from policydiff.schema import Dropped, Source

TEXT_SUFFIXES = {".txt": "txt", ".md": "md", ".text": "txt"}


@dataclass
class Ingested:
    text: str
    source: Source
    dropped: list[Dropped] = field(default_factory=list)


def read_path(path: str | Path, encoding: str | None = None) -> Ingested:
    p = Path(path)
    if not p.exists():
        raise FileMissingError(f"{p}: no such file. Check the path, or run `ls {p.parent}` to see what is there.")
    if p.is_dir():
        raise UnsupportedFormatError(f"{p}: is a folder. Give a file, or a folder only to commands that accept one.")
    fmt = TEXT_SUFFIXES.get(p.suffix.lower())
    if fmt is None:
        raise UnsupportedFormatError(f"{p}: unsupported file type {p.suffix!r}. Supported: .txt, .md.")
    data = p.read_bytes()
    return read_bytes(data, name=str(p), fmt=fmt, encoding=encoding)


def read_bytes(data: bytes, name: str, fmt: str = "txt", encoding: str | None = None) -> Ingested:
    if not data.strip():
        raise EmptyInputError(f"{name}: the file is empty. Give a notice with text in it.")
    text, used = decode_text(data, name, encoding)
    source = Source(
        path=name,
        format=fmt,  # type: ignore[arg-type]
        encoding=used,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
    )
    return Ingested(text=text, source=source)


def decode_text(data: bytes, name: str, encoding: str | None) -> tuple[str, str]:
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise EncodingDetectionError(
                f"{name}: cannot decode as {encoding} ({exc.__class__.__name__}). Try another --encoding, e.g. gb18030 or utf-8."
            ) from None
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BinaryInputError(f"{name}: looks like a binary file (NUL bytes). Give a text, .docx, .pdf or .html notice.")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    raise EncodingDetectionError(
        f"{name}: cannot detect the text encoding. Name it with --encoding, e.g. --encoding gb18030."
    )
