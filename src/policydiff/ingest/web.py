"""Saved government web pages (.html/.htm) → the notice's text, without the site around it.

Steps: decode (BOM, <meta charset>, detection); drop scripts/styles/forms and hidden elements;
mark site furniture (nav, menus, breadcrumbs, share bars, sidebars, footers) by tag or class/id;
pick the content block (a known content id/class such as TRS_Editor or zoom, else the deepest
element holding most of the Chinese text); render it with one line per block and tables as tab
blocks. Everything left out is recorded in `dropped` with reason html-boilerplate.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from bs4.element import Declaration, Doctype, ProcessingInstruction, Script, Stylesheet, TemplateString

from policydiff.errors import EmptyInputError
from policydiff.ingest._common import LineBuffer, count_cjk, dropped
from policydiff.ingest.textfile import canonical_codec, check_not_binary, decode_text, plausibility
from policydiff.ingest.wordnum import format_number
from policydiff.schema import Dropped

_META_CHARSET_RE = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
_XML_ENCODING_RE = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_\-.]+)""", re.IGNORECASE)

# Removed outright: not part of the page's visible text.
_JUNK_TAGS = ["script", "style", "noscript", "template", "iframe", "frame", "object", "embed", "svg", "canvas",
              "audio", "video", "form", "button", "select", "textarea", "input", "link", "meta"]
_FURNITURE_TAGS = {"nav", "header", "footer", "aside"}
# Parts of a class/id that mark site furniture wherever they occur (topNav, main_menu, bdshare_t).
_FURNITURE_PARTS = ("nav", "menu", "footer", "breadcrumb", "crumb", "share", "sidebar", "copyright", "friendlink",
                    "gotop", "backtop", "toolbar", "topbar", "dqwz")
# Words that mark furniture only as a whole class/id token (article-header keeps its title).
_FURNITURE_WORDS = {"header", "head", "top", "foot", "bottom", "side", "aside", "path", "position", "location", "links",
                    "search", "login", "related", "relate", "xgwz", "xgxx", "print", "tools"}
# Common content containers on Chinese government sites (TRS, Ucap, Hanweb CMSs).
_CONTENT_WORDS = {"zoom", "trs_editor", "custom_unionstyle", "ucap-content", "pages_content", "pages-content", "article",
                  "article-content", "article_content", "articlecontent", "article-body", "articlebody", "content",
                  "contents", "main-content", "maincontent", "main_content", "news_content", "newscontent",
                  "news-content", "detail", "details", "detail-content", "detail_content", "xxgk_content", "con",
                  "contxt", "con_txt", "wzcon", "text", "txt", "zw", "zhengwen", "view", "post-content",
                  "entry-content", "textcontent", "bt_content", "main-text", "maintext"}
_FURNITURE_IN_COMPOUND = {"search", "links", "login", "path", "position", "location", "related", "print"}
_TITLE_TOKEN_RE = re.compile(r"title|biaoti|^bt$|^tit$", re.IGNORECASE)
_HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)

_BLOCK_TAGS = {"address", "article", "aside", "blockquote", "center", "dd", "details", "dialog", "dir", "div", "dl",
               "dt", "fieldset", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header",
               "hgroup", "hr", "li", "main", "menu", "nav", "ol", "p", "section", "summary", "ul", "caption", "tr",
               "td", "th", "tbody", "thead", "tfoot", "body", "html"}
_SKIP_STRINGS = (Comment, Declaration, Doctype, ProcessingInstruction, Script, Stylesheet, TemplateString)
_WS_RE = re.compile(r"[ \t\r\n\f]+")
_MIN_TITLE_CJK = 8


def decode_html(data: bytes, name: str, encoding: str | None = None) -> tuple[str, str]:
    """Decode a web page: explicit encoding, BOM, declared charset (if it reads well), else detection."""
    if encoding or data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode_text(data, name, encoding)
    check_not_binary(data, name)
    head = data[:4096]
    m = _META_CHARSET_RE.search(head) or _XML_ENCODING_RE.search(head)
    if m:
        try:
            codec = canonical_codec(m.group(1).decode("ascii"))
            text = data.decode(codec)
            # Sites often declare one charset and serve another: trust it only if it reads well.
            if plausibility(text) is not None:
                return text, codec
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data, name, None)


@dataclass
class Page:
    """A web page read: its main text, what was left out, its own title and its publication date."""

    text: str
    dropped: list[Dropped]
    title: str | None = None
    fields: list[str] = field(default_factory=list)  # the page's own metadata lines: 索引号：…, 发布日期：…


