"""Roll the task statuses up into the plan's sections (I–IX) and an overall summary.

Each task falls in exactly one bucket, by its status (:mod:`tthc_analysis.status`):

- ``n_done``: a done status (``done_on_time``, ``achieved``, ``done_late``);
- ``n_on_track``: on track but not done (``on_track``, ``not_due``, ``not_triggered``);
- ``n_problem``: ``overdue``, ``behind``, ``below_target``;
- ``n_no_data``: ``no_data``.

So ``n_tasks = n_done + n_on_track + n_problem + n_no_data``, and
``progress_share = (n_done + n_on_track) / n_tasks`` (NaN for a section without tasks,
e.g. after a unit filter). A section shows the worst status of its tasks.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from tthc_analysis.status import STATUSES, status_label, worst_status
from tthc_analysis.text import format_percent

__all__ = ["SECTION_COLUMNS", "bucket", "overall_summary", "roll_up"]

SECTION_COLUMNS = (
    "section_id",
    "section_no",
    "section_title",
    "n_tasks",
    "n_done",
    "n_on_track",
    "n_problem",
    "n_no_data",
    "progress_share",
    "status",
    "status_vi",
    "summary_vi",
    *(f"n_status_{code}" for code in STATUSES),
)


def bucket(code: str) -> str:
    """The bucket of a status code: ``done``, ``on_track``, ``problem`` or ``no_data``."""
    status = STATUSES[code]
    if status.done:
        return "done"
    if status.on_track:
        return "on_track"
    if code == "no_data":
        return "no_data"
    return "problem"


def _counts(statuses: list[str]) -> dict:
    buckets = Counter(bucket(code) for code in statuses)
    by_code = Counter(statuses)
    n = len(statuses)
    out = {
        "n_tasks": n,
        "n_done": buckets["done"],
        "n_on_track": buckets["on_track"],
        "n_problem": buckets["problem"],
        "n_no_data": buckets["no_data"],
    }
    out["progress_share"] = (out["n_done"] + out["n_on_track"]) / n if n else float("nan")
    for code in STATUSES:
        out[f"n_status_{code}"] = by_code[code]
    return out


def _summary_vi(records: list[dict], counts: dict) -> str:
    if not counts["n_tasks"]:
        return "Không có nhiệm vụ liên quan"
    text = (
        f"{counts['n_done'] + counts['n_on_track']}/{counts['n_tasks']} nhiệm vụ hoàn thành "
        f"hoặc đúng tiến độ ({counts['n_done']} hoàn thành)"
    )
    problems = [r for r in records if bucket(r["status"]) == "problem"]
    if problems:
        listed = ", ".join(
            f"{r['task_id']} ({status_label(r['status']).lower()})" for r in problems
        )
        text += f"; cần chú ý: {listed}"
    no_data = [r["task_id"] for r in records if r["status"] == "no_data"]
    if no_data:
        text += f"; chưa có dữ liệu: {', '.join(no_data)}"
    return text


def roll_up(tasks: pd.DataFrame, plan_sections: pd.DataFrame | None = None) -> pd.DataFrame:
    """Section roll-up of the task statuses.

    Args:
        tasks: Task table with ``task_id``, ``section_id``, ``section_title`` and
            ``status`` (as from :func:`tthc_analysis.evaluation.tasks.evaluate_tasks`).
        plan_sections: ``Plan.sections`` (gives every section in order, with
            ``section_no``); without it, the sections found in ``tasks`` in order.

    Returns:
        One row per section with the columns of :data:`SECTION_COLUMNS`
        (``n_status_<code>`` counts the tasks of each status code).
    """
    records = tasks[["task_id", "section_id", "section_title", "status"]].to_dict("records")
    if plan_sections is None:
        seen: dict[str, str] = {}
        for r in records:
            seen.setdefault(r["section_id"], r["section_title"])
        plan_sections = pd.DataFrame(
            {
                "section_id": list(seen),
                "section_no": range(1, len(seen) + 1),
                "section_title": list(seen.values()),
            }
        )
    rows = []
    for sec in plan_sections.itertuples(index=False):
        sel = [r for r in records if r["section_id"] == sec.section_id]
        codes = [r["status"] for r in sel]
        counts = _counts(codes)
        status = worst_status(codes)
        rows.append(
            {
                "section_id": sec.section_id,
                "section_no": int(sec.section_no),
                "section_title": sec.section_title,
                **counts,
                "status": status,
                "status_vi": status_label(status),
                "summary_vi": _summary_vi(sel, counts),
            }
        )
    return pd.DataFrame(rows, columns=list(SECTION_COLUMNS))


def overall_summary(tasks: pd.DataFrame) -> dict:
    """Plan-wide counts of :func:`roll_up`, plus the worst status and the problem tasks.

    Returns:
        ``n_tasks``, ``n_done``, ``n_on_track``, ``n_problem``, ``n_no_data``,
        ``progress_share``, ``n_status_<code>`` for every status, ``status`` (worst),
        ``status_vi``, ``problem_tasks`` (ids), ``summary_vi``.
    """
    codes = tasks["status"].tolist()
    counts = _counts(codes)
    status = worst_status(codes)
    problems = [t for t, c in zip(tasks["task_id"], codes, strict=True) if bucket(c) == "problem"]
    summary = (
        f"{counts['n_done'] + counts['n_on_track']}/{counts['n_tasks']} nhiệm vụ hoàn thành "
        f"hoặc đúng tiến độ ({format_percent(counts['progress_share'])})"
    )
    if problems:
        summary += f"; {len(problems)} nhiệm vụ cần chú ý: {', '.join(problems)}"
    return counts | {
        "status": status,
        "status_vi": status_label(status),
        "problem_tasks": problems,
        "summary_vi": summary,
    }
