"""Plan tables in spreadsheets (.xlsx, .xls, .ods) and CSV files.

Two layouts are accepted, found by their header row:

- the **tidy layout** (the bundled ``data/plan/plan_2025.csv``): one row per task with
  the columns of :data:`~tthc_analysis.plan.model.PLAN_TASK_COLUMNS` (English names or
  their Vietnamese labels). ``cadence`` and ``deadline`` may be left blank, and are then
  read from ``timeframe_text``; when given they are kept (a reviewer's override).
- the **document layout**: the official table (STT, Nội dung công việc, ...), section
  rows with a Roman numeral in STT, continuation rows with an empty STT; the rows above
  the header give the document's identity.

A sidecar ``<name>_meta.json`` next to the file, when present, gives the
:class:`~tthc_analysis.plan.model.PlanMeta` (it wins over what the sheet says).
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime
from pathlib import Path

from python_calamine import CalamineWorkbook

from tthc_analysis.errors import PlanFormatError
from tthc_analysis.plan.build import build_plan
from tthc_analysis.plan.meta import parse_meta
from tthc_analysis.plan.model import CADENCES, Plan, PlanMeta, roman_to_int
from tthc_analysis.plan.rows import (
    FIELDS,
    RawSection,
    RawTask,
    clean_cell,
    header_columns,
    read_rows,
)
from tthc_analysis.plan.timeframe import CADENCE_LABELS_VI
from tthc_analysis.text import fold_ascii
from tthc_analysis.xlsx import unprotect_csv_cell

__all__ = ["CSV_SUFFIXES", "SHEET_SUFFIXES", "meta_path", "parse_table_plan", "read_meta"]

SHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
CSV_SUFFIXES = (".csv",)

_TIDY_HEADERS: dict[str, tuple[str, ...]] = {
    "task_id": ("task_id", "ma nhiem vu", "ma nv"),
    "section_id": ("section_id", "muc", "ma muc"),
    "section_title": ("section_title", "ten muc", "tieu de muc"),
    "task_no": ("task_no", "so thu tu nhiem vu"),
    "content": ("content", "noi dung", "noi dung cong viec"),
    "lead_unit": ("lead_unit", "don vi chu tri", "chu tri"),
    "partner_units": ("partner_units", "don vi phoi hop", "phoi hop"),
    "timeframe_text": ("timeframe_text", "thoi gian thuc hien", "thoi gian"),
    "cadence": ("cadence", "ky theo doi", "tan suat"),
    "deadline": ("deadline", "han hoan thanh", "han"),
    "expected_output": ("expected_output", "san pham du kien hoan thanh", "san pham"),
}
_TIDY_OF = {alias: name for name, aliases in _TIDY_HEADERS.items() for alias in aliases}
_CADENCE_OF = {fold_ascii(label): code for code, label in CADENCE_LABELS_VI.items()}
_CADENCE_OF.update({code: code for code in CADENCES})
_TASK_ID = re.compile(r"([IVXLCDM]+)\.(\d{1,3})")


def meta_path(path: str | Path) -> Path:
    """The sidecar meta file of a plan table: ``plan_2025.csv`` -> ``plan_2025_meta.json``."""
    path = Path(path)
    return path.with_name(f"{path.stem}_meta.json")


def read_meta(path: str | Path) -> PlanMeta:
    """Read a :class:`PlanMeta` JSON file."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as exc:
        raise PlanFormatError("Không đọc được tệp thông tin kế hoạch (JSON).", file=path) from exc
    if not isinstance(data, dict):
        raise PlanFormatError("Tệp thông tin kế hoạch phải là một đối tượng JSON.", file=path)
    return PlanMeta.from_dict(data, file=path)


def _to_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _sheet_rows(path: Path) -> list[tuple[int, list[str]]]:
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheets = [
            workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for name in workbook.sheet_names
        ]
    except Exception as exc:  # calamine raises several error types for unreadable files
        raise PlanFormatError(
            "Không đọc được tệp bảng tính kế hoạch.", file=path, hint=str(exc)
        ) from exc
    numbered = [[(i, [_to_text(v) for v in row]) for i, row in enumerate(s, 1)] for s in sheets]
    for rows in numbered:
        if _find_header(rows) is not None:
            return rows
    return numbered[0] if numbered else []


