"""Which month or quarter each evidence item is for, and which ones are due.

The attribution rules are those of :mod:`tthc_analysis.evaluation.tasks`: a monthly item
is for the month its ``covers_period`` names, else (dated on or before the due day) the
month before its date, else its own month; a quarterly item for the quarter it covers,
else the quarter of its date. A month is required once its item is due (day ``due_day``
of the next month), a quarter once it has ended.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pandas as pd

from tthc_analysis.text import nfc

__all__ = [
    "attribute_months",
    "attribute_quarters",
    "month_label",
    "quarter_label",
    "required_months",
    "required_quarters",
]

_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_ROMAN_VALUE = {"I": 1, "II": 2, "III": 3, "IV": 4}


def _quarter_end(year: int, quarter: int) -> date:
    nxt = date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)
    return nxt - timedelta(days=1)


def required_quarters(year: int, as_of: date) -> list[int]:
    """Quarters of ``year`` that have ended by ``as_of`` (last day ≤ as-of)."""
    return [q for q in range(1, 5) if _quarter_end(year, q) <= as_of]


def required_months(year: int, as_of: date, due_day: int = 10) -> list[int]:
    """Months of ``year`` whose item is due (day ``due_day`` of the next month) by ``as_of``."""
    out = []
    for m in range(1, 13):
        due = date(year + (m == 12), m % 12 + 1, due_day)
        if due <= as_of:
            out.append(m)
    return out


def month_label(year: int, month: int) -> str:
    """``"08/2025"``."""
    return f"{month:02d}/{year}"


def quarter_label(year: int, quarter: int) -> str:
    """``"Quý III/2025"``."""
    return f"Quý {_ROMAN[quarter]}/{year}"


_MONTH_RE = re.compile(r"^(?:tháng|thang|t)?\s*(\d{1,2})\s*[/\-.]\s*(\d{4})$", re.IGNORECASE)
_ISO_MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER_RE = re.compile(
    r"^(?:quý|quy|q)\s*(IV|III|II|I|[1-4])\s*[/\-. ]\s*(\d{4})$", re.IGNORECASE
)
_ISO_QUARTER_RE = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)


def _parse_month(text: object) -> tuple[int, int] | None:
    if not isinstance(text, str):
        return None
    t = " ".join(nfc(text).split())
    m = _MONTH_RE.match(t)
    if m and 1 <= int(m.group(1)) <= 12:
        return int(m.group(2)), int(m.group(1))
    m = _ISO_MONTH_RE.match(t)
    if m and 1 <= int(m.group(2)) <= 12:
        return int(m.group(1)), int(m.group(2))
    return None


def _parse_quarter(text: object) -> tuple[int, int] | None:
    if not isinstance(text, str):
        return None
    t = " ".join(nfc(text).split())
    m = _QUARTER_RE.match(t)
    if m:
        q = m.group(1).upper()
        return int(m.group(2)), (_ROMAN_VALUE[q] if q in _ROMAN_VALUE else int(q))
    m = _ISO_QUARTER_RE.match(t)
    if m:
        return int(m.group(1)), int(m.group(2))
    month = _parse_month(t)
    if month:
        return month[0], (month[1] - 1) // 3 + 1
    return None


def _month_key(day: date | None, cover: object, due_day: int) -> str | None:
    parsed = _parse_month(cover)
    if parsed is None and day is not None:
        if day.day <= due_day:
            prev = day.replace(day=1) - timedelta(days=1)
            parsed = (prev.year, prev.month)
        else:
            parsed = (day.year, day.month)
    return f"{parsed[0]}-{parsed[1]:02d}" if parsed else None


def _quarter_key(day: date | None, cover: object) -> str | None:
    parsed = _parse_quarter(cover)
    if parsed is None and day is not None:
        parsed = (day.year, (day.month - 1) // 3 + 1)
    return f"{parsed[0]}-Q{parsed[1]}" if parsed else None


def _py_dates(values) -> list[date | None]:
    stamps = pd.to_datetime(pd.Series(values))
    return [None if pd.isna(v) else v.date() for v in stamps]


def attribute_months(
    dates: pd.Series, covers: pd.Series | None = None, due_day: int = 10
) -> pd.Series:
    """The month each item is for, as ``"YYYY-MM"`` text (see module rules)."""
    cov = list(covers) if covers is not None else [None] * len(dates)
    keys = [_month_key(d, c, due_day) for d, c in zip(_py_dates(dates), cov, strict=True)]
    return pd.Series(keys, index=dates.index, dtype=object)


def attribute_quarters(dates: pd.Series, covers: pd.Series | None = None) -> pd.Series:
    """The quarter each item is for, as ``"YYYY-Qn"`` text (see module rules)."""
    cov = list(covers) if covers is not None else [None] * len(dates)
    keys = [_quarter_key(d, c) for d, c in zip(_py_dates(dates), cov, strict=True)]
    return pd.Series(keys, index=dates.index, dtype=object)
