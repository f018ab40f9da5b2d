"""Chart functions: titles, axes, tick formats, data drawn, target lines, status colours.

Expected values are written by hand from the small frames below.
"""

from __future__ import annotations

import unicodedata
from datetime import date

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from matplotlib.dates import date2num
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from tthc_analysis import charts
from tthc_analysis.charts import style
from tthc_analysis.errors import ParameterError
from tthc_analysis.status import STATUSES


def _lines(fig: Figure, gid: str) -> list[Line2D]:
    return [a for a in fig.findobj(Line2D) if a.get_gid() == gid]


def _patches(ax, prefix: str) -> dict[str, object]:
    return {p.get_gid(): p for p in ax.patches if str(p.get_gid()).startswith(prefix)}


def _texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in style.figure_texts(fig)]


def _ticks(labels) -> list[str]:
    return [t.get_text() for t in labels]


@pytest.fixture(autouse=True)
def _no_pyplot_figures():
    """Chart functions must not create pyplot figures (no state, no leaks)."""
    before = plt.get_fignums()
    yield
    assert plt.get_fignums() == before


# --- style helpers --------------------------------------------------------------------


def test_tick_formatters_use_vietnamese_formats():
    assert style.percent_formatter()(0.8, 0) == "80%"
    assert style.percent_formatter(1)(0.853, 0) == "85,3%"
    assert style.count_formatter()(1234, 0) == "1.234"
    assert style.count_formatter()(1234567, 0) == "1.234.567"
    assert style.points_formatter()(90.0, 0) == "90"
    assert style.points_formatter()(87.5, 0) == "87,5"


def test_month_labels():
    assert style.month_label("2025-03") == "03/2025"
    assert style.month_label("2025-03", short=True) == "T3"
    assert style.month_label("Quý I") == "Quý I"
    assert style.month_labels(["2025-01", "2025-12"]) == (["T1", "T12"], "2025")
    assert style.month_labels(["2025-01", "2025-12"], compact=True) == (["1", "12"], "2025")
    assert style.month_labels(["2024-12", "2025-01"]) == (["12/2024", "01/2025"], None)


def test_target_text():
    assert style.target_text(0.8) == "Chỉ tiêu 80%"
    assert style.target_text(0.825) == "Chỉ tiêu 82,5%"
    assert style.target_text(1.0) == "Chỉ tiêu 100%"
    assert style.target_text(90, "points") == "Chỉ tiêu 90 điểm"
    assert style.target_text(12, "count") == "Chỉ tiêu 12"


def test_wrap_label_limits_lines():
    text = "Phòng Khảo thí và Kiểm định chất lượng giáo dục thuộc Sở Giáo dục và Đào tạo"
    wrapped = style.wrap_label(text, 20, max_lines=2)
    lines = wrapped.split("\n")
    assert len(lines) == 2
    assert lines[0] == "Phòng Khảo thí và"
    assert lines[1].endswith("…")
    assert all(len(line) <= 20 for line in lines)


def test_png_bytes_are_deterministic_and_carry_no_software_chunk():
    monthly = pd.DataFrame({"month": ["2025-01", "2025-02"], "on_time_rate": [0.9, 1.0]})
    first = style.figure_to_png_bytes(charts.monthly_trend(monthly, "on_time_rate"))
    second = style.figure_to_png_bytes(charts.monthly_trend(monthly, "on_time_rate"))
    assert first == second
    assert first.startswith(b"\x89PNG\r\n\x1a\n")
    assert b"Software" not in first
    assert b"matplotlib" not in first.lower()


def test_style_does_not_leak_into_global_rcparams():
    before = dict(mpl.rcParams)
    monthly = pd.DataFrame({"month": ["2025-01"], "on_time_rate": [0.9]})
    fig = charts.monthly_trend(monthly, "on_time_rate")
    style.figure_to_png_bytes(fig)
    assert dict(mpl.rcParams) == before


def test_chart_style_context_and_use_style():
    with style.chart_style():
        assert mpl.rcParams["font.family"] == ["DejaVu Sans"]
        assert mpl.rcParams["text.parse_math"] is False
    with mpl.rc_context():
        style.use_style()
        assert mpl.rcParams["figure.figsize"] == [7.5, 4.0]


