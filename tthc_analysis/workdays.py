"""Working-day calendar for Vietnam (civil servants).

Working days are Monday to Friday, minus the public holidays and Tết/holiday
arrangements the Government announces each year, plus any Saturday designated as a
swapped working day (e.g. 26/04/2025). Holidays come from the ``holidays`` package
(country ``VN``); a user CSV (``data/reference/calendar_overrides.csv``: ``date`` in
dd/mm/yyyy, ``kind`` = ``off`` | ``work``, ``name``, ``source``) adds days off or working
days that the package does not know yet.

Counting follows the Civil Code 2015, Art 147–148: the first day is not counted, and a
limit that ends on a day off rolls forward to the next working day. All functions accept
scalars or arrays (vectorised with ``numpy.searchsorted`` over the sorted working days).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

import holidays as holidays_lib
import numpy as np
import pandas as pd

from tthc_analysis.errors import InputFileError

__all__ = ["WorkCalendar", "default_calendar", "read_overrides", "require_calendar"]

_FIRST_YEAR = 2015
_LAST_YEAR = 2035


def read_overrides(path: str | Path) -> pd.DataFrame:
    """Read a calendar overrides CSV into ``date``, ``kind``, ``name``, ``source``.

    Raises:
        InputFileError: a row with an invalid date or kind (named by row number).
    """
    path = Path(path)
    rows = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            raw_date = (row.get("date") or "").strip()
            kind = (row.get("kind") or "").strip().lower()
            try:
                day = datetime.strptime(raw_date, "%d/%m/%Y").date()
            except ValueError:
                raise InputFileError(
                    f"Ngày không hợp lệ: «{raw_date}» (cần dạng dd/mm/yyyy).",
                    file=path,
                    row=number,
                    column="date",
                ) from None
            if kind not in {"off", "work"}:
                raise InputFileError(
                    f"Loại ngày không hợp lệ: «{kind}» (chỉ nhận «off» hoặc «work»).",
                    file=path,
                    row=number,
                    column="kind",
                )
            rows.append(
                {
                    "date": day,
                    "kind": kind,
                    "name": (row.get("name") or "").strip(),
                    "source": (row.get("source") or "").strip(),
                }
            )
    return pd.DataFrame(rows, columns=["date", "kind", "name", "source"])


def _to_day64(values) -> np.ndarray:
    """Convert dates/timestamps (scalar or array-like) to ``datetime64[D]``."""
    if isinstance(values, pd.Series | pd.Index):
        return values.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    return np.asarray(pd.to_datetime(values), dtype="datetime64[ns]").astype("datetime64[D]")


class WorkCalendar:
    """Vietnamese working days, with user overrides.

    Args:
        overrides: Extra days (``date``, ``kind`` = ``off``/``work``), e.g. from
            :func:`read_overrides`.
        first_year: First year covered.
        last_year: Last year covered.
    """

    def __init__(
        self,
        overrides: pd.DataFrame | None = None,
        first_year: int = _FIRST_YEAR,
        last_year: int = _LAST_YEAR,
    ) -> None:
        years = range(first_year, last_year + 1)
        vn = holidays_lib.country_holidays("VN", years=years, language="vi")
        self.holidays: dict[date, str] = {d: str(name) for d, name in vn.items()}
        extra_work = {d for d in getattr(vn, "weekend_workdays", set()) if d.year in years}
        self.extra_working_days: set[date] = set(extra_work)
        if overrides is not None and len(overrides):
            for row in overrides.itertuples(index=False):
                day = pd.Timestamp(row.date).date()
                if row.kind == "off":
                    self.holidays[day] = getattr(row, "name", "") or "Ngày nghỉ bổ sung"
                    self.extra_working_days.discard(day)
                else:
                    self.extra_working_days.add(day)
                    self.holidays.pop(day, None)
        all_days = pd.date_range(date(first_year, 1, 1), date(last_year, 12, 31), freq="D")
        weekday = all_days.day_of_week < 5
        off = all_days.isin(pd.to_datetime(sorted(self.holidays)))
        work = all_days.isin(pd.to_datetime(sorted(self.extra_working_days)))
        mask = (weekday & ~off) | work
        self._days = all_days[mask].to_numpy(dtype="datetime64[D]")
        self.first = date(first_year, 1, 1)
        self.last = date(last_year, 12, 31)

    # --- scalar helpers -------------------------------------------------------------

    def is_working_day(self, day: date | datetime) -> bool:
        """Whether ``day`` is a working day."""
        d = np.datetime64(pd.Timestamp(day).date(), "D")
        i = np.searchsorted(self._days, d)
        return bool(i < len(self._days) and self._days[i] == d)

    # --- vectorised -----------------------------------------------------------------

    def _check_range(self, days: np.ndarray) -> None:
        valid = days[~np.isnat(days)]
        if valid.size and (
            valid.min() < np.datetime64(self.first) or valid.max() > np.datetime64(self.last)
        ):
            raise ValueError(
                f"Date outside the working-day calendar ({self.first:%d/%m/%Y}–"
                f"{self.last:%d/%m/%Y})."
            )

    def add_working_days(self, start, n):
        """The date ``n`` working days after ``start`` (the start day is not counted).

        ``n = 0`` rolls ``start`` forward to a working day. Vectorised over ``start`` and
        ``n`` (NaT in, NaT out). Returns ``datetime64[D]`` values (scalar or array).
        """
        days = _to_day64(start)
        self._check_range(days)
        n_arr = np.asarray(n)
        nat = np.isnat(days)
        safe = np.where(nat, np.datetime64(self.first, "D"), days)
        base = np.where(
            n_arr > 0,
            np.searchsorted(self._days, safe, side="right") + n_arr - 1,
            np.searchsorted(self._days, safe, side="left"),
        )
        base = np.clip(base, 0, len(self._days) - 1)
        result = self._days[base]
        result = np.where(nat, np.datetime64("NaT", "D"), result)
        return result[()] if np.ndim(result) == 0 else result

    def roll_forward(self, day):
        """``day`` if it is a working day, else the next working day (BLDS Art 148)."""
        return self.add_working_days(day, 0)

    def count_working_days(self, start, end):
        """Working days in ``(start, end]`` (negative when ``end`` < ``start``).

        Vectorised; NaT in either argument gives NaN.
        """
        a = _to_day64(start)
        b = _to_day64(end)
        self._check_range(a)
        self._check_range(b)
        ia = np.searchsorted(self._days, np.where(np.isnat(a), self._days[0], a), side="right")
        ib = np.searchsorted(self._days, np.where(np.isnat(b), self._days[0], b), side="right")
        counts = (ib - ia).astype("float64")
        counts = np.where(np.isnat(a) | np.isnat(b), np.nan, counts)
        return counts[()] if np.ndim(counts) == 0 else counts

    def working_days_in(self, start: date, end: date) -> list[date]:
        """Working days in ``[start, end]`` as a list of dates."""
        lo = np.searchsorted(self._days, np.datetime64(start, "D"), side="left")
        hi = np.searchsorted(self._days, np.datetime64(end, "D"), side="right")
        return [d.astype(date) for d in self._days[lo:hi]]

    def holidays_table(self, years: Iterable[int]) -> pd.DataFrame:
        """Days off (holidays) and swapped working days of ``years``, for display."""
        wanted = set(years)
        rows = [
            {"date": d, "kind": "off", "name": n}
            for d, n in self.holidays.items()
            if d.year in wanted
        ]
        rows += [
            {"date": d, "kind": "work", "name": "Ngày làm việc bù"}
            for d in self.extra_working_days
            if d.year in wanted
        ]
        return pd.DataFrame(rows, columns=["date", "kind", "name"]).sort_values(
            "date", ignore_index=True
        )


@lru_cache(maxsize=8)
def _cached_calendar(overrides_path: str | None) -> WorkCalendar:
    overrides = None
    if overrides_path and Path(overrides_path).exists():
        overrides = read_overrides(overrides_path)
    return WorkCalendar(overrides)


def require_calendar(calendar: WorkCalendar | None) -> WorkCalendar:
    """``calendar``, or the project's error when a metric function was given none.

    The metric and evaluation functions read no file: the calendar (holidays plus the
    overrides file of the settings) is built where the data are loaded and passed in.

    Raises:
        ParameterError: ``calendar`` is None (the message says where to get one).
    """
    if calendar is None:
        from tthc_analysis.errors import ParameterError

        raise ParameterError(
            "Thiếu lịch ngày làm việc (tham số calendar) để đếm ngày làm việc.",
            hint=(
                "Truyền calendar=page.calendar trong sổ tay, ev.calendar sau evaluate(), "
                "hoặc loading.reference.load_references().calendar."
            ),
        )
    return calendar


def default_calendar(overrides_path: str | Path | None = None) -> WorkCalendar:
    """The calendar with the overrides file from the settings (cached per file)."""
    if overrides_path is None:
        from tthc_analysis.config import load_settings

        settings = load_settings()
        overrides_path = settings.reference_path(settings.calendar_overrides)
    return _cached_calendar(str(overrides_path) if overrides_path else None)
