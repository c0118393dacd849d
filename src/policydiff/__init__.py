"""policydiff: Chinese policy notices as clause trees, and how local plans re-produce them."""

from __future__ import annotations

__version__ = "0.1.0"

from policydiff.errors import PolicydiffError  # noqa: E402
from policydiff.pipeline import parse_file, parse_text  # noqa: E402
from policydiff.schema import Alignment, Clause, Document, Section, Target  # noqa: E402


def compare(parent: Document, child: Document, *, threshold: float | None = None, detail: bool = False) -> Alignment:
    """Align `child` with the `parent` plan it descends from (see `policydiff.align`)."""
    from policydiff.align import SENTENCE_LINK
    from policydiff.align import compare as _compare

    return _compare(parent, child, threshold=SENTENCE_LINK if threshold is None else threshold, detail=detail)


__all__ = [
    "__version__",
    "Alignment",
    "compare",
    "Clause",
    "Document",
    "PolicydiffError",
    "Section",
    "Target",
    "parse_file",
    "parse_text",
]
