"""Form 06/VPCP/KSTT: exact numbers on the hand-checked fixture, identities, writers."""

from __future__ import annotations

import pandas as pd
import pytest
from dossier_cases import PERIODS, RULES, THI, VB, dossier_sets, dossiers, procedures
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from tthc_analysis.config import DossierRules
from tthc_analysis.errors import ParameterError
from tthc_analysis.metrics.dossiers import DossierData
from tthc_analysis.metrics.form06 import (
    CHANNEL_UNKNOWN,
    COUNT_COLUMNS,
    CSV_PERIOD_HEADERS,
    FORM06_COLUMNS,
    channel_unknown_note_vi,
    check_identities,
    form06,
    form06_csv_headers,
)
from tthc_analysis.periods import parse_period
from tthc_analysis.review.form06_export import write_form06
from tthc_analysis.workdays import default_calendar

Q1 = parse_period("q1", 2025)
DEFAULT = DossierRules()

# Hand-counted from the table in dossier_cases (columns 3 to 13).
EXPECTED_Q1 = {
    #                    3  4  5  6  7  8  9 10 11 12 13
    THI: [5, 1, 3, 1, 4, 2, 1, 1, 1, 1, 0],  # D03 D04 D06 D10 D12
    VB: [6, 3, 3, 0, 5, 0, 2, 3, 1, 0, 1],  # D01 D02 D05 D09 D11 D13
    "Chưa xác định": [1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 0],  # D14 (no field)
    "Tổng cộng": [12, 5, 6, 1, 9, 2, 3, 4, 3, 2, 1],
}


@pytest.fixture(scope="module")
def cal():
    return default_calendar()


def _rows(table: pd.DataFrame) -> dict[str, list[int]]:
    counts = table[list(COUNT_COLUMNS)].to_numpy().tolist()
    return {label: row for label, row in zip(table.iloc[:, 1], counts, strict=True)}


def test_exact_numbers_q1(cal):
    table = form06(dossiers(), Q1, cal, DEFAULT)
    assert tuple(table.columns) == (*FORM06_COLUMNS, CHANNEL_UNKNOWN)
    assert _rows(table) == EXPECTED_Q1
    assert table[CHANNEL_UNKNOWN].tolist() == [0, 0, 0, 0]  # every channel of the fixture known
    assert table["stt"].tolist()[:3] == [1, 2, 3] and pd.isna(table["stt"].iloc[-1])
    assert check_identities(table).empty


def test_field_from_catalogue_when_empty(cal):
    frame = dossiers()
    frame.loc[frame["dossier_id"] == "D03", "field"] = None  # catalogue says THI
    table = form06(frame, Q1, cal, DEFAULT, procedures=procedures())
    assert _rows(table)[THI] == EXPECTED_Q1[THI]


def test_rescheduled_policy_moves_d11_to_early(cal):
    rules = DossierRules(rescheduled_due_policy="rescheduled")
    rows = _rows(form06(dossiers(), Q1, cal, rules))
    assert rows[VB] == [6, 3, 3, 0, 5, 1, 2, 2, 1, 0, 1]
    assert rows["Tổng cộng"] == [12, 5, 6, 1, 9, 3, 3, 3, 3, 2, 1]


def test_calendar_window_total(cal):
    q1 = parse_period("q1", 2025, "calendar")  # 01/01 – 31/03/2025
    total = _rows(form06(dossiers(), q1, cal, DEFAULT))["Tổng cộng"]
    # received D01–D05, D08–D14 (12), nothing carried over; finished: early D03 D08,
    # on time D01 D09 D10, overdue D02 D04 D11 D12 D13; pending overdue D05 D14.
    assert total == [12, 6, 6, 0, 10, 2, 3, 5, 2, 0, 2]


def test_by_unit(cal):
    table = form06(dossiers(), Q1, cal, DEFAULT, by="unit", procedures=procedures())
    assert table.columns[1] == "unit"
    rows = _rows(table)
    assert rows["Phòng Giáo dục phổ thông"] == EXPECTED_Q1[THI]
    assert rows["Phòng Quản lý chất lượng"] == EXPECTED_Q1[VB]
    assert rows["Chưa xác định"] == EXPECTED_Q1["Chưa xác định"]  # D14: unknown procedure


def test_empty_period_has_a_zero_total(cal):
    table = form06(dossiers(), parse_period("01/06/2024-30/06/2024", 2024), cal, DEFAULT)
    assert len(table) == 1 and table["field"].iloc[0] == "Tổng cộng"
    assert table[list(COUNT_COLUMNS)].iloc[0].tolist() == [0] * 11


def test_unknown_by_column_is_a_parameter_error(cal):
    with pytest.raises(ParameterError):
        form06(dossiers(), Q1, cal, DEFAULT, by="nope")


def test_dossier_data_gives_the_same_table(cal):
    data = DossierData(dossiers(), procedures(), cal, DEFAULT)
    assert _rows(form06(data, Q1)) == EXPECTED_Q1


