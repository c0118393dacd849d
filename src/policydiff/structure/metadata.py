"""GB/T 9704-2012 document elements: title, 发文字号, authority, addressees, dates, footer."""

from __future__ import annotations

import contextlib
import re
from datetime import date

from policydiff.normalize import AUTHORITY_LINE_MAX, AUTHORITY_LINE_RE, DOC_NUMBER_LINE_RE, TITLE_END_RE
from policydiff.schema import DeclaredCount, DocNumber, Metadata
from policydiff.structure.legal import REPOST_RE, clean_title, is_history_line, looks_like_legal_title, read_history
from policydiff.structure.page import is_page_meta, read_page_meta
from policydiff.text.docnumber import parse_doc_number
from policydiff.text.numbering import cn_to_int
from policydiff.vocabulary import date_pattern, doc_types, notice_wrapper_pattern

DATE_RE = re.compile(date_pattern(groups="()"))
PRINT_DATE_RE = re.compile(rf"^(?:[\u4e00-\u9fff]{{0,20}})?{date_pattern(spaced=False, groups='()')}\s*(?:印发|发布)$")
ISSUE_DATE_RE = re.compile(rf"^{date_pattern(spaced=False, groups='()')}$")
FOOTER_RE = re.compile(r"^(主办|督办|抄送|抄报)\s*[:：]\s*(.*)$")
HEADER_RE = re.compile(r"^(.{2,30}?)文件$")
TITLE_WRAPPER_RE = re.compile(notice_wrapper_pattern(verbs=("印发",), kinds=("通知",)))
# A news report's lead names the notice: 2019年5月30日，开封市印发《…方案》（汴政〔2019〕103号）。
NEWS_RELEASE_RE = re.compile(
    r"^(?:(?P<y>(?:19|20)\d{2})年)?(?P<m>\d{1,2})月(?P<d>\d{1,2})日[，,](?P<who>[^《》，,。]{2,40}?)(?:正式)?"
    r"(?:印发|出台|发布)(?:了)?《(?P<title>[^《》]{4,120}?)》(?:[（(](?P<no>[^（）()]{4,30}?号)[）)])?"
)

# A title is one line of at most this many characters; a longer line ending in 通知/方案… is body text.
TITLE_MAX = 90
# A 抄送 list that wraps onto another line ends in 。 there and stays shorter than a paragraph.
CC_LINE_MAX = 120
DOC_TYPE_WORDS = doc_types("doc_type")  # longest first: 实施方案 before 方案 (data/doc_types.tsv)

DECLARED_COUNT_RE = re.compile(
    r"(?:共有|共|提出|包括|通过|明确)?\s*(?P<n>\d{1,3}|[一二三四五六七八九十两百]{1,4})\s*"
    r"(?P<counter>项|条|个|大项|大)\s*"
    r"(?P<what>重点任务|主要任务|任务举措|行动计划|重点工作|工作任务|部分|内容)"
)
CLAUSE_NOUNS = {"重点任务", "主要任务", "行动计划", "重点工作", "工作任务", "内容"}


def parse_date(text: str) -> date | None:
    m = DATE_RE.search(text)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def doc_type_of(title: str | None) -> str | None:
    if not title:
        return None
    t = re.sub(r"[（(][^）)]*[）)]$", "", title)
    for word in DOC_TYPE_WORDS:
        if t.endswith(word):
            return word
    return None


def split_orgs(text: str) -> list[str]:
    text = text.strip().rstrip("。：:")
    parts = re.split(r"[，,；;]", text)
    return [p.strip() for p in parts if p.strip()]


# A law's title is among its first lines (after a 版头 or a site's breadcrumb at most).
LEGAL_TITLE_WINDOW = 4


