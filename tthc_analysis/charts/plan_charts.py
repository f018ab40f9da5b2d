"""Charts of the plan: task timeline, section progress and indicators against targets."""

from __future__ import annotations

import re
from datetime import date, datetime

import numpy as np
import pandas as pd
from matplotlib.dates import date2num
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from tthc_analysis.charts.style import (
    MUTED_COLOUR,
    TARGET_COLOUR,
    add_target_line,
    count_formatter,
    format_indicator_value,
    legend_below,
    new_figure,
    percent_formatter,
    points_formatter,
    require_columns,
    set_title,
    status_colour,
    styled,
    target_text,
    wrap_label,
)
from tthc_analysis.labels import CADENCE_LABELS_VI
from tthc_analysis.status import STATUSES
from tthc_analysis.text import format_date, format_percent, nfc

__all__ = ["CADENCE_LABELS_VI", "indicator_vs_target", "plan_timeline", "section_progress"]

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_TASK_ID = re.compile(r"^([IVXLC]+)\.(\d+)$")


def roman_value(text: str) -> int:
    """Value of a Roman numeral (``"IX"`` -> 9); 0 for anything else."""
    total = 0
    values = [_ROMAN.get(ch, 0) for ch in str(text).strip().upper()]
    if not values or 0 in values:
        return 0
    for i, value in enumerate(values):
        total += -value if i + 1 < len(values) and value < values[i + 1] else value
    return total


def task_sort_key(task_id: object) -> tuple[int, int, str]:
    """Document order of task ids: ``"II.3"`` before ``"IX.1"``; unknown ids last."""
    match = _TASK_ID.match(str(task_id).strip())
    if not match:
        return (10_000, 0, str(task_id))
    return (roman_value(match.group(1)), int(match.group(2)), "")


def _legend_statuses(codes) -> list[Patch]:
    present = [c for c in STATUSES if c in set(codes)]
    return [
        Patch(
            facecolor=STATUSES[c].colour,
            edgecolor="#666666",
            linewidth=0.5,
            label=STATUSES[c].label_vi,
        )
        for c in present
    ]


def _task_label(row: pd.Series, with_content: bool, width: int) -> str:
    label = str(row["task_id"])
    if with_content:
        content = row.get("content_short")
        if not isinstance(content, str) or not content.strip():
            content = row.get("content")
        if isinstance(content, str) and content.strip():
            short = wrap_label(content, width, max_lines=1)
            label = f"{label}  {short}"
    return nfc(label)


def _timeline_row(ax, y: float, row: pd.Series, year: int) -> None:
    """Draw one task: a bar across the year, or a bar up to the deadline and a marker."""
    start = date2num(pd.Timestamp(year, 1, 1))
    end = date2num(pd.Timestamp(year, 12, 31))
    colour = status_colour(row["status"])
    cadence = str(row["cadence"])
    task_id = str(row["task_id"])
    deadline = row["deadline"]
    bar_style = {"height": 0.56, "color": colour, "edgecolor": "#555555", "linewidth": 0.5}
    if cadence == "deadline" and pd.notna(deadline):
        stop = min(max(date2num(pd.Timestamp(deadline)), start), end)
        bars = ax.barh(y, stop - start, left=start, alpha=0.55, **bar_style)
        bars.patches[0].set_gid(f"task:{task_id}")
        ax.plot(
            stop,
            y,
            marker="D",
            markersize=7,
            color=colour,
            markeredgecolor="#222222",
            markeredgewidth=0.8,
            linestyle="none",
            zorder=5,
            gid=f"deadline:{task_id}",
        )
        ax.annotate(
            format_date(pd.Timestamp(deadline)),
            (stop, y),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            fontsize=7,
            color="#222222",
        )
        return
    hatch = "////" if cadence in {"on_request", "unparsed", "deadline"} else None
    bars = ax.barh(y, end - start, left=start, hatch=hatch, **bar_style)
    bars.patches[0].set_gid(f"task:{task_id}")
    if cadence in {"monthly", "quarterly"}:
        step = 1 if cadence == "monthly" else 3
        ticks = [date2num(pd.Timestamp(year, m, 1)) for m in range(1 + step, 13, step)]
        ax.plot(
            ticks,
            [y] * len(ticks),
            marker="|",
            markersize=7,
            color="#222222",
            linestyle="none",
            zorder=5,
            gid=f"cadence:{task_id}",
        )


