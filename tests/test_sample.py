"""The synthetic sample: determinism, layout, accepted headers, realism, planted gaps."""

from __future__ import annotations

import csv
import json
import re
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from tthc_analysis.config import REFERENCE_DIR, SAMPLE_DIR
from tthc_analysis.errors import ParameterError
from tthc_analysis.fields import dataset_fields
from tthc_analysis.loading.organisation import match_system_switch
from tthc_analysis.sample import (
    DEFECTS,
    PLANTED,
    TASK_IDS,
    build_sample,
    expected_task_statuses,
    write_sample,
)
from tthc_analysis.sample.catalogue import DECISIONS
from tthc_analysis.sample.evidence import ACTIVITIES, REPORTS
from tthc_analysis.sample.generator import _build_cached
from tthc_analysis.sample.org_change import SWITCH_ON, UNMATCHED, carried_id_map
from tthc_analysis.status import STATUSES
from tthc_analysis.text import fold
from tthc_analysis.workdays import default_calendar

CALENDAR = default_calendar(REFERENCE_DIR / "calendar_overrides.csv")

PREVIOUS_YEAR_FILES = ["dossiers/ho_so_nam_2024.xlsx"]  # bundled sample only (issue 18)
DOSSIER_FILES = [
    "dossiers/ho_so_2024_12.xlsx",
    "dossiers/ho_so_2025_01.xlsx",
    "dossiers/ho_so_2025_02.xlsx",
    "dossiers/ho_so_2025_03.xlsx",
    "dossiers/ho_so_2025_04.xlsx",
    "dossiers/ho_so_2025_05.csv",
    "dossiers/ho_so_2025_06.xlsx",
    "dossiers/ho_so_2025_07.xlsx",
    "dossiers/ho_so_2025_08.xlsx",
    "dossiers/ho_so_2025_09.xlsx",
    "dossiers/ho_so_2025_10.csv",
    "dossiers/ho_so_2025_11.xlsx",
    "dossiers/ho_so_2025_12.xlsx",
]
OTHER_FILES = {
    "procedures/danh_muc_tthc.xlsx": "procedures",
    "feedback/pakn_2025.csv": "feedback",
    "feedback/pakn_2024.csv": "feedback",  # bundled sample only (issue 18: previous year)
    "index766/chi_so_766_2025.xlsx": "index766",
    "activities/minh_chung_2025.xlsx": "activities",
    "report_submissions/bao_cao_dinh_ky_2025.csv": "report_submissions",
}

EXPECTED_YEAR_END = {
    "I.1": "on_track",
    "I.2": "on_track",
    "I.3": "on_track",  # issue 13: product once a year; 766 mean is a reference
    "I.4": "behind",
    "I.5": "on_track",
    "I.6": "no_data",  # issue 13: outside trigger, no evidence
    "II.1": "on_track",
    "III.1": "on_track",
    "IV.1": "below_target",
    "IV.2": "below_target",
    "IV.3": "achieved",
    "V.1": "done_late",
    "V.2": "on_track",
    "V.3": "done_on_time",
    "VI.1": "achieved",
    "VI.2": "on_track",  # issue 13: its documentary product is required
    "VI.3": "below_target",
    "VII.1": "below_target",
    "VII.2": "achieved",
    "VII.3": "on_track",  # issue 13: no period in the plan text
    "VIII.1": "done_late",
    "IX.1": "below_target",
    "IX.2": "achieved",
    "IX.3": "below_target",
}


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def two_samples(tmp_path_factory):
    """The small sample generated twice from scratch (the build cache cleared in between)."""
    first = tmp_path_factory.mktemp("sample_a")
    second = tmp_path_factory.mktemp("sample_b")
    _build_cached.cache_clear()
    write_sample(first, "small", 2025)
    _build_cached.cache_clear()
    write_sample(second, "small", 2025)
    return first, second


@pytest.fixture(scope="module")
def sample_dir(two_samples):
    return two_samples[0]


@pytest.fixture(scope="module")
def data():
    return build_sample("small", 2025)


def _rows(path: Path) -> list[list]:
    """Every row of a raw file (xlsx: first sheet; csv: UTF-8 with BOM)."""
    if path.suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return list(csv.reader(handle))
    book = CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_name(book.sheet_names[0]).to_python()


