"""The same period of the previous year ("so với cùng kỳ năm trước").

Official reports state each headline figure against the same period of the previous
year. :func:`previous_period` gives that period (same kind, year − 1, cut at the as-of
date one year earlier); :func:`coverage_gaps` says whether the previous year's dossiers
cover it (every calendar month of the period has received dossiers, otherwise the
comparison would compare a full period with a fragment); :func:`headline_comparison` and
:func:`form06_comparison` put the two periods side by side with the change.

Besides the dossier figures, the PAKN figures (:data:`PAKN_FIGURES`, from
:func:`tthc_analysis.metrics.feedback.feedback_summary`) and the published 766 totals
(:func:`index766_comparison`: the mean of the calendar months of the period and the last
month, over the months published in both years) are compared; each part is compared only
when the previous year's data hold it, and the note says which part is not. A comparison
across the organisation change of 01/07/2025 (the previous period run by the body before
the change) is flagged in the note (issue 13).

Pure functions on frames and dicts; the figures come from the same metric functions as
the current period (:func:`tthc_analysis.metrics.rates.dossier_rates`,
:func:`tthc_analysis.metrics.form06.form06`).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from tthc_analysis.loading.organisation import (
    attribute_scores,
    body_spans,
    break_in,
    issuing_body,
    unit_table,
)
from tthc_analysis.metrics.dossiers import DossierData
from tthc_analysis.metrics.feedback import feedback_summary, feedback_timeliness
from tthc_analysis.metrics.form06 import COUNT_COLUMNS
from tthc_analysis.metrics.form06 import form06 as build_form06
from tthc_analysis.metrics.index766 import scores_wide
from tthc_analysis.metrics.rates import dossier_rates
from tthc_analysis.periods import Period, parse_period
from tthc_analysis.plan.unit_matching import filter_tables_by_units
from tthc_analysis.text import format_date

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
    "index766_comparison",
    "PAKN_FIGURES",
    "pakn_comparison",
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

PAKN_FIGURES: tuple[tuple[str, str, str, str], ...] = (
    ("pakn_received", "PAKN tiếp nhận trong kỳ", "count", "n_received_in_period"),
    ("pakn_handled", "PAKN đã xử lý", "count", "n_handled"),
    ("pakn_on_time_rate", "Tỷ lệ PAKN xử lý đúng hạn", "rate", "on_time_rate"),
    (
        "pakn_published_on_time_rate",
        "Tỷ lệ PAKN đã xử lý được công khai đúng hạn",
        "rate",
        "published_on_time_rate",
    ),
)
"""(key, Vietnamese label, kind, key in :func:`feedback_summary`) of each PAKN figure
(VII.1: handled within the limit; VII.2: published within the limit)."""

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


def pakn_comparison(current: dict, previous: dict) -> pd.DataFrame:
    """The PAKN figures of both periods (two :func:`feedback_summary` dicts) and the change."""
    rows = [
        (key, label, kind, *_row(kind, current.get(src), previous.get(src)))
        for key, label, kind, src in PAKN_FIGURES
    ]
    return pd.DataFrame(rows, columns=list(COMPARISON_COLUMNS))


def _month_label(month: str) -> str:
    return f"{month[5:7]}/{month[:4]}"


def _monthly_totals(scores: pd.DataFrame) -> dict[str, float]:
    """Published total (or sum of the groups) by month ``yyyy-mm``, for one unit."""
    if not len(scores):
        return {}
    wide = scores_wide(scores, "6")
    if "unit" in wide and len(wide):
        wide = wide.loc[wide["unit"] == wide["unit"].iloc[0]]
    return {
        str(p): float(t)
        for p, t in zip(wide["period"], wide["total"], strict=True)
        if pd.notna(t) and re.fullmatch(r"\d{4}-\d{2}", str(p))
    }


def index766_comparison(
    current: pd.DataFrame, previous: pd.DataFrame, months: list[str]
) -> tuple[pd.DataFrame, list[str]]:
    """Published 766 totals of ``months`` against the same months one year earlier.

    Like with like: only the months published in both years are compared (the portal
    scores calendar months, domain.md §0).

    Args:
        current: Published scores (canonical ``index766``) holding the current months.
        previous: Published scores holding the previous year's months (may be the same).
        months: Calendar months of the period (``yyyy-mm``), up to the as-of date.

    Returns:
        ``(table, compared)``: two rows (mean of the compared months, the last compared
        month; kind ``points``) and the months compared; an empty table and ``[]`` when
        no month is published in both years.
    """
    cur, prev = _monthly_totals(current), _monthly_totals(previous)
    pairs = [(m, f"{int(m[:4]) - 1}{m[4:]}") for m in months]
    both = [(m, p) for m, p in pairs if m in cur and p in prev]
    if not both:
        return empty_comparison(), []
    first, last = _month_label(both[0][0]), _month_label(both[-1][0])
    span = first if len(both) == 1 else f"{first}–{last}"
    rows = [
        (
            "index766_total_mean",
            f"Bộ chỉ số 766: tổng điểm bình quân tháng ({len(both)} tháng, {span})",
            "points",
            *_row(
                "points",
                float(np.mean([cur[m] for m, _ in both])),
                float(np.mean([prev[p] for _, p in both])),
            ),
        ),
        (
            "index766_total_latest",
            f"Bộ chỉ số 766: tổng điểm tháng {last}",
            "points",
            *_row("points", cur[both[-1][0]], prev[both[-1][1]]),
        ),
    ]
    return pd.DataFrame(rows, columns=list(COMPARISON_COLUMNS)), [m for m, _ in both]


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


def _calendar_months(params, as_of: date) -> list[str]:
    """Calendar months (``yyyy-mm``) of the period, up to ``as_of`` (766 is monthly)."""
    period = parse_period(params.period, params.year, "calendar")
    end = min(period.end, as_of)
    if end < period.start:
        return []
    return [f"{m.year}-{m.month:02d}" for m in pd.period_range(period.start, end, freq="M")]


def _cross_break_note(ev: Evaluation, prev_period: Period) -> str:
    """Flag a comparison whose two periods lie on both sides of an organisation change."""
    settings = ev.references.settings
    change = break_in(prev_period.start, ev.period.end, settings)
    if change is None:
        return ""
    before = issuing_body(change - timedelta(days=1), settings)
    after = issuing_body(ev.period.end, settings)
    if not before or not after or before == after:
        return ""
    return (
        f"Lưu ý: so sánh qua mốc thay đổi tổ chức {format_date(change)}: số liệu cùng kỳ năm "
        f"trước là của {before}, số liệu kỳ này là của {after}; chỉ để tham khảo."
    )


def add_previous_year(ev: Evaluation, tables: Tables, previous: Tables | None = None) -> Evaluation:
    """``ev`` with the comparison with the same period of the previous year filled in.

    Args:
        ev: The evaluation of the period.
        tables: The tables ``ev`` was computed from (searched for the previous year when
            ``previous`` is ``None``: one folder holding both years).
        previous: Tables of the previous year's exports (a second data folder).

    Returns:
        A copy of ``ev`` with ``previous_period``, ``comparison`` (dossier, PAKN and 766
        figures), ``comparison_form06`` and ``comparison_note`` set. Each part is compared
        only when the previous year's data hold it (dossiers: every calendar month of the
        previous period has received dossiers; PAKN: some PAKN received in the previous
        period; 766: a month of the period published in both years); the note says which
        part is not, and flags a comparison across an organisation change.
    """
    params, refs = ev.params, ev.references
    calendar, rules = refs.calendar, refs.settings.dossiers
    prev_period = previous_period(params.period, params.year, params.window, params.as_of)
    source = previous if previous is not None else tables
    frames = filter_tables_by_units(source, params.unit_list, refs.settings)
    where = "thư mục dữ liệu năm trước" if previous is not None else "dữ liệu"
    notes: list[str] = []
    parts: list[pd.DataFrame] = []
    form06_part = empty_comparison()
    d, p = frames["dossiers"], frames["procedures"]
    gaps = coverage_gaps(d["received_at"], prev_period) if len(d) else ["*"]
    if gaps:
        missing = (
            "không có hồ sơ nào"
            if gaps == ["*"] or len(gaps) > 6
            else f"không có hồ sơ tiếp nhận trong tháng {', '.join(gaps)}"
        )
        notes.append(
            f"Chưa so sánh được với cùng kỳ năm trước ({prev_period.label_vi}): {where} "
            f"{missing}. Cung cấp số liệu năm {params.year - 1} (--previous-data) để so sánh."
        )
    else:
        data = DossierData(d, p, calendar, rules)
        prev_totals = dossier_rates(data, p, prev_period, None, calendar, rules)
        prev_f06 = build_form06(data, prev_period, calendar, rules, procedures=p)
        current = ev.totals.iloc[0].to_dict() if len(ev.totals) else {}
        previous_row = prev_totals.iloc[0].to_dict() if len(prev_totals) else {}
        parts.append(headline_comparison(current, previous_row))
        form06_part = form06_comparison(ev.form06, prev_f06)
    parts += _pakn_part(ev, frames["feedback"], prev_period, where, notes)
    parts += _index766_part(ev, tables, frames["index766"], prev_period, where, notes)
    if parts:
        flag = _cross_break_note(ev, prev_period)
        notes += [flag] if flag else []
    comparison = pd.concat(parts, ignore_index=True) if parts else empty_comparison()
    return replace(
        ev,
        previous_period=prev_period,
        comparison=comparison,
        comparison_form06=form06_part,
        comparison_note=" ".join(notes),
    )


def _pakn_part(
    ev: Evaluation, feedback: pd.DataFrame, prev_period: Period, where: str, notes: list[str]
) -> list[pd.DataFrame]:
    """The PAKN rows, or a note when the previous year's data hold no PAKN of the period."""
    received = pd.to_datetime(feedback["received_on"]) if len(feedback) else pd.Series()
    start, end = pd.Timestamp(prev_period.start), pd.Timestamp(prev_period.end)
    if not len(feedback) or not ((received >= start) & (received <= end)).any():
        notes.append(
            f"Phản ánh, kiến nghị: {where} không có PAKN tiếp nhận trong "
            f"{prev_period.name_vi}, chưa so sánh được."
        )
        return []
    refs = ev.references
    fb = feedback_timeliness(
        feedback, prev_period.start, prev_period.end, refs.calendar, refs.settings.pakn
    )
    return [pakn_comparison(ev.feedback_summary, feedback_summary(fb))]


def _index766_part(
    ev: Evaluation,
    tables: Tables,
    previous_scores: pd.DataFrame,
    prev_period: Period,
    where: str,
    notes: list[str],
) -> list[pd.DataFrame]:
    """The 766 rows, or a note when no month of the period is published in both years."""
    months = _calendar_months(ev.params, ev.params.as_of)
    spans = unit_table() | body_spans(ev.references.settings)
    current, _ = attribute_scores(tables.index766, spans)
    # the previous folder's scores win; the current folder may hold the previous months too
    both = [f for f in (current, previous_scores) if len(f)]
    previous = pd.concat(both, ignore_index=True) if both else previous_scores
    table, compared = index766_comparison(current, previous, months)
    if not compared:
        notes.append(
            f"Bộ chỉ số 766: {where} không có điểm công bố của cùng tháng năm "
            f"{ev.params.year - 1} để so sánh."
        )
        return []
    return [table]
