"""The same period of the previous year ("so với cùng kỳ năm trước").

Official reports state each headline figure against the same period of the previous
year. :func:`previous_period` gives that period (same kind, year − 1, cut at the as-of
date one year earlier); :func:`coverage_gaps` says whether the previous year's dossiers
cover it (every calendar month of the period has received dossiers, otherwise the
comparison would compare a full period with a fragment); :func:`headline_comparison` and
:func:`form06_comparison` put the two periods side by side with the change.

Pure functions on frames and dicts; the figures come from the same metric functions as
the current period (:func:`tthc_analysis.metrics.rates.dossier_rates`,
:func:`tthc_analysis.metrics.form06.form06`).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from tthc_analysis.metrics.dossiers import DossierData
from tthc_analysis.metrics.form06 import COUNT_COLUMNS
from tthc_analysis.metrics.form06 import form06 as build_form06
from tthc_analysis.metrics.rates import dossier_rates
from tthc_analysis.periods import Period, parse_period
from tthc_analysis.plan.unit_matching import filter_tables_by_units

if TYPE_CHECKING:
    from tthc_analysis.evaluation.evaluate import Evaluation
    from tthc_analysis.loading.ingest import Tables

__all__ = [
    "COMPARISON_COLUMNS",
    "add_previous_year",
    "FORM06_LABELS_VI",
    "HEADLINE_FIGURES",
    "coverage_gaps",
    "form06_comparison",
    "headline_comparison",
    "previous_period",
    "shift_year",
]

HEADLINE_FIGURES: tuple[tuple[str, str, str], ...] = (
    ("n_in_scope", "Tổng số hồ sơ nhận giải quyết", "count"),
    ("n_received", "Hồ sơ tiếp nhận mới trong kỳ", "count"),
    ("n_online", "Hồ sơ nộp trực tuyến", "count"),
    ("online_share", "Tỷ lệ hồ sơ nộp trực tuyến", "rate"),
    ("n_full_online", "Hồ sơ xử lý hoàn toàn trực tuyến", "count"),
    ("full_online_share", "Tỷ lệ hồ sơ xử lý hoàn toàn trực tuyến", "rate"),
    ("n_finished", "Hồ sơ đã giải quyết", "count"),
    ("on_time_rate", "Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn", "rate"),
    ("n_overdue", "Hồ sơ quá hạn", "count"),
    ("digitisation_rate", "Tỷ lệ số hóa hồ sơ", "rate"),
    ("e_result_rate", "Tỷ lệ cấp kết quả giải quyết điện tử", "rate"),
)
"""(key in the dossier totals, Vietnamese label, kind) of each compared headline figure."""

FORM06_LABELS_VI: dict[str, str] = {
    "received_total": "(3) Số hồ sơ nhận giải quyết – tổng số",
    "received_online": "(4) Trong đó: trực tuyến",
    "received_offline": "(5) Trong đó: trực tiếp, dịch vụ bưu chính",
    "carried_over": "(6) Trong đó: từ kỳ trước",
    "finished_total": "(7) Số hồ sơ đã giải quyết – tổng số",
    "finished_early": "(8) Trước hạn",
    "finished_on_time": "(9) Đúng hạn",
    "finished_overdue": "(10) Quá hạn",
    "pending_total": "(11) Số hồ sơ đang giải quyết – tổng số",
    "pending_in_time": "(12) Trong hạn",
    "pending_overdue": "(13) Quá hạn",
}
"""Vietnamese label of each form 06 total (columns 3–13)."""

COMPARISON_COLUMNS = ("key", "label_vi", "kind", "current", "previous", "change", "change_rel")
"""Columns of a comparison table: ``change`` = current − previous (percentage points ×
0,01 for rates), ``change_rel`` = change ÷ previous for counts (NaN for rates or when the
previous value is 0)."""


def shift_year(day: date, years: int = -1) -> date:
    """``day`` moved by ``years`` (29/02 becomes 28/02)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def previous_period(period_text: str, year: int, window: str, as_of: date) -> Period:
    """The same period of ``year - 1``, cut at ``as_of`` one year earlier.

    A period text naming its year (``2025-03``, ``15/06/2025-14/09/2025``) has its years
    moved back by one.
    """
    text = re.sub(r"(?<!\d)(\d{4})(?!\d)", lambda m: str(int(m.group(1)) - 1), str(period_text))
    return parse_period(text, year - 1, window).clipped(shift_year(as_of))


