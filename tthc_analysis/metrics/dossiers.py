"""Dossier outcomes at a cut-off: received, carried over, finished early/on time/late, pending.

The rules are those of domain.md §0, §3.1 and "F. Metric formulas" (DVCQG formula 2.1,
form 06/VPCP/KSTT) and issue 12, applied per reporting period ``P = [start, end]``:

- **not received** (rule 1): ``registered`` (only registered online, DVCQG 1) and
  ``refused_intake`` (refused at the counter, DVCQG 3; TT 01/2018/TT-VPCP form 03) are
  never in scope: in no column of form 06 and in no rate. :func:`intake_refusals`
  counts them apart, per month and unit. They may lack a receipt or due date.
- **received in P**: the receipt date (``received_at``) lies in ``[start, end]``;
  online when ``channel == "online"``, otherwise in person or by post.
- **carried over**: received before ``start`` and not finished before ``start`` (its end
  is on or after ``start``, or it has no end yet).
- **end time**: ``completed_at`` (the moment an end status was reached), falling back to
  ``returned_at`` when ``completed_at`` is empty. Every end status counts as finished:
  ``completed``, ``returned``, ``rejected``, ``withdrawn``, ``stopped``. A dossier with no
  end time is pending, whatever its status says.
- **finished in P**: end date in ``[start, end]``. A dossier that ends after ``end`` is
  *pending at the cut-off* (``end`` is the cut-off date).
- **due date used**: ``due_at``; with ``rescheduled_due_policy == "rescheduled"``,
  ``rescheduled_due_at`` when it is set (UNCONFIRMED which one form 06 wants; the default
  ``original`` follows practice: still overdue, with an apology letter). A due date on a
  day off **rolls forward to the next working day** before anything is judged (rule 3;
  BLDS 2015 Art 148): received 25/04/2025, due 30/04/2025, finished 05/05/2025 is on time.
- **pause**: where the export gives ``paused_at`` and ``resumed_at``, the pause is the
  working days in ``(paused_at, resumed_at]`` (rule 2: holidays inside the pause are not
  given back); otherwise ``supplement_days`` (the time spent waiting for the applicant)
  in calendar days (default, exact, fractions are hours) or in working days
  (``supplement_pause_unit == "working_days"``, rounded half up). The pause is subtracted
  from the end time: *effective end = end − pause* (working days counted back on the
  calendar).
- **finished outcome**, compared by date (default) or by exact time
  (``compare_by == "timestamp"``, rule 7; a due time of 00:00 then means the end of that
  day): ``early`` when the effective end date is before the due date, ``on_time`` when on
  it (and, by timestamp, not after the due time), ``overdue`` otherwise; and ``overdue``
  whenever ``supplement_requests > 1`` if ``multiple_supplements_overdue`` (DVCQG rule).
- **withdrawn and returned without a result** (rule 6): ``withdrawn`` and
  ``rejected``/``stopped`` follow :class:`~tthc_analysis.config.NoResultPolicy`, one
  policy for form 06 (``use="form06"``: form 06, the overdue list) and one for the 766
  rates (``use="index766"``: :mod:`tthc_analysis.metrics.rates`): ``by_date`` (default),
  ``on_time`` or ``exclude``. "Dừng xử lý" (``stopped``, DVCQG 8) is an end without a
  result by default (DVCQG formula 2.1 counts it as an end time, like "Từ chối"; ND
  61/2018 Art 19(8) is the nearest legal act); with ``stopped_as == "paused"`` it is a
  temporary stop, counted like ``paused``. A ``stopped`` dossier without any end time is
  always a stop with a reason (issue 12 rule 2: "Dừng xử lý" with a reason), i.e. waiting.
- **pending outcome** at cut-off ``C``: a dossier **waiting for the applicant**
  (``awaiting_supplement``, ``awaiting_obligation``, ``paused``) is ``pending_in_time``
  (rule 2; ND 61/2018 Art 19(4): the limit restarts when the complete file is received)
  unless its request (``paused_at``) came after the due date, when the clock had already
  run out (``pending_overdue``). Any other pending dossier is ``pending_in_time`` when
  ``C − pause ≤ due date``, else ``pending_overdue``. More than one supplement request
  also makes it overdue. Limitation: exports give only the total pause, so a pause that
  happened after the cut-off is subtracted as well.
- **processing time**: working days from the receipt date to the effective end date
  (the first day not counted, BLDS Art 147), never negative.

The outcome of a finished dossier does not depend on the period; only whether it is in
scope, finished or pending, and a pending dossier's outcome do. Everything is
vectorised over numpy arrays: no Python loop runs per dossier. To compute several
metrics on the same dossiers (form 06, rates by month/unit/field, the overdue list),
wrap them once in a :class:`DossierData` and pass it instead of the frame: the
period-independent work is then done once.
"""

from __future__ import annotations

import dataclasses
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from tthc_analysis.config import DossierRules
from tthc_analysis.errors import ParameterError, TthcError
from tthc_analysis.periods import Period, month_periods
from tthc_analysis.workdays import WorkCalendar, default_calendar

__all__ = [
    "END_STATUSES",
    "INTAKE_COLUMNS",
    "NOT_RECEIVED_STATUSES",
    "OVERDUE_COLUMNS",
    "USES",
    "WAITING_STATUSES",
    "intake_refusals",
    "method_notes_vi",
    "DossierData",
    "as_dossier_data",
    "OUTCOMES",
    "OUTCOME_LABELS_VI",
    "UNKNOWN_LABEL",
    "classify_dossiers",
    "due_date_from_limit",
    "month_windows",
    "overdue_list",
]

END_STATUSES = frozenset({"completed", "returned", "rejected", "withdrawn", "stopped"})
"""Statuses that end processing (``processing`` and the waiting statuses do not)."""

NO_RESULT_STATUSES = frozenset({"rejected", "withdrawn", "stopped"})
"""End statuses without a result (see :class:`~tthc_analysis.config.NoResultPolicy`)."""

NOT_RECEIVED_STATUSES = frozenset({"registered", "refused_intake"})
"""Not received dossiers: only registered online (DVCQG 1) or refused at the counter
(DVCQG 3; TT 01/2018/TT-VPCP form 03). In no column of form 06 and in no rate."""

WAITING_STATUSES = frozenset({"awaiting_supplement", "awaiting_obligation", "paused"})
"""Pending statuses in which the clock is stopped, waiting for the applicant (ND 61/2018
Art 19(4): the time limit restarts once the complete file is received)."""

USES = ("form06", "index766")
"""What a classification is for: form 06 (and the overdue list) or the 766 rates."""

_STATUS_GROUP = {"withdrawn": "withdrawn", "rejected": "returned_without_result"}
_STATUS_GROUP_STOPPED = "returned_without_result"

