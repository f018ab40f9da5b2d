"""Page 00: the whole plan at a glance (notebook ``00_tong_quan``).

The nine sections side by side with their status, the headline indicators against
their targets, the timeline of the 24 tasks, what is late and why, the data quality,
and what to do next in every section.
"""

from __future__ import annotations

import pandas as pd

from tthc_analysis.charts import indicator_vs_target, plan_timeline, section_progress
from tthc_analysis.text import format_date, format_number, nfc
from tthc_analysis.views import actions, display
from tthc_analysis.views.blocks import Column, View, html_table, key_figures_html, list_html
from tthc_analysis.views.choices import pick
from tthc_analysis.views.common import format_target, indicator_value
from tthc_analysis.views.page import TASK_TABLE_SPEC, Page, _timeframe, register

__all__ = ["HEADLINE_INDICATORS", "OverviewPage"]

HEADLINE_INDICATORS = (
    "on_time_rate",
    "full_online_share",
    "eligible_full_online_coverage",
    "digitisation_rate",
    "index766_total_latest",
    "pakn_on_time_rate",
    "reports_on_time",
)
"""Indicators shown at the top of the overview, in order (first row of each id)."""

PROBLEM_STATUSES = ("overdue", "behind", "below_target", "done_late", "no_data")
"""Statuses listed under "what is late and why", worst first."""

SECTION_TABLE_SPEC = (
    Column("section_id", "Phần"),
    Column("section_title", "Nội dung"),
    Column("n_tasks", "Số nhiệm vụ", "int"),
    Column("n_done", "Hoàn thành", "int"),
    Column("n_on_track", "Đúng tiến độ", "int"),
    Column("n_problem", "Cần chú ý", "int"),
    Column("progress_share", "Tỷ lệ hoàn thành / đúng tiến độ", "rate"),
    Column("status", "Tình trạng chung", "status"),
    Column("summary_vi", "Tóm tắt"),
)


