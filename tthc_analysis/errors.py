"""Errors shown to users: Vietnamese messages naming the file, row and column.

Every error the package raises on purpose derives from :class:`TthcError`. The CLI
prints ``str(error)`` (no traceback) and exits with ``error.exit_code``.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "BuildError",
    "InputFileError",
    "OutputError",
    "ParameterError",
    "PlanFormatError",
    "TthcError",
]


class TthcError(Exception):
    """An error with a Vietnamese message meant for the analyst.

    Args:
        message: What went wrong, in Vietnamese.
        file: The file concerned, if any.
        row: The row number as a person sees it in that file (header = row 1),
            or the line number of a text document.
        column: The column (as written in the file, or its canonical name).
        hint: What to do about it, in Vietnamese.
    """

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        row: int | None = None,
        column: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.row = row
        self.column = column
        self.hint = hint
        super().__init__(self.__str__())

    def __str__(self) -> str:
        parts = [f"Lỗi: {self.message}"]
        if self.file is not None:
            parts.append(f"  Tệp: {self.file}")
        if self.row is not None:
            parts.append(f"  Dòng: {self.row}")
        if self.column is not None:
            parts.append(f"  Cột: {self.column}")
        if self.hint:
            parts.append(f"  Cách xử lý: {self.hint}")
        return "\n".join(parts)


class PlanFormatError(TthcError):
    """A plan document or plan table that cannot be read as a plan."""


class InputFileError(TthcError):
    """A data file that cannot be loaded at all (unreadable, missing required column)."""


class ParameterError(TthcError):
    """A wrong parameter value (period, date, unit...)."""


class BuildError(TthcError):
    """A report build that failed (a notebook cell raised, a kernel died...)."""

    exit_code = 1


class OutputError(TthcError):
    """An output that cannot be written (read-only or full disk, a file in the way...).

    The previous outputs are left as they were (see :mod:`tthc_analysis.outputs`).
    """

    exit_code = 1
