"""Charts of the evidence of the plan's tasks: items per period against the cadence.

The data come from :func:`tthc_analysis.evaluation.evidence.evidence_by_period` (one row per task
and month or quarter); these functions only draw.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from tthc_analysis.charts.style import (
    LABEL_BOX,
    MUTED_COLOUR,
    SERIES_COLOURS,
    TARGET_COLOUR,
    count_formatter,
    legend_below,
    month_labels,
    new_figure,
    require_columns,
    set_title,
    styled,
)
from tthc_analysis.evaluation.evidence import EVIDENCE_PERIOD_COLUMNS
from tthc_analysis.status import STATUSES
from tthc_analysis.text import format_date, format_number

__all__ = ["NO_REQUIREMENT_VI", "NO_TARGET_VI", "evidence_vs_cadence", "period_totals"]

NO_REQUIREMENT_VI = "không có yêu cầu định kỳ"
"""Legend text of a task whose cadence requires no evidence per period."""

NO_TARGET_VI = "Chỉ tiêu: không quy định"
"""Legend text of a chart whose quantity has no target in the plan."""

MISSING_COLOUR = STATUSES["behind"].colour
FUTURE_COLOUR = "#ececec"


def _requirement_vi(cadence: str, deadline: date | None) -> str:
    """What the cadence requires, for the task's legend entry."""
    if cadence == "monthly":
        return "yêu cầu 1 minh chứng/tháng"
    if cadence in ("quarterly", "ongoing"):
        return "yêu cầu 1 minh chứng/quý"
    if cadence == "deadline" and deadline is not None and not pd.isna(deadline):
        return f"yêu cầu 1 kết quả trước hạn {format_date(deadline)}"
    return NO_REQUIREMENT_VI


def _x_ticks(periods: list[str], labels: list[str]) -> tuple[list[str], str]:
    if periods and "Q" in periods[0]:
        year = periods[0][:4]
        return [label.split("/")[0] for label in labels], f"Quý (năm {year})"
    ticks, year = month_labels(periods)
    return ticks, f"Tháng (năm {year})" if year else "Tháng"


def _deadline_x(row: pd.Series, position: int) -> float:
    """X position of the deadline inside its period's slot (slot = position ± 0.5)."""
    start, end = row["period_start"], row["period_end"]
    days = (end.normalize() - start.normalize()).days + 1
    return position - 0.5 + ((pd.Timestamp(row["deadline"]) - start.normalize()).days + 0.5) / days


def _draw_task(ax, rows: pd.DataFrame, x: np.ndarray, offset: float, width: float, colour: str):
    """Bars, missing marks and required-count dashes of one task; return the dashes line."""
    task = str(rows["task_id"].iloc[0])
    bars = ax.bar(x + offset, rows["n_evidence"], width, color=colour, zorder=3)
    for patch, period in zip(bars.patches, rows["period"], strict=True):
        patch.set_gid(f"evidence:{task}:{period}")
    for xi, (_, row) in zip(x, rows.iterrows(), strict=True):
        if row["is_missing"]:
            height = row["n_required"] if pd.notna(row["n_required"]) else 1.0
            ax.bar(
                xi + offset,
                height,
                width,
                fill=False,
                hatch="///",
                edgecolor=MISSING_COLOUR,
                linewidth=1.0,
                zorder=5,  # over the bar: a late or partial period stays marked
                gid=f"missing:{task}:{row['period']}",
            )
    xs: list[float] = []
    ys: list[float] = []
    for xi, required in zip(x, rows["n_required"], strict=True):
        if pd.notna(required):
            left = xi + offset - width / 2
            xs += [left, left + width, np.nan]
            ys += [required, required, np.nan]
    if not xs:
        return None
    (line,) = ax.plot(xs, ys, color=TARGET_COLOUR, linestyle="--", linewidth=1.2, zorder=4)
    line.set_gid("target")
    line.set_label(f"target:{task}")
    return line


