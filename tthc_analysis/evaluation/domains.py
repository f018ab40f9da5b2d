"""The evaluation of each domain of the data, with its typed result.

Each domain has ``evaluate_<domain>(frames, params, refs, ...) -> <Domain>Result``: the
tables the notebooks show and the indicator values (:class:`MetricValue`, by indicator id)
the plan's tasks are judged on. ``frames`` are the data tables limited to the units
(:func:`tthc_analysis.plan.unit_matching.filter_tables_by_units`), ``params`` the
:class:`~tthc_analysis.evaluation.params.EvaluationParams` and ``refs`` the
:class:`~tthc_analysis.loading.reference.References`. The dates follow the conventions of
:func:`tthc_analysis.evaluation.evaluate.evaluate`: data metrics over the reporting period
cut at the as-of date.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from tthc_analysis.errors import ParameterError
from tthc_analysis.evaluation.indicators import MetricValue, linear_projection
from tthc_analysis.evaluation.params import EvaluationParams
from tthc_analysis.evaluation.sections import overall_summary, roll_up
from tthc_analysis.evaluation.tasks import evaluate_tasks
from tthc_analysis.labels import target_source_vi
from tthc_analysis.loading.organisation import roll_units, unit_spans
from tthc_analysis.loading.reference import References
from tthc_analysis.metrics.dossiers import (
    DossierData,
    intake_refusals,
    method_notes_vi,
    overdue_list,
)
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
    indicator_rows,
    months_below,
    online_services_used_by_month,
    scores_wide,
    split_periods,
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
from tthc_analysis.metrics.rates import dossier_rates, missing_note_vi
from tthc_analysis.metrics.submissions import report_status, reports_overview
from tthc_analysis.periods import parse_period
from tthc_analysis.plan.model import Plan
from tthc_analysis.plan.unit_matching import task_matches_units
from tthc_analysis.text import format_date, format_number

__all__ = [
    "DossierResult",
    "FeedbackResult",
    "Frames",
    "Index766Result",
    "Metrics",
    "ProcedureResult",
    "ReportResult",
    "TaskResult",
    "evaluate_dossiers",
    "evaluate_feedback",
    "evaluate_index766",
    "evaluate_procedures",
    "evaluate_reports",
    "evaluate_tasks_of_plan",
]

Frames = Mapping[str, pd.DataFrame]
"""Data tables by dataset name (``fields.DATASETS``), limited to the evaluated units."""

Metrics = dict[str, MetricValue]
"""Indicator values by indicator id."""


# --- results ----------------------------------------------------------------------------


@dataclass
class DossierResult:
    """Dossier rates and form 06 of the period.

    Attributes:
        totals: Dossier rates for the whole period (one row).
        monthly: Dossier rates by month.
        unit_month: Dossier rates by unit and month (every month of the period for each
            unit), as ``rates.dossier_rates(..., by=["unit", "month"])``.
        by_unit: Dossier rates by unit.
        by_field: Dossier rates by field.
        by_procedure: Dossier rates by procedure.
        form06: Form 06/VPCP/KSTT by field (with a total row).
        overdue: Overdue dossiers (no personal data).
        metrics: Indicator values (on-time rate, online shares, overdue without apology…).
        intake_refusals: Not received dossiers (refused at the counter, only registered)
            per month and unit (:func:`tthc_analysis.metrics.dossiers.intake_refusals`).
        method_notes: The counting rules in force, one Vietnamese sentence each
            (:func:`tthc_analysis.metrics.dossiers.method_notes_vi`).
        monthly_calendar: Dossier rates by calendar month (01–31) with indicator 3.2 by
            month: the basis of the 766 estimate (the portal scores calendar months).
    """

    totals: pd.DataFrame
    monthly: pd.DataFrame
    unit_month: pd.DataFrame
    by_unit: pd.DataFrame
    by_field: pd.DataFrame
    by_procedure: pd.DataFrame
    form06: pd.DataFrame
    overdue: pd.DataFrame
    metrics: Metrics = field(default_factory=dict)
    intake_refusals: pd.DataFrame = field(default_factory=pd.DataFrame)
    method_notes: list[str] = field(default_factory=list)
    monthly_calendar: pd.DataFrame = field(default_factory=pd.DataFrame)


@dataclass
class ProcedureResult:
    """Publication and online levels of the procedures.

    Attributes:
        compliance: Publication compliance per procedure in force, with the catalogue's
            ``eligible_full_online`` flag.
        summary: Publication/process/listing counts and rates.
        coverage: Online levels of the procedures in force (one row).
        coverage_by_unit: The same by unit.
        coverage_monthly: Full-online coverage of the eligible procedures at each month
            end of the year up to the as-of date
            (:func:`tthc_analysis.metrics.procedures.online_coverage_by_month`); the trend
            of the 100% target. Empty when the catalogue has no ``full_online_since`` dates.
        services: Online services and their online dossiers in the period.
        metrics: Indicator values (publication on time, coverage…).
    """

    compliance: pd.DataFrame
    summary: dict
    coverage: pd.DataFrame
    coverage_by_unit: pd.DataFrame
    coverage_monthly: pd.DataFrame
    services: pd.DataFrame
    metrics: Metrics = field(default_factory=dict)


@dataclass
class FeedbackResult:
    """PAKN (citizens' feedback) of the period.

    Attributes:
        items: PAKN in scope with their timeliness (``content`` is untrusted text).
        summary: PAKN counts and rates.
        by_unit: PAKN rates by unit.
        late: Late PAKN with the reason.
        metrics: Indicator values (PAKN handled and published on time).
    """

    items: pd.DataFrame
    summary: dict
    by_unit: pd.DataFrame
    late: pd.DataFrame
    metrics: Metrics = field(default_factory=dict)


@dataclass
class Index766Result:
    """Decision 766 scores, published and estimated.

    Attributes:
        wide6: Published scores, six groups, with the trend columns.
        wide5: Published scores, five groups, with the trend columns.
        estimate: Estimated points per month and indicator (groups 2–4).
        compare: Published vs estimated per month and group.
        indicators: The indicator table used.
        below: Months below the previous year's mean
            (:func:`tthc_analysis.metrics.index766.months_below`).
        metrics: Indicator values (months below, latest total, estimate gap).
    """

    wide6: pd.DataFrame
    wide5: pd.DataFrame
    estimate: pd.DataFrame
    compare: pd.DataFrame
    indicators: pd.DataFrame
    below: dict
    metrics: Metrics = field(default_factory=dict)
    other_periods: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Published scores of a quarter or a year (period ``YYYY-Qn``/``YYYY``), kept apart
    from the monthly trend (issue 11)."""


@dataclass
class ReportResult:
    """Periodic report submissions of the year.

    Attributes:
        reports: Status of each periodic report of the year.
        summary: Roll-up of the reports.
        metrics: Indicator values (reports on time).
    """

    reports: pd.DataFrame
    summary: dict
    metrics: Metrics = field(default_factory=dict)


@dataclass
class TaskResult:
    """The plan's tasks judged, and their roll-up.

    Attributes:
        tasks: One row per task (``tthc_analysis.evaluation.tasks.TASK_COLUMNS``).
        indicators: One row per task × indicator
            (``tthc_analysis.evaluation.tasks.INDICATOR_COLUMNS``) and ``target_source_vi``,
            where the target comes from in Vietnamese
            (:func:`tthc_analysis.labels.target_source_vi`).
        sections: Section roll-up (``tthc_analysis.evaluation.sections.SECTION_COLUMNS``).
        overall: Plan-wide roll-up (:func:`tthc_analysis.evaluation.sections.overall_summary`).
    """

    tasks: pd.DataFrame
    indicators: pd.DataFrame
    sections: pd.DataFrame
    overall: dict


# --- evaluators -------------------------------------------------------------------------


def evaluate_dossiers(frames: Frames, params: EvaluationParams, refs: References) -> DossierResult:
    """Dossier rates (period, month, unit, field, procedure), form 06, overdue list."""
    d, p = frames["dossiers"], frames["procedures"]
    calendar, rules = refs.calendar, refs.settings.dossiers
    period = params.metric_period
    # Prepared once: classification and the catalogue join are shared by every call.
    data = DossierData(d, p, calendar, rules)
    totals = dossier_rates(data, p, period, None, calendar, rules)
    monthly = dossier_rates(data, p, period, "month", calendar, rules)
    unit_month = dossier_rates(data, p, period, ["unit", "month"], calendar, rules)
    by_unit = _by_unit_rolled(data, d, p, period, calendar, rules, unit_spans(refs.units))
    by_field = dossier_rates(data, p, period, "field", calendar, rules)
    by_procedure = dossier_rates(data, p, period, "procedure_code", calendar, rules)
    f06 = build_form06(data, period, calendar, rules, procedures=p)
    overdue = overdue_list(data, period, calendar, rules, procedures=p)
    metrics = _dossier_metrics(
        _row(totals) if len(d) else {}, monthly, overdue, params.as_of, params.year
    )
    if not len(d):
        metrics = {k: MetricValue(note_vi="chưa có dữ liệu hồ sơ") for k in metrics}
    elif "synced_dvcqg" not in d or not d["synced_dvcqg"].notna().any():
        # VI.3 "công khai tiến độ": measured by the DVCQG sync share only when the export
        # has the column (an empty column is not a 0% share; issue 13).
        metrics["sync_rate"] = MetricValue(
            note_vi="dữ liệu hồ sơ không có cột «Đồng bộ DVCQG» nên chưa đo được"
        )
    return DossierResult(
        totals,
        monthly,
        unit_month,
        by_unit,
        by_field,
        by_procedure,
        f06,
        overdue,
        metrics,
        intake_refusals=intake_refusals(d, period),  # issue 12: not received, counted apart
        method_notes=method_notes_vi(rules, refs.settings.pakn.forward_wd),
        monthly_calendar=_calendar_monthly(data, p, params, calendar, rules),
    )


def _calendar_monthly(data, procedures, params: EvaluationParams, calendar, rules) -> pd.DataFrame:
    """Dossier rates by calendar month (01–31) for the 766 estimate, with indicator 3.2.

    The portal scores calendar months, not the 15th–14th window (domain.md §0), so the
    estimate is computed over the calendar version of the period, cut at ``as_of``.
    """
    try:
        window = parse_period(params.period, params.year, "calendar").clipped(params.as_of)
    except ParameterError:
        return pd.DataFrame(columns=["month"])
    monthly = dossier_rates(data, procedures, window, "month", calendar, rules)
    per_proc = dossier_rates(data, procedures, window, ["procedure_code", "month"], calendar, rules)
    services = online_services_with_dossiers(procedures) if len(procedures) else procedures
    used = online_services_used_by_month(services, per_proc)
    return monthly.merge(used, on="month", how="left")


def _by_unit_rolled(data, d, procedures, period, calendar, rules, spans) -> pd.DataFrame:
    """Rates by unit over the period, predecessors rolled into their successor (issue 13)."""
    if len(d):
        # The received dossiers ``data`` already holds (the same rows, in the same order,
        # as DossierData(d) keeps): they are not filtered and copied a second time.
        frame = data.frame
        rolled = roll_units(frame["unit"], spans)
        if not rolled.equals(frame["unit"]):
            data = DossierData(frame.assign(unit=rolled), procedures, calendar, rules)
    return dossier_rates(data, procedures, period, "unit", calendar, rules)


def evaluate_procedures(
    frames: Frames, params: EvaluationParams, refs: References, by_procedure: pd.DataFrame
) -> ProcedureResult:
    """Publication compliance, online levels and their trend, online services.

    ``by_procedure`` is :attr:`DossierResult.by_procedure` (online dossiers per procedure).
    """
    p = frames["procedures"]
    period, year = params.metric_period, params.year
    settings = refs.settings
    compliance = _with_eligibility(
        publication_compliance(p, refs.calendar, settings.publication), p
    )
    proc_summary = publication_summary(compliance, period.start, period.end)
    coverage_tbl = online_coverage(p)
    coverage_by_unit = online_coverage(p, by="unit")
    dated_catalogue = has_dated_catalogue(p)
    coverage_monthly = online_coverage_by_month(p, year, params.as_of)
    if not dated_catalogue:
        coverage_monthly = coverage_monthly.iloc[:0]
    services = online_services_with_dossiers(p, online_counts=_online_counts(by_procedure))
    coverage = _row(coverage_tbl)
    metrics = _procedure_metrics(proc_summary, coverage if len(p) else {}, services)
    if "eligible_full_online_coverage" in metrics:
        metric = metrics["eligible_full_online_coverage"]
        _coverage_trend(metric, coverage_monthly, year, dated_catalogue)
    return ProcedureResult(
        compliance,
        proc_summary,
        coverage_tbl,
        coverage_by_unit,
        coverage_monthly,
        services,
        metrics,
    )


def evaluate_feedback(
    frames: Frames, params: EvaluationParams, refs: References, has_data: bool
) -> FeedbackResult:
    """PAKN timeliness of the period; ``has_data``: whether any PAKN data were loaded."""
    period = params.metric_period
    fb = feedback_timeliness(
        frames["feedback"], period.start, period.end, refs.calendar, refs.settings.pakn
    )
    fb_summary = feedback_summary(fb)
    metrics = _feedback_metrics(fb_summary, has_data)
    published = frames["feedback"].get("published_on")
    if fb_summary["n_handled"] and (published is None or published.isna().all()):
        metrics["pakn_published_on_time_rate"] = MetricValue(  # issue 12 rule 9
            note_vi=missing_note_vi("feedback.published_on")
        )
    return FeedbackResult(fb, fb_summary, feedback_rates(fb, by="unit"), late_feedback(fb), metrics)


def evaluate_index766(
    frames: Frames,
    params: EvaluationParams,
    refs: References,
    monthly: pd.DataFrame,
    coverage: pd.DataFrame,
    cross_break_vi: str = "",
) -> Index766Result:
    """766 scores published and estimated from ``monthly`` dossier rates and ``coverage``.

    ``monthly`` should be by calendar month (:attr:`DossierResult.monthly_calendar`);
    ``cross_break_vi`` flags the comparison with the previous year across an
    organisation change (issue 13).
    """
    year, as_of = params.year, params.as_of
    indicators766 = refs.index766_indicators
    scores, other_periods = split_periods(frames["index766"])  # months only in the trend
    wide6 = trend(scores_wide(scores, "6")) if len(scores) else _empty_wide("6")
    wide5 = trend(scores_wide(scores, "5")) if len(scores) else _empty_wide("5")
    estimate = estimate_scores(monthly, indicators766, _row(coverage))
    est_groups = estimate_groups(estimate, indicators766)
    single = (
        wide6.loc[wide6["unit"] == wide6["unit"].iloc[0]]
        if "unit" in wide6 and len(wide6)
        else wide6
    )
    # like with like: published points of the indicators the estimate covers, when the
    # scores give them (rows with an indicator_id, issue 13)
    published = indicator_rows(scores)
    if "unit" in wide6 and len(wide6) and len(published):
        published = published.loc[published["unit"] == wide6["unit"].iloc[0]]
    compare = compare_scores(
        single.drop(columns="unit", errors="ignore"), est_groups, published, estimate
    )
    below = (
        months_below(single, year, f"{as_of:%Y-%m}")
        if len(single)
        else months_below(_empty_wide("6"), year)
    )
    return Index766Result(
        wide6,
        wide5,
        estimate,
        compare,
        indicators766,
        below,
        _index766_metrics(below, compare, year, cross_break_vi),
        other_periods,
    )


def evaluate_reports(frames: Frames, params: EvaluationParams, refs: References) -> ReportResult:
    """Status of the periodic reports of the year at the as-of date."""
    reports = report_status(frames["report_submissions"], params.as_of, refs.calendar, params.year)
    reports_sum = reports_overview(reports)
    metric = MetricValue(
        float(reports_sum["n_on_time"]) if len(reports) else float("nan"),
        f"{reports_sum['n_due']} báo cáo đến hạn",
        cap=float(reports_sum["n_due"]),
    )
    return ReportResult(reports, reports_sum, {"reports_on_time": metric})


def evaluate_tasks_of_plan(
    plan: Plan,
    frames: Frames,
    params: EvaluationParams,
    refs: References,
    metrics: Mapping[str, MetricValue],
    reports: ReportResult,
    has_activity_data: bool,
) -> TaskResult:
    """The plan's tasks (those of the units) judged on ``metrics`` and their evidence."""
    plan_tasks = plan.tasks
    if params.units:
        keep = [
            task_matches_units(t.lead_unit, t.partner_units, params.units, refs.units)
            for t in plan_tasks.itertuples(index=False)
        ]
        plan_tasks = plan_tasks.loc[keep].reset_index(drop=True)
    tasks, indicators = evaluate_tasks(
        plan_tasks,
        refs.task_indicators,
        frames["activities"],
        metrics,
        params.as_of,
        params.year,
        reports=reports.summary if len(frames["report_submissions"]) else None,
        calendar=refs.calendar,
        due_day=refs.settings.monthly_notice_due_day,
        has_activity_data=has_activity_data,
    )
    indicators = indicators.assign(
        target_source_vi=[
            target_source_vi(t, getattr(plan.meta, "doc_number", ""))
            for t in indicators["target_source"]
        ]
    )
    return TaskResult(tasks, indicators, roll_up(tasks, plan.sections), overall_summary(tasks))


# --- helpers ----------------------------------------------------------------------------


def _online_counts(by_procedure: pd.DataFrame) -> pd.Series:
    """Online dossiers received in the period per procedure code."""
    if not len(by_procedure):
        return pd.Series(dtype="float64")
    return by_procedure.groupby("procedure_code")["n_online"].sum()


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
    positions = [float(int(str(m)[:4]) * 12 + int(str(m)[5:7])) for m in sel["month"]]
    return positions, sel["full_online_share"].astype(float).tolist()


# --- indicator values ----------------------------------------------------------------------------


def _dossier_metrics(totals: dict, monthly: pd.DataFrame, overdue: pd.DataFrame, as_of, year):
    m: dict[str, MetricValue] = {}
    pairs = {
        "on_time_rate": ("n_on_time", "n_in_scope", "hồ sơ"),
        "online_share": ("n_online", "n_channel_known", "hồ sơ"),
        "full_online_share": (
            "n_full_online_eligible",
            "n_eligible_channel_known",
            "hồ sơ của TTHC đủ điều kiện toàn trình",
        ),
        "full_online_share_eligible": (
            "n_full_online_eligible",
            "n_eligible_channel_known",
            "hồ sơ",
        ),
        "digitisation_rate": ("n_digitised", "n_received", "hồ sơ"),
        "e_result_rate": ("n_e_result", "n_paper_result_finished", "hồ sơ"),
        "reuse_rate": ("n_reused", "n_received", "hồ sơ"),
        "online_payment_rate": ("n_paid_online", "n_fee_dossiers", "hồ sơ"),
        "overdue_rate": ("n_overdue", "n_in_scope", "hồ sơ"),
        "sync_rate": ("n_synced", "n_received", "hồ sơ"),
    }
    for key, (num, den, noun) in pairs.items():
        value = _num(totals.get(key))
        missing = missing_note_vi(str(totals.get(f"{key}_missing") or ""))
        if missing:  # issue 12 rule 9: no data, never 0 % or "0 of N"
            m[key] = MetricValue(note_vi=missing)
            continue
        m[key] = MetricValue(value, _ratio_detail(totals.get(num), totals.get(den), noun))
    unknown = totals.get("n_channel_unknown")
    if unknown is not None and not pd.isna(unknown) and unknown > 0:
        # issue 11: an unknown channel is never guessed; the figures that need it say so
        n = format_number(unknown)
        for key, said in (
            ("online_share", f"{n} hồ sơ chưa rõ kênh nộp, không tính"),
            ("full_online_share", f"{n} hồ sơ chưa rõ kênh nộp, chưa xác định được toàn trình"),
        ):
            if m[key].detail_vi:
                m[key].detail_vi += f"; {said}"
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
    if n_overdue and overdue["has_apology"].isna().all():
        m["overdue_without_apology"] = MetricValue(
            note_vi=missing_note_vi("has_apology"), detail_vi=f"trên {n_overdue} hồ sơ quá hạn"
        )
    return m


def data_gaps(metrics: Metrics) -> pd.DataFrame:
    """Indicators without data because a column is absent or entirely empty (issue 12).

    Returns:
        ``indicator_id`` and ``note_vi`` ("Chưa có dữ liệu: thiếu cột «…»").
    """
    rows = [
        {"indicator_id": key, "note_vi": metric.note_vi}
        for key, metric in metrics.items()
        if np.isnan(metric.value) and metric.note_vi.startswith("Chưa có dữ liệu: thiếu cột")
    ]
    return pd.DataFrame(rows, columns=["indicator_id", "note_vi"])


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
