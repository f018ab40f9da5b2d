"""Status of every plan task: evidence against its cadence, indicators against targets.

The mapping task → evidence rule and indicators lives in ``data/plan/task_indicators.csv``
(next to the plan; setting ``task_indicators``), so another year's plan is evaluated by
editing data. One row per task holds the evidence rule (``indicator_id`` empty:
``evidence_cadence``, ``evidence_source``, and in ``name_vi`` what the evidence is, e.g.
"thông báo kết quả thực hiện Bộ chỉ số 766"); every other row is one indicator
(``indicator_id`` naming a metric, ``target``, ``direction`` ``min``/``max``, ``unit``
``rate``/``count``/``points``, optional ``target_date``). An empty cadence takes the
plan's cadence (``unparsed`` → ``ongoing``); a task without an evidence row gets the
plan's cadence with evidence from ``activities``.

Evidence rules (``activities`` rows with the task's id dated on or before the as-of
date; quarters are calendar quarters of the plan year). Only **completed** items
(status ``done``, "Hoàn thành", or no status: a dated document is a document issued)
count for completion and fill a period; items "Đang thực hiện" (``in_progress``) or
"Kế hoạch" (``planned``) show progress only and are named in the reason. The rule of
each task in words is in ``task_rules.csv`` (:mod:`tthc_analysis.evaluation.task_rules`),
shown on every section page:

- ``ongoing``: a quarter is *required* once it has ended (its last day ≤ as-of; with
  as-of 31/12 all four quarters count, with as-of 30/06 Quý I and II). On track when
  every required quarter has at least one item dated in it; otherwise ``behind``,
  naming the missing quarters ("Quý III/2025"). No quarter required yet: ``on_track``
  with evidence, else ``not_due``.
- ``monthly``: each item is attributed to one month: its ``covers_period`` when that
  names a month ("08/2025", "2025-08", "Tháng 8/2025"); otherwise, an item dated on or
  before day ``monthly_notice_due_day`` (10) of a month is for the previous month (a
  monthly notice is sent early in the next month), a later item for its own month. A
  month is required when its item is due — day 10 of the next month — on or before the
  as-of date (as-of 31/12/2025: January–November; December's notice is due 10/01/2026).
  Missing required months → ``behind`` naming them ("08/2025"), with the tally.
- ``quarterly``: like ``monthly`` with quarters: ``covers_period`` naming a quarter
  ("Quý I/2025", "Q1/2025") or a month, else the quarter of the item's date; a quarter
  is required once it has ended.
- ``deadline`` (deadline from the plan): an item with status ``done`` dated on or
  before the deadline → ``done_on_time``; only later ones → ``done_late`` (by N working
  days); none and the deadline before the as-of date → ``overdue``; none and the
  deadline not passed → ``not_due``. No deadline in the plan → ``no_data``.
- ``yearly`` (a "Thường xuyên" task whose text gives no period and whose product is a
  document, e.g. V.2, VI.2, VII.3): a completed item in the plan year → ``on_track``;
  none → ``not_due`` before 31/12, ``behind`` from 31/12 ("Năm 2025").
- ``on_request``: an item → ``on_track``; none → ``not_triggered``, or the evidence
  row's ``no_evidence_status`` (``no_data`` for I.6, whose trigger is an outside fact),
  with ``no_evidence_vi`` saying what evidence would show the task.
- ``none``: no evidence requirement.
- evidence source ``report_submissions`` (VIII.1): the report roll-up of
  :func:`tthc_analysis.metrics.submissions.reports_overview` (overdue / done_late / done_on_time /
  on_track / not_due / no_data).
- An empty ``activities`` table (no evidence supplied at all) gives ``no_data`` for
  every activity-based rule except ``on_request`` (``not_triggered``).

Indicators of ``target_kind`` ``reference`` (a level the plan does not set, e.g. I.3's
previous-year mean) are shown beside the value as the analyst's reference ("mức tham
chiếu"), never judged and never counted for the status. Other indicators: a value is
compared with its target (``min``: value ≥ target; ``max``:
value ≤ target) → met / not met; no value → NA; no target → shown only (NA). A count
target stated for the whole year (e.g. 4 reports, 12 notices) is capped at the number
of items due so far. When ``target_date`` is after the as-of date and the metric has a
monthly trend, the target is judged on the projection (least-squares line through the
monthly values, read at the target month) — "on course / not on course"; without a
trend the current value is judged. Two metrics have a monthly trend: the full-online
dossier share (monthly dossier rates) and the full-online coverage of the eligible
procedures (coverage at each month end, from the catalogue's optional
``full_online_since`` dates, :func:`tthc_analysis.metrics.procedures.online_coverage_by_month`;
a catalogue without those dates gives no trend, and the basis says so). An indicator computed from the same data as the
evidence rule (``source`` = ``evidence_source``) is shown but does not change the
status (the evidence rule already judges that data). In the reason lines numbers are
written with :mod:`tthc_analysis.text`: measured values and projections of rates with
one decimal ("97,0%"), 766 points with two ("90,86", as published), counts whole
("1.234"), negative numbers with the minus sign ("−0,65"); targets as the plan states
them ("80%", "82,5%").

Task status: the worst (:func:`tthc_analysis.status.worst_status`) of the evidence
status and the indicator status: ``below_target`` if any judged indicator is not met,
``achieved`` if all judged indicators are met, ``not_triggered`` when none can be judged
because nothing happened (no PAKN at all in the period although PAKN data exist). A
task with no evidence requirement and all indicators met is ``achieved``; with nothing
to judge at all, ``no_data``. The year-end and as-of conventions are those of
:func:`tthc_analysis.evaluation.evaluate.evaluate` (data metrics over the reporting period cut at
the as-of date).

Units: when units are given, a task is kept if its lead or partner units include one of
them, directly or through a group unit ("Các phòng" covers every unit, "Các phòng có
TTHC" those with procedures); evidence rows are chosen by
:func:`tthc_analysis.evaluation.evaluate.evaluate` (the units', plus the task's lead and named
partner units').
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from tthc_analysis.config import Settings, load_settings, read_reference_csv
from tthc_analysis.errors import InputFileError
from tthc_analysis.labels import INDICATOR_LABELS_VI
from tthc_analysis.status import STATUSES, status_label, worst_status
from tthc_analysis.text import format_date, format_number, format_percent, nfc
from tthc_analysis.workdays import WorkCalendar, default_calendar

__all__ = [
    "EVIDENCE_CADENCES",
    "INDICATOR_COLUMNS",
    "TASK_COLUMNS",
    "TASK_INDICATOR_COLUMNS",
    "EVIDENCE_SOURCES",
    "EvidenceResult",
    "MetricValue",
    "activity_metric",
    "attribute_months",
    "attribute_quarters",
    "evaluate_tasks",
    "evidence_status",
    "judge_indicator",
    "linear_projection",
    "load_task_indicators",
    "month_label",
    "quarter_label",
    "required_months",
    "required_quarters",
    "task_matches_units",
]

EVIDENCE_CADENCES = (
    "ongoing",
    "monthly",
    "quarterly",
    "yearly",
    "deadline",
    "on_request",
    "none",
)
COMPLETED_STATUSES = ("done", "")
"""Evidence statuses that count for completion: ``done`` ("Hoàn thành") or no status
(a dated document is a document issued). ``in_progress`` ("Đang thực hiện") and
``planned`` ("Kế hoạch") show progress only."""
NO_EVIDENCE_STATUSES = ("not_triggered", "no_data")
TARGET_KINDS = ("plan", "rule", "reference")
EVIDENCE_SOURCES = ("activities", "report_submissions", "none")
INDICATOR_SOURCES = (
    "dossiers",
    "procedures",
    "feedback",
    "index766",
    "report_submissions",
    "activities",
    "indicators",
    "none",
)
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_ROMAN_VALUE = {"I": 1, "II": 2, "III": 3, "IV": 4}
_EPS = 1e-9

TASK_INDICATOR_COLUMNS = (
    "task_id",
    "evidence_cadence",
    "evidence_source",
    "indicator_id",
    "name_vi",
    "source",
    "target",
    "direction",
    "unit",
    "target_date",
    "target_source",
    "notes",
    "no_evidence_status",
    "no_evidence_vi",
    "target_kind",
)

TASK_COLUMNS = (
    "task_id",
    "section_id",
    "section_title",
    "task_no",
    "content_short",
    "lead_unit",
    "partner_units",
    "cadence",
    "evidence_cadence",
    "evidence_source",
    "deadline",
    "status",
    "status_vi",
    "reason_vi",
    "evidence_status",
    "indicator_status",
    "evidence_count",
    "evidence_vi",
    "missing_periods",
    "last_evidence_on",
    "indicator_summary_vi",
)

INDICATOR_COLUMNS = (
    "task_id",
    "indicator_id",
    "name_vi",
    "source",
    "value",
    "target",
    "direction",
    "unit",
    "target_date",
    "met",
    "projection",
    "judged_on",
    "counts_for_status",
    "basis_vi",
    "target_source",
    "target_kind",
)


# --- task → indicator table ----------------------------------------------------------


def load_task_indicators(
    path: str | Path | None = None, settings: Settings | None = None
) -> pd.DataFrame:
    """Read and check ``task_indicators.csv``.

    An indicator row whose ``name_vi`` is empty is named from
    :data:`tthc_analysis.labels.INDICATOR_LABELS_VI` (the id itself when unknown), so the
    names of the indicators have one source; a non-empty ``name_vi`` overrides it.

    Returns:
        The table with ``target`` as float (NaN when empty) and ``target_date`` as a
        date (NaT when empty); other columns as text ("" when empty).

    Raises:
        InputFileError: a missing column or an invalid value, naming the row and column.
    """
    if path is None:
        settings = settings or load_settings()
        path = settings.reference_path(settings.task_indicators)
    return read_reference_csv(path, "bảng chỉ tiêu nhiệm vụ", _parse_task_indicators)


def _parse_task_indicators(raw: pd.DataFrame, path: Path) -> pd.DataFrame:
    missing = [c for c in ("task_id", "indicator_id") if c not in raw.columns]
    if missing:
        raise InputFileError(
            f"Thiếu cột «{missing[0]}» trong bảng chỉ tiêu nhiệm vụ.",
            file=path,
            hint=f"Các cột: {', '.join(TASK_INDICATOR_COLUMNS)}.",
        )
    for col in TASK_INDICATOR_COLUMNS:
        if col not in raw.columns:
            raw[col] = ""
    raw = raw[list(TASK_INDICATOR_COLUMNS)].map(lambda v: nfc(v).strip())
    unnamed = (raw["indicator_id"] != "") & (raw["name_vi"] == "")
    raw.loc[unnamed, "name_vi"] = [
        INDICATOR_LABELS_VI.get(i, i) for i in raw.loc[unnamed, "indicator_id"]
    ]
    targets, dates = [], []
    for number, rec in enumerate(raw.to_dict("records"), start=2):
        _check_row(rec, path, number)
        targets.append(_target(rec["target"], path, number))
        dates.append(_date(rec["target_date"], path, number))
    out = raw.copy()
    out["target"] = pd.Series(targets, dtype="float64")
    out["target_date"] = pd.Series(pd.to_datetime(dates), dtype="datetime64[us]")
    return out


def _check_row(rec: dict, path: Path, row: int) -> None:
    if not re.fullmatch(r"[IVXLC]+\.[0-9]+", rec["task_id"]):
        raise InputFileError(
            f"Mã nhiệm vụ không hợp lệ: «{rec['task_id']}».", file=path, row=row, column="task_id"
        )
    checks = [
        ("evidence_cadence", EVIDENCE_CADENCES),
        ("evidence_source", EVIDENCE_SOURCES),
        ("direction", ("min", "max")),
        ("unit", ("rate", "count", "points")),
        ("no_evidence_status", NO_EVIDENCE_STATUSES),
        ("target_kind", TARGET_KINDS),
    ]
    if rec["indicator_id"]:
        checks.append(("source", INDICATOR_SOURCES))
    for col, allowed in checks:
        if rec[col] and rec[col] not in allowed:
            raise InputFileError(
                f"Giá trị «{rec[col]}» không hợp lệ (chỉ nhận: {', '.join(allowed)}).",
                file=path,
                row=row,
                column=col,
            )


def _target(text: str, path: Path, row: int) -> float:
    if not text:
        return float("nan")
    clean = text.replace(",", ".")
    try:
        value = float(clean.rstrip("%"))
    except ValueError:
        raise InputFileError(
            f"Chỉ tiêu không phải số: «{text}».", file=path, row=row, column="target"
        ) from None
    return value / 100 if clean.endswith("%") else value


def _date(text: str, path: Path, row: int):
    if not text:
        return pd.NaT
    try:
        return datetime.strptime(text, "%d/%m/%Y")
    except ValueError:
        raise InputFileError(
            f"Ngày không hợp lệ: «{text}» (cần dd/mm/yyyy).",
            file=path,
            row=row,
            column="target_date",
        ) from None


def _evidence_rules(plan_tasks: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """One evidence rule per plan task: cadence, source and the evidence's name."""
    ev: dict[str, dict] = {}
    for rec in table.to_dict("records"):
        if not rec["indicator_id"]:
            ev.setdefault(rec["task_id"], rec)
    rows = []
    for task in plan_tasks.itertuples(index=False):
        plan_cadence = task.cadence if task.cadence in EVIDENCE_CADENCES else "ongoing"
        rec = ev.get(task.task_id)
        empty_status, empty_vi = "", ""
        if rec is not None:
            cadence = rec["evidence_cadence"] or plan_cadence
            source = rec["evidence_source"] or ("none" if cadence == "none" else "activities")
            name = rec["name_vi"] or "minh chứng"
            empty_status = rec.get("no_evidence_status", "")
            empty_vi = rec.get("no_evidence_vi", "")
        else:
            cadence, source, name = plan_cadence, "activities", "minh chứng"
        if source == "none":
            cadence = "none"
        rows.append(
            {
                "task_id": task.task_id,
                "evidence_cadence": cadence,
                "evidence_source": source,
                "evidence_name_vi": name,
                "no_evidence_status": empty_status,
                "no_evidence_vi": empty_vi,
            }
        )
    return pd.DataFrame(rows)


