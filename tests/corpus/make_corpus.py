"""Write the broken-input corpus (``tests/corpus/<case>/``): small hostile raw exports.

Run ``.venv/bin/python tests/corpus/make_corpus.py`` to regenerate; the output is
byte-identical on every run (fixed workbook dates, fixed zip timestamps), and the
generated files are committed. The expected outcome of each case is written by hand
in ``expected.yaml`` (not computed from the package).

Each case is a folder that ``tthc ingest`` reads as a raw-data folder. Files sit in a
sub-folder named after their dataset (``dossiers/``...) unless the case is about
recognising the dataset from the headers.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import itertools
import re
import shutil
import sys
import unicodedata
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import xlsxwriter

HERE = Path(__file__).resolve().parent
FIXED_TIME = dt.datetime(2025, 1, 1)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

# Dossier exports: a subset of the columns of a real one-stop export.
DOSSIER = [
    "STT",
    "Mã hồ sơ",
    "Mã TTHC",
    "Kênh nộp",
    "Ngày tiếp nhận",
    "Ngày hẹn trả",
    "Ngày hoàn thành",
    "Số ngày chờ bổ sung",
    "Phí, lệ phí",
    "Người nộp",
]
CODE = "1.005092"


def dossier(
    n: int,
    dossier_id: str,
    received: object = "03/03/2025 08:00",
    due: object = "10/03/2025",
    completed: object = "",
    channel: str = "Trực tuyến",
    supplement: object = "",
    fee: object = "",
    name: str = "Nguyễn Văn An",
    code: str = CODE,
) -> list[object]:
    """One dossier row in the order of :data:`DOSSIER`."""
    return [n, dossier_id, code, channel, received, due, completed, supplement, fee, name]


def ok_rows(prefix: str, count: int, start: int = 1) -> list[list[object]]:
    """``count`` valid dossier rows with ids ``<prefix>-001``..."""
    return [dossier(start + i, f"{prefix}-{start + i:03d}") for i in range(count)]


# --- Writers --------------------------------------------------------------------------------


def csv_text(rows: Sequence[Sequence[object]], delimiter: str = ",", newline: str = "\n") -> str:
    """Rows as CSV text (values quoted when needed)."""

    def cell(value: object) -> str:
        text = "" if value is None else str(value)
        if any(ch in text for ch in (delimiter, '"', "\n", "\r")):
            text = '"' + text.replace('"', '""') + '"'
        return text

    return "".join(delimiter.join(cell(v) for v in row) + newline for row in rows)


def write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def write_csv(path: Path, rows, delimiter=",", newline="\n", encoding="utf-8", bom=b""):
    write_bytes(path, bom + csv_text(rows, delimiter, newline).encode(encoding))


def _write_cell(ws, r: int, c: int, value: object, formats: dict) -> None:
    if isinstance(value, dt.datetime):
        ws.write_datetime(r, c, value, formats["datetime"])
    elif isinstance(value, dt.date):
        ws.write_datetime(r, c, dt.datetime.combine(value, dt.time()), formats["date"])
    elif isinstance(value, bool):
        ws.write_boolean(r, c, value)
    elif isinstance(value, int | float):
        ws.write_number(r, c, value)
    elif isinstance(value, Formula):
        ws.write_formula(r, c, value.formula, None, value.cached)
    elif value not in (None, ""):
        ws.write_string(r, c, str(value))


class Formula:
    """A formula cell; ``cached`` is the value saved with it (``None``: none saved)."""

    def __init__(self, formula: str, cached: object = None) -> None:
        self.formula = formula
        self.cached = cached


class Sheet:
    """A worksheet: rows from the top (``None`` = empty row), merges, visibility."""

    def __init__(
        self,
        name: str,
        rows: Sequence[Sequence[object] | None],
        merges: Sequence[tuple[int, int, int, int]] = (),
        hidden: bool = False,
    ) -> None:
        self.name = name
        self.rows = rows
        self.merges = merges
        self.hidden = hidden


def write_xlsx(path: Path, sheets: Sequence[Sheet]) -> None:
    """A deterministic workbook; formulas without a cached value lose their ``<v>``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    workbook.set_properties({"created": FIXED_TIME})
    formats = {
        "datetime": workbook.add_format({"num_format": "dd/mm/yyyy hh:mm"}),
        "date": workbook.add_format({"num_format": "dd/mm/yyyy"}),
    }
    uncached = False
    shown = next((s.name for s in sheets if not s.hidden), None)
    for sheet in sheets:
        ws = workbook.add_worksheet(sheet.name)
        if sheet.name == shown:
            ws.activate()  # xlsxwriter will not hide the active sheet
        if sheet.hidden:
            ws.hide()
        merged = {(r0, c0): (r1, c1) for r0, c0, r1, c1 in sheet.merges}
        covered = {
            (r, c)
            for (r0, c0), (r1, c1) in merged.items()
            for r in range(r0, r1 + 1)
            for c in range(c0, c1 + 1)
        }
        for r, row in enumerate(sheet.rows):
            for c, value in enumerate(row or ()):
                if (r, c) in merged:
                    r1, c1 = merged[(r, c)]
                    ws.merge_range(r, c, r1, c1, str(value))
                elif (r, c) not in covered:
                    if isinstance(value, Formula) and value.cached is None:
                        uncached = True
                        value = Formula(value.formula, "__NO_CACHED_VALUE__")
                    _write_cell(ws, r, c, value, formats)
    workbook.close()
    if uncached:
        _drop_cached_values(path)


