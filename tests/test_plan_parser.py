"""Reading plan documents in the official text layout (tthc_analysis.plan)."""

import unicodedata
from datetime import date
from pathlib import Path

import pandas as pd
import pandas.testing as pdt
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tthc_analysis.config import PROJECT_ROOT
from tthc_analysis.errors import PlanFormatError
from tthc_analysis.plan import (
    BUNDLED_SOURCE,
    PLAN_SECTION_COLUMNS,
    PLAN_TASK_COLUMNS,
    PlanMeta,
    load_plan,
    parse_plan,
    plan_to_json,
)
from tthc_analysis.plan.rows import read_rows

PLANS = Path(__file__).parent / "data" / "plans"
SHARED_SEED = PROJECT_ROOT.parent / "shared" / "seed" / "000_53fb5994f224bc72.txt"
LETTERHEAD = [
    "UBND TỈNH BÌNH PHƯỚC",
    "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
    "Số: 1/SGDĐT-VP",
    "Bình Phước, ngày 02 tháng 01 năm 2025",
    "KẾ HOẠCH NĂM 2025",
    "",
]
HEADER = (
    "STT\tNội dung công việc\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời gian thực hiện"
    "\tSản phẩm dự kiến hoàn thành"
)


@pytest.fixture(scope="module")
def seed():
    return parse_plan(BUNDLED_SOURCE)


