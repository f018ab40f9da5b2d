"""Pages of the sections judged mostly on documents: I, II, III, IV, V and VIII.

- I (766 index and reform targets): the monthly 766 totals against the previous year's
  mean, the group scores (6 and 5 groups), published vs estimated, the monthly notices;
- II (control of regulations): proposals, procedures amended or abolished in the
  catalogue, PAKN about regulations as signals;
- III (training): trainings attended and participants by quarter;
- IV (publication): on-time publication, CSDLQG, internal process, public listing, with
  the procedures that fall short;
- V (review and simplification): the deadline tasks and the online services that
  received online dossiers;
- VIII (reporting): each periodic report with its due date, submission and delay.
"""

from __future__ import annotations

import pandas as pd

from tthc_analysis.charts import index766_groups, index766_trend, period_totals
from tthc_analysis.charts.index766_charts import group_label
from tthc_analysis.charts.style import month_label
from tthc_analysis.evaluation.tasks import (
    attribute_months,
    attribute_quarters,
    quarter_label,
    required_months,
)
from tthc_analysis.text import format_date, format_number, nfc
from tthc_analysis.views import display
from tthc_analysis.views.blocks import Column, View, html_table, key_figures_html
from tthc_analysis.views.choices import pick, valid_values
from tthc_analysis.views.common import (
    format_target,
    indicator_value,
    year_rows,
    year_scores,
)
from tthc_analysis.views.page import SectionPage, register

__all__ = [
    "ReportingPage",
    "ReviewPage",
    "Section766Page",
    "PublicationPage",
    "RegulationsPage",
    "TrainingPage",
]


def _is_false(value: object) -> bool:
    """A boolean flag that is known and false (NA = not judged)."""
    return value is not None and not pd.isna(value) and not bool(value)