# --- periods --------------------------------------------------------------------------


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


# --- evidence -------------------------------------------------------------------------


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
        calendar: Working-day calendar (days late).
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
        late = int((calendar or default_calendar()).count_working_days(deadline, done[0]))
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


# --- indicators -----------------------------------------------------------------------


@dataclass
class MetricValue:
    """A computed indicator value.

    Attributes:
        value: The value (NaN when there is no data).
        detail_vi: Context shown after the value, e.g. "1.234/2.359 hồ sơ".
        projection: Projected value at the target date (NaN when none).
        target: Target supplied by the metric itself (e.g. the previous year's mean);
            used when the table leaves the target empty.
        cap: Number of items due so far; a yearly count target is capped at it.
        note_vi: Extra text for the basis when the value is missing.
        empty_status: Status the indicator gives when it has no value because nothing
            happened (e.g. ``not_triggered``: no PAKN to handle in the period).
        trend_vi: What the projection rests on, or why there is none (e.g. "danh mục
            không có ngày cung cấp DVCTT toàn trình"); appended to the basis.
    """

    value: float = float("nan")
    detail_vi: str = ""
    projection: float = float("nan")
    target: float = float("nan")
    cap: float = float("nan")
    note_vi: str = ""
    empty_status: str = ""
    trend_vi: str = ""


