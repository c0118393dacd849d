"""发文字号 (document numbers): 新政办〔2023〕17号, also with [2019], (2019), 【2019】 and stray spaces."""

from __future__ import annotations

import re

from policydiff.schema import DocNumber

# Agency code: CJK characters (e.g. 国办发, 教职成, 郑政办); year in any bracket; sequence number.
DOC_NUMBER_RE = re.compile(
    r"(?P<agency>[\u4e00-\u9fff]{1,10}?)\s*"
    r"(?P<open>[〔\[［(（【])\s*(?P<year>(?:19|20)\d{2})\s*(?P<close>[〕\]］)）】])\s*"
    r"(?P<seq>\d{1,4})\s*号"
)


def parse_doc_number(raw: str) -> DocNumber | None:
    m = DOC_NUMBER_RE.search(raw)
    if not m:
        return None
    return doc_number_from_match(m)


def doc_number_from_match(m: re.Match[str]) -> DocNumber:
    agency = m.group("agency")
    year, seq = int(m.group("year")), int(m.group("seq"))
    standard = m.group("open") == "〔" and m.group("close") == "〕" and " " not in m.group(0)
    return DocNumber(
        raw=m.group(0),
        normalized=f"{agency}〔{year}〕{seq}号",
        agency=agency,
        year=year,
        seq=seq,
        standard=standard,
    )