def _csv_rows(path: Path) -> list[tuple[int, list[str]]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise PlanFormatError("Không đọc được tệp kế hoạch.", file=path) from exc
    except UnicodeDecodeError as exc:
        raise PlanFormatError(
            "Tệp CSV kế hoạch không phải UTF-8.", file=path, hint="Lưu lại tệp với bảng mã UTF-8."
        ) from exc
    candidates = []
    for delimiter in (",", ";", "\t"):
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        # Cells protected against formula injection ('=...) are read back as written.
        rows = [(i, [unprotect_csv_cell(c) for c in row]) for i, row in enumerate(reader, 1)]
        if _find_header(rows) is not None:
            return rows
        candidates.append(rows)
    return candidates[0]


def _tidy_map(cells: list[str]) -> dict[str, int] | None:
    mapping: dict[str, int] = {}
    for i, cell in enumerate(cells):
        name = _TIDY_OF.get(fold_ascii(clean_cell(cell)).strip(" .:"))
        if name and name not in mapping:
            mapping[name] = i
    if "task_id" in mapping or {"section_id", "task_no"} <= set(mapping):
        return mapping
    return None


def _find_header(rows: list[tuple[int, list[str]]]) -> tuple[str, int] | None:
    for index, (_, cells) in enumerate(rows):
        if _tidy_map(cells) is not None:
            return "tidy", index
        if header_columns(cells) is not None:
            return "document", index
    return None


def _parse_deadline(text: str, file: Path, row: int) -> date | None:
    if not text:
        return None
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
        if (m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)) is not None:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        pass
    raise PlanFormatError(
        f"Hạn hoàn thành «{text}» không phải ngày hợp lệ.",
        file=file,
        row=row,
        column="deadline",
        hint="Ghi ngày theo dạng yyyy-mm-dd hoặc dd/mm/yyyy, hoặc để trống.",
    )


class _TidyReader:
    def __init__(self, path: Path, mapping: dict[str, int]) -> None:
        self.path = path
        self.mapping = mapping
        self.sections: dict[str, RawSection] = {}
        self.tasks: list[RawTask] = []
        self.seen: dict[str, int] = {}
        self.warnings: list[str] = []

    def error(self, message: str, row: int, column: str | None = None) -> PlanFormatError:
        return PlanFormatError(message, file=self.path, row=row, column=column)

    def get(self, cells: list[str], name: str) -> str:
        i = self.mapping.get(name)
        return clean_cell(cells[i]) if i is not None and i < len(cells) else ""

    def task_key(self, row: int, cells: list[str]) -> tuple[str, int]:
        task_id, section_id, task_no = (
            self.get(cells, n) for n in ("task_id", "section_id", "task_no")
        )
        if task_id:
            m = _TASK_ID.fullmatch(task_id)
            if m is None or roman_to_int(m.group(1)) is None:
                raise self.error(
                    f"Mã nhiệm vụ «{task_id}» không đúng dạng «mục La Mã.số» (ví dụ I.1).",
                    row,
                    "task_id",
                )
            if section_id and section_id != m.group(1):
                raise self.error(f"Mã nhiệm vụ {task_id} không thuộc mục {section_id}.", row)
            if task_no and task_no != m.group(2).lstrip("0"):
                raise self.error(f"Mã nhiệm vụ {task_id} không khớp số thứ tự {task_no}.", row)
            return m.group(1), int(m.group(2))
        if roman_to_int(section_id) is None or not task_no.isdigit():
            raise self.error(f"Thiếu mã nhiệm vụ (mục «{section_id}», số «{task_no}»).", row)
        return section_id, int(task_no)

    def cadence(self, row: int, cells: list[str]) -> tuple[str | None, date | None]:
        text = self.get(cells, "cadence")
        deadline = _parse_deadline(self.get(cells, "deadline"), self.path, row)
        if not text:
            if deadline is not None:
                raise self.error("Có hạn hoàn thành nhưng cột cadence để trống.", row, "cadence")
            return None, None
        code = _CADENCE_OF.get(fold_ascii(text))
        if code is None:
            raise self.error(
                f"Kỳ theo dõi «{text}» không hợp lệ (dùng một trong: {', '.join(CADENCES)}).",
                row,
                "cadence",
            )
        if (code == "deadline") != (deadline is not None):
            raise self.error(
                "Cadence «deadline» cần có hạn hoàn thành, và chỉ cadence này có hạn.",
                row,
                "deadline",
            )
        return code, deadline

    def add(self, row: int, cells: list[str]) -> None:
        section_id, task_no = self.task_key(row, cells)
        title = self.get(cells, "section_title")
        if section_id not in self.sections:
            if not title:
                raise self.error(f"Mục {section_id} chưa có tên (cột section_title).", row)
            self.sections[section_id] = RawSection(section_id, title, row)
        elif title and title != self.sections[section_id].title:
            first = self.sections[section_id].row
            self.warnings.append(
                f"Dòng {row}: mục {section_id} có tên khác với dòng {first}; dùng tên ở dòng {first}."
            )
        task_id = f"{section_id}.{task_no}"
        if task_id in self.seen:
            raise self.error(
                f"Trùng mã nhiệm vụ «{task_id}» (đã có ở dòng {self.seen[task_id]}).",
                row,
            )
        values = {name: self.get(cells, name) for name in FIELDS}
        if not values["content"]:
            raise self.error(f"Nhiệm vụ {task_id} không có nội dung.", row, "content")
        cadence, deadline = self.cadence(row, cells)
        self.seen[task_id] = row
        self.tasks.append(RawTask(section_id, task_no, values, row, [row], cadence, deadline))


