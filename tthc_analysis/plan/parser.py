"""Entry points: :func:`parse_plan` (any supported file) and :func:`load_plan` (bundled)."""

from __future__ import annotations

from pathlib import Path

from tthc_analysis.config import PLAN_DIR
from tthc_analysis.errors import PlanFormatError
from tthc_analysis.plan.model import Plan
from tthc_analysis.plan.tables import CSV_SUFFIXES, SHEET_SUFFIXES, parse_table_plan
from tthc_analysis.plan.textdoc import TEXT_SUFFIXES, parse_text_document

__all__ = ["BUNDLED_PLAN", "BUNDLED_SOURCE", "load_plan", "parse_plan"]

BUNDLED_PLAN = PLAN_DIR / "plan_2025.csv"
"""The bundled 2025 plan as a tidy table (with ``plan_2025_meta.json``)."""
BUNDLED_SOURCE = PLAN_DIR / "655-SGDDT-VP_2025.txt"
"""A byte copy of the source document, dispatch 655/SGDĐT-VP."""


def parse_plan(path: str | Path) -> Plan:
    """Parse a plan file.

    Args:
        path: A document in the official text layout (``.txt``, ``.md``), or a plan
            table (``.xlsx``, ``.xls``, ``.ods``, ``.csv``) in the tidy or the document
            layout.

    Returns:
        The plan, tasks in document order.

    Raises:
        PlanFormatError: missing file, unsupported type, or a malformed document (the
            message, in Vietnamese, names the line).
    """
    path = Path(path)
    if not path.is_file():
        raise PlanFormatError("Không tìm thấy tệp kế hoạch.", file=path)
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return parse_text_document(path)[0]
    if suffix in SHEET_SUFFIXES + CSV_SUFFIXES:
        return parse_table_plan(path)
    raise PlanFormatError(
        f"Không đọc được loại tệp «{path.suffix or '(không có đuôi)'}» làm kế hoạch.",
        file=path,
        hint="Dùng văn bản .txt theo mẫu công văn, hoặc bảng .xlsx / .csv.",
    )


def load_plan(path: str | Path | None = None) -> Plan:
    """Load a plan; ``None`` loads the bundled 2025 plan (``data/plan/plan_2025.csv``)."""
    return parse_plan(BUNDLED_PLAN if path is None else path)
