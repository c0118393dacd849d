"""Measurable content of clauses: targets, responsible units, citations."""

from __future__ import annotations

from policydiff.schema import Document


def apply_extraction(doc: Document) -> None:
    """Fill targets, units and citations in place (filled in by issue 3)."""
    return None
