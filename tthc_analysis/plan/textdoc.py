"""Plan documents in the official text layout (the dispatch as UTF-8 text).

The text has the letterhead and title first, then the table: one line per row, cells
separated by tabs, section rows in bold (``<b>I</b>``), and rows that continue after a
page break written as a line starting with a tab. See :mod:`tthc_analysis.plan.rows`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tthc_analysis.errors import PlanFormatError
from tthc_analysis.plan.build import build_plan
from tthc_analysis.plan.meta import parse_meta
from tthc_analysis.plan.model import Plan
from tthc_analysis.plan.rows import RawTable, read_rows
from tthc_analysis.text import nfc

__all__ = ["TEXT_SUFFIXES", "TextDocument", "parse_text_document", "read_text_lines"]

TEXT_SUFFIXES = (".txt", ".text", ".md", ".tsv")
"""File suffixes read as the official text layout."""


@dataclass(frozen=True)
class TextDocument:
    """A plan document as read: its lines (NFC) and the raw table."""

    path: Path
    lines: tuple[str, ...]
    table: RawTable

    def line(self, number: int) -> str:
        """Return line ``number`` (1-based)."""
        return self.lines[number - 1]


def read_text_lines(path: str | Path) -> tuple[str, ...]:
    """Read a UTF-8 text file as NFC lines (carriage returns and form feeds removed)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PlanFormatError("Không đọc được tệp kế hoạch.", file=path) from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PlanFormatError(
            "Tệp kế hoạch không phải văn bản UTF-8.",
            file=path,
            hint="Mở tệp và lưu lại với bảng mã UTF-8.",
        ) from exc
    lines = text.split("\n")
    if lines and lines[-1] in ("", "\r"):
        lines.pop()
    return tuple(nfc(line.rstrip("\r").replace("\f", "")) for line in lines)


def parse_text_document(path: str | Path) -> tuple[Plan, TextDocument]:
    """Parse a plan document in the text layout; also return the document as read."""
    path = Path(path)
    lines = read_text_lines(path)
    table = read_rows(((i, line.split("\t")) for i, line in enumerate(lines, 1)), file=path)
    meta, meta_warnings = parse_meta(table.before, table.parts)
    plan = build_plan(
        table.sections, table.tasks, meta, [*table.warnings, *meta_warnings], source=path
    )
    return plan, TextDocument(path, lines, table)
