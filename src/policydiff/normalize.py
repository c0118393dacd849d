"""Raw text → clean text with an offset map back to the raw text.

Nothing is lost silently: every non-space character removed is recorded in `dropped`
with its reason; removed whitespace is only counted.
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain

from policydiff.schema import Dropped
from policydiff.text.numbering import Label, match_label
from policydiff.vocabulary import alternation, date_pattern, doc_types

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RE = re.compile(f"[{CJK}]")
# Characters next to which a space carries no meaning (CJK, CJK punctuation, dashes).
_TIGHT = f"{CJK}\u3000-\u303f\uff00-\uffef\u2010-\u2027\u2e3a\u2e3b“”‘’《》〔〕"

PAGE_NUMBER_RE = re.compile(
    r"^\s*(?:[—–\-－~]\s*\d{1,4}\s*[—–\-－~]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4})\s*$"
)
RULE_RE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,}|={3,})\s*$")
MD_HEADING_RE = re.compile(r"^(\s*)(#{1,6})[ \t]*")
MD_BOLD_RE = re.compile(r"\*\*|__")
HTML_COMMENT_RE = re.compile(r"<!--.*?-->")  # law collections mark the end of the header with <!-- INFO END -->
WORD_ARTIFACT_RE = re.compile(r"\[(?:bookmark|Bookmark|BOOKMARK)\s*:[^\]\n]*\]|\{\s*PAGE\s*\}|\{\s*NUMPAGES\s*\}")
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff\u200b-\u200d\u2060\ufffe]")
SPACE_RUN_RE = re.compile("[ \u3000\xa0\u2002-\u200a\u202f\u205f]+")
SPACE_OR_TAB_RUN_RE = re.compile("[ \t\u3000\xa0\u2002-\u200a\u202f\u205f]+")
# Web pages end with lists of related links: a short label and a date, many times over.
WEB_NOISE_RE = re.compile(r"^\s*\S{1,8}\s+\d{2,4}[-/.]\d{1,2}[-/.]\d{1,2}\s*$")
WEB_UI_RE = re.compile(
    r"^\s*(?:【?\s*字体\s*[:：].{0,12}】?|打印本页|关闭窗口|分享到.{0,20}|扫一扫.{0,20}|【?\s*打印\s*】?|【?\s*关闭\s*】?|返回顶部|上一篇.*|下一篇.*)\s*$"
)
# Site furniture of government pages: share/print/close bars, view counters, font-size switches,
# breadcrumbs. A line made of these words (and their separators) only is the site's, not the notice's.
FURNITURE_TOKEN_RE = re.compile(
    r"相关附件[:：]?|相关链接[:：]?|相关文章[:：]?|相关阅读[:：]?|标签[:：]|关键词[:：]|浏览次数[:：]?|阅读次数[:：]?|访问次数[:：]?|点击数[:：]?"
    r"|浏览量[:：]?|阅读量[:：]?|[【\[]?\s*字体(?:大小)?\s*[:：]?\s*(?:[大中小]\s*){2,3}[】\]]?|字号[:：]?\s*(?:[大中小]\s*){2,3}"
    r"|分享到[:：]?|分享|扫码浏览|扫一扫|扫码|微信|微博|QQ空间|返回顶部|返回首页|返回列表|打印本页|打印|关闭窗口|关闭|收藏本页|收藏"
    r"|上一篇[:：]?|下一篇[:：]?|如此重要的消息快转发给需要的人[！!]?|【|】|[-|｜/·•\s\d]"
)
# A line with none of these characters holds no furniture word: most lines skip the regex.
_FURNITURE_CHARS = frozenset("相标关浏阅访点字分扫微返打收上下如【】[Q")
BREADCRUMB_RE = re.compile(r"^\s*(?:(?:当前位置|您现在的位置|您的位置|所在位置|现在位置)\s*[:：]|首页\s*(?:[>＞»›]|&gt;))")
# Fields of a page's metadata block (索引号：… 发布机构：…): each such line stands alone.
PAGE_FIELDS = (
    "索引号|发布机构|发文机关|主题分类|体裁分类|组配分类|服务对象分类|公开方式|公开范围|公开时限|公开日期|成文日期|发布日期|发布时间"
    "|生效日期|有效性|时效性|信息来源|文章来源|来源|作者|责任编辑|编辑|发文字号|文号|主题词|信息分类|分类|统一编号|登记号"
)
PAGE_META_RE = re.compile(rf"^\s*(?:{PAGE_FIELDS})\s*[:：]")
FURNITURE_MAX_LEN = 120  # longer lines are text, whatever words they contain
AUTHORITY_LINE_MAX = 26  # an issuer alone on a line is short (郑州市人民政府办公厅); longer ones ending in 局/部 are text
HEADING_MAX = 50  # a heading after its label is a phrase (一、总体要求); a longer unpunctuated line is text
HISTORY_LINE_MAX = 3000  # a history line (several amendments in one bracket) is long; past this a line is not history
WEB_NOISE_MIN_RUN = 3
_CHUNK = 1 << 16  # characters of paragraphs unified at a time
_NOISE_DATE_RE = re.compile(r"\d{2,4}[-/.]\d{1,2}[-/.]\d{1,2}")  # the date every WEB_NOISE_RE match holds

SENTENCE_END_RE = re.compile(r"[。！？；：!?;:…][”’」』）)]*$")
DOC_TYPES = alternation(doc_types("title"))  # data/doc_types.tsv
TITLE_END_RE = re.compile(rf"(?:{DOC_TYPES})(?:[（(][^）)]*[）)])?$")
DOC_NUMBER_LINE_RE = re.compile(r"^[\u4e00-\u9fff]{1,10}\s*[〔\[［(（【]\s*(?:19|20)\d{2}\s*[〕\]］)）】]\s*\d{1,4}\s*号$")
DATE_LINE_RE = re.compile(rf"^(?:[\u4e00-\u9fff]{{0,20}})?{date_pattern()}(?:\s*印发|\s*发布)?$")
AUTHORITY_LINE_RE = re.compile(rf"^[{CJK}]{{2,24}}(?:人民政府|政府|办公室|办公厅|局|委员会|委|厅|部|院)(?:文件)?$")
# 主送机关: 广东省高级人民法院： / 各县（市、区）人民政府，市人民政府各部门：
ADDRESSEE_LINE_RE = re.compile(rf"^[{CJK}（）()、，,]{{2,38}}(?:法院|检察院|政府|厅|局|委员会|委|部|办公室|单位|公司)[：:]$")
FOOTER_LINE_RE = re.compile(r"^(?:主办|督办|抄送|抄报|印发|联系人|附件)\s*[:：]?")
PAREN_LINE_RE = re.compile(r"^[（(][^（()）]*[)）]$")
# A law's version history, events on lines of their own: 2016年3月16日第十二届全国人民代表大会第四次会议通过 /
# 根据…第一次修正 / （1983年12月8日…通过　根据…修正）.
HISTORY_LINE_RE = re.compile(rf"^[（(]?\s*(?:根据)?\s*{date_pattern()}.{{0,{HISTORY_LINE_MAX}}}?(?:通过|修正|修订|公布|施行|发布|批准|会议)")

# Half-width punctuation that becomes full-width when it touches CJK text.
_PUNCT_FULL = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）"}
# Written to start with the punctuation (one lookbehind over it) so that re scans for it fast;
# same matches as (?<=[CJK…])[,:;!?]|[,:;!?](?=[CJK…]).
_PUNCT_NEAR_CJK_RE = re.compile(f"[,:;!?](?:(?<=[{CJK}”“》）].)|(?=[{CJK}“《（]))")
_PAREN_RE = re.compile(r"\(([^()\n]{0,200})\)")
_FULLWIDTH_ALNUM = {c: c - 0xFEE0 for c in range(ord("０"), ord("９") + 1)}
_FULLWIDTH_ALNUM.update({c: c - 0xFEE0 for c in range(ord("Ａ"), ord("Ｚ") + 1)})
_FULLWIDTH_ALNUM.update({c: c - 0xFEE0 for c in range(ord("ａ"), ord("ｚ") + 1)})
_FULLWIDTH_ALNUM_RE = re.compile("[０-９Ａ-Ｚａ-ｚ]+")
_HALF_PUNCT_RE = re.compile("[,:;!?]")


@dataclass
class Normalized:
    text: str
    raw: str
    dropped: list[Dropped]
    whitespace_removed: int
    # Piecewise-linear map: text[norm_starts[i] + k] came from raw[raw_starts[i] + k].
    # Typed arrays, not lists of ints: a 10 MB notice has ~10^5 pieces.
    norm_starts: Sequence[int]
    raw_starts: Sequence[int]
    raw_line_starts: Sequence[int] = field(default_factory=list)

    def to_raw(self, pos: int) -> int:
        if not self.norm_starts:
            return 0
        i = bisect.bisect_right(self.norm_starts, pos) - 1
        if i < 0:
            return 0
        return self.raw_starts[i] + (pos - self.norm_starts[i])

    def raw_line(self, raw_pos: int) -> int:
        return bisect.bisect_right(self.raw_line_starts, raw_pos)



@dataclass(slots=True)
class _Line:
    raw_start: int
    text: str  # cleaned text
    pieces: list[tuple[int, int]]  # (offset in cleaned text, raw offset) chunk starts
    is_table: bool
    lineno: int
    md_heading: bool = False  # a `# 标题` line: a paragraph of its own
    # Each line is judged twice, as the next line and then as the previous one: computed once.
    _label: Label | None = None
    _label_done: bool = False
    _standalone: bool | None = None

    @property
    def label(self) -> Label | None:
        if not self._label_done:
            self._label, self._label_done = match_label(self.text), True
        return self._label

    @property
    def standalone(self) -> bool:
        if self._standalone is None:
            self._standalone = is_standalone(self.text)
        return self._standalone


def _raw_lines(raw: str) -> Iterator[tuple[int, str]]:
    """(start, line) for each line of `raw`, one at a time: no list of every line in memory."""
    pos = 0
    find = raw.find
    while True:
        nl = find("\n", pos)
        if nl < 0:
            yield pos, raw[pos:]
            return
        yield pos, raw[pos:nl]
        pos = nl + 1


def normalize(raw: str, titles: frozenset[str] = frozenset()) -> Normalized:
    """`titles`: lines the source marks as titles (a web page's heading); each stays a paragraph of its own."""
    dropped: list[Dropped] = []
    ws_removed = 0
    # A noise line ends with a date: without one anywhere, no line needs the check.
    noise = _web_noise_lines(ln for _, ln in _raw_lines(raw)) if _NOISE_DATE_RE.search(raw) else set()
    line_starts = array("q")
    # Lines are cleaned and joined in one streaming pass; finished paragraphs are unified in
    # chunks of ~64K characters, so the peak holds about two copies of the text (chunks, then
    # the join) instead of one per step.
    chunks: list[str] = []
    paragraphs: list[str] = []  # finished paragraphs not yet in a chunk
    pending = 0
    parts: list[str] = []  # pieces of the paragraph being built
    norm_starts = array("q")
    raw_starts = array("q")
    out_len = 0
    prev: _Line | None = None
    table_rows = _table_rows(raw) if "\t" in raw else set()
    for idx, (start, ln) in enumerate(_raw_lines(raw)):
        line_starts.append(start)
        lineno = idx + 1
        body = ln.rstrip("\r")
        stripped = body.strip()
        if not stripped:
            ws_removed += len(ln) + 1
            continue
        reason = None
        if PAGE_NUMBER_RE.match(body):
            reason = "page-number"
        elif RULE_RE.match(body):
            reason = "markup"
        elif idx in noise or WEB_UI_RE.match(body) or is_site_furniture(stripped):
            reason = "web-noise"
        if reason:
            lead = len(body) - len(body.lstrip())
            dropped.append(
                Dropped(text=stripped, reason=reason, raw_start=start + lead, raw_end=start + lead + len(stripped), line=lineno)  # type: ignore[arg-type]
            )
            ws_removed += len(ln) + 1 - len(stripped)
            continue
        line, removed_ws = _clean_line(body, start, lineno, dropped, idx in table_rows)
        if titles and "".join(line.text.split()) in titles:
            line._standalone = True
        ws_removed += removed_ws + 1 + (len(ln) - len(body))
        if not line.text:
            continue
        if prev is not None:
            if _should_join(prev, line):
                if _needs_space(prev.text, line.text):
                    sep_raw = prev.raw_start + _raw_len_hint(prev)
                    parts.append(" ")
                    norm_starts.append(out_len)
                    raw_starts.append(sep_raw)
                    out_len += 1
                    ws_removed -= 1
            else:
                paragraphs.append("".join(parts))
                parts = []
                pending += len(paragraphs[-1])
                if pending > _CHUNK:
                    chunks.append(_unify_punctuation("\n".join(paragraphs)))
                    paragraphs, pending = [], 0
                # Map the synthetic paragraph break to the raw line break before this line.
                norm_starts.append(out_len)
                raw_starts.append(max(line.raw_start - 1, 0))
                out_len += 1
                ws_removed -= 1
        # Pieces tile the line text in order, so the text goes in whole.
        parts.append(line.text)
        for off, raw_off in line.pieces:
            norm_starts.append(out_len + off)
            raw_starts.append(raw_off)
        out_len += len(line.text)
        prev = line
    if parts:
        paragraphs.append("".join(parts))
    if paragraphs:
        chunks.append(_unify_punctuation("\n".join(paragraphs)))
    del parts, paragraphs
    # Punctuation is unified chunk by chunk: its rules never look across a line break.
    text = "\n".join(chunks)
    del chunks
    return Normalized(
        text=text,
        raw=raw,
        dropped=dropped,
        whitespace_removed=max(ws_removed, 0),
        norm_starts=norm_starts,
        raw_starts=raw_starts,
        raw_line_starts=line_starts,
    )


def is_site_furniture(line: str) -> bool:
    """A breadcrumb, or a line of share/print/counter words only: `相关附件：标签：浏览次数：-分享扫码浏览返回顶部打印关闭`."""
    if len(line) > FURNITURE_MAX_LEN:
        return False
    if BREADCRUMB_RE.match(line):
        return True
    if _FURNITURE_CHARS.isdisjoint(line) or not FURNITURE_TOKEN_RE.search(line):
        return False
    rest = FURNITURE_TOKEN_RE.sub("", line)
    return not rest.strip() and not line.strip().isdigit()


def _raw_len_hint(line: _Line) -> int:
    last_off, last_raw = line.pieces[-1]
    return last_raw - line.raw_start + (len(line.text) - last_off)


def _web_noise_lines(raw_lines: Iterable[str]) -> set[int]:
    """Indexes of lines in runs of `头条 22-11-03`-like lines; a single such line may be real text."""
    flags: set[int] = set()
    run: list[int] = []
    for i, ln in enumerate(chain(raw_lines, ["<end>"])):
        if ln.strip() and WEB_NOISE_RE.match(ln) and "\t" not in ln:
            run.append(i)
            continue
        if not ln.strip() and run:
            continue  # blank lines inside a run keep it going
        if len(run) >= WEB_NOISE_MIN_RUN:
            flags.update(run)
        run = []
    return flags


# Any character that markup, artifact or control-character removal starts with.
_REMOVAL_HINT_RE = re.compile("[#*_<\\[{\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff\u200b-\u200d\u2060\ufffe]")


def _table_rows(raw: str) -> set[int]:
    """Indexes of lines that are rows of a table: two or more consecutive lines split by TABs into the
    same number (2+) of cells. A lone TAB inside a line is only a space."""
    rows: set[int] = set()
    run: list[int] = []
    width = 0

    def close() -> None:
        if len(run) >= 2:
            rows.update(run)

    for i, (_, ln) in enumerate(_raw_lines(raw)):
        cells = len(ln.strip("\t \r").split("\t")) if "\t" in ln.strip("\r") else 0
        if cells >= 2 and (not run or cells == width):
            run.append(i)
            width = cells
            continue
        close()
        run, width = ([i], cells) if cells >= 2 else ([], 0)
    close()
    return rows


def _clean_line(body: str, start: int, lineno: int, dropped: list[Dropped], table_row: bool = False) -> tuple[_Line, int]:
    """Remove markup, artifacts and meaningless spaces from one line; keep the raw map."""
    merged: list[tuple[int, int, str | None]] = []
    md_heading = body.lstrip().startswith("#") and bool(MD_HEADING_RE.match(body))
    if _REMOVAL_HINT_RE.search(body):
        merged = _removals(body)
    if merged:
        for s, e, r in merged:
            dropped.append(
                Dropped(text=body[s:e], reason=r, raw_start=start + s, raw_end=start + e, line=lineno)  # type: ignore[arg-type]
            )
        # Text without markup, with its map to line offsets.
        kept: list[tuple[int, int]] = []
        cursor = 0
        for s, e, _ in merged:
            if s > cursor:
                kept.append((cursor, s))
            cursor = max(cursor, e)
        if cursor < len(body):
            kept.append((cursor, len(body)))
        clean = "".join(body[s:e] for s, e in kept)
        clean_map = []  # (offset in clean, offset in body)
        off = 0
        for s, e in kept:
            clean_map.append((off, s))
            off += e - s
    else:
        clean = body  # the common case: nothing to remove, offsets are the line's own
        clean_map = []

    is_table = table_row and "\t" in clean and len(clean.strip("\t ").split("\t")) >= 2
    space_re = SPACE_RUN_RE if is_table else SPACE_OR_TAB_RUN_RE
    # Decide which whitespace runs go: all at the ends; inside, all but one space between
    # two Latin letters/digits.
    keep_iv: list[tuple[int, int]] = []
    ws_removed = 0
    cursor = 0
    n = len(clean)
    for m in space_re.finditer(clean):
        s, e = m.span()
        if s > cursor:
            keep_iv.append((cursor, s))
        if s > 0 and e < n and clean[s - 1].isascii() and _both_latin(clean[s - 1], clean[e]):
            keep_iv.append((s, s + 1))
            ws_removed += e - s - 1
        else:
            ws_removed += e - s
        cursor = e
    if cursor < n:
        keep_iv.append((cursor, n))
    pieces: list[tuple[int, int]] = []
    out = 0
    if not clean_map:
        for s, e in keep_iv:
            pieces.append((out, start + s))
            out += e - s
        text = clean if len(keep_iv) == 1 and keep_iv[0] == (0, n) else "".join([clean[s:e] for s, e in keep_iv])
        return _Line(raw_start=start, text=text, pieces=pieces, is_table=is_table, lineno=lineno, md_heading=md_heading), ws_removed
    text_parts: list[str] = []
    for s, e in keep_iv:
        seg = clean[s:e]
        # Map [s, e) of clean through clean_map (may cross markup gaps).
        pos = s
        while pos < e:
            k = bisect.bisect_right(clean_map, (pos, 10**12)) - 1
            c_off, b_off = clean_map[k]
            seg_end = clean_map[k + 1][0] if k + 1 < len(clean_map) else n
            stop = min(e, seg_end)
            pieces.append((out + (pos - s), start + b_off + (pos - c_off)))
            pos = stop
        text_parts.append(seg)
        out += e - s
    text = "".join(text_parts)
    return _Line(raw_start=start, text=text, pieces=pieces, is_table=is_table, lineno=lineno, md_heading=md_heading), ws_removed


def _removals(body: str) -> list[tuple[int, int, str | None]]:
    """Markup, artifact and control-character spans of a line, overlaps merged."""
    removals: list[tuple[int, int, str | None]] = []  # (s, e, reason) ; reason None = whitespace
    m = MD_HEADING_RE.match(body)
    if m:
        removals.append((m.start(2), m.end(2), "markup"))
    for m in MD_BOLD_RE.finditer(body):
        removals.append((m.start(), m.end(), "markup"))
    if "<!--" in body:
        for m in HTML_COMMENT_RE.finditer(body):
            removals.append((m.start(), m.end(), "markup"))
    for m in WORD_ARTIFACT_RE.finditer(body):
        removals.append((m.start(), m.end(), "word-artifact"))
    for m in CONTROL_RE.finditer(body):
        removals.append((m.start(), m.end(), "control-char"))
    removals.sort()
    # Merge overlaps (a control char inside an artifact).
    merged: list[tuple[int, int, str | None]] = []
    for s, e, r in removals:
        if merged and s < merged[-1][1]:
            ps, pe, pr = merged[-1]
            merged[-1] = (ps, max(pe, e), pr)
        else:
            merged.append((s, e, r))
    return merged


def _both_latin(a: str, b: str) -> bool:
    return a.isascii() and b.isascii() and (a.isalnum() or a in ".%") and b.isalnum()


def _needs_space(prev_text: str, next_text: str) -> bool:
    """Joining `Word` and `Excel` across a line break must not glue them together."""
    a, b = prev_text[-1], next_text[0]
    return a.isascii() and b.isascii() and a.isalpha() and b.isalpha()


def is_labelled_heading(text: str, label: Label | None) -> bool:
    """A numbered line that is a heading: no sentence end after its label, and short."""
    if label is None:
        return False
    rest = text[label.end :]
    return not re.search(r"[。！？]", rest) and len(rest) <= HEADING_MAX


def is_standalone(text: str) -> bool:
    """Lines of the document's frame that never belong to a neighbouring sentence."""
    t = text.strip()
    return bool(
        _STANDALONE_RE.match(t)
        or (len(t) <= AUTHORITY_LINE_MAX and AUTHORITY_LINE_RE.match(t))
        or (len(t) <= HISTORY_LINE_MAX and not t.endswith("。") and HISTORY_LINE_RE.match(t))
    )


# The frame lines without a length bound, as one pattern: one regex call a line instead of seven.
_STANDALONE_RE = re.compile(
    "|".join(
        f"(?:{p})"
        for p in (
            DOC_NUMBER_LINE_RE.pattern,
            DATE_LINE_RE.pattern,
            FOOTER_LINE_RE.pattern,
            PAREN_LINE_RE.pattern,
            PAGE_META_RE.pattern,
            r"^(?:附件\s*\d{0,2}|目\s?录)$",
        )
    )
)


def _should_join(prev: _Line, line: _Line) -> bool:
    if prev.is_table or line.is_table or prev.md_heading or line.md_heading:
        return False
    a = prev.text
    if SENTENCE_END_RE.search(a):
        return False
    if line.label is not None:
        return False
    if is_labelled_heading(a, prev.label) or prev.standalone or line.standalone:
        return False
    if len(line.text) <= 40 and ADDRESSEE_LINE_RE.match(line.text) and not a.endswith(("，", "、", ",")):
        return False  # the addressee line after a header (广东省高级人民法院：), unless it continues a list
    return not TITLE_END_RE.search(a)


def _unify_punctuation(text: str) -> str:
    # Only the runs that change are translated: translate() is slow on CJK text.
    text = _FULLWIDTH_ALNUM_RE.sub(lambda m: m.group().translate(_FULLWIDTH_ALNUM), text)
    # `．` became `.`; that is right between digits and in labels, otherwise keep the
    # full-width stop as written.
    if _HALF_PUNCT_RE.search(text):
        text = _PUNCT_NEAR_CJK_RE.sub(lambda m: _PUNCT_FULL[m.group(0)], text)
    if "(" not in text:
        return text

    def paren(m: re.Match[str]) -> str:
        inner = m.group(1)
        s, e = m.start(), m.end()
        near = (s > 0 and CJK_RE.match(text[s - 1])) or (e < len(text) and CJK_RE.match(text[e]))
        if CJK_RE.search(inner) or near:
            return "（" + inner + "）"
        return m.group(0)

    return _PAREN_RE.sub(paren, text)
