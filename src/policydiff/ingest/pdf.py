""".pdf (with a text layer) → text: one paragraph per line in reading order (lines the layout
wrapped are joined again, by their position on the page), ruled tables as tab blocks, page
numbers and running headers/footers removed and recorded with their page."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Any

from policydiff.errors import CorruptFileError, EncryptedFileError, NoTextLayerError
from policydiff.ingest._common import LineBuffer, dropped
from policydiff.schema import Dropped
from policydiff.text.numbering import match_label

# Decorated page numbers: — 3 —, - 3 -, 第3页, 第3页 共9页, 3/9, Page 3 of 9 (matched with spaces removed).
_PAGE_NUMBER_RE = re.compile(
    r"^(?:[—–\-－~～_·•]+\d{1,4}[—–\-－~～_·•]+"
    r"|第\d{1,4}页(?:[,，/／]?共\d{1,4}页)?"
    r"|共\d{1,4}页[,，]?第\d{1,4}页"
    r"|\d{1,4}[/／]\d{1,4}"
    r"|(?:page|Page|PAGE)\d{1,4}(?:(?:of|/)\d{1,4})?)$"
)
# A bare number counts as a page number only inside the top/bottom margin.
_LONE_NUMBER_RE = re.compile(r"^[\(（\[]?\d{1,4}[\)）\]]?$")
_MARGIN = 0.1
_MAX_PEEL = 3  # at most this many header/footer lines at each edge of a page
_REPEAT_SHARE = 0.6  # a running header/footer appears on at least this share of the pages
_CID_RE = re.compile(r"\(cid:\d+\)")
# Reflow (one paragraph per line, as in a .txt): how close to the column's edges a line must come,
# in units of its font size.
_EDGE_SLACK = 2.0  # a wrapped line ends at most this far before the right edge (ragged right text)
_END_SLACK = 1.0  # ... if it ends a sentence or a bracket, where paragraphs usually end
_LATIN_WIDTH = 0.6  # a Latin letter or digit, which a line breaker keeps together, in font sizes
_INDENT_SLACK = 0.5  # a continuation line starts at most this far right of the left edge
_SPAN_SLACK = 4.0  # a wrapped line starts at most this far right of the left edge (first-line indent)
_PITCH_SLACK = 0.15  # extra space between lines that still counts as the same paragraph
_MIN_LINES_PER_PARITY = 10  # fewer lines on odd (even) pages: use the whole document's edges
_TITLE_SIZE = 1.1  # lines this much larger than the body text are titles
_TITLE_PITCH = 1.6  # the widest line spacing inside a wrapped title, in font sizes
_SENTENCE_END_RE = re.compile(r"[。！？：；]\s*$")
_PARAGRAPH_END_RE = re.compile(r"[。！？：；）)”」』]\s*$")
_LEADING_WORD_RE = re.compile(r"^[0-9A-Za-z.,%\-/:]+")


@dataclass
class _Item:
    top: float
    bottom: float
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)
    x0: float = 0.0
    x1: float = 0.0
    page: int = 0

    @property
    def is_table(self) -> bool:
        return bool(self.rows)

    @property
    def size(self) -> float:
        return self.bottom - self.top


def read_pdf(data: bytes, name: str) -> tuple[str, list[Dropped]]:
    _check_header(data, name)
    # pdfplumber (and pdfminer) load only when a PDF is read
    import pdfplumber

    pages: list[tuple[float, list[_Item]]] = []
    char_count = 0
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if not pdf.pages:
                raise CorruptFileError(_damaged(name, "no pages"))
            for page in pdf.pages:
                char_count += sum(1 for c in page.chars if c.get("text", "").strip())
                pages.append((float(page.height), _page_items(page)))
                page.close()  # drop the page's parsed objects: memory stays bounded by one page
    except (CorruptFileError, NoTextLayerError):
        raise
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many exception types for damaged files
        raise _open_error(name, exc) from None
    if char_count == 0:
        raise NoTextLayerError(
            f"{name}: has no text layer (scanned?): run OCR first, e.g. ocrmypdf, then parse the result "
            "(e.g. `ocrmypdf -l chi_sim in.pdf out.pdf`)."
        )
    all_text = "".join(it.text for _, items in pages for it in items)
    if all_text and len("".join(_CID_RE.findall(all_text))) > 0.3 * len(all_text):
        raise NoTextLayerError(
            f"{name}: the text layer cannot be read (its fonts have no Unicode map, text comes out as (cid:NN)). "
            "Run OCR on it, e.g. `ocrmypdf --force-ocr -l chi_sim in.pdf out.pdf`, then parse the result."
        )
    return _assemble(pages)


def _check_header(data: bytes, name: str) -> None:
    if b"%PDF-" in data[:1024]:
        return
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        what, fix = "a web page (HTML), e.g. an error page saved by the download", "download the PDF again, or rename the file to .html"
    elif head.startswith(b"pk\x03\x04"):
        what, fix = "a ZIP file such as a .docx", "rename it to .docx if it is a Word file"
    else:
        what, fix = f"something else (it starts with {data[:16]!r})", "download or export the PDF again"
    raise CorruptFileError(f"{name}: is not a PDF: no %PDF header, it is {what}. Fix: {fix}.")


def _damaged(name: str, detail: str) -> str:
    return f"{name}: is a damaged PDF ({detail}). Download or export it again, or repair it with `qpdf in.pdf out.pdf`."


def _open_error(name: str, exc: Exception) -> Exception:
    inner = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
    kind = inner.__class__.__name__
    if "Password" in kind or "Encrypt" in kind:
        return EncryptedFileError(
            f"{name}: is encrypted or password-protected ({kind}). "
            "Remove the password first, e.g. `qpdf --password=PASS --decrypt in.pdf out.pdf`, then parse out.pdf."
        )
    return CorruptFileError(_damaged(name, f"{kind}: {inner}"))


def _page_items(page: Any) -> list[_Item]:
    # Fake bold (the same glyph printed twice, slightly offset) would double every character.
    # dedupe_chars is slow, so run it only when some glyph is printed twice at about the same place.
    seen = {(c.get("text"), round(c["x0"]), round(c["top"])) for c in page.chars}
    if len(seen) < len(page.chars):
        page = page.dedupe_chars()
    items: list[_Item] = []
    boxes: list[tuple[float, float, float, float]] = []
    if page.lines or page.rects:
        for table in page.find_tables():
            rows = [[(cell or "") for cell in row] for row in table.extract()]
            if len(rows) >= 2 and max(len(r) for r in rows) >= 2:
                x0, top, x1, bottom = table.bbox
                boxes.append((x0, top, x1, bottom))
                items.append(_Item(top=top, bottom=bottom, rows=rows))
    text_page = page
    if boxes:

        def outside_tables(obj: dict[str, Any]) -> bool:
            if obj.get("object_type") != "char":
                return True
            cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
            return not any(x0 <= cx <= x1 and t <= cy <= b for x0, t, x1, b in boxes)

        text_page = page.filter(outside_tables)
    for line in text_page.extract_text_lines(strip=True, return_chars=False):
        if line["text"].strip():
            items.append(
                _Item(top=float(line["top"]), bottom=float(line["bottom"]), text=line["text"], x0=float(line["x0"]), x1=float(line["x1"]))
            )
    items.sort(key=lambda it: it.top)
    return items


def _key(text: str) -> str:
    # Running headers may carry the page number or date: compare with digits masked.
    return re.sub(r"\d+", "#", "".join(text.split()))


def _is_page_number(item: _Item, height: float) -> bool:
    compact = "".join(item.text.split())
    if _PAGE_NUMBER_RE.match(compact):
        return True
    in_margin = item.top < _MARGIN * height or item.bottom > (1 - _MARGIN) * height
    return in_margin and bool(_LONE_NUMBER_RE.match(compact))


def _edge_keys(pages: list[tuple[float, list[_Item]]], top: bool) -> set[str]:
    """Keys of lines repeated at the top (or bottom) of most pages, or of most odd or even pages
    (books and gazettes alternate running heads)."""
    counts: dict[str, list[int]] = {}
    with_text = [0, 0, 0]  # all, odd, even pages
    for page_no, (_, items) in enumerate(pages, start=1):
        lines = [it for it in items if not it.is_table]
        if not lines:
            continue
        parity = 1 if page_no % 2 else 2
        with_text[0] += 1
        with_text[parity] += 1
        edge = lines[:2] if top else lines[-2:]
        for key in {_key(it.text) for it in edge if len(_key(it.text)) <= 80}:
            c = counts.setdefault(key, [0, 0, 0])
            c[0] += 1
            c[parity] += 1

    def repeated(c: list[int]) -> bool:
        if c[0] < 2:
            return False
        return c[0] >= _REPEAT_SHARE * with_text[0] or any(
            c[i] >= 2 and c[i] >= 0.8 * with_text[i] for i in (1, 2)
        )

    return {k for k, c in counts.items() if repeated(c)}


def _assemble(pages: list[tuple[float, list[_Item]]]) -> tuple[str, list[Dropped]]:
    top_keys, bottom_keys = _edge_keys(pages, top=True), _edge_keys(pages, top=False)
    drops: list[Dropped] = []
    bodies: list[list[_Item]] = []
    for page_no, (height, items) in enumerate(pages, start=1):
        start, end = 0, len(items)
        bottom_drops: list[Dropped] = []
        for _ in range(_MAX_PEEL):
            if start >= end or items[start].is_table:
                break
            it = items[start]
            if _is_page_number(it, height):
                drops.append(dropped(it.text, "page-number", page=page_no))
            elif _key(it.text) in top_keys:
                drops.append(dropped(it.text, "page-header", page=page_no))
            else:
                break
            start += 1
        for _ in range(_MAX_PEEL):
            if start >= end or items[end - 1].is_table:
                break
            it = items[end - 1]
            if _is_page_number(it, height):
                bottom_drops.append(dropped(it.text, "page-number", page=page_no))
            elif _key(it.text) in bottom_keys:
                bottom_drops.append(dropped(it.text, "page-footer", page=page_no))
            else:
                break
            end -= 1
        drops.extend(reversed(bottom_drops))
        bodies.append([replace(it, page=page_no) for it in items[start:end]])
    return _lay_out(bodies), drops


def _lay_out(bodies: list[list[_Item]]) -> str:
    """Body items of every page → text: wrapped lines joined into paragraphs, tables joined over page breaks."""
    layout = _Layout.of(bodies)
    buf = LineBuffer()
    pending: list[list[str]] = []
    state = {"page": 0, "last": False}  # where the pending table sits: its page, and whether it ends it
    para: _Item | None = None  # the paragraph being reflowed; its geometry is that of its last line

    def flush() -> None:
        if pending:
            buf.add_table(list(pending))
            pending.clear()

    def end_paragraph() -> None:
        nonlocal para
        if para is not None:
            buf.add(para.text)
            para = None

    for page_no, body in enumerate(bodies, start=1):
        for idx, it in enumerate(body):
            if not it.is_table:
                flush()
                if para is not None and layout.continues(para, it):
                    para = replace(it, text=_join_wrapped(para.text, it.text))
                else:
                    end_paragraph()
                    para = it
                continue
            end_paragraph()
            width = max(len(r) for r in it.rows)
            continued = (
                pending and idx == 0 and state["page"] == page_no - 1 and state["last"]
                and width == max(len(r) for r in pending)
            )
            if continued:
                # The table ran over the page break: join it, dropping a repeated header row.
                pending.extend(it.rows[1:] if it.rows[0] == pending[0] else it.rows)
            else:
                flush()
                pending.extend(it.rows)
            state["page"], state["last"] = page_no, idx == len(body) - 1
    end_paragraph()
    flush()
    return buf.text()


def _join_wrapped(a: str, b: str) -> str:
    # A Latin word or number wrapped at a space keeps the space; CJK lines join directly.
    a, b = a.rstrip(), b.lstrip()
    if a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return a + " " + b
    return a + b


@dataclass
class _Layout:
    """The text column (per page parity: books and gazettes mirror their margins), line pitch and body font size."""

    left: dict[int, float]
    right: dict[int, float]
    pitch: float | None
    body_size: float

    @classmethod
    def of(cls, bodies: list[list[_Item]]) -> _Layout:
        lines = [it for body in bodies for it in body if not it.is_table and it.x1 > it.x0]
        left: dict[int, float] = {}
        right: dict[int, float] = {}
        if lines:
            for parity in (0, 1):
                group = [it for it in lines if it.page % 2 == parity]
                if len(group) < _MIN_LINES_PER_PARITY:
                    group = lines
                left[parity] = min(it.x0 for it in group)
                # Not the maximum: hanging punctuation (a bracket or comma past the margin) overshoots it.
                ends = sorted(it.x1 for it in group)
                right[parity] = ends[min(len(ends) - 1, int(0.95 * len(ends)))]
        pitches = sorted(
            b.top - a.top
            for body in bodies
            for a, b in pairwise(body)
            if not a.is_table and not b.is_table and b.top > a.top and abs(a.size - b.size) <= 0.2 * max(a.size, 1.0)
        )
        # Lines inside a paragraph are the tightest common spacing; paragraph breaks add space.
        pitch = pitches[len(pitches) // 5] if pitches else None
        sizes: dict[float, int] = {}
        for it in lines:
            sizes[round(it.size, 1)] = sizes.get(round(it.size, 1), 0) + len(it.text)
        body_size = max(sizes, key=lambda k: sizes[k]) if sizes else 0.0
        return cls(left=left, right=right, pitch=pitch, body_size=body_size)

    def continues(self, a: _Item, b: _Item) -> bool:
        """Whether line `b` continues the paragraph whose last line is `a` (a line the layout wrapped)."""
        if not self.left or a.x1 <= a.x0 or b.x1 <= b.x0:
            return False
        size = max(a.size, 1.0)
        if abs(a.size - b.size) > 0.1 * size or match_label(b.text.strip()) is not None:
            return False  # a heading next to body text, or a numbered paragraph
        if b.page == a.page and size > _TITLE_SIZE * self.body_size:
            # A title in a larger font, often centred, wraps wherever it likes.
            return 0 < b.top - a.top <= _TITLE_PITCH * size and not _SENTENCE_END_RE.search(a.text)
        if b.page == a.page:
            if self.pitch is None or b.top <= a.top or b.top - a.top > self.pitch + _PITCH_SLACK * size:
                return False
        elif b.page != a.page + 1:
            return False
        pa, pb = a.page % 2, b.page % 2
        if _PARAGRAPH_END_RE.search(a.text):
            slack = _END_SLACK
        else:
            # The breaker moves a whole number or word down, and a closing mark takes its
            # character along (no line starts with ，。）), so a wrapped line can end short.
            word = _LEADING_WORD_RE.match(b.text.lstrip())
            slack = _EDGE_SLACK + (_LATIN_WIDTH * len(word.group()) if word else 0.0)
        if a.x1 < self.right[pa] - slack * size or a.x0 > self.left[pa] + _SPAN_SLACK * size:
            return False  # a short last line, or a centred or right-aligned one
        return b.x0 <= self.left[pb] + _INDENT_SLACK * size  # an indented first line starts a paragraph