def test_figure_fonts_and_size_follow_the_style():
    monthly = pd.DataFrame({"month": ["2025-01"], "on_time_rate": [0.9]})
    fig = charts.monthly_trend(monthly, "on_time_rate")
    assert fig.get_figwidth() == pytest.approx(7.5)
    assert fig.get_dpi() == 100
    families = {tuple(t.get_fontfamily()) for t in style.figure_texts(fig)}
    assert families == {("DejaVu Sans",)}


def test_texts_are_nfc_even_from_nfd_input():
    nfd_title = unicodedata.normalize("NFD", "Tỷ lệ hồ sơ đúng hạn")
    monthly = pd.DataFrame({"month": ["2025-01"], "on_time_rate": [0.9]})
    fig = charts.monthly_trend(monthly, "on_time_rate", title=nfd_title)
    assert fig.get_suptitle() == "Tỷ lệ hồ sơ đúng hạn"
    for text in _texts(fig):
        assert unicodedata.is_normalized("NFC", text)


def test_missing_columns_raise_parameter_error_in_vietnamese():
    with pytest.raises(ParameterError, match="thiếu cột: on_time_rate"):
        charts.monthly_trend(pd.DataFrame({"month": ["2025-01"]}), "on_time_rate")


def test_dollar_signs_are_drawn_as_text_not_math():
    monthly = pd.DataFrame({"month": ["2025-01"], "on_time_rate": [0.9]})
    fig = charts.monthly_trend(monthly, "on_time_rate", title="Phí $5$ và $x^2$")
    style.figure_to_png_bytes(fig)
    assert fig.get_suptitle() == "Phí $5$ và $x^2$"


# --- monthly trends -------------------------------------------------------------------


def test_monthly_trend_single_series_with_target():
    monthly = pd.DataFrame(
        {
            "month": ["2025-03", "2025-01", "2025-02"],
            "full_online_share": [0.5, 0.25, np.nan],
        }
    )
    fig = charts.monthly_trend(monthly, "full_online_share", target=0.8)
    ax = fig.axes[0]
    (line,) = _lines(fig, "series:full_online_share")
    assert list(line.get_xdata()) == [0, 1, 2]
    ydata = line.get_ydata()
    assert ydata[0] == 0.25 and np.isnan(ydata[1]) and ydata[2] == 0.5  # sorted by month
    (target,) = _lines(fig, "target")
    assert list(target.get_ydata()) == [0.8, 0.8]
    assert target.get_label() == "Chỉ tiêu 80%"
    assert fig.get_suptitle() == "Tỷ lệ hồ sơ xử lý hoàn toàn trực tuyến"
    assert ax.get_ylabel() == "Tỷ lệ"
    assert ax.get_xlabel() == "Tháng (năm 2025)"
    assert _ticks(ax.get_xticklabels()) == ["T1", "T2", "T3"]
    assert _ticks(ax.get_yticklabels()) == ["0%", "20%", "40%", "60%", "80%", "100%"]
    texts = _texts(fig)
    assert "25%" in texts and "50%" in texts  # values written above the points
    assert "Chỉ tiêu 80%" in texts  # legend entry


def test_monthly_trend_several_series_with_a_target_each():
    monthly = pd.DataFrame(
        {
            "month": ["2024-12", "2025-01"],
            "on_time_rate": [0.95, 1.0],
            "full_online_share": [0.3, 0.4],
            "digitisation_rate": [0.6, np.nan],
        }
    )
    fig = charts.monthly_trend(
        monthly,
        ["on_time_rate", "full_online_share", "digitisation_rate"],
        target={"on_time_rate": 1.0, "full_online_share": 0.8},
        title="Các tỷ lệ chính",
    )
    ax = fig.axes[0]
    for column, values in {
        "on_time_rate": [0.95, 1.0],
        "full_online_share": [0.3, 0.4],
    }.items():
        (line,) = _lines(fig, f"series:{column}")
        assert list(line.get_ydata()) == values
    assert len(_lines(fig, "series:digitisation_rate")) == 1
    targets = sorted(line.get_ydata()[0] for line in _lines(fig, "target"))
    assert targets == [0.8, 1.0]
    assert _ticks(ax.get_xticklabels()) == ["12/2024", "01/2025"]
    assert ax.get_xlabel() == "Tháng"
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn" in legend  # as in the tables
    assert "Chỉ tiêu tỷ lệ hồ sơ xử lý hoàn toàn trực tuyến: 80%" in legend
    # no values written on points when there are several series
    assert "95%" not in _texts(fig)


