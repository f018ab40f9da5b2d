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
partner units include the units (see :func:`tthc_analysis.plan.unit_matching.task_matches_units`). The
766 scores (published for the whole Sở) and the report submissions are not filtered.

Structure: the parameters are parsed once (:class:`EvaluationParams`), the reference
tables read once (:func:`tthc_analysis.loading.reference.load_references`), each domain
evaluated by its ``evaluate_<domain>`` (:mod:`tthc_analysis.evaluation.domains`) into a
typed result, and the tasks judged on the indicator values of all domains.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from tthc_analysis.config import Settings
from tthc_analysis.errors import ParameterError
from tthc_analysis.evaluation.domains import (
    DossierResult,
    FeedbackResult,
    Index766Result,
    ProcedureResult,
    ReportResult,
    TaskResult,
    _num,
    _row,
    data_gaps,
    evaluate_dossiers,
    evaluate_feedback,
    evaluate_index766,
    evaluate_procedures,
    evaluate_reports,
    evaluate_tasks_of_plan,
)
from tthc_analysis.evaluation.indicators import MetricValue
from tthc_analysis.evaluation.organisation import OrganisationResult, evaluate_organisation
from tthc_analysis.evaluation.params import EvaluationParams
from tthc_analysis.fields import DATASETS
from tthc_analysis.labels import DOSSIER_RATE_INDICATORS
from tthc_analysis.loading.reference import References, load_references
from tthc_analysis.periods import Period
from tthc_analysis.plan.model import Plan
from tthc_analysis.plan.unit_matching import filter_tables_by_units
from tthc_analysis.workdays import WorkCalendar

