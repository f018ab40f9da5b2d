"""Task and section statuses: codes, Vietnamese labels, severity and colours.

One vocabulary for the evaluation engine, the sample generator's planted gaps, the
charts and the report badges. Severity orders statuses from worst (0) to best; a
section shows the worst status of its tasks.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

__all__ = ["STATUSES", "Status", "status_label", "worst_status"]


@dataclass(frozen=True)
class Status:
    """A status a task (or section) can have.

    Attributes:
        code: Stable English code.
        label_vi: Vietnamese label shown to reviewers.
        severity: 0 is the worst; higher is better.
        colour: Hex colour for charts and badges (print-friendly, colour-blind aware).
        done: Whether the task counts as completed / achieved.
        on_track: Whether the task counts as on track (done or progressing as planned).
    """

    code: str
    label_vi: str
    severity: int
    colour: str
    done: bool = False
    on_track: bool = False


STATUSES: MappingProxyType[str, Status] = MappingProxyType(
    {
        s.code: s
        for s in (
            Status("overdue", "Quá hạn", 0, "#b2182b"),
            Status("behind", "Chậm tiến độ / thiếu kỳ", 1, "#ef8a62"),
            Status("below_target", "Chưa đạt chỉ tiêu", 2, "#f4a582"),
            Status("done_late", "Hoàn thành trễ hạn", 3, "#fddbc7", done=True),
            Status("no_data", "Chưa có dữ liệu", 4, "#bababa"),
            Status("not_due", "Chưa đến hạn", 5, "#d1e5f0", on_track=True),
            Status("not_triggered", "Chưa phát sinh", 6, "#e0e0e0", on_track=True),
            Status("on_track", "Đúng tiến độ", 7, "#67a9cf", on_track=True),
            Status("achieved", "Đạt chỉ tiêu", 8, "#2166ac", done=True, on_track=True),
            Status("done_on_time", "Hoàn thành đúng hạn", 9, "#1a9850", done=True, on_track=True),
        )
    }
)
"""All statuses by code, worst first.

- ``overdue``: a deadline passed without the task done.
- ``behind``: periodic evidence missing for elapsed months/quarters (named in the reason).
- ``below_target``: an indicator is below its target (or projected to miss it).
- ``done_late``: a deadline task done after its deadline; a report sent late.
- ``no_data``: no evidence and no indicator data to judge the task.
- ``not_due``: the deadline is still ahead and the task is not done yet.
- ``not_triggered``: an on-request task with no request yet.
- ``on_track``: periodic evidence present for every elapsed period.
- ``achieved``: every indicator meets its target.
- ``done_on_time``: a deadline task done by its deadline.
"""


def status_label(code: str) -> str:
    """Vietnamese label of a status code."""
    return STATUSES[code].label_vi


def worst_status(codes) -> str:
    """The worst status among ``codes`` (``no_data`` for an empty list)."""
    codes = [c for c in codes if c in STATUSES]
    if not codes:
        return "no_data"
    return min(codes, key=lambda c: STATUSES[c].severity)
