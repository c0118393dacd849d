"""The 新旧对照表 (修改前后对照表) of a compare, in Word (python-docx) and Excel (openpyxl).

One row per aligned pair: the parent clause (修改前) beside the child clause (修改后), deletions
struck through on the left, insertions in bold on the right; added, dropped and moved rows are
marked in a narrow note column. Identical rows are folded into a count unless `all_rows`.
Fonts are set for East-Asian text (宋体 body, 仿宋 for the table) through the w:eastAsia attribute,
which Word and WPS read; the page is landscape A4. Output is deterministic: the core properties'
timestamps come from the documents' dates (or a fixed date), never the clock.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime

from policydiff.render.common import clause_names
from policydiff.render.export import XLSX_MAX_CELL, text_cell, xlsx_text
from policydiff.render.html_style import RELATION_ZH
from policydiff.schema import Alignment, ClausePair, Document

__all__ = ["redline_docx", "redline_rows", "redline_xlsx"]

BODY_FONT = "宋体"
TABLE_FONT = "仿宋"
LATIN_FONT = "Times New Roman"
# When neither document is dated: a fixed timestamp keeps the file byte-identical run to run.
FIXED_TIME = datetime(2000, 1, 1, tzinfo=UTC)

Run = tuple[str, str]  # (kind, text); kind: "" plain, "del" struck, "ins" bold


def _note(p: ClausePair) -> str:
    note = RELATION_ZH.get(p.relation, p.relation)
    if p.moved:
        note += "，移位"
    if p.relation == "related" and p.topic_score is not None:
        note += f"（主题相似 {p.topic_score:.2f}）"
    nums = "；".join(f"{n.subject} {n.text}" for n in p.numeric_changes if n.change != "same")
    return note + (f"\n数字：{nums}" if nums else "")


def _sides(p: ClausePair, a_text: str, b_text: str) -> tuple[list[Run], list[Run]]:
    """The two cells' runs: word changes marked when the pair has a diff."""
    if p.relation == "identical" or not p.diff:
        return ([("", a_text)] if a_text else []), ([("", b_text)] if b_text else [])
    left: list[Run] = []
    right: list[Run] = []
    for op in p.diff:
        if op.op == "equal":
            left.append(("", op.a))
            right.append(("", op.b))
        else:
            if op.a:
                left.append(("del", op.a))
            if op.b:
                right.append(("ins", op.b))
    return left, right


def redline_rows(al: Alignment, a: Document, b: Document, all_rows: bool = False) -> Iterator[tuple[str, list[Run], str, list[Run], str, str]]:
    """(修改前 label, runs, 修改后 label, runs, note, relation) per row; folded identical runs give one
    row whose note counts them."""
    a_text = {c.id: c.text for c in a.clauses}
    b_text = {c.id: c.text for c in b.clauses}
    a_names, b_names = clause_names(a), clause_names(b)
    folded = 0

    def fold_row() -> tuple[str, list[Run], str, list[Run], str, str]:
        return "", [("", f"（{folded} 条未修改，从略）")], "", [("", f"（{folded} 条未修改，从略）")], "相同", "folded"

    for p in al.pairs:
        if p.relation == "identical" and not all_rows and not p.moved:
            folded += 1
            continue
        if folded:
            yield fold_row()
            folded = 0
        left, right = _sides(p, a_text.get(p.a_id or "", ""), b_text.get(p.b_id or "", ""))
        a_label = a_names.get(p.a_id, p.a_label or "") if p.a_id else ""
        b_label = b_names.get(p.b_id, p.b_label or "") if p.b_id else ""
        yield a_label, left, b_label, right, _note(p), p.relation
    if folded:
        yield fold_row()


def _timestamp(al: Alignment) -> datetime:
    days = [d for d in (al.a.date, al.b.date) if isinstance(d, date)]
    if not days:
        return FIXED_TIME
    d = max(days)
    return datetime(d.year, d.month, d.day, tzinfo=UTC)


