"""The parameters of an evaluation, parsed, checked and defaulted in one place.

:class:`EvaluationParams` is what the CLI (``tthc evaluate``, ``tthc review``), the review
build (:class:`tthc_analysis.views.context.ReviewParams`) and the notebooks
(:func:`tthc_analysis.views.page.open_page`) turn their inputs into; no other module parses
a year, an as-of date, a period or a list of units. Bad values raise
:class:`tthc_analysis.errors.ParameterError` with a Vietnamese message naming the value
and what is accepted (the CLI prints it and exits with code 2).

Conventions (unchanged from the evaluation's documented ones):

- ``year``: the plan year, :data:`YEAR_RANGE` inclusive.
- ``period``: a period text of :func:`tthc_analysis.periods.parse_period` in the reporting
  ``window`` (``official`` 15th–14th or ``calendar``).
- ``as_of``: ``YYYY-MM-DD`` or ``dd/mm/yyyy`` text, a date or a timestamp; default 31/12
  of the year for the whole year, else the period's last day. It may not be before the
  period starts nor after 31/12 of the following year (a December notice is due in
  January).
- ``units``: canonical unit names (:func:`tthc_analysis.plan.units.normalise_unit`), or
  ``None`` for all units.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import cast

import pandas as pd

from tthc_analysis.errors import ParameterError
from tthc_analysis.periods import Period, Window, parse_period

__all__ = [
    "AS_OF_FORMATS",
    "WINDOWS",
    "YEAR_RANGE",
    "EvaluationParams",
    "default_as_of",
    "parse_as_of",
]

YEAR_RANGE = (2000, 2100)
"""First and last plan year accepted."""

WINDOWS: tuple[Window, ...] = ("official", "calendar")
"""Reporting windows (:mod:`tthc_analysis.periods`)."""

AS_OF_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
"""Accepted as-of date texts."""


def parse_as_of(value: object) -> date | None:
    """``None``/empty text, a date, a timestamp, or ``YYYY-MM-DD``/``dd/mm/yyyy`` text.

    Raises:
        ParameterError: text in neither form, or a date that does not exist.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        for fmt in AS_OF_FORMATS:
            try:
                return datetime.strptime(value.strip(), fmt).date()
            except ValueError:
                continue
        raise ParameterError(
            f"Ngày chốt số liệu không hợp lệ: «{value}».",
            hint="Dùng dạng YYYY-MM-DD hoặc dd/mm/yyyy, ví dụ 2025-12-31 hoặc 31/12/2025.",
        )
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        stamp = pd.Timestamp(cast(str, value))
    except (TypeError, ValueError):
        stamp = pd.NaT
    if not isinstance(stamp, pd.Timestamp):  # NaT
        raise ParameterError(f"Ngày chốt số liệu không hợp lệ: «{value}».")
    return stamp.date()


def default_as_of(period: Period) -> date:
    """Default as-of date: 31/12 of the year for the whole year, else the period's last day.

    The plan's tasks run to the end of December, so a year evaluation is judged at 31/12
    (e.g. 14/03/2025 for Quý I in official windows).
    """
    if period.kind == "year":
        return date(period.year, 12, 31)
    return period.end


def _parse_year(value: object) -> int:
    low, high = YEAR_RANGE
    try:
        year = int(str(value).strip()) if not isinstance(value, int) else value
    except ValueError:
        year = None
    if year is None or isinstance(value, bool) or not low <= year <= high:
        raise ParameterError(
            f"Năm kế hoạch không hợp lệ: «{value}».",
            hint=f"Dùng một năm từ {low} đến {high}.",
        )
    return year


def _parse_window(value: object) -> Window:
    if value not in WINDOWS:
        raise ParameterError(
            f"Khung thời gian số liệu không hợp lệ: «{value}».",
            hint=f"Dùng một trong: {', '.join(WINDOWS)}.",
        )
    return cast(Window, value)


def _parse_units(units: Iterable[str] | str | None) -> tuple[str, ...] | None:
    if not units:
        return None
    from tthc_analysis.plan.units import normalise_unit

    if isinstance(units, str):
        units = [units]
    return tuple(normalise_unit(u) for u in units)


@dataclass(frozen=True)
class EvaluationParams:
    """Year, period, as-of date, window and units of one evaluation, checked.

    Build it with :meth:`resolve` (which parses and defaults); the fields are then
    always valid.

    Attributes:
        year: Plan year.
        period: Period text as given (``"year"``, ``"q1"``, ``"2025-03"``…).
        as_of: As-of date of the plan's progress.
        window: ``official`` or ``calendar`` reporting windows.
        units: Canonical unit names, or ``None`` for all units.
    """

    year: int
    period: str
    as_of: date
    window: Window = "official"
    units: tuple[str, ...] | None = None

    @classmethod
    def resolve(
        cls,
        year: object = 2025,
        as_of: object = None,
        period: object = "year",
        units: Iterable[str] | str | None = None,
        window: object = "official",
    ) -> EvaluationParams:
        """Parse, check and default the parameters.

        Args:
            year: Plan year (an int or its text).
            as_of: As-of date (see the module conventions); ``None`` = the default.
            period: Period text (:data:`tthc_analysis.periods.PERIOD_CHOICES`).
            units: Unit names (canonical or alias), one name, or ``None`` for all.
            window: ``official`` or ``calendar`` (callers pass
                ``Settings.report_window`` by default).

        Raises:
            ParameterError: a year outside :data:`YEAR_RANGE`, an unknown period or
                window, an as-of text in no accepted form, or an as-of date before the
                period starts or after 31/12 of the following year.
        """
        year_int = _parse_year(year)
        win = _parse_window(window)
        period_text = str(period if period is not None else "year").strip() or "year"
        full = parse_period(period_text, year_int, win)
        day = parse_as_of(as_of) or default_as_of(full)
        last = date(year_int + 1, 12, 31)
        if day < full.start or day > last:
            raise ParameterError(
                f"Ngày chốt số liệu {day:%d/%m/%Y} nằm ngoài khoảng cho phép của {full.name_vi}.",
                hint=f"Dùng một ngày từ {full.start:%d/%m/%Y} đến {last:%d/%m/%Y}.",
            )
        return cls(year_int, period_text, day, win, _parse_units(units))

    @property
    def full_period(self) -> Period:
        """The reporting period (not cut at the as-of date)."""
        return parse_period(self.period, self.year, self.window)

    @property
    def metric_period(self) -> Period:
        """The reporting period of the data metrics: :attr:`full_period` cut at ``as_of``."""
        return self.full_period.clipped(self.as_of)

    @property
    def unit_list(self) -> list[str] | None:
        """``units`` as a list (``None`` for all units)."""
        return list(self.units) if self.units else None
