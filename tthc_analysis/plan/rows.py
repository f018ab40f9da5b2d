"""The plan table in the official document layout, read row by row.

The same reader serves the text layout (one line per row, cells separated by tabs) and
the document layout saved as a spreadsheet (one sheet row per row). The table starts at
a header row ("STT", "Nội dung công việc", "Đơn vị chủ trì", ...). After it:

- a section row has a Roman numeral in the STT column ("I", "<b>VII</b>") and its title
  in the content column;
- a task row has a number in the STT column ("1", "2.");
- a continuation row has an empty STT column (in the text layout: a line starting with a
  tab, usually after a page break); each non-empty cell continues the same column of the
  row above, joined with a single space;
- blank rows are skipped; a part heading ("B. ...") is recorded; a repeated header row
  is skipped; other text between rows is reported as a warning.

Cells are normalised to NFC, inline markup (``<b>``, ``**``) is removed and whitespace is
collapsed; the words themselves are kept exactly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from tthc_analysis.errors import PlanFormatError
from tthc_analysis.plan.model import roman_to_int
from tthc_analysis.text import fold_ascii, nfc

__all__ = [
    "FIELDS",
    "RawSection",
    "RawTable",
    "RawTask",
    "clean_cell",
    "header_columns",
    "read_rows",
]

FIELDS = ("content", "lead_unit", "partner_units", "timeframe_text", "expected_output")
"""Task fields read from the table, in the document's column order."""

_HEADERS: dict[str, tuple[str, ...]] = {
    "no": ("stt", "tt", "so tt", "so thu tu"),
    "content": (
        "noi dung cong viec",
        "noi dung",
        "noi dung nhiem vu",
        "nhiem vu",
        "noi dung thuc hien",
    ),
    "lead_unit": (
        "don vi chu tri",
        "chu tri",
        "don vi chu tri thuc hien",
        "co quan chu tri",
        "don vi thuc hien",
    ),
    "partner_units": ("don vi phoi hop", "phoi hop", "co quan phoi hop"),
    "timeframe_text": (
        "thoi gian thuc hien",
        "thoi gian",
        "thoi han",
        "thoi gian hoan thanh",
        "thoi han hoan thanh",
    ),
    "expected_output": (
        "san pham du kien hoan thanh",
        "san pham du kien",
        "san pham",
        "ket qua du kien",
        "san pham dau ra",
    ),
}
_HEADER_OF = {alias: name for name, aliases in _HEADERS.items() for alias in aliases}
_HEADER_VI = {
    "content": "Nội dung công việc",
    "lead_unit": "Đơn vị chủ trì",
    "partner_units": "Đơn vị phối hợp",
    "timeframe_text": "Thời gian thực hiện",
    "expected_output": "Sản phẩm dự kiến hoàn thành",
}
_TAG = re.compile(r"<\s*/?\s*([a-z]+)\b[^>]*>", re.IGNORECASE)
_PART = re.compile(r"[A-ZĐ]\.\s+\S.*")


@dataclass
class RawSection:
    """A section row: Roman id, title, source row."""

    section_id: str
    title: str
    row: int


@dataclass
class RawTask:
    """A task as read, before units and timeframe are interpreted.

    ``cadence``/``deadline`` are set only by readers of tidy tables that state them.
    """

    section_id: str
    task_no: int
    values: dict[str, str]
    row: int
    rows: list[int] = field(default_factory=list)
    cadence: str | None = None
    deadline: date | None = None

    @property
    def task_id(self) -> str:
        """The task id, e.g. ``"I.5"``."""
        return f"{self.section_id}.{self.task_no}"


@dataclass
class RawTable:
    """What :func:`read_rows` found."""

    sections: list[RawSection]
    tasks: list[RawTask]
    before: list[tuple[int, str]]
    parts: list[str]
    warnings: list[str]
    header_row: int


def clean_cell(value: object) -> str:
    """Normalise one cell: NFC, markup removed, whitespace collapsed and trimmed."""
    if value is None:
        return ""
    text = nfc(str(value))
    text = _TAG.sub(lambda m: " " if m.group(1).lower() == "br" else "", text)
    text = text.replace("**", "")
    return " ".join(text.split())


def header_columns(cells: list[str]) -> dict[str, int] | None:
    """Map the plan table's header row to column positions, or ``None`` if not a header.

    A header starts with "STT" and has a content column ("Nội dung công việc"); the
    map's keys are ``"no"`` and the names of :data:`FIELDS` found.
    """
    names = [_HEADER_OF.get(fold_ascii(clean_cell(c)).strip(" .:")) for c in cells]
    if not names or names[0] != "no" or "content" not in names:
        return None
    mapping: dict[str, int] = {}
    for i, name in enumerate(names):
        if name and name not in mapping:
            mapping[name] = i
    return mapping


