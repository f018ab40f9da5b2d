"""Writing the synthetic exports: header spellings, value spellings, xlsx and CSV files.

Real exports differ from one system (or one month) to the next, so the dossier files
use three *profiles*: different accepted headers ("Mã hồ sơ" / "Số hồ sơ" / "Mã HS"),
column orders, value spellings ("Trực tuyến" / "Nộp trực tuyến" / "2"), booleans
("Có/Không", "x/blank", "1/0") and dates (real Excel dates, ``dd/mm/yyyy HH:MM`` or ISO
text). Every header and value comes from :mod:`tthc_analysis.fields`.

Dossier workbooks are written by :func:`write_table_xlsx`, a small streaming SpreadsheetML
writer (shared and inline strings, one sheet) that builds the sheet XML column by column with numpy,
fast enough for a million rows, and deterministic (fixed zip timestamps and document
properties). CSV files are UTF-8 with a BOM and LF line endings.
"""

from __future__ import annotations

import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from tthc_analysis.fields import dataset_fields
from tthc_analysis.xlsx import FIXED_CREATED

__all__ = [
    "PROFILES",
    "Column",
    "Profile",
    "render_dossiers",
    "write_csv",
    "write_table_xlsx",
]

_EXCEL_EPOCH = np.datetime64("1899-12-30T00:00", "m")


@dataclass(frozen=True)
class Profile:
    """How one export system spells the dossier table."""

    name: str
    headers: Mapping[str, str]
    """Canonical column -> header, in the column order of the file."""
    channel: Mapping[str, str]
    status: Mapping[str, str]
    paid: Mapping[str, str]
    true_false: tuple[str, str]
    date_style: str = "excel"
    """``excel`` (date cells; ``dd/mm/yyyy HH:MM`` text in CSV), ``dmy`` or ``iso`` text."""


_DOSSIER = dataset_fields("dossiers")
_LABELS = {name: f.label_vi for name, f in _DOSSIER.items()}


def _first_labels(column: str) -> dict[str, str]:
    return {code: texts[0] for code, texts in _DOSSIER[column].codes.items()}


_OLD_SYSTEM_LABELS = {k: v for k, v in _LABELS.items() if k != "previous_dossier_id"}

