"""Task statuses: each cadence rule, indicators against targets, the worst-of rule."""

from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tthc_analysis.config import PLAN_DIR
from tthc_analysis.errors import InputFileError
from tthc_analysis.evaluation.evaluate import DATA_METRICS
from tthc_analysis.evaluation.tasks import (
    EVIDENCE_CADENCES,
    MetricValue,
    activity_metric,
    attribute_months,
    attribute_quarters,
    evaluate_tasks,
    evidence_status,
    judge_indicator,
    linear_projection,
    required_months,
    required_quarters,
    task_matches_units,
)
from tthc_analysis.labels import INDICATOR_LABELS_VI, RATE_LABELS_VI
from tthc_analysis.loading.reference import load_task_indicators
from tthc_analysis.plan import load_plan
from tthc_analysis.plan.units import unit_reference
from tthc_analysis.status import STATUSES
from tthc_analysis.workdays import default_calendar

END = date(2025, 12, 31)


def acts(rows):
    """Activities rows: (task_id, date, status[, covers_period[, participants]])."""
    records = []
    for row in rows:
        task_id, day, status, *rest = row
        records.append(
            {
                "task_id": task_id,
                "date": pd.Timestamp(day),
                "doc_number": f"{len(records) + 1}/SGDĐT-VP",
                "kind": "Công văn",
                "title": "x",
                "status": status,
                "unit": "Văn phòng",
                "covers_period": rest[0] if rest else None,
                "participants": rest[1] if len(rest) > 1 else None,
            }
        )
    frame = pd.DataFrame(
        records,
        columns=[
            "task_id",
            "date",
            "doc_number",
            "kind",
            "title",
            "status",
            "unit",
            "covers_period",
            "participants",
        ],
    )
    frame["date"] = frame["date"].astype("datetime64[us]")
    return frame


def ev(items, cadence, as_of=END, deadline=None, **kw):
    return evidence_status(
        items, cadence, 2025, as_of, deadline, "văn bản", 10, default_calendar(), **kw
    )


# --- periods ------------------------------------------------------------------------


def test_required_quarters():
    assert required_quarters(2025, date(2025, 12, 31)) == [1, 2, 3, 4]
    assert required_quarters(2025, date(2025, 6, 30)) == [1, 2]
    assert required_quarters(2025, date(2025, 6, 29)) == [1]
    assert required_quarters(2025, date(2025, 3, 1)) == []
    assert required_quarters(2025, date(2026, 2, 1)) == [1, 2, 3, 4]


def test_required_months_follow_the_notice_due_day():
    assert required_months(2025, date(2025, 12, 31)) == list(range(1, 12))
    assert required_months(2025, date(2025, 12, 10)) == list(range(1, 12))
    assert required_months(2025, date(2025, 12, 9)) == list(range(1, 11))
    assert required_months(2025, date(2026, 1, 10)) == list(range(1, 13))
    assert required_months(2025, date(2025, 2, 9)) == []


def test_attribute_months():
    dates = pd.Series(
        pd.to_datetime(["2025-09-05", "2025-09-10", "2025-09-11", "2025-01-08", "2025-03-20"])
    )
    covers = pd.Series([None, None, None, None, "Tháng 7/2025"])
    assert attribute_months(dates, covers).tolist() == [
        "2025-08",
        "2025-08",
        "2025-09",
        "2024-12",
        "2025-07",
    ]
    iso = pd.Series(["2025-06", "06/2025", "T6/2025", "Quý I/2025"])
    four = pd.Series(pd.to_datetime(["2025-10-20"] * 4))
    assert attribute_months(four, iso).tolist() == ["2025-06", "2025-06", "2025-06", "2025-10"]


def test_attribute_quarters():
    dates = pd.Series(pd.to_datetime(["2025-04-01", "2025-07-02", "2025-07-02", "2025-07-02"]))
    covers = pd.Series([None, "Quý II/2025", "Q1/2025", "05/2025"])
    assert attribute_quarters(dates, covers).tolist() == [
        "2025-Q2",
        "2025-Q2",
        "2025-Q1",
        "2025-Q2",
    ]


# --- evidence cadences --------------------------------------------------------------