def test_monthly_trend_without_data_says_so():
    monthly = pd.DataFrame({"month": ["2025-01"], "on_time_rate": [np.nan]})
    fig = charts.monthly_trend(monthly, "on_time_rate")
    assert "Chưa có dữ liệu" in _texts(fig)
    assert _lines(fig, "target") == []


# --- plan timeline --------------------------------------------------------------------


def _tasks() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "task_id": ["IX.1", "I.2", "II.1", "I.1", "V.1"],
            "section_id": ["IX", "I", "II", "I", "V"],
            "cadence": ["deadline", "monthly", "on_request", "ongoing", "quarterly"],
            "deadline": pd.to_datetime(["2025-12-31", None, None, None, None]),
            "status": ["not_due", "behind", "not_triggered", "on_track", "done_on_time"],
            "content_short": [
                "Dịch vụ công trực tuyến toàn trình",
                "Theo dõi chỉ tiêu",
                "",
                "",
                "",
            ],
        }
    )


def test_plan_timeline_rows_colours_deadlines_and_as_of():
    fig = charts.plan_timeline(_tasks(), 2025, as_of=date(2025, 6, 30))
    ax = fig.axes[0]
    labels = _ticks(ax.get_yticklabels())
    assert [label.split()[0] for label in labels] == ["I.1", "I.2", "II.1", "V.1", "IX.1"]
    assert labels[1] == "I.2  Theo dõi chỉ tiêu"
    bars = _patches(ax, "task:")
    assert len(bars) == 5
    for task_id, status in [("I.1", "on_track"), ("I.2", "behind"), ("IX.1", "not_due")]:
        assert to_hex(bars[f"task:{task_id}"].get_facecolor()) == STATUSES[status].colour
    jan1, dec31 = date2num(pd.Timestamp(2025, 1, 1)), date2num(pd.Timestamp(2025, 12, 31))
    assert bars["task:I.1"].get_x() == pytest.approx(jan1)
    assert bars["task:I.1"].get_width() == pytest.approx(dec31 - jan1)
    assert bars["task:II.1"].get_hatch() == "////"  # on request
    (deadline,) = _lines(fig, "deadline:IX.1")
    assert list(deadline.get_xdata()) == [pytest.approx(dec31)]
    assert "31/12/2025" in _texts(fig)
    (monthly_ticks,) = _lines(fig, "cadence:I.2")
    assert len(monthly_ticks.get_xdata()) == 11
    (quarterly_ticks,) = _lines(fig, "cadence:V.1")
    assert len(quarterly_ticks.get_xdata()) == 3
    (as_of,) = _lines(fig, "as_of")
    assert list(as_of.get_xdata()) == [pytest.approx(date2num(pd.Timestamp(2025, 6, 30)))] * 2
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == [
        "Chậm tiến độ / thiếu kỳ",
        "Chưa đến hạn",
        "Chưa phát sinh",
        "Đúng tiến độ",
        "Hoàn thành đúng hạn",
        "Hạn hoàn thành",
        "Ngày chốt 30/06/2025",
    ]
    assert _ticks(ax.get_xticklabels()) == [f"T{m}" for m in range(1, 13)]
    assert ax.get_xlabel() == "Năm 2025"
    assert fig.get_suptitle() == "Tiến độ thực hiện kế hoạch năm 2025 theo nhiệm vụ"


def test_plan_timeline_without_content_or_as_of():
    fig = charts.plan_timeline(_tasks(), 2025, with_content=False)
    assert _ticks(fig.axes[0].get_yticklabels()) == ["I.1", "I.2", "II.1", "V.1", "IX.1"]
    assert _lines(fig, "as_of") == []