def _drop_cached_values(path: Path) -> None:
    """Remove the cached value of the formulas marked ``__NO_CACHED_VALUE__``."""
    with zipfile.ZipFile(path) as source:
        members = [(info.filename, source.read(info)) for info in source.infolist()]
    fixed = []
    for name, data in members:
        if name.startswith("xl/worksheets/"):
            # xlsxwriter writes a text result as t="str" with the text inline.
            data = re.sub(
                rb'( t="str")?(>)(<f>[^<]*</f>)<v>__NO_CACHED_VALUE__</v>', rb"\2\3", data
            )
        fixed.append((name, data))
    deterministic_zip(path, fixed)


def deterministic_zip(path: Path, members: Sequence[tuple[str, bytes]]) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members:
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, data)
    write_bytes(path, buffer.getvalue())


# --- Encodings ---------------------------------------------------------------------------

_TCVN3 = {
    "à": "µ", "á": "¸", "ả": "¶", "ã": "·", "ạ": "¹", "ă": "¨", "ằ": "»", "ắ": "¾",
    "ẳ": "¼", "ẵ": "½", "ặ": "Æ", "â": "©", "ầ": "Ç", "ấ": "Ê", "ẩ": "È", "ẫ": "É",
    "ậ": "Ë", "đ": "®", "è": "Ì", "é": "Ð", "ẻ": "Î", "ẽ": "Ï", "ẹ": "Ñ", "ê": "ª",
    "ề": "Ò", "ế": "Õ", "ể": "Ó", "ễ": "Ô", "ệ": "Ö", "ì": "×", "í": "Ý", "ỉ": "Ø",
    "ĩ": "Ü", "ị": "Þ", "ò": "ß", "ó": "ã", "ỏ": "á", "õ": "â", "ọ": "ä", "ô": "«",
    "ồ": "å", "ố": "è", "ổ": "æ", "ỗ": "ç", "ộ": "é", "ơ": "¬", "ờ": "ê", "ớ": "í",
    "ở": "ë", "ỡ": "ì", "ợ": "î", "ù": "ï", "ú": "ó", "ủ": "ñ", "ũ": "ò", "ụ": "ô",
    "ư": "­", "ừ": "õ", "ứ": "ø", "ử": "ö", "ữ": "÷", "ự": "ù", "ỳ": "ú", "ý": "ý",
    "ỷ": "û", "ỹ": "ü", "ỵ": "þ", "Đ": "§", "Ă": "¡", "Â": "¢", "Ê": "£", "Ô": "¤",
    "Ơ": "¥", "Ư": "¦",
}  # fmt: skip
"""Unicode -> TCVN3 (ABC) font characters (lower case; the capitals used in headers)."""


