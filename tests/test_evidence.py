"""Evidence per period against the cadence (``tthc_analysis.evaluation.evidence``).

Expected counts and missing periods are worked out by hand from the tiny frames below.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from tthc_analysis.errors import ParameterError
from tthc_analysis.evaluation.evidence import EVIDENCE_PERIOD_COLUMNS, evidence_by_period
from tthc_analysis.workdays import default_calendar


def _tasks() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "task_id": ["A.1", "A.2", "A.3", "A.4", "A.5", "A.6"],
            "evidence_cadence": [
                "monthly",
                "ongoing",
                "deadline",
                "on_request",
                "none",
                "quarterly",
            ],
            "evidence_source": ["activities"] * 4 + ["none", "report_submissions"],
            "deadline": pd.to_datetime([None, None, "2025-06-30", None, None, None]),
        }
    )


def _activities() -> pd.DataFrame:
    rows = [
        # A.1 monthly: January (covers), February (dated 05/03 <= due day 10 -> February),
        # March dated 20/03 -> March; nothing for April; an item after the as-of date.
        ("A.1", "2025-02-03", "done", "01/2025"),
        ("A.1", "2025-03-05", "done", None),
        ("A.1", "2025-03-20", "done", None),
        ("A.1", "2025-06-20", "done", None),
        # A.2 ongoing: two items in Q1 (covers ignored: by date), none in Q2.
        ("A.2", "2025-01-15", "done", "Quý II/2025"),
        ("A.2", "2025-02-15", "done", None),
        # A.3 deadline 30/06: work in progress in Q1, done 02/05 (on time).
        ("A.3", "2025-02-01", "in_progress", None),
        ("A.3", "2025-05-02", "done", None),
        # A.4 on request: one item in April.
        ("A.4", "2025-04-10", "done", None),
    ]
    frame = pd.DataFrame(rows, columns=["task_id", "date", "status", "covers_period"])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


AS_OF = date(2025, 5, 20)


def _column(frame: pd.DataFrame, task: str, column: str) -> list:
    return frame.loc[frame["task_id"] == task, column].tolist()


def test_quarters_count_require_and_mark_missing_by_hand():
    out = evidence_by_period(
        _tasks(), _activities(), 2025, AS_OF, "quarter", calendar=default_calendar()
    )
    assert list(out.columns) == list(EVIDENCE_PERIOD_COLUMNS)
    assert list(dict.fromkeys(out["task_id"])) == ["A.1", "A.2", "A.3", "A.4"]  # A.5, A.6 out
    assert _column(out, "A.1", "period_label") == [
        "Quý I/2025", "Quý II/2025", "Quý III/2025", "Quý IV/2025"
    ]  # fmt: skip
    # A.1: Jan, Feb, Mar in Q1; the 20/06 item is after the as-of date.
    assert _column(out, "A.1", "n_evidence") == [3, 0, 0, 0]
    assert _column(out, "A.1", "n_required") == [3.0, 3.0, 3.0, 3.0]
    # Months due by 20/05: Jan–Apr (April due 10/05); April has no notice -> Q2 missing.
    assert _column(out, "A.1", "is_missing") == [False, True, False, False]
    assert _column(out, "A.2", "n_evidence") == [2, 0, 0, 0]
    assert _column(out, "A.2", "n_required") == [1.0, 1.0, 1.0, 1.0]
    assert _column(out, "A.2", "is_missing") == [False, False, False, False]  # Q2 not ended
    assert _column(out, "A.3", "n_evidence") == [1, 1, 0, 0]
    assert _column(out, "A.3", "is_deadline_period") == [False, True, False, False]
    assert _column(out, "A.3", "is_missing") == [False, False, False, False]  # done on time
    assert pd.isna(out.loc[out["task_id"] == "A.4", "n_required"]).all()
    assert _column(out, "A.4", "n_evidence") == [0, 1, 0, 0]
    assert _column(out, "A.1", "is_future") == [False, False, True, True]


def test_months_of_a_missing_quarter_and_a_late_deadline():
    as_of = date(2025, 7, 31)
    acts = _activities()
    acts.loc[acts["date"] == pd.Timestamp("2025-05-02"), "date"] = pd.Timestamp("2025-07-03")
    out = evidence_by_period(_tasks(), acts, 2025, as_of, "month", calendar=default_calendar())
    assert _column(out, "A.1", "period")[:3] == ["2025-01", "2025-02", "2025-03"]
    assert _column(out, "A.1", "n_evidence")[:7] == [1, 1, 1, 0, 0, 1, 0]
    # Due by 31/07: Jan–Jun; April and May have no item.
    assert _column(out, "A.1", "is_missing")[:7] == [False, False, False, True, True, False, False]
    # A.2 (ongoing) has nothing in Q2, which has ended: April, May and June are marked.
    assert _column(out, "A.2", "is_missing")[:7] == [False] * 3 + [True] * 3 + [False]
    assert pd.isna(out.loc[out["task_id"] == "A.2", "n_required"]).all()  # per quarter only
    # A.3 done 03/07, after 30/06: June (the deadline's month) is marked.
    assert _column(out, "A.3", "is_missing")[5] is True
    assert _column(out, "A.3", "n_required")[5] == 1.0
    assert _column(out, "A.1", "is_future") == [False] * 7 + [True] * 5


def test_no_activities_and_bad_period():
    empty = _activities().iloc[0:0]
    out = evidence_by_period(_tasks(), empty, 2025, AS_OF, "quarter", calendar=default_calendar())
    assert out["n_evidence"].sum() == 0
    assert len(out) == 16
    with pytest.raises(ParameterError, match="Kỳ «week»"):
        evidence_by_period(_tasks(), empty, 2025, AS_OF, "week", calendar=default_calendar())
