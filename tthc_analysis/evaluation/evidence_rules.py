"""Evidence of one task judged against its cadence (rules in :mod:`tthc_analysis.evaluation.tasks`)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from tthc_analysis.evaluation.attribution import (
    _month_key,
    _py_dates,
    _quarter_key,
    month_label,
    quarter_label,
    required_months,
    required_quarters,
)
from tthc_analysis.text import format_date
from tthc_analysis.workdays import WorkCalendar, require_calendar

__all__ = ["COMPLETED_STATUSES", "EvidenceResult", "evidence_status", "is_completed"]

COMPLETED_STATUSES = ("done", "")
"""Evidence statuses that count for completion: ``done`` ("Hoàn thành") or no status
(a dated document is a document issued). ``in_progress`` ("Đang thực hiện") and
``planned`` ("Kế hoạch") show progress only (issue 13)."""


@dataclass
class EvidenceResult:
    """The evidence judgement of one task.

    Attributes:
        status: Status code, or None when the task has no evidence requirement.
        reason_vi: One checkable line.
        missing_periods: Missing months ("08/2025") or quarters ("Quý III/2025").
        evidence_count: Evidence items counted (dated on or before the as-of date).
        last_evidence_on: Date of the latest item.
        evidence_vi: Short summary of the evidence found.
    """

    status: str | None
    reason_vi: str = ""
    missing_periods: list[str] = field(default_factory=list)
    evidence_count: int = 0
    last_evidence_on: date | None = None
    evidence_vi: str = ""


_ITEM_FIELDS = ("task_id", "date", "status", "covers_period", "doc_number", "participants")


def _records(items: pd.DataFrame) -> list[dict]:
    """Activities rows as plain dicts with a ``datetime.date`` ``date`` (None if empty)."""
    if not len(items):
        return []
    cols = {
        name: items[name].tolist() if name in items else [None] * len(items)
        for name in _ITEM_FIELDS
    }
    cols["date"] = _py_dates(items["date"])
    return [dict(zip(cols, values, strict=True)) for values in zip(*cols.values(), strict=True)]


def _summary(items: list[dict]) -> str:
    if not items:
        return "Không có minh chứng"
    last = max(items, key=lambda r: r["date"])
    doc = last.get("doc_number")
    doc_text = f": {doc}" if isinstance(doc, str) and doc else ""
    return f"{len(items)} minh chứng (gần nhất {format_date(last['date'])}{doc_text})"


def evidence_status(
    items: pd.DataFrame,
    cadence: str,
    year: int,
    as_of: date,
    deadline: date | None = None,
    name_vi: str = "minh chứng",
    due_day: int = 10,
    calendar: WorkCalendar | None = None,
    has_activity_data: bool = True,
    no_evidence_status: str = "",
    no_evidence_vi: str = "",
) -> EvidenceResult:
    """Judge the evidence ``items`` (activities rows of one task) against ``cadence``.

    Args:
        items: Activities rows of the task (``date``, ``status``, ``covers_period``...).
        cadence: One of :data:`EVIDENCE_CADENCES`.
        year: Plan year.
        as_of: As-of date; later items are ignored.
        deadline: The task's deadline (``deadline`` cadence).
        name_vi: What the evidence is, for the reason line.
        due_day: Day of the next month a monthly item is due.
        calendar: Working-day calendar, to count the days late of a ``deadline`` task
            (required for that cadence; no file is read here).
        has_activity_data: False when the activities table is empty (→ ``no_data``).
        no_evidence_status: Status of an ``on_request`` task without evidence
            (``not_triggered`` by default; ``no_data`` when its trigger is an outside
            fact the data cannot see).
        no_evidence_vi: What evidence would show the task (reason when there is none).
    """
    return _judge_evidence(
        _records(items),
        cadence,
        year,
        as_of,
        deadline,
        name_vi,
        due_day,
        calendar,
        has_activity_data,
        no_evidence_status,
        no_evidence_vi,
    )


def _judge_evidence(
    records: list[dict],
    cadence: str,
    year: int,
    as_of: date,
    deadline,
    name_vi: str,
    due_day: int,
    calendar: WorkCalendar | None,
    has_activity_data: bool,
    no_evidence_status: str = "",
    no_evidence_vi: str = "",
) -> EvidenceResult:
    if cadence == "none":
        return EvidenceResult(None, evidence_vi="Không yêu cầu minh chứng")
    items = [r for r in records if r["date"] is not None and r["date"] <= as_of]
    if cadence == "on_request":
        return _on_request(items, name_vi, no_evidence_status, no_evidence_vi)
    if not has_activity_data:
        return EvidenceResult(
            "no_data",
            "Chưa có dữ liệu minh chứng (bảng hoạt động trống)",
            evidence_vi="Không có dữ liệu",
        )
    if cadence == "deadline":
        return _deadline(items, deadline, as_of, name_vi, calendar)
    if cadence == "monthly":
        return _monthly(items, year, as_of, name_vi, due_day)
    if cadence == "yearly":
        return _yearly(items, year, as_of, name_vi)
    return _quarterly(items, year, as_of, name_vi, by_date=cadence == "ongoing")


def is_completed(status: object) -> bool:
    """Whether an evidence item's status counts for completion (:data:`COMPLETED_STATUSES`)."""
    if status is None or status is pd.NA:
        return True
    if isinstance(status, float) and math.isnan(status):
        return True
    return str(status) in COMPLETED_STATUSES


