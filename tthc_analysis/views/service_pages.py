"""Pages of the sections judged on dossiers and feedback: VI, VII and IX.

- VI (one-stop handling): on-time rate by month and by unit × month, form 06/VPCP/KSTT,
  the overdue dossiers (apology letters, reasons; never personal data), digitisation and
  e-results, online levels, and the dossier explorer;
- VII (PAKN): handled on time, published, the late items (their text is untrusted and
  only shown escaped), by unit, and the communication evidence;
- IX (digital services): full-online share by month with its projection to 31/12,
  eligible procedures still not full-online, online services, digitisation and reuse,
  full-online share by unit × month.

The form 06 table and the monthly trend blocks are shared with the year-end review.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from tthc_analysis.charts import form06_breakdown, monthly_trend, unit_month_heatmap
from tthc_analysis.charts.style import month_label
from tthc_analysis.errors import ParameterError
from tthc_analysis.evaluation.tasks import attribute_quarters, linear_projection, quarter_label
from tthc_analysis.labels import column_label
from tthc_analysis.metrics.form06 import channel_unknown_note_vi
from tthc_analysis.text import format_number, format_percent
from tthc_analysis.views import display
from tthc_analysis.views.blocks import Column, View, html_table, key_figures_html
from tthc_analysis.views.choices import pick
from tthc_analysis.views.common import indicator_value
from tthc_analysis.views.page import SectionPage, register

if TYPE_CHECKING:
    from tthc_analysis.evaluation.evaluate import Evaluation

__all__ = [
    "FORM06_LABELS",
    "MONTHLY_LABELS",
    "DigitalPage",
    "FeedbackPage",
    "OneStopPage",
    "form06_block",
    "indicator_targets",
    "monthly_block",
]

FORM06_LABELS = {
    "stt": "STT (1)",
    "field": "Lĩnh vực (2)",
    "received_total": "Số hồ sơ nhận giải quyết: tổng số (3)",
    "received_online": "Trực tuyến (4)",
    "received_offline": "Trực tiếp, bưu chính (5)",
    "carried_over": "Từ kỳ trước (6)",
    "finished_total": "Đã giải quyết: tổng số (7)",
    "finished_early": "Trước hạn (8)",
    "finished_on_time": "Đúng hạn (9)",
    "finished_overdue": "Quá hạn (10)",
    "pending_total": "Đang giải quyết: tổng số (11)",
    "pending_in_time": "Trong hạn (12)",
    "pending_overdue": "Quá hạn (13)",
    "received_channel_unknown": "Chưa rõ kênh nộp (ngoài biểu; có trong (3))",
}
"""Headers of form 06/VPCP/KSTT, with the form's column numbers."""

MONTHLY_COLUMNS = (
    "month",
    "n_received",
    "online_share",
    "full_online_share",
    "n_finished",
    "on_time_rate",
    "n_overdue",
    "digitisation_rate",
    "e_result_rate",
    "reuse_rate",
)
"""Columns of the month-by-month table (headers from :mod:`tthc_analysis.labels`, as in
the charts)."""

MONTHLY_LABELS = {column: column_label(column) for column in MONTHLY_COLUMNS}
"""Headers of the month-by-month table."""


def indicator_targets(ev: Evaluation) -> dict[str, float]:
    """Indicator id -> target (first row with a target), from the evaluated indicators."""
    table = ev.indicators
    rows = table.loc[table["target"].notna()].drop_duplicates("indicator_id")
    return dict(zip(rows["indicator_id"], rows["target"].astype(float), strict=True))


def form06_block(ev: Evaluation, name: str = "bieu-06") -> View:
    """Form 06/VPCP/KSTT by field for the period: the table and the breakdown chart."""
    view = View("form06")
    table = ev.form06
    view.set_data(table, labels=FORM06_LABELS)
    if not len(table) or not int(table["received_total"].sum()):
        return view.add_note("Chưa có hồ sơ nào trong kỳ để lập biểu 06/VPCP/KSTT.")
    view.add_table(
        table,
        name,
        caption=f"Biểu số 06/VPCP/KSTT – {ev.period.label_vi} (đơn vị: hồ sơ)",
        labels=FORM06_LABELS,
    )
    unknown = channel_unknown_note_vi(table)  # issue 11: never guessed, said here
    if unknown:
        view.add_note(unknown)
    view.add_figure(
        form06_breakdown(
            table, title=f"Kết quả giải quyết hồ sơ theo lĩnh vực – {ev.period.name_vi}"
        )
    )
    return view


