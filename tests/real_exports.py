"""Fixtures laid out like real exports (issue 11), with synthetic people only.

Each builder writes one file in the layout a real system produces:

- :func:`write_one_stop_list`: a provincial one-stop system's "Danh sách hồ sơ", an HTML
  table saved with an ``.xls`` name (UTF-8, two title rows, no procedure code, no channel);
- :func:`write_tracking_book`: a tracking book ("Sổ theo dõi hồ sơ", TT 01/2018/TT-VPCP):
  title block, two-row merged header, numbering row, total row, signature block;
- :func:`write_dvcqg_csv` / :func:`write_dvcqg_xlsx`: records synchronised to the national
  portal (DVCQG field names, ``yyyyMMddHHmmss`` dates, codes 1–10);
- :func:`write_766_codes` / :func:`write_766_names`: the 766 scores saved as a wide sheet;
- :func:`write_date_forms`: the other date forms seen in exports.

The expected values are written in the tests, by hand.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

LIST_HEADERS = [
    "STT",
    "Đơn vị tiếp nhận",
    "Tên thủ tục hành chính",
    "Mã hồ sơ",
    "Trạng thái",
    "Địa chỉ",
    "Người nộp",
    "Chủ hồ sơ",
    "Ngày nộp hồ sơ",
    "Ngày nhận",
    "Ngày hẹn trả",
    "Ngày kết thúc xử lý",
]
PROCEDURE_A = "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc"
PROCEDURE_B = "Chỉnh sửa nội dung văn bằng, chứng chỉ"
PROCEDURE_UNKNOWN = "Thủ tục không có trong danh mục"
UNIT = "Bộ phận Một cửa Sở GD&ĐT"

LIST_ROWS = [
    # code, procedure, status, submitted, received, due, ended
    (
        "000.00.12.H10-250303-0001",
        PROCEDURE_A,
        "Đã trả kết quả",
        "03/03/2025 08:10:00",
        "03/03/2025 08:15:00",
        "10/03/2025 17:00:00",
        "07/03/2025 16:30:00",
    ),
    (
        "000.00.12.H10-250304-0002",
        "cấp bản sao  VĂN BẰNG, chứng chỉ từ sổ gốc",  # same name, other case and spaces
        "Đang xử lý",
        "04/03/2025 09:00:00",
        "04/03/2025 09:05:00",
        "11/03/2025 17:00:00",
        "",
    ),
    (
        "000.00.12.H10-250305-0003",
        PROCEDURE_B,
        "Mới đăng ký",  # registered only: not received
        "05/03/2025 10:00:00",
        "",
        "",
        "",
    ),
    (
        "000.00.12.H10-250305-0004",
        PROCEDURE_B,
        "Không được tiếp nhận",  # refused at the counter: not received
        "05/03/2025 10:30:00",
        "",
        "",
        "05/03/2025 11:00:00",
    ),
    (
        "000.00.12.H10-250306-0005",
        PROCEDURE_UNKNOWN,
        "Rút hồ sơ",  # an end state without its end date (issue 12, rule 5)
        "06/03/2025 08:00:00",
        "06/03/2025 08:20:00",
        "13/03/2025 17:00:00",
        "",
    ),
    (
        "000.00.12.H10-250307-0006",
        PROCEDURE_A,
        "Đã xử lý xong",
        "07/03/2025 14:00:00",
        "07/03/2025 14:05:00",
        "14/03/2025 17:00:00",
        "14/03/2025 15:45:00",
    ),
]


def write_catalogue(path: Path) -> Path:
    """A procedure catalogue (CSV) holding the names of procedures A and B."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "Mã TTHC,Tên TTHC,Mức độ DVCTT\n"
        f'1.005092,"{PROCEDURE_A}",Toàn trình\n'
        f'1.005093,"{PROCEDURE_B}",Một phần\n',
        encoding="utf-8",
    )
    return path