def _numbering(cell: str) -> tuple[str, int] | None:
    token = cell.strip().rstrip(".").strip()
    if re.fullmatch(r"\d{1,3}", token):
        return "task", int(token)
    value = roman_to_int(token)
    if value is not None:
        return "section", value
    return None


class _Reader:
    def __init__(self, file: str | Path | None) -> None:
        self.file = file
        self.sections: list[RawSection] = []
        self.tasks: list[RawTask] = []
        self.parts: list[str] = []
        self.warnings: list[str] = []
        self.seen_sections: dict[str, int] = {}
        self.seen_tasks: dict[str, int] = {}
        self.stray: list[tuple[int, str]] = []
        self.last: RawSection | RawTask | None = None
        self.header: dict[str, int] = {}
        self.header_row = 0
        self.ncols = 0

    def error(self, message: str, row: int, hint: str | None = None) -> PlanFormatError:
        return PlanFormatError(message, file=self.file, row=row, hint=hint)

    def set_header(self, row: int, cells: list[str], mapping: dict[str, int]) -> None:
        self.header, self.header_row = mapping, row
        while cells and not clean_cell(cells[-1]):
            cells = cells[:-1]
        self.ncols = len(cells)
        for name, label in _HEADER_VI.items():
            if name not in mapping:
                self.warnings.append(
                    f"Dòng {row}: bảng kế hoạch không có cột «{label}»; giá trị để trống."
                )
        known = set(mapping.values())
        for i, cell in enumerate(cells):
            if i not in known and clean_cell(cell):
                self.warnings.append(
                    f"Dòng {row}: cột «{clean_cell(cell)}» không thuộc mẫu kế hoạch, bỏ qua."
                )

    def check_width(self, row: int, cells: list[str]) -> None:
        extra = [c for c in cells[self.ncols :] if clean_cell(c)]
        if extra:
            n = max(i for i, c in enumerate(cells) if clean_cell(c)) + 1
            raise self.error(
                f"Dòng này có {n} cột, nhiều hơn {self.ncols} cột của bảng kế hoạch "
                f"(dòng tiêu đề ở dòng {self.header_row}).",
                row,
                hint="Kiểm tra dấu tab thừa trong dòng này hoặc sửa dòng tiêu đề của bảng.",
            )

    def cell(self, cells: list[str], name: str) -> str:
        i = self.header.get(name)
        return clean_cell(cells[i]) if i is not None and i < len(cells) else ""

    def flush_stray(self) -> None:
        for row, text in self.stray:
            self.warnings.append(
                f"Dòng {row}: văn bản nằm giữa các dòng của bảng, không thuộc cột nào, "
                f"đã bỏ qua: «{text}»."
            )
        self.stray.clear()

    def text_row(self, row: int, cells: list[str]) -> None:
        text = clean_cell(cells[0]).strip("*_ ")
        if _PART.fullmatch(text) and text == text.upper():
            self.parts.append(text)
            return
        self.stray.append((row, text))

    def section_row(self, row: int, cells: list[str], section_id: str) -> None:
        self.check_width(row, cells)
        if section_id in self.seen_sections:
            raise self.error(
                f"Mục «{section_id}» xuất hiện lần thứ hai "
                f"(lần đầu ở dòng {self.seen_sections[section_id]}).",
                row,
            )
        title = self.cell(cells, "content") or (clean_cell(cells[1]) if len(cells) > 1 else "")
        ignored = [self.cell(cells, n) for n in FIELDS[1:] if self.cell(cells, n)]
        if ignored:
            self.warnings.append(
                f"Dòng {row}: dòng mục {section_id} có ghi ở cột khác ngoài tên mục, bỏ qua: "
                + "; ".join(f"«{v}»" for v in ignored)
                + "."
            )
        section = RawSection(section_id, title, row)
        self.seen_sections[section_id] = row
        self.sections.append(section)
        self.last = section

    def task_row(self, row: int, cells: list[str], task_no: int) -> None:
        if not self.sections:
            raise self.error(
                f"Nhiệm vụ số {task_no} nằm ngoài mục nào "
                "(phía trên chưa có dòng mục đánh số La Mã I, II, III...).",
                row,
                hint="Thêm dòng mục (STT là số La Mã, tên mục ở cột nội dung) trước nhiệm vụ.",
            )
        self.check_width(row, cells)
        if len(cells) < self.ncols:
            self.warnings.append(
                f"Dòng {row}: chỉ có {len(cells)} cột trên {self.ncols}; các cột cuối để trống."
            )
        section = self.sections[-1].section_id
        task = RawTask(section, task_no, {n: self.cell(cells, n) for n in FIELDS}, row, [row])
        if task.task_id in self.seen_tasks:
            raise self.error(
                f"Trùng mã nhiệm vụ «{task.task_id}» "
                f"(đã có ở dòng {self.seen_tasks[task.task_id]}).",
                row,
                hint="Mỗi nhiệm vụ trong một mục phải có số thứ tự riêng.",
            )
        self.seen_tasks[task.task_id] = row
        self.tasks.append(task)
        self.last = task

    def continuation(self, row: int, cells: list[str]) -> None:
        if self.last is None:
            raise self.error(
                "Dòng tiếp nối (cột STT trống, bắt đầu bằng dấu tab) "
                "nhưng phía trên chưa có dòng mục hay nhiệm vụ nào.",
                row,
            )
        self.check_width(row, cells)
        if isinstance(self.last, RawSection):
            more = self.cell(cells, "content")
            self.last.title = " ".join(p for p in (self.last.title, more) if p)
            return
        for name in FIELDS:
            more = self.cell(cells, name)
            if more:
                old = self.last.values[name]
                self.last.values[name] = f"{old} {more}" if old else more
        self.last.rows.append(row)

    def table_row(self, row: int, cells: list[str]) -> None:
        first = clean_cell(cells[0])
        filled = [clean_cell(c) for c in cells]
        if not any(filled) or header_columns(cells) is not None:
            return
        numbering = _numbering(first) if first else None
        if (len(cells) == 1 or not any(filled[1:])) and (numbering is None or len(cells) == 1):
            if first:
                self.text_row(row, cells)
            return
        self.flush_stray()
        if not first:
            self.continuation(row, cells)
        elif numbering is None:
            raise self.error(
                f"Cột STT ghi «{first}», không phải số La Mã (dòng mục) "
                "hay số thứ tự (dòng nhiệm vụ).",
                row,
            )
        elif numbering[0] == "section":
            self.section_row(row, cells, first.rstrip(". "))
        else:
            self.task_row(row, cells, numbering[1])

    def check_tasks(self) -> None:
        for task in self.tasks:
            if not task.values["content"]:
                raise self.error(f"Nhiệm vụ {task.task_id} không có nội dung.", task.row)
        for section in self.sections:
            if not section.title:
                raise self.error(f"Mục {section.section_id} không có tên.", section.row)


