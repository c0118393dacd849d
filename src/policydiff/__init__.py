"""policydiff: Chinese policy notices as clause trees, and how local plans re-produce them."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from policydiff._version import __version__
from policydiff.errors import PolicydiffError

if TYPE_CHECKING:
    from policydiff.pipeline import parse_file, parse_text
    from policydiff.render.tables import clause_table, to_frame
    from policydiff.schema import Alignment, Clause, Document, Section, Target

# The public API is imported on first use: `import policydiff` (and the CLI, which
# imports it for __version__) must not pay for pydantic models and the parser.
_LAZY = {
    "parse_file": "policydiff.pipeline",
    "parse_text": "policydiff.pipeline",
    "Alignment": "policydiff.schema",
    "Clause": "policydiff.schema",
    "Document": "policydiff.schema",
    "Section": "policydiff.schema",
    "Target": "policydiff.schema",
    "clause_table": "policydiff.render.tables",
    "to_frame": "policydiff.render.tables",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'policydiff' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


def compare(parent: Document, child: Document, *, threshold: float | None = None, detail: bool = False, **options: Any) -> Alignment:
    """Align `child` with the `parent` plan it descends from (see `policydiff.align`).

    `threshold`: least similarity (0–1) of a reported clause pair; None keeps every pair found.
    Other options (`related`, `concepts`) as in `policydiff.align.compare`.
    """
    # the aligner loads on the first compare: `import policydiff` stays light
    from policydiff.align import compare as _compare

    return _compare(parent, child, threshold=threshold, detail=detail, **options)


__all__ = [
    "Alignment",
    "Clause",
    "Document",
    "PolicydiffError",
    "Section",
    "Target",
    "__version__",
    "clause_table",
    "compare",
    "parse_file",
    "parse_text",
    "to_frame",
]
