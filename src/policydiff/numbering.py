"""Numbering styles of Chinese official documents, shared by normalize and structure."""

from __future__ import annotations

import re
from dataclasses import dataclass

from policydiff.extract.numbers import cn_to_int as numeral_to_int

CN_NUM = "零〇一二三四五六七八九十百两"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def cn_to_int(s: str) -> int | None:
    """A label or count as written: 3 → 3, 一 → 1, 十二 → 12, 一百零五 → 105; None when not a number.

    Chinese numerals go through the one parser of extract.numbers, which rejects slogans such as
    十四五 and digit runs such as 二〇二五 instead of misreading them.
    """
    if s.isdigit():
        return int(s)
    return numeral_to_int(s)


@dataclass(frozen=True)
class Label:
    style: str
    text: str  # the label as written, e.g. "（一）" or "3."
    value: int
    end: int  # where the paragraph text after the label starts


# Canonical rank: lower is higher in the hierarchy. Used only where the document itself
# gives no usable order (a style whose first appearance does not start at 1).
STYLE_RANK = {
    "chapter": 0,
    "section-cn": 1,  # 第一节
    "cn-dun": 2,  # 一、
    "cn-paren": 3,  # （一）
    "article": 4,  # 第一条
    "arabic": 5,  # 1. / 1、
    "arabic-paren": 6,  # （1）
    "circled": 7,  # ①
}
SECTION_STYLES = frozenset({"chapter", "section-cn", "cn-dun", "cn-paren"})
CLAUSE_STYLES = frozenset({"article", "arabic", "arabic-paren", "circled"})

_N = f"[{CN_NUM}]{{1,4}}"
LABEL_RE = re.compile(
    rf"""^(?:
      (?P<chapter>第(?P<chapter_n>{_N})章)\s*
    | (?P<section_cn>第(?P<section_cn_n>{_N})节)\s*
    | (?P<article>第(?P<article_n>{_N})条)\s*
    | (?P<cn_dun>(?P<cn_dun_n>{_N})\s*[、．])\s*
    | (?P<cn_paren>[（(]\s*(?P<cn_paren_n>{_N})\s*[)）])\s*
    | (?P<arabic_paren>[（(]\s*(?P<arabic_paren_n>\d{{1,3}})\s*[)）])\s*
    | (?P<arabic>(?P<arabic_n>\d{{1,3}})\s*(?:[.．](?![\d.．])|、))\s*
    | (?P<circled>[{CIRCLED}])\s*
    )""",
    re.VERBOSE,
)


def match_label(paragraph: str) -> Label | None:
    m = LABEL_RE.match(paragraph)
    if not m:
        return None
    for group, style in (
        ("chapter", "chapter"),
        ("section_cn", "section-cn"),
        ("article", "article"),
        ("cn_dun", "cn-dun"),
        ("cn_paren", "cn-paren"),
        ("arabic_paren", "arabic-paren"),
        ("arabic", "arabic"),
        ("circled", "circled"),
    ):
        text = m.group(group)
        if text is None:
            continue
        if style == "circled":
            value = CIRCLED.index(text) + 1
        else:
            value = cn_to_int(m.group(group + "_n")) or 0
        if value <= 0:
            return None
        if style == "arabic" and _looks_like_quantity(paragraph, m.end()):
            return None
        return Label(style=style, text=text, value=value, end=m.end())
    return None


_QUANTITY_AFTER = re.compile(r"[万亿千百十个项名所家门条位部人元年月日%％]")


def _looks_like_quantity(paragraph: str, end: int) -> bool:
    """`2、3 个` or `5、万人` is a number, not a label: a label is followed by text."""
    rest = paragraph[end : end + 1]
    return not rest or bool(_QUANTITY_AFTER.match(rest))


ORDINAL_RE = re.compile(
    r"^(?:(?P<first>首先|其次|再次|最后|第[二三四五六七八九十]{1,2}(?![章节条部])|[一二三四五六七八九十]{1,2}是)[，,：:]?)"
)