def monthly_table(ev: Evaluation) -> pd.DataFrame:
    """The month-by-month figures (months as ``MM/YYYY``)."""
    monthly = ev.monthly
    shown = monthly[[c for c in MONTHLY_COLUMNS if c in monthly]].copy()
    shown["month"] = shown["month"].map(month_label)
    return shown


def monthly_block(ev: Evaluation, name: str = "so-lieu-theo-thang") -> View:
    """The month-by-month table and the trends of the main rates against their targets."""
    view = View("monthly")
    view.set_data(ev.monthly, dataset="rates")
    if not len(ev.monthly) or not int(ev.monthly["n_received"].sum()):
        return view.add_note("Chưa có hồ sơ nào trong kỳ.")
    targets = indicator_targets(ev)
    view.add_table(monthly_table(ev), name, caption="Số liệu theo tháng")
    view.add_figure(
        monthly_trend(
            ev.monthly,
            "on_time_rate",
            target=targets.get("on_time_rate"),
            title="Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn theo tháng",
        )
    )
    view.add_figure(
        monthly_trend(
            ev.monthly,
            "full_online_share",
            target=targets.get("full_online_share"),
            title="Tỷ lệ hồ sơ xử lý hoàn toàn trực tuyến theo tháng",
        )
    )
    view.add_figure(
        monthly_trend(
            ev.monthly,
            ["digitisation_rate", "reuse_rate"],
            target={k: targets[k] for k in ("digitisation_rate", "reuse_rate") if k in targets}
            or None,
            title="Tỷ lệ số hóa hồ sơ và tái sử dụng dữ liệu số hóa theo tháng",
        )
    )
    return view


class _DossierPage(SectionPage):
    """Shared parts of the pages built on dossiers (VI, IX)."""

    explorer_rates: tuple[str, ...] = ("on_time_rate", "full_online_share", "digitisation_rate")
    explorer_name = "ho-so-theo-thang"
    explorer_title = "Tỷ lệ giải quyết hồ sơ theo tháng"

    def unit_month(self) -> pd.DataFrame:
        """Dossier rates by unit and month (computed once, by the evaluation)."""
        return self.ev.unit_month

    HEATMAP_ROWS = {"unit": "đơn vị", "field": "lĩnh vực", "procedure_code": "thủ tục"}
    """What the rows of :meth:`heatmap` may be (``by=``), in Vietnamese."""

    def _heatmap(self, metric: str, by: str = "unit") -> View:
        """The rate ``metric`` by ``by`` (unit, field or procedure) and month."""
        from tthc_analysis.labels import RATE_LABELS_VI

        view = View("heatmap", {"by": by, "metric": metric})
        by = {"don_vi": "unit", "linh_vuc": "field", "procedure": "procedure_code",
              "thu_tuc": "procedure_code"}.get(str(by), str(by))  # fmt: skip
        pick(by, list(self.HEATMAP_ROWS), "cách chia hàng (by)",
             hint='Dùng by="unit" (đơn vị), by="field" (lĩnh vực) hoặc by="procedure_code".')  # fmt: skip
        metric = str(pick(metric, list(RATE_LABELS_VI), "tỷ lệ (metric)"))
        frame = self.unit_month() if by == "unit" else self._rates([by, "month"])
        view.set_data(frame, dataset="rates")
        if not len(frame) or metric not in frame or frame[metric].isna().all():
            return view.add_note("Chưa có hồ sơ để lập bản đồ theo đơn vị và tháng.")
        target = indicator_targets(self.ev).get(metric)
        if by == "unit":
            return view.add_figure(unit_month_heatmap(frame, metric, target=target))
        rows = frame
        if by == "procedure_code":
            rows = frame.assign(procedure_code=frame["procedure_code"].astype(str))
        title = f"{RATE_LABELS_VI[metric]} theo {self.HEATMAP_ROWS[by]} và tháng"
        return view.add_figure(
            unit_month_heatmap(rows, metric, unit_column=by, target=target, title=title)
        )

    def _rates(self, by, dossiers: pd.DataFrame | None = None) -> pd.DataFrame:
        """:func:`~tthc_analysis.metrics.rates.dossier_rates` of the page's dossiers by ``by``."""
        from tthc_analysis.metrics.rates import dossier_rates

        ev = self.ev
        rules = ev.settings.dossiers if ev.settings else None
        frame = self.frames["dossiers"] if dossiers is None else dossiers
        return dossier_rates(frame, self.frames["procedures"], ev.period, by, ev.calendar, rules)

    def _dossier_filter(self, unit, field, procedure) -> pd.DataFrame | None:
        """The page's dossiers of a unit / field / procedure, or None without a choice."""
        unit, field, procedure = self._unit(unit), self._field(field), self._procedure(procedure)
        if unit is None and field is None and procedure is None:
            return None
        dossiers = self.frames["dossiers"]
        for column, value in (("unit", unit), ("field", field), ("procedure_code", procedure)):
            if value is not None:
                dossiers = dossiers.loc[dossiers[column].astype(str) == value]
        return dossiers

    def _compute(self):
        """Monthly rates of a filtered set of dossiers (the evaluation's own when unfiltered)."""
        from tthc_analysis.metrics.rates import dossier_rates

        ev = self.ev
        full = self.frames["dossiers"]
        rules = ev.settings.dossiers if ev.settings else None

        def compute(dossiers: pd.DataFrame, procedures, period) -> pd.DataFrame:
            unfiltered = dossiers is full or (
                len(dossiers) == len(full) and dossiers.index.equals(full.index)
            )
            if unfiltered and period == ev.period:
                return ev.monthly
            return dossier_rates(dossiers, procedures, period, "month", ev.calendar, rules)

        return compute

    def explorer(self):
        """Dossier rates by month, filterable by unit, field, procedure, channel and period.

        Returns:
            A filter widget; ``.data`` is the monthly rates of the dossiers as filtered,
            ``.dossiers_shown`` the dossiers themselves (no personal columns);
            ``.to_excel(path)`` / ``.to_csv(path)`` write the table shown.
        """
        from tthc_analysis.views.widgets import DossierExplorer

        dossiers = self.frames["dossiers"]
        if not len(dossiers):
            return View("explorer").add_note("Chưa có hồ sơ để tra cứu.")
        targets = indicator_targets(self.ev)
        return DossierExplorer(
            dossiers,
            self.frames["procedures"],
            self.ev.period,
            compute=self._compute(),
            rate_columns=self.explorer_rates,
            targets={k: v for k, v in targets.items() if k in self.explorer_rates},
            name=self.explorer_name,
            title=self.explorer_title,
            interactive=self.interactive,
        )


