"""The index folder as a store users can trust: a writer lock, and a manifest that vouches for every file.

Every file of an index is written atomically (a temporary file renamed into place). An `index` run first
removes the manifest, then writes, and writes the manifest last: the size and sha256 of every file
(tables, index.json, docs/*.json, search/*). A folder without a manifest is an interrupted run; a file
whose size or hash differs from the manifest is damaged. Readers (`lineage`, `search`) check before
reading and say in one line what is wrong and which command rebuilds it; the next `index` run rebuilds
what is damaged and reuses the rest.

The lock is an exclusive `flock` on INDEX_DIR/.lock, held for the whole run: the kernel releases it when
the process dies, so a killed run never leaves a stale lock behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from policydiff._atomic import atomic_write_bytes, is_temp_name
from policydiff.errors import IndexDamagedError, IndexLockedError, IndexUnusableError

MANIFEST = "manifest.json"
LOCK = ".lock"
MANIFEST_FORMAT = 1


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@contextmanager
def writer_lock(index_dir: Path) -> Iterator[None]:
    """Hold the index's writer lock, or fail at once when another process holds it."""
    # fcntl exists on POSIX only
    import fcntl

    index_dir.mkdir(parents=True, exist_ok=True)
    path = index_dir / LOCK
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    held = False
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "unknown"
            raise IndexLockedError(
                f"{index_dir} is being written by another `policydiff index` (process {holder}, lock file {path}). "
                "Wait for it to finish and run again; the lock goes away by itself when that process ends."
            ) from None
        held = True
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield
    finally:
        if held:
            os.ftruncate(fd, 0)  # an idle index's files do not depend on the last writer's process id
        os.close(fd)  # releases the flock


def remove_leftovers(index_dir: Path) -> None:
    """Temporary files of a killed run (atomic writes and Parquet parts)."""
    for folder in (index_dir, index_dir / "docs"):
        if not folder.is_dir():
            continue
        for p in folder.rglob("*") if folder.name == "docs" else folder.iterdir():
            if p.is_file() and (is_temp_name(p.name) or p.name.endswith(".part")):
                p.unlink(missing_ok=True)
    for p in index_dir.glob(".search.*"):  # build_search_index's scratch folder
        shutil.rmtree(p, ignore_errors=True)


def index_files(index_dir: Path) -> list[Path]:
    """Every file a manifest vouches for, relative to the index, in byte order of their names."""
    out = []
    for p in index_dir.rglob("*"):
        rel = p.relative_to(index_dir)
        if p.is_file() and rel.as_posix() != MANIFEST and not any(part.startswith(".") for part in rel.parts) and not p.name.endswith(".part"):
            out.append(rel)
    return sorted(out, key=lambda r: os.fsencode(r.as_posix()))


def write_manifest(index_dir: Path, corpus: str, known: dict[str, tuple[int, str]] | None = None) -> None:
    """Size and sha256 of every file, written last (and fsynced): the index is complete. `known` gives the
    (size, sha256) of files already hashed by this run, so big unchanged files are not read again."""
    files: dict[str, dict[str, Any]] = {}
    for rel in index_files(index_dir):
        key = rel.as_posix()
        p = index_dir / rel
        size = p.stat().st_size
        k = (known or {}).get(key)
        digest = k[1] if k is not None and k[0] == size else sha256_file(p)
        files[key] = {"size": size, "sha256": digest}
    body = {"format": MANIFEST_FORMAT, "corpus": corpus, "files": files}
    atomic_write_bytes(index_dir / MANIFEST, json.dumps(body, ensure_ascii=False, sort_keys=True, indent=0).encode("utf-8"), durable=True)


def remove_manifest(index_dir: Path) -> None:
    """From here until write_manifest the index is incomplete for readers."""
    (index_dir / MANIFEST).unlink(missing_ok=True)


def read_manifest(index_dir: Path) -> dict[str, Any] | None:
    """The manifest, or None when it is missing or not a manifest."""
    try:
        m = json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(m, dict) or m.get("format") != MANIFEST_FORMAT or not isinstance(m.get("files"), dict):
        return None
    return m


def damaged_files(index_dir: Path, manifest: dict[str, Any], *, hash_docs: bool) -> dict[str, str]:
    """Files of the manifest that are missing or differ from it: path → what is wrong. Hashes every file
    except docs/*.json unless `hash_docs` (their sizes are always checked)."""
    bad: dict[str, str] = {}
    for key, want in manifest["files"].items():
        p = index_dir / key
        try:
            size = p.stat().st_size
        except OSError:
            bad[key] = "missing"
            continue
        if size != want.get("size"):
            bad[key] = f"{size:,} bytes instead of {want.get('size', 0):,}"
        elif (hash_docs or not key.startswith("docs/")) and sha256_file(p) != want.get("sha256"):
            bad[key] = "its content changed (sha256 differs)"
    return bad


def rebuild_command(index_dir: Path, manifest: dict[str, Any] | None) -> str:
    corpus = (manifest or {}).get("corpus") or "CORPUS_DIR"
    return f"policydiff index {shlex.quote(corpus)} --out {shlex.quote(str(index_dir))}"


def check_readable(index_dir: Path) -> dict[str, Any]:
    """Raise one clear error unless `index_dir` is a complete, undamaged index; returns its manifest."""
    index_dir = Path(index_dir)
    if not index_dir.is_dir():
        raise IndexUnusableError(f"{index_dir}: no such folder. Give an index folder made by `{rebuild_command(index_dir, None)}`.")
    manifest = read_manifest(index_dir)
    if manifest is None:
        if not (index_dir / "index.json").exists() and not (index_dir / "documents.parquet").exists():
            raise IndexUnusableError(
                f"{index_dir}: not a policydiff index (no {MANIFEST}). Make one with `{rebuild_command(index_dir, None)}`."
            )
        raise IndexDamagedError(
            f"{index_dir}: the index is incomplete (its {MANIFEST} is missing or unreadable: an `index` run was interrupted, "
            f"or the index was made by an older version). Run `{rebuild_command(index_dir, None)}` to complete it."
        )
    # search/ is derived from clauses.parquet and checked by the searcher itself, which rebuilds it when stale
    bad = {k: v for k, v in damaged_files(index_dir, manifest, hash_docs=False).items() if not k.startswith("search/")}
    if bad:
        first = min(bad)
        more = f" and {len(bad) - 1} more file(s)" if len(bad) > 1 else ""
        raise IndexDamagedError(
            f"{index_dir}: the index is damaged ({first}: {bad[first]}{more}). "
            f"Run `{rebuild_command(index_dir, manifest)}` to rebuild the damaged parts."
        )
    return manifest
