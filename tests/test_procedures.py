"""Procedure catalogue metrics on hand-computed fixtures (2025 working-day calendar)."""

from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tthc_analysis.config import PublicationRules
from tthc_analysis.fields import DATASETS
from tthc_analysis.metrics.procedures import (
    has_dated_catalogue,
    in_force,
    online_coverage,
    online_coverage_by_month,
    online_services_with_dossiers,
    publication_compliance,
    publication_summary,
    subtract_working_days,
)
from tthc_analysis.workdays import default_calendar


@pytest.fixture(scope="module")
def cal():
    return default_calendar()


def _d(*values):
    return pd.Series(pd.to_datetime(list(values)), dtype="datetime64[us]")


def catalogue(rows: list[dict]) -> pd.DataFrame:
    """A canonical procedures frame with the given values (other columns empty)."""
    frame = pd.DataFrame(
        {f.name: pd.Series([None] * len(rows), dtype=object) for f in DATASETS["procedures"]}
    )
    for i, row in enumerate(rows):
        for key, value in row.items():
            frame.at[i, key] = value
    for f in DATASETS["procedures"]:
        frame[f.name] = (
            frame[f.name].astype(f.dtype)
            if f.kind != "date"
            else pd.to_datetime(frame[f.name]).astype("datetime64[us]")
        )
    return frame


def test_deadline_five_working_days_before_effect_across_the_may_holidays(cal):
    # In effect Tue 06/05/2025. Counting back: 06/05, 05/05, (02/05, 01/05, 30/04 off),
    # 29/04, 28/04, 26/04 (swapped working Saturday) -> the decision must be dated
    # 25/04/2025 or earlier.
    out = subtract_working_days(cal, [date(2025, 5, 6)], 5)
    assert out[0] == np.datetime64("2025-04-25")


def test_deadline_one_working_day_before_the_end_of_tet(cal):
    # Mon 03/02/2025 is the first working day after Tết (27/01-31/01 off).
    out = subtract_working_days(cal, [date(2025, 2, 3), None], 1)
    assert out[0] == np.datetime64("2025-01-24")
    assert np.isnat(out[1])


def test_publication_on_time_late_and_not_judged(cal):
    procs = catalogue(
        [
            # decision 25/04, effect 06/05: 5 WD between -> on time
            {
                "procedure_code": "1.000001",
                "procedure_name": "A",
                "online_level": "full",
                "status": "active",
                "published_on": "2025-04-25",
                "legal_effective_on": "2025-05-06",
                "public_on_csdlqg_on": "2025-05-06",
                "internal_process_on": "2025-05-10",
                "publicly_listed": True,
            },
            # decision 26/04 (swapped Saturday): only 4 WD -> late; public 07/05 is
            # 5 WD after 26/04 (28, 29, 05/05, 06/05, 07/05) -> on time
            {
                "procedure_code": "1.000002",
                "procedure_name": "B",
                "online_level": "partial",
                "status": "amended",
                "published_on": "2025-04-26",
                "legal_effective_on": "2025-05-06",
                "public_on_csdlqg_on": "2025-05-07",
                "publicly_listed": False,
            },
            # decision 25/04 but public 07/05 = 6 WD after -> public late; no effect date
            {
                "procedure_code": "1.000003",
                "procedure_name": "C",
                "online_level": "none",
                "status": None,
                "published_on": "2025-04-25",
                "public_on_csdlqg_on": "2025-05-07",
            },
            # abolished: left out
            {
                "procedure_code": "1.000004",
                "procedure_name": "D",
                "online_level": "full",
                "status": "abolished",
                "published_on": "2025-05-01",
                "legal_effective_on": "2025-05-02",
            },
        ]
    )
    table = publication_compliance(procs, cal, PublicationRules())
    assert table["procedure_code"].tolist() == ["1.000001", "1.000002", "1.000003"]
    assert table["published_on_time"].tolist() == [True, False, pd.NA]
    assert table["lead_wd"].tolist()[:2] == [5.0, 4.0]
    assert table["public_on_time"].tolist() == [True, True, False]
    assert table["publication_deadline_on"].iloc[0] == pd.Timestamp("2025-04-25")
    assert table["csdlqg_deadline_on"].iloc[0] == pd.Timestamp("2025-05-06")
    assert table["has_internal_process"].tolist() == [True, False, False]

    s = publication_summary(table)
    assert s["n_in_force"] == 3
    assert s["n_published_in_period"] == 3
    assert (s["n_published_on_time"], s["n_published_late"], s["n_published_not_judged"]) == (
        1,
        1,
        1,
    )
    assert s["publication_on_time_share"] == pytest.approx(1 / 2)
    assert s["csdlqg_on_time_share"] == pytest.approx(2 / 3)
    assert s["internal_process_share"] == pytest.approx(1 / 3)
    # listing: True, False, NA -> 1 of 2 judged
    assert s["publicly_listed_share"] == pytest.approx(1 / 2)


