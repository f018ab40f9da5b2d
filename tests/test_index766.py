"""766 scores: five/six-group views, trend, estimate points with thresholds."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tthc_analysis.errors import InputFileError
from tthc_analysis.loading.reference import load_index766_indicators
from tthc_analysis.metrics.index766 import (
    GROUPS5,
    GROUPS6,
    compare_scores,
    estimate_groups,
    estimate_scores,
    group_maxima,
    indicator_label_vi,
    months_below,
    score_points,
    scores_wide,
    trend,
)


def scores(rows):
    return pd.DataFrame(
        [
            {"period": p, "unit": "Sở GDĐT", "group_code": g, "score": s, "max_score": None}
            for p, g, s in rows
        ]
    ).astype({"score": "float64", "max_score": "float64"})


SIX = {"CKMB": 15.0, "TDGQ": 18.5, "CLGQ": 10.0, "TTTT": 6.0, "MDSH": 20.0, "MDHL": 16.0}


@pytest.fixture(scope="module")
def indicators():
    return load_index766_indicators()


def test_bundled_indicator_table_adds_up_to_100(indicators):
    maxima = group_maxima(indicators)
    assert [maxima[g] for g in GROUPS5] == [18, 20, 22, 22, 18]
    assert [maxima[g] for g in GROUPS6] == [18, 20, 12, 10, 22, 18]
    assert maxima["TONG"] == 100
    assert indicators["indicator_id"].is_unique
    assert set(indicators.loc[indicators["threshold"].notna(), "indicator_id"]) == {
        "3.1",
        "3.3",
        "3.5",
        "4.2",
        "4.3",
        "5.4",
    }
    assert indicators.set_index("indicator_id").loc["3.3", "threshold"] == 0.5


def test_six_and_five_group_views_have_the_same_total():
    # 15 + 18,5 + (10 + 6) + 20 + 16 = 85,5
    data = scores([("2025-01", g, s) for g, s in SIX.items()])
    six = scores_wide(data, "6")
    five = scores_wide(data, "5")
    assert list(six.columns) == ["period", *GROUPS6, "total", "total_published"]
    assert list(five.columns) == ["period", *GROUPS5, "total", "total_published"]
    assert six["total"].iloc[0] == pytest.approx(85.5)
    assert five["total"].iloc[0] == pytest.approx(85.5)
    assert five["DVTT"].iloc[0] == pytest.approx(16.0)


def test_five_group_input_and_published_total():
    data = scores(
        [
            ("2025-02", "CKMB", 14),
            ("2025-02", "TDGQ", 19),
            ("2025-02", "DVTT", 20),
            ("2025-02", "MDSH", 21),
            ("2025-02", "MDHL", 17),
            ("2025-02", "TONG", 91),
        ]
    )
    six = scores_wide(data, "6")
    assert np.isnan(six["CLGQ"].iloc[0])
    assert six["total"].iloc[0] == 91  # 14 + 19 + 20 + 21 + 17
    assert six["total_published"].iloc[0] == 91


def test_missing_group_gives_no_total():
    data = scores([("2025-03", "CKMB", 14), ("2025-03", "TDGQ", 19)])
    assert np.isnan(scores_wide(data, "5")["total"].iloc[0])
    # ... unless a total was published for that month
    data = scores([("2025-03", "CKMB", 14), ("2025-03", "TDGQ", 19), ("2025-03", "TONG", 88)])
    assert scores_wide(data, "5")["total"].iloc[0] == 88


def test_trend_and_months_below_previous_year_mean():
    # 2024 totals 80 and 84 -> mean 82. 2025: 81 (below), 83, 82 (equal: not below).
    rows = []
    for period, total in [
        ("2024-11", 80),
        ("2024-12", 84),
        ("2025-01", 81),
        ("2025-02", 83),
        ("2025-03", 82),
    ]:
        rows += [(period, "CKMB", total - 60), (period, "TDGQ", 20), (period, "DVTT", 20)]
        rows += [(period, "MDSH", 10), (period, "MDHL", 10)]
    wide = trend(scores_wide(scores(rows), "5"))
    assert wide["total"].tolist() == [80, 84, 81, 83, 82]
    assert wide["change_vs_prev_month"].tolist()[1:] == [4, -3, 2, -1]
    assert wide["prev_year_mean"].tolist()[2:] == [82, 82, 82]
    below = months_below(wide, 2025)
    assert below["n_below"] == 1
    assert below["months_below"] == ["01/2025"]
    assert below["latest_total"] == 82
    assert below["mean"] == pytest.approx((81 + 83 + 82) / 3)
    assert months_below(wide, 2025, "2025-02")["latest_period"] == "2025-02"


def test_months_below_without_previous_year():
    rows = [("2025-01", g, s) for g, s in SIX.items()]
    below = months_below(trend(scores_wide(scores(rows), "6")), 2025)
    assert below["n_months"] == 1
    assert np.isnan(below["n_below"])


def test_score_points_with_thresholds():
    # 4 pts, threshold 80%: 60% -> 4 × 0.6/0.8 = 3; 90% -> capped at 4.
    # 20 pts, no threshold (100%): 75% -> 15. No data -> NaN.
    pts = score_points([0.6, 0.9, 0.75, np.nan], [4, 4, 20, 6], [0.8, 0.8, np.nan, np.nan])
    assert pts[:3].tolist() == pytest.approx([3.0, 4.0, 15.0])
    assert np.isnan(pts[3])


def test_estimate_groups_two_to_four(indicators):
    monthly = pd.DataFrame(
        {
            "month": ["2025-01"],
            "on_time_rate": [0.95],  # 2.1: 20 × 0.95 = 19
            "full_online_share_eligible": [0.5],  # 3.x: 12 × 0.5 = 6
            "online_share": [0.4],  # 3.3: 0 pts
            "online_payment_rate": [0.4],  # 3.6: 6 × 0.4 = 2.4
            "e_result_rate": [0.9],  # 4.1: 6 × 0.9 = 5.4
            "digitisation_rate": [0.6],  # 4.2: 4 × 0.6/0.8 = 3
            "reuse_rate": [0.4],  # 4.3: 2 × 0.4/0.8 = 1
        }
    )
    est = estimate_scores(monthly, indicators, {"online_service_share": 0.9})
    assert set(est["group"]) == {2, 3, 4}
    by_id = est.set_index("indicator_id")
    assert by_id.loc["2.1", "points"] == pytest.approx(19)
    assert by_id.loc["3.1", "rate"] == pytest.approx(0.9)
    assert by_id.loc["3.x", "unconfirmed"]
    assert np.isnan(by_id.loc["4.4", "points"])
    groups = estimate_groups(est, indicators).set_index("group_code")
    assert groups.loc["TDGQ", "estimated"] == pytest.approx(19)
    assert groups.loc["CLGQ", "estimated"] == pytest.approx(6)
    assert groups.loc["CLGQ", "estimable_max"] == 12
    assert groups.loc["TTTT", "estimated"] == pytest.approx(2.4)
    assert groups.loc["TTTT", "estimable_max"] == 6
    assert groups.loc["TTTT", "missing_vi"] == (
        "3.5 TTHC có nghĩa vụ tài chính tích hợp thanh toán trực tuyến trên DVCQG; "
        "3.5b TTHC có giao dịch thanh toán trực tuyến"
    )
    # 4.x has no official number: named by its name, never by the placeholder id
    assert groups.loc["MDSH", "missing_vi"] == (
        "Chứng thực bản sao điện tử từ bản chính; "
        "4.4 Hồ sơ số hóa kết nối, chia sẻ để tái sử dụng; "
        "4.5b Hồ sơ sử dụng dữ liệu CSDL dân cư; "
        "4.5a TTHC kết nối dữ liệu dân cư"
    )
    assert ".x" not in " ".join(groups["missing_vi"])
    assert groups.loc["DVTT", "estimated"] == pytest.approx(8.4)
    assert groups.loc["DVTT", "group_max"] == 22
    assert groups.loc["MDSH", "estimated"] == pytest.approx(5.4 + 3 + 1)
    assert groups.loc["MDSH", "estimable_max"] == 12
    assert groups.loc["CLGQ", "has_unconfirmed"]
    assert not groups.loc["TDGQ", "has_unconfirmed"]
    assert (groups["label_vi"] == "ước tính").all()

    published = scores_wide(scores([("2025-01", g, s) for g, s in SIX.items()]), "6")
    cmp = compare_scores(published, estimate_groups(est, indicators)).set_index("group_code")
    assert cmp.loc["TDGQ", "published"] == 18.5
    assert cmp.loc["TDGQ", "difference"] == pytest.approx(0.5)
    assert cmp.loc["DVTT", "published"] == 16
    assert "CKMB" not in cmp.index


def test_indicator_label_names_placeholders_by_their_name():
    assert indicator_label_vi("4.4", "Hồ sơ số hóa") == "4.4 Hồ sơ số hóa"
    assert indicator_label_vi("3.5b", "Giao dịch") == "3.5b Giao dịch"
    assert indicator_label_vi("4.x", "Chứng thực bản sao điện tử") == "Chứng thực bản sao điện tử"
    assert indicator_label_vi("3.x", "") == "3.x"


def test_bad_indicator_table_names_row_and_column(tmp_path):
    path = tmp_path / "ind.csv"
    path.write_text(
        "indicator_id,group,group_code6,name_vi,max_points,threshold\n"
        "2.1,2,TDGQ,Đúng hạn,20,\n"
        "3.3,3,XXXX,Trực tuyến,0,50\n",
        encoding="utf-8",
    )
    with pytest.raises(InputFileError) as err:
        load_index766_indicators(path)
    assert err.value.row == 3
    assert err.value.column == "group_code6"


def test_threshold_in_percent_is_read_as_a_share(tmp_path):
    path = tmp_path / "ind.csv"
    path.write_text(
        "indicator_id,group,group_code6,name_vi,max_points,threshold\n3.3,3,CLGQ,Trực tuyến,2,50%\n",
        encoding="utf-8",
    )
    table = load_index766_indicators(path)
    assert table["threshold"].iloc[0] == 0.5
    assert table["scoring_rule"].iloc[0] == "linear_to_threshold"


@settings(max_examples=60, deadline=None)
@given(
    st.floats(0, 1),
    st.floats(0, 30),
    st.one_of(st.just(float("nan")), st.floats(0.05, 1)),
)
def test_points_never_exceed_the_maximum(rate, max_points, threshold):
    pts = score_points([rate], [max_points], [threshold])[0]
    assert 0 <= pts <= max_points + 1e-9
