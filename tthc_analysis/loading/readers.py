"""Reading raw files into header-matched columns of cells.

Formats: .xlsx/.xlsm/.xls/.xlsb/.ods (python-calamine), .csv/.tsv (pyarrow; UTF-8 with or
without BOM, UTF-16 with BOM, Windows-1258 detected and converted; delimiter ``,``,
``;``, tab or ``|`` sniffed from the header) and .parquet.

The header is the first of the first :data:`HEADER_SEARCH_ROWS` rows that holds every
required column of a dataset (title rows above it are skipped), or failing that two
consecutive rows that do once combined (a two-row header with merged cells: a column's
name merged over both rows, a group label such as ``Thời gian`` over the names of its
columns); in a workbook the first visible sheet with such a header is used (hidden
sheets are not read, with a warning). Columns without a header are not read; those
holding data are named in a warning. Row numbers are those a person sees in the file: the
sheet row in a workbook, the record number in a CSV (header = 1 when it is on the first
line), and ``2 + position`` in a Parquet file. Fully empty rows are not data: they are
skipped and not counted. A numbering row right under a workbook header (``1, 2, 3…`` or
``(1), (2)…``, common in official forms) is skipped with a warning.

Legacy Vietnamese encodings (TCVN3/ABC, VNI) look like mojibake once read as Unicode;
they are detected: in the headers it is an error, in the values a warning.

Formulas in an .xlsx file: the value Excel saved with the formula is read (with a
warning). A formula never computed (no saved value: files written by programs) and an
Excel error cell (``#N/A``, ``#VALUE!``) read as empty; they are made row problems
(:func:`special_cells`), never silently missing values. A file that is plainly not a
workbook (PDF, HTML page saved as ``.xls``) is named as such in the error.
"""

from __future__ import annotations

import codecs
import csv
import html
import io
import itertools
import re
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from tthc_analysis.archives import check_unpacked_size
from tthc_analysis.config import Settings
from tthc_analysis.errors import InputFileError
from tthc_analysis.fields import DATASET_LABELS_VI, DATASETS, dataset_fields
from tthc_analysis.loading.headers import (
    HeaderMatch,
    Ranking,
    accepted_headers,
    header_text,
    rank_datasets,
)
from tthc_analysis.loading.values import (
    Cells,
    cells_from_arrow,
    cells_from_python,
    concat_cells,
)
from tthc_analysis.text import fold_ascii, nfc

__all__ = [
    "CSV_SUFFIXES",
    "DATA_SUFFIXES",
    "HEADER_SEARCH_ROWS",
    "PARQUET_SUFFIXES",
    "SPREADSHEET_SUFFIXES",
    "RawTable",
    "legacy_encoding",
    "read_raw",
]

SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".html", ".htm"})
"""Workbooks, and HTML pages holding a table (lists of web one-stop systems)."""
CSV_SUFFIXES = frozenset({".csv", ".tsv"})
PARQUET_SUFFIXES = frozenset({".parquet", ".pq"})
DATA_SUFFIXES = SPREADSHEET_SUFFIXES | CSV_SUFFIXES | PARQUET_SUFFIXES
HEADER_SEARCH_ROWS = 20
_DELIMITERS = (",", ";", "\t", "|")
_HEAD_BYTES = 1 << 16


@dataclass
class RawTable:
    """The data rows of one file, as cells of the matched canonical columns.

    Attributes:
        display: File name shown to users (relative to the raw folder).
        format: ``xlsx``, ``xls``, ``ods``, ``csv``, ``parquet``...
        sheet: Worksheet read (workbooks only).
        header_row: Row number of the header line.
        match: Header match (dataset, positions, ignored headers).
        source_rows: Row number of each data row (int64).
        columns: Canonical column -> cells, for the matched columns.
        bad_rows: Rows that could not be split into cells (CSV): (row number, reason).
        warnings: Vietnamese notes about the file.
        encoding: Text encoding of a CSV file.
        cell_problems: Cells that read as empty but hold an unknown value.
    """

    display: str
    format: str
    sheet: str | None
    header_row: int
    match: HeaderMatch
    source_rows: np.ndarray
    columns: dict[str, Cells]
    bad_rows: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    encoding: str | None = None
    cell_problems: list[tuple[int, str, str, str]] = field(default_factory=list)
    """Cells known to be unreadable though they read as empty (a formula never computed):
    (row number, canonical column, value shown, Vietnamese reason)."""
    footers: list[tuple[int, str]] = field(default_factory=list)
    """Lines below the table (total row, signature block): (row number, what it is).
    They are not data: neither read, kept nor rejected."""
    nul_rows: list[int] = field(default_factory=list)
    """Row numbers holding a NUL byte (each becomes a row error)."""

    @property
    def n_read(self) -> int:
        """Rows read: data rows plus rows that could not be split into cells."""
        return len(self.source_rows) + len(self.bad_rows)


# --- Legacy encodings -------------------------------------------------------------------

_TCVN3_ONLY = frozenset("¸µ¶·¹¨¾»¼½Æ©ÇË®ÐÎÏª×ÜÞß«¬î÷þ¡¢§£¤¥¦")
_VNI_ONLY = frozenset("åäÅÄ")
_SHARED = frozenset("øûïöñÑØÛÏÖ")
_TCVN3_RE = re.compile("[" + re.escape("".join(sorted(_TCVN3_ONLY))) + "]")
_VNI_RE = re.compile("[" + re.escape("".join(sorted(_VNI_ONLY))) + "]")
_SHARED_RE = re.compile("[" + re.escape("".join(sorted(_SHARED))) + "]")
_VIETNAMESE = re.compile("[\u0102\u0103\u0110\u0111\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9]")


def legacy_encoding(texts: Sequence[str]) -> str | None:
    """``"TCVN3"`` or ``"VNI"`` if ``texts`` look like legacy-font Vietnamese, else ``None``.

    Text typed with the old TCVN3 (ABC, ``.VnTime``) or VNI fonts shows characters such
    as ``µ ¸ ¹ ® ¬ «`` (TCVN3: ``Ngµy tiÕp nhËn``) or ``ø ä ö ï Ñ`` (VNI:
    ``Ngaøy tieáp nhaän``) that never occur in Unicode Vietnamese.
    """
    joined = "".join(t for t in texts if t)
    tcvn3 = len(_TCVN3_RE.findall(joined))
    vni = len(_VNI_RE.findall(joined))
    shared = len(_SHARED_RE.findall(joined))
    legacy = tcvn3 + vni + shared
    if legacy < 3 or legacy <= 2 * len(_VIETNAMESE.findall(joined)):
        return None
    return "TCVN3" if tcvn3 >= vni else "VNI"


_LEGACY_HINT = (
    "Chuyển tệp sang Unicode trước khi nạp (ví dụ Unikey → Công cụ chuyển mã, "
    "nguồn TCVN3 (ABC) hoặc VNI Windows, đích Unicode), rồi lưu lại."
)


def _legacy_error(kind: str, display: str) -> InputFileError:
    return InputFileError(
        f"Tiêu đề cột dùng bảng mã cũ {kind}, không phải Unicode, nên không nhận ra được cột.",
        file=display,
        hint=_LEGACY_HINT,
    )


def _first_values(text: pa.Array | pa.ChunkedArray, count: int) -> list:
    """The first ``count`` non-null values, as ``text.drop_null()[:count]``.

    Growing heads of the column are looked at, so that the column is not copied.
    """
    size = count
    while True:
        head = text.slice(0, size).drop_null()
        if len(head) >= count or size >= len(text):
            return head.slice(0, count).to_pylist()
        size *= 8


def _legacy_columns(columns: dict[str, Cells], match: HeaderMatch) -> list[tuple[str, str]]:
    """(header, encoding) of the text columns whose first values look legacy-encoded."""
    fields = dataset_fields(match.dataset)
    out = []
    for name, cells in columns.items():
        if fields[name].kind not in ("string", "code") or cells.text is None:
            continue
        kind = legacy_encoding(_first_values(cells.text, 200))
        if kind:
            out.append((match.headers.get(name, name), kind))
    return out


# --- Header location ----------------------------------------------------------------------


@dataclass
class _Located:
    row: int  # 0-based index in the rows given (the last row of a two-row header)
    ranking: Ranking
    spans: int = 1  # header rows: 2 or 3 when a merged header was combined
    cells: list | None = None  # the combined header cells (spans > 1)


