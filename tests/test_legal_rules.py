"""Issue 12: dossier outcomes by the legal rules, on hand-computed fixtures.

Rules 1, 2, 3, 6, 7, 8, 9, 10 (rules 4 and 5 belong to the loaders). The month fixture
is ``tests/month_05_2025.py`` (18 dossiers, 15/04–14/05/2025, holidays 30/04–02/05);
each rule also has a small fixture of its own below, dossier by dossier, with the
expected form 06 column and the legal source in a comment.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from dossier_cases import P_THI, P_VB, THI, UNIT_GDPT, UNIT_QLCL, VB, canonical, procedures, ts
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from month_05_2025 import EXPECTED_FORM06, EXPECTED_OUTCOME, MAY, may_dossiers, may_rows

from tthc_analysis.config import DossierRules, NoResultPolicy, PaknLimits, load_settings
from tthc_analysis.evaluation.tasks import MetricValue, judge_indicator
from tthc_analysis.metrics.dossiers import (
    NOT_RECEIVED_STATUSES,
    DossierData,
    classify_dossiers,
    intake_refusals,
    method_notes_vi,
    overdue_list,
)
from tthc_analysis.metrics.feedback import feedback_rates, feedback_timeliness
from tthc_analysis.metrics.form06 import COUNT_COLUMNS, check_identities, form06
from tthc_analysis.metrics.rates import dossier_rates, missing_note_vi
from tthc_analysis.periods import parse_period
from tthc_analysis.workdays import default_calendar

DEFAULT = DossierRules()


@pytest.fixture(scope="module")
def cal():
    return default_calendar()


def _cells(table: pd.DataFrame) -> dict[str, tuple[int, ...]]:
    return {
        row["field"]: tuple(int(row[c]) for c in COUNT_COLUMNS) for row in table.to_dict("records")
    }


def _outcomes(frame, period, cal, rules=DEFAULT, use="form06") -> dict[str, str]:
    table = classify_dossiers(frame, period, cal, rules, use)
    return dict(zip(table["dossier_id"], table["outcome"].astype(str), strict=True))


# --- the month 05/2025 fixture, cell by cell ---------------------------------------------


def test_month_05_2025_form06_cell_by_cell(cal):
    table = form06(may_dossiers(), MAY, cal, DEFAULT, procedures=procedures())
    assert _cells(table) == EXPECTED_FORM06
    assert check_identities(table).empty


def test_month_05_2025_outcome_of_every_dossier(cal):
    assert _outcomes(may_dossiers(), MAY, cal) == EXPECTED_OUTCOME


def test_month_05_2025_settings_from_yaml_are_the_defaults(cal):
    # The bundled settings.yaml must give the same form as DossierRules() defaults.
    rules = load_settings().dossiers
    table = form06(may_dossiers(), MAY, cal, rules)
    assert _cells(table) == EXPECTED_FORM06


def test_month_05_2025_rates(cal):
    row = dossier_rates(may_dossiers(), procedures(), MAY, None, cal, DEFAULT).iloc[0]
    # received in the month: 13 (columns 4 + 5); in scope 16 (M01, M02 never counted)
    assert row["n_received"] == 13
    assert row["n_in_scope"] == 16
    # 766 2.1: early 3 + on time 4 + pending in time 3 = 10 of 16
    assert row["n_on_time"] == 10
    assert row["on_time_rate"] == pytest.approx(10 / 16)
    # rule 8: eligible (1.000001) dossiers received: M06 M07 M09 M14 M18; full online:
    # M06 (result online) and M14 (result by public post)
    assert row["n_eligible_received"] == 5
    assert row["n_full_online_eligible"] == 2
    assert row["full_online_share"] == pytest.approx(2 / 5)
    assert row["full_online_share_all"] == pytest.approx(2 / 13)


# --- rule 1: not received is not counted -------------------------------------------------


def test_rule1_not_received_in_no_column_and_no_rate(cal):
    frame = may_dossiers()
    only = frame.loc[frame["dossier_id"].isin(["M01", "M02"])]
    # M01 refused at the counter (TT 01/2018 form 03), M02 only registered (DVCQG 1):
    # in no column of form 06 (only the total row, all zeros) and in no rate.
    table = form06(only, MAY, cal, DEFAULT)
    assert table["field"].tolist() == ["Tổng cộng"]
    assert table[list(COUNT_COLUMNS)].to_numpy().sum() == 0
    rates = dossier_rates(only, procedures(), MAY, None, cal, DEFAULT).iloc[0]
    assert rates["n_received"] == 0 and rates["n_in_scope"] == 0
    assert math.isnan(rates["on_time_rate"])
    assert classify_dossiers(only, MAY, cal, DEFAULT).empty
    assert overdue_list(only, MAY, cal, DEFAULT).empty


def test_rule1_intake_refusals_per_month_and_unit():
    frame = pd.concat(
        [
            may_dossiers(),
            canonical(
                "dossiers",
                [
                    # refused 15/05: belongs to month 06/2025 (15/05–14/06)
                    {"dossier_id": "R1", "procedure_code": P_THI, "channel": "in_person",
                     "status": "refused_intake", "unit": UNIT_GDPT,
                     "received_at": ts("15/05/2025 09:00"), "due_at": ts("20/05/2025")},
                    # refused 14/04: month 04/2025, outside the period asked
                    {"dossier_id": "R2", "procedure_code": P_THI, "channel": "in_person",
                     "status": "refused_intake", "unit": None,
                     "received_at": ts("14/04/2025 09:00"), "due_at": ts("17/04/2025")},
                ],
            ),
        ],
        ignore_index=True,
    )  # fmt: skip
    table = intake_refusals(frame, parse_period("q2", 2025))  # 15/03–14/06/2025
    assert table.to_dict("records") == [
        {"month": "2025-04", "unit": "Chưa xác định", "n_refused_intake": 1,
         "n_registered": 0, "n_not_received": 1},
        {"month": "2025-05", "unit": UNIT_QLCL, "n_refused_intake": 1, "n_registered": 1,
         "n_not_received": 2},
        {"month": "2025-06", "unit": UNIT_GDPT, "n_refused_intake": 1, "n_registered": 0,
         "n_not_received": 1},
    ]  # fmt: skip
    assert intake_refusals(may_dossiers().iloc[2:], MAY).empty


# --- rule 2: waiting for the applicant stops the clock -----------------------------------

WAIT_PERIOD = MAY  # cut-off 14/05/2025


def _waiting(dossier_id, status, received, due, paused=None, resumed=None, **extra):
    return {
        "dossier_id": dossier_id,
        "procedure_code": P_THI,
        "field": THI,
        "channel": "in_person",
        "status": status,
        "received_at": ts(received),
        "due_at": ts(due),
        "paused_at": ts(paused),
        "resumed_at": ts(resumed),
        **extra,
    }


def test_rule2_waiting_statuses_are_pending_in_time(cal):
    frame = canonical(
        "dossiers",
        [
            # W1: awaiting supplement, due 06/05 long passed at 14/05, request 25/04 before
            # the due date: in time (ND 61/2018 Art 19(4)) -> (12)
            _waiting("W1", "awaiting_supplement", "22/04/2025", "06/05/2025", "25/04/2025"),
            # W2: awaiting a financial obligation, no request date in the export: in time
            _waiting("W2", "awaiting_obligation", "22/04/2025", "06/05/2025"),
            # W3: paused, request 08/05 after the due date 06/05: the clock had run out
            # -> (13)
            _waiting("W3", "paused", "22/04/2025", "06/05/2025", "08/05/2025"),
            # W4: "Dừng xử lý" without any end date: a stop with a reason (rule 2), not an
            # end -> waiting, in time (12)
            _waiting("W4", "stopped", "22/04/2025", "06/05/2025"),
            # W7: "Dừng xử lý" with a request date after the due date -> (13)
            _waiting("W7", "stopped", "22/04/2025", "06/05/2025", "07/05/2025"),
            # W5: processing (not waiting), due 06/05 -> (13)
            _waiting("W5", "processing", "22/04/2025", "06/05/2025"),
            # W6: awaiting supplement but a second request: DVCQG rule -> (13)
            _waiting("W6", "awaiting_supplement", "22/04/2025", "06/05/2025", "25/04/2025",
                     supplement_requests=2),
        ],
    )  # fmt: skip
    assert _outcomes(frame, WAIT_PERIOD, cal) == {
        "W1": "pending_in_time",
        "W2": "pending_in_time",
        "W3": "pending_overdue",
        "W4": "pending_in_time",
        "W5": "pending_overdue",
        "W6": "pending_overdue",
        "W7": "pending_overdue",
    }
    # M11 ("Dừng xử lý" on 24/04 with its end date) stays an end without a result; with
    # stopped_as=paused it leaves the returned-without-result policy (here: excluded)
    excluded = NoResultPolicy(form06="exclude", index766="exclude")
    ended = _outcomes(may_dossiers(), MAY, cal, DossierRules(returned_without_result=excluded))
    assert "M11" not in ended and "M10" not in ended
    paused = DossierRules(stopped_as="paused", returned_without_result=excluded)
    assert _outcomes(may_dossiers(), MAY, cal, paused)["M11"] == "on_time"


def test_rule2_pause_dates_in_working_days(cal):
    frame = canonical(
        "dossiers",
        [
            # P1 = M06: pause 29/04 -> 05/05 spans 30/04, 01/05, 02/05 (off) and the
            # weekend: 1 working day (05/05). Finished 09/05 -> effective 08/05 > due
            # 06/05: overdue (10). The export's "6 days" (calendar) would give 03/05.
            _waiting("P1", "returned", "22/04/2025", "06/05/2025", "29/04/2025 10:00",
                     "05/05/2025 08:00", completed_at=ts("09/05/2025 10:00"),
                     supplement_days=6.0, supplement_requests=1),
            # P2: same without the dates: "6 days" in calendar days -> 03/05 < 06/05:
            # early (8) (the documented fallback)
            _waiting("P2", "returned", "22/04/2025", "06/05/2025",
                     completed_at=ts("09/05/2025 10:00"), supplement_days=6.0,
                     supplement_requests=1),
            # P3: paused 23/04 -> 28/04: (23/04, 28/04] = 24, 25, 26 (swapped Saturday),
            # 28/04 = 4 working days; pending at 14/05, due 08/05: 14/05 - 4 WD = 08/05
            # <= 08/05: in time (12)
            _waiting("P3", "processing", "22/04/2025", "08/05/2025", "23/04/2025",
                     "28/04/2025"),
        ],
    )  # fmt: skip
    out = _outcomes(frame, WAIT_PERIOD, cal)
    assert out == {"P1": "overdue", "P2": "early", "P3": "pending_in_time"}
    table = classify_dossiers(frame, WAIT_PERIOD, cal, DEFAULT).set_index("dossier_id")
    assert table.loc["P1", "effective_end_at"] == pd.Timestamp("2025-05-08 10:00")
    # P1 processing time: (22/04, 08/05] = 23, 24, 25, 26, 28, 29/04, 05, 06, 07, 08/05
    assert table.loc["P1", "processing_wd"] == 10


# --- rule 3: a due date on a day off rolls to the next working day -----------------------


def test_rule3_due_on_holiday_rolls_forward(cal):
    frame = canonical(
        "dossiers",
        [
            # H1: the example: received 25/04, due 30/04 (holiday), finished 05/05
            # -> due 05/05, on time (9) (BLDS 2015 Art 148)
            _waiting("H1", "completed", "25/04/2025", "30/04/2025",
                     completed_at=ts("05/05/2025 10:00")),
            # H2: due Sat 03/05 -> Mon 05/05; finished 02/05 (holiday, online) -> early (8)
            _waiting("H2", "completed", "25/04/2025", "03/05/2025",
                     completed_at=ts("02/05/2025 21:00")),
            # H3: due Sun 11/05 -> 12/05; finished 13/05 -> overdue (10)
            _waiting("H3", "completed", "05/05/2025", "11/05/2025",
                     completed_at=ts("13/05/2025 09:00")),
            # H4: pending, due 30/04 -> 05/05 < cut-off 14/05 -> (13)
            _waiting("H4", "processing", "25/04/2025", "30/04/2025"),
        ],
    )  # fmt: skip
    assert _outcomes(frame, MAY, cal) == {
        "H1": "on_time",
        "H2": "early",
        "H3": "overdue",
        "H4": "pending_overdue",
    }
    table = classify_dossiers(frame, MAY, cal, DEFAULT).set_index("dossier_id")
    assert table.loc["H1", "effective_due_at"] == pd.Timestamp("2025-05-05")
    # the cut-off on a day off: due Sat 14/06 -> 16/06, pending at the 14/06 cut-off
    june = canonical("dossiers", [_waiting("H5", "processing", "10/06/2025", "14/06/2025")])
    assert _outcomes(june, parse_period("06", 2025), cal) == {"H5": "pending_in_time"}


# --- rule 6: withdrawn and returned dossiers, per use ------------------------------------


def test_rule6_withdrawn_and_returned_policies(cal):
    frame = may_dossiers()
    # M09 withdrawn 2 days late; M10 rejected early; M11 stopped on the due date.
    by_use = DossierRules(
        withdrawn=NoResultPolicy(form06="on_time", index766="exclude"),
        returned_without_result=NoResultPolicy(form06="exclude", index766="on_time"),
    )
    table = _cells(form06(frame, MAY, cal, by_use))
    # form 06: M09 moves from (10) to (9); M10 and M11 (THI) leave the form
    assert table[VB] == (7, 3, 2, 2, 6, 2, 3, 1, 1, 0, 1)
    assert table[THI] == (7, 4, 2, 1, 3, 0, 1, 2, 4, 3, 1)
    rates = dossier_rates(frame, procedures(), MAY, None, cal, by_use).iloc[0]
    # 766: M09 excluded (15 in scope, 12 received); M10 early -> on time: still on time
    assert rates["n_in_scope"] == 15 and rates["n_received"] == 12
    assert rates["n_finished_early"] == 2  # M12 M14
    assert rates["n_finished_on_time"] == 5  # M07 M08 M10 M11 M18
    # the deprecated switch still sets everything to on time
    legacy = _cells(form06(frame, MAY, cal, DossierRules(rejected_withdrawn_on_time=True)))
    assert legacy[VB][6:8] == (3, 1)  # M09 on time
    assert legacy[THI][5:8] == (0, 3, 2)  # M10 early -> on time; M11 on time


# --- rule 7: date or timestamp -----------------------------------------------------------


def test_rule7_compare_by_timestamp(cal):
    frame = may_dossiers()
    stamp = DossierRules(compare_by="timestamp")
    out = _outcomes(frame, MAY, cal, stamp)
    # M08: finished 12/05 18:30 after its due time 17:00 -> overdue by timestamp only
    assert out["M08"] == "overdue"
    # M07: due 30/04 (00:00 = end of the day), rolled to 05/05, finished 05/05 10:00
    assert out["M07"] == "on_time"
    changed = {k for k, v in out.items() if v != EXPECTED_OUTCOME[k]}
    assert changed == {"M08"}
    assert _cells(form06(frame, MAY, cal, stamp))[THI][5:8] == (1, 1, 3)
    notes = method_notes_vi(stamp)
    assert any("theo thời điểm" in line for line in notes)
    assert any("theo ngày (không xét giờ)" in line for line in method_notes_vi(DEFAULT))


# --- rule 8: full-online rate on eligible procedures at the time of filing ---------------


def test_rule8_eligibility_at_filing_date(cal):
    catalogue = procedures()
    # 1.000001 offered full online only from 01/05/2025 (dated catalogue)
    catalogue["full_online_since"] = pd.to_datetime(["2025-05-01", None]).astype("datetime64[us]")
    row = dossier_rates(may_dossiers(), catalogue, MAY, None, cal, DEFAULT).iloc[0]
    # filed on or after 01/05: only M14 (05/05) of M06 M07 M09 M14 M18; it is full online
    # (result by public post, ND 42/2022 Art 11)
    assert row["n_eligible_received"] == 1
    assert row["n_full_online_eligible"] == 1
    assert row["full_online_share"] == 1.0
    # M06 (filed 22/04) is no longer full online: the service was partial then
    assert row["n_full_online"] == 1


def test_rule8_result_by_post_counts_in_person_does_not(cal):
    frame = may_dossiers()
    frame.loc[frame["dossier_id"] == "M14", "result_channel"] = "in_person"
    row = dossier_rates(frame, procedures(), MAY, None, cal, DEFAULT).iloc[0]
    assert row["n_full_online_eligible"] == 1  # M06 only


# --- rule 9: no silent zeros ---------------------------------------------------------------


def test_rule9_absent_or_empty_columns_give_no_data(cal):
    frame = may_dossiers().drop(columns=["is_digitized"])  # absent
    frame["reused_data"] = pd.array([pd.NA] * len(frame), dtype="boolean")  # empty
    row = dossier_rates(frame, procedures(), MAY, None, cal, DEFAULT).iloc[0]
    assert math.isnan(row["digitisation_rate"])
    assert row["digitisation_rate_missing"] == "is_digitized"
    assert math.isnan(row["reuse_rate"])
    assert row["reuse_rate_missing"] == "reused_data"
    assert row["sync_rate_missing"] == "" and row["sync_rate"] == 1.0
    note = missing_note_vi(row["digitisation_rate_missing"])
    assert note == "Chưa có dữ liệu: thiếu cột «Số hóa hồ sơ» (dữ liệu hồ sơ)"
    # by month: the month with data is a rate, never 0 %
    monthly = dossier_rates(frame, procedures(), MAY, "month", cal, DEFAULT)
    assert monthly["digitisation_rate"].isna().all()


def test_rule9_no_data_is_not_judged_below_target():
    spec = {"name_vi": "Tỷ lệ số hóa hồ sơ", "unit": "rate", "direction": "min",
            "target": 0.8, "target_date": None}  # fmt: skip
    note = missing_note_vi("is_digitized")
    judged = judge_indicator(spec, MetricValue(note_vi=note), pd.Timestamp("2025-12-31").date())
    assert judged["met"] is pd.NA
    assert judged["basis_vi"] == f"Tỷ lệ số hóa hồ sơ: {note}"
    assert "0%" not in judged["basis_vi"] and "0/" not in judged["basis_vi"]


def test_rule9_missing_catalogue_column_named(cal):
    catalogue = procedures().drop(columns=["has_fee"])
    row = dossier_rates(may_dossiers(), catalogue, MAY, None, cal, DEFAULT).iloc[0]
    assert math.isnan(row["online_payment_rate"])
    # no fee-bearing procedure is known, so the dossier column is not asked for
    assert row["online_payment_rate_missing"] == "procedures.has_fee"
    assert missing_note_vi("procedures.has_fee") == (
        "Chưa có dữ liệu: thiếu cột «Có phí, lệ phí» (danh mục TTHC)"
    )


# --- rule 10: PAKN forwarded within 5 working days ---------------------------------------


def test_rule10_forwarded_pakn_judged_on_the_forwarding_limit(cal):
    rows = [
        # F1: received Fri 25/04, forwarded Tue 06/05: (25/04, 06/05] = 26, 28, 29/04, 05,
        # 06/05 = 5 WD <= 5: on time (ND 20/2008 Art 9(1)(d))
        {"feedback_id": "F1", "received_on": "2025-04-25", "status": "forwarded",
         "forwarded_on": "2025-05-06"},
        # F2: forwarded 07/05 = 6 WD: late
        {"feedback_id": "F2", "received_on": "2025-04-25", "status": "forwarded",
         "forwarded_on": "2025-05-07"},
        # F3: forwarded, no date: cannot be judged
        {"feedback_id": "F3", "received_on": "2025-04-25", "status": "forwarded"},
        # F4: handled within 15 WD: on time (for comparison)
        {"feedback_id": "F4", "received_on": "2025-04-25", "status": "handled",
         "handled_on": "2025-05-09", "published_on": "2025-05-09"},
    ]  # fmt: skip
    frame = canonical("feedback", [
        {**r, **{k: pd.Timestamp(v) for k, v in r.items() if k.endswith("_on")}} for r in rows
    ])  # fmt: skip
    t = feedback_timeliness(frame, MAY.start, MAY.end, cal, PaknLimits()).set_index("feedback_id")
    assert t.loc["F1", "outcome"] == "forwarded" and t.loc["F1", "elapsed_wd"] == 5
    assert bool(t.loc["F1", "handling_on_time"]) is True
    assert bool(t.loc["F2", "handling_on_time"]) is False
    assert (
        "chuyển cơ quan có thẩm quyền sau 6 ngày làm việc (hạn 5)"
        in t.loc["F2", "late_reason_vi"].lower()
    )
    assert t.loc["F3", "handling_on_time"] is pd.NA
    rates = feedback_rates(t).iloc[0]
    # judged: F1, F2, F4 (F3 not judged) -> 2 of 3 on time
    assert (rates["n_judged"], rates["n_on_time"], rates["n_not_judged"]) == (3, 2, 1)
    assert rates["on_time_rate"] == pytest.approx(2 / 3)


# --- invariants -----------------------------------------------------------------------------

ALL_STATUSES = [
    "registered", "refused_intake", "processing", "awaiting_supplement",
    "awaiting_obligation", "paused", "completed", "returned", "rejected", "withdrawn",
    "stopped",
]  # fmt: skip
POLICIES = st.sampled_from(["by_date", "on_time", "exclude"])
RULES_12 = st.builds(
    DossierRules,
    compare_by=st.sampled_from(["date", "timestamp"]),
    stopped_as=st.sampled_from(["ended", "paused"]),
    supplement_pause_unit=st.sampled_from(["calendar_days", "working_days"]),
    withdrawn=st.builds(NoResultPolicy, form06=POLICIES, index766=POLICIES),
    returned_without_result=st.builds(NoResultPolicy, form06=POLICIES, index766=POLICIES),
)


@st.composite
def month_sets(draw):
    """Random dossiers around month 05/2025, every status, with and without pause dates."""
    rows = []
    base = pd.Timestamp("2025-03-20")
    for i in range(draw(st.integers(0, 25))):
        received = base + pd.Timedelta(hours=draw(st.integers(0, 24 * 60)))
        finished = draw(st.booleans())
        paused = received + pd.Timedelta(days=draw(st.integers(0, 10)))
        rows.append(
            {
                "dossier_id": f"Z{i:03d}",
                "procedure_code": draw(st.sampled_from([P_VB, P_THI])),
                "field": draw(st.sampled_from([VB, THI])),
                "channel": draw(st.sampled_from(["online", "in_person", "post"])),
                "status": draw(st.sampled_from(ALL_STATUSES)),
                "received_at": received,
                "due_at": received + pd.Timedelta(days=draw(st.integers(0, 15))),
                "completed_at": (
                    received + pd.Timedelta(hours=draw(st.integers(0, 24 * 40)))
                    if finished
                    else None
                ),
                "paused_at": paused if draw(st.booleans()) else None,
                "resumed_at": (
                    paused + pd.Timedelta(days=draw(st.integers(0, 8)))
                    if draw(st.booleans())
                    else None
                ),
                "supplement_requests": draw(st.integers(0, 2)),
            }
        )
    return canonical("dossiers", rows)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frame=month_sets(), rules=RULES_12)
def test_every_received_dossier_in_exactly_one_column(frame, rules):
    cal = default_calendar()
    data = DossierData(frame, procedures(), cal, rules)
    table = form06(data, MAY)
    assert check_identities(table).empty
    total = table.iloc[-1]
    # independent count of the dossiers form 06 must hold
    recv = frame["received_at"].dt.normalize()
    end = frame["completed_at"].dt.normalize()
    start, cut = pd.Timestamp(MAY.start), pd.Timestamp(MAY.end)
    in_scope = (recv <= cut) & ((recv >= start) | end.isna() | (end >= start))
    received = ~frame["status"].isin(NOT_RECEIVED_STATUSES)
    status = frame["status"]
    stopped_ends = status.eq("stopped") & (rules.stopped_as == "ended") & end.notna()
    excluded = (status.eq("withdrawn") & (rules.withdrawn.form06 == "exclude")) | (
        (status.eq("rejected") | stopped_ends) & (rules.returned_without_result.form06 == "exclude")
    )
    expected = int((in_scope & received & ~excluded).sum())
    assert total["received_total"] == expected
    assert total["finished_total"] + total["pending_total"] == expected
    classified = classify_dossiers(data, MAY)
    assert classified["dossier_id"].is_unique
    assert not classified["status"].isin(NOT_RECEIVED_STATUSES).any()
    # the rates see the same received dossiers (index766 policies)
    rates = dossier_rates(data, None, MAY).iloc[0]
    assert rates["n_in_scope"] == int(
        (
            in_scope
            & received
            & ~(
                (status.eq("withdrawn") & (rules.withdrawn.index766 == "exclude"))
                | (
                    (status.eq("rejected") | stopped_ends)
                    & (rules.returned_without_result.index766 == "exclude")
                )
            )
        ).sum()
    )


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frame=month_sets(), rules=RULES_12)
def test_waiting_without_late_request_is_never_pending_overdue(frame, rules):
    cal = default_calendar()
    table = classify_dossiers(frame, MAY, cal, rules)
    waiting = table["is_waiting"] & (table["supplement_requests"].fillna(0) <= 1)
    due = table["effective_due_at"].dt.normalize()
    early_request = table["paused_at"].isna() | (table["paused_at"].dt.normalize() <= due)
    if rules.compare_by == "date":
        chosen = waiting & early_request
        assert (table.loc[chosen, "outcome"].astype(str) == "pending_in_time").all()
    # a pending outcome only for dossiers without an end in the period
    pending = table["outcome"].astype(str).str.startswith("pending")
    assert (pending == ~table["finished_in_period"]).all()


def test_method_notes_name_every_choice():
    notes = method_notes_vi(DEFAULT, 5)
    text = " ".join(notes)
    for needle in ("Điều 148", "Điều 19 khoản 4", "Điều 11", "Điều 9", "ngày lịch",
                   "ngày hẹn trả ban đầu", "Chưa có dữ liệu", "Hồ sơ công dân rút"):  # fmt: skip
        assert needle in text, needle
    assert all(line == line.strip() and line.endswith(".") for line in notes)
    assert np.all([isinstance(line, str) for line in notes])


def test_may_rows_has_eighteen_dossiers():
    assert len(may_rows()) == 18