def test_ongoing_names_the_missing_quarter():
    items = acts(
        [
            ("I.1", "2025-02-10", "done"),
            ("I.1", "2025-05-05", "in_progress"),
            ("I.1", "2025-11-20", "done"),
        ]
    )
    res = ev(items, "ongoing")
    assert res.status == "behind"
    # Q2's only item is "Đang thực hiện": progress, not a completed item (issue 13).
    assert res.missing_periods == ["Quý II/2025", "Quý III/2025"]
    assert res.reason_vi == (
        "Thiếu văn bản Quý II/2025, Quý III/2025 (2/4 quý có minh chứng hoàn thành); "
        "1 minh chứng đang thực hiện/kế hoạch (cho thấy tiến độ, không tính là hoàn thành)"
    )
    assert res.evidence_count == 3
    assert res.last_evidence_on == date(2025, 11, 20)
    # As of 30/09, Q3 has not ended... it has (30/09 is its last day): still behind.
    assert ev(items, "ongoing", date(2025, 9, 30)).status == "behind"
    # As of 31/03, only Q1 is required: on track.
    assert ev(items, "ongoing", date(2025, 3, 31)).status == "on_track"
    # A completed Q2 item fills Q2.
    done_q2 = acts([("I.1", "2025-02-10", "done"), ("I.1", "2025-05-05", "done")])
    assert ev(done_q2, "ongoing", date(2025, 9, 29)).status == "on_track"


def test_ongoing_ignores_items_after_the_as_of_date():
    items = acts([("I.1", f"2025-{m:02d}-15", "done") for m in (2, 5, 8, 11)])
    assert ev(items, "ongoing").status == "on_track"
    res = ev(items, "ongoing", date(2025, 10, 31))
    assert res.status == "on_track"
    assert res.evidence_count == 3
    assert ev(acts([]), "ongoing", date(2025, 2, 1)).status == "not_due"


def test_monthly_names_the_missing_month():
    # One notice early each month for the previous month, except the August notice.
    rows = [("I.4", f"2025-{m + 1:02d}-05", "done") for m in range(1, 12) if m != 8]
    res = ev(acts(rows), "monthly")
    assert res.status == "behind"
    assert res.missing_periods == ["08/2025"]
    assert res.reason_vi == "Thiếu văn bản tháng 08/2025 (10/11 tháng có minh chứng hoàn thành)"


def test_monthly_uses_covers_period_and_is_on_track():
    rows = [("I.4", "2025-12-20", "done", f"{m:02d}/2025") for m in range(1, 12)]
    res = ev(acts(rows), "monthly")
    assert res.status == "on_track"
    assert res.reason_vi == "Có văn bản đủ 11/11 tháng có minh chứng hoàn thành"


def test_quarterly_with_covers_period():
    rows = [
        ("VIII.1", "2025-04-02", "done", "Quý I/2025"),
        ("VIII.1", "2025-07-01", "done", "Quý II/2025"),
    ]
    res = ev(acts(rows), "quarterly", date(2025, 10, 15))
    assert res.status == "behind"
    assert res.missing_periods == ["Quý III/2025"]


def test_deadline_on_time_late_overdue_not_due():
    deadline = date(2025, 6, 30)
    on_time = acts([("V.1", "2025-06-20", "done")])
    assert ev(on_time, "deadline", deadline=deadline).status == "done_on_time"
    assert (
        ev(on_time, "deadline", deadline=deadline).reason_vi
        == "Hoàn thành ngày 20/06/2025 (hạn 30/06/2025)"
    )
    late = acts([("V.1", "2025-05-10", "in_progress"), ("V.1", "2025-07-15", "done")])
    res = ev(late, "deadline", deadline=deadline)
    assert res.status == "done_late"
    # 01-04, 07-11, 14-15 July = 11 working days after 30/06.
    assert res.reason_vi == "Hoàn thành ngày 15/07/2025, trễ 11 ngày làm việc so với hạn 30/06/2025"
    progress = acts([("V.1", "2025-05-10", "in_progress")])
    assert ev(progress, "deadline", deadline=deadline).status == "overdue"
    assert ev(progress, "deadline", as_of=date(2025, 6, 30), deadline=deadline).status == "not_due"
    # done after the as-of date is not known yet
    assert ev(late, "deadline", as_of=date(2025, 7, 14), deadline=deadline).status == "overdue"
    assert ev(progress, "deadline", deadline=None).status == "no_data"


def test_on_request():
    assert ev(acts([]), "on_request").status == "not_triggered"
    assert ev(acts([("I.6", "2025-08-01", "in_progress")]), "on_request").status == "on_track"
    assert ev(acts([]), "on_request", has_activity_data=False).status == "not_triggered"


