"""Project paths and user settings.

Paths are worked out from the package location (the package is installed editable from
the project checkout). Settings come from ``data/reference/settings.yaml`` (the
defaults, with the legal sources of each value) overlaid by an optional user file: the
``TTHC_CONFIG`` environment variable, or ``tthc.yaml`` in the raw-data folder. Values the
domain notes mark UNCONFIRMED live here, never in code.
"""

from __future__ import annotations

import os
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from tthc_analysis.errors import InputFileError, TthcError

__all__ = [
    "DATA_DIR",
    "NOTEBOOKS_DIR",
    "PLAN_DIR",
    "PROJECT_ROOT",
    "REFERENCE_DIR",
    "REPORTS_DIR",
    "SAMPLE_DIR",
    "Settings",
    "load_settings",
    "read_reference_csv",
]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
PLAN_DIR = DATA_DIR / "plan"
REFERENCE_DIR = DATA_DIR / "reference"
SAMPLE_DIR = DATA_DIR / "sample"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
REPORTS_DIR = PROJECT_ROOT / "reports"
DEFAULT_SETTINGS_FILE = REFERENCE_DIR / "settings.yaml"
USER_SETTINGS_NAME = "tthc.yaml"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PaknLimits(_Frozen):
    """Time limits for feedback (PAKN) handling, in working days (DVCQG indicator 5.2)."""

    reject_wd: int = Field(2, ge=0)
    """A PAKN not accepted must be rejected within this many working days of receipt."""
    supplement_request_wd: int = Field(5, ge=0)
    """The first supplement request must be sent within this many working days."""
    handle_wd: int = Field(15, ge=0)
    """Handling must finish within this many working days of receipt (or latest transfer)."""
    publish_wd: int = Field(2, ge=0)
    """A handled PAKN must be published within this many working days."""
    forward_wd: int = Field(5, ge=0)
    """A PAKN outside the receiving body's competence must be forwarded to the competent
    body within this many working days of receipt (ND 20/2008/NĐ-CP Art 9(1)(d))."""


class PublicationRules(_Frozen):
    """Deadlines for publishing procedures (ND 63/2010 Art 15 and 24, as amended)."""

    decision_lead_wd: int = Field(5, ge=0)
    """The publication decision must be dated at least this many working days before
    the legal text takes effect (province: 5)."""
    csdlqg_wd: int = Field(5, ge=0)
    """The procedure must be public on the national database within this many working
    days of the decision (province: 5)."""


class LoadingRules(_Frozen):
    """How raw exports are read (``tthc_analysis.loading``)."""

    utc_z_is_local: bool = False
    """A timestamp written with a trailing ``Z`` (UTC, e.g. ``2025-03-03T08:15:00.000Z``)
    is converted to Vietnam time (UTC+7). ``True`` for exports that write a literal ``Z``
    on local time (the hour is then kept as written). Other zones (``+07:00``) are always
    converted."""
    max_unpacked_mb: int = Field(1024, ge=1)
    """A workbook (.xlsx/.xlsm/.ods: a zip archive) whose unpacked size is above this many
    MB is refused before it is opened (a "zip bomb" would use gigabytes of memory)."""
    max_unpack_ratio: int = Field(100, ge=1)
    """A workbook whose unpacked size is more than this many times its file size (and
    above 50 MB) is refused as out of proportion. Real exports compress 5 to 30 times.
    Both limits are applied by :func:`tthc_analysis.archives.check_unpacked_size`."""


class NoResultPolicy(_Frozen):
    """How dossiers ended without a result count, separately for form 06 and the 766 estimate.

    ``by_date``: judged by their end date against the due date like any finished dossier
    (DVCQG formula 2.1 treats withdrawal, "Dừng xử lý" and "Từ chối" as end times;
    secondary source). ``on_time``: counted as finished on time (đúng hạn) whatever the
    date (UNCONFIRMED note of a public form II.06a implementation: "Đúng hạn" includes
    dossiers returned or withdrawn). ``exclude``: left out of the form (or of the 766
    rates) altogether.
    """

    form06: Literal["by_date", "on_time", "exclude"] = "by_date"
    """Policy in form 06/VPCP/KSTT (and the overdue list)."""
    index766: Literal["by_date", "on_time", "exclude"] = "by_date"
    """Policy in the dossier rates behind the 766 estimate (2.1 on-time rate and the
    received-based rates)."""


