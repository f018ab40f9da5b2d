"""Indicator values and their judgment against targets (rules in :mod:`tthc_analysis.evaluation.tasks`).

:class:`MetricValue` is what every metric hands to the task judgment; :func:`judge_indicator`
compares it with the target of the task table (or its projection, :func:`linear_projection`,
before the target date); :func:`activity_metric` computes the indicators counted from a
task's own evidence items.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from tthc_analysis.evaluation.attribution import _month_key, required_months
from tthc_analysis.evaluation.evidence_rules import _records
from tthc_analysis.text import format_date, format_number, format_percent

__all__ = ["MetricValue", "activity_metric", "judge_indicator", "linear_projection"]

_EPS = 1e-9


@dataclass
class MetricValue:
    """A computed indicator value.

    Attributes:
        value: The value (NaN when there is no data).
        detail_vi: Context shown after the value, e.g. "1.234/2.359 hồ sơ".
        projection: Projected value at the target date (NaN when none).
        target: Target supplied by the metric itself (e.g. the previous year's mean);
            used when the table leaves the target empty.
        cap: Number of items due so far; a yearly count target is capped at it.
        note_vi: Extra text for the basis when the value is missing.
        empty_status: Status the indicator gives when it has no value because nothing
            happened (e.g. ``not_triggered``: no PAKN to handle in the period).
        trend_vi: What the projection rests on, or why there is none (e.g. "danh mục
            không có ngày cung cấp DVCTT toàn trình"); appended to the basis.
    """

    value: float = float("nan")
    detail_vi: str = ""
    projection: float = float("nan")
    target: float = float("nan")
    cap: float = float("nan")
    note_vi: str = ""
    empty_status: str = ""
    trend_vi: str = ""


def linear_projection(values: Sequence[float], positions: Sequence[float], at: float) -> float:
    """Least-squares line through (position, value) points, read at ``at``.

    NaN values are ignored; fewer than two points give NaN. Not clipped.
    """
    x = np.asarray(positions, dtype="float64")
    y = np.asarray(values, dtype="float64")
    ok = np.isfinite(x) & np.isfinite(y)
    if ok.sum() < 2 or np.ptp(x[ok]) == 0:
        return float("nan")
    slope, intercept = np.polyfit(x[ok], y[ok], 1)
    return float(slope * at + intercept)


def _fmt(value: float, unit: str) -> str:
    """A measured value or projection, written the Vietnamese way.

    Rates with one decimal (``"97,0%"``), points with two (``"90,86"``, as published),
    counts whole (one decimal if fractional).
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if unit == "rate":
        return format_percent(value, 1)
    if unit == "points":
        return format_number(value, 0 if float(value).is_integer() else 2)
    return format_number(value, 0 if float(value).is_integer() else 1)


def _fmt_target(value: float, unit: str) -> str:
    """A target as the plan states it: ``"80%"``, ``"82,5%"``, ``"4"``."""
    if unit == "rate" and not math.isnan(value):
        whole = round(value * 100, 6).is_integer()
        return format_percent(value, 0 if whole else 1)
    return _fmt(value, unit)


def judge_indicator(spec: Mapping, metric: MetricValue, as_of: date) -> dict:
    """Judge one indicator row of the task table.

    Returns:
        A dict with ``value``, ``target`` (the one applied), ``met`` (True/False/NA),
        ``projection``, ``judged_on`` (``value``/``projection``/``""``), ``basis_vi``.
    """
    name, unit, direction = spec["name_vi"], spec["unit"] or "rate", spec["direction"] or "min"
    target = float("nan") if spec["target"] is None else float(spec["target"])
    if math.isnan(target) and not math.isnan(metric.target):
        target = metric.target
    value = metric.value
    target_date = spec.get("target_date")
    has_date = target_date is not None and not pd.isna(target_date)
    applied = target
    if not math.isnan(target) and not math.isnan(metric.cap) and unit == "count":
        applied = min(target, metric.cap) if direction == "min" else target
    detail = f" ({metric.detail_vi})" if metric.detail_vi else ""
    proj_text = ""
    if has_date and not math.isnan(metric.projection):
        proj_text = (
            f"; dự báo {format_date(pd.Timestamp(target_date))}: {_fmt(metric.projection, unit)}"
        )
    if math.isnan(value):
        note = metric.note_vi or "chưa có dữ liệu"
        return _judged(value, target, pd.NA, metric.projection, "", f"{name}: {note}")
    if math.isnan(target):
        basis = f"{name}: {_fmt(value, unit)}{detail} (theo dõi, không có chỉ tiêu){proj_text}"
        if metric.trend_vi:
            basis += f"; {metric.trend_vi}"
        return _judged(value, target, pd.NA, metric.projection, "", basis)
    if spec.get("target_kind") == "reference":
        # A level the plan does not set: shown beside the value, never judged (issue 13).
        above = value >= target - _EPS if direction == "min" else value <= target + _EPS
        op = ("≥" if above else "<") if direction == "min" else ("≤" if above else ">")
        basis = (
            f"{name}: {_fmt(value, unit)}{detail} {op} mức tham chiếu "
            f"{_fmt_target(target, unit)} của người phân tích "
            f"(kế hoạch không đặt chỉ tiêu; không dùng để đánh giá){proj_text}"
        )
        return _judged(value, target, pd.NA, metric.projection, "", basis)
    before = has_date and as_of < pd.Timestamp(target_date).date()
    use_projection = before and not math.isnan(metric.projection)
    judged_value = metric.projection if use_projection else value
    met = judged_value >= applied - _EPS if direction == "min" else judged_value <= applied + _EPS
    op = (">=" if met else "<") if direction == "min" else ("<=" if met else ">")
    op = {">=": "≥", "<=": "≤"}.get(op, op)
    target_text = f"chỉ tiêu {_fmt_target(applied, unit)}"
    if applied != target:
        target_text += f" (đến hạn; cả năm {_fmt_target(target, unit)})"
    if use_projection:
        basis = (
            f"{name}: {_fmt(value, unit)}{detail}; dự báo "
            f"{format_date(pd.Timestamp(target_date))}: {_fmt(metric.projection, unit)} "
            f"{op} {target_text} ({'đúng hướng' if met else 'chưa đúng hướng'})"
        )
    else:
        basis = f"{name}: {_fmt(value, unit)}{detail} {op} {target_text}{proj_text}"
    if metric.trend_vi:
        basis += f"; {metric.trend_vi}"
    return _judged(
        value,
        applied,
        bool(met),
        metric.projection,
        "projection" if use_projection else "value",
        basis,
    )


def _judged(value, target, met, projection, judged_on, basis) -> dict:
    return {
        "value": value,
        "target": target,
        "met": met,
        "projection": projection,
        "judged_on": judged_on,
        "basis_vi": basis,
    }


_ACTIVITY_METRICS = {
    "notice_months": "months",
    "proposals_count": "count",
    "trainings_count": "count",
    "training_participants": "participants",
    "communication_items": "count",
}


def activity_metric(
    indicator_id: str, items: pd.DataFrame, year: int, as_of: date, due_day: int = 10
) -> MetricValue:
    """A metric computed from the task's own evidence items.

    ``notice_months`` (and any id ending in ``_months``): distinct months of ``year``
    covered (the yearly target is capped at the months due); ``*_participants``: sum of
    ``participants``; anything else: number of items. Items dated in ``year`` up to
    ``as_of``.
    """
    return _activity_metric(indicator_id, _records(items), year, as_of, due_day)


def _activity_metric(
    indicator_id: str, records: list[dict], year: int, as_of: date, due_day: int
) -> MetricValue:
    kind = _ACTIVITY_METRICS.get(indicator_id)
    if kind is None:
        if indicator_id.endswith("_months"):
            kind = "months"
        elif indicator_id.endswith("_participants"):
            kind = "participants"
        else:
            kind = "count"
    items = [r for r in records if r["date"] is not None and r["date"] <= as_of]
    if kind == "months":
        due = len(required_months(year, as_of, due_day))
        covered = {_month_key(r["date"], r.get("covers_period"), due_day) for r in items}
        n = sum(1 for k in covered if k and k.startswith(f"{year}-"))
        return MetricValue(float(n), f"{due} tháng đến hạn", cap=float(due))
    in_year = [r for r in items if r["date"].year == year]
    if kind == "participants":
        values = pd.to_numeric(
            pd.Series([r.get("participants") for r in in_year], dtype=object), errors="coerce"
        )
        return MetricValue(float(values.sum()) if len(values) else 0.0, f"{len(in_year)} lượt")
    return MetricValue(float(len(in_year)))