def test_empty_activity_table_is_no_data_and_none_is_no_requirement():
    assert ev(acts([]), "ongoing", has_activity_data=False).status == "no_data"
    assert (
        ev(acts([]), "deadline", deadline=date(2025, 6, 30), has_activity_data=False).status
        == "no_data"
    )
    assert ev(acts([]), "none").status is None


# --- indicators ---------------------------------------------------------------------


def spec(target=np.nan, direction="min", unit="rate", target_date=None, name="Tỷ lệ X"):
    return {
        "name_vi": name,
        "target": target,
        "direction": direction,
        "unit": unit,
        "target_date": pd.Timestamp(target_date) if target_date else pd.NaT,
    }


def test_judge_min_max_and_informational():
    assert judge_indicator(spec(0.8), MetricValue(0.85), END)["met"] is True
    res = judge_indicator(spec(0.8), MetricValue(0.523, "523/1.000 hồ sơ"), END)
    assert res["met"] is False
    assert res["basis_vi"] == "Tỷ lệ X: 52,3% (523/1.000 hồ sơ) < chỉ tiêu 80%"
    assert judge_indicator(spec(0, "max", "count"), MetricValue(2.0), END)["met"] is False
    assert judge_indicator(spec(0, "max", "count"), MetricValue(0.0), END)["met"] is True
    assert judge_indicator(spec(), MetricValue(0.5), END)["met"] is pd.NA
    assert judge_indicator(spec(0.8), MetricValue(), END)["met"] is pd.NA
    # exactly on target counts as met
    assert judge_indicator(spec(1.0), MetricValue(3 / 3), END)["met"] is True


def test_trend_note_is_appended_to_the_basis():
    metric = MetricValue(0.8, "4/5 TTHC", projection=0.9, trend_vi="xu hướng 6 tháng")
    res = judge_indicator(spec(1.0, target_date="2025-12-31"), metric, date(2025, 6, 30))
    assert res["basis_vi"] == (
        "Tỷ lệ X: 80,0% (4/5 TTHC); dự báo 31/12/2025: 90,0% < chỉ tiêu 100% "
        "(chưa đúng hướng); xu hướng 6 tháng"
    )
    info = judge_indicator(spec(), MetricValue(0.5, trend_vi="không dự báo"), END)
    assert info["basis_vi"] == "Tỷ lệ X: 50,0% (theo dõi, không có chỉ tiêu); không dự báo"


def test_reason_numbers_are_written_the_vietnamese_way():
    # measured rates always with one decimal comma; targets as the plan states them
    res = judge_indicator(spec(1.0), MetricValue(0.97, "64/66 TTHC"), END)
    assert res["basis_vi"] == "Tỷ lệ X: 97,0% (64/66 TTHC) < chỉ tiêu 100%"
    res = judge_indicator(spec(0.825), MetricValue(1.0), END)
    assert res["basis_vi"] == "Tỷ lệ X: 100,0% ≥ chỉ tiêu 82,5%"
    # 766 points with two decimals, as published; a negative gap takes the minus sign
    res = judge_indicator(spec(unit="points", name="Chênh lệch"), MetricValue(-0.6459), END)
    assert res["basis_vi"] == "Chênh lệch: \u22120,65 (theo dõi, không có chỉ tiêu)"
    res = judge_indicator(spec(90, unit="points", name="Tổng điểm"), MetricValue(90.86), END)
    assert res["basis_vi"] == "Tổng điểm: 90,86 ≥ chỉ tiêu 90"
    # counts: thousands separated by a dot
    res = judge_indicator(spec(0, "max", "count", name="Số hồ sơ"), MetricValue(1234.0), END)
    assert res["basis_vi"] == "Số hồ sơ: 1.234 > chỉ tiêu 0"


def test_count_target_is_capped_at_items_due():
    # 4 reports in the year, 3 due so far, 3 on time: met.
    res = judge_indicator(spec(4, unit="count"), MetricValue(3.0, cap=3.0), date(2025, 10, 1))
    assert res["met"] is True
    assert res["target"] == 3
    assert judge_indicator(spec(4, unit="count"), MetricValue(2.0, cap=3.0), END)["met"] is False