def read_rows(rows: Iterable[tuple[int, list[str]]], file: str | Path | None = None) -> RawTable:
    """Read the plan table from numbered rows of cells.

    Args:
        rows: ``(row number, cells)`` in order; row numbers are what a person sees
            (line numbers of a text file, sheet row numbers of a spreadsheet).
        file: The file, for error messages.

    Returns:
        The sections and tasks found, the rows before the header (as text, for the
        document's identity), part headings and warnings.

    Raises:
        PlanFormatError: no table header; a task row before any section; a repeated
            task id or section; a row with more columns than the header; a numbering
            that is neither Roman nor Arabic; a task without content.
    """
    reader = _Reader(file)
    before: list[tuple[int, str]] = []
    last_row = 0
    for row, cells in rows:
        last_row = row
        if not reader.header:
            mapping = header_columns(cells)
            if mapping is None:
                before.append((row, " ".join(c for c in (clean_cell(x) for x in cells) if c)))
            else:
                reader.set_header(row, list(cells), mapping)
            continue
        reader.table_row(row, list(cells))
    if not reader.header:
        raise PlanFormatError(
            f"Không tìm thấy bảng kế hoạch (đã đọc {last_row} dòng, không có dòng tiêu đề "
            "bắt đầu bằng «STT» và có cột «Nội dung công việc»).",
            file=file,
            hint="Bảng kế hoạch phải có dòng tiêu đề: STT, Nội dung công việc, Đơn vị chủ trì, "
            "Đơn vị phối hợp, Thời gian thực hiện, Sản phẩm dự kiến hoàn thành "
            "(các cột cách nhau bằng dấu tab).",
        )
    if not reader.tasks:
        raise PlanFormatError(
            f"Bảng kế hoạch (dòng tiêu đề ở dòng {reader.header_row}) không có nhiệm vụ nào.",
            file=file,
            row=reader.header_row,
        )
    reader.check_tasks()
    return RawTable(
        reader.sections,
        reader.tasks,
        before,
        reader.parts,
        reader.warnings,
        reader.header_row,
    )
