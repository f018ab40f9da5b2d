"""Charts of dossier outcomes: the form 06/VPCP/KSTT breakdown by field."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from tthc_analysis.charts.style import (
    MUTED_COLOUR,
    count_formatter,
    legend_below,
    new_figure,
    require_columns,
    set_title,
    styled,
    wrap_label,
)
from tthc_analysis.labels import DOSSIER_OUTCOME_LABELS_VI
from tthc_analysis.text import fold, format_number

__all__ = ["FORM06_OUTCOMES", "form06_breakdown"]

FORM06_OUTCOMES: dict[str, tuple[str, str]] = {
    "finished_early": (DOSSIER_OUTCOME_LABELS_VI["early"], "#1a9850"),
    "finished_on_time": (DOSSIER_OUTCOME_LABELS_VI["on_time"], "#91cf60"),
    "finished_overdue": (DOSSIER_OUTCOME_LABELS_VI["overdue"], "#b2182b"),
    "pending_in_time": (DOSSIER_OUTCOME_LABELS_VI["pending_in_time"], "#67a9cf"),
    "pending_overdue": (DOSSIER_OUTCOME_LABELS_VI["pending_overdue"], "#ef8a62"),
}
"""Form 06 outcome columns -> (Vietnamese label, colour), in stacking order; the labels
are the dossier outcomes of :mod:`tthc_analysis.labels`."""

_TOTAL_LABELS = {fold("Tổng cộng"), fold("Tổng"), fold("Cộng")}


@styled
def form06_breakdown(form06_frame: pd.DataFrame, title: str | None = None) -> Figure:
    """Stacked horizontal bars of dossier outcomes per field (form 06/VPCP/KSTT).

    Each field (lĩnh vực) is a bar split into: finished early, on time, overdue, pending
    in time, pending overdue; the total number of dossiers is written at the end of the
    bar. The total row ("Tổng cộng") is left out of the bars; the grand total (from that
    row, or the sum of the bars) is written in the axis label. Fields keep the order of
    the form.

    Args:
        form06_frame: ``form06()`` output: ``field`` and the five outcome columns
            (``finished_early``, ``finished_on_time``, ``finished_overdue``,
            ``pending_in_time``, ``pending_overdue``).
        title: Chart title.

    Returns:
        The figure; segments have ``gid`` ``"<outcome>:<field>"``.
    """
    require_columns(form06_frame, ["field", *FORM06_OUTCOMES], "Biểu mẫu 06")
    is_total = form06_frame["field"].map(lambda v: fold(str(v)) in _TOTAL_LABELS)
    data = form06_frame[~is_total].reset_index(drop=True)
    counts = data[list(FORM06_OUTCOMES)].apply(pd.to_numeric, errors="coerce").fillna(0)
    totals = counts.sum(axis=1).to_numpy(dtype=float)

    fig = new_figure(max(2.6, 0.42 * len(data) + 1.8))
    ax = fig.add_subplot()
    ys = np.arange(len(data))
    left = np.zeros(len(data))
    for column, (label, colour) in FORM06_OUTCOMES.items():
        widths = counts[column].to_numpy(dtype=float)
        bars = ax.barh(
            ys,
            widths,
            left=left,
            color=colour,
            label=label,
            height=0.62,
            edgecolor="white",
            linewidth=0.6,
        )
        for bar, field in zip(bars.patches, data["field"], strict=True):
            bar.set_gid(f"{column}:{field}")
        left += widths
    upper = max(totals.max() if len(totals) else 0, 1)
    for y, total in zip(ys, totals, strict=True):
        ax.annotate(
            format_number(total),
            (total, y),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=7.5,
            gid="total",
        )
    ax.set_yticks(ys, labels=[wrap_label(f, 34, max_lines=2) for f in data["field"]])
    ax.set_ylim(len(data) - 0.5, -0.6)
    ax.set_xlim(0, upper * 1.12)
    ax.xaxis.set_major_formatter(count_formatter())
    total_rows = form06_frame.loc[is_total, list(FORM06_OUTCOMES)].apply(
        pd.to_numeric, errors="coerce"
    )
    grand = total_rows.iloc[0].sum() if len(total_rows) else totals.sum()
    ax.set_xlabel(f"Số hồ sơ (tổng cộng: {format_number(grand)} hồ sơ)")
    ax.grid(axis="x")
    ax.tick_params(axis="y", length=0)
    legend_below(fig, ncol=3)
    if data.empty:
        ax.text(0.5, 0.5, "Không có hồ sơ", transform=ax.transAxes, ha="center", color=MUTED_COLOUR)
    set_title(fig, title or "Tình hình giải quyết hồ sơ TTHC theo lĩnh vực (Biểu mẫu 06)")
    return fig
