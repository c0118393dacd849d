"""policydiff: Chinese policy notices as clause trees, and how local plans re-produce them."""

from __future__ import annotations

__version__ = "0.1.0"

from policydiff.errors import PolicydiffError  # noqa: E402
from policydiff.pipeline import parse_file, parse_text  # noqa: E402
from policydiff.schema import Clause, Document, Section, Target  # noqa: E402

__all__ = [
    "__version__",
    "Clause",
    "Document",
    "PolicydiffError",
    "Section",
    "Target",
    "parse_file",
    "parse_text",
]
