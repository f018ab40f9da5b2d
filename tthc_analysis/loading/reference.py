"""Reference tables, read from files once and passed to the metrics and the evaluation.

The metric and evaluation modules do no file I/O: :func:`load_references` reads what
they need, and :func:`tthc_analysis.evaluation.evaluate.evaluate` passes it in.

- the settings (:func:`tthc_analysis.config.load_settings`, given by the caller);
- the working-day calendar with its overrides (``calendar_overrides.csv``);
- the 766 indicator table (``data/reference/index766_indicators.csv``,
  :func:`load_index766_indicators`);
- the task → evidence rule and indicator table (``data/plan/task_indicators.csv``,
  :func:`load_task_indicators`; its rules are described in
  :mod:`tthc_analysis.evaluation.tasks`);
- the unit reference (``data/reference/units.csv``,
  :func:`tthc_analysis.plan.units.unit_reference`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from tthc_analysis.config import Settings, load_settings, read_reference_csv
from tthc_analysis.errors import InputFileError
from tthc_analysis.fields import INDEX766_GROUPS6 as GROUPS6
from tthc_analysis.labels import INDICATOR_LABELS_VI
from tthc_analysis.text import nfc
from tthc_analysis.workdays import WorkCalendar, default_calendar

__all__ = [
    "EVIDENCE_CADENCES",
    "EVIDENCE_SOURCES",
    "INDEX766_INDICATOR_COLUMNS",
    "INDICATOR_SOURCES",
    "NO_EVIDENCE_STATUSES",
    "TARGET_KINDS",
    "TASK_INDICATOR_COLUMNS",
    "References",
    "load_index766_indicators",
    "load_references",
    "load_task_indicators",
]

EVIDENCE_CADENCES = (
    "ongoing",
    "monthly",
    "quarterly",
    "yearly",
    "deadline",
    "on_request",
    "none",
)
NO_EVIDENCE_STATUSES = ("not_triggered", "no_data")
"""Status of an on-request task without evidence (issue 13: I.6 is ``no_data``)."""
TARGET_KINDS = ("plan", "rule", "reference")
"""Where a target comes from; a ``reference`` is shown, never judged (issue 13)."""
EVIDENCE_SOURCES = ("activities", "report_submissions", "none")
INDICATOR_SOURCES = (
    "dossiers",
    "procedures",
    "feedback",
    "index766",
    "report_submissions",
    "activities",
    "indicators",
    "none",
)

TASK_INDICATOR_COLUMNS = (
    "task_id",
    "evidence_cadence",
    "evidence_source",
    "indicator_id",
    "name_vi",
    "source",
    "target",
    "direction",
    "unit",
    "target_date",
    "target_source",
    "notes",
    "no_evidence_status",
    "no_evidence_vi",
    "target_kind",
)


@dataclass(frozen=True)
class References:
    """The reference tables of one evaluation.

    Attributes:
        settings: The settings used.
        calendar: The working-day calendar (holidays and the overrides file).
        index766_indicators: :func:`load_index766_indicators`.
        task_indicators: :func:`load_task_indicators`.
        units: Rows of the unit reference (:func:`tthc_analysis.plan.units.unit_reference`).
    """

    settings: Settings
    calendar: WorkCalendar = field(repr=False)
    index766_indicators: pd.DataFrame = field(repr=False)
    task_indicators: pd.DataFrame = field(repr=False)
    units: tuple[dict, ...] = field(default=(), repr=False)


def load_references(
    settings: Settings | None = None, data_dir: str | Path | None = None
) -> References:
    """Read the reference tables named by ``settings``.

    ``settings`` defaults to :func:`tthc_analysis.config.load_settings` of ``data_dir``
    (the bundled settings overlaid by the folder's ``tthc.yaml``).

    Raises:
        InputFileError: a table is missing or invalid (naming the row and column).
    """
    from tthc_analysis.plan.units import unit_reference

    settings = settings or load_settings(data_dir=data_dir)
    return References(
        settings=settings,
        calendar=default_calendar(settings.reference_path(settings.calendar_overrides)),
        index766_indicators=load_index766_indicators(settings=settings),
        task_indicators=load_task_indicators(settings=settings),
        units=tuple(unit_reference()),
    )


# --- task → indicator table ----------------------------------------------------------


def load_task_indicators(
    path: str | Path | None = None, settings: Settings | None = None
) -> pd.DataFrame:
    """Read and check ``task_indicators.csv``.

    An indicator row whose ``name_vi`` is empty is named from
    :data:`tthc_analysis.labels.INDICATOR_LABELS_VI` (the id itself when unknown), so the
    names of the indicators have one source; a non-empty ``name_vi`` overrides it.

    Returns:
        The table with ``target`` as float (NaN when empty) and ``target_date`` as a
        date (NaT when empty); other columns as text ("" when empty).

    Raises:
        InputFileError: a missing column or an invalid value, naming the row and column.
    """
    settings = settings or load_settings()
    if path is None:
        path = settings.reference_path(settings.task_indicators)
    table = read_reference_csv(path, "bảng chỉ tiêu nhiệm vụ", _parse_task_indicators)
    return _assumed_targets(table, settings, Path(path))


SETTING_TARGET = "setting:"
"""A ``target`` written ``setting:<name>`` is ``Settings.assumed_targets[<name>]``."""


def _assumed_targets(table: pd.DataFrame, settings, path: Path) -> pd.DataFrame:
    """Fill the targets written ``setting:<name>`` from the settings (UNCONFIRMED levels).

    The level is ``assumed_targets.<name>.value``; its ``source_vi`` becomes the row's
    ``target_source`` (the page shows it beside the target), so the report says the level
    is to be confirmed. The helper column ``target_setting`` is dropped.
    """
    names = table.pop("target_setting").tolist()
    for position, name in enumerate(names):
        if not name:
            continue
        index = table.index[position]
        assumed = settings.assumed_targets.get(name)
        if assumed is None:
            known = ", ".join(sorted(settings.assumed_targets)) or "chưa có"
            raise InputFileError(
                f"Chỉ tiêu «{SETTING_TARGET}{name}» không có trong thiết lập assumed_targets "
                f"(đang có: {known}).",
                file=path,
                row=position + 2,
                column="target",
            )
        table.loc[index, "target"] = float(assumed.value)
        table.loc[index, "target_source"] = nfc(" ".join(assumed.source_vi.split()))
    return table


def _parse_task_indicators(raw: pd.DataFrame, path: Path) -> pd.DataFrame:
    missing = [c for c in ("task_id", "indicator_id") if c not in raw.columns]
    if missing:
        raise InputFileError(
            f"Thiếu cột «{missing[0]}» trong bảng chỉ tiêu nhiệm vụ.",
            file=path,
            hint=f"Các cột: {', '.join(TASK_INDICATOR_COLUMNS)}.",
        )
    for col in TASK_INDICATOR_COLUMNS:
        if col not in raw.columns:
            raw[col] = ""
    raw = pd.DataFrame(raw[list(TASK_INDICATOR_COLUMNS)]).map(lambda v: nfc(v).strip())
    unnamed = (raw["indicator_id"] != "") & (raw["name_vi"] == "")
    raw.loc[unnamed, "name_vi"] = [
        INDICATOR_LABELS_VI.get(i, i) for i in raw.loc[unnamed, "indicator_id"]
    ]
    targets, dates, settings = [], [], []
    for number, rec in enumerate(raw.to_dict("records"), start=2):
        _check_row(rec, path, number)
        setting = rec["target"][len(SETTING_TARGET) :].strip()
        if rec["target"].startswith(SETTING_TARGET) and setting:
            targets.append(float("nan"))  # filled from the settings (_assumed_targets)
        else:
            setting = ""
            targets.append(_target(rec["target"], path, number))
        settings.append(setting)
        dates.append(_date(rec["target_date"], path, number))
    out = raw.copy()
    out["target"] = pd.Series(targets, dtype="float64")
    out["target_setting"] = settings
    out["target_date"] = pd.Series(pd.to_datetime(dates), dtype="datetime64[us]")
    return out


def _check_row(rec: dict, path: Path, row: int) -> None:
    if not re.fullmatch(r"[IVXLC]+\.[0-9]+", rec["task_id"]):
        raise InputFileError(
            f"Mã nhiệm vụ không hợp lệ: «{rec['task_id']}».", file=path, row=row, column="task_id"
        )
    checks = [
        ("evidence_cadence", EVIDENCE_CADENCES),
        ("evidence_source", EVIDENCE_SOURCES),
        ("direction", ("min", "max")),
        ("unit", ("rate", "count", "points")),
        ("no_evidence_status", NO_EVIDENCE_STATUSES),
        ("target_kind", TARGET_KINDS),
    ]
    if rec["indicator_id"]:
        checks.append(("source", INDICATOR_SOURCES))
    for col, allowed in checks:
        if rec[col] and rec[col] not in allowed:
            raise InputFileError(
                f"Giá trị «{rec[col]}» không hợp lệ (chỉ nhận: {', '.join(allowed)}).",
                file=path,
                row=row,
                column=col,
            )


def _target(text: str, path: Path, row: int) -> float:
    if not text:
        return float("nan")
    clean = text.replace(",", ".")
    try:
        value = float(clean.rstrip("%"))
    except ValueError:
        raise InputFileError(
            f"Chỉ tiêu không phải số: «{text}».", file=path, row=row, column="target"
        ) from None
    return value / 100 if clean.endswith("%") else value


def _date(text: str, path: Path, row: int):
    if not text:
        return pd.NaT
    try:
        return datetime.strptime(text, "%d/%m/%Y")
    except ValueError:
        raise InputFileError(
            f"Ngày không hợp lệ: «{text}» (cần dd/mm/yyyy).",
            file=path,
            row=row,
            column="target_date",
        ) from None


# --- 766 indicator table -------------------------------------------------------------

_CONFIRMED = {"true", "yes", "secondary", "unconfirmed", "false", "no"}
_RULES = {"linear_to_threshold", "linear_to_100"}
_CHECKS = {"confirmed", "assumed"}
INDEX766_INDICATOR_COLUMNS = (
    "indicator_id",
    "group",
    "group_code6",
    "name_vi",
    "max_points",
    "threshold",
    "scoring_rule",
    "formula_version",
    "confirmed",
    "source",
    "estimate_from",
    "formula_vi",
    "check",
    "check_source",
)


def load_index766_indicators(
    path: str | Path | None = None, settings: Settings | None = None
) -> pd.DataFrame:
    """Read the 766 indicator table.

    Columns: ``indicator_id``, ``group`` (1–5), ``group_code6``, ``name_vi``,
    ``max_points``, ``threshold`` (a share; values above 1 are read as percentages; NaN
    when empty = 100%), ``scoring_rule``, ``formula_version``, ``confirmed``,
    ``source``, ``estimate_from`` (``dossiers.<rate column>`` or
    ``procedures.<coverage column>``; empty when not estimated), ``formula_vi`` (the
    formula in words), ``check`` (``confirmed``/``assumed``: whether the points and
    threshold of the row are confirmed by a source; empty = ``assumed``) and
    ``check_source`` (what it was checked against).

    Raises:
        InputFileError: a missing column or an invalid value (named by row and column).
    """
    if path is None:
        settings = settings or load_settings()
        path = settings.reference_path(settings.index766_indicators)
    return read_reference_csv(path, "bảng chỉ số 766", _parse_indicators)


def _parse_indicators(raw: pd.DataFrame, path: Path) -> pd.DataFrame:
    required = ["indicator_id", "group", "group_code6", "name_vi", "max_points", "threshold"]
    for col in required:
        if col not in raw.columns:
            raise InputFileError(f"Thiếu cột «{col}» trong bảng chỉ số 766.", file=path)
    for col in INDEX766_INDICATOR_COLUMNS[6:]:
        if col not in raw.columns:
            raw[col] = ""
    rows = []
    for number, rec in enumerate(raw.to_dict("records"), start=2):
        rows.append(_parse_indicator_row(rec, path, number))
    return pd.DataFrame(rows, columns=list(INDEX766_INDICATOR_COLUMNS))


def _number(value: str, path: Path, row: int, column: str, allow_empty: bool) -> float:
    text = value.strip().replace(",", ".")
    if not text:
        if allow_empty:
            return float("nan")
        raise InputFileError("Thiếu giá trị.", file=path, row=row, column=column)
    try:
        return float(text.rstrip("%"))
    except ValueError:
        raise InputFileError(
            f"Giá trị không phải số: «{value}».", file=path, row=row, column=column
        ) from None


def _parse_indicator_row(rec: dict, path: Path, row: int) -> dict:
    group = _number(rec["group"], path, row, "group", False)
    if group not in (1, 2, 3, 4, 5):
        raise InputFileError("Nhóm phải là 1–5.", file=path, row=row, column="group")
    code6 = rec["group_code6"].strip().upper()
    if code6 not in GROUPS6:
        raise InputFileError(
            f"Mã nhóm «{code6}» không hợp lệ (cần một trong {', '.join(GROUPS6)}).",
            file=path,
            row=row,
            column="group_code6",
        )
    threshold = _number(rec["threshold"], path, row, "threshold", True)
    if threshold > 1:
        threshold = threshold / 100
    if not np.isnan(threshold) and threshold <= 0:
        raise InputFileError("Ngưỡng phải lớn hơn 0.", file=path, row=row, column="threshold")
    rule = rec["scoring_rule"].strip() or (
        "linear_to_100" if np.isnan(threshold) else "linear_to_threshold"
    )
    if rule not in _RULES:
        raise InputFileError(
            f"Cách tính điểm «{rule}» không hợp lệ.", file=path, row=row, column="scoring_rule"
        )
    confirmed = rec["confirmed"].strip().lower() or "unconfirmed"
    if confirmed not in _CONFIRMED:
        raise InputFileError(
            f"Giá trị «{confirmed}» không hợp lệ (true/secondary/unconfirmed).",
            file=path,
            row=row,
            column="confirmed",
        )
    check = rec["check"].strip().lower() or "assumed"
    if check not in _CHECKS:
        raise InputFileError(
            f"Giá trị «{check}» không hợp lệ (confirmed/assumed).",
            file=path,
            row=row,
            column="check",
        )
    return {
        "indicator_id": rec["indicator_id"].strip(),
        "group": int(group),
        "group_code6": code6,
        "name_vi": rec["name_vi"].strip(),
        "max_points": _number(rec["max_points"], path, row, "max_points", False),
        "threshold": threshold,
        "scoring_rule": rule,
        "formula_version": rec["formula_version"].strip(),
        "confirmed": {"yes": "true", "no": "unconfirmed", "false": "unconfirmed"}.get(
            confirmed, confirmed
        ),
        "source": rec["source"].strip(),
        "estimate_from": rec["estimate_from"].strip(),
        "formula_vi": rec["formula_vi"].strip(),
        "check": check,
        "check_source": rec["check_source"].strip(),
    }