def write_doc(tmp_path, lines, name="ke_hoach.txt"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- the bundled plan ------------------------------------------------------------------


@pytest.mark.skipif(not SHARED_SEED.exists(), reason="shared seed folder not present")
def test_bundled_copy_is_byte_identical_to_the_seed():
    assert BUNDLED_SOURCE.read_bytes() == SHARED_SEED.read_bytes()


def test_parsing_the_seed_reproduces_the_bundled_table(seed):
    bundled = load_plan()
    pdt.assert_frame_equal(seed.tasks, bundled.tasks)
    pdt.assert_frame_equal(seed.sections, bundled.sections)
    assert seed.meta == bundled.meta
    assert plan_to_json(seed) == plan_to_json(bundled)
    assert seed.warnings == () and bundled.warnings == ()


def test_seed_shape_and_dtypes(seed):
    assert tuple(seed.tasks.columns) == PLAN_TASK_COLUMNS
    assert tuple(seed.sections.columns) == PLAN_SECTION_COLUMNS
    assert len(seed.tasks) == 24
    assert seed.sections["section_id"].tolist() == [
        "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX",
    ]  # fmt: skip
    assert seed.sections["section_no"].tolist() == [1, 2, 3, 4, 5, 6, 7, 8, 9]
    assert seed.sections["n_tasks"].tolist() == [6, 1, 1, 3, 3, 3, 3, 1, 3]
    assert seed.task_ids[:7] == ["I.1", "I.2", "I.3", "I.4", "I.5", "I.6", "II.1"]
    assert seed.task_ids[-3:] == ["IX.1", "IX.2", "IX.3"]
    assert str(seed.tasks["deadline"].dtype) == "datetime64[us]"
    assert str(seed.tasks["task_no"].dtype) == "int64"
    assert all(isinstance(v, list) for v in seed.tasks["partner_units"])


def test_seed_meta(seed):
    assert seed.meta == PlanMeta(
        doc_number="655/SGDĐT-VP",
        doc_date=date(2025, 2, 27),
        issuer="Sở Giáo dục và Đào tạo tỉnh Bình Phước",
        title=(
            "KẾ HOẠCH HOẠT ĐỘNG KIỂM SOÁT THỦ TỤC HÀNH CHÍNH VÀ THỰC HIỆN CƠ CHẾ MỘT CỬA, "
            "MỘT CỬA LIÊN THÔNG TRONG GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH NĂM 2025 "
            "CỦA NGÀNH GIÁO DỤC VÀ ĐÀO TẠO TRÊN ĐỊA BÀN TỈNH BÌNH PHƯỚC"
        ),
        year=2025,
        subject=(
            "thực hiện kế hoạch hoạt động kiểm soát TTHC, cơ chế một cửa, "
            "một cửa liên thông năm 2025"
        ),
        parts=("A. HOẠT ĐỘNG KIỂM SOÁT THỦ TỤC HÀNH CHÍNH, CẢI CÁCH THỦ TỤC HÀNH CHÍNH",),
    )


def test_seed_cadences(seed):
    by_id = seed.tasks.set_index("task_id")
    special = {
        "I.4": ("Hàng tháng", "monthly", pd.NaT),
        "I.6": ("Theo yêu cầu của cấp trên", "on_request", pd.NaT),
        "V.1": ("Hoàn thành T6/2025", "deadline", pd.Timestamp("2025-06-30")),
        "V.3": ("Quý II/2025", "deadline", pd.Timestamp("2025-06-30")),
    }
    for task_id, row in by_id.iterrows():
        text, cadence, deadline = special.get(task_id, ("Thường xuyên", "ongoing", pd.NaT))
        assert (row.timeframe_text, row.cadence) == (text, cadence), task_id
        assert (pd.isna(row.deadline) and pd.isna(deadline)) or row.deadline == deadline


def test_continuation_rows_are_joined(seed):
    i5 = seed.task("I.5")
    assert i5.content == (
        "Kiểm soát chặt chẽ các nhiệm vụ trọng tâm; các chỉ tiêu theo Kế hoạch cải cách "
        "TTHC, kiểm soát TTHC năm 2025 nhằm đề ra giải pháp chấn chỉnh kịp thời, đảm bảo "
        "hoàn thành chỉ tiêu được giao."
    )
    assert (i5.timeframe_text, i5.cadence) == ("Thường xuyên", "ongoing")
    assert i5.expected_output == "Văn bản của Văn phòng"
    ix1 = seed.task("IX.1")
    assert ix1.content.startswith("Đổi mới việc giải quyết TTHC, cung cấp dịch vụ công")
    assert ix1.content.endswith(
        "dịch vụ công trực tuyến toàn trình và tối thiểu 80% hồ sơ TTHC được xử lý "
        "hoàn toàn trực tuyến."
    )
    assert ix1.expected_output == "Đảm bảo chất lượng TTHC cung cấp dịch vụ công trực tuyến"


def _source_cells():
    """The source table read here without the parser (an oracle).

    Returns the section titles (rows whose STT is not a number), the non-empty cells of
    the task and continuation rows by column (0 = STT ... 5 = product) in document order,
    ``<b>`` markup and surrounding spaces removed, and the line numbers of the
    continuation rows (lines starting with a tab).
    """
    lines = BUNDLED_SOURCE.read_text(encoding="utf-8").split("\n")
    header = next(i for i, line in enumerate(lines) if line.startswith("STT\t"))
    titles, columns, continuation = [], {k: [] for k in range(6)}, []
    for number, line in enumerate(lines[header + 1 :], header + 2):
        if "\t" not in line:
            continue
        cells = [c.replace("<b>", "").replace("</b>", "").strip() for c in line.split("\t")]
        if cells[0] and not cells[0].isdigit():
            titles.append(cells[1])
            continue
        if not cells[0]:
            continuation.append(number)
        for k, cell in enumerate(cells[:6]):
            if cell:
                columns[k].append(cell)
    return titles, columns, continuation


def test_every_text_is_the_documents_own_cells(seed):
    # Walking the tasks in order, each text field must be the next cell of its column, or
    # the next cells joined by one space (a row continued after a page break), and every
    # cell must be used: no paraphrase, nothing dropped.
    titles, columns, continuation = _source_cells()
    assert continuation == [54, 83]  # I.5 and IX.1 continue after a page break
    assert titles == seed.sections["section_title"].tolist()
    fields = {"content": 1, "timeframe_text": 4, "expected_output": 5}
    position = dict.fromkeys(fields.values(), 0)
    joined = []
    for task in seed.tasks.itertuples(index=False):
        for name, k in fields.items():
            value, start = getattr(task, name), position[k]
            n = next((n for n in (1, 2) if " ".join(columns[k][start : start + n]) == value), None)
            assert n is not None, (task.task_id, name, value)
            position[k] += n
            if n == 2:
                joined.append((task.task_id, name))
    assert position == {k: len(columns[k]) for k in fields.values()}
    assert joined == [("I.5", "content"), ("I.5", "timeframe_text"), ("IX.1", "content")]
    assert len(columns[2]) == 24  # one lead-unit cell per task


def test_markup_is_removed_and_text_kept(seed):
    assert seed.task("IV.1").content.endswith(
        "tham mưu Chủ tịch UBND tỉnh công bố đúng hạn TTHC địa phương hóa trên địa bàn tỉnh."
    )
    for column in ("content", "section_title", "expected_output", "timeframe_text"):
        for value in seed.tasks[column]:
            assert "<" not in value and "*" not in value
            assert unicodedata.is_normalized("NFC", value)
            assert value == " ".join(value.split())
    # a section row whose Roman id is not bold
    assert seed.task("VII.1").section_title == (
        "Nhóm nhiệm vụ về tiếp nhận, xử lý phản ánh, kiến nghị; hoạt động truyền thông và kiểm tra"
    )


def test_seed_units(seed):
    i1, i2, iv1 = seed.task("I.1"), seed.task("I.2"), seed.task("IV.1")
    assert (i1.lead_unit, i1.partner_units) == ("Các phòng có TTHC", ["Văn phòng"])
    assert (i2.lead_unit, i2.partner_units) == ("Văn phòng", ["Các phòng"])
    assert (iv1.lead_unit, iv1.partner_units) == ("Văn phòng", ["Các phòng có TTHC"])
    leads = set(seed.tasks["lead_unit"])
    assert leads == {"Văn phòng", "Các phòng có TTHC"}


# --- another plan in the same layout ---------------------------------------------------


def test_another_plan_in_the_same_layout():
    plan = parse_plan(PLANS / "plan_2026_khac.txt")  # CRLF line ends
    assert plan.meta == PlanMeta(
        doc_number="123/SGDĐT-VP",
        doc_date=date(2026, 1, 15),
        issuer="Sở Giáo dục và Đào tạo tỉnh Đồng Nai",
        title="KẾ HOẠCH KIỂM SOÁT THỦ TỤC HÀNH CHÍNH NĂM 2026 CỦA NGÀNH GIÁO DỤC",
        year=2026,
        subject="triển khai kế hoạch kiểm soát TTHC năm 2026",
        parts=("A. NHIỆM VỤ TRỌNG TÂM",),
    )
    assert plan.warnings == ()
    assert plan.sections[["section_id", "section_title", "n_tasks"]].values.tolist() == [
        ["I", "Rà soát, đơn giản hóa TTHC", 3],
        ["II", "Thông tin, báo cáo", 4],
    ]
    rows = plan.tasks[["task_id", "lead_unit", "partner_units", "cadence", "deadline"]]
    assert rows.values.tolist() == [
        ["I.1", "Văn phòng", ["Phòng Kế hoạch - Tài chính", "Phòng Tổ chức cán bộ"],
         "deadline", pd.Timestamp("2026-03-31")],
        ["I.2", "Các phòng có TTHC", ["Văn phòng"], "deadline", pd.Timestamp("2026-12-15")],
        ["I.3", "Văn phòng", ["Các phòng"], "deadline", pd.Timestamp("2026-06-30")],
        ["II.1", "Văn phòng", ["Các phòng"], "quarterly", pd.NaT],
        ["II.2", "Văn phòng; Phòng Khảo thí và Kiểm định chất lượng giáo dục", [],
         "deadline", pd.Timestamp("2026-12-31")],
        ["II.3", "Văn phòng", ["Các phòng"], "monthly", pd.NaT],
        ["II.4", "Văn phòng", ["Trung tâm Khảo thí"], "on_request", pd.NaT],
    ]  # fmt: skip
    i3 = plan.task("I.3")
    assert i3.content == "Cập nhật quy trình nội bộ theo quy định mới của Bộ Giáo dục và Đào tạo"
    assert i3.timeframe_text == "6 tháng đầu năm"
    assert plan.task("I.2").content == "Đề xuất phương án đơn giản hóa TTHC"


def test_alternative_headers_and_column_order(tmp_path):
    path = write_doc(
        tmp_path,
        [
            *LETTERHEAD,
            "TT\tNội dung\tThời hạn\tChủ trì\tPhối hợp\tSản phẩm",
            "I.\tMục một\t\t\t\t",
            "1.\tViệc một\tHàng quý\tPhòng KHTC\tVăn phòng\tBáo cáo",
        ],
    )
    plan = parse_plan(path)
    task = plan.task("I.1")
    assert (task.content, task.timeframe_text, task.cadence) == (
        "Việc một",
        "Hàng quý",
        "quarterly",
    )
    assert (task.lead_unit, task.partner_units) == ("Phòng Kế hoạch - Tài chính", ["Văn phòng"])
    assert plan.meta.year == 2025
    assert plan.warnings == ()


def test_minimal_document_warns_about_missing_identity(tmp_path):
    path = write_doc(tmp_path, [HEADER, "I\tMục\t\t\t\t", "1\tViệc\tVăn phòng\t\tNăm 2025\tx"])
    plan = parse_plan(path)
    assert plan.meta == PlanMeta()
    assert plan.warnings == (
        "Không tìm thấy số hiệu văn bản của văn bản kế hoạch.",
        "Không tìm thấy ngày ban hành của văn bản kế hoạch.",
        "Không tìm thấy cơ quan ban hành của văn bản kế hoạch.",
        "Không tìm thấy năm kế hoạch của văn bản kế hoạch.",
    )
    assert plan.task("I.1").deadline == pd.Timestamp("2025-12-31")


def test_repeated_header_after_a_page_break_is_skipped(tmp_path):
    path = write_doc(
        tmp_path,
        [
            *LETTERHEAD,
            HEADER,
            "I\tMục một\t\t\t\t",
            "1\tViệc một\tVăn phòng\tCác phòng\tThường xuyên\tVăn bản",
            "",
            HEADER,
            "2\tViệc hai\tVăn phòng\tCác phòng\tQuý IV/2025\tVăn bản",
        ],
    )
    plan = parse_plan(path)
    assert plan.task_ids == ["I.1", "I.2"]
    assert plan.task("I.2").deadline == pd.Timestamp("2025-12-31")
    assert plan.warnings == ()
    assert plan.meta.doc_number == "1/SGDĐT-VP"


def test_warnings_name_the_line(tmp_path):
    path = write_doc(
        tmp_path,
        [
            *LETTERHEAD,  # 1-6
            HEADER,  # 7
            "I\tMục một\t\t\t\t",  # 8
            "1\tViệc một\tVăn phòng\tCác phòng\tKhi nào xong\tVăn bản",  # 9
            "Ghi chú chen giữa bảng",  # 10
            "2\tViệc hai\tVăn phòng",  # 11
            "II\tMục trống\tVăn phòng\t\t\t",  # 12
            "III\tMục ba\t\t\t\t",  # 13
            "1\tViệc ba\tVăn phòng\tCác phòng\tThường xuyên\tVăn bản",  # 14
            "",  # 15
            "GIÁM ĐỐC",  # 16: text after the table is not a warning
        ],
    )
    plan = parse_plan(path)
    assert plan.warnings == (
        "Dòng 10: văn bản nằm giữa các dòng của bảng, không thuộc cột nào, đã bỏ qua: "
        "«Ghi chú chen giữa bảng».",
        "Dòng 11: chỉ có 3 cột trên 6; các cột cuối để trống.",
        "Dòng 12: dòng mục II có ghi ở cột khác ngoài tên mục, bỏ qua: «Văn phòng».",
        "Dòng 9, nhiệm vụ I.1: Không nhận ra thời gian thực hiện «Khi nào xong»; cần ghi "
        "theo một mẫu như «Thường xuyên», «Hàng quý», «Quý II/2025», «Tháng 6/2025», "
        "«Trước ngày 15/12/2025». Thời gian thực hiện được giữ nguyên, chưa xác định được kỳ "
        "theo dõi.",
        "Dòng 11, nhiệm vụ I.2: Chưa ghi thời gian thực hiện. Thời gian thực hiện được giữ "
        "nguyên, chưa xác định được kỳ theo dõi.",
        "Dòng 12: mục II không có nhiệm vụ nào.",
    )
    assert plan.task("I.1").timeframe_text == "Khi nào xong"
    assert plan.task("I.1").cadence == "unparsed"
    assert plan.sections["n_tasks"].tolist() == [2, 0, 1]


# --- malformed documents ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "row", "fragment"),
    [
        ("loi_khong_co_bang.txt", None, "Không tìm thấy bảng kế hoạch (đã đọc 5 dòng"),
        ("loi_nhiem_vu_ngoai_muc.txt", 4, "Nhiệm vụ số 1 nằm ngoài mục nào"),
        ("loi_trung_ma_nhiem_vu.txt", 8, "Trùng mã nhiệm vụ «I.2» (đã có ở dòng 6)"),
        ("loi_trung_muc.txt", 5, "Mục «I» xuất hiện lần thứ hai (lần đầu ở dòng 3)"),
        ("loi_thua_cot.txt", 4, "Dòng này có 8 cột, nhiều hơn 6 cột của bảng kế hoạch"),
        ("loi_stt_khong_hop_le.txt", 4, "Cột STT ghi «a»"),
        ("loi_tiep_noi_dau_bang.txt", 4, "Dòng tiếp nối"),
    ],
)
def test_malformed_documents(name, row, fragment):
    with pytest.raises(PlanFormatError) as info:
        parse_plan(PLANS / name)
    error = info.value
    assert error.row == row
    assert fragment in error.message
    assert error.file.endswith(name)
    assert error.exit_code == 2
    if row is not None:
        assert f"Dòng: {row}" in str(error)