_OVERDUE_UNIT_LABELS = {
    "unit": "Đơn vị",
    "n": "Số hồ sơ quá hạn",
    "n_pending": "Số hồ sơ đang giải quyết quá hạn",
    "n_no_apology": "Số hồ sơ chưa có thư xin lỗi",
    "mean_wd": "Số ngày làm việc trễ bình quân",
}


@register("VI")
class OneStopPage(_DossierPage):
    """Section VI: the one-stop mechanism, dossiers handled on time, form 06."""

    section_id = "VI"
    key = "06"

    def on_time_trend(
        self,
        *,
        unit: str | None = None,
        field: str | None = None,
        procedure: str | None = None,
        metric: str = "on_time_rate",
    ) -> View:
        """The on-time rate (or another dossier rate) month by month against its target.

        Args:
            unit: Only the dossiers of this unit (phòng); see ``page.valid_units()``.
            field: Only this field (lĩnh vực); see ``page.valid_fields()``.
            procedure: Only this procedure (code or exact name).
            metric: The rate drawn: ``"on_time_rate"`` (default), ``"online_share"``,
                ``"full_online_share"``, ``"digitisation_rate"``… (see
                ``tthc_analysis.labels.RATE_LABELS_VI``).

        Returns:
            A view; ``.data`` is the month-by-month table of every dossier rate
            (``month``, ``n_received``, ``on_time_rate``…), ``.figure`` the chart.
        """
        from tthc_analysis.labels import RATE_LABELS_VI

        ev = self.ev
        choices = {"unit": unit, "field": field, "procedure": procedure, "metric": metric}
        view = View("on_time_trend", choices)
        metric = str(pick(metric, list(RATE_LABELS_VI), "tỷ lệ (metric)"))
        chosen = self._dossier_filter(unit, field, procedure)
        monthly = ev.monthly if chosen is None else self._rates("month", chosen)
        view.set_data(monthly, dataset="rates")
        if not len(monthly) or monthly[metric].isna().all():
            if chosen is not None:
                return view.add_note("Không có hồ sơ nào phù hợp với lựa chọn trong kỳ.")
            return view.add_note("Chưa có hồ sơ trong kỳ.")
        title = (
            "Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn theo tháng"
            if metric == "on_time_rate"
            else f"{RATE_LABELS_VI[metric]} theo tháng"
        )
        named = [v for v in (unit, field, procedure) if v is not None]
        if named:
            title += " – " + "; ".join(str(v) for v in named)
        return view.add_figure(
            monthly_trend(monthly, metric, target=indicator_targets(ev).get(metric), title=title)
        )

    def heatmap(self, *, by: str = "unit", metric: str = "on_time_rate") -> View:
        """The on-time rate (or another rate) by unit (phòng) and month.

        Args:
            by: Rows of the map: ``"unit"`` (phòng, default), ``"field"`` (lĩnh vực) or
                ``"procedure_code"`` (thủ tục).
            metric: The rate: ``"on_time_rate"`` (default), ``"full_online_share"``,
                ``"digitisation_rate"``… (see ``tthc_analysis.labels.RATE_LABELS_VI``).

        Returns:
            A view; ``.data`` is the rates table by ``by`` and month (every rate, as
            ``dossier_rates(by=[by, "month"])``), ``.figure`` the heat map.
        """
        return self._heatmap(metric, by)

    def form06(self) -> View:
        """Form 06/VPCP/KSTT of the period: table and breakdown by field.

        Returns:
            A view; ``.data`` is the form (one row per field, columns ``received_total``…
            ``pending_overdue``), ``.figure`` the breakdown chart.
        """
        return form06_block(self.ev)

    def intake_refusals(self) -> View:
        """Dossiers not received (refused at the counter, only registered), by month and unit.

        They are outside form 06 and every rate (issue 12 rule 1), so they are shown apart.

        Returns:
            A view; ``.data`` is the table of not received dossiers by month and unit.
        """
        view = View("intake_refusals")
        table = getattr(self.ev, "intake_refusals", None)
        if table is None or not len(table):
            return view.add_note("Không có hồ sơ bị từ chối tiếp nhận trong kỳ.", "info")
        total = int(table["n_not_received"].sum())
        refused = int(table["n_refused_intake"].sum())
        view.add_paragraph(
            f"{format_number(total)} hồ sơ không được tiếp nhận trong kỳ "
            f"({format_number(refused)} hồ sơ bị từ chối tiếp nhận tại Bộ phận Một cửa, "
            f"{format_number(total - refused)} hồ sơ chỉ đăng ký trực tuyến): không tính "
            "vào biểu 06/VPCP/KSTT và các tỷ lệ."
        )
        shown = table.assign(month=table["month"].map(month_label))
        return view.add_table(
            shown,
            static=True,
            caption="Hồ sơ không được tiếp nhận theo tháng và đơn vị",
        )

    def overdue_by_unit(self, overdue: pd.DataFrame | None = None) -> pd.DataFrame:
        """Overdue dossiers per unit: total, still pending, without apology, mean delay.

        Args:
            overdue: Overdue dossiers (default: all those of the evaluation).
        """
        overdue = self.ev.overdue if overdue is None else overdue
        if not len(overdue):
            return pd.DataFrame(columns=["unit", "n", "n_pending", "n_no_apology", "mean_wd"])
        frame = overdue.assign(
            unit=overdue["unit"].fillna("Chưa xác định"),
            pending=overdue["outcome"].astype(str) == "pending_overdue",
            no_apology=~overdue["has_apology"].astype("boolean").fillna(False).astype(bool),
        )
        table = frame.groupby("unit", as_index=False).agg(
            n=("dossier_id", "size"),
            n_pending=("pending", "sum"),
            n_no_apology=("no_apology", "sum"),
            mean_wd=("days_late_wd", "mean"),
        )
        return table.sort_values(["n", "unit"], ascending=[False, True]).reset_index(drop=True)

    def overdue(
        self,
        *,
        unit: str | None = None,
        field: str | None = None,
        procedure: str | None = None,
        top: int | None = None,
        show_personal: bool = False,
    ) -> View:
        """Overdue dossiers: by unit, then the list with apology letters and reasons.

        Args:
            unit: Only the dossiers of this unit (phòng); see ``page.valid_units()``.
            field: Only this field (lĩnh vực); see ``page.valid_fields()``.
            procedure: Only this procedure (code or exact name).
            top: Only the ``top`` dossiers most overdue (most working days late).
            show_personal: Keep the applicant's personal data in ``.data`` (your own
                session only; never shown on the page nor in a report).

        Returns:
            A view; ``.data`` is the list of overdue dossiers (``dossier_id``, ``unit``,
            ``days_late_wd``, ``has_apology``, ``overdue_reason``…),
            ``.frames["by_unit"]`` the count per unit. ``.to_excel(path)`` writes both.
        """
        choices = {"unit": unit, "field": field, "procedure": procedure, "top": top}
        view = View("overdue", choices)
        overdue = self.ev.overdue
        unit, field, procedure = self._unit(unit), self._field(field), self._procedure(procedure)
        for column, value in (("unit", unit), ("field", field), ("procedure_code", procedure)):
            if value is not None and len(overdue):
                overdue = overdue.loc[overdue[column].astype(str) == value]
        if top is not None:
            if int(top) < 1:
                raise ParameterError(f"top phải là số nguyên dương (nhận được {top}).")
            overdue = overdue.sort_values("days_late_wd", ascending=False, kind="stable")
            overdue = overdue.head(int(top))
        keep = ["dossier_id", "procedure_name", "field", "unit", "channel", "received_at",
                "due_at", "rescheduled_due_at", "completed_at", "days_late_wd", "outcome",
                "has_apology", "overdue_reason"]  # fmt: skip
        shown = overdue[[c for c in keep if c in overdue]]
        data = overdue if show_personal else shown
        view.set_data(data, dataset="dossiers", labels={"has_apology": "Có thư xin lỗi"},
                      show_personal=show_personal)  # fmt: skip
        by_unit = self.overdue_by_unit(overdue)
        view.set_data(by_unit, "by_unit", labels=_OVERDUE_UNIT_LABELS)
        if not len(overdue):
            if any(v is not None for v in (unit, field, procedure)):
                return view.add_note("Không có hồ sơ quá hạn nào phù hợp với lựa chọn.", "info")
            return view.add_note("Không có hồ sơ quá hạn trong kỳ.", "info")
        view.add_table(
            by_unit,
            static=True,
            caption="Hồ sơ quá hạn theo đơn vị",
            labels=_OVERDUE_UNIT_LABELS,
            key="by_unit",
        )
        return view.add_table(
            shown,
            "ho-so-qua-han",
            caption="Danh sách hồ sơ quá hạn (không gồm thông tin cá nhân)",
            labels={"has_apology": "Có thư xin lỗi"},
            dataset="dossiers",
            key="data",
        )

    def digitisation(self) -> View:
        """Digitisation and e-result rates by month against their targets.

        Returns:
            A view; ``.data`` is the month-by-month rates table, ``.figure`` the chart.
        """
        ev = self.ev
        view = View("digitisation")
        view.set_data(ev.monthly, dataset="rates")
        if not len(ev.monthly) or not int(ev.monthly["n_received"].sum()):
            return view.add_note("Chưa có hồ sơ trong kỳ.")
        targets = indicator_targets(ev)
        columns = ["digitisation_rate", "e_result_rate"]
        return view.add_figure(
            monthly_trend(
                ev.monthly,
                columns,
                target={c: targets[c] for c in columns if c in targets} or None,
                title="Tỷ lệ số hóa hồ sơ và cấp kết quả điện tử theo tháng",
            )
        )

    def online_levels(self) -> View:
        """Online levels of the procedures in force (full, partial, none) and the online share.

        Returns:
            A view; ``.data`` is the online level by unit, ``.frames["coverage"]`` the
            totals, ``.frames["monthly"]`` the month-by-month rates of the chart.
        """
        ev = self.ev
        view = View("online_levels")
        coverage = ev.online_coverage
        view.set_data(ev.online_coverage_by_unit)
        view.set_data(coverage, "coverage")
        view.set_data(ev.monthly, "monthly", dataset="rates")
        if len(coverage):
            c = coverage.iloc[0]
            n = int(c["n_in_force"])
            view.add_html(
                key_figures_html(
                    [
                        (format_number(n), "TTHC đang hiệu lực", ""),
                        (format_number(c["n_full"]), "Toàn trình",
                         format_percent(c["full_online_procedure_share"])),
                        (format_number(c["n_partial"]), "Một phần",
                         format_percent(c["partial_online_procedure_share"])),
                        (format_number(c["n_none"]), "Chưa có DVCTT",
                         format_percent(c["n_none"] / n) if n else "–"),
                    ]
                )
            )  # fmt: skip
        by_unit = ev.online_coverage_by_unit
        if len(by_unit):
            view.add_table(
                by_unit[["unit", "n_in_force", "n_full", "n_partial", "n_none",
                         "online_service_share"]],
                key="data",
                static=True,
                caption="Mức độ dịch vụ công trực tuyến của TTHC theo đơn vị",
                labels={"unit": "Đơn vị"},
            )  # fmt: skip
        if len(ev.monthly) and int(ev.monthly["n_received"].sum()):
            view.add_figure(
                monthly_trend(
                    ev.monthly,
                    "online_share",
                    target=indicator_targets(ev).get("online_share"),
                    title="Tỷ lệ hồ sơ nộp trực tuyến theo tháng",
                )
            )
        return view