@register("I")
class Section766Page(SectionPage):
    """Section I: reform targets, the 766 index and its monthly notices."""

    section_id = "I"
    key = "01"

    def _wide_year(self) -> pd.DataFrame:
        wide = self.ev.index766
        if not len(wide):
            return wide
        return year_rows(wide, int(self.ev.params.year), self.ev.as_of)

    def index766_trend(self) -> View:
        """Monthly 766 totals of the year against the previous year's mean (the floor).

        Returns:
            A view; ``.data`` is the month-by-month 766 table of the year (``period``,
            ``total``, group scores, ``change_vs_prev_month``…), ``.figure`` the chart.
        """
        view = View("index766_trend")
        wide = self._wide_year()
        view.set_data(wide, dataset="index766")
        if not len(wide) or wide["total"].isna().all():
            return view.add_note("Chưa có điểm Bộ chỉ số 766 của năm đánh giá.")
        mean = self.ev.summary.get("index766_prev_year_mean")
        year = self.ev.params.year
        target = float(mean) if mean is not None and not pd.isna(mean) else None
        view.add_figure(
            index766_trend(
                wide,
                target=target,
                title=(
                    f"Tổng điểm Bộ chỉ số 766 theo tháng năm {year} "
                    f"(chỉ tiêu: không thấp hơn bình quân năm {year - 1})"
                ),
            )
        )
        other = getattr(self.ev.index766_result, "other_periods", None)
        if other is not None and len(other):  # issue 11: a quarter's score is not a month's
            from tthc_analysis.loading.wide766 import period_label_vi

            listed = ", ".join(period_label_vi(str(p)) for p in sorted(set(other["period"])))
            view.add_note(
                f"Điểm 766 theo quý/năm ({listed}) được giữ riêng, không đưa vào xu hướng "
                "điểm theo tháng."
            )
        cross = self.ev.organisation.cross_break_vi
        if cross and pd.notna(mean):
            # issue 13: the previous year's mean belongs to the body before the change
            view.add_note(f"Lưu ý: {cross}.", "warning")
        shown = wide[["period", "total", "change_vs_prev_month", "diff_vs_prev_year_mean"]].copy()
        shown["period"] = shown["period"].map(month_label)
        view.add_table(
            shown,
            "diem-766-theo-thang",
            caption="Tổng điểm 766 theo tháng",
            labels={
                "period": "Tháng",
                "diff_vs_prev_year_mean": f"Chênh lệch so với bình quân năm {year - 1}",
            },
            static=True,
        )
        return view

    def index766_groups(self) -> View:
        """Group scores by month, in the six-group (portal) and five-group (decision) views.

        Returns:
            A view; ``.data`` is the published scores of the year (one row per month
            and indicator group), ``.figures`` the two charts.
        """
        view = View("index766_groups")
        scores = year_scores(self.frames["index766"], int(self.ev.params.year), self.ev.as_of)
        view.set_data(scores, dataset="index766")
        if not len(scores):
            return view.add_note("Chưa có điểm các nhóm chỉ số 766 của năm đánh giá.")
        view.add_figure(index766_groups(scores, view="6"))
        view.add_figure(index766_groups(scores, view="5"))
        return view

    def index766_compare(self, *, month: str | None = None) -> View:
        """Published group scores against the scores estimated from the dossiers.

        Args:
            month: Only this month (``"2025-06"``).

        Returns:
            A view; ``.data`` is one row per month and group (``published``,
            ``estimated``, ``difference``, ``missing_vi``).
        """
        view = View("index766_compare", {"month": month})
        compare = year_rows(self.ev.index766_compare, int(self.ev.params.year), self.ev.as_of)
        rows = compare.loc[compare["estimated"].notna()].copy()
        if month is not None:
            month = pick(month, valid_values(rows["period"]), "tháng")
            rows = rows.loc[rows["period"] == month]
        view.set_data(rows)
        if not len(rows):
            return view.add_note("Chưa ước tính được điểm 766 từ dữ liệu hồ sơ của năm đánh giá.")
        rows["period"] = rows["period"].map(month_label)
        rows["group"] = rows["group_code"].map(group_label)
        shown = rows[
            [
                "period",
                "group",
                "published",
                "estimated",
                "difference",
                "group_max",
                "points_not_estimated",
                "comparison_vi",
                "missing_vi",
            ]
        ]
        return view.add_table(
            shown,
            "766-cong-bo-va-uoc-tinh",
            caption="Điểm nhóm chỉ số 766: công bố và ước tính từ dữ liệu hồ sơ",
            labels={"period": "Tháng", "group": "Nhóm chỉ số"},
        )

    def notice_rows(self) -> pd.DataFrame:
        """One row per month of the year: the 766 notice issued, missing or not yet due."""
        ev = self.ev
        year = int(ev.params.year)
        due_day = ev.settings.monthly_notice_due_day if ev.settings else 10
        acts = self.frames["activities"]
        items = acts.loc[acts["task_id"] == "I.4"] if len(acts) else acts
        if len(items):
            items = items.loc[items["date"].isna() | (items["date"] <= pd.Timestamp(ev.as_of))]
            covers = items.get("covers_period")
            items = items.assign(_month=attribute_months(items["date"], covers, due_day))
        required = set(required_months(year, ev.as_of, due_day))
        rows = []
        for month in range(1, 13):
            key = f"{year}-{month:02d}"
            mine = items.loc[items["_month"] == key] if len(items) else items
            due = pd.Timestamp(year + (month == 12), month % 12 + 1, due_day)
            if len(mine):
                state = display.status_badge("done_on_time", "Đã ban hành")
                docs = "; ".join(
                    f"{d} ({format_date(t)})" if isinstance(d, str) and d else format_date(t)
                    for d, t in zip(mine["doc_number"], mine["date"], strict=True)
                )
            elif month in required:
                state, docs = display.status_badge("behind", "Thiếu"), ""
            else:
                state, docs = display.status_badge("not_due", "Chưa đến hạn"), ""
            rows.append({"month": f"{month:02d}/{year}", "due": due, "state": state, "docs": docs})
        return pd.DataFrame(rows)

    def notices(self) -> View:
        """The monthly notices of 766 results (task I.4): issued or missing, month by month.

        Returns:
            A view; ``.data`` is one row per month (``month``, ``due``, ``state``, ``docs``).
        """
        rows = self.notice_rows()
        view = View("notices")
        view.set_data(
            rows.assign(state=rows["state"].str.replace(r"<[^>]+>", "", regex=True)),
            labels={"month": "Tháng", "due": "Hạn ban hành", "state": "Tình trạng",
                    "docs": "Văn bản (ngày)"},
        )  # fmt: skip
        columns = (
            Column("month", "Tháng"),
            Column("due", "Hạn ban hành", "date"),
            Column("state", "Tình trạng", "html"),
            Column("docs", "Văn bản (ngày)"),
        )
        return view.add_html(
            html_table(rows, columns, "Thông báo kết quả Bộ chỉ số 766 hằng tháng (nhiệm vụ I.4)")
        )

    def explorer(self):
        """Estimated 766 points per month and indicator, filterable by group and month.

        Returns:
            A filter widget; ``.data`` is the table as filtered.
        """
        from tthc_analysis.views.widgets import FilteredTable, FilterSpec

        estimate = self.ev.index766_estimate
        rows = year_rows(estimate, int(self.ev.params.year), self.ev.as_of).copy()
        if not len(rows):
            return View("explorer").add_note("Chưa có điểm 766 ước tính để tra cứu.")
        rows["group"] = rows["group_code6"].map(group_label)
        return FilteredTable(
            rows,
            [FilterSpec("group", "Nhóm chỉ số"), FilterSpec("period", "Tháng")],
            columns=["period", "group", "indicator_id", "name_vi", "rate", "max_points", "points"],
            labels={
                "period": "Tháng",
                "group": "Nhóm",
                "indicator_id": "Mã chỉ số",
                "name_vi": "Chỉ số",
                "rate": "Tỷ lệ",
                "max_points": "Điểm tối đa",
                "points": "Điểm ước tính",
            },
            name="tra-cuu-diem-766-uoc-tinh",
            caption="Điểm 766 ước tính từ dữ liệu hồ sơ theo chỉ số",
            interactive=self.interactive,
        )


