"""Numerals as written in notices (14.5, 12,000, 二十四, 两, 一百零五, 三万), and numbers as a reader writes them
(1080000, not 1.08e+06; 14.5 stays 14.5)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
CN_NUMERAL_CHARS = "".join(CN_DIGITS) + "".join(CN_SMALL_UNITS) + "".join(CN_BIG_UNITS)

MULTIPLIERS = {"万": 10_000, "亿": 100_000_000}


def cn_to_int(s: str) -> int | None:
    """Chinese numeral → int; None when malformed (e.g. 十四五, 三主三新 fragments).

    Positional style (十 / 二十四 / 一百零五 / 三万五千) only: a digit must be followed by a
    unit character or end the numeral, so slogans such as 十四五 are rejected.
    """
    if not s or any(c not in CN_NUMERAL_CHARS for c in s):
        return None
    high = 0  # value already scaled by 亿
    wan = 0  # value already scaled by 万 (below 亿)
    section = 0  # value below 万
    digit: int | None = None
    for c in s:
        if c in "零〇" and (section or wan or high) and digit is None:
            continue  # 一百零五: 零 only marks a skipped place
        if c in CN_DIGITS:
            if digit is not None:  # two digits in a row: not positional
                return None
            digit = CN_DIGITS[c]
        elif c in CN_SMALL_UNITS:
            section += (1 if digit is None else digit) * CN_SMALL_UNITS[c]  # 十 alone means 一十
            digit = None
        else:
            section += digit or 0
            if c == "万":
                if section == 0:
                    return None  # 万 alone, or 万万
                wan, section = section * 10_000, 0
            else:
                if section == 0 and wan == 0 and high == 0:
                    return None
                high, wan, section = (high + wan + section) * 100_000_000, 0, 0
            digit = None
    return high + wan + section + (digit or 0)


def arabic(s: str) -> Decimal | None:
    """'12,000' / '13.8' → Decimal (exact, so 11.4万 is 114000, not 113999.99…)."""
    try:
        return Decimal(s.replace(",", ""))
    except InvalidOperation:
        return None


def to_number(s: str) -> Decimal | None:
    """Arabic or Chinese numeral → Decimal, or None."""
    if not s:
        return None
    if s[0].isascii():
        return arabic(s)
    n = cn_to_int(s)
    return None if n is None else Decimal(n)


def plain_number(x: float | None, missing: str = "?") -> str:
    """Shortest plain decimal for `x`: no exponent, no trailing `.0`."""
    if x is None:
        return missing
    if isinstance(x, int) or float(x).is_integer():
        return str(int(x))
    # repr is the shortest string that reads back as the same float; Decimal drops the exponent.
    text = format(Decimal(repr(float(x))), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
