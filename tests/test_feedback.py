"""PAKN time limits on hand-computed fixtures (2025 working-day calendar)."""

from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tthc_analysis.config import PaknLimits
from tthc_analysis.fields import DATASETS
from tthc_analysis.metrics.feedback import (
    feedback_rates,
    feedback_summary,
    feedback_timeliness,
    late_feedback,
)
from tthc_analysis.workdays import default_calendar

MARCH = (date(2025, 3, 1), date(2025, 3, 31))


def pakn(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(
        {f.name: pd.Series([None] * len(rows), dtype=object) for f in DATASETS["feedback"]}
    )
    for i, row in enumerate(rows):
        for key, value in row.items():
            frame.at[i, key] = value
    for f in DATASETS["feedback"]:
        if f.kind == "date":
            frame[f.name] = pd.to_datetime(frame[f.name]).astype("datetime64[us]")
        else:
            frame[f.name] = frame[f.name].astype(f.dtype)
    return frame


def judge(rows, start=MARCH[0], end=MARCH[1], limits=None):
    t = feedback_timeliness(pakn(rows), start, end, default_calendar(), limits)
    return t.set_index("feedback_id")


def test_handled_on_working_day_15_is_on_time_and_16_is_late():
    # Received Mon 03/03/2025: 15th WD = 24/03 (4-7, 10-14, 17-21, 24 March).
    t = judge(
        [
            {
                "feedback_id": "A",
                "received_on": "2025-03-03",
                "status": "handled",
                "handled_on": "2025-03-24",
                "published_on": "2025-03-26",
            },
            {
                "feedback_id": "B",
                "received_on": "2025-03-03",
                "status": "handled",
                "handled_on": "2025-03-25",
                "published_on": "2025-03-25",
            },
        ]
    )
    assert t.loc["A", "elapsed_wd"] == 15
    assert t.loc["B", "elapsed_wd"] == 16
    assert t.loc["A", "handling_on_time"]
    assert not t.loc["B", "handling_on_time"]
    assert t.loc["B", "late_reason_vi"] == "Xử lý xong sau 16 ngày làm việc (hạn 15)"


def test_fifteen_working_days_across_the_april_may_holidays():
    # Received Tue 22/04/2025: 23, 24, 25, 26 (swapped Saturday), 28, 29 April,
    # 5-9 May, 12-15 May -> 15th WD is Thu 15/05/2025.
    t = judge(
        [
            {
                "feedback_id": "A",
                "received_on": "2025-04-22",
                "status": "handled",
                "handled_on": "2025-05-15",
            },
            {
                "feedback_id": "B",
                "received_on": "2025-04-22",
                "status": "handled",
                "handled_on": "2025-05-16",
            },
        ],
        date(2025, 4, 15),
        date(2025, 5, 31),
    )
    assert t["handling_on_time"].tolist() == [True, False]


def test_rejection_within_two_working_days():
    t = judge(
        [
            {
                "feedback_id": "A",
                "received_on": "2025-03-03",
                "status": "rejected",
                "rejected_on": "2025-03-05",
            },
            {
                "feedback_id": "B",
                "received_on": "2025-03-07",
                "status": "rejected",
                "rejected_on": "2025-03-11",
            },
        ]
    )
    # 07/03 (Fri) -> 10/03, 11/03: 2 WD, on time despite 4 calendar days.
    assert t["handling_on_time"].tolist() == [True, True]
    t = judge(
        [
            {
                "feedback_id": "C",
                "received_on": "2025-03-03",
                "status": "rejected",
                "rejected_on": "2025-03-06",
            }
        ]
    )
    assert not t.loc["C", "handling_on_time"]
    assert t.loc["C", "limit_wd"] == 2


def test_open_item_in_time_at_the_cut_off():
    # Cut-off 31/03: received 10/03 -> 15 WD elapsed (in time); 07/03 -> 16 (late).
    t = judge(
        [
            {"feedback_id": "A", "received_on": "2025-03-10", "status": "processing"},
            {"feedback_id": "B", "received_on": "2025-03-07", "status": "processing"},
        ]
    )
    assert t["outcome"].tolist() == ["open", "open"]
    assert t.loc["A", "elapsed_wd"] == 15
    assert t.loc["A", "handling_on_time"]
    assert not t.loc["B", "handling_on_time"]


def test_late_first_supplement_request_makes_the_item_late():
    t = judge(
        [
            {
                "feedback_id": "A",
                "received_on": "2025-03-03",
                "status": "handled",
                "supplement_requested_on": "2025-03-10",
                "handled_on": "2025-03-20",
            },
            {
                "feedback_id": "B",
                "received_on": "2025-03-03",
                "status": "handled",
                "supplement_requested_on": "2025-03-11",
                "handled_on": "2025-03-20",
            },
        ]
    )
    assert t.loc["A", "supplement_wd"] == 5
    assert t["handling_on_time"].tolist() == [True, False]


def test_publication_within_two_working_days():
    # Handled Mon 24/03 -> publish by Wed 26/03.
    rows = [
        {
            "feedback_id": "A",
            "received_on": "2025-03-03",
            "status": "published",
            "handled_on": "2025-03-24",
            "published_on": "2025-03-26",
        },
        {
            "feedback_id": "B",
            "received_on": "2025-03-03",
            "status": "published",
            "handled_on": "2025-03-24",
            "published_on": "2025-03-27",
        },
        {
            "feedback_id": "C",
            "received_on": "2025-03-03",
            "status": "handled",
            "handled_on": "2025-03-24",
        },
        # handled on the cut-off day: publication not due yet
        {
            "feedback_id": "D",
            "received_on": "2025-03-17",
            "status": "handled",
            "handled_on": "2025-03-31",
        },
    ]
    t = judge(rows)
    assert t["publish_deadline_on"].iloc[0] == pd.Timestamp("2025-03-26")
    assert t["published_on_time"].tolist() == [True, False, False, pd.NA]
    assert t.loc["C", "late_reason_vi"] == "Chưa công khai kết quả (hạn 2 ngày làm việc)"
    s = feedback_summary(t.reset_index())
    assert (s["n_handled"], s["n_published"], s["n_publish_due"]) == (4, 2, 3)
    assert s["published_share"] == pytest.approx(2 / 4)
    assert s["published_on_time_rate"] == pytest.approx(1 / 3)
    assert s["on_time_rate"] == 1.0


def test_scope_dates_after_cut_off_and_forwarded():
    rows = [
        # closed before the period: out of scope
        {
            "feedback_id": "OLD",
            "received_on": "2025-01-06",
            "status": "published",
            "handled_on": "2025-01-10",
            "published_on": "2025-01-13",
        },
        # received in February, handled in March: carried over, in scope
        {
            "feedback_id": "CARRY",
            "received_on": "2025-02-24",
            "status": "handled",
            "handled_on": "2025-03-05",
        },
        # handled after the cut-off: open at the cut-off
        {
            "feedback_id": "LATER",
            "received_on": "2025-03-20",
            "status": "handled",
            "handled_on": "2025-04-02",
        },
        # forwarded to another body: not judged
        {"feedback_id": "FWD", "received_on": "2025-03-04", "status": "forwarded"},
        # received after the cut-off: out of scope
        {"feedback_id": "NEXT", "received_on": "2025-04-01", "status": "received"},
    ]
    t = judge(rows)
    assert sorted(t.index) == ["CARRY", "FWD", "LATER"]
    assert t.loc["CARRY", "carried_over"]
    assert t.loc["LATER", "outcome"] == "open"
    assert pd.isna(t.loc["LATER", "closed_on"])
    assert t.loc["FWD", "outcome"] == "forwarded"
    assert pd.isna(t.loc["FWD", "handling_on_time"])
    s = feedback_summary(t.reset_index())
    assert (s["n_items"], s["n_carried_over"], s["n_not_judged"], s["n_judged"]) == (3, 1, 1, 2)


def test_limits_come_from_settings():
    rows = [
        {
            "feedback_id": "A",
            "received_on": "2025-03-03",
            "status": "handled",
            "handled_on": "2025-03-25",
        }
    ]
    assert not judge(rows).loc["A", "handling_on_time"]
    assert judge(rows, limits=PaknLimits(handle_wd=16)).loc["A", "handling_on_time"]


def test_content_is_kept_as_plain_text_and_late_list():
    script = '<script>alert("x")</script> & <b>đậm</b>'
    t = judge(
        [
            {
                "feedback_id": "A",
                "received_on": "2025-03-03",
                "status": "handled",
                "handled_on": "2025-03-25",
                "content": script,
                "sender_name": "Nguyễn Văn A",
            }
        ]
    )
    assert t.loc["A", "content"] == script
    assert "sender_name" not in t.columns
    late = late_feedback(t.reset_index())
    assert late["feedback_id"].tolist() == ["A"]
    assert late["content"].iloc[0] == script


def test_rates_by_unit():
    t = judge(
        [
            {
                "feedback_id": "A",
                "received_on": "2025-03-03",
                "status": "handled",
                "handled_on": "2025-03-04",
                "unit": "Văn phòng",
            },
            {
                "feedback_id": "B",
                "received_on": "2025-03-03",
                "status": "handled",
                "handled_on": "2025-03-28",
                "unit": "Văn phòng",
            },
            {
                "feedback_id": "C",
                "received_on": "2025-03-03",
                "status": "handled",
                "handled_on": "2025-03-04",
                "unit": None,
            },
        ]
    )
    by_unit = feedback_rates(t.reset_index(), by="unit").set_index("unit")
    assert by_unit.loc["Văn phòng", "on_time_rate"] == 0.5
    assert by_unit.loc["(không rõ)", "on_time_rate"] == 1.0


def test_empty_feedback_gives_nan_rates():
    s = feedback_summary(judge([]).reset_index())
    assert s["n_items"] == 0
    assert np.isnan(s["on_time_rate"])


_day = st.dates(min_value=date(2025, 1, 1), max_value=date(2025, 6, 30))


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            _day,
            st.sampled_from(
                ["received", "processing", "handled", "published", "rejected", "forwarded"]
            ),
            st.one_of(st.none(), st.integers(0, 40)),
            st.one_of(st.none(), st.integers(0, 10)),
        ),
        max_size=15,
    )
)
def test_counts_reconcile_and_rates_in_unit_interval(rows):
    frame = []
    for i, (received, status, close_days, publish_days) in enumerate(rows):
        closed = (
            pd.Timestamp(received) + pd.Timedelta(days=close_days)
            if close_days is not None
            else None
        )
        published = (
            closed + pd.Timedelta(days=publish_days)
            if closed is not None and publish_days is not None
            else None
        )
        frame.append(
            {
                "feedback_id": f"F{i}",
                "received_on": received,
                "status": status,
                "rejected_on": closed if status == "rejected" else None,
                "handled_on": closed if status in ("handled", "published") else None,
                "published_on": published if status in ("handled", "published") else None,
            }
        )
    t = feedback_timeliness(pakn(frame), date(2025, 3, 1), date(2025, 4, 30), default_calendar())
    s = feedback_summary(t)
    assert s["n_on_time"] + s["n_late"] + s["n_not_judged"] == s["n_items"]
    assert s["n_rejected"] + s["n_handled"] + s["n_open"] + s["n_forwarded"] == s["n_items"]
    assert s["n_received_in_period"] + s["n_carried_over"] == s["n_items"]
    assert s["n_published_on_time"] <= s["n_publish_due"] <= s["n_handled"]
    for key in ("on_time_rate", "published_share", "published_on_time_rate"):
        assert np.isnan(s[key]) or 0 <= s[key] <= 1
    assert (
        t["is_late"].sum()
        == (
            t["handling_on_time"].eq(False).fillna(False)
            | t["published_on_time"].eq(False).fillna(False)
        ).sum()
    )
