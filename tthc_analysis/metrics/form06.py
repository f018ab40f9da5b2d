"""Form 06/VPCP/KSTT: "Tình hình, kết quả giải quyết TTHC" (TT 01/2020/TT-VPCP).

One row per field (lĩnh vực), sorted in Vietnamese alphabetical order, plus a total row
("Tổng cộng"); 13 columns (domain.md §2.1):

====  ==================  ===========================================================
col   column              meaning
====  ==================  ===========================================================
1     ``stt``             row number (empty on the total row)
2     ``field``           the field (or the ``by`` key)
3     ``received_total``  in scope: received in the period + carried over = (4)+(5)+(6)
4     ``received_online`` received in the period online
5     ``received_offline`` received in the period in person or by post (a known
                          channel other than online)
6     ``carried_over``    received before the period, not finished before it
7     ``finished_total``  finished in the period = (8)+(9)+(10)
8-10  ``finished_early``, ``finished_on_time``, ``finished_overdue``
11    ``pending_total``   pending at the cut-off = (12)+(13)
12-13 ``pending_in_time``, ``pending_overdue``
====  ==================  ===========================================================

Dossiers are classified by :mod:`tthc_analysis.metrics.dossiers` with ``use="form06"``:
not received dossiers (only registered, refused at the counter) are in no column;
dossiers waiting for the applicant at the cut-off are in (12) unless the clock had run
out before the request; a due date on a day off is moved to the next working day; the
withdrawn and returned-without-result dossiers follow the ``form06`` policies of the
settings (issue 12).

**Unknown channel (issue 11: never guessed).** A dossier received in the period whose
channel is missing (the one-stop system's list has no channel column; a value outside
the vocabulary was set missing at loading) cannot be placed in (4) or (5). It is counted
in (3) and in the outcome columns (7)-(13), and in an extra column
:data:`CHANNEL_UNKNOWN` (``received_channel_unknown``, not part of the official form),
so that (3) = (4)+(5)+(6)+(unknown). :func:`channel_unknown_note_vi` says how many and
where; the CSV export adds the column and the xlsx export the note when it is not zero.

The identities (3) = (4)+(5)+(6)+(unknown), (7) = (8)+(9)+(10), (11) = (12)+(13) and
(3) = (7)+(11) hold for every row by construction: each in-scope dossier is counted once
in (4), (5), (unknown) or (6) and once in exactly one of (8), (9), (10), (12), (13).
Without unknown channels they are the form's identities.
:func:`tthc_analysis.review.form06_export.write_form06` writes the form with the official two-level header (xlsx) or flat
Vietnamese headers (CSV, UTF-8 with BOM); both are byte-for-byte reproducible.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tthc_analysis.config import DossierRules
from tthc_analysis.metrics.dossiers import (
    EARLY,
    ON_TIME,
    OVERDUE,
    PENDING_IN_TIME,
    PENDING_OVERDUE,
    UNKNOWN_LABEL,
    DossierData,
    as_dossier_data,
    optional_column,
)
from tthc_analysis.periods import Period
from tthc_analysis.text import format_number, vi_sort_key
from tthc_analysis.workdays import WorkCalendar
from tthc_analysis.xlsx import Sheet, protect_csv_frame

__all__ = [
    "CHANNEL_UNKNOWN",
    "COUNT_COLUMNS",
    "CSV_PERIOD_HEADERS",
    "FORM06_COLUMNS",
    "FORM06_TITLE",
    "TOTAL_LABEL",
    "channel_unknown_note_vi",
    "check_identities",
    "form06",
    "form06_csv_headers",
    "form06_csv_frame",
    "form06_header_rows",
    "form06_sheet",
]

FORM06_TITLE = (
    "Biểu số 06/VPCP/KSTT – TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH "
    "TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC"
)
DEFAULT_AGENCY = "Sở Giáo dục và Đào tạo"
UNIT_OF_COUNT = "Đơn vị tính: Số hồ sơ TTHC"
TOTAL_LABEL = "Tổng cộng"

COUNT_COLUMNS = (
    "received_total",
    "received_online",
    "received_offline",
    "carried_over",
    "finished_total",
    "finished_early",
    "finished_on_time",
    "finished_overdue",
    "pending_total",
    "pending_in_time",
    "pending_overdue",
)
"""Columns 3 to 13, in order."""

FORM06_COLUMNS = ("stt", "field", *COUNT_COLUMNS)
"""The 13 columns with ``by="field"`` (column 2 is named after the ``by`` key)."""

CHANNEL_UNKNOWN = "received_channel_unknown"
"""Extra column after the 13: received in the period, channel unknown (in (3), not in
(4) or (5))."""
CHANNEL_UNKNOWN_HEADER = "Chưa rõ kênh nộp (ngoài biểu; đã tính ở cột 3, không ở cột 4, 5)"

_LABEL_HEADERS = {
    "field": "Lĩnh vực, công việc giải quyết theo cấp",
    "unit": "Đơn vị giải quyết",
    "procedure_code": "Mã thủ tục hành chính",
}
_GROUP_RECEIVED = "Số hồ sơ nhận giải quyết"
_GROUP_FINISHED = "Số hồ sơ đã giải quyết"
_GROUP_PENDING = "Số hồ sơ đang giải quyết"
_IN_WHICH = "Trong đó"
_SUB_HEADERS = (
    "Tổng số",
    "Trực tuyến",
    "Trực tiếp, dịch vụ bưu chính",
    "Từ kỳ trước",
    "Tổng số",
    "Trước hạn",
    "Đúng hạn",
    "Quá hạn",
    "Tổng số",
    "Trong hạn",
    "Quá hạn",
)


def form06(
    dossiers: pd.DataFrame | DossierData,
    period: Period,
    calendar: WorkCalendar | None = None,
    rules: DossierRules | None = None,
    by: str = "field",
    procedures: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Form 06/VPCP/KSTT counts for ``period``: one row per ``by`` value plus the total.

    Args:
        dossiers: Canonical dossiers frame, or a :class:`~tthc_analysis.metrics.dossiers.DossierData`.
        period: The reporting period (its last day is the cut-off).
        calendar: Working-day calendar; default from the settings.
        rules: Dossier rules; default ``Settings.dossiers``.
        by: Dossier column giving the rows: ``field`` (lĩnh vực, the official layout),
            ``unit`` or ``procedure_code``.
        procedures: Optional catalogue, used when a dossier's ``by`` value is empty.
            Still-empty values are grouped as "Chưa xác định".

    Returns:
        Columns ``stt`` (Int64, empty on the total row), ``<by>`` (label), the eleven
        :data:`COUNT_COLUMNS` and :data:`CHANNEL_UNKNOWN` (int64). Rows sorted in
        Vietnamese order, "Chưa xác định" last, then "Tổng cộng".

    Raises:
        ParameterError: the dossiers have no column ``by``.
    """
    data = as_dossier_data(dossiers, procedures, calendar, rules)
    group, uniques = data.labels(by)
    p = data.pairs([period])
    k = len(uniques)
    codes = group[p.row]

    online = data.prep.online[p.row]
    known = _channel_known(data)[p.row]
    # 0 online, 1 in person or by post, 2 carried over, 3 received with an unknown channel
    channel = np.where(p.received, np.where(online, 0, np.where(known, 1, 3)), 2)
    received = np.bincount(codes * 4 + channel, minlength=k * 4).reshape(k, 4)
    outcomes = np.bincount(codes * 5 + p.outcome, minlength=k * 5).reshape(k, 5)
    table = pd.DataFrame(
        {
            "received_online": received[:, 0],
            "received_offline": received[:, 1],
            "carried_over": received[:, 2],
            "finished_early": outcomes[:, EARLY],
            "finished_on_time": outcomes[:, ON_TIME],
            "finished_overdue": outcomes[:, OVERDUE],
            "pending_in_time": outcomes[:, PENDING_IN_TIME],
            "pending_overdue": outcomes[:, PENDING_OVERDUE],
            CHANNEL_UNKNOWN: received[:, 3],
        }
    )
    table.insert(0, by, uniques)
    used = outcomes.sum(axis=1) > 0
    order = sorted(
        np.flatnonzero(used), key=lambda i: (uniques[i] == UNKNOWN_LABEL, vi_sort_key(uniques[i]))
    )
    table = table.iloc[order].reset_index(drop=True)
    total = pd.DataFrame({c: [int(table[c].sum())] for c in table.columns[1:]})
    total.insert(0, by, TOTAL_LABEL)
    table = pd.concat([table, total], ignore_index=True)
    table["received_total"] = (
        table["received_online"]
        + table["received_offline"]
        + table["carried_over"]
        + table[CHANNEL_UNKNOWN]
    )
    table["finished_total"] = (
        table["finished_early"] + table["finished_on_time"] + table["finished_overdue"]
    )
    table["pending_total"] = table["pending_in_time"] + table["pending_overdue"]
    table.insert(0, "stt", pd.array([*range(1, len(order) + 1), pd.NA], dtype="Int64"))
    table[by] = table[by].astype(str)
    counts = [*COUNT_COLUMNS, CHANNEL_UNKNOWN]
    table[counts] = table[counts].astype("int64")
    return table[["stt", by, *counts]]


