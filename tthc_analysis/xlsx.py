"""Writing .xlsx files for analysts: deterministic bytes, no formula injection.

Every spreadsheet the package writes (form 06, rejected rows, sample exports) goes
through :func:`write_xlsx`. Files are byte-identical for identical content (fixed
document properties; XlsxWriter writes fixed zip timestamps), and text is always written
as text: a value starting with ``=``, ``+``, ``-`` or ``@`` never becomes a formula.

CSV exports (form 06, the plan table, ``tthc evaluate --format csv``) are opened in
Excel too: :func:`protect_csv_cell` prefixes such text with an apostrophe (the OWASP
mitigation for CSV injection); numbers are left alone. Readers of the package's own
CSV files remove the prefix again (:func:`unprotect_csv_cell`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, cast

import pandas as pd
import xlsxwriter

from tthc_analysis.text import is_missing

__all__ = [
    "FIXED_CREATED",
    "FORMULA_TRIGGERS",
    "Sheet",
    "protect_csv_cell",
    "protect_csv_frame",
    "unprotect_csv_cell",
    "write_xlsx",
]

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet program read a CSV cell as a formula."""


def protect_csv_cell(value: object) -> object:
    """``value`` safe for a CSV cell opened in a spreadsheet program.

    Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
    leading apostrophe (``=HYPERLINK(...)`` -> ``'=HYPERLINK(...)``), so that it shows as
    text instead of running as a formula. Other values (numbers...) are returned as is.
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def unprotect_csv_cell(text: str) -> str:
    """The text of a cell written with :func:`protect_csv_cell`."""
    if text.startswith("'") and text[1:].startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text


def protect_csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (and column names) are protected."""
    out = frame.copy()
    for column in out.columns:
        if not (
            pd.api.types.is_numeric_dtype(out[column]) or pd.api.types.is_bool_dtype(out[column])
        ):
            out[column] = out[column].map(protect_csv_cell)
    out.columns = [protect_csv_cell(c) for c in out.columns]
    return out


FIXED_CREATED = datetime(2000, 1, 1)
"""Creation time written in every workbook, so that builds are reproducible."""


@dataclass
class Sheet:
    """One worksheet to write.

    Attributes:
        name: Sheet name (at most 31 characters).
        frame: The table; its columns are written in order.
        title_lines: Lines written above the table (bold first line), e.g. the form's
            name and the period.
        header_rows: Header rows above the data. ``None`` writes ``frame.columns``.
        merges: Header cells to merge, as ``(row, first_col, last_row, last_col)``
            relative to the first header row, with the merged text taken from
            ``header_rows[row][first_col]``.
        column_widths: Width per column position (characters); default from content.
        date_format: Excel number format for date cells.
        number_format: Excel number format for float cells.
        footer_lines: Lines written below the table.
    """

    name: str
    frame: pd.DataFrame
    title_lines: Sequence[str] = ()
    header_rows: Sequence[Sequence[str]] | None = None
    merges: Sequence[tuple[int, int, int, int]] = ()
    column_widths: Mapping[int, float] | None = None
    date_format: str = "dd/mm/yyyy"
    number_format: str = "#,##0.##"
    footer_lines: Sequence[str] = ()
    freeze_header: bool = True
    extra: dict = field(default_factory=dict)


def _write_cell(ws, row: int, col: int, value, formats: dict) -> None:
    if is_missing(value):
        ws.write_blank(row, col, None, formats["cell"])
    elif isinstance(value, bool):
        ws.write_string(row, col, "Có" if value else "Không", formats["cell"])
    elif isinstance(value, pd.Timestamp | datetime | date):
        ts = pd.Timestamp(value)
        fmt = formats["date"] if ts == ts.normalize() else formats["datetime"]
        ws.write_datetime(row, col, ts.to_pydatetime(), fmt)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
        if math.isinf(number):
            ws.write_string(row, col, str(value), formats["cell"])
        elif number.is_integer():
            ws.write_number(row, col, number, formats["int"])
        else:
            ws.write_number(row, col, number, formats["float"])
    elif hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        _write_cell(ws, row, col, cast(Any, value).item(), formats)
    elif isinstance(value, list | tuple | set | frozenset):
        ws.write_string(row, col, "; ".join(map(str, value)), formats["cell"])
    else:
        ws.write_string(row, col, str(value), formats["cell"])


