"""Dossier rates: hand-computed values on the fixture of ``dossier_cases``, invariants."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from dossier_cases import (
    P_THI,
    P_UNKNOWN,
    P_VB,
    PERIODS,
    RULES,
    THI,
    UNIT_GDPT,
    UNIT_QLCL,
    VB,
    catalogues,
    dossier_sets,
    dossiers,
    procedures,
)
from hypothesis import HealthCheck, given, settings

from tthc_analysis.config import DossierRules
from tthc_analysis.errors import ParameterError
from tthc_analysis.metrics.dossiers import DossierData, month_windows
from tthc_analysis.metrics.form06 import form06
from tthc_analysis.metrics.rates import RATE_COLUMNS, dossier_rates
from tthc_analysis.periods import parse_period
from tthc_analysis.workdays import default_calendar

Q1 = parse_period("q1", 2025)  # 15/12/2024 – 14/03/2025
DEFAULT = DossierRules()


@pytest.fixture(scope="module")
def cal():
    return default_calendar()


def _close(actual, expected):
    if isinstance(expected, float) and math.isnan(expected):
        return math.isnan(actual)
    return actual == pytest.approx(expected)


def test_overall_q1(cal):
    row = dossier_rates(dossiers(), procedures(), Q1, None, cal, DEFAULT).iloc[0]
    expected = {
        # received in Q1: D01–D05, D09–D14 (11); carried over: D06
        "n_received": 11,
        "n_online": 5,  # D01 D03 D09 D11 D14
        "online_share": 5 / 11,
        "n_online_766": 4,  # D11: paper-result procedure without an e-result
        "online_share_766": 4 / 11,
        "n_full_online": 2,  # D01 (result online), D09 (no result channel, e-result)
        "full_online_share_all": 2 / 11,
        "n_eligible_received": 6,  # received dossiers of 1.000001
        "n_full_online_eligible": 2,
        # rule 8: the denominator is the dossiers of eligible procedures
        "full_online_share": 2 / 6,
        "full_online_share_eligible": 2 / 6,
        "n_carried_over": 1,
        "n_in_scope": 12,
        "n_finished": 9,
        "n_finished_early": 2,  # D03 D06
        "n_finished_on_time": 3,  # D01 D09 D10
        "n_finished_overdue": 4,  # D02 D11 D12 D13
        "n_pending": 3,
        "n_pending_in_time": 2,  # D04 D14
        "n_pending_overdue": 1,  # D05
        "n_on_time": 7,
        "on_time_rate": 7 / 12,
        "n_overdue": 5,
        "overdue_rate": 5 / 12,
        "n_digitised": 3,  # D01 D03 D10 (digitised and e-result)
        "digitisation_rate": 3 / 11,
        "n_paper_result_finished": 5,  # D01 D02 D09 D11 D13
        "n_e_result": 2,  # D01 D09
        "e_result_rate": 2 / 5,
        "n_reused": 2,  # D01 D05
        "reuse_rate": 2 / 11,
        "n_synced": 9,  # all but D04 (no) and D14 (empty)
        "sync_rate": 9 / 11,
        "n_fee_dossiers": 5,  # D01 D02 D05 D09 D11 (D13 "no_fee" excluded)
        "n_paid_online": 3,  # D01 D09 D11
        "online_payment_rate": 3 / 5,
        "n_processing_wd": 9,
        "avg_processing_wd": 40 / 9,  # 4+3+2+6+3+5+9+3+5
        "n_unknown_procedure": 1,  # D14
    }
    for column, value in expected.items():
        assert _close(row[column], value), column


def test_a_dossier_of_unknown_channel_is_placed_in_no_channel_share(cal):
    # Issue 11: "an unknown channel stays unknown and every figure that needs it says how
    # many dossiers it could not place (never a guess)". A dossier is full-online only if it
    # was submitted online (ND 42/2022/NĐ-CP Art 11(1)), so without a channel it can be
    # placed neither way. D01 (online, full-online, eligible
    # procedure 1.000001) loses its channel: it leaves every channel-based denominator
    # instead of counting as "not online" / "not full-online".
    frame = dossiers()
    frame.loc[frame["dossier_id"].str.endswith("D01"), "channel"] = None
    row = dossier_rates(frame, procedures(), Q1, None, cal, DEFAULT).iloc[0]
    expected = {
        "n_received": 11,
        "n_channel_unknown": 1,  # D01
        "n_channel_known": 10,
        "online_share": 4 / 10,  # D03 D09 D11 D14
        "online_share_766": 3 / 10,  # D11 still without its e-result
        "full_online_share_all": 1 / 10,  # D09
        "n_eligible_received": 6,
        "n_eligible_channel_known": 5,  # D01 left out, not counted as "not full-online"
        "n_full_online_eligible": 1,
        "full_online_share": 1 / 5,  # was 2/6 with D01's channel known
        "digitisation_rate": 3 / 11,  # channel-independent rates keep every dossier
    }
    for column, value in expected.items():
        assert _close(row[column], value), column


def test_by_month_official_windows(cal):
    table = dossier_rates(dossiers(), procedures(), Q1, "month", cal, DEFAULT)
    assert table["month"].tolist() == ["2025-01", "2025-02", "2025-03"]
    t = table.set_index("month")
    # 2025-01 = 15/12–14/01: D01 on time, D06 early (carried over), D02 and D10 pending in
    # time at 14/01 (D10: 14/01 - 4 days pause = 10/01 <= 13/01).
    # 2025-02 = 15/01–14/02: D02 overdue and D10 on time (both carried over), D03 early,
    # D09 on time, D11 overdue.  2025-03 = 15/02–14/03: D12, D13 overdue; D04, D14
    # pending in time; D05 pending overdue.
    assert t["n_received"].tolist() == [3, 3, 5]
    assert t["n_carried_over"].tolist() == [1, 2, 0]
    assert t["n_finished"].tolist() == [2, 5, 2]
    assert t["n_pending"].tolist() == [2, 0, 3]
    assert t["on_time_rate"].tolist() == pytest.approx([1.0, 3 / 5, 2 / 5])
    assert t["online_share"].tolist() == pytest.approx([1 / 3, 3 / 3, 1 / 5])
    assert t["avg_processing_wd"].tolist() == pytest.approx([5.0, 22 / 5, 4.0])
    # consistent with the quarter
    assert t["n_received"].sum() == 11 and t["n_finished"].sum() == 9
    assert t.loc["2025-03", "n_pending"] == 3


def test_by_field_sorted_vietnamese_unknown_last(cal):
    table = dossier_rates(dossiers(), procedures(), Q1, "field", cal, DEFAULT)
    assert table["field"].tolist() == [THI, VB, "Chưa xác định"]
    assert table["n_in_scope"].tolist() == [5, 6, 1]
    assert table["on_time_rate"].tolist() == pytest.approx([4 / 5, 2 / 6, 1.0])


def test_by_unit_takes_the_catalogue_when_empty(cal):
    frame = dossiers()
    frame.loc[frame["dossier_id"] == "D01", "unit"] = None  # catalogue: UNIT_QLCL
    table = dossier_rates(frame, procedures(), Q1, "unit", cal, DEFAULT)
    assert table["unit"].tolist() == [UNIT_GDPT, UNIT_QLCL, "Chưa xác định"]
    assert table["n_in_scope"].tolist() == [5, 6, 1]


def test_by_procedure_with_names(cal):
    table = dossier_rates(dossiers(), procedures(), Q1, "procedure_code", cal, DEFAULT)
    assert table["procedure_code"].tolist() == [P_VB, P_THI, P_UNKNOWN]
    assert table["procedure_name"].tolist() == [
        "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc",
        "Phúc khảo bài thi tốt nghiệp THPT",
        "Thủ tục ngoài danh mục",  # from the dossier: not in the catalogue
    ]
    assert table["n_unknown_procedure"].tolist() == [0, 0, 1]
    assert math.isnan(table["e_result_rate"].iloc[1])  # 1.000002 gives no paper result


def test_month_and_field_grid_is_complete(cal):
    table = dossier_rates(dossiers(), procedures(), Q1, ["month", "field"], cal, DEFAULT)
    assert len(table) == 9  # 3 months x 3 fields, including empty combinations
    jan_unknown = table[(table["month"] == "2025-01") & (table["field"] == "Chưa xác định")]
    assert jan_unknown["n_in_scope"].iloc[0] == 0
    assert math.isnan(jan_unknown["on_time_rate"].iloc[0])


def test_without_catalogue_procedure_rates_are_nan(cal):
    row = dossier_rates(dossiers(), None, Q1, None, cal, DEFAULT).iloc[0]
    assert row["n_unknown_procedure"] == 12
    assert row["full_online_share_all"] == 0.0
    for column in (
        "full_online_share",
        "full_online_share_eligible",
        "e_result_rate",
        "online_payment_rate",
    ):
        assert math.isnan(row[column]), column
    # rule 9: the missing catalogue column is named
    assert row["e_result_rate_missing"] == "procedures.paper_result"
    assert row["online_payment_rate_missing"] == "procedures.has_fee"
    assert row["on_time_rate"] == pytest.approx(7 / 12)


def test_empty_input(cal):
    empty = dossiers().iloc[:0]
    row = dossier_rates(empty, procedures(), Q1, None, cal, DEFAULT).iloc[0]
    assert row["n_received"] == 0 and math.isnan(row["on_time_rate"])
    monthly = dossier_rates(empty, procedures(), Q1, "month", cal, DEFAULT)
    assert monthly["month"].tolist() == ["2025-01", "2025-02", "2025-03"]
    assert dossier_rates(empty, procedures(), Q1, "unit", cal, DEFAULT).empty


def test_bad_keys(cal):
    with pytest.raises(ParameterError):
        dossier_rates(dossiers(), procedures(), Q1, "nope", cal, DEFAULT)
    with pytest.raises(ParameterError):
        dossier_rates(dossiers(), procedures(), Q1, ["unit", "unit"], cal, DEFAULT)


def test_shared_dossier_data_gives_the_same_numbers(cal):
    data = DossierData(dossiers(), procedures(), cal, DEFAULT)
    for by in (None, "month", "field"):
        shared = dossier_rates(data, None, Q1, by)
        alone = dossier_rates(dossiers(), procedures(), Q1, by, cal, DEFAULT)
        pd.testing.assert_frame_equal(shared, alone)


# --- invariants on generated data ---------------------------------------------------


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frame=dossier_sets(), catalogue=catalogues(), period=PERIODS, rules=RULES)
def test_counts_reconcile_and_rates_stay_in_unit_interval(frame, catalogue, period, rules):
    cal = default_calendar()
    data = DossierData(frame, catalogue, cal, rules)
    overall = dossier_rates(data, None, period)
    monthly = dossier_rates(data, None, period, "month")
    by_field_unit = dossier_rates(data, None, period, ["field", "unit"])
    for table in (overall, monthly, by_field_unit):
        for rate, (num, den) in RATE_COLUMNS.items():
            values = table[rate].to_numpy()
            ok = np.isnan(values) | ((values >= 0) & (values <= 1))
            assert ok.all(), rate
            assert (table[num] <= table[den]).all(), rate
            no_data = (table[den] == 0).to_numpy().copy()
            if f"{rate}_missing" in table:
                no_data |= (table[f"{rate}_missing"] != "").to_numpy()
            assert (np.isnan(values) == no_data).all(), rate
        assert (table["n_received"] + table["n_carried_over"] == table["n_in_scope"]).all()
        assert (table["n_finished"] + table["n_pending"] == table["n_in_scope"]).all()
        assert (table["n_on_time"] + table["n_overdue"] == table["n_in_scope"]).all()
    row = overall.iloc[0]
    for column in ("n_received", "n_in_scope", "n_finished", "n_unknown_procedure"):
        assert by_field_unit[column].sum() == row[column], column
    for column in ("n_received", "n_finished", "n_finished_overdue", "n_processing_wd"):
        assert monthly[column].sum() == row[column], column
    last = monthly.iloc[-1]
    assert last["n_pending_overdue"] == row["n_pending_overdue"]
    assert len(monthly) == len(month_windows(period))
    total = form06(data, period).iloc[-1]
    assert total["received_total"] == row["n_in_scope"]
    assert total["finished_overdue"] == row["n_finished_overdue"]
    assert total["pending_in_time"] == row["n_pending_in_time"]