def _combined_header(upper: Sequence[object], lower: Sequence[object]) -> list[object]:
    """A two-row header as one row: the lower cell, or the upper one where it is empty.

    Official forms merge a column's name over both header rows (its text is in the
    upper row only) and put a group label over several columns whose names are on
    the lower row (``Thời gian`` over ``Ngày tiếp nhận``, ``Ngày hẹn trả``).
    """
    width = max(len(upper), len(lower))
    out: list[object] = []
    for i in range(width):
        low = lower[i] if i < len(lower) else None
        high = upper[i] if i < len(upper) else None
        out.append(low if header_text(low) else high)
    return out


def _locate(
    rows: Sequence[Sequence[object]], candidates: Sequence[str], settings
) -> _Located | None:
    """The header row: the first row complete for some dataset, else the best row.

    When no single row is complete, two consecutive rows that are complete once
    combined (:func:`_combined_header`) make the header.
    """
    best: _Located | None = None
    filled: list[int] = []
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if sum(1 for cell in row if header_text(cell)) == 0:
            continue
        filled.append(i)
        ranking = rank_datasets(row, candidates, settings)
        top = ranking.best
        if top is None:
            continue
        if best is None or top.score > best.ranking.best.score:
            best = _Located(i, ranking)
        if top.complete:
            return _Located(i, ranking)
    combined_best = _locate_combined(rows, filled, candidates, settings)
    if combined_best is not None and combined_best.ranking.best.complete:
        return combined_best
    if combined_best is not None and (
        best is None or combined_best.ranking.best.score > best.ranking.best.score
    ):
        return combined_best  # the missing-column message then shows the combined names
    return best


def _locate_combined(
    rows: Sequence[Sequence[object]], filled: list[int], candidates: Sequence[str], settings
) -> _Located | None:
    """The first complete header of two, then three merged rows; else the best one."""
    combined_best: _Located | None = None
    for spans in (2, 3):
        for i in filled:
            last = i + spans - 1
            if last >= min(len(rows), HEADER_SEARCH_ROWS) or last not in filled:
                continue
            cells = list(rows[i])
            for k in range(i + 1, last + 1):
                cells = _combined_header(cells, rows[k])
            ranking = rank_datasets(cells, candidates, settings)
            top = ranking.best
            if top is None:
                continue
            if top.complete:
                return _Located(last, ranking, spans=spans, cells=cells)
            if combined_best is None or top.score > combined_best.ranking.best.score:
                combined_best = _Located(last, ranking, spans=spans, cells=cells)
    return combined_best


def _two_row_note(located: _Located) -> list[str]:
    if located.spans < 2:
        return []
    first = located.row + 2 - located.spans
    numbers = [str(first + k) for k in range(located.spans)]
    listed = ", ".join(numbers[:-1]) + f" và {numbers[-1]}"
    words = {2: "hai", 3: "ba"}[located.spans]
    return [f"Tiêu đề cột gồm {words} dòng (dòng {listed}); đã ghép thành một dòng tiêu đề."]


def _dataset_label(dataset: str) -> str:
    return f"{DATASET_LABELS_VI.get(dataset, dataset)} ({dataset})"


def _missing_error(
    match: HeaderMatch, display: str, settings, found: Sequence[str], unknown: bool
) -> InputFileError:
    fields = dataset_fields(match.dataset)
    missing = ", ".join(f"«{fields[c].label_vi}» ({c})" for c in match.missing_required)
    accepted = "; ".join(
        f"{fields[c].label_vi} ({c}): "
        + ", ".join(f"«{h}»" for h in accepted_headers(match.dataset, c, settings))
        for c in match.missing_required
    )
    shown = ", ".join(f"«{h}»" for h in found if h) or "(không có)"
    message = f"Tệp thiếu cột bắt buộc của bộ dữ liệu {_dataset_label(match.dataset)}: {missing}."
    hint = (
        f"Tên cột được chấp nhận — {accepted}. Các tiêu đề đọc được trong tệp: {shown}. "
        "Có thể khai báo thêm tên cột trong tthc.yaml (header_aliases)."
    )
    if unknown:
        message = (
            "Không nhận ra tệp thuộc bộ dữ liệu nào. Gần nhất là "
            f"{_dataset_label(match.dataset)}, nhưng tệp thiếu cột bắt buộc: {missing}."
        )
        hint += " " + _dataset_hint(list(DATASETS))
    return InputFileError(
        message, file=display, column=", ".join(match.missing_required), hint=hint
    )


def _resolve(
    located: _Located | None,
    candidates: Sequence[str],
    display: str,
    settings,
    header_cells: Sequence[object],
) -> HeaderMatch:
    """The header match to use; raise a clear error when there is none."""
    if located is not None and located.cells is not None:
        header_cells = located.cells
    found = [header_text(c) for c in header_cells]
    kind = legacy_encoding(found)
    best = located.ranking.best if located is not None else None
    if best is None or best.n_matched == 0:
        if kind:
            raise _legacy_error(kind, display)
        raise InputFileError(
            "Không tìm thấy dòng tiêu đề cột nào khớp với từ điển trường "
            f"(đã xem {HEADER_SEARCH_ROWS} dòng đầu).",
            file=display,
            hint=_dataset_hint(candidates),
        )
    tied = located.ranking.tied
    if len(tied) > 1:
        names = ", ".join(_dataset_label(m.dataset) for m in tied)
        raise InputFileError(
            f"Không xác định được tệp thuộc bộ dữ liệu nào: tiêu đề khớp như nhau với {names}.",
            file=display,
            hint="Đặt tệp vào thư mục con mang tên bộ dữ liệu, ví dụ dossiers/ hoặc feedback/.",
        )
    if best.complete:
        return best
    if kind:
        raise _legacy_error(kind, display)
    raise _missing_error(best, display, settings, found, unknown=len(candidates) > 1)


def _dataset_hint(candidates: Sequence[str]) -> str:
    if len(candidates) == 1:
        name = candidates[0]
        required = [f for f in DATASETS[name] if f.required]
        return (
            f"Bộ dữ liệu {_dataset_label(name)} cần các cột: "
            + ", ".join(f"«{f.label_vi}»" for f in required)
            + "."
        )
    return (
        "Đặt tệp vào thư mục con mang tên bộ dữ liệu ("
        + ", ".join(f"{d}/" for d in DATASETS)
        + ") hoặc sửa tiêu đề cột theo từ điển trường."
    )


def _header_warnings(match: HeaderMatch) -> list[str]:
    out = list(match.notes)
    if match.ignored:
        out.append(
            "Bỏ qua các cột không có trong từ điển trường: "
            + ", ".join(f"«{h}»" for h in match.ignored)
            + "."
        )
    return out


# --- Spreadsheets ---------------------------------------------------------------------------

_NUMBERING = re.compile(r"\(?(\d{1,3})\)?")


def _numbering_row(row: Sequence[object]) -> bool:
    numbers = []
    for cell in row:
        text = header_text(cell)
        if not text:
            continue
        match = _NUMBERING.fullmatch(text)
        if not match:
            return False
        numbers.append(int(match.group(1)))
    return len(numbers) >= 3 and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


EMPTY_FILE_HINT = (
    "Xuất lại tệp từ hệ thống (tệp có thể bị lỗi khi tải về hoặc sao chép), "
    "hoặc xóa tệp khỏi thư mục dữ liệu nếu không dùng."
)

_DISGUISES = (
    (b"%PDF", "một tệp PDF"),
    (b"<", "một trang web (HTML/XML)"),
    (b"{\\rtf", "một văn bản RTF"),
)


def _disguise(path: Path) -> str | None:
    """What a file with a spreadsheet name really is, when it is plainly something else."""
    try:
        with path.open("rb") as handle:
            head = handle.read(512)
    except OSError:
        return None
    head = head.removeprefix(codecs.BOM_UTF8).lstrip()
    for magic, kind in _DISGUISES:
        if head.startswith(magic):
            return kind
    return None


def _open_workbook(path: Path, display: str):
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        return CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError, RuntimeError) as exc:
        kind = _disguise(path)
        if kind:
            raise InputFileError(
                f"Tệp không phải bảng tính: đây là {kind} được đặt đuôi {path.suffix}.",
                file=display,
                hint="Xuất lại dữ liệu từ hệ thống ở định dạng Excel (.xlsx) hoặc CSV; hoặc mở "
                "tệp bằng Excel rồi «Lưu thành» Excel Workbook (.xlsx).",
            ) from exc
        raise InputFileError(
            "Không đọc được tệp bảng tính (tệp hỏng, bị cắt cụt, có mật khẩu, hoặc không phải "
            f"tệp Excel/ODS dù có đuôi {path.suffix}).",
            file=display,
            hint="Mở tệp bằng Excel và lưu lại dạng .xlsx (bỏ mật khẩu nếu có), hoặc xuất lại "
            f"từ hệ thống. Chi tiết: {type(exc).__name__}: {exc}",
        ) from exc


