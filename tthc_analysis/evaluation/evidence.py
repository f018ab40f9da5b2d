"""Evidence of the plan's tasks counted per month or quarter, against their cadence.

One row per task and period of the year: how many evidence items (``activities`` rows)
fall in the period, how many the task's cadence requires there, and whether the period
is missing its evidence. Items are attributed and judged exactly as the task status is
(:mod:`tthc_analysis.evaluation.tasks`): items dated after the as-of date are ignored; a monthly
item belongs to the month it covers (or, undated, the month before when issued by the
due day); a quarterly item to the quarter it covers; an ongoing task's items to the
quarter of their date; missing periods are the task's ``missing_periods`` from
:func:`tthc_analysis.evaluation.tasks.evidence_status`.

Requirements per period (``n_required``):

- ``monthly``: 1 a month (3 a quarter);
- ``quarterly`` and ``ongoing`` (judged quarterly by the evaluation): 1 a quarter; in a
  month view there is no per-month requirement (NaN), but each month of a quarter
  missing its evidence is marked missing;
- ``deadline``: 1 in the period holding the deadline (missing there when nothing was
  done by the deadline and the deadline has passed), nothing elsewhere;
- ``on_request``: no periodic requirement (NaN everywhere, never missing).

Tasks whose evidence is not in ``activities`` (cadence ``none``, or report submissions)
are left out.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from tthc_analysis.errors import ParameterError
from tthc_analysis.evaluation.tasks import (
    attribute_months,
    attribute_quarters,
    evidence_status,
    month_label,
    quarter_label,
)
from tthc_analysis.workdays import WorkCalendar

__all__ = ["EVIDENCE_PERIOD_COLUMNS", "PERIODIC_CADENCES", "evidence_by_period"]

PERIODIC_CADENCES = ("monthly", "quarterly", "ongoing", "yearly", "deadline", "on_request")
"""Cadences of tasks whose evidence is counted (``none`` has no evidence)."""

EVIDENCE_PERIOD_COLUMNS = (
    "task_id",
    "evidence_cadence",
    "deadline",
    "period",
    "period_label",
    "period_start",
    "period_end",
    "n_evidence",
    "n_required",
    "is_deadline_period",
    "is_missing",
    "is_future",
)
"""Columns returned by :func:`evidence_by_period`."""


def _periods(year: int, period: str) -> list[tuple[str, str, date, date]]:
    """``(key, label, first day, last day)`` of each month or quarter of ``year``."""
    if period == "month":
        spans = [pd.Period(f"{year}-{m:02d}", "M") for m in range(1, 13)]
        return [
            (f"{year}-{m:02d}", month_label(year, m), p.start_time.date(), p.end_time.date())
            for m, p in enumerate(spans, start=1)
        ]
    spans = [pd.Period(f"{year}Q{q}", "Q") for q in range(1, 5)]
    return [
        (f"{year}-Q{q}", quarter_label(year, q), p.start_time.date(), p.end_time.date())
        for q, p in enumerate(spans, start=1)
    ]


def _to_quarter(month_key: object) -> object:
    if not isinstance(month_key, str):
        return None
    year, month = month_key.split("-")
    return f"{year}-Q{(int(month) - 1) // 3 + 1}"


def _period_keys(items: pd.DataFrame, cadence: str, period: str, due_day: int) -> pd.Series:
    """The period key of each item, attributed as the task's status attributes it."""
    covers = items.get("covers_period")
    if cadence == "monthly":
        months = attribute_months(items["date"], covers, due_day)
        return months if period == "month" else months.map(_to_quarter)
    if period == "month":
        return pd.to_datetime(items["date"]).dt.strftime("%Y-%m")
    if cadence == "quarterly":
        return attribute_quarters(items["date"], covers)
    return attribute_quarters(items["date"], None)


def _missing_keys(missing_labels: list[str], cadence: str, year: int, period: str) -> set[str]:
    """Period keys marked missing, from the task's missing months or quarters."""
    if cadence == "monthly":
        months = [m for m in range(1, 13) if month_label(year, m) in missing_labels]
        if period == "month":
            return {f"{year}-{m:02d}" for m in months}
        return {f"{year}-Q{(m - 1) // 3 + 1}" for m in months}
    quarters = [q for q in range(1, 5) if quarter_label(year, q) in missing_labels]
    if period == "quarter":
        return {f"{year}-Q{q}" for q in quarters}
    return {f"{year}-{m:02d}" for q in quarters for m in range(3 * q - 2, 3 * q + 1)}


