"""Turn raw rows (any reader) into a :class:`Plan`: units normalised, timeframes read."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tthc_analysis.plan.model import (
    PLAN_SECTION_COLUMNS,
    PLAN_TASK_COLUMNS,
    Plan,
    PlanMeta,
    roman_to_int,
)
from tthc_analysis.plan.rows import RawSection, RawTask
from tthc_analysis.plan.timeframe import parse_timeframe
from tthc_analysis.plan.units import split_units

__all__ = ["build_plan"]


def _task_record(task: RawTask, title: str, year: int | None, warnings: list[str]) -> dict:
    values = task.values
    timeframe_text = values["timeframe_text"]
    if task.cadence is not None:
        cadence, deadline = task.cadence, task.deadline
    else:
        timeframe = parse_timeframe(timeframe_text, plan_year=year)
        cadence, deadline = timeframe.cadence, timeframe.deadline
        if not timeframe.parsed:
            warnings.append(
                f"Dòng {task.row}, nhiệm vụ {task.task_id}: {timeframe.note} "
                "Thời gian thực hiện được giữ nguyên, chưa xác định được kỳ theo dõi."
            )
    return {
        "task_id": task.task_id,
        "section_id": task.section_id,
        "section_title": title,
        "task_no": task.task_no,
        "content": values["content"],
        "lead_unit": "; ".join(split_units(values["lead_unit"])),
        "partner_units": split_units(values["partner_units"]),
        "timeframe_text": timeframe_text,
        "cadence": cadence,
        "deadline": deadline,
        "expected_output": values["expected_output"],
    }


def tasks_frame(records: list[dict]) -> pd.DataFrame:
    """Build the tasks frame with the canonical columns and dtypes."""
    frame = pd.DataFrame.from_records(records, columns=list(PLAN_TASK_COLUMNS))
    for column in PLAN_TASK_COLUMNS:
        if column in ("task_no", "partner_units", "deadline"):
            continue
        frame[column] = frame[column].astype("str")
    frame["task_no"] = frame["task_no"].astype("int64")
    frame["partner_units"] = pd.Series(
        [list(v) for v in frame["partner_units"]], index=frame.index, dtype="object"
    )
    frame["deadline"] = pd.to_datetime(frame["deadline"]).astype("datetime64[us]")
    return frame


def build_plan(
    sections: list[RawSection],
    tasks: list[RawTask],
    meta: PlanMeta,
    warnings: list[str] | tuple[str, ...] = (),
    source: str | Path | None = None,
) -> Plan:
    """Assemble a :class:`Plan` from sections and tasks in document order.

    Lead and partner units are split and normalised (several lead units are joined with
    ``"; "``); the timeframe text gives the cadence and deadline, unless the task
    already states them (tidy tables). Unparsed timeframes add a warning.
    """
    notes = list(warnings)
    titles = {s.section_id: s.title for s in sections}
    records = [_task_record(t, titles[t.section_id], meta.year, notes) for t in tasks]
    counts = pd.Series([t.section_id for t in tasks], dtype="str").value_counts()
    section_frame = pd.DataFrame(
        {
            "section_id": [s.section_id for s in sections],
            "section_no": [roman_to_int(s.section_id) for s in sections],
            "section_title": [s.title for s in sections],
            "n_tasks": [int(counts.get(s.section_id, 0)) for s in sections],
        },
        columns=list(PLAN_SECTION_COLUMNS),
    ).astype(
        {"section_id": "str", "section_no": "int64", "section_title": "str", "n_tasks": "int64"}
    )
    for section in sections:
        if section.section_id not in counts:
            notes.append(f"Dòng {section.row}: mục {section.section_id} không có nhiệm vụ nào.")
    return Plan(
        tasks=tasks_frame(records),
        sections=section_frame,
        meta=meta,
        warnings=tuple(notes),
        source=Path(source) if source is not None else None,
    )