@register("II")
class RegulationsPage(SectionPage):
    """Section II: regulations monitored after issue, amendments proposed."""

    section_id = "II"
    key = "02"

    def catalogue_changes(self, *, unit: str | None = None, field: str | None = None) -> View:
        """Procedures amended or abolished in the catalogue.

        Args:
            unit: Only the procedures of this unit (phòng).
            field: Only this field (lĩnh vực).

        Returns:
            A view; ``.data`` is the list of procedures amended or abolished.
        """
        view = View("catalogue_changes", {"unit": unit, "field": field})
        cat = self.catalogue
        rows = cat.loc[cat["status"].isin(["amended", "abolished"])] if len(cat) else cat
        unit, field = self._unit(unit), self._field(field)
        if unit is not None and len(rows):
            rows = rows.loc[rows["unit"] == unit]
        if field is not None and len(rows):
            rows = rows.loc[rows["field"] == field]
        if not len(rows):
            return view.add_note("Danh mục TTHC không có thủ tục sửa đổi, bổ sung hay bãi bỏ.")
        counts = rows["status"].value_counts()
        view.add_paragraph(
            f"Danh mục có {format_number(counts.get('amended', 0))} TTHC được sửa đổi, bổ sung "
            f"và {format_number(counts.get('abolished', 0))} TTHC bị bãi bỏ."
        )
        shown = rows[
            [
                "procedure_code",
                "procedure_name",
                "field",
                "unit",
                "status",
                "decision_no",
                "published_on",
                "legal_effective_on",
            ]
        ]
        view.set_data(shown, dataset="procedures")
        return view.add_table(
            shown,
            "tthc-sua-doi-bai-bo",
            caption="TTHC sửa đổi, bổ sung hoặc bãi bỏ",
            dataset="procedures",
        )

    def _regulation_feedback(self) -> pd.DataFrame:
        fb = self.ev.feedback
        if not len(fb):
            return fb
        rows = fb.loc[fb["category"] == "regulation"]
        keep = ["feedback_id", "received_on", "procedure_code", "unit", "outcome", "content"]
        return rows[[c for c in keep if c in rows]].reset_index(drop=True)

    def regulation_feedback(self, *, unit: str | None = None) -> View:
        """PAKN about administrative regulations: by unit and the list (content escaped).

        Args:
            unit: Only the PAKN of this unit (phòng).

        Returns:
            A view; ``.data`` is the list of PAKN about regulations,
            ``.frames["by_unit"]`` the count per unit.
        """
        view = View("regulation_feedback", {"unit": unit})
        rows = self._regulation_feedback()
        if unit is not None:
            unit = self._unit(unit)
            rows = rows.loc[rows["unit"] == unit] if len(rows) else rows
        view.set_data(rows, dataset="feedback")
        if not len(rows):
            return view.add_note("Không có PAKN nào về quy định hành chính trong kỳ.")
        by_unit = (
            rows.assign(unit=rows["unit"].fillna("Chưa xác định"))
            .groupby("unit", as_index=False)
            .agg(n=("feedback_id", "size"))
            .sort_values(["n", "unit"], ascending=[False, True])
        )
        view.add_table(
            by_unit,
            static=True,
            caption="PAKN về quy định hành chính theo đơn vị",
            labels={"unit": "Đơn vị", "n": "Số PAKN"},
            key="by_unit",
        )
        return view.add_table(
            rows,
            "pakn-quy-dinh",
            caption="PAKN về quy định hành chính (nội dung hiển thị nguyên văn, không định dạng)",
            dataset="feedback",
        )

    def explorer(self):
        """PAKN about regulations, filterable by unit and procedure.

        Returns:
            A filter widget; ``.data`` is the table as filtered (``.to_excel(path)``,
            ``.to_csv(path)`` write it).
        """
        from tthc_analysis.views.widgets import FilteredTable, FilterSpec

        rows = self._regulation_feedback()
        if not len(rows):
            return View("explorer").add_note("Không có PAKN về quy định hành chính để tra cứu.")
        return FilteredTable(
            rows,
            [FilterSpec("unit", "Đơn vị"), FilterSpec("procedure_code", "Mã TTHC")],
            name="tra-cuu-pakn-quy-dinh",
            caption="Tra cứu PAKN về quy định hành chính",
            interactive=self.interactive,
            dataset="feedback",
        )


