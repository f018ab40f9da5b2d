"""Report submissions: on time or late by N working days; the VIII.1 roll-up."""

from datetime import date

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from tthc_analysis.metrics.submissions import report_status, reports_overview
from tthc_analysis.workdays import default_calendar


def reports(rows):
    frame = pd.DataFrame(
        rows, columns=["period_id", "report_code", "due_on", "submitted_on", "doc_number"]
    )
    for col in ("due_on", "submitted_on"):
        frame[col] = pd.to_datetime(frame[col]).astype("datetime64[us]")
    return frame


YEAR = [
    ("Q1", "06/VPCP/KSTT", "2025-03-20", "2025-03-25", "101/BC-SGDĐT"),
    ("H1", "06/VPCP/KSTT", "2025-06-20", "2025-06-19", "202/BC-SGDĐT"),
    ("9M", "06/VPCP/KSTT", "2025-09-20", "2025-09-22", "303/BC-SGDĐT"),
    ("Y", "06/VPCP/KSTT", "2025-12-15", None, None),
]


def test_status_and_working_days_late():
    out = report_status(reports(YEAR), date(2025, 12, 31), default_calendar(), 2025)
    assert out["name_vi"].tolist() == [
        "Quý I/2025",
        "6 tháng đầu năm 2025",
        "9 tháng năm 2025",
        "Năm 2025",
    ]
    # Q1: due Thu 20/03, sent Tue 25/03 -> 21, 24, 25 March = 3 WD late.
    # 9M: due Sat 20/09 -> moves to Mon 22/09 -> sent 22/09 on time.
    # Y: due Mon 15/12, not sent at 31/12 -> 16-19, 22-26, 29-31 December = 12 WD.
    assert out["status"].tolist() == ["done_late", "done_on_time", "done_on_time", "overdue"]
    assert out["on_time"].tolist() == [False, True, True, pd.NA]
    assert out["days_late_wd"].tolist() == [3, 0, 0, 12]
    assert out["effective_due_on"].iloc[2] == pd.Timestamp("2025-09-22")
    overview = reports_overview(out)
    assert overview["status"] == "overdue"
    assert (overview["n_due"], overview["n_on_time"], overview["n_late"]) == (4, 2, 1)
    assert overview["reason_vi"].startswith(
        "Chưa gửi báo cáo Năm 2025 (hạn 15/12/2025, quá 12 ngày làm việc)"
    )


def test_late_report_gives_done_late_and_not_due_is_not_counted():
    rows = [*YEAR[:3], ("Y", "06/VPCP/KSTT", "2025-12-15", "2025-12-12", "404/BC-SGDĐT")]
    overview = reports_overview(
        report_status(reports(rows), date(2025, 12, 31), default_calendar())
    )
    assert overview["status"] == "done_late"
    assert (
        "Báo cáo Quý I/2025 gửi trễ 3 ngày làm việc (hạn 20/03/2025, gửi 25/03/2025)"
        in (overview["reason_vi"])
    )
    # As of 30/06: Q1 late, H1 on time; 9M and Y not due and not counted.
    mid = report_status(reports(rows), date(2025, 6, 30), default_calendar())
    assert mid["status"].tolist() == ["done_late", "done_on_time", "not_due", "not_due"]
    assert np.isnan(mid["days_late_wd"].iloc[2])
    assert reports_overview(mid)["n_due"] == 2


def test_all_on_time_then_on_track_before_the_last_report():
    rows = [
        ("Q1", None, "2025-03-20", "2025-03-20", None),
        ("H1", None, "2025-06-20", "2025-06-18", None),
        ("9M", None, "2025-09-20", "2025-09-19", None),
        ("Y", None, "2025-12-20", "2025-12-19", None),
    ]
    cal = default_calendar()
    assert reports_overview(report_status(reports(rows), date(2025, 12, 31), cal))["status"] == (
        "done_on_time"
    )
    # As of 30/09 the year report is not due yet and its submission (19/12) is ignored.
    sept = report_status(reports(rows), date(2025, 9, 30), cal)
    assert pd.isna(sept["submitted_on"].iloc[3])
    overview = reports_overview(sept)
    assert overview["status"] == "on_track"
    assert "3/3 báo cáo đến hạn gửi đúng hạn" in overview["reason_vi"]
    # As of 01/03 nothing is due.
    assert (
        reports_overview(report_status(reports(rows), date(2025, 3, 1), cal))["status"] == "not_due"
    )


def test_no_reports_listed_is_no_data():
    assert (
        reports_overview(
            report_status(reports([]), date(2025, 12, 31), calendar=default_calendar())
        )["status"]
        == "no_data"
    )


def test_year_report_due_in_january_belongs_to_the_previous_year():
    rows = [
        ("Y", None, "2026-01-15", None, None),
        ("Q1", None, "2026-03-20", None, None),
    ]
    out = report_status(reports(rows), date(2026, 3, 31), default_calendar())
    assert out["report_year"].tolist() == [2025, 2026]
    assert out["name_vi"].tolist() == ["Năm 2025", "Quý I/2026"]
    assert (
        len(report_status(reports(rows), date(2026, 3, 31), year=2025, calendar=default_calendar()))
        == 1
    )


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["Q1", "H1", "9M", "Y"]),
            st.dates(min_value=date(2025, 1, 1), max_value=date(2025, 12, 31)),
            st.one_of(st.none(), st.integers(-20, 40)),
        ),
        max_size=8,
    ),
    st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 1, 31)),
)
def test_every_report_gets_one_status_and_counts_reconcile(rows, as_of):
    frame = reports(
        [
            (
                p,
                None,
                due,
                (pd.Timestamp(due) + pd.Timedelta(days=k)) if k is not None else None,
                None,
            )
            for p, due, k in rows
        ]
    )
    out = report_status(frame, as_of, default_calendar())
    assert set(out["status"]) <= {"done_on_time", "done_late", "overdue", "not_due"}
    overview = reports_overview(out)
    assert overview["n_on_time"] + overview["n_late"] + overview["n_overdue"] + overview[
        "n_not_due"
    ] == len(rows)
    assert (out["days_late_wd"].dropna() >= 0).all()
