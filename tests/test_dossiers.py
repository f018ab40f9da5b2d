"""Dossier outcomes at a cut-off, on the hand-checked fixture of ``dossier_cases``."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from dossier_cases import PERIODS, RULES, canonical, dossier_sets, dossiers, procedures, ts
from hypothesis import HealthCheck, given, settings

from tthc_analysis.config import DossierRules
from tthc_analysis.errors import ParameterError, TthcError
from tthc_analysis.fields import personal_columns
from tthc_analysis.metrics.dossiers import (
    OUTCOMES,
    DossierData,
    as_dossier_data,
    classify_dossiers,
    due_date_from_limit,
    month_windows,
    overdue_list,
)
from tthc_analysis.periods import parse_period
from tthc_analysis.workdays import default_calendar

Q1 = parse_period("q1", 2025)  # 15/12/2024 – 14/03/2025
DEFAULT = DossierRules()


@pytest.fixture(scope="module")
def cal():
    return default_calendar()


def _by_id(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.set_index("dossier_id")


# --- classification on the fixture -------------------------------------------------


def test_scope_and_outcomes_in_q1(cal):
    out = _by_id(classify_dossiers(dossiers(), Q1, cal, DEFAULT))
    assert sorted(out.index) == [
        "D01", "D02", "D03", "D04", "D05", "D06", "D09", "D10", "D11", "D12", "D13", "D14",
    ]  # fmt: skip
    expected = {
        "D01": "on_time",  # finished on the due date
        "D02": "overdue",  # finished one day late
        "D03": "early",
        "D04": "pending_in_time",  # finishes after the cut-off
        "D05": "pending_overdue",
        "D06": "early",  # carried over from December 2024
        "D09": "on_time",  # due date after Tết
        "D10": "on_time",  # late by calendar, on time after the supplement pause
        "D11": "overdue",  # judged against the original due date
        "D12": "overdue",  # two supplement requests
        "D13": "overdue",  # withdrawn after the due date, judged by date
        "D14": "pending_in_time",  # cut-off equals the due date
    }
    assert out["outcome"].astype(str).to_dict() == expected


def test_received_carried_over_and_channel_flags(cal):
    out = _by_id(classify_dossiers(dossiers(), Q1, cal, DEFAULT))
    assert out.index[out["carried_over"]].tolist() == ["D06"]
    assert (out["received_in_period"] == ~out["carried_over"]).all()
    assert sorted(out.index[out["is_online"]]) == ["D01", "D03", "D06", "D09", "D11", "D14"]
    assert sorted(out.index[~out["finished_in_period"]]) == ["D04", "D05", "D14"]


def test_processing_working_days(cal):
    out = _by_id(classify_dossiers(dossiers(), Q1, cal, DEFAULT))
    expected = {
        "D01": 4.0,  # 7, 8, 9, 10/01
        "D02": 3.0,  # 14, 15, 16/01
        "D03": 2.0,
        "D06": 6.0,  # 11, 12, 13, 16, 17, 18/12/2024
        "D09": 3.0,  # 3, 4, 5/02: Tết 27–31/01 not counted
        "D10": 5.0,  # effective end 13/01: 7, 8, 9, 10, 13/01
        "D11": 9.0,  # 16, 17, 20–24/01, 3, 4/02
        "D12": 3.0,  # effective end 20/02
        "D13": 5.0,  # 4, 5, 6, 7, 10/03
    }
    assert out["processing_wd"].dropna().to_dict() == expected
    assert out.loc[["D04", "D05", "D14"], "processing_wd"].isna().all()


def test_effective_dates(cal):
    out = _by_id(classify_dossiers(dossiers(), Q1, cal, DEFAULT))
    assert out.loc["D10", "effective_end_at"] == pd.Timestamp("2025-01-13 15:00")
    assert out.loc["D01", "effective_end_at"] == pd.Timestamp("2025-01-10 15:30")
    assert pd.isna(out.loc["D04", "effective_end_at"])  # pending at the cut-off
    assert out.loc["D11", "effective_due_at"] == pd.Timestamp("2025-01-22 17:00")


def test_rescheduled_policy_judges_against_the_new_date(cal):
    rules = DossierRules(rescheduled_due_policy="rescheduled")
    out = _by_id(classify_dossiers(dossiers(), Q1, cal, rules))
    assert out.loc["D11", "outcome"] == "early"  # 04/02 < 05/02
    assert out.loc["D11", "effective_due_at"] == pd.Timestamp("2025-02-05 17:00")
    assert out.loc["D02", "outcome"] == "overdue"  # no rescheduled date: unchanged


def test_multiple_supplements_rule_can_be_switched_off(cal):
    rules = DossierRules(multiple_supplements_overdue=False)
    out = _by_id(classify_dossiers(dossiers(), Q1, cal, rules))
    assert out.loc["D12", "outcome"] == "early"  # 20/02 < 24/02


def test_withdrawn_on_time_option(cal):
    rules = DossierRules(rejected_withdrawn_on_time=True)
    out = _by_id(classify_dossiers(dossiers(), Q1, cal, rules))
    assert out.loc["D13", "outcome"] == "on_time"
    assert out.loc["D02", "outcome"] == "overdue"  # status completed: unchanged


def test_next_quarter_carries_over_the_pending_dossiers(cal):
    q2 = parse_period("q2", 2025)  # 15/03 – 14/06/2025
    out = _by_id(classify_dossiers(dossiers(), q2, cal, DEFAULT))
    assert out["outcome"].astype(str).to_dict() == {
        "D04": "overdue",  # finished 18/03, due 17/03
        "D05": "pending_overdue",
        "D08": "early",  # received 20/03, finished 25/03 < 27/03
        "D14": "pending_overdue",
    }
    assert out.index[out["carried_over"]].tolist() == ["D04", "D05", "D14"]


def test_calendar_window(cal):
    q1 = parse_period("q1", 2025, "calendar")  # 01/01 – 31/03/2025
    out = _by_id(classify_dossiers(dossiers(), q1, cal, DEFAULT))
    assert "D06" not in out.index  # finished 18/12/2024
    assert out.loc["D04", "outcome"] == "overdue"
    assert out.loc["D08", "outcome"] == "early"
    assert out.loc["D14", "outcome"] == "pending_overdue"  # 31/03 > 14/03


def test_working_day_pause(cal):
    rows = [
        {
            "dossier_id": "W1",
            "procedure_code": "1.000001",
            "channel": "online",
            "received_at": ts("13/01/2025 09:00"),
            "due_at": ts("17/01/2025 17:00"),
            "completed_at": ts("20/01/2025 10:00"),  # Monday
            "supplement_requests": 1,
            "supplement_days": 2.0,
        }
    ]
    frame = canonical("dossiers", rows)
    by_calendar = classify_dossiers(frame, Q1, cal, DEFAULT)
    # 20/01 - 2 days = Sat 18/01 > Fri 17/01
    assert by_calendar["outcome"].iloc[0] == "overdue"
    by_workdays = classify_dossiers(
        frame, Q1, cal, DossierRules(supplement_pause_unit="working_days")
    )
    # 20/01 - 2 working days = Thu 16/01 < 17/01
    assert by_workdays["outcome"].iloc[0] == "early"
    assert by_workdays["effective_end_at"].iloc[0] == pd.Timestamp("2025-01-16 10:00")
    assert by_workdays["processing_wd"].iloc[0] == 3.0  # 14, 15, 16/01


def test_pending_dossier_pause_is_subtracted_at_the_cut_off(cal):
    rows = [
        {
            "dossier_id": "P1",
            "procedure_code": "1.000001",
            "channel": "in_person",
            "received_at": ts("03/03/2025 09:00"),
            "due_at": ts("12/03/2025 17:00"),
            "supplement_requests": 1,
            "supplement_days": 3.0,
        }
    ]
    out = classify_dossiers(canonical("dossiers", rows), Q1, cal, DEFAULT)
    assert out["outcome"].iloc[0] == "pending_in_time"  # 14/03 - 3 days = 11/03 <= 12/03


def test_returned_at_is_the_end_when_completed_at_is_empty(cal):
    rows = [
        {
            "dossier_id": "R1",
            "procedure_code": "1.000001",
            "channel": "online",
            "status": "returned",
            "received_at": ts("06/02/2025 09:00"),
            "due_at": ts("12/02/2025 17:00"),
            "returned_at": ts("12/02/2025 09:00"),
        }
    ]
    out = classify_dossiers(canonical("dossiers", rows), Q1, cal, DEFAULT)
    assert out["outcome"].iloc[0] == "on_time"
    assert out["finished_in_period"].iloc[0]


def test_missing_due_date_is_an_error(cal):
    frame = dossiers()
    frame.loc[2, "due_at"] = pd.NaT
    with pytest.raises(TthcError, match="D03"):
        classify_dossiers(frame, Q1, cal, DEFAULT)


def test_non_canonical_dtypes_are_accepted(cal):
    """Plain object columns (e.g. built by hand in a notebook) give the same result."""
    frame = dossiers().astype(object)
    for column in ("received_at", "due_at", "completed_at", "rescheduled_due_at"):
        frame[column] = pd.to_datetime(frame[column])
    out = classify_dossiers(frame, Q1, cal, DEFAULT)
    reference = classify_dossiers(dossiers(), Q1, cal, DEFAULT)
    assert out["outcome"].astype(str).tolist() == reference["outcome"].astype(str).tolist()


def test_dossier_data_is_reused_and_checked(cal):
    data = DossierData(dossiers(), procedures(), cal, DEFAULT)
    assert as_dossier_data(data) is data
    assert as_dossier_data(data, None, cal, DossierRules()) is data  # equal rules
    with pytest.raises(ParameterError):
        as_dossier_data(data, None, None, DossierRules(rescheduled_due_policy="rescheduled"))
    first = classify_dossiers(data, Q1)
    assert first["outcome"].astype(str).tolist() == (
        classify_dossiers(dossiers(), Q1, cal, DEFAULT)["outcome"].astype(str).tolist()
    )


# --- overdue list -------------------------------------------------------------------


def test_overdue_list(cal):
    out = overdue_list(dossiers(), Q1, cal, DEFAULT, procedures())
    assert out["dossier_id"].tolist() == ["D05", "D11", "D02", "D13", "D12"]
    assert out["days_late_wd"].tolist() == [5.0, 4.0, 1.0, 1.0, 0.0]
    assert out["outcome"].astype(str).tolist() == [
        "pending_overdue", "overdue", "overdue", "overdue", "overdue",
    ]  # fmt: skip
    d11 = out.set_index("dossier_id").loc["D11"]
    assert bool(d11["has_apology"]) and bool(d11["met_rescheduled_due"])
    assert d11["overdue_reason"] == "Chờ xác minh văn bằng gốc"
    assert d11["rescheduled_due_at"] == pd.Timestamp("2025-02-05 17:00")
    assert d11["procedure_name"] == "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc"  # catalogue
    d12 = out.set_index("dossier_id").loc["D12"]
    assert bool(d12["multiple_supplements"]) and d12["supplement_requests"] == 2


def test_overdue_list_has_no_personal_data(cal):
    out = overdue_list(dossiers(), Q1, cal, DEFAULT)
    assert not set(out.columns) & personal_columns()
    assert "Nguyễn Văn An" not in out.to_string()


def test_overdue_list_rescheduled_policy(cal):
    rules = DossierRules(rescheduled_due_policy="rescheduled")
    out = overdue_list(dossiers(), Q1, cal, rules)
    assert "D11" not in out["dossier_id"].tolist()


# --- due dates and month windows -------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "limit", "unit", "expected"),
    [
        ("24/01/2025 10:00", 3, "working_day", "2025-02-05"),  # Tết 27–31/01
        ("25/04/2025 10:00", 5, "working_day", "2025-05-06"),  # Sat 26/04 worked; 30/04–02/05 off
        ("31/01/2025", 10, "day", "2025-02-10"),
        ("22/01/2025", 10, "day", "2025-02-03"),  # 01/02 is a day off: rolled forward
        ("31/03/2025", 1, "month", "2025-05-05"),  # 30/04 (holiday) -> Mon 05/05
        ("31/01/2025", 1, "month", "2025-02-28"),  # no 31/02: last day of February
        ("24/01/2025", 16, "hour", "2025-02-04"),  # 2 working days
        ("25/01/2025", 0, "working_day", "2025-02-03"),  # Sat in Tết: rolled forward
    ],
)
def test_due_date_from_limit(cal, received, limit, unit, expected):
    assert due_date_from_limit(ts(received), limit, unit, cal) == np.datetime64(expected, "us")


def test_due_date_from_limit_vectorised(cal):
    received = pd.Series([ts("24/01/2025 10:00"), ts("31/01/2025"), None, ts("01/02/2025")])
    out = due_date_from_limit(
        received,
        [3, 10, 3, np.nan],
        ["working_day", "day", "day", "day"],
        calendar=default_calendar(),
    )
    assert str(out[0])[:10] == "2025-02-05" and str(out[1])[:10] == "2025-02-10"
    assert np.isnat(out[2]) and np.isnat(out[3])
    assert np.isnat(due_date_from_limit(ts("24/01/2025"), 3, "unknown", cal))


def test_month_windows_tile_the_period():
    months = month_windows(Q1)
    assert [m.period_id for m in months] == ["2025-01", "2025-02", "2025-03"]
    assert (months[0].start, months[-1].end) == (date(2024, 12, 15), date(2025, 3, 14))
    custom = month_windows(parse_period("20/01/2025-10/03/2025", 2025))
    assert [(m.period_id, m.start, m.end) for m in custom] == [
        ("2025-01", date(2025, 1, 20), date(2025, 1, 31)),
        ("2025-02", date(2025, 2, 1), date(2025, 2, 28)),
        ("2025-03", date(2025, 3, 1), date(2025, 3, 10)),
    ]


# --- invariants on generated data ---------------------------------------------------


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frame=dossier_sets(), period=PERIODS, rules=RULES)
def test_outcomes_partition_the_dossiers_in_scope(frame, period, rules):
    cal = default_calendar()
    out = classify_dossiers(frame, period, cal, rules)
    start, end = pd.Timestamp(period.start), pd.Timestamp(period.end)
    received = frame["received_at"].dt.normalize()
    ended = frame["completed_at"].dt.normalize()
    in_scope = (received <= end) & ((received >= start) | ended.isna() | (ended >= start))
    # issue 12 rule 1: not received dossiers are never in scope; rule 6: "exclude"
    status = frame["status"]
    in_scope &= ~status.isin(["registered", "refused_intake"])
    stopped_ended = status.eq("stopped") & (rules.stopped_as == "ended") & ended.notna()
    returned = status.eq("rejected") | stopped_ended
    in_scope &= ~(status.eq("withdrawn") & (rules.policy("withdrawn", "form06") == "exclude"))
    in_scope &= ~(returned & (rules.policy("returned_without_result", "form06") == "exclude"))
    assert sorted(out["dossier_id"]) == sorted(frame.loc[in_scope, "dossier_id"])
    assert set(out["outcome"].astype(str)) <= set(OUTCOMES)
    finished = out["outcome"].isin(["early", "on_time", "overdue"])
    assert (finished == out["finished_in_period"]).all()
    assert (out["received_in_period"] ^ out["carried_over"]).all()
    assert out.loc[~finished, "processing_wd"].isna().all()
    assert (out.loc[finished, "processing_wd"] >= 0).all()
    late = overdue_list(frame, period, cal, rules)
    n_late = out["outcome"].isin(["overdue", "pending_overdue"]).sum()
    assert len(late) == n_late and (late["days_late_wd"] >= 0).all()