def test_summary_counts_only_decisions_in_the_period(cal):
    procs = catalogue(
        [
            {
                "procedure_code": "1.000001",
                "procedure_name": "A",
                "online_level": "full",
                "published_on": "2024-11-04",
                "legal_effective_on": "2024-11-05",
            },
            {
                "procedure_code": "1.000002",
                "procedure_name": "B",
                "online_level": "full",
                "published_on": "2025-03-03",
                "legal_effective_on": "2025-03-31",
            },
        ]
    )
    table = publication_compliance(procs, cal)
    s = publication_summary(table, date(2024, 12, 15), date(2025, 12, 14))
    assert s["n_published_in_period"] == 1
    assert s["publication_on_time_share"] == 1.0
    # the 2024 decision (1 WD before effect) is late but outside the period
    assert publication_summary(table)["publication_on_time_share"] == 0.5


def test_custom_publication_rules(cal):
    procs = catalogue(
        [
            {
                "procedure_code": "1.000001",
                "procedure_name": "A",
                "online_level": "full",
                "published_on": "2025-04-25",
                "legal_effective_on": "2025-05-06",
            }
        ]
    )
    table = publication_compliance(procs, cal, PublicationRules(decision_lead_wd=6, csdlqg_wd=5))
    assert table["published_on_time"].tolist() == [False]


def test_online_coverage_counts_and_shares():
    procs = catalogue(
        [
            {
                "procedure_code": "1.000001",
                "procedure_name": "A",
                "online_level": "full",
                "eligible_full_online": True,
                "unit": "Văn phòng",
            },
            {
                "procedure_code": "1.000002",
                "procedure_name": "B",
                "online_level": "full",
                "eligible_full_online": None,
                "unit": "Văn phòng",
            },  # full => eligible
            {
                "procedure_code": "1.000003",
                "procedure_name": "C",
                "online_level": "partial",
                "eligible_full_online": True,
                "unit": "Phòng Giáo dục Trung học",
            },
            {
                "procedure_code": "1.000004",
                "procedure_name": "D",
                "online_level": "none",
                "eligible_full_online": False,
                "unit": "Phòng Giáo dục Trung học",
            },
            {
                "procedure_code": "1.000005",
                "procedure_name": "E",
                "online_level": "full",
                "eligible_full_online": True,
                "status": "abolished",
                "unit": "Văn phòng",
            },
        ]
    )
    row = online_coverage(procs).iloc[0]
    assert (row["n_in_force"], row["n_full"], row["n_partial"], row["n_none"]) == (4, 2, 1, 1)
    assert (row["n_eligible"], row["n_eligible_full"]) == (3, 2)
    assert row["full_online_coverage"] == pytest.approx(2 / 3)
    assert row["online_service_share"] == pytest.approx(3 / 4)
    assert row["full_online_procedure_share"] == pytest.approx(2 / 4)
    by_unit = online_coverage(procs, by="unit").set_index("unit")
    assert by_unit.loc["Văn phòng", "full_online_coverage"] == 1.0
    assert by_unit.loc["Phòng Giáo dục Trung học", "full_online_coverage"] == 0.0