def test_projection_decides_before_the_target_date():
    full = spec(0.8, target_date="2025-12-31", name="Tỷ lệ hồ sơ xử lý toàn trình")
    before = judge_indicator(full, MetricValue(0.523, projection=0.85), date(2025, 9, 30))
    assert before["met"] is True
    assert before["judged_on"] == "projection"
    at_end = judge_indicator(full, MetricValue(0.523, projection=0.61), END)
    assert at_end["met"] is False
    assert at_end["judged_on"] == "value"
    assert at_end["basis_vi"] == (
        "Tỷ lệ hồ sơ xử lý toàn trình: 52,3% < chỉ tiêu 80%; dự báo 31/12/2025: 61,0%"
    )
    # no trend: the current value is judged
    assert judge_indicator(full, MetricValue(0.7), date(2025, 9, 30))["met"] is False


def test_linear_projection():
    # 30%, 35%, 40% in months 1-3: slope 5 points a month -> 85% in month 12.
    assert linear_projection([0.30, 0.35, 0.40], [1, 2, 3], 12) == pytest.approx(0.85)
    assert np.isnan(linear_projection([0.3], [1], 12))
    assert linear_projection([0.3, np.nan, 0.5], [1, 2, 3], 4) == pytest.approx(0.6)


def test_activity_metrics():
    items = acts(
        [
            ("III.1", "2025-03-01", "done", None, 12),
            ("III.1", "2025-09-01", "done", None, 8),
            ("III.1", "2024-11-01", "done", None, 50),
        ]
    )
    assert activity_metric("trainings_count", items, 2025, END).value == 2
    assert activity_metric("training_participants", items, 2025, END).value == 20
    notices = acts(
        [
            ("I.4", "2025-02-05", "done"),
            ("I.4", "2025-03-05", "done"),
            ("I.4", "2025-03-06", "done"),
        ]
    )
    m = activity_metric("notice_months", notices, 2025, date(2025, 4, 30))
    assert (m.value, m.cap) == (2, 3)


# --- tasks --------------------------------------------------------------------------


def plan_tasks(rows):
    return pd.DataFrame(
        [
            {
                "task_id": tid,
                "section_id": tid.split(".")[0],
                "section_title": "Mục",
                "task_no": int(tid.split(".")[1]),
                "content": f"Nội dung {tid}",
                "lead_unit": "Văn phòng",
                "partner_units": ["Các phòng"],
                "timeframe_text": "",
                "cadence": cadence,
                "deadline": pd.Timestamp(deadline) if deadline else pd.NaT,
                "expected_output": "",
            }
            for tid, cadence, deadline in rows
        ]
    )


TABLE = """task_id,evidence_cadence,evidence_source,indicator_id,name_vi,source,target,direction,unit,target_date,target_source,notes
I.1,ongoing,activities,,văn bản,activities,,,,,,
I.1,,,rate_a,Tỷ lệ A,dossiers,0.9,min,rate,,,
I.2,none,none,,,none,,,,,,
I.2,,,rate_b,Tỷ lệ B,dossiers,1,min,rate,,,
I.2,,,info_c,Chỉ số C,dossiers,,min,rate,,,
I.3,,,,văn bản,activities,,,,,,
I.3,,,notice_months,Số tháng,activities,12,min,count,31/12/2025,,
I.4,none,none,,,none,,,,,,
I.4,,,rate_d,Tỷ lệ D,dossiers,1,min,rate,,,
I.5,ongoing,activities,,văn bản,activities,,,,,,
I.5,,,rate_e,Tỷ lệ E,dossiers,0.5,min,rate,,,
II.1,,,,,,,,,,,
II.1,,,plan_indicators_met_share,Tỷ lệ chỉ tiêu đạt,indicators,,min,rate,,,
"""


@pytest.fixture
def table(tmp_path):
    path = tmp_path / "task_indicators.csv"
    path.write_text(TABLE, encoding="utf-8")
    return load_task_indicators(path)