def write_one_stop_list(path: Path) -> Path:
    """The one-stop system's list: an HTML table with an ``.xls`` name."""
    cells = "".join(f"<th>{h}</th>" for h in LIST_HEADERS)
    body = []
    for i, (code, name, status, submitted, received, due, ended) in enumerate(LIST_ROWS, 1):
        values = [
            str(i),
            UNIT,
            name,
            code,
            status,
            "Số 1 đường Giả Định, phường Mẫu",
            f"Người Nộp Thử {i}",
            f"Chủ Hồ Sơ Thử {i}",
            submitted,
            received,
            due,
            ended,
        ]
        body.append("<tr>" + "".join(f"<td>{v}</td>" for v in values) + "</tr>")
    html = (
        '<html xmlns:x="urn:schemas-microsoft-com:office:excel"><head>'
        '<meta http-equiv="Content-Type" content="application/vnd.ms-excel; charset=utf-8">'
        "</head><body><table border='1'>"
        f"<tr><td colspan='{len(LIST_HEADERS)}'>DANH SÁCH HỒ SƠ</td></tr>"
        f"<tr><td colspan='{len(LIST_HEADERS)}'>Từ ngày 01/03/2025 đến ngày 31/03/2025</td></tr>"
        f"<tr>{cells}</tr>{''.join(body)}"
        f"<tr><td colspan='3'>Tổng số: {len(LIST_ROWS)} hồ sơ</td></tr>"
        "</table></body></html>"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(html.encode("utf-8"))
    return path


BOOK_TOP = [
    "TT",
    "Mã hồ sơ",
    "Tên TTHC",
    "Số lượng hồ sơ (bộ)",
    "Tên cá nhân, tổ chức",
    "Địa chỉ, số điện thoại",
    "Cơ quan chủ trì giải quyết",
    "Ngày, tháng, năm",
    None,
    None,
    None,
    None,
    "Phương thức nhận kết quả",
    "Ký nhận",
    "Ghi chú",
]
BOOK_BOTTOM = [
    None,
    None,
    None,
    None,
    None,
    None,
    None,
    "Nhận hồ sơ",
    "Hẹn trả kết quả",
    "Chuyển hồ sơ đến cơ quan giải quyết",
    "Nhận kết quả từ cơ quan giải quyết",
    "Trả kết quả",
    None,
    None,
    None,
]
BOOK_ROWS = [
    # id, received, due, sent, result back, returned
    ("STD-001", "08:15, 03/03/2025", "14:00, 10/03/2025", "09:00, 03/03/2025",
     "16:30, 07/03/2025", "10:00, 10/03/2025"),
    ("STD-002", "09:05, 04/03/2025", "14:00, 11/03/2025", "10:00, 04/03/2025",
     "11:20, 11/03/2025", None),
    ("STD-003", "10:40, 05/03/2025", "14:00, 12/03/2025", None, None, None),
]  # fmt: skip


def write_tracking_book(path: Path) -> Path:
    """The tracking book (TT 01/2018/TT-VPCP): title block, merged header, footer."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sổ theo dõi"
    ws["A1"] = "SỞ GIÁO DỤC VÀ ĐÀO TẠO"
    ws["A2"] = "SỔ THEO DÕI HỒ SƠ"
    ws.merge_cells("A2:O2")
    ws.append([])
    ws.append(BOOK_TOP)  # row 4
    ws.append(BOOK_BOTTOM)  # row 5
    ws.merge_cells("H4:L4")
    for column in "ABCDEFGMNO":
        ws.merge_cells(f"{column}4:{column}5")
    ws.append([f"({i})" for i in range(1, 16)])  # row 6: numbering
    for i, (code, received, due, sent, back, returned) in enumerate(BOOK_ROWS, 1):
        ws.append(
            [
                i,
                code,
                PROCEDURE_A,
                1,
                f"Cá Nhân Thử {i}",
                "Số 2 đường Giả Định",
                "Phòng Khảo thí",
                received,
                due,
                sent,
                back,
                returned,
                "Trực tiếp",
                None,
                None,
            ]
        )  # rows 7-9
    ws.append(["Tổng cộng", None, None, 3])  # row 10
    ws.append([])
    ws.append([None, "Người lập", None, None, None, None, None, None, None, "Thủ trưởng đơn vị"])
    ws.append([None, "(Ký, ghi rõ họ tên)", None, None, None, None, None, None, None, "(Ký tên)"])
    ws.append([None, "Cán Bộ Thử"])  # row 14
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def tracking_book_lines() -> list[list[object]]:
    """The tracking book as Excel saves it to CSV: merged cells become empty cells."""
    width = len(BOOK_TOP)
    blank = [None] * width
    lines = [
        ["SỞ GIÁO DỤC VÀ ĐÀO TẠO", *blank[1:]],
        ["SỔ THEO DÕI HỒ SƠ", *blank[1:]],
        blank,
        BOOK_TOP,  # line 4
        BOOK_BOTTOM,  # line 5
        [f"({i})" for i in range(1, width + 1)],  # line 6: numbering
    ]
    for i, (code, received, due, sent, back, returned) in enumerate(BOOK_ROWS, 1):
        lines.append(
            [
                i,
                code,
                PROCEDURE_A,
                1,
                f"Cá Nhân Thử {i}",
                "Số 2 đường Giả Định",
                "Phòng Khảo thí",
                received,
                due,
                sent,
                back,
                returned,
                "Trực tiếp",
                None,
                None,
            ]
        )  # fmt: skip  (lines 7-9)
    lines += [
        ["Tổng cộng", None, None, 3, *blank[4:]],  # line 10
        blank,
        [None, "Người lập", *blank[2:9], "Thủ trưởng đơn vị", *blank[10:]],  # line 12
        [
            None,
            "(Ký, ghi rõ họ tên)",
            *blank[2:9],
            "Bình Phước, ngày 31 tháng 3 năm 2025",
            *blank[10:],
        ],  # fmt: skip  (line 13)
        [None, "Cán Bộ Thử"],  # line 14: a short line (fewer cells than the header)
    ]
    return lines


def write_tracking_book_csv(path: Path, delimiter: str = ",") -> Path:
    """The tracking book saved as CSV (UTF-8 with BOM, as Excel writes it)."""
    import csv

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(tracking_book_lines())
    return path


DVCQG_HEADERS = [
    "MaHoSo",
    "MaTTHC",
    "TenTTHC",
    "TenLinhVuc",
    "KenhThucHien",
    "NgayNopHoSo",
    "NgayTiepNhan",
    "NgayHenTra",
    "NgayKetThucXuLy",
    "NgayTra",
    "NgayTuChoi",
    "TrangThaiHoSo",
    "DonViXuLy",
    "HoSoCoThanhPhanSoHoa",
    "DuocThanhToanTrucTuyen",
    "ChuHoSo",
    "SoDienThoai",
]
DVCQG_ROWS = [
    ["G-001", "1.005092", PROCEDURE_A, "Văn bằng, chứng chỉ", "2", "20250303081000",
     "20250303081500", "20250310170000", "20250307163000", "20250310090000", "", "10",
     "Phòng Khảo thí", "1", "0", "Công Dân Thử Một", "0900000001"],
    ["G-002", "1.005093", PROCEDURE_B, "Văn bằng, chứng chỉ", "1", "20250304090000",
     "20250304090500", "20250311170000", "", "", "", "4",
     "Phòng Khảo thí", "0", "0", "Công Dân Thử Hai", "0900000002"],
    ["G-003", "1.005093", PROCEDURE_B, "Văn bằng, chứng chỉ", "3", "20250305100000",
     "", "20250312170000", "", "", "", "1",
     "Phòng Khảo thí", "0", "0", "Công Dân Thử Ba", "0900000003"],
    ["G-004", "1.005092", PROCEDURE_A, "Văn bằng, chứng chỉ", "2", "20250305103000",
     "", "20250312170000", "20250305110000", "", "20250305110000", "3",
     "Phòng Khảo thí", "0", "0", "Công Dân Thử Bốn", "0900000004"],
    ["G-005", "1.005092", PROCEDURE_A, "Văn bằng, chứng chỉ", "9",  # channel 9: not a code
     "20250306080000", "20250306082000", "20250313170000", "20250312100000", "", "", "9",
     "Phòng Khảo thí", "1", "1", "Công Dân Thử Năm", "0900000005"],
    ["G-006", "1.005092", PROCEDURE_A, "Văn bằng, chứng chỉ", "2", "20250306090000",
     "20250306091000", "20250313170000", "", "", "", "10",  # returned without any date
     "Phòng Khảo thí", "0", "0", "Công Dân Thử Sáu", "0900000006"],
    ["G-007", "1.005093", PROCEDURE_B, "Văn bằng, chứng chỉ", "1", "20250306100000",
     "20250306101000", "20250313170000", "", "", "20250307100000", "8",  # stopped: only
     "Phòng Khảo thí", "0", "0", "Công Dân Thử Bảy", "0900000007"],  # NgayTuChoi
]  # fmt: skip


def write_dvcqg_csv(path: Path) -> Path:
    """DVCQG records as CSV (UTF-8)."""
    import csv

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(DVCQG_HEADERS)
        writer.writerows(DVCQG_ROWS)
    return path


def write_dvcqg_xlsx(path: Path) -> Path:
    """DVCQG records as .xlsx, dates and codes stored as numbers (as a spreadsheet does)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(DVCQG_HEADERS)
    numeric = {"KenhThucHien", "TrangThaiHoSo", "HoSoCoThanhPhanSoHoa"}
    numeric |= {h for h in DVCQG_HEADERS if h.startswith("Ngay")}
    for row in DVCQG_ROWS:
        ws.append(
            [
                int(v) if h in numeric and v else (v or None)
                for h, v in zip(DVCQG_HEADERS, row, strict=True)
            ]
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


SCORES_766_CODES = [
    ["ID", "TEN_COQUAN", "MA_COQUAN", "CKMB", "TDGQ", "CLGQ", "TTTT", "MDSH", "MDHL", "TONG_SCORE"],
    [
        1,
        "Sở Giáo dục và Đào tạo",
        "000.00.12.H10",
        "17,5/18",
        "18.25",
        "11",
        "9,5",
        "20",
        "17",
        "93,25",
    ],
    [2, "Sở Thử Nghiệm", "000.00.99.H10", "16", "21", "10", "8", "19", "18", "92"],
]  # fmt: skip  (TDGQ 21 is above its maximum 20)
SCORES_766_NAMES = [
    ["STT", "Tên cơ quan", "Công khai, minh bạch", "Tiến độ giải quyết",
     "Dịch vụ trực tuyến", "Số hóa hồ sơ", "Mức độ hài lòng", "Tổng điểm"],
    [1, "Sở Giáo dục và Đào tạo", "16", "19,5", "20/22", "21", "17,5", "94"],
    [2, "Sở Giáo dục và Đào tạo", "15", "18", "19", "20", "17", "89"],  # twice
]  # fmt: skip


def write_766_codes(path: Path, sheet: str = "T10_2025") -> Path:
    """The portal's 766 report with group codes; a chart-data sheet beside it."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for row in SCORES_766_CODES:
        ws.append(row)
    trend = wb.create_sheet("Xu hướng")
    trend.append(["Tháng", "T8", "T9", "T10"])
    trend.append(["Điểm", 88, 90, 93.25])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def write_766_names(path: Path) -> Path:
    """766 scores with Vietnamese group names; the period only in the file name."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    for row in SCORES_766_NAMES:
        ws.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def write_766_csv(path: Path, rows: list[list[object]], delimiter: str = ",") -> Path:
    """A 766 score sheet saved as CSV (UTF-8 with BOM), a title line above the header."""
    import csv

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(["KẾT QUẢ ĐÁNH GIÁ BỘ CHỈ SỐ 766"])
        writer.writerows(rows)
    return path


DATE_FORMS = [
    # id, received as written, expected (Vietnam time)
    ("DF-1", "08:15, 03/03/2025", "2025-03-03 08:15"),
    ("DF-2", "03/03/2025 - 08:15", "2025-03-03 08:15"),
    ("DF-3", "08 giờ 15 phút, ngày 03/03/2025", "2025-03-03 08:15"),
    ("DF-4", "ngày 03 tháng 03 năm 2025", "2025-03-03 00:00"),
    ("DF-5", "2025-03-03T01:15:00.000Z", "2025-03-03 08:15"),
    ("DF-6", "2025-03-03T08:15:00+07:00", "2025-03-03 08:15"),
    ("DF-7", "20250303081500", "2025-03-03 08:15"),
    ("DF-8", "03/03/2025 08:15:00", "2025-03-03 08:15"),
]


def write_date_forms(path: Path) -> Path:
    """A dossier CSV whose receipt dates use every form seen in exports."""
    import csv

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Mã hồ sơ", "Ngày tiếp nhận", "Ngày hẹn trả"])
        for dossier_id, received, _ in DATE_FORMS:
            writer.writerow([dossier_id, received, "10/03/2025"])
    return path