def test_unreadable_files(tmp_path):
    latin = tmp_path / "cp1258.txt"
    latin.write_bytes("Kế hoạch".encode("utf-16"))
    with pytest.raises(PlanFormatError, match="không phải văn bản UTF-8"):
        parse_plan(latin)
    with pytest.raises(PlanFormatError, match="Không tìm thấy tệp kế hoạch"):
        parse_plan(tmp_path / "khong_co.txt")
    other = tmp_path / "ke_hoach.pdf"
    other.write_bytes(b"%PDF")
    with pytest.raises(PlanFormatError, match="«.pdf»"):
        parse_plan(other)


def test_task_without_content_and_section_without_title(tmp_path):
    path = write_doc(tmp_path, ["x", HEADER, "I\tMục\t\t\t\t", "1\t\tVăn phòng\t\tThường xuyên\t"])
    with pytest.raises(PlanFormatError, match="I.1 không có nội dung") as info:
        parse_plan(path)
    assert info.value.row == 4
    path = write_doc(tmp_path, ["x", HEADER, "II\t\t\t\t\t", "1\tViệc\t\t\t\t"])
    with pytest.raises(PlanFormatError, match="Mục II không có tên") as info:
        parse_plan(path)
    assert info.value.row == 3


def test_second_part_inside_the_table(tmp_path):
    path = write_doc(
        tmp_path,
        [
            *LETTERHEAD,
            "A. PHẦN MỘT",
            HEADER,
            "I\tMục một\t\t\t\t",
            "1\tViệc một\tVăn phòng\tCác phòng\tThường xuyên\tVăn bản",
            "",
            "**B. PHẦN HAI**",
            "",
            HEADER,
            "II\tMục hai\t\t\t\t",
            "1\tViệc hai\tVăn phòng\tCác phòng\tHàng tháng\tVăn bản",
        ],
    )
    plan = parse_plan(path)
    assert plan.meta.parts == ("A. PHẦN MỘT", "B. PHẦN HAI")
    assert plan.task_ids == ["I.1", "II.1"]
    assert plan.warnings == ()


