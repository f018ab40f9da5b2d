"""Like with like (issue 13): published points per indicator, when the export gives them.

"Chênh lệch (ước tính − công bố)" compares only the indicators the estimate covers (e.g.
12 of 22 points of digitisation). A 766 export may give, besides the group scores, the
points of each indicator (column "Mã chỉ số"); those rows never count as group scores,
and the comparison sums the published points of the covered indicators.
"""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from tthc_analysis.evaluation.evaluate import evaluate
from tthc_analysis.loading.ingest import load_tables
from tthc_analysis.metrics.index766 import group_rows, indicator_rows, scores_wide

BP = "Sở Giáo dục và Đào tạo tỉnh Bình Phước"


def test_indicator_rows_are_read_and_kept_apart_from_the_group_rows(tmp_path):
    (tmp_path / "index766").mkdir()
    (tmp_path / "index766" / "diem_766.csv").write_text(
        "Tháng,Đơn vị,Nhóm chỉ số,Mã chỉ số,Điểm\n"
        f"03/2025,{BP},MDSH,,16.01\n"
        f"03/2025,{BP},MDSH,4.1,5\n"
        f"03/2025,{BP},MDSH,4.5b,1\n"
        f"03/2025,{BP},MDSH,4.1,4\n"  # the same indicator twice: rejected, row named
        f"03/2025,{BP},MDSH,bốn,1\n",  # not an indicator id: rejected, column named
        encoding="utf-8",
    )
    tables = load_tables(tmp_path)
    scores = tables.index766
    assert scores["indicator_id"].fillna("").tolist() == ["", "4.1", "4.5b"]
    rejected = tables.rejected_rows.set_index("source_row")
    assert "Trùng điểm chỉ số 4.1 (nhóm MDSH)" in rejected.loc[5, "reason"]
    assert rejected.loc[6, "column"] == "indicator_id"
    # read = kept + rejected
    assert len(scores) + rejected.index.nunique() == 5
    # the group score is the group row's, never overwritten by an indicator row
    assert scores_wide(scores, "6").loc[0, "MDSH"] == 16.01
    assert len(group_rows(scores)) == 1
    assert indicator_rows(scores)[["indicator_id", "score"]].values.tolist() == [
        ["4.1", 5.0],
        ["4.5b", 1.0],
    ]


def test_published_indicator_points_make_the_digitisation_group_comparable():
    tables = load_tables()
    # The sample estimates 4.1 (6 points), 4.2 (4) and 4.3 (2) of the 22 MDSH points
    # in 03/2025. Published points per indicator (hand-made): 4.1 = 5, 4.2 = 3,5,
    # 4.3 = 1,5 and 4.4 = 4 (not estimated): compared 5 + 3,5 + 1,5 = 10.
    extra = pd.DataFrame(
        {
            "period": ["2025-03"] * 4,
            "unit": [BP] * 4,
            "group_code": ["MDSH"] * 4,
            "score": [5.0, 3.5, 1.5, 4.0],
            "max_score": [6.0, 4.0, 2.0, 4.0],
            "indicator_id": ["4.1", "4.2", "4.3", "4.4"],
        }
    )
    with_points = SimpleNamespace(**vars(tables))
    with_points.index766 = pd.concat([tables.index766, extra], ignore_index=True)
    ev = evaluate(with_points, 2025, period="q1")
    row = ev.index766_compare.set_index(["period", "group_code"]).loc[("2025-03", "MDSH")]
    assert row["published"] == 16.01  # the group's published score, unchanged
    assert row["published_compared"] == pytest.approx(10.0)
    assert row["difference"] == pytest.approx(row["estimated"] - 10.0)
    assert row["points_not_estimated"] == 10
    assert row["comparison_vi"] == (
        "So sánh 12/22 điểm được ước tính (điểm công bố của cùng các chỉ số); "
        "10 điểm không ước tính"
    )
    # without the indicator rows the group cannot be compared (only a flag)
    plain = evaluate(tables, 2025, period="q1").index766_compare
    plain_row = plain.set_index(["period", "group_code"]).loc[("2025-03", "MDSH")]
    assert pd.isna(plain_row["difference"])
    assert plain_row["comparison_vi"].startswith("Không so sánh: ước tính chỉ gồm 12/22 điểm")