def test_roman_numerals_and_task_order():
    from tthc_analysis.charts.plan_charts import roman_value, task_sort_key

    assert [roman_value(r) for r in ["I", "IV", "V", "IX", "X", "XIV", "abc"]] == [
        1,
        4,
        5,
        9,
        10,
        14,
        0,
    ]
    ids = ["IX.1", "II.10", "II.2", "I.1", "bad"]
    assert sorted(ids, key=task_sort_key) == ["I.1", "II.2", "II.10", "IX.1", "bad"]


# --- section progress -----------------------------------------------------------------


def test_section_progress_bars_labels_and_target():
    sections = pd.DataFrame(
        {
            "section_id": ["IX", "I", "II"],
            "section_title": ["Dịch vụ công trực tuyến", "Nhiệm vụ chung", "Kiểm soát quy định"],
            "progress_share": [0.0, 0.5, 1.0],
            "status": ["below_target", "behind", "achieved"],
        }
    )
    fig = charts.section_progress(sections, target=1.0)
    ax = fig.axes[0]
    assert _ticks(ax.get_yticklabels()) == [
        "I. Nhiệm vụ chung",
        "II. Kiểm soát quy định",
        "IX. Dịch vụ công trực tuyến",
    ]
    bars = _patches(ax, "section:")
    assert bars["section:I"].get_width() == 0.5
    assert bars["section:II"].get_width() == 1.0
    assert bars["section:IX"].get_width() == 0.0
    assert to_hex(bars["section:I"].get_facecolor()) == STATUSES["behind"].colour
    assert to_hex(bars["section:II"].get_facecolor()) == STATUSES["achieved"].colour
    texts = _texts(fig)
    assert "50% · Chậm tiến độ / thiếu kỳ" in texts
    assert "100% · Đạt chỉ tiêu" in texts
    (target,) = _lines(fig, "target")
    assert list(target.get_xdata()) == [1.0, 1.0]
    assert _ticks(ax.get_xticklabels()) == ["0%", "20%", "40%", "60%", "80%", "100%"]


# --- indicators against targets -------------------------------------------------------


def test_indicator_vs_target_bars_targets_and_colours():
    indicators = pd.DataFrame(
        {
            "name_vi": ["Tỷ lệ toàn trình", "Tỷ lệ đúng hạn", "Số hồ sơ quá hạn"],
            "value": [0.62, 1.0, 3.0],
            "target": [0.8, 1.0, 2.0],
            "unit": ["rate", "rate", "count"],
            "direction": ["min", "min", "max"],
        }
    )
    fig = charts.indicator_vs_target(indicators)
    assert len(fig.axes) == 3
    values = [ax.patches[1].get_width() for ax in fig.axes]
    assert values == [0.62, 1.0, 3.0]
    colours = [to_hex(ax.patches[1].get_facecolor()) for ax in fig.axes]
    assert colours == [
        STATUSES["behind"].colour,  # 62% < 80%
        STATUSES["achieved"].colour,  # 100% >= 100%
        STATUSES["behind"].colour,  # 3 > at most 2
    ]
    targets = [[line.get_xdata()[0] for line in _lines(ax, "target")] for ax in fig.axes]
    assert targets == [[0.8], [1.0], [2.0]]
    texts = _texts(fig)
    assert "62,0%\nchỉ tiêu 80%" in texts
    assert "3\nchỉ tiêu 2" in texts
    assert _ticks(fig.axes[2].get_xticklabels())[:4] == ["0", "1", "2", "3"]
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["Đạt chỉ tiêu", "Chưa đạt chỉ tiêu", "Chỉ tiêu"]


def test_indicator_met_column_wins_and_missing_target_is_grey():
    indicators = pd.DataFrame(
        {
            "name_vi": ["A", "B"],
            "value": [0.5, 0.5],
            "target": [0.8, np.nan],
            "unit": ["rate", "rate"],
            "met": [True, pd.NA],
        }
    )
    fig = charts.indicator_vs_target(indicators)
    colours = [to_hex(ax.patches[1].get_facecolor()) for ax in fig.axes]
    assert colours == [STATUSES["achieved"].colour, STATUSES["no_data"].colour]
    assert _lines(fig.axes[1], "target") == []