@styled
def plan_timeline(
    tasks: pd.DataFrame,
    year: int = 2025,
    as_of: date | datetime | None = None,
    title: str | None = None,
    *,
    with_content: bool = True,
) -> Figure:
    """Timeline of the plan's tasks across the year, coloured by status.

    One row per task, in document order (``I.1``, ``I.2`` … ``IX.3``), sections separated
    by a line. Ongoing, monthly and quarterly tasks are bars across the year (monthly and
    quarterly ones ticked at each period boundary); deadline tasks are a lighter bar up
    to a diamond at the deadline, labelled ``dd/mm/yyyy``; on-request tasks (and tasks
    without a readable timeframe) are hatched bars. A dashed vertical line marks the
    as-of date ("Ngày chốt dd/mm/yyyy").

    Args:
        tasks: Columns ``task_id``, ``section_id``, ``cadence``, ``deadline`` (datetime or
            NaT) and ``status`` (a :mod:`tthc_analysis.status` code); optional
            ``content_short`` or ``content`` (shown after the id, shortened).
        year: The plan year (x axis from 01/01 to 31/12).
        as_of: The cut-off date, drawn as a vertical line (``gid`` ``"as_of"``).
        title: Chart title.
        with_content: Show the shortened task content after the id.

    Returns:
        The figure; task bars have ``gid`` ``"task:<id>"``, deadline markers
        ``"deadline:<id>"``.
    """
    require_columns(
        tasks, ["task_id", "section_id", "cadence", "deadline", "status"], "Tiến độ kế hoạch"
    )
    data = tasks.copy()
    data["_order"] = [task_sort_key(t) for t in data["task_id"]]
    data = data.sort_values("_order", kind="stable").reset_index(drop=True)
    start = date2num(pd.Timestamp(year, 1, 1))
    end = date2num(pd.Timestamp(year, 12, 31))

    fig = new_figure(max(3.0, 0.27 * len(data) + 1.9))
    ax = fig.add_subplot()
    ys = np.arange(len(data))
    for y, (_, row) in zip(ys, data.iterrows(), strict=True):
        _timeline_row(ax, float(y), row, year)
    section_ids = data["section_id"].astype(str).tolist()
    for i in range(1, len(section_ids)):
        if section_ids[i] != section_ids[i - 1]:
            ax.axhline(i - 0.5, color="#bbbbbb", linewidth=0.6, zorder=1)

    ax.set_yticks(ys, labels=[_task_label(r, with_content, 40) for _, r in data.iterrows()])
    ax.set_ylim(len(data) - 0.5, -0.5)
    month_starts = [date2num(pd.Timestamp(year, m, 1)) for m in range(1, 13)]
    ax.set_xticks(month_starts, labels=[f"T{m}" for m in range(1, 13)])
    ax.set_xlim(start - 3, end + 24)
    ax.set_xlabel(f"Năm {year}")
    ax.grid(axis="x")
    ax.tick_params(axis="y", length=0)

    handles: list = _legend_statuses(data["status"].astype(str))
    handles.append(
        Line2D(
            [],
            [],
            marker="D",
            color="#888888",
            markeredgecolor="#222222",
            linestyle="none",
            label="Hạn hoàn thành",
        )
    )
    if as_of is not None:
        day = pd.Timestamp(as_of)
        line = ax.axvline(
            date2num(day),
            color=TARGET_COLOUR,
            linestyle="--",
            linewidth=1.2,
            zorder=6,
            label=f"Ngày chốt {format_date(day)}",
        )
        line.set_gid("as_of")
        handles.append(line)
    legend_below(fig, handles, ncol=3)
    set_title(fig, title or f"Tiến độ thực hiện kế hoạch năm {year} theo nhiệm vụ")
    return fig


