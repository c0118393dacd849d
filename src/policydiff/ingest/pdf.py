""".pdf (with a text layer) → text: lines in reading order, ruled tables as tab blocks,
page numbers and running headers/footers removed and recorded."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any

from policydiff.errors import CorruptFileError, EncryptedFileError, NoTextLayerError
from policydiff.ingest._common import LineBuffer, dropped
from policydiff.schema import Dropped

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


@dataclass
class _Item:
    top: float
    bottom: float
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)

    @property
    def is_table(self) -> bool:
        return bool(self.rows)


def read_pdf(data: bytes, name: str) -> tuple[str, list[Dropped]]:
    _check_header(data, name)
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
            items.append(_Item(top=float(line["top"]), bottom=float(line["bottom"]), text=line["text"]))
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
    buf = LineBuffer()
    pending: list[list[str]] = []
    state = {"page": 0, "last": False}  # where the pending table sits: its page, and whether it ends it

    def flush() -> None:
        if pending:
            buf.add_table(list(pending))
            pending.clear()

    for page_no, (height, items) in enumerate(pages, start=1):
        start, end = 0, len(items)
        bottom_drops: list[Dropped] = []
        for _ in range(_MAX_PEEL):
            if start >= end or items[start].is_table:
                break
            it = items[start]
            if _is_page_number(it, height):
                drops.append(dropped(it.text, "page-number", page_no))
            elif _key(it.text) in top_keys:
                drops.append(dropped(it.text, "page-header", page_no))
            else:
                break
            start += 1
        for _ in range(_MAX_PEEL):
            if start >= end or items[end - 1].is_table:
                break
            it = items[end - 1]
            if _is_page_number(it, height):
                bottom_drops.append(dropped(it.text, "page-number", page_no))
            elif _key(it.text) in bottom_keys:
                bottom_drops.append(dropped(it.text, "page-footer", page_no))
            else:
                break
            end -= 1
        drops.extend(reversed(bottom_drops))
        body = items[start:end]
        for idx, it in enumerate(body):
            if not it.is_table:
                flush()
                buf.add(it.text)
                continue
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
    flush()
    return buf.text(), drops