class DossierRules(_Frozen):
    """How dossier outcomes are judged (see domain.md §3.1)."""

    rescheduled_due_policy: Literal["original", "rescheduled"] = "original"
    """Judge a dossier with a rescheduled due date against the ``original`` due date
    (practice: still overdue, with an apology letter) or the ``rescheduled`` one.
    UNCONFIRMED which one form 06 requires."""
    supplement_pause_unit: Literal["calendar_days", "working_days"] = "calendar_days"
    """Unit of ``supplement_days`` when it is subtracted from the processing time (used
    only when the export gives no pause dates; ``paused_at``/``resumed_at`` are always
    counted in working days)."""
    multiple_supplements_overdue: bool = True
    """DVCQG rule: a dossier asked for supplements more than once counts as overdue."""
    rejected_withdrawn_on_time: bool = False
    """Deprecated shortcut: ``True`` sets the four policies of :class:`NoResultPolicy`
    (withdrawn and returned without result, form 06 and 766) to ``on_time``."""
    withdrawn: NoResultPolicy = NoResultPolicy()
    """Dossiers withdrawn by the applicant (``withdrawn``, DVCQG 7), per use."""
    returned_without_result: NoResultPolicy = NoResultPolicy()
    """Dossiers returned without a result: refused after assessment (``rejected``, ND
    61/2018 Art 19(8), Phiếu từ chối giải quyết) and stopped (``stopped``, DVCQG 8, when
    ``stopped_as == "ended"``), per use."""
    stopped_as: Literal["ended", "paused"] = "ended"
    """What "Dừng xử lý" (``stopped``, DVCQG 8) means in the export: ``ended`` (default:
    processing ended without a result; the DVCQG formula 2.1 counts "Dừng xử lý" as an
    end time, like "Từ chối") or ``paused`` (the agency uses it for a temporary stop
    with a reason, e.g. waiting for the applicant: treated as ``paused``). A ``stopped``
    dossier without any end time is a stop with a reason either way (waiting)."""
    compare_by: Literal["date", "timestamp"] = "date"
    """Compare end/cut-off and due date by calendar ``date`` (default: BLDS 2015 Art 148,
    a day-based limit ends at 24:00 of its last day; the form counts days) or by exact
    ``timestamp`` (a due time of 00:00 then stands for the end of that day)."""

    def policy(self, status_group: str, use: str) -> str:
        """The policy of a status group for a use, the deprecated shortcut applied.

        Args:
            status_group: ``withdrawn`` or ``returned_without_result``.
            use: ``form06`` or ``index766``.
        """
        if self.rejected_withdrawn_on_time:
            return "on_time"
        return getattr(getattr(self, status_group), use)


class IssuingBody(_Frozen):
    """The body that issues the reports over a range of dates (the Sở of a province)."""

    name_vi: str
    """Full name, e.g. "Sở Giáo dục và Đào tạo tỉnh Đồng Nai"."""
    valid_from: date | None = None
    """First day it is in force (None: since always)."""
    valid_to: date | None = None
    """Last day it is in force (None: still in force)."""
    note_vi: str = ""
    """Why it changed (legal basis), shown in the report headings."""


class Organisation(_Frozen):
    """Organisation changes during the plan year (domain.md §8: merger on 01/07/2025)."""

    bodies: tuple[IssuingBody, ...] = ()
    """Issuing bodies in date order; empty = the plan's issuer throughout."""
    system_switch_on: date | None = None
    """First day of a new dossier system (new ids for carried dossiers), if any."""


class AssumedTarget(_Frozen):
    """A target level no source sets (UNCONFIRMED): a setting, never a figure in code."""

    value: float
    """The level (a rate as a fraction: 0.8 = 80 %)."""
    source_vi: str
    """Where the level comes from and what is to be confirmed (shown in the report)."""


class Settings(_Frozen):
    """All user-configurable settings. Unknown keys are rejected."""

    report_window: Literal["official", "calendar"] = "official"
    """Reporting windows: ``official`` (15th of the previous period's last month to the
    14th) or ``calendar`` (first to last day)."""
    monthly_notice_due_day: int = Field(10, ge=1, le=28)
    """A month's 766 notice is due by this day of the following month."""
    dossiers: DossierRules = DossierRules()
    pakn: PaknLimits = PaknLimits()
    publication: PublicationRules = PublicationRules()
    loading: LoadingRules = LoadingRules()
    header_aliases: dict[str, dict[str, list[str]]] = {}
    """Extra accepted headers: ``{dataset: {canonical column: [header, ...]}}``."""
    value_aliases: dict[str, dict[str, list[str]]] = {}
    """Extra accepted coded values: ``{canonical column: {code: [text, ...]}}``."""
    calendar_overrides: str = "calendar_overrides.csv"
    """CSV of extra days off / extra working days (relative to data/reference/)."""
    index766_indicators: str = "index766_indicators.csv"
    """CSV of the 766 indicator table (points, thresholds), relative to data/reference/."""
    task_indicators: str = "../plan/task_indicators.csv"
    """CSV mapping each plan task to its evidence cadence and indicators."""
    organisation: Organisation = Organisation()
    """Issuing bodies by date and the dossier-system switch (organisation change)."""
    assumed_targets: dict[str, AssumedTarget] = {}
    """UNCONFIRMED target levels, by name; ``task_indicators.csv`` uses one by writing
    ``setting:<name>`` as a target."""

    def reference_path(self, name: str) -> Path:
        """Resolve a reference-file setting against ``data/reference/``."""
        path = Path(name)
        return path if path.is_absolute() else (REFERENCE_DIR / path).resolve()


