"""Page 10: the year-end review (báo cáo tổng kết) that the Director signs off.

In the order of an official summary: the introduction; the results against every
target of the plan; each section I–IX with a paragraph built from the data; the figures
of the year and form 06 for the year; the month-by-month comparison; conclusions
(achievements, shortcomings) and recommendations (the next steps of every section); a
signature block left blank for the Director.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import pandas as pd

from tthc_analysis.charts import index766_trend
from tthc_analysis.organisation import issuing_body
from tthc_analysis.text import format_number, nfc
from tthc_analysis.views import report_text, summaries
from tthc_analysis.views.blocks import Column, View, html_table, list_html
from tthc_analysis.views.common import section_order, year_rows
from tthc_analysis.views.page import INDICATOR_TABLE_SPEC, Page, register
from tthc_analysis.views.service_pages import form06_block, monthly_block

if TYPE_CHECKING:
    from tthc_analysis.evaluation.evaluate import Evaluation

__all__ = ["YearEndPage", "key_figure_rows"]

_TASK_BRIEF = (
    Column("task_id", "Nhiệm vụ"),
    Column("content_short", "Nội dung"),
    Column("status", "Kết quả", "status"),
)


def key_figure_rows(ev: Evaluation) -> pd.DataFrame:
    """The figures of the period (:func:`tthc_analysis.views.report_text.key_figure_rows`)."""
    return report_text.key_figure_rows(ev)


@register("10")
class YearEndPage(Page):
    """The year-end review of the plan."""

    title = "Báo cáo tổng kết thực hiện kế hoạch"
    key = "10"

    def introduction(self) -> View:
        """The opening paragraph: which plan, which period, which data.

        Returns:
            A view; ``.data`` is the section table summed up in the paragraph.
        """
        text = report_text.introduction_text(self.ev)
        return View("introduction").add_paragraph(text).extend(self.summary())

    def targets(self) -> View:
        """Every target of the plan: the result and whether it was achieved, by section.

        Returns:
            A view; ``.data`` is one row per indicator with a target (``value``,
            ``target``, ``met``…).
        """
        rows = self.indicator_rows()
        rows = rows.loc[rows["target"].notna()].copy()
        view = View("targets")
        view.set_data(rows.drop(columns=["badge"]), dataset="indicators")
        if not len(rows):
            return view.add_note("Chưa có chỉ tiêu định lượng nào được đánh giá.")
        met, judged = summaries.indicator_tally(self.ev)
        view.add_paragraph(
            f"Đạt {format_number(met)}/{format_number(judged)} chỉ tiêu định lượng có mục tiêu "
            "của kế hoạch."
        )
        rows["_order"] = [section_order(t.split(".")[0]) for t in rows["task_id"]]
        rows = rows.sort_values("_order", kind="stable")
        return view.add_html(
            html_table(rows, INDICATOR_TABLE_SPEC, "Kết quả thực hiện các chỉ tiêu của kế hoạch")
        )

    def sections_review(self) -> View:
        """Each section I–IX: a paragraph from the data and its tasks' results.

        Returns:
            A view; ``.data`` is the task table (``section_id``, ``task_id``, ``status``…).
        """
        ev = self.ev
        view = View("sections_review")
        sections = ev.plan.sections.sort_values("section_no")
        view.set_data(ev.tasks, dataset="tasks")
        for rec in sections.to_dict("records"):
            sid = rec["section_id"]
            view.add_heading(
                f"Phần {sid}. {nfc(rec['section_title'])}", level=3, anchor=f"phan-{sid.lower()}"
            )
            view.add_paragraph(summaries.section_paragraph(ev, sid))
            tasks = ev.tasks.loc[ev.tasks["section_id"] == sid]
            if len(tasks):
                view.add_html(html_table(tasks, _TASK_BRIEF))
        return view

    def figures(self) -> View:
        """The figures of the year in one table.

        Returns:
            A view; ``.data`` is one row per figure (``content``, ``figure``, ``note``).
        """
        view = View("figures")
        rows = key_figure_rows(self.ev)
        view.set_data(rows, labels={"content": "Nội dung", "figure": "Số liệu", "note": "Chi tiết"})
        if not len(rows):
            return view.add_note("Chưa có số liệu giải quyết TTHC trong kỳ.")
        columns = (Column("content", "Nội dung"), Column("figure", "Số liệu"),
                   Column("note", "Chi tiết"))  # fmt: skip
        return view.add_html(
            html_table(rows, columns, f"Số liệu chủ yếu – {self.ev.period.label_vi}")
        )

    def form06(self) -> View:
        """Form 06/VPCP/KSTT for the period (the year by default).

        Returns:
            A view; ``.data`` is the form (one row per field), ``.figure`` the chart.
        """
        return form06_block(self.ev, "bieu-06-nam")

    def monthly(self) -> View:
        """Month-by-month comparison: the table, the main trends and the 766 totals.

        Returns:
            A view; ``.data`` is the month-by-month rates table, ``.figures`` the charts.
        """
        ev = self.ev
        view = monthly_block(ev, "so-sanh-theo-thang")
        wide = ev.index766
        year = int(ev.params.year)
        if len(wide):
            mine = year_rows(wide, year, ev.as_of)
            mean = ev.summary.get("index766_prev_year_mean")
            if len(mine) and mine["total"].notna().any():
                view.add_figure(
                    index766_trend(
                        mine,
                        target=float(mean) if mean is not None and not pd.isna(mean) else None,
                        title=f"Tổng điểm Bộ chỉ số 766 theo tháng năm {year}",
                    )
                )
        return view

    def comparison(self) -> View:
        """The headline figures and form 06 totals against the same period of last year."""
        ev = self.ev
        view = View("comparison")
        note = report_text.comparison_note(ev)
        rows = report_text.comparison_lines(ev)
        if not len(rows):
            return view.add_note(note or "Không có số liệu cùng kỳ năm trước để so sánh.")
        previous = getattr(ev, "previous_period", None)
        label = previous.label_vi if previous is not None else "cùng kỳ năm trước"
        columns = (
            Column("content", "Nội dung"),
            Column("current", ev.period.name_vi),
            Column("previous", f"Cùng kỳ năm trước ({label})"),
            Column("change", "So với cùng kỳ năm trước"),
        )
        view.add_html(html_table(rows, columns, "Số liệu chủ yếu so với cùng kỳ năm trước"))
        f06 = report_text.comparison_lines(ev, getattr(ev, "comparison_form06", None))
        if len(f06):
            view.add_html(
                html_table(f06, columns, "Biểu số 06/VPCP/KSTT – dòng tổng cộng so với cùng kỳ")
            )
        if note:  # parts not compared, or a comparison across an organisation change
            view.add_note(note, "warning")
        return view

    def conclusions(self) -> View:
        """Conclusions (achieved, not yet achieved) and recommendations (next steps).

        Returns:
            A view; ``.data`` is the indicator table behind the lists (``met``…).
        """
        ev = self.ev
        view = View("conclusions")
        view.set_data(self.indicator_rows().drop(columns=["badge"]), dataset="indicators")
        view.add_heading("Kết luận", level=3, anchor="ket-luan")
        view.add_paragraph(summaries.overall_paragraph(ev))
        achieved, missed = report_text.targets_by_result(ev, self.indicator_rows())
        if achieved:
            view.add_paragraph("Các chỉ tiêu đã đạt:")
            view.add_html(list_html(achieved, ordered=False))
        if missed:
            view.add_paragraph("Các chỉ tiêu chưa đạt:")
            view.add_html(list_html(missed, ordered=False))
        problems = report_text.shortcomings(ev)
        if problems:
            view.add_paragraph("Tồn tại, hạn chế:")
            view.add_html(list_html(problems, ordered=False))
        reasons = report_text.causes(ev)
        if reasons:
            view.add_paragraph("Nguyên nhân:")
            view.add_html(list_html(reasons, ordered=False))
        view.add_heading("Kiến nghị, đề xuất", level=3, anchor="kien-nghi")
        items = report_text.directions(ev, self.catalogue)
        if items:
            view.add_html(list_html(items, ordered=True, css_class="tthc-next-steps"))
        else:
            view.add_paragraph("Tiếp tục duy trì kết quả đã đạt; không có kiến nghị bổ sung.")
        return view

    def next_steps(self) -> View:
        """The recommendations only (the last part of :meth:`conclusions`)."""
        items = report_text.directions(self.ev, self.catalogue)
        view = View("next_steps")
        view.set_data(pd.DataFrame({"step": items}), labels={"step": "Việc cần làm"})
        if not items:
            return view.add_note("Chưa phát hiện việc cần làm thêm từ số liệu.")
        return view.add_html(list_html(items, ordered=True, css_class="tthc-next-steps"))

    def signature(self) -> View:
        """The places it is sent to and the Director's signature block (left blank).

        Returns:
            A view without data (a signature block).
        """
        body = issuing_body(self.ev.as_of, self.ev.settings, self.ev.plan.meta)
        place = body.place or "……………"
        recipients = report_text.RECIPIENTS
        line = '<div style="text-align:{align};margin:{margin}">{text}</div>'
        left = line.format(
            align="left", margin="0", text="<strong><em>Nơi nhận:</em></strong>"
        ) + "".join(
            line.format(align="left", margin="0", text=f"- {html.escape(r)}") for r in recipients
        )
        right = "".join(
            line.format(align="center", margin=margin, text=text)
            for margin, text in (
                ("0", f"<em>{html.escape(place)}, ngày …… tháng …… năm ………</em>"),
                ("6px 0 0 0", "<strong>GIÁM ĐỐC</strong>"),
                ("0", "<em>(Ký, ghi rõ họ tên và đóng dấu)</em>"),
                ("72px 0 0 0", "…………………………………"),
            )
        )
        fragment = (
            '<div class="tthc-signature" style="display:flex;justify-content:space-between;'
            'gap:24px;margin-top:28px;break-inside:avoid">'
            f'<div style="flex:1;font-size:90%">{left}</div>'
            f'<div style="flex:1">{right}</div>'
            "</div>"
        )
        return View("signature").add_html(fragment)
