"""Small helpers shared by the pages and the next-step lists (no display, no I/O).

Formatting of indicator values and targets, the evidence names of the plan's tasks,
lists of procedures named in sentences, the tables of an evaluation limited to its
units, and the facts of the 766 scores of the plan year.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

import pandas as pd

from tthc_analysis.charts.style import format_indicator_value
from tthc_analysis.text import format_number, format_percent, nfc

__all__ = [
    "ROMAN",
    "SECTION_IDS",
    "evidence_names",
    "format_gap",
    "format_target",
    "indicator_value",
    "lower_first",
    "name_list",
    "plan_reference",
    "procedure_label",
    "scoped_frames",
    "section_order",
    "year_rows",
    "year_scores",
]

SECTION_IDS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX")
"""The sections of the plan, in order."""

ROMAN = {sid: i for i, sid in enumerate(SECTION_IDS, start=1)}

MAX_NAMED = 8
"""Longest list of items named in one sentence; the rest are counted."""


def section_order(section_id: object) -> int:
    """Position of a section id (``"IV"`` -> 4); unknown ids go last."""
    return ROMAN.get(str(section_id), 99)


def lower_first(text: str) -> str:
    """``"Tỷ lệ hồ sơ…"`` -> ``"tỷ lệ hồ sơ…"`` (keeps acronyms such as ``"TTHC…"``)."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def indicator_value(value: object, unit: str) -> str:
    """An indicator value in its unit: ``85,3%``, ``1.234``, ``90,9``; ``–`` when missing."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return "–"
    if number != number:
        return "–"
    if unit == "rate":
        decimals = 0 if round(number * 100, 6).is_integer() else 1
        return format_percent(number, decimals)
    if unit == "points":
        return format_number(number, 2 if not float(number).is_integer() else 0)
    return format_indicator_value(number, unit)


def format_target(target: object, unit: str, direction: str = "min") -> str:
    """A target with its direction: ``≥ 80%``, ``≤ 0``; ``–`` when there is none."""
    text = indicator_value(target, unit)
    if text == "–":
        return text
    if direction != "max" and unit == "rate" and float(target) >= 1:
        return text  # "100%": nothing above it
    return f"{'≤' if direction == 'max' else '≥'} {text}"


_DOC_KINDS = (("/KH-", "Kế hoạch"), ("/QĐ-", "Quyết định"))


def plan_reference(meta) -> str:
    """The plan's document as cited in a report: ``"Công văn số 655/SGDĐT-VP ngày 27/02/2025"``.

    The kind of document follows its symbol (``/KH-``: Kế hoạch, ``/QĐ-``: Quyết định,
    else Công văn, as the 2025 plan sent with a dispatch); ``""`` without a number.
    """
    number = nfc(str(getattr(meta, "doc_number", "") or "")).strip()
    if not number:
        return ""
    kind = next((k for tag, k in _DOC_KINDS if tag in number.upper()), "Công văn")
    text = f"{kind} số {number}"
    doc_date = getattr(meta, "doc_date", None)
    if doc_date:
        text += f" ngày {doc_date:%d/%m/%Y}"
    return text


def format_gap(value: float, target: float, unit: str) -> str:
    """Distance to a target: ``40,8 điểm phần trăm`` for rates, else the difference."""
    gap = abs(float(target) - float(value))
    if unit == "rate":
        return f"{format_number(gap * 100, 1)} điểm phần trăm"
    if unit == "points":
        return f"{format_number(gap, 2)} điểm"
    return format_number(gap, 0 if float(gap).is_integer() else 1)


def procedure_label(code: object, name: object) -> str:
    """``1.005093 «Công nhận văn bằng…»`` (the name shortened to 80 characters)."""
    text = nfc(str(name)) if isinstance(name, str) and name else ""
    if len(text) > 80:
        cut = text[:79]
        text = (cut[: cut.rfind(" ")] if " " in cut else cut).rstrip(" ,;") + "…"
    return f"{code} «{text}»" if text else str(code)


def name_list(items: Sequence[str], noun: str = "mục", limit: int = MAX_NAMED) -> str:
    """``"a; b; c"``, or the first ``limit`` items and ``"và 3 <noun> khác"``."""
    items = list(items)
    if len(items) <= limit:
        return "; ".join(items)
    rest = len(items) - limit
    return "; ".join(items[:limit]) + f" và {format_number(rest)} {noun} khác"


def evidence_names(settings=None) -> dict[str, str]:
    """Task id -> what its evidence is (``name_vi`` of the evidence rows of the task table)."""
    from tthc_analysis.loading.reference import load_task_indicators

    table = load_task_indicators(settings=settings)
    rows = table.loc[(table["indicator_id"].fillna("") == "") & (table["name_vi"].fillna("") != "")]
    return dict(zip(rows["task_id"], rows["name_vi"].map(nfc), strict=True))


def scoped_frames(tables, units: Iterable[str] | None) -> dict[str, pd.DataFrame]:
    """The tables limited to ``units`` exactly as :func:`tthc_analysis.evaluation.evaluate.evaluate` does.

    Dossiers (a dossier without a unit takes its procedure's), procedures and PAKN of the
    units; evidence of the units and of the units that run each task with them. The 766
    scores and report submissions are not limited.

    Returns:
        Dataset name -> frame (``dossiers``, ``procedures``, ``feedback``, ``index766``,
        ``activities``, ``report_submissions``).
    """
    # The evaluation's own unit filter, so that the pages and the evaluation agree.
    from tthc_analysis.evaluation.evaluate import filter_tables_by_units

    return filter_tables_by_units(tables, list(units) if units else None)


def year_rows(frame: pd.DataFrame, year: int, as_of: date | None = None) -> pd.DataFrame:
    """Rows of ``frame`` whose ``period`` (``YYYY-MM``) is a month of ``year`` up to ``as_of``.

    A quarter (``YYYY-Qn``) or a year (``YYYY``) is not a month: left out.
    """
    if not len(frame):
        return frame
    period = frame["period"].astype(str)
    keep = period.str.startswith(f"{year}-") & period.str.match(r"^\d{4}-\d{2}$")
    if as_of is not None:
        keep &= period <= f"{as_of:%Y-%m}"
    return frame.loc[keep]


def year_scores(scores: pd.DataFrame, year: int, as_of: date | None = None) -> pd.DataFrame:
    """Tidy published 766 scores of ``year`` up to ``as_of``, for one unit.

    With several units, the first listed is kept (as the evaluation does).
    """
    if not len(scores):
        return scores
    from tthc_analysis.metrics.index766 import group_rows

    frame = year_rows(group_rows(scores), year, as_of)  # per-indicator rows left out
    if "unit" in frame and frame["unit"].dropna().nunique() > 1:
        first = scores["unit"].dropna().iloc[0]
        frame = frame.loc[frame["unit"] == first]
    return frame.reset_index(drop=True)
