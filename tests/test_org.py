"""Organisation change of 01/07/2025: units, issuing body, dossier-system switch (issue 13)."""

from datetime import date
from types import SimpleNamespace

import pandas as pd
import pytest

from tthc_analysis.config import load_settings
from tthc_analysis.loading.organisation import (
    attribute_units,
    break_in,
    issuer_note_vi,
    issuing_body,
    match_system_switch,
    roll_note_vi,
    roll_units,
    unit_in_force,
    unit_lineage,
    unit_table,
)

TRH, PT, TH = "Phòng Giáo dục Trung học", "Phòng Giáo dục phổ thông", "Phòng Giáo dục Tiểu học"
BP = "Sở Giáo dục và Đào tạo tỉnh Bình Phước"
DN = "Sở Giáo dục và Đào tạo tỉnh Đồng Nai"
SWITCH = date(2025, 7, 1)


@pytest.fixture(scope="module")
def units():
    return unit_table()


@pytest.fixture(scope="module")
def settings():
    return load_settings()


# --- units --------------------------------------------------------------------------------


def test_a_dossier_goes_to_the_unit_in_force_on_its_date(units):
    # units.csv: GDTrH valid to 30/06/2025, successor Phòng Giáo dục phổ thông
    assert unit_in_force(TRH, date(2025, 6, 30), units) == TRH
    assert unit_in_force(TRH, date(2025, 7, 1), units) == PT
    assert unit_in_force(PT, date(2025, 7, 1), units) == PT
    assert unit_in_force("Văn phòng", date(2025, 12, 1), units) == "Văn phòng"
    frame = pd.DataFrame(
        {
            "unit": [TRH, TRH, "Văn phòng", None],
            "received_at": pd.to_datetime(
                ["2025-06-30 16:00", "2025-07-02 08:00", "2025-08-01 08:00", None]
            ),
        }
    )
    out = attribute_units(frame, units)
    assert out["unit"].tolist()[:3] == [TRH, PT, "Văn phòng"]
    assert out["unit"].isna().tolist()[3]


def test_year_figures_roll_predecessors_into_their_successor_with_a_note(units):
    names = pd.Series([TRH, PT, "Văn phòng", TRH])
    assert roll_units(names, units).tolist() == [PT, PT, "Văn phòng", PT]
    assert roll_note_vi(names, units) == {
        PT: f"Gồm số liệu của {TRH} đến 30/06/2025 (đơn vị được sắp xếp lại)"
    }


def test_a_renamed_unit_is_the_same_unit_for_the_unit_filter(units):
    assert set(unit_lineage([TRH], units)) == {TRH, PT, TH}
    assert unit_lineage(["Văn phòng"], units) == ["Văn phòng"]


# --- issuing body ---------------------------------------------------------------------------


def test_issuing_body_by_date_from_the_settings(settings):
    assert issuing_body(date(2025, 6, 30), settings) == BP
    assert issuing_body(date(2025, 7, 1), settings) == DN
    assert break_in(date(2025, 1, 1), date(2025, 12, 31), settings) == SWITCH
    assert break_in(date(2025, 7, 1), date(2025, 12, 31), settings) is None
    assert break_in(date(2025, 1, 1), date(2025, 6, 30), settings) is None


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 7, 5), BP),  # a gap: the body started last before the day
        (date(2025, 7, 20), DN),
        (date(2019, 1, 1), BP),  # before every entry: the earliest
    ],
)
def test_every_issuing_body_line_follows_one_rule_also_in_a_gap(day, expected):
    from tthc_analysis import organisation

    gap = SimpleNamespace(
        organisation=SimpleNamespace(
            bodies=[
                SimpleNamespace(
                    name_vi=BP, valid_from=date(2020, 1, 1), valid_to=date(2025, 6, 30)
                ),
                SimpleNamespace(name_vi=DN, valid_from=date(2025, 7, 15), valid_to=None),
            ]
        )
    )
    # form 06 and the Word draft's first lines (loading) and the report header (top level)
    assert issuing_body(day, gap, fallback="Kế hoạch") == expected
    header = organisation.issuing_body(day, gap)
    assert f"{header.name} tỉnh {header.place}" == expected
    empty = SimpleNamespace(organisation=SimpleNamespace(bodies=[]))
    assert issuing_body(day, empty, fallback="Kế hoạch") == "Kế hoạch"


