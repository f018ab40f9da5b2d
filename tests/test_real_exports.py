"""Real exports load as they come (issue 11), and the loading rules of issue 12 (4, 5).

Every fixture is built in the layout of a real export (``tests/real_exports.py``,
synthetic people only); the expected values are written here by hand.
"""

from __future__ import annotations

import csv
import os
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
import real_exports as rx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from loading_fixtures import DOSSIER_HEADERS, dossier_row, write_csv

from tthc_analysis.cli import main
from tthc_analysis.loading import load
from tthc_analysis.loading.ingest import ingest, read_output

T = pd.Timestamp


def _values(frame: pd.DataFrame, column: str) -> list:
    return [None if pd.isna(v) else v for v in frame[column]]


def _facts(loaded, kind: str) -> pd.DataFrame:
    return loaded.facts[loaded.facts["kind"] == kind].reset_index(drop=True)


def _balanced(loaded) -> None:
    """read = kept + rejected (+ superseded) for every file; footers are not rows."""
    files = loaded.files
    assert (
        files["rows_read"] == files["rows_kept"] + files["rows_rejected"] + files["rows_superseded"]
    ).all(), files


# --- (1) the one-stop system's list: an HTML table behind an .xls name ------------------------


@pytest.fixture
def one_stop(tmp_path):
    rx.write_catalogue(tmp_path / "procedures" / "danh_muc.csv")
    rx.write_one_stop_list(tmp_path / "DanhSachHoSo.xls")
    return load(tmp_path)


def test_one_stop_list_saved_as_xls_loads_without_configuration(one_stop):
    dossiers = one_stop["dossiers"]
    assert dossiers["dossier_id"].tolist() == [
        "000.00.12.H10-250303-0001",
        "000.00.12.H10-250304-0002",
        "000.00.12.H10-250305-0003",
        "000.00.12.H10-250305-0004",
        "000.00.12.H10-250307-0006",
    ]
    assert dossiers["status"].tolist() == [
        "returned",
        "processing",
        "registered",
        "refused_intake",
        "completed",
    ]
    # dates to the minute, day first
    assert _values(dossiers, "received_at") == [
        T("2025-03-03 08:15"),
        T("2025-03-04 09:05"),
        None,  # registered only: never received
        None,  # refused at the counter: never received
        T("2025-03-07 14:05"),
    ]
    assert _values(dossiers, "completed_at")[0] == T("2025-03-07 16:30")
    assert _values(dossiers, "submitted_at")[2] == T("2025-03-05 10:00")
    assert dossiers["unit"].unique().tolist() == [rx.UNIT]
    # no channel column: unknown, never guessed
    assert dossiers["channel"].isna().all()
    rows = one_stop.files.set_index("file").loc["DanhSachHoSo.xls"]
    assert (rows["rows_read"], rows["rows_kept"], rows["rows_rejected"], rows["footer_rows"]) == (
        6,
        5,
        1,
        1,
    )
    _balanced(one_stop)


def test_procedure_code_is_filled_from_the_catalogue_by_normalised_name(one_stop):
    dossiers = one_stop["dossiers"]
    assert dossiers["procedure_code"].tolist() == [
        "1.005092",
        "1.005092",  # "cấp bản sao  VĂN BẰNG..." (case and spaces differ)
        "1.005093",
        "1.005093",
        "1.005092",
    ]
    filled = _facts(one_stop, "procedure_code_filled")
    assert int(filled["n"].sum()) == 5
    assert set(filled["detail"]) == {"1.005092", "1.005093"}


def test_end_state_without_end_date_is_rejected_with_the_reason(one_stop):
    # issue 12 rule 5: "Rút hồ sơ" without any end date (row 8 of the page)
    rejected = one_stop.rejected_rows
    assert rejected[["source_row", "column", "value"]].values.tolist() == [
        [8, "status", "Rút hồ sơ"]
    ]
    assert "không có ngày kết thúc" in rejected["reason"].iat[0]


def test_footer_of_the_list_is_skipped_and_listed(one_stop):
    footers = _facts(one_stop, "skipped_footer")
    assert footers[["source_row", "value"]].values.tolist() == [[10, "Tổng số"]]
    assert any("trang web (HTML)" in m for m in one_stop.warnings["message"])