@register("III")
class TrainingPage(SectionPage):
    """Section III: trainings on TTHC control attended."""

    section_id = "III"
    key = "03"

    def training_rows(self) -> pd.DataFrame:
        """Trainings and participants per quarter of the year (all four quarters)."""
        rows = self.evidence_rows()
        year = int(self.ev.params.year)
        if len(rows):
            covers = rows.get("covers_period")
            rows = rows.assign(_quarter=attribute_quarters(rows["date"], covers))
        out = []
        for q in range(1, 5):
            mine = rows.loc[rows["_quarter"] == f"{year}-Q{q}"] if len(rows) else rows
            people = (
                pd.to_numeric(mine["participants"], errors="coerce").sum()
                if "participants" in mine and len(mine)
                else 0
            )
            out.append(
                {"quarter": quarter_label(year, q), "n": len(mine), "participants": int(people)}
            )
        return pd.DataFrame(out)

    def trainings(self) -> View:
        """Trainings and participants by quarter (table and chart), then the evidence.

        The evidence block charts the trainings per quarter against the cadence.

        Returns:
            A view; ``.data`` is one row per quarter (``quarter``, ``n``,
            ``participants``), ``.frames["evidence"]`` the list of trainings.
        """
        view = View("trainings")
        table = self.training_rows()
        view.add_html(
            key_figures_html(
                [
                    (format_number(table["n"].sum()), "Lượt tập huấn đã tham gia", ""),
                    (format_number(table["participants"].sum()), "Lượt người tham dự", ""),
                ]
            )
        )
        view.add_table(
            table,
            static=True,
            caption="Tập huấn nghiệp vụ kiểm soát TTHC theo quý",
            labels={"quarter": "Quý", "n": "Số lượt tập huấn", "participants": "Số người tham dự"},
        )
        if table["participants"].sum() > 0:
            year = self.ev.params.year
            view.add_figure(
                period_totals(
                    table,
                    "participants",
                    "Số người tham dự",
                    title=f"Phần III: số người tham dự tập huấn kiểm soát TTHC theo quý năm {year}",
                )
            )
        evidence = self.evidence()
        if "data" in evidence.frames:
            view.set_data(evidence.frames["data"], "evidence", dataset="activities")
        return view.extend(evidence)