def tcvn3(text: str) -> str:
    """``text`` as it reads once TCVN3-typed bytes are decoded as Windows-1252/Latin-1."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in _TCVN3:
            out.append(_TCVN3[ch])
        elif ch.lower() in _TCVN3 and ch.isupper():
            out.append(_TCVN3[ch.lower()])  # TCVN3 capitals need a capital font: as typed
        else:
            out.append(ch)
    return "".join(out)


def cp1258(text: str) -> bytes:
    """Encode like Windows code page 1258: precomposed where possible, tones combining."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", ch)
        for size in range(len(marks), -1, -1):
            found = None
            for kept in itertools.combinations(marks, size):
                rest = "".join(m for m in marks if m not in kept)
                try:
                    head = unicodedata.normalize("NFC", base + "".join(kept)).encode("cp1258")
                    found = head + rest.encode("cp1258")
                    break
                except UnicodeEncodeError:
                    continue
            if found is not None:
                out += found
                break
        else:
            raise ValueError(f"{ch!r} cannot be written in cp1258")
    return bytes(out)


# --- Cases ----------------------------------------------------------------------------------

CASES: dict[str, Callable[[Path], None]] = {}


def case(function: Callable[[Path], None]) -> Callable[[Path], None]:
    CASES[function.__name__] = function
    return function


@case
def empty_csv(root: Path) -> None:
    write_bytes(root / "dossiers" / "ho_so_rong.csv", b"")


@case
def empty_xlsx(root: Path) -> None:
    write_bytes(root / "dossiers" / "ho_so_rong.xlsx", b"")


@case
def blank_lines_csv(root: Path) -> None:
    write_bytes(root / "dossiers" / "ho_so_trang.csv", b"\r\n  \r\n\r\n")


@case
def header_only_csv(root: Path) -> None:
    write_csv(root / "dossiers" / "ho_so_chi_tieu_de.csv", [DOSSIER])


@case
def header_only_xlsx(root: Path) -> None:
    write_xlsx(root / "dossiers" / "ho_so_chi_tieu_de.xlsx", [Sheet("Hồ sơ", [DOSSIER])])


@case
def empty_workbook(root: Path) -> None:
    write_xlsx(root / "dossiers" / "ho_so_khong_co_gi.xlsx", [Sheet("Sheet1", [])])


@case
def wrong_sheet_first(root: Path) -> None:
    """The data is on the second sheet; the first holds instructions."""
    guide = Sheet(
        "Hướng dẫn",
        [["HƯỚNG DẪN NHẬP LIỆU"], ["Ghi ngày theo dạng dd/mm/yyyy"], ["Không sửa tiêu đề cột"]],
    )
    data = Sheet("Dữ liệu", [DOSSIER, *ok_rows("HS-WS", 3)])
    write_xlsx(root / "dossiers" / "ho_so_nhieu_trang.xlsx", [guide, data])


@case
def wrong_sheet_only(root: Path) -> None:
    """A workbook of something else (a staff list) in the dossiers folder."""
    staff = Sheet(
        "Cán bộ",
        [["Họ và tên", "Chức vụ", "Phòng"], ["Trần Thị Bình", "Chuyên viên", "Văn phòng"]],
    )
    write_xlsx(root / "dossiers" / "danh_sach_can_bo.xlsx", [staff])