def test_xml_spreadsheet_2003_saved_as_xls_is_read_like_an_html_table(tmp_path):
    page = (
        '<?xml version="1.0" encoding="UTF-8"?><?mso-application progid="Excel.Sheet"?>'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
        'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="DS">'
        '<Table><Row><Cell ss:MergeAcross="2"><Data ss:Type="String">DANH SÁCH HỒ SƠ</Data>'
        "</Cell></Row><Row><Cell><Data>Mã hồ sơ</Data></Cell><Cell><Data>Ngày nhận</Data>"
        "</Cell><Cell><Data>Ngày hẹn trả</Data></Cell></Row><Row><Cell><Data>X-1</Data></Cell>"
        '<Cell><Data>03/03/2025 08:15:00</Data></Cell><Cell ss:Index="3"><Data>10/03/2025'
        "</Data></Cell></Row></Table></Worksheet></Workbook>"
    )
    (tmp_path / "ds.xls").write_text(page, encoding="utf-8")
    dossiers = load(tmp_path)["dossiers"]
    assert dossiers["dossier_id"].tolist() == ["X-1"]
    assert dossiers["received_at"].tolist() == [T("2025-03-03 08:15")]
    assert dossiers["due_at"].tolist() == [T("2025-03-10")]
    assert dossiers["source_row"].tolist() == [3]


# --- (2) the tracking book ------------------------------------------------------------------------


@pytest.fixture
def book(tmp_path):
    rx.write_tracking_book(tmp_path / "so_theo_doi.xlsx")
    return load(tmp_path)


def test_tracking_book_merged_header_numbering_row_and_footer(book):
    dossiers = book["dossiers"]
    assert dossiers["dossier_id"].tolist() == ["STD-001", "STD-002", "STD-003"]
    assert dossiers["source_row"].tolist() == [7, 8, 9]
    # "HH:mm, DD/MM/YYYY" under "Ngày, tháng, năm"
    assert _values(dossiers, "received_at") == [
        T("2025-03-03 08:15"),
        T("2025-03-04 09:05"),
        T("2025-03-05 10:40"),
    ]
    assert _values(dossiers, "due_at")[0] == T("2025-03-10 14:00")
    assert _values(dossiers, "completed_at") == [T("2025-03-07 16:30"), T("2025-03-11 11:20"), None]
    assert _values(dossiers, "returned_at") == [T("2025-03-10 10:00"), None, None]
    assert dossiers["unit"].tolist() == ["Phòng Khảo thí"] * 3
    assert dossiers["result_channel"].tolist() == ["in_person"] * 3
    footers = _facts(book, "skipped_footer")
    assert footers["source_row"].tolist() == [10, 12, 13, 14]
    assert footers["value"].iat[0] == "Tổng cộng"
    assert book.files["footer_rows"].tolist() == [4]
    assert book.rejected_rows.empty
    _balanced(book)


def test_tracking_book_states_follow_from_the_dates(book):
    assert book["dossiers"]["status"].tolist() == ["returned", "completed", "processing"]
    inferred = _facts(book, "state_inferred")
    assert inferred[["value", "n"]].values.tolist() == [
        ["Đã trả kết quả", 1],
        ["Đã xử lý xong", 1],
        ["Đang xử lý", 1],
    ]


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_tracking_book_saved_as_csv_reads_like_the_workbook(tmp_path, delimiter):
    rx.write_tracking_book_csv(tmp_path / "so_theo_doi.csv", delimiter)
    loaded = load(tmp_path)
    dossiers = loaded["dossiers"]
    assert dossiers["dossier_id"].tolist() == ["STD-001", "STD-002", "STD-003"]
    assert dossiers["source_row"].tolist() == [7, 8, 9]  # title block, header, (1)…(15) skipped
    assert _values(dossiers, "received_at")[2] == T("2025-03-05 10:40")
    assert _values(dossiers, "returned_at") == [T("2025-03-10 10:00"), None, None]
    # line 10 "Tổng cộng", 11 blank (not a row), 12-13 signature block with the place and
    # date line, 14 a short line (one cell fewer than the header): footers, not rows
    footers = _facts(loaded, "skipped_footer")
    assert footers[["source_row", "value"]].values.tolist() == [
        [10, "Tổng cộng"],
        [12, "(dòng dưới bảng)"],
        [13, "(dòng dưới bảng)"],
        [14, "(dòng dưới bảng)"],
    ]
    assert "Cán Bộ Thử" not in footers["value"].tolist()  # a signer's name is never kept
    files = loaded.files
    assert files[["rows_read", "rows_kept", "rows_rejected", "footer_rows"]].values.tolist() == [
        [3, 3, 0, 4]
    ]
    assert loaded.rejected_rows.empty
    messages = loaded.warnings["message"].tolist()
    assert "Bỏ qua dòng 6: dòng đánh số cột (1, 2, 3…)." in messages
    assert any(m.startswith("Bỏ qua 4 dòng cuối bảng") and "từ dòng 10" in m for m in messages)


