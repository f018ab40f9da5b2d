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

Where the pieces live: the task table is read by
:func:`tthc_analysis.loading.reference.load_task_indicators`; months and quarters are
attributed by :mod:`tthc_analysis.evaluation.attribution`; evidence is judged by
:mod:`tthc_analysis.evaluation.evidence_rules`; indicators by
:mod:`tthc_analysis.evaluation.indicators`; tasks are matched to units by
:mod:`tthc_analysis.plan.unit_matching`. This module puts them together per task.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import pandas as pd

from tthc_analysis.evaluation.attribution import (
    attribute_months,
    attribute_quarters,
    month_label,
    quarter_label,
    required_months,
    required_quarters,
)
from tthc_analysis.evaluation.evidence_rules import (
    EvidenceResult,
    _judge_evidence,
    _records,
    evidence_status,
)
from tthc_analysis.evaluation.indicators import (
    MetricValue,
    _activity_metric,
    activity_metric,
    judge_indicator,
    linear_projection,
)
from tthc_analysis.loading.reference import (
    EVIDENCE_CADENCES,
    EVIDENCE_SOURCES,
    TASK_INDICATOR_COLUMNS,
)
from tthc_analysis.plan.unit_matching import task_matches_units
from tthc_analysis.status import STATUSES, status_label, worst_status
from tthc_analysis.workdays import WorkCalendar, require_calendar

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
    "month_label",
    "quarter_label",
    "required_months",
    "required_quarters",
    "task_matches_units",
]

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
        task_indicators: :func:`tthc_analysis.loading.reference.load_task_indicators`.
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
        calendar=require_calendar(calendar),
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