# --- unit x month heat map ------------------------------------------------------------


def _heat() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "unit": ["Văn phòng", "Đoàn kiểm tra", "Dự án A", "Văn phòng", "Dự án A"],
            "month": ["2025-01", "2025-01", "2025-02", "2025-02", "2025-01"],
            "on_time_rate": [0.85, 1.0, 0.5, 0.95, 0.7],
        }
    )


def test_heatmap_grid_order_annotations_and_target():
    fig = charts.unit_month_heatmap(_heat(), "on_time_rate", target=0.9)
    ax = fig.axes[0]
    # Vietnamese order: d < đ < v (code-point order would put Đ after V)
    assert _ticks(ax.get_yticklabels()) == ["Dự án A", "Đoàn kiểm tra", "Văn phòng"]
    assert _ticks(ax.get_xticklabels()) == ["T1", "T2"]
    (image,) = ax.get_images()
    grid = np.ma.filled(image.get_array(), np.nan)
    expected = np.array([[0.7, 0.5], [1.0, np.nan], [0.85, 0.95]])
    np.testing.assert_array_equal(grid, expected)
    cells = [t.get_text() for t in ax.texts]
    assert cells == ["70%", "50%", "100%", "–", "85%", "95%"]
    colorbar_ax = fig.axes[1]
    (target,) = _lines(colorbar_ax, "target")
    assert list(target.get_ydata()) == [0.9, 0.9]
    assert _ticks(colorbar_ax.get_yticklabels()) == ["0%", "20%", "40%", "60%", "80%", "100%"]
    below = image.cmap(image.norm(0.85))
    above = image.cmap(image.norm(0.95))
    assert below[0] > below[2]  # red side
    assert above[2] > above[0]  # blue side
    assert fig.get_suptitle() == "Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn theo đơn vị và tháng"


def test_heatmap_without_target_is_sequential_and_duplicates_raise():
    fig = charts.unit_month_heatmap(_heat(), "on_time_rate")
    assert _lines(fig, "target") == []
    doubled = pd.concat([_heat(), _heat().head(1)])
    with pytest.raises(ParameterError, match="nhiều dòng"):
        charts.unit_month_heatmap(doubled, "on_time_rate")


# --- form 06 --------------------------------------------------------------------------


def _form06() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "stt": ["1", "2", ""],
            "field": ["Văn bằng, chứng chỉ", "Thi, tuyển sinh", "Tổng cộng"],
            "finished_early": [1000, 3, 1003],
            "finished_on_time": [150, 2, 152],
            "finished_overdue": [10, 1, 11],
            "pending_in_time": [20, 0, 20],
            "pending_overdue": [5, 0, 5],
        }
    )


def test_form06_breakdown_stacks_outcomes_and_drops_total_row():
    fig = charts.form06_breakdown(_form06())
    ax = fig.axes[0]
    assert _ticks(ax.get_yticklabels()) == ["Văn bằng, chứng chỉ", "Thi, tuyển sinh"]
    segments = _patches(ax, "")
    assert len(segments) == 10  # 2 fields x 5 outcomes, no total row
    early = segments["finished_early:Văn bằng, chứng chỉ"]
    on_time = segments["finished_on_time:Văn bằng, chứng chỉ"]
    assert (early.get_x(), early.get_width()) == (0, 1000)
    assert (on_time.get_x(), on_time.get_width()) == (1000, 150)
    overdue = segments["finished_overdue:Thi, tuyển sinh"]
    assert (overdue.get_x(), overdue.get_width()) == (5, 1)
    totals = [t.get_text() for t in ax.texts if t.get_gid() == "total"]
    assert totals == ["1.185", "6"]
    assert ax.get_xlabel() == "Số hồ sơ (tổng cộng: 1.191 hồ sơ)"
    assert "1.000" in _ticks(ax.get_xticklabels())
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == [
        "Đã giải quyết trước hạn",
        "Đã giải quyết đúng hạn",
        "Đã giải quyết quá hạn",
        "Đang giải quyết trong hạn",
        "Đang giải quyết quá hạn",
    ]