@pytest.mark.parametrize(
    ("lines", "footers"),
    [
        # "Cộng" alone in a column that is not read, the place-and-date line alone
        ([",,,Cộng,,,", ',"Bình Phước, ngày 31 tháng 3 năm 2025"'], [[4, "Cộng"], [5, None]]),
        (['"Bình Phước, ngày ... tháng ... năm ..."', "Người lập"], [[4, None], [5, None]]),
        (['"Thủ trưởng đơn vị","","","","","",""'], [[4, "Thủ trưởng"]]),
        (['"Tổng cộng: 2 hồ sơ"'], [[4, "Tổng cộng"]]),
    ],
)
def test_csv_footer_forms(tmp_path, lines, footers):
    body = "\n".join(
        [
            ",".join(DOSSIER_HEADERS),
            "HS-1,1.005092,Trực tuyến,03/03/2025 08:00,10/03/2025,,Ngô Văn Hải",
            "HS-2,1.005092,Trực tiếp,04/03/2025 08:00,11/03/2025,,Đỗ Thị Lan",
            *lines,
        ]
    )
    (tmp_path / "hs.csv").write_text(body + "\n", encoding="utf-8")
    loaded = load(tmp_path, dataset="dossiers")
    found = _facts(loaded, "skipped_footer")[["source_row", "value"]].values.tolist()
    place = "(địa danh), ngày … tháng … năm …"
    expected = [
        [r, v or (place if i == 0 else "(dòng dưới bảng)")] for i, (r, v) in enumerate(footers)
    ]
    assert found == expected
    assert loaded["dossiers"]["dossier_id"].tolist() == ["HS-1", "HS-2"]
    assert loaded.rejected_rows.empty
    _balanced(loaded)


def test_csv_rows_that_only_mention_a_footer_word_are_data(tmp_path):
    # "Tổng cộng" inside a complete row (every required value present) is not a footer;
    # a row missing its id stays a rejected row when no footer word starts a cell.
    body = "\n".join(
        [
            ",".join(DOSSIER_HEADERS),
            "HS-1,1.005092,Trực tuyến,03/03/2025 08:00,10/03/2025,,Tổng cộng",
            ",1.005092,Trực tiếp,04/03/2025 08:00,11/03/2025,,Người nộp Lập",
        ]
    )
    (tmp_path / "hs.csv").write_text(body + "\n", encoding="utf-8")
    loaded = load(tmp_path, dataset="dossiers")
    assert _facts(loaded, "skipped_footer").empty
    assert loaded["dossiers"]["dossier_id"].tolist() == ["HS-1"]
    assert loaded.rejected_rows["source_row"].unique().tolist() == [3]
    _balanced(loaded)