@styled
def evidence_vs_cadence(
    periods: pd.DataFrame,
    title: str | None = None,
    as_of: date | None = None,
) -> Figure:
    """Evidence items per period, one bar per task, against what its cadence requires.

    Args:
        periods: The frame of :func:`tthc_analysis.evaluation.evidence.evidence_by_period` (one row
            per task and month or quarter, all tasks over the same periods).
        title: Chart title.
        as_of: The cut-off date, named in the legend of the greyed future periods.

    Returns:
        The figure: bars with ``gid`` ``"evidence:<task>:<period>"``; hatched red frames
        ``"missing:<task>:<period>"`` over periods that lack their evidence; the required
        count drawn as dashes over each task's bars (one line per task, ``gid``
        ``"target"``); deadlines as dotted vertical lines (``gid`` ``"deadline"``);
        periods after the as-of date on a grey ground (``gid`` ``"future"``). A task
        without periodic requirement is named in the legend with "không có yêu cầu định
        kỳ".
    """
    require_columns(periods, EVIDENCE_PERIOD_COLUMNS, "Minh chứng theo kỳ")
    tasks = list(dict.fromkeys(periods["task_id"]))
    fig = new_figure(4.2)
    ax = fig.subplots()
    set_title(fig, title or "Số minh chứng theo kỳ so với yêu cầu của nhiệm vụ")
    if not tasks:
        ax.text(0.5, 0.5, "Không có nhiệm vụ cần minh chứng", ha="center",
                transform=ax.transAxes, color=MUTED_COLOUR)  # fmt: skip
        ax.set_axis_off()
        return fig
    first = periods.loc[periods["task_id"] == tasks[0]]
    keys, labels = list(first["period"]), list(first["period_label"])
    x = np.arange(len(keys), dtype=float)
    width = min(0.8 / len(tasks), 0.4)
    handles: list = []
    for pos in np.flatnonzero(first["is_future"].to_numpy()):
        ax.axvspan(pos - 0.5, pos + 0.5, color=FUTURE_COLOUR, zorder=0, gid="future")
    target = None
    for i, task in enumerate(tasks):
        rows = periods.loc[periods["task_id"] == task].set_index("period").loc[keys].reset_index()
        colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
        line = _draw_task(ax, rows, x, (i - (len(tasks) - 1) / 2) * width, width, colour)
        target = target or line
        cadence, deadline = rows["evidence_cadence"].iloc[0], rows["deadline"].iloc[0]
        label = f"{task}: {_requirement_vi(cadence, deadline)}"
        handles.append(Patch(facecolor=colour, label=label))
    deadlines = periods.loc[periods["is_deadline_period"].astype(bool)]
    for when in sorted(set(deadlines["deadline"].dropna())):
        row = deadlines.loc[deadlines["deadline"] == when].iloc[0]
        pos = _deadline_x(row, keys.index(row["period"]))
        ax.axvline(pos, color=MISSING_COLOUR, linestyle=":", linewidth=1.3, zorder=4,
                   gid="deadline", label=f"Hạn hoàn thành {format_date(when)}")  # fmt: skip
        ax.annotate(f"Hạn {format_date(when)}", xy=(pos, 1.0), xycoords=("data", "axes fraction"),
                    xytext=(2, -2), textcoords="offset points", ha="left", va="top",
                    fontsize=7, color=MISSING_COLOUR, bbox=LABEL_BOX)  # fmt: skip
        handles.append(Line2D([], [], color=MISSING_COLOUR, linestyle=":",
                              label=f"Hạn hoàn thành {format_date(when)}"))  # fmt: skip
    if target is not None:
        handles.append(Line2D([], [], color=TARGET_COLOUR, linestyle="--",
                              label="Số minh chứng phải có trong kỳ"))  # fmt: skip
    if periods["is_missing"].any():
        handles.append(Patch(fill=False, hatch="///", edgecolor=MISSING_COLOUR,
                             label="Thiếu minh chứng phải có (hoặc có nhưng trễ hạn)"))  # fmt: skip
    if first["is_future"].any():
        when = f" {format_date(as_of)}" if as_of is not None else ""
        handles.append(Patch(facecolor=FUTURE_COLOUR, label=f"Sau ngày chốt số liệu{when}"))
    ticks, xlabel = _x_ticks(keys, labels)
    ax.set_xticks(x, labels=ticks)
    ax.set_xlim(-0.5, len(keys) - 0.5)
    ax.set_xlabel(xlabel)
    top = np.nanmax([periods["n_evidence"].max(), periods["n_required"].max(), 1.0])
    ax.set_ylim(0, top * 1.25 + 0.3)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    ax.yaxis.set_major_formatter(count_formatter())
    ax.set_ylabel("Số minh chứng")
    ax.grid(axis="y")
    legend_below(fig, handles, ncol=2)
    return fig


@styled
def period_totals(
    frame: pd.DataFrame,
    column: str,
    label: str,
    title: str | None = None,
    period_column: str = "quarter",
) -> Figure:
    """Bars of a monitored count per period, with their values; the plan sets no target.

    Args:
        frame: One row per period: ``period_column`` (label drawn as is, e.g. ``"Quý
            I/2025"``) and ``column`` (the count).
        column: The count to draw.
        label: What the count is (y axis and legend).
        title: Chart title.
        period_column: Column holding the period labels.

    Returns:
        The figure: bars with ``gid`` ``"value"``, value labels above them and a legend
        entry :data:`NO_TARGET_VI` (``gid`` ``"no_target"``) in place of a target line.
    """
    require_columns(frame, [period_column, column], label)
    values = pd.to_numeric(frame[column], errors="coerce").fillna(0).to_numpy(dtype=float)
    fig = new_figure(3.4)
    ax = fig.subplots()
    x = np.arange(len(values), dtype=float)
    bars = ax.bar(x, values, 0.55, color=SERIES_COLOURS[0], zorder=3, label=label)
    for patch, value in zip(bars.patches, values, strict=True):
        patch.set_gid("value")
        ax.annotate(format_number(value, 0), xy=(patch.get_x() + patch.get_width() / 2, value),
                    xytext=(0, 2), textcoords="offset points", ha="center", va="bottom",
                    fontsize=8)  # fmt: skip
    ticks = [str(p).split("/")[0] for p in frame[period_column]]
    ax.set_xticks(x, labels=ticks)
    years = {str(p).split("/")[-1] for p in frame[period_column] if "/" in str(p)}
    ax.set_xlabel(f"Quý (năm {years.pop()})" if len(years) == 1 else "Kỳ")
    ax.set_ylim(0, max(float(values.max()) if len(values) else 0.0, 1.0) * 1.2)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    ax.yaxis.set_major_formatter(count_formatter())
    ax.set_ylabel(label)
    ax.grid(axis="y")
    no_target = Line2D([], [], linestyle="none", label=NO_TARGET_VI)
    no_target.set_gid("no_target")
    legend_below(fig, [bars, no_target], ncol=2)
    set_title(fig, title or label)
    return fig