PROFILES: dict[str, Profile] = {
    "A": Profile(
        "A",
        dict(_OLD_SYSTEM_LABELS),
        _first_labels("channel") | {"post": "Bưu chính công ích"},
        _first_labels("status"),
        _first_labels("paid_online"),
        ("Có", "Không"),
    ),
    "B": Profile(
        "B",
        {
            "dossier_id": "Số hồ sơ",
            "applicant_name": "Họ tên người nộp",
            "applicant_id_number": "Số giấy tờ",
            "procedure_code": "Mã thủ tục",
            "procedure_name": "Tên thủ tục",
            "field": "Lĩnh vực",
            "unit": "Phòng xử lý",
            "channel": "Hình thức nộp",
            "submitted_at": "Ngày gửi",
            "received_at": "Ngày nhận",
            "due_at": "Hạn xử lý",
            "rescheduled_due_at": "Ngày hẹn lại",
            "completed_at": "Ngày kết thúc xử lý",
            "returned_at": "Ngày trả kết quả",
            "refused_at": "Ngày từ chối",
            "status": "Tình trạng",
            "supplement_requests": "Số lần bổ sung",
            "supplement_days": "Thời gian chờ bổ sung",
            "is_digitized": "Đã số hóa",
            "has_e_result": "Có kết quả điện tử",
            "result_channel": "Kênh trả kết quả",
            "reused_data": "Tái sử dụng dữ liệu số hóa",
            "synced_dvcqg": "Đã đồng bộ",
            "paid_online": "TT trực tuyến",
            "fee_amount": "Lệ phí",
            "has_apology": "Phiếu xin lỗi",
            "overdue_reason": "Nguyên nhân quá hạn",
            "applicant_phone": "Số điện thoại",
            "applicant_email": "Thư điện tử",
            "applicant_address": "Địa chỉ liên hệ",
        },
        {"online": "Nộp trực tuyến", "in_person": "Nộp trực tiếp", "post": "Bưu chính"},
        {
            "registered": "Mới đăng ký",
            "refused_intake": "Từ chối tiếp nhận",
            "processing": "Đang giải quyết",
            "awaiting_supplement": "Yêu cầu bổ sung",
            "completed": "Đã giải quyết",
            "returned": "Đã trả",
            "rejected": "Từ chối giải quyết",
            "withdrawn": "Công dân rút hồ sơ",
            "stopped": "Dừng xử lý",
        },
        {"yes": "Đã thanh toán trực tuyến", "no": "Thanh toán trực tiếp", "no_fee": "Miễn phí"},
        ("x", ""),
    ),
    "C": Profile(
        "C",
        {
            "dossier_id": "Mã HS",
            "procedure_code": "Mã số TTHC",
            "procedure_name": "Thủ tục",
            "field": "Lĩnh vực TTHC",
            "unit": "Phòng chuyên môn",
            "applicant_name": "Chủ hồ sơ",
            "applicant_id_number": "CMND/CCCD",
            "applicant_phone": "SĐT",
            "applicant_email": "E-mail",
            "applicant_address": "Địa chỉ",
            "channel": "Kênh tiếp nhận",
            "submitted_at": "Ngày nộp",
            "received_at": "Ngày nhận hồ sơ",
            "due_at": "Hạn giải quyết",
            "rescheduled_due_at": "Ngày gia hạn",
            "completed_at": "Ngày có kết quả",
            "returned_at": "Ngày trả kết quả",
            "refused_at": "NgayTuChoi",
            "status": "Trạng thái hồ sơ",
            "supplement_requests": "Số lần yêu cầu bổ sung",
            "supplement_days": "Số ngày bổ sung",
            "is_digitized": "Số hóa thành phần",
            "has_e_result": "Cấp kết quả điện tử",
            "result_channel": "Hình thức nhận kết quả",
            "reused_data": "Khai thác dữ liệu số hóa",
            "synced_dvcqg": "Đồng bộ Cổng DVCQG",
            "paid_online": "Thanh toán",
            "fee_amount": "Số tiền phí",
            "has_apology": "Văn bản xin lỗi",
            "overdue_reason": "Lý do chậm",
        },
        {"online": "2", "in_person": "1", "post": "3"},
        {
            "registered": "1",
            "refused_intake": "3",
            "processing": "Đang thụ lý",
            "awaiting_supplement": "Chờ bổ sung",
            "completed": "Đã có kết quả",
            "returned": "Trả kết quả",
            "rejected": "Từ chối",
            "withdrawn": "Rút hồ sơ",
            "stopped": "Dừng",
        },
        {"yes": "1", "no": "0", "no_fee": "Không phát sinh phí"},
        ("1", "0"),
        "dmy",
    ),
}
PROFILES["D"] = Profile(
    "D",
    dict(_LABELS),  # the new system (from 01/07/2025): every column, with "Mã hồ sơ cũ"
    _first_labels("channel"),
    _first_labels("status"),
    _first_labels("paid_online"),
    ("Có", "Không"),
)
"""The dossier export profiles: A, B, C (the old systems, before 01/07/2025, and the
province's other spellings) and D (the merged Sở's new system from 01/07/2025)."""

_DATETIME_COLUMNS = (
    "submitted_at",
    "received_at",
    "due_at",
    "rescheduled_due_at",
    "completed_at",
    "returned_at",
    "refused_at",
    "paused_at",
    "resumed_at",
)
_BOOL_COLUMNS = ("is_digitized", "has_e_result", "reused_data", "synced_dvcqg", "has_apology")
_NUMBER_COLUMNS = ("supplement_requests", "supplement_days", "fee_amount")


@dataclass
class Column:
    """One column ready to write.

    ``kind`` is ``str`` (object array, None = empty), ``num`` (float array, NaN = empty)
    or ``date`` (float array of Excel serial days, NaN = empty).
    """

    header: str
    kind: str
    values: np.ndarray
    overrides: dict[int, str] = field(default_factory=dict)
    """Row position -> raw text written instead of the value (planted defects)."""


_NAT_FILL = np.datetime64("2000-01-01T00:00", "m")
_DMY = (8, 9, "/", 5, 6, "/", 0, 1, 2, 3, " ", 11, 12, 13, 14, 15)
_ISO = (*range(10), " ", 11, 12, 13, 14, 15, ":", "0", "0")


def _text_dates(values: np.ndarray, style: str) -> np.ndarray:
    """Datetimes as ``dd/mm/yyyy HH:MM`` (``dmy``) or ``yyyy-mm-dd HH:MM:SS`` (``iso``)."""
    v = np.asarray(values).astype("datetime64[m]")
    nat = np.isnat(v)
    text = np.datetime_as_string(np.where(nat, _NAT_FILL, v), unit="m")
    chars = text.astype("U16").view("U1").reshape(len(v), 16)
    order = _ISO if style == "iso" else _DMY
    parts = [
        chars[:, i : i + 1] if isinstance(i, int) else np.full((len(v), 1), i, dtype="U1")
        for i in order
    ]
    joined = np.ascontiguousarray(np.concatenate(parts, axis=1)).view(f"U{len(order)}").ravel()
    out = joined.astype(object)
    out[nat] = None
    return out


