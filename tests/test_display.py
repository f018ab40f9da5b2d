"""Tables and page fragments shown in notebooks and reports (tthc_analysis.display)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tthc_analysis import display as tv
from tthc_analysis.review.export import external_references

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