@register("IV")
class PublicationPage(SectionPage):
    """Section IV: publication and public listing of procedures, internal processes."""

    section_id = "IV"
    key = "04"

    _MEASURES = (
        ("publication_on_time_share", "n_published_on_time", "n_published_judged",
         "Công bố đúng hạn (trước ngày văn bản QPPL có hiệu lực ≥ 5 ngày làm việc)"),
        ("csdlqg_on_time_share", "n_public_on_time", "n_public_judged",
         "Công khai trên CSDLQG trong 5 ngày làm việc kể từ ngày công bố"),
        ("internal_process_share", "n_internal_process", "n_in_force",
         "Có quy trình nội bộ được phê duyệt"),
        ("publicly_listed_share", "n_listed", "n_listed_judged",
         "Công khai đầy đủ nội dung, niêm yết đúng quy định"),
    )  # fmt: skip

    def compliance_rows(self) -> pd.DataFrame:
        """The four publication measures: counts, rate, target and badge."""
        summary = self.ev.procedures_summary
        indicators = self.ev.indicators
        rows = []
        for ident, num, den, name in self._MEASURES:
            spec = indicators.loc[indicators["indicator_id"] == ident]
            spec = spec.iloc[0].to_dict() if len(spec) else {}
            target = spec.get("target")
            rate = summary.get(ident)
            met = spec.get("met")
            if met is None or pd.isna(met):
                badge = display.badge("Theo dõi")
            else:
                badge = display.status_badge(
                    "achieved" if bool(met) else "below_target", "Đạt" if bool(met) else "Chưa đạt"
                )
            rows.append(
                {
                    "measure": name,
                    "n_ok": summary.get(num, 0),
                    "n_judged": summary.get(den, 0),
                    "rate": rate,
                    "target": format_target(target, "rate") if target is not None else "–",
                    "badge": badge,
                }
            )
        return pd.DataFrame(rows)

    def compliance(self) -> View:
        """The four measures of publication compliance against their targets.

        Returns:
            A view; ``.data`` is one row per measure (``n_ok``, ``n_judged``, ``rate``,
            ``target``).
        """
        columns = (
            Column("measure", "Yêu cầu"),
            Column("n_ok", "Số TTHC đạt", "int"),
            Column("n_judged", "Số TTHC được đánh giá", "int"),
            Column("rate", "Tỷ lệ", "rate"),
            Column("target", "Chỉ tiêu"),
            Column("badge", "Đánh giá", "html"),
        )
        rows = self.compliance_rows()
        view = View("compliance").set_data(
            rows.drop(columns="badge"),
            labels={"measure": "Yêu cầu", "n_ok": "Số TTHC đạt",
                    "n_judged": "Số TTHC được đánh giá", "target": "Chỉ tiêu"},
        )  # fmt: skip
        return view.add_html(
            html_table(rows, columns, "Công bố, công khai TTHC và quy trình nội bộ")
        )

    def non_compliant_rows(self) -> pd.DataFrame:
        """Procedures in force falling short on any measure, with what is wrong."""
        procs = self.ev.procedures
        if not len(procs):
            return procs
        problems = []
        for rec in procs.to_dict("records"):
            issues = []
            if _is_false(rec.get("published_on_time")):
                issues.append(
                    f"công bố chậm (trước ngày hiệu lực {format_number(rec.get('lead_wd'))} "
                    "ngày làm việc)"
                )
            if _is_false(rec.get("public_on_time")):
                issues.append(
                    f"công khai CSDLQG ngày {format_date(rec.get('public_on_csdlqg_on'))}, hạn "
                    f"{format_date(rec.get('csdlqg_deadline_on'))}"
                )
            if _is_false(rec.get("has_internal_process")):
                issues.append("chưa có quy trình nội bộ được phê duyệt")
            if _is_false(rec.get("publicly_listed")):
                issues.append("chưa công khai đầy đủ nội dung")
            problems.append("; ".join(issues))
        out = procs.assign(issues=problems)
        out = out.loc[out["issues"] != ""]
        keep = ["procedure_code", "procedure_name", "unit", "decision_no", "published_on",
                "legal_effective_on", "issues"]  # fmt: skip
        return out[keep].reset_index(drop=True)

    def non_compliant(self, *, unit: str | None = None) -> View:
        """The procedures that fall short, and why.

        Args:
            unit: Only the procedures of this unit (phòng).

        Returns:
            A view; ``.data`` is one row per procedure with ``issues`` (what is wrong).
        """
        view = View("non_compliant", {"unit": unit})
        rows = self.non_compliant_rows()
        if unit is not None:
            unit = self._unit(unit)
            rows = rows.loc[rows["unit"] == unit] if len(rows) else rows
        view.set_data(rows, dataset="procedures", labels={"issues": "Nội dung chưa đạt"})
        if not len(rows):
            return view.add_note(
                "Tất cả TTHC đang hiệu lực đều công bố, công khai đúng hạn và có quy trình nội bộ.",
                "info",
            )
        return view.add_table(
            rows,
            "tthc-chua-dat",
            caption=f"{format_number(len(rows))} TTHC chưa đáp ứng yêu cầu công bố, công khai",
            labels={"issues": "Nội dung chưa đạt"},
        )

    def explorer(self):
        """The procedures in force with their compliance, filterable by unit and field.

        Returns:
            A filter widget; ``.data`` is the table as filtered (``.to_excel(path)``,
            ``.to_csv(path)`` write it).
        """
        from tthc_analysis.views.widgets import FilteredTable, FilterSpec

        procs = self.ev.procedures
        if not len(procs):
            return View("explorer").add_note("Chưa có danh mục TTHC để tra cứu.")
        columns = ["procedure_code", "procedure_name", "field", "unit", "published_on",
                   "legal_effective_on", "published_on_time", "public_on_time",
                   "has_internal_process", "publicly_listed"]  # fmt: skip
        return FilteredTable(
            procs,
            [FilterSpec("unit", "Đơn vị"), FilterSpec("field", "Lĩnh vực")],
            columns=columns,
            labels={
                "published_on_time": "Công bố đúng hạn",
                "public_on_time": "Công khai CSDLQG đúng hạn",
                "has_internal_process": "Có quy trình nội bộ",
                "publicly_listed": "Công khai đầy đủ",
            },
            name="tra-cuu-cong-bo-tthc",
            caption="Tra cứu tình hình công bố, công khai TTHC",
            interactive=self.interactive,
        )