def test_missing_column_message_shows_the_combined_header_names(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    top = [h for h in rx.BOOK_TOP if h != "Mã hồ sơ"]
    bottom = [h for i, h in enumerate(rx.BOOK_BOTTOM) if rx.BOOK_TOP[i] != "Mã hồ sơ"]
    ws.append(top)
    ws.append(bottom)
    ws.append([1, "Thủ tục", 1, "A", "B", "C", "08:15, 03/03/2025", "14:00, 10/03/2025"])
    wb.save(tmp_path / "so.xlsx")
    refused = load(tmp_path, dataset="dossiers").refused
    detail = refused["detail"].iat[0]
    assert "Mã hồ sơ" in detail and "«Nhận hồ sơ»" in detail and "«Hẹn trả kết quả»" in detail


# --- (3) DVCQG records ----------------------------------------------------------------------------


@pytest.mark.parametrize("writer", [rx.write_dvcqg_csv, rx.write_dvcqg_xlsx])
def test_dvcqg_records_load_as_csv_and_xlsx(tmp_path, writer):
    name = "dvcqg.csv" if writer is rx.write_dvcqg_csv else "dvcqg.xlsx"
    writer(tmp_path / name)
    loaded = load(tmp_path)
    dossiers = loaded["dossiers"]
    ids = ["G-001", "G-002", "G-003", "G-004", "G-005", "G-007"]
    assert dossiers["dossier_id"].tolist() == ids
    # TrangThaiHoSo 10, 4, 1, 3, 9, 8
    assert dossiers["status"].tolist() == [
        "returned",
        "processing",
        "registered",
        "refused_intake",
        "completed",
        "stopped",
    ]
    # KenhThucHien 2, 1, 3, 2, 1 and an unknown 9: set missing with a warning, row kept
    channels = ["online", "in_person", "post", "online", None, "in_person"]
    assert _values(dossiers, "channel") == channels
    missing = _facts(loaded, "value_set_missing")
    assert missing[["source_file", "source_row", "column", "value"]].values.tolist() == [
        [name, 6, "channel", "9"]
    ]
    # yyyyMMddHHmmss
    assert _values(dossiers, "received_at")[0] == T("2025-03-03 08:15")
    assert _values(dossiers, "returned_at")[0] == T("2025-03-10 09:00")
    assert _values(dossiers, "completed_at")[3] == T("2025-03-05 11:00")
    # NgayTuChoi is a field of its own (refused_at); G-007, stopped (8) with only the
    # refusal date, ends then (domain.md §3.1: end time "Dừng xử lý/Từ chối"), as a fact
    assert _values(dossiers, "refused_at") == [
        None,
        None,
        None,
        T("2025-03-05 11:00"),
        None,
        T("2025-03-07 10:00"),
    ]
    assert _values(dossiers, "completed_at")[5] == T("2025-03-07 10:00")
    ended = _facts(loaded, "end_from_refusal")
    assert ended[["source_file", "column", "n"]].values.tolist() == [[name, "completed_at", 1]]
    assert dossiers["is_digitized"].tolist() == [True, False, False, False, True, False]
    assert dossiers["paid_online"].tolist() == ["no", "no", "no", "no", "yes", "no"]
    assert dossiers["unit"].unique().tolist() == ["Phòng Khảo thí"]
    # G-006: code 10 (returned) without any end date: rule 5
    assert loaded.rejected_rows[["source_row", "column"]].values.tolist() == [[7, "status"]]
    _balanced(loaded)


def test_a_refusal_date_without_a_status_column_gives_the_state(tmp_path):
    # No status column: the state follows from the dates, the refusal date included.
    (tmp_path / "hs.csv").write_text(
        "Mã hồ sơ,Ngày tiếp nhận,Ngày hẹn trả,Ngày từ chối\n"
        "R-1,03/03/2025 08:00,10/03/2025,04/03/2025 09:30\n"  # received, then refused
        "R-2,,,03/03/2025 08:05\n"  # refused at the counter: never received
        "R-3,03/03/2025 09:00,10/03/2025,\n",
        encoding="utf-8",
    )
    loaded = load(tmp_path, dataset="dossiers")
    dossiers = loaded["dossiers"]
    assert dossiers["status"].tolist() == ["rejected", "refused_intake", "processing"]
    assert _values(dossiers, "completed_at") == [T("2025-03-04 09:30"), None, None]
    assert _values(dossiers, "refused_at")[1] == T("2025-03-03 08:05")
    inferred = _facts(loaded, "state_inferred")[["value", "n"]].values.tolist()
    assert inferred == [["Từ chối", 1], ["Không được tiếp nhận", 1], ["Đang xử lý", 1]]
    assert loaded.rejected_rows.empty
    _balanced(loaded)
    # R-2 is counted apart, in March, by its refusal date (no receipt, no submission)
    from tthc_analysis.metrics.dossiers import intake_refusals
    from tthc_analysis.periods import parse_period

    refusals = intake_refusals(dossiers, parse_period("2025-03", 2025, "calendar"))
    assert refusals[["month", "n_refused_intake"]].values.tolist() == [["2025-03", 1]]


# --- (4) 766 wide sheets --------------------------------------------------------------------------


def test_766_wide_sheet_with_codes_melts_with_the_period_of_the_sheet_name(tmp_path):
    rx.write_766_codes(tmp_path / "diem.xlsx")
    loaded = load(tmp_path)
    scores = loaded["index766"]
    first = scores[scores["unit"] == "Sở Giáo dục và Đào tạo"]
    assert first["period"].unique().tolist() == ["2025-10"]
    assert dict(zip(first["group_code"], first["score"], strict=True)) == {
        "CKMB": 17.5,  # "17,5/18"
        "TDGQ": 18.25,
        "CLGQ": 11.0,
        "TTTT": 9.5,
        "MDSH": 20.0,
        "MDHL": 17.0,
        "TONG": 93.25,
    }
    assert first.loc[first["group_code"] == "CKMB", "max_score"].tolist() == [18.0]
    # TDGQ 21 is above the group's maximum (20): rejected with the reason
    rejected = loaded.rejected_rows
    assert rejected[["source_row", "column", "value"]].values.tolist() == [[3, "score", "21"]]
    assert "vượt điểm tối đa 20" in rejected["reason"].iat[0]
    assert any("«Xu hướng»" in m for m in loaded.warnings["message"])  # the trend sheet
    _balanced(loaded)


def test_766_vietnamese_group_names_period_from_file_name_and_duplicates(tmp_path):
    rx.write_766_names(tmp_path / "Diem_766_Quy_III_2025.xlsx")
    loaded = load(tmp_path)
    scores = loaded["index766"]
    assert scores["period"].unique().tolist() == ["2025-Q3"]  # a quarter, not September
    assert scores["group_code"].tolist() == ["CKMB", "TDGQ", "DVTT", "MDSH", "MDHL", "TONG"]
    assert scores["score"].tolist() == [16.0, 19.5, 20.0, 21.0, 17.5, 94.0]
    assert scores.loc[scores["group_code"] == "DVTT", "max_score"].tolist() == [22.0]
    rejected = loaded.rejected_rows
    assert set(rejected["source_row"]) == {3}
    assert len(rejected) == 6 and rejected["reason"].str.startswith("Trùng điểm nhóm").all()


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_766_wide_sheet_saved_as_csv_melts_like_the_workbook(tmp_path, delimiter):
    rx.write_766_csv(tmp_path / "Diem766_T10_2025.csv", rx.SCORES_766_CODES, delimiter)
    loaded = load(tmp_path)
    scores = loaded["index766"]
    first = scores[scores["unit"] == "Sở Giáo dục và Đào tạo"]
    assert first["period"].unique().tolist() == ["2025-10"]  # from the file name
    assert first["group_code"].tolist() == ["CKMB", "TDGQ", "CLGQ", "TTTT", "MDSH", "MDHL", "TONG"]
    assert first["score"].tolist() == [17.5, 18.25, 11.0, 9.5, 20.0, 17.0, 93.25]
    assert first["source_row"].unique().tolist() == [3]  # line 1 title, line 2 header
    rejected = loaded.rejected_rows
    assert rejected[["source_row", "column", "value"]].values.tolist() == [[4, "score", "21"]]
    assert len(scores) == 7 + 6  # 14 cells, TDGQ 21 rejected
    assert any("dạng ngang" in m for m in loaded.warnings["message"])
    _balanced(loaded)


def test_766_csv_with_vietnamese_group_names_in_its_folder(tmp_path):
    rx.write_766_csv(tmp_path / "index766" / "Diem_766_Quy_III_2025.csv", rx.SCORES_766_NAMES, ";")
    loaded = load(tmp_path)
    scores = loaded["index766"]
    assert scores["group_code"].tolist() == ["CKMB", "TDGQ", "DVTT", "MDSH", "MDHL", "TONG"]
    assert scores["score"].tolist() == [16.0, 19.5, 20.0, 21.0, 17.5, 94.0]
    assert scores.loc[scores["group_code"] == "DVTT", "max_score"].tolist() == [22.0]
    rejected = loaded.rejected_rows
    assert set(rejected["source_row"]) == {4}  # the same unit and period twice
    assert rejected["reason"].str.startswith("Trùng điểm nhóm").all()
    _balanced(loaded)


@pytest.mark.parametrize(
    ("name", "period"),
    [
        ("T10_2025", "2025-10"),
        ("Tháng 10/2025", "2025-10"),
        ("Quý III/2025", "2025-Q3"),
        ("Q4_2025", "2025-Q4"),
        ("Năm 2025", "2025"),
        ("Bao_cao_766_thang_3_2025", "2025-03"),
    ],
)
def test_period_from_sheet_or_file_name(name, period):
    from tthc_analysis.loading.wide766 import period_from_name

    assert period_from_name(name)[0] == period


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("Tháng 9/2025", "2025-09"),
        ("Quý III/2025", "2025-Q3"),
        ("Q3/2025", "2025-Q3"),
        ("quý 3 năm 2025", "2025-Q3"),
        ("2025-Q3", "2025-Q3"),  # the stored form reads back (Parquet cache)
        ("Năm 2025", "2025"),
        ("2025", "2025"),
    ],
)
def test_a_period_column_keeps_quarters_and_years_as_such(text, period):
    from tthc_analysis.loading.values import parse_period_text

    assert parse_period_text(text) == period


