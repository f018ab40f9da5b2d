"""Plan tables in .xlsx and .csv: the tidy layout and the document layout."""

import json
from datetime import date

import pandas as pd
import pandas.testing as pdt
import pytest
import xlsxwriter

from tthc_analysis.errors import PlanFormatError
from tthc_analysis.plan import PlanMeta, load_plan, parse_plan, plan_to_csv, write_plan_csv
from tthc_analysis.plan.tables import meta_path


def write_xlsx(path, rows, sheet="Kế hoạch", first_row=0):
    workbook = xlsxwriter.Workbook(str(path))
    workbook.add_worksheet("Ghi chú").write(0, 0, "Trang này không có bảng")
    sheet_ = workbook.add_worksheet(sheet)
    for r, row in enumerate(rows, first_row):
        for c, value in enumerate(row):
            if value is not None:
                sheet_.write(r, c, value)
    workbook.close()
    return path


def test_tidy_csv_round_trip(tmp_path):
    bundled = load_plan()
    table, sidecar = write_plan_csv(bundled, tmp_path / "ke_hoach.csv")
    assert sidecar == tmp_path / "ke_hoach_meta.json"
    assert json.loads(sidecar.read_text(encoding="utf-8"))["doc_number"] == "655/SGDĐT-VP"
    again = parse_plan(table)
    pdt.assert_frame_equal(again.tasks, bundled.tasks)
    pdt.assert_frame_equal(again.sections, bundled.sections)
    assert again.meta == bundled.meta
    assert table.read_bytes().startswith(b"\xef\xbb\xbftask_id,section_id,section_title,task_no,")
    assert plan_to_csv(again) == table.read_text(encoding="utf-8")