@register("00")
class OverviewPage(Page):
    """The overview of the plan (all sections)."""

    title = "Tổng quan thực hiện kế hoạch"
    key = "00"

    def sections(self) -> View:
        """The nine sections side by side: progress chart and table with status badges.

        Returns:
            A view; ``.data`` is the section table (``section_id``, ``n_tasks``,
            ``n_done``, ``progress_share``, ``status``…), ``.figure`` the progress chart.
        """
        ev = self.ev
        view = View("sections")
        table = ev.sections
        view.set_data(table, dataset="sections")
        view.add_paragraph(nfc(ev.overall.get("summary_vi", "")) + ".")
        if len(table) and table["progress_share"].notna().any():
            # Every task of the plan is required: the line marks 100% done or on track.
            view.add_figure(section_progress(table.loc[table["n_tasks"] > 0], target=1.0))
        view.add_html(html_table(table, SECTION_TABLE_SPEC, "Tình hình thực hiện theo từng phần"))
        return view

    def headline_rows(self) -> pd.DataFrame:
        """The headline indicators (one row each) with display columns.

        The latest 766 total is judged against the previous year's mean (the plan
        expects no month below it).
        """
        ev = self.ev
        table = ev.indicators
        rows = []
        for ident in HEADLINE_INDICATORS:
            found = table.loc[table["indicator_id"] == ident]
            if not len(found):
                continue
            row = found.iloc[0].to_dict()
            if ident == "index766_total_latest":
                mean = ev.summary.get("index766_prev_year_mean")
                if mean is not None and not pd.isna(mean) and not pd.isna(row["value"]):
                    row["target"] = float(mean)
                    row["met"] = bool(row["value"] >= mean)
                    row["name_vi"] = (
                        f"{row['name_vi']} (không thấp hơn bình quân năm {ev.as_of.year - 1})"
                    )
            rows.append(row)
        return pd.DataFrame(rows)

    def headline(self) -> View:
        """The headline indicators: key-figure cards and a chart against the targets.

        Returns:
            A view; ``.data`` is one row per headline indicator (``indicator_id``,
            ``name_vi``, ``value``, ``target``, ``met``, ``projection``…).
        """
        rows = self.headline_rows()
        view = View("headline")
        view.set_data(rows, dataset="indicators")
        if not len(rows):
            return view.add_note("Chưa có chỉ tiêu định lượng nào được tính.")
        cards = []
        for r in rows.to_dict("records"):
            target = format_target(r["target"], r["unit"], r["direction"])
            detail = f"Chỉ tiêu {target}" if target != "–" else "Theo dõi"
            if r.get("projection") is not None and not pd.isna(r.get("projection")):
                detail += f"; dự báo cuối năm {indicator_value(r['projection'], r['unit'])}"
            cards.append((indicator_value(r["value"], r["unit"]), nfc(r["name_vi"]), detail))
        view.add_html(key_figures_html(cards))
        judged = rows.loc[rows["target"].notna() & rows["value"].notna()]
        if len(judged):
            view.add_figure(
                indicator_vs_target(judged, title="Các chỉ tiêu chính so với mục tiêu của kế hoạch")
            )
        return view

    def timeline(self) -> View:
        """The 24 tasks across the year, coloured by status, with the cut-off date.

        Returns:
            A view; ``.data`` is the task table drawn, ``.figure`` the timeline.
        """
        ev = self.ev
        view = View("timeline")
        view.set_data(ev.tasks, dataset="tasks")
        if not len(ev.tasks):
            return view.add_note("Không có nhiệm vụ nào trong phạm vi đánh giá.")
        return view.add_figure(plan_timeline(ev.tasks, year=ev.params.year, as_of=ev.as_of))

    def late(self, *, status: str | None = None, unit: str | None = None) -> View:
        """What is late and why: the tasks that need attention, worst first, with reasons.

        Args:
            status: Only this status (one of ``overdue``, ``behind``, ``below_target``,
                ``done_late``, ``no_data``).
            unit: Only the tasks led by this unit (phòng).

        Returns:
            A view; ``.data`` is the list of tasks needing attention, worst first.
        """
        tasks = self.ev.tasks
        view = View("late", {"status": status, "unit": unit})
        rank = {code: i for i, code in enumerate(PROBLEM_STATUSES)}
        rows = tasks.loc[tasks["status"].isin(PROBLEM_STATUSES)].copy()
        if status is not None:
            status = pick(status, list(PROBLEM_STATUSES), "trạng thái cần chú ý")
        rows = self._filter_tasks(rows, status, unit)
        view.set_data(rows, dataset="tasks")
        if not len(rows) and (status or unit):
            return view.add_note("Không có nhiệm vụ nào phù hợp với lựa chọn.", "info")
        if not len(rows):
            return view.add_note(
                "Không có nhiệm vụ nào chậm, quá hạn hay chưa đạt chỉ tiêu tại ngày chốt số liệu.",
                "info",
            )
        rows["_rank"] = rows["status"].map(rank)
        rows = rows.sort_values("_rank", kind="stable")
        view.set_data(rows.drop(columns="_rank"), dataset="tasks", main=True)
        rows["timeframe"] = [_timeframe(r) for r in rows.to_dict("records")]
        columns = [c for c in TASK_TABLE_SPEC if c.key != "evidence_vi"]
        caption = (
            f"{format_number(len(rows))} nhiệm vụ cần chú ý tại ngày {format_date(self.ev.as_of)}"
        )
        return view.add_html(html_table(rows, columns, caption))

    def data_quality(self) -> View:
        """Rows loaded, rejected and warnings per dataset, with where to find the details.

        Returns:
            A view; ``.data`` is one row per dataset (``n_rows``, ``n_rejected_rows``,
            ``n_warnings``…).
        """
        ev = self.ev
        view = View("data_quality")
        quality = ev.data_quality
        if not len(quality):
            return view.add_note("Không có thông tin về chất lượng dữ liệu.")
        n_rejected = int(quality["n_rejected_rows"].sum())
        n_warnings = int(quality["n_warnings"].sum())
        view.add_paragraph(
            f"Đã nạp {format_number(quality['n_rows'].sum())} dòng dữ liệu; "
            f"{format_number(n_rejected)} dòng bị loại vì lỗi và "
            f"{format_number(n_warnings)} cảnh báo khi đọc tệp."
        )
        view.add_table(
            quality,
            static=True,
            caption="Chất lượng dữ liệu đầu vào theo bộ dữ liệu",
        )
        org = ev.organisation
        for line in org.switch.lines_vi():
            view.add_paragraph(line)  # issue 13: dossiers carried into the new system
        for successor, note in sorted(org.unit_notes.items()):
            view.add_paragraph(f"{successor}: {note}.")
        if display.in_review_build():
            view.add_html(
                "<p>Chi tiết từng dòng bị loại (tệp, dòng, cột, lý do): trang "
                '<a href="chat_luong_du_lieu.html">Chất lượng dữ liệu</a> của báo cáo.</p>'
            )
        else:
            view.add_paragraph(
                "Chi tiết từng dòng bị loại (tệp, dòng, cột, lý do): trang «Chất lượng dữ "
                "liệu» của báo cáo tổng hợp (lệnh tthc review) hoặc lệnh tthc ingest."
            )
        return view

    def explorer(self):
        """All tasks, filterable by section, lead unit and status.

        Returns:
            A filter widget; ``.data`` is the task table as filtered (``.to_excel(path)``,
            ``.to_csv(path)`` write it).
        """
        from tthc_analysis.views.widgets import FilteredTable, FilterSpec

        tasks = self.ev.tasks
        return FilteredTable(
            tasks,
            [
                FilterSpec("section_id", "Phần"),
                FilterSpec("lead_unit", "Đơn vị chủ trì"),
                FilterSpec("status", "Trạng thái"),
            ],
            columns=["task_id", "content_short", "lead_unit", "status_vi", "reason_vi"],
            name="tra-cuu-nhiem-vu",
            caption="Tra cứu nhiệm vụ của kế hoạch",
            interactive=self.interactive,
            dataset="tasks",
        )

    def dossier_explorer(self):
        """Dossier rates by month, filterable by unit, field, procedure, channel and period.

        Shown on the leaders' dashboard (``tthc dashboard``).

        Returns:
            A filter widget; ``.data`` is the monthly rates shown, ``.figure`` the chart;
            ``.to_excel(path)`` / ``.to_csv(path)`` write the table shown.
        """
        from tthc_analysis.views.service_pages import OneStopPage

        return OneStopPage(
            self.context, interactive=self.interactive, label_language=self.label_language
        ).explorer()

    def next_steps(self) -> View:
        """What to do next, section by section.

        Returns:
            A view; ``.data`` has one row per step (``section_id``, ``step``).
        """
        view = View("next_steps")
        by_section = actions.actions_by_section(self.ev, self.catalogue)
        view.set_data(
            pd.DataFrame(
                [(sid, item) for sid, items in by_section.items() for item in items],
                columns=["section_id", "step"],
            ),
            labels={"step": "Việc cần làm"},
        )
        any_item = False
        for sid, items in by_section.items():
            if not items:
                continue
            any_item = True
            view.add_heading(f"Phần {sid}", level=4, anchor=f"viec-can-lam-{sid.lower()}")
            view.add_html(list_html(items, ordered=True, css_class="tthc-next-steps"))
        if not any_item:
            view.add_note("Chưa phát hiện việc cần làm thêm từ số liệu.")
        return view