def _header_index(rows: list[list], dataset: str) -> int:
    """Position of the header row: the first row whose first cell is an accepted header."""
    accepted = {fold(h) for f in dataset_fields(dataset).values() for h in f.accepted_headers}
    return next(i for i, r in enumerate(rows) if r and fold(str(r[0])) in accepted)


def _table(path: Path, dataset: str) -> tuple[list[str], list[list]]:
    rows = _rows(path)
    h = _header_index(rows, dataset)
    return [str(c) for c in rows[h]], rows[h + 1 :]


def _canonical(header: str, dataset: str) -> list[str]:
    """Canonical columns that accept ``header``."""
    return [
        name
        for name, f in dataset_fields(dataset).items()
        if fold(header) in {fold(a) for a in f.accepted_headers}
    ]


def _by_canonical(path: Path, dataset: str) -> tuple[dict[str, int], list[list]]:
    headers, body = _table(path, dataset)
    return {_canonical(h, dataset)[0]: i for i, h in enumerate(headers)}, body


# --- determinism, layout -------------------------------------------------------------------


def test_same_seed_gives_byte_identical_files(two_samples):
    a, b = two_samples
    names_a = sorted(p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file())
    names_b = sorted(p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file())
    assert names_a == names_b
    for name in names_a:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_other_seed_gives_other_dossiers():
    one = build_sample("small", 1, n_dossiers=600).dossiers
    two = build_sample("small", 2, n_dossiers=600).dossiers
    assert len(one) != len(two) or not one["received_at"].equals(two["received_at"])


def test_layout_and_manifest(sample_dir):
    files = sorted(
        p.relative_to(sample_dir).as_posix() for p in sample_dir.rglob("*") if p.is_file()
    )
    assert files == sorted(
        [*PREVIOUS_YEAR_FILES, *DOSSIER_FILES, *OTHER_FILES, "README.md", "SAMPLE.json"]
    )
    manifest = json.loads((sample_dir / "SAMPLE.json").read_text(encoding="utf-8"))
    assert manifest["synthetic"] is True
    assert (manifest["seed"], manifest["scale"], manifest["as_of"]) == (2025, "small", "2025-12-31")
    assert manifest["generator_version"]
    assert sorted(manifest["files"]) == sorted([*PREVIOUS_YEAR_FILES, *DOSSIER_FILES, *OTHER_FILES])
    assert manifest["counts"]["dossiers_2025"] == 4200
    assert manifest["expected_task_statuses"] == EXPECTED_YEAR_END
    readme = (sample_dir / "README.md").read_text(encoding="utf-8")
    assert "DỮ LIỆU MẪU TỔNG HỢP (synthetic) – không phải số liệu thật" in readme
    assert "SYNTHETIC SAMPLE DATA – not real figures" in readme


def test_row_counts_in_manifest_match_files(sample_dir):
    manifest = json.loads((sample_dir / "SAMPLE.json").read_text(encoding="utf-8"))
    for name, info in manifest["files"].items():
        dataset = "dossiers" if name.startswith("dossiers/") else OTHER_FILES[name]
        _, body = _table(sample_dir / name, dataset)
        assert len(body) == info["rows"], name
    written = sum(manifest["files"][n]["rows"] for n in DOSSIER_FILES)
    counts = manifest["counts"]
    # issue 13: + the carried dossiers' new-system rows, − those the old export lacks
    carried = len(carried_id_map(build_sample("small", 2025).dossiers))
    assert written == (
        counts["dossiers_2025"] + counts["dossiers_2024_12"] + len(DEFECTS) + carried - UNMATCHED
    )


def test_bundled_sample_is_up_to_date(sample_dir):
    """data/sample is exactly what `tthc sample --out data/sample --scale small --seed 2025` writes."""
    bundled = json.loads((SAMPLE_DIR / "SAMPLE.json").read_text(encoding="utf-8"))
    fresh = json.loads((sample_dir / "SAMPLE.json").read_text(encoding="utf-8"))
    hint = "data/sample is stale: run `make sample` (tthc sample --out data/sample --seed 2025)"
    assert bundled == fresh, hint
    assert (SAMPLE_DIR / "README.md").read_bytes() == (sample_dir / "README.md").read_bytes(), hint
    total = sum(info["bytes"] for info in bundled["files"].values())
    assert total < 3_000_000


