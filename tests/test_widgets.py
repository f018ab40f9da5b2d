"""Widgets without a browser: set a control's value, check what the widget shows.

The explorer gets a fake compute function (counts and an on-time share per month) so
the expected numbers can be worked out by hand from the five dossiers below.
"""

from __future__ import annotations

import base64
import html
import re
from datetime import date
from pathlib import Path

import ipywidgets
import numpy as np
import openpyxl
import pandas as pd
import pytest

from tthc_analysis.charts import style
from tthc_analysis.periods import Period, parse_period
from tthc_analysis.views import widgets
from tthc_analysis.views.widgets import (
    ALL,
    DossierExplorer,
    FilteredTable,
    FilterSpec,
    filter_frame,
)
from tthc_analysis.workdays import default_calendar

YEAR = parse_period("year", 2025, "calendar")


def _dossiers() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "dossier_id": ["D1", "D2", "D3", "D4", "D5"],
            "unit": ["Văn phòng", "Văn phòng", "Phòng Giáo dục Trung học", "Văn phòng", "Đội B"],
            "field": ["Văn bằng", "Văn bằng", "Thi, tuyển sinh", "Thi, tuyển sinh", "Văn bằng"],
            "procedure_code": ["1.000001", "1.000001", "1.000002", "1.000002", "1.000001"],
            "procedure_name": ["Cấp bản sao văn bằng"] * 2
            + ["Chuyển trường"] * 2
            + ["Cấp bản sao văn bằng"],
            "channel": ["online", "in_person", "online", "post", "online"],
            "received_at": pd.to_datetime(
                ["2025-01-10", "2025-01-20", "2025-02-05", "2025-03-01", "2025-03-15"]
            ),
            "on_time": [True, False, True, True, False],
        }
    )


