""".docx → text: body paragraphs and tables in document order, Word list numbers restored."""

from __future__ import annotations

import contextlib
import io
import zipfile
from typing import Any

from policydiff._files import display_path
from policydiff.errors import CorruptFileError, EmptyInputError, InputTooLargeError, UnsupportedFormatError
from policydiff.ingest._common import LineBuffer, dropped
from policydiff.ingest.wordnum import Numbering, W
from policydiff.schema import Dropped, Issue

MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An XML part larger than this is a zip bomb or not a notice; real notices' document.xml is well under 10 MB.
MAX_XML_MEMBER = 32 * 1024 * 1024
# All members together (pictures included): a .docx under the 20 MB input limit with pictures stays far below.
MAX_TOTAL_UNPACKED = 128 * 1024 * 1024

# Subtrees whose text Word does not show: deleted or moved-away revisions, the fallback copy of
# alternate content, field codes, footnote/comment references.
_SKIP = {f"{W}del", f"{W}moveFrom", f"{MC}Fallback", f"{W}instrText", f"{W}delText", f"{W}rPr", f"{W}pPr",
         f"{W}footnoteReference", f"{W}endnoteReference", f"{W}commentReference"}
# Labels ending in these need no space before the text (一、 （一） 1．).
_CJK_LABEL_END = "、）】〕．。：，"


def read_docx(data: bytes, name: str) -> tuple[str, list[Dropped], list[Issue]]:
    """Text, dropped headers/footers, and issues: parts that could not be read and what that leaves out."""
    _check_container(data, name)
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        body = document.element.body
    except Exception as exc:  # noqa: BLE001 - any failure to open the package means a damaged file
        raise CorruptFileError(_corrupt(name, f"{exc.__class__.__name__}: {exc}")) from None
    numbering_el = None
    with contextlib.suppress(NotImplementedError, KeyError, AttributeError):  # no numbering.xml: no list numbering
        numbering_el = document.part.numbering_part.element
    issues: list[Issue] = []
    try:
        styles_el = document.styles.element
    except Exception as exc:  # noqa: BLE001 - a damaged styles part still leaves the text: recorded, not raised
        styles_el = None
        issues.append(_unread("docx-styles-unread", "the styles part", "list numbers defined in styles are not restored", exc))
    reader = _Reader(Numbering(numbering_el, styles_el))
    reader.blocks(body)
    drops = reader.dropped + _header_footer_drops(document, issues)
    text = reader.buf.text()
    if not text.strip():
        raise EmptyInputError(
            f"{name}: the .docx has no text in its body (empty, or only images such as scanned pages). "
            "Give the notice itself; for scanned pages run OCR first."
        )
    return text, drops, issues


