"""Atomic file output: fill a temporary file beside the target, then rename it into place.

An interrupted or failed write (an exception, Ctrl-C, a full disk) leaves the target as it was
(absent, or the old file) and no temporary file behind.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["atomic_output", "atomic_write_bytes", "is_temp_name"]


@contextmanager
def atomic_output(path: str | Path) -> Iterator[Path]:
    """Yield a new empty temporary file in `path`'s folder; on success it replaces `path`."""
    target = Path(path)
    tmp = _create_temp(target)
    try:
        yield tmp
        os.replace(tmp, target)
    except BaseException:
        # Also on KeyboardInterrupt: no stray temporary file beside the output.
        tmp.unlink(missing_ok=True)
        raise


def atomic_write_bytes(path: str | Path, data: bytes, *, mkdir: bool = False, durable: bool = False) -> None:
    """Write `data` to `path` atomically (`mkdir`: create its folder first; `durable`: fsync before the
    rename, for a file that vouches for others, such as an index manifest)."""
    target = Path(path)
    if mkdir:
        target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_output(target) as tmp, open(tmp, "wb") as f:
        f.write(data)
        if durable:
            f.flush()
            os.fsync(f.fileno())


def is_temp_name(name: str) -> bool:
    """Whether `name` is a temporary file of atomic_output (left behind only by a killed process)."""
    return name.startswith(".") and name.endswith(".tmp") and name.count(".") >= 3


def _create_temp(target: Path) -> Path:
    # Same folder, so os.replace is a rename on one file system. Mode "x" never clobbers a file
    # and, unlike tempfile.mkstemp (always 0600), honours the umask for the final file.
    while True:
        tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            with open(tmp, "xb"):
                return tmp
        except FileExistsError:
            continue