def test_year_end_heading_names_the_issuer_and_who_ran_the_first_half(settings):
    text = issuer_note_vi(
        date(2025, 1, 1),
        date(2025, 12, 31),
        date(2025, 12, 31),
        settings,
        "(Công văn số 655/SGDĐT-VP)",
    )
    assert text == (
        f"Báo cáo do {DN} ban hành; từ 01/01/2025 đến 30/06/2025 kế hoạch "
        f"(Công văn số 655/SGDĐT-VP) do {BP} thực hiện; tỉnh Bình Phước hợp nhất vào "
        "tỉnh Đồng Nai từ 01/07/2025 (Nghị quyết số 202/2025/QH15)."
    )
    # a first-quarter report does not cross the change
    assert (
        issuer_note_vi(date(2025, 1, 1), date(2025, 3, 31), date(2025, 3, 31), settings, "") == ""
    )


# --- dossier-system switch -----------------------------------------------------------------


def _dossiers(rows):
    cols = ["dossier_id", "previous_dossier_id", "received_at", "completed_at"]
    frame = pd.DataFrame(rows, columns=cols)
    for c in ("received_at", "completed_at"):
        frame[c] = pd.to_datetime(frame[c])
    return frame


def test_carried_dossiers_are_matched_by_their_old_code_and_the_rest_reported():
    frame = _dossiers(
        [
            # old system, received 20/06, still open in its export; carried as N1
            ("H10-250620-0001", None, "2025-06-20", None),
            ("H19-250701-5001", "H10-250620-0001", "2025-06-20", "2025-07-10"),
            # new-system record (id minted 01/07) of a June dossier, without old code
            ("H19-250701-5002", None, "2025-06-25", "2025-07-03"),
            # old code that no row has
            ("H19-250701-5003", "H10-250601-0099", "2025-06-01", "2025-07-04"),
            # old system, open, not referenced by any new row
            ("H10-250610-0002", None, "2025-06-10", None),
            # old system, finished before the switch: nothing to match
            ("H10-250510-0003", None, "2025-05-10", "2025-05-20"),
            # new system, received after the switch
            ("H19-250702-0001", None, "2025-07-02", None),
        ]
    )
    kept, report = match_system_switch(frame, SWITCH)
    assert kept["dossier_id"].tolist() == [
        "H19-250701-5001",
        "H19-250701-5002",
        "H19-250701-5003",
        "H10-250610-0002",
        "H10-250510-0003",
        "H19-250702-0001",
    ]
    assert report.n_matched == 1
    assert report.unknown_old_codes == [("H19-250701-5003", "H10-250601-0099")]
    assert report.new_without_old_code == ["H19-250701-5002"]
    assert report.old_unreferenced == ["H10-250610-0002"]
    assert report.n_unmatched == 3
    lines = report.lines_vi()
    assert lines[0].startswith("Chuyển hệ thống quản lý hồ sơ từ 01/07/2025: 1 hồ sơ chuyển tiếp")
    assert "không đối chiếu được (có thể bị tính hai lần): H19-250701-5002" in lines[2]


def test_without_new_system_rows_nothing_is_reported():
    frame = _dossiers([("H10-250610-0002", None, "2025-06-10", None)])
    kept, report = match_system_switch(frame, SWITCH)
    assert len(kept) == 1
    assert report.n_unmatched == 0
    kept, report = match_system_switch(frame.drop(columns="previous_dossier_id"), None)
    assert len(kept) == 1 and report.lines_vi() == []


# --- the bundled sample ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_tables():
    from tthc_analysis.loading.ingest import load_tables

    return load_tables()


@pytest.fixture(scope="module")
def year_end(sample_tables):
    from tthc_analysis.evaluation.evaluate import evaluate

    return evaluate(sample_tables)