def test_worst_of_evidence_and_indicators(table):
    tasks = plan_tasks(
        [
            ("I.1", "ongoing", None),
            ("I.2", "ongoing", None),
            ("I.3", "monthly", None),
            ("I.4", "ongoing", None),
            ("I.5", "ongoing", None),
            ("II.1", "on_request", None),
        ]
    )
    full_year = [(f"2025-{m:02d}-20",) for m in (2, 5, 8, 11)]
    activities = acts(
        [("I.1", d, "done") for (d,) in full_year]
        + [("I.3", f"2025-{m + 1:02d}-05", "done") for m in range(1, 12) if m != 8]
        + [("I.5", "2025-02-20", "done")]
    )
    metrics = {
        "rate_a": MetricValue(0.5),  # below 0.9
        "rate_b": MetricValue(1.0),
        "info_c": MetricValue(0.3),
        "rate_e": MetricValue(0.9),
    }
    out, ind = evaluate_tasks(
        tasks, table, activities, metrics, END, 2025, calendar=default_calendar()
    )
    st_ = dict(zip(out["task_id"], out["status"], strict=True))
    # I.1: evidence on track, indicator below target -> below_target
    assert st_["I.1"] == "below_target"
    assert (
        out.set_index("task_id").loc["I.1", "reason_vi"].startswith("Tỷ lệ A: 50,0% < chỉ tiêu 90%")
    )
    # I.2: no evidence rule, indicators met -> achieved (informational C ignored)
    assert st_["I.2"] == "achieved"
    # I.3: plan cadence monthly (empty in the table), August missing -> behind; its
    # notice_months indicator has the same source as the evidence: shown, not counted
    assert st_["I.3"] == "behind"
    a3 = ind.loc[ind["task_id"] == "I.3"].iloc[0]
    assert not a3["counts_for_status"]
    assert a3["value"] == 10
    assert out.set_index("task_id").loc["I.3", "missing_periods"] == ["08/2025"]
    # I.4: nothing to judge -> no_data
    assert st_["I.4"] == "no_data"
    # I.5: evidence behind (3 quarters missing) beats an achieved indicator
    assert st_["I.5"] == "behind"
    # II.1: on_request without evidence -> not_triggered; its roll-up indicator:
    # judged indicators of the other tasks: rate_a (no), rate_b (yes), rate_e (yes)
    assert st_["II.1"] == "not_triggered"
    roll = ind.loc[ind["indicator_id"] == "plan_indicators_met_share"].iloc[0]
    assert roll["value"] == pytest.approx(2 / 3)
    assert pd.isna(roll["met"])
    assert list(out["task_id"]) == ["I.1", "I.2", "I.3", "I.4", "I.5", "II.1"]
    assert (out["status_vi"] == out["status"].map(lambda c: STATUSES[c].label_vi)).all()


def test_reports_evidence_source(table, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "task_id,evidence_cadence,evidence_source,indicator_id,name_vi,source,target,direction,unit\n"
        "VIII.1,deadline,report_submissions,,báo cáo,report_submissions,,,\n"
        "VIII.1,,,reports_on_time,Số báo cáo đúng hạn,report_submissions,4,min,count\n",
        encoding="utf-8",
    )
    tasks = plan_tasks([("VIII.1", "ongoing", None)])
    overview = {
        "status": "done_late",
        "reason_vi": "Báo cáo Quý I/2025 gửi trễ 3 ngày làm việc",
        "n_reports": 4,
        "n_due": 4,
        "n_on_time": 3,
        "n_late": 1,
        "n_overdue": 0,
        "n_not_due": 0,
        "last_submitted_on": pd.Timestamp("2025-12-12"),
    }
    metrics = {"reports_on_time": MetricValue(3.0, cap=4.0)}
    out, ind = evaluate_tasks(
        tasks,
        load_task_indicators(path),
        acts([]),
        metrics,
        END,
        2025,
        reports=overview,
        calendar=default_calendar(),
    )
    # the on-time count (3 < 4) is shown but the report rule decides: done_late
    assert out["status"].tolist() == ["done_late"]
    assert ind["met"].tolist() == [False]
    assert out["last_evidence_on"].iloc[0] == date(2025, 12, 12)
    out, _ = evaluate_tasks(
        tasks,
        load_task_indicators(path),
        acts([]),
        metrics,
        END,
        2025,
        reports=None,
        calendar=default_calendar(),
    )
    assert out["status"].tolist() == ["no_data"]


def test_bundled_table_covers_every_plan_task_once():
    table = load_task_indicators()
    plan = load_plan()
    evidence_rows = table.loc[table["indicator_id"] == ""]
    assert sorted(evidence_rows["task_id"]) == sorted(plan.tasks["task_id"])
    assert set(evidence_rows["evidence_cadence"]) <= set(EVIDENCE_CADENCES)
    computed = table.loc[
        (table["indicator_id"] != "") & ~table["source"].isin(["activities", "indicators"])
    ]
    assert set(computed["indicator_id"]) <= set(DATA_METRICS)
    targets = table.set_index(["task_id", "indicator_id"])["target"]
    assert targets[("IX.1", "full_online_share")] == 0.8
    assert targets[("IX.1", "eligible_full_online_coverage")] == 1.0
    assert targets[("I.4", "notice_months")] == 12
    assert targets[("VIII.1", "reports_on_time")] == 4


