"""Which files a command reads, and reading one safely (exported by `policydiff.ingest`; kept outside that
package so commands on parsed JSON do not load the readers).

One scanner (`scan_inputs`) for parse, show, check, export and index: folders become the supported
files inside them (sorted by their bytes, so the order never depends on the file system or the
locale); hidden files and Word's lock files (~$name.docx) are skipped with a note; anything that is
not a regular file (a FIFO, a device, a socket) is skipped too, since opening it could hang or never
end. `read_regular` opens a file without following it into a device, checks with fstat that it is a
regular file of bounded size, and reads at most that many bytes: a file that grows while it is read
or a symlink to /dev/zero cannot exhaust memory.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from policydiff.errors import FileMissingError, FileUnreadableError, InputTooLargeError

__all__ = ["Scan", "display_path", "read_regular", "scan_inputs"]


# The one list of input suffixes and the reader of each (ingest); scanners of folders pick these.
SUPPORTED_SUFFIXES: dict[str, str] = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".docx": "docx",
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
    ".shtml": "html",
    ".xhtml": "html",
}


def display_path(path: str | os.PathLike[str]) -> str:
    """A path as printable UTF-8: bytes of a non-UTF-8 file name (held as surrogates) become \\xNN escapes."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


@dataclass
class Scan:
    """Files to read, in order, and what was left out of the folders given (path, reason)."""

    files: list[Path] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def _skip_reason(p: Path, st: os.stat_result | None) -> str | None:
    if p.name.startswith("~$"):
        return "an editor's lock file"
    if p.name.startswith("."):
        return "a hidden file"
    if st is None:
        return "a broken link"
    if not stat.S_ISREG(st.st_mode):
        return "not a regular file (a FIFO, device or socket)"
    return None


# Entries a subfolder note looks at before it stops counting (a folder of a whole disk is not walked).
SUBFOLDER_COUNT_LIMIT = 10_000


def _supported_below(folder: Path, wanted: set[str]) -> str:
    """How many files with a wanted suffix a folder holds at any depth ("" for none), hidden folders and
    files and links to folders left out; past SUBFOLDER_COUNT_LIMIT entries, "N or more"."""
    found = seen = 0
    for _root, dirs, files in os.walk(folder, onerror=lambda _: None):  # links to folders are not followed
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            seen += 1
            found += not name.startswith((".", "~$")) and Path(name).suffix.lower() in wanted
        seen += len(dirs)
        if seen > SUBFOLDER_COUNT_LIMIT:
            return f"{found} or more" if found else ""
    return str(found) if found else ""


def scan_inputs(paths: Iterable[str | os.PathLike[str]], suffixes: Iterable[str], *, recursive: bool = False) -> Scan:
    """Files given, and the files with one of `suffixes` inside the folders given (their subfolders too
    when `recursive`). A file named directly is kept as it is (reading it reports what is wrong); a
    folder's unusable files are skipped with a note. Raises FileMissingError for a path that does not
    exist and for a folder without any supported file."""
    wanted = {s.lower() for s in suffixes}
    out = Scan()
    for given in paths:
        p = Path(given)
        if not p.is_dir():
            if not os.path.lexists(p):
                raise FileMissingError(
                    f"{display_path(p)}: no such file or folder. Check the path, or run `ls {display_path(p.parent)}` to see what is there."
                )
            out.files.append(p)
            continue
        found = []
        walker = sorted(p.rglob("*") if recursive else p.iterdir(), key=lambda q: os.fsencode(q))
        for q in walker:
            if not recursive and q.is_dir() and not q.is_symlink() and not q.name.startswith("."):
                held = _supported_below(q, wanted)
                if held:
                    out.skipped.append((display_path(q), f"a subfolder holding {held} supported file(s), not searched: name it to include it"))
                continue
            if q.suffix.lower() not in wanted:
                continue
            rel = q.relative_to(p)
            if any(part.startswith(".") for part in rel.parts[:-1]):
                continue  # inside a hidden folder (.git, .cache): not part of the collection
            try:
                st: os.stat_result | None = q.stat()
            except OSError:
                st = None
            if st is not None and stat.S_ISDIR(st.st_mode):
                continue
            reason = _skip_reason(q, st)
            if reason:
                out.skipped.append((display_path(q), reason))
                continue
            found.append(q)
        if not found:
            raise FileMissingError(
                f"{display_path(p)}: no supported files ({', '.join(sorted(wanted))}) in this folder"
                f"{' or its subfolders' if recursive else ''}. Check the path."
            )
        out.files.extend(found)
    return out


def _human(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB ({n:,} bytes)" if n >= 1024 * 1024 else f"{n:,} bytes"


def too_large(name: str, size: int, max_bytes: int) -> InputTooLargeError:
    bigger = max(size + 1, 2 * max_bytes)
    return InputTooLargeError(
        f"{name}: the file is {_human(size)}, larger than the {_human(max_bytes)} limit.",
        fix=f"If it really is one notice, raise the limit (max_bytes), e.g. to {bigger}.", option="max_bytes", value=bigger,
    )


def read_regular(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most `max_bytes`; refuses FIFOs, devices and bigger files before reading."""
    name = display_path(path)
    try:
        # O_NONBLOCK: opening a FIFO without a writer returns at once instead of hanging; fstat then refuses it.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise FileMissingError(f"{name}: no such file (or a link to nothing). Check the path.") from None
    except OSError as exc:
        raise FileUnreadableError(f"{name}: cannot read it ({exc.strerror}). Check the file's permissions, e.g. `ls -l {name}`.") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise FileUnreadableError(f"{name}: is a folder. Give a file, or a folder only to commands that accept one.")
        if not stat.S_ISREG(st.st_mode):
            raise FileUnreadableError(
                f"{name}: is not a regular file (a FIFO, device or socket, or a link to one), so it cannot be read as a notice. "
                "Give the notice file itself."
            )
        if st.st_size > max_bytes:
            raise too_large(name, st.st_size, max_bytes)
        os.set_blocking(fd, True)
        chunks = []
        left = max_bytes + 1  # one byte more tells a file that grew past the limit while it was read
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
        if len(data) > max_bytes:
            raise too_large(name, len(data), max_bytes)
        return data
    except OSError as exc:
        if exc.errno == errno.EISDIR:
            raise FileUnreadableError(f"{name}: is a folder. Give a file.") from None
        raise FileUnreadableError(f"{name}: cannot read it ({exc.strerror}). Check the file and its permissions.") from None
    finally:
        os.close(fd)