@register("VII")
class FeedbackPage(SectionPage):
    """Section VII: PAKN received and handled, results published, communication."""

    section_id = "VII"
    key = "07"

    def feedback_summary(self) -> View:
        """PAKN counts and rates, and the same by unit.

        Returns:
            A view; ``.data`` is the PAKN table by unit, ``.frames["summary"]`` the totals.
        """
        ev = self.ev
        fb = ev.feedback_summary
        view = View("feedback_summary")
        view.set_data(ev.feedback_by_unit, dataset="feedback")
        view.set_data(pd.DataFrame([dict(fb)]), "summary", dataset="feedback")
        if not fb.get("n_items"):
            return view.add_note("Không có phản ánh, kiến nghị nào trong kỳ.", "info")
        view.add_html(
            key_figures_html(
                [
                    (format_number(fb["n_items"]), "PAKN trong kỳ",
                     f"{format_number(fb['n_regulation'])} về quy định, "
                     f"{format_number(fb['n_conduct'])} về hành vi"),
                    (indicator_value(fb["on_time_rate"], "rate"), "Xử lý đúng thời hạn",
                     f"{format_number(fb['n_on_time'])}/{format_number(fb['n_judged'])} PAKN"),
                    (indicator_value(fb["published_on_time_rate"], "rate"),
                     "Công khai kết quả đúng hạn",
                     f"{format_number(fb['n_published_on_time'])}/"
                     f"{format_number(fb['n_publish_due'])} PAKN"),
                ]
            )
        )  # fmt: skip
        by_unit = ev.feedback_by_unit
        if len(by_unit):
            view.add_table(
                by_unit[["unit", "n_items", "n_handled", "n_open", "n_on_time", "n_late",
                         "on_time_rate", "n_published", "published_on_time_rate"]],
                key="data",
                static=True,
                caption="Phản ánh, kiến nghị theo đơn vị",
                labels={"unit": "Đơn vị"},
                dataset="feedback",
            )  # fmt: skip
        return view

    def late_feedback(self, *, unit: str | None = None) -> View:
        """PAKN handled late or still open past their time limit, with the reason.

        Args:
            unit: Only the PAKN of this unit (phòng); see ``page.valid_units()``.

        Returns:
            A view; ``.data`` is the list of late PAKN (content kept as text, never run).
        """
        view = View("late_feedback", {"unit": unit})
        late = self.ev.feedback_late
        if unit is not None:
            unit = self._unit(unit)
            late = late.loc[late["unit"] == unit] if len(late) and "unit" in late else late
        view.set_data(late, dataset="feedback")
        if not len(late):
            if unit is not None:
                return view.add_note("Không có PAKN trễ hạn nào của đơn vị này.", "info")
            return view.add_note("Không có PAKN nào xử lý trễ hạn.", "info")
        return view.add_table(
            late,
            "pakn-tre-han",
            caption="PAKN xử lý trễ hạn (nội dung hiển thị nguyên văn, không định dạng)",
            dataset="feedback",
        )

    def communication(self) -> View:
        """Communication items (task VII.3) by quarter, then the list.

        Returns:
            A view; ``.data`` is the count per quarter, ``.frames["items"]`` the list.
        """
        view = View("communication")
        rows = self.evidence_rows()
        rows = rows.loc[rows["task_id"] == "VII.3"] if len(rows) else rows
        ev = self.ev
        year = int(ev.params.year)
        quarters = (
            attribute_quarters(rows["date"], rows.get("covers_period"))
            if len(rows)
            else pd.Series(dtype=object)
        )
        task = ev.tasks.loc[ev.tasks["task_id"] == "VII.3"]
        missing = set(task.iloc[0]["missing_periods"]) if len(task) else set()
        out = []
        for q in range(1, 5):
            label = quarter_label(year, q)
            n = int((quarters == f"{year}-Q{q}").sum()) if len(quarters) else 0
            if n:
                badge = display.status_badge("done_on_time", "Có hoạt động")
            elif label in missing:
                badge = display.status_badge("behind", "Thiếu")
            else:
                badge = display.status_badge("not_due", "Chưa đến kỳ")
            out.append({"quarter": label, "n": n, "badge": badge})
        columns = (
            Column("quarter", "Quý"),
            Column("n", "Số hoạt động truyền thông", "int"),
            Column("badge", "Tình trạng", "html"),
        )
        view.set_data(pd.DataFrame(out).drop(columns="badge"),
                      labels={"quarter": "Quý", "n": "Số hoạt động truyền thông"})  # fmt: skip
        view.set_data(rows, "items", dataset="activities")
        view.add_html(
            html_table(
                pd.DataFrame(out), columns, "Hoạt động truyền thông (pano, áp phích) theo quý"
            )
        )
        if len(rows):
            view.add_table(
                rows,
                "truyen-thong",
                key="items",
                caption="Minh chứng hoạt động truyền thông",
                dataset="activities",
            )
        return view

    def explorer(self):
        """PAKN of the period, filterable by unit, category and outcome (content escaped).

        Returns:
            A filter widget; ``.data`` is the table as filtered (``.to_excel(path)``,
            ``.to_csv(path)`` write it).
        """
        from tthc_analysis.views.widgets import FilteredTable, FilterSpec

        fb = self.ev.feedback
        if not len(fb):
            return View("explorer").add_note("Không có PAKN để tra cứu.")
        columns = ["feedback_id", "received_on", "category", "procedure_code", "unit", "outcome",
                   "closed_on", "elapsed_wd", "handling_on_time", "published_on",
                   "published_on_time", "content"]  # fmt: skip
        return FilteredTable(
            fb,
            [
                FilterSpec("unit", "Đơn vị"),
                FilterSpec("category", "Phân loại"),
                FilterSpec("outcome", "Kết quả xử lý"),
            ],
            columns=[c for c in columns if c in fb],
            name="tra-cuu-pakn",
            caption="Tra cứu phản ánh, kiến nghị trong kỳ",
            interactive=self.interactive,
            dataset="feedback",
        )  # fmt: skip