def test_year_end_review_names_the_issuing_body_and_rolls_units(year_end):
    org = year_end.organisation
    assert org.issuer_vi == DN
    assert org.issuer_note_vi.startswith(f"Báo cáo do {DN} ban hành; từ 01/01/2025 đến 30/06/2025")
    assert BP in org.issuer_note_vi
    units = set(year_end.by_unit["unit"])
    assert PT in units and TRH not in units  # rolled for the year
    assert org.unit_notes[PT].startswith(f"Gồm số liệu của {TRH} đến 30/06/2025")
    # by month, each dossier stays with the unit in force on its receipt date: the
    # official month 06 (15/05–14/06) is GDTrH's, 08 (15/07–14/08) GDPT's
    um = year_end.unit_month
    june = um.loc[um["month"] == "2025-06"]
    august = um.loc[um["month"] == "2025-08"]
    assert june.loc[june["unit"] == TRH, "n_received"].sum() > 0
    assert june.loc[june["unit"] == PT, "n_received"].sum() == 0
    assert august.loc[august["unit"] == TRH, "n_received"].sum() == 0
    assert august.loc[august["unit"] == PT, "n_received"].sum() > 0


def test_year_end_flags_the_766_comparison_across_the_break(year_end):
    ind = year_end.indicators.set_index(["task_id", "indicator_id"])
    basis = ind.loc[("I.3", "index766_months_below_prev_year_mean"), "basis_vi"]
    assert "so sánh qua mốc thay đổi tổ chức 01/07/2025" in basis
    from tthc_analysis.views import open_page

    page = open_page("I", 2025, "2025-12-31", "year", None, None, "vi", False)
    assert "so sánh qua mốc thay đổi tổ chức 01/07/2025" in page.index766_trend().text()
    header = page.header().text()
    assert DN in header and "do Sở Giáo dục và Đào tạo tỉnh Bình Phước thực hiện" in header


def test_q3_form06_counts_each_carried_dossier_once(sample_tables):
    # Q3 (official window 15/06–14/09/2025) spans the switch: dossiers received in the
    # second half of June and still open on 01/07 are in the June file (old system) and
    # again in the July file (new system, "Mã hồ sơ cũ"). Each is counted once.
    from tthc_analysis.evaluation.evaluate import evaluate
    from tthc_analysis.sample.generator import build_sample

    ev = evaluate(sample_tables, period="q3")
    truth = build_sample().dossiers
    start, end = pd.Timestamp(2025, 6, 15), pd.Timestamp(2025, 9, 15)
    received = ~truth["status"].isin(["registered", "refused_intake"])  # issue 12 rule 1
    in_q3 = truth.loc[received & (truth["received_at"] >= start) & (truth["received_at"] < end)]
    total = ev.form06.iloc[-1]
    new_receipts = int(total["received_online"] + total["received_offline"])
    assert new_receipts == len(in_q3) == int(ev.totals["n_received"].iloc[0])
    assert ev.organisation.switch.n_matched == 198
    # the same exports without the old codes would count the carried June dossiers twice
    unmatched = SimpleNamespace(**vars(sample_tables))
    unmatched.dossiers = sample_tables.dossiers.assign(previous_dossier_id=None)
    ev2 = evaluate(unmatched, period="q3")
    assert int(ev2.totals["n_received"].iloc[0]) > len(in_q3)


def test_form06_agency_names_both_bodies_across_the_break(settings):
    from tthc_analysis.periods import parse_period
    from tthc_analysis.review.build import _form06_agency

    ctx = SimpleNamespace(evaluation=SimpleNamespace(settings=settings))
    q3 = parse_period("q3", 2025, "official")
    assert _form06_agency(ctx, q3, BP) == f"{DN} (số liệu đến 30/06/2025 của {BP})"
    q1 = parse_period("q1", 2025, "official")
    assert _form06_agency(ctx, q1, BP) == BP


def test_every_page_flags_the_break_in_its_warnings(year_end):
    text = " ".join(year_end.warnings)
    assert "Thay đổi tổ chức từ 01/07/2025" in text
    assert f"{PT}: gồm số liệu của {TRH} đến 30/06/2025" in text
    assert "chỉ để tham khảo" in text