def linear_projection(values: Sequence[float], positions: Sequence[float], at: float) -> float:
    """Least-squares line through (position, value) points, read at ``at``.

    NaN values are ignored; fewer than two points give NaN. Not clipped.
    """
    x = np.asarray(positions, dtype="float64")
    y = np.asarray(values, dtype="float64")
    ok = np.isfinite(x) & np.isfinite(y)
    if ok.sum() < 2 or np.ptp(x[ok]) == 0:
        return float("nan")
    slope, intercept = np.polyfit(x[ok], y[ok], 1)
    return float(slope * at + intercept)


def _fmt(value: float, unit: str) -> str:
    """A measured value or projection, written the Vietnamese way.

    Rates with one decimal (``"97,0%"``), points with two (``"90,86"``, as published),
    counts whole (one decimal if fractional).
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if unit == "rate":
        return format_percent(value, 1)
    if unit == "points":
        return format_number(value, 0 if float(value).is_integer() else 2)
    return format_number(value, 0 if float(value).is_integer() else 1)


def _fmt_target(value: float, unit: str) -> str:
    """A target as the plan states it: ``"80%"``, ``"82,5%"``, ``"4"``."""
    if unit == "rate" and not math.isnan(value):
        whole = round(value * 100, 6).is_integer()
        return format_percent(value, 0 if whole else 1)
    return _fmt(value, unit)


def judge_indicator(spec: Mapping, metric: MetricValue, as_of: date) -> dict:
    """Judge one indicator row of the task table.

    Returns:
        A dict with ``value``, ``target`` (the one applied), ``met`` (True/False/NA),
        ``projection``, ``judged_on`` (``value``/``projection``/``""``), ``basis_vi``.
    """
    name, unit, direction = spec["name_vi"], spec["unit"] or "rate", spec["direction"] or "min"
    target = spec["target"]
    if (target is None or math.isnan(target)) and not math.isnan(metric.target):
        target = metric.target
    value = metric.value
    target_date = spec.get("target_date")
    has_date = target_date is not None and not pd.isna(target_date)
    applied = target
    if not math.isnan(target) and not math.isnan(metric.cap) and unit == "count":
        applied = min(target, metric.cap) if direction == "min" else target
    detail = f" ({metric.detail_vi})" if metric.detail_vi else ""
    proj_text = ""
    if has_date and not math.isnan(metric.projection):
        proj_text = (
            f"; dự báo {format_date(pd.Timestamp(target_date))}: {_fmt(metric.projection, unit)}"
        )
    if math.isnan(value):
        note = metric.note_vi or "chưa có dữ liệu"
        return _judged(value, target, pd.NA, metric.projection, "", f"{name}: {note}")
    if math.isnan(target):
        basis = f"{name}: {_fmt(value, unit)}{detail} (theo dõi, không có chỉ tiêu){proj_text}"
        if metric.trend_vi:
            basis += f"; {metric.trend_vi}"
        return _judged(value, target, pd.NA, metric.projection, "", basis)
    if spec.get("target_kind") == "reference":
        # A level the plan does not set: shown beside the value, never judged.
        above = value >= target - _EPS if direction == "min" else value <= target + _EPS
        op = ("≥" if above else "<") if direction == "min" else ("≤" if above else ">")
        basis = (
            f"{name}: {_fmt(value, unit)}{detail} {op} mức tham chiếu "
            f"{_fmt_target(target, unit)} của người phân tích "
            f"(kế hoạch không đặt chỉ tiêu; không dùng để đánh giá){proj_text}"
        )
        return _judged(value, target, pd.NA, metric.projection, "", basis)
    before = has_date and as_of < pd.Timestamp(target_date).date()
    use_projection = before and not math.isnan(metric.projection)
    judged_value = metric.projection if use_projection else value
    met = judged_value >= applied - _EPS if direction == "min" else judged_value <= applied + _EPS
    op = (">=" if met else "<") if direction == "min" else ("<=" if met else ">")
    op = {">=": "≥", "<=": "≤"}.get(op, op)
    target_text = f"chỉ tiêu {_fmt_target(applied, unit)}"
    if applied != target:
        target_text += f" (đến hạn; cả năm {_fmt_target(target, unit)})"
    if use_projection:
        basis = (
            f"{name}: {_fmt(value, unit)}{detail}; dự báo "
            f"{format_date(pd.Timestamp(target_date))}: {_fmt(metric.projection, unit)} "
            f"{op} {target_text} ({'đúng hướng' if met else 'chưa đúng hướng'})"
        )
    else:
        basis = f"{name}: {_fmt(value, unit)}{detail} {op} {target_text}{proj_text}"
    if metric.trend_vi:
        basis += f"; {metric.trend_vi}"
    return _judged(
        value,
        applied,
        bool(met),
        metric.projection,
        "projection" if use_projection else "value",
        basis,
    )


def _judged(value, target, met, projection, judged_on, basis) -> dict:
    return {
        "value": value,
        "target": target,
        "met": met,
        "projection": projection,
        "judged_on": judged_on,
        "basis_vi": basis,
    }


_ACTIVITY_METRICS = {
    "notice_months": "months",
    "proposals_count": "count",
    "trainings_count": "count",
    "training_participants": "participants",
    "communication_items": "count",
}


def activity_metric(
    indicator_id: str, items: pd.DataFrame, year: int, as_of: date, due_day: int = 10
) -> MetricValue:
    """A metric computed from the task's own evidence items.

    ``notice_months`` (and any id ending in ``_months``): distinct months of ``year``
    covered (the yearly target is capped at the months due); ``*_participants``: sum of
    ``participants``; anything else: number of items. Items dated in ``year`` up to
    ``as_of``.
    """
    return _activity_metric(indicator_id, _records(items), year, as_of, due_day)


def _activity_metric(
    indicator_id: str, records: list[dict], year: int, as_of: date, due_day: int
) -> MetricValue:
    kind = _ACTIVITY_METRICS.get(indicator_id)
    if kind is None:
        if indicator_id.endswith("_months"):
            kind = "months"
        elif indicator_id.endswith("_participants"):
            kind = "participants"
        else:
            kind = "count"
    items = [r for r in records if r["date"] is not None and r["date"] <= as_of]
    if kind == "months":
        due = len(required_months(year, as_of, due_day))
        covered = {_month_key(r["date"], r.get("covers_period"), due_day) for r in items}
        n = sum(1 for k in covered if k and k.startswith(f"{year}-"))
        return MetricValue(float(n), f"{due} tháng đến hạn", cap=float(due))
    in_year = [r for r in items if r["date"].year == year]
    if kind == "participants":
        values = pd.to_numeric(
            pd.Series([r.get("participants") for r in in_year], dtype=object), errors="coerce"
        )
        return MetricValue(float(values.sum()) if len(values) else 0.0, f"{len(in_year)} lượt")
    return MetricValue(float(len(in_year)))


# --- units ----------------------------------------------------------------------------


def task_matches_units(lead_unit: str, partner_units, units: Sequence[str]) -> bool:
    """Whether a task concerns any of ``units`` (directly or through a group unit)."""
    from tthc_analysis.plan.units import normalise_unit, unit_reference

    wanted = {normalise_unit(u) for u in units}
    ref = unit_reference()
    groups = {r["name_vi"]: r for r in ref if r.get("kind") == "group"}
    tthc = {r["name_vi"] for r in ref if str(r.get("has_tthc", "")).lower() == "true"}
    named = [lead_unit, *(list(partner_units) if partner_units is not None else [])]
    for unit in named:
        if not isinstance(unit, str) or not unit:
            continue
        if unit in wanted:
            return True
        group = groups.get(unit)
        if group is None:
            continue
        if group.get("unit_code") == "ALL_TTHC":
            if wanted & tthc:
                return True
        elif wanted - set(groups):
            return True
    return False


# --- tasks ----------------------------------------------------------------------------


@dataclass
class _TaskContext:
    year: int
    as_of: date
    due_day: int
    calendar: WorkCalendar
    activities: dict[str, list[dict]]
    has_activity_data: bool
    reports: dict | None


def _shorten(text: str, limit: int = 90) -> str:
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def _evidence_for(task, rule: dict, ctx: _TaskContext) -> EvidenceResult:
    source, cadence = rule["evidence_source"], rule["evidence_cadence"]
    if source == "report_submissions":
        rep = ctx.reports
        if rep is None:
            return EvidenceResult("no_data", "Chưa có danh sách báo cáo định kỳ")
        return EvidenceResult(
            rep["status"],
            rep["reason_vi"],
            evidence_count=rep["n_on_time"] + rep["n_late"],
            last_evidence_on=(
                pd.Timestamp(rep["last_submitted_on"]).date()
                if pd.notna(rep["last_submitted_on"])
                else None
            ),
            evidence_vi=(
                f"{rep['n_on_time'] + rep['n_late']}/{rep['n_reports']} báo cáo đã gửi "
                f"({rep['n_on_time']} đúng hạn, {rep['n_late']} trễ hạn, "
                f"{rep['n_overdue']} quá hạn chưa gửi)"
            ),
        )
    deadline = task.deadline if pd.notna(task.deadline) else None
    return _judge_evidence(
        ctx.activities.get(task.task_id, []),
        cadence,
        ctx.year,
        ctx.as_of,
        deadline,
        rule["evidence_name_vi"],
        ctx.due_day,
        ctx.calendar,
        ctx.has_activity_data,
        rule.get("no_evidence_status", ""),
        rule.get("no_evidence_vi", ""),
    )


def _indicator_rows(task, rule, specs, metrics, ctx) -> list[dict]:
    rows = []
    for spec in specs:
        if spec["source"] == "indicators":
            continue  # roll-up, computed once all other indicators are judged
        if spec["source"] == "activities":
            items = ctx.activities.get(task.task_id, [])
            metric = _activity_metric(spec["indicator_id"], items, ctx.year, ctx.as_of, ctx.due_day)
            if not ctx.has_activity_data:
                metric = MetricValue(note_vi="chưa có dữ liệu minh chứng")
        else:
            metric = metrics.get(spec["indicator_id"], MetricValue(note_vi="chưa có dữ liệu"))
        judged = judge_indicator(spec, metric, ctx.as_of)
        record = _indicator_record(task.task_id, spec, judged, rule)
        if math.isnan(metric.value) and metric.empty_status:
            record["empty_status"] = metric.empty_status
        rows.append(record)
    return rows


def _indicator_record(task_id: str, spec: Mapping, judged: dict, rule: Mapping) -> dict:
    return {
        "task_id": task_id,
        "indicator_id": spec["indicator_id"],
        "name_vi": spec["name_vi"],
        "source": spec["source"],
        "value": judged["value"],
        "target": judged["target"],
        "direction": spec["direction"] or "min",
        "unit": spec["unit"] or "rate",
        "target_date": spec["target_date"],
        "met": judged["met"],
        "projection": judged["projection"],
        "judged_on": judged["judged_on"],
        "counts_for_status": spec["source"] != rule["evidence_source"]
        and spec.get("target_kind", "") != "reference",
        "basis_vi": judged["basis_vi"],
        "target_source": spec["target_source"],
        "target_kind": spec.get("target_kind", "") or "plan",
    }


def _rollup_rows(table: pd.DataFrame, indicators: list[dict], as_of: date) -> list[dict]:
    """Indicators of source ``indicators``: share of the other judged indicators met."""
    rollup = table.loc[(table["indicator_id"] != "") & (table["source"] == "indicators")]
    out = []
    for spec in rollup.to_dict("records"):
        others = [
            r
            for r in indicators
            if r["task_id"] != spec["task_id"] and r["met"] is not pd.NA and r["counts_for_status"]
        ]
        n_met = sum(1 for r in others if r["met"] is True)
        metric = (
            MetricValue(n_met / len(others), f"{n_met}/{len(others)} chỉ tiêu đạt")
            if others
            else MetricValue(note_vi="chưa có chỉ tiêu nào đánh giá được")
        )
        judged = judge_indicator(spec, metric, as_of)
        out.append(_indicator_record(spec["task_id"], spec, judged, {"evidence_source": ""}))
    return out


def _indicator_status(rows: list[dict]) -> tuple[str | None, str, list[str]]:
    judged = [r for r in rows if r["counts_for_status"] and r["met"] is not pd.NA]
    failed = [r["basis_vi"] for r in judged if r["met"] is False]
    n_info = sum(1 for r in rows if r["met"] is pd.NA)
    if not rows:
        return None, "", []
    parts = []
    if judged:
        parts.append(f"{len(judged) - len(failed)}/{len(judged)} chỉ tiêu đạt")
    if n_info:
        parts.append(f"{n_info} chỉ số theo dõi/chưa có dữ liệu")
    summary = "; ".join(parts)
    if not judged:
        hints = [
            r["empty_status"] for r in rows if r["counts_for_status"] and r.get("empty_status")
        ]
        return (worst_status(hints) if hints else None), summary, []
    return ("below_target" if failed else "achieved"), summary, failed


def _reason(
    status: str, evidence: EvidenceResult, failed: list[str], rows: list[dict], summary: str
) -> str:
    """One line explaining ``status``: the part that decides it comes first."""
    ev_text = evidence.reason_vi if evidence.status is not None else ""
    if failed:
        ev_first = evidence.status is not None and (
            STATUSES[evidence.status].severity < STATUSES["below_target"].severity
        )
        parts = [ev_text, *failed] if ev_first else [*failed, ev_text]
    elif evidence.status is not None:
        parts = [ev_text, summary if any(r["met"] is True for r in rows) else ""]
    elif status == "achieved":
        parts = [r["basis_vi"] for r in rows if r["counts_for_status"] and r["met"] is True]
    else:
        parts = [r["basis_vi"] for r in rows] or [
            "Không yêu cầu minh chứng và không có chỉ tiêu để đánh giá"
        ]
    return "; ".join(p for p in parts if p)


def evaluate_tasks(
    plan_tasks: pd.DataFrame,
    task_indicators: pd.DataFrame,
    activities: pd.DataFrame,
    metrics: Mapping[str, MetricValue],
    as_of: date,
    year: int,
    reports: dict | None = None,
    calendar: WorkCalendar | None = None,
    due_day: int = 10,
    has_activity_data: bool | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Status of every task, and its indicators.

    Args:
        plan_tasks: ``Plan.tasks``.
        task_indicators: :func:`load_task_indicators`.
        activities: Canonical ``activities`` (already filtered by unit if needed).
        metrics: Indicator values from the data, by ``indicator_id`` (metrics of source
            ``activities`` and ``indicators`` are computed here).
        as_of: As-of date.
        year: Plan year.
        reports: :func:`tthc_analysis.metrics.submissions.reports_overview` of the year (evidence
            of tasks whose evidence source is ``report_submissions``).
        calendar: Working-day calendar.
        due_day: ``Settings.monthly_notice_due_day``.
        has_activity_data: Whether any evidence was supplied at all (default: whether
            ``activities`` has rows).

    Returns:
        ``(tasks, indicators)``: ``tasks`` with the columns of :data:`TASK_COLUMNS`, one
        row per plan task in plan order; ``indicators`` with :data:`INDICATOR_COLUMNS`.
    """
    by_task: dict[str, list[dict]] = {}
    for rec in _records(activities):
        by_task.setdefault(rec["task_id"], []).append(rec)
    ctx = _TaskContext(
        year=year,
        as_of=as_of,
        due_day=due_day,
        calendar=calendar or default_calendar(),
        activities=by_task,
        has_activity_data=len(activities) > 0 if has_activity_data is None else has_activity_data,
        reports=reports,
    )
    rules = {
        r["task_id"]: r for r in _evidence_rules(plan_tasks, task_indicators).to_dict("records")
    }
    specs_by_task: dict[str, list[dict]] = {}
    for spec in task_indicators.to_dict("records"):
        if spec["indicator_id"]:
            specs_by_task.setdefault(spec["task_id"], []).append(spec)
    evidence: dict[str, EvidenceResult] = {}
    indicator_rows: list[dict] = []
    for task in plan_tasks.itertuples(index=False):
        rule = rules[task.task_id]
        evidence[task.task_id] = _evidence_for(task, rule, ctx)
        indicator_rows += _indicator_rows(
            task, rule, specs_by_task.get(task.task_id, []), metrics, ctx
        )
    task_ids = set(plan_tasks["task_id"])
    indicator_rows += [
        r for r in _rollup_rows(task_indicators, indicator_rows, as_of) if r["task_id"] in task_ids
    ]
    order = {tid: i for i, tid in enumerate(plan_tasks["task_id"])}
    indicator_rows.sort(key=lambda r: order.get(r["task_id"], 10**6))
    rows = [
        _task_row(task, rules[task.task_id], evidence[task.task_id], indicator_rows)
        for task in plan_tasks.itertuples(index=False)
    ]
    tasks = pd.DataFrame(rows, columns=list(TASK_COLUMNS))
    indicators = pd.DataFrame(indicator_rows, columns=list(INDICATOR_COLUMNS))
    indicators["value"] = indicators["value"].astype("float64")
    indicators["target"] = indicators["target"].astype("float64")
    indicators["projection"] = indicators["projection"].astype("float64")
    indicators["met"] = indicators["met"].astype("boolean")
    return tasks, indicators


def _task_row(task, rule, ev: EvidenceResult, indicator_rows: list[dict]) -> dict:
    rows = [r for r in indicator_rows if r["task_id"] == task.task_id]
    ind_status, ind_summary, failed = _indicator_status(rows)
    candidates = [s for s in (ev.status, ind_status) if s]
    status = worst_status(candidates) if candidates else "no_data"
    return {
        "task_id": task.task_id,
        "section_id": task.section_id,
        "section_title": task.section_title,
        "task_no": task.task_no,
        "content_short": _shorten(task.content),
        "lead_unit": task.lead_unit,
        "partner_units": task.partner_units,
        "cadence": task.cadence,
        "evidence_cadence": rule["evidence_cadence"],
        "evidence_source": rule["evidence_source"],
        "deadline": task.deadline,
        "status": status,
        "status_vi": status_label(status),
        "reason_vi": _reason(status, ev, failed, rows, ind_summary),
        "evidence_status": ev.status,
        "indicator_status": ind_status,
        "evidence_count": ev.evidence_count,
        "evidence_vi": ev.evidence_vi,
        "missing_periods": list(ev.missing_periods),
        "last_evidence_on": ev.last_evidence_on,
        "indicator_summary_vi": ind_summary,
    }