def _score(located: _Located | None) -> tuple[int, int]:
    return located.ranking.best.score if located is not None else (-1, -1)


ROW_BLOCK = 20_000
"""Workbook rows converted at a time (bounds the memory held as Python objects)."""


def _is_blank(row: Sequence[object]) -> bool:
    if any(row):  # fast path: a non-empty text or a non-zero number
        return False
    return row.count("") + row.count(None) == len(row)


def _text_columns(match: HeaderMatch) -> set[str]:
    """Matched columns holding free text (cleaned fully; others are parsed)."""
    fields = dataset_fields(match.dataset)
    return {name for name in match.positions if fields[name].kind == "string"}


def _column_letters(position: int) -> str:
    """Spreadsheet column name of a 0-based position (0 -> A, 26 -> AA)."""
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _unnamed_note(positions: Sequence[int], spreadsheet: bool) -> list[str]:
    """Warning for columns that hold data but have no header (they are not read)."""
    if not positions:
        return []
    if spreadsheet:
        named = ", ".join(_column_letters(p) for p in sorted(positions))
        where = f"cột {named}"
    else:
        where = "cột thứ " + ", ".join(str(p + 1) for p in sorted(positions))
    return [
        f"Bỏ qua {where}: có dữ liệu nhưng không có tiêu đề. Nếu cần dùng, đặt tiêu đề "
        "cho cột theo từ điển trường."
    ]


def _unnamed_positions(header: Sequence[object]) -> list[int]:
    return [i for i, cell in enumerate(header) if not header_text(cell)]


FOOTER_SCAN_ROWS = 60
"""The footer of a table (total row, signature block) is looked for among its last rows."""
_FOOTER_MARKERS = (
    "tong cong",
    "tong so",
    "cong:",
    "nguoi lap",
    "nguoi ky",
    "(ky, ghi ro ho ten",
    "(ky ghi ro ho ten",
    "(ky, ho ten",
    "(ky va ghi ro ho ten",
    "thu truong",
    "lanh dao don vi",
    "xac nhan cua",
    "kt. thu truong",
    "kt. giam doc",
    "noi nhan:",
)
"""Folded beginnings of the cells that start a table's footer ("Tổng cộng", "Người lập",
"(Ký, ghi rõ họ tên)"...)."""
_PLACE_DATE = re.compile(r"^[^,\d]{2,40},\s*ngay\b.{0,12}\bthang\b.{0,12}\bnam\b")
"""A place-and-date line of a signature block: "Bình Phước, ngày 31 tháng 3 năm 2025"."""


def _footer_marker(row: Sequence[object], required: Sequence[int]) -> str | None:
    """The footer marker of a row (its cell text), or ``None`` for a data row.

    A footer row has a marker cell and no value in some required column (a total row
    has no dossier code; a signature line has no dates).
    """
    if all(p < len(row) and row[p] not in ("", None) for p in required):
        return None
    for cell in row:
        if type(cell) is not str or not cell:
            continue
        key = fold_ascii(cell)
        if key in ("cong", "tong"):
            return nfc(cell).strip()
        for marker in _FOOTER_MARKERS:
            if key.startswith(marker):
                # Only the marker itself: a signature line may go on with a name.
                return nfc(" ".join(cell.split()))[: len(marker)].rstrip(" :(")
        if _PLACE_DATE.match(key):
            return "(địa danh), ngày … tháng … năm …"
    return None


def _cut_footer(
    block: list, keep: list[int], index: int, required: Sequence[int]
) -> tuple[list[int], list[tuple[int, str]]]:
    """Drop the footer from the last block of a table.

    Args:
        block: The rows of the last block.
        keep: Its non-blank rows (indices into ``block``).
        index: 0-based row index of ``block[0]`` in the sheet.
        required: Positions of the required columns.

    Returns:
        (the data rows kept, the footer lines as (row number, marker or text)).
    """
    tail = keep[-FOOTER_SCAN_ROWS:]
    for k, i in enumerate(tail):
        marker = _footer_marker(block[i], required)
        if marker is None:
            continue
        rest = tail[k:]
        footers = [(index + i + 1, marker)]
        footers += [(index + j + 1, "(dòng dưới bảng)") for j in rest[1:]]
        return keep[: len(keep) - len(rest)], footers
    return keep, []


def _footer_note(footers: Sequence[tuple[int, str]]) -> list[str]:
    """The warning about the footer lines left out of a table."""
    if not footers:
        return []
    return [
        f"Bỏ qua {len(footers)} dòng cuối bảng (dòng tổng cộng, phần ký tên) từ dòng "
        f"{footers[0][0]}: không phải dữ liệu."
    ]


def _sheet_cells(
    rows: Iterator[list],
    start: int,
    match: HeaderMatch,
    width: int,
    unnamed: Sequence[int] = (),
    filled: set[int] | None = None,
    footers: list[tuple[int, str]] | None = None,
) -> tuple[np.ndarray, dict[str, Cells]]:
    """Convert the data rows (``start`` = 0-based index of the first one) block by block.

    The positions of ``unnamed`` (columns without a header) that hold a value in some
    row are added to ``filled``. With ``footers``, the footer of the table (total row,
    signature block: :func:`_cut_footer`) is left out and listed there.
    """
    numbers: list[np.ndarray] = []
    parts: dict[str, list[Cells]] = {column: [] for column in match.positions}
    used = {c: p for c, p in match.positions.items() if p < width}
    text = _text_columns(match)
    fields = dataset_fields(match.dataset)
    required = [p for c, p in match.positions.items() if fields[c].required]
    index = start
    upcoming = list(itertools.islice(rows, ROW_BLOCK))
    while True:
        block = upcoming
        if not block:
            break
        upcoming = list(itertools.islice(rows, ROW_BLOCK))
        keep = [i for i, r in enumerate(block) if not _is_blank(r)]
        if footers is not None and not upcoming:
            keep, cut = _cut_footer(block, keep, index, required)
            footers.extend(cut)
        numbers.append(np.asarray(keep, dtype=np.int64) + index + 1)
        index += len(block)
        if len(keep) != len(block):
            block = [block[i] for i in keep]
        transposed = list(zip(*block, strict=False)) if block else []
        del block
        for column, position in used.items():
            values = transposed[position] if position < len(transposed) else ()
            parts[column].append(cells_from_python(values, full=column in text))
        for position in unnamed if filled is not None else ():
            values = transposed[position] if position < len(transposed) else ()
            if position not in filled and any(v not in ("", None) for v in values):
                filled.add(position)
        del transposed
    source_rows = np.concatenate(numbers) if numbers else np.zeros(0, dtype=np.int64)
    cells = {c: concat_cells(p) for c, p in parts.items() if p and c in used}
    return source_rows, cells


@dataclass
class _Chosen:
    """The sheet read from a workbook, and its cells."""

    name: str
    located: _Located
    match: HeaderMatch
    source_rows: np.ndarray
    columns: dict[str, Cells]
    notes: list[str]
    footers: list[tuple[int, str]] = field(default_factory=list)


def _sheet_names(workbook) -> tuple[list[str], list[str]]:
    """(sheets to read, hidden sheets) of a workbook.

    Hidden sheets (old months, lookup lists) are not read, unless every sheet is hidden.
    """
    from python_calamine import SheetVisibleEnum

    metadata = workbook.sheets_metadata
    names = [m.name for m in metadata if m.visible == SheetVisibleEnum.Visible]
    hidden = [m.name for m in metadata if m.visible != SheetVisibleEnum.Visible]
    if not names:
        return list(workbook.sheet_names), []
    return names, hidden


def _read_sheet(
    name: str, head: list, rows: Iterator[list], located: _Located, match: HeaderMatch
) -> _Chosen:
    """Cells of the data rows of a sheet whose header is ``located``."""
    notes: list[str] = []
    start = located.row + 1
    if start < len(head) and _numbering_row(head[start]):
        notes.append(f"Bỏ qua dòng {start + 1}: dòng đánh số cột (1, 2, 3…).")
        start += 1
    header = head[located.row]
    if located.cells is not None:
        header = located.cells
    data = itertools.chain(head[start:], rows)
    filled: set[int] = set()
    footers: list[tuple[int, str]] = []
    source_rows, columns = _sheet_cells(
        data, start, match, len(header), _unnamed_positions(header), filled, footers
    )
    notes.extend(_unnamed_note(sorted(filled), spreadsheet=True))
    notes.extend(_footer_note(footers))
    return _Chosen(name, located, match, source_rows, columns, notes, footers)