@register("V")
class ReviewPage(SectionPage):
    """Section V: review, simplification, decentralisation, online-service quality."""

    section_id = "V"
    key = "05"

    def deadlines(self) -> View:
        """The tasks with a deadline (V.1 by 30/06, V.3 in Quý II): when they were done.

        Returns:
            A view; ``.data`` is the tasks with a deadline.
        """
        rows = self._task_rows()
        rows = rows.loc[rows["evidence_cadence"] == "deadline"].copy()
        view = View("deadlines")
        view.set_data(rows, dataset="tasks")
        if not len(rows):
            return view.add_note("Phần này không có nhiệm vụ có thời hạn.")
        columns = (
            Column("task_id", "Nhiệm vụ"),
            Column("content_short", "Nội dung"),
            Column("deadline", "Hạn hoàn thành", "date"),
            Column("last_evidence_on", "Ngày có kết quả", "date"),
            Column("status", "Trạng thái", "status"),
            Column("reason_vi", "Căn cứ đánh giá"),
        )
        return view.add_html(html_table(rows, columns, "Nhiệm vụ có thời hạn hoàn thành"))

    def online_services(self, *, unit: str | None = None) -> View:
        """Online services and whether each received online dossiers in the period.

        Args:
            unit: Only the services of this unit (phòng).

        Returns:
            A view; ``.data`` is one row per online service (``n_online_dossiers``,
            ``has_online_dossier``…).
        """
        view = View("online_services", {"unit": unit})
        services = self.ev.online_services
        if unit is not None:
            unit = self._unit(unit)
            services = services.loc[services["unit"] == unit] if len(services) else services
        if not len(services):
            return view.add_note("Chưa có dịch vụ công trực tuyến nào trong danh mục.")
        n_with = int(services["has_online_dossier"].sum())
        share = n_with / len(services)
        view.add_html(
            key_figures_html(
                [
                    (format_number(len(services)), "Dịch vụ công trực tuyến", ""),
                    (format_number(n_with), "Có phát sinh hồ sơ trực tuyến", ""),
                    (indicator_value(share, "rate"), "Tỷ lệ dịch vụ có hồ sơ trực tuyến", ""),
                ]
            )
        )
        shown = services.sort_values(
            ["n_online_dossiers", "procedure_code"], ascending=[False, True]
        )
        view.set_data(shown, dataset="procedures")
        return view.add_table(
            shown,
            "dvctt-phat-sinh-ho-so",
            caption="Dịch vụ công trực tuyến và số hồ sơ trực tuyến trong kỳ",
            dataset="procedures",
        )

    def explorer(self):
        """Online services, filterable by unit, online level and use.

        Returns:
            A filter widget; ``.data`` is the table as filtered (``.to_excel(path)``,
            ``.to_csv(path)`` write it).
        """
        from tthc_analysis.views.widgets import FilteredTable, FilterSpec

        services = self.ev.online_services
        if not len(services):
            return View("explorer").add_note("Chưa có dịch vụ công trực tuyến để tra cứu.")
        return FilteredTable(
            services,
            [
                FilterSpec("unit", "Đơn vị"),
                FilterSpec("online_level", "Mức độ DVCTT"),
                FilterSpec(
                    "has_online_dossier",
                    "Có phát sinh hồ sơ trực tuyến",
                    labeller=lambda _c, v: "Có" if v else "Không",
                ),
            ],
            name="tra-cuu-dvctt",
            caption="Tra cứu dịch vụ công trực tuyến",
            interactive=self.interactive,
            dataset="procedures",
        )