def test_csv_files_are_utf8_with_bom_and_lf(sample_dir):
    for name in [n for n in [*DOSSIER_FILES, *OTHER_FILES] if n.endswith(".csv")]:
        raw = (sample_dir / name).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), name
        assert b"\r\n" not in raw, name


# --- headers and values ---------------------------------------------------------------------


def test_every_header_is_accepted_and_unambiguous(sample_dir):
    for name in [*DOSSIER_FILES, *OTHER_FILES]:
        dataset = "dossiers" if name.startswith("dossiers/") else OTHER_FILES[name]
        headers, _ = _table(sample_dir / name, dataset)
        canonical = [_canonical(h, dataset) for h in headers]
        assert all(len(c) == 1 for c in canonical), (name, headers)
        required = {n for n, f in dataset_fields(dataset).items() if f.required}
        assert required <= {c[0] for c in canonical}, name


def test_header_spellings_vary_across_dossier_files(sample_dir):
    spellings: dict[str, set[str]] = {}
    for name in DOSSIER_FILES:
        headers, _ = _table(sample_dir / name, "dossiers")
        for h in headers:
            spellings.setdefault(_canonical(h, "dossiers")[0], set()).add(h)
    assert spellings["dossier_id"] == {"Mã hồ sơ", "Số hồ sơ", "Mã HS"}
    assert spellings["channel"] == {"Kênh nộp", "Hình thức nộp", "Kênh tiếp nhận"}
    assert spellings["received_at"] == {"Ngày tiếp nhận", "Ngày nhận", "Ngày nhận hồ sơ"}


def test_march_file_has_title_rows(sample_dir):
    rows = _rows(sample_dir / "dossiers/ho_so_2025_03.xlsx")
    assert rows[0][0] == "SỞ GIÁO DỤC VÀ ĐÀO TẠO BÌNH PHƯỚC"
    assert rows[1][0] == "DANH SÁCH HỒ SƠ THÁNG 03/2025"
    assert rows[3][0] == "Số hồ sơ"


def test_coded_values_are_accepted(sample_dir):
    fields = dataset_fields("dossiers")
    booleans = {"có", "không", "x", "", "1", "0"}
    planted = {("channel", "Fax")}
    for name in DOSSIER_FILES:
        index, body = _by_canonical(sample_dir / name, "dossiers")
        for column in ("channel", "status", "paid_online", "result_channel"):
            accepted = {fold(t) for texts in fields[column].codes.values() for t in texts}
            values = {str(r[index[column]]) for r in body} - {""}
            assert {v for v in values if fold(v) not in accepted} <= {
                v for c, v in planted if c == column
            }, (name, column)
        for column in (
            "is_digitized",
            "has_e_result",
            "reused_data",
            "synced_dvcqg",
            "has_apology",
        ):
            values = {fold(str(r[index[column]])) for r in body}
            assert values <= booleans, (name, column, values)


def test_dates_in_workbooks_are_date_cells_and_text_in_csv(sample_dir):
    index, body = _by_canonical(sample_dir / "dossiers/ho_so_2025_01.xlsx", "dossiers")
    assert all(isinstance(r[index["received_at"]], datetime) for r in body)
    index, body = _by_canonical(sample_dir / "dossiers/ho_so_2025_05.csv", "dossiers")
    assert all(re.fullmatch(r"\d\d/\d\d/2025 \d\d:\d\d", r[index["received_at"]]) for r in body)
    index, body = _by_canonical(sample_dir / "dossiers/ho_so_2025_10.csv", "dossiers")
    assert all(re.fullmatch(r"2025-\d\d-\d\d \d\d:\d\d:00", r[index["received_at"]]) for r in body)


def test_personal_data_columns_present(sample_dir):
    personal = {
        "applicant_name",
        "applicant_id_number",
        "applicant_phone",
        "applicant_email",
        "applicant_address",
    }
    for name in DOSSIER_FILES:
        index, body = _by_canonical(sample_dir / name, "dossiers")
        assert personal <= set(index), name
        ids = [str(r[index["applicant_id_number"]]) for r in body]
        assert all(re.fullmatch(r"070[0-3]\d{8}", i) for i in ids), name
        assert all(re.fullmatch(r"09\d{8}", str(r[index["applicant_phone"]])) for r in body)
    index, body = _by_canonical(sample_dir / "feedback/pakn_2025.csv", "feedback")
    assert {"sender_name", "sender_phone", "sender_email", "sender_address"} <= set(index)
    assert all(r[index["sender_name"]] for r in body)


