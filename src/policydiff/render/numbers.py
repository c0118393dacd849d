"""Numbers as a reader writes them: 1080000, not 1.08e+06; 14.5 stays 14.5."""

from __future__ import annotations

from decimal import Decimal

__all__ = ["plain_number"]


def plain_number(x: float | None, missing: str = "?") -> str:
    """Shortest plain decimal for `x`: no exponent, no trailing `.0`."""
    if x is None:
        return missing
    if isinstance(x, int) or float(x).is_integer():
        return str(int(x))
    # repr is the shortest string that reads back as the same float; Decimal drops the exponent.
    text = format(Decimal(repr(float(x))), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
