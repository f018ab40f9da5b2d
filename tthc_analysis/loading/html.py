"""HTML tables saved with a spreadsheet name (``.xls``), as web one-stop systems export them.

Provincial one-stop systems often serve their "Excel" lists as an HTML page (served as
``application/vnd.ms-excel``, usually UTF-8) holding one or more ``<table>``. The page is
parsed with lxml (a real HTML parser: unclosed tags, entities, nested tables) and each
table becomes a grid of text cells laid out like a worksheet: a cell spanning several
columns or rows (``colspan``/``rowspan``) puts its text in its top-left position and
leaves the other positions empty, as a merged cell of a workbook does, so that the
header of several rows is combined by the same rules as a workbook's.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

__all__ = ["NUL_MARK", "html_tables", "looks_like_html"]

NUL_MARK = "\u2400"
"""What a NUL byte of an HTML page is read as (it becomes a row error, never a silent cut)."""
_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_HEAD_BYTES = 1 << 20


def looks_like_html(path: Path) -> bool:
    """Whether the file is an HTML (or XML-spreadsheet) page holding a ``<table>``."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_HEAD_BYTES)
    except OSError:
        return False
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    start = head.removeprefix(codecs.BOM_UTF8).lstrip()
    return start.startswith(b"<") and b"<table" in head.lower()


def _decode(data: bytes) -> str:
    """The page as text: BOM, then the declared charset, then UTF-8, then Windows-1258."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    declared = _CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii", "ignore").lower()
        try:
            codecs.lookup(name)
        except LookupError:
            name = ""
        if name and name not in ("utf-8", "utf8"):
            return data.decode(name, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="replace")
        if text.count("\ufffd") * 20 < len(text):
            return text
        return data.decode("cp1258", errors="replace")


def _cell_text(cell) -> str:
    """The visible text of a cell, whitespace collapsed (``<br>`` is a space)."""
    return " ".join(" ".join(cell.itertext()).split())


def _span(cell, name: str) -> int:
    try:
        return max(1, min(int(cell.get(name, "1") or 1), 1000))
    except ValueError:
        return 1


def _grid(table) -> list[list[str]]:
    """The rows of one table, spans laid out like merged cells (text top-left only)."""
    rows: list[list[str]] = []
    pending: dict[int, int] = {}  # column -> rows still covered by a rowspan above
    for tr in table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr"):
        row: list[str] = []
        column = 0
        for cell in tr.xpath("./td|./th"):
            while pending.get(column, 0) > 0:  # covered by a rowspan from above
                row.append("")
                column += 1
            colspan, rowspan = _span(cell, "colspan"), _span(cell, "rowspan")
            row.append(_cell_text(cell))
            row.extend([""] * (colspan - 1))
            if rowspan > 1:
                for k in range(colspan):
                    pending[column + k] = max(pending.get(column + k, 0), rowspan)
            column += colspan
        while pending.get(column, 0) > 0:
            row.append("")
            column += 1
        # A rowspan started on this row covers the next ones: count this row down.
        for key in list(pending):
            pending[key] -= 1
            if pending[key] <= 0:
                del pending[key]
        rows.append(row)
    return rows


def _attribute(element, name: str) -> str | None:
    """An attribute by its local name (``ss:Index`` is ``ss:index`` once parsed as HTML)."""
    for key, value in element.attrib.items():
        if key.lower().rsplit(":", 1)[-1] == name:
            return value
    return None


def _spreadsheet_ml_grid(table) -> list[list[str]]:
    """The rows of an XML Spreadsheet 2003 ``<Table>`` (``<Row>``/``<Cell>``/``<Data>``).

    ``ss:Index`` (1-based column of a cell after skipped ones) and ``ss:MergeAcross`` are
    laid out like merged cells.
    """
    rows: list[list[str]] = []
    for row_element in table.xpath("./row"):
        row: list[str] = []
        for cell in row_element.xpath("./cell"):
            index = _attribute(cell, "index")
            if index and index.isdigit():
                row.extend([""] * max(0, int(index) - 1 - len(row)))
            row.append(_cell_text(cell))
            merge = _attribute(cell, "mergeacross")
            if merge and merge.isdigit():
                row.extend([""] * min(int(merge), 1000))
        rows.append(row)
    return rows


def html_tables(path: Path) -> list[list[list[str]]]:
    """Every ``<table>`` of an HTML file as rows of text cells (document order).

    A NUL byte reads as :data:`NUL_MARK`.
    """
    from lxml import html as lxml_html

    text = _decode(path.read_bytes()).replace("\x00", NUL_MARK)
    text = _XML_DECLARATION.sub("", text, count=1)
    parser = lxml_html.HTMLParser(remove_comments=True, huge_tree=True)
    root = lxml_html.document_fromstring(text or "<html></html>", parser=parser)
    return [_grid(table) or _spreadsheet_ml_grid(table) for table in root.iter("table")]