def test_html_feedback_is_in_the_raw_file(sample_dir):
    text = (sample_dir / "feedback/pakn_2025.csv").read_text(encoding="utf-8-sig")
    assert "<script>alert('x')</script>" in text
    assert "<img src=x onerror=alert(1)>" in text
    assert "javascript:alert(document.cookie)" in text


def _parse_cell(value, name: str):
    """A raw dossier cell back to its canonical value (as a loader would)."""
    f = dataset_fields("dossiers")[name]
    text = "" if value is None else value if isinstance(value, date) else str(value)
    if f.kind == "datetime":
        if isinstance(text, date):  # calamine gives a date for a date cell at midnight
            return pd.Timestamp(text).round("min")
        if not text:
            return pd.NaT
        fmt = "%Y-%m-%d %H:%M:%S" if text[4] == "-" else "%d/%m/%Y %H:%M"
        return pd.Timestamp(datetime.strptime(text, fmt))
    if f.kind == "boolean":
        return fold(text) in {"có", "x", "1"}
    if f.kind in ("int", "float"):
        return float(text) if text else np.nan
    if not text:
        return None
    if f.kind == "code":
        return next(c for c, texts in f.codes.items() if fold(text) in {fold(t) for t in texts})
    return text


def test_raw_files_round_trip_to_the_canonical_data(sample_dir, data):
    planted = {(d.month, d.position) for d in DEFECTS}
    records = []
    for name in DOSSIER_FILES:
        month = "-".join(Path(name).stem.split("_")[2:])
        headers, body = _table(sample_dir / name, "dossiers")
        columns = [_canonical(h, "dossiers")[0] for h in headers]
        for i, row in enumerate(body):
            if (month, i) not in planted:
                records.append({c: _parse_cell(v, c) for c, v in zip(columns, row, strict=True)})
    parsed = pd.DataFrame(records)
    # issue 13: dossiers carried into the new system on 01/07/2025 are exported twice
    # (old system, frozen at the switch; new system, new id and "Mã hồ sơ cũ"): matched
    # by the old code, they round-trip to one canonical row each.
    parsed, report = match_system_switch(parsed, SWITCH_ON)
    assert report.n_matched == 198 and report.new_without_old_code == sorted(
        list(carried_id_map(data.dossiers))[-UNMATCHED:]
    )
    ids = carried_id_map(data.dossiers)
    parsed = parsed.assign(
        dossier_id=parsed["dossier_id"].map(lambda i: ids.get(i, i)), previous_dossier_id=None
    )
    parsed = parsed.sort_values("dossier_id", kind="stable").reset_index(drop=True)
    expected = data.dossiers.drop(columns="month")
    expected = expected.sort_values("dossier_id", kind="stable").reset_index(drop=True)
    assert len(parsed) == len(expected)
    for column in expected.columns:
        got, want = parsed[column], expected[column]
        if want.dtype.kind == "M":
            assert (got.fillna(pd.Timestamp(0)) == want.fillna(pd.Timestamp(0))).all(), column
        elif column in ("supplement_requests", "supplement_days", "fee_amount"):
            assert np.allclose(got.astype(float), want.astype(float), equal_nan=True), column
        else:
            assert (
                got.where(got.notna(), None).tolist() == want.where(want.notna(), None).tolist()
            ), column


# --- planted defects -------------------------------------------------------------------------


def _cell_time(value) -> datetime:
    return value if isinstance(value, datetime) else datetime.strptime(value, "%d/%m/%Y %H:%M")


def test_planted_defects_are_in_the_raw_files(sample_dir):
    defects = {p.id: p for p in PLANTED if p.kind == "defect"}
    assert sorted(defects) == ["D1", "D2", "D3", "D4", "D5", "D6"]

    def row(item):
        rows = _rows(sample_dir / item.file)
        header = rows[0]
        return {
            _canonical(str(h), "dossiers")[0]: v
            for h, v in zip(header, rows[item.row - 1], strict=True)
        }

    d1 = row(defects["D1"])
    assert d1["received_at"] == "31/02/2025 09:15"
    d2 = row(defects["D2"])
    assert _cell_time(d2["due_at"]) < _cell_time(d2["received_at"])
    assert row(defects["D3"])["channel"] == "Fax"
    july = _rows(sample_dir / "dossiers/ho_so_2025_07.xlsx")
    assert row(defects["D4"])["dossier_id"] == july[6][0]
    d5 = row(defects["D5"])
    assert _cell_time(d5["completed_at"]) < _cell_time(d5["received_at"])
    assert row(defects["D6"])["procedure_code"] == ""