if TYPE_CHECKING:
    from tthc_analysis.loading.ingest import Tables

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

    The results of each domain are typed (:mod:`tthc_analysis.evaluation.domains`); the
    tables the notebooks use are also reachable by their short names (``ev.monthly`` is
    ``ev.dossier_result.monthly``, ``ev.procedures`` is ``ev.procedure_result.compliance``…).

    Attributes:
        params: The parameters (year, as-of date, period, window, units).
        period: The reporting period of the data metrics (cut at ``as_of``).
        plan: The plan.
        dossier_result: Dossier rates, form 06, overdue list.
        procedure_result: Publication compliance, online levels, online services.
        feedback_result: PAKN.
        index766_result: 766 scores published and estimated.
        report_result: Periodic report submissions.
        task_result: The tasks, their indicators and the section roll-up.
        summary: Headline figures (flat dict of numbers and short texts).
        data_quality: Rows kept, rejected and warnings per dataset.
        references: The reference tables, settings and calendar used.
        data_dir: The raw-data folder evaluated ("" when unknown).
        is_sample: Whether the data are the synthetic sample.
        warnings: Vietnamese warnings about the evaluation itself.
        previous_period: The same period of the previous year, once
            :func:`tthc_analysis.evaluation.comparison.add_previous_year` has run.
        comparison: Headline figures of the period and of the same period of the previous
            year with the change (``comparison.COMPARISON_COLUMNS``); empty when not made.
        comparison_form06: The same for the form 06 totals (columns 3–13).
        comparison_note: Why the comparison is not available (Vietnamese; empty if it is).
        organisation: The organisation change of the year (issuing body, units rolled,
            dossier-system switch; :mod:`tthc_analysis.evaluation.organisation`).
    """

    params: EvaluationParams
    period: Period
    plan: Plan
    dossier_result: DossierResult
    procedure_result: ProcedureResult
    feedback_result: FeedbackResult
    index766_result: Index766Result
    report_result: ReportResult
    task_result: TaskResult
    data_quality: pd.DataFrame
    references: References = field(repr=False)
    summary: dict = field(default_factory=dict)
    data_dir: str = ""
    is_sample: bool = False
    warnings: list[str] = field(default_factory=list)
    previous_period: Period | None = None
    comparison: pd.DataFrame = field(default_factory=pd.DataFrame)
    comparison_form06: pd.DataFrame = field(default_factory=pd.DataFrame)
    comparison_note: str = ""
    organisation: OrganisationResult = field(default_factory=OrganisationResult)

    # -- short names of the results --
    @property
    def as_of(self) -> date:
        """The as-of date of the plan's progress."""
        return self.params.as_of

    @property
    def settings(self) -> Settings:
        """Settings used."""
        return self.references.settings

    @property
    def calendar(self) -> WorkCalendar:
        """Working-day calendar used."""
        return self.references.calendar

    @property
    def tasks(self) -> pd.DataFrame:
        """One row per task (:attr:`TaskResult.tasks`)."""
        return self.task_result.tasks

    @property
    def indicators(self) -> pd.DataFrame:
        """One row per task × indicator (:attr:`TaskResult.indicators`)."""
        return self.task_result.indicators

    @property
    def sections(self) -> pd.DataFrame:
        """Section roll-up (:attr:`TaskResult.sections`)."""
        return self.task_result.sections

    @property
    def overall(self) -> dict:
        """Plan-wide roll-up (:attr:`TaskResult.overall`)."""
        return self.task_result.overall

    @property
    def totals(self) -> pd.DataFrame:
        """Dossier rates for the whole period (:attr:`DossierResult.totals`)."""
        return self.dossier_result.totals

    @property
    def monthly(self) -> pd.DataFrame:
        """Dossier rates by month (:attr:`DossierResult.monthly`)."""
        return self.dossier_result.monthly

    @property
    def unit_month(self) -> pd.DataFrame:
        """Dossier rates by unit and month (:attr:`DossierResult.unit_month`)."""
        return self.dossier_result.unit_month

    @property
    def by_unit(self) -> pd.DataFrame:
        """Dossier rates by unit (:attr:`DossierResult.by_unit`)."""
        return self.dossier_result.by_unit

    @property
    def by_field(self) -> pd.DataFrame:
        """Dossier rates by field (:attr:`DossierResult.by_field`)."""
        return self.dossier_result.by_field

    @property
    def by_procedure(self) -> pd.DataFrame:
        """Dossier rates by procedure (:attr:`DossierResult.by_procedure`)."""
        return self.dossier_result.by_procedure

    @property
    def form06(self) -> pd.DataFrame:
        """Form 06/VPCP/KSTT (:attr:`DossierResult.form06`)."""
        return self.dossier_result.form06

    @property
    def overdue(self) -> pd.DataFrame:
        """Overdue dossiers (:attr:`DossierResult.overdue`)."""
        return self.dossier_result.overdue

    @property
    def intake_refusals(self) -> pd.DataFrame:
        """Not received dossiers per month and unit (:attr:`DossierResult.intake_refusals`)."""
        return self.dossier_result.intake_refusals

    @property
    def method_notes(self) -> list[str]:
        """The counting rules in force (:attr:`DossierResult.method_notes`)."""
        return self.dossier_result.method_notes

    @property
    def data_gaps(self) -> pd.DataFrame:
        """Indicators without data because a column is absent or empty (issue 12)."""
        return data_gaps(self.dossier_result.metrics | self.feedback_result.metrics)

    @property
    def procedures(self) -> pd.DataFrame:
        """Publication compliance per procedure (:attr:`ProcedureResult.compliance`)."""
        return self.procedure_result.compliance

    @property
    def procedures_summary(self) -> dict:
        """Publication counts and rates (:attr:`ProcedureResult.summary`)."""
        return self.procedure_result.summary

    @property
    def online_coverage(self) -> pd.DataFrame:
        """Online levels of the procedures in force (:attr:`ProcedureResult.coverage`)."""
        return self.procedure_result.coverage

    @property
    def online_coverage_by_unit(self) -> pd.DataFrame:
        """Online levels by unit (:attr:`ProcedureResult.coverage_by_unit`)."""
        return self.procedure_result.coverage_by_unit

    @property
    def online_coverage_monthly(self) -> pd.DataFrame:
        """Full-online coverage at each month end (:attr:`ProcedureResult.coverage_monthly`)."""
        return self.procedure_result.coverage_monthly

    @property
    def online_services(self) -> pd.DataFrame:
        """Online services and their online dossiers (:attr:`ProcedureResult.services`)."""
        return self.procedure_result.services

    @property
    def feedback(self) -> pd.DataFrame:
        """PAKN in scope with their timeliness (:attr:`FeedbackResult.items`)."""
        return self.feedback_result.items

    @property
    def feedback_summary(self) -> dict:
        """PAKN counts and rates (:attr:`FeedbackResult.summary`)."""
        return self.feedback_result.summary

    @property
    def feedback_by_unit(self) -> pd.DataFrame:
        """PAKN rates by unit (:attr:`FeedbackResult.by_unit`)."""
        return self.feedback_result.by_unit

    @property
    def feedback_late(self) -> pd.DataFrame:
        """Late PAKN with the reason (:attr:`FeedbackResult.late`)."""
        return self.feedback_result.late

    @property
    def index766(self) -> pd.DataFrame:
        """Published 766 scores, six groups (:attr:`Index766Result.wide6`)."""
        return self.index766_result.wide6

    @property
    def index766_5(self) -> pd.DataFrame:
        """Published 766 scores, five groups (:attr:`Index766Result.wide5`)."""
        return self.index766_result.wide5

    @property
    def index766_estimate(self) -> pd.DataFrame:
        """Estimated 766 points (:attr:`Index766Result.estimate`)."""
        return self.index766_result.estimate

    @property
    def index766_compare(self) -> pd.DataFrame:
        """Published vs estimated 766 scores (:attr:`Index766Result.compare`)."""
        return self.index766_result.compare

    @property
    def index766_indicators(self) -> pd.DataFrame:
        """The 766 indicator table used (:attr:`Index766Result.indicators`)."""
        return self.index766_result.indicators

    @property
    def reports(self) -> pd.DataFrame:
        """Status of each periodic report (:attr:`ReportResult.reports`)."""
        return self.report_result.reports

    @property
    def reports_summary(self) -> dict:
        """Roll-up of the reports (:attr:`ReportResult.summary`)."""
        return self.report_result.summary

    # -- look-ups --
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


