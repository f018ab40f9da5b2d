"""Reading files: formats, encodings, delimiters, title rows, sheets, file-level errors."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from loading_fixtures import DOSSIER_HEADERS, dossier_row, write_csv, write_xlsx

from tthc_analysis.errors import InputFileError
from tthc_analysis.loading.datasets import parse_file
from tthc_analysis.loading.readers import legacy_encoding, read_raw

ROWS = [dossier_row("H1"), dossier_row("H2", channel="Trực tiếp")]


def ids(result):
    return result.frame["dossier_id"].tolist()


# --- CSV ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("delimiter", "bom"), [(",", False), (",", True), (";", False), (";", True), ("\t", False)]
)
def test_csv_delimiters_and_bom(tmp_path, delimiter, bom):
    path = write_csv(tmp_path / "hs.csv", ROWS, delimiter=delimiter, bom=bom)
    result = parse_file(path, dataset="dossiers")
    assert ids(result) == ["H1", "H2"]
    assert result.frame["channel"].tolist() == ["online", "in_person"]
    assert result.frame["source_row"].tolist() == [2, 3]
    assert result.headers["dossier_id"] == "Mã hồ sơ"


def test_windows_1258_csv_is_detected_converted_and_reported(tmp_path):
    path = write_csv(tmp_path / "hs.csv", ROWS, encoding="cp1258")
    result = parse_file(path, dataset="dossiers")
    assert result.encoding == "cp1258"
    assert result.frame["applicant_name"].tolist() == ["Nguyễn Văn An", "Nguyễn Văn An"]
    assert result.frame["channel"].tolist() == ["online", "in_person"]
    assert any("Windows-1258" in w and "Unicode" in w for w in result.warnings)


def test_utf16_csv(tmp_path):
    path = tmp_path / "hs.csv"
    text = "\t".join(DOSSIER_HEADERS) + "\n" + "\t".join(ROWS[0]) + "\n"
    path.write_bytes(text.encode("utf-16"))
    assert ids(parse_file(path, dataset="dossiers")) == ["H1"]


def test_csv_blank_and_malformed_lines_keep_row_numbers(tmp_path):
    path = tmp_path / "hs.csv"
    lines = [
        ",".join(DOSSIER_HEADERS),
        ",".join(dossier_row("H1")),
        "",
        ",".join(dossier_row("H2")),
        "H3,1.005092,Trực tuyến",
        ",,,,,,",
        ",".join(dossier_row("H4")),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = parse_file(path, dataset="dossiers")
    assert ids(result) == ["H1", "H2", "H4"]
    assert result.frame["source_row"].tolist() == [2, 4, 7]
    assert [row for row, _ in result.bad_rows] == [5]
    assert "3 ô" in result.bad_rows[0][1] and "7 cột" in result.bad_rows[0][1]
    assert result.n_read == 4


def test_csv_quoted_line_break_in_a_value(tmp_path):
    rows = [dossier_row("H1", name="Nguyễn\nVăn An"), dossier_row("H2")]
    result = parse_file(write_csv(tmp_path / "hs.csv", rows), dataset="dossiers")
    assert ids(result) == ["H1", "H2"]
    assert result.frame["applicant_name"].tolist()[0] == "Nguyễn\nVăn An"


def test_csv_title_lines_above_the_header(tmp_path):
    path = write_csv(
        tmp_path / "hs.csv", ROWS, title_lines=["SỞ GIÁO DỤC VÀ ĐÀO TẠO", "DANH SÁCH HỒ SƠ", ""]
    )
    result = parse_file(path, dataset="dossiers")
    assert result.header_row == 4
    assert result.frame["source_row"].tolist() == [5, 6]


# --- Workbooks ---------------------------------------------------------------------------------


def test_xlsx_title_rows_and_sheet_row_numbers(tmp_path):
    path = write_xlsx(
        tmp_path / "hs.xlsx",
        [*ROWS, ["", "", "", "", "", "", ""], dossier_row("H3")],
        title_lines=["SỞ GIÁO DỤC VÀ ĐÀO TẠO", "DANH SÁCH HỒ SƠ THÁNG 02/2025", ""],
    )
    result = parse_file(path, dataset="dossiers")
    assert result.header_row == 4
    assert ids(result) == ["H1", "H2", "H3"]
    assert result.frame["source_row"].tolist() == [5, 6, 8]  # row 7 is empty
    assert result.sheet == "Danh sách"


def test_xlsx_sheet_whose_headers_match_is_used_and_named(tmp_path):
    path = write_xlsx(
        tmp_path / "hs.xlsx",
        ROWS,
        sheet="Hồ sơ",
        extra_sheets=[("Hướng dẫn", [["Ghi chú"], ["Tệp xuất từ hệ thống một cửa"]])],
    )
    result = parse_file(path)
    assert result.dataset == "dossiers" and result.sheet == "Hồ sơ"
    assert any("«Hồ sơ»" in w for w in result.warnings)


def test_xlsx_numbering_row_under_the_header_is_skipped(tmp_path):
    numbering = [f"({i})" for i in range(1, 8)]
    path = write_xlsx(tmp_path / "hs.xlsx", [numbering, *ROWS])
    result = parse_file(path, dataset="dossiers")
    assert ids(result) == ["H1", "H2"]
    assert result.frame["source_row"].tolist() == [3, 4]
    assert any("đánh số cột" in w for w in result.warnings)


def test_xlsx_mixed_date_cells_and_text_dates_in_one_column(tmp_path):
    rows = [
        dossier_row("H1", received=dt.datetime(2025, 2, 1, 8, 30)),
        dossier_row("H2", received="01/02/2025 09:00"),
        dossier_row("H3", received="2025-02-03"),
        dossier_row("H4", received=45689),  # serial number of 01/02/2025
    ]
    result = parse_file(write_xlsx(tmp_path / "hs.xlsx", rows), dataset="dossiers")
    assert result.frame["received_at"].tolist() == [
        pd.Timestamp("2025-02-01 08:30"),
        pd.Timestamp("2025-02-01 09:00"),
        pd.Timestamp("2025-02-03"),
        pd.Timestamp("2025-02-01"),
    ]
    assert result.problems.empty


def test_parquet_input_with_typed_columns(tmp_path):
    frame = pd.DataFrame(
        {
            "Mã hồ sơ": ["H1", "H2"],
            "Mã TTHC": ["1.005092", "1.005092"],
            "Kênh nộp": ["Trực tuyến", "Bưu chính"],
            "Ngày tiếp nhận": pd.to_datetime(["2025-02-01 08:00", "2025-02-02 09:00"]),
            "Ngày hẹn trả": ["05/02/2025", "06/02/2025"],
            "Số hóa hồ sơ": [True, False],
            "Phí, lệ phí": [50000, 0],
        }
    )
    path = tmp_path / "hs.parquet"
    frame.to_parquet(path)
    result = parse_file(path)
    assert result.dataset == "dossiers"
    assert result.frame["channel"].tolist() == ["online", "post"]
    assert result.frame["received_at"].tolist()[1] == pd.Timestamp("2025-02-02 09:00")
    assert result.frame["is_digitized"].tolist() == [True, False]
    assert result.frame["fee_amount"].tolist() == [50000.0, 0.0]
    assert result.frame["source_row"].tolist() == [2, 3]


# --- file-level errors -----------------------------------------------------------------------


def test_missing_required_column_names_file_column_and_every_accepted_header(tmp_path):
    headers = [h for h in DOSSIER_HEADERS if h != "Ngày hẹn trả"]
    rows = [
        [v for h, v in zip(DOSSIER_HEADERS, row, strict=True) if h != "Ngày hẹn trả"]
        for row in ROWS
    ]
    path = write_csv(tmp_path / "thang_02.csv", rows, headers=headers)
    with pytest.raises(InputFileError) as info:
        parse_file(path, "dossiers/thang_02.csv", dataset="dossiers")
    text = str(info.value)
    assert "dossiers/thang_02.csv" in text
    assert "Ngày hẹn trả" in text and "due_at" in text
    for header in ("Hạn xử lý", "Hạn giải quyết", "Ngày hẹn trả kết quả", "NgayHenTra"):
        assert f"«{header}»" in text


def test_unknown_dataset_is_a_clear_error(tmp_path):
    path = write_csv(tmp_path / "la.csv", [["1", "2"]], headers=["Cột A", "Cột B"])
    with pytest.raises(InputFileError) as info:
        parse_file(path)
    assert "la.csv" in str(info.value)
    assert "dossiers/" in str(info.value)


def test_file_close_to_a_dataset_names_its_missing_columns(tmp_path):
    path = write_csv(tmp_path / "gan.csv", [["H1", "1.005092"]], headers=["Mã hồ sơ", "Mã TTHC"])
    with pytest.raises(InputFileError) as info:
        parse_file(path)
    text = str(info.value)
    assert "Không nhận ra" in text and "Hồ sơ TTHC" in text and "«Ngày hẹn trả»" in text


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("rong.csv", b"", "Tệp rỗng"),
        ("rong.xlsx", b"", "Tệp rỗng"),
        ("hong.xlsx", b"PK\x03\x04 not really a zip file", "Không đọc được tệp bảng tính"),
        ("nhi_phan.csv", b"\x00\x01\x02binary", "không phải văn bản CSV"),
        ("hong.parquet", b"PAR1 broken", "Không đọc được tệp Parquet"),
        ("chi_tieu_de.csv", b"\n\n", "không có dòng tiêu đề"),
        ("ghi_chu.txt", b"hello", "không được hỗ trợ"),
    ],
)
def test_unreadable_files_are_clear_errors(tmp_path, name, content, fragment):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputFileError) as info:
        read_raw(path, f"dossiers/{name}", "dossiers")
    assert fragment in str(info.value)
    assert f"dossiers/{name}" in str(info.value)


def test_empty_workbook_is_an_error(tmp_path):
    path = write_xlsx(tmp_path / "trong.xlsx", [], headers=[])
    with pytest.raises(InputFileError, match="không có dữ liệu"):
        read_raw(path, dataset="dossiers")


# --- legacy encodings ------------------------------------------------------------------------

TCVN3_HEADERS = ["M· hå s¬", "M· TTHC", "Kªnh nép", "Ngµy tiÕp nhËn", "Ngµy hÑn tr¶"]
VNI_HEADERS = ["Maõ hoà sô", "Keânh noäp", "Ngaøy tieáp nhaän", "Ngaøy heïn traû"]


def test_legacy_encodings_are_recognised():
    assert legacy_encoding(TCVN3_HEADERS) == "TCVN3"
    assert legacy_encoding(VNI_HEADERS) == "VNI"
    assert legacy_encoding(DOSSIER_HEADERS) is None
    assert legacy_encoding(["Hoà Bình", "Thuỷ", "Đà Nẵng", "ôn tập"]) is None


def test_legacy_headers_are_an_error_naming_the_encoding(tmp_path):
    path = write_csv(tmp_path / "cu.csv", [["1", "2", "3", "4", "5"]], headers=TCVN3_HEADERS)
    with pytest.raises(InputFileError) as info:
        parse_file(path, dataset="dossiers")
    assert "TCVN3" in str(info.value) and "Unicode" in str(info.value)


def test_legacy_values_are_a_warning(tmp_path):
    rows = [dossier_row("H1", name="NguyÔn V¨n An Hå s¬ Ngµy")]
    result = parse_file(write_csv(tmp_path / "hs.csv", rows), dataset="dossiers")
    assert ids(result) == ["H1"]
    assert any("TCVN3" in w for w in result.warnings)


def test_workbook_headers_in_nfd_upper_case_and_with_odd_spaces(tmp_path):
    import unicodedata

    headers = [
        unicodedata.normalize("NFD", "Mã hồ sơ"),
        "MÃ TTHC",
        " Kênh\u00a0nộp ",
        "Ngày\u200b tiếp nhận",
        "ngay hen tra",
        "Ngày hoàn thành",
        "Người nộp",
    ]
    result = parse_file(write_xlsx(tmp_path / "hs.xlsx", ROWS, headers=headers), dataset="dossiers")
    assert ids(result) == ["H1", "H2"]
    assert result.frame["due_at"].tolist() == [pd.Timestamp("2025-02-10")] * 2
    assert result.headers["dossier_id"] == "Mã hồ sơ"  # stored in NFC


def test_headers_matching_two_datasets_equally_are_ambiguous(tmp_path):
    headers = ["Kỳ", "Nhóm chỉ số", "Điểm", "Hạn gửi", "Ngày gửi"]
    path = write_csv(
        tmp_path / "x.csv", [["03/2025", "CKMB", "1", "10/04/2025", ""]], headers=headers
    )
    with pytest.raises(InputFileError) as info:
        parse_file(path)
    assert "khớp như nhau" in str(info.value)
    assert "index766" in str(info.value) and "report_submissions" in str(info.value)
    # the folder name settles it
    assert parse_file(path, dataset="index766").frame["period"].tolist() == ["2025-03"]
