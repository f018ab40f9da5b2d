"""Tables and page fragments shown in notebooks and reports (tthc_analysis.views.display)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tthc_analysis.review.export import external_references
from tthc_analysis.views import display as tv

XSS = "<script>alert('x')</script>"
IMG = "<img src=x onerror=alert(1)>"


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "dossier_id": ["HS-1", "HS-2"],
            "channel": ["online", "in_person"],
            "applicant_name": ["Nguyễn Văn Bí Mật", "Trần Thị Riêng"],
            "applicant_id_number": ["079123456789", "079987654321"],
            "content": [XSS, IMG],
            "n_received": [1234, 5],
            "avg_processing_wd": [1234.5, float("nan")],
            "on_time_rate": [0.853, float("nan")],
            "received_at": pd.to_datetime(["2025-01-02 00:00", "2025-03-04 10:30"]),
            "has_apology": [True, False],
        }
    )


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def test_drop_personal_removes_personal_columns_only():
    shown = tv.drop_personal(_frame())
    assert "applicant_name" not in shown.columns
    assert "applicant_id_number" not in shown.columns
    assert list(shown.columns)[:2] == ["dossier_id", "channel"]
    assert "applicant_name" in tv.drop_personal(_frame(), show_personal=True).columns


def test_static_table_escapes_and_formats_the_vietnamese_way():
    page = tv.static_table_html(_frame(), caption="Bảng <b>thử</b>")
    parser = _Tags()
    parser.feed(page)
    assert set(parser.tags) <= {"table", "caption", "thead", "tbody", "tr", "th", "td"}
    text = "".join(parser.text)
    assert XSS in text and IMG in text  # shown as text
    assert "Bảng <b>thử</b>" in text
    for expected in ("1.234", "1.234,5", "85,3%", "02/01/2025", "04/03/2025 10:30", "–"):
        assert expected in text
    assert "Trực tuyến" in text and "Trực tiếp" in text  # codes shown with their labels
    assert "Có" in text and "Không" in text
    assert "Mã hồ sơ" in text and "Kênh nộp" in text  # headers from the field dictionary
    assert "Bí Mật" not in page and "079123456789" not in page


def test_interactive_table_is_escaped_offline_and_without_personal_data():
    tv.reset_ids()
    page = tv.table_html(_frame(), "Hồ sơ quá hạn", caption="Hồ sơ <i>quá hạn</i>")
    assert 'id="tbl-ho-so-qua-han"' in page
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "Bí Mật" not in page and "079123456789" not in page
    assert "Hồ sơ &lt;i&gt;quá hạn&lt;/i&gt;" in page
    assert "itables.org" not in page
    assert external_references(page) == []
    data = json.loads(re.search(r'"data_json": ("(?:[^"\\]|\\.)*")', page).group(1))
    rows = json.loads(data)
    assert rows[0][0] == "HS-1"
    assert rows[0][2] == "&lt;script&gt;alert('x')&lt;/script&gt;"
    assert rows[0][3] == 1234  # numbers stay numbers (sorted numerically)
    assert rows[0][6] == "2025-01-02 00:00"  # ISO text (the column has times), shown dd/mm/yyyy


def test_table_ids_are_stable_and_unique_per_page():
    frame = pd.DataFrame({"unit": ["Văn phòng Sở"], "n_received": [3]})
    tv.reset_ids()
    first = [tv.table_html(frame, "bảng"), tv.table_html(frame, "bảng"), tv.table_html(frame)]
    tv.reset_ids()
    second = [tv.table_html(frame, "bảng"), tv.table_html(frame, "bảng"), tv.table_html(frame)]
    assert first == second
    assert 'id="tbl-bang"' in first[0]
    assert 'id="tbl-bang-2"' in first[1]
    assert 'id="tbl-003"' in first[2]


def test_long_tables_are_paged_and_cut_with_a_note():
    frame = pd.DataFrame({"dossier_id": [f"HS-{i}" for i in range(30)]})
    tv.reset_ids()
    paged = tv.table_html(frame, "dai")
    assert '"paging": true' in paged and '"pageLength": 20' in paged
    short = tv.table_html(frame.head(5), "ngan")
    assert '"paging": false' in short
    cut = tv.table_html(frame, "cat", max_rows=10)
    assert "Bảng có 30 dòng; chỉ hiển thị 10 dòng đầu." in cut


def test_itables_bundle_is_inline_and_loads_nothing_from_outside():
    bundle = tv.itables_bundle_html()
    assert 'import * as bundle from "data:text/javascript;base64,' in bundle
    assert "window._itables_" in bundle
    assert external_references(bundle) == []


def test_status_badge_uses_the_status_vocabulary():
    badge = tv.status_badge("overdue")
    assert "Quá hạn" in badge and "#b2182b" in badge and "color:#ffffff" in badge
    light = tv.status_badge("not_due")
    assert "Chưa đến hạn" in light and "color:#1a1a1a" in light
    assert "&lt;b&gt;" in tv.status_badge("unknown", "<b>")
    assert "#e0e0e0" in tv.badge("x", colour="red;background:url(x)")


def test_heading_and_note_escape_their_text():
    assert tv.heading("Mục <I>", 2) == '<h2 id="muc-i">Mục &lt;I&gt;</h2>'
    assert tv.note("a < b", "danger") == '<div class="tthc-note tthc-note-danger">a &lt; b</div>'


@pytest.mark.parametrize(
    ("value", "key", "expected"),
    [
        (0.853, "on_time_rate", "85,3%"),
        (1234, "n_received", "1.234"),
        (1234.56, "avg_processing_wd", "1.234,6"),
        (90.86, "index766_latest_total", "90,86"),  # 766 scores as published
        (90.0, "total", "90"),
        (float("nan"), "x", "–"),
        (None, "x", "–"),
        (True, "x", "Có"),
        (pd.Timestamp("2025-12-31"), "x", "31/12/2025"),
    ],
)
def test_format_value(value, key, expected):
    assert tv.format_value(value, key) == expected


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=30), min_size=1, max_size=5))
def test_static_table_never_lets_cell_text_become_markup(texts):
    page = tv.static_table_html(pd.DataFrame({"content": texts}))
    parser = _Tags()
    parser.feed(page)
    parser.close()
    assert set(parser.tags) <= {"table", "thead", "tbody", "tr", "th", "td"}


def test_filtered_and_grouped_frames_keep_their_rows():
    frame = pd.DataFrame({"task_id": ["I.1", "II.1", "II.2"], "n_received": [1, 2, 3]})
    subset = frame[frame["task_id"].str.startswith("II")]  # index 1, 2
    shown, _ = tv.display_frame(subset)
    assert shown["Mã nhiệm vụ"].tolist() == ["II.1", "II.2"]
    assert shown["Số hồ sơ tiếp nhận"].tolist() == [2.0, 3.0]
    grouped = frame.set_index("task_id")
    shown, _ = tv.display_frame(grouped)
    assert shown.columns.tolist() == ["Mã nhiệm vụ", "Số hồ sơ tiếp nhận"]


# --- filtered frames: rows stay aligned whatever the index ------------------------------------


def _three() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "x": [1, 2, 3, 2, 5, 6],
            "on_time_rate": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6],
            "received_at": pd.to_datetime([f"2025-01-0{i}" for i in range(1, 7)]),
            "channel": ["online", "post", "in_person", "post", "online", "in_person"],
            "flag": pd.array([True, False, None, True, False, True], dtype="boolean"),
            "overdue_reason": pd.Series(["a", None, "c", "d", None, "f"], dtype="str"),
        }
    )


@pytest.mark.parametrize(
    ("select", "rows"),
    [
        (lambda df: df.iloc[::2], [0, 2, 4]),  # RangeIndex with step 2
        (lambda df: df[df["x"] != 2], [0, 2, 4, 5]),  # filtered: index 0, 2, 4, 5
        (lambda df: df.iloc[::-1], [5, 4, 3, 2, 1, 0]),  # reversed RangeIndex
        (lambda df: df.set_axis([7, 7, 3, 3, 1, 1]).iloc[1:4], [1, 2, 3]),  # repeated labels
        (lambda df: df.sort_values("x", ascending=False), [5, 4, 2, 1, 3, 0]),
    ],
)
def test_filtered_frames_are_shown_row_by_row(select, rows):
    frame = _three()
    shown, kinds = tv.display_frame(select(frame))
    assert shown.index.equals(pd.RangeIndex(len(rows)))
    assert shown["x"].tolist() == [float(frame["x"][i]) for i in rows]
    rate = "Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn"
    assert shown[rate].tolist() == [frame["on_time_rate"][i] for i in rows]
    assert shown["Ngày tiếp nhận"].tolist() == [f"2025-01-0{i + 1}" for i in rows]
    labels = {"online": "Trực tuyến", "post": "Bưu chính", "in_person": "Trực tiếp"}
    assert shown["Kênh nộp"].tolist() == [labels[frame["channel"][i]] for i in rows]
    flags = {0: "Có", 1: "Không", 2: None, 3: "Có", 4: "Không", 5: "Có"}
    assert shown["flag"].tolist() == [flags[i] for i in rows]
    reasons = {0: "a", 1: None, 2: "c", 3: "d", 4: None, 5: "f"}
    assert shown["Lý do quá hạn"].tolist() == [reasons[i] for i in rows]
    assert kinds[rate] == "rate" and kinds["Ngày tiếp nhận"] == "date"


def test_static_table_of_a_stepped_frame_has_no_nan_and_no_shifted_cell():
    page = tv.static_table_html(_three().iloc[1::2])  # rows 1, 3, 5
    parser = _Tags()
    parser.feed(page)
    cells = [t for t in parser.text if t.strip()]
    body = cells[cells.index("Lý do quá hạn") + 1 :]
    assert body == [
        "2", "20,0%", "02/01/2025", "Bưu chính", "Không", "–",
        "2", "40,0%", "04/01/2025", "Bưu chính", "Có", "d",
        "6", "60,0%", "06/01/2025", "Trực tiếp", "Có", "f",
    ]  # fmt: skip
    assert ">nan<" not in page and ">None<" not in page


def test_named_index_becomes_a_column_unless_the_frame_already_has_it():
    frame = pd.DataFrame({"unit": ["A", "B"], "n_received": [3, 4]})
    shown, _ = tv.display_frame(frame.set_index("unit", drop=False))  # index "unit" and column
    assert shown.columns.tolist() == ["Đơn vị xử lý", "Số hồ sơ tiếp nhận"]
    assert shown["Đơn vị xử lý"].tolist() == ["A", "B"]
    multi = frame.assign(month=["2025-01", "2025-02"]).set_index(["unit", "month"])
    shown, _ = tv.display_frame(multi.iloc[::-1])
    assert shown.columns.tolist() == ["Đơn vị xử lý", "Tháng", "Số hồ sơ tiếp nhận"]
    assert shown.values.tolist() == [["B", "2025-02", 4.0], ["A", "2025-01", 3.0]]


def test_duplicate_column_names_are_read_by_position():
    frame = pd.DataFrame([[1, 2], [3, 4]], columns=["n_received", "n_received"]).iloc[::-1]
    shown, _ = tv.display_frame(frame)
    assert shown.values.tolist() == [[3.0, 4.0], [1.0, 2.0]]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(-5, 5), min_size=1, max_size=12), st.data())
def test_any_subset_of_rows_keeps_its_values_in_order(values, data):
    frame = pd.DataFrame({"n": values, "label": [f"r{i}" for i in range(len(values))]})
    keep = data.draw(st.lists(st.sampled_from(range(len(values))), unique=True))
    subset = frame.iloc[keep]
    shown, _ = tv.display_frame(subset)
    assert shown.iloc[:, 0].tolist() == [float(values[i]) for i in keep]
    assert shown.iloc[:, 1].tolist() == [f"r{i}" for i in keep]


# --- the same column in different datasets ----------------------------------------------------


def _cells(page: str) -> list[str]:
    parser = _Tags()
    parser.feed(page)
    return [t for t in parser.text if t.strip()]


@pytest.mark.parametrize(
    ("dataset", "codes", "header", "labels"),
    [
        ("dossiers", ["rejected", "awaiting_supplement"], "Trạng thái",
         ["Từ chối", "Chờ bổ sung"]),
        ("feedback", ["rejected", "published"], "Trạng thái",
         ["Từ chối tiếp nhận", "Đã công khai"]),
        ("procedures", ["amended", "abolished"], "Tình trạng", ["Sửa đổi", "Bãi bỏ"]),
        ("activities", ["done", "in_progress"], "Trạng thái", ["Hoàn thành", "Đang thực hiện"]),
        (None, ["behind", "done_on_time"], "Trạng thái",
         ["Chậm tiến độ / thiếu kỳ", "Hoàn thành đúng hạn"]),
    ],
)  # fmt: skip
def test_status_codes_of_each_dataset_render_with_their_own_label(dataset, codes, header, labels):
    frame = pd.DataFrame({"status": codes}).iloc[::-1]
    page = tv.static_table_html(frame, dataset=dataset)
    assert _cells(page) == [header, *labels[::-1]]
    tv.reset_ids()
    assert f'<th class="tthc-text" scope="col">{header}</th>' in tv.table_html(
        frame, "t", dataset=dataset
    )


def test_outcome_and_published_on_of_pakn_and_dossiers():
    feedback = pd.DataFrame(
        {"outcome": ["open", "rejected"], "published_on": pd.to_datetime(["2025-02-01", None])}
    )
    shown, _ = tv.display_frame(feedback, dataset="feedback")
    assert shown.columns.tolist() == ["Kết quả xử lý", "Ngày công khai"]
    assert shown["Kết quả xử lý"].tolist() == ["Đang xử lý", "Từ chối tiếp nhận"]
    procs = pd.DataFrame({"published_on": pd.to_datetime(["2025-02-01"])})
    assert tv.display_frame(procs, dataset="procedures")[0].columns.tolist() == ["Ngày QĐ công bố"]
    dossiers = pd.DataFrame({"outcome": ["pending_overdue", "overdue"]})
    shown, _ = tv.display_frame(dossiers, dataset="dossiers")
    assert shown.columns.tolist() == ["Kết quả giải quyết"]
    assert shown.iloc[:, 0].tolist() == ["Đang giải quyết quá hạn", "Đã giải quyết quá hạn"]


def test_the_dataset_is_inferred_from_the_columns():
    frame = pd.DataFrame({"feedback_id": ["P1"], "status": ["rejected"], "published_on": [None]})
    shown, _ = tv.display_frame(frame)
    assert shown.columns.tolist() == ["Mã PAKN", "Trạng thái", "Ngày công khai"]
    assert shown["Trạng thái"].tolist() == ["Từ chối tiếp nhận"]


def test_data_quality_columns_are_named_in_vietnamese_per_dataset():
    rejected = pd.DataFrame(
        {
            "dataset": ["dossiers", "procedures", "feedback"],
            "column": ["received_at", "status", "status"],
            "reason": ["r", "r", "r"],
        }
    )
    shown, _ = tv.display_frame(rejected)
    assert shown["Cột"].tolist() == ["Ngày tiếp nhận", "Tình trạng", "Trạng thái"]
    assert shown["Bộ dữ liệu"].tolist()[0] == "Hồ sơ TTHC"


def test_766_scores_keep_two_decimals_and_whole_maxima_none():
    frame = pd.DataFrame({"total": [90.86, 75.1], "group_max": [12.0, 22.0]})
    page = tv.static_table_html(frame)
    assert _cells(page) == ["Tổng điểm", "Điểm tối đa", "90,86", "12", "75,10", "22"]
    tv.reset_ids()
    assert "Number.isInteger(x)) ? 0 : 2" in tv.table_html(frame, "diem")


# --- styles in JupyterLab ------------------------------------------------------------------------


def test_notebook_css_is_the_content_part_of_the_report_style_sheet():
    css = tv.notebook_css()
    assert css == tv.notebook_css()
    assert css.startswith('<style id="tthc-notebook-css">') and css.endswith("</style>")
    for selector in (".tthc-note ", ".tthc-note-warning", ".tthc-badge", ".tthc-card-value",
                     "table.tthc-table", "td.tthc-points"):  # fmt: skip
        assert selector in css, selector
    assert "body.tthc-page" not in css and "@page" not in css and "/*" not in css
    assert len(css) < 4000


def test_setup_notebook_shows_the_styles_once_outside_a_build(monkeypatch):
    import itables

    shown: list[str] = []
    monkeypatch.setattr(tv, "show_html", shown.append)
    monkeypatch.setattr(itables, "init_notebook_mode", lambda **_kwargs: None)
    monkeypatch.delenv(tv.REVIEW_BUILD_ENV, raising=False)
    tv.setup_notebook(interactive=True)
    assert shown == [tv.notebook_css()]
    shown.clear()
    monkeypatch.setenv(tv.REVIEW_BUILD_ENV, "1")  # the exporter inlines the whole sheet
    tv.setup_notebook(interactive=False)
    assert shown == []


def test_table_controls_are_labelled_in_vietnamese_without_warnings():
    import warnings

    tv.reset_ids()
    frame = pd.DataFrame({"n": list(range(30))})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning would reach the notebook's stderr
        page = tv.table_html(frame, "dai")
    start = page.index('"language": ') + len('"language": ')
    language, _ = json.JSONDecoder().raw_decode(page, start)
    assert language["lengthLabels"] == {"-1": "Tất cả"}
    assert language["aria"]["orderable"] == ": bấm để sắp xếp"
    assert language["aria"]["paginate"]["next"] == "Trang sau"