def _formats(wb: xlsxwriter.Workbook, sheet: Sheet) -> dict:
    base = {"font_name": "Times New Roman", "font_size": 11, "valign": "top"}
    return {
        "title": wb.add_format({**base, "bold": True, "font_size": 13}),
        "subtitle": wb.add_format({**base, "italic": True}),
        "header": wb.add_format(
            {
                **base,
                "bold": True,
                "border": 1,
                "align": "center",
                "text_wrap": True,
                "bg_color": "#F2F2F2",
            }
        ),
        "cell": wb.add_format({**base, "border": 1, "text_wrap": True}),
        "int": wb.add_format({**base, "border": 1, "num_format": "#,##0"}),
        "float": wb.add_format({**base, "border": 1, "num_format": sheet.number_format}),
        "date": wb.add_format({**base, "border": 1, "num_format": sheet.date_format}),
        "datetime": wb.add_format({**base, "border": 1, "num_format": "dd/mm/yyyy hh:mm"}),
    }


def _write_header(ws, sheet: Sheet, headers, top: int, fmt) -> None:
    merged_cells = set()
    for r0, c0, r1, c1 in sheet.merges:
        text = str(headers[r0][c0])
        if (r0, c0) == (r1, c1):
            ws.write_string(top + r0, c0, text, fmt)
        else:
            ws.merge_range(top + r0, c0, top + r1, c1, text, fmt)
        merged_cells.update((r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1))
    for r, header in enumerate(headers):
        for c, text in enumerate(header):
            if (r, c) not in merged_cells:
                ws.write_string(top + r, c, str(text), fmt)


def _column_width(sheet: Sheet, headers, c: int, column) -> float:
    if sheet.column_widths and c in sheet.column_widths:
        return sheet.column_widths[c]
    sample = sheet.frame[column].head(200).map(lambda v: 0 if is_missing(v) else len(str(v)))
    widest = int(sample.max()) if len(sample) else 0
    longest = max([len(str(h[c])) for h in headers if c < len(h)] + [widest])
    return min(max(8, longest + 2), 60)


def _write_sheet(wb: xlsxwriter.Workbook, sheet: Sheet) -> None:
    ws = wb.add_worksheet(sheet.name[:31])
    formats = _formats(wb, sheet)
    row = 0
    for i, line in enumerate(sheet.title_lines):
        ws.write_string(row, 0, str(line), formats["title" if i == 0 else "subtitle"])
        row += 1
    if sheet.title_lines:
        row += 1
    headers = sheet.header_rows or [[str(c) for c in sheet.frame.columns]]
    _write_header(ws, sheet, headers, row, formats["header"])
    row += len(headers)
    if sheet.freeze_header:
        ws.freeze_panes(row, 0)
    for values in sheet.frame.itertuples(index=False, name=None):
        for c, value in enumerate(values):
            _write_cell(ws, row, c, value, formats)
        row += 1
    if sheet.footer_lines:
        row += 1
        for line in sheet.footer_lines:
            ws.write_string(row, 0, str(line), formats["subtitle"])
            row += 1
    for c, column in enumerate(sheet.frame.columns):
        ws.set_column(c, c, _column_width(sheet, headers, c, column))


def write_xlsx(path: str | Path, sheets: Sheet | Sequence[Sheet]) -> Path:
    """Write one or more sheets to ``path`` (parents created); return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(sheets, Sheet):
        sheets = [sheets]
    wb = xlsxwriter.Workbook(
        str(path),
        {
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "nan_inf_to_errors": False,
        },
    )
    wb.set_properties({"created": FIXED_CREATED, "author": "tthc-analysis", "comments": ""})
    for sheet in sheets:
        _write_sheet(wb, sheet)
    wb.close()
    return path