def coverage_gaps(received_at: pd.Series, period: Period) -> list[str]:
    """Months (``mm/yyyy``) of ``period`` without any dossier received in them.

    Args:
        received_at: Receipt times of the previous year's dossiers.
        period: The previous period.

    Returns:
        The months with no receipt in the part of the month inside the period; empty when
        every month is covered.
    """
    times = pd.to_datetime(received_at, errors="coerce").dropna()
    start, end = pd.Timestamp(period.start), pd.Timestamp(period.end) + pd.Timedelta(days=1)
    inside = times[(times >= start) & (times < end)]
    seen = set(inside.dt.strftime("%Y-%m"))
    months = pd.period_range(period.start, period.end, freq="M")
    return [f"{m.month:02d}/{m.year}" for m in months if f"{m.year}-{m.month:02d}" not in seen]


def _num(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def _row(kind: str, current, previous) -> tuple[float, float, float, float]:
    cur, prev = _num(current), _num(previous)
    change = cur - prev
    rel = change / prev if kind == "count" and prev and not np.isnan(prev) else float("nan")
    return cur, prev, change, rel


def headline_comparison(current: dict, previous: dict) -> pd.DataFrame:
    """The headline figures of both periods and the change.

    Args:
        current: Dossier totals of the period (one row of ``dossier_rates`` as a dict).
        previous: The same for the previous year's period.

    Returns:
        One row per :data:`HEADLINE_FIGURES` entry (:data:`COMPARISON_COLUMNS`).
    """
    rows = []
    for key, label, kind in HEADLINE_FIGURES:
        rows.append((key, label, kind, *_row(kind, current.get(key), previous.get(key))))
    return pd.DataFrame(rows, columns=list(COMPARISON_COLUMNS))


def form06_comparison(current: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """The total row of two form 06 tables side by side (columns 3–13)."""
    cur = current.iloc[-1] if len(current) else pd.Series(dtype="float64")
    prev = previous.iloc[-1] if len(previous) else pd.Series(dtype="float64")
    rows = [
        (c, FORM06_LABELS_VI[c], "count", *_row("count", cur.get(c, 0), prev.get(c, 0)))
        for c in COUNT_COLUMNS
    ]
    return pd.DataFrame(rows, columns=list(COMPARISON_COLUMNS))


def empty_comparison() -> pd.DataFrame:
    """A comparison table without rows (comparison not available)."""
    return pd.DataFrame({c: pd.Series(dtype="object") for c in COMPARISON_COLUMNS})


def add_previous_year(ev: Evaluation, tables: Tables, previous: Tables | None = None) -> Evaluation:
    """``ev`` with the comparison with the same period of the previous year filled in.

    Args:
        ev: The evaluation of the period.
        tables: The tables ``ev`` was computed from (searched for the previous year when
            ``previous`` is ``None``: one folder holding both years).
        previous: Tables of the previous year's exports (a second data folder).

    Returns:
        A copy of ``ev`` with ``previous_period``, ``comparison``, ``comparison_form06``
        and ``comparison_note`` set: the tables are empty and the note says why when the
        previous year's dossiers do not cover every month of the previous period.
    """
    params, refs = ev.params, ev.references
    calendar, rules = refs.calendar, refs.settings.dossiers
    prev_period = previous_period(params.period, params.year, params.window, params.as_of)
    frames = filter_tables_by_units(previous if previous is not None else tables, params.unit_list)
    d, p = frames["dossiers"], frames["procedures"]
    gaps = coverage_gaps(d["received_at"], prev_period) if len(d) else ["*"]
    if gaps:
        where = "thư mục dữ liệu năm trước" if previous is not None else "dữ liệu"
        missing = (
            "không có hồ sơ nào"
            if gaps == ["*"] or len(gaps) > 6
            else f"không có hồ sơ tiếp nhận trong tháng {', '.join(gaps)}"
        )
        note = (
            f"Chưa so sánh được với cùng kỳ năm trước ({prev_period.label_vi}): {where} "
            f"{missing}. Cung cấp số liệu năm {params.year - 1} (--previous-data) để so sánh."
        )
        return replace(ev, previous_period=prev_period, comparison_note=note)
    data = DossierData(d, p, calendar, rules)
    prev_totals = dossier_rates(data, p, prev_period, None, calendar, rules)
    prev_f06 = build_form06(data, prev_period, calendar, rules, procedures=p)
    current = ev.totals.iloc[0].to_dict() if len(ev.totals) else {}
    previous_row = prev_totals.iloc[0].to_dict() if len(prev_totals) else {}
    return replace(
        ev,
        previous_period=prev_period,
        comparison=headline_comparison(current, previous_row),
        comparison_form06=form06_comparison(ev.form06, prev_f06),
        comparison_note="",
    )