# --- unknown channel (issue 11: never guessed) ----------------------------------------------
# TT 01/2020/TT-VPCP form 06: (4) online and (5) in person / by post are new receipts of a
# known channel; a dossier whose channel is unknown is in (3) and in the outcome columns,
# in neither (4) nor (5), and counted in the extra column received_channel_unknown.


def test_unknown_channels_are_counted_apart_never_guessed(cal):
    frame = dossiers()
    frame.loc[frame["dossier_id"].isin(["D02", "D03", "D04", "D06"]), "channel"] = None
    table = form06(frame, Q1, cal, DEFAULT)
    rows = _rows(table)
    unknown = dict(zip(table["field"], table[CHANNEL_UNKNOWN], strict=True))
    # THI: D03 (online) and D04 (post) unknown; D10, D12 stay in (5); D06 carried over
    # (the channel does not matter for (6)).
    assert rows[THI][:4] == [5, 0, 2, 1] and unknown[THI] == 2
    # VB: D02 (in person) unknown; D01 D09 D11 online, D05 D13 in person
    assert rows[VB][:4] == [6, 3, 2, 0] and unknown[VB] == 1
    assert rows["Chưa xác định"][:4] == [1, 1, 0, 0] and unknown["Chưa xác định"] == 0
    assert rows["Tổng cộng"] == [12, 4, 4, 1, 9, 2, 3, 4, 3, 2, 1] and unknown["Tổng cộng"] == 3
    assert check_identities(table).empty  # (3) = (4) + (5) + (6) + unknown
    assert channel_unknown_note_vi(table) == (
        "3 hồ sơ tiếp nhận trong kỳ chưa rõ kênh nộp (dữ liệu không có cột kênh nộp hoặc giá "
        "trị không nhận ra): đã tính ở cột (3) và các cột kết quả, không tính vào cột (4) "
        "«Trực tuyến» hay (5) «Trực tiếp, dịch vụ bưu chính», nên (3) = (4) + (5) + (6) + 3; "
        "theo dòng: Thi, tuyển sinh 2; Văn bằng, chứng chỉ 1."
    )


def test_a_list_without_a_channel_column_places_no_dossier_by_channel(cal):
    table = form06(dossiers().drop(columns=["channel"]), Q1, cal, DEFAULT)
    rows = _rows(table)
    # every dossier received in the period is unknown; D06 is still carried over
    assert rows["Tổng cộng"] == [12, 0, 0, 1, 9, 2, 3, 4, 3, 2, 1]
    assert table[CHANNEL_UNKNOWN].tolist() == [4, 6, 1, 11]  # THI, VB, Chưa xác định, total
    assert check_identities(table).empty


def test_no_note_and_no_extra_export_column_when_every_channel_is_known(cal, tmp_path):
    table = form06(dossiers(), Q1, cal, DEFAULT)
    assert channel_unknown_note_vi(table) is None
    header = write_form06(table, Q1, tmp_path / "a.csv").read_text("utf-8-sig").splitlines()[0]
    assert "Chưa rõ kênh" not in header


def test_exports_say_how_many_dossiers_have_an_unknown_channel(cal, tmp_path):
    frame = dossiers()
    frame.loc[frame["dossier_id"].isin(["D02", "D03", "D04"]), "channel"] = None
    table = form06(frame, Q1, cal, DEFAULT)
    read = pd.read_csv(write_form06(table, Q1, tmp_path / "a.csv"), encoding="utf-8-sig")
    assert read.columns[:13].tolist() == FLAT_HEADERS  # the official columns are unchanged
    extra = "Chưa rõ kênh nộp (ngoài biểu; đã tính ở cột 3, không ở cột 4, 5)"
    assert read.columns[-1] == extra and read[extra].tolist() == [2, 1, 0, 3]
    path = write_form06(table, Q1, tmp_path / "bieu06.xlsx")
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Biểu 06").to_python()
    assert max(len([c for c in r if c != ""]) for r in rows) == 13  # no 14th column
    notes = [r[0] for r in rows if isinstance(r[0], str) and r[0].startswith("Lưu ý:")]
    assert notes == ["Lưu ý: " + channel_unknown_note_vi(table)]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frame=dossier_sets(), period=PERIODS, every=st.integers(1, 4))
def test_identities_hold_with_unknown_channels(frame, period, every):
    frame = frame.copy()
    frame.loc[frame.index[::every], "channel"] = None
    table = form06(frame, period, default_calendar(), DEFAULT)
    assert check_identities(table).empty
    received = table.iloc[-1]
    assert received[CHANNEL_UNKNOWN] <= received["received_total"] - received["carried_over"]


# --- writers --------------------------------------------------------------------------

FLAT_HEADERS = [
    "STT",
    "Lĩnh vực, công việc giải quyết theo cấp",
    "Số hồ sơ nhận giải quyết - Tổng số",
    "Số hồ sơ nhận giải quyết - Trực tuyến",
    "Số hồ sơ nhận giải quyết - Trực tiếp, dịch vụ bưu chính",
    "Số hồ sơ nhận giải quyết - Từ kỳ trước",
    "Số hồ sơ đã giải quyết - Tổng số",
    "Số hồ sơ đã giải quyết - Trước hạn",
    "Số hồ sơ đã giải quyết - Đúng hạn",
    "Số hồ sơ đã giải quyết - Quá hạn",
    "Số hồ sơ đang giải quyết - Tổng số",
    "Số hồ sơ đang giải quyết - Trong hạn",
    "Số hồ sơ đang giải quyết - Quá hạn",
]