def _excel_serial(values: np.ndarray) -> np.ndarray:
    minutes = np.asarray(values).astype("datetime64[m]")
    serial = (minutes - _EXCEL_EPOCH).astype("float64") / 1440.0
    return np.where(np.isnat(minutes), np.nan, serial)


def _mapped(values: np.ndarray, mapping: Mapping[str, str]) -> np.ndarray:
    """Code -> text; an unknown value (a planted defect) is written as it is."""
    codes, uniques = pd.factorize(np.asarray(values, dtype=object))
    texts = np.array([mapping.get(u, str(u)) for u in uniques] + [None], dtype=object)
    return texts[codes]


def _bools(values: np.ndarray, true_false: tuple[str, str]) -> np.ndarray:
    arr = np.asarray(values, dtype=object)
    missing = pd.isna(arr)
    t, f = true_false
    out = np.where(arr == True, t, f).astype(object)  # noqa: E712
    out[missing] = None
    out[out == ""] = None
    return out


def _texts(values: np.ndarray) -> np.ndarray:
    arr = np.asarray(values, dtype=object).copy()
    arr[pd.isna(arr)] = None
    return arr


def render_dossiers(
    arrays: Mapping[str, np.ndarray], profile: Profile, excel: bool
) -> list[Column]:
    """Render canonical dossier columns with a profile.

    Args:
        arrays: Canonical column -> values (numpy arrays or Series, in file order);
            datetimes as ``datetime64``, booleans as bool, codes as English codes.
        profile: Header and value spellings.
        excel: Whether the target is a workbook (``excel`` date style gives date cells).
    """
    columns = []
    for name, header in profile.headers.items():
        values = np.asarray(arrays[name])
        if name in _DATETIME_COLUMNS:
            if profile.date_style == "excel" and excel:
                columns.append(Column(header, "date", _excel_serial(values)))
                continue
            style = "dmy" if profile.date_style == "excel" else profile.date_style
            columns.append(Column(header, "str", _text_dates(values, style)))
        elif name in _BOOL_COLUMNS:
            columns.append(Column(header, "str", _bools(values, profile.true_false)))
        elif name in _NUMBER_COLUMNS:
            numbers = pd.to_numeric(pd.Series(values), errors="coerce").astype("float64").to_numpy()
            columns.append(Column(header, "num", numbers))
        elif name in ("channel", "result_channel"):
            columns.append(Column(header, "str", _mapped(values, profile.channel)))
        elif name == "status":
            columns.append(Column(header, "str", _mapped(values, profile.status)))
        elif name == "paid_online":
            columns.append(Column(header, "str", _mapped(values, profile.paid)))
        else:
            columns.append(Column(header, "str", _texts(values)))
    return columns


# --- CSV --------------------------------------------------------------------------------


def _number_text(values: np.ndarray) -> np.ndarray:
    out = np.full(len(values), None, dtype=object)
    ok = ~np.isnan(values)
    ints = ok & (values == np.round(values))
    out[ints] = values[ints].astype(np.int64).astype(str)
    rest = ok & ~ints
    out[rest] = values[rest].astype(str)
    return out