def _required(cadence: str, period: str, is_deadline_period: bool) -> float:
    if cadence == "monthly":
        return 1.0 if period == "month" else 3.0
    if cadence in ("quarterly", "ongoing"):
        return 1.0 if period == "quarter" else float("nan")
    if cadence == "deadline":
        return 1.0 if is_deadline_period else float("nan")
    return float("nan")


def _task_rows(task: dict, items: pd.DataFrame, ctx: dict) -> list[dict]:
    year, as_of, period, due_day = ctx["year"], ctx["as_of"], ctx["period"], ctx["due_day"]
    cadence = task["evidence_cadence"]
    deadline = task.get("deadline")
    deadline = None if deadline is None or pd.isna(deadline) else pd.Timestamp(deadline).date()
    judged = evidence_status(
        items,
        cadence,
        year,
        as_of,
        deadline=deadline,
        due_day=due_day,
        calendar=ctx["calendar"],
        has_activity_data=ctx["has_data"],
    )
    counted = items.loc[items["date"].notna() & (items["date"] <= pd.Timestamp(as_of))]
    keys = _period_keys(counted, cadence, period, due_day) if len(counted) else pd.Series()
    counts = keys.value_counts().to_dict()
    missing = _missing_keys(judged.missing_periods, cadence, year, period)
    rows = []
    for key, label, start, end in ctx["spans"]:
        at_deadline = deadline is not None and start <= deadline <= end
        if cadence == "deadline" and at_deadline:
            is_missing = judged.status in ("overdue", "done_late")
        else:
            is_missing = key in missing
        rows.append(
            {
                "task_id": task["task_id"],
                "evidence_cadence": cadence,
                "deadline": pd.Timestamp(deadline) if deadline else pd.NaT,
                "period": key,
                "period_label": label,
                "period_start": pd.Timestamp(start),
                "period_end": pd.Timestamp(end),
                "n_evidence": int(counts.get(key, 0)),
                "n_required": _required(cadence, period, at_deadline),
                "is_deadline_period": at_deadline,
                "is_missing": bool(is_missing),
                "is_future": start > as_of,
            }
        )
    return rows


def evidence_by_period(
    tasks: pd.DataFrame,
    activities: pd.DataFrame,
    year: int,
    as_of: date,
    period: str = "quarter",
    due_day: int = 10,
    calendar: WorkCalendar | None = None,
) -> pd.DataFrame:
    """Evidence items of each task per month or quarter, with the count its cadence requires.

    Args:
        tasks: Task rows (``evaluate().tasks`` or a subset): ``task_id``,
            ``evidence_cadence``, optional ``evidence_source`` (only ``activities`` tasks
            are kept) and ``deadline``.
        activities: Evidence items: ``task_id``, ``date``, ``status``, optional
            ``covers_period``.
        year: Plan year.
        as_of: As-of date: later items are not counted, later periods are ``is_future``.
        period: ``"month"`` or ``"quarter"``.
        due_day: Day of the next month a monthly item is due (settings).
        calendar: Working-day calendar (``ev.calendar``), to count the days late of a
            task with a deadline; required when ``tasks`` has one (no file is read here).

    Returns:
        One row per task (in the order given) and period of the year, columns
        :data:`EVIDENCE_PERIOD_COLUMNS`: ``period`` (``"2025-03"``/``"2025-Q1"``),
        ``period_label`` (``"03/2025"``/``"Quý I/2025"``), ``n_evidence`` (int),
        ``n_required`` (float, NaN when the cadence requires nothing in that period),
        ``is_deadline_period``, ``is_missing``, ``is_future`` (period starts after as-of).
    """
    if period not in ("month", "quarter"):
        raise ParameterError(
            f"Kỳ «{period}» không hợp lệ cho việc đếm minh chứng.",
            hint="Dùng month (theo tháng) hoặc quarter (theo quý).",
        )
    keep = tasks["evidence_cadence"].isin(PERIODIC_CADENCES)
    if "evidence_source" in tasks:
        keep &= tasks["evidence_source"].fillna("activities") == "activities"
    ctx = {
        "year": int(year),
        "as_of": pd.Timestamp(as_of).date(),
        "period": period,
        "due_day": int(due_day),
        "spans": _periods(int(year), period),
        "has_data": bool(len(activities)),
        "calendar": calendar,
    }
    rows: list[dict] = []
    for task in tasks.loc[keep].to_dict("records"):
        items = activities.loc[activities["task_id"] == task["task_id"]]
        rows.extend(_task_rows(task, items, ctx))
    out = pd.DataFrame(rows, columns=list(EVIDENCE_PERIOD_COLUMNS))
    return out.astype(
        {
            "n_evidence": "int64",
            "n_required": "float64",
            "is_deadline_period": "bool",
            "is_missing": "bool",
            "is_future": "bool",
        }
    )