def read_html(text: str, name: str) -> Page:
    soup = BeautifulSoup(text, "lxml")
    page_title = _page_title(soup)
    meta_date = _meta_date(soup)
    root: Tag = soup.body or soup
    drops: list[Dropped] = []

    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    page_cjk = count_cjk(root.get_text())
    for el in soup.find_all(_JUNK_TAGS):
        if el.decomposed:
            continue
        if el.name == "form" and count_cjk(el.get_text()) >= 0.5 * page_cjk > 0:
            continue  # ASP.NET-style pages wrap the whole body in one <form>
        _record(el, drops, raw=el.name in ("script", "style"))
        el.decompose()
    # Malformed pages close <body> early and lxml puts the content after it: then the page is the root.
    whole: Tag = soup  # (a page can even hold two <html> elements)
    if root is not whole and count_cjk(whole.get_text()) > 2 * count_cjk(root.get_text()):
        root = whole
    for el in root.find_all(_is_hidden):
        if not el.decomposed:
            _record(el, drops)
            el.decompose()

    fields = _page_fields(root.get_text("\n"), meta_date)
    furniture = _mark_furniture(root)
    eff = _cjk_counts(root, furniture)
    total = eff.get(id(root), 0)
    if total == 0 and not _render_lines(root):
        raise EmptyInputError(f"{name}: the web page has no text in its body. Save the page again after it has fully loaded.")
    content = _pick_content(root, eff, total)
    title = _find_title(root, content, furniture) if content is not root else None

    buf = LineBuffer()
    heading = None
    if title is not None:
        heading = _inline_text(title)
        buf.add(heading)
    for el in [d for d in content.find_all(True) if id(d) in furniture]:
        if not el.decomposed:  # nested furniture went with its outer element
            _record(el, drops)
            el.decompose()
    _Renderer(buf).block(content)
    out = buf.text()
    if not out.strip():
        raise EmptyInputError(f"{name}: found no notice text in the web page. Save the page again after it has fully loaded.")

    # Everything outside the content block was left out: record it, furniture element by element.
    if content is not root:
        content.extract()
        if title is not None:
            title.extract()
        for el in root.find_all(True):
            if id(el) in furniture and not el.decomposed:
                _record(el, drops)
                el.decompose()
        for line in _render_lines(root):
            drops.append(dropped(line, "html-boilerplate"))
    if page_title and root is not whole:
        drops.append(dropped(page_title, "html-boilerplate"))  # <title> sits in <head>, outside the page body
    return Page(text=out, dropped=drops, title=heading or _title_in_text(page_title, out), fields=fields)


# <title> joins the page title and the site name: 标题 - 山西省人民政府门户网站, 万载县人民政府 | 标题.
_TITLE_SEPARATORS_RE = re.compile(r"\s*(?:_{1,2}|\||｜|—{1,2}|(?<!\d)-(?!\d)|－)\s*")
_SITE_WORDS_RE = re.compile(r"网站|门户|政府网|官网|首页|公报_?$")


# 发布日期：2017-05-15 10:49 / 时间： 2019-09-18 — the page's own label for when it was published.
_LABELLED_DATE_RE = re.compile(
    r"(?:发\s*布\s*日\s*期|发\s*布\s*时\s*间|生\s*成\s*日\s*期|发文日期|日\s*期|时\s*间)\s*[:：]\s*"
    r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})"
)
# Labels may be spaced out (索 引 号：) and their value on the next line.
_INDEX_NUMBER_RE = re.compile(r"索\s*引\s*号\s*[:：]\s*(?P<v>[0-9A-Za-z][0-9A-Za-z/\-_.]{4,60})")
_SOURCE_RE = re.compile(r"(?:信息来源|文章来源|来\s*源)\s*[:：][ \t\u3000]*(?P<v>[^\s：:|｜]{2,30})")
_ISO_DATE_RE = re.compile(r"(?<![\d/])(?P<y>(?:19|20)\d{2})-(?P<m>\d{2})-(?P<d>\d{2})(?![\d/])")
_META_DATE_NAMES = ("pubdate", "publishdate", "firstpublishedtime", "publishtime", "article:published_time")


def _meta_date(soup: BeautifulSoup) -> str | None:
    for el in soup.find_all("meta"):
        key = str(el.get("name") or el.get("property") or "").lower()
        if key in _META_DATE_NAMES:
            m = _ISO_DATE_RE.search(str(el.get("content") or ""))
            if m:
                return _iso(m)
    return None


def _page_fields(page_text: str, meta_date: str | None) -> list[str]:
    """The page's metadata as `索引号：…` lines: its index number, source, and publication date (the date it
    labels as such, else the first bare ISO date of the page, else <meta name="PubDate">)."""
    out = []
    m = _INDEX_NUMBER_RE.search(page_text)
    if m:
        out.append(f"索引号：{m.group('v')}")
    m = _SOURCE_RE.search(page_text)
    if m:
        out.append(f"来源：{m.group('v')}")
    m = _LABELLED_DATE_RE.search(page_text) or _ISO_DATE_RE.search(page_text)
    published = _iso(m) if m else meta_date
    if published:
        out.append(f"发布日期：{published}")
    return out