class FakeCompute:
    """Monthly counts and on-time share of the dossiers received in the period."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, Period]] = []

    def __call__(self, dossiers: pd.DataFrame, procedures, period: Period) -> pd.DataFrame:
        self.calls.append((len(dossiers), period))
        day = dossiers["received_at"].dt.date
        inside = dossiers[(day >= period.start) & (day <= period.end)]
        months = pd.period_range(period.start, period.end, freq="M").strftime("%Y-%m")
        grouped = inside.groupby(inside["received_at"].dt.strftime("%Y-%m"))["on_time"]
        out = pd.DataFrame({"month": list(months)})
        out["n_received"] = out["month"].map(grouped.size()).fillna(0).astype(int)
        out["on_time_rate"] = out["month"].map(grouped.mean()).astype(float)
        out["full_online_share"] = np.where(out["n_received"] > 0, 0.5, np.nan)
        return out


@pytest.fixture(autouse=True)
def fast_png(monkeypatch):
    """Skip rasterising in most tests: a stand-in PNG naming the figure's title.

    Widget logic does not depend on the pixels; ``test_image_widget_holds_the_chart_png``
    uses the real renderer.
    """

    def fake(fig, dpi=100):
        return b"\x89PNG fake " + fig.get_suptitle().encode("utf-8")

    monkeypatch.setattr(widgets, "figure_to_png_bytes", fake)


@pytest.fixture
def no_widgets(monkeypatch):
    """Fail if any ipywidgets.Widget is created (static mode must create none)."""

    def refuse(self, *args, **kwargs):
        raise AssertionError(f"a widget was created: {type(self).__name__}")

    monkeypatch.setattr(ipywidgets.Widget, "open", refuse)


# --- filtering ------------------------------------------------------------------------


def test_filter_frame_values_lists_and_all():
    frame = pd.DataFrame(
        {"unit": ["A", "B", "C"], "partners": [["X", "Y"], ["Y"], []], "n": [1, 2, 3]}
    )
    assert filter_frame(frame, {"unit": "B"})["n"].tolist() == [2]
    assert filter_frame(frame, {"unit": ("A", "C")})["n"].tolist() == [1, 3]
    assert filter_frame(frame, {"unit": ALL, "partners": ()})["n"].tolist() == [1, 2, 3]
    assert filter_frame(frame, {"partners": "Y"})["n"].tolist() == [1, 2]
    assert filter_frame(frame, {"partners": "X", "unit": "B"}).empty


def test_filter_panel_options_are_labelled_and_sorted_in_vietnamese_order():
    panel = widgets.FilterPanel(_dossiers(), ["unit", "channel"])
    unit_options = panel.controls["unit"].options
    assert [label for label, _ in unit_options] == [
        "Tất cả",
        "Đội B",
        "Phòng Giáo dục Trung học",
        "Văn phòng",
    ]
    channel_options = dict(panel.controls["channel"].options)
    assert channel_options == {
        "Tất cả": ALL,
        "Bưu chính": "post",
        "Trực tiếp": "in_person",
        "Trực tuyến": "online",
    }
    assert panel.controls["unit"].description == "Đơn vị xử lý"
    panel.controls["channel"].value = "online"
    assert panel.selection() == {"channel": "online"}
    assert panel.describe() == "Kênh nộp: Trực tuyến"
    assert panel.apply(_dossiers())["dossier_id"].tolist() == ["D1", "D3", "D5"]


def test_filter_panel_multiple_selection_and_callback():
    seen = []
    panel = widgets.FilterPanel(
        _dossiers(), [FilterSpec("unit", "Phòng", multiple=True)], on_change=lambda: seen.append(1)
    )
    control = panel.controls["unit"]
    assert isinstance(control, ipywidgets.SelectMultiple)
    control.value = ("Văn phòng", "Đội B")
    assert seen == [1]
    assert panel.apply(_dossiers())["dossier_id"].tolist() == ["D1", "D2", "D4", "D5"]
    assert panel.describe() == "Phòng: Văn phòng, Đội B"


# --- dossier explorer, interactive -----------------------------------------------------


def _explorer(**kwargs) -> tuple[DossierExplorer, FakeCompute]:
    compute = FakeCompute()
    # The targets of the plan's task -> indicator table (the pages pass the evaluation's).
    from tthc_analysis.loading.reference import load_task_indicators

    kwargs.setdefault("targets", widgets.default_targets(load_task_indicators()))
    explorer = DossierExplorer(
        _dossiers(), pd.DataFrame(), YEAR, compute=compute, interactive=True, **kwargs
    )
    return explorer, compute


def _line(explorer: DossierExplorer, column: str):
    (line,) = [a for a in explorer.figure.axes[0].get_lines() if a.get_gid() == f"series:{column}"]
    return line


def test_explorer_initial_view_is_unfiltered():
    explorer, compute = _explorer()
    assert compute.calls == [(5, YEAR)]
    assert len(explorer.current_frame) == 5
    assert explorer.result["n_received"].tolist()[:3] == [2, 1, 2]
    y = _line(explorer, "on_time_rate").get_ydata()
    assert list(y[:3]) == [0.5, 1.0, 0.5]
    assert all(np.isnan(y[3:]))
    targets = sorted(
        a.get_ydata()[0] for a in explorer.figure.axes[0].get_lines() if a.get_gid() == "target"
    )
    assert targets == [0.8, 1.0]  # full-online 80%, on-time 100% (no digitisation column)
    assert "<th" in explorer.table_html and "01/2025" in explorer.table_html
    assert "50,0%" in explorer.table_html
    assert bytes(explorer._image.value).startswith(b"\x89PNG")
    assert explorer._table.value == explorer.table_html


def test_explorer_unit_filter_updates_table_and_chart():
    explorer, compute = _explorer()
    first_png = explorer._image.value
    explorer.panel.controls["unit"].value = "Văn phòng"
    assert compute.calls[-1][0] == 3
    assert explorer.current_frame["dossier_id"].tolist() == ["D1", "D2", "D4"]
    assert explorer.result["n_received"].tolist()[:3] == [2, 0, 1]
    y = _line(explorer, "on_time_rate").get_ydata()
    assert y[0] == 0.5 and np.isnan(y[1]) and y[2] == 1.0
    assert "Đơn vị (phòng): Văn phòng" in explorer.figure.get_suptitle()
    assert explorer._image.value != first_png
    assert explorer._table.value == explorer.table_html
    assert "100,0%" in explorer.table_html


def test_explorer_field_procedure_and_channel_filters():
    explorer, _ = _explorer()
    controls = explorer.panel.controls
    assert set(controls) == {"unit", "field", "procedure_code", "channel"}
    labels = [label for label, _ in controls["procedure_code"].options]
    assert labels == ["Tất cả", "1.000001 – Cấp bản sao văn bằng", "1.000002 – Chuyển trường"]
    controls["field"].value = "Văn bằng"
    controls["channel"].value = "online"
    assert explorer.current_frame["dossier_id"].tolist() == ["D1", "D5"]
    # Filters narrow each other: only the procedure of that field is still offered.
    assert [v for _, v in controls["procedure_code"].options] == [ALL, "1.000001"]
    controls["field"].value = ALL
    controls["channel"].value = ALL
    controls["procedure_code"].value = "1.000002"
    assert explorer.current_frame["dossier_id"].tolist() == ["D3", "D4"]
    # ... and the other way round: the procedure narrows the fields offered.
    assert [v for _, v in controls["field"].options] == [ALL, "Thi, tuyển sinh"]


def test_explorer_period_dropdown_and_date_range():
    explorer, compute = _explorer()
    options = dict(explorer.period_control.options)
    assert list(options)[:3] == ["Năm 2025", "Quý I/2025", "Quý II/2025"]
    assert "Tháng 03/2025" in options
    explorer.period_control.value = "2025-Q1"
    assert compute.calls[-1][1].period_id == "2025-Q1"
    assert explorer.result["month"].tolist() == ["2025-01", "2025-02", "2025-03"]
    assert "Quý I/2025" in explorer.figure.get_suptitle()

    assert explorer.start_control.placeholder == "dd/mm/yyyy"  # typed, never mm/dd/yyyy
    explorer.start_control.value = "15/01/2025"
    assert compute.calls[-1][1].period_id == "2025-Q1"  # one end alone does nothing
    explorer.end_control.value = "28/02/2025"
    period = compute.calls[-1][1]
    assert (period.kind, period.start, period.end) == (
        "custom",
        date(2025, 1, 15),
        date(2025, 2, 28),
    )
    assert explorer.result["n_received"].tolist() == [1, 1]  # D2 (20/01) and D3 (05/02)


def test_explorer_shows_errors_instead_of_raising():
    explorer, compute = _explorer()
    explorer.start_control.value = "01/03/2025"
    n_calls = len(compute.calls)
    explorer.end_control.value = "01/02/2025"  # end before start
    assert len(compute.calls) == n_calls
    assert "ngày kết thúc trước ngày bắt đầu" in explorer.message
    assert "ngày kết thúc trước ngày bắt đầu" in explorer._status.value
    explorer.end_control.value = "32/03/2025"  # no such day: said, not raised
    assert len(compute.calls) == n_calls and explorer.message
    assert html.escape(explorer.message) in explorer._status.value


def test_explorer_custom_chart_and_targets():
    seen = {}

    def chart(result, title):
        from tthc_analysis.charts import monthly_trend

        seen["title"] = title
        return monthly_trend(result, "on_time_rate", target=0.95, title=title)

    explorer, _ = _explorer(chart=chart, title="Đúng hạn")
    assert seen["title"] == "Đúng hạn – Năm 2025"
    (target,) = [a for a in explorer.figure.axes[0].get_lines() if a.get_gid() == "target"]
    assert target.get_ydata()[0] == 0.95
    explorer2, _ = _explorer(targets={"on_time_rate": 0.9})
    targets = [
        a.get_ydata()[0] for a in explorer2.figure.axes[0].get_lines() if a.get_gid() == "target"
    ]
    assert targets == [0.9]


def test_image_widget_holds_the_chart_png(monkeypatch):
    monkeypatch.setattr(widgets, "figure_to_png_bytes", style.figure_to_png_bytes)
    explorer, _ = _explorer()
    assert bytes(explorer._image.value) == style.figure_to_png_bytes(explorer.figure, dpi=100)
    static, _ = _static_explorer()
    encoded = base64.b64encode(style.figure_to_png_bytes(static.figure, dpi=100)).decode()
    assert f'src="data:image/png;base64,{encoded}"' in static.static_html()


def test_interactive_repr_is_the_widget():
    explorer, _ = _explorer()
    bundle = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert isinstance(explorer.widget, ipywidgets.VBox)


# --- static mode ---------------------------------------------------------------------


def _static_explorer() -> tuple[DossierExplorer, FakeCompute]:
    compute = FakeCompute()
    return DossierExplorer(_dossiers(), None, YEAR, compute=compute, interactive=False), compute


def test_static_explorer_creates_no_widget_and_shows_the_full_view(no_widgets):
    explorer, compute = _static_explorer()
    assert compute.calls == [(5, YEAR)]
    assert explorer.widget is None and explorer.panel is None
    bundle = explorer._repr_mimebundle_()
    assert set(bundle) == {"text/html", "text/plain"}
    page = bundle["text/html"]
    assert page.count('src="data:image/png;base64,') == 1
    assert 'alt="Tỷ lệ giải quyết hồ sơ theo tháng – Năm 2025"' in page
    assert "tbl-ho-so-theo-thang" in page
    assert "IPY_MODEL" not in page and "widget-view" not in page
    assert "<select" not in page


def test_static_view_is_deterministic(no_widgets):
    first = _static_explorer()[0].static_html()
    second = _static_explorer()[0].static_html()
    # the table id is numbered per page by display.table_html; everything else is equal
    unnumbered = re.compile(r"tbl-ho-so-theo-thang(-\d+)?")
    assert unnumbered.sub("ID", first) == unnumbered.sub("ID", second)
    assert re.search(r"[0-9a-f]{32}", first) is None  # no uuid-like ids


def test_interactive_defaults_to_static_without_a_kernel(no_widgets):
    compute = FakeCompute()
    explorer = DossierExplorer(_dossiers(), None, YEAR, compute=compute)
    assert explorer.interactive is False
    assert widgets.has_frontend() is False


# --- filtered table -------------------------------------------------------------------


def _tasks() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "task_id": ["I.1", "I.2", "II.1", "IX.1"],
            "section_id": ["I", "I", "II", "IX"],
            "lead_unit": ["Văn phòng", "Văn phòng", "Phòng Tổ chức cán bộ", "Văn phòng"],
            "partner_units": [["Phòng Tổ chức cán bộ"], [], ["Văn phòng"], []],
            "status": ["on_track", "behind", "overdue", "on_track"],
            "status_vi": ["Đúng tiến độ", "Chậm tiến độ / thiếu kỳ", "Quá hạn", "Đúng tiến độ"],
        }
    )


def test_filtered_table_filters_tasks_by_status_unit_and_partner():
    table = FilteredTable(
        _tasks(),
        ["lead_unit", "section_id", "status", FilterSpec("partner_units", "Đơn vị phối hợp")],
        columns=["task_id", "lead_unit", "status_vi"],
        interactive=True,
    )
    status = table.panel.controls["status"]
    assert [label for label, _ in status.options] == [
        "Tất cả",
        "Chậm tiến độ / thiếu kỳ",
        "Đúng tiến độ",
        "Quá hạn",
    ]
    status.value = "on_track"
    assert table.current_frame["task_id"].tolist() == ["I.1", "IX.1"]
    assert "IX.1" in table.table_html and "II.1" not in table.table_html
    assert "Lọc: Trạng thái: Đúng tiến độ" in table.table_html
    status.value = ALL
    table.panel.controls["partner_units"].value = "Văn phòng"
    assert table.current_frame["task_id"].tolist() == ["II.1"]
    assert table._table.value == table.table_html
    headers = re.findall(r"<th>(.*?)</th>", table.table_html)
    assert headers == ["Mã nhiệm vụ", "Đơn vị chủ trì", "Trạng thái"]  # chosen columns only
    # the status keeps its coloured badge in the interactive table
    assert 'class="tthc-badge tthc-status-overdue"' in table.table_html


def test_filtered_table_escapes_cell_text():
    frame = pd.DataFrame({"unit": ["<b>A</b>"], "content": ["<script>alert(1)</script>"]})
    table = FilteredTable(frame, ["unit"], interactive=True)
    assert "<script>" not in table.table_html
    assert "&lt;script&gt;" in table.table_html


def _pakn() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "feedback_id": ["P1", "P2", "P3"],
            "status": ["rejected", "published", "rejected"],
            "outcome": ["rejected", "handled", "open"],
            "published_on": pd.to_datetime(["2025-03-02", "2025-04-05", None]),
        }
    )


@pytest.mark.parametrize("dataset", ["feedback", None])  # given, or inferred from feedback_id
def test_filtered_table_labels_pakn_codes_as_pakn(dataset):
    table = FilteredTable(_pakn(), ["status", "outcome"], interactive=True, dataset=dataset)
    status = dict(table.panel.controls["status"].options)
    assert status == {"Tất cả": ALL, "Đã công khai": "published", "Từ chối tiếp nhận": "rejected"}
    outcome = table.panel.controls["outcome"]
    assert outcome.description == "Kết quả xử lý"
    assert [label for label, _ in outcome.options] == [
        "Tất cả", "Đã xử lý", "Đang xử lý", "Từ chối tiếp nhận",
    ]  # fmt: skip
    outcome.value = "open"
    assert table.current_frame["feedback_id"].tolist() == ["P3"]
    assert "Lọc: Kết quả xử lý: Đang xử lý" in table.table_html
    assert "Ngày công khai" in table.table_html and "Ngày QĐ công bố" not in table.table_html


def test_value_label_uses_the_dataset_for_shared_codes():
    assert widgets.value_label("status", "rejected", "dossiers") == "Từ chối"
    assert widgets.value_label("status", "rejected", "feedback") == "Từ chối tiếp nhận"
    assert widgets.value_label("status", "behind") == "Chậm tiến độ / thiếu kỳ"
    assert widgets.value_label("unit", "Văn phòng") == "Văn phòng"
    assert widgets.value_label("unit", None) == ""


def test_static_filtered_table_creates_no_widget(no_widgets):
    table = FilteredTable(_tasks(), ["status"], name="nhiem-vu", interactive=False)
    html = table._repr_mimebundle_()["text/html"]
    assert table.widget is None
    assert "tbl-nhiem-vu" in html
    assert "IX.1" in html and "<select" not in html


def test_period_choices_are_cut_at_the_as_of_date():
    period = parse_period("year", 2025, "calendar").clipped(date(2025, 5, 20))
    explorer = DossierExplorer(_dossiers(), None, period, compute=FakeCompute(), interactive=True)
    options = dict(explorer.period_control.options)
    assert "Quý II/2025, lũy kế đến 20/05/2025" in options
    assert "Tháng 05/2025, lũy kế đến 20/05/2025" in options
    assert "Quý III/2025" not in options and "Tháng 06/2025" not in options


def test_default_targets_come_from_the_task_indicator_table():
    from tthc_analysis.loading.reference import load_task_indicators

    targets = widgets.default_targets(load_task_indicators())
    # data/plan/task_indicators.csv: VI.3 on time 100%, IX.1 full online 80%, VI.1 80%
    assert targets["on_time_rate"] == 1.0
    assert targets["full_online_share"] == 0.8
    assert targets["digitisation_rate"] == 0.8
    assert all(0 < t <= 1 for t in targets.values())


def test_explorer_default_compute_is_dossier_rates_by_month():
    """Contract with rates.dossier_rates: monthly rows and the default rate columns."""
    from tthc_analysis.fields import dataset_fields

    def canonical(dataset: str, rows: list[dict]) -> pd.DataFrame:
        frame = pd.DataFrame(rows)
        for name, spec in dataset_fields(dataset).items():
            if name not in frame:
                frame[name] = pd.Series([None] * len(frame))
            frame[name] = frame[name].astype(spec.dtype)
        return frame[list(dataset_fields(dataset))]

    common = {"procedure_code": "1.005092", "field": "Văn bằng, chứng chỉ", "status": "completed"}
    dossiers = canonical(
        "dossiers",
        [
            # received 03/03 (official month 03: 15/02-14/03), done 05/03 before 06/03
            {
                **common,
                "dossier_id": "A1",
                "unit": "Văn phòng",
                "channel": "online",
                "received_at": pd.Timestamp("2025-03-03 08:00"),
                "due_at": pd.Timestamp("2025-03-06 17:00"),
                "completed_at": pd.Timestamp("2025-03-05 10:00"),
            },
            # received 20/05 (official month 06: 15/05-14/06), done 27/05 after 22/05
            {
                **common,
                "dossier_id": "A2",
                "unit": "Phòng Giáo dục Trung học",
                "channel": "in_person",
                "received_at": pd.Timestamp("2025-05-20 08:00"),
                "due_at": pd.Timestamp("2025-05-22 17:00"),
                "completed_at": pd.Timestamp("2025-05-27 10:00"),
            },
        ],
    )
    explorer = DossierExplorer(
        dossiers,
        canonical("procedures", []),
        parse_period("year", 2025),
        interactive=True,
        calendar=default_calendar(),
    )
    assert explorer.message == ""
    by_month = explorer.result.set_index("month")
    assert len(by_month) == 12
    assert by_month.loc["2025-03", "n_received"] == 1
    assert by_month.loc["2025-03", "on_time_rate"] == 1.0
    assert by_month.loc["2025-06", "on_time_rate"] == 0.0
    assert {"on_time_rate", "full_online_share", "digitisation_rate"} <= set(explorer.result)
    explorer.panel.controls["unit"].value = "Văn phòng"
    assert explorer.result["n_received"].sum() == 1


def test_filter_options_follow_the_plan_order_and_narrow_each_other():
    table = FilteredTable(_tasks(), ["section_id", "lead_unit", "task_id"], interactive=True)
    controls = table.panel.controls
    assert [v for _, v in controls["section_id"].options] == [ALL, "I", "II", "IX"]  # not I, II, IX
    assert [v for _, v in controls["task_id"].options] == [ALL, "I.1", "I.2", "II.1", "IX.1"]
    controls["lead_unit"].value = "Phòng Tổ chức cán bộ"
    assert [v for _, v in controls["section_id"].options] == [ALL, "II"]
    assert [v for _, v in controls["task_id"].options] == [ALL, "II.1"]
    controls["lead_unit"].value = ALL
    assert [v for _, v in controls["task_id"].options] == [ALL, "I.1", "I.2", "II.1", "IX.1"]


def test_an_empty_result_says_so():
    table = FilteredTable(_tasks().iloc[0:0], ["status"], interactive=True)
    assert "Không có dòng nào phù hợp với bộ lọc" in table.table_html
    assert table.data.empty


def _wide_with_personal() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "dossier_id": ["D1", "D2", "D3"],
            "applicant_name": ["Nguyễn Văn A", "Trần Thị B", "Lê C"],
            "applicant_phone": ["0912", "0913", "0914"],
            "unit": ["Văn phòng", "Văn phòng", "Phòng Tổ chức cán bộ"],
            "channel": ["online", "offline", "online"],
            "received_at": pd.to_datetime(["2025-03-01", "2025-03-02", "2025-03-03"]),
            "due_at": pd.to_datetime(["2025-03-05", "2025-03-06", "2025-03-07"]),
            "days_late_wd": [2.0, 1.0, 3.0],
            "has_apology": [True, False, True],
            "overdue_reason": ["=HYPERLINK(1)", "Thiếu hồ sơ", "Chờ phối hợp"],
        }
    )


def test_filtered_frames_and_exports_drop_personal_columns_and_hold_what_is_shown(tmp_path):
    table = FilteredTable(_wide_with_personal(), ["unit", "channel"], interactive=True)
    assert "applicant_name" not in table.current_frame
    assert "applicant_name" not in table.data and "Nguyễn Văn A" not in table.table_html
    # wide table: the reason is the second column of the interactive table
    assert table.data.columns[:2].tolist() == ["dossier_id", "overdue_reason"]
    table.panel.controls["unit"].value = "Văn phòng"
    table.panel.controls["channel"].value = "offline"
    assert table.data["dossier_id"].tolist() == ["D2"]
    csv = table.to_csv(tmp_path / "loc.csv").read_text(encoding="utf-8-sig").splitlines()
    assert csv[0].split(",")[:3] == ["Mã hồ sơ", "Lý do quá hạn", "Đơn vị xử lý"]
    assert len(csv) == 2 and "D2" in csv[1] and "Không" in csv[1]  # booleans in Vietnamese
    book = openpyxl.load_workbook(table.to_excel(tmp_path / "loc.xlsx"))
    rows = [[c for c in row if c is not None] for row in book.active.iter_rows(values_only=True)]
    assert rows[-1][0] == "D2" and len([r for r in rows if "D1" in r or "D3" in r]) == 0
    assert not any("Nguyễn" in str(c) for r in rows for c in r)
    link = table.prepare_download("xlsx")
    assert 'download="' in link and "data:application/vnd.openxmlformats" in link
    assert "(1 dòng)" in link and table._link.value == link
    table.panel.controls["channel"].value = ALL  # a new filter: the prepared file is dropped
    assert table._link.value == ""


def test_formula_like_text_is_protected_in_csv_exports(tmp_path):
    table = FilteredTable(_wide_with_personal(), ["unit"], interactive=False)
    text = table.to_csv(tmp_path / "x.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK(1)" in text


def test_personal_columns_only_when_asked():
    table = FilteredTable(_wide_with_personal(), ["unit"], interactive=False, show_personal=True)
    assert "applicant_name" in table.current_frame


def test_explorer_exports_the_table_shown_and_drops_personal_columns(tmp_path):
    explorer, _ = _explorer()
    assert not set(explorer.current_frame.columns) & {"applicant_name", "applicant_phone"}
    explorer.panel.controls["unit"].value = explorer.panel.controls["unit"].options[1][1]
    path = explorer.to_csv(tmp_path / "e.csv")
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == len(explorer.data) + 1
    assert lines[0].startswith("Tháng")


def test_a_download_larger_than_the_setting_is_refused_with_a_vietnamese_message():
    # Setting max_download_mb (data/reference/settings.yaml, default 10 MB): the data: link
    # lives in the browser's memory, so a province-scale table is refused, not embedded.
    from tthc_analysis.config import Settings
    from tthc_analysis.views import widgets as w

    assert Settings().max_download_mb == 10 and w.download_limit_mb() == 10
    table = FilteredTable(_wide_with_personal(), ["unit"], interactive=False)
    size = len(table._export_bytes("csv"))
    try:
        w.set_download_limit(size / 1024 / 1024 / 2)  # half the file: refused
        refused = table.prepare_download("csv")
        assert "data:" not in refused and "<a " not in refused
        assert "lớn hơn giới hạn tải về" in refused and "max_download_mb" in refused
        assert "hãy lọc bớt bảng" in refused and ".to_excel()" in refused
        w.set_download_limit(size / 1024 / 1024)  # exactly the file's size: allowed
        assert "data:text/csv;base64," in table.prepare_download("csv")
    finally:
        w.set_download_limit(10)


def test_the_review_context_applies_the_download_limit_of_the_data_folder(tmp_path):
    import shutil

    from tthc_analysis.views import widgets as w
    from tthc_analysis.views.context import ReviewParams, compute_context

    data = tmp_path / "data"
    shutil.copytree(Path(__file__).resolve().parents[1] / "data" / "sample", data)
    (data / "tthc.yaml").write_text("max_download_mb: 0.5\n", encoding="utf-8")
    try:
        compute_context(ReviewParams.resolve(data_dir=data))
        assert w.download_limit_mb() == 0.5
    finally:
        w.set_download_limit(10)
