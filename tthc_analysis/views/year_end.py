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
from tthc_analysis.labels import RATE_LABELS_VI
from tthc_analysis.text import format_date, format_number, nfc
from tthc_analysis.views import actions, summaries
from tthc_analysis.views.blocks import Column, View, html_table, list_html
from tthc_analysis.views.common import plan_reference, section_order, year_rows
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


def _pct(value) -> str:
    from tthc_analysis.views.common import indicator_value

    return indicator_value(value, "rate")


def key_figure_rows(ev: Evaluation) -> pd.DataFrame:
    """The figures of the period as (content, figure, note) rows, missing ones left out."""
    rows: list[tuple[str, str, str]] = []
    totals = ev.totals
    if len(totals) and int(totals.iloc[0].get("n_in_scope", 0) or 0):
        t = totals.iloc[0]
        n = format_number
        rows += [
            ("Tổng số hồ sơ nhận giải quyết", n(t["n_in_scope"]),
             f"{n(t['n_received'])} hồ sơ tiếp nhận mới, {n(t['n_carried_over'])} hồ sơ "
             "từ kỳ trước chuyển sang"),
            ("Hồ sơ nộp trực tuyến", n(t["n_online"]), f"{_pct(t['online_share'])} hồ sơ tiếp nhận"),
            ("Hồ sơ xử lý hoàn toàn trực tuyến", n(t["n_full_online"]),
             f"{_pct(t['full_online_share'])} hồ sơ tiếp nhận"),
            ("Hồ sơ đã giải quyết", n(t["n_finished"]),
             f"trước hạn {n(t['n_finished_early'])}, đúng hạn {n(t['n_finished_on_time'])}, "
             f"quá hạn {n(t['n_finished_overdue'])}"),
            ("Hồ sơ đang giải quyết", n(t["n_pending"]),
             f"trong hạn {n(t['n_pending_in_time'])}, quá hạn {n(t['n_pending_overdue'])}"),
            (RATE_LABELS_VI["on_time_rate"], _pct(t["on_time_rate"]),
             f"{n(t['n_on_time'])}/{n(t['n_in_scope'])} hồ sơ"),
            (RATE_LABELS_VI["digitisation_rate"], _pct(t["digitisation_rate"]), ""),
            (RATE_LABELS_VI["e_result_rate"], _pct(t["e_result_rate"]), ""),
            (RATE_LABELS_VI["reuse_rate"], _pct(t["reuse_rate"]), ""),
            (RATE_LABELS_VI["online_payment_rate"], _pct(t["online_payment_rate"]), ""),
            ("Thời gian giải quyết bình quân", f"{format_number(t['avg_processing_wd'], 1)} ngày "
             "làm việc", ""),
        ]  # fmt: skip
    cov = ev.online_coverage
    if len(cov):
        c = cov.iloc[0]
        rows.append(
            ("TTHC đang hiệu lực", format_number(c["n_in_force"]),
             f"toàn trình {format_number(c['n_full'])}, một phần {format_number(c['n_partial'])}, "
             f"chưa có DVCTT {format_number(c['n_none'])}")
        )  # fmt: skip
    fb = ev.feedback_summary
    if fb.get("n_items"):
        rows.append(
            ("Phản ánh, kiến nghị", format_number(fb["n_items"]),
             f"xử lý đúng hạn {_pct(fb['on_time_rate'])}, công khai đúng hạn "
             f"{_pct(fb['published_on_time_rate'])}")
        )  # fmt: skip
    latest = ev.summary.get("index766_latest_period")
    total = ev.summary.get("index766_latest_total")
    if latest and total is not None and not pd.isna(total):
        rows.append(
            (f"Tổng điểm Bộ chỉ số 766 (tháng {latest[5:7]}/{latest[:4]})",
             f"{format_number(total, 2)}/100", "")
        )  # fmt: skip
    rs = ev.reports_summary
    if rs.get("n_reports"):
        rows.append(
            ("Báo cáo định kỳ gửi đúng hạn", f"{format_number(rs['n_on_time'])}/"
             f"{format_number(rs['n_due'])}", "")
        )  # fmt: skip
    return pd.DataFrame(rows, columns=["content", "figure", "note"])