def _channel_known(data: DossierData) -> np.ndarray:
    """Whether each dossier's channel is known (a missing channel is never guessed)."""
    known = data.memo.get("form06_channel_known")
    if not isinstance(known, np.ndarray):
        channel = optional_column(data.frame, "channel")
        if channel is None:
            known = np.zeros(len(data.frame), dtype=bool)
        else:
            known = channel.notna().to_numpy(dtype=bool)
        data.memo["form06_channel_known"] = known
    return known


def channel_unknown_note_vi(table: pd.DataFrame) -> str | None:
    """What the form says about the dossiers it could not place by channel, or ``None``.

    Example: "3 hồ sơ tiếp nhận trong kỳ chưa rõ kênh nộp (…): đã tính ở cột (3) và các
    cột kết quả, không tính vào cột (4) «Trực tuyến» hay (5) «Trực tiếp, dịch vụ bưu
    chính»; theo dòng: Thi, tuyển sinh 2; Văn bằng, chứng chỉ 1."
    """
    if CHANNEL_UNKNOWN not in table or not len(table):
        return None
    total = int(table[CHANNEL_UNKNOWN].iloc[-1])
    if not total:
        return None
    label = _label_column(table)
    body = table.iloc[:-1]
    rows = [
        f"{name} {format_number(int(n))}"
        for name, n in zip(body[label], body[CHANNEL_UNKNOWN], strict=True)
        if n
    ]
    return (
        f"{format_number(total)} hồ sơ tiếp nhận trong kỳ chưa rõ kênh nộp (dữ liệu không có "
        "cột kênh nộp hoặc giá trị không nhận ra): đã tính ở cột (3) và các cột kết quả, "
        "không tính vào cột (4) «Trực tuyến» hay (5) «Trực tiếp, dịch vụ bưu chính», nên "
        f"(3) = (4) + (5) + (6) + {format_number(total)}; theo dòng: " + "; ".join(rows) + "."
    )


