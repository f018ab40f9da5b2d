"""Small raw files for the loader tests, written in a temporary folder by the tests."""

from __future__ import annotations

import datetime as dt
import itertools
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import xlsxwriter

DOSSIER_HEADERS = [
    "Mã hồ sơ",
    "Mã TTHC",
    "Kênh nộp",
    "Ngày tiếp nhận",
    "Ngày hẹn trả",
    "Ngày hoàn thành",
    "Người nộp",
]


def dossier_row(
    dossier_id: str,
    received: str = "03/02/2025 08:00",
    due: str = "10/02/2025",
    completed: str = "",
    channel: str = "Trực tuyến",
    code: str = "1.005092",
    name: str = "Nguyễn Văn An",
) -> list[str]:
    """One dossier row in the column order of :data:`DOSSIER_HEADERS`."""
    return [dossier_id, code, channel, received, due, completed, name]


def encode_cp1258(text: str) -> bytes:
    """Encode like Windows code page 1258: some marks precomposed, tones combining."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", ch)
        for size in range(len(marks), -1, -1):
            for kept in itertools.combinations(marks, size):
                rest = [m for m in marks if m not in kept]
                try:
                    encoded = unicodedata.normalize("NFC", base + "".join(kept)).encode("cp1258")
                    out += encoded + "".join(rest).encode("cp1258")
                    break
                except UnicodeEncodeError:
                    continue
            else:
                continue
            break
        else:
            raise ValueError(f"{ch!r} cannot be written in cp1258")
    return bytes(out)


def write_csv(
    path: Path,
    rows: Sequence[Sequence[object]],
    headers: Sequence[str] = DOSSIER_HEADERS,
    delimiter: str = ",",
    encoding: str = "utf-8",
    bom: bool = False,
    title_lines: Sequence[str] = (),
) -> Path:
    """Write a CSV file (values quoted when needed)."""

    def cell(value: object) -> str:
        text = "" if value is None else str(value)
        if any(ch in text for ch in (delimiter, '"', "\n")):
            text = '"' + text.replace('"', '""') + '"'
        return text

    lines = list(title_lines) + [delimiter.join(cell(h) for h in headers)]
    lines += [delimiter.join(cell(v) for v in row) for row in rows]
    text = "\n".join(lines) + "\n"
    data = encode_cp1258(text) if encoding == "cp1258" else text.encode(encoding)
    if bom:
        data = b"\xef\xbb\xbf" + data
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def write_xlsx(
    path: Path,
    rows: Sequence[Sequence[object]],
    headers: Sequence[str] = DOSSIER_HEADERS,
    title_lines: Sequence[str] = (),
    sheet: str = "Danh sách",
    extra_sheets: Sequence[tuple[str, Sequence[Sequence[object]]]] = (),
) -> Path:
    """Write a workbook: title lines, then headers, then rows.

    ``datetime``/``date`` values become real Excel date cells, numbers number cells,
    everything else text cells.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path))
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    for name, content in extra_sheets:
        other = workbook.add_worksheet(name)
        for r, values in enumerate(content):
            for c, value in enumerate(values):
                other.write_string(r, c, str(value))
    worksheet = workbook.add_worksheet(sheet)
    r = 0
    for line in title_lines:
        worksheet.write_string(r, 0, line)
        r += 1
    for c, header in enumerate(headers):
        worksheet.write_string(r, c, header)
    for values in rows:
        r += 1
        for c, value in enumerate(values):
            if isinstance(value, dt.datetime | dt.date):
                worksheet.write_datetime(r, c, value, date_format)
            elif isinstance(value, int | float) and not isinstance(value, bool):
                worksheet.write_number(r, c, value)
            elif value not in (None, ""):
                worksheet.write_string(r, c, str(value))
    workbook.close()
    return path
