"""Periodic report submissions (plan section VIII): on time or late, by working days.

Rules:

- A report's deadline is ``due_on``; when it falls on a day off it moves to the next
  working day (Civil Code 2015 Art 148), giving ``effective_due_on``.
- A report sent (``submitted_on``) on or before the effective deadline is on time;
  otherwise it is late by the working days in ``(effective_due_on, submitted_on]``.
- A submission dated after the as-of date is ignored (not yet sent at the as-of date).
- A report not sent while its effective deadline is before the as-of date is overdue,
  by the working days in ``(effective_due_on, as_of]``; not sent and not yet past its
  deadline: not due.
- The year a report belongs to is the year of its deadline, except a year-end report
  (``Y``, ``Q4``, ``M12``) due in January–March, which belongs to the year before.

Task roll-up (:func:`reports_overview`, plan task VIII.1; reports not yet due and not
sent are not counted): any overdue report → ``overdue``; else any late report →
``done_late``; else every report sent on time → ``done_on_time`` when none is still
pending, ``on_track`` when some are not due yet; no report due or sent yet →
``not_due``; no report listed at all → ``no_data``.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from tthc_analysis.errors import ParameterError
from tthc_analysis.periods import report_period
from tthc_analysis.text import format_date
from tthc_analysis.workdays import WorkCalendar, require_calendar

__all__ = ["report_status", "reports_overview"]

_YEAR_END = ("Y", "Q4", "M12")


def _day(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values, errors="coerce").dt.normalize().astype("datetime64[us]")


def _report_name(period_id: str, year: int) -> str:
    try:
        return report_period(period_id, year).name_vi
    except ParameterError:
        return f"{period_id}/{year}"


def report_status(
    report_submissions: pd.DataFrame,
    as_of: date,
    calendar: WorkCalendar | None = None,
    year: int | None = None,
) -> pd.DataFrame:
    """Status of every listed report at ``as_of``.

    Args:
        report_submissions: Canonical ``report_submissions`` frame.
        as_of: The as-of date.
        calendar: Working-day calendar (required; metric functions read no file).
        year: Keep only the reports of this year (all when None).

    Returns:
        One row per report, by deadline: ``period_id``, ``report_code``, ``report_year``,
        ``name_vi`` (e.g. "Quý I/2025"), ``due_on``, ``effective_due_on``,
        ``submitted_on`` (NaT if not sent by ``as_of``), ``doc_number``, ``is_due``
        (deadline before ``as_of``, or already sent), ``on_time`` (boolean; NA while not
        sent), ``days_late_wd`` (late or overdue working days; 0 when on time; NaN when
        not due), ``status`` (``done_on_time``/``done_late``/``overdue``/``not_due``).
    """
    calendar = require_calendar(calendar)
    cutoff = pd.Timestamp(as_of)
    df = report_submissions.copy()
    due = _day(df["due_on"])
    submitted = _day(df["submitted_on"])
    submitted = submitted.where(submitted <= cutoff)
    code = df["period_id"].astype("str").str.upper()
    report_year = due.dt.year.astype("Int64")
    shift = code.isin(_YEAR_END) & (due.dt.month <= 3)
    report_year = report_year - shift.astype(int)
    effective = pd.Series(
        np.asarray(calendar.roll_forward(due), dtype="datetime64[D]"), index=df.index
    ).astype("datetime64[us]")

    sent = submitted.notna()
    on_time = pd.Series(pd.NA, index=df.index, dtype="boolean")
    on_time[sent] = (submitted <= effective)[sent]
    late_wd = pd.Series(calendar.count_working_days(effective, submitted), index=df.index)
    overdue_wd = pd.Series(
        calendar.count_working_days(effective, pd.Series(cutoff, index=df.index)), index=df.index
    )
    overdue = ~sent & (effective < cutoff)
    days_late = pd.Series(np.nan, index=df.index)
    days_late[sent] = late_wd[sent].clip(lower=0)
    days_late[overdue] = overdue_wd[overdue]

    status = pd.Series("not_due", index=df.index, dtype="str")
    status[sent & (on_time == True)] = "done_on_time"  # noqa: E712
    status[sent & (on_time == False)] = "done_late"  # noqa: E712
    status[overdue] = "overdue"

    out = pd.DataFrame(
        {
            "period_id": code,
            "report_code": df.get("report_code"),
            "report_year": report_year,
            "name_vi": [
                _report_name(c, int(y)) if pd.notna(y) else c
                for c, y in zip(code, report_year, strict=True)
            ],
            "due_on": due,
            "effective_due_on": effective,
            "submitted_on": submitted,
            "doc_number": df.get("doc_number"),
            "is_due": (sent | overdue).astype(bool),
            "on_time": on_time,
            "days_late_wd": days_late,
            "status": status,
        }
    )
    if year is not None:
        out = out.loc[out["report_year"] == year]
    return out.sort_values(["due_on", "period_id"], kind="stable").reset_index(drop=True)


def _pending_text(pending: pd.DataFrame) -> str:
    first = pending.iloc[0]
    return f"còn {len(pending)} báo cáo chưa đến hạn (gần nhất: {first['name_vi']}, hạn {format_date(first['effective_due_on'])})"


def reports_overview(status: pd.DataFrame) -> dict:
    """Roll the report statuses up into the status of plan task VIII.1.

    Returns:
        A dict: ``status`` (code), ``reason_vi``, ``n_reports``, ``n_due``,
        ``n_on_time``, ``n_late``, ``n_overdue``, ``n_not_due``, ``last_submitted_on``.
    """
    counts = status["status"].value_counts()
    n_on_time = int(counts.get("done_on_time", 0))
    n_late = int(counts.get("done_late", 0))
    n_overdue = int(counts.get("overdue", 0))
    n_not_due = int(counts.get("not_due", 0))
    n_due = n_on_time + n_late + n_overdue
    base = {
        "n_reports": len(status),
        "n_due": n_due,
        "n_on_time": n_on_time,
        "n_late": n_late,
        "n_overdue": n_overdue,
        "n_not_due": n_not_due,
        "last_submitted_on": status["submitted_on"].max() if len(status) else pd.NaT,
    }
    if not len(status):
        return base | {"status": "no_data", "reason_vi": "Chưa có danh sách báo cáo định kỳ."}
    pending = status.loc[status["status"] == "not_due"]
    tally = f"{n_on_time}/{n_due} báo cáo đến hạn gửi đúng hạn"
    if n_overdue:
        parts = [
            f"Chưa gửi báo cáo {r.name_vi} (hạn {format_date(r.effective_due_on)}, "
            f"quá {int(r.days_late_wd)} ngày làm việc)"
            for r in status.loc[status["status"] == "overdue"].itertuples()
        ]
        return base | {"status": "overdue", "reason_vi": "; ".join(parts) + f"; {tally}"}
    if n_late:
        parts = [
            f"Báo cáo {r.name_vi} gửi trễ {int(r.days_late_wd)} ngày làm việc "
            f"(hạn {format_date(r.effective_due_on)}, gửi {format_date(r.submitted_on)})"
            for r in status.loc[status["status"] == "done_late"].itertuples()
        ]
        return base | {"status": "done_late", "reason_vi": "; ".join(parts) + f"; {tally}"}
    if n_due == 0:
        return base | {
            "status": "not_due",
            "reason_vi": "Chưa đến hạn gửi báo cáo; " + _pending_text(pending),
        }
    if len(pending):
        return base | {"status": "on_track", "reason_vi": f"{tally}; {_pending_text(pending)}"}
    return base | {
        "status": "done_on_time",
        "reason_vi": f"{n_on_time}/{n_due} báo cáo gửi đúng hạn",
    }