def _csv_quote(text: str) -> str:
    if any(ch in text for ch in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _csv_field(values: np.ndarray) -> np.ndarray:
    """Column values as CSV fields (quoted when needed, "" when empty)."""
    codes, uniques = pd.factorize(np.asarray(values, dtype=object))
    fields = [_csv_quote(str(u)) for u in uniques]
    return np.array([*fields, ""], dtype=object)[codes]


def write_csv(path: str | Path, columns: Sequence[Column], chunk_rows: int = 100_000) -> Path:
    """Write columns as UTF-8 CSV with a BOM, LF line endings and minimal quoting."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fields = []
    for col in columns:
        if col.kind == "str":
            values = np.asarray(col.values, dtype=object).copy()
        elif col.kind == "num":
            values = _number_text(col.values)
        else:
            raise ValueError("CSV columns hold text or numbers, not Excel dates.")
        for row, text in col.overrides.items():
            values[row] = text
        fields.append(_csv_field(values))
    n = len(fields[0]) if fields else 0
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        handle.write(",".join(_csv_quote(c.header) for c in columns) + "\n")
        for start in range(0, n, chunk_rows):
            stop = min(start + chunk_rows, n)
            block = [f[start:stop] for f in fields]
            handle.write("".join(",".join(t) + "\n" for t in zip(*block, strict=True)))
    return path


# --- xlsx -------------------------------------------------------------------------------

_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument"
_STYLE_DATE, _STYLE_BOLD, _STYLE_INT = 1, 2, 3


def _col_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _needs_escape(values) -> bool:
    return any(ch in "".join(values) for ch in "&<>")


class _SharedStrings:
    """The workbook's shared-string table (for low-cardinality text columns)."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.count = 0

    def add(self, texts) -> list[int]:
        return [self.index.setdefault(t, len(self.index)) for t in texts]

    def xml(self) -> str:
        items = "".join(f"<si><t>{_escape(t)}</t></si>" for t in self.index)
        return (
            f'{_XML_HEAD}<sst xmlns="{_NS_MAIN}" count="{self.count}" '
            f'uniqueCount="{len(self.index)}">{items}</sst>'
        )


def _inline_tail(text: str) -> str:
    return f'" t="inlineStr"><is><t>{_escape(text)}</t></is></c>'


def _tails(col: Column, sst: _SharedStrings) -> np.ndarray:
    """The part of each cell after its reference (None = empty cell), whole column."""
    n = len(col.values)
    if col.kind == "str":
        codes, uniques = pd.factorize(np.asarray(col.values, dtype=object))
        uniques = [str(u) for u in uniques]
        if len(uniques) <= max(200, n // 20):
            ids = sst.add(uniques)
            sst.count += int((codes >= 0).sum())
            tails = [f'" t="s"><v>{i}</v></c>' for i in ids]
        elif _needs_escape(uniques):
            tails = [_inline_tail(u) for u in uniques]
        else:
            tails = ['" t="inlineStr"><is><t>' + u + "</t></is></c>" for u in uniques]
        out = np.array([*tails, None], dtype=object)[codes]
    else:
        values = col.values
        present = ~np.isnan(values)
        out = np.full(n, None, dtype=object)
        if col.kind == "date":
            text = values[present].astype(str).astype(object)
            out[present] = f'" s="{_STYLE_DATE}"><v>' + text + "</v></c>"
        else:
            text = _number_text(values)[present]
            whole = bool(np.all(values[present] == np.round(values[present])))
            style = f' s="{_STYLE_INT}"' if whole else ""
            out[present] = '"' + style + "><v>" + text + "</v></c>"
    for row, raw in col.overrides.items():
        out[row] = _inline_tail(raw)
    return out


def _cells(tails: np.ndarray, letter: str, rows: np.ndarray) -> np.ndarray:
    present = tails != None  # noqa: E711
    out = np.full(len(tails), "", dtype=object)
    out[present] = ('<c r="' + letter + rows[present]) + tails[present]
    return out


def _styles() -> str:
    font = '<sz val="11"/><name val="Times New Roman"/><family val="1"/>'
    return (
        f'{_XML_HEAD}<styleSheet xmlns="{_NS_MAIN}">'
        '<numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy hh:mm"/>'
        '<numFmt numFmtId="165" formatCode="#,##0"/></numFmts>'
        f'<fonts count="2"><font>{font}</font><font><b/>{font}</font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
        '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
        "</cellStyles></styleSheet>"
    )


def _package_parts(sheet_name: str, title: str) -> dict[str, str]:
    created = FIXED_CREATED.strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "[Content_Types].xml": (
            f'{_XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.spreadsheetml.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_CT}.spreadsheetml.worksheet+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.spreadsheetml.styles+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}.spreadsheetml.sharedStrings+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            f'<Override PartName="/docProps/app.xml" ContentType="{_CT}.extended-properties+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'{_XML_HEAD}<Relationships xmlns="{_NS_PKG}">'
            f'<Relationship Id="rId1" Type="{_NS_REL}/officeDocument" Target="xl/workbook.xml"/>'
            f'<Relationship Id="rId2" Type="{_NS_PKG}/metadata/core-properties" Target="docProps/core.xml"/>'
            f'<Relationship Id="rId3" Type="{_NS_REL}/extended-properties" Target="docProps/app.xml"/>'
            "</Relationships>"
        ),
        "docProps/app.xml": (
            f"{_XML_HEAD}<Properties "
            'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            "<Application>tthc-analysis</Application></Properties>"
        ),
        "docProps/core.xml": (
            f"{_XML_HEAD}<cp:coreProperties "
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{_escape(title)}</dc:title><dc:creator>tthc-analysis</dc:creator>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{created}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{created}</dcterms:modified>'
            "</cp:coreProperties>"
        ),
        "xl/workbook.xml": (
            f'{_XML_HEAD}<workbook xmlns="{_NS_MAIN}" xmlns:r="{_NS_REL}">'
            f'<bookViews><workbookView/></bookViews><sheets><sheet name="{_escape(sheet_name)}" '
            'sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'{_XML_HEAD}<Relationships xmlns="{_NS_PKG}">'
            f'<Relationship Id="rId1" Type="{_NS_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{_NS_REL}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId3" Type="{_NS_REL}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ),
        "xl/styles.xml": _styles(),
    }


def _zip_info(name: str, level: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info._compresslevel = level  # ZipFile.open(ZipInfo) ignores the archive's level
    info.external_attr = 0o600 << 16
    info.create_system = 3
    return info


def _sheet_head(columns: Sequence[Column], title_lines: Sequence[str], n_rows: int) -> str:
    header_row = len(title_lines) + (2 if title_lines else 1)
    last = _col_letter(len(columns) - 1)
    widths = "".join(
        f'<col min="{i + 1}" max="{i + 1}" width="{min(max(len(c.header) + 2, 12), 40)}" customWidth="1"/>'
        for i, c in enumerate(columns)
    )
    parts = [
        f'{_XML_HEAD}<worksheet xmlns="{_NS_MAIN}" xmlns:r="{_NS_REL}">',
        f'<dimension ref="A1:{last}{header_row + n_rows}"/>',
        '<sheetViews><sheetView workbookViewId="0">'
        f'<pane ySplit="{header_row}" topLeftCell="A{header_row + 1}" activePane="bottomLeft" state="frozen"/>'
        "</sheetView></sheetViews>",
        f'<sheetFormatPr defaultRowHeight="15"/><cols>{widths}</cols><sheetData>',
    ]
    for i, line in enumerate(title_lines):
        parts.append(
            f'<row r="{i + 1}"><c r="A{i + 1}" s="{_STYLE_BOLD}" t="inlineStr"><is><t>'
            f"{_escape(line)}</t></is></c></row>"
        )
    cells = "".join(
        f'<c r="{_col_letter(i)}{header_row}" s="{_STYLE_BOLD}" t="inlineStr"><is><t>{_escape(c.header)}</t></is></c>'
        for i, c in enumerate(columns)
    )
    parts.append(f'<row r="{header_row}">{cells}</row>')
    return "".join(parts)


def write_table_xlsx(
    path: str | Path,
    sheet_name: str,
    columns: Sequence[Column],
    title_lines: Sequence[str] = (),
    chunk_rows: int = 20_000,
    compresslevel: int = 1,
) -> Path:
    """Write one table as a single-sheet workbook (deterministic bytes).

    Low-cardinality text goes to the shared-string table, other text is written inline.

    Args:
        path: Target ``.xlsx`` file (parents created).
        sheet_name: Sheet name (at most 31 characters).
        columns: Columns in file order, all of the same length.
        title_lines: Lines written above the header (row 1, 2...), followed by a blank
            row, as in exports that carry the agency and the report title.
        chunk_rows: Rows assembled at a time (bounds memory).
        compresslevel: zlib level of the sheet (1 is fast; the files stay compact).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    n = len(columns[0].values) if columns else 0
    first_row = len(title_lines) + (2 if title_lines else 1) + 1
    letters = [_col_letter(i) for i in range(len(columns))]
    sst = _SharedStrings()
    tails = [_tails(col, sst) for col in columns]
    parts = _package_parts(sheet_name[:31], sheet_name)
    parts["xl/sharedStrings.xml"] = sst.xml()
    with zipfile.ZipFile(
        path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=compresslevel
    ) as zf:
        for name, text in parts.items():
            zf.writestr(_zip_info(name, 6), text.encode("utf-8"))
        with zf.open(_zip_info("xl/worksheets/sheet1.xml", compresslevel), "w") as sheet:
            sheet.write(_sheet_head(columns, title_lines, n).encode("utf-8"))
            for start in range(0, n, chunk_rows):
                stop = min(start + chunk_rows, n)
                rows = (np.arange(start, stop) + first_row).astype(str).astype(object)
                cells = [
                    _cells(t[start:stop], letter, rows)
                    for t, letter in zip(tails, letters, strict=True)
                ]
                opens = '<row r="' + rows + '">'
                lines = ["".join(t) + "</row>" for t in zip(opens, *cells, strict=True)]
                sheet.write("".join(lines).encode("utf-8"))
            sheet.write(b"</sheetData></worksheet>")
    return path