def _east_asian(run_or_style_rpr: object, east: str, latin: str = LATIN_FONT) -> None:
    # python-docx loads only when a .docx is written
    from docx.oxml.ns import qn

    rpr = run_or_style_rpr
    fonts = rpr.find(qn("w:rFonts"))  # type: ignore[attr-defined]
    if fonts is None:
        # python-docx loads only when a .docx is written
        from docx.oxml import OxmlElement

        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)  # type: ignore[attr-defined]
    for attr, value in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", east), ("w:cs", latin)):
        fonts.set(qn(attr), value)


def _title(al: Alignment) -> str:
    return f"《{al.b.title or al.b.name}》与《{al.a.title or al.a.name}》新旧对照表"


def redline_docx(al: Alignment, a: Document, b: Document, all_rows: bool = False) -> bytes:
    """The 对照表 as a .docx file's bytes."""
    # python-docx loads only when a .docx is written
    from docx import Document as Docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

    doc = Docx()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(sec, side, Cm(2.0))
    sec.top_margin = sec.bottom_margin = Cm(2.0)

    normal = doc.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = Pt(11)
    _east_asian(normal.element.get_or_add_rPr(), BODY_FONT)
    title_style = doc.styles["Title"]
    title_style.font.name = LATIN_FONT
    title_style.font.size = Pt(16)
    title_style.font.bold = True
    title_style.font.color.rgb = RGBColor(0, 0, 0)
    _east_asian(title_style.element.get_or_add_rPr(), BODY_FONT)

    heading = doc.add_paragraph(style="Title")
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _east_asian(heading.add_run(_title(al)).element.get_or_add_rPr(), BODY_FONT)

    def meta(role: str, ref_title: str, number: str | None, day: date | None) -> None:
        par = doc.add_paragraph()
        run = par.add_run(f"{role}：《{ref_title}》" + "".join(f"　{x}" for x in (number, str(day) if day else None) if x))
        _east_asian(run.element.get_or_add_rPr(), BODY_FONT)

    meta("修改前", al.a.title or al.a.name, al.a.doc_number, al.a.date)
    meta("修改后", al.b.title or al.b.name, al.b.doc_number, al.b.date)
    for d in al.direction:
        if d.startswith("warning"):
            par = doc.add_paragraph()
            run = par.add_run(d)
            run.italic = True
            _east_asian(run.element.get_or_add_rPr(), BODY_FONT)
    legend = doc.add_paragraph()
    for text, kind in (("说明：", ""), ("删去的文字", "del"), ("加删除线，", ""), ("新写入的文字", "ins"), ("加粗；未修改的条款从略。" if not all_rows else "加粗。", "")):
        run = legend.add_run(text)
        run.font.strike = kind == "del"
        run.bold = kind == "ins"
        _east_asian(run.element.get_or_add_rPr(), BODY_FONT)

    table = doc.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = (Cm(11.3), Cm(11.3), Cm(3.1))
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for cell, text, width in zip(table.rows[0].cells, ("修改前", "修改后", "说明"), widths, strict=True):
        cell.width = width
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        _east_asian(run.element.get_or_add_rPr(), TABLE_FONT)
    _repeat_header(table.rows[0])

    def fill(cell: object, label: str, runs: list[Run]) -> None:
        par = cell.paragraphs[0]  # type: ignore[attr-defined]
        if label:
            lab = par.add_run(f"{label}　")
            lab.bold = True
            _east_asian(lab.element.get_or_add_rPr(), TABLE_FONT)
        for kind, text in runs:
            run = par.add_run(text)
            if kind == "del":
                run.font.strike = True
            elif kind == "ins":
                run.bold = True
            _east_asian(run.element.get_or_add_rPr(), TABLE_FONT)

    for a_label, left, b_label, right, note, _relation in redline_rows(al, a, b, all_rows):
        cells = table.add_row().cells
        for cell, width in zip(cells, widths, strict=True):
            cell.width = width
        fill(cells[0], a_label, left)
        fill(cells[1], b_label, right)
        fill(cells[2], "", [("", note)])

    props = doc.core_properties
    props.title = _title(al)
    props.author = "policydiff"
    props.last_modified_by = "policydiff"
    props.revision = 1
    stamp = _timestamp(al)
    props.created = stamp.replace(tzinfo=None)
    props.modified = stamp.replace(tzinfo=None)
    buf = io.BytesIO()
    doc.save(buf)
    return _fixed_zip_times(buf.getvalue(), stamp)