def _iso(m: re.Match[str]) -> str:
    return f"{m.group('y')}-{int(m.group('m')):02d}-{int(m.group('d')):02d}"


def _page_title(soup: BeautifulSoup) -> str | None:
    el = soup.find("title")
    return el.get_text().strip() if el is not None else None


def _title_in_text(page_title: str | None, text: str) -> str | None:
    """The part of <title> that names the document: the one the text opens with, else the longest part
    that is not the site's name."""
    if not page_title:
        return None
    parts = [p.strip() for p in _TITLE_SEPARATORS_RE.split(page_title) if count_cjk(p) >= 4]
    if not parts:
        return None
    head = "".join(text[:600].split())
    for part in parts:
        if "".join(part.split()) in head:
            return part
    named = [p for p in parts if not _SITE_WORDS_RE.search(p)]
    return max(named, key=len) if named else None


def _record(el: Tag, drops: list[Dropped], raw: bool = False) -> None:
    text = el.get_text().strip() if raw else "\n".join(_render_lines(el))
    if text.strip():
        drops.append(dropped(text, "html-boilerplate"))


def _is_hidden(el: Tag) -> bool:
    return el.has_attr("hidden") or bool(_HIDDEN_STYLE_RE.search(str(el.get("style") or "")))


def _tokens(el: Tag) -> list[str]:
    raw = el.get("class")
    classes: list[str] = raw.split() if isinstance(raw, str) else [str(c) for c in raw or []]
    ident = el.get("id")
    return [t.lower() for t in classes + ([str(ident)] if ident else [])]


def _looks_like_furniture(el: Tag) -> bool:
    if el.name in _FURNITURE_TAGS:
        # <header>/<footer> inside an article belong to the article (its title, its date).
        return el.name in ("nav", "aside") or el.find_parent(["article", "main"]) is None
    for tok in _tokens(el):
        if tok in _FURNITURE_WORDS or any(part in tok for part in _FURNITURE_PARTS):
            return True
        # Compound names: "site-search", "top_links", "dq-position" (but "article-header" is kept).
        if any(p in _FURNITURE_IN_COMPOUND for p in re.split(r"[-_\s]+", tok)):
            return True
    return False


def _visible_strings(el: Tag) -> Iterable[NavigableString]:
    for s in el.find_all(string=True):
        if not isinstance(s, _SKIP_STRINGS):
            yield s


def _mark_furniture(root: Tag) -> set[int]:
    raw: dict[int, int] = {}
    for s in _visible_strings(root):
        n = count_cjk(s)
        if n:
            for parent in s.parents:
                raw[id(parent)] = raw.get(id(parent), 0) + n
    total = raw.get(id(root), 0)
    marked: set[int] = set()
    for el in root.find_all(True):
        # A "furniture" class on a wrapper of most of the page (e.g. <div id="main-side">) is not furniture.
        if _looks_like_furniture(el) and raw.get(id(el), 0) < 0.5 * max(total, 1):
            marked.add(id(el))
    return marked