def _sheet_warnings(chosen: _Chosen, names: list[str], others: list[str], hidden: list[str]):
    warnings = [*_two_row_note(chosen.located), *_header_warnings(chosen.match)]
    if len(names) > 1:
        note = f"Đọc trang tính «{chosen.name}»"
        if others:
            listed = ", ".join(f"«{o}»" for o in others)
            note += (
                f"; các trang {listed} cũng có tiêu đề phù hợp nhưng không được đọc "
                "(hãy tách thành tệp riêng)"
            )
        warnings.append(note + ".")
    if hidden:
        listed = ", ".join(f"«{h}»" for h in hidden)
        warnings.append(f"Không đọc các trang tính đang ẩn: {listed}.")
    return [*warnings, *chosen.notes]


ZIP_SUFFIXES = frozenset({".xlsx", ".xlsm", ".ods", ".xlsb"})


def _check_unpacked_size(path: Path, display: str, settings) -> None:
    """Refuse a workbook that unpacks to too much, before opening it (one check for all)."""
    if path.suffix.lower() in ZIP_SUFFIXES:
        check_unpacked_size(path, settings or Settings(), display=display)


@dataclass
class _Grids:
    """The sheets of a workbook or the tables of an HTML page, read one at a time."""

    names: list[str]
    hidden: list[str]
    rows_of: object  # name -> iterator of rows
    skipped: list[str] = field(default_factory=list)  # chart sheets


def _workbook_grids(workbook) -> _Grids:
    from python_calamine import SheetTypeEnum

    names, hidden = _sheet_names(workbook)
    kinds = {m.name: m.typ for m in workbook.sheets_metadata}
    charts = [n for n in names if kinds.get(n) == SheetTypeEnum.ChartSheet]
    names = [n for n in names if n not in charts]
    return _Grids(
        names, hidden, lambda name: iter(workbook.get_sheet_by_name(name).iter_rows()), charts
    )


def _html_grids(path: Path, display: str) -> _Grids:
    from tthc_analysis.loading.html import html_tables

    try:
        tables = html_tables(path)
    except (ValueError, OSError) as exc:
        raise InputFileError(
            "Không đọc được bảng trong trang web (HTML) được đặt đuôi bảng tính.",
            file=display,
            hint=f"Mở tệp bằng Excel rồi «Lưu thành» Excel Workbook (.xlsx). Chi tiết: {exc}",
        ) from exc
    names = [f"Bảng {i + 1}" for i in range(len(tables))]
    by_name = dict(zip(names, tables, strict=True))
    return _Grids(names, [], lambda name: iter(by_name[name]))


def _read_spreadsheet(path: Path, display: str, candidates: Sequence[str], settings) -> RawTable:
    from python_calamine import CalamineError

    from tthc_analysis.loading.html import looks_like_html

    is_html = looks_like_html(path)
    workbook = None
    if is_html:
        grids = _html_grids(path, display)
    else:
        _check_unpacked_size(path, display, settings)
        workbook = _open_workbook(path, display)
    try:
        if workbook is not None:
            grids = _workbook_grids(workbook)
        scan = _scan_grids(grids, display, candidates, settings)
    except CalamineError as exc:
        raise InputFileError(
            "Không đọc được nội dung trang tính (tệp hỏng).",
            file=display,
            hint=f"Mở tệp bằng Excel và lưu lại. Chi tiết: {exc}",
        ) from exc
    finally:
        if workbook is not None:
            workbook.close()
    chosen, fallback, others, ignored, wide = scan
    fmt = "html" if is_html else path.suffix.lower().lstrip(".")
    if chosen is None and wide is not None:
        name, head, rest = wide
        table = _read_wide(path, display, fmt, name, head + rest, settings)
        table.warnings.extend(_ignored_note([n for n in ignored if n != name], grids.skipped))
        return table
    if chosen is None:
        if fallback is None:
            raise InputFileError(
                "Tệp bảng tính không có dữ liệu (mọi trang tính đều trống).",
                file=display,
                hint=EMPTY_FILE_HINT,
            )
        head, located = fallback
        _resolve(located, candidates, display, settings, head[located.row if located else 0])
    warnings = _sheet_warnings(chosen, grids.names, others, grids.hidden)
    if is_html:
        warnings.insert(
            0,
            f"Tệp là trang web (HTML) đặt đuôi {path.suffix}: đã đọc bảng «{chosen.name}» "
            "bằng trình phân tích HTML.",
        )
    if len(grids.names) > 1 or grids.skipped:
        warnings.extend(_ignored_note(ignored, grids.skipped))
    table = RawTable(
        display,
        fmt,
        chosen.name,
        chosen.located.row + 1,
        chosen.match,
        chosen.source_rows,
        chosen.columns,
        warnings=warnings,
        footers=chosen.footers,
    )
    if not is_html and path.suffix.lower() in FORMULA_SUFFIXES:
        _check_formulas(path, table)
    if is_html:
        _mark_nul_cells(table)
    _warn_legacy_values(table)
    return table


def _scan_grids(grids: _Grids, display: str, candidates: Sequence[str], settings) -> tuple:
    """Read the first sheet (table) with a complete header; note the others.

    Returns:
        (chosen sheet or ``None``, best incomplete header, other complete sheets, sheets
        without a recognised table, first wide 766 sheet as (name, head, rest) or ``None``).
    """
    chosen: _Chosen | None = None
    fallback: tuple[list, _Located | None] | None = None
    others: list[str] = []
    ignored: list[str] = []
    wide: tuple[str, list, list] | None = None
    for name in grids.names:
        rows = grids.rows_of(name)
        head = list(itertools.islice(rows, HEADER_SEARCH_ROWS + 1))
        if not any(not _is_blank(r) for r in head):
            continue
        located = _locate(head, candidates, settings)
        complete = located is not None and located.ranking.best.complete
        if complete and chosen is not None:
            others.append(name)
        elif complete:
            match = _resolve(located, candidates, display, settings, head[located.row])
            chosen = _read_sheet(name, head, rows, located, match)
        else:
            ignored.append(name)
            if wide is None and "index766" in candidates and _wide_layout(head, settings):
                wide = (name, head, list(rows))
            if fallback is None or _score(located) > _score(fallback[1]):
                fallback = (head, located)
    return chosen, fallback, others, ignored, wide


def _ignored_note(ignored: Sequence[str], charts: Sequence[str]) -> list[str]:
    """Note about the sheets not read (charts, trend sheets, notes)."""
    notes = []
    if charts:
        listed = ", ".join(f"«{n}»" for n in charts)
        notes.append(f"Bỏ qua trang biểu đồ {listed}: không chứa dữ liệu dạng bảng.")
    if ignored:
        listed = ", ".join(f"«{n}»" for n in ignored)
        notes.append(
            f"Bỏ qua trang {listed}: không có bảng dữ liệu nhận ra được (biểu đồ, xu hướng, "
            "ghi chú...)."
        )
    return notes


def _mark_nul_cells(table: RawTable) -> None:
    """Rows of an HTML table holding a NUL byte (read as :data:`html.NUL_MARK`)."""
    from tthc_analysis.loading.html import NUL_MARK

    rows: set[int] = set()
    for cells in table.columns.values():
        if cells.text is None:
            continue
        hit = pc.fill_null(pc.match_substring(cells.text, NUL_MARK), False)
        rows.update(table.source_rows[hit.to_numpy(zero_copy_only=False)].tolist())
    table.nul_rows = sorted(rows)


# --- 766 wide sheets --------------------------------------------------------------------------


def _wide_layout(head: list, settings):
    from tthc_analysis.loading.wide766 import locate_wide

    return locate_wide(head, settings)