def test_indicator_names_come_from_the_shared_labels(tmp_path):
    # The bundled table leaves the names of its indicators to labels.INDICATOR_LABELS_VI.
    raw = pd.read_csv(
        PLAN_DIR / "task_indicators.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig"
    )
    assert (raw.loc[raw["indicator_id"] != "", "name_vi"] == "").all()
    table = load_task_indicators()
    names = table.loc[table["indicator_id"] != ""].set_index(["task_id", "indicator_id"])
    names = names["name_vi"]
    assert names[("VI.1", "digitisation_rate")] == "Tỷ lệ số hóa hồ sơ"
    assert names[("IX.3", "digitisation_rate")] == "Tỷ lệ số hóa hồ sơ"
    assert names[("IX.1", "full_online_share")] == "Tỷ lệ hồ sơ xử lý hoàn toàn trực tuyến"
    assert names[("VI.3", "on_time_rate")] == "Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn"
    assert names[("I.4", "notice_months")] == "Số tháng có thông báo kết quả 766"
    assert set(names.index.get_level_values(1)) <= set(INDICATOR_LABELS_VI)
    # the same rate has the same name in the task table, the tables and the charts
    for key in ("digitisation_rate", "e_result_rate", "reuse_rate", "online_share"):
        assert INDICATOR_LABELS_VI[key] == RATE_LABELS_VI[key]
    # a name written in the table overrides; an unknown id without a name keeps its id
    path = tmp_path / "t.csv"
    path.write_text(
        "task_id,indicator_id,name_vi,source,target\n"
        "I.1,on_time_rate,Tỷ lệ đúng hạn (riêng),dossiers,1\n"
        "I.1,my_metric,,dossiers,1\n",
        encoding="utf-8",
    )
    assert load_task_indicators(path)["name_vi"].tolist() == [
        "Tỷ lệ đúng hạn (riêng)",
        "my_metric",
    ]


def test_bad_task_table_names_row_and_column(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "task_id,evidence_cadence,evidence_source,indicator_id,name_vi,source,target\n"
        "I.1,ongoing,activities,,x,activities,\n"
        "I.2,weekly,activities,,x,activities,\n",
        encoding="utf-8",
    )
    with pytest.raises(InputFileError) as err:
        load_task_indicators(path)
    assert (err.value.row, err.value.column) == (3, "evidence_cadence")
    path.write_text("task_id,indicator_id,target\nI.1,x,abc\n", encoding="utf-8")
    with pytest.raises(InputFileError) as err:
        load_task_indicators(path)
    assert err.value.column == "target"


UNITS = unit_reference()  # the bundled unit table (data/reference/units.csv)


def test_task_matches_units():
    assert task_matches_units("Văn phòng", ["Các phòng"], ["Văn phòng"], UNITS)
    assert task_matches_units("Văn phòng", ["Các phòng"], ["Phòng GDTrH"], UNITS)
    # "Các phòng có TTHC" covers only units with procedures (not Thanh tra)
    assert task_matches_units("Các phòng có TTHC", ["Văn phòng"], ["Phòng KHTC"], UNITS)
    assert not task_matches_units("Các phòng có TTHC", [], ["Thanh tra"], UNITS)
    assert not task_matches_units("Văn phòng", [], ["Phòng KHTC"], UNITS)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["I.1", "I.2", "I.3", "I.4", "I.5", "II.1"]),
            st.dates(min_value=date(2024, 12, 1), max_value=date(2026, 1, 31)),
            st.sampled_from(["done", "in_progress", None]),
        ),
        max_size=30,
    ),
    st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 1, 31)),
    st.lists(st.one_of(st.just(np.nan), st.floats(0, 1)), min_size=4, max_size=4),
)
def test_every_task_gets_exactly_one_valid_status(tmp_path_factory, rows, as_of, values):
    path = tmp_path_factory.mktemp("t") / "t.csv"
    path.write_text(TABLE, encoding="utf-8")
    tasks = plan_tasks(
        [
            ("I.1", "ongoing", None),
            ("I.2", "ongoing", None),
            ("I.3", "monthly", None),
            ("I.4", "deadline", "2025-06-30"),
            ("I.5", "quarterly", None),
            ("II.1", "on_request", None),
        ]
    )
    metrics = {
        k: MetricValue(v)
        for k, v in zip(["rate_a", "rate_b", "info_c", "rate_e"], values, strict=True)
    }
    out, ind = evaluate_tasks(
        tasks,
        load_task_indicators(path),
        acts(rows),
        metrics,
        as_of,
        2025,
        calendar=default_calendar(),
    )
    assert out["task_id"].tolist() == tasks["task_id"].tolist()
    assert out["status"].isin(list(STATUSES)).all()
    assert out["reason_vi"].str.len().gt(0).all()
    assert ind["met"].isna().sum() + ind["met"].eq(True).sum() + ind["met"].eq(False).sum() == len(
        ind
    )