def test_online_coverage_of_an_empty_catalogue_is_nan():
    row = online_coverage(catalogue([])).iloc[0]
    assert row["n_in_force"] == 0
    assert np.isnan(row["full_online_coverage"])


def test_online_services_with_dossiers():
    procs = catalogue(
        [
            {"procedure_code": "1.000001", "procedure_name": "A", "online_level": "full"},
            {"procedure_code": "1.000002", "procedure_name": "B", "online_level": "partial"},
            {"procedure_code": "1.000003", "procedure_name": "C", "online_level": "none"},
        ]
    )
    dossiers = pd.DataFrame(
        {
            "procedure_code": ["1.000001", "1.000001", "1.000002", "1.000003"],
            "channel": ["online", "online", "in_person", "online"],
        }
    )
    out = online_services_with_dossiers(procs, dossiers)
    assert out["procedure_code"].tolist() == ["1.000001", "1.000002"]
    assert out["n_online_dossiers"].tolist() == [2, 0]
    assert out["has_online_dossier"].tolist() == [True, False]


def test_in_force_keeps_empty_status():
    procs = catalogue(
        [
            {
                "procedure_code": "1.000001",
                "procedure_name": "A",
                "online_level": "full",
                "status": None,
            },
            {
                "procedure_code": "1.000002",
                "procedure_name": "B",
                "online_level": "full",
                "status": "abolished",
            },
        ]
    )
    assert in_force(procs).tolist() == [True, False]


_day = st.dates(min_value=date(2024, 1, 1), max_value=date(2025, 12, 31))


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), _day),
            st.one_of(st.none(), _day),
            st.one_of(st.none(), _day),
            st.sampled_from(["full", "partial", "none"]),
            st.sampled_from(["active", "amended", "abolished", None]),
            st.one_of(st.none(), st.booleans()),
        ),
        max_size=12,
    )
)
def test_rates_in_unit_interval_and_counts_reconcile(rows):
    procs = catalogue(
        [
            {
                "procedure_code": f"1.{i:06d}",
                "procedure_name": "x",
                "online_level": lvl,
                "status": status,
                "published_on": pub,
                "legal_effective_on": eff,
                "public_on_csdlqg_on": public,
                "eligible_full_online": elig,
            }
            for i, (pub, eff, public, lvl, status, elig) in enumerate(rows)
        ]
    )
    table = publication_compliance(procs, default_calendar())
    s = publication_summary(table)
    assert (
        s["n_published_on_time"] + s["n_published_late"] + s["n_published_not_judged"]
        == s["n_published_in_period"]
    )
    assert (
        s["n_public_on_time"] + s["n_public_late"] + s["n_public_not_judged"]
        == s["n_published_in_period"]
    )
    for key in ("publication_on_time_share", "csdlqg_on_time_share", "internal_process_share"):
        assert np.isnan(s[key]) or 0 <= s[key] <= 1
    cov = online_coverage(procs).iloc[0]
    assert cov["n_full"] + cov["n_partial"] + cov["n_none"] == cov["n_in_force"]
    assert cov["n_eligible_full"] <= cov["n_eligible"] <= cov["n_in_force"]
    for key in ("full_online_coverage", "online_service_share"):
        assert np.isnan(cov[key]) or 0 <= cov[key] <= 1