def _read_wide(
    path: Path, display: str, fmt: str, sheet: str | None, rows: list, settings
) -> RawTable:
    """A wide 766 sheet (one row per unit, one column per group) as long rows."""
    from tthc_analysis.loading.wide766 import melt, period_from_name, period_label_vi

    layout = _wide_layout(rows[: HEADER_SEARCH_ROWS + 1], settings)
    warnings: list[str] = []
    period = None
    if layout.period is None:
        for source, name in (("trang tính", sheet), ("tệp", path.stem)):
            found = period_from_name(name or "")
            if found:
                period = found[0]
                note = (
                    f"Bảng điểm 766 dạng ngang: kỳ {period_label_vi(period)} lấy từ tên "
                    f"{source} «{name}» ({found[1]})."
                )
                if found[1] != "tháng":
                    note += (
                        f" Điểm theo {found[1]} được lưu với kỳ «{period}», không coi là "
                        "điểm của một tháng: không đưa vào xu hướng điểm theo tháng."
                    )
                warnings.append(note)
                break
        else:
            warnings.append(
                "Bảng điểm 766 dạng ngang không có cột kỳ và tên trang tính/tệp không cho biết "
                "kỳ (ví dụ T10_2025, Tháng 10/2025, Quý III/2025, Năm 2025)."
            )
    data = rows[layout.row + 1 :]
    start = layout.row + 1
    if data and _numbering_row(data[0]):
        data, start = data[1:], start + 1
    footers: list[tuple[int, str]] = []
    keep = [i for i, r in enumerate(data) if not _is_blank(r)]
    unit = [layout.unit] if layout.unit is not None else []
    keep, footers = _cut_footer(data, keep, start, unit or [min(layout.groups)])
    kept = set(keep)
    kept_rows = [data[i] if i in kept else None for i in range(len(data))]
    numbers, long = melt(kept_rows, start + 1, layout, period)
    present = [
        i for i, score in enumerate(long["score"]) if score not in ("", None) and score == score
    ]
    numbers = [numbers[i] for i in present]
    long = {c: [values[i] for i in present] for c, values in long.items()}
    positions = {"period": 0, "unit": 1, "group_code": 2, "score": 3, "max_score": 4}
    written = {
        "group_code": "(tên cột nhóm)",
        "score": "(ô điểm)",
        "max_score": "(ô điểm, phần sau «/»)",
    }
    if layout.unit is not None:
        written["unit"] = layout.headers[layout.unit]
    if layout.period is not None:
        written["period"] = layout.headers[layout.period]
    match = HeaderMatch("index766", positions, written)
    columns = {c: cells_from_python(long[c], full=c == "unit") for c in positions}
    groups = ", ".join(f"«{layout.headers[p]}» → {code}" for p, code in layout.groups.items())
    warnings.insert(
        0,
        f"Bảng điểm 766 dạng ngang (mỗi đơn vị một dòng, mỗi nhóm một cột: {groups}); đã "
        "chuyển thành bảng dọc (mỗi đơn vị, nhóm một dòng).",
    )
    return RawTable(
        display,
        fmt,
        sheet,
        layout.row + 1,
        match,
        np.asarray(numbers, dtype=np.int64),
        columns,
        warnings=warnings,
        footers=footers,
    )


# --- Formulas and error cells (xlsx) ------------------------------------------------------------

FORMULA_SUFFIXES = frozenset({".xlsx", ".xlsm"})
_MARKERS = (b"<f>", b"<f ", b' t="e"')
"""Byte strings of a worksheet's XML that announce a formula or an error cell."""
_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]+)"([^>]*?)(?:/>|>(.*?)</c>)', re.DOTALL)
_FORMULA_TEXT = re.compile(rb"<f[^>]*>(.*?)</f>", re.DOTALL)
_VALUE_TEXT = re.compile(rb"<v>(.*?)</v>", re.DOTALL)
_UNCACHED_REASON = (
    "Ô công thức chưa có giá trị đã tính (tệp do phần mềm tạo ra, chưa mở bằng Excel): "
    "mở tệp bằng Excel để tính lại rồi lưu, hoặc xuất lại dữ liệu dạng giá trị"
)
_ERROR_REASON = (
    "Ô báo lỗi của Excel (công thức lỗi hoặc tra cứu không thấy): sửa ô trong tệp rồi nạp lại"
)


