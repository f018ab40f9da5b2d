"""Low-level helpers for Word documents laid out per Decree 30/2020/NĐ-CP (python-docx).

Decree 30/2020/NĐ-CP, Appendix I: A4 paper; margins top 20–25 mm, bottom 20–25 mm, left
30–35 mm, right 15–20 mm; Times New Roman (Unicode, TCVN 6909:2001), body 13–14 pt. The
values used are in :data:`PAGE`. :func:`save_deterministic` writes the package so that the
same content always gives the same bytes (fixed core properties, zip timestamps, order).
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from tthc_analysis.errors import BuildError

__all__ = [
    "FONT",
    "PAGE",
    "add_paragraph",
    "fixed_table",
    "landscape_section",
    "portrait_section",
    "save_deterministic",
    "set_cell",
    "setup_document",
    "text_width_mm",
]

FONT = "Times New Roman"
PAGE = {
    "width_mm": 210,
    "height_mm": 297,
    "top_mm": 20,
    "bottom_mm": 20,
    "left_mm": 30,
    "right_mm": 15,
    "body_pt": 14,
    "header_pt": 13,
}
"""A4 portrait and the margins/sizes chosen within the ranges of Decree 30/2020."""

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def text_width_mm(section) -> float:
    """Width available to text in a section (page width minus margins), in mm."""
    return (section.page_width - section.left_margin - section.right_margin) / 36000


def _margins(section) -> None:
    section.top_margin = Mm(PAGE["top_mm"])
    section.bottom_margin = Mm(PAGE["bottom_mm"])
    section.left_margin = Mm(PAGE["left_mm"])
    section.right_margin = Mm(PAGE["right_mm"])


def portrait_section(section) -> None:
    """A4 portrait with the decree's margins."""
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Mm(PAGE["width_mm"])
    section.page_height = Mm(PAGE["height_mm"])
    _margins(section)


def landscape_section(section) -> None:
    """A4 landscape (for wide forms) with the same margins."""
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width = Mm(PAGE["height_mm"])
    section.page_height = Mm(PAGE["width_mm"])
    _margins(section)


def setup_document(document, title: str, created: datetime) -> None:
    """Page, default font (Times New Roman 14 pt, also for Vietnamese/complex scripts), properties."""
    portrait_section(document.sections[0])
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(PAGE["body_pt"])
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    style.paragraph_format.space_after = Pt(0)
    props = document.core_properties
    props.title = title
    props.subject = title
    props.author = "tthc-analysis"
    props.last_modified_by = "tthc-analysis"
    props.comments = "Dự thảo lập tự động từ số liệu; cán bộ rà soát, chỉnh sửa trước khi trình ký."
    props.keywords = "TTHC; báo cáo; dự thảo"
    props.category = "Báo cáo"
    props.language = "vi-VN"
    props.revision = 1
    props.created = created
    props.modified = created
    props.last_printed = created


def add_paragraph(
    container,
    text: str = "",
    *,
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
    align: str = "justify",
    indent_first: bool = False,
    upper: bool = False,
    space_before: float = 0,
    space_after: float = 3,
    highlight: bool = False,
):
    """Append a paragraph with one run (``container``: document or table cell)."""
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.alignment = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[align]
    fmt.space_before = Pt(space_before)
    fmt.space_after = Pt(space_after)
    if indent_first:
        fmt.first_line_indent = Mm(10)
    if text:
        run = paragraph.add_run(text.upper() if upper else text)
        run.bold = bold
        run.italic = italic
        if size:
            run.font.size = Pt(size)
        if highlight:
            run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    return paragraph


def set_cell(cell, text: str, *, bold=False, italic=False, size=None, align="center") -> None:
    """Replace a cell's text with one formatted paragraph."""
    paragraph = cell.paragraphs[0]
    for run in paragraph.runs:
        run._r.getparent().remove(run._r)
    paragraph.paragraph_format.alignment = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
    }[align]
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(text)
    run.bold = bold
    run.italic = italic
    if size:
        run.font.size = Pt(size)


def _borders(table, show: bool) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single" if show else "nil")
        if show:
            element.set(qn("w:sz"), "4")
            element.set(qn("w:space"), "0")
            element.set(qn("w:color"), "000000")
        borders.append(element)
    tbl_pr.append(borders)


def fixed_table(container, rows: int, widths_mm: list[float], *, borders: bool = True):
    """A table with fixed column widths (mm), centred; Word and LibreOffice keep them."""
    table = container.add_table(rows=rows, cols=len(widths_mm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    _borders(table, borders)
    for i, width in enumerate(widths_mm):
        table.columns[i].width = Mm(width)
        for cell in table.columns[i].cells:
            cell.width = Mm(width)
    return table


def save_deterministic(document, path: str | Path) -> Path:
    """Save ``document`` so that the same content gives the same bytes.

    python-docx stamps each zip member with the current time; the package is rewritten
    with a fixed timestamp (01/01/1980), members in the order python-docx wrote them
    ([Content_Types].xml first), deflate compression.
    """
    buffer = io.BytesIO()
    document.save(buffer)
    path = Path(path)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            member.create_system = 0
            target.writestr(member, source.read(info.filename))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(out.getvalue())
    except OSError as exc:
        raise BuildError(
            "Không ghi được tệp dự thảo.",
            file=path,
            hint="Kiểm tra quyền ghi và dung lượng trống của thư mục, hoặc chọn --out khác.",
        ) from exc
    return path