def test_a_quarter_sheet_beside_the_month_sheet_is_no_duplicate_and_stays_out_of_the_trend(
    tmp_path,
):
    from tthc_analysis.metrics.index766 import scores_wide, split_periods
    from tthc_analysis.views.common import year_rows

    rx.write_766_codes(tmp_path / "thang.xlsx", sheet="T9_2025")
    rx.write_766_codes(tmp_path / "quy.xlsx", sheet="Quý III_2025")
    loaded = load(tmp_path)
    scores = loaded["index766"]
    assert sorted(set(scores["period"])) == ["2025-09", "2025-Q3"]
    # only the TDGQ 21 above its maximum, once per file: no duplicate across the two sheets
    assert loaded.rejected_rows["reason"].str.contains("vượt điểm tối đa").tolist() == [True] * 2
    monthly, other = split_periods(scores)
    assert set(monthly["period"]) == {"2025-09"} and set(other["period"]) == {"2025-Q3"}
    wide = scores_wide(monthly)
    assert wide["period"].tolist() == ["2025-09", "2025-09"]  # two units, September only
    assert set(year_rows(scores, 2025)["period"]) == {"2025-09"}
    warnings = " ".join(loaded.warnings["message"])
    assert "kỳ Quý III/2025 lấy từ tên trang tính «Quý III_2025» (quý)" in warnings
    assert "không đưa vào xu hướng điểm theo tháng" in warnings


# --- (5) date forms ---------------------------------------------------------------------------