def _dated_catalogue():
    # Eligible: A, B (full, flag empty), C, D (partial, eligible), G = 5. F is abolished,
    # E is not eligible. D's date is ignored (not offered full online now).
    return catalogue(
        [
            {"procedure_code": "1.000001", "online_level": "full", "eligible_full_online": True,
             "full_online_since": "2025-02-10"},
            {"procedure_code": "1.000002", "online_level": "full",
             "full_online_since": "2025-06-20"},
            {"procedure_code": "1.000003", "online_level": "full", "eligible_full_online": True},
            {"procedure_code": "1.000004", "online_level": "partial",
             "eligible_full_online": True, "full_online_since": "2025-01-05"},
            {"procedure_code": "1.000005", "online_level": "none", "eligible_full_online": False},
            {"procedure_code": "1.000006", "online_level": "full", "eligible_full_online": True,
             "status": "abolished", "full_online_since": "2025-01-05"},
            {"procedure_code": "1.000007", "online_level": "full", "eligible_full_online": True,
             "full_online_since": "2024-11-30"},
        ]
    )  # fmt: skip


def test_online_coverage_by_month_counts_full_online_by_each_month_end():
    series = online_coverage_by_month(_dated_catalogue(), 2025)
    assert series["month"].tolist() == [f"2025-{m:02d}" for m in range(1, 13)]
    assert series["month_end"].iloc[1] == pd.Timestamp(2025, 2, 28)
    assert series["month_end"].dtype == "datetime64[us]"
    assert (series["n_eligible"] == 5).all()
    # Jan: C (undated) and G (30/11/2024); from Feb: + A (10/02); from Jun: + B (20/06)
    assert series["n_eligible_full"].tolist() == [2, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4]
    assert series["full_online_coverage"].tolist() == pytest.approx(
        [0.4, 0.6, 0.6, 0.6, 0.6, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8]
    )
    assert (series["n_undated_full"] == 1).all()
    # December equals the snapshot coverage (every date is in or before the year)
    assert online_coverage(_dated_catalogue()).iloc[0]["full_online_coverage"] == 0.8


def test_online_coverage_by_month_stops_at_the_as_of_date():
    series = online_coverage_by_month(_dated_catalogue(), 2025, date(2025, 6, 15))
    assert series["month"].tolist() == ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05"]
    assert series["n_eligible_full"].tolist() == [2, 3, 3, 3, 3]
    assert online_coverage_by_month(_dated_catalogue(), 2025, date(2025, 1, 30)).empty


def test_without_dates_the_series_is_flat_and_not_dated():
    procs = _dated_catalogue()
    assert has_dated_catalogue(procs)
    no_column = procs.drop(columns="full_online_since")
    empty = procs.assign(full_online_since=pd.NaT).astype({"full_online_since": "datetime64[us]"})
    assert not has_dated_catalogue(no_column)
    assert not has_dated_catalogue(empty)
    for frame in (no_column, empty):
        series = online_coverage_by_month(frame, 2025)
        # A, B, C, G all count as full online since before the year: 4/5 every month
        assert series["n_eligible_full"].tolist() == [4] * 12
        assert (series["n_undated_full"] == 4).all()
        assert series["full_online_coverage"].tolist() == pytest.approx([0.8] * 12)


def test_online_coverage_by_month_of_an_empty_catalogue_is_nan():
    series = online_coverage_by_month(catalogue([]), 2025)
    assert len(series) == 12
    assert series["full_online_coverage"].isna().all()


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["full", "partial", "none"]),
            st.sampled_from([True, False, None]),
            st.one_of(st.none(), st.dates(date(2023, 1, 1), date(2025, 12, 31))),
        ),
        max_size=12,
    )
)
def test_coverage_by_month_never_falls_and_ends_at_the_snapshot(rows):
    procs = catalogue(
        [
            {"procedure_code": f"1.{i:06d}", "online_level": level,
             "eligible_full_online": flag, "full_online_since": since}
            for i, (level, flag, since) in enumerate(rows)
        ]
    )  # fmt: skip
    series = online_coverage_by_month(procs, 2025)
    counts = series["n_eligible_full"].to_numpy()
    assert (np.diff(counts) >= 0).all()
    assert (counts <= series["n_eligible"].to_numpy()).all()
    snapshot = online_coverage(procs).iloc[0]
    assert counts[-1] == snapshot["n_eligible_full"]