def extract_head(paragraphs: list[str], title_line: int | None = None) -> tuple[Metadata, set[int]]:
    """Metadata from the paragraphs before the body; returns the indexes it consumed.

    `title_line`: the paragraph marked as the title by its source (a markdown `# ` line, an HTML <h1>).
    """
    meta = Metadata()
    used: set[int] = set()
    authority_line: int | None = None
    history: list[str] = []
    for i, p in enumerate(paragraphs):
        if is_page_meta(p):
            read_page_meta(p, meta)
            used.add(i)
            continue
        if is_history_line(p) and (meta.title is not None or i < LEGAL_TITLE_WINDOW):
            history.append(p)
            used.add(i)
            continue
        if meta.doc_number is None and DOC_NUMBER_LINE_RE.match(p):
            meta.doc_number = _doc_number(p)
            used.add(i)
            continue
        m = HEADER_RE.match(p)
        if m and "，" not in p and meta.authority is None and meta.title is None:
            meta.authority = m.group(1)
            used.add(i)
            continue
        if meta.title is None and AUTHORITY_LINE_RE.match(p) and len(p) <= AUTHORITY_LINE_MAX and i + 1 < len(paragraphs):
            nxt = paragraphs[i + 1]
            if nxt.startswith("关于") and TITLE_END_RE.search(nxt):
                authority_line = i
                meta.authority = meta.authority or p
                used.add(i)
                continue
        if meta.title is None and _looks_like_title(REPOST_RE.sub("", p)):
            p = REPOST_RE.sub("", p)
            meta.title = (paragraphs[authority_line] + p) if authority_line == i - 1 and authority_line is not None else p
            used.add(i)
            if meta.authority is None and "关于" in p and not p.startswith("关于"):
                meta.authority = p.split("关于", 1)[0]
            continue
        if meta.title is None and ((i == title_line and not AUTHORITY_LINE_RE.match(p)) or (i < LEGAL_TITLE_WINDOW and looks_like_legal_title(p))) and not is_history_line(p):
            meta.title = clean_title(p)
            used.add(i)
            continue
        if not meta.addressees and p.endswith(("：", ":")) and p.startswith("各") and "。" not in p:
            meta.addressees = split_orgs(p)
            used.add(i)
            continue
        if meta.issue_date is None and ISSUE_DATE_RE.match(p):
            meta.issue_date = parse_date(p)
            used.add(i)
            continue
        if meta.title and meta.plan_title is None and _looks_like_title(p) and "关于" not in p:
            meta.plan_title = p
            used.add(i)
            continue
    read_history(meta, history)
    if meta.title is None:
        for p in paragraphs[:3]:
            m = NEWS_RELEASE_RE.match(p)
            if m:
                _fill_from_news_lead(meta, m)
                break
    if meta.title and meta.plan_title is None:
        m = TITLE_WRAPPER_RE.search(meta.title)
        meta.plan_title = m.group(1).strip("《》") if m else _strip_authority(meta.title, meta.authority)
    if meta.doc_type is None:
        meta.doc_type = doc_type_of(meta.plan_title) or doc_type_of(meta.title)
        if meta.title and meta.title.endswith("起草说明"):
            meta.doc_type = "起草说明"
    return meta, used


def _fill_from_news_lead(meta: Metadata, lead: re.Match[str]) -> None:
    meta.title = meta.plan_title = lead["title"]
    meta.doc_type = "新闻稿"
    meta.authority = meta.authority or lead["who"]
    if lead["y"] and meta.issue_date is None:
        with contextlib.suppress(ValueError):  # an impossible date stays unknown rather than guessed
            meta.issue_date = date(int(lead["y"]), int(lead["m"]), int(lead["d"]))
    if lead["no"] and meta.doc_number is None:
        meta.doc_number = _doc_number(lead["no"])


def _doc_number(text: str) -> DocNumber | None:
    parts = parse_doc_number(text)
    return None if parts is None else DocNumber(**parts._asdict())


def _strip_authority(title: str, authority: str | None) -> str:
    if "关于" in title:
        title = title.split("关于", 1)[1]
    elif authority and title.startswith(authority):
        title = title[len(authority) :]
    if title.startswith("《") and title.endswith("》") and title.count("《") == 1:
        title = title[1:-1]
    return title


def _looks_like_title(p: str) -> bool:
    return (
        len(p) <= TITLE_MAX
        and "。" not in p
        and not p.endswith(("：", ":"))
        and bool(TITLE_END_RE.search(p))
        and not p.startswith(("为", "根据", "按照"))
    )


def extract_tail(paragraphs: list[str], meta: Metadata) -> set[int]:
    """主办/督办/抄送 lines, the print date, and a trailing issue date and authority."""
    used: set[int] = set()
    in_cc = False
    for i, p in enumerate(paragraphs):
        if is_page_meta(p):
            read_page_meta(p, meta)
            used.add(i)
            continue
        m = FOOTER_RE.match(p)
        if m:
            key, value = m.group(1), m.group(2)
            if key == "主办":
                meta.sponsor = value.rstrip("。")
            elif key == "督办":
                meta.supervisor = value.rstrip("。")
            else:
                meta.cc.extend(split_orgs(value))
            in_cc = key in ("抄送", "抄报")
            used.add(i)
            continue
        if PRINT_DATE_RE.match(p):
            meta.print_date = parse_date(p)
            used.add(i)
            in_cc = False
            continue
        if ISSUE_DATE_RE.match(p) and meta.issue_date is None:
            meta.issue_date = parse_date(p)
            used.add(i)
            continue
        if AUTHORITY_LINE_RE.match(p) and len(p) <= AUTHORITY_LINE_MAX:
            if meta.authority is None:
                meta.authority = p
            used.add(i)
            in_cc = False
            continue
        if in_cc and "。" in p[-1:] and len(p) < CC_LINE_MAX:
            meta.cc.extend(split_orgs(p))
            used.add(i)
            continue
        in_cc = False
    return used


def declared_counts(text: str) -> list[DeclaredCount]:
    out = []
    for m in DECLARED_COUNT_RE.finditer(text):
        n = cn_to_int(m.group("n"))
        if not n:
            continue
        what = m.group("what")
        if m.group("counter") in ("大项", "大"):
            what = "大项" + what
        out.append(DeclaredCount(raw=m.group(0).strip(), value=n, what=what))
    return out