@case
def hidden_sheet_and_header_offset(root: Path) -> None:
    """A hidden sheet of old data first; the visible sheet has its header on row 7."""
    old = Sheet("Cũ", [DOSSIER, *ok_rows("HS-CU", 2)], hidden=True)
    rows = [
        ["UBND TỈNH BÌNH PHƯỚC"],
        ["SỞ GIÁO DỤC VÀ ĐÀO TẠO"],
        None,
        ["DANH SÁCH HỒ SƠ TIẾP NHẬN THÁNG 3/2025"],
        ["(Kèm theo Báo cáo số 12/BC-SGDĐT)"],
        None,
        DOSSIER,
        *ok_rows("HS-HD", 4),
    ]
    write_xlsx(root / "dossiers" / "ho_so_an_trang.xlsx", [old, Sheet("Tháng 3", rows)])


@case
def title_rows_and_merged_header(root: Path) -> None:
    """An official export: title rows, a two-row header with merged cells, numbering row.

    Columns A–E are merged vertically over the two header rows; "Thời gian" is merged
    over F–H, whose names are on the second header row. Row 8 numbers the columns.
    """
    top = [
        "STT", "Mã hồ sơ", "Mã TTHC", "Kênh nộp", "Người nộp", "Thời gian", "", "",
        "Phí, lệ phí",
    ]  # fmt: skip
    bottom = ["", "", "", "", "", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày hoàn thành", ""]
    numbers = [f"({i})" for i in range(1, 10)]
    data = [
        [1, "HS-MH-001", CODE, "Trực tuyến", "Lê Văn Cường",
         dt.datetime(2025, 3, 3, 8, 0), dt.date(2025, 3, 10), dt.datetime(2025, 3, 7, 16, 0), 0],
        [2, "HS-MH-002", CODE, "Trực tiếp", "Phạm Thị Dung",
         dt.datetime(2025, 3, 4, 9, 30), dt.date(2025, 3, 11), "", 50000],
        [3, "HS-MH-003", CODE, "Bưu chính", "Hoàng Văn Em",
         dt.datetime(2025, 3, 5, 10, 0), dt.date(2025, 3, 12), dt.datetime(2025, 3, 12, 8, 0), ""],
    ]  # fmt: skip
    rows = [
        ["ỦY BAN NHÂN DÂN TỈNH BÌNH PHƯỚC"],
        ["SỞ GIÁO DỤC VÀ ĐÀO TẠO"],
        None,
        ["BÁO CÁO TÌNH HÌNH TIẾP NHẬN HỒ SƠ"],
        top,
        bottom,
        numbers,
        *data,
    ]
    merges = [(0, 0, 0, 8), (1, 0, 1, 8), (3, 0, 3, 8), (4, 5, 4, 7)]
    merges += [(4, c, 5, c) for c in (0, 1, 2, 3, 4, 8)]
    write_xlsx(root / "dossiers" / "bao_cao_thang_3.xlsx", [Sheet("Báo cáo", rows, merges)])


@case
def truncated_xlsx(root: Path) -> None:
    """The first half of a valid workbook (an interrupted download)."""
    full = root / "dossiers" / "ho_so_tai_do.xlsx"
    write_xlsx(full, [Sheet("Hồ sơ", [DOSSIER, *ok_rows("HS-TR", 20)])])
    data = full.read_bytes()
    full.write_bytes(data[: len(data) // 2])


@case
def zip_without_workbook(root: Path) -> None:
    """A zip archive renamed .xlsx (it holds a text file, no workbook)."""
    deterministic_zip(
        root / "dossiers" / "ho_so_nen.xlsx", [("ho_so.txt", "Mã hồ sơ\nHS-1\n".encode())]
    )


@case
def pdf_named_xlsx(root: Path) -> None:
    """A file that is not a spreadsheet at all (a PDF saved with an .xlsx name)."""
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    write_bytes(root / "dossiers" / "bao_cao.xlsx", pdf)


@case
def html_table_named_xls(root: Path) -> None:
    """An "Excel" export that is an HTML table (common in web portals)."""
    cells = "".join(f"<th>{h}</th>" for h in DOSSIER)
    html = (
        '<html><head><meta charset="utf-8"></head><body><table>'
        f"<tr>{cells}</tr><tr><td>1</td><td>HS-1</td></tr></table></body></html>"
    )
    write_bytes(root / "dossiers" / "xuat_tu_cong.xls", html.encode("utf-8"))


@case
def png_named_csv(root: Path) -> None:
    """Binary bytes with a .csv name."""
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02"
    write_bytes(root / "dossiers" / "anh.csv", png + bytes(range(256)))


@case
def other_files_alongside(root: Path) -> None:
    """A PDF, a Word file and an Excel lock file next to a good export: skipped, named."""
    write_csv(root / "dossiers" / "ho_so_2025_03.csv", [DOSSIER, *ok_rows("HS-OF", 2)])
    write_bytes(root / "dossiers" / "cong_van.pdf", b"%PDF-1.4\n%%EOF\n")
    write_bytes(root / "dossiers" / "ghi_chu.docx", b"PK\x03\x04not really")
    write_bytes(root / "dossiers" / "~$ho_so_2025_03.xlsx", b"\x00" * 165)


@case
def windows_1258_csv(root: Path) -> None:
    rows = [DOSSIER, *ok_rows("HS-CP", 2)]
    rows.append(dossier(3, "HS-CP-003", channel="Trực tiếp", name="Đặng Thị Hương"))
    write_bytes(root / "dossiers" / "ho_so_1258.csv", cp1258(csv_text(rows)))


@case
def nfd_text(root: Path) -> None:
    """Headers and values in decomposed Unicode (NFD), as typed on some Macs."""
    rows = [DOSSIER, *ok_rows("HS-ND", 2)]
    rows.append(dossier(3, "HS-ND-003", channel="Trực tiếp", name="Vũ Thị Ánh"))
    text = unicodedata.normalize("NFD", csv_text(rows))
    write_bytes(root / "dossiers" / "ho_so_nfd.csv", text.encode("utf-8"))


@case
def bom_crlf_csv(root: Path) -> None:
    write_csv(
        root / "dossiers" / "ho_so_bom_crlf.csv",
        [DOSSIER, *ok_rows("HS-BC", 3)],
        newline="\r\n",
        bom=codecs.BOM_UTF8,
    )


@case
def semicolon_decimal_comma_csv(root: Path) -> None:
    """Excel with Vietnamese regional settings: ';' between cells, ',' for decimals."""
    rows = [
        DOSSIER,
        dossier(1, "HS-SC-001", supplement="1,5", fee="1.234,5"),
        dossier(2, "HS-SC-002", supplement="0", fee="50.000"),
        dossier(3, "HS-SC-003", supplement="2,25", fee="1.000.000 đ"),
    ]
    write_csv(root / "dossiers" / "ho_so_cham_phay.csv", rows, delimiter=";")


@case
def tcvn3_header_csv(root: Path) -> None:
    """Headers typed with a TCVN3 (ABC) font, then saved as Latin text."""
    rows = [[tcvn3(h) for h in DOSSIER], *ok_rows("HS-TC", 2)]
    write_bytes(root / "dossiers" / "ho_so_tcvn3.csv", csv_text(rows).encode("utf-8"))


@case
def numbers_stored_as_text(root: Path) -> None:
    """Number columns whose cells are text (green triangles in Excel)."""
    rows = [
        DOSSIER,
        dossier(1, "HS-NT-001", supplement="2", fee="50.000"),
        dossier(2, "HS-NT-002", supplement=" 3 ", fee="1.234,5"),
        dossier(3, "HS-NT-003", supplement="1,5", fee="100000"),
        dossier(4, "HS-NT-004", supplement="hai", fee="50.000"),
    ]
    write_xlsx(root / "dossiers" / "ho_so_so_dang_chu.xlsx", [Sheet("Hồ sơ", rows)])


@case
def serial_and_text_dates(root: Path) -> None:
    """One date column mixing date cells, Excel serial numbers (as numbers and as text)
    and text dates in several layouts."""
    rows = [
        DOSSIER,
        dossier(1, "HS-DT-001", received=dt.datetime(2025, 3, 3, 8, 0)),
        dossier(2, "HS-DT-002", received=45721.5),  # 05/03/2025 12:00
        dossier(3, "HS-DT-003", received="45722"),  # 06/03/2025
        dossier(4, "HS-DT-004", received="07/03/2025 14:30"),
        dossier(5, "HS-DT-005", received="2025-03-08"),
        dossier(6, "HS-DT-006", received="9/3/2025"),
        dossier(7, "HS-DT-007", received="14:05 09/03/2025"),
    ]
    write_xlsx(root / "dossiers" / "ho_so_ngay_tron.xlsx", [Sheet("Hồ sơ", rows)])


@case
def impossible_dates(root: Path) -> None:
    rows = [
        DOSSIER,
        dossier(1, "HS-ID-001", received="31/02/2025"),
        dossier(2, "HS-ID-002", received="29/02/2025 08:00"),
        dossier(3, "HS-ID-003", received="28/02/2025 08:00", due="07/03/2025"),
        dossier(4, "HS-ID-004", received="02/13/2025"),
        dossier(5, "HS-ID-005", received="03/03/2025 25:10"),
    ]
    write_csv(root / "dossiers" / "ho_so_ngay_sai.csv", rows)


@case
def two_digit_years(root: Path) -> None:
    rows = [
        DOSSIER,
        dossier(1, "HS-YY-001", received="03/03/25"),
        dossier(2, "HS-YY-002", received="03/03/2025 08:00", due="10/03/25"),
        dossier(3, "HS-YY-003"),
    ]
    write_csv(root / "dossiers" / "ho_so_nam_2_so.csv", rows)


@case
def future_dates(root: Path) -> None:
    """A receipt in 2099 (typing slip) and a completion in 2098; a due date far ahead is
    allowed (an appointment may be in the future)."""
    rows = [
        DOSSIER,
        dossier(1, "HS-FU-001", received="03/03/2099 08:00", due="10/03/2099"),
        dossier(2, "HS-FU-002", completed="05/03/2098 10:00"),
        dossier(3, "HS-FU-003", due="10/03/2099"),
        dossier(4, "HS-FU-004"),
    ]
    write_csv(root / "dossiers" / "ho_so_tuong_lai.csv", rows)


@case
def negative_durations(root: Path) -> None:
    rows = [
        DOSSIER,
        dossier(1, "HS-NG-001", supplement="-3"),
        dossier(2, "HS-NG-002", completed="01/03/2025 10:00"),
        dossier(3, "HS-NG-003", due="28/02/2025"),
        dossier(4, "HS-NG-004", fee="-50.000"),
        dossier(5, "HS-NG-005", supplement="2", completed="07/03/2025 10:00"),
    ]
    write_csv(root / "dossiers" / "ho_so_am.csv", rows)
    procedures = [
        ["Mã TTHC", "Tên TTHC", "Mức độ DVCTT", "Thời hạn giải quyết", "Đơn vị thời hạn"],
        ["1.005092", "Công nhận trường đạt chuẩn quốc gia", "Toàn trình", "-5", "Ngày làm việc"],
        ["1.005093", "Cấp bản sao văn bằng", "Một phần", "3", "Ngày làm việc"],
    ]
    write_csv(root / "procedures" / "danh_muc.csv", procedures)


@case
def duplicate_ids_across_months(root: Path) -> None:
    """Monthly exports overlap: a dossier still open at month end is exported twice."""
    january = [DOSSIER, *ok_rows("HS-DU", 4)]
    february = [DOSSIER, *ok_rows("HS-DU", 2, start=3), *ok_rows("HS-DU", 2, start=5)]
    write_csv(root / "dossiers" / "ho_so_2025_01.csv", january)
    write_csv(root / "dossiers" / "ho_so_2025_02.csv", february)


@case
def zero_width_duplicate_id(root: Path) -> None:
    """An id pasted with a zero-width space is the same id once cleaned: a duplicate."""
    rows = [
        DOSSIER,
        dossier(1, "HS-ZW-001"),
        dossier(2, "HS-ZW-\u200b001"),
        dossier(3, "HS-ZW-003"),
    ]
    write_csv(root / "dossiers" / "ho_so_zero_width.csv", rows)


@case
def long_cell_100k(root: Path) -> None:
    """A feedback text of 100,000 characters (pasted document)."""
    sentence = "Đề nghị Sở hướng dẫn thủ tục cấp bản sao văn bằng, chứng chỉ. "
    text = (sentence * (100_000 // len(sentence) + 1))[:100_000]
    rows = [
        ["Mã PAKN", "Ngày tiếp nhận", "Trạng thái", "Nội dung"],
        ["PAKN-LC-001", "03/03/2025", "Đã công khai", text],
        ["PAKN-LC-002", "04/03/2025", "Đang xử lý", "Hỏi về lệ phí"],
    ]
    write_csv(root / "feedback" / "pakn_dai.csv", rows)


@case
def formula_columns(root: Path) -> None:
    """Formulas: with a saved value (used), and without one (never computed)."""
    rows = [
        [*DOSSIER, "Tổng phí"],
        [*dossier(1, "HS-FO-001", fee=Formula("=20000+30000", 50000)), Formula("=I2", 50000)],
        [*dossier(2, "HS-FO-002", fee=Formula("=10000*2", 20000)), Formula("=I3", 20000)],
        [*dossier(3, "HS-FO-003", fee=Formula("=10000*3")), Formula("=I4")],
    ]
    rows[1][1] = Formula('="HS-FO-"&"001"', "HS-FO-001")
    rows[3][1] = Formula('="HS-FO-"&"003"')
    write_xlsx(root / "dossiers" / "ho_so_cong_thuc.xlsx", [Sheet("Hồ sơ", rows)])


@case
def extra_unnamed_column(root: Path) -> None:
    """A column without a header (notes typed beside the table) and a pandas index."""
    rows = [["", *DOSSIER, ""]]
    rows += [[i, *r, "gọi lại"] for i, r in enumerate(ok_rows("HS-UN", 3))]
    write_csv(root / "dossiers" / "ho_so_cot_thua.csv", rows)
    sheet = [[*DOSSIER, "", "Ghi chú"], *[[*r, "đã gọi", ""] for r in ok_rows("HS-UX", 2)]]
    write_xlsx(root / "dossiers" / "ho_so_cot_thua.xlsx", [Sheet("Hồ sơ", sheet)])


@case
def two_row_header_csv(root: Path) -> None:
    """A two-row header saved from Excel as CSV: group labels above the column names."""
    rows = [
        ["DANH SÁCH HỒ SƠ", "", "", "", "", "", ""],
        ["Mã hồ sơ", "Mã TTHC", "Kênh nộp", "Thời gian", "", "", "Người nộp"],
        ["", "", "", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày hoàn thành", ""],
        ["HS-2R-001", CODE, "Trực tuyến", "03/03/2025 08:00", "10/03/2025", "", "Ngô Văn Hải"],
        ["HS-2R-002", CODE, "Trực tiếp", "04/03/2025 08:00", "11/03/2025", "", "Đỗ Thị Lan"],
    ]
    write_csv(root / "dossiers" / "ho_so_hai_dong.csv", rows)


@case
def excel_error_cells(root: Path) -> None:
    """Excel error cells (#N/A, #VALUE!): python-calamine reads them as empty cells, so an
    error in "Ngày hoàn thành" would silently make a finished dossier pending."""
    lookup = "=VLOOKUP(B4,'Tra cứu'!A:B,2,FALSE)"
    rows = [
        DOSSIER,
        dossier(1, "HS-ER-001", received=Formula("=NA()", "#N/A")),
        dossier(2, "HS-ER-002", fee=Formula('=I2*"x"', "#VALUE!")),
        dossier(3, "HS-ER-003", completed=Formula(lookup, "#N/A")),
        dossier(4, "HS-ER-004"),
        dossier(5, "HS-ER-005", received="#N/A"),
    ]
    write_xlsx(root / "dossiers" / "ho_so_loi_excel.xlsx", [Sheet("Hồ sơ", rows)])


@case
def totals_row_and_blank_rows(root: Path) -> None:
    """Blank rows between blocks and a "Tổng cộng" row at the bottom."""
    rows = [
        DOSSIER,
        *ok_rows("HS-TT", 2),
        None,
        None,
        *ok_rows("HS-TT", 1, start=3),
        None,
        ["", "Tổng cộng", "", "", "", "", "", "", 0],
    ]
    write_xlsx(root / "dossiers" / "ho_so_tong_cong.xlsx", [Sheet("Hồ sơ", rows)])


@case
def csv_totals_and_signatures(root: Path) -> None:
    """A CSV ending with a total row and a signature block (short lines among them)."""
    rows = [
        DOSSIER,
        *ok_rows("HS-CK", 3),
        [],
        ["", "Tổng cộng", "", "", "", "", "", "", 0, ""],
        ["", "Người lập", "", "", "", "Thủ trưởng đơn vị"],
        ["", "(Ký, ghi rõ họ tên)", "", "", "", "Bình Phước, ngày 31 tháng 3 năm 2025"],
        ["", "Cán Bộ Thử"],
    ]
    write_csv(root / "dossiers" / "ho_so_ky_ten.csv", rows)


@case
def malformed_csv_rows(root: Path) -> None:
    """A row with an extra separator and a row cut short."""
    good = csv_text([DOSSIER, *ok_rows("HS-MF", 2)])
    bad = "3,HS-MF-003,1.005092,Trực tuyến,03/03/2025 08:00,10/03/2025,,,,Nguyễn Văn An,thừa\n"
    short = "4,HS-MF-004,1.005092\n"
    last = csv_text([dossier(5, "HS-MF-005")])
    write_bytes(root / "dossiers" / "ho_so_hong_dong.csv", (good + bad + short + last).encode())


@case
def missing_required_column(root: Path) -> None:
    headers = [h for h in DOSSIER if h != "Ngày hẹn trả"]
    rows = [headers, [1, "HS-MR-001", CODE, "Trực tuyến", "03/03/2025", "", "", "", "A"]]
    write_csv(root / "dossiers" / "ho_so_thieu_cot.csv", rows)


@case
def unknown_codes_and_blank_ids(root: Path) -> None:
    rows = [
        DOSSIER,
        dossier(1, "HS-UC-001", channel="Fax"),
        dossier(2, " \u00a0 "),
        dossier(3, "HS-UC-003", code="1005092"),
        dossier(4, "HS-UC-004"),
    ]
    write_csv(root / "dossiers" / "ho_so_ma_sai.csv", rows)


@case
def recognised_by_headers(root: Path) -> None:
    """Files in the raw folder itself (no dataset sub-folder): recognised from headers."""
    write_csv(root / "ho_so.csv", [DOSSIER, *ok_rows("HS-RH", 2)])
    write_csv(
        root / "pakn.csv",
        [["Mã PAKN", "Ngày tiếp nhận", "Trạng thái"], ["PAKN-RH-1", "03/03/2025", "Đã xử lý"]],
    )


def main(argv: Sequence[str] = ()) -> None:
    """Regenerate every case folder (only the case folders are touched)."""
    names = list(argv) or list(CASES)
    for name in names:
        folder = HERE / name
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir()
        CASES[name](folder)


if __name__ == "__main__":
    main(sys.argv[1:])
