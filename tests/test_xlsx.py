"""The shared xlsx writer: deterministic bytes, text never becomes a formula."""

import pandas as pd
from python_calamine import CalamineWorkbook

from tthc_analysis.xlsx import Sheet, write_xlsx


def _frame():
    return pd.DataFrame(
        {
            "Nội dung": ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "Bình thường"],
            "Số": [1, 2.5, None, 4, 5],
            "Ngày": pd.to_datetime(["2025-01-02", None, "2025-03-04", "2025-05-06", "2025-07-08"]),
        }
    )


def test_same_content_gives_identical_bytes(tmp_path):
    a = write_xlsx(tmp_path / "a.xlsx", Sheet("Bảng", _frame(), title_lines=["Tiêu đề"]))
    b = write_xlsx(tmp_path / "b.xlsx", Sheet("Bảng", _frame(), title_lines=["Tiêu đề"]))
    assert a.read_bytes() == b.read_bytes()


def test_formula_like_text_is_written_as_text(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", Sheet("Bảng", _frame()))
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Bảng").to_python()
    assert rows[0] == ["Nội dung", "Số", "Ngày"]
    assert [r[0] for r in rows[1:]] == [
        '=HYPERLINK("http://x")',
        "+1",
        "-2",
        "@SUM(A1)",
        "Bình thường",
    ]
    with __import__("zipfile").ZipFile(path) as z:
        sheet_xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml


def test_multirow_header_with_merges(tmp_path):
    frame = pd.DataFrame([[1, 2, 3]], columns=["a", "b", "c"])
    header = [["STT", "Số hồ sơ", ""], ["", "Tổng", "Trực tuyến"]]
    path = write_xlsx(
        tmp_path / "m.xlsx",
        Sheet("S", frame, header_rows=header, merges=[(0, 0, 1, 0), (0, 1, 0, 2)]),
    )
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("S").to_python()
    assert rows[0][:2] == ["STT", "Số hồ sơ"]
    assert rows[1][1:] == ["Tổng", "Trực tuyến"]
    assert rows[2] == [1.0, 2.0, 3.0]