@styled
def section_progress(
    sections: pd.DataFrame,
    title: str | None = None,
    target: float | None = None,
) -> Figure:
    """Horizontal bars of each section's progress share, coloured by its status.

    Args:
        sections: Columns ``section_id``, ``section_title``, ``progress_share`` (in
            [0, 1]) and ``status`` (worst status of the section's tasks).
        title: Chart title.
        target: Optional target share, drawn as a vertical line (``gid`` ``"target"``).

    Returns:
        The figure; bars have ``gid`` ``"section:<id>"``.
    """
    require_columns(
        sections, ["section_id", "section_title", "progress_share", "status"], "Tiến độ theo phần"
    )
    data = sections.copy()
    data["_order"] = [roman_value(s) or 10_000 for s in data["section_id"]]
    data = data.sort_values("_order", kind="stable").reset_index(drop=True)
    shares = pd.to_numeric(data["progress_share"], errors="coerce").to_numpy(dtype=float)

    fig = new_figure(max(2.5, 0.42 * len(data) + 1.4))
    ax = fig.add_subplot()
    ys = np.arange(len(data))
    colours = [status_colour(s) for s in data["status"]]
    bars = ax.barh(ys, np.nan_to_num(shares), color=colours, edgecolor="#555555", height=0.62)
    for bar, section_id, share, status in zip(
        bars.patches, data["section_id"], shares, data["status"], strict=True
    ):
        bar.set_gid(f"section:{section_id}")
        label = STATUSES[status].label_vi if status in STATUSES else str(status)
        ax.annotate(
            f"{format_percent(share, 0)} · {label}",
            (max(share, 0) if share == share else 0, bar.get_y() + bar.get_height() / 2),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=7.5,
            zorder=5,  # above the target line, on a white ground to stay readable
            bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"},
        )
    labels = [
        wrap_label(f"{sid}. {title_}", 44, max_lines=2)
        for sid, title_ in zip(data["section_id"], data["section_title"], strict=True)
    ]
    ax.set_yticks(ys, labels=labels)
    ax.set_ylim(len(data) - 0.5, -0.6)
    ax.set_xlim(0, 1.45)
    ax.set_xticks(np.linspace(0, 1, 6))
    ax.xaxis.set_major_formatter(percent_formatter())
    ax.set_xlabel("Tỷ lệ nhiệm vụ hoàn thành hoặc đúng tiến độ")
    ax.grid(axis="x")
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)
    ax.spines["bottom"].set_bounds(0, 1)
    if target is not None:
        add_target_line(ax, target, target_text(target), vertical=True)
        legend_below(fig)
    set_title(fig, title or "Tiến độ thực hiện theo từng phần của kế hoạch")
    return fig


def _indicator_met(row: pd.Series) -> bool | None:
    met = row.get("met")
    if met is not None and not pd.isna(met):
        return bool(met)
    value, target = row["value"], row["target"]
    if pd.isna(value) or pd.isna(target):
        return None
    if row.get("direction") == "max":
        return bool(value <= target)
    return bool(value >= target)


_MET_STYLE = {
    True: ("Đạt chỉ tiêu", STATUSES["achieved"].colour),
    False: ("Chưa đạt chỉ tiêu", STATUSES["behind"].colour),
    None: ("Chưa đánh giá được", STATUSES["no_data"].colour),
    "monitor": ("Chỉ để theo dõi (chỉ tiêu: không quy định)", STATUSES["no_data"].colour),
}