def _deep_merge(base: dict, extra: dict) -> dict:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _read_yaml(path: Path) -> dict:
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise TthcError(
            "Không đọc được tệp cấu hình.", file=path, hint=f"Kiểm tra cú pháp YAML ({exc})."
        ) from exc
    if not isinstance(content, dict):
        raise TthcError("Tệp cấu hình phải là một bảng khóa: giá trị (YAML mapping).", file=path)
    return content


def load_settings(
    user_file: str | Path | None = None, data_dir: str | Path | None = None
) -> Settings:
    """Load the default settings, overlaid by the user's file if any.

    The user file is, in order: ``user_file``; ``$TTHC_CONFIG``; ``<data_dir>/tthc.yaml``.
    """
    return _load_settings_cached(
        str(user_file) if user_file else None,
        str(data_dir) if data_dir else None,
        _files_stamp(user_file, data_dir),
    )


def _files_stamp(user_file: str | Path | None, data_dir: str | Path | None) -> tuple:
    """Modification stamps of the files a settings load may read.

    They are part of the cache key, so that a ``tthc.yaml`` added or edited since the
    last call is taken into account.
    """
    candidates = [DEFAULT_SETTINGS_FILE, user_file, os.environ.get("TTHC_CONFIG")]
    if data_dir:
        candidates.append(Path(data_dir) / USER_SETTINGS_NAME)
    stamp = []
    for candidate in candidates:
        if candidate:
            try:
                info = Path(candidate).stat()
                stamp.append((str(candidate), info.st_mtime_ns, info.st_size))
            except OSError:
                stamp.append((str(candidate), None, None))
    return tuple(stamp)


@lru_cache(maxsize=16)
def _load_settings_cached(
    user_file: str | None, data_dir: str | None, stamp: tuple = ()
) -> Settings:
    values: dict = _read_yaml(DEFAULT_SETTINGS_FILE) if DEFAULT_SETTINGS_FILE.exists() else {}
    candidate: Path | None = None
    if user_file:
        candidate = Path(user_file)
    elif os.environ.get("TTHC_CONFIG"):
        candidate = Path(os.environ["TTHC_CONFIG"])
    elif data_dir and (Path(data_dir) / USER_SETTINGS_NAME).exists():
        candidate = Path(data_dir) / USER_SETTINGS_NAME
    source = DEFAULT_SETTINGS_FILE
    if candidate is not None:
        if not candidate.exists():
            raise TthcError("Không tìm thấy tệp cấu hình.", file=candidate)
        values = _deep_merge(values, _read_yaml(candidate))
        source = candidate
    try:
        return Settings.model_validate(values)
    except Exception as exc:  # pydantic.ValidationError
        raise TthcError(
            "Tệp cấu hình có giá trị không hợp lệ.", file=source, hint=str(exc).splitlines()[0]
        ) from exc


def read_reference_csv(path: str | Path, what_vi: str, parse):
    """A reference table (CSV, text cells) parsed by ``parse(raw, path)``, cached.

    The parsed table is cached until the file changes (modification time and size), and
    a copy is returned, so callers may modify it.

    Args:
        path: The CSV file (UTF-8, with or without BOM).
        what_vi: What the table is, in Vietnamese, for the error message.
        parse: A module-level function ``(raw: DataFrame of str, path: Path) -> DataFrame``
            that checks and types the rows (raising :class:`InputFileError`).

    Raises:
        InputFileError: the file cannot be read, or ``parse`` rejects it.
    """
    path = Path(path)
    try:
        stat = path.stat()
    except OSError as exc:
        raise InputFileError(f"Không đọc được {what_vi}.", file=path) from exc
    return _parsed_reference(str(path), stat.st_mtime_ns, stat.st_size, what_vi, parse).copy()


@lru_cache(maxsize=16)
def _parsed_reference(name: str, _mtime: int, _size: int, what_vi: str, parse):
    import pandas as pd

    path = Path(name)
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except OSError as exc:
        raise InputFileError(f"Không đọc được {what_vi}.", file=path) from exc
    return parse(raw, path)