def test_dossier_ids_unique_except_the_planted_duplicate(sample_dir):
    ids = []
    for name in DOSSIER_FILES:
        index, body = _by_canonical(sample_dir / name, "dossiers")
        ids += [r[index["dossier_id"]] for r in body]
    counts = pd.Series(ids).value_counts()
    assert counts.max() == 2
    assert (counts == 2).sum() == 1


# --- realism of the canonical data ------------------------------------------------------------


def _monthly(data) -> pd.DataFrame:
    d = data.dossiers
    level = d["procedure_code"].map(data.procedures.set_index("procedure_code")["online_level"])
    frame = pd.DataFrame(
        {
            "month": d["month"],
            "online": d["channel"] == "online",
            "full_online": (d["channel"] == "online")
            & (level == "full")
            & (d["result_channel"] == "online"),
        }
    )
    return frame.groupby("month").mean()


def test_online_share_rises_over_the_year(data):
    m = _monthly(data)
    assert 0.35 <= m.loc["2025-01", "online"] <= 0.50
    assert 0.75 <= m.loc["2025-12", "online"] <= 0.85
    q1 = m.loc[["2025-01", "2025-02", "2025-03"], "online"].mean()
    q4 = m.loc[["2025-10", "2025-11", "2025-12"], "online"].mean()
    assert q4 - q1 > 0.2


def test_full_online_share_stays_below_80_percent(data):
    m = _monthly(data)
    assert (m["full_online"] < 0.8).all()
    assert m.loc["2025-01", "full_online"] < 0.4
    assert m.loc[["2025-10", "2025-11"], "full_online"].min() > 0.5
    d = data.dossiers
    year = d.loc[(d["received_at"] >= "2024-12-15") & (d["received_at"] < "2025-12-15")]
    level = year["procedure_code"].map(data.procedures.set_index("procedure_code")["online_level"])
    full = (year["channel"] == "online") & (level == "full") & (year["result_channel"] == "online")
    assert full.mean() < 0.6


def test_seasonality_peaks_in_summer_and_dips_at_tet(data):
    counts = data.dossiers["month"].value_counts()
    assert counts["2025-07"] == counts.max()
    assert counts["2025-02"] < counts["2025-01"] < counts["2025-06"]


def test_overdue_pending_and_carried_over_dossiers(data):
    d = data.dossiers
    finished = d["completed_at"].notna()
    late = finished & (
        (
            d["completed_at"] - pd.to_timedelta(d["supplement_days"].fillna(0), unit="D")
        ).dt.normalize()
        > d["due_at"].dt.normalize()
    )
    assert 0.02 <= late.sum() / finished.sum() <= 0.05
    overdue = d.loc[late]
    assert overdue["has_apology"].any() and (~overdue["has_apology"]).any()
    apology = d.loc[d["has_apology"]]
    assert apology["rescheduled_due_at"].notna().all()
    assert (apology["rescheduled_due_at"] > apology["due_at"]).all()
    assert d.loc[~d["has_apology"], "rescheduled_due_at"].isna().all()
    pending = d.loc[~finished]
    assert len(pending) > 0
    assert (pending["due_at"] < "2025-12-31").any()  # some pending dossiers are already late
    # issue 12: "registered" dossiers (only registered online) have no end either
    assert set(pending["status"]) <= {"processing", "awaiting_supplement", "registered"}
    carried = d.loc[(d["received_at"] < "2025-01-01") & (d["completed_at"] >= "2025-01-01")]
    assert len(carried) > 0
    before_year = d.loc[(d["received_at"] < "2024-12-15") & (d["completed_at"] >= "2024-12-15")]
    assert len(before_year) > 0
    assert 3 <= (d["supplement_requests"] == 2).sum() <= 20