def test_csv_has_bom_flat_headers_and_is_deterministic(cal, tmp_path):
    table = form06(dossiers(), Q1, cal, DEFAULT)
    a = write_form06(table, Q1, tmp_path / "a.csv")
    b = write_form06(table, Q1, tmp_path / "b.csv")
    raw = a.read_bytes()
    assert raw == b.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0].split(",")[0] == "STT"
    read = pd.read_csv(a, encoding="utf-8-sig", dtype=str)
    assert read.columns.tolist() == [*FLAT_HEADERS, "Kỳ báo cáo", "Từ ngày", "Đến ngày"]
    assert form06_csv_headers() == FLAT_HEADERS
    assert CSV_PERIOD_HEADERS == ("Kỳ báo cáo", "Từ ngày", "Đến ngày")
    # the period of the official Q1 window, the same on every row
    assert lines[-1] == ",Tổng cộng,12,5,6,1,9,2,3,4,3,2,1,Quý I/2025,15/12/2024,14/03/2025"
    assert lines[1] == '1,"Thi, tuyển sinh",5,1,3,1,4,2,1,1,1,1,0,Quý I/2025,15/12/2024,14/03/2025'
    assert set(read["Kỳ báo cáo"]) == {"Quý I/2025"}
    assert set(read["Từ ngày"]) == {"15/12/2024"} and set(read["Đến ngày"]) == {"14/03/2025"}


def test_csv_keeps_formula_injection_protection_with_the_period_columns(cal, tmp_path):
    table = form06(dossiers(), Q1, cal, DEFAULT)
    table.loc[0, "field"] = '=HYPERLINK("http://x")'
    lines = write_form06(table, Q1, tmp_path / "f.csv").read_text("utf-8-sig").splitlines()
    assert lines[1] == (
        '1,"\'=HYPERLINK(""http://x"")",5,1,3,1,4,2,1,1,1,1,0,Quý I/2025,15/12/2024,14/03/2025'
    )


def test_xlsx_layout(cal, tmp_path):
    table = form06(dossiers(), Q1, cal, DEFAULT)
    path = write_form06(table, Q1, tmp_path / "bieu06.xlsx")
    assert path.read_bytes() == write_form06(table, Q1, tmp_path / "again.xlsx").read_bytes()
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Biểu 06").to_python()
    texts = [r[0] for r in rows[:4]]
    assert texts == [
        "Biểu số 06/VPCP/KSTT – TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI CƠ QUAN, "
        "ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC",
        "Sở Giáo dục và Đào tạo",
        "Kỳ báo cáo: Quý I/2025 (Từ ngày 15/12/2024 đến ngày 14/03/2025)",
        "Đơn vị tính: Số hồ sơ TTHC",
    ]
    header = rows[5:9]  # a blank line after the title
    assert header[0][:3] == ["STT", "Lĩnh vực, công việc giải quyết theo cấp",
                             "Số hồ sơ nhận giải quyết"]  # fmt: skip
    assert header[0][6] == "Số hồ sơ đã giải quyết" and header[0][10] == "Số hồ sơ đang giải quyết"
    assert header[1][2:10] == ["Tổng số", "Trong đó", "", "", "Tổng số", "Trước hạn",
                               "Đúng hạn", "Quá hạn"]  # fmt: skip
    assert header[1][10:] == ["Tổng số", "Trong hạn", "Quá hạn"]
    assert header[2][3:6] == ["Trực tuyến", "Trực tiếp, dịch vụ bưu chính", "Từ kỳ trước"]
    assert header[3] == [f"({i})" for i in range(1, 14)]
    assert rows[9][1:] == [THI, 5, 1, 3, 1, 4, 2, 1, 1, 1, 1, 0]
    assert rows[12][1:] == ["Tổng cộng", 12, 5, 6, 1, 9, 2, 3, 4, 3, 2, 1]
    merged = {str(r) for r in load_workbook(path).active.merged_cells.ranges}
    assert {"A6:A8", "B6:B8", "C6:F6", "G6:J6", "K6:M6", "C7:C8", "D7:F7", "G7:G8"} <= merged


def test_bad_extension(cal, tmp_path):
    table = form06(dossiers(), Q1, cal, DEFAULT)
    with pytest.raises(ParameterError):
        write_form06(table, Q1, tmp_path / "bieu06.pdf")


# --- identities on generated data ------------------------------------------------------


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frame=dossier_sets(), period=PERIODS, rules=RULES)
def test_identities_hold_for_every_row(frame, period, rules):
    table = form06(frame, period, default_calendar(), rules)
    assert check_identities(table).empty
    body, total = table.iloc[:-1], table.iloc[-1]
    for column in COUNT_COLUMNS:
        assert body[column].sum() == total[column]
    assert (table[list(COUNT_COLUMNS)] >= 0).all().all()
