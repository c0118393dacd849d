"""Numbering styles of Chinese official documents, shared by normalize and structure."""

from __future__ import annotations

import re
from dataclasses import dataclass

from policydiff.extract.numbers import cn_to_int as numeral_to_int

CN_NUM = "零〇一二三四五六七八九十百千两"
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
    suffix: int | None = None  # 第十七条之一 → 1: an article inserted by an amendment

    @property
    def key(self) -> str:
        """The label as an id: 17, or 17之一 for an inserted article."""
        return f"{self.value}之{_SUFFIX_WORDS[self.suffix]}" if self.suffix else str(self.value)


# Canonical rank: lower is higher in the hierarchy. Used only where the document itself
# gives no usable order (a style whose first appearance does not start at 1).
STYLE_RANK = {
    "part": -2,  # 第一编
    "subpart": -1,  # 第一分编
    "chapter": 0,
    "section-cn": 1,  # 第一节
    "cn-dun": 2,  # 一、
    "cn-paren": 3,  # （一）
    "article": 4,  # 第一条
    "arabic": 5,  # 1. / 1、
    "arabic-paren": 6,  # （1）
    "circled": 7,  # ①
}
CONTAINER_STYLES = frozenset({"part", "subpart", "chapter", "section-cn"})
SECTION_STYLES = frozenset({*CONTAINER_STYLES, "cn-dun", "cn-paren"})
CLAUSE_STYLES = frozenset({"article", "arabic", "arabic-paren", "circled"})

_N = f"[{CN_NUM}]{{1,4}}"
_LONG_N = f"(?:[{CN_NUM}]{{1,10}}|\\d{{1,4}})"  # article numbers reach 第一千二百六十条 (and 第12条 in some local texts)
_SUFFIX_WORDS = dict(enumerate("〇一二三四五六七八九十"))
LABEL_RE = re.compile(
    rf"""^(?:
      (?P<part>第(?P<part_n>{_N})编)\s*
    | (?P<subpart>第(?P<subpart_n>{_N})分编)\s*
    | (?P<chapter>第(?P<chapter_n>{_N})章)\s*
    | (?P<section_cn>第(?P<section_cn_n>{_N})节)\s*
    | (?P<article>第(?P<article_n>{_LONG_N})条(?:之(?P<article_sfx>[一二三四五六七八九十]))?)(?![的、，,至]|[和及]第|中[的规所]|之后|之前|第[{CN_NUM}]+[款项])\s*
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
        ("part", "part"),
        ("subpart", "subpart"),
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
        value = CIRCLED.index(text) + 1 if style == "circled" else cn_to_int(m.group(group + "_n")) or 0
        if value <= 0:
            return None
        if style == "arabic" and _looks_like_quantity(paragraph, m.end(), text):
            return None
        suffix = None
        if style == "article" and m.group("article_sfx"):
            suffix = cn_to_int(m.group("article_sfx"))
        return Label(style=style, text=text, value=value, end=m.end(), suffix=suffix)
    return None


_QUANTITY_AFTER = re.compile(r"[万亿千百十个项名所家门条位部人元年月日%％]")


def _looks_like_quantity(paragraph: str, end: int, label: str) -> bool:
    """`2、3 个` or `5、万人` is a number, not a label: a label is followed by text.

    A dotted label is a label whatever follows (`2.年满60周岁`): a decimal never reaches here.
    """
    rest = paragraph[end : end + 1]
    if not rest:
        return True
    return not label.rstrip().endswith((".", "．")) and bool(_QUANTITY_AFTER.match(rest))


ORDINAL_RE = re.compile(
    r"^(?:(?P<first>首先|其次|再次|最后|第[二三四五六七八九十]{1,2}(?![章节条部])|[一二三四五六七八九十]{1,2}是)[，,：:]?)"
)
