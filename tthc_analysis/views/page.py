"""The page behind each notebook: the evaluation of its part of the plan, shown piece by piece.

A notebook opens its page once, right after its parameters cell::

    from tthc_analysis import views

    page = views.open_page("IV", year, as_of, period, data_dir, units, label_language, interactive)

:func:`open_page` prepares the kernel (:func:`tthc_analysis.views.display.setup_notebook`),
gets the tables and the evaluation (:func:`tthc_analysis.views.context.load_context`:
computed once per review build and shared with every kernel), shows the page header and
returns the page. Each later cell is one call: ``page.tasks()``, ``page.indicators()``,
a chart, ``page.explorer()``, ``page.next_steps()``; each returns a
:class:`~tthc_analysis.views.blocks.View` (or a widget) that Jupyter displays.

Labels: ``label_language="vi"`` is the only language; any other value shows a note and
keeps the Vietnamese labels (the plan, the legal terms and the data are Vietnamese).

Interactive or static: with ``interactive=True`` (JupyterLab) the explorer cells show
filter controls; with ``interactive=False`` (the review build) the same cells show the
full, unfiltered tables and charts, with no dead controls.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from tthc_analysis.charts import CADENCE_LABELS_VI, evidence_vs_cadence, indicator_vs_target
from tthc_analysis.errors import ParameterError, TthcError
from tthc_analysis.evaluation.evidence import evidence_by_period
from tthc_analysis.labels import target_source_vi
from tthc_analysis.text import format_date, nfc
from tthc_analysis.views import actions, display, summaries
from tthc_analysis.views.blocks import Column, View, html_table
from tthc_analysis.views.choices import pick, valid_values
from tthc_analysis.views.common import (
    format_target,
    indicator_value,
    plan_reference,
    scoped_frames,
    section_order,
)

if TYPE_CHECKING:
    from tthc_analysis.views.context import ReviewContext
    from tthc_analysis.workdays import WorkCalendar

__all__ = [
    "SAMPLE_NOTE_VI",
    "SUPPORTED_LANGUAGES",
    "Page",
    "SectionPage",
    "open_page",
    "page_class",
]

SUPPORTED_LANGUAGES = ("vi",)
"""Languages of the labels (``label_language``)."""

SAMPLE_NOTE_VI = "Dữ liệu mẫu giả lập, không phải số liệu thật"
"""The warning shown on pages built from the bundled synthetic sample."""

_REGISTRY: dict[str, type[Page]] = {}

_ALIASES = {
    "00": "00",
    "0": "00",
    "overview": "00",
    "tong_quan": "00",
    "10": "10",
    "year_end": "10",
    "tong_ket": "10",
    "tong_ket_nam": "10",
}


def register(key: str):
    """Class decorator: the page opened by :func:`open_page` for ``key``."""

    def wrap(cls: type[Page]) -> type[Page]:
        _REGISTRY[key] = cls
        return cls

    return wrap


def page_class(name: str) -> type[Page]:
    """The page class for ``"00"``, ``"I"``…``"IX"`` (or ``"01"``…``"09"``), ``"10"``."""
    from tthc_analysis.views import overview, plan_pages, service_pages, year_end  # noqa: F401

    key = str(name).strip()
    key = _ALIASES.get(key.lower(), key.upper())
    if key.isdigit() and 1 <= int(key) <= 9:
        key = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX")[int(key) - 1]
    if key not in _REGISTRY:
        raise ParameterError(
            f"Không có trang «{name}».",
            hint="Dùng 00 (tổng quan), I…IX (từng phần của kế hoạch) hoặc 10 (tổng kết năm).",
        )
    return _REGISTRY[key]


def _in_kernel() -> bool:
    from tthc_analysis.views.widgets import has_frontend

    return has_frontend()


def open_page(
    page: str,
    year: int = 2025,
    as_of: str | date | None = None,
    period: str = "year",
    data_dir: str | None = None,
    units: list | None = None,
    label_language: str = "vi",
    interactive: bool = True,
    *,
    context=None,
    show_header: bool = True,
) -> Page:
    """Prepare the notebook, load the evaluation and return the page (header shown).

    Args:
        page: ``"00"`` (overview), ``"I"``…``"IX"`` (a section), ``"10"`` (year-end).
        year: Plan year.
        as_of: Data cut-off date (``YYYY-MM-DD``); None = end of the period's last month.
        period: ``q1``…``q4``, ``h1``, ``9m``, ``year`` or ``YYYY-MM``.
        data_dir: Raw-data folder; None = the bundled synthetic sample.
        units: Units (phòng) to limit the page to; None = all.
        label_language: ``"vi"`` (the only supported language).
        interactive: Widgets with filters (JupyterLab); False = static full view.
        context: A :class:`~tthc_analysis.views.context.ReviewContext` already loaded
            (tests); default: :func:`~tthc_analysis.views.context.load_context`.
        show_header: Display the header now (in a notebook kernel).

    Returns:
        The page.
    """
    cls = page_class(page)
    in_kernel = _in_kernel()
    if in_kernel:
        display.setup_notebook(interactive=interactive)
    else:
        display.reset_ids()
    if context is None:
        from tthc_analysis.views.context import load_context

        context = load_context(year, as_of, period, data_dir, units)
    result = cls(context, interactive=interactive, label_language=label_language)
    if show_header and in_kernel:
        from IPython.display import display as ipy_display

        ipy_display(result.header())
    return result


# --- the base page ---------------------------------------------------------------------


def _timeframe(row: dict) -> str:
    deadline = row.get("deadline")
    if deadline is not None and not pd.isna(deadline):
        return f"Hạn {format_date(pd.Timestamp(deadline))}"
    return CADENCE_LABELS_VI.get(str(row.get("cadence")), str(row.get("cadence") or "–"))


def _met_badge(row: dict) -> str:
    met, target = row.get("met"), row.get("target")
    if target is None or pd.isna(target):
        return display.badge("Theo dõi")
    if row.get("target_kind") == "reference":
        return display.badge("Tham chiếu")
    if met is None or pd.isna(met):
        return display.status_badge("no_data", "Chưa đánh giá được")
    if row.get("judged_on") == "projection":
        return display.status_badge(
            "on_track" if bool(met) else "below_target",
            "Đúng hướng (dự báo)" if bool(met) else "Dự báo không đạt",
        )
    return display.status_badge(
        "achieved" if bool(met) else "below_target", "Đạt" if bool(met) else "Chưa đạt"
    )


TASK_TABLE_SPEC = (
    Column("task_id", "Nhiệm vụ"),
    Column("content_short", "Nội dung"),
    Column("lead_unit", "Chủ trì"),
    Column("timeframe", "Thời hạn"),
    Column("status", "Trạng thái", "status"),
    Column("reason_vi", "Căn cứ đánh giá"),
    Column("evidence_vi", "Minh chứng"),
)
"""Columns of the tasks table."""

INDICATOR_TABLE_SPEC = (
    Column("task_id", "Nhiệm vụ"),
    Column("name_vi", "Chỉ tiêu"),
    Column("shown_value", "Kết quả"),
    Column("shown_target", "Mức chỉ tiêu"),
    Column("badge", "Đánh giá", "html"),
    Column("note", "Nguồn chỉ tiêu, ghi chú"),
)
"""Columns of the indicators table."""


class Page:
    """What a notebook shows: header, tasks, indicators, evidence, explorer, next steps.

    Args:
        context: :class:`~tthc_analysis.views.context.ReviewContext` (tables, evaluation).
        interactive: Widgets (True) or the static full view (False).
        label_language: ``"vi"``.

    Attributes:
        title: Title of the page.
        section_id: The plan section (``"I"``…), or None for the overview and year-end.
    """

    title = "Kết quả thực hiện kế hoạch"
    section_id: str | None = None
    key = ""

    def __init__(
        self, context: ReviewContext, *, interactive: bool = False, label_language: str = "vi"
    ) -> None:
        if context.evaluation is None:
            notes = "; ".join(context.notes) or "không rõ nguyên nhân"
            raise TthcError(f"Chưa đánh giá được kế hoạch: {notes}.")
        self.context = context
        self.ev = context.evaluation
        self.interactive = bool(interactive)
        self.label_language = str(label_language or "vi")
        self._frames: dict[str, pd.DataFrame] | None = None

    # -- data --
    @property
    def tables(self):
        """The loaded tables (read from the ingest cache on first use)."""
        return self.context.tables

    @property
    def frames(self) -> dict[str, pd.DataFrame]:
        """The tables limited to the evaluated units (as the evaluation sees them)."""
        if self._frames is None:
            self._frames = scoped_frames(self.tables, self.ev.params.unit_list)
        return self._frames

    @property
    def period(self):
        """The evaluated :class:`~tthc_analysis.periods.Period` (its window and name)."""
        return self.ev.period

    @property
    def catalogue(self) -> pd.DataFrame:
        """The procedure catalogue of the evaluated units."""
        return self.frames["procedures"]

    @property
    def calendar(self) -> WorkCalendar:
        """The working-day calendar of the evaluation (holidays and the settings' overrides).

        Pass it to the metric functions (``dossier_rates(..., calendar=page.calendar)``):
        they read no file themselves.
        """
        return self.ev.calendar

    # -- valid choices --
    def valid_units(self) -> list[str]:
        """The units (phòng) found in the data of the page: the names ``unit=`` accepts."""
        frames = self.frames
        columns = [frames[n]["unit"] for n in ("dossiers", "procedures", "feedback", "activities")
                   if n in frames and "unit" in frames[n]]  # fmt: skip
        columns.append(self.ev.tasks.get("lead_unit", pd.Series(dtype=object)))
        return valid_values(*columns)

    def valid_fields(self) -> list[str]:
        """The fields (lĩnh vực) of the dossiers and the catalogue: what ``field=`` accepts."""
        frames = self.frames
        columns = [frames[n]["field"] for n in ("dossiers", "procedures")
                   if n in frames and "field" in frames[n]]  # fmt: skip
        return valid_values(*columns)

    def valid_procedures(self) -> list[str]:
        """The procedure codes of the dossiers and the catalogue: what ``procedure=`` accepts."""
        frames = self.frames
        columns = [frames[n]["procedure_code"] for n in ("dossiers", "procedures")
                   if n in frames and "procedure_code" in frames[n]]  # fmt: skip
        return valid_values(*columns)

    def _unit(self, unit: str | None) -> str | None:
        return pick(unit, self.valid_units(), "đơn vị", hint="Xem danh sách: page.valid_units().")

    def _field(self, field: str | None) -> str | None:
        return pick(
            field, self.valid_fields(), "lĩnh vực", hint="Xem danh sách: page.valid_fields()."
        )

    def _procedure(self, procedure: str | None) -> str | None:
        """A procedure code, or a procedure name (exact, diacritics ignored) -> its code."""
        if procedure is None:
            return None
        codes = self.valid_procedures()
        try:
            return pick(procedure, codes, "thủ tục")
        except TthcError:
            names = {}
            for name in ("procedures", "dossiers"):
                frame = self.frames.get(name)
                if frame is not None and {"procedure_code", "procedure_name"} <= set(frame):
                    pairs = frame[["procedure_code", "procedure_name"]].dropna()
                    for code, label in zip(pairs["procedure_code"], pairs["procedure_name"],
                                           strict=True):  # fmt: skip
                        names.setdefault(str(label), str(code))
            try:
                return names[pick(procedure, list(names), "thủ tục")]
            except TthcError:
                return pick(procedure, codes, "thủ tục (mã TTHC)",
                            hint="Xem danh sách: page.valid_procedures().")  # fmt: skip

    def _filter_tasks(
        self, rows: pd.DataFrame, status: str | None, unit: str | None
    ) -> pd.DataFrame:
        if status is not None:
            from tthc_analysis.status import STATUSES

            status = pick(status, list(STATUSES), "trạng thái")
            rows = rows.loc[rows["status"] == status]
        if unit is not None:
            unit = pick(unit, valid_values(self.ev.tasks["lead_unit"]), "đơn vị chủ trì")
            rows = rows.loc[rows["lead_unit"] == unit]
        return rows

    def _task_rows(self) -> pd.DataFrame:
        tasks = self.ev.tasks
        if self.section_id is None:
            return tasks
        return tasks.loc[tasks["section_id"] == self.section_id]

    def _task_ids(self) -> list[str]:
        return list(self._task_rows()["task_id"])

    def _section_title(self) -> str:
        sections = self.ev.plan.sections
        rows = sections.loc[sections["section_id"] == self.section_id]
        return nfc(str(rows.iloc[0]["section_title"])) if len(rows) else ""

    # -- header --
    def header(self) -> View:
        """Sở, plan, period, cut-off date, units; a warning on the synthetic sample.

        In a review build the page header of the report already shows the Sở, the plan,
        the period, the cut-off date and the sample banner, so only the section and the
        units are repeated here.

        Returns:
            A view; ``.data`` is one row with the year, period, cut-off date and units.
        """
        ev = self.ev
        meta = ev.plan.meta
        view = View("header")
        view.set_data(
            pd.DataFrame(
                [
                    {
                        "year": ev.params.year,
                        "period": ev.period.period_id,
                        "period_vi": ev.period.label_vi,
                        "window_vi": ev.period.window_vi,
                        "as_of": pd.Timestamp(ev.as_of),
                        "units": "; ".join(ev.params.unit_list or []),
                        "is_sample": bool(ev.is_sample),
                    }
                ]
            ),
            labels={
                "year": "Năm",
                "period": "Mã kỳ",
                "period_vi": "Kỳ đánh giá",
                "window_vi": "Cách tính kỳ",
                "as_of": "Ngày chốt số liệu",
                "units": "Đơn vị",
                "is_sample": "Dữ liệu mẫu giả lập",
            },
        )
        in_build = display.in_review_build()
        lines = []
        org = ev.organisation
        issuer = org.issuer_vi or getattr(meta, "issuer", "")
        if issuer and not in_build:
            lines.append(f"<strong>{_esc(issuer)}</strong>")
        if org.issuer_note_vi:
            # issue 13: the body issuing the report changed during the plan year
            lines.append(_esc(org.issuer_note_vi))
        if self.section_id:
            lines.append(_esc(f"Phần {self.section_id} của kế hoạch: {self._section_title()}"))
        if not in_build:
            reference = plan_reference(meta)
            lines.append(_esc(f"Thực hiện {reference}" if reference else "Kế hoạch kiểm soát TTHC"))
            lines.append(
                _esc(f"Kỳ đánh giá: {ev.period.label_vi}; {ev.period.window_vi}.")
                + " "
                + _esc(f"Số liệu chốt đến ngày {format_date(ev.as_of)}.")
            )
        units = ev.params.unit_list
        lines.append(_esc("Đơn vị: " + ("; ".join(units) if units else "tất cả các phòng")))
        view.add_html(
            '<div class="tthc-page-head">'
            + "".join(f'<p style="margin:2px 0">{line}</p>' for line in lines)
            + "</div>"
        )
        if ev.is_sample and not in_build:
            view.add_note(
                f"{SAMPLE_NOTE_VI}: mọi con số trên trang này chỉ để minh họa cách đánh giá.",
                "warning",
            )
        if self.label_language not in SUPPORTED_LANGUAGES:
            view.add_note(
                f"Ngôn ngữ nhãn «{self.label_language}» chưa được hỗ trợ; các nhãn hiển thị "
                "bằng tiếng Việt.",
                "info",
            )
        for text in [*self.context.notes, *ev.warnings]:
            view.add_note(text, "warning")
        return view

    # -- shared blocks --
    def summary(self) -> View:
        """A paragraph summing up the section (or the whole plan).

        Returns:
            A view; ``.data`` is the section's row of the section table (the whole
            table on the overview and the year-end review).
        """
        view = View("summary")
        sections = self.ev.sections
        if self.section_id and "section_id" in sections:
            sections = sections.loc[sections["section_id"] == self.section_id]
        view.set_data(sections, dataset="sections")
        if self.section_id:
            view.add_paragraph(summaries.section_paragraph(self.ev, self.section_id))
        else:
            view.add_paragraph(summaries.overall_paragraph(self.ev))
        return view

    def tasks(self, *, status: str | None = None, unit: str | None = None) -> View:
        """The tasks with their status (badge), the reason and the evidence found.

        Args:
            status: Only the tasks with this status code (``"overdue"``, ``"behind"``,
                ``"done_on_time"``…, see ``tthc_analysis.status.STATUSES``).
            unit: Only the tasks led by this unit (phòng).

        Returns:
            A view; ``.data`` is the task table (one row per task: ``task_id``,
            ``status``, ``reason_vi``, ``evidence_vi``…).
        """
        rows = self._task_rows().copy()
        view = View("tasks", {"status": status, "unit": unit})
        rows = self._filter_tasks(rows, status, unit)
        view.set_data(rows, dataset="tasks")
        if not len(rows):
            if status or unit:
                return view.add_note("Không có nhiệm vụ nào phù hợp với lựa chọn.")
            return view.add_note("Không có nhiệm vụ nào trong phạm vi đánh giá (bộ lọc đơn vị).")
        rows["timeframe"] = [_timeframe(r) for r in rows.to_dict("records")]
        caption = f"Trạng thái các nhiệm vụ tại ngày {format_date(self.ev.as_of)}"
        view.add_html(html_table(rows, TASK_TABLE_SPEC, caption))
        return self._add_task_rules(view, list(rows["task_id"]))

    def _add_task_rules(self, view: View, task_ids: list[str]) -> View:
        """The rule of each task (``task_rules.csv``), so a reviewer can dispute a status."""
        from tthc_analysis.loading.task_rules import TASK_RULE_LABELS_VI, load_task_rules

        try:
            rules = load_task_rules(settings=self.ev.settings)
        except TthcError as exc:
            return view.add_note(f"Không đọc được bảng quy tắc đánh giá nhiệm vụ: {exc}")
        rules = rules.loc[rules["task_id"].isin(task_ids)]
        if not len(rules):
            return view
        columns = tuple(Column(k, h) for k, h in TASK_RULE_LABELS_VI.items())
        caption = "Quy tắc đánh giá từng nhiệm vụ (căn cứ để xem xét lại trạng thái)"
        return view.add_html(html_table(rules, columns, caption))

    def indicator_rows(self) -> pd.DataFrame:
        """The section's indicators with display columns (value, target, badge, note)."""
        table = self.ev.indicators
        ids = set(self._task_ids())
        rows = table.loc[table["task_id"].isin(ids)].copy()
        records = rows.to_dict("records")
        rows["shown_value"] = [indicator_value(r["value"], r["unit"]) for r in records]
        rows["shown_target"] = [
            format_target(r["target"], r["unit"], r["direction"]) for r in records
        ]
        rows["badge"] = [_met_badge(r) for r in records]
        rows["note"] = [_indicator_note(r) for r in records]
        return rows

    def indicators(self, *, task: str | None = None) -> View:
        """The indicators against their targets: a table and a chart.

        A section whose indicators are all monitored only (no target in the plan) shows
        their values as bars marked "chỉ tiêu: không quy định".

        Args:
            task: Only the indicators of this task (``"VI.3"``).

        Returns:
            A view; ``.data`` is the indicator table (``indicator_id``, ``value``,
            ``target``, ``met``…), ``.figure`` the chart against the targets.
        """
        rows = self.indicator_rows()
        view = View("indicators", {"task": task})
        if task is not None:
            task = pick(task, list(rows["task_id"].unique()), "nhiệm vụ")
            rows = rows.loc[rows["task_id"] == task]
        view.set_data(rows.drop(columns=["badge"], errors="ignore"), dataset="indicators")
        if not len(rows):
            return view.add_note("Phần này không có chỉ tiêu định lượng; đánh giá theo minh chứng.")
        view.add_html(html_table(rows, INDICATOR_TABLE_SPEC, "Các chỉ tiêu định lượng và kết quả"))
        judged = rows.loc[rows["target"].notna() & (rows.get("target_kind") != "reference")]
        if len(judged):
            title = (
                f"Phần {self.section_id}: kết quả so với chỉ tiêu"
                if self.section_id
                else "Kết quả so với chỉ tiêu"
            )
            view.add_figure(indicator_vs_target(judged, title=title))
        elif rows["value"].notna().any():
            title = (
                f"Phần {self.section_id}: các chỉ số theo dõi (kế hoạch không quy định chỉ tiêu)"
                if self.section_id
                else "Các chỉ số theo dõi (kế hoạch không quy định chỉ tiêu)"
            )
            view.add_figure(indicator_vs_target(rows.loc[rows["value"].notna()], title=title))
        return view

    def evidence_rows(self) -> pd.DataFrame:
        """Evidence items of the section's tasks dated on or before the as-of date."""
        acts = self.frames["activities"]
        if not len(acts):
            return acts
        ids = self._task_ids()
        rows = acts.loc[acts["task_id"].isin(ids)]
        rows = rows.loc[rows["date"].isna() | (rows["date"] <= pd.Timestamp(self.ev.as_of))]
        rows = rows.assign(_order=[(section_order(t.split(".")[0]), t) for t in rows["task_id"]])
        rows = rows.sort_values(["_order", "date"], kind="stable").drop(columns="_order")
        columns = ("task_id", "date", "doc_number", "kind", "title", "status", "unit",
                   "covers_period", "participants")  # fmt: skip
        keep = [c for c in columns if c in rows and rows[c].notna().any()]
        return rows[keep].reset_index(drop=True)

    def evidence_periods(self) -> pd.DataFrame:
        """The section's evidence per month (if a task is monthly) or quarter, vs its cadence.

        See :func:`tthc_analysis.evaluation.evidence.evidence_by_period`; empty for the overview.
        """
        tasks = self._task_rows() if self.section_id else self._task_rows().iloc[0:0]
        period = "month" if (tasks["evidence_cadence"] == "monthly").any() else "quarter"
        settings = self.ev.settings
        return evidence_by_period(
            tasks,
            self.frames["activities"],
            int(self.ev.params.year),
            self.ev.as_of,
            period=period,
            due_day=settings.monthly_notice_due_day if settings else 10,
            calendar=self.ev.calendar,
        )

    def evidence(self, *, task: str | None = None, unit: str | None = None) -> View:
        """The section's evidence: per period against the cadence (chart), then the list.

        The list holds the documents, trainings and notices recorded for the tasks.

        Args:
            task: Only the evidence of this task (``"IV.1"``).
            unit: Only the evidence recorded by this unit (phòng).

        Returns:
            A view; ``.data`` is the list of evidence (``task_id``, ``date``,
            ``doc_number``, ``kind``, ``title``…), ``.frames["by_period"]`` the count per
            period against the cadence (the data of ``.figure``).
        """
        view = View("evidence", {"task": task, "unit": unit})
        periods = self.evidence_periods()
        rows = self.evidence_rows()
        if task is not None:
            task = pick(task, self._task_ids(), "nhiệm vụ")
            rows = rows.loc[rows["task_id"] == task] if len(rows) else rows
            if len(periods) and "task_id" in periods:
                periods = periods.loc[periods["task_id"] == task]
        if unit is not None:
            unit = self._unit(unit)
            rows = (
                rows.loc[rows["unit"] == unit] if len(rows) and "unit" in rows else rows.iloc[0:0]
            )
        view.set_data(rows, dataset="activities")
        view.set_data(periods, "by_period")
        if len(periods):
            by = "tháng" if periods["period"].iloc[0][5:6] != "Q" else "quý"
            view.add_figure(
                evidence_vs_cadence(
                    periods,
                    title=(
                        f"Phần {self.section_id}: số minh chứng theo {by} so với yêu cầu "
                        "của từng nhiệm vụ"
                    ),
                    as_of=self.ev.as_of,
                )
            )
        if not len(rows):
            return view.add_note("Chưa có minh chứng nào được ghi nhận cho các nhiệm vụ này.")
        name = f"minh-chung-{(self.section_id or 'tat-ca').lower()}"
        return view.add_table(
            rows, name, caption="Minh chứng thực hiện nhiệm vụ", dataset="activities"
        )

    def next_steps(self) -> View:
        """What to do next, derived from the data (:mod:`tthc_analysis.views.actions`).

        Returns:
            A view; ``.data`` has one row per step (``step``).
        """
        view = View("next_steps")
        items = actions.next_steps(self.ev, self.section_id, self.catalogue)
        view.set_data(pd.DataFrame({"step": list(items)}), labels={"step": "Việc cần làm"})
        if not items:
            return view.add_note(
                "Chưa phát hiện việc cần làm thêm từ số liệu; tiếp tục duy trì và cập nhật "
                "minh chứng định kỳ.",
                "info",
            )
        return view.add_html(_steps_html(items))

    def explorer(self):
        """The section's evidence as a filterable table (static full table in a build).

        Returns:
            A filter widget; ``.data`` is the table as filtered (``.to_excel(path)``,
            ``.to_csv(path)`` write it).
        """
        from tthc_analysis.views.widgets import FilteredTable, FilterSpec

        rows = self.evidence_rows()
        if not len(rows):
            return View("explorer").add_note("Chưa có minh chứng để tra cứu.")
        return FilteredTable(
            rows,
            [
                FilterSpec("task_id", "Nhiệm vụ"),
                FilterSpec("unit", "Đơn vị"),
                FilterSpec("kind", "Loại minh chứng"),
            ],
            name=f"tra-cuu-minh-chung-{(self.section_id or 'tat-ca').lower()}",
            caption="Tra cứu minh chứng",
            interactive=self.interactive,
            dataset="activities",
        )