def test_feedback_planted_items(data):
    fb = data.feedback
    handled = fb.loc[fb["handled_on"].notna()]
    wd = CALENDAR.count_working_days(handled["received_on"], handled["handled_on"])
    assert (wd > 15).sum() == 1
    late = handled.loc[wd > 15].iloc[0]
    assert (late["received_on"], late["handled_on"]) == (
        pd.Timestamp(2025, 8, 4),
        pd.Timestamp(2025, 8, 28),
    )
    publish_wd = CALENDAR.count_working_days(handled["handled_on"], handled["published_on"])
    assert (publish_wd <= 2).all()
    assert fb["content"].str.contains("<script>", regex=False).sum() == 1
    assert 20 <= len(fb) <= 40


def test_index766_rises_above_the_previous_year_mean(data):
    totals = data.index766.loc[data.index766["group_code"] == "TONG"].set_index("period")["score"]
    mean_2024 = totals[totals.index.str.startswith("2024")].mean()
    y2025 = totals[totals.index.str.startswith("2025")]
    assert list(y2025.index) == [f"2025-{m:02d}" for m in range(1, 12)]
    assert (y2025 > mean_2024).all()
    assert 70 <= y2025.iloc[0] <= 80 and 84 <= y2025.iloc[-1] <= 95
    groups = data.index766.loc[data.index766["group_code"] != "TONG"]
    assert (groups["score"] <= groups["max_score"]).all()


def test_index766_names_the_unit_scored_before_and_after_the_merger(data):
    # issue 13: Bình Phước merged into Đồng Nai on 01/07/2025 (NQ 202/2025/QH15); the
    # portal names the Sở scored, so the months from 07/2025 are Đồng Nai's.
    units = data.index766.groupby("period")["unit"].unique().map(list)
    assert units["2024-01"] == units["2025-06"] == ["Sở Giáo dục và Đào tạo tỉnh Bình Phước"]
    assert units["2025-07"] == units["2025-11"] == ["Sở Giáo dục và Đào tạo tỉnh Đồng Nai"]


def test_previous_year_feedback_as_planted(data):
    # issue 18: PAKN of 2024 for the comparison "so với cùng kỳ năm trước"
    fb = data.previous_feedback
    assert len(fb) == 22 and fb["feedback_id"].is_unique
    assert fb["received_on"].min() >= pd.Timestamp("2024-01-01")
    handled = fb.loc[fb["handled_on"].notna()]
    assert len(handled) == 21  # one not accepted
    wd = CALENDAR.count_working_days(handled["received_on"], handled["handled_on"])
    assert (wd > 15).sum() == 2  # handled late (limit 15 WD)
    publish_wd = CALENDAR.count_working_days(handled["handled_on"], handled["published_on"])
    assert (publish_wd > 2).sum() == 1  # published late (limit 2 WD)
    # closed before the first 2025 window opens (15/12/2024): nothing carried into 2025
    closed = fb["handled_on"].fillna(fb["rejected_on"])
    assert closed.notna().all() and closed.max() < pd.Timestamp("2024-12-14")


def test_publication_violations_are_as_planted():
    p1, p2 = DECISIONS["P1"], DECISIONS["P2"]
    assert CALENDAR.count_working_days(p1.published_on, p1.legal_effective_on) == 2
    assert CALENDAR.count_working_days(p2.published_on, p2.public_on_csdlqg_on) == 9
    for key, d in DECISIONS.items():
        if key not in ("P1", "P2"):
            assert CALENDAR.count_working_days(d.published_on, d.legal_effective_on) >= 5, key
            assert CALENDAR.count_working_days(d.published_on, d.public_on_csdlqg_on) <= 5, key


def test_catalogue(data):
    p = data.procedures
    assert 60 <= len(p) <= 90
    assert p["procedure_code"].is_unique
    assert p["procedure_code"].str.fullmatch(r"[0-9]\.[0-9]{6}").all()
    assert set(p["online_level"]) == {"full", "partial", "none"}
    eligible_partial = p.loc[
        p["eligible_full_online"] & (p["online_level"] == "partial"), "procedure_code"
    ]
    assert sorted(eligible_partial) == ["1.000485", "1.005093", "3.000181"]
    assert sorted(p.loc[p["internal_process_on"].isna(), "procedure_code"]) == [
        "1.000481",
        "1.000483",
    ]


