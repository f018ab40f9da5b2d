"""The rule of every plan task, in words a reviewer can dispute (``task_rules.csv``).

One row per task, beside ``data/plan/task_indicators.csv`` (the machine rules): how the
plan text is read (``reading_vi``), which evidence counts (``evidence_vi``), how the status
follows (``status_logic_vi``) and the source (``source_vi``). Each section page shows the
rows of its tasks under the task table, so a reviewer who disagrees with a status can see
the reading behind it.

Shared conventions of every rule (issue 13):

- only completed evidence ("Hoàn thành", or a dated document without status) counts for
  completion; "Đang thực hiện" and "Kế hoạch" show progress only;
- a target the plan does not set is an analyst's reference (``target_kind`` =
  ``reference`` in ``task_indicators.csv``), shown but never judged;
- "Thường xuyên" with no period and a one-off product (V.2, VI.2, VII.3, I.3) requires
  the product at least once in the plan year (cadence ``yearly``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from tthc_analysis.config import Settings, load_settings, read_reference_csv
from tthc_analysis.errors import InputFileError
from tthc_analysis.text import nfc

__all__ = ["TASK_RULE_COLUMNS", "TASK_RULE_LABELS_VI", "load_task_rules", "task_rules_path"]

TASK_RULE_COLUMNS = ("task_id", "reading_vi", "evidence_vi", "status_logic_vi", "source_vi")
TASK_RULE_LABELS_VI = {
    "task_id": "Nhiệm vụ",
    "reading_vi": "Cách hiểu nội dung kế hoạch",
    "evidence_vi": "Minh chứng, số liệu",
    "status_logic_vi": "Cách xác định trạng thái",
    "source_vi": "Căn cứ",
}
"""Vietnamese column headers of the rule table."""


def task_rules_path(settings: Settings | None = None) -> Path:
    """``task_rules.csv`` beside the task → indicator table of the settings."""
    settings = settings or load_settings()
    return settings.reference_path(settings.task_indicators).with_name("task_rules.csv")


def load_task_rules(
    path: str | Path | None = None, settings: Settings | None = None
) -> pd.DataFrame:
    """Read and check the task-rule table.

    Returns:
        The columns of :data:`TASK_RULE_COLUMNS`, text (NFC, stripped), one row per task.

    Raises:
        InputFileError: a missing column, an empty cell, a bad or repeated task id
            (naming the row and column).
    """
    if path is None:
        path = task_rules_path(settings)
    return read_reference_csv(path, "bảng quy tắc đánh giá nhiệm vụ", _parse_rules)


def _parse_rules(raw: pd.DataFrame, path: Path) -> pd.DataFrame:
    for col in TASK_RULE_COLUMNS:
        if col not in raw.columns:
            raise InputFileError(
                f"Thiếu cột «{col}» trong bảng quy tắc đánh giá nhiệm vụ.",
                file=path,
                hint=f"Các cột: {', '.join(TASK_RULE_COLUMNS)}.",
            )
    table = raw[list(TASK_RULE_COLUMNS)].map(lambda v: nfc(v).strip())
    seen: set[str] = set()
    for number, rec in enumerate(table.to_dict("records"), start=2):
        task_id = rec["task_id"]
        if not re.fullmatch(r"[IVXLC]+\.[0-9]+", task_id):
            raise InputFileError(
                f"Mã nhiệm vụ không hợp lệ: «{task_id}».", file=path, row=number, column="task_id"
            )
        if task_id in seen:
            raise InputFileError(
                f"Nhiệm vụ «{task_id}» có hai dòng quy tắc.",
                file=path,
                row=number,
                column="task_id",
            )
        seen.add(task_id)
        for col in TASK_RULE_COLUMNS[1:]:
            if not rec[col]:
                raise InputFileError("Thiếu nội dung.", file=path, row=number, column=col)
    return table.reset_index(drop=True)
