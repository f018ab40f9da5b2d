"""One call that evaluates everything, so notebooks and the report use the same numbers.

:func:`evaluate` takes the loaded tables (:func:`tthc_analysis.loading.ingest.load_tables`), a
year, an as-of date, a period and optionally some units, and returns an
:class:`Evaluation`: the status of the 24 tasks with their indicators, the section
roll-up, a headline summary and every table the notebooks show (dossier rates by month,
unit, field and procedure, form 06, overdue list, procedure compliance, PAKN, 766 scores
published and estimated, report submissions, data-quality counts).

Dates:

- ``as_of`` (default: 31/12 of the year for ``period="year"``, else the period's last
  day) is the date the plan's progress is judged at: evidence and report submissions
  dated after it are ignored, months and quarters are "elapsed" relative to it.
- The data metrics (dossiers, procedures published, PAKN) use the reporting period
  (official 15th–14th window by default, ``Settings.report_window``), cut at ``as_of``
  when ``as_of`` falls inside it.

Units (canonical names, :func:`tthc_analysis.plan.units.normalise_unit`): dossiers,
procedures and PAKN are limited to those units (a dossier without a unit takes its
procedure's unit from the catalogue); evidence keeps the rows of those units, rows without
a unit, and rows of the units that run each task with them (its lead unit and partner
units named individually, e.g. the Office); the tasks are limited to those whose lead or
partner units include the units (see :func:`tthc_analysis.evaluation.tasks.task_matches_units`). The
766 scores (published for the whole Sở) and the report submissions are not filtered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd

from tthc_analysis.config import Settings, load_settings
from tthc_analysis.errors import ParameterError
from tthc_analysis.evaluation.sections import overall_summary, roll_up
from tthc_analysis.evaluation.tasks import (
    MetricValue,
    evaluate_tasks,
    linear_projection,
    load_task_indicators,
    task_matches_units,
)
from tthc_analysis.fields import DATASETS
from tthc_analysis.labels import DOSSIER_RATE_INDICATORS, target_source_vi
from tthc_analysis.metrics.dossiers import DossierData, overdue_list
from tthc_analysis.metrics.feedback import (
    feedback_rates,
    feedback_summary,
    feedback_timeliness,
    late_feedback,
)
from tthc_analysis.metrics.form06 import form06 as build_form06
from tthc_analysis.metrics.index766 import (
    compare_scores,
    estimate_groups,
    estimate_scores,
    load_index766_indicators,
    months_below,
    online_services_used_by_month,
    scores_wide,
    trend,
)
from tthc_analysis.metrics.procedures import (
    has_dated_catalogue,
    online_coverage,
    online_coverage_by_month,
    online_services_with_dossiers,
    publication_compliance,
    publication_summary,
)
from tthc_analysis.metrics.rates import dossier_rates
from tthc_analysis.metrics.submissions import report_status, reports_overview
from tthc_analysis.org import (
    attribute_units,
    break_in,
    issuer_note_vi,
    issuing_body,
    match_system_switch,
    roll_note_vi,
    roll_units,
    unit_lineage,
    unit_table,
)
from tthc_analysis.periods import Period, parse_period
from tthc_analysis.text import format_date, format_number
from tthc_analysis.workdays import WorkCalendar, default_calendar

__all__ = ["DATA_METRICS", "Evaluation", "evaluate", "filter_tables_by_units"]

DATA_METRICS = (
    *DOSSIER_RATE_INDICATORS,
    "overdue_without_apology",
    "sync_rate",
    "publication_on_time_share",
    "csdlqg_on_time_share",
    "internal_process_share",
    "publicly_listed_share",
    "eligible_full_online_coverage",
    "online_service_share",
    "full_online_procedure_share",
    "partial_online_procedure_share",
    "online_services_with_dossiers_share",
    "pakn_on_time_rate",
    "pakn_published_on_time_rate",
    "index766_months_below_prev_year_mean",
    "index766_total_latest",
    "index766_estimate_gap",
    "reports_on_time",
)
"""Indicator ids computed from the data by :func:`evaluate` (usable in
``task_indicators.csv`` with sources other than ``activities`` and ``indicators``)."""


@dataclass
class Evaluation:
    """Everything the notebooks and the report need, computed once.

    Attributes:
        params: The parameters (year, as_of, period, window, units, data folder...).
        period: The reporting period of the data metrics (cut at ``as_of``).
        as_of: The as-of date of the plan's progress.
        plan: The plan (``tthc_analysis.plan.Plan``).
        tasks: One row per task (``tthc_analysis.evaluation.tasks.TASK_COLUMNS``).
        indicators: One row per task × indicator (``tthc_analysis.evaluation.tasks.INDICATOR_COLUMNS``)
            and ``target_source_vi``, where the target comes from in Vietnamese
            (:func:`tthc_analysis.labels.target_source_vi`).
        sections: Section roll-up (``tthc_analysis.evaluation.sections.SECTION_COLUMNS``).
        overall: Plan-wide roll-up (:func:`tthc_analysis.evaluation.sections.overall_summary`).
        summary: Headline figures (flat dict of numbers and short texts).
        totals: Dossier rates for the whole period (one row).
        monthly: Dossier rates by month.
        unit_month: Dossier rates by unit and month (every month of the period for each
            unit), as ``rates.dossier_rates(..., by=["unit", "month"])``.
        by_unit: Dossier rates by unit.
        by_field: Dossier rates by field.
        by_procedure: Dossier rates by procedure.
        form06: Form 06/VPCP/KSTT by field (with a total row).
        overdue: Overdue dossiers (no personal data).
        procedures: Publication compliance per procedure in force, with the
            catalogue's ``eligible_full_online`` flag.
        procedures_summary: Publication/process/listing counts and rates (dict).
        online_coverage: Online levels of the procedures in force (one row).
        online_coverage_by_unit: The same by unit.
        online_coverage_monthly: Full-online coverage of the eligible procedures at each
            month end of the year up to the as-of date
            (:func:`tthc_analysis.metrics.procedures.online_coverage_by_month`); the trend of the
            100% target. Empty when the catalogue has no ``full_online_since`` dates.
        online_services: Online services and their online dossiers in the period.
        feedback: PAKN in scope with their timeliness (``content`` is untrusted text).
        feedback_summary: PAKN counts and rates (dict).
        feedback_by_unit: PAKN rates by unit.
        feedback_late: Late PAKN with the reason.
        index766: Published scores, six groups, with the trend columns.
        index766_5: Published scores, five groups, with the trend columns.
        index766_estimate: Estimated points per month and indicator (groups 2–4).
        index766_compare: Published vs estimated per month and group.
        index766_indicators: The indicator table used.
        reports: Status of each periodic report of the year.
        reports_summary: Roll-up of the reports (dict).
        data_quality: Rows kept, rejected and warnings per dataset.
        warnings: Vietnamese warnings about the evaluation itself.
        settings: Settings used.
        calendar: Working-day calendar used.
    """

    params: dict
    period: Period
    as_of: date
    plan: Any
    tasks: pd.DataFrame
    indicators: pd.DataFrame
    sections: pd.DataFrame
    overall: dict
    summary: dict
    totals: pd.DataFrame
    monthly: pd.DataFrame
    by_unit: pd.DataFrame
    by_field: pd.DataFrame
    by_procedure: pd.DataFrame
    form06: pd.DataFrame
    overdue: pd.DataFrame
    procedures: pd.DataFrame
    procedures_summary: dict
    online_coverage: pd.DataFrame
    online_coverage_by_unit: pd.DataFrame
    online_services: pd.DataFrame
    feedback: pd.DataFrame
    feedback_summary: dict
    feedback_by_unit: pd.DataFrame
    feedback_late: pd.DataFrame
    index766: pd.DataFrame
    index766_5: pd.DataFrame
    index766_estimate: pd.DataFrame
    index766_compare: pd.DataFrame
    index766_indicators: pd.DataFrame
    reports: pd.DataFrame
    reports_summary: dict
    data_quality: pd.DataFrame
    warnings: list[str] = field(default_factory=list)
    settings: Settings | None = field(default=None, repr=False)
    calendar: WorkCalendar | None = field(default=None, repr=False)
    unit_month: pd.DataFrame = field(default_factory=pd.DataFrame)
    online_coverage_monthly: pd.DataFrame = field(default_factory=pd.DataFrame)
    organisation: dict = field(default_factory=dict)
    """Organisation change (:func:`_organisation`): ``issuer_vi``, ``issuer_note_vi``,
    ``break_on``, ``cross_break_vi``, ``unit_notes`` (successor -> note), ``switch``
    (:class:`tthc_analysis.org.SwitchReport`)."""

    def task(self, task_id: str) -> pd.Series:
        """The row of one task."""
        rows = self.tasks.loc[self.tasks["task_id"] == task_id]
        if not len(rows):
            raise ParameterError(f"Không có nhiệm vụ «{task_id}».")
        return rows.iloc[0]

    def task_indicators(self, task_id: str) -> pd.DataFrame:
        """The indicators of one task."""
        return self.indicators.loc[self.indicators["task_id"] == task_id].reset_index(drop=True)

    def statuses(self) -> dict[str, str]:
        """Task id → status code."""
        return dict(zip(self.tasks["task_id"], self.tasks["status"], strict=True))


# --- helpers ----------------------------------------------------------------------------


def _normalise_units(units: Sequence[str] | None) -> list[str] | None:
    if not units:
        return None
    from tthc_analysis.plan.units import normalise_unit

    if isinstance(units, str):
        units = [units]
    return [normalise_unit(u) for u in units]


def _unit_mask(values: pd.Series, units: list[str]) -> pd.Series:
    from tthc_analysis.plan.units import normalise_unit

    uniques = values.dropna().unique()
    mapping = {u: normalise_unit(u) for u in uniques}
    return values.map(mapping).isin(units).fillna(False).astype(bool)


def _dossier_units(dossiers: pd.DataFrame, procedures: pd.DataFrame) -> pd.Series:
    unit = dossiers["unit"]
    if unit.isna().any() and len(procedures):
        lookup = procedures.drop_duplicates("procedure_code").set_index("procedure_code")["unit"]
        unit = unit.fillna(dossiers["procedure_code"].map(lookup))
    return unit


def filter_tables_by_units(tables, units: list[str] | None) -> dict[str, pd.DataFrame]:
    """The data tables limited to ``units`` (canonical names), as :func:`evaluate` uses them.

    Dossiers are first matched across a switch of dossier system and attributed to the
    unit in force on their receipt date (:mod:`tthc_analysis.org`). Dossiers, procedures
    and PAKN keep the rows of those units and of their predecessors and successors (a
    dossier without a unit takes its procedure's unit); evidence is filtered as :func:`_filter_activities`
    describes; the 766 scores and report submissions are returned unchanged. ``None``
    keeps everything.
    """
    frames = {name: getattr(tables, name) for name in DATASETS}
    # Organisation change (issue 13): one row per dossier across a switch of dossier
    # system (matched by the old code), each attributed to the unit in force on its date.
    if len(frames["dossiers"]):
        matched, _ = match_system_switch(frames["dossiers"], None)
        frames["dossiers"] = attribute_units(matched, unit_table())
    if not units:
        return frames
    d, p = frames["dossiers"], frames["procedures"]
    units = unit_lineage(units, unit_table())  # a renamed unit is the same unit (issue 13)
    frames["dossiers"] = d.loc[_unit_mask(_dossier_units(d, p), units)]
    frames["procedures"] = p.loc[_unit_mask(p["unit"], units)]
    frames["feedback"] = frames["feedback"].loc[_unit_mask(frames["feedback"]["unit"], units)]
    frames["activities"] = _filter_activities(frames["activities"], tables.plan.tasks, units)
    return frames


def _filter_activities(
    activities: pd.DataFrame, plan_tasks: pd.DataFrame, units: list[str]
) -> pd.DataFrame:
    """Evidence of the selected units and of the units that run the task with them.

    Kept: rows of the selected units, rows without a unit, and rows of the task's lead
    unit or of a partner unit named individually (e.g. the Office coordinating a task of
    "Các phòng có TTHC"): their documents are the task's evidence for every unit taking
    part. Dropped: rows of other individual units.
    """
    from tthc_analysis.plan.units import normalise_unit

    if not len(activities):
        return activities
    own: dict[str, set[str]] = {}
    for task in plan_tasks.itertuples(index=False):
        partners = list(task.partner_units) if task.partner_units is not None else []
        own[task.task_id] = {u for u in [task.lead_unit, *partners] if isinstance(u, str)}
    unit = activities["unit"]
    canonical = unit.map({u: normalise_unit(u) for u in unit.dropna().unique()})
    keep = [
        pd.isna(u) or u in units or u in own.get(t, set())
        for t, u in zip(activities["task_id"], canonical, strict=True)
    ]
    return activities.loc[keep]


def _online_counts(by_procedure: pd.DataFrame) -> pd.Series:
    """Online dossiers received in the period per procedure code."""
    if not len(by_procedure):
        return pd.Series(dtype="float64")
    return by_procedure.groupby("procedure_code")["n_online"].sum()


def _calendar_monthly(data, procedures, period, year, as_of, calendar, rules, services):
    """Dossier rates by calendar month (01–31) for the 766 estimate, with indicator 3.2.

    The portal scores calendar months, not the 15th–14th window (domain.md §0), so the
    estimate is computed over the calendar version of the period, cut at ``as_of``.
    """
    try:
        window = parse_period(period, year, "calendar")
        window = window.clipped(as_of)
    except ParameterError:
        return pd.DataFrame(columns=["month"])
    monthly = dossier_rates(data, procedures, window, "month", calendar, rules)
    per_proc = dossier_rates(data, procedures, window, ["procedure_code", "month"], calendar, rules)
    used = online_services_used_by_month(services, per_proc)
    return monthly.merge(used, on="month", how="left")


def _by_unit_rolled(data, d, procedures, period, calendar, rules, units_ref) -> pd.DataFrame:
    """Rates by unit over the period, predecessors rolled into their successor (issue 13)."""
    if not len(d):
        return dossier_rates(data, procedures, period, "unit", calendar, rules)
    rolled = roll_units(d["unit"], units_ref)
    if rolled.equals(d["unit"]):
        return dossier_rates(data, procedures, period, "unit", calendar, rules)
    data = DossierData(d.assign(unit=rolled), procedures, calendar, rules)
    return dossier_rates(data, procedures, period, "unit", calendar, rules)


def _organisation(settings: Settings, plan_meta, year: int, as_of: date) -> dict:
    """Issuing body on the as-of date and the organisation change inside the year."""
    fallback = getattr(plan_meta, "issuer", "") or ""
    issuer = issuing_body(as_of, settings, fallback)
    start = date(year, 1, 1)
    change = break_in(start, as_of, settings)
    out: dict = {
        "issuer_vi": issuer,
        "issuer_note_vi": issuer_note_vi(start, date(year, 12, 31), as_of, settings, ""),
        "break_on": change,
        "cross_break_vi": "",
    }
    if change is not None:
        before = issuing_body(change - timedelta(days=1), settings, fallback)
        out["cross_break_vi"] = (
            f"so sánh qua mốc thay đổi tổ chức {format_date(change)} ({before} → {issuer}): "
            "số liệu trước và sau mốc thuộc hai đơn vị khác nhau, chỉ để tham khảo"
        )
    return out


def _as_date(value) -> date | None:
    """``None``, a date, a timestamp, or ``YYYY-MM-DD`` / ``dd/mm/yyyy`` text as a date."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return datetime.strptime(value.strip(), fmt).date()
            except ValueError:
                continue
        raise ParameterError(
            f"Ngày chốt số liệu không hợp lệ: «{value}».",
            hint="Dùng dạng YYYY-MM-DD hoặc dd/mm/yyyy.",
        )
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return pd.Timestamp(value).date()


def _default_as_of(period: Period, year: int) -> date:
    return date(year, 12, 31) if period.kind == "year" else period.end


def _row(table: pd.DataFrame) -> dict:
    if not len(table):
        return {}
    return table.iloc[0].to_dict()


def _num(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def _ratio_detail(num, den, noun: str) -> str:
    if pd.isna(den) or not den:
        return ""
    return f"{format_number(num)}/{format_number(den)} {noun}"


def _month_positions(monthly: pd.DataFrame, as_of: date) -> tuple[list[float], list[float]]:
    """Month numbers and values of the months started by ``as_of`` with dossiers."""
    if not len(monthly) or "month" not in monthly:
        return [], []
    sel = monthly.loc[monthly["n_received"] > 0]
    sel = sel.loc[sel["month"].astype(str) <= f"{as_of:%Y-%m}"]
    positions = [int(str(m)[:4]) * 12 + int(str(m)[5:7]) for m in sel["month"]]
    return positions, sel["full_online_share"].astype(float).tolist()


# --- metrics ----------------------------------------------------------------------------


def _dossier_metrics(totals: dict, monthly: pd.DataFrame, overdue: pd.DataFrame, as_of, year):
    m: dict[str, MetricValue] = {}
    pairs = {
        "on_time_rate": ("n_on_time", "n_in_scope", "hồ sơ"),
        "online_share": ("n_online", "n_received", "hồ sơ"),
        "full_online_share": ("n_full_online", "n_received", "hồ sơ"),
        "full_online_share_eligible": ("n_full_online_eligible", "n_eligible_received", "hồ sơ"),
        "digitisation_rate": ("n_digitised", "n_received", "hồ sơ"),
        "e_result_rate": ("n_e_result", "n_paper_result_finished", "hồ sơ"),
        "reuse_rate": ("n_reused", "n_received", "hồ sơ"),
        "online_payment_rate": ("n_paid_online", "n_fee_dossiers", "hồ sơ"),
        "overdue_rate": ("n_overdue", "n_in_scope", "hồ sơ"),
        "sync_rate": ("n_synced", "n_received", "hồ sơ"),
    }
    for key, (num, den, noun) in pairs.items():
        value = _num(totals.get(key))
        m[key] = MetricValue(value, _ratio_detail(totals.get(num), totals.get(den), noun))
    positions, values = _month_positions(monthly, as_of)
    m["full_online_share"].projection = linear_projection(values, positions, year * 12 + 12)
    n_overdue = len(overdue)
    no_apology = (
        int((~overdue["has_apology"].astype("boolean").fillna(False).astype(bool)).sum())
        if n_overdue
        else 0
    )
    m["overdue_without_apology"] = MetricValue(
        float(no_apology) if totals else float("nan"), f"trên {n_overdue} hồ sơ quá hạn"
    )
    return m


def _procedure_metrics(summary: dict, coverage: dict, services: pd.DataFrame):
    m: dict[str, MetricValue] = {}
    none_published = "không có TTHC công bố trong kỳ"
    m["publication_on_time_share"] = MetricValue(
        summary["publication_on_time_share"],
        _ratio_detail(summary["n_published_on_time"], summary["n_published_judged"], "TTHC"),
        note_vi=none_published,
    )
    m["csdlqg_on_time_share"] = MetricValue(
        summary["csdlqg_on_time_share"],
        _ratio_detail(summary["n_public_on_time"], summary["n_public_judged"], "TTHC"),
        note_vi=none_published,
    )
    m["internal_process_share"] = MetricValue(
        summary["internal_process_share"],
        _ratio_detail(summary["n_internal_process"], summary["n_in_force"], "TTHC"),
    )
    m["publicly_listed_share"] = MetricValue(
        summary["publicly_listed_share"],
        _ratio_detail(summary["n_listed"], summary["n_listed_judged"], "TTHC"),
    )
    if coverage:
        n = coverage["n_in_force"]
        m["eligible_full_online_coverage"] = MetricValue(
            _num(coverage["full_online_coverage"]),
            _ratio_detail(coverage["n_eligible_full"], coverage["n_eligible"], "TTHC đủ điều kiện"),
        )
        m["online_service_share"] = MetricValue(
            _num(coverage["online_service_share"]),
            _ratio_detail(coverage["n_full"] + coverage["n_partial"], n, "TTHC"),
        )
        m["full_online_procedure_share"] = MetricValue(
            _num(coverage["full_online_procedure_share"]),
            _ratio_detail(coverage["n_full"], n, "TTHC"),
        )
        m["partial_online_procedure_share"] = MetricValue(
            _num(coverage["partial_online_procedure_share"]),
            _ratio_detail(coverage["n_partial"], n, "TTHC"),
        )
    if len(services):
        n_with = int(services["has_online_dossier"].sum())
        m["online_services_with_dossiers_share"] = MetricValue(
            n_with / len(services), _ratio_detail(n_with, len(services), "DVCTT")
        )
    return m


_NO_DATED_CATALOGUE_VI = (
    "không dự báo: danh mục TTHC không có cột «Ngày cung cấp DVCTT toàn trình», "
    "đánh giá theo giá trị hiện tại"
)


def _coverage_trend(metric: MetricValue, series: pd.DataFrame, year: int, dated: bool) -> None:
    """Fill the projection and trend note of ``eligible_full_online_coverage``.

    ``series`` is :func:`tthc_analysis.metrics.procedures.online_coverage_by_month` cut at the
    as-of date; ``dated`` tells whether the catalogue has ``full_online_since`` dates. The
    projection is :func:`tthc_analysis.evaluation.tasks.linear_projection` through the month-end
    values read at December (the method of the full-online dossier share), capped to
    [0, 1] since a coverage cannot pass 100%.
    """
    if not dated:
        metric.trend_vi = _NO_DATED_CATALOGUE_VI
        return
    if not len(series):
        metric.trend_vi = "không dự báo: chưa hết tháng đầu năm"
        return
    positions = [year * 12 + int(m[5:7]) for m in series["month"]]
    raw = linear_projection(series["full_online_coverage"].tolist(), positions, year * 12 + 12)
    metric.projection = raw if np.isnan(raw) else min(max(raw, 0.0), 1.0)
    first, last = series["month_end"].iloc[0], series["month_end"].iloc[-1]
    undated = int(series["n_undated_full"].iloc[-1])
    note = (
        f"xu hướng {len(series)} tháng (cuối tháng {format_date(first)}–{format_date(last)}: "
        f"{format_number(int(series['n_eligible_full'].iloc[0]))} → "
        f"{format_number(int(series['n_eligible_full'].iloc[-1]))} TTHC toàn trình) "
        "theo ngày cung cấp DVCTT toàn trình trong danh mục"
    )
    if len(series) < 2:
        note += "; chưa đủ 2 tháng để dự báo"
    if undated:
        note += (
            f"; {format_number(undated)} TTHC toàn trình không ghi ngày được tính là "
            f"toàn trình từ trước năm {year}"
        )
    metric.trend_vi = note


def _feedback_metrics(summary: dict, has_data: bool):
    """PAKN indicators; with PAKN data but none in scope, the tasks are not triggered."""
    quiet = has_data and summary["n_items"] == 0
    none = "chưa phát sinh PAKN trong kỳ" if quiet else "chưa có dữ liệu PAKN"
    empty = "not_triggered" if quiet else ""
    return {
        "pakn_on_time_rate": MetricValue(
            summary["on_time_rate"],
            _ratio_detail(summary["n_on_time"], summary["n_judged"], "PAKN"),
            note_vi=none,
            empty_status=empty,
        ),
        "pakn_published_on_time_rate": MetricValue(
            summary["published_on_time_rate"],
            _ratio_detail(summary["n_published_on_time"], summary["n_publish_due"], "PAKN"),
            note_vi=(
                "không có PAKN đã xử lý cần công khai trong kỳ"
                if has_data
                else "chưa có dữ liệu PAKN"
            ),
            empty_status=empty,
        ),
    }


def _index766_metrics(below: dict, compare: pd.DataFrame, year: int, cross_break: str = ""):
    m: dict[str, MetricValue] = {}
    if below["n_months"]:
        listed = ", ".join(below["months_below"])
        detail = f"bình quân năm {year - 1}: {format_number(below['prev_year_mean'], 2)}" + (
            f"; tháng {listed}" if listed else ""
        )
        if cross_break:
            detail += f"; {cross_break}"
        m["index766_months_below_prev_year_mean"] = MetricValue(
            below["n_below"], detail, note_vi=f"chưa có điểm năm {year - 1} để so sánh"
        )
        latest = below["latest_period"]
        m["index766_total_latest"] = MetricValue(
            below["latest_total"], f"tháng {latest[5:7]}/{latest[:4]}"
        )
    tdgq = (
        compare.loc[
            (compare["group_code"] == "TDGQ")
            & compare["published"].notna()
            & compare["estimated"].notna()
            & compare["difference"].notna()
        ]
        if len(compare)
        else compare
    )
    if len(tdgq):
        m["index766_estimate_gap"] = MetricValue(
            float(tdgq["difference"].mean()), f"nhóm TDGQ, {len(tdgq)} tháng"
        )
    return m


# --- evaluate ---------------------------------------------------------------------------


def evaluate(
    tables,
    year: int = 2025,
    as_of: date | str | None = None,
    period: str = "year",
    units: Sequence[str] | None = None,
    settings: Settings | None = None,
) -> Evaluation:
    """Evaluate the plan and every metric for ``year``, ``period`` and ``as_of``.

    Args:
        tables: Loaded tables (:class:`tthc_analysis.loading.ingest.Tables`): ``dossiers``,
            ``procedures``, ``feedback``, ``index766``, ``activities``,
            ``report_submissions``, ``plan`` and optionally ``rejected_rows``,
            ``warnings``, ``raw_dir``, ``is_sample``.
        year: Plan year.
        as_of: As-of date, or ``YYYY-MM-DD`` / ``dd/mm/yyyy`` text (default: 31/12 of
            ``year`` for the year, else the period end).
        period: Period text (``year``, ``q1``…, ``h1``, ``9m``, ``YYYY-MM``, custom range).
        units: Units to keep (canonical or alias names); None = all.
        settings: Settings (default: :func:`tthc_analysis.config.load_settings` with the
            tables' raw-data folder, so its ``tthc.yaml`` applies).

    Returns:
        The :class:`Evaluation`.

    Raises:
        ParameterError: a bad period, or an as-of date before the period starts.
    """
    if settings is None:
        raw_dir = getattr(tables, "raw_dir", None)
        settings = load_settings(data_dir=raw_dir if raw_dir else None)
    calendar = default_calendar(settings.reference_path(settings.calendar_overrides))
    full_period = parse_period(period, year, settings.report_window)
    as_of = _as_date(as_of)
    as_of = as_of or _default_as_of(full_period, year)
    metric_period = full_period.clipped(as_of)
    unit_list = _normalise_units(units)
    frames = filter_tables_by_units(tables, unit_list)
    warnings: list[str] = []

    d, p = frames["dossiers"], frames["procedures"]
    # Organisation change (issue 13): one row per dossier across the system switch, each
    # dossier attributed to the unit in force on its receipt date.
    units_ref = unit_table()
    # what the switch matched and could not (the frames are already matched)
    _, switch = match_system_switch(tables.dossiers, settings.organisation.system_switch_on)
    rules = settings.dossiers
    # Prepared once: classification and the catalogue join are shared by every call.
    data = DossierData(d, p, calendar, rules)
    totals = dossier_rates(data, p, metric_period, None, calendar, rules)
    monthly = dossier_rates(data, p, metric_period, "month", calendar, rules)
    unit_month = dossier_rates(data, p, metric_period, ["unit", "month"], calendar, rules)
    by_unit = _by_unit_rolled(data, d, p, metric_period, calendar, rules, units_ref)
    by_field = dossier_rates(data, p, metric_period, "field", calendar, rules)
    by_procedure = dossier_rates(data, p, metric_period, "procedure_code", calendar, rules)
    f06 = build_form06(data, metric_period, calendar, rules, procedures=p)
    overdue = overdue_list(data, metric_period, calendar, rules, procedures=p)

    compliance = _with_eligibility(publication_compliance(p, calendar, settings.publication), p)
    proc_summary = publication_summary(compliance, metric_period.start, metric_period.end)
    coverage_tbl = online_coverage(p)
    coverage_by_unit = online_coverage(p, by="unit")
    dated_catalogue = has_dated_catalogue(p)
    coverage_monthly = online_coverage_by_month(p, year, as_of)
    if not dated_catalogue:
        coverage_monthly = coverage_monthly.iloc[:0]
    services = online_services_with_dossiers(p, online_counts=_online_counts(by_procedure))

    fb = feedback_timeliness(
        frames["feedback"], metric_period.start, metric_period.end, calendar, settings.pakn
    )
    fb_summary = feedback_summary(fb)

    indicators766 = load_index766_indicators(settings=settings)
    wide6 = (
        trend(scores_wide(frames["index766"], "6")) if len(frames["index766"]) else _empty_wide("6")
    )
    wide5 = (
        trend(scores_wide(frames["index766"], "5")) if len(frames["index766"]) else _empty_wide("5")
    )
    coverage = _row(coverage_tbl)
    monthly766 = _calendar_monthly(data, p, period, year, as_of, calendar, rules, services)
    estimate = estimate_scores(monthly766, indicators766, coverage)
    est_groups = estimate_groups(estimate, indicators766)
    single = (
        wide6.loc[wide6["unit"] == wide6["unit"].iloc[0]]
        if "unit" in wide6 and len(wide6)
        else wide6
    )
    compare = compare_scores(single.drop(columns="unit", errors="ignore"), est_groups)
    below = (
        months_below(single, year, f"{as_of:%Y-%m}")
        if len(single)
        else months_below(_empty_wide("6"), year)
    )

    reports = report_status(frames["report_submissions"], as_of, calendar, year)
    reports_sum = reports_overview(reports)

    metrics: dict[str, MetricValue] = {}
    metrics |= _dossier_metrics(_row(totals) if len(d) else {}, monthly, overdue, as_of, year)
    if not len(d):
        metrics = {k: MetricValue(note_vi="chưa có dữ liệu hồ sơ") for k in metrics}
    elif "synced_dvcqg" not in d or not d["synced_dvcqg"].notna().any():
        # VI.3 "công khai tiến độ": measured by the DVCQG sync share only when the
        # export has the column (an empty column is not a 0% share).
        metrics["sync_rate"] = MetricValue(
            note_vi="dữ liệu hồ sơ không có cột «Đồng bộ DVCQG» nên chưa đo được"
        )
    metrics |= _procedure_metrics(proc_summary, coverage if len(p) else {}, services)
    if "eligible_full_online_coverage" in metrics:
        metric = metrics["eligible_full_online_coverage"]
        _coverage_trend(metric, coverage_monthly, year, dated_catalogue)
    metrics |= _feedback_metrics(fb_summary, len(tables.feedback) > 0)
    org = _organisation(settings, plan_meta=tables.plan.meta, year=year, as_of=as_of)
    org |= {"unit_notes": roll_note_vi(d["unit"], units_ref) if len(d) else {}, "switch": switch}
    if org.get("break_on") is not None:
        # issue 13: flag on every page that figures before and after the change differ
        renamed = "; ".join(f"{k}: {v[0].lower()}{v[1:]}" for k, v in org["unit_notes"].items())
        warnings.append(
            f"Thay đổi tổ chức từ {format_date(org['break_on'])}: {org['issuer_note_vi']}"
            + (f" Đơn vị sắp xếp lại: {renamed}." if renamed else "")
            + " So sánh số liệu trước và sau mốc này (điểm 766, số liệu theo đơn vị) "
            "chỉ để tham khảo."
        )
    metrics |= _index766_metrics(below, compare, year, org.get("cross_break_vi", ""))
    metrics["reports_on_time"] = MetricValue(
        float(reports_sum["n_on_time"]) if len(reports) else float("nan"),
        f"{reports_sum['n_due']} báo cáo đến hạn",
        cap=float(reports_sum["n_due"]),
    )

    plan = tables.plan
    plan_tasks = plan.tasks
    if unit_list:
        keep = [
            task_matches_units(t.lead_unit, t.partner_units, unit_list)
            for t in plan_tasks.itertuples(index=False)
        ]
        plan_tasks = plan_tasks.loc[keep].reset_index(drop=True)
    task_table = load_task_indicators(settings=settings)
    warnings += _table_warnings(plan.tasks, task_table, metrics)
    tasks, indicators = evaluate_tasks(
        plan_tasks,
        task_table,
        frames["activities"],
        metrics,
        as_of,
        year,
        reports=reports_sum if len(frames["report_submissions"]) else None,
        calendar=calendar,
        due_day=settings.monthly_notice_due_day,
        has_activity_data=len(tables.activities) > 0,
    )
    indicators = indicators.assign(
        target_source_vi=[
            target_source_vi(t, getattr(plan.meta, "doc_number", ""))
            for t in indicators["target_source"]
        ]
    )
    sections = roll_up(tasks, plan.sections)
    overall = overall_summary(tasks)
    params = {
        "year": year,
        "as_of": as_of,
        "period": period,
        "period_id": full_period.period_id,
        "period_label_vi": metric_period.label_vi,
        "window": full_period.window,
        "units": unit_list,
        "data_dir": str(getattr(tables, "raw_dir", "") or ""),
        "is_sample": bool(getattr(tables, "is_sample", False)),
        "plan_doc_number": getattr(plan.meta, "doc_number", ""),
    }
    summary = _headline(
        params, totals, metrics, proc_summary, coverage, fb_summary, below, reports_sum, overall
    )
    return Evaluation(
        params=params,
        period=metric_period,
        as_of=as_of,
        plan=plan,
        tasks=tasks,
        indicators=indicators,
        sections=sections,
        overall=overall,
        summary=summary,
        totals=totals,
        monthly=monthly,
        by_unit=by_unit,
        by_field=by_field,
        by_procedure=by_procedure,
        form06=f06,
        overdue=overdue,
        procedures=compliance,
        procedures_summary=proc_summary,
        online_coverage=coverage_tbl,
        online_coverage_by_unit=coverage_by_unit,
        online_services=services,
        feedback=fb,
        feedback_summary=fb_summary,
        feedback_by_unit=feedback_rates(fb, by="unit"),
        feedback_late=late_feedback(fb),
        index766=wide6,
        index766_5=wide5,
        index766_estimate=estimate,
        index766_compare=compare,
        index766_indicators=indicators766,
        reports=reports,
        reports_summary=reports_sum,
        data_quality=_data_quality(tables),
        warnings=warnings,
        settings=settings,
        calendar=calendar,
        unit_month=unit_month,
        online_coverage_monthly=coverage_monthly,
        organisation=org,
    )


def _with_eligibility(compliance: pd.DataFrame, procedures: pd.DataFrame) -> pd.DataFrame:
    """``compliance`` with each procedure's ``eligible_full_online`` flag (NA if unknown)."""
    if "eligible_full_online" in procedures and len(procedures):
        flags = procedures.drop_duplicates("procedure_code").set_index("procedure_code")
        eligible = compliance["procedure_code"].map(flags["eligible_full_online"])
    else:
        eligible = pd.Series(pd.NA, index=compliance.index)
    return compliance.assign(eligible_full_online=eligible.astype("boolean"))


def _empty_wide(view: str) -> pd.DataFrame:
    empty = pd.DataFrame(
        {
            "period": pd.Series(dtype="str"),
            "unit": pd.Series(dtype="str"),
            "group_code": pd.Series(dtype="str"),
            "score": pd.Series(dtype="float64"),
            "max_score": pd.Series(dtype="float64"),
        }
    )
    return trend(scores_wide(empty, view))


def _table_warnings(plan_tasks: pd.DataFrame, table: pd.DataFrame, metrics: dict) -> list[str]:
    out = []
    plan_ids = set(plan_tasks["task_id"])
    for tid in sorted(set(table["task_id"]) - plan_ids):
        out.append(f"Bảng chỉ tiêu có nhiệm vụ «{tid}» không có trong kế hoạch (bỏ qua).")
    evidence_ids = set(table.loc[table["indicator_id"] == "", "task_id"])
    for tid in plan_tasks["task_id"]:
        if tid not in evidence_ids:
            out.append(
                f"Nhiệm vụ {tid} không có dòng quy tắc minh chứng trong bảng chỉ tiêu; "
                "dùng tần suất của kế hoạch."
            )
    known = set(DATA_METRICS) | set(metrics)
    for rec in table.loc[table["indicator_id"] != ""].itertuples(index=False):
        if rec.source not in ("activities", "indicators") and rec.indicator_id not in known:
            out.append(
                f"Chỉ số «{rec.indicator_id}» của nhiệm vụ {rec.task_id} không có cách tính "
                f"(các chỉ số tính được: {', '.join(DATA_METRICS)})."
            )
    return out


def _data_quality(tables) -> pd.DataFrame:
    rejected = getattr(tables, "rejected_rows", None)
    warnings = getattr(tables, "warnings", None)
    rows = []
    for name in DATASETS:
        frame = getattr(tables, name)
        n_rej = 0
        n_rej_rows = 0
        if rejected is not None and len(rejected):
            sel = rejected.loc[rejected["dataset"] == name]
            n_rej = len(sel)
            n_rej_rows = len(sel.drop_duplicates(["source_file", "source_row"]))
        n_warn = (
            int((warnings["dataset"] == name).sum())
            if warnings is not None and len(warnings)
            else 0
        )
        rows.append(
            {
                "dataset": name,
                "n_rows": len(frame),
                "n_rejected_rows": n_rej_rows,
                "n_problems": n_rej,
                "n_warnings": n_warn,
            }
        )
    return pd.DataFrame(rows)


def _headline(params, totals, metrics, proc, coverage, fb, below, reports, overall) -> dict:
    t = _row(totals)
    full = metrics.get("full_online_share", MetricValue())
    out = {
        "year": params["year"],
        "as_of": params["as_of"],
        "period_label_vi": params["period_label_vi"],
        "n_received": int(t.get("n_received", 0) or 0),
        "n_online": int(t.get("n_online", 0) or 0),
        "online_share": _num(t.get("online_share")),
        "n_full_online": int(t.get("n_full_online", 0) or 0),
        "full_online_share": _num(t.get("full_online_share")),
        "full_online_projection": full.projection,
        "n_in_scope": int(t.get("n_in_scope", 0) or 0),
        "on_time_rate": _num(t.get("on_time_rate")),
        "n_overdue": int(t.get("n_overdue", 0) or 0),
        "overdue_rate": _num(t.get("overdue_rate")),
        "digitisation_rate": _num(t.get("digitisation_rate")),
        "e_result_rate": _num(t.get("e_result_rate")),
        "reuse_rate": _num(t.get("reuse_rate")),
        "online_payment_rate": _num(t.get("online_payment_rate")),
        "n_procedures": int(coverage.get("n_in_force", 0) or 0),
        "full_online_coverage": _num(coverage.get("full_online_coverage")),
        "online_service_share": _num(coverage.get("online_service_share")),
        "publication_on_time_share": proc["publication_on_time_share"],
        "csdlqg_on_time_share": proc["csdlqg_on_time_share"],
        "internal_process_share": proc["internal_process_share"],
        "n_feedback": fb["n_items"],
        "pakn_on_time_rate": fb["on_time_rate"],
        "pakn_published_on_time_rate": fb["published_on_time_rate"],
        "n_feedback_late": fb["n_late"],
        "index766_latest_period": below["latest_period"],
        "index766_latest_total": below["latest_total"],
        "index766_prev_year_mean": below["prev_year_mean"],
        "n_reports_due": reports["n_due"],
        "n_reports_on_time": reports["n_on_time"],
    }
    out |= {f"tasks_{k}": v for k, v in overall.items() if k.startswith("n_")}
    out["tasks_progress_share"] = overall["progress_share"]
    out["tasks_summary_vi"] = overall["summary_vi"]
    return {k: (v.item() if isinstance(v, np.generic) else v) for k, v in out.items()}