def test_full_online_dates_rise_during_2025_and_are_deterministic(data):
    p = data.procedures
    since = p.set_index("procedure_code")["full_online_since"]
    full = p["online_level"] == "full"
    assert since[full.to_numpy()].notna().all() and since[(~full).to_numpy()].isna().all()
    in_2025 = since[since >= pd.Timestamp(2025, 1, 1)].sort_values()
    # seed 2025: coverage 16/23 in January, then +1 in 03, 05, 08 and 10/2025
    assert {c: f"{d:%d/%m/%Y}" for c, d in in_2025.items()} == {
        "1.000479": "27/03/2025",
        "1.000480": "08/05/2025",
        "1.000486": "04/08/2025",
        "1.012870": "19/10/2025",
    }
    assert (since[since < pd.Timestamp(2025, 1, 1)] >= pd.Timestamp(2022, 7, 1)).all()
    other = build_sample("small", 7, n_dossiers=600).procedures.set_index("procedure_code")
    other_2025 = other.loc[list(in_2025.index), "full_online_since"]
    assert [f"{d:%m/%Y}" for d in other_2025] == ["03/2025", "05/2025", "08/2025", "10/2025"]
    assert not other_2025.equals(in_2025)


def test_evidence_dates_are_working_days_inside_their_quarter():
    for a in ACTIVITIES:
        assert CALENDAR.is_working_day(a.date), (a.task_id, a.date)
    for r in REPORTS:
        assert CALENDAR.is_working_day(r.due_on) and CALENDAR.is_working_day(r.submitted_on)
    ongoing = {"I.1", "I.2", "I.5", "II.1", "III.1", "IV.1", "IV.2", "V.2", "VII.3"}
    for a in ACTIVITIES:
        if a.task_id in ongoing:
            last_month = ((a.date.month - 1) // 3 + 1) * 3
            assert a.date.month < last_month or a.date.day <= 14, (a.task_id, a.date)
    notices = sorted(a.covers_period for a in ACTIVITIES if a.task_id == "I.4")
    assert "08/2025" not in notices and len(notices) == 10


# --- invariants for any seed ---------------------------------------------------------------------


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=10_000))
def test_dossiers_are_consistent_for_any_seed(seed):
    data = build_sample("small", seed, n_dossiers=600)
    d = data.dossiers
    assert d["dossier_id"].is_unique
    assert (d["due_at"] > d["received_at"]).all()
    assert (d["submitted_at"] <= d["received_at"]).all()
    finished = d["completed_at"].notna()
    assert (d.loc[finished, "completed_at"] >= d.loc[finished, "received_at"]).all()
    ended = ["completed", "returned", "rejected", "withdrawn", "refused_intake"]
    assert d.loc[finished, "status"].isin(ended).all()
    assert (
        d.loc[~finished, "status"].isin(["processing", "awaiting_supplement", "registered"]).all()
    )
    # issue 12: a few dossiers are not received (refused at the counter, only registered)
    assert 0 < d["status"].isin(["refused_intake", "registered"]).sum() <= 18
    waiting = d["status"] == "awaiting_supplement"
    assert d.loc[waiting, "paused_at"].notna().all() and d.loc[~waiting, "paused_at"].isna().all()
    assert (d.loc[finished, "completed_at"] < pd.Timestamp(2026, 1, 1)).all()
    returned = d["returned_at"].notna()
    assert (d.loc[returned, "returned_at"] >= d.loc[returned, "completed_at"]).all()
    assert (d.loc[returned, "status"] == "returned").all()
    assert d["procedure_code"].isin(data.procedures["procedure_code"]).all()
    level = d["procedure_code"].map(data.procedures.set_index("procedure_code")["online_level"])
    assert not ((level == "none") & (d["channel"] == "online")).any()
    day = d["received_at"].dt.normalize()
    working = np.array([CALENDAR.is_working_day(x) for x in day])
    assert (working | (day.dt.day_of_week == 5)).all()
    assert d.loc[~working, "received_at"].dt.day_of_week.eq(5).all()
    assert (d["month"] == d["received_at"].dt.strftime("%Y-%m")).all()


# --- expected statuses ------------------------------------------------------------------------------


def test_expected_statuses_at_year_end():
    statuses = expected_task_statuses()
    assert statuses == EXPECTED_YEAR_END
    assert list(statuses) == list(TASK_IDS)
    assert set(statuses.values()) <= set(STATUSES)