def _indicator_row(ax, row: pd.Series) -> bool | str | None:
    """Draw one indicator on its own axes; return whether its target is met.

    ``"monitor"`` when the indicator has a value but no target (grey bar, "chỉ tiêu:
    không quy định").
    """
    unit = str(row["unit"])
    value = float(row["value"]) if pd.notna(row["value"]) else np.nan
    target = float(row["target"]) if pd.notna(row["target"]) else np.nan
    met = _indicator_met(row)
    if unit == "rate":
        upper = 1.0
        ax.set_xticks(np.linspace(0, 1, 6))
        ax.xaxis.set_major_formatter(percent_formatter())
    else:
        upper = max(np.nanmax([value, target, 1.0]) * 1.15, 1.0)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
        ax.xaxis.set_major_formatter(points_formatter() if unit == "points" else count_formatter())
    ax.set_xlim(0, upper * 1.02)
    ax.barh(0, upper, color="#f0f0f0", height=0.9, zorder=0)
    bar = ax.barh(0, 0 if value != value else value, color=_MET_STYLE[met][1], height=0.5, zorder=2)
    bar.patches[0].set_gid("value")
    shown = format_indicator_value(value, unit)
    if target == target:
        add_target_line(ax, target, "Chỉ tiêu", vertical=True)
        shown += f"\n{target_text(target, unit).lower()}"
    elif value == value:
        met = "monitor"  # a value without a target: monitored only
        shown += "\nchỉ tiêu: không quy định"
    ax.annotate(
        shown,
        xy=(1.0, 0.5),
        xycoords="axes fraction",
        xytext=(6, 0),
        textcoords="offset points",
        ha="left",
        va="center",
        fontsize=7.5,
    )
    ax.set_yticks([0], labels=[wrap_label(row["name_vi"], 34, max_lines=2)])
    ax.set_ylim(-0.5, 0.5)
    ax.tick_params(axis="y", length=0)
    ax.tick_params(axis="x", labelsize=7)
    ax.spines["left"].set_visible(False)
    return met


@styled
def indicator_vs_target(indicators: pd.DataFrame, title: str | None = None) -> Figure:
    """Bullet-style chart: each indicator's value as a bar, its target as a line.

    Each indicator has its own row and scale (rates 0–100%; counts and points from 0 to
    a little above the larger of value and target). Bars are blue when the target is met,
    orange when not, grey when it cannot be judged. ``met`` is taken from the frame or
    worked out from ``direction`` (``"min"``: at least the target, ``"max"``: at most).
    The value and the target are written at the right end of each row.

    Args:
        indicators: Columns ``name_vi``, ``value``, ``target``, ``unit`` (``"rate"``,
            ``"count"`` or ``"points"``); optional ``met`` and ``direction``.
        title: Chart title.

    Returns:
        The figure; one axes per indicator, target lines with ``gid`` ``"target"``,
        value bars with ``gid`` ``"value"``.
    """
    require_columns(indicators, ["name_vi", "value", "target", "unit"], "Chỉ tiêu")
    data = indicators.reset_index(drop=True)
    n = max(len(data), 1)
    fig = new_figure(0.62 * n + 1.1)
    axes = fig.subplots(n, 1, squeeze=False)[:, 0]
    outcomes = [
        _indicator_row(ax, row) for ax, (_, row) in zip(axes, data.iterrows(), strict=False)
    ]
    if data.empty:
        axes[0].text(
            0.5,
            0.5,
            "Chưa có chỉ tiêu",
            transform=axes[0].transAxes,
            ha="center",
            color=MUTED_COLOUR,
        )
        axes[0].set_axis_off()
    handles: list = [
        Patch(color=_MET_STYLE[m][1], label=_MET_STYLE[m][0])
        for m in (True, False, None, "monitor")
        if m in outcomes
    ]
    targets = [line for ax in axes for line in ax.get_lines() if line.get_gid() == "target"]
    handles += targets[:1]
    legend_below(fig, handles, ncol=4)
    set_title(fig, title or "Kết quả thực hiện so với chỉ tiêu")
    return fig