# --- 766 ------------------------------------------------------------------------------

_MAX = {"CKMB": 18, "TDGQ": 20, "CLGQ": 12, "TTTT": 10, "MDSH": 22, "MDHL": 18}


def _scores() -> pd.DataFrame:
    rows = []
    jan = {"CKMB": 16, "TDGQ": 18, "CLGQ": 10, "TTTT": 8, "MDSH": 20, "MDHL": 15}  # 87
    feb = {"CKMB": 17, "TDGQ": 19, "CLGQ": 11, "TTTT": 9, "MDSH": 21, "MDHL": 16}  # 93
    for period, scores in (("2025-01", jan), ("2025-02", feb)):
        for code, score in scores.items():
            rows.append((period, code, score, _MAX[code]))
    rows.append(("2025-03", "CKMB", 17.5, 18))  # incomplete month: no total
    rows.append(("2025-04", "TONG", 88.5, 100))  # published total only
    rows.append(("2025-02", "TONG", 95.0, 100))  # the groups' sum (93) wins
    return pd.DataFrame(rows, columns=["period", "group_code", "score", "max_score"])


def test_index766_totals_by_hand():
    totals = charts.index766_totals(_scores())
    assert totals["period"].tolist() == ["2025-01", "2025-02", "2025-03", "2025-04"]
    values = totals["total"].tolist()
    assert values[:2] == [87.0, 93.0]
    assert np.isnan(values[2])
    assert values[3] == 88.5


def test_index766_trend_bars_target_and_reference():
    fig = charts.index766_trend(_scores(), target=90, reference=80)
    ax = fig.axes[0]
    bars = _patches(ax, "total:")
    assert bars["total:2025-01"].get_height() == 87
    assert bars["total:2025-02"].get_height() == 93
    assert bars["total:2025-03"].get_height() == 0
    (target,) = _lines(fig, "target")
    assert list(target.get_ydata()) == [90, 90]
    (reference,) = _lines(fig, "reference")
    assert list(reference.get_ydata()) == [80, 80]
    texts = _texts(fig)
    assert {"87", "93", "–", "88,5"} <= set(texts)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["Chỉ tiêu 90 điểm", "Trung bình năm trước: 80 điểm", "Tổng điểm"]
    assert ax.get_ylabel() == "Điểm (tối đa 100)"
    assert _ticks(ax.get_yticklabels()) == ["0", "20", "40", "60", "80", "100"]


def test_index766_trend_accepts_a_wide_frame():
    wide = pd.DataFrame({"period": ["2025-02", "2025-01"], "total": [80.25, 70.0]})
    fig = charts.index766_trend(wide)
    bars = _patches(fig.axes[0], "total:")
    assert bars["total:2025-01"].get_height() == 70.0
    assert bars["total:2025-02"].get_height() == 80.25
    assert _lines(fig, "target") == []


def test_index766_groups_six_view():
    fig = charts.index766_groups(_scores(), "6", targets={"MDHL": 15})
    axes = [ax for ax in fig.axes if ax.get_visible() and ax.axison]
    assert len(axes) == 6
    titles = [ax.get_title(loc="left") for ax in axes]
    assert titles[0] == "Công khai, minh bạch\n17,5/18 điểm (03/2025)"
    assert titles[3].startswith("Thanh toán trực tuyến\n9/10 điểm")
    ckmb = _patches(axes[0], "score:CKMB:")
    assert [ckmb[f"score:CKMB:2025-0{m}"].get_height() for m in (1, 2, 3)] == [16, 17, 17.5]
    (maximum,) = _lines(axes[0], "max_score")
    assert list(maximum.get_ydata()) == [18, 18]
    (target,) = _lines(axes[5], "target")
    assert list(target.get_ydata()) == [15, 15]
    assert _ticks(axes[3].get_xticklabels()) == ["1", "2", "3"]
    assert fig.get_suptitle() == "Điểm các nhóm chỉ số 766 theo tháng năm 2025 (6 nhóm)"