@register("IX")
class DigitalPage(_DossierPage):
    """Section IX: full-online services, online information, digitisation and reuse."""

    section_id = "IX"
    key = "09"
    explorer_rates = ("full_online_share", "digitisation_rate", "reuse_rate")
    explorer_name = "ho-so-truc-tuyen-theo-thang"
    explorer_title = "Tỷ lệ toàn trình, số hóa và tái sử dụng dữ liệu theo tháng"

    def projection_frame(self) -> pd.DataFrame:
        """Monthly full-online share with the least-squares trend extended to December.

        The trend uses the months with dossiers up to the as-of date, as the evaluation's
        projection does; months after the last one are added (no actual value) so the
        line reaches the end of the year.
        """
        ev = self.ev
        monthly = ev.monthly[["month", "n_received", "full_online_share"]].copy()
        year = int(ev.params.year)
        last = f"{ev.as_of:%Y-%m}"
        used = monthly.loc[(monthly["n_received"] > 0) & (monthly["month"].astype(str) <= last)]
        positions = [int(m[:4]) * 12 + int(m[5:7]) for m in used["month"].astype(str)]
        values = used["full_online_share"].astype(float).tolist()
        have = set(monthly["month"].astype(str))
        extra = [f"{year}-{m:02d}" for m in range(1, 13) if f"{year}-{m:02d}" not in have]
        extra = [m for m in extra if m > max(have, default="")]
        if extra:
            monthly = pd.concat(
                [monthly, pd.DataFrame({"month": extra, "n_received": 0})], ignore_index=True
            )
        months = monthly["month"].astype(str)
        first = min(positions) if positions else None
        monthly["trend"] = [
            linear_projection(values, positions, int(m[:4]) * 12 + int(m[5:7]))
            if first is not None and int(m[:4]) * 12 + int(m[5:7]) >= first
            else float("nan")
            for m in months
        ]
        monthly["trend"] = monthly["trend"].clip(lower=0.0, upper=1.0)
        return monthly

    def full_online_trend(self) -> View:
        """Full-online share by month against 80%, with the trend projected to 31/12.

        Returns:
            A view; ``.data`` is the monthly share with the ``trend`` column
            (:meth:`projection_frame`), ``.figure`` the chart.
        """
        ev = self.ev
        view = View("full_online_trend")
        if not len(ev.monthly) or ev.monthly["full_online_share"].isna().all():
            return view.add_note("Chưa có hồ sơ trong kỳ.")
        frame = self.projection_frame()
        view.set_data(frame, dataset="rates")
        target = indicator_targets(ev).get("full_online_share")
        projection = ev.summary.get("full_online_projection")
        label = "Xu hướng tuyến tính"
        if projection is not None and not pd.isna(projection):
            label += f" (dự báo 31/12/{ev.params.year}: {indicator_value(projection, 'rate')})"
        return view.add_figure(
            monthly_trend(
                frame,
                ["full_online_share", "trend"],
                target=target,
                title="Tỷ lệ hồ sơ xử lý hoàn toàn trực tuyến theo tháng và xu hướng đến cuối năm",
                labels={"trend": label},
            )
        )

    def coverage(self, *, unit: str | None = None) -> View:
        """Eligible procedures offered full-online, online services, and the gaps by name.

        Args:
            unit: Only the gaps of this unit (phòng) in the lists (the totals stay).

        Returns:
            A view; ``.data`` is the eligible procedures not yet full-online,
            ``.frames["no_online_service"]`` those without any online service,
            ``.frames["coverage"]`` the totals.
        """
        ev = self.ev
        view = View("coverage", {"unit": unit})
        coverage = ev.online_coverage
        missing, none = self.coverage_gaps()
        if unit is not None:
            unit = self._unit(unit)
            missing = missing.loc[missing["unit"] == unit] if len(missing) else missing
            none = none.loc[none["unit"] == unit] if len(none) else none
        view.set_data(missing, dataset="procedures")
        view.set_data(none, "no_online_service", dataset="procedures")
        view.set_data(coverage, "coverage")
        if not len(coverage):
            return view.add_note("Chưa có danh mục TTHC.")
        c = coverage.iloc[0]
        view.add_html(
            key_figures_html(
                [
                    (indicator_value(c["full_online_coverage"], "rate"),
                     "TTHC đủ điều kiện được cung cấp toàn trình",
                     f"{format_number(c['n_eligible_full'])}/{format_number(c['n_eligible'])} TTHC"),
                    (indicator_value(c["online_service_share"], "rate"),
                     "TTHC có dịch vụ công trực tuyến",
                     f"{format_number(c['n_full'] + c['n_partial'])}/"
                     f"{format_number(c['n_in_force'])} TTHC"),
                ]
            )
        )  # fmt: skip
        if len(missing):
            view.add_table(
                missing,
                "tthc-du-dieu-kien-chua-toan-trinh",
                caption="TTHC đủ điều kiện nhưng chưa cung cấp dịch vụ công trực tuyến toàn trình",
            )
        else:
            view.add_note("Mọi TTHC đủ điều kiện đều đã được cung cấp toàn trình.", "info")
        if len(none):
            view.add_table(
                none, "tthc-chua-co-dvctt", caption="TTHC chưa có dịch vụ công trực tuyến"
            )
        return view

    def coverage_gaps(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(eligible procedures not full-online, procedures without any online service).

        Both from the procedures in force of the evaluation (``online_level`` codes).
        """
        procs = self.ev.procedures
        keep = ["procedure_code", "procedure_name", "field", "unit", "online_level"]
        if not len(procs):
            return procs, procs
        eligible = procs["eligible_full_online"].astype("boolean").fillna(False).astype(bool)
        missing = procs.loc[eligible & (procs["online_level"] != "full"), keep]
        none = procs.loc[procs["online_level"] == "none", keep]
        return missing.reset_index(drop=True), none.reset_index(drop=True)

    def digitisation_trends(self) -> View:
        """Digitisation, e-result and reuse rates by month against their targets.

        Returns:
            A view; ``.data`` is the month-by-month rates table, ``.figure`` the chart.
        """
        ev = self.ev
        view = View("digitisation_trends")
        view.set_data(ev.monthly, dataset="rates")
        if not len(ev.monthly) or not int(ev.monthly["n_received"].sum()):
            return view.add_note("Chưa có hồ sơ trong kỳ.")
        targets = indicator_targets(ev)
        columns = ["digitisation_rate", "e_result_rate", "reuse_rate"]
        return view.add_figure(
            monthly_trend(
                ev.monthly,
                columns,
                target={c: targets[c] for c in columns if c in targets} or None,
                title="Số hóa hồ sơ, kết quả điện tử và tái sử dụng dữ liệu số hóa theo tháng",
            )
        )

    def heatmap(self, *, by: str = "unit", metric: str = "full_online_share") -> View:
        """The full-online share (or another rate) by unit (phòng) and month.

        Args:
            by: Rows of the map: ``"unit"`` (phòng, default), ``"field"`` (lĩnh vực) or
                ``"procedure_code"`` (thủ tục).
            metric: The rate: ``"full_online_share"`` (default), ``"on_time_rate"``,
                ``"digitisation_rate"``… (see ``tthc_analysis.labels.RATE_LABELS_VI``).

        Returns:
            A view; ``.data`` is the rates table by ``by`` and month, ``.figure`` the map.
        """
        return self._heatmap(metric, by)
