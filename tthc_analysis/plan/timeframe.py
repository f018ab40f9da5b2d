"""Timeframe text -> cadence and deadline.

The plan's "Thời gian thực hiện" column is free text. :func:`parse_timeframe` maps the
usual wordings to a cadence code and, for one-off tasks, a deadline:

=====================================================  ==============  =====================
text (case, spacing and diacritics are ignored)        cadence         deadline
=====================================================  ==============  =====================
Thường xuyên; Thường xuyên, liên tục; Liên tục         ``ongoing``
Hàng tháng / Hằng tháng / Định kỳ hàng tháng           ``monthly``
Hàng quý / Định kỳ hàng quý / Mỗi quý / Theo quý       ``quarterly``
Theo yêu cầu (của cấp trên); Khi có yêu cầu; Đột xuất  ``on_request``
Hoàn thành T6/2025; Tháng 6/2025; tháng 06 năm 2025    ``deadline``    last day of the month
Quý II/2025; Quý 2/2025; quý II năm 2025               ``deadline``    last day of the quarter
6 tháng đầu năm (2025) / 6 tháng cuối năm              ``deadline``    30/06 / 31/12
Trước ngày 15/12/2025; trước 15/12/2025; 15/12/2025    ``deadline``    that day
Năm 2025; Trong năm 2025; Đến hết năm 2025             ``deadline``    31/12
=====================================================  ==============  =====================

Month, quarter and date forms may be preceded by "Hoàn thành", "Trong", "Chậm nhất",
"Hạn" or "Đến hết". A missing year is taken from ``plan_year``; without it the text is
unparsed. Anything else - including ambiguous wordings such as "Trước tháng 6/2025" and
impossible dates such as 31/02 - is ``unparsed``: kept as written, never guessed.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from tthc_analysis.text import fold_ascii, format_date, nfc

__all__ = ["CADENCE_LABELS_VI", "Timeframe", "parse_timeframe"]

CADENCE_LABELS_VI = {
    "ongoing": "Thường xuyên",
    "monthly": "Hàng tháng",
    "quarterly": "Hàng quý",
    "deadline": "Có thời hạn",
    "on_request": "Theo yêu cầu",
    "unparsed": "Chưa xác định",
}
"""Vietnamese labels of the cadence codes."""


@dataclass(frozen=True)
class Timeframe:
    """The meaning of a timeframe text.

    Attributes:
        text: The text as written (NFC, trimmed).
        cadence: One of ``ongoing``, ``monthly``, ``quarterly``, ``deadline``,
            ``on_request``, ``unparsed``.
        deadline: The due date when ``cadence == "deadline"``, else ``None``.
        parsed: ``False`` when the text fits no known wording.
        note: A Vietnamese explanation (how it was read, or why not).
    """

    text: str
    cadence: str
    deadline: date | None
    parsed: bool
    note: str


_LEAD = r"(?:(?:hoan thanh|cham nhat|han(?: chot)?|thuc hien)\s+)?(?:(?:trong|den het)\s+)?"
_YEAR = r"(?:\s*[/.-]\s*|\s+nam\s+|\s+)(\d{4})"
_YEAR_SUFFIX = r"(?:\s+(?:trong\s+)?nam(?:\s+\d{4})?|\s+\d{4})?"

_ONGOING = re.compile(
    rf"(?:thuc hien\s+)?(?:thuong xuyen(?:,?\s*lien tuc)?|lien tuc){_YEAR_SUFFIX}"
)
_MONTHLY = re.compile(rf"(?:thuc hien\s+)?(?:dinh ky,?\s+)?(?:hang|moi)\s+thang{_YEAR_SUFFIX}")
_QUARTERLY = re.compile(
    rf"(?:thuc hien\s+)?(?:dinh ky,?\s+)?(?:(?:hang|moi|theo)\s+quy|dinh ky quy){_YEAR_SUFFIX}"
)
_ON_REQUEST = re.compile(
    r"(?:(?:dot xuat|khi co|thuc hien)\s+)?(?:theo\s+)?yeu cau(?:\s+cua\s+.+)?"
    r"|dot xuat(?:,?\s+theo\s+yeu cau(?:\s+cua\s+.+)?)?"
)
_MONTH = re.compile(rf"{_LEAD}(?:thang|t)\s*(\d{{1,2}})(?:{_YEAR})?|{_LEAD}(\d{{1,2}})/(\d{{4}})")
_QUARTER = re.compile(rf"{_LEAD}quy\s*(iv|iii|ii|i|[1-4])(?:{_YEAR})?")
_HALF = re.compile(rf"{_LEAD}(?:6|sau) thang (dau|cuoi) nam(?:\s+(\d{{4}}))?")
_YEAR_ONLY = re.compile(rf"{_LEAD}nam\s+(\d{{4}})")
_DATE_LEAD = (
    r"(?:(?:hoan thanh|cham nhat|han(?: chot)?)\s+)?(?:(?:truoc|den|vao|trong)\s+)?(?:ngay\s+)?"
)
_DATE_NUMERIC = re.compile(
    rf"{_DATE_LEAD}(\d{{1,2}})\s*[/.-]\s*(\d{{1,2}})(?:\s*[/.-]\s*(\d{{4}}))?"
)
_DATE_WORDS = re.compile(rf"{_DATE_LEAD}(\d{{1,2}})\s+thang\s+(\d{{1,2}})(?:\s+nam\s+(\d{{4}}))?")
_QUARTER_NO = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_EXAMPLES = "«Thường xuyên», «Hàng quý», «Quý II/2025», «Tháng 6/2025», «Trước ngày 15/12/2025»"


def _clean(text: str) -> str:
    folded = fold_ascii(text)
    folded = re.sub(r"\s*/\s*", "/", folded)
    return folded.strip(" .;:,")


def _unparsed(text: str, why: str) -> Timeframe:
    return Timeframe(text, "unparsed", None, False, why)


def _year(group: str | None, plan_year: int | None) -> int | None:
    if group:
        value = int(group)
        return value if 1900 <= value <= 2100 else None
    return plan_year


def _deadline(text: str, day: date, how: str) -> Timeframe:
    return Timeframe(text, "deadline", day, True, f"Hạn {format_date(day)} ({how}).")


def _month_or_quarter(text: str, s: str, plan_year: int | None) -> Timeframe | None:
    if (m := _QUARTER.fullmatch(s)) is not None:
        quarter = _QUARTER_NO[m.group(1)]
        year = _year(m.group(2), plan_year)
        if year is None:
            return _unparsed(text, f"«{text}»: không rõ năm của quý.")
        month = 3 * quarter
        end = date(year, month, calendar.monthrange(year, month)[1])
        return _deadline(text, end, f"cuối quý {quarter}/{year}")
    if (m := _MONTH.fullmatch(s)) is not None:
        month = int(m.group(1) or m.group(3))
        year = _year(m.group(2) or m.group(4), plan_year)
        if not 1 <= month <= 12:
            return _unparsed(text, f"«{text}»: tháng {month} không tồn tại.")
        if year is None:
            return _unparsed(text, f"«{text}»: không rõ năm.")
        end = date(year, month, calendar.monthrange(year, month)[1])
        return _deadline(text, end, f"cuối tháng {month}/{year}")
    return None


def _dated(text: str, s: str, plan_year: int | None) -> Timeframe | None:
    m = _DATE_NUMERIC.fullmatch(s) or _DATE_WORDS.fullmatch(s)
    if m is not None:
        year = _year(m.group(3), plan_year)
        if year is None:
            return _unparsed(text, f"«{text}»: không rõ năm.")
        try:
            day = date(year, int(m.group(2)), int(m.group(1)))
        except ValueError:
            return _unparsed(text, f"«{text}»: ngày không tồn tại.")
        return _deadline(text, day, "ngày ghi trong kế hoạch")
    if (m := _HALF.fullmatch(s)) is not None:
        year = _year(m.group(2), plan_year)
        if year is None:
            return _unparsed(text, f"«{text}»: không rõ năm.")
        if m.group(1) == "dau":
            return _deadline(text, date(year, 6, 30), f"hết 6 tháng đầu năm {year}")
        return _deadline(text, date(year, 12, 31), f"hết năm {year}")
    if (m := _YEAR_ONLY.fullmatch(s)) is not None:
        year = _year(m.group(1), None)
        if year is None:
            return _unparsed(text, f"«{text}»: năm không hợp lệ.")
        return _deadline(text, date(year, 12, 31), f"hết năm {year}")
    return None


def parse_timeframe(text: object, plan_year: int | None = None) -> Timeframe:
    """Read a timeframe text as a cadence and, for one-off tasks, a deadline.

    Args:
        text: The "Thời gian thực hiện" cell. Non-text values count as empty.
        plan_year: The plan's year, used when the text gives no year ("Quý II",
            "Trước ngày 15/12").

    Returns:
        A :class:`Timeframe`. Never raises: text that fits no known wording gives
        ``cadence="unparsed"`` and ``parsed=False`` with the reason in ``note``.
    """
    raw = " ".join(nfc(text).split()) if isinstance(text, str) else ""
    s = _clean(raw)
    if not s:
        return _unparsed(raw, "Chưa ghi thời gian thực hiện.")
    for pattern, cadence in (
        (_ONGOING, "ongoing"),
        (_MONTHLY, "monthly"),
        (_QUARTERLY, "quarterly"),
        (_ON_REQUEST, "on_request"),
    ):
        if pattern.fullmatch(s):
            label = CADENCE_LABELS_VI[cadence]
            return Timeframe(raw, cadence, None, True, f"{label}.")
    found = _month_or_quarter(raw, s, plan_year) or _dated(raw, s, plan_year)
    if found is not None:
        return found
    return _unparsed(
        raw,
        f"Không nhận ra thời gian thực hiện «{raw}»; cần ghi theo một mẫu như {_EXAMPLES}.",
    )