def test_index766_groups_five_view_combines_online_groups():
    fig = charts.index766_groups(_scores(), "5")
    axes = [ax for ax in fig.axes if ax.axison]
    assert len(axes) == 5
    assert axes[2].get_title(loc="left").startswith("Cung cấp dịch vụ trực tuyến\n20/22 điểm")
    dvtt = _patches(axes[2], "score:DVTT:")
    assert dvtt["score:DVTT:2025-01"].get_height() == 18  # 10 + 8
    assert dvtt["score:DVTT:2025-02"].get_height() == 20  # 11 + 9
    (maximum,) = _lines(axes[2], "max_score")
    assert list(maximum.get_ydata()) == [22, 22]


def test_index766_rejects_several_units_and_bad_view():
    scores = _scores().assign(unit=["Sở GD&ĐT"] * 14 + ["Sở Y tế"])
    with pytest.raises(ParameterError, match="nhiều đơn vị"):
        charts.index766_groups(scores)
    with pytest.raises(ParameterError, match="không hợp lệ"):
        charts.index766_groups(_scores(), "7")


def test_index766_groups_legend_and_month_labels_of_the_five_view():
    fig = charts.index766_groups(_scores(), "5", targets={"MDHL": 15})
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["Điểm tối đa của nhóm", "Chỉ tiêu của nhóm"]
    third = fig.axes[2]  # top right: no panel below it, so it shows the months itself
    assert [t.get_text() for t in third.get_xticklabels() if t.get_visible()] == ["1", "2", "3"]


# --- evidence per period against the cadence -------------------------------------------


def _evidence_periods() -> pd.DataFrame:
    """Two tasks over four quarters, as ``evidence.evidence_by_period`` returns them."""
    quarters = [f"2025-Q{q}" for q in range(1, 5)]
    starts = pd.to_datetime(["2025-01-01", "2025-04-01", "2025-07-01", "2025-10-01"])
    ends = pd.to_datetime(["2025-03-31", "2025-06-30", "2025-09-30", "2025-12-31"])
    return pd.DataFrame(
        {
            "task_id": ["B.1"] * 4 + ["B.2"] * 4 + ["B.3"] * 4,
            "evidence_cadence": ["ongoing"] * 4 + ["deadline"] * 4 + ["on_request"] * 4,
            "deadline": [pd.NaT] * 4 + [pd.Timestamp("2025-06-30")] * 4 + [pd.NaT] * 4,
            "period": quarters * 3,
            "period_label": ["Quý I/2025", "Quý II/2025", "Quý III/2025", "Quý IV/2025"] * 3,
            "period_start": list(starts) * 3,
            "period_end": list(ends) * 3,
            "n_evidence": [2, 0, 1, 0, 0, 1, 0, 0, 0, 0, 1, 0],
            "n_required": [1.0] * 4 + [np.nan, 1.0, np.nan, np.nan] + [np.nan] * 4,
            "is_deadline_period": [False] * 5 + [True] + [False] * 6,
            "is_missing": [False, True, False, False] + [False] * 8,
            "is_future": [False, False, False, True] * 3,
        }
    )


