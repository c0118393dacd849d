"""Documents parsed earlier (`policydiff parse` output), read back with the models only: no parser is imported."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from policydiff._files import display_path, read_regular
from policydiff.errors import CorruptFileError
from policydiff.schema import Document

# Parsed JSON is several times its text: allow more than a raw notice.
DEFAULT_JSON_MAX_BYTES = 8 * 20 * 1024 * 1024


def load_json(path: Path, *, max_bytes: int | None = None) -> Document:
    """A parsed document from `policydiff parse`, read with the models only."""
    data = read_regular(Path(path), 8 * (max_bytes or DEFAULT_JSON_MAX_BYTES // 8))
    try:
        return Document.model_validate_json(data)
    except ValidationError as exc:
        raise CorruptFileError(
            f"{display_path(path)}: not a policydiff document JSON ({exc.error_count()} validation errors). "
            "Re-create it with `policydiff parse`."
        ) from None
