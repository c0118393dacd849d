"""Build real .docx/.pdf/.html files from a notice's plain text, for ingest and round-trip tests.

The input is a seed as in data/raw: one paragraph per line, optional Markdown headings/rules
(`## 一、…`, `---`, `**bold**`), tab-separated blocks for tables. `seed_body(text)` gives the
lines a reader of the built file should get back (Markdown markers removed, blank lines dropped).

    from builders import build_docx, build_pdf, build_html, seed_body
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# -- the seed text as blocks -----------------------------------------------------------------

_MD_HEADING_RE = re.compile(r"^\s*(#{1,6})\s*")
_MD_RULE_RE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")
_MD_BOLD_RE = re.compile(r"\*\*|__")


@dataclass
class Block:
    text: str = ""
    heading: int = 0  # Markdown heading level, 0 for a plain paragraph
    rows: list[list[str]] | None = None  # a table


def parse_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    table: list[list[str]] = []
    for raw in text.splitlines() + [""]:
        if "\t" in raw:
            table.append([c.strip() for c in raw.split("\t")])
            continue
        if table:
            blocks.append(Block(rows=table))
            table = []
        line, level = strip_markdown(raw)
        if line is not None and line.strip():
            blocks.append(Block(text=line.strip(), heading=level))
    return blocks


def strip_markdown(line: str) -> tuple[str | None, int]:
    """(text without Markdown markers, heading level); text is None for a horizontal rule."""
    if _MD_RULE_RE.match(line):
        return None, 0
    level = 0
    m = _MD_HEADING_RE.match(line)
    if m:
        level = len(m.group(1))
        line = line[m.end():]
    return _MD_BOLD_RE.sub("", line), level


def seed_body(text: str) -> list[str]:
    """The lines a faithful reader returns: paragraphs (Markdown removed) and tab-joined table rows."""
    out: list[str] = []
    for b in parse_blocks(text):
        if b.rows is not None:
            out.extend("\t".join(r) for r in b.rows)
        else:
            out.append(b.text)
    return out


# -- numbering labels that Word would generate ------------------------------------------------

_CN = "零一二三四五六七八九"


def cn_to_int(s: str) -> int | None:
    """一 … 九十九."""
    if not s or any(ch not in _CN + "十" for ch in s):
        return None
    if "十" not in s:
        return _CN.index(s) if len(s) == 1 else None
    tens, _, ones = s.partition("十")
    t = 1 if tens == "" else (_CN.index(tens) if len(tens) == 1 else None)
    o = 0 if ones == "" else (_CN.index(ones) if len(ones) == 1 else None)
    if t is None or o is None:
        return None
    return t * 10 + o


def int_to_cn(n: int) -> str:
    if n < 10:
        return _CN[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN[tens]) + "十" + (_CN[ones] if ones else "")


@dataclass(frozen=True)
class Kind:
    name: str
    pattern: re.Pattern[str]
    num_fmt: str
    lvl_text: str


KINDS = (
    Kind("cn-dun", re.compile(r"^([一二三四五六七八九十]{1,3})、"), "chineseCounting", "%1、"),
    Kind("cn-paren", re.compile(r"^（([一二三四五六七八九十]{1,3})）"), "chineseCounting", "（%1）"),
    Kind("cn-paren-ascii", re.compile(r"^\(([一二三四五六七八九十]{1,3})\)"), "chineseCounting", "(%1)"),
    Kind("dec-dot", re.compile(r"^(\d{1,3})\.(?!\d)"), "decimal", "%1."),
    Kind("dec-fdot", re.compile(r"^(\d{1,3})．"), "decimal", "%1．"),
    Kind("dec-dun", re.compile(r"^(\d{1,3})、"), "decimal", "%1、"),
    Kind("dec-paren", re.compile(r"^（(\d{1,3})）"), "decimal", "（%1）"),
    Kind("dec-paren-ascii", re.compile(r"^\((\d{1,3})\)"), "decimal", "(%1)"),
)


def parse_label(line: str) -> tuple[Kind, int, str] | None:
    """(kind, value, text after the label) when Word list numbering can reproduce the label exactly."""
    for kind in KINDS:
        m = kind.pattern.match(line)
        if not m:
            continue
        raw = m.group(1)
        value = cn_to_int(raw) if kind.num_fmt == "chineseCounting" else int(raw)
        if value is None or value < 1:
            return None
        shown = int_to_cn(value) if kind.num_fmt == "chineseCounting" else str(value)
        rest = line[m.end():].strip()
        if shown != raw or not rest:
            return None  # e.g. "01." or a bare label: keep it as literal text
        return kind, value, rest
    return None


def auto_numbered_lines(text: str) -> list[str]:
    """The seed paragraphs that build_docx writes with Word list numbering (label not in the text)."""
    return [b.text for b in parse_blocks(text) if b.rows is None and parse_label(b.text)]


# -- .docx ---------------------------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
STYLE_NUMBERED = "PolicyHeading1"


class _NumberingWriter:
    """Adds numbering definitions to a python-docx Document the way Word does.

    One single-level abstractNum per label kind; a `w:num` per run of consecutive values, with a
    `w:startOverride` when a run restarts (Word's "Restart numbering"). The 一、 kind is applied
    through a paragraph style that carries the numPr, like Word's numbered heading styles.
    """

    def __init__(self, document: object) -> None:
        from docx.enum.style import WD_STYLE_TYPE

        self.doc = document
        self.numbering = document.part.numbering_part.element  # type: ignore[attr-defined]
        self.next_id = 100
        self.abstract: dict[str, int] = {}
        self.current: dict[str, int] = {}
        self.expected: dict[str, int] = {}
        self.base: dict[str, int] = {}
        cn_dun = KINDS[0]
        base = self._new_num(cn_dun, start=None)
        self.base[cn_dun.name] = base
        style = document.styles.add_style(STYLE_NUMBERED, WD_STYLE_TYPE.PARAGRAPH)  # type: ignore[attr-defined]
        style.base_style = document.styles["Normal"]  # type: ignore[attr-defined]
        ppr = style.element.get_or_add_pPr()
        ppr.append(_xml(f'<w:numPr {_ns()}><w:numId w:val="{base}"/></w:numPr>'))

    def _abstract_for(self, kind: Kind) -> int:
        if kind.name not in self.abstract:
            aid = self.next_id
            self.next_id += 1
            suff = "nothing" if kind.lvl_text[-1] in "、）．" else "space"
            el = _xml(
                f'<w:abstractNum {_ns()} w:abstractNumId="{aid}"><w:multiLevelType w:val="singleLevel"/>'
                f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{kind.num_fmt}"/>'
                f'<w:suff w:val="{suff}"/><w:lvlText w:val="{kind.lvl_text}"/><w:lvlJc w:val="left"/></w:lvl>'
                "</w:abstractNum>"
            )
            first_num = self.numbering.find(f"{{{W_NS}}}num")
            if first_num is not None:
                first_num.addprevious(el)  # the schema wants every abstractNum before the nums
            else:
                self.numbering.append(el)
            self.abstract[kind.name] = aid
        return self.abstract[kind.name]

    def _new_num(self, kind: Kind, start: int | None) -> int:
        aid = self._abstract_for(kind)
        nid = self.next_id
        self.next_id += 1
        override = (
            f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start}"/></w:lvlOverride>' if start is not None else ""
        )
        self.numbering.append(_xml(f'<w:num {_ns()} w:numId="{nid}"><w:abstractNumId w:val="{aid}"/>{override}</w:num>'))
        return nid

    def apply(self, paragraph: object, kind: Kind, value: int, *, heading: bool) -> None:
        if self.expected.get(kind.name) == value:
            nid = self.current[kind.name]
        elif value == 1 and kind.name not in self.current and kind.name in self.base:
            nid = self.base[kind.name]
        elif value == 1 and kind.name not in self.current:
            nid = self._new_num(kind, start=None)
        else:
            nid = self._new_num(kind, start=value)
        self.current[kind.name] = nid
        self.expected[kind.name] = value + 1
        if nid == self.base.get(kind.name) and not heading:
            paragraph.style = self.doc.styles[STYLE_NUMBERED]  # type: ignore[attr-defined]
            return
        ppr = paragraph._p.get_or_add_pPr()  # type: ignore[attr-defined]
        ppr.append(_xml(f'<w:numPr {_ns()}><w:ilvl w:val="0"/><w:numId w:val="{nid}"/></w:numPr>'))


def _ns() -> str:
    return f'xmlns:w="{W_NS}"'


def _xml(s: str) -> object:
    from docx.oxml import parse_xml

    return parse_xml(s)


def build_docx(text: str, path: str | Path, auto_numbering: bool = True,
               header: str = "政策文件汇编（内部资料）", footer: str = "内部资料 注意保存") -> Path:
    """A Word document of `text`: numbered paragraphs use real Word list numbering (label removed
    from the text), tab blocks become Word tables, Markdown headings become Heading styles."""
    import docx

    document = docx.Document()
    writer = _NumberingWriter(document) if auto_numbering else None
    for b in parse_blocks(text):
        if b.rows is not None:
            width = max(len(r) for r in b.rows)
            table = document.add_table(rows=len(b.rows), cols=width)
            table.style = document.styles["Table Grid"]
            for r, row in enumerate(b.rows):
                cells = table.rows[r].cells
                for c, cell_text in enumerate(row):
                    cells[c].text = cell_text
            continue
        style = f"Heading {min(b.heading, 9)}" if b.heading else None
        label = parse_label(b.text) if writer else None
        if writer is not None and label is not None:
            kind, value, rest = label
            p = document.add_paragraph(rest, style=style)
            writer.apply(p, kind, value, heading=bool(style))
        else:
            document.add_paragraph(b.text, style=style)
    section = document.sections[0]
    section.header.paragraphs[0].text = header
    section.footer.paragraphs[0].text = footer
    out = Path(path)
    document.save(str(out))
    return out


def build_list_docx(path: str | Path, levels: Sequence[tuple[str, str]], items: Sequence[tuple[str, int | None]],
                    *, restart_at: dict[int, int] | None = None, via_style: bool = False) -> Path:
    """A .docx with one multi-level list: `levels` are (numFmt, lvlText) for ilvl 0, 1, …;
    `items` are (text, ilvl or None for an unnumbered paragraph). `restart_at` maps an item index
    to a start value: from that item on, a new w:num restarts level 0 there. `via_style` puts
    the numPr of level 0 in a paragraph style instead of on the paragraphs."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    document = docx.Document()
    numbering = document.part.numbering_part.element
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:suff w:val="nothing"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    abstract = _xml(f'<w:abstractNum {_ns()} w:abstractNumId="90"><w:multiLevelType w:val="multilevel"/>{lvls}</w:abstractNum>')
    first_num = numbering.find(f"{{{W_NS}}}num")
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(_xml(f'<w:num {_ns()} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    if via_style:
        style = document.styles.add_style("ListLevel0", WD_STYLE_TYPE.PARAGRAPH)
        style.element.get_or_add_pPr().append(_xml(f'<w:numPr {_ns()}><w:numId w:val="90"/></w:numPr>'))
    num_id = 90
    for i, (text, ilvl) in enumerate(items):
        if restart_at and i in restart_at:
            num_id += 1
            numbering.append(_xml(
                f'<w:num {_ns()} w:numId="{num_id}"><w:abstractNumId w:val="90"/>'
                f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{restart_at[i]}"/></w:lvlOverride></w:num>'
            ))
        p = document.add_paragraph(text)
        if ilvl is None:
            continue
        if via_style and ilvl == 0 and num_id == 90:
            p.style = document.styles["ListLevel0"]
        else:
            p._p.get_or_add_pPr().append(_xml(f'<w:numPr {_ns()}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'))
    out = Path(path)
    document.save(str(out))
    return out


# -- .pdf ----------------------------------------------------------------------------------------

PDF_HEADER = "政策文件汇编（内部资料）"
FONT = "STSong-Light"


def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def build_pdf(text: str, path: str | Path, header: str = PDF_HEADER, *, even_header: str | None = None,
              page_format: str = "— {n} —") -> Path:
    """A PDF with a text layer (built-in CID font STSong-Light): wrapped paragraphs over several
    A4 pages, tab blocks as ruled tables, a running header and a `— N —` page number on every page.
    `even_header` gives even pages another running head; `page_format` e.g. "第 {n} 页" or "{n}"."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    _register_font()
    body = ParagraphStyle("body", fontName=FONT, fontSize=12, leading=18, wordWrap="CJK", spaceAfter=4)
    heading = ParagraphStyle("heading", parent=body, fontSize=15, leading=22, spaceBefore=6, spaceAfter=6)
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=9, leading=12, wordWrap="CJK")
    width = A4[0] - 40 * mm
    story: list[object] = []
    for b in parse_blocks(text):
        if b.rows is None:
            story.append(Paragraph(html.escape(b.text, quote=False), heading if b.heading else body))
            continue
        ncols = max(len(r) for r in b.rows)
        rows = [[Paragraph(html.escape(c, quote=False), cell) for c in r + [""] * (ncols - len(r))] for r in b.rows]
        weights = [max(4, min(40, max(len(r[i]) if i < len(r) else 0 for r in b.rows))) for i in range(ncols)]
        col_widths = [width * w / sum(weights) for w in weights]
        table = Table(rows, colWidths=col_widths)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story.extend([Spacer(1, 6), table, Spacer(1, 6)])

    def decorate(canvas: object, doc: object) -> None:
        canvas.saveState()  # type: ignore[attr-defined]
        canvas.setFont(FONT, 9)  # type: ignore[attr-defined]
        page = doc.page  # type: ignore[attr-defined]
        head = even_header if even_header is not None and page % 2 == 0 else header
        canvas.drawCentredString(A4[0] / 2, A4[1] - 12 * mm, head)  # type: ignore[attr-defined]
        canvas.setFont(FONT, 11)  # type: ignore[attr-defined]
        canvas.drawCentredString(A4[0] / 2, 10 * mm, page_format.format(n=page))  # type: ignore[attr-defined]
        canvas.restoreState()  # type: ignore[attr-defined]

    out = Path(path)
    doc = SimpleDocTemplate(str(out), pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=22 * mm, bottomMargin=22 * mm)
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return out


def build_layout_pdf(path: str | Path, pages: Sequence[Sequence[tuple[str, str]]], *, size: float = 12, title_size: float = 16) -> Path:
    """A PDF typeset line by line, as Word prints a notice: `pages` of (kind, text) lines, where kind is
    full (justified to the column), left, indent (two-character first-line indent), indent-full
    (indented and justified), center, right, or title (centred, in `title_size`)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    _register_font()
    out = Path(path)
    c = canvas.Canvas(str(out), pagesize=A4)
    left = 72.0
    right = left + 36 * size  # a column of 36 characters
    for lines in pages:
        y = A4[1] - 80.0
        for kind, text in lines:
            fs = title_size if kind == "title" else size
            width = stringWidth(text, FONT, fs)
            x = left + (2 * fs if kind.startswith("indent") else 0.0)
            space = 0.0
            if kind in ("full", "indent-full") and len(text) > 1:
                space = (right - x - width) / (len(text) - 1)
                assert -1.0 < space < 2.5, f"line of {len(text)} chars does not fit the column: {text}"
            elif kind in ("center", "title"):
                x = (A4[0] - width) / 2
            elif kind == "right":
                x = right - width
            t = c.beginText(x, y)
            t.setFont(FONT, fs)
            t.setCharSpace(space)
            t.textLine(text)
            c.drawText(t)
            y -= 1.5 * fs
        c.showPage()
    c.save()
    return out


def build_scanned_pdf(path: str | Path) -> Path:
    """A PDF that looks like a scan: drawn shapes and an inline image, no text objects."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    out = Path(path)
    c = canvas.Canvas(str(out), pagesize=A4, pageCompression=1)
    c.setFillColorRGB(0.85, 0.1, 0.1)
    c.rect(80, 700, 435, 40, fill=1, stroke=0)  # the red masthead band
    for i in range(12):
        c.rect(90, 640 - 28 * i, 400 - (i % 3) * 60, 8, fill=1, stroke=0)  # "lines of text" as bars
    try:
        from PIL import Image

        img = Image.new("L", (40, 20), 200)
        c.drawImage(ImageReader(img), 90, 200, width=160, height=80)
    except ImportError:  # Pillow is optional: the shapes alone make a text-less page
        pass
    c.showPage()
    c.save()
    return out


# -- .html ---------------------------------------------------------------------------------------

HTML_NAV = ["首页", "政务公开", "政务服务", "互动交流", "走进郑州"]
HTML_BREADCRUMB = "当前位置：首页 > 政务公开 > 政策文件"
HTML_FOOTER = "主办：市人民政府办公厅　网站标识码：4101000001　豫ICP备05011201号"
HTML_SIDEBAR = ["国务院文件库", "省政府文件库", "政策解读专栏"]
HTML_SHARE = "分享到：微信 微博 QQ空间"
HTML_SCRIPT = 'var _hmt = _hmt || []; document.write("访问统计");'


def html_page(text: str, charset: str = "utf-8") -> str:
    """A saved-page-like document: nav menu, breadcrumb, sidebar, script, the notice in
    `<div class="TRS_Editor">` (paragraphs as <p>, tab blocks as <table>), share bar, footer."""
    parts: list[str] = []
    for b in parse_blocks(text):
        if b.rows is not None:
            rows = []
            for i, r in enumerate(b.rows):
                tag = "th" if i == 0 else "td"
                rows.append("<tr>" + "".join(f"<{tag}>{html.escape(c)}</{tag}>" for c in r) + "</tr>")
            parts.append('<table border="1" cellspacing="0">' + "\n".join(rows) + "</table>")
        elif b.heading:
            parts.append(f'<p align="center"><strong>{html.escape(b.text)}</strong></p>')
        else:
            parts.append(f'<p style="text-indent:2em">{html.escape(b.text)}</p>')
    nav = "".join(f'<li><a href="/{i}">{n}</a></li>' for i, n in enumerate(HTML_NAV))
    side = "".join(f"<li><a>{n}</a></li>" for n in HTML_SIDEBAR)
    body = "\n".join(parts)
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>政策文件_市人民政府门户网站</title>
<style>.TRS_Editor p {{ font-size: 16px; }}</style>
<script type="text/javascript">{HTML_SCRIPT}</script>
</head><body>
<div class="header"><div class="logo">市人民政府门户网站</div><ul class="nav">{nav}</ul></div>
<div class="breadcrumb">{HTML_BREADCRUMB}</div>
<div class="main">
<div class="sidebar"><h3>相关专题</h3><ul>{side}</ul></div>
<div class="article">
<div class="info">发布时间：2023-08-28　来源：市人民政府办公室　【字体：大 中 小】</div>
<div id="zoom"><div class="TRS_Editor">
{body}
</div></div>
<div class="share">{HTML_SHARE}</div>
</div></div>
<div class="footer">{HTML_FOOTER}</div>
<script>document.write("<span>统计</span>");</script>
</body></html>
"""


def build_html(text: str, path: str | Path, encoding: str = "utf-8") -> Path:
    """Write html_page(text) in `encoding`, declaring it in a <meta> charset (gbk/gb18030 pages declare gb2312, as many sites do)."""
    declared = "gb2312" if encoding.lower() in ("gbk", "gb18030", "gb2312") else encoding
    out = Path(path)
    out.write_bytes(html_page(text, declared).encode(encoding))
    return out


# -- bad inputs (committed under tests/fixtures/bad; regenerate with write_bad_fixtures) --------

NOT_A_PDF = (
    b"<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\n"
    b"<body><h1>404 Not Found</h1><p>The requested URL was not found on this server.</p></body></html>\n"
)


def latin1_garbage() -> bytes:
    """High-bit bytes and ASCII that no Chinese encoding reads as text (latin-1 'decodes' it as accents)."""
    import random

    rng = random.Random(1234)
    chunks = []
    for _ in range(60):
        chunks.append(bytes(rng.choice(range(0x80, 0x100)) for _ in range(rng.randint(2, 6))))
        chunks.append(rng.choice([b" ", b"e ", b"r\n", b", ", b"al "]))
    return b"".join(chunks)


def binary_bytes() -> bytes:
    """What a renamed binary (.bin) looks like: NUL-heavy header, then noise."""
    import random

    rng = random.Random(99)
    return b"\x13\x37BIN\x00\x00\x00\x01\x00\x00\x00\x00" + bytes(rng.randrange(256) for _ in range(240))


def write_bad_fixtures(folder: str | Path, seed_text: str) -> None:
    """(Re)create the tiny bad-input files the ingest tests expect in tests/fixtures/bad."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    (out / "empty.txt").write_bytes(b"")
    (out / "whitespace.txt").write_bytes(" \n\t\n\u3000\u3000\n  \r\n".encode())
    (out / "binary.txt").write_bytes(binary_bytes())
    (out / "nul.txt").write_bytes("关于印发实施方案的通知\n".encode() + b"\x00\x00\x00" + "各有关单位：\n".encode())
    (out / "latin1-garbage.txt").write_bytes(latin1_garbage())
    full = build_docx(seed_text, out / "_full.docx")
    data = full.read_bytes()
    full.unlink()
    (out / "truncated.docx").write_bytes(data[: min(len(data) // 2, 3000)])
    build_scanned_pdf(out / "scanned.pdf")
    (out / "not-a-pdf.pdf").write_bytes(NOT_A_PDF)