OUTCOMES = ("early", "on_time", "overdue", "pending_in_time", "pending_overdue")
"""Outcome codes, in the order of form 06 columns 8, 9, 10, 12, 13."""

OUTCOME_LABELS_VI = {
    "early": "Trước hạn",
    "on_time": "Đúng hạn",
    "overdue": "Quá hạn",
    "pending_in_time": "Đang giải quyết trong hạn",
    "pending_overdue": "Đang giải quyết quá hạn",
}

UNKNOWN_LABEL = "Chưa xác định"
"""Group label for dossiers whose field or unit is empty (never dropped)."""

EARLY, ON_TIME, OVERDUE, PENDING_IN_TIME, PENDING_OVERDUE = range(5)

DAY_US = 86_400_000_000
"""Microseconds per day."""

_NAT_INT = np.iinfo(np.int64).min
_NEVER = np.iinfo(np.int64).max // 4
"""Day number standing for "no end yet" (later than any cut-off)."""

_HOURS_PER_WORKING_DAY = 8


# --- small conversions --------------------------------------------------------------


def optional_column(frame: pd.DataFrame, name: str) -> pd.Series | None:
    """The column ``name``, or ``None`` if the frame lacks it (treated as all missing)."""
    return frame[name] if name in frame.columns else None


def _us(series: pd.Series | None, n: int = 0) -> np.ndarray:
    """Datetimes as int64 microseconds since the epoch (``_NAT_INT`` for missing)."""
    if series is None:
        return np.full(n, _NAT_INT, dtype="int64")
    if not pd.api.types.is_datetime64_dtype(series.dtype):
        series = pd.to_datetime(series)
    if getattr(series.dt, "tz", None) is not None:
        series = series.dt.tz_localize(None)
    return series.to_numpy(dtype="datetime64[us]").view("int64")


def _days_from_us(us: np.ndarray, missing: int = _NAT_INT) -> np.ndarray:
    """Day numbers since the epoch from microseconds; ``missing`` where missing."""
    return np.where(us == _NAT_INT, missing, np.floor_divide(us, DAY_US))


def as_bool(series: pd.Series | None, n: int = 0) -> np.ndarray:
    """A boolean column as a numpy bool array (missing = False)."""
    if series is None:
        return np.zeros(n, dtype=bool)
    if series.dtype == bool:
        return series.to_numpy()
    return series.astype("boolean").to_numpy(dtype=bool, na_value=False)


def equal_to(series: pd.Series | None, value: str, n: int = 0) -> np.ndarray:
    """``series == value`` as a numpy bool array (missing = False)."""
    if series is None:
        return np.zeros(n, dtype=bool)
    return (series == value).to_numpy(dtype=bool, na_value=False)


def _isin(series: pd.Series | None, values, n: int = 0) -> np.ndarray:
    if series is None:
        return np.zeros(n, dtype=bool)
    return series.isin(list(values)).to_numpy(dtype=bool, na_value=False)


def _numbers(series: pd.Series | None, n: int = 0) -> np.ndarray:
    """A numeric column as float64 (missing = 0)."""
    if series is None:
        return np.zeros(n)
    values = pd.to_numeric(series, errors="coerce")
    return np.nan_to_num(np.asarray(values.to_numpy(dtype="float64", na_value=np.nan)))


def _day_number(day: date) -> int:
    return int(np.datetime64(day, "D").astype("int64"))


def _as_datetime64(days: np.ndarray) -> np.ndarray:
    """Day numbers (``_NAT_INT``/``_NEVER`` = missing) as ``datetime64[D]``."""
    valid = (days != _NAT_INT) & (days != _NEVER)
    return np.where(valid, days, _NAT_INT).astype("datetime64[D]")


@dataclass(frozen=True)
class _WorkdayIndex:
    """Lookup tables of a calendar over its whole range, for O(1) counting.

    ``upto[d - first]`` is the number of working days on or before day number ``d``;
    ``work`` lists the working days (day numbers) in order.
    """

    first: int
    last: int
    upto: np.ndarray
    work: np.ndarray


_WORKDAY_INDEX: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _workday_index(cal: WorkCalendar) -> _WorkdayIndex:
    """The lookup tables of ``cal`` (built from its public API once, then cached)."""
    index = _WORKDAY_INDEX.get(cal)
    if index is None:
        first, last = _day_number(cal.first), _day_number(cal.last)
        listed = cal.working_days_in(cal.first, cal.last)
        work = np.array(listed, dtype="datetime64[D]").astype("int64")
        is_work = np.zeros(last - first + 1, dtype="int64")
        is_work[work - first] = 1
        index = _WorkdayIndex(first, last, np.cumsum(is_work), work)
        _WORKDAY_INDEX[cal] = index
    return index


def _in_calendar(cal: WorkCalendar, days: np.ndarray) -> np.ndarray:
    return (days >= _day_number(cal.first)) & (days <= _day_number(cal.last))


