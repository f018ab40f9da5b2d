"""One vocabulary of Vietnamese labels (tthc_analysis.labels) for tables, charts and pages."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tthc_analysis import charts
from tthc_analysis.charts import dossier_charts
from tthc_analysis.labels import (
    CADENCE_LABELS_VI,
    DOSSIER_OUTCOME_LABELS_VI,
    RATE_LABELS_VI,
    code_label,
    column_label,
    infer_dataset,
    target_source_vi,
)
from tthc_analysis.views import display as tv


@pytest.mark.parametrize(
    ("column", "dataset", "expected"),
    [
        ("status", "dossiers", "Trạng thái"),
        ("status", "procedures", "Tình trạng"),
        ("status", "feedback", "Trạng thái"),
        ("published_on", "procedures", "Ngày QĐ công bố"),
        ("published_on", "feedback", "Ngày công khai"),
        ("unit", "activities", "Đơn vị thực hiện"),
        ("unit", "dossiers", "Đơn vị xử lý"),
        ("outcome", "dossiers", "Kết quả giải quyết"),
        ("outcome", "feedback", "Kết quả xử lý"),
        ("on_time_rate", None, "Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn"),
        ("on_time_rate", "feedback", "Tỷ lệ xử lý đúng thời hạn"),
        ("section_id", None, "Phần"),
        ("no_such_column", None, "no_such_column"),
    ],
)
def test_column_label_follows_the_dataset(column, dataset, expected):
    assert column_label(column, dataset) == expected


@pytest.mark.parametrize(
    ("column", "code", "dataset", "expected"),
    [
        ("status", "rejected", "dossiers", "Từ chối"),
        ("status", "rejected", "feedback", "Từ chối tiếp nhận"),
        ("status", "processing", "feedback", "Đang xử lý"),
        ("status", "amended", "procedures", "Sửa đổi"),
        ("status", "done", "activities", "Hoàn thành"),
        ("status", "behind", None, "Chậm tiến độ / thiếu kỳ"),
        ("status", "behind", "activities", "Chậm tiến độ / thiếu kỳ"),  # a task table
        ("outcome", "pending_overdue", "dossiers", "Đang giải quyết quá hạn"),
        ("outcome", "open", "feedback", "Đang xử lý"),
        ("outcome", "overdue", None, "Đã giải quyết quá hạn"),
        ("cadence", "monthly", None, "Hằng tháng"),
        ("dataset", "index766", None, "Điểm Bộ chỉ số 766"),
        ("channel", "online", None, "Trực tuyến"),
        ("status", "no_such_code", "dossiers", None),
        ("status", None, "dossiers", None),
    ],
)
def test_code_label_follows_the_dataset(column, code, dataset, expected):
    assert code_label(column, code, dataset) == expected


def test_the_dataset_is_inferred_only_when_unambiguous():
    assert infer_dataset(["feedback_id", "status", "published_on"]) == "feedback"
    assert infer_dataset(["dossier_id", "outcome", "days_late_wd"]) == "dossiers"
    assert infer_dataset(["procedure_code", "decision_no", "status"]) == "procedures"
    assert infer_dataset(["task_id", "date", "status"]) == "activities"
    assert infer_dataset(["status", "unit", "published_on"]) is None  # shared columns only
    assert infer_dataset(["dossier_id", "feedback_id"]) is None  # two datasets
    assert infer_dataset([]) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plan text (tối thiểu 80% hồ sơ)", "Kế hoạch 655/SGDĐT-VP (tối thiểu 80% hồ sơ)"),
        (
            "plan text (giải quyết đúng hạn); chỉ số 766 2.1",
            "Kế hoạch 655/SGDĐT-VP (giải quyết đúng hạn); chỉ số 766 2.1",
        ),
        ("domain default (chỉ số 766 5.2)", "Mặc định theo quy định (chỉ số 766 5.2)"),
        ("evaluation-map.md", "Tiêu chí đánh giá của báo cáo"),
        ("Quyết định riêng của Sở", "Quyết định riêng của Sở"),
        (None, ""),
        (float("nan"), ""),
    ],
)
def test_target_source_in_vietnamese(text, expected):
    assert target_source_vi(text, "655/SGDĐT-VP") == expected


def test_plan_source_without_a_document_number():
    assert target_source_vi("plan text (Quý II/2025)") == "Kế hoạch (Quý II/2025)"


def test_charts_and_tables_use_the_same_names():
    assert charts.COLUMN_LABELS_VI is RATE_LABELS_VI
    for column, name in RATE_LABELS_VI.items():
        assert tv.column_label(column) == name
    assert charts.CADENCE_LABELS_VI is CADENCE_LABELS_VI
    assert [label for label, _ in dossier_charts.FORM06_OUTCOMES.values()] == list(
        DOSSIER_OUTCOME_LABELS_VI.values()
    )


def test_chart_legend_and_table_header_of_a_rate_are_the_same_text():
    monthly = pd.DataFrame(
        {
            "month": ["2025-01", "2025-02"],
            "on_time_rate": [0.9, 1.0],
            "digitisation_rate": [0.5, np.nan],
        }
    )
    fig = charts.monthly_trend(monthly, ["on_time_rate", "digitisation_rate"])
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    shown, _ = tv.display_frame(monthly)
    assert legend == list(shown.columns[1:])
    assert legend == ["Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn", "Tỷ lệ số hóa hồ sơ"]