def test_evidence_vs_cadence_bars_requirements_missing_and_future():
    fig = charts.evidence_vs_cadence(
        _evidence_periods(), title="Phần B: minh chứng theo quý", as_of=date(2025, 9, 30)
    )
    ax = fig.axes[0]
    assert fig._suptitle.get_text() == "Phần B: minh chứng theo quý"
    assert ax.get_ylabel() == "Số minh chứng"
    assert ax.get_xlabel() == "Quý (năm 2025)"
    assert _ticks(ax.get_xticklabels()) == ["Quý I", "Quý II", "Quý III", "Quý IV"]
    bars = _patches(ax, "evidence:")
    heights = {gid: p.get_height() for gid, p in bars.items()}
    assert heights["evidence:B.1:2025-Q1"] == 2
    assert heights["evidence:B.1:2025-Q3"] == 1
    assert heights["evidence:B.2:2025-Q2"] == 1
    assert heights["evidence:B.3:2025-Q3"] == 1
    assert sum(heights.values()) == 5 and len(heights) == 12
    # Required counts: dashes over B.1's four bars at 1, over B.2's Q2 bar at 1, none for B.3.
    targets = _lines(fig, "target")
    assert len(targets) == 2
    ys = [sorted({y for y in line.get_ydata() if y == y}) for line in targets]
    assert ys == [[1.0], [1.0]]
    assert sum(1 for y in targets[0].get_ydata() if y == y) == 8  # 4 dashes of 2 points
    assert sum(1 for y in targets[1].get_ydata() if y == y) == 2
    # B.1 lacks evidence in Q2: a hatched red frame of the required height.
    missing = _patches(ax, "missing:")
    assert list(missing) == ["missing:B.1:2025-Q2"]
    assert missing["missing:B.1:2025-Q2"].get_hatch() == "///"
    assert missing["missing:B.1:2025-Q2"].get_height() == 1.0
    # The deadline 30/06 is at the end of Q2's slot (x from 0,5 to 1,5).
    deadline = _lines(fig, "deadline")
    assert len(deadline) == 1
    assert deadline[0].get_xdata()[0] == pytest.approx(1.5, abs=0.01)
    assert len(_patches(ax, "future")) == 1  # Q4 after 30/09 greyed
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == [
        "B.1: yêu cầu 1 minh chứng/quý",
        "B.2: yêu cầu 1 kết quả trước hạn 30/06/2025",
        "B.3: không có yêu cầu định kỳ",
        "Hạn hoàn thành 30/06/2025",
        "Số minh chứng phải có trong kỳ",
        "Thiếu minh chứng phải có (hoặc có nhưng trễ hạn)",
        "Sau ngày chốt số liệu 30/09/2025",
    ]


def test_evidence_vs_cadence_months_and_empty():
    frame = _evidence_periods()
    months = frame.loc[frame["task_id"] == "B.1"].assign(
        period=["2025-01", "2025-02", "2025-03", "2025-04"],
        period_label=["01/2025", "02/2025", "03/2025", "04/2025"],
    )
    fig = charts.evidence_vs_cadence(months)
    assert _ticks(fig.axes[0].get_xticklabels()) == ["T1", "T2", "T3", "T4"]
    assert fig.axes[0].get_xlabel() == "Tháng (năm 2025)"
    empty = charts.evidence_vs_cadence(frame.iloc[0:0])
    assert "Không có nhiệm vụ cần minh chứng" in _texts(empty)
    with pytest.raises(ParameterError):
        charts.evidence_vs_cadence(frame.drop(columns="n_required"))


def test_period_totals_values_and_no_target_legend():
    table = pd.DataFrame(
        {"quarter": ["Quý I/2025", "Quý II/2025", "Quý III/2025"], "participants": [6, 12, 1500]}
    )
    fig = charts.period_totals(table, "participants", "Số người tham dự", title="Tham dự")
    ax = fig.axes[0]
    assert [p.get_height() for p in ax.patches if p.get_gid() == "value"] == [6, 12, 1500]
    texts = _texts(fig)
    assert {"6", "12", "1.500"} <= set(texts)
    assert _ticks(ax.get_xticklabels()) == ["Quý I", "Quý II", "Quý III"]
    assert ax.get_xlabel() == "Quý (năm 2025)"
    assert ax.get_ylabel() == "Số người tham dự"
    assert _lines(fig, "target") == []
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["Số người tham dự", "Chỉ tiêu: không quy định"]


def test_indicator_without_target_says_none_is_set():
    indicators = pd.DataFrame(
        {"name_vi": ["Số lượt tập huấn"], "value": [4.0], "target": [np.nan], "unit": ["count"]}
    )
    fig = charts.indicator_vs_target(indicators)
    assert fig.axes[0].patches[1].get_width() == 4.0
    assert _lines(fig, "target") == []
    assert "4\nchỉ tiêu: không quy định" in _texts(fig)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["Chỉ để theo dõi (chỉ tiêu: không quy định)"]
