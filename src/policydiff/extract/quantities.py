"""Quantities in Chinese policy text: a number with its counting unit, range and bound.

`QuantityScanner.quantities` finds every number that states a quantity: a number followed by a
counting unit (个, 所, %, 万人, 元/生/年…), or by 万/亿 alone, with 以上/左右/余 and ranges
(3000—6000元, 两三个). Years, dates, document numbers, list labels, phone numbers and numbers
inside quotes or titles (“1+X”, 《…(2020—2023)》) never carry such a unit or are masked.
Keyword patterns tolerate stray spaces inside words (raw PDF text such as `230个左\n右`).
What a quantity commits to (subject, year, kind) is read around it by `targets`.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from policydiff.extract.numbers import CN_DIGITS, MULTIPLIERS, to_number
from policydiff.schema import Comparator

SPACE = r"\s{0,3}"  # stray whitespace tolerated between tokens and inside keywords


def _sp(word: str) -> str:
    """Regex for a keyword that tolerates stray whitespace between its characters."""
    return SPACE.join(re.escape(c) for c in word)


def spaced_alternatives(words: Iterable[str]) -> str:
    """Regex alternation of keywords, longest first, each tolerating stray whitespace."""
    return "|".join(_sp(w) for w in sorted(words, key=len, reverse=True))


# Unit as written → normalized unit. 万元/亿元/万人 are a multiplier plus one of these.
_UNITS: dict[str, str] = {
    "元/生/年": "元/生/年",
    "元/生·年": "元/生/年",
    "元/人/年": "元/人/年",
    "元/生": "元/生",
    "元/人": "元/人",
    "元/年": "元/年",
    "个百分点": "百分点",
    "百分点": "百分点",
    "人次": "人次",
    "%": "%",
    "‰": "‰",
    "人": "人",
    "所": "所",
    "个": "个",
    "家": "家",
    "门": "门",
    "名": "名",
    "部": "部",
    "位": "位",
    "条": "条",
    "项": "项",
    "元": "元",
    "次": "次",
    "场": "场",
    "台": "台",
    "套": "套",
    "倍": "倍",
}
# Counters after a Chinese numeral (三个, 二十四条); no %, 元 forms or 倍 there.
_CN_UNITS = ["人次", "人", "所", "个", "家", "门", "名", "部", "位", "条", "项", "次", "场", "台", "套"]
# A unit character that starts a word instead: 九部门, 名单, 条件, 项目, 所在, 人才…
_BAD_NEXT: dict[str, str] = {
    "部": "门署分长",
    "名": "单称义誉额录次",
    "个": "性体别案",
    "条": "件例款目",
    "项": "目",
    "家": "庭长乡",
    "位": "置于列",
    "门": "类槛户",
    "所": "在得属有谓",
    "人": "才员民口士群工计",
    "次": "要序性产",
    "场": "所地景馆",
    "台": "阶账",
    "套": "餐",
}
_SUFFIX_CMP: dict[str, Comparator] = {
    "及以上": "ge",
    "以上": "ge",
    "以下": "le",
    "以内": "le",
    "左右": "approx",
    "上下": "approx",
}

# Starts with a bare character class so re can use its fast scan (5x faster than an alternation).
_NUM = r"[0-9](?:[0-9]{0,2}(?:,[0-9]{3})+|[0-9]*)(?:\.[0-9]+)?"
_CN = "[零〇一二两三四五六七八九十百千万亿]+"
_RANGE_SEP = "[—–\\-－～~〜至到]{1,2}"

_ARABIC_RE = re.compile(
    # No leading lookbehind: a pattern that starts with a character class gets re's fast scan;
    # the character before the number is checked in Python instead.
    rf"(?P<a>{_NUM})"
    rf"(?:{SPACE}(?P<am>[万亿]))?(?:{SPACE}(?P<ap>%))?"
    rf"(?:{SPACE}(?P<sep>{_RANGE_SEP}){SPACE}(?P<b>{_NUM}))?"
    rf"(?:{SPACE}(?P<m>[万亿]))?"
    rf"(?:{SPACE}(?P<more>[余多]))?"
    rf"(?:{SPACE}(?P<unit>{spaced_alternatives(_UNITS)}))?"
    rf"(?:{SPACE}(?P<suf>{spaced_alternatives(_SUFFIX_CMP)}))?"
)
_CN_RE = re.compile(
    rf"(?P<a>{_CN})(?:{SPACE}(?P<sep>[至到～~—]){SPACE}(?P<b>{_CN}))?"
    rf"(?:{SPACE}(?P<more>[余多]))?"
    rf"{SPACE}(?P<unit>{spaced_alternatives(_CN_UNITS)})"
    rf"(?:{SPACE}(?P<suf>{spaced_alternatives(_SUFFIX_CMP)}))?"
)
# Cheap gate: a digit, or a Chinese numeral right before a counter (two plain scans, no alternation).
_DIGIT_RE = re.compile("[0-9０-９]")
_CN_COUNT_RE = re.compile(rf"[一二两三四五六七八九十百千]{SPACE}[余多]?{SPACE}[{''.join(c[0] for c in _CN_UNITS)}]")
# A number glued to these is part of a code or formula (G20, 1.2.3, 3+2), not a quantity.
_NUMBER_BEFORE = frozenset("0123456789.+ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
# Slogans built like counts: 四个面向, 两个确保, 三个不变…
_SLOGAN_RE = re.compile(r"\s*(?:面向|确保|维护|自信|意识|全面|不变|代表|务必|坚持|必须|基本点|有利于|没有变)")

# Brackets whose numbers are names, not quantities (“1+X”, 《…(2020—2023)》), with the longest
# span still treated as a name. Document numbers need no mask: 〔2019〕4号 has no unit.
# A number inside a quoted phrase or a title is part of a name (“十四五”, 《…2021—2025年…》), when the span is
# short: a quote runs at most QUOTE_SPAN_MAX characters, a title TITLE_SPAN_MAX; longer spans are unpaired marks.
QUOTE_SPAN_MAX = 40
TITLE_SPAN_MAX = 80
_NAME_BRACKETS = (("“", "”", QUOTE_SPAN_MAX), ("「", "」", QUOTE_SPAN_MAX), ("《", "》", TITLE_SPAN_MAX), ("〈", "〉", TITLE_SPAN_MAX))
_ASCII_QUOTE_RE = re.compile('"')
_NAME_OPEN_RE = re.compile("[“「《〈]")
_FULLWIDTH = str.maketrans({**{chr(c): chr(c - 0xFEE0) for c in range(ord("０"), ord("９") + 1)}, "％": "%", "．": "."})
_FULLWIDTH_RE = re.compile("[０-９％．]")
_WS_RE = re.compile(r"\s+")
YEAR = r"(?:19|20)\d{2}"  # a year as the deadline patterns read it


@dataclass(slots=True)
class Quantity:
    start: int
    end: int
    comparator: Comparator | None  # from 以上/左右/range/余; None: decide from context
    value: float | None
    low: float | None
    high: float | None
    unit: str  # normalized; "" when only 万/亿 was written
    is_one: bool  # a bare Chinese 一 (一个, 一所): often an article, kept only with a comparator


def compact(s: str) -> str:
    return _WS_RE.sub("", s)


def _scaled(n: Decimal, mult: str | None) -> float:
    return float(n * MULTIPLIERS[mult]) if mult else float(n)


def _arabic_value(s: str, mult: str | None) -> float:
    """An Arabic number as written (12,000 / 13.8), times 万/亿: exact decimal arithmetic only when
    scaled (11.4万 is 114000, not 113999.99…); float() of the digits is the same correctly
    rounded value as float(Decimal(digits))."""
    if mult:
        return float(Decimal(s.replace(",", "")) * MULTIPLIERS[mult])
    return float(s.replace(",", "") if "," in s else s)


class QuantityScanner:
    """One text's quantities; the full-width digits of `text` read as ASCII (`t`, same length)."""

    def __init__(self, text: str) -> None:
        self.text = text
        # Full-width digits → ASCII, same length, so offsets stay valid.
        self.t = text.translate(_FULLWIDTH) if _FULLWIDTH_RE.search(text) else text
        self.ascii_quotes = [m.start() for m in _ASCII_QUOTE_RE.finditer(text)] if '"' in text else []
        # Only the kinds of bracket the text has can make a name.
        t = self.t
        self.brackets = tuple(b for b in _NAME_BRACKETS if b[0] in t) if _NAME_OPEN_RE.search(t) else ()

    def _in_name(self, pos: int) -> bool:
        """Is `pos` inside a short quoted or titled span? Local look-around, no whole-text scan."""
        t = self.t
        for open_, close, limit in self.brackets:
            i = t.rfind(open_, max(0, pos - limit), pos)
            if i < 0 or t.find(close, i + 1, pos) >= 0:
                continue
            j = t.find(close, pos, i + limit + 1)
            if j >= 0 and t.find(open_, pos, j) < 0:
                return True
        if self.ascii_quotes:
            # ASCII quotes pair left to right: inside when an odd number precede.
            k = bisect_left(self.ascii_quotes, pos)
            if k % 2 == 1 and k < len(self.ascii_quotes):
                i, j = self.ascii_quotes[k - 1], self.ascii_quotes[k]
                return j - i <= QUOTE_SPAN_MAX + 1 and "\n" not in t[i:j]
        return False

    def quantities(self) -> list[Quantity]:
        """The quantities of the text, in order."""
        t = self.t
        n = len(t)
        # Without brackets or quotes nothing is a name: skip the look-around per number.
        in_mask = self._in_name if self.brackets or self.ascii_quotes else None
        out: list[Quantity] = []
        isspace = str.isspace

        def prev_char(pos: int) -> str:
            j = pos - 1
            while j >= 0 and t[j].isspace():
                j -= 1
            return t[j] if j >= 0 else ""

        def next_char(pos: int) -> str:
            j = pos
            while j < n and t[j].isspace():
                j += 1
            return t[j] if j < n else ""

        for m in _ARABIC_RE.finditer(t):
            a_s, am, ap, _, b_s, mult, more, unit_raw, suf = m.groups()
            if not unit_raw:
                if ap:
                    unit_raw = "%"
                elif not mult and not am:
                    continue  # a bare number: year, label, phone, date part
            start, end = m.span()
            before = t[start - 1] if start else ""
            if before in _NUMBER_BEFORE or (in_mask is not None and in_mask(start)):
                continue
            if (prev_char(start) if isspace(before) else before) == "第":
                continue
            nc = t[end] if end < n else ""
            if isspace(nc):
                nc = next_char(end)
            if nc == "+":
                continue
            if unit_raw:
                # Keys of _UNITS have no spaces: a key as written is its own compact form.
                unit_key = unit_raw if unit_raw in _UNITS else compact(unit_raw)
                if not suf and nc and nc in _BAD_NEXT.get(unit_key, ""):
                    continue  # the unit starts a word
                unit = _UNITS[unit_key]
            else:
                unit = ""
            amult = am or mult  # 3—5万人: the trailing 万 scales both ends
            cmp: Comparator | None = None
            value = low = high = None
            if b_s:
                cmp = "range"
                low, high = _arabic_value(a_s, amult), _arabic_value(b_s, mult)
            else:
                value = _arabic_value(a_s, amult)
                if suf:
                    cmp = _SUFFIX_CMP[suf] if suf in _SUFFIX_CMP else _SUFFIX_CMP[compact(suf)]
                elif more:
                    cmp = "gt"  # 100余所
            out.append(Quantity(start, end, cmp, value, low, high, unit, False))

        # Chinese numerals are common in words (一体化, 进一步); scan only when one precedes a counter.
        if _CN_COUNT_RE.search(t):
            arabic = len(out)
            taken = [(q.start, q.end) for q in out]
            taken_starts = [q.start for q in out]
            for m in _CN_RE.finditer(t):
                start, end = m.span()
                i = bisect_right(taken_starts, start) - 1
                if i >= 0 and taken[i][0] <= start < taken[i][1]:
                    continue
                a_s, _, b_s, more, unit_raw, suf = m.groups()
                unit_raw = compact(unit_raw)
                if (in_mask is not None and in_mask(start)) or prev_char(start) == "第":
                    continue
                if not suf:
                    nc = next_char(end)
                    if (nc and nc in _BAD_NEXT.get(unit_raw, "")) or _SLOGAN_RE.match(t, end):
                        continue
                b_s = b_s or ""
                if not a_s.strip("百千万亿"):
                    continue  # 百家, 千家万户: a bare magnitude is an idiom; counts say 一百家
                b2: Decimal | None = None
                if not b_s and len(a_s) == 2 and a_s[0] in CN_DIGITS and a_s[1] in CN_DIGITS:
                    # 两三个, 三四所: an approximate range written as two adjacent digits.
                    lo, hi = CN_DIGITS[a_s[0]], CN_DIGITS[a_s[1]]
                    if not (hi == lo + 1 or (lo, hi) == (1, 2)):
                        continue
                    a2: Decimal | None = Decimal(lo)
                    b2 = Decimal(hi)
                else:
                    a2 = to_number(a_s)
                    b2 = to_number(b_s) if b_s else None
                    if a2 is None or (b_s and b2 is None):
                        continue
                assert a2 is not None
                q = self._make(start, end, suf, more, a2, None, b2, None, _UNITS[unit_raw])
                q.is_one = a_s == "一" and not b_s
                out.append(q)
            if len(out) > arabic:
                out.sort(key=lambda q: q.start)
        return out

    @staticmethod
    def _make(
        start: int,
        end: int,
        suf: str | None,
        more: str | None,
        a: Decimal,
        amult: str | None,
        b: Decimal | None,
        bmult: str | None,
        unit: str,
    ) -> Quantity:
        cmp: Comparator | None = None
        value = low = high = None
        if b is not None:
            cmp = "range"
            low, high = _scaled(a, amult), _scaled(b, bmult)
        else:
            value = _scaled(a, amult)
            if suf:
                cmp = _SUFFIX_CMP[compact(suf)]
            elif more:
                cmp = "gt"  # 100余所, 十多个
        return Quantity(start, end, cmp, value, low, high, unit, False)


def may_hold_quantity(text: str) -> bool:
    """Cheap pre-check: a digit, or a Chinese numeral right before a counter."""
    return bool(text) and bool(_DIGIT_RE.search(text) or _CN_COUNT_RE.search(text))
