"""Citations of other documents: 《title》, document numbers, and the two paired.

《国家职业教育改革实施方案》(国发〔2019〕4 号)      one citation, title + number
关于印发《职业教育提质培优行动计划》的通知（教职成〔2020〕7号）   title X + the notice's number
《划拨用地目录》                                   title only
国发〔2019〕4号                                    number only
《方案》                                           a back-reference, not a citation
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from rapidfuzz import fuzz

from policydiff.extract.docnumber import iter_doc_numbers
from policydiff.schema import Citation, DocNumber, Document

# 《方案》, 《意见》, 《办法》: shorter titles refer back to a document named earlier.
MIN_TITLE_LEN = 4
# Bounds the scan for the 》 closing a 《 on unbalanced text.
MAX_TITLE_LEN = 200
# Fuzzy title resolution: both titles at least this long, and this similar (0-100).
MIN_FUZZY_TITLE_LEN = 8
TITLE_MATCH_RATIO = 90.0
# A title contained in another names the same document only if it is this share of it.
MIN_CONTAINED_SHARE = 0.6

# After 》: optional 的通知 (the number is the notice's), then the number in brackets.
_AFTER_TITLE_RE = re.compile(r"\s*(?:的\s*通\s*知)?\s*[（(]\s*")
_CLOSE_AFTER_NUMBER_RE = re.compile(r"\s*[）)]")
# 关于印发〈X〉的通知 / 关于印发X的通知 as a title: the cited document is X.
_INNER_WRAPPER_RE = re.compile(r"^.*?关于(?:印发|转发|发布)[《〈]?(?P<inner>.+?)[》〉]?的(?:通知|决定)$")
_SPACE_RE = re.compile(r"\s+")
_LAST_WORD_RE = re.compile(r"\S+$")
_ORGAN_END = set("厅部院委局会府室办")


def _clean_title(raw: str) -> str:
    """Drop whitespace that PDF extraction put inside words (`河 南省`).

    One space stays between Latin words and after an organ name, the GB/T 9704 separator of
    joint issuers (`中共中央办公厅 国务院办公厅关于…`).
    """

    def keep(m: re.Match[str]) -> str:
        s, e = m.start(), m.end()
        before = m.string[s - 1] if s > 0 else ""
        after = m.string[e] if e < len(m.string) else ""
        if not before or not after:
            return ""
        if before.isascii() and before.isalnum() and after.isascii() and after.isalnum():
            return " "
        word = _LAST_WORD_RE.search(m.string, 0, s)
        if before in _ORGAN_END and word is not None and len(word.group()) >= 2 and not after.isascii():
            return " "
        return ""

    return _SPACE_RE.sub(keep, raw).strip()


_TITLE_SCAN_RE = re.compile(r"[《》。]|\n[ \t\u3000]*\n")


def _title_spans(text: str) -> Iterator[tuple[int, int]]:
    """(index of 《, index after its matching 》) for each outermost title, nesting counted.

    A title never holds a 。 or a blank line: an unbalanced 《 gives up there.
    """
    pos = 0
    while True:
        a = text.find("《", pos)
        if a < 0:
            return
        depth = 0
        end = None
        for m in _TITLE_SCAN_RE.finditer(text, a, min(len(text), a + MAX_TITLE_LEN)):
            c = m.group()
            if c == "《":
                depth += 1
            elif c == "》":
                depth -= 1
                if depth == 0:
                    end = m.end()
                    break
            else:
                break
        if end is None:
            pos = a + 1
            continue
        yield a, end
        pos = end


def _title_of(inner: str) -> str:
    """The cited title for the text between 《 and 》: the X of 关于印发〈X〉的通知, else all of it."""
    title = _clean_title(inner)
    m = _INNER_WRAPPER_RE.match(title)
    if m:
        title = m.group("inner")
    # Nested titles are written 〈〉 inside 《》.
    return title.replace("《", "〈").replace("》", "〉")


# Citation from a dict of its fields: the same validation as Citation(**fields), faster.
_new_citation: Callable[[dict[str, Any]], Citation] = Citation.__pydantic_validator__.validate_python


def find_citations(text: str, offset: int = 0, exclude_numbers: Iterable[str] = frozenset()) -> list[Citation]:
    """Citations in `text`, in order; start/end are offsets into `text` plus `offset`.

    exclude_numbers: normalized numbers (DocNumber.normalized) to skip, e.g. the document's own.
    """
    has_title = "《" in text
    if not has_title and "号" not in text:
        return []
    excluded = set(exclude_numbers)
    numbers = iter_doc_numbers(text)
    used: set[int] = set()  # indexes into `numbers` that belong to a title
    out: list[Citation] = []

    if has_title:
        by_start = {s: k for k, (s, _, _) in enumerate(numbers)}
        for a, b in _title_spans(text):
            title = _title_of(text[a + 1 : b - 1])
            end = b
            num_k: int | None = None
            # The number right after the title, in brackets, possibly after 的通知.
            m = _AFTER_TITLE_RE.match(text, b)
            if m and m.end() in by_start:
                k = by_start[m.end()]
                close = _CLOSE_AFTER_NUMBER_RE.match(text, numbers[k][1])
                if close:
                    num_k, end = k, close.end()
            inside = [k for k, (s, e, _) in enumerate(numbers) if a < s and e < b]
            if num_k is None and inside:
                num_k = inside[0]  # written inside the title: 《关于…的通知（国发〔2019〕4号）》
            used.update(inside)
            if num_k is not None:
                used.add(num_k)
            if len(title.replace(" ", "")) < MIN_TITLE_LEN:
                # 《方案》 refers back; a number after it still cites something.
                if num_k is not None and numbers[num_k][2].normalized not in excluded:
                    out.append(_number_citation(text, offset, numbers[num_k]))
                continue
            number = numbers[num_k][2] if num_k is not None else None
            if number is not None and number.normalized in excluded:
                continue  # the document citing itself
            out.append(
                _new_citation(
                    {
                        "raw": text[a:end],
                        "title": title,
                        "number": number,
                        "nonstandard": number is not None and not number.standard,
                        "start": offset + a,
                        "end": offset + end,
                    }
                )
            )

    for k, found in enumerate(numbers):
        if k in used or found[2].normalized in excluded:
            continue
        out.append(_number_citation(text, offset, found))
    out.sort(key=lambda c: c.start)
    return out


def _number_citation(text: str, offset: int, found: tuple[int, int, DocNumber]) -> Citation:
    s, e, dn = found
    return _new_citation({"raw": text[s:e], "number": dn, "nonstandard": not dn.standard, "start": offset + s, "end": offset + e})


# ---------------------------------------------------------------------------
# resolution within a set of documents

# 郑州市人民政府办公厅关于印发X的通知 → X
_WRAPPER_RE = re.compile(r"^.*?关于(?:印发|转发|发布)(?P<inner>.+?)的(?:通知|决定)$")
# (2021—2025年), （2020-2023）: the plan period, compared on its own.
_PERIOD_RE = re.compile(r"[（(]\s*(?P<a>\d{4})\s*[-—–－~至到]+\s*(?P<b>\d{4})\s*年?\s*[）)]")
# 郑州市…, 河南省…, 新郑市…: the region a title starts with.
_REGION_RE = re.compile(r"^(?P<r>[\u4e00-\u9fff]{1,7}?(?:省|市|县|区|州|盟|旗))")
# The kind of document a title ends with.
_KIND_RE = re.compile(
    r"(?:实施方案|行动方案|方案|实施意见|指导意见|意见|行动计划|计划|规划|办法|细则|通知|决定|规定|纲要|目录|清单|"
    r"说明|解读|报告|批复|函|公告|通告|纪要)$"
)
_PUNCT_RE = re.compile(r"[\s《》〈〉“”\"'‘’、，。：:·]")
_PARENS = str.maketrans({"(": "（", ")": "）"})


def normalize_title(title: str) -> str:
    """Title key: no wrapper (关于印发…的通知), no marks, no spaces, no plan period."""
    t = _PUNCT_RE.sub("", title).translate(_PARENS)
    m = _WRAPPER_RE.match(t)
    if m:
        t = m.group("inner")
    return _PERIOD_RE.sub("", t)


def _period(title: str) -> tuple[str, str] | None:
    m = _PERIOD_RE.search(title)
    return (m.group("a"), m.group("b")) if m else None


def _region(key: str) -> str | None:
    m = _REGION_RE.match(key)
    return m.group("r") if m else None


def _kind(key: str) -> str | None:
    m = _KIND_RE.search(key)
    return m.group() if m else None


def title_score(cited: str, doc_title: str) -> float:
    """Similarity 0-100 of a cited title and a document title; 0 when they cannot be the same document."""
    a, b = normalize_title(cited), normalize_title(doc_title)
    if not a or not b:
        return 0.0
    if a == b:
        pa, pb = _period(cited), _period(doc_title)
        return 0.0 if pa and pb and pa != pb else 100.0
    # Plans of different places or periods, or of different kinds, share most of their words:
    # 郑州市…实施方案 and 新郑市…实施方案 are different documents.
    ra, rb = _region(a), _region(b)
    if ra and rb and ra != rb:
        return 0.0
    pa, pb = _period(cited), _period(doc_title)
    if pa and pb and pa != pb:
        return 0.0
    ka, kb = _kind(a), _kind(b)
    if ka and kb and ka != kb:
        return 0.0
    short, long_ = sorted((a, b), key=len)
    if len(short) < MIN_FUZZY_TITLE_LEN:
        return 0.0
    score = fuzz.ratio(a, b)
    # One title (nearly) contained in the other, and most of it: 国家职业教育改革实施方案 / 职业教育改革实施方案.
    if len(short) >= MIN_CONTAINED_SHARE * len(long_):
        score = max(score, fuzz.partial_ratio(short, long_))
    return float(score)


def _doc_titles(doc: Document) -> list[str]:
    return [t for t in (doc.metadata.title, doc.metadata.plan_title) if t]


def _doc_citations(doc: Document) -> Iterator[Citation]:
    seen: set[int] = set()
    clauses = list(doc.clauses)
    for section in doc.iter_sections():
        clauses.extend(section.clauses)
    for c in doc.citations:
        if id(c) not in seen:
            seen.add(id(c))
            yield c
    for clause in clauses:
        for c in clause.citations:
            if id(c) not in seen:
                seen.add(id(c))
                yield c


def resolve_citations(docs: list[Document]) -> None:
    """Set Citation.resolved_to to the name of the document of `docs` each citation names.

    By number first (DocNumber.normalized); then by title when the cited number, if any, does
    not contradict the document's own number. A document never resolves to itself; citations
    that name no document of the set are left as they are.
    """
    by_number: dict[str, str] = {}
    for d in docs:
        if d.metadata.doc_number is not None:
            by_number.setdefault(d.metadata.doc_number.normalized, d.name)
    for doc in docs:
        for cit in _doc_citations(doc):
            target = _resolve_one(cit, doc, docs, by_number)
            if target is not None:
                cit.resolved_to = target


def _resolve_one(cit: Citation, doc: Document, docs: list[Document], by_number: dict[str, str]) -> str | None:
    if cit.number is not None:
        name = by_number.get(cit.number.normalized)
        if name is not None and name != doc.name:
            return name
    if not cit.title:
        return None
    best, best_score = None, 0.0
    for other in docs:
        if other.name == doc.name:
            continue
        own = other.metadata.doc_number
        if cit.number is not None and own is not None and own.normalized != cit.number.normalized:
            continue  # the citation's number says it is another document
        for t in _doc_titles(other):
            s = title_score(cit.title, t)
            if s > best_score:
                best, best_score = other.name, s
    return best if best_score >= TITLE_MATCH_RATIO else None