def check_identities(table: pd.DataFrame) -> pd.DataFrame:
    """Rows of a form 06 table that break one of the four identities (empty if none).

    With the :data:`CHANNEL_UNKNOWN` column, (3) = (4) + (5) + (6) + (unknown channel).
    """
    c = table
    unknown = c.get(CHANNEL_UNKNOWN, 0)
    ok = (
        (
            c["received_total"]
            == c["received_online"] + c["received_offline"] + c["carried_over"] + unknown
        )
        & (
            c["finished_total"]
            == c["finished_early"] + c["finished_on_time"] + c["finished_overdue"]
        )
        & (c["pending_total"] == c["pending_in_time"] + c["pending_overdue"])
        & (c["received_total"] == c["finished_total"] + c["pending_total"])
    )
    return table[~ok]


def _label_column(table: pd.DataFrame) -> str:
    return table.columns[1]


def form06_csv_headers(label_column: str = "field") -> list[str]:
    """Flat Vietnamese headers of the 13 columns (as written in the CSV)."""
    groups = [_GROUP_RECEIVED] * 4 + [_GROUP_FINISHED] * 4 + [_GROUP_PENDING] * 3
    label = _LABEL_HEADERS.get(label_column, label_column)
    return ["STT", label] + [f"{g} - {s}" for g, s in zip(groups, _SUB_HEADERS, strict=True)]


