"""发文字号 (document numbers): 新政办〔2023〕17号, also with [2019], (2019), 【2019】 and stray spaces.

The 机关代字 (agency code) is the run of CJK characters right before the year bracket.
Running text often glues words to it (`印发国发〔2019〕4号`, `实施方案 国发〔2019〕4号`),
so the run is cut after the last word that never occurs inside an agency code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple


class DocNumberParts(NamedTuple):
    """A document number as read; `schema.DocNumber` holds the same fields: `DocNumber(**parts._asdict())`."""

    raw: str
    normalized: str  # canonical form with 〔〕 and no spaces
    agency: str  # 机关代字, e.g. 新政办
    year: int
    seq: int
    standard: bool  # false when brackets or spacing deviate from GB/T 9704 (〔〕)


_CJK = r"\u3400-\u4dbf\u4e00-\u9fff"

# Agency: CJK characters, single spaces allowed between them (PDF extraction spaces out
# characters: `郑 政 办〔2022〕91 号`). Year in any bracket, optional 第, sequence, 号.
DOC_NUMBER_RE = re.compile(
    rf"(?P<agency>[{_CJK}](?:[ \u3000]?[{_CJK}])*)[ \t\u3000]*"
    r"(?P<open>[〔\[［(（【])[ \t\u3000]*(?P<year>(?:19|20)\d{2})[ \t\u3000]*(?P<close>[〕\]］)）】])"
    r"[ \t\u3000]*(?P<di>第?)[ \t\u3000]*(?P<seq>[0-9]{1,4})[ \t\u3000]*号"
)

_TOKEN_RE = re.compile(r"[^ \u3000]+")

# Longest agency code we accept (郑政办明电 is 5; 国家发展改革委 codes like 发改高技 are 4).
MAX_AGENCY_LEN = 8

# Words that end running text and never occur inside an agency code: the code starts after
# the last of them. Not 规划/计划/自: codes such as 发改规划 and 自然资发 contain them.
_AGENCY_STOP_RE = re.compile(
    r"(?:印发|转发|根据|按照|依据|依照|参照|贯彻|落实|执行|关于|通知|意见|方案|办法|文件|精神|要求|的|和|及|与|或|即|见|以|为|是|据)"
)


# A full organ name is not a 机关代字: `国务院办公厅〔2021〕43号` is a misreading of running text.
_ORGAN_NAME_RE = re.compile(r"(?:办公厅|办公室|人民政府|委员会|管委会)$")


def _agency_span(run: str) -> tuple[int, int] | None:
    """Offsets of the agency code inside the CJK run before the bracket, or None."""
    # Spaces inside the run: keep the tail tokens while they fit in an agency code, so
    # `郑 政 办` joins up but `中共中央办公厅 国务院办公厅` does not.
    start = 0
    parts = list(_TOKEN_RE.finditer(run))
    if len(parts) > 1:
        total = 0
        start = parts[-1].start()
        for p in reversed(parts):
            n = p.end() - p.start()
            if total + n > MAX_AGENCY_LEN:
                break
            total += n
            start = p.start()
    last_stop = None
    for m in _AGENCY_STOP_RE.finditer(run, start):
        last_stop = m
    if last_stop is not None:
        start = last_stop.end()
    while start < len(run) and run[start] in " \u3000":
        start += 1
    agency = run[start:].replace(" ", "").replace("\u3000", "")
    if not agency or len(agency) > MAX_AGENCY_LEN or _ORGAN_NAME_RE.search(agency):
        return None
    return start, len(run)


# The part of DOC_NUMBER_RE after the agency. DOC_NUMBER_RE itself may start at every CJK
# character and backtrack over the whole run before failing (quadratic on running text), so
# matches are anchored here and DOC_NUMBER_RE is run only from where its match starts.
_ANCHOR_RE = re.compile(
    r"[〔\[［(（【][ \t\u3000]*(?:19|20)\d{2}[ \t\u3000]*[〕\]］)）】][ \t\u3000]*第?[ \t\u3000]*[0-9]{1,4}[ \t\u3000]*号"
)


def _is_cjk(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf"


def _agency_start(text: str, bracket: int, pos: int) -> int | None:
    """Where DOC_NUMBER_RE, scanning from `pos`, starts the match whose year bracket is at `bracket`.

    That is the leftmost start at or after `pos` of the CJK run (single spaces allowed inside)
    that ends right before the bracket, spaces and tabs between them allowed; None if there is none.
    """
    q = bracket - 1
    while q >= pos and text[q] in " \t\u3000":
        q -= 1
    if q < pos or not _is_cjk(text[q]):
        return None
    s = q
    while s - 1 >= pos:
        if _is_cjk(text[s - 1]):
            s -= 1
        elif s - 2 >= pos and text[s - 1] in " \u3000" and _is_cjk(text[s - 2]):
            s -= 2
        else:
            break
    return s


def iter_doc_numbers(text: str) -> list[tuple[int, int, DocNumberParts]]:
    """Every document number in `text` as (start, end, DocNumberParts); start is where the agency begins."""
    out: list[tuple[int, int, DocNumberParts]] = []
    if "号" not in text:  # cheap pre-check: every number ends with 号
        return out
    pos = 0  # where DOC_NUMBER_RE.finditer would resume
    for anchor in _ANCHOR_RE.finditer(text):
        start = _agency_start(text, anchor.start(), pos)
        if start is None:
            continue
        m = DOC_NUMBER_RE.match(text, start)
        if m is None or m.end() != anchor.end():  # not expected; keep finditer's answer regardless
            out.extend(_numbers(DOC_NUMBER_RE.finditer(text, pos)))
            return out
        out.extend(_numbers((m,)))
        pos = m.end()
    return out


def _numbers(matches: Iterable[re.Match[str]]) -> list[tuple[int, int, DocNumberParts]]:
    out: list[tuple[int, int, DocNumberParts]] = []
    for m in matches:
        dn = _from_match(m)
        if dn is not None:
            out.append((m.start("agency") + dn[0], m.end(), dn[1]))
    return out


def parse_doc_number(raw: str) -> DocNumberParts | None:
    found = iter_doc_numbers(raw)
    return found[0][2] if found else None


def _from_match(m: re.Match[str]) -> tuple[int, DocNumberParts] | None:
    run = m.group("agency")
    span = _agency_span(run)
    if span is None:
        return None
    offset = span[0]
    agency = run[offset:].replace(" ", "").replace("\u3000", "")
    year, seq = int(m.group("year")), int(m.group("seq"))
    raw = m.string[m.start("agency") + offset : m.end()]
    standard = m.group("open") == "〔" and m.group("close") == "〕" and not m.group("di") and not any(c.isspace() for c in raw)
    return offset, DocNumberParts(
        raw=raw,
        normalized=f"{agency}〔{year}〕{seq}号",
        agency=agency,
        year=year,
        seq=seq,
        standard=standard,
    )
