"""Numbers as a reader writes them: 1080000, not 1.08e+06; 14.5 stays 14.5."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policydiff.schema import Document, NumericChange

__all__ = ["change_places", "place_names", "plain_number"]


def plain_number(x: float | None, missing: str = "?") -> str:
    """Shortest plain decimal for `x`: no exponent, no trailing `.0`."""
    if x is None:
        return missing
    if isinstance(x, int) or float(x).is_integer():
        return str(int(x))
    # repr is the shortest string that reads back as the same float; Decimal drops the exponent.
    text = format(Decimal(repr(float(x))), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def place_names(doc: Document) -> dict[str, str]:
    """Where a target sits (Target.clause) → what a reader calls it: 序言, 结尾, a clause or section label."""
    from policydiff.render.html import clause_names

    out = {"preamble": "序言", "closing": "结尾"}
    for s in doc.iter_sections():
        title = s.title if not s.label or s.label in s.title else f"{s.label} {s.title}"
        out[s.id] = title[:24]
    for att in doc.attachments:
        out[att.id] = att.title[:24]
    out.update(clause_names(doc))
    return out


def change_places(n: NumericChange, a_names: dict[str, str], b_names: dict[str, str]) -> tuple[str, str]:
    """Where the old and the new target of a change are, by name ('' when that side is absent)."""
    old = a_names.get(n.old.clause or "", n.old.clause or "") if n.old else ""
    new = b_names.get(n.new.clause or "", n.new.clause or "") if n.new else ""
    return old, new
