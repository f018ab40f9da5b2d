"""Monthly trends of dossier rates against their targets, and the unit × month heat map."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.colors import ListedColormap, Normalize, TwoSlopeNorm, to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from tthc_analysis.charts.style import (
    COLUMN_LABELS_VI,
    LABEL_BOX,
    MUTED_COLOUR,
    SERIES_COLOURS,
    SERIES_MARKERS,
    TARGET_COLOUR,
    add_target_line,
    legend_below,
    month_labels,
    new_figure,
    percent_formatter,
    require_columns,
    set_title,
    styled,
    target_text,
    wrap_label,
)
from tthc_analysis.errors import ParameterError
from tthc_analysis.text import format_percent, nfc, vi_sort_key

__all__ = ["monthly_trend", "unit_month_heatmap"]


def _set_month_axis(ax, months: list[str], rotate_long: bool = True) -> None:
    labels, year = month_labels(months)
    ax.set_xticks(range(len(months)), labels=labels)
    ax.set_xlim(-0.6, len(months) - 0.4)
    if year is not None:
        ax.set_xlabel(f"Tháng (năm {year})")
    else:
        ax.set_xlabel("Tháng")
        if rotate_long and len(months) > 8:
            ax.tick_params(axis="x", labelrotation=45)
            for label in ax.get_xticklabels():
                label.set_horizontalalignment("right")
                label.set_rotation_mode("anchor")


def _series_targets(
    columns: list[str], target: float | Mapping[str, float] | None
) -> dict[str, float]:
    if target is None:
        return {}
    if isinstance(target, Mapping):
        return {c: float(target[c]) for c in columns if c in target and target[c] == target[c]}
    return {"": float(target)}


@styled
def monthly_trend(
    monthly: pd.DataFrame,
    value_column: str | Sequence[str],
    target: float | Mapping[str, float] | None = None,
    title: str | None = None,
    ylabel: str = "Tỷ lệ",
    *,
    month_column: str = "month",
    labels: Mapping[str, str] | None = None,
    annotate: bool | None = None,
) -> Figure:
    """Line chart of one or more rates by month, with target lines.

    Args:
        monthly: One row per month; ``month_column`` holds ``YYYY-MM`` (or any period
            label), the rate columns hold values in [0, 1] (NaN = no data, drawn as a
            gap).
        value_column: A rate column, or several (one line each), e.g.
            ``["on_time_rate", "full_online_share", "digitisation_rate"]``.
        target: One target for all series (one grey dashed line), or a mapping column
            -> target (a dashed line per series in the series' colour).
        title: Chart title; defaults to the series label.
        ylabel: Y axis label.
        month_column: Name of the month column.
        labels: Series labels overriding :data:`~tthc_analysis.charts.style.COLUMN_LABELS_VI`.
        annotate: Write each value above its point; default: only for a single series.

    Returns:
        The figure: lines have ``gid`` ``"series:<column>"``, targets ``"target"``.
    """
    columns = [value_column] if isinstance(value_column, str) else list(value_column)
    require_columns(monthly, [month_column, *columns], "Xu hướng theo tháng")
    names = {**COLUMN_LABELS_VI, **(labels or {})}
    data = monthly.sort_values(month_column, kind="stable").reset_index(drop=True)
    months = [str(m) for m in data[month_column]]
    x = np.arange(len(data))
    annotate = len(columns) == 1 if annotate is None else annotate

    fig = new_figure(3.6)
    ax = fig.add_subplot()
    ax.grid(axis="y")
    for i, column in enumerate(columns):
        values = pd.to_numeric(data[column], errors="coerce").to_numpy(dtype=float)
        colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
        (line,) = ax.plot(
            x,
            values,
            color=colour,
            marker=SERIES_MARKERS[i % len(SERIES_MARKERS)],
            label=nfc(names.get(column, column)),
            zorder=3,
        )
        line.set_gid(f"series:{column}")
        if annotate:
            for xi, value in zip(x, values, strict=True):
                if value == value:
                    ax.annotate(
                        format_percent(value, 0),
                        (xi, value),
                        xytext=(0, 5),
                        textcoords="offset points",
                        ha="center",
                        fontsize=7,
                        color=colour,
                        bbox=LABEL_BOX,
                        zorder=5,
                    )

    targets = _series_targets(columns, target)
    for column, value in targets.items():
        if column:
            colour = SERIES_COLOURS[columns.index(column) % len(SERIES_COLOURS)]
            text = target_text(value, prefix=f"Chỉ tiêu {names.get(column, column).lower()}:")
        else:
            colour, text = TARGET_COLOUR, target_text(value)
        add_target_line(ax, value, text, colour=colour)

    _set_month_axis(ax, months)
    ax.set_ylim(0, 1.08)
    ax.set_yticks(np.linspace(0, 1, 6))
    ax.yaxis.set_major_formatter(percent_formatter())
    ax.set_ylabel(ylabel)
    set_title(fig, title or names.get(columns[0], columns[0]))
    if len(columns) > 1 or targets:
        legend_below(fig, ncol=2)
    if not data.empty and all(data[c].isna().all() for c in columns):
        ax.text(
            0.5, 0.5, "Chưa có dữ liệu", transform=ax.transAxes, ha="center", color=MUTED_COLOUR
        )
    return fig


# --- Heat map ------------------------------------------------------------------------

_BELOW = ("#b2182b", "#fddbc7")
_ABOVE = ("#d1e5f0", "#2166ac")


def _split_cmap() -> ListedColormap:
    """Red shades below the target (darker = further below), blue shades at/above it."""

    def ramp(start: str, end: str, n: int, gamma: float) -> np.ndarray:
        a, b = np.array(to_rgb(start)), np.array(to_rgb(end))
        return a + (b - a) * (np.linspace(0, 1, n) ** gamma)[:, None]

    # gamma > 1 keeps cells a little below the target visibly red.
    below = ramp(*_BELOW, 128, 2.5)
    above = ramp(*_ABOVE, 128, 1.0)
    return ListedColormap(np.vstack([below, above]), name="tthc_target")


def _text_colour(rgba) -> str:
    r, g, b = rgba[:3]
    return "white" if 0.299 * r + 0.587 * g + 0.114 * b < 0.5 else "#222222"


@styled
def unit_month_heatmap(
    frame: pd.DataFrame,
    value_column: str,
    unit_column: str = "unit",
    month_column: str = "month",
    target: float | None = None,
    title: str | None = None,
) -> Figure:
    """Heat map of a rate by unit (rows) and month (columns), values written in the cells.

    Colour scale (0–100%): without a target, a sequential blue scale; with a target, a
    split scale centred on the target: red shades for cells below the target (darker =
    further below) and blue shades for cells at or above it. The target is marked on
    the colour bar (a line with ``gid`` ``"target"``). Empty cells are grey with "–".
    Units are sorted in Vietnamese alphabetical order, months chronologically.

    Args:
        frame: One row per unit and month (e.g. ``dossier_rates(by=["unit", "month"])``).
        value_column: The rate column (values in [0, 1]).
        unit_column: Column naming the unit (row label).
        month_column: Column with ``YYYY-MM`` months.
        target: Target rate in (0, 1].
        title: Chart title; defaults to the rate's label.

    Raises:
        ParameterError: missing columns, or two rows for the same unit and month.
    """
    require_columns(frame, [unit_column, month_column, value_column], "Bản đồ nhiệt")
    if frame.duplicated([unit_column, month_column]).any():
        raise ParameterError(
            f"Bản đồ nhiệt: có nhiều dòng cho cùng một cặp {unit_column} × {month_column}."
        )
    units = sorted(frame[unit_column].dropna().astype(str).unique(), key=vi_sort_key)
    months = sorted(frame[month_column].dropna().astype(str).unique())
    grid = (
        frame.assign(
            _u=frame[unit_column].astype(str),
            _m=frame[month_column].astype(str),
            _v=pd.to_numeric(frame[value_column], errors="coerce"),
        )
        .pivot(index="_u", columns="_m", values="_v")
        .reindex(index=units, columns=months)
    )
    values = grid.to_numpy(dtype=float)

    if target is not None and 0 < target <= 1:
        cmap = _split_cmap()
        norm = TwoSlopeNorm(vmin=0.0, vcenter=target, vmax=max(1.0, target + 1e-9))
    else:
        cmap, norm = "Blues", Normalize(0.0, 1.0)

    fig = new_figure(max(2.2, 0.42 * len(units) + 1.5))
    ax = fig.add_subplot()
    image = ax.imshow(np.ma.masked_invalid(values), cmap=cmap, norm=norm, aspect="auto")
    image.set_gid("heatmap")
    for (row, col), value in np.ndenumerate(values):
        if value != value:
            ax.add_patch(
                Rectangle(
                    (col - 0.5, row - 0.5),
                    1,
                    1,
                    facecolor="#eeeeee",
                    edgecolor="white",
                    hatch="///",
                    linewidth=0,
                    gid="missing",
                )
            )
            ax.text(col, row, "–", ha="center", va="center", fontsize=7, color=MUTED_COLOUR)
        else:
            ax.text(
                col,
                row,
                format_percent(value, 0),
                ha="center",
                va="center",
                fontsize=7,
                color=_text_colour(image.cmap(image.norm(value))),
                gid="cell",
            )
    ax.set_yticks(range(len(units)), labels=[wrap_label(u, 30) for u in units])
    ax.set_xticks(range(len(months)))
    _set_month_axis(ax, months, rotate_long=True)
    ax.set_xlim(-0.5, len(months) - 0.5)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xticks(np.arange(-0.5, len(months)), minor=True)
    ax.set_yticks(np.arange(-0.5, len(units)), minor=True)
    ax.grid(which="minor", color="white", linewidth=1.5)
    ax.tick_params(which="minor", length=0)

    bar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
    bar.ax.set_yscale("linear")  # a linear 0–100% scale even with the split norm
    bar.set_ticks(np.linspace(0, 1, 6).tolist())
    bar.ax.yaxis.set_major_formatter(percent_formatter())
    bar.outline.set_visible(False)
    if target is not None:
        add_target_line(bar.ax, target, target_text(target), annotate=False)
        bar.set_label(target_text(target))
    set_title(
        fig, title or f"{COLUMN_LABELS_VI.get(value_column, value_column)} theo đơn vị và tháng"
    )
    return fig
