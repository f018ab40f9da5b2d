"""The plan as data: :class:`PlanMeta`, :class:`Plan` and the column vocabulary.

A plan is one row per task (``tasks``) plus a roll-up of its sections (``sections``) and
the document's identity (``meta``). Every reader (official text layout, .xlsx, .csv)
produces the same frames, with the same columns and dtypes, in document order.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from tthc_analysis.errors import PlanFormatError

__all__ = [
    "CADENCES",
    "PLAN_SECTION_COLUMNS",
    "PLAN_TASK_COLUMNS",
    "TASK_JSON_KEYS",
    "Plan",
    "PlanMeta",
    "roman_to_int",
]

CADENCES = ("ongoing", "monthly", "quarterly", "deadline", "on_request", "unparsed")
"""Cadence codes: how often evidence of a task is expected (``unparsed`` = unknown)."""

PLAN_TASK_COLUMNS = (
    "task_id",
    "section_id",
    "section_title",
    "task_no",
    "content",
    "lead_unit",
    "partner_units",
    "timeframe_text",
    "cadence",
    "deadline",
    "expected_output",
)
"""Columns of :attr:`Plan.tasks`, in order (also the columns of the bundled CSV)."""

TASK_JSON_KEYS = (
    "task_id",
    "section_id",
    "section_title",
    "content",
    "lead_unit",
    "partner_units",
    "timeframe_text",
    "cadence",
    "deadline",
    "expected_output",
)
"""Keys of each task in ``tthc plan parse --format json``, exactly."""

PLAN_SECTION_COLUMNS = ("section_id", "section_no", "section_title", "n_tasks")
"""Columns of :attr:`Plan.sections`."""

_ROMAN = re.compile(r"M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def roman_to_int(text: str) -> int | None:
    """Return the value of a canonical upper-case Roman numeral, else ``None``.

    ``"IX"`` -> 9; ``"IIII"``, ``"ix"``, ``""`` and ``"1"`` -> ``None``.
    """
    if not text or not _ROMAN.fullmatch(text):
        return None
    total = 0
    for i, ch in enumerate(text):
        value = _ROMAN_VALUES[ch]
        following = _ROMAN_VALUES[text[i + 1]] if i + 1 < len(text) else 0
        total += -value if value < following else value
    return total


@dataclass(frozen=True)
class PlanMeta:
    """Identity of the plan document.

    Attributes:
        doc_number: Number and symbol, normalised (``"655/SGDĐT-VP"``).
        doc_date: Date of issue.
        issuer: Issuing agency (``"Sở Giáo dục và Đào tạo tỉnh Bình Phước"``).
        title: The plan's title as written (NFC, lines joined with a space).
        year: The year the plan covers (from the title, ``"... NĂM 2025"``).
        subject: The dispatch subject line without ``"V/v"``.
        parts: Part headings of the plan (``"A. HOẠT ĐỘNG ..."``), in order.
    """

    doc_number: str = ""
    doc_date: date | None = None
    issuer: str = ""
    title: str = ""
    year: int | None = None
    subject: str = ""
    parts: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        """Return a JSON-ready dict (ISO date, list of parts)."""
        data = asdict(self)
        data["doc_date"] = self.doc_date.isoformat() if self.doc_date else None
        data["parts"] = list(self.parts)
        return data

    @classmethod
    def from_dict(cls, data: dict, *, file: str | Path | None = None) -> PlanMeta:
        """Build from :meth:`to_dict` output; unknown keys or a bad date raise an error."""
        unknown = sorted(set(data) - set(cls.__dataclass_fields__))
        if unknown:
            raise PlanFormatError(
                f"Tệp thông tin kế hoạch có khóa không hợp lệ: {', '.join(unknown)}.", file=file
            )
        values = dict(data)
        try:
            if values.get("doc_date"):
                values["doc_date"] = date.fromisoformat(str(values["doc_date"]))
            if values.get("year") is not None:
                values["year"] = int(values["year"])
        except ValueError as exc:
            raise PlanFormatError(
                "Tệp thông tin kế hoạch có ngày hoặc năm không hợp lệ.",
                file=file,
                hint="Ngày ghi theo dạng yyyy-mm-dd, năm là số (ví dụ 2025).",
            ) from exc
        values["parts"] = tuple(values.get("parts") or ())
        for key in ("doc_number", "issuer", "title", "subject"):
            values[key] = str(values.get(key) or "")
        return cls(**values)


@dataclass(frozen=True, eq=False)
class Plan:
    """A parsed plan.

    Attributes:
        tasks: One row per task, document order, columns :data:`PLAN_TASK_COLUMNS`.
            ``partner_units`` holds lists; ``deadline`` is ``datetime64[us]`` (NaT if none).
        sections: One row per section, columns :data:`PLAN_SECTION_COLUMNS`.
        meta: The document's identity.
        warnings: Vietnamese warnings raised while reading (e.g. unparsed timeframes).
        source: The file the plan was read from, if any.
    """

    tasks: pd.DataFrame
    sections: pd.DataFrame
    meta: PlanMeta
    warnings: tuple[str, ...] = ()
    source: Path | None = field(default=None)

    @property
    def task_ids(self) -> list[str]:
        """Task ids in document order."""
        return self.tasks["task_id"].tolist()

    def task(self, task_id: str) -> pd.Series:
        """Return the row of one task (``KeyError`` if absent)."""
        hits = self.tasks.loc[self.tasks["task_id"] == task_id]
        if hits.empty:
            raise KeyError(task_id)
        return hits.iloc[0]