def test_every_date_form_reads_to_the_minute_in_vietnam_time(tmp_path):
    rx.write_date_forms(tmp_path / "ngay.csv")
    dossiers = load(tmp_path, dataset="dossiers")["dossiers"]
    expected = [T(v) for _, _, v in rx.DATE_FORMS]
    assert dossiers["received_at"].tolist() == expected


def test_a_literal_z_on_local_time_is_a_setting(tmp_path):
    rx.write_date_forms(tmp_path / "ngay.csv")
    (tmp_path / "tthc.yaml").write_text("loading:\n  utc_z_is_local: true\n", encoding="utf-8")
    dossiers = load(tmp_path, dataset="dossiers")["dossiers"]
    by_id = dict(zip(dossiers["dossier_id"], dossiers["received_at"], strict=True))
    assert by_id["DF-5"] == T("2025-03-03 01:15")  # "...T01:15:00.000Z" kept as written
    assert by_id["DF-6"] == T("2025-03-03 08:15")  # an explicit +07:00 is always honoured


# --- Issue 12, rule 4: one dossier in several exports ----------------------------------------------


def _month(path: Path, rows: list[list[str]]) -> None:
    write_csv(path, rows)


def test_the_most_advanced_state_wins_and_the_dossier_counts_once(tmp_path):
    # March export: A pending, B pending; April export: A finished, C new.
    _month(tmp_path / "dossiers" / "2025_03.csv", [dossier_row("A"), dossier_row("B")])
    _month(
        tmp_path / "dossiers" / "2025_04.csv",
        [dossier_row("A", completed="12/02/2025 10:00"), dossier_row("C")],
    )
    loaded = load(tmp_path)
    dossiers = loaded["dossiers"]
    assert dossiers["dossier_id"].tolist() == ["B", "A", "C"]
    a = dossiers[dossiers["dossier_id"] == "A"]
    assert a["completed_at"].tolist() == [T("2025-02-12 10:00")]
    assert loaded.rejected_rows.empty  # superseded rows are not errors
    superseded = _facts(loaded, "superseded")
    assert superseded[["source_file", "source_row", "value"]].values.tolist() == [
        ["dossiers/2025_03.csv", 2, "A"]
    ]
    assert "dòng 2 của tệp dossiers/2025_04.csv" in superseded["detail"].iat[0]
    assert loaded.files["rows_superseded"].tolist() == [1, 0]
    _balanced(loaded)


def test_finished_beats_pending_even_in_an_older_export(tmp_path):
    # A re-export of an old month still shows A pending after it was finished.
    _month(tmp_path / "dossiers" / "2025_03.csv", [dossier_row("A", completed="12/02/2025 10:00")])
    _month(tmp_path / "dossiers" / "2025_04.csv", [dossier_row("A")])
    loaded = load(tmp_path)
    assert loaded["dossiers"]["source_file"].tolist() == ["dossiers/2025_03.csv"]
    assert _facts(loaded, "superseded")["source_file"].tolist() == ["dossiers/2025_04.csv"]


def test_among_equal_states_the_newer_export_wins_by_its_date(tmp_path):
    # Both pending; the first file is the newer export (its latest date is later).
    _month(
        tmp_path / "dossiers" / "a.csv",
        [dossier_row("A"), dossier_row("Z", received="20/02/2025 08:00", due="27/02/2025")],
    )
    _month(tmp_path / "dossiers" / "b.csv", [dossier_row("A")])
    loaded = load(tmp_path)
    kept = loaded["dossiers"].set_index("dossier_id")
    assert kept.loc["A", "source_file"] == "dossiers/a.csv"


def test_conflicting_receipt_dates_stay_rejected(tmp_path):
    _month(tmp_path / "dossiers" / "2025_03.csv", [dossier_row("A")])
    _month(tmp_path / "dossiers" / "2025_04.csv", [dossier_row("A", received="05/02/2025 08:00")])
    loaded = load(tmp_path)
    assert loaded["dossiers"]["source_file"].tolist() == ["dossiers/2025_03.csv"]
    assert loaded.rejected_rows["reason"].str.startswith("Trùng mã hồ sơ «A»").all()
    assert _facts(loaded, "superseded").empty


# --- One bad file does not stop the others ---------------------------------------------------------