# --- issue 13: fair readings of the plan text (rules in data/plan/task_rules.csv) ------


def _bundled(rows, metrics=None, as_of=END, has_activity_data=True):
    """Statuses and indicators of the 24 bundled tasks on the bundled rule table."""
    plan = load_plan()
    out, ind = evaluate_tasks(
        plan.tasks,
        load_task_indicators(),
        acts(rows),
        metrics or {},
        as_of,
        2025,
        has_activity_data=has_activity_data,
        calendar=default_calendar(),
    )
    return out.set_index("task_id"), ind


def test_ongoing_evidence_never_completes_a_deadline_task():
    # V.1 is due 30/06/2025; an item "Đang thực hiện" and one "Kế hoạch" before it are
    # progress, not completion: at 31/12 the task is overdue, and the reason says so.
    items = acts([("V.1", "2025-05-10", "in_progress"), ("V.1", "2025-06-01", "planned")])
    res = ev(items, "deadline", deadline=date(2025, 6, 30))
    assert res.status == "overdue"
    assert res.reason_vi == (
        "Quá hạn 30/06/2025, chưa có văn bản hoàn thành; có 2 minh chứng đang thực hiện"
    )
    # the same items with "Hoàn thành" complete it on time
    done = acts([("V.1", "2025-06-01", "done")])
    assert ev(done, "deadline", deadline=date(2025, 6, 30)).status == "done_on_time"


def test_in_progress_status_codes_are_read_from_the_export():
    from tthc_analysis.fields import ACTIVITY_STATUS_CODES

    assert "Kế hoạch" in ACTIVITY_STATUS_CODES["planned"]
    assert "Đang thực hiện" in ACTIVITY_STATUS_CODES["in_progress"]


def test_iii1_is_on_request_a_quarter_without_training_is_no_shortfall():
    # Plan III.1: "Tham gia tập huấn ... do cấp trên tổ chức": trainings happen on the
    # superior bodies' request. One training in Q1 only: on track at year end.
    out, _ = _bundled([("III.1", "2025-03-12", "done")])
    assert out.loc["III.1", "evidence_cadence"] == "on_request"
    assert out.loc["III.1", "status"] == "on_track"
    assert "Thiếu" not in out.loc["III.1", "reason_vi"]
    # No training at all: nothing was organised, not a shortfall.
    out, _ = _bundled([("I.1", "2025-03-12", "done")])
    assert out.loc["III.1", "status"] == "not_triggered"


def test_i6_without_evidence_has_no_data_and_says_what_would_show_it():
    out, _ = _bundled([("I.1", "2025-03-12", "done")])
    assert out.loc["I.6", "status"] == "no_data"
    reason = out.loc["I.6", "reason_vi"]
    assert reason.startswith("Chưa có dữ liệu về văn bản triển khai theo yêu cầu của cấp trên: ")
    assert "minh chứng cần có: văn bản yêu cầu của cấp trên" in reason
    # with a deployment document it is on track
    out, _ = _bundled([("I.6", "2025-08-01", "done")])
    assert out.loc["I.6", "status"] == "on_track"


def test_vi2_requires_its_documentary_product():
    # Product of VI.2: "Văn bản tham mưu công bố mức độ dịch vụ công trực tuyến".
    metrics = {"online_share": MetricValue(0.6)}  # 60% >= 50%: indicator met
    out, _ = _bundled([("I.1", "2025-03-12", "done")], metrics)
    assert out.loc["VI.2", "status"] == "behind"
    assert out.loc["VI.2", "reason_vi"].startswith(
        "Năm 2025 chưa có văn bản tham mưu công bố mức độ dịch vụ công trực tuyến hoàn thành"
    )
    out, _ = _bundled([("VI.2", "2025-04-02", "done")], metrics)
    assert out.loc["VI.2", "status"] == "on_track"  # worst of on_track and achieved
    # before the year end, no product yet: not due
    out, _ = _bundled([("I.1", "2025-03-12", "done")], metrics, as_of=date(2025, 9, 30))
    assert out.loc["VI.2", "status"] == "not_due"