# --- vectorised paths agree with the per-row rules (issue 17) ----------------------------

from hypothesis import given  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tthc_analysis.loading import organisation as org  # noqa: E402

_SPANS = {
    "Phòng A": org.UnitSpan("Phòng A", None, date(2025, 6, 30), "Phòng B"),
    "Phòng B": org.UnitSpan("Phòng B", date(2025, 7, 1), date(2025, 9, 30), "Phòng C"),
    "Phòng C": org.UnitSpan("Phòng C", date(2025, 10, 1), None, None),
    "Văn phòng": org.UnitSpan("Văn phòng", None, None, None),
}


def _attribute_per_row(frame, units):
    """The per-row rule: each row's unit in force on its receipt day."""
    values = [
        org.unit_in_force(u, None if pd.isna(d) else d.date(), units)
        for u, d in zip(frame["unit"], pd.to_datetime(frame["received_at"]), strict=True)
    ]
    return pd.Series(values, index=frame.index, dtype=frame["unit"].dtype)


@given(
    st.lists(
        st.tuples(
            st.sampled_from([*_SPANS, "Phòng lạ", None]),
            st.one_of(
                st.none(),
                st.datetimes(
                    min_value=pd.Timestamp("2024-12-01").to_pydatetime(),
                    max_value=pd.Timestamp("2026-01-31").to_pydatetime(),
                ),
            ),
        ),
        max_size=30,
    )
)
@hypothesis_settings(max_examples=80, deadline=None)
def test_attribute_and_roll_units_agree_with_the_per_row_rule(rows):
    frame = pd.DataFrame(
        {
            "unit": pd.Series([u for u, _ in rows], dtype="str"),
            "received_at": pd.Series([d for _, d in rows], dtype="datetime64[us]"),
        }
    )
    out = org.attribute_units(frame, _SPANS)
    pd.testing.assert_series_equal(
        out["unit"], _attribute_per_row(frame, _SPANS), check_names=False
    )
    rolled = org.roll_units(frame["unit"], _SPANS)
    expected = (
        frame["unit"]
        .map(lambda u: org._final(u, _SPANS) if isinstance(u, str) else u)
        .astype(frame["unit"].dtype)
    )
    pd.testing.assert_series_equal(rolled, expected)


def test_attribute_units_hand_computed():
    # Phòng A ends 30/06/2025 (successor Phòng B, which ends 30/09/2025 -> Phòng C).
    frame = pd.DataFrame(
        {
            "unit": pd.Series(["Phòng A", "Phòng A", "Phòng A", None, "Văn phòng"], dtype="str"),
            "received_at": pd.to_datetime(
                [
                    "2025-06-30 23:00",
                    "2025-07-01 00:00",
                    "2025-10-02 08:00",
                    "2025-10-02 08:00",
                    None,
                ]
            ),
        }
    )
    out = org.attribute_units(frame, _SPANS)
    assert out["unit"].tolist()[:3] == ["Phòng A", "Phòng B", "Phòng C"]
    assert pd.isna(out["unit"].iat[3]) and out["unit"].iat[4] == "Văn phòng"


def test_switch_ids_minted_after_the_switch_vectorised():
    # yyMMdd in the id: 250701 is 01/07/2025 (on the switch day), 250631 does not exist,
    # non-ASCII digits and a line break go through the per-id rule.
    ids = pd.Series(
        [
            "000.00.12.H10-250701-0001",
            "000.00.12.H10-250630-0002",
            "000.00.12.H10-250631-0003",
            "H10-٢٥٠٧٠٢-4",
            "H10-250702-5\n",
            "không-có-ngày",
        ],
        dtype="str",
    )
    mask = org._minted_from(ids, org._arrow_text(ids), date(2025, 7, 1))
    expected = [(d := org._id_day(i)) is not None and d >= date(2025, 7, 1) for i in ids]
    assert mask.tolist() == expected == [True, False, False, True, True, False]