def test_bundled_csv_format():
    text = (load_plan().source).read_text(encoding="utf-8")
    assert text.startswith("\ufefftask_id,")
    frame = pd.read_csv(load_plan().source, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    v1 = frame.loc[frame["task_id"] == "V.1"].iloc[0]
    assert (v1["cadence"], v1["deadline"]) == ("deadline", "2025-06-30")
    i1 = frame.loc[frame["task_id"] == "I.1"].iloc[0]
    assert (i1["lead_unit"], i1["partner_units"], i1["deadline"]) == (
        "Các phòng có TTHC",
        "Văn phòng",
        "",
    )


def test_tidy_xlsx_with_vietnamese_headers_and_no_cadence(tmp_path):
    rows = [
        ["Kế hoạch năm 2026 (bảng rút gọn)"],
        [],
        ["Mã nhiệm vụ", "Tên mục", "Nội dung", "Đơn vị chủ trì", "Đơn vị phối hợp",
         "Thời gian thực hiện", "Sản phẩm"],
        ["I.1", "Rà soát", "Rà soát TTHC", "VP", "Phòng KHTC, Phòng TCCB", "Quý II", "Báo cáo"],
        ["I.2", "Rà soát", "Công bố TTHC", "Văn phòng", None, "Thường xuyên", "Quyết định"],
        [],
        ["II.1", "Báo cáo", "Báo cáo quý", "Văn phòng", "Các phòng", "Hàng quý", "Báo cáo"],
    ]  # fmt: skip
    plan = parse_plan(write_xlsx(tmp_path / "ke_hoach_2026.xlsx", rows))
    assert plan.task_ids == ["I.1", "I.2", "II.1"]
    assert plan.sections["n_tasks"].tolist() == [2, 1]
    i1 = plan.task("I.1")
    # the plan year comes from the file name when there is no sidecar
    assert (i1.cadence, i1.deadline) == ("deadline", pd.Timestamp("2026-06-30"))
    assert i1.lead_unit == "Văn phòng"
    assert i1.partner_units == ["Phòng Kế hoạch - Tài chính", "Phòng Tổ chức cán bộ"]
    assert plan.task("I.2").partner_units == []
    assert plan.task("II.1").cadence == "quarterly"
    assert plan.meta == PlanMeta(year=2026)
    assert plan.warnings == (
        "Không có tệp thông tin kế hoạch ke_hoach_2026_meta.json; năm kế hoạch lấy theo tên "
        "tệp: 2026.",
    )


def test_tidy_table_keeps_a_stated_cadence(tmp_path):
    path = tmp_path / "ke_hoach.csv"
    path.write_text(
        "task_id,section_title,content,lead_unit,timeframe_text,cadence,deadline\n"
        "I.1,Mục một,Báo cáo quý,Văn phòng,Thường xuyên,quarterly,\n"
        "I.2,Mục một,Rà soát,Văn phòng,Thường xuyên,deadline,30/09/2025\n"
        "I.3,Mục một,Tập huấn,Văn phòng,Thường xuyên,,\n",
        encoding="utf-8",
    )
    meta_path(path).write_text('{"year": 2025}', encoding="utf-8")
    plan = parse_plan(path)
    assert plan.tasks["cadence"].tolist() == ["quarterly", "deadline", "ongoing"]
    assert plan.task("I.2").deadline == pd.Timestamp("2025-09-30")
    assert plan.meta == PlanMeta(year=2025)
    assert plan.warnings == ()


@pytest.mark.parametrize(
    ("body", "row", "column", "fragment"),
    [
        ("I.1,M,Việc,,\nI.1,M,Việc lặp,,\n", 3, None, "Trùng mã nhiệm vụ «I.1» (đã có ở dòng 2)"),
        ("1.1,M,Việc,,\n", 2, "task_id", "Mã nhiệm vụ «1.1» không đúng dạng"),
        ("I.1,M,Việc,hàng năm,\n", 2, "cadence", "Kỳ theo dõi «hàng năm» không hợp lệ"),
        ("I.1,M,Việc,ongoing,2025-06-30\n", 2, "deadline", "cần có hạn hoàn thành"),
        ("I.1,M,Việc,deadline,\n", 2, "deadline", "cần có hạn hoàn thành"),
        ("I.1,M,Việc,deadline,31/02/2025\n", 2, "deadline", "«31/02/2025» không phải ngày"),
        ("I.1,M,,ongoing,\n", 2, "content", "I.1 không có nội dung"),
    ],
)
def test_tidy_table_errors(tmp_path, body, row, column, fragment):
    path = tmp_path / "ke_hoach_2025.csv"
    path.write_text("task_id,section_title,content,cadence,deadline\n" + body, encoding="utf-8")
    with pytest.raises(PlanFormatError) as info:
        parse_plan(path)
    assert (info.value.row, info.value.column) == (row, column)
    assert fragment in info.value.message


DOCUMENT_ROWS = [
    ["UBND TỈNH BÌNH PHƯỚC"],
    ["SỞ GIÁO DỤC VÀ ĐÀO TẠO"],
    [],
    ["Số: 77/SGDĐT-VP"],
    ["Bình Phước, ngày 05 tháng 03 năm 2025"],
    [],
    ["KẾ HOẠCH KIỂM SOÁT TTHC NĂM 2025"],
    [],
    ["STT", "Nội dung công việc", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian thực hiện",
     "Sản phẩm dự kiến hoàn thành"],
    ["I", "Công bố, công khai TTHC"],
    [1, "Cập nhật dữ liệu TTHC", "Văn phòng", "Các phòng có TTHC", "Thường", "Văn bản"],
    [None, "trên Cổng dịch vụ công", None, None, "xuyên"],
    [2, "Niêm yết TTHC", "Văn phòng", "Các phòng", "Trước ngày 30/6/2025", "Danh mục"],
    ["II", "Báo cáo"],
    [1, "Báo cáo định kỳ", "Văn phòng", "Các phòng", "Định kỳ hàng quý", "Báo cáo"],
]  # fmt: skip


def _check_document_plan(plan):
    assert plan.meta == PlanMeta(
        doc_number="77/SGDĐT-VP",
        doc_date=date(2025, 3, 5),
        issuer="Sở Giáo dục và Đào tạo tỉnh Bình Phước",
        title="KẾ HOẠCH KIỂM SOÁT TTHC NĂM 2025",
        year=2025,
    )
    assert plan.task_ids == ["I.1", "I.2", "II.1"]
    i1 = plan.task("I.1")
    assert i1.content == "Cập nhật dữ liệu TTHC trên Cổng dịch vụ công"
    assert (i1.timeframe_text, i1.cadence) == ("Thường xuyên", "ongoing")
    assert plan.task("I.2").deadline == pd.Timestamp("2025-06-30")
    assert plan.task("II.1").cadence == "quarterly"
    assert plan.sections["section_title"].tolist() == ["Công bố, công khai TTHC", "Báo cáo"]
    assert plan.warnings == ()


def test_document_layout_xlsx(tmp_path):
    # numbers in STT come back from Excel as floats (1.0); the table starts at row 3
    path = write_xlsx(tmp_path / "ke_hoach.xlsx", DOCUMENT_ROWS, first_row=2)
    _check_document_plan(parse_plan(path))


def test_document_layout_xlsx_error_names_the_sheet_row(tmp_path):
    rows = [*DOCUMENT_ROWS, [1, "Báo cáo lặp", "Văn phòng", "", "Hàng quý", ""]]
    path = write_xlsx(tmp_path / "ke_hoach.xlsx", rows, first_row=2)
    with pytest.raises(PlanFormatError, match="Trùng mã nhiệm vụ «II.1»") as info:
        parse_plan(path)
    assert info.value.row == 2 + len(rows)  # two empty rows above the table


def test_document_layout_csv_with_semicolons(tmp_path):
    lines = [";".join("" if v is None else str(v) for v in row) for row in DOCUMENT_ROWS]
    path = tmp_path / "ke_hoach.csv"
    path.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    _check_document_plan(parse_plan(path))


def test_table_without_header(tmp_path):
    path = write_xlsx(tmp_path / "trong.xlsx", [["Không có gì"], ["Thêm một dòng"]])
    with pytest.raises(PlanFormatError, match="Không tìm thấy bảng kế hoạch"):
        parse_plan(path)
    broken = tmp_path / "hong.xlsx"
    broken.write_bytes(b"not a zip file")
    with pytest.raises(PlanFormatError, match="Không đọc được tệp bảng tính"):
        parse_plan(broken)