def _split(items: list[dict]) -> tuple[list[dict], list[dict]]:
    """Completed items, and items that only show progress ("Đang thực hiện", "Kế hoạch")."""
    done = [r for r in items if is_completed(r.get("status"))]
    return done, [r for r in items if not is_completed(r.get("status"))]


def _progress_text(progress: list[dict]) -> str:
    if not progress:
        return ""
    return (
        f"; {len(progress)} minh chứng đang thực hiện/kế hoạch "
        "(cho thấy tiến độ, không tính là hoàn thành)"
    )


def _base(items: list[dict]) -> dict:
    return {
        "evidence_count": len(items),
        "last_evidence_on": max((r["date"] for r in items), default=None),
        "evidence_vi": _summary(items),
    }


def _on_request(
    items: list[dict], name_vi: str, empty_status: str = "", empty_vi: str = ""
) -> EvidenceResult:
    done, progress = _split(items)
    if done:
        return EvidenceResult(
            "on_track",
            f"Đã triển khai theo yêu cầu: {_summary(done)}{_progress_text(progress)}",
            **_base(items),
        )
    if progress:
        return EvidenceResult(
            "on_track",
            f"Đang triển khai theo yêu cầu, chưa có {name_vi} hoàn thành: {_summary(progress)}",
            **_base(items),
        )
    if empty_status == "no_data":
        hint = f": {empty_vi}" if empty_vi else ""
        return EvidenceResult(
            "no_data",
            f"Chưa có dữ liệu về {name_vi}{hint}",
            evidence_vi="Không có minh chứng",
        )
    return EvidenceResult(
        "not_triggered",
        f"Chưa phát sinh yêu cầu của cấp trên (chưa có {name_vi})",
        evidence_vi="Không có minh chứng",
    )


def _deadline(
    items: list[dict],
    deadline,
    as_of: date,
    name_vi: str,
    calendar: WorkCalendar | None,
) -> EvidenceResult:
    base = _base(items)
    if deadline is None or pd.isna(deadline):
        return EvidenceResult("no_data", "Kế hoạch không ghi hạn hoàn thành", **base)
    deadline = pd.Timestamp(deadline).date()
    done = sorted(r["date"] for r in _split(items)[0])
    if done and done[0] <= deadline:
        return EvidenceResult(
            "done_on_time",
            f"Hoàn thành ngày {format_date(done[0])} (hạn {format_date(deadline)})",
            **base,
        )
    if done:
        late = int(require_calendar(calendar).count_working_days(deadline, done[0]))
        return EvidenceResult(
            "done_late",
            f"Hoàn thành ngày {format_date(done[0])}, trễ {late} ngày làm việc so với hạn "
            f"{format_date(deadline)}",
            **base,
        )
    progress = f"; có {len(items)} minh chứng đang thực hiện" if items else ""
    if deadline < as_of:
        return EvidenceResult(
            "overdue",
            f"Quá hạn {format_date(deadline)}, chưa có {name_vi} hoàn thành{progress}",
            **base,
        )
    return EvidenceResult(
        "not_due", f"Chưa đến hạn {format_date(deadline)}, chưa hoàn thành{progress}", **base
    )