_LINES = st.sampled_from(
    [
        HEADER,
        "<b>I</b>\t<b>Mục một</b>\t\t\t\t",
        "II\t<b>Mục hai</b>\t\t\t\t",
        "1\tViệc một\tVăn phòng\tCác phòng\tThường\tVăn bản",
        "2\tViệc hai\tCác phòng có TTHC\tVăn phòng\tQuý II/2025\tVăn bản",
        "\tphần tiếp theo\t\t\txuyên\t",
        "",
        "Văn bản thường",
        "B. PHẦN HAI",
        "x\ty",
        "1\t",
        "3\tViệc\tVăn phòng\tCác phòng\tHàng tháng\tVăn bản\tthừa",
    ]
)


@given(st.lists(_LINES, max_size=12))
def test_any_document_gives_a_plan_or_a_plan_format_error(lines):
    rows = list(enumerate(line.split("\t") for line in lines))
    try:
        table = read_rows([(i + 1, cells) for i, cells in rows])
    except PlanFormatError as error:
        assert error.message
        return
    ids = [t.task_id for t in table.tasks]
    assert len(ids) == len(set(ids))
    sections = {s.section_id for s in table.sections}
    assert all(t.section_id in sections for t in table.tasks)
    assert all(t.values["content"] for t in table.tasks)