# --- evaluate ---------------------------------------------------------------------------


def evaluate(
    tables: Tables,
    year: int = 2025,
    as_of: date | str | None = None,
    period: str = "year",
    units: Sequence[str] | None = None,
    settings: Settings | None = None,
    *,
    params: EvaluationParams | None = None,
    references: References | None = None,
) -> Evaluation:
    """Evaluate the plan and every metric for ``year``, ``period`` and ``as_of``.

    Args:
        tables: Loaded tables (:class:`tthc_analysis.loading.ingest.Tables`).
        year: Plan year (parsing and defaults: :meth:`EvaluationParams.resolve`).
        as_of: As-of date or ``YYYY-MM-DD``/``dd/mm/yyyy`` text (default: period end).
        period: Period text (``year``, ``q1``…, ``h1``, ``9m``, ``YYYY-MM``, a range).
        units: Units to keep (canonical or alias names); None = all.
        settings: Settings (default: the tables' raw-data folder's, ``tthc.yaml`` applied).
        params: Parameters already resolved (then ``year``…``units`` are ignored).
        references: Reference tables already read (default: read from ``settings``).

    Raises:
        ParameterError: a bad year, period, as-of date or window.
    """
    if references is None:
        raw_dir = getattr(tables, "raw_dir", None)
        references = load_references(settings, data_dir=raw_dir or None)
    window = references.settings.report_window
    params = params or EvaluationParams.resolve(year, as_of, period, units, window)
    frames = filter_tables_by_units(tables, params.unit_list, references.settings)
    domains = _evaluate_domains(tables, frames, params, references)
    org, dossiers, procedures, feedback, index766, reports = domains
    metrics = dossiers.metrics | procedures.metrics | feedback.metrics
    metrics |= index766.metrics | reports.metrics
    ev = Evaluation(
        params=params,
        period=params.metric_period,
        plan=tables.plan,
        dossier_result=dossiers,
        procedure_result=procedures,
        feedback_result=feedback,
        index766_result=index766,
        report_result=reports,
        task_result=evaluate_tasks_of_plan(
            tables.plan, frames, params, references, metrics, reports, len(tables.activities) > 0
        ),
        data_quality=_data_quality(tables),
        references=references,
        data_dir=str(getattr(tables, "raw_dir", "") or ""),
        is_sample=bool(getattr(tables, "is_sample", False)),
        warnings=_table_warnings(tables.plan.tasks, references.task_indicators, metrics)
        + org.warnings_vi(),
        organisation=org,
    )
    ev.summary = _headline(ev, metrics)
    return ev


def _evaluate_domains(
    tables: Tables, frames, params: EvaluationParams, references: References
) -> tuple:
    """Each domain in order: organisation, dossiers, procedures, feedback, 766, reports.

    The 766 estimate uses the dossier rates by calendar month (the portal scores calendar
    months) and flags a comparison across an organisation change (issue 13).
    """
    issuer = getattr(tables.plan.meta, "issuer", "") or ""
    org = evaluate_organisation(
        tables.dossiers, frames["dossiers"], params, references, issuer, tables.index766
    )
    dossiers = evaluate_dossiers(frames, params, references)
    procedures = evaluate_procedures(frames, params, references, dossiers.by_procedure)
    feedback = evaluate_feedback(frames, params, references, len(tables.feedback) > 0)
    index766 = evaluate_index766(
        frames,
        params,
        references,
        dossiers.monthly_calendar,
        procedures.coverage,
        org.cross_break_vi,
    )
    reports = evaluate_reports(frames, params, references)
    return org, dossiers, procedures, feedback, index766, reports


def _table_warnings(
    plan_tasks: pd.DataFrame, table: pd.DataFrame, metrics: dict[str, MetricValue]
) -> list[str]:
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


def _data_quality(tables: Tables) -> pd.DataFrame:
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


def _headline(ev: Evaluation, metrics: dict[str, MetricValue]) -> dict:
    t = _row(ev.totals)
    coverage = _row(ev.online_coverage)
    proc, fb = ev.procedures_summary, ev.feedback_summary
    below, reports, overall = ev.index766_result.below, ev.reports_summary, ev.overall
    full = metrics.get("full_online_share", MetricValue())
    out = {
        "year": ev.params.year,
        "as_of": ev.as_of,
        "period_label_vi": ev.period.label_vi,
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