def _sheet_member(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip member holding the worksheet named ``sheet``."""
    from xml.etree import ElementTree

    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return None
    rel_id = None
    for element in book.iter():
        if element.tag.endswith("}sheet") and element.get("name") == sheet:
            rel_id = next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
    for element in rels.iter():
        if rel_id is not None and element.get("Id") == rel_id:
            target = element.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return None


def _has_marker(archive: zipfile.ZipFile, member: str) -> bool:
    """Whether the worksheet XML holds a formula or an error cell (stops at the first)."""
    tail = b""
    with archive.open(member) as handle:
        while chunk := handle.read(1 << 20):
            data = tail + chunk
            if any(marker in data for marker in _MARKERS):
                return True
            tail = data[-8:]
    return False


def _column_index(letters: bytes) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + letter - ord("A") + 1
    return index - 1


def special_cells(path: str | Path, sheet: str) -> dict[tuple[int, int], tuple[str, str]]:
    """Formula and error cells of a worksheet of an .xlsx file.

    python-calamine gives the value Excel saved with a formula, and an empty cell both for
    an error (``#N/A``, ``#VALUE!``) and for a formula that was never computed.

    Returns:
        ``(row number, 0-based column) -> (text shown, kind)``, kind ``formula`` (a saved
        value is read), ``uncached`` (no saved value) or ``error``; empty when the sheet has
        neither or the file cannot be inspected.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            member = _sheet_member(archive, sheet)
            if member is None or not _has_marker(archive, member):
                return {}
            data = archive.read(member)
    except (OSError, KeyError, zipfile.BadZipFile):
        return {}
    cells: dict[tuple[int, int], tuple[str, str]] = {}
    for match in _CELL.finditer(data):
        attributes, inner = match.group(3), match.group(4) or b""
        is_error = b't="e"' in attributes
        formula = any(tag in inner for tag in (b"<f>", b"<f ", b"<f/>"))
        if not (is_error or formula):
            continue
        where = (int(match.group(2)), _column_index(match.group(1)))
        if is_error:
            value = _VALUE_TEXT.search(inner)
            cells[where] = (value.group(1).decode("utf-8", "replace") if value else "#", "error")
            continue
        found = _FORMULA_TEXT.search(inner)
        text = "=" + html.unescape(found.group(1).decode("utf-8", "replace")) if found else ""
        cached = b"<v>" in inner or b"<v/>" in inner or b"<is>" in inner
        cells[where] = (text or "(công thức)", "formula" if cached else "uncached")
    return cells


def _check_formulas(path: Path, table: RawTable) -> None:
    """Warn about formula cells read; reject cells that read as empty but are not.

    A formula never computed (written by a program) and an Excel error cell both read as
    empty: they become row problems instead of silently missing values.
    """
    cells = special_cells(path, table.sheet or "")
    if not cells:
        return
    by_position = {p: c for c, p in table.match.positions.items()}
    rows = set(table.source_rows.tolist())
    computed: dict[str, int] = {}
    for (row, position), (text, kind) in sorted(cells.items()):
        column = by_position.get(position)
        if column is None or row not in rows:
            continue
        if kind == "formula":
            computed[column] = computed.get(column, 0) + 1
        else:
            reason = _ERROR_REASON if kind == "error" else _UNCACHED_REASON
            table.cell_problems.append((row, column, text, reason))
    if computed:
        headers = ", ".join(f"«{table.match.headers.get(c, c)}»" for c in computed)
        table.warnings.append(
            f"Có {sum(computed.values())} ô công thức trong các cột {headers}: dùng giá trị "
            "đã tính và lưu trong tệp (giá trị Excel hiển thị lúc lưu tệp)."
        )


def _warn_legacy_values(table: RawTable) -> None:
    found = _legacy_columns(table.columns, table.match)
    if found:
        kinds = " hoặc ".join(sorted({kind for _, kind in found}))
        headers = ", ".join(f"«{header}»" for header, _ in found)
        table.warnings.append(
            f"Giá trị trong các cột {headers} có vẻ dùng bảng mã cũ {kinds} (không phải "
            "Unicode) nên sẽ bị đọc sai. " + _LEGACY_HINT
        )


# --- CSV ------------------------------------------------------------------------------------------


def _decode_head(head: bytes) -> tuple[str, str]:
    """(encoding, decoded head) from the first bytes of a CSV file."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8", head[3:].decode("utf-8", errors="replace")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", head.decode("utf-16", errors="replace")
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        return "utf-8", decoder.decode(head, final=False)
    except UnicodeDecodeError:
        if _mostly_utf8(head):
            return "utf-8-mixed", head.decode("utf-8", errors="replace")
        return "cp1258", head.decode("cp1258", errors="replace")


def _utf16_without_bom(head: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` when text without a BOM has a NUL in every other byte."""
    sample = head[:4096]
    if len(sample) < 8 or b"\x00" not in sample:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.6 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.6 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


_CONTROL = bytes(b for b in range(1, 32) if b not in (9, 10, 11, 12, 13, 26, 27))


def _looks_binary(head: bytes) -> bool:
    """Bytes that are not text: control bytes, or NUL bytes beyond a stray one."""
    sample = head[:4096]
    if not sample:
        return False
    controls = len(sample) - len(sample.translate(None, _CONTROL))
    return controls > 0 or sample.count(0) * 100 > len(sample)


def _decode_all(data: bytes, encoding: str, display: str) -> tuple[bytes, list[str]]:
    """Re-encode a whole non-UTF-8 file as NFC UTF-8 (the rare, slower path)."""
    warnings: list[str] = []
    if encoding.startswith("utf-16"):
        text = data.decode(encoding, errors="replace").removeprefix("\ufeff")
        bom = "" if encoding == "utf-16" else " (không có BOM)"
        warnings.append(f"Tệp {display} được mã hóa UTF-16{bom}, đã chuyển sang UTF-8.")
    elif encoding == "utf-8":
        text = data.decode("utf-8", errors="replace")
        bad = text.count("\ufffd")
        warnings.append(
            f"Tệp {display} có {bad} byte không hợp lệ trong mã UTF-8; các ký tự đó được thay bằng «\ufffd»."
        )
    else:
        text = data.decode("cp1258", errors="replace")
        warnings.append(f"Tệp {display} được mã hóa Windows-1258, đã chuyển sang Unicode.")
    return nfc(text).encode("utf-8"), warnings


def _mostly_utf8(data: bytes) -> bool:
    """Whether text that is not all valid UTF-8 is UTF-8 with some bad lines.

    Lines with non-ASCII text that decode as UTF-8 are counted against the lines that do
    not decode: a Windows-1258 file has (almost) none of the first kind.
    """
    good = bad = 0
    for line in data.split(b"\n"):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            bad += 1
        else:
            good += 1
    return good > 0 and good >= bad


def _head_lines(text: str) -> list[str]:
    lines = text.splitlines()
    return lines[: HEADER_SEARCH_ROWS + 1]


def _sniff(
    lines: list[str], candidates: Sequence[str], settings
) -> tuple[str, _Located | None, list]:
    """(delimiter, located header, parsed head rows) giving the best header match."""
    text = "\n".join(lines)
    # Most frequent delimiter first; stop at the first one giving a complete header.
    order = sorted(_DELIMITERS, key=lambda d: (-text.count(d), _DELIMITERS.index(d)))
    best: tuple[tuple, str, _Located | None, list] | None = None
    for rank, delimiter in enumerate(order):
        if rank and not text.count(delimiter):
            break
        rows = [next(csv.reader([line], delimiter=delimiter), []) for line in lines]
        located = _locate(rows, candidates, settings)
        score = located.ranking.best.score if located and located.ranking.best else (0, 0)
        key = (score, -rank)
        if best is None or key > best[0]:
            best = (key, delimiter, located, rows)
        if score[0]:
            break
    return best[1], best[2], best[3]


_DICTIONARY = pa.dictionary(pa.int32(), pa.large_string())
_DICTIONARY_KINDS = frozenset({"code", "boolean", "int", "float"})
"""Field kinds read from CSV as dictionary-encoded text (few distinct values)."""


def _csv_options(
    names: list[str],
    skip: int,
    delimiter: str,
    include: dict[str, pa.DataType],
    threads: bool,
    newlines: bool,
    handler,
    block_size: int | None = None,
):
    read = pcsv.ReadOptions(skip_rows=skip, column_names=names, use_threads=threads)
    if block_size:
        read.block_size = block_size
    parse = pcsv.ParseOptions(
        delimiter=delimiter,
        ignore_empty_lines=False,
        newlines_in_values=newlines,
        invalid_row_handler=handler,
    )
    convert = pcsv.ConvertOptions(
        column_types=include,
        include_columns=list(include),
        strings_can_be_null=True,
        null_values=[""],
        quoted_strings_can_be_null=True,
    )
    return read, parse, convert


class _InvalidRows:
    """pyarrow invalid-row handler that skips the row and remembers it."""

    def __init__(self) -> None:
        self.rows: list[tuple[int | None, int, int, str]] = []  # number, cells, expected, text

    def __call__(self, row) -> str:
        self.rows.append((row.number, row.actual_columns, row.expected_columns, row.text))
        return "skip"


def _read_csv_table(
    source_factory, names, skip, delimiter, include: dict[str, pa.DataType], block_size=None
):
    """Read with pyarrow; on malformed rows re-read single-threaded to locate them.

    ``include`` gives the columns to read and their type: text, or dictionary-encoded
    text for columns with few distinct values (codes, yes/no, numbers), which the
    reader then encodes in its threads.

    The fast read is multi-threaded and assumes no line break inside quoted values;
    if any row is malformed (or a quoted value spans lines), the file is read again
    single-threaded with quoted line breaks allowed, which also gives the line number
    of each malformed row.
    """
    invalid = _InvalidRows()
    options = _csv_options(names, skip, delimiter, include, True, False, invalid, block_size)
    try:
        table = pcsv.read_csv(source_factory(), *options)
    except pa.ArrowInvalid:
        invalid.rows.append((None, 0, 0, ""))
    if not invalid.rows:
        return table, []
    invalid = _InvalidRows()
    options = _csv_options(names, skip, delimiter, include, False, True, invalid, block_size)
    table = pcsv.read_csv(source_factory(), *options)
    return table, invalid.rows


class _NotUtf8Error(Exception):
    """pyarrow found invalid UTF-8 past the sniffed head of the file."""


@dataclass
class _CsvSource:
    """The bytes pyarrow reads: the file itself (UTF-8) or a re-encoded copy."""

    path: Path
    display: str
    encoding: str = "utf-8"
    payload: bytes | None = None
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def open(cls, path: Path, display: str) -> tuple[_CsvSource, str]:
        """The source and the decoded head of the file (for sniffing)."""
        if path.stat().st_size == 0:
            raise InputFileError("Tệp rỗng (0 byte).", file=display, hint=EMPTY_FILE_HINT)
        with path.open("rb") as handle:
            head = handle.read(_HEAD_BYTES)
        bom = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
        utf16 = None if bom else _utf16_without_bom(head)
        if not bom and utf16 is None and _looks_binary(head):
            raise InputFileError(
                "Tệp không phải văn bản CSV (có byte nhị phân).",
                file=display,
                hint="Kiểm tra đuôi tệp: có thể đây là tệp Excel bị đổi tên thành .csv.",
            )
        if utf16 is not None:
            source = cls(path, display, utf16)
            source.reencode(utf16)
            return source, source.payload[:_HEAD_BYTES].decode("utf-8", errors="ignore")
        encoding, head_text = _decode_head(head)
        source = cls(path, display, encoding)
        if encoding == "utf-8-mixed":
            source.split_bad_lines()
            head_text = source.payload[:_HEAD_BYTES].decode("utf-8", errors="ignore")
        elif encoding != "utf-8":
            source.reencode(encoding)
            head_text = source.payload[:_HEAD_BYTES].decode("utf-8", errors="ignore")
        return source, head_text

    bad_lines: list[int] = field(default_factory=list)
    """Lines (1-based) that are not valid UTF-8 in a file that otherwise is."""

    def reencode(self, encoding: str) -> None:
        """Decode the whole file from ``encoding``; pyarrow then reads NFC UTF-8."""
        self.payload, notes = _decode_all(self.path.read_bytes(), encoding, self.display)
        self.encoding = encoding
        self.warnings.extend(notes)

    def split_bad_lines(self) -> None:
        """A UTF-8 file with some lines in another encoding (Windows-1258...).

        The good lines are kept as they are; each bad line is decoded with replacement
        characters (so that the columns still line up) and remembered, to be rejected
        as a row with its line number.
        """
        data = self.path.read_bytes()
        lines = data.split(b"\n")
        out = []
        for number, line in enumerate(lines, start=1):
            try:
                out.append(line.decode("utf-8"))
            except UnicodeDecodeError:
                self.bad_lines.append(number)
                out.append(line.decode("utf-8", errors="replace"))
        self.payload = nfc("\n".join(out)).encode("utf-8")
        self.encoding = "utf-8"
        self.warnings.append(
            f"Tệp {self.display} là UTF-8 nhưng có {len(self.bad_lines)} dòng không đúng mã "
            "UTF-8 (có thể là Windows-1258): các dòng đó bị loại, các dòng khác được giữ."
        )

    def text(self) -> str:
        """The whole file as text (small files only: a 766 score sheet)."""
        if self.payload is not None:
            return self.payload.decode("utf-8", errors="replace")
        return nfc(self.path.read_bytes().decode("utf-8-sig", errors="replace"))

    def stream(self):
        """A fresh pyarrow input stream."""
        if self.payload is not None:
            return pa.BufferReader(self.payload)
        return pa.memory_map(str(self.path))


def _read_csv(path: Path, display: str, candidates: Sequence[str], settings) -> RawTable:
    source, head_text = _CsvSource.open(path, display)
    lines = _head_lines(head_text)
    if not any(line.strip() for line in lines):
        raise InputFileError(
            "Tệp CSV không có dòng tiêu đề (tệp trống).", file=display, hint=EMPTY_FILE_HINT
        )
    delimiter, located, head_rows = _sniff(lines, candidates, settings)
    best = located.ranking.best if located is not None else None
    if "index766" in candidates and (best is None or not best.complete):
        wide = _csv_wide(lines, settings)
        if wide is not None:
            rows = list(csv.reader(io.StringIO(source.text()), delimiter=wide))
            table = _read_wide(path, display, path.suffix.lower().lstrip("."), None, rows, settings)
            table.warnings[:0] = source.warnings
            table.encoding = source.encoding
            return table
    header_cells = head_rows[located.row] if located else (head_rows[0] if head_rows else [])
    match = _resolve(located, candidates, display, settings, header_cells)
    names = [f"c{i}" for i in range(len(header_cells))]
    fields = dataset_fields(match.dataset)
    include = {
        names[p]: _DICTIONARY if fields[c].kind in _DICTIONARY_KINDS else pa.large_string()
        for c, p in sorted(match.positions.items(), key=lambda item: item[1])
    }

    block_size: list[int | None] = [None]
    numbering = _csv_numbering_row(head_rows, located)

    def read(columns: dict[str, pa.DataType]):
        skip = located.row + 1 + numbering
        try:
            return _read_csv_table(source.stream, names, skip, delimiter, columns, block_size[0])
        except pa.ArrowInvalid as exc:
            if source.payload is None and "UTF8" in str(exc).upper():
                raise _NotUtf8Error from exc
            if "straddl" in str(exc) and block_size[0] is None:
                # A field of several MB: one block must hold a whole line.
                size = len(source.payload) if source.payload is not None else path.stat().st_size
                block_size[0] = min(max(size + 1, 1 << 20), (1 << 31) - 1)
                return read(columns)
            raise InputFileError(
                "Không đọc được tệp CSV (cấu trúc không hợp lệ).", file=display, hint=str(exc)
            ) from exc

    try:
        table, invalid = read(include)
    except _NotUtf8Error:
        if _mostly_utf8(path.read_bytes()):
            source.split_bad_lines()
        else:
            source.reencode("cp1258")
        table, invalid = read(include)
    header_row = located.row + 1
    source_rows, bad_rows = _csv_row_numbers(table.num_rows, invalid, header_row + numbering)
    # blank rows first: their check may re-read other columns at the table's full length
    table, source_rows = _drop_blank_rows(table, source_rows, include, names, read)
    if source.bad_lines:
        table, source_rows, bad_rows = _drop_bad_lines(table, source_rows, bad_rows, source)
    tail = _CsvTail(source, path, names, include, match, delimiter, invalid, header_row + numbering)
    table, source_rows, bad_rows, footers = _cut_csv_footer(
        table, source_rows, bad_rows, tail, lambda: read(_rest_columns(names, include))
    )
    check_nfc = source.payload is None  # a re-encoded copy is already NFC
    text = _text_columns(match)
    columns = {
        column: cells_from_arrow(
            table.column(names[position]), check_nfc, full=column in text, no_empty=True
        )
        for column, position in match.positions.items()
    }
    raw = RawTable(
        display,
        path.suffix.lower().lstrip("."),
        None,
        header_row,
        match,
        source_rows,
        columns,
        bad_rows,
        [
            *source.warnings,
            *_two_row_note(located),
            *_header_warnings(match),
            *_csv_unnamed_note(head_rows, located, header_cells),
            *_csv_numbering_note(numbering, header_row),
            *_footer_note(footers),
        ],
        source.encoding,
        footers=footers,
    )
    _find_nul_rows(raw, path, source)
    _warn_legacy_values(raw)
    return raw


def _csv_wide(lines: list[str], settings) -> str | None:
    """The delimiter of a wide 766 score sheet saved as CSV, or ``None`` if it is not one."""
    from tthc_analysis.loading.wide766 import locate_wide

    text = "\n".join(lines)
    best: tuple[int, str] | None = None
    for delimiter in sorted(_DELIMITERS, key=lambda d: -text.count(d)):
        if not text.count(delimiter):
            break
        layout = locate_wide(
            [next(csv.reader([line], delimiter=delimiter), []) for line in lines], settings
        )
        if layout is not None and (best is None or len(layout.groups) > best[0]):
            best = (len(layout.groups), delimiter)
    return best[1] if best else None


def _csv_numbering_row(head_rows: list, located: _Located | None) -> int:
    """1 when the line under the header numbers the columns (``(1), (2)…``), else 0."""
    if located is None:
        return 0
    below = located.row + 1
    return int(below < len(head_rows) and _numbering_row(head_rows[below]))


def _csv_numbering_note(numbering: int, header_row: int) -> list[str]:
    if not numbering:
        return []
    return [f"Bỏ qua dòng {header_row + 1}: dòng đánh số cột (1, 2, 3…)."]


def _rest_columns(names: list[str], include: dict) -> dict[str, pa.DataType]:
    return {n: pa.large_string() for n in names if n not in include}


_TAIL_BYTES = 1 << 13
"""Bytes at the end of a CSV file searched for a footer word before any row is looked at
(a total row and a signature block take far less)."""
_FOOTER_WORDS = (
    *_FOOTER_MARKERS,
    "tổng cộng",
    "tổng số",
    "cộng:",
    "người lập",
    "người ký",
    "ghi rõ họ tên",
    "ký, họ tên",
    "thủ trưởng",
    "lãnh đạo đơn vị",
    "xác nhận của",
    "giám đốc",
    "nơi nhận:",
)
"""Lower-case words whose presence at the end of a CSV file calls for the footer check
(:data:`_FOOTER_MARKERS` are the same without diacritics)."""
_DATE_LINE = re.compile(r",\s*(?:ngày|ngay)\b.{0,12}\b(?:tháng|thang)\b.{0,12}\b(?:năm|nam)\b")
_LONE_TOTAL = re.compile(
    r"(?:^|[,;\t|\"])[ ]*(?:cộng|tổng|cong|tong)[ ]*(?:[,;\t|\"]|$)", re.MULTILINE
)


@dataclass
class _CsvTail:
    """What :func:`_cut_csv_footer` needs to know about a CSV file being read."""

    source: _CsvSource
    path: Path
    names: list[str]
    include: dict[str, pa.DataType]
    match: HeaderMatch
    delimiter: str
    invalid: list
    base: int  # row number before the first data row (the header, or the numbering row)

    def may_have_footer(self) -> bool:
        """Whether the last bytes of the file hold a footer word (a cheap first test)."""
        if self.source.payload is not None:
            data = self.source.payload[-_TAIL_BYTES:]
        else:
            with self.path.open("rb") as handle:
                size = handle.seek(0, 2)
                handle.seek(max(0, size - _TAIL_BYTES))
                data = handle.read()
        # NFC and lower case only (C speed): the words are looked for with and without
        # their diacritics, so no per-character folding
        key = unicodedata.normalize("NFC", data.decode("utf-8", errors="ignore")).lower()
        if any(word in key for word in _FOOTER_WORDS) or _LONE_TOTAL.search(key):
            return True
        return _DATE_LINE.search(key) is not None


def _cut_csv_footer(
    table: pa.Table, source_rows: np.ndarray, bad_rows: list, tail: _CsvTail, read_rest
) -> tuple[pa.Table, np.ndarray, list, list[tuple[int, str]]]:
    """Leave out the footer of a CSV table (total row, signature block), as in a workbook.

    Only the last :data:`FOOTER_SCAN_ROWS` records (rows read and rows that could not be
    split into cells) are looked at, and only when the end of the file holds a footer
    word; the columns not read are then read for those rows.

    Returns:
        (table, row numbers, malformed rows) without the footer, and the footer lines as
        (row number, marker).
    """
    n = table.num_rows
    if not (n or bad_rows) or not tail.may_have_footer():
        return table, source_rows, bad_rows, []
    first = max(0, n - FOOTER_SCAN_ROWS)
    width = len(tail.names)
    position = {name: p for p, name in enumerate(tail.names)}
    rows: dict[int, list] = {int(r): [None] * width for r in source_rows[first:]}
    numbers = list(rows)
    for name in tail.include:
        for number, value in zip(numbers, table.column(name).slice(first).to_pylist(), strict=True):
            rows[number][position[name]] = value
    rest = [name for name in tail.names if name not in tail.include]
    if rest and numbers:
        others, invalid = read_rest()
        all_rows, _ = _csv_row_numbers(others.num_rows, invalid, tail.base)
        at = np.searchsorted(all_rows, numbers)
        for name in rest:
            values = others.column(name).take(pa.array(at)).to_pylist()
            for number, value in zip(numbers, values, strict=True):
                rows[number][position[name]] = value
    texts = {number: text for number, *_, text in tail.invalid if number is not None}
    floor = numbers[0] if numbers and first else 0
    for number, _ in bad_rows:
        if number >= floor:
            rows[number] = next(csv.reader([texts.get(number, "")], delimiter=tail.delimiter), [])
    ordered = sorted(rows)[-FOOTER_SCAN_ROWS:]
    fields = dataset_fields(tail.match.dataset)
    required = [p for c, p in tail.match.positions.items() if fields[c].required]
    for k, number in enumerate(ordered):
        marker = _footer_marker(rows[number], required)
        if marker is None:
            continue
        footers = [(number, marker)] + [(r, "(dòng dưới bảng)") for r in ordered[k + 1 :]]
        keep = source_rows < number
        table = table.slice(0, int(keep.sum()))
        bad_rows = [(r, reason) for r, reason in bad_rows if r < number]
        return table, source_rows[keep], bad_rows, footers
    return table, source_rows, bad_rows, []


def _drop_bad_lines(table: pa.Table, source_rows: np.ndarray, bad_rows: list, source):
    """Reject the lines of a UTF-8 file that were not UTF-8 (kept apart by row number)."""
    bad = np.isin(source_rows, source.bad_lines)
    reason = (
        "Dòng không đúng mã UTF-8 như phần còn lại của tệp (có thể gõ bằng bảng mã "
        "Windows-1258 hoặc TCVN3): sửa dòng này trong tệp rồi nạp lại"
    )
    rows = sorted([*bad_rows, *((int(r), reason) for r in source_rows[bad])])
    return table.filter(pa.array(~bad)), source_rows[~bad], rows


def _find_nul_rows(raw: RawTable, path: Path, source) -> None:
    """Rows with a NUL byte in a matched column (the file is searched first, at memchr speed)."""
    if source.payload is not None:
        found = b"\x00" in source.payload
    else:
        import mmap

        with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as m:
            found = m.find(b"\x00") >= 0
    if not found:
        return
    rows: set[int] = set()
    for cells in raw.columns.values():
        if cells.text is None:
            continue
        text = cells.text
        if pa.types.is_dictionary(text.type):
            text = text.cast(pa.large_string())
        hit = pc.fill_null(pc.match_substring(text, "\x00"), False)
        mask = np.asarray(hit.to_numpy(zero_copy_only=False), dtype=bool)
        rows.update(raw.source_rows[mask].tolist())
    raw.nul_rows = sorted(rows)


def _csv_unnamed_note(head_rows: list, located: _Located, header_cells) -> list[str]:
    """Warn about columns without a header that hold data in the first lines read."""
    header = header_cells
    if located.cells is not None:
        header = located.cells
    sample = head_rows[located.row + 1 :]
    filled = {
        p
        for p in _unnamed_positions(header)
        for row in sample
        if p < len(row) and str(row[p]).strip()
    }
    return _unnamed_note(sorted(filled), spreadsheet=False)


def _drop_blank_rows(table: pa.Table, source_rows: np.ndarray, include, names, read):
    """Drop rows that are empty in every column (the other columns are read if needed)."""
    blank = _blank_rows(table, include)
    if blank is None or not blank.any():
        return table, source_rows
    rest = [n for n in names if n not in include]
    if rest:
        others, _ = read(dict.fromkeys(rest, pa.large_string()))
        blank &= _blank_rows(others, rest, all_rows=True)
    if not blank.any():
        return table, source_rows
    return table.filter(pa.array(~blank)), source_rows[~blank]


def _blank_rows(table: pa.Table, columns: list[str], all_rows: bool = False) -> np.ndarray | None:
    """Rows whose given columns are all null (``None`` if no row is)."""
    mask = np.ones(table.num_rows, dtype=bool)
    for name in columns:
        column = table.column(name)
        if column.null_count == 0:
            return None if not all_rows else np.zeros(table.num_rows, dtype=bool)
        mask &= ~pc.is_valid(column).to_numpy(zero_copy_only=False)
    return mask


def _csv_row_numbers(
    n: int, invalid: list[tuple[int | None, int, int, str]], header_row: int
) -> tuple[np.ndarray, list[tuple[int, str]]]:
    """Row number of each record read, and the malformed rows (row number, reason)."""
    if not invalid:
        return np.arange(n, dtype=np.int64) + header_row + 1, []
    bad_numbers = sorted({number for number, *_ in invalid if number is not None})
    reasons = {
        number: f"Dòng có {actual} ô nhưng tiêu đề có {expected} cột (thừa/thiếu dấu phân cách hoặc dấu ngoặc kép)"
        for number, actual, expected, *_ in invalid
        if number is not None
    }
    total = n + len(bad_numbers)
    numbers = np.arange(total, dtype=np.int64) + header_row + 1
    keep = ~np.isin(numbers, bad_numbers)
    return numbers[keep][:n], [(b, reasons[b]) for b in bad_numbers]


# --- Parquet ------------------------------------------------------------------------------------


def _read_parquet(path: Path, display: str, candidates: Sequence[str], settings) -> RawTable:
    try:
        parquet = pq.ParquetFile(str(path))
        names = parquet.schema_arrow.names
    except (pa.ArrowException, OSError) as exc:
        raise InputFileError(
            "Không đọc được tệp Parquet (tệp hỏng hoặc không phải Parquet).",
            file=display,
            hint=str(exc),
        ) from exc
    ranking = rank_datasets(names, candidates, settings)
    located = _Located(0, ranking) if ranking.best is not None else None
    match = _resolve(located, candidates, display, settings, names)
    used = sorted(set(match.positions.values()))
    try:
        table = parquet.read(columns=[names[p] for p in used])
    except (pa.ArrowException, OSError) as exc:
        raise InputFileError(
            "Không đọc được dữ liệu trong tệp Parquet.", file=display, hint=str(exc)
        ) from exc
    columns = {c: cells_from_arrow(table.column(names[p])) for c, p in match.positions.items()}
    source_rows = np.arange(table.num_rows, dtype=np.int64) + 2
    raw = RawTable(
        display, "parquet", None, 1, match, source_rows, columns, warnings=_header_warnings(match)
    )
    _warn_legacy_values(raw)
    return raw


# --- Entry point --------------------------------------------------------------------------------


def read_raw(
    path: str | Path,
    display: str | None = None,
    dataset: str | None = None,
    settings: Settings | None = None,
) -> RawTable:
    """Read one raw file: locate the header, recognise the dataset, split the cells.

    Args:
        path: The file.
        display: Name shown in messages (default: the file name).
        dataset: The dataset if known (e.g. from the folder); ``None`` recognises it
            from the headers.
        settings: For the user's header aliases.

    Raises:
        InputFileError: unreadable, empty or corrupt file; unknown or ambiguous dataset;
            missing required column (the message names the file, the column and every
            accepted header).
    """
    path = Path(path)
    display = display or path.name
    if dataset is not None and dataset not in DATASETS:
        raise ValueError(f"unknown dataset {dataset!r}")
    candidates = [dataset] if dataset else list(DATASETS)
    if not path.is_file():
        raise InputFileError("Không tìm thấy tệp.", file=display)
    suffix = path.suffix.lower()
    try:
        if suffix in SPREADSHEET_SUFFIXES:
            if path.stat().st_size == 0:
                raise InputFileError("Tệp rỗng (0 byte).", file=display, hint=EMPTY_FILE_HINT)
            return _read_spreadsheet(path, display, candidates, settings)
        if suffix in CSV_SUFFIXES:
            return _read_csv(path, display, candidates, settings)
        if suffix in PARQUET_SUFFIXES:
            return _read_parquet(path, display, candidates, settings)
    except PermissionError as exc:
        raise InputFileError("Không có quyền đọc tệp.", file=display) from exc
    raise InputFileError(
        f"Định dạng tệp {suffix or '(không có đuôi)'} không được hỗ trợ.",
        file=display,
        hint="Dùng .xlsx, .xls, .ods, .csv hoặc .parquet.",
    )
