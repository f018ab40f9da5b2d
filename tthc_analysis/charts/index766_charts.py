"""Charts of the 766 service-quality index (Decision 766/QĐ-TTg): total and group scores."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from tthc_analysis.charts.style import (
    LABEL_BOX,
    MUTED_COLOUR,
    SERIES_COLOURS,
    add_target_line,
    format_points,
    legend_below,
    month_label,
    month_labels,
    new_figure,
    points_formatter,
    require_columns,
    set_title,
    styled,
    target_text,
)
from tthc_analysis.errors import ParameterError
from tthc_analysis.fields import INDEX766_GROUP_CODES

__all__ = ["FIVE_GROUPS", "SIX_GROUPS", "index766_groups", "index766_trend"]

SIX_GROUPS = ("CKMB", "TDGQ", "CLGQ", "TTTT", "MDSH", "MDHL")
"""Group codes of the six-group view (as the DVCQG portal shows them)."""

FIVE_GROUPS = ("CKMB", "TDGQ", "DVTT", "MDSH", "MDHL")
"""Group codes of the five-group view of the decision (DVTT = CLGQ + TTTT)."""


def group_label(code: str) -> str:
    """Vietnamese name of a 766 group code (``"MDHL"`` -> ``"Mức độ hài lòng"``)."""
    texts = INDEX766_GROUP_CODES.get(code)
    return texts[0] if texts else code


def _single_unit(scores: pd.DataFrame) -> pd.DataFrame:
    if "unit" in scores.columns and scores["unit"].dropna().nunique() > 1:
        raise ParameterError(
            "Bảng điểm 766 có nhiều đơn vị; hãy lọc một đơn vị trước khi vẽ biểu đồ.",
            column="unit",
        )
    return scores


def _group_view(scores: pd.DataFrame, view: str) -> pd.DataFrame:
    """Scores in the 5- or 6-group view: columns period, group_code, score, max_score."""
    frame = _single_unit(scores).copy()
    if "max_score" not in frame.columns:
        frame["max_score"] = np.nan
    frame = frame[["period", "group_code", "score", "max_score"]].astype(
        {"period": str, "group_code": str, "score": float, "max_score": float}
    )
    if view == "5":
        split = frame[frame["group_code"].isin(["CLGQ", "TTTT"])]
        both = split.groupby("period").filter(lambda g: set(g["group_code"]) == {"CLGQ", "TTTT"})
        derived = both.groupby("period", as_index=False)[["score", "max_score"]].sum(min_count=2)
        derived["group_code"] = "DVTT"
        have = set(frame.loc[frame["group_code"] == "DVTT", "period"])
        derived = derived[~derived["period"].isin(have)]
        frame = pd.concat([frame, derived], ignore_index=True)
        codes = FIVE_GROUPS
    elif view == "6":
        codes = SIX_GROUPS
    else:
        raise ParameterError(f"Cách nhóm chỉ số 766 không hợp lệ: «{view}» (dùng 5 hoặc 6).")
    return frame[frame["group_code"].isin(codes)]


def index766_totals(scores: pd.DataFrame, value_column: str = "total") -> pd.DataFrame:
    """Total score by period: the sum of the five groups, else the published ``TONG``.

    As in :func:`tthc_analysis.metrics.index766.scores_wide`, the total is the sum of the five
    groups (DVTT derived from CLGQ + TTTT) when all five are given; a period missing a
    group takes its published total (``TONG``) if any, else NaN (never a partial sum).
    A frame without ``group_code`` is taken to be wide already (``period`` and
    ``value_column`` columns, e.g. ``scores_wide`` output).

    Returns:
        Columns ``period`` and ``total``, sorted by period.
    """
    if "group_code" not in scores.columns:
        require_columns(scores, ["period", value_column], "Tổng điểm 766")
        out = scores[["period", value_column]].rename(columns={value_column: "total"})
        return out.astype({"period": str}).sort_values("period").reset_index(drop=True)
    require_columns(scores, ["period", "group_code", "score"], "Tổng điểm 766")
    _single_unit(scores)
    five = _group_view(scores, "5")
    complete = five.groupby("period")["group_code"].nunique() == len(FIVE_GROUPS)
    summed = five.groupby("period")["score"].sum().where(complete)
    published = (
        scores[scores["group_code"] == "TONG"]
        .astype({"period": str})
        .groupby("period")["score"]
        .first()
    )
    periods = sorted(set(summed.index) | set(published.index))
    total = summed.reindex(periods).fillna(published.reindex(periods))
    return pd.DataFrame({"period": periods, "total": total.to_numpy(dtype=float)})


@styled
def index766_trend(
    scores: pd.DataFrame,
    target: float | None = None,
    title: str | None = None,
    *,
    reference: float | None = None,
    reference_label: str = "Trung bình năm trước",
    value_column: str = "total",
) -> Figure:
    """Bars of the 766 total score (out of 100) by month, with target and reference lines.

    Args:
        scores: Tidy scores (``period``, ``group_code``, ``score``; totals from
            :func:`index766_totals`) or a wide frame with ``period`` and ``value_column``.
        target: Target total, a dashed line (``gid`` ``"target"``).
        title: Chart title.
        reference: A reference level such as the previous year's mean, a dotted line
            (``gid`` ``"reference"``).
        reference_label: Text of the reference line, followed by its value.
        value_column: Total column of a wide frame.

    Returns:
        The figure; bars have ``gid`` ``"total:<period>"``.
    """
    totals = index766_totals(scores, value_column)
    months = totals["period"].tolist()
    values = totals["total"].to_numpy(dtype=float)
    fig = new_figure(3.4)
    ax = fig.add_subplot()
    ax.grid(axis="y")
    x = np.arange(len(months))
    bars = ax.bar(x, np.nan_to_num(values), color=SERIES_COLOURS[0], width=0.62, zorder=2)
    for bar, month, value in zip(bars.patches, months, values, strict=True):
        bar.set_gid(f"total:{month}")
        ax.annotate(
            format_points(value),
            (bar.get_x() + bar.get_width() / 2, 0 if value != value else value),
            xytext=(0, 2),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=7,
            bbox=LABEL_BOX,
            zorder=5,
        )
    bars.set_label("Tổng điểm")
    if target is not None:
        add_target_line(ax, target, target_text(target, "points"))
    if reference is not None:
        line = ax.axhline(
            reference,
            color=MUTED_COLOUR,
            linestyle=":",
            linewidth=1.4,
            zorder=4,
            label=f"{reference_label}: {format_points(reference)} điểm",
        )
        line.set_gid("reference")
    if target is not None or reference is not None:
        legend_below(fig)
    labels, year = month_labels(months)
    ax.set_xticks(x, labels=labels)
    ax.set_xlabel(f"Tháng (năm {year})" if year else "Tháng")
    ax.set_ylim(0, 108)
    ax.set_yticks(np.arange(0, 101, 20))
    ax.yaxis.set_major_formatter(points_formatter())
    ax.set_ylabel("Điểm (tối đa 100)")
    set_title(fig, title or "Tổng điểm Bộ chỉ số 766 theo tháng")
    return fig


@styled
def index766_groups(
    scores: pd.DataFrame,
    view: str = "6",
    title: str | None = None,
    *,
    targets: Mapping[str, float] | None = None,
) -> Figure:
    """Small multiples: each 766 group's score by month against its maximum.

    Args:
        scores: Tidy frame with ``period`` (``YYYY-MM``), ``group_code``, ``score`` and
            ``max_score`` (one unit).
        view: ``"6"`` (CKMB, TDGQ, CLGQ, TTTT, MDSH, MDHL) or ``"5"`` (CLGQ + TTTT shown
            as DVTT when DVTT itself is not given).
        title: Chart title.
        targets: Optional target points per group code (dashed line, ``gid`` ``"target"``).

    Returns:
        The figure: one axes per group (titled with the group name and the latest
        score); bars have ``gid`` ``"score:<code>:<period>"`` and the maximum is a line
        with ``gid`` ``"max_score"``.
    """
    require_columns(scores, ["period", "group_code", "score"], "Điểm nhóm chỉ số 766")
    frame = _group_view(scores, str(view))
    codes = SIX_GROUPS if str(view) == "6" else FIVE_GROUPS
    months = sorted(frame["period"].unique())
    labels, year = month_labels(months, compact=True)
    fig = new_figure(4.8)
    axes = fig.subplots(2, 3, sharex=True).ravel()
    x = np.arange(len(months))
    for ax, code in zip(axes, codes, strict=False):
        group = (
            frame[frame["group_code"] == code]
            .groupby("period")
            .agg(score=("score", "first"), max_score=("max_score", "max"))
        )
        values = group["score"].reindex(months).to_numpy(dtype=float)
        maximum = group["max_score"].max()
        bars = ax.bar(x, np.nan_to_num(values), color=SERIES_COLOURS[0], width=0.7, zorder=2)
        for bar, month in zip(bars.patches, months, strict=True):
            bar.set_gid(f"score:{code}:{month}")
        top = maximum if maximum == maximum else np.nanmax([*values, 1.0])
        if maximum == maximum:
            line = ax.axhline(
                maximum,
                color=MUTED_COLOUR,
                linewidth=1.0,
                zorder=3,
                label=f"Tối đa {format_points(maximum)}",
            )
            line.set_gid("max_score")
        if targets and code in targets:
            add_target_line(ax, targets[code], target_text(targets[code], "points"), annotate=False)
        latest = next((v for v in values[::-1] if v == v), np.nan)
        ax.set_title(
            f"{group_label(code)}\n{format_points(latest)}"
            + (f"/{format_points(maximum)} điểm" if maximum == maximum else " điểm")
            + (f" ({month_label(months[-1])})" if len(months) else ""),
            fontsize=8.5,
        )
        ax.set_ylim(0, top * 1.15)
        ax.yaxis.set_major_formatter(points_formatter())
        ax.grid(axis="y")
        ax.set_xticks(x, labels=labels)
        ax.tick_params(axis="x", labelsize=7)
    for ax in axes[len(codes) :]:
        ax.set_axis_off()
    for ax in axes[max(len(codes) - 3, 0) : 3]:
        ax.tick_params(axis="x", labelbottom=True)  # nothing below it shows the months
    handles = []
    for gid in ("max_score", "target"):
        found = [line for ax in axes for line in ax.get_lines() if line.get_gid() == gid]
        handles += found[:1]
    if handles:
        names = {"max_score": "Điểm tối đa của nhóm", "target": "Chỉ tiêu của nhóm"}
        fig.legend(
            handles, [names[h.get_gid()] for h in handles], loc="outside lower center", ncol=2
        )
    set_title(
        fig,
        title
        or f"Điểm các nhóm chỉ số 766 theo tháng{f' năm {year}' if year else ''} ({len(codes)} nhóm)",
    )
    return fig