def test_vi3_publication_of_progress_is_the_dvcqg_sync_share():
    metrics = {
        "on_time_rate": MetricValue(1.0),
        "overdue_without_apology": MetricValue(0.0),
        "sync_rate": MetricValue(0.9, "90/100 hồ sơ"),
    }
    out, ind = _bundled([], metrics)
    row = ind.loc[(ind["task_id"] == "VI.3") & (ind["indicator_id"] == "sync_rate")].iloc[0]
    assert row["met"] is not pd.NA and not row["met"]
    assert row["basis_vi"] == (
        "Tỷ lệ hồ sơ đồng bộ lên Cổng DVCQG (công khai tiến độ): 90,0% (90/100 hồ sơ) "
        "< chỉ tiêu 100%"
    )
    assert out.loc["VI.3", "status"] == "below_target"
    # without the column the share is not measured (NA), the other indicators decide
    metrics["sync_rate"] = MetricValue(note_vi="dữ liệu hồ sơ không có cột «Đồng bộ DVCQG»")
    out, _ = _bundled([], metrics)
    assert out.loc["VI.3", "status"] == "achieved"


def test_i3_target_not_set_by_the_plan_is_a_reference_not_a_target():
    metrics = {"index766_months_below_prev_year_mean": MetricValue(2.0, "tháng 03, 04")}
    out, ind = _bundled([("I.3", "2025-05-05", "done")], metrics)
    row = ind.loc[
        (ind["task_id"] == "I.3") & (ind["indicator_id"] == "index766_months_below_prev_year_mean")
    ].iloc[0]
    assert pd.isna(row["met"])
    assert not row["counts_for_status"]
    assert row["target_kind"] == "reference"
    assert "chỉ tiêu" not in row["basis_vi"].split("(kế hoạch")[0]
    assert "> mức tham chiếu 0 của người phân tích" in row["basis_vi"]
    # two months below the reference do not make I.3 "below target": its product decides
    assert out.loc["I.3", "status"] == "on_track"


@pytest.mark.parametrize("task", ["V.2", "VII.3"])
def test_v2_vii3_need_evidence_only_at_the_cadence_of_the_plan_text(task):
    # "Thường xuyên" with no period: at least one completed item in the year. A quarter
    # without evidence (here Quý III) is no shortfall.
    rows = [
        (task, "2025-02-10", "done"),
        (task, "2025-05-10", "done"),
        (task, "2025-11-10", "done"),
    ]
    out, _ = _bundled(rows)
    assert out.loc[task, "evidence_cadence"] == "yearly"
    assert out.loc[task, "status"] == "on_track"
    out, _ = _bundled([(task, "2025-05-10", "in_progress")])
    assert out.loc[task, "status"] == "behind"  # only progress at year end
    out, _ = _bundled([(task, "2025-05-10", "in_progress")], as_of=date(2025, 9, 30))
    assert out.loc[task, "status"] == "not_due"


def test_task_rule_table_has_one_row_per_plan_task():
    from tthc_analysis.loading.task_rules import load_task_rules

    rules = load_task_rules()
    assert sorted(rules["task_id"]) == sorted(load_plan().tasks["task_id"])
    by_task = rules.set_index("task_id")
    assert "quý không có tập huấn không phải thiếu sót" in by_task.loc["III.1", "status_logic_vi"]
    assert "Chưa có dữ liệu" in by_task.loc["I.6", "status_logic_vi"]
    assert "mức tham chiếu của người phân tích" in by_task.loc["I.3", "status_logic_vi"]
    assert (rules.drop(columns="task_id").map(len) > 0).all().all()


def test_bad_task_rule_table_names_row_and_column(tmp_path):
    from tthc_analysis.loading.task_rules import load_task_rules

    path = tmp_path / "task_rules.csv"
    path.write_text(
        "task_id,reading_vi,evidence_vi,status_logic_vi,source_vi\nI.1,a,b,c,d\nI.2,a,,c,d\n",
        encoding="utf-8",
    )
    with pytest.raises(InputFileError) as err:
        load_task_rules(path)
    assert (err.value.row, err.value.column) == (3, "evidence_vi")
