"""Parsed documents of an index: docs/<name>.json.zst, zstd-compressed Document JSON (see `corpus.index`)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from policydiff._version import __version__
from policydiff.schema import Document

DOC_SUFFIX = ".json.zst"


_NAME_MAX = 255 - 24  # bytes of one file name, less the atomic writer's temporary prefix and suffix
_CUT_BYTES = 120  # bytes kept of a too-long name: with "~", 16 hex digits and the suffix, well under _NAME_MAX


def doc_path(index_dir: str | Path, name: str) -> Path:
    """docs/<name>.json.zst; a last path part too long for a file name (Chinese law titles reach 80
    characters, 240 bytes) is cut and given a hash of the whole name, so names stay distinct."""
    folder, _, last = name.rpartition("/")
    file = last + DOC_SUFFIX
    if len(os.fsencode(file)) > _NAME_MAX:
        digest = hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()[:16]
        cut = last.encode("utf-8", "surrogateescape")[:_CUT_BYTES].decode("utf-8", "ignore")
        file = f"{cut}~{digest}{DOC_SUFFIX}"
    return Path(index_dir, "docs", folder, file) if folder else Path(index_dir, "docs", file)


def load_doc(index_dir: str | Path, name: str) -> Any:
    """The parsed Document of `name` in the index (raises OSError or ValueError when it is missing or damaged)."""
    return Document.model_validate_json(doc_json(index_dir, name))


def doc_json(index_dir: str | Path, name: str) -> bytes:
    """The parsed Document of `name` as JSON bytes, for readers that skip model validation."""
    return zstd_decompress(doc_path(index_dir, name).read_bytes())


def zstd_compress(data: bytes) -> bytes:
    """A standard zstd frame (`zstd -d` reads it), through pyarrow's codec: no extra dependency."""
    # pyarrow is an optional extra ([corpus], [parquet]): imported where a table is read or written
    import pyarrow as pa

    return bytes(pa.Codec("zstd", compression_level=9).compress(data, asbytes=True))


def zstd_decompress(data: bytes, size: int | None = None) -> bytes:
    """The bytes of a zstd frame; `size`, when known, decompresses in one call into a buffer of that size."""
    # pyarrow is an optional extra ([corpus], [parquet]): imported where a table is read or written
    import pyarrow as pa

    if size is not None:
        return bytes(pa.Codec("zstd").decompress(data, decompressed_size=size, asbytes=True)) if size else b""
    with pa.CompressedInputStream(pa.BufferReader(data), "zstd") as f:
        return bytes(f.read())


def reusable_doc(target: Path, sha: str) -> Any:
    """The Document in `target` when it is a complete parse of the file with this sha256 by this version."""
    try:
        doc = Document.model_validate_json(zstd_decompress(target.read_bytes()))
    except (OSError, ValueError):
        return None
    return doc if doc.source.sha256 == sha and doc.parser_version == __version__ else None