def count_wd(cal: WorkCalendar, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Working days in ``(start, end]`` for day-number arrays (negative if ``end < start``).

    Same result as :meth:`WorkCalendar.count_working_days`, on integer day numbers;
    NaN where a day is missing or outside the calendar.
    """
    index = _workday_index(cal)
    ok = (start >= index.first) & (start <= index.last) & (end >= index.first)
    ok &= end <= index.last
    span = len(index.upto) - 1
    a = index.upto[np.clip(start - index.first, 0, span)]
    b = index.upto[np.clip(end - index.first, 0, span)]
    return np.where(ok, (b - a).astype("float64"), np.nan)


def back_wd(cal: WorkCalendar, days: np.ndarray, n: np.ndarray) -> np.ndarray:
    """The day ``n`` working days before ``days`` (day numbers; ``n <= 0``: unchanged).

    The result ``r`` is a working day with ``count_wd(r, day) == n``.
    """
    index = _workday_index(cal)
    move = (n > 0) & (days >= index.first) & (days <= index.last)
    upto = index.upto[np.clip(days - index.first, 0, len(index.upto) - 1)]
    position = upto - 1 - np.where(move, n, 0)
    return np.where(move, index.work[np.clip(position, 0, len(index.work) - 1)], days)


# --- due date from a time limit ----------------------------------------------------


def _add_months(days: np.ndarray, months: np.ndarray) -> np.ndarray:
    """Add whole months (BLDS Art 147: same day of the month, or the month's last day)."""
    d64 = days.astype("datetime64[D]")
    month0 = d64.astype("datetime64[M]")
    day_of_month = (d64 - month0).astype("int64")
    target = month0 + months.astype("int64").astype("timedelta64[M]")
    last_day = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(
        "int64"
    ) - 1
    return (target.astype("datetime64[D]") + np.minimum(day_of_month, last_day)).astype("int64")


def due_date_from_limit(received_at, time_limit, unit, calendar: WorkCalendar | None = None):
    """Due date of dossiers received at ``received_at`` with a legal time limit.

    Counting follows BLDS 2015 Art 147–148: the receipt day is not counted, and a limit
    that ends on a day off rolls forward to the next working day. Per unit:

    - ``working_day``: ``ceil(limit)`` working days after the receipt date;
    - ``day``: ``ceil(limit)`` calendar days after it, rolled forward;
    - ``hour``: ``ceil(limit / 8)`` working days (8 working hours a day; assumption);
    - ``month``: the same day ``limit`` months later (the month's last day if it has no
      such day), rolled forward.

    Vectorised over all three arguments (scalars broadcast). A missing receipt, limit or
    unknown unit gives NaT.

    Args:
        received_at: Receipt times (scalar or array-like of datetimes).
        time_limit: Time limits (numbers).
        unit: Codes of ``fields.TIME_LIMIT_UNIT_CODES``.
        calendar: Working-day calendar; default :func:`default_calendar`.

    Returns:
        ``datetime64[us]`` due dates at midnight (a numpy scalar for scalar input).
    """
    cal = calendar or default_calendar()
    scalar = np.ndim(received_at) == 0 and np.ndim(time_limit) == 0 and np.ndim(unit) == 0
    recv_series = pd.Series(pd.to_datetime(np.atleast_1d(received_at)))
    recv = _days_from_us(_us(recv_series))
    n = len(recv)
    limit = np.broadcast_to(np.asarray(time_limit, dtype="float64"), n)
    units = np.broadcast_to(np.asarray(unit, dtype=object), n)
    out = np.full(n, _NAT_INT, dtype="int64")
    ok = (recv != _NAT_INT) & np.isfinite(limit) & (limit >= 0) & _in_calendar(cal, recv)
    steps = np.where(ok, np.ceil(np.where(ok, limit, 0)), 0).astype("int64")
    hours = ok & (units == "hour")
    steps = np.where(
        hours, np.ceil(np.where(hours, limit, 0) / _HOURS_PER_WORKING_DAY), steps
    ).astype("int64")
    working = ok & ((units == "working_day") | hours)
    if working.any():
        moved = cal.add_working_days(_as_datetime64(recv[working]), steps[working])
        out[working] = np.asarray(moved, dtype="datetime64[D]").astype("int64")
    for code in ("day", "month"):
        mask = ok & (units == code)
        if mask.any():
            raw = (
                recv[mask] + steps[mask] if code == "day" else _add_months(recv[mask], steps[mask])
            )
            inside = _in_calendar(cal, raw)
            rolled = cal.roll_forward(_as_datetime64(raw[inside]))
            out[np.flatnonzero(mask)[inside]] = np.asarray(rolled, "datetime64[D]").astype("int64")
    result = out.astype("datetime64[D]").astype("datetime64[us]")
    return result[0] if scalar else result


# --- periods ----------------------------------------------------------------------


def month_windows(period: Period) -> list[Period]:
    """The months of ``period``, each clipped to it, in order.

    Months follow the period's window: official months (15th of the previous month to
    the 14th, labelled by the month of the 14th) for an ``official`` period, calendar
    months otherwise (custom ranges are calendar ranges). The windows tile the period
    exactly, so monthly counts add up to the period's.
    """
    months: list[Period] = []
    for year in range(period.start.year, period.end.year + 2):
        for month in month_periods(year, period.window):
            start, end = max(month.start, period.start), min(month.end, period.end)
            if start <= end:
                months.append(dataclasses.replace(month, start=start, end=end))
    return months


# --- per-dossier preparation ------------------------------------------------------


@dataclass(frozen=True)
class Prepared:
    """Per-dossier arrays that do not depend on the period.

    Day numbers count days since 1970-01-01; times are int64 microseconds.

    Attributes:
        recv: Receipt day numbers.
        end: End day numbers; ``_NEVER`` when there is no end time.
        due: Effective due day numbers (per ``rescheduled_due_policy``).
        due_us: Effective due times.
        eff_end_us: Effective end times (end − pause); ``_NAT_INT`` if no end.
        eff_end: Effective end day numbers; ``_NEVER`` when no end.
        finished_outcome: Per use (:data:`USES`), ``EARLY``/``ON_TIME``/``OVERDUE``,
            used once the dossier is finished.
        multi: More than one supplement request, counted as overdue (per the rules).
        pause_us: Calendar pause in microseconds (0 where the pause is in working days).
        pause_wd: Working-day pause (0 where the pause is in calendar time).
        processing_wd: Working days from receipt to effective end (NaN if no end).
        online: ``channel == "online"``.
        calendar: The calendar used.
        received: The dossier was received (status not in :data:`NOT_RECEIVED_STATUSES`).
        excluded: Per use, dossiers left out by a ``exclude`` policy.
        waiting: Pending status in :data:`WAITING_STATUSES` (the clock is stopped).
        ran_out: Waiting, but the request (``paused_at``) came after the due date.
        timestamp: Outcomes compared by exact time (``compare_by == "timestamp"``).
        due_end_us: Due time used in timestamp mode (00:00 = end of that day).
    """

    recv: np.ndarray
    end: np.ndarray
    due: np.ndarray
    due_us: np.ndarray
    eff_end_us: np.ndarray
    eff_end: np.ndarray
    finished_outcome: dict[str, np.ndarray]
    multi: np.ndarray
    pause_us: np.ndarray
    pause_wd: np.ndarray
    processing_wd: np.ndarray
    online: np.ndarray
    calendar: WorkCalendar
    received: np.ndarray
    excluded: dict[str, np.ndarray]
    waiting: np.ndarray
    ran_out: np.ndarray
    timestamp: bool
    due_end_us: np.ndarray


def _require(frame: pd.DataFrame, missing: np.ndarray, column: str, label_vi: str) -> None:
    if missing.any():
        ids = frame["dossier_id"] if "dossier_id" in frame.columns else frame.index.to_series()
        examples = ids.iloc[np.flatnonzero(missing)[:5]].astype(str).tolist()
        raise TthcError(
            f"{int(missing.sum())} hồ sơ thiếu {label_vi} (ví dụ: {', '.join(examples)}).",
            column=column,
            hint="Bổ sung dữ liệu, hoặc nạp lại qua `tthc ingest` để kiểm tra từng dòng.",
        )


def _status_masks(dossiers: pd.DataFrame, rules: DossierRules, n: int) -> dict[str, np.ndarray]:
    """Boolean masks of the status groups the rules distinguish."""
    status = optional_column(dossiers, "status")
    stopped = _isin(status, {"stopped"}, n)
    stopped_paused = stopped & (rules.stopped_as == "paused")
    return {
        "not_received": _isin(status, NOT_RECEIVED_STATUSES, n),
        "waiting": _isin(status, WAITING_STATUSES, n) | stopped_paused,
        "withdrawn": _isin(status, {"withdrawn"}, n),
        "returned_without_result": _isin(status, {"rejected"}, n) | (stopped & ~stopped_paused),
        "stopped": stopped,
    }


def _end_of_day_if_midnight(us: np.ndarray) -> np.ndarray:
    """A time of exactly 00:00 read as the end of that day (BLDS Art 148: 24:00)."""
    midnight = (us != _NAT_INT) & (np.mod(us, DAY_US) == 0)
    return np.where(midnight, us + DAY_US - 1, us)


def _pauses(
    dossiers: pd.DataFrame, calendar: WorkCalendar, rules: DossierRules, paused_us: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The pause of each dossier: calendar microseconds and working days.

    Where ``paused_at`` and ``resumed_at`` are both given, the pause is the working days
    in ``(paused_at, resumed_at]`` (holidays inside are not given back); else
    ``supplement_days`` in the unit of ``rules.supplement_pause_unit``.
    """
    n = len(dossiers)
    resumed_us = _us(optional_column(dossiers, "resumed_at"), n)
    dated = (paused_us != _NAT_INT) & (resumed_us != _NAT_INT) & (resumed_us >= paused_us)
    pause_wd = np.zeros(n, dtype="int64")
    if dated.any():
        a = np.floor_divide(paused_us, DAY_US)
        b = np.floor_divide(resumed_us, DAY_US)
        span = count_wd(calendar, np.where(dated, a, 0), np.where(dated, b, 0))
        pause_wd = np.where(dated, np.nan_to_num(span), 0).astype("int64")
    days = np.clip(_numbers(optional_column(dossiers, "supplement_days"), n), 0, None)
    days = np.where(dated, 0.0, days)
    pause_us = np.zeros(n, dtype="int64")
    if rules.supplement_pause_unit == "working_days":
        pause_wd = pause_wd + np.floor(days + 0.5).astype("int64")
    else:
        pause_us = np.rint(days * DAY_US).astype("int64")
    return pause_us, pause_wd


def prepare(dossiers: pd.DataFrame, calendar: WorkCalendar, rules: DossierRules) -> Prepared:
    """Compute the period-independent arrays of ``dossiers`` (see :class:`Prepared`).

    Raises:
        TthcError: a received dossier without a receipt or due date (validation
            prevents it). Not received dossiers (registered, refused at the counter)
            may lack both.
    """
    n = len(dossiers)
    masks = _status_masks(dossiers, rules, n)
    received = ~masks["not_received"]
    recv_us = _us(optional_column(dossiers, "received_at"), n)
    if "submitted_at" in dossiers.columns:
        # a not-received dossier is placed in time by its submission when it has no receipt
        submitted = _us(dossiers["submitted_at"])
        recv_us = np.where((recv_us == _NAT_INT) & ~received, submitted, recv_us)
    _require(dossiers, (recv_us == _NAT_INT) & received, "received_at", "ngày tiếp nhận")
    due_us = _us(optional_column(dossiers, "due_at"), n)
    if rules.rescheduled_due_policy == "rescheduled":
        resched = _us(optional_column(dossiers, "rescheduled_due_at"), n)
        due_us = np.where(resched != _NAT_INT, resched, due_us)
    _require(dossiers, (due_us == _NAT_INT) & received, "due_at", "ngày hẹn trả")
    # Not received dossiers are never classified; give them harmless days.
    recv_us = np.where(recv_us == _NAT_INT, 0, recv_us)
    due_us = np.where(due_us == _NAT_INT, recv_us, due_us)
    end_us = _us(optional_column(dossiers, "completed_at"), n)
    if "returned_at" in dossiers.columns:
        end_us = np.where(end_us == _NAT_INT, _us(dossiers["returned_at"]), end_us)
    has_end = end_us != _NAT_INT
    # "Dừng xử lý" without any end time is a stop with a reason, not an end: waiting.
    waiting = masks["waiting"] | (masks["stopped"] & ~has_end)
    masks["returned_without_result"] &= ~(masks["stopped"] & ~has_end)

    multi = _numbers(optional_column(dossiers, "supplement_requests"), n) > 1
    multi &= bool(rules.multiple_supplements_overdue)

    recv = np.floor_divide(recv_us, DAY_US)
    # BLDS 2015 Art 148: a due date on a day off moves to the next working day.
    raw_due = np.floor_divide(due_us, DAY_US)
    due = raw_due.copy()
    inside = _in_calendar(calendar, raw_due)
    if inside.any():
        rolled = calendar.roll_forward(_as_datetime64(raw_due[inside]))
        due[inside] = np.asarray(rolled, dtype="datetime64[D]").astype("int64")
    due_us = due_us + (due - raw_due) * DAY_US
    due_end_us = _end_of_day_if_midnight(due_us)
    end = np.where(has_end, np.floor_divide(end_us, DAY_US), _NEVER)

    paused_us = _us(optional_column(dossiers, "paused_at"), n)
    pause_us, pause_wd = _pauses(dossiers, calendar, rules, paused_us)
    eff_end_us = np.where(has_end, end_us - pause_us, _NAT_INT)
    eff_end = np.where(has_end, np.floor_divide(eff_end_us, DAY_US), _NEVER)
    moved = np.where(has_end, back_wd(calendar, eff_end, pause_wd), _NEVER)
    eff_end_us = np.where(has_end, eff_end_us + (moved - eff_end) * DAY_US, _NAT_INT)
    eff_end = moved

    timestamp = rules.compare_by == "timestamp"
    if timestamp:
        late = eff_end_us > due_end_us
        outcome = np.where(late, OVERDUE, np.where(eff_end < due, EARLY, ON_TIME))
    else:
        outcome = np.where(eff_end < due, EARLY, np.where(eff_end == due, ON_TIME, OVERDUE))
    outcome = np.where(multi, OVERDUE, outcome).astype("int8")
    finished_outcome: dict[str, np.ndarray] = {}
    excluded: dict[str, np.ndarray] = {}
    for use in USES:
        by_use = outcome.copy()
        out = np.zeros(n, dtype=bool)
        for group in ("withdrawn", "returned_without_result"):
            policy = rules.policy(group, use)
            if policy == "on_time":
                by_use[masks[group]] = ON_TIME
            elif policy == "exclude":
                out |= masks[group]
        finished_outcome[use] = by_use
        excluded[use] = out

    # Waiting at the cut-off: in time unless the request came after the due date.
    paused_day = np.floor_divide(paused_us, DAY_US)
    if timestamp:
        ran_out = (paused_us != _NAT_INT) & (paused_us > due_end_us)
    else:
        ran_out = (paused_us != _NAT_INT) & (paused_day > due)
    processing = np.where(
        has_end,
        np.clip(count_wd(calendar, recv, np.where(has_end, eff_end, recv)), 0, None),
        np.nan,
    )
    return Prepared(
        recv=recv,
        end=end,
        due=due,
        due_us=due_us,
        eff_end_us=eff_end_us,
        eff_end=eff_end,
        finished_outcome=finished_outcome,
        multi=multi,
        pause_us=pause_us,
        pause_wd=pause_wd,
        processing_wd=processing,
        online=equal_to(optional_column(dossiers, "channel"), "online", n),
        calendar=calendar,
        received=received,
        excluded=excluded,
        waiting=waiting,
        ran_out=waiting & ran_out,
        timestamp=timestamp,
        due_end_us=due_end_us,
    )


def effective_cutoff(prep: Prepared, rows: np.ndarray, cutoff: np.ndarray) -> np.ndarray:
    """Cut-off day numbers minus the pause of the dossiers at ``rows``."""
    end_of_day = (cutoff + 1) * DAY_US - 1
    day = np.floor_divide(end_of_day - prep.pause_us[rows], DAY_US)
    return back_wd(prep.calendar, day, prep.pause_wd[rows])


def _pending_late(prep: Prepared, rows: np.ndarray, cutoff: np.ndarray) -> np.ndarray:
    """Whether the pending dossiers at ``rows`` are overdue at their cut-off days.

    A dossier waiting for the applicant at the cut-off is in time (ND 61/2018 Art
    19(4)) unless the request came after its due date; more than one supplement
    request makes it overdue when the rules say so.
    """
    if prep.timestamp:
        end_of_day = (cutoff + 1) * DAY_US - 1 - prep.pause_us[rows]
        day = np.floor_divide(end_of_day, DAY_US)
        moved = back_wd(prep.calendar, day, prep.pause_wd[rows])
        late = end_of_day + (moved - day) * DAY_US > prep.due_end_us[rows]
    else:
        late = effective_cutoff(prep, rows, cutoff) > prep.due[rows]
    late = np.where(prep.waiting[rows], prep.ran_out[rows], late)
    return late | prep.multi[rows]


# --- (dossier, window) pairs --------------------------------------------------------


@dataclass(frozen=True)
class Pairs:
    """Each in-scope (dossier, window) pair and its classification.

    With one window (the period) there is one pair per in-scope dossier; with monthly
    windows a dossier appears in every month from its receipt (or the period start) to
    its end (or the period end).

    Attributes:
        row: Position of the dossier in the frame.
        window: Index of the window.
        received: Received in the window (else carried over into it).
        finished: Finished in the window (else pending at its last day).
        outcome: Outcome code (``EARLY`` … ``PENDING_OVERDUE``) at the window's end.
    """

    row: np.ndarray
    window: np.ndarray
    received: np.ndarray
    finished: np.ndarray
    outcome: np.ndarray

    @property
    def carried_over(self) -> np.ndarray:
        """In scope but received before the window."""
        return ~self.received


def pairs(prep: Prepared, windows: Sequence[Period], use: str = "form06") -> Pairs:
    """Classify the dossiers in scope of each window (consecutive windows tiling a range).

    Not received dossiers and those a policy excludes for ``use`` are never in scope.
    """
    starts = np.array([_day_number(w.start) for w in windows], dtype="int64")
    ends = np.array([_day_number(w.end) for w in windows], dtype="int64")
    first_day, last_day = starts[0], ends[-1]
    in_scope = (prep.recv <= last_day) & ((prep.recv >= first_day) | (prep.end >= first_day))
    in_scope &= prep.received & ~prep.excluded[use]
    rows = np.flatnonzero(in_scope)
    recv, end = prep.recv[rows], prep.end[rows]
    k = len(windows)
    if k == 1:
        win = np.zeros(len(rows), dtype="int64")
    else:
        # window index of each day of the range (the windows tile it)
        day_window = np.repeat(np.arange(k), ends - starts + 1)
        span = len(day_window) - 1
        first = day_window[np.clip(recv - first_day, 0, span)]
        last = np.where(end > last_day, k - 1, day_window[np.clip(end - first_day, 0, span)])
        last = np.maximum(last, first)
        count = last - first + 1
        offsets = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
        rows = np.repeat(rows, count)
        win = np.repeat(first, count) + offsets
        recv, end = prep.recv[rows], prep.end[rows]
    w_start, w_end = starts[win], ends[win]
    received = recv >= w_start
    finished = end <= w_end
    outcome = prep.finished_outcome[use][rows]
    pending = np.flatnonzero(~finished)
    if len(pending):
        late = _pending_late(prep, rows[pending], w_end[pending])
        outcome[pending] = np.where(late, PENDING_OVERDUE, PENDING_IN_TIME)
    return Pairs(rows, win, received, finished, outcome)


# --- dossiers prepared once for several calls ---------------------------------------


def _resolve(
    calendar: WorkCalendar | None, rules: DossierRules | None
) -> tuple[WorkCalendar, DossierRules]:
    # The evaluation passes both (loading.reference); the defaults serve direct callers.
    calendar = calendar if calendar is not None else default_calendar()
    return calendar, rules if rules is not None else DossierRules()


def catalogue_lookup(procedures: pd.DataFrame | None, codes: pd.Series) -> np.ndarray:
    """Row position of each code in ``procedures`` (first occurrence), -1 when unknown."""
    if procedures is None or not len(procedures) or "procedure_code" not in procedures:
        return np.full(len(codes), -1, dtype="int64")
    inverse, uniques = pd.factorize(codes, use_na_sentinel=True)
    if not len(uniques):
        return np.full(len(codes), -1, dtype="int64")
    catalogue = pd.Index(procedures["procedure_code"])
    first = ~catalogue.duplicated()
    positions = np.flatnonzero(first)
    found = catalogue[first].get_indexer(pd.Index(uniques))
    mapped = np.where(found >= 0, positions[np.maximum(found, 0)], -1)
    return np.where(inverse >= 0, mapped[np.maximum(inverse, 0)], -1)


class DossierData:
    """Dossiers prepared once for several metric calls (all metrics accept it).

    Classification inputs, the join to the procedure catalogue, group labels and
    classified windows are computed on first use and reused, so that a report can call
    :func:`classify_dossiers`, :func:`~tthc_analysis.metrics.form06.form06`,
    :func:`~tthc_analysis.metrics.rates.dossier_rates` and :func:`overdue_list` on a million
    dossiers without repeating that work. The frames must not be modified afterwards.

    Args:
        dossiers: Canonical dossiers frame.
        procedures: Canonical procedure catalogue (optional).
        calendar: Working-day calendar; default from the settings.
        rules: Dossier rules; default ``Settings.dossiers``.
    """

    def __init__(
        self,
        dossiers: pd.DataFrame,
        procedures: pd.DataFrame | None = None,
        calendar: WorkCalendar | None = None,
        rules: DossierRules | None = None,
    ) -> None:
        status = optional_column(dossiers, "status")
        if status is not None and status.isin(("registered", "refused_intake")).any():
            # Never received (issue 12 rule 1): no receipt date, in no received figure.
            keep = ~status.isin(tuple(NOT_RECEIVED_STATUSES)).to_numpy(dtype=bool)
            dossiers = dossiers.iloc[np.flatnonzero(keep)]
        self.frame = dossiers
        self.procedures = procedures
        self.calendar, self.rules = _resolve(calendar, rules)
        self._prep: Prepared | None = None
        self._pos: np.ndarray | None = None
        self._labels: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._pairs: dict[tuple, Pairs] = {}
        self.memo: dict[str, object] = {}
        """Free cache for derived per-dossier arrays (used by :mod:`tthc_analysis.metrics.rates`)."""

    def __len__(self) -> int:
        return len(self.frame)

    @property
    def prep(self) -> Prepared:
        """The period-independent arrays."""
        if self._prep is None:
            self._prep = prepare(self.frame, self.calendar, self.rules)
        return self._prep

    @property
    def catalogue_pos(self) -> np.ndarray:
        """Row of each dossier's procedure in the catalogue, -1 when unknown."""
        if self._pos is None:
            codes = optional_column(self.frame, "procedure_code")
            if codes is None:
                codes = pd.Series([None] * len(self.frame), dtype=object)
            self._pos = catalogue_lookup(self.procedures, codes)
        return self._pos

    def labels(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        """Group codes per dossier and their labels for the dossier column ``key``.

        Empty values take the procedure's value from the catalogue when it has the
        column, else "Chưa xác định" (:data:`UNKNOWN_LABEL`).

        Raises:
            ParameterError: the dossiers have no column ``key``.
        """
        if key not in self._labels:
            self._labels[key] = self._compute_labels(key)
        return self._labels[key]

    def _compute_labels(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        procedures = self.procedures
        in_catalogue = procedures is not None and key in procedures.columns
        if key in self.frame.columns:
            codes, uniques = pd.factorize(self.frame[key], use_na_sentinel=True)
            labels = np.asarray(uniques, dtype=object)
        elif in_catalogue:
            codes, labels = np.full(len(self.frame), -1, dtype="int64"), np.array([], object)
        else:
            raise ParameterError(
                f"Không nhóm được theo «{key}»: dữ liệu hồ sơ không có cột này.",
                hint="Dùng một trong: month, unit, field, procedure_code.",
            )
        missing = codes < 0
        if missing.any():
            fill = np.full(int(missing.sum()), UNKNOWN_LABEL, dtype=object)
            if in_catalogue and len(procedures):
                pos = self.catalogue_pos[missing]
                values = procedures[key].to_numpy(dtype=object, na_value=None)
                values = values[np.maximum(pos, 0)]
                fill = np.where((pos >= 0) & pd.notna(values), values, UNKNOWN_LABEL)
            fill_codes, fill_labels = pd.factorize(fill)
            codes = codes.copy()
            codes[missing] = fill_codes + len(labels)
            labels = np.concatenate([labels, np.asarray(fill_labels, dtype=object)])
        merged, unique_labels = pd.factorize(labels)
        return merged[codes].astype("int64"), np.asarray(unique_labels, dtype=object)

    def pairs(self, windows: Sequence[Period], use: str = "form06") -> Pairs:
        """The classified (dossier, window) pairs of consecutive ``windows`` (cached).

        Args:
            windows: Consecutive periods tiling a range.
            use: ``form06`` (form 06, overdue list) or ``index766`` (the rates): the
                policies for withdrawn and returned dossiers differ by use.
        """
        if use not in USES:
            raise ParameterError(f"Mục đích phân loại không hợp lệ: «{use}».")
        key = (use, *((w.start, w.end) for w in windows))
        if key not in self._pairs:
            self._pairs[key] = pairs(self.prep, windows, use)
        return self._pairs[key]


def as_dossier_data(
    dossiers: pd.DataFrame | DossierData,
    procedures: pd.DataFrame | None = None,
    calendar: WorkCalendar | None = None,
    rules: DossierRules | None = None,
) -> DossierData:
    """``dossiers`` as a :class:`DossierData` (returned as is if it already is one).

    Raises:
        ParameterError: a :class:`DossierData` is passed together with a different
            catalogue, calendar or rules.
    """
    if not isinstance(dossiers, DossierData):
        return DossierData(dossiers, procedures, calendar, rules)
    conflicts = [
        name
        for name, given, held in (
            ("procedures", procedures, dossiers.procedures),
            ("calendar", calendar, dossiers.calendar),
            ("rules", rules, dossiers.rules),
        )
        if given is not None and given is not held and not (name == "rules" and given == held)
    ]
    if conflicts:
        raise ParameterError(
            "Dữ liệu hồ sơ đã chuẩn bị (DossierData) dùng tham số khác: " + ", ".join(conflicts),
            hint="Tạo DossierData với đúng danh mục, lịch làm việc và quy tắc cần dùng.",
        )
    return dossiers


# --- public API ---------------------------------------------------------------------


def _outcome_categorical(codes: np.ndarray) -> pd.Categorical:
    return pd.Categorical.from_codes(codes.astype("int8"), categories=list(OUTCOMES))


def classify_dossiers(
    dossiers: pd.DataFrame | DossierData,
    period: Period,
    calendar: WorkCalendar | None = None,
    rules: DossierRules | None = None,
    use: str = "form06",
) -> pd.DataFrame:
    """The dossiers in scope of ``period`` with their outcome at its last day.

    In scope: received in ``[start, end]``, or received before ``start`` and not finished
    before ``start`` (carried over). See the module docstring for the rules.

    Args:
        dossiers: Canonical dossiers frame (missing optional columns are treated as
            empty), or a :class:`DossierData`.
        period: The reporting period; its ``end`` is the cut-off.
        calendar: Working-day calendar; default from the settings.
        rules: Dossier rules; default ``Settings.dossiers``.
        use: ``form06`` (default) or ``index766``: which policies apply to withdrawn
            and returned dossiers.

    Returns:
        The in-scope rows (original index and columns) plus ``received_in_period``,
        ``carried_over``, ``is_online`` (bool), ``effective_due_at``, ``effective_end_at``
        (NaT when pending at the cut-off), ``finished_in_period`` (bool), ``outcome``
        (categorical of :data:`OUTCOMES`) and ``processing_wd`` (float, NaN when pending).

    Raises:
        TthcError: a dossier has no receipt or due date.
    """
    data = as_dossier_data(dossiers, None, calendar, rules)
    prep = data.prep
    p = data.pairs([period], use)
    rows = p.row
    out = data.frame.iloc[rows]
    out["received_in_period"] = p.received
    out["carried_over"] = p.carried_over
    out["is_online"] = prep.online[rows]
    out["effective_due_at"] = prep.due_us[rows].view("datetime64[us]")
    out["is_waiting"] = prep.waiting[rows] & ~p.finished
    eff_end = np.where(p.finished, prep.eff_end_us[rows], _NAT_INT)
    out["effective_end_at"] = eff_end.view("datetime64[us]")
    out["finished_in_period"] = p.finished
    out["outcome"] = _outcome_categorical(p.outcome)
    out["processing_wd"] = np.where(p.finished, prep.processing_wd[rows], np.nan)
    return out


OVERDUE_COLUMNS = (
    "dossier_id",
    "procedure_code",
    "procedure_name",
    "field",
    "unit",
    "channel",
    "received_at",
    "due_at",
    "rescheduled_due_at",
    "completed_at",
    "outcome",
    "days_late_wd",
    "supplement_requests",
    "multiple_supplements",
    "met_rescheduled_due",
    "has_apology",
    "overdue_reason",
)
"""Columns of :func:`overdue_list` (never personal data)."""


def overdue_list(
    dossiers: pd.DataFrame | DossierData,
    period: Period,
    calendar: WorkCalendar | None = None,
    rules: DossierRules | None = None,
    procedures: pd.DataFrame | None = None,
    use: str = "form06",
) -> pd.DataFrame:
    """Dossiers finished overdue in ``period`` or pending overdue at its cut-off.

    Args:
        dossiers: Canonical dossiers frame, or a :class:`DossierData`.
        period: The reporting period.
        calendar: Working-day calendar; default from the settings.
        rules: Dossier rules; default ``Settings.dossiers``.
        procedures: Optional catalogue, used to fill an empty ``procedure_name``,
            ``field`` or ``unit``.
        use: ``form06`` (default, the overdue dossiers of form 06) or ``index766``.

    Returns:
        One row per overdue dossier with the columns of :data:`OVERDUE_COLUMNS`.
        ``days_late_wd``: working days from the due date used to the effective end
        (finished) or to the cut-off minus the pause (pending), at least 0 (0 when only
        the multiple-supplements rule makes it overdue). ``multiple_supplements``: that
        rule applies. ``met_rescheduled_due``: a rescheduled due date exists and the
        dossier finished by it. ``completed_at`` is the end time (``returned_at`` when
        ``completed_at`` is empty). Sorted by ``days_late_wd`` (largest first), then
        ``dossier_id``. Personal-data columns are never included.
    """
    data = as_dossier_data(dossiers, procedures, calendar, rules)
    prep = data.prep
    p = data.pairs([period], use)
    late = (p.outcome == OVERDUE) | (p.outcome == PENDING_OVERDUE)
    rows = p.row[late]
    finished = p.finished[late]
    cutoff = np.full(len(rows), _day_number(period.end), dtype="int64")
    measured = np.where(finished, prep.eff_end[rows], effective_cutoff(prep, rows, cutoff))
    days_late = np.clip(np.nan_to_num(count_wd(data.calendar, prep.due[rows], measured)), 0, None)

    wanted = [c for c in (*OVERDUE_COLUMNS, "returned_at") if c in data.frame.columns]
    source = data.frame[wanted].iloc[rows]
    out = pd.DataFrame(index=source.index)
    for name in OVERDUE_COLUMNS[:10]:
        column = optional_column(source, name)
        out[name] = column if column is not None else pd.Series(pd.NA, index=source.index)
    end_us = _us(out["completed_at"], len(out))
    if "returned_at" in source.columns:
        end_us = np.where(end_us == _NAT_INT, _us(source["returned_at"]), end_us)
    out["completed_at"] = end_us.view("datetime64[us]")
    _fill_from_catalogue(out, data.procedures, data.catalogue_pos[rows])
    out["outcome"] = _outcome_categorical(p.outcome[late])
    out["days_late_wd"] = days_late
    requests = optional_column(source, "supplement_requests")
    out["supplement_requests"] = requests if requests is not None else pd.NA
    out["multiple_supplements"] = prep.multi[rows]
    resched = np.floor_divide(_us(optional_column(source, "rescheduled_due_at"), len(rows)), DAY_US)
    has_resched = _us(optional_column(source, "rescheduled_due_at"), len(rows)) != _NAT_INT
    out["met_rescheduled_due"] = has_resched & finished & (measured <= resched)
    for name in ("has_apology", "overdue_reason"):
        column = optional_column(source, name)
        out[name] = column if column is not None else pd.NA
    out = out.sort_values(["days_late_wd", "dossier_id"], ascending=[False, True], kind="stable")
    return out.reset_index(drop=True)


def _fill_from_catalogue(
    out: pd.DataFrame, procedures: pd.DataFrame | None, pos: np.ndarray
) -> None:
    """Fill empty ``procedure_name``, ``field`` and ``unit`` from the catalogue, in place."""
    if procedures is None or not len(procedures):
        return
    for name in ("procedure_name", "field", "unit"):
        if name not in procedures.columns:
            continue
        missing = out[name].isna().to_numpy()
        if missing.any():
            values = procedures[name].to_numpy(dtype=object, na_value=None)[np.maximum(pos, 0)]
            values = np.where(pos >= 0, values, None)
            filled = np.where(missing, values, out[name].to_numpy(dtype=object))
            out[name] = pd.Series(filled, index=out.index).astype("str")


# --- not received dossiers and the method note ---------------------------------------

INTAKE_COLUMNS = ("month", "unit", "n_refused_intake", "n_registered", "n_not_received")
"""Columns of :func:`intake_refusals`."""


def intake_refusals(dossiers: pd.DataFrame | DossierData, period: Period) -> pd.DataFrame:
    """Dossiers not received, counted apart: per month of ``period`` and unit.

    Not received (issue 12 rule 1): refused at the counter (``refused_intake``, DVCQG 3,
    TT 01/2018/TT-VPCP form 03 "Phiếu từ chối tiếp nhận") or only registered online
    (``registered``, DVCQG 1). They are in no column of form 06 and in no rate. A
    dossier is placed by its receipt (intake attempt) time, else its submission time,
    else its refusal time (``refused_at``).

    Args:
        dossiers: Canonical dossiers frame, or a :class:`DossierData`.
        period: The reporting period; months follow its window (:func:`month_windows`).

    Returns:
        The columns of :data:`INTAKE_COLUMNS`: ``month`` (``YYYY-MM``), ``unit`` (empty:
        "Chưa xác định"), ``n_refused_intake``, ``n_registered``, ``n_not_received``;
        only months and units with at least one such dossier, months in order and units
        in Vietnamese order ("Chưa xác định" last). Empty when there is none.
    """
    from tthc_analysis.text import vi_sort_key

    frame = dossiers.frame if isinstance(dossiers, DossierData) else dossiers
    n = len(frame)
    status = optional_column(frame, "status")
    refused = _isin(status, {"refused_intake"}, n)
    registered = _isin(status, {"registered"}, n)
    chosen = refused | registered
    if not chosen.any():
        return pd.DataFrame({c: pd.Series(dtype="int64" if c[:2] == "n_" else "str")
                             for c in INTAKE_COLUMNS})  # fmt: skip
    when = _us(optional_column(frame, "received_at"), n)
    submitted = _us(optional_column(frame, "submitted_at"), n)
    when = np.where(when == _NAT_INT, submitted, when)
    refused_at = _us(optional_column(frame, "refused_at"), n)  # DVCQG NgayTuChoi (issue 11)
    when = np.where(when == _NAT_INT, refused_at, when)
    day = _days_from_us(when)
    months = month_windows(period)
    starts = np.array([_day_number(m.start) for m in months])
    ends = np.array([_day_number(m.end) for m in months])
    index = np.searchsorted(starts, day, side="right") - 1
    inside = chosen & (when != _NAT_INT) & (index >= 0)
    inside &= day <= ends[np.clip(index, 0, len(ends) - 1)]
    unit = optional_column(frame, "unit")
    units = (
        np.full(n, UNKNOWN_LABEL, dtype=object)
        if unit is None
        else unit.astype(object).where(unit.notna(), UNKNOWN_LABEL).to_numpy(dtype=object)
    )
    table = pd.DataFrame(
        {
            "month": np.array([m.period_id for m in months], dtype=object)[
                np.clip(index, 0, len(months) - 1)
            ][inside],
            "unit": units[inside],
            "n_refused_intake": refused[inside].astype("int64"),
            "n_registered": registered[inside].astype("int64"),
        }
    )
    table = table.groupby(["month", "unit"], as_index=False, sort=False).sum()
    table["n_not_received"] = table["n_refused_intake"] + table["n_registered"]
    order = [m.period_id for m in months]
    table["_m"] = table["month"].map(order.index)
    table["_u"] = [(u == UNKNOWN_LABEL, vi_sort_key(u)) for u in table["unit"]]
    table = table.sort_values(["_m", "_u"], kind="stable").drop(columns=["_m", "_u"])
    for column in ("month", "unit"):
        table[column] = table[column].astype("str")
    return table[list(INTAKE_COLUMNS)].reset_index(drop=True)


_POLICY_VI = {
    "by_date": "xét theo ngày kết thúc so với ngày hẹn trả",
    "on_time": "tính là đúng hạn",
    "exclude": "không tính",
}


def method_notes_vi(rules: DossierRules, forward_wd: int | None = None) -> list[str]:
    """The rules in force, one Vietnamese sentence each, for the report's method note."""
    pause_unit = "ngày làm việc" if rules.supplement_pause_unit == "working_days" else "ngày lịch"
    lines = [
        "Hồ sơ chỉ đăng ký trực tuyến (chưa được tiếp nhận) và hồ sơ bị từ chối tiếp nhận "
        "(Phiếu từ chối tiếp nhận, mẫu 03 Thông tư 01/2018/TT-VPCP) không tính vào biểu "
        "06/VPCP/KSTT và các tỷ lệ; được thống kê riêng theo tháng và đơn vị.",
        "Hồ sơ đang chờ bổ sung, chờ thực hiện nghĩa vụ tài chính hoặc tạm dừng tại ngày "
        "chốt được tính trong hạn (Nghị định 61/2018/NĐ-CP, Điều 19 khoản 4: thời hạn tính "
        "lại từ khi nhận đủ hồ sơ), trừ khi yêu cầu được gửi sau ngày hẹn trả.",
        "Thời gian tạm dừng có ngày bắt đầu và ngày tiếp tục được tính theo ngày làm việc "
        "(ngày nghỉ trong thời gian tạm dừng không được cộng thêm); cột «Số ngày chờ bổ "
        f"sung» được tính theo {pause_unit}.",
        "Ngày hẹn trả rơi vào ngày nghỉ được chuyển sang ngày làm việc tiếp theo (Bộ luật "
        "Dân sự 2015, Điều 148) trước khi xét đúng hạn, quá hạn.",
        "Thời điểm kết thúc được so với hạn "
        + (
            "theo ngày (không xét giờ)."
            if rules.compare_by == "date"
            else "theo thời điểm (ngày, giờ, phút); hạn ghi 00:00 được hiểu là hết ngày."
        ),
        "Hồ sơ có ngày hẹn trả lại (thư xin lỗi) được xét theo "
        + (
            "ngày hẹn trả ban đầu."
            if rules.rescheduled_due_policy == "original"
            else "ngày hẹn trả lại."
        ),
        (
            "Hồ sơ phải yêu cầu bổ sung quá một lần được tính là quá hạn (quy tắc Cổng "
            "Dịch vụ công quốc gia)."
            if rules.multiple_supplements_overdue
            else "Số lần yêu cầu bổ sung không làm hồ sơ quá hạn."
        ),
        f"Hồ sơ công dân rút: biểu 06 – {_POLICY_VI[rules.policy('withdrawn', 'form06')]}; "
        f"tỷ lệ và Bộ chỉ số 766 – {_POLICY_VI[rules.policy('withdrawn', 'index766')]}.",
        "Hồ sơ trả lại không có kết quả (từ chối giải quyết"
        + (", dừng xử lý" if rules.stopped_as == "ended" else "")
        + f"): biểu 06 – {_POLICY_VI[rules.policy('returned_without_result', 'form06')]}; "
        f"tỷ lệ và Bộ chỉ số 766 – "
        f"{_POLICY_VI[rules.policy('returned_without_result', 'index766')]}.",
        "Trạng thái «Dừng xử lý» được hiểu là "
        + (
            "kết thúc xử lý không có kết quả khi có ngày kết thúc; không có ngày kết thúc "
            "thì tính như hồ sơ tạm dừng."
            if rules.stopped_as == "ended"
            else "tạm dừng (chờ người nộp), tính như hồ sơ tạm dừng."
        ),
        "Tỷ lệ hồ sơ xử lý toàn trình tính trên hồ sơ của TTHC đủ điều kiện cung cấp dịch "
        "vụ công trực tuyến toàn trình tại ngày nộp; kết quả được trả trực tuyến hoặc qua "
        "dịch vụ bưu chính công ích (Nghị định 42/2022/NĐ-CP, Điều 11).",
        "Chỉ số thiếu cột dữ liệu cần thiết (cột không có hoặc để trống toàn bộ) được ghi "
        "«Chưa có dữ liệu», không tính là 0%, và không dùng để đánh giá nhiệm vụ.",
    ]
    if forward_wd is not None:
        lines.append(
            "PAKN chuyển cơ quan có thẩm quyền được tính đúng hạn khi chuyển trong "
            f"{forward_wd} ngày làm việc kể từ ngày tiếp nhận (Nghị định 20/2008/NĐ-CP, "
            "Điều 9)."
        )
    return lines