class SectionPage(Page):
    """A page for one section of the plan (``section_id``)."""

    @property
    def title(self) -> str:
        """``"Phần IV. …"`` from the plan."""
        return f"Phần {self.section_id}. {self._section_title()}"


# --- helpers ---------------------------------------------------------------------------


def _esc(text: str) -> str:
    import html

    return html.escape(nfc(str(text)))


def _indicator_note(row: dict) -> str:
    """Where the target comes from, after the projection if the indicator is judged on it."""
    if row.get("target") is None or pd.isna(row.get("target")):
        return "Chỉ để theo dõi"
    if row.get("target_kind") == "reference":
        return "Mức tham chiếu của người phân tích; kế hoạch không đặt chỉ tiêu, không dùng để đánh giá"
    source = row.get("target_source_vi")
    if not isinstance(source, str):
        source = target_source_vi(row.get("target_source"))
    projection = row.get("projection")
    if projection is not None and not pd.isna(projection):
        when = row.get("target_date")
        at = f" {format_date(pd.Timestamp(when))}" if when is not None and not pd.isna(when) else ""
        forecast = f"Dự báo{at}: {indicator_value(projection, row['unit'])}"
        return f"{forecast}. Nguồn chỉ tiêu: {source}" if source else forecast
    return source


def _steps_html(items: list[str]) -> str:
    from tthc_analysis.views.blocks import list_html

    return list_html(items, ordered=True, css_class="tthc-next-steps")