def _year_from_name(path: Path) -> int | None:
    m = re.search(r"(?<!\d)(20\d{2})(?!\d)", path.stem)
    return int(m.group(1)) if m else None


def _tidy_plan(path: Path, rows: list[tuple[int, list[str]]], index: int) -> Plan:
    header_row, header = rows[index]
    mapping = _tidy_map(header) or {}
    for name in ("content", "section_title"):
        if name not in mapping:
            raise PlanFormatError(
                f"Bảng kế hoạch thiếu cột «{name}».", file=path, row=header_row, column=name
            )
    reader = _TidyReader(path, mapping)
    for row, cells in rows[index + 1 :]:
        if any(clean_cell(c) for c in cells):
            reader.add(row, cells)
    if not reader.tasks:
        raise PlanFormatError("Bảng kế hoạch không có nhiệm vụ nào.", file=path, row=header_row)
    sidecar = meta_path(path)
    if sidecar.exists():
        meta = read_meta(sidecar)
    else:
        meta = PlanMeta(year=_year_from_name(path))
        reader.warnings.append(
            f"Không có tệp thông tin kế hoạch {sidecar.name}; năm kế hoạch lấy theo tên tệp: "
            f"{meta.year or 'không rõ'}."
        )
    return build_plan(list(reader.sections.values()), reader.tasks, meta, reader.warnings, path)


def parse_table_plan(path: str | Path) -> Plan:
    """Parse a plan table (.xlsx/.xls/.ods or .csv) in the tidy or the document layout."""
    path = Path(path)
    rows = _sheet_rows(path) if path.suffix.lower() in SHEET_SUFFIXES else _csv_rows(path)
    found = _find_header(rows)
    if found is None:
        raise PlanFormatError(
            f"Không tìm thấy bảng kế hoạch (đã đọc {len(rows)} dòng, không có dòng tiêu đề "
            "có cột «task_id» hoặc các cột «STT», «Nội dung công việc»).",
            file=path,
        )
    layout, index = found
    if layout == "tidy":
        return _tidy_plan(path, rows, index)
    table = read_rows(rows, file=path)
    meta, meta_warnings = parse_meta(table.before, table.parts)
    if meta_path(path).exists():
        meta, meta_warnings = read_meta(meta_path(path)), []
    return build_plan(
        table.sections, table.tasks, meta, [*table.warnings, *meta_warnings], source=path
    )
