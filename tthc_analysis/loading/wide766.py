"""Decision 766 scores saved from the national portal as a wide sheet, melted to long form.

The portal's report has one row per unit and one column per index group, headed by the
group codes (``TDGQ``, ``MDHL``, ``MDSH``, ``TTTT``, ``CLGQ``, ``CKMB``, ``TONG_SCORE``,
beside ``ID``, ``TEN``, ``TEN_COQUAN``, ``MA_COQUAN``) or by the Vietnamese group names
("Công khai, minh bạch", "Dịch vụ trực tuyến" = CLGQ + TTTT, "Tổng điểm"...). Values are
often text, sometimes ``17,5/18`` (score out of the group's maximum). The period is
usually not a column: it is read from a ``Kỳ``/``Tháng`` column if there is one, else
from the sheet name, else from the file name (``T10_2025``, ``Tháng 10/2025``,
``Quý III/2025``, ``Năm 2025``). A month is stored as ``YYYY-MM``, a quarter as
``YYYY-Qn`` (``2025-Q3``) and a year as ``YYYY``: a quarter's or a year's score is not a
month's score, so it is never stored as one (issue 11: nothing guessed). The monthly
trend of the evaluation uses the months only
(:func:`tthc_analysis.metrics.index766.split_periods`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from tthc_analysis.fields import dataset_fields
from tthc_analysis.loading.headers import header_index, header_text
from tthc_analysis.loading.values import code_lookup
from tthc_analysis.text import fold_ascii

__all__ = ["WideLayout", "locate_wide", "melt", "period_from_name", "period_label_vi"]

MIN_GROUPS = 2
"""A header row with at least this many group columns is a wide 766 sheet."""
_OUT_OF = re.compile(r"^\s*([0-9][0-9.,]*)\s*/\s*([0-9][0-9.,]*)\s*$")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_MONTH = re.compile(r"(?:^|[^a-z0-9])(?:thang|t)[\s_.\-]*(\d{1,2})[\s_./\-]+(?:nam[\s_]*)?(\d{4})")
_QUARTER = re.compile(
    r"(?:^|[^a-z0-9])(?:quy|q)[\s_.\-]*(iv|iii|ii|i|[1-4])[\s_./\-]+(?:nam[\s_]*)?(\d{4})"
)
_YEAR = re.compile(r"(?:^|[^a-z0-9])nam[\s_.\-]*(\d{4})")
_UNIT_NAMES = ("TEN_COQUAN", "TEN", "Tên cơ quan", "Tên đơn vị", "Cơ quan", "Đơn vị")


def period_from_name(name: str) -> tuple[str, str] | None:
    """``(period, how)`` read from a sheet or file name, or ``None``.

    ``T10_2025``/``Tháng 10/2025`` give the month ``2025-10``, ``Quý III/2025`` the
    quarter ``2025-Q3``, ``Năm 2025`` the year ``2025``.
    """
    key = fold_ascii(name)
    match = _MONTH.search(key)
    if match and 1 <= int(match.group(1)) <= 12:
        return f"{match.group(2)}-{int(match.group(1)):02d}", "tháng"
    match = _QUARTER.search(key)
    if match:
        quarter = _ROMAN.get(match.group(1)) or int(match.group(1))
        return f"{match.group(2)}-Q{quarter}", "quý"
    match = _YEAR.search(key)
    if match:
        return match.group(1), "năm"
    return None


_ROMAN_OF = {1: "I", 2: "II", 3: "III", 4: "IV"}


def period_label_vi(period: str) -> str:
    """``2025-10`` -> "10/2025", ``2025-Q3`` -> "Quý III/2025", ``2025`` -> "Năm 2025"."""
    if len(period) == 4:
        return f"Năm {period}"
    if period[5:6] == "Q":
        return f"Quý {_ROMAN_OF.get(int(period[6:]), period[6:])}/{period[:4]}"
    return f"{period[5:]}/{period[:4]}"


@dataclass(frozen=True)
class WideLayout:
    """Where the parts of a wide 766 sheet are.

    Attributes:
        row: 0-based index of the header row.
        groups: Position -> group code.
        unit: Position of the unit name, or ``None``.
        period: Position of a period column, or ``None``.
        headers: Position -> header as written.
    """

    row: int
    groups: dict[int, str]
    unit: int | None
    period: int | None
    headers: dict[int, str]


def _group_lookup():
    f = dataset_fields("index766")["group_code"]
    return code_lookup(f.codes)


def locate_wide(rows: Sequence[Sequence[object]], settings=None) -> WideLayout | None:
    """The wide layout of the first rows of a sheet, or ``None`` if it is not one."""
    lookup = _group_lookup()
    index = header_index("index766", settings)
    for i, row in enumerate(rows):
        groups: dict[int, str] = {}
        headers: dict[int, str] = {}
        unit = period = None
        for position, cell in enumerate(row):
            text = header_text(cell)
            if not text:
                continue
            code = lookup.find(text)
            if code is not None and code not in groups.values():
                groups[position] = code
                headers[position] = text
                continue
            column, _ = index.lookup(text)
            if column == "period" and period is None:
                period = position
                headers[position] = text
        if len(groups) < MIN_GROUPS:
            continue
        for name in _UNIT_NAMES:
            for position, cell in enumerate(row):
                if position not in headers and fold_ascii(header_text(cell)) == fold_ascii(name):
                    unit = position
                    headers[position] = header_text(cell)
                    break
            if unit is not None:
                break
        return WideLayout(i, groups, unit, period, headers)
    return None


def _split_out_of(value: object) -> tuple[object, object]:
    """``"17,5/18"`` -> ``("17,5", "18")``; anything else -> ``(value, None)``."""
    if isinstance(value, str):
        match = _OUT_OF.match(value)
        if match:
            return match.group(1), match.group(2)
    return value, None


def melt(
    rows: Sequence[Sequence[object]], first_row: int, layout: WideLayout, period: str | None
) -> tuple[list[int], dict[str, list[object]]]:
    """Long rows (one per unit and group) of the data rows of a wide sheet.

    Args:
        rows: The data rows (below the header, blank rows and footers removed).
        first_row: Sheet row number of ``rows[0]`` (1-based).
        layout: From :func:`locate_wide`.
        period: Period from the sheet or file name, used when there is no period column.

    Returns:
        (sheet row number of each long row, canonical column -> values).
    """
    numbers: list[int] = []
    out: dict[str, list[object]] = {
        "period": [],
        "unit": [],
        "group_code": [],
        "score": [],
        "max_score": [],
    }
    for offset, row in enumerate(rows):
        if row is None:
            continue
        unit = row[layout.unit] if layout.unit is not None and layout.unit < len(row) else None
        if layout.period is not None and layout.period < len(row):
            row_period = row[layout.period]
        else:
            row_period = period
        for position, code in layout.groups.items():
            value = row[position] if position < len(row) else None
            score, max_score = _split_out_of(value)
            numbers.append(first_row + offset)
            out["period"].append(row_period)
            out["unit"].append(unit)
            out["group_code"].append(code)
            out["score"].append(score)
            out["max_score"].append(max_score)
    return numbers, out
