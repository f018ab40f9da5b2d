"""Writing a plan: JSON records, the tidy CSV (+ meta sidecar) and a readable table."""

from __future__ import annotations

import csv
import io
import json
import textwrap
from pathlib import Path

import pandas as pd

from tthc_analysis.plan.model import PLAN_TASK_COLUMNS, TASK_JSON_KEYS, Plan
from tthc_analysis.plan.tables import meta_path
from tthc_analysis.plan.timeframe import CADENCE_LABELS_VI
from tthc_analysis.text import format_date
from tthc_analysis.typed import rows
from tthc_analysis.xlsx import protect_csv_cell

__all__ = [
    "plan_to_csv",
    "plan_to_json",
    "plan_to_records",
    "plan_to_table",
    "write_plan_csv",
]

BOM = "\ufeff"


def _iso(value) -> str | None:
    return None if pd.isna(value) else value.date().isoformat()


def plan_to_records(plan: Plan) -> list[dict]:
    """One dict per task with exactly the keys :data:`TASK_JSON_KEYS` (JSON-ready)."""
    records = []
    for task in rows(plan.tasks):
        row = task._asdict()
        row["partner_units"] = list(row["partner_units"])
        row["deadline"] = _iso(row["deadline"])
        records.append({key: row[key] for key in TASK_JSON_KEYS})
    return records


def plan_to_json(plan: Plan) -> str:
    """The tasks as a JSON list (UTF-8 text, not ASCII-escaped, 2-space indent)."""
    return json.dumps(plan_to_records(plan), ensure_ascii=False, indent=2) + "\n"


def plan_to_csv(plan: Plan) -> str:
    """The tidy CSV: a BOM, then one row per task with :data:`PLAN_TASK_COLUMNS`.

    ``partner_units`` are joined with ``"; "``; ``deadline`` is ISO ``yyyy-mm-dd`` or
    empty. Lines end with a line feed. Text starting with ``=``, ``+``, ``-`` or ``@``
    gets a leading apostrophe (:func:`tthc_analysis.xlsx.protect_csv_cell`; the plan
    reader removes it).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(PLAN_TASK_COLUMNS)
    for task in rows(plan.tasks):
        row = task._asdict()
        row["partner_units"] = "; ".join(row["partner_units"])
        row["deadline"] = _iso(row["deadline"]) or ""
        writer.writerow([protect_csv_cell(row[c]) for c in PLAN_TASK_COLUMNS])
    return BOM + buffer.getvalue()


def write_plan_csv(plan: Plan, path: str | Path) -> tuple[Path, Path]:
    """Write the tidy CSV and its ``<name>_meta.json`` sidecar; return both paths."""
    path = Path(path)
    path.write_text(plan_to_csv(plan), encoding="utf-8", newline="")
    sidecar = meta_path(path)
    sidecar.write_text(
        json.dumps(plan.meta.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return path, sidecar


def _fit(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


_COLUMNS = (
    ("Mã", 7),
    ("Nội dung", 44),
    ("Chủ trì", 18),
    ("Thời gian", 18),
    ("Kỳ", 12),
    ("Hạn", 10),
)


def plan_to_table(plan: Plan, width: int = 120) -> str:
    """A readable fixed-width table of the plan, grouped by section (about ``width`` wide).

    Columns: task id, content (shortened), lead unit, timeframe text, cadence
    (Vietnamese), deadline ``dd/mm/yyyy``.
    """
    widths = [w for _, w in _COLUMNS]
    widths[1] += max(0, width - (sum(widths) + 2 * (len(widths) - 1)))

    def line(cells: list) -> str:
        return "  ".join(_fit(c, w).ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    meta = plan.meta
    out = []
    out += textwrap.wrap(meta.title, width)
    ident = ", ".join(
        p
        for p in (
            f"số {meta.doc_number}" if meta.doc_number else "",
            f"ngày {format_date(meta.doc_date)}" if meta.doc_date else "",
            meta.issuer,
        )
        if p
    )
    if ident:
        out.append(_fit(f"({ident})", width))
    out.append(f"{len(plan.sections)} mục, {len(plan.tasks)} nhiệm vụ.")
    out += [
        "",
        line([h for h, _ in _COLUMNS]),
        "-" * min(width, sum(widths) + 2 * (len(widths) - 1)),
    ]
    for section in rows(plan.sections):
        out.append(_fit(f"{section.section_id}. {section.section_title}", width))
        tasks = plan.tasks.loc[plan.tasks["section_id"] == section.section_id]
        for task in rows(tasks):
            out.append(
                line(
                    [
                        task.task_id,
                        task.content,
                        task.lead_unit,
                        task.timeframe_text,
                        CADENCE_LABELS_VI.get(task.cadence, task.cadence),
                        format_date(task.deadline, na=""),
                    ]
                )
            )
        out.append("")
    return "\n".join(out).rstrip() + "\n"