def _periodic(
    covered: set[str], required: list[str], labels: dict[str, str], items, name_vi, unit
) -> EvidenceResult:
    """Judge periodic coverage; ``covered`` holds the periods of *completed* items only."""
    missing = [labels[k] for k in required if k not in covered]
    n_ok = len(required) - len(missing)
    base = _base(items)
    done, progress = _split(items)
    extra = _progress_text(progress)
    if not required:
        if done:
            return EvidenceResult(
                "on_track",
                f"Chưa đến kỳ phải có minh chứng; đã có {_summary(done)}{extra}",
                **base,
            )
        return EvidenceResult("not_due", f"Chưa đến kỳ đầu tiên phải có {name_vi}{extra}", **base)
    tally = f"{n_ok}/{len(required)} {unit} có minh chứng hoàn thành"
    if missing:
        which = f"tháng {', '.join(missing)}" if unit == "tháng" else ", ".join(missing)
        return EvidenceResult(
            "behind", f"Thiếu {name_vi} {which} ({tally}){extra}", missing_periods=missing, **base
        )
    return EvidenceResult("on_track", f"Có {name_vi} đủ {tally}{extra}", **base)


def _monthly(
    items: list[dict], year: int, as_of: date, name_vi: str, due_day: int
) -> EvidenceResult:
    keys = [f"{year}-{m:02d}" for m in required_months(year, as_of, due_day)]
    labels = {f"{year}-{m:02d}": month_label(year, m) for m in range(1, 13)}
    done = _split(items)[0]
    covered = {_month_key(r["date"], r.get("covers_period"), due_day) for r in done}
    return _periodic(covered, keys, labels, items, name_vi, "tháng")


def _quarterly(
    items: list[dict], year: int, as_of: date, name_vi: str, by_date: bool
) -> EvidenceResult:
    keys = [f"{year}-Q{q}" for q in required_quarters(year, as_of)]
    labels = {f"{year}-Q{q}": quarter_label(year, q) for q in range(1, 5)}
    done = _split(items)[0]
    covered = {_quarter_key(r["date"], None if by_date else r.get("covers_period")) for r in done}
    return _periodic(covered, keys, labels, items, name_vi, "quý")


def _yearly(items: list[dict], year: int, as_of: date, name_vi: str) -> EvidenceResult:
    """At least one completed item in ``year``, required once the year has ended.

    For tasks whose plan text ("Thường xuyên") gives no period: the plan year is the
    only cadence the text supports.
    """
    base = _base(items)
    in_year = [r for r in items if r["date"].year == year]
    done, progress = _split(in_year)
    extra = _progress_text(progress)
    if done:
        return EvidenceResult(
            "on_track", f"Có {name_vi} hoàn thành trong năm {year}: {_summary(done)}{extra}", **base
        )
    year_end = date(year, 12, 31)
    if as_of >= year_end:
        return EvidenceResult(
            "behind",
            f"Năm {year} chưa có {name_vi} hoàn thành (yêu cầu ít nhất một lần trong năm){extra}",
            missing_periods=[f"Năm {year}"],
            **base,
        )
    return EvidenceResult(
        "not_due",
        f"Chưa có {name_vi} hoàn thành; yêu cầu ít nhất một lần trong năm {year} "
        f"(đến {format_date(year_end)}){extra}",
        **base,
    )
