"""The one-line messages of the commands: a failure as `Error: …` with its cause and fix, notes, files written."""

from __future__ import annotations

import errno
import os
from pathlib import Path

from policydiff._files import display_path
from policydiff.errors import PolicydiffError

# Optional dependencies and the extra that installs them.
EXTRAS = {"numpy": "corpus", "pyarrow": "corpus", "scipy": "corpus", "dask": "dask", "distributed": "dask", "pandas": "pandas"}
_NO_SPACE = "free some space on that disk or write somewhere else; nothing partial was left"
_PERMISSION = "check the permissions of that path or write somewhere else"
OS_FIXES = {
    errno.ENOSPC: _NO_SPACE,
    errno.EDQUOT: _NO_SPACE,
    errno.EACCES: _PERMISSION,
    errno.EPERM: _PERMISSION,
    errno.EROFS: "that file system is read-only: write somewhere else",
    errno.EISDIR: "that path is a folder: give a file name",
    errno.ENOTDIR: "a part of that path is a file, not a folder: choose another path",
    errno.EEXIST: "it exists: remove it or choose another path",
    errno.ENOENT: "check the path",
}


def error_line(exc: BaseException) -> tuple[str, int]:
    """The one line (without `Error: `) and exit code for a failure escaping a command."""
    if isinstance(exc, PolicydiffError):
        return str(exc), exc.exit_code
    if isinstance(exc, ModuleNotFoundError) and (exc.name or "").split(".")[0] in EXTRAS:
        extra = EXTRAS[(exc.name or "").split(".")[0]]
        return f"this command needs the optional package {exc.name}, which is not installed: pip install 'policydiff[{extra}]'", 1
    if isinstance(exc, OSError):
        where = display_path(os.fsdecode(exc.filename)) if isinstance(exc.filename, str | bytes | Path) else "a file"
        reason = exc.strerror or str(exc)
        return f"{where}: {reason}; {OS_FIXES.get(exc.errno or 0, 'check the path and try again')}.", 1
    if isinstance(exc, MemoryError):
        return "out of memory; give smaller inputs (see --max-bytes) or run it on a machine with more memory.", 1
    return (
        (f"unexpected failure ({type(exc).__name__}: {str(exc)[:300]}). This is a bug in policydiff: please report it "
        "with the command line; POLICYDIFF_DEBUG=1 shows the traceback."),
        1,
    )


def output_error_line(exc: OSError) -> str:
    """A failed write of standard output (a full disk, an I/O error), which names no file."""
    return f"cannot write the output ({exc.strerror}): free some space or write somewhere else."


def wrote(path: Path | str, what: str | None = None) -> str:
    return f"wrote {path}" + (f" ({what})" if what else "")


def note(text: str) -> str:
    return f"note: {text}"


def error(text: str) -> str:
    return f"Error: {text}"


def pair_warning(issue: dict[str, str]) -> str:
    """A pair of documents lineage could not compare; the run went on."""
    return f"warning: could not compare {issue['parent']} with {issue['child']}: {issue['error']}"