def _target_line(row: dict) -> str:
    """``"Tỷ lệ …: 89,6% (chỉ tiêu ≥ 80%; nhiệm vụ VI.1)"``, one line per task.

    An indicator shared by two tasks is two lines, as it is counted twice in the tally.
    """
    return (
        f"{nfc(row['name_vi'])}: {row['shown_value']} "
        f"(chỉ tiêu {row['shown_target']}; nhiệm vụ {row['task_id']})"
    )


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
        ev = self.ev
        meta = ev.plan.meta
        reference = plan_reference(meta) or "Kế hoạch kiểm soát thủ tục hành chính"
        issuer = getattr(meta, "issuer", "") or "Sở Giáo dục và Đào tạo"
        subject = getattr(meta, "subject", "") or (
            "thực hiện kế hoạch hoạt động kiểm soát thủ tục hành chính"
        )
        text = (
            f"Thực hiện {reference} của {issuer} về việc {nfc(subject)}, trên cơ sở số "
            f"liệu giải quyết thủ tục hành chính, phản ánh, kiến nghị, Bộ chỉ số 766 và minh "
            f"chứng thực hiện nhiệm vụ của các phòng, kết quả thực hiện {ev.period.name_vi.lower()}"
            f" (số liệu chốt đến ngày {format_date(ev.as_of)}) được tổng hợp như sau."
        )
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
        rows = self.indicator_rows()
        rows = rows.loc[rows["target"].notna() & rows["met"].notna()]
        achieved = [_target_line(r) for r in rows.to_dict("records") if bool(r["met"])]
        missed = [_target_line(r) for r in rows.to_dict("records") if not bool(r["met"])]
        if achieved:
            view.add_paragraph("Các chỉ tiêu đã đạt:")
            view.add_html(list_html(achieved, ordered=False))
        if missed:
            view.add_paragraph("Các chỉ tiêu chưa đạt:")
            view.add_html(list_html(missed, ordered=False))
        problems = ev.tasks.loc[ev.tasks["status"].isin(["overdue", "behind", "done_late"])]
        if len(problems):
            view.add_paragraph("Tồn tại, hạn chế trong thực hiện nhiệm vụ:")
            view.add_html(
                list_html(
                    [
                        f"Nhiệm vụ {r['task_id']}: {nfc(str(r['reason_vi'])).rstrip('.')}."
                        for r in problems.to_dict("records")
                    ],
                    ordered=False,
                )
            )
        view.add_heading("Kiến nghị, đề xuất", level=3, anchor="kien-nghi")
        items = [
            f"Phần {sid}: {item}"
            for sid, lines in actions.actions_by_section(ev, self.catalogue).items()
            for item in lines
        ]
        if items:
            view.add_html(list_html(items, ordered=True, css_class="tthc-next-steps"))
        else:
            view.add_paragraph("Tiếp tục duy trì kết quả đã đạt; không có kiến nghị bổ sung.")
        return view

    def next_steps(self) -> View:
        """The recommendations only (the last part of :meth:`conclusions`)."""
        items = [
            f"Phần {sid}: {item}"
            for sid, lines in actions.actions_by_section(self.ev, self.catalogue).items()
            for item in lines
        ]
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
        issuer = getattr(self.ev.plan.meta, "issuer", "") or ""
        place = issuer.split("tỉnh ")[-1].strip() if "tỉnh " in issuer else "……………"
        recipients = [
            "UBND tỉnh (để báo cáo);",
            "Văn phòng UBND tỉnh (để báo cáo);",
            "Giám đốc, các Phó Giám đốc Sở;",
            "Các phòng thuộc Sở;",
            "Lưu: VT, VP.",
        ]
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
