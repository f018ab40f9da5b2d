"""Reporting periods: month, quarter, 6 months, 9 months, year and custom ranges.

Two kinds of window exist (domain.md §2.2):

- ``official``: the reporting window of ND 09/2019 practice, from the 15th of the
  previous period's last month to the 14th (e.g. Quý I/2025 = 15/12/2024–14/03/2025,
  Năm 2025 = 15/12/2024–14/12/2025);
- ``calendar``: the natural calendar range (01/01/2025–31/03/2025).

Which one a report uses is a parameter (``Settings.report_window``) and is shown in the
report header via :attr:`Period.label_vi`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from tthc_analysis.errors import ParameterError

__all__ = [
    "PERIOD_CHOICES",
    "Period",
    "Window",
    "month_periods",
    "parse_period",
    "quarter_periods",
    "report_period",
]

Window = Literal["official", "calendar"]
PeriodKind = Literal["month", "quarter", "half", "nine_months", "year", "custom"]

PERIOD_CHOICES = "q1|q2|q3|q4|h1|9m|year|YYYY-MM|dd/mm/yyyy-dd/mm/yyyy"
"""Accepted period texts (case-insensitive) for :func:`parse_period` and the CLI."""

_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def _month_end(year: int, month: int) -> date:
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def _official_start(year: int, month: int) -> date:
    """The 15th of the month before ``month`` of ``year``."""
    return date(year - 1, 12, 15) if month == 1 else date(year, month - 1, 15)


@dataclass(frozen=True)
class Period:
    """A reporting period with inclusive start and end dates.

    Attributes:
        period_id: Stable id: ``2025-Q1``, ``2025-H1``, ``2025-9M``, ``2025-Y``,
            ``2025-03`` or ``2025-01-01..2025-02-15`` (custom).
        kind: ``month``, ``quarter``, ``half``, ``nine_months``, ``year`` or ``custom``.
        year: The plan year the period belongs to.
        start: First day (inclusive).
        end: Last day (inclusive).
        window: ``official`` or ``calendar`` (``calendar`` for custom ranges).
        name_vi: Vietnamese name, e.g. "Quý I/2025".
    """

    period_id: str
    kind: PeriodKind
    year: int
    start: date
    end: date
    window: Window
    name_vi: str

    @property
    def label_vi(self) -> str:
        """Name with the dates, e.g. "Quý I/2025 (15/12/2024 – 14/03/2025)"."""
        return f"{self.name_vi} ({self.start:%d/%m/%Y} – {self.end:%d/%m/%Y})"

    @property
    def window_vi(self) -> str:
        """Vietnamese description of the window kind."""
        if self.window == "official":
            return "kỳ báo cáo chính thức (từ ngày 15 tháng trước đến ngày 14)"
        return "theo tháng dương lịch"

    def contains(self, day: date) -> bool:
        """Whether ``day`` falls in the period."""
        return self.start <= day <= self.end

    def clipped(self, as_of: date) -> Period:
        """The period cut at ``as_of`` (period to date); unchanged if it ends earlier.

        Raises:
            ParameterError: ``as_of`` is before the period starts.
        """
        if as_of >= self.end:
            return self
        if as_of < self.start:
            raise ParameterError(
                f"Ngày chốt số liệu {as_of:%d/%m/%Y} trước ngày bắt đầu kỳ {self.label_vi}."
            )
        return Period(
            self.period_id,
            self.kind,
            self.year,
            self.start,
            as_of,
            self.window,
            f"{self.name_vi}, lũy kế đến {as_of:%d/%m/%Y}",
        )


def _month(year: int, month: int, window: Window) -> Period:
    if window == "official":
        start, end = _official_start(year, month), date(year, month, 14)
    else:
        start, end = date(year, month, 1), _month_end(year, month)
    return Period(
        f"{year}-{month:02d}", "month", year, start, end, window, f"Tháng {month:02d}/{year}"
    )


def _span(year: int, first_month: int, last_month: int, window: Window) -> tuple[date, date]:
    if window == "official":
        return _official_start(year, first_month), date(year, last_month, 14)
    return date(year, first_month, 1), _month_end(year, last_month)


def _quarter(year: int, quarter: int, window: Window) -> Period:
    start, end = _span(year, 3 * quarter - 2, 3 * quarter, window)
    return Period(
        f"{year}-Q{quarter}", "quarter", year, start, end, window, f"Quý {_ROMAN[quarter]}/{year}"
    )


def _half(year: int, window: Window) -> Period:
    start, end = _span(year, 1, 6, window)
    return Period(f"{year}-H1", "half", year, start, end, window, f"6 tháng đầu năm {year}")


def _nine_months(year: int, window: Window) -> Period:
    start, end = _span(year, 1, 9, window)
    return Period(f"{year}-9M", "nine_months", year, start, end, window, f"9 tháng năm {year}")


def _year(year: int, window: Window) -> Period:
    start, end = _span(year, 1, 12, window)
    return Period(f"{year}-Y", "year", year, start, end, window, f"Năm {year}")


_CUSTOM = re.compile(
    r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*(?:-|–|\.\.|đến)\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$"
)


def parse_period(text: str, year: int, window: Window = "official") -> Period:
    """Parse a period text for ``year``.

    Accepted (case-insensitive): ``q1``–``q4``, ``h1`` (6 months), ``9m``, ``year``
    (or ``y``/``nam``), ``YYYY-MM`` or ``MM``/``mMM`` (a month), and a custom range
    ``dd/mm/yyyy-dd/mm/yyyy`` (always a calendar range).

    Raises:
        ParameterError: the text is none of these, or names another year.
    """
    t = text.strip().lower()
    if t in {"q1", "q2", "q3", "q4"}:
        return _quarter(year, int(t[1]), window)
    if t in {"h1", "6m", "6t"}:
        return _half(year, window)
    if t in {"9m", "9t"}:
        return _nine_months(year, window)
    if t in {"year", "y", "nam", "năm"}:
        return _year(year, window)
    m = re.fullmatch(r"(?:(\d{4})-)?m?(\d{1,2})", t)
    if m and 1 <= int(m.group(2)) <= 12:
        if m.group(1) and int(m.group(1)) != year:
            raise ParameterError(f"Kỳ «{text}» không thuộc năm {year}.")
        return _month(year, int(m.group(2)), window)
    m = _CUSTOM.match(text)
    if m:
        try:
            start = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            end = date(int(m.group(6)), int(m.group(5)), int(m.group(4)))
        except ValueError:
            raise ParameterError(f"Khoảng ngày «{text}» có ngày không tồn tại.") from None
        if end < start:
            raise ParameterError(f"Khoảng ngày «{text}»: ngày kết thúc trước ngày bắt đầu.")
        return Period(
            f"{start.isoformat()}..{end.isoformat()}",
            "custom",
            year,
            start,
            end,
            "calendar",
            f"Từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}",
        )
    raise ParameterError(
        f"Không hiểu kỳ «{text}».",
        hint=f"Dùng một trong: {PERIOD_CHOICES}.",
    )


def month_periods(year: int, window: Window = "official") -> list[Period]:
    """The twelve months of ``year``."""
    return [_month(year, m, window) for m in range(1, 13)]


def quarter_periods(year: int, window: Window = "official") -> list[Period]:
    """The four quarters of ``year``."""
    return [_quarter(year, q, window) for q in range(1, 5)]


def report_period(period_id: str, year: int, window: Window = "official") -> Period:
    """The period of a periodic report code: ``Q1``, ``H1``, ``9M``, ``Q4``, ``Y``, ``M01``…``M12``."""
    code = period_id.strip().upper()
    if code in {"Q1", "Q2", "Q3", "Q4"}:
        return _quarter(year, int(code[1]), window)
    if code == "H1":
        return _half(year, window)
    if code == "9M":
        return _nine_months(year, window)
    if code == "Y":
        return _year(year, window)
    if re.fullmatch(r"M(0[1-9]|1[0-2])", code):
        return _month(year, int(code[1:]), window)
    raise ParameterError(f"Mã kỳ báo cáo không hợp lệ: «{period_id}».")