def _header_rows(label_column: str) -> tuple[list[list[str]], list[tuple[int, int, int, int]]]:
    label = _LABEL_HEADERS.get(label_column, label_column)
    top = ["STT", label, _GROUP_RECEIVED, "", "", "", _GROUP_FINISHED, "", "", ""]
    top += [_GROUP_PENDING, "", ""]
    middle = ["", "", "Tổng số", _IN_WHICH, "", "", *_SUB_HEADERS[4:]]
    bottom = ["", "", "", *_SUB_HEADERS[1:4], *[""] * 7]
    numbers = [f"({i})" for i in range(1, 14)]
    merges = [
        (0, 0, 2, 0),  # STT
        (0, 1, 2, 1),  # Lĩnh vực
        (0, 2, 0, 5),  # Số hồ sơ nhận giải quyết
        (0, 6, 0, 9),  # Số hồ sơ đã giải quyết
        (0, 10, 0, 12),  # Số hồ sơ đang giải quyết
        (1, 2, 2, 2),  # Tổng số (received)
        (1, 3, 1, 5),  # Trong đó
        *[(1, c, 2, c) for c in range(6, 13)],
    ]
    return [top, middle, bottom, numbers], merges


CSV_PERIOD_HEADERS = ("Kỳ báo cáo", "Từ ngày", "Đến ngày")
"""Columns the CSV adds after the 13 official ones: period name, first and last day."""


def period_line(period: Period) -> str:
    """The period line of the form, e.g. "Kỳ báo cáo: Quý I/2025 (Từ ngày … đến ngày …)"."""
    return (
        f"Kỳ báo cáo: {period.name_vi} "
        f"(Từ ngày {period.start:%d/%m/%Y} đến ngày {period.end:%d/%m/%Y})"
    )


def form06_csv_frame(frame: pd.DataFrame, period: Period) -> pd.DataFrame:
    """A :func:`form06` table as its CSV rows (written by ``review.form06_export``).

    The flat headers of :func:`form06_csv_headers` followed by three period columns
    (:data:`CSV_PERIOD_HEADERS`: "Quý I/2025", "15/12/2024", "14/03/2025", the same on
    every row), then, when some dossiers have an unknown channel, the column
    :data:`CHANNEL_UNKNOWN_HEADER` with their number per row; text starting with ``=``, ``+``, ``-`` or ``@`` is prefixed with an
    apostrophe (:func:`tthc_analysis.xlsx.protect_csv_cell`).
    """
    label_column = _label_column(frame)
    flat = frame[list(frame.columns[:13])].copy()
    flat.columns = form06_csv_headers(label_column)
    period_values = (period.name_vi, f"{period.start:%d/%m/%Y}", f"{period.end:%d/%m/%Y}")
    for header, value in zip(CSV_PERIOD_HEADERS, period_values, strict=True):
        flat[header] = value
    if channel_unknown_note_vi(frame):  # only then: the form's own columns stay as they are
        flat[CHANNEL_UNKNOWN_HEADER] = frame[CHANNEL_UNKNOWN].to_numpy()
    return protect_csv_frame(flat)  # a field name such as "=HYPERLINK(...)" stays text


def form06_sheet(frame: pd.DataFrame, period: Period, agency: str = DEFAULT_AGENCY) -> Sheet:
    """A :func:`form06` table as its xlsx sheet (written by ``review.form06_export``).

    The title, the agency, the period with its dates, the unit of count, the official
    header (merged cells) with the column-number row (1)…(13), and a note with the
    identities (and, when some dossiers have an unknown channel,
    :func:`channel_unknown_note_vi`).
    """
    headers, merges = _header_rows(_label_column(frame))
    unknown = channel_unknown_note_vi(frame)
    return Sheet(
        name="Biểu 06",
        frame=frame[list(frame.columns[:13])],
        title_lines=[FORM06_TITLE, agency, period_line(period), UNIT_OF_COUNT],
        header_rows=headers,
        merges=merges,
        column_widths={0: 6, 1: 40, **{c: 12 for c in range(2, 13)}},
        footer_lines=[
            "Ghi chú: (3) = (4) + (5) + (6) = (7) + (11); (7) = (8) + (9) + (10); "
            "(11) = (12) + (13).",
            f"Hồ sơ đang giải quyết tính tại ngày {period.end:%d/%m/%Y}.",
            *([f"Lưu ý: {unknown}"] if unknown else []),
        ],
    )


def form06_header_rows(label_column: str = "field"):
    """The official header of the form: four rows (with (1)…(13)) and the merged ranges.

    Returns:
        ``(rows, merges)``: rows of 13 texts, and ``(first_row, first_col, last_row,
        last_col)`` ranges (0-based) to merge, as the xlsx writer and the Word draft use them.
    """
    return _header_rows(label_column)