def _check_container(data: bytes, name: str) -> None:
    if data.startswith(_OLE_MAGIC):
        raise UnsupportedFormatError(
            f"{name}: is an old binary Word/WPS file (.doc) with a .docx name. "
            "Open it in Word, WPS or LibreOffice and save it as .docx (e.g. soffice --headless --convert-to docx FILE)."
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if "word/document.xml" not in names:
                raise CorruptFileError(
                    f"{name}: is a ZIP file but not a Word document (no word/document.xml). "
                    "Re-save it from Word or WPS as .docx, or give the right file."
                )
            # Every member is unpacked by python-docx, so every member is checked (a styles.xml bomb as much
            # as document.xml), by the sizes the ZIP directory declares; zipfile stops reading at them.
            total = 0
            for info in zf.infolist():
                total += info.file_size
                limit = MAX_XML_MEMBER if info.filename.endswith((".xml", ".rels")) else MAX_TOTAL_UNPACKED
                if info.file_size > limit:
                    raise InputTooLargeError(
                        f"{name}: {display_path(info.filename)} unpacks to {info.file_size:,} bytes (limit {limit:,}). "
                        "It is not a notice or the file is damaged; if it is one, save it as .txt and parse that."
                    )
            if total > MAX_TOTAL_UNPACKED:
                raise InputTooLargeError(
                    f"{name}: unpacks to {total:,} bytes in all (limit {MAX_TOTAL_UNPACKED:,}). "
                    "It is not a notice or the file is damaged; if it is one, save it as .txt and parse that."
                )
    except zipfile.BadZipFile as exc:
        raise CorruptFileError(_corrupt(name, str(exc))) from None


def _corrupt(name: str, detail: str) -> str:
    return (
        f"{name}: is not a valid .docx (truncated or damaged: {detail}). "
        "Re-save it from Word or WPS (File → Save As → .docx), or download it again."
    )


class _Reader:
    def __init__(self, numbering: Numbering) -> None:
        self.numbering = numbering
        self.buf = LineBuffer()
        self.dropped: list[Dropped] = []

    # Block level: paragraphs, tables, and containers around them (content controls, custom XML).
    def blocks(self, container: Any, out: list[str] | None = None) -> None:
        for child in container:
            tag = child.tag
            if tag == f"{W}p":
                self.paragraph(child, out)
            elif tag == f"{W}tbl":
                self.table(child, out)
            elif tag == f"{W}sdt":
                content = child.find(f"{W}sdtContent")
                if content is not None:
                    self.blocks(content, out)
            elif tag in (f"{W}customXml", f"{W}ins", f"{W}moveTo", f"{W}txbxContent"):
                self.blocks(child, out)

    def paragraph(self, p: Any, out: list[str] | None) -> None:
        parts: list[str] = []
        boxes: list[Any] = []
        hidden: list[str] = []
        self._inline(p, parts, boxes, hidden)
        for box in boxes:
            # Text boxes (often the red masthead) are laid out separately; put them first.
            self.blocks(box, out)
        if "".join(hidden).strip():
            self.dropped.append(dropped("".join(hidden), "word-artifact"))
        text = "".join(parts)
        label = self.numbering.label_for(p)
        # Word draws the number even on an empty paragraph, but a lone number line would look
        # like a heading downstream; the counter still advanced above.
        if label and text.strip():
            suffix = self.numbering.suffix_for(p)
            sep = "" if suffix == "nothing" or (suffix == "tab" and label[-1] in _CJK_LABEL_END) else " "
            text = label + sep + text.lstrip()
        if out is not None:
            out.append(text)
        else:
            self.buf.add(text)

    def _inline(self, el: Any, parts: list[str], boxes: list[Any], hidden: list[str]) -> None:
        for child in el:
            tag = child.tag
            if tag in _SKIP:
                continue
            if tag == f"{W}r":
                target = hidden if _is_hidden(child) else parts
                for rc in child:
                    rtag = rc.tag
                    if rtag == f"{W}t":
                        target.append(rc.text or "")
                    elif rtag in (f"{W}tab", f"{W}ptab"):
                        target.append("\t")
                    elif rtag in (f"{W}br", f"{W}cr"):
                        target.append("\n")
                    elif rtag == f"{W}noBreakHyphen":
                        target.append("-")
                    elif rtag not in _SKIP:
                        self._collect_boxes(rc, boxes)
            elif tag == f"{W}txbxContent":
                boxes.append(child)
            else:
                # Hyperlinks, insertions, smart tags, simple fields, inline content controls.
                self._inline(child, parts, boxes, hidden)

    def _collect_boxes(self, el: Any, boxes: list[Any]) -> None:
        for child in el:
            if child.tag == f"{MC}Fallback":
                continue  # the same text box again, for old readers
            if child.tag == f"{W}txbxContent":
                boxes.append(child)
            else:
                self._collect_boxes(child, boxes)

    def table(self, tbl: Any, out: list[str] | None) -> None:
        rows = [r for r in _children(tbl, "tr")]
        grid: list[list[Any]] = [[c for c in _children(r, "tc")] for r in rows]
        nested = any(tc.find(f".//{W}tbl") is not None for row in grid for tc in row)
        width = max((len(row) for row in grid), default=0)
        if nested or width < 2 or out is not None:
            # Layout tables (one column, or tables in tables) hold paragraphs, not data.
            for row in grid:
                for tc in row:
                    self.blocks(tc, out)
            return
        data: list[list[str]] = []
        for row in grid:
            cells: list[str] = []
            for tc in row:
                lines: list[str] = []
                self.blocks(tc, lines)
                cells.append(" ".join(line.strip() for line in lines if line.strip()))
                span = tc.find(f"{W}tcPr/{W}gridSpan")
                if span is not None:
                    cells.extend([""] * (max(1, int(span.get(f"{W}val", "1") or 1)) - 1))
            data.append(cells)
        self.buf.add_table(data)


def _children(el: Any, local: str) -> list[Any]:
    """Direct `w:<local>` children, looking through content controls and custom XML wrappers."""
    out: list[Any] = []
    for child in el:
        if child.tag == f"{W}{local}":
            out.append(child)
        elif child.tag in (f"{W}sdt", f"{W}customXml"):
            inner = child.find(f"{W}sdtContent") if child.tag == f"{W}sdt" else child
            if inner is not None:
                out.extend(_children(inner, local))
    return out


def _is_hidden(run: Any) -> bool:
    vanish = run.find(f"{W}rPr/{W}vanish")
    return vanish is not None and vanish.get(f"{W}val", "true") not in ("0", "false", "off")


def _unread(code: str, part: str, effect: str, exc: Exception) -> Issue:
    return Issue(code=code, message=f"{part} of the .docx could not be read ({exc.__class__.__name__}: {exc}): {effect}")


def _header_footer_drops(document: Any, issues: list[Issue]) -> list[Dropped]:
    """Page headers/footers never reach the text; record what they say."""
    out: list[Dropped] = []
    seen: set[tuple[str, str]] = set()
    try:
        rels = list(document.part.rels.values())
    except Exception as exc:  # noqa: BLE001 - the body is read already: a damaged relationship list is recorded, not raised
        issues.append(_unread("docx-headers-unread", "the part relationships", "page headers and footers are not listed as dropped", exc))
        return out
    for rel in rels:
        kind = "page-header" if rel.reltype.endswith("/header") else "page-footer" if rel.reltype.endswith("/footer") else None
        if kind is None or rel.is_external:
            continue
        try:
            element = rel.target_part.element
        except AttributeError:
            continue
        for p in element.iter(f"{W}p"):
            text = "".join(t.text or "" for t in p.iter(f"{W}t")).strip()
            if text and (kind, text) not in seen:
                seen.add((kind, text))
                out.append(dropped(text, kind))  # type: ignore[arg-type]
    return out
