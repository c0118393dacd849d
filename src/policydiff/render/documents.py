"""The JSON of parsed documents: the files `parse` writes, and `parse --format json` (an array for several)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policydiff.schema import Document


def document_json(doc: Document) -> str:
    return doc.model_dump_json(indent=2) + "\n"


def documents_json(docs: list[Document]) -> str:
    """One document: its JSON object; several: one JSON array of them."""
    if len(docs) == 1:
        return document_json(docs[0])
    items = ("\n".join("  " + line for line in doc.model_dump_json(indent=2).splitlines()) for doc in docs)
    return "[\n" + ",\n".join(items) + "\n]\n"