def test_planted_task_statuses_match_expected():
    items = {p.task_id: p.value for p in PLANTED if p.kind == "task_status"}
    assert items == EXPECTED_YEAR_END
    assert all(p.description_vi and p.description_en for p in PLANTED)


def test_expected_statuses_mid_year():
    july = expected_task_statuses(date(2025, 7, 10))
    assert july["V.1"] == "overdue"  # deadline 30/06 passed, done only on 15/07
    assert july["V.3"] == "done_on_time"
    assert july["I.4"] == "on_track"  # notices January–June present
    assert july["VII.1"] == "achieved"  # the late PAKN is received only on 04/08
    assert july["VII.3"] == "on_track"  # Quý III not ended yet
    assert july["VIII.1"] == "on_track"  # Q1 and H1 sent on time, 9M and Y not due
    assert july["IV.1"] == "below_target"  # the late decision of 19/06 is published
    september = expected_task_statuses(date(2025, 9, 22))
    assert september["VIII.1"] == "overdue"  # 9-month report due 18/09, sent 24/09
    assert september["I.4"] == "behind"  # 08/2025 notice was due 10/09
    assert september["VII.1"] == "below_target"
    assert september["V.1"] == "done_late"
    october = expected_task_statuses(date(2025, 10, 1))
    # issue 13: VII.3 needs one item in the year (no period in the plan text)
    assert october["VII.3"] == "on_track"
    assert october["VIII.1"] == "done_late"


@pytest.mark.parametrize("as_of", [date(2025, 3, 1), date(2026, 1, 5)])
def test_expected_statuses_outside_the_defined_range(as_of):
    with pytest.raises(ParameterError):
        expected_task_statuses(as_of)


# --- province code path, folder handling, CLI -------------------------------------------------------


def test_province_code_path_on_a_smaller_volume(tmp_path):
    out = write_sample(tmp_path, "province", 2025, "xlsx", n_dossiers=20_000)
    assert out == tmp_path
    manifest = json.loads((out / "SAMPLE.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["dossiers_2025"] == 20_000
    assert manifest["expected_task_statuses"] is None
    names = sorted(n for n in manifest["files"] if n.startswith("dossiers/"))
    assert names == sorted(n.replace(".csv", ".xlsx") for n in DOSSIER_FILES)
    rows = _rows(tmp_path / "dossiers/ho_so_2025_07.xlsx")
    assert rows[0][0] == "Mã hồ sơ"
    assert len(rows) - 1 == manifest["files"]["dossiers/ho_so_2025_07.xlsx"]["rows"]


def test_csv_format_replaces_an_earlier_sample(tmp_path):
    write_sample(tmp_path, "small", 3, "xlsx", n_dossiers=800)
    write_sample(tmp_path, "small", 3, "csv", n_dossiers=800)
    dossier_files = sorted(p.name for p in (tmp_path / "dossiers").iterdir())
    assert dossier_files == sorted(Path(n).with_suffix(".csv").name for n in DOSSIER_FILES)
    index, body = _by_canonical(tmp_path / "dossiers/ho_so_2025_02.csv", "dossiers")
    assert body[DEFECTS[0].position][index["received_at"]] == "31/02/2025 09:15"


def test_refuses_a_folder_with_other_data(tmp_path):
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(ParameterError, match="notes.txt"):
        write_sample(tmp_path, "small", 2025)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"scale": "huge"}, "Quy mô"),
        ({"seed": -1}, "seed"),
        ({"dossier_format": "ods"}, "Định dạng"),
        ({"n_dossiers": 10}, "500"),
    ],
)
def test_bad_parameters(tmp_path, kwargs, message):
    with pytest.raises(ParameterError, match=message):
        write_sample(tmp_path, **kwargs)


def test_cli_writes_and_reports(tmp_path):
    from tthc_analysis.cli.sample import command

    result = CliRunner().invoke(command, ["--out", str(tmp_path / "s"), "--seed", "2025"])
    assert result.exit_code == 0, result.output
    assert "DỮ LIỆU MẪU TỔNG HỢP (synthetic)" in result.output
    assert "dossiers/ho_so_2025_05.csv" in result.output
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "a.txt").write_text("x", encoding="utf-8")
    failed = CliRunner().invoke(command, ["--out", str(tmp_path / "other")])
    assert failed.exit_code == 2
    assert "Lỗi:" in failed.output
