"""Citations of other documents: 《title》, document numbers, and the two paired.

《国家职业教育改革实施方案》(国发〔2019〕4 号)      one citation, title + number
关于印发《职业教育提质培优行动计划》的通知（教职成〔2020〕7号）   title X + the notice's number
《划拨用地目录》                                   title only
国发〔2019〕4号                                    number only
《方案》                                           a back-reference, not a citation
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from policydiff.extract.docnumber import iter_doc_numbers
from policydiff.schema import Citation, DocNumber, Document
from policydiff.vocabulary import alternation, doc_types, notice_wrapper_pattern

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
_INNER_WRAPPER_RE = re.compile("^.*?" + notice_wrapper_pattern(quoted=True))
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


# 《方案》, 《本办法》, 《条例》: a kind of document and nothing else refers back to one named earlier.
# Short real titles (《刑法》, 《献血法》, 《民法典》) are citations.
_BACK_REFERENCE_RE = re.compile(
    rf"^(?:本|该|此|上述|前述)?(?:实施|暂行|若干|管理)?(?:{alternation(doc_types('back_reference'))})$"
)
_SHORT_FORM_BEFORE_RE = re.compile(r"(?:以下简称|以下称|下称|简称)\s*$")


def _is_back_reference(title: str) -> bool:
    t = title.replace(" ", "")
    return len(t) < 2 or bool(_BACK_REFERENCE_RE.match(t))


def _defines_short_form(text: str, start: int) -> bool:
    """The 《…》 at `start` is the short form of （以下简称《…》）, not another citation."""
    return bool(_SHORT_FORM_BEFORE_RE.search(text, max(0, start - 8), start))


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
            if _is_back_reference(title) or _defines_short_form(text, a):
                # 《方案》 refers back, 以下简称《条例》 names a short form; a number after it still cites something.
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
_WRAPPER_RE = re.compile("^.*?" + notice_wrapper_pattern())
# (2021—2025年), （2020-2023）: the plan period, compared on its own.
_PERIOD_RE = re.compile(r"[（(]\s*(?P<a>\d{4})\s*[-—–－~至到]+\s*(?P<b>\d{4})\s*年?\s*[）)]")
# 郑州市…, 河南省…, 新郑市…: the region a title starts with.
_REGION_RE = re.compile(r"^(?P<r>[\u4e00-\u9fff]{1,7}?(?:省|市|县|区|州|盟|旗))")
# The kind of document a title ends with.
_KIND_RE = re.compile(rf"(?:{alternation(doc_types('kind'))})$")
# Titles of laws and regulations: the same work only when the titles are the same (work_key).
_LAW_TITLE_RE = re.compile(rf"(?:{alternation(doc_types('law'))})(?:[（(][^）)]{{0,12}}[）)])?$|实施[《〈<]")
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
    if any(_LAW_TITLE_RE.search(t) for t in (a, b, cited, doc_title)):
        # 《献血法》 is not 河南省实施《献血法》办法: a law is named by its title, not by a title containing it.
        return 100.0 if work_key(cited) == work_key(doc_title) else 0.0
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


# ---------------------------------------------------------------------------
# laws and regulations: the work a title names, short forms, orders, versions

# （2018修正）, （2022年修订）, （试行）, (2016年3月16日修订): a version note, not part of the work's name.
_VERSION_NOTE = (
    r"[（(]\s*(?:(?P<year>\d{4})\s*年?\s*(?:\d{1,2}\s*月\s*(?:\d{1,2}\s*日)?)?)?\s*"
    r"(?:第?[一二三四五六七八九十\d]+次)?\s*(?P<what>修正|修订|修改|试行|暂行|草案)?\s*(?:本|文本)?\s*[）)]"
)
_VERSION_SUFFIX_RE = re.compile(_VERSION_NOTE + r"\s*$")
_VERSION_AFTER_RE = re.compile(r"\s*" + _VERSION_NOTE)
# （以下简称《条例》）, （以下简称“献血法”）: a short form used later for the title just cited.
_SHORT_FORM_RE = re.compile(r"\s*[（(]\s*(?:以下简称|以下称|下称|简称)\s*[《“\"「〈]?(?P<alias>[^》”\"」〉）)]{1,30}?)[》”\"」〉]?\s*[）)]")
# 国务院令第746号, 中华人民共和国主席令第十二号 (the orders that publish laws and regulations).
_ORDER_RE = re.compile(
    r"(?:中华人民共和国)?(?P<who>国务院|主席)令\s*[（(]?\s*第\s*(?P<n>[0-9０-９零〇一二三四五六七八九十百千两]+)\s*号[）)]?"
)
# The order a document was published by (its own header), not one it cites.
_OWN_ORDER_AFTER_RE = re.compile(r"\s*(?:公布|发布|修订|修正|颁布)")
_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}


def _strip_version(title: str) -> tuple[str, int | None]:
    """Title without trailing version notes, and the year of the last one (None if it has none)."""
    year = None
    while True:
        m = _VERSION_SUFFIX_RE.search(title)
        if not m or not (m.group("year") or m.group("what")):
            return title, year
        if year is None and m.group("year"):
            year = int(m.group("year"))
        title = title[: m.start()].rstrip()


def work_key(title: str) -> str:
    """The work a title names: 《中华人民共和国职业教育法》（2022年修订） and 职业教育法 give 职业教育法.

    No wrapper, marks, spaces, plan period, 中华人民共和国 or version notes; a title that merely
    contains another (河南省实施《中华人民共和国献血法》办法) keeps its own key."""
    t, _ = _strip_version(title.strip())
    t = normalize_title(t.replace("<", "").replace(">", ""))
    return t.replace("中华人民共和国", "")


def _order_number(raw: str) -> int | None:
    raw = raw.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if raw.isdigit():
        return int(raw)
    total, section, digit = 0, 0, 0
    for ch in raw:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in "十百千":
            unit = {"十": 10, "百": 100, "千": 1000}[ch]
            section += (digit or 1) * unit
            digit = 0
        else:
            return None
    total += section + digit
    return total or None


def order_key(who: str, number: int) -> str:
    """国务院令第746号 and 中华人民共和国国务院令第七百四十六号 give the same key."""
    return f"{who}令第{number}号"


def own_orders(text: str) -> list[str]:
    """Orders that published this document (…国务院令第721号公布): what a citation of the order names."""
    out = []
    for m in _ORDER_RE.finditer(text):
        n = _order_number(m.group("n"))
        if n is not None and _OWN_ORDER_AFTER_RE.match(text, m.end()):
            out.append(order_key(m.group("who"), n))
    return out


@dataclass(frozen=True)
class LawCitation:
    """A citation of a law or regulation: the work (work_key) or the order (order_key) it names."""

    raw: str
    key: str
    year: int | None  # the version asked for: 《职业教育法》（2022年修订） gives 2022
    start: int
    order: bool = False


def law_citations(text: str, own_titles: Iterable[str] = ()) -> list[LawCitation]:
    """Citations of laws and regulations in a whole document, in order.

    《中华人民共和国献血法》, 《献血法》 and 《职业教育法》（2022年修订） name works; 《条例》 names the
    work defined earlier as its short form (以下简称《条例》), otherwise it is a back-reference like
    本法/该法 and no citation; 国务院令第746号 names the regulation published by that order. Titles of
    the document itself (`own_titles`) are not citations."""
    own = {work_key(t) for t in own_titles if t}
    aliases: dict[str, tuple[str, int | None]] = {}
    found: list[LawCitation] = []
    for a, b in _title_spans(text):
        title = _title_of(text[a + 1 : b - 1])
        if _defines_short_form(text, a):
            continue
        end, year = b, None
        clean = title.replace(" ", "")
        if clean in aliases:
            key, year = aliases[clean]
        elif _is_back_reference(title):
            continue
        else:
            bare, year = _strip_version(title)
            key = work_key(bare)
        m = _VERSION_AFTER_RE.match(text, b)
        if m and (m.group("year") or m.group("what")):
            end = m.end()
            if m.group("year"):
                year = int(m.group("year"))
        d = _SHORT_FORM_RE.match(text, end)
        if d:
            aliases[d.group("alias").replace(" ", "")] = (key, year)
        if key and key not in own:
            found.append(LawCitation(text[a:end], key, year, a))
    for m in _ORDER_RE.finditer(text):
        n = _order_number(m.group("n"))
        if n is None or _OWN_ORDER_AFTER_RE.match(text, m.end()):
            continue
        found.append(LawCitation(m.group(), order_key(m.group("who"), n), None, m.start(), order=True))
    found.sort(key=lambda c: c.start)
    return found


@dataclass(frozen=True)
class Version:
    """One version of a work in a collection: its document, dates and publishing orders."""

    name: str
    date: dt.date | None  # the latest adoption, amendment, revision or promulgation
    effective: dt.date | None = None
    orders: tuple[str, ...] = ()


def pick_version(versions: Sequence[Version], at: dt.date | None, year: int | None = None) -> Version | None:
    """The version a citation made on `at` names: the one of the year asked for; else the one in force
    on `at` (latest start not after it: its effective date, else its own date); else, when every
    version is later, the earliest; when `at` is unknown, the latest.

    An effective date earlier than the version's own date is the first version's (自1999年10月1日起施行
    kept through later amendments): that version starts on its own date."""
    if not versions:
        return None

    def start(v: Version) -> dt.date | None:
        if v.effective is not None and (v.date is None or v.effective >= v.date):
            return v.effective
        return v.date

    dated = sorted((s, v.name, v) for v in versions if (s := start(v)) is not None)
    if year is not None:
        hits = [x for x in dated if x[2].date is not None and x[2].date.year == year or x[0].year == year]
        if hits:
            return hits[-1][2]
    if not dated:
        return min(versions, key=lambda v: v.name)
    if at is None:
        return dated[-1][2]
    before = [x for x in dated if x[0] <= at]
    return before[-1][2] if before else dated[0][2]