@register("VIII")
class ReportingPage(SectionPage):
    """Section VIII: periodic reports (Quý I, 6 tháng, 9 tháng, năm)."""

    section_id = "VIII"
    key = "08"

    def report_rows(self) -> pd.DataFrame:
        """Each periodic report of the year: due, sent, delay in working days, status."""
        reports = self.ev.reports.copy()
        if not len(reports):
            return reports
        reports["delay"] = [
            "Đúng hạn"
            if s == "done_on_time"
            else (f"Trễ {format_number(d)} ngày làm việc" if not pd.isna(d) else "–")
            for s, d in zip(reports["status"], reports["days_late_wd"], strict=True)
        ]
        return reports

    def reports(self) -> View:
        """The periodic reports with their due date, submission and delay.

        Returns:
            A view; ``.data`` is one row per report (``effective_due_on``,
            ``submitted_on``, ``days_late_wd``, ``status``…).
        """
        rows = self.report_rows()
        view = View("reports")
        view.set_data(rows, dataset="reports")
        if not len(rows):
            return view.add_note("Chưa có dữ liệu về các báo cáo định kỳ đã gửi.")
        columns = (
            Column("name_vi", "Báo cáo"),
            Column("report_code", "Biểu mẫu"),
            Column("effective_due_on", "Hạn gửi", "date"),
            Column("submitted_on", "Ngày gửi", "date"),
            Column("doc_number", "Số văn bản"),
            Column("delay", "Thời gian"),
            Column("status", "Trạng thái", "status"),
        )
        rs = self.ev.reports_summary
        view.add_paragraph(nfc(str(rs.get("reason_vi", ""))).rstrip(".") + ".")
        return view.add_html(
            html_table(rows, columns, "Báo cáo định kỳ về kiểm soát TTHC trong năm")
        )

    def explorer(self):
        """The reports as a filterable table (by status).

        Returns:
            A filter widget; ``.data`` is the table as filtered (``.to_excel(path)``,
            ``.to_csv(path)`` write it).
        """
        from tthc_analysis.views.widgets import FilteredTable, FilterSpec

        rows = self.report_rows()
        if not len(rows):
            return View("explorer").add_note("Chưa có báo cáo để tra cứu.")
        return FilteredTable(
            rows,
            [FilterSpec("status", "Trạng thái")],
            columns=["name_vi", "effective_due_on", "submitted_on", "doc_number", "delay"],
            labels={
                "name_vi": "Báo cáo",
                "effective_due_on": "Hạn gửi",
                "submitted_on": "Ngày gửi",
                "doc_number": "Số văn bản",
                "delay": "Thời gian",
            },
            name="tra-cuu-bao-cao",
            caption="Tra cứu báo cáo định kỳ",
            interactive=self.interactive,
        )
