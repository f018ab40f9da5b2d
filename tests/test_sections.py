"""Section roll-up: hand-counted fixture and reconciliation for any statuses."""

import math
from functools import cache

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tthc_analysis.evaluation.sections import SECTION_COLUMNS, bucket, overall_summary, roll_up
from tthc_analysis.plan import load_plan as _load_plan
from tthc_analysis.status import STATUSES, status_label


@cache
def load_plan():
    return _load_plan()


def task_frame(statuses: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "task_id": tid,
                "section_id": tid.split(".")[0],
                "section_title": f"Mục {tid.split('.')[0]}",
                "status": code,
                "status_vi": status_label(code),
            }
            for tid, code in statuses.items()
        ]
    )


def test_buckets():
    assert [bucket(c) for c in STATUSES] == [
        "problem",  # overdue
        "problem",  # behind
        "problem",  # below_target
        "done",  # done_late
        "no_data",
        "on_track",  # not_due
        "on_track",  # not_triggered
        "on_track",
        "done",  # achieved
        "done",  # done_on_time
    ]


def test_roll_up_hand_counted():
    tasks = task_frame(
        {
            "I.1": "on_track",
            "I.2": "behind",
            "I.3": "achieved",
            "I.4": "no_data",
            "II.1": "done_late",
            "II.2": "done_on_time",
            "III.1": "overdue",
        }
    )
    sections = roll_up(tasks).set_index("section_id")
    assert list(roll_up(tasks).columns) == list(SECTION_COLUMNS)
    one = sections.loc["I"]
    assert (
        one["n_tasks"],
        one["n_done"],
        one["n_on_track"],
        one["n_problem"],
        one["n_no_data"],
    ) == (
        4,
        1,
        1,
        1,
        1,
    )
    assert one["progress_share"] == pytest.approx(2 / 4)
    assert one["status"] == "behind"
    assert one["summary_vi"] == (
        "2/4 nhiệm vụ hoàn thành hoặc đúng tiến độ (1 hoàn thành); "
        "cần chú ý: I.2 (chậm tiến độ / thiếu kỳ); chưa có dữ liệu: I.4"
    )
    two = sections.loc["II"]
    assert (two["n_done"], two["progress_share"], two["status"]) == (2, 1.0, "done_late")
    assert sections.loc["III", "status_vi"] == "Quá hạn"
    assert sections.loc["III", "progress_share"] == 0

    overall = overall_summary(tasks)
    assert (overall["n_tasks"], overall["n_done"], overall["n_on_track"], overall["n_problem"]) == (
        7,
        3,
        1,
        2,
    )
    assert overall["status"] == "overdue"
    assert overall["problem_tasks"] == ["I.2", "III.1"]
    assert overall["summary_vi"] == (
        "4/7 nhiệm vụ hoàn thành hoặc đúng tiến độ (57,1%); 2 nhiệm vụ cần chú ý: I.2, III.1"
    )
    assert overall["n_status_behind"] == 1


def test_sections_without_tasks_after_a_unit_filter():
    plan = load_plan()
    tasks = task_frame({"I.1": "on_track"})
    sections = roll_up(tasks, plan.sections)
    assert len(sections) == 9
    empty = sections.set_index("section_id").loc["IX"]
    assert empty["n_tasks"] == 0
    assert math.isnan(empty["progress_share"])
    assert empty["status"] == "no_data"


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(list(STATUSES)), min_size=24, max_size=24))
def test_counts_reconcile_for_the_24_tasks(codes):
    plan = load_plan()
    tasks = task_frame(dict(zip(plan.tasks["task_id"], codes, strict=True)))
    sections = roll_up(tasks, plan.sections)
    assert sections["n_tasks"].sum() == 24
    assert (
        sections["n_done"] + sections["n_on_track"] + sections["n_problem"] + sections["n_no_data"]
        == sections["n_tasks"]
    ).all()
    status_cols = [f"n_status_{c}" for c in STATUSES]
    assert (sections[status_cols].sum(axis=1) == sections["n_tasks"]).all()
    assert sections["progress_share"].between(0, 1).all()
    overall = overall_summary(tasks)
    assert overall["n_tasks"] == 24
    assert overall["n_done"] == sections["n_done"].sum()
    for sec in sections.itertuples():
        worst = min(
            (
                STATUSES[c].severity
                for c in tasks.loc[tasks["section_id"] == sec.section_id, "status"]
            ),
        )
        assert STATUSES[sec.status].severity == worst