def _cjk_counts(root: Tag, furniture: set[int]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for s in _visible_strings(root):
        n = count_cjk(s)
        if not n:
            continue
        parents = list(s.parents)
        if any(id(p) in furniture for p in parents):
            continue
        for parent in parents:
            counts[id(parent)] = counts.get(id(parent), 0) + n
    return counts


def _depth(el: Tag) -> int:
    return sum(1 for _ in el.parents)


def _pick_content(root: Tag, eff: dict[int, int], total: int) -> Tag:
    if total == 0:
        return root
    named = [
        el for el in root.find_all(True)
        if (el.name in ("article", "main") or any(t in _CONTENT_WORDS for t in _tokens(el)))
        and eff.get(id(el), 0) >= max(20, 0.3 * total)
    ]
    if named:
        best = max(eff[id(el)] for el in named)
        # A wrapper and the editor div inside it hold nearly the same text: take the inner one.
        return max((el for el in named if eff[id(el)] >= 0.85 * best), key=_depth)
    node = root
    while True:
        children = [c for c in node.find_all(True, recursive=False) if eff.get(id(c), 0) >= 0.6 * total]
        if not children:
            return node
        node = max(children, key=lambda c: eff.get(id(c), 0))


def _find_title(root: Tag, content: Tag, furniture: set[int]) -> Tag | None:
    """The notice title often sits in an <h1> or .title just above the content block."""
    order = {id(el): i for i, el in enumerate(root.find_all(True))}
    content_pos = order.get(id(content), 0)
    ancestors = {id(p) for p in content.parents}
    best: Tag | None = None
    for el in root.find_all(True):
        if order[id(el)] >= content_pos:
            break
        if id(el) in ancestors or not (el.name in ("h1", "h2", "h3") or any(_TITLE_TOKEN_RE.search(t) for t in _tokens(el))):
            continue
        if any(id(p) in furniture for p in [el, *el.parents]):
            continue
        text = _inline_text(el)
        if _MIN_TITLE_CJK <= count_cjk(text) <= 150:
            best = el
    if best is None:
        return None
    # A title box often holds the heading and an info line (来源：… 作者：…): keep the heading.
    inner = [c for c in best.find_all(True) if c.name in ("h1", "h2", "h3", "div", "p", "span") and count_cjk(_inline_text(c)) >= _MIN_TITLE_CJK]
    if inner and best.find(["ul", "li", "span", "p"]) is not None:
        best = min(inner, key=lambda c: len(_inline_text(c)))
    head = "".join("".join(_render_lines(content)[:3]).split())
    if "".join(_inline_text(best).split()) in head:
        return None  # the content block repeats the title already
    return best


def _inline_text(el: Tag) -> str:
    return " ".join(_render_lines(el))


def _render_lines(el: Tag) -> list[str]:
    buf = LineBuffer()
    _Renderer(buf).block(el)
    return [line for line in buf.lines if line.strip()]


class _Renderer:
    """HTML → lines: block elements and <br> break lines, inline text is joined, tables become tab blocks."""

    def __init__(self, buf: LineBuffer) -> None:
        self.buf = buf
        self.cur: list[str] = []

    def block(self, el: Tag) -> None:
        self.walk(el)
        self.flush()

    def flush(self) -> None:
        text = "".join(self.cur).strip()
        self.cur = []
        if text:
            self.buf.add(text)

    def walk(self, el: Tag) -> None:
        for child in el.children:
            if isinstance(child, NavigableString):
                if not isinstance(child, _SKIP_STRINGS):
                    self.cur.append(_WS_RE.sub(" ", str(child)))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name
            if name == "br":
                self.flush()
            elif name == "table":
                self.flush()
                self.table(child)
            elif name == "ol":
                self.flush()
                self.ordered_list(child)
            elif name == "pre":
                self.flush()
                for line in child.get_text().splitlines():
                    self.buf.add(line)
            elif name in _BLOCK_TAGS:
                self.flush()
                self.walk(child)
                self.flush()
            elif name == "img":
                continue
            else:
                self.walk(child)

    def ordered_list(self, ol: Tag) -> None:
        n = _int_attr(ol, "start", 1)
        kind = str(ol.get("type") or "1")
        for li in ol.find_all("li", recursive=False):
            n = _int_attr(li, "value", n)
            self.cur.append(_ol_label(n, kind) + " ")
            self.walk(li)
            self.flush()
            n += 1

    def table(self, tbl: Tag) -> None:
        rows = [tr for tr in tbl.find_all("tr") if tr.find_parent("table") is tbl]
        cells_by_row = [tr.find_all(["td", "th"], recursive=False) for tr in rows]
        width = max((sum(_int_attr(c, "colspan", 1) for c in cells) for cells in cells_by_row), default=0)
        if tbl.find("table") is not None or width < 2:
            # Layout table (page grid or a box around paragraphs): its cells are ordinary blocks.
            for cells in cells_by_row:
                for cell in cells:
                    self.block(cell)
            return
        grid: list[list[str]] = []
        spans: dict[int, int] = {}  # column → rows still covered by a rowspan from above
        for cells in cells_by_row:
            row: list[str] = []
            col = 0
            queue = list(cells)
            while queue or spans.get(col):
                if spans.get(col):
                    row.append("")
                    spans[col] -= 1
                    col += 1
                    continue
                cell = queue.pop(0)
                colspan = max(1, min(_int_attr(cell, "colspan", 1), 100))
                rowspan = max(1, min(_int_attr(cell, "rowspan", 1), 1000))
                row.append(" ".join(_render_lines(cell)))
                row.extend([""] * (colspan - 1))
                if rowspan > 1:
                    for k in range(colspan):
                        spans[col + k] = rowspan - 1
                col += colspan
            grid.append(row)
        self.buf.add_table(grid)


def _int_attr(el: Tag, attr: str, default: int) -> int:
    try:
        return int(str(el.get(attr) or default).strip())
    except ValueError:
        return default


def _ol_label(n: int, kind: str) -> str:
    fmt = {"a": "lowerLetter", "A": "upperLetter", "i": "lowerRoman", "I": "upperRoman"}.get(kind, "decimal")
    return format_number(n, fmt) + "."