def _repeat_header(row: object) -> None:
    """Mark the header row to repeat on every page (w:tblHeader)."""
    # python-docx loads only when a .docx is written
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _fixed_zip_times(data: bytes, stamp: datetime) -> bytes:
    """Rewrite the zip with fixed member timestamps (zip entries carry the current time) and a fixed
    dcterms:modified (openpyxl sets it to the time of saving)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    when = (max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0)
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=when)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>" + iso + rb"\g<2>", body)
            dst.writestr(fixed, body)
    return out.getvalue()


def redline_xlsx(al: Alignment, a: Document, b: Document, all_rows: bool = False) -> bytes:
    """The same table as a worksheet (rich text: struck deletions, bold insertions), for analysts."""
    # openpyxl loads only when an .xlsx is written
    from openpyxl import Workbook
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont
    from openpyxl.styles import Alignment as CellAlignment
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "新旧对照表"
    ws.append([_title(al)])
    ws.append([f"修改前：《{al.a.title or al.a.name}》", f"修改后：《{al.b.title or al.b.name}》"])
    ws.append(["修改前条款", "修改前", "修改后条款", "修改后", "关系", "说明"])
    for cell in ws[3]:
        cell.font = Font(bold=True, name=TABLE_FONT)
    plain, struck, bold = InlineFont(rFont=TABLE_FONT), InlineFont(rFont=TABLE_FONT, strike=True), InlineFont(rFont=TABLE_FONT, b=True)

    def rich(runs: list[Run]) -> CellRichText | str:
        blocks = [TextBlock(struck if k == "del" else bold if k == "ins" else plain, t) for k, t in runs if t]
        return CellRichText(blocks) if blocks else ""

    row = ws.max_row
    for a_label, left, b_label, right, note, relation in redline_rows(al, a, b, all_rows):
        # A side longer than a cell holds continues in the rows below it, marked 续.
        lefts, rights = _cell_chunks(left), _cell_chunks(right)
        for k in range(max(len(lefts), len(rights))):
            row += 1
            labels = (a_label, b_label, note) if k == 0 else ("（续）" if a_label else "", "（续）" if b_label else "", "续")
            for col, text in ((1, labels[0]), (3, labels[1]), (5, relation), (6, labels[2])):
                text_cell(ws, row, col, xlsx_text(text))
            for col, chunks in ((2, lefts), (4, rights)):
                if k < len(chunks):
                    ws.cell(row=row, column=col, value=rich(chunks[k]))  # rich text is always text, never a formula
    wrap = CellAlignment(wrap_text=True, vertical="top")
    for cells in ws.iter_rows(min_row=3):
        for cell in cells:
            cell.alignment = wrap
    for letter, width in zip("ABCDEF", (10, 60, 10, 60, 10, 30), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A4"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    stamp = _timestamp(al).replace(tzinfo=None)
    wb.properties.creator = "policydiff"
    wb.properties.created = stamp
    wb.properties.modified = stamp
    buf = io.BytesIO()
    wb.save(buf)
    return _fixed_zip_times(buf.getvalue(), _timestamp(al))


def _cell_chunks(runs: list[Run]) -> list[list[Run]]:
    """`runs` cleaned for XLSX and cut into pieces that each fit one cell (at least one piece)."""
    chunks: list[list[Run]] = [[]]
    room = XLSX_MAX_CELL
    for kind, text in runs:
        text = xlsx_text(text)
        while text:
            if room == 0:
                chunks.append([])
                room = XLSX_MAX_CELL
            piece, text = text[:room], text[room:]
            chunks[-1].append((kind, piece))
            room -= len(piece)
    return chunks