def test_one_bad_file_is_listed_and_the_rest_is_loaded(tmp_path, capsys):
    write_csv(tmp_path / "dossiers" / "tot.csv", [dossier_row("A")])
    (tmp_path / "dossiers" / "hong.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    loaded = load(tmp_path)
    assert loaded["dossiers"]["dossier_id"].tolist() == ["A"]
    assert loaded.refused["source_file"].tolist() == ["dossiers/hong.xlsx"]
    with pytest.raises(SystemExit) as info:
        main(["ingest", str(tmp_path), "--out", str(tmp_path / "out")])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "Tệp: dossiers/hong.xlsx" in err and "Traceback" not in err
    assert read_output(tmp_path / "out", "dossiers")["dossier_id"].tolist() == ["A"]


# --- Broken inputs --------------------------------------------------------------------------------


def test_utf8_csv_with_some_windows_1258_lines_keeps_the_good_lines(tmp_path):
    from loading_fixtures import encode_cp1258

    header = ",".join(DOSSIER_HEADERS).encode("utf-8")
    good = ",".join(dossier_row("A", name="Nguyễn Văn An")).encode("utf-8")
    bad = encode_cp1258(",".join(dossier_row("B", name="Trần Thị Bình")))
    also_good = ",".join(dossier_row("C", name="Lê Thị Cúc")).encode("utf-8")
    (tmp_path / "hs.csv").write_bytes(b"\n".join([header, good, bad, also_good]) + b"\n")
    loaded = load(tmp_path, dataset="dossiers")
    assert loaded["dossiers"]["dossier_id"].tolist() == ["A", "C"]
    assert loaded["dossiers"]["applicant_name"].tolist() == ["Nguyễn Văn An", "Lê Thị Cúc"]
    rejected = loaded.rejected_rows
    assert rejected[["source_row", "column"]].values.tolist() == [[3, ""]]
    assert "UTF-8" in rejected["reason"].iat[0]
    _balanced(loaded)


def test_mixed_windows_1258_lines_with_blank_rows_and_unknown_columns(tmp_path):
    # the blank-row check re-reads the columns outside the dictionary: it used to meet a
    # table already shortened by the rejected line (a traceback)
    data = "Mã hồ sơ,Ngày tiếp nhận,Ngày hẹn trả,Cột lạ\nHS-1,03/03/2025 08:00,10/03/2025,Đà Nẵng\n"
    raw = data.encode() + "HS-2,03/03/2025 08:00,10/03/2025,Đà\n".encode("cp1258")
    raw += ",,,\nHS-3,03/03/2025 08:00,10/03/2025,Huế\n".encode()
    (tmp_path / "hs.csv").write_bytes(raw)
    loaded = load(tmp_path, dataset="dossiers")
    assert loaded["dossiers"]["dossier_id"].tolist() == ["HS-1", "HS-3"]
    assert loaded.rejected_rows["source_row"].unique().tolist() == [3]  # the Windows-1258 line
    assert loaded.files[["rows_read", "rows_kept", "rows_rejected"]].values.tolist() == [[3, 2, 1]]
    _balanced(loaded)


def test_a_field_of_several_megabytes_loads(tmp_path):
    big = "x" * (3 * 1024 * 1024)
    write_csv(tmp_path / "hs.csv", [dossier_row("A", name=big), dossier_row("B")])
    dossiers = load(tmp_path, dataset="dossiers")["dossiers"]
    assert dossiers["dossier_id"].tolist() == ["A", "B"]
    assert dossiers["applicant_name"].str.len().tolist() == [len(big), len("Nguyễn Văn An")]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_recognised(tmp_path, encoding):
    text = "\n".join(",".join(r) for r in [DOSSIER_HEADERS, dossier_row("A"), dossier_row("B")])
    (tmp_path / "hs.csv").write_bytes(text.encode(encoding))
    loaded = load(tmp_path, dataset="dossiers")
    assert loaded["dossiers"]["dossier_id"].tolist() == ["A", "B"]
    assert loaded["dossiers"]["applicant_name"].tolist() == ["Nguyễn Văn An"] * 2
    assert any("không có BOM" in m for m in loaded.warnings["message"])


def test_a_nul_byte_is_a_row_error_with_its_row(tmp_path):
    rows = [dossier_row("A"), dossier_row("B", name="Nguyễn\x00Văn"), dossier_row("C")]
    text = "\n".join(",".join(r) for r in [DOSSIER_HEADERS, *rows]) + "\n"
    (tmp_path / "hs.csv").write_bytes(text.encode("utf-8"))
    loaded = load(tmp_path, dataset="dossiers")
    assert loaded["dossiers"]["dossier_id"].tolist() == ["A", "C"]
    assert loaded.rejected_rows[["source_row", "column"]].values.tolist() == [[3, ""]]
    assert "NUL" in loaded.rejected_rows["reason"].iat[0]


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_symlinks_that_loop_dangle_or_leave_the_folder_are_skipped(tmp_path):
    data = tmp_path / "data"
    outside = tmp_path / "outside"
    write_csv(data / "dossiers" / "a.csv", [dossier_row("A")])
    write_csv(outside / "secret.csv", [dossier_row("S")])
    (data / "dossiers" / "ra_ngoai.csv").symlink_to(outside / "secret.csv")
    (data / "dossiers" / "treo.csv").symlink_to(data / "khong_co.csv")
    (data / "dossiers" / "vong.csv").symlink_to(data / "dossiers" / "vong.csv")
    (data / "thu_muc_ngoai").symlink_to(outside, target_is_directory=True)
    (data / "dossiers" / "ban_sao.csv").symlink_to(data / "dossiers" / "a.csv")
    loaded = load(data)
    # the link inside the folder is read (the same dossier twice: superseded, counted once)
    assert loaded["dossiers"]["dossier_id"].tolist() == ["A"]
    links = _facts(loaded, "skipped_link")
    assert sorted(links["source_file"]) == [
        "dossiers/ra_ngoai.csv",
        "dossiers/treo.csv",
        "dossiers/vong.csv",
        "thu_muc_ngoai",
    ]
    assert "S" not in set(loaded["dossiers"]["dossier_id"])
    assert all(
        any(f"Bỏ qua tệp {name}" in m for m in loaded.warnings["message"])
        for name in links["source_file"]
    )


def test_infinite_numbers_and_excel_serial_60_are_rejected_with_a_reason(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Mã hồ sơ", "Ngày tiếp nhận", "Ngày hẹn trả", "Phí, lệ phí"])
    ws.append(["A", 60, "10/03/2025", 1])  # serial 60 = 29/02/1900, never existed
    ws.append(["B", "03/03/2025", "10/03/2025", "1e400"])  # overflows to infinity
    ws.append(["C", "03/03/2025", "10/03/2025", "50.000"])
    wb.save(tmp_path / "hs.xlsx")
    loaded = load(tmp_path, dataset="dossiers")
    assert loaded["dossiers"]["dossier_id"].tolist() == ["C"]
    table = loaded.rejected_rows
    reasons = dict(zip(table["source_row"], table["reason"], strict=True))
    assert "29/02/1900" in reasons[2] and "không có thật" in reasons[2]
    assert "vô hạn" in reasons[3]


def test_a_workbook_out_of_proportion_is_refused_before_it_is_opened(tmp_path):
    path = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (3 * 1024 * 1024))
    (tmp_path / "tthc.yaml").write_text("loading:\n  max_unpacked_mb: 2\n", encoding="utf-8")
    refused = load(tmp_path, dataset="dossiers").refused
    assert refused["source_file"].tolist() == ["bom.xlsx"]
    assert "giải nén" in refused["detail"].iat[0]
    assert "max_unpacked_mb" in refused["detail"].iat[0]


def test_ingest_keeps_the_load_facts_for_the_report(tmp_path):
    rx.write_tracking_book(tmp_path / "raw" / "so_theo_doi.xlsx")
    manifest = ingest(tmp_path / "raw", tmp_path / "out")
    assert manifest.totals["footer_rows"] == 4
    facts = read_output(tmp_path / "out", "load_facts")
    assert set(facts["kind"]) == {"skipped_footer", "state_inferred", "procedure_code_missing"}


# --- Property: no row lost -------------------------------------------------------------------------

_CELLS = st.sampled_from(
    ["", "A", "31/02/2025", "03/02/2025 08:00", "08:15, 03/02/2025", "x", "1.005092", "Fax", "0"]
)


_FOOTER_LINES = [
    ["Tổng cộng", "", "", "", "", "", ""],
    ["", "Người lập", "", "", "Thủ trưởng đơn vị"],
    ["", "(Ký, ghi rõ họ tên)", "", "", "Bình Phước, ngày 31 tháng 3 năm 2025"],
    ["", "Cán Bộ Thử"],
]


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(st.lists(_CELLS, min_size=7, max_size=7), min_size=1, max_size=8),
    footer=st.booleans(),
)
def test_read_equals_kept_plus_rejected_for_every_file(tmp_path_factory, rows, footer):
    folder = tmp_path_factory.mktemp("prop")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(DOSSIER_HEADERS)
    for row in rows:
        ws.append(row)
    lines = _FOOTER_LINES if footer else []
    for line in lines:
        ws.append(line)
    wb.save(folder / "hs.xlsx")
    with (folder / "hs.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(DOSSIER_HEADERS)
        writer.writerows(rows)
        writer.writerows(lines)  # the short signature lines have fewer cells than the header
    loaded = load(folder, dataset="dossiers")
    _balanced(loaded)
    non_blank = sum(1 for r in rows if any(c for c in r))
    files = loaded.files.set_index("file")
    for name in ("hs.csv", "hs.xlsx"):
        # every line is a row read or a footer line; the footer is never a row
        assert files.loc[name, "rows_read"] == non_blank, name
        assert files.loc[name, "footer_rows"] == len(lines), name
    kept = len(loaded["dossiers"])
    distinct = len(loaded.rejected_rows.drop_duplicates(["source_file", "source_row"]))
    superseded = int(loaded.files["rows_superseded"].sum())
    assert kept + distinct + superseded == int(loaded.files["rows_read"].sum())
    assert np.all(loaded.files["rows_kept"] >= 0)
