"""Build the synthetic sample and write it as raw exports (``tthc sample``).

:func:`build_sample` draws the canonical tables (deterministic for a seed: one
``numpy.random.Generator(PCG64)`` stream per dataset, no wall clock);
:func:`write_sample` writes them the way the Sở's systems export them: one dossier file
per receipt month (12/2024–12/2025) in several header and value spellings, the
catalogue, PAKN, 766 scores, task evidence and report submissions, plus ``SAMPLE.json``
(``"synthetic": true``, file list with row counts and SHA-256) and a bilingual
``README.md`` saying plainly that the data are synthetic.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from tthc_analysis.config import REFERENCE_DIR
from tthc_analysis.errors import ParameterError
from tthc_analysis.fields import dataset_fields
from tthc_analysis.sample import readme
from tthc_analysis.sample.catalogue import MONTHS, full_online_dates, procedures_frame
from tthc_analysis.sample.dossiers import AS_OF, UNIT_ID, generate_dossiers
from tthc_analysis.sample.evidence import activities_frame, reports_frame
from tthc_analysis.sample.org_change import carried_rows, rename_units
from tthc_analysis.sample.pakn import generate_feedback
from tthc_analysis.sample.planted import (
    DEFECTS,
    DUPLICATE_SOURCE,
    MIXED_CSV_MONTHS,
    dossier_file_name,
    expected_task_statuses,
)
from tthc_analysis.sample.previous_year import (
    PREVIOUS_FEEDBACK_FILE,
    PREVIOUS_FILE,
    previous_year_dossiers,
    previous_year_feedback,
)
from tthc_analysis.sample.scores import generate_scores
from tthc_analysis.sample.writers import (
    PROFILES,
    Column,
    render_dossiers,
    write_csv,
    write_table_xlsx,
)
from tthc_analysis.workdays import WorkCalendar, default_calendar
from tthc_analysis.xlsx import Sheet, write_xlsx

__all__ = ["GENERATOR_VERSION", "SCALES", "SampleData", "build_sample", "write_sample"]

GENERATOR_VERSION = "1.0"
SCALES = {"small": 4_200, "province": 1_000_000}
"""Dossiers received in 2025 at each scale (December 2024 comes on top)."""

Scale = Literal["small", "province"]
Format = Literal["mixed", "xlsx", "csv"]

_MONTH_PROFILE = {
    "2024-12": "A",
    "2025-01": "A",
    "2025-02": "A",
    "2025-03": "B",
    "2025-04": "B",
    "2025-05": "C",
    "2025-06": "A",
    # from 01/07/2025: the merged Sở's new dossier system (issue 13)
    "2025-07": "D",
    "2025-08": "D",
    "2025-09": "D",
    "2025-10": "D",
    "2025-11": "D",
    "2025-12": "D",
}
_ISO_MONTHS = ("2025-10",)
_TITLE_MONTH = "2025-03"


@dataclass
class SampleData:
    """The canonical tables of a synthetic sample (before spelling them as exports)."""

    procedures: pd.DataFrame
    dossiers: pd.DataFrame
    feedback: pd.DataFrame
    index766: pd.DataFrame
    activities: pd.DataFrame
    report_submissions: pd.DataFrame
    previous_dossiers: pd.DataFrame | None = None
    """Dossiers of the previous year (small scale only, :mod:`.previous_year`)."""
    previous_feedback: pd.DataFrame | None = None
    """PAKN of the previous year (small scale only, :mod:`.previous_year`)."""


def _calendar() -> WorkCalendar:
    """The bundled calendar (never a user's overrides: the sample must not depend on them)."""
    return default_calendar(REFERENCE_DIR / "calendar_overrides.csv")


def _check(scale: str, seed: int, n_dossiers: int | None) -> int:
    if scale not in SCALES:
        raise ParameterError(f"Quy mô không hợp lệ: «{scale}» (chọn small hoặc province).")
    if not isinstance(seed, int | np.integer) or seed < 0:
        raise ParameterError(f"Hạt giống (seed) phải là số nguyên không âm (nhận {seed!r}).")
    n = SCALES[scale] if n_dossiers is None else int(n_dossiers)
    if n < 500:
        raise ParameterError(f"Số hồ sơ năm 2025 phải từ 500 trở lên (nhận {n}).")
    return n


@lru_cache(maxsize=4)
def _build_cached(scale: str, seed: int, n: int) -> SampleData:
    streams = [
        np.random.Generator(np.random.PCG64(s)) for s in np.random.SeedSequence(seed).spawn(6)
    ]  # the first children are those of spawn(4): adding the fifth and sixth changes nothing
    calendar = _calendar()
    catalogue = procedures_frame()
    dossiers = rename_units(generate_dossiers(streams[0], catalogue, n, calendar))
    procedures = catalogue[list(dataset_fields("procedures"))].copy()
    # A fourth stream, so the first three (and the dossiers, PAKN, scores) are unchanged.
    procedures["full_online_since"] = full_online_dates(streams[3], catalogue)
    return SampleData(
        procedures=procedures,
        dossiers=dossiers,
        feedback=generate_feedback(streams[1], catalogue, calendar),
        index766=generate_scores(streams[2]),
        activities=activities_frame(),
        report_submissions=reports_frame(),
        previous_dossiers=_previous_year(streams[4], catalogue, scale, n, calendar),
        previous_feedback=(
            previous_year_feedback(streams[5], catalogue, calendar)
            if scale == "small" and n == SCALES["small"]
            else None
        ),
    )


def _previous_year(
    rng, catalogue: pd.DataFrame, scale: str, n: int, calendar
) -> pd.DataFrame | None:
    """The previous year's dossiers (80% of the year's volume), for the bundled sample only.

    The province scale (benchmarks) stays one year: doubling a million rows would only
    slow the benchmarks down.
    """
    if scale != "small" or n != SCALES["small"]:
        return None
    return previous_year_dossiers(rng, catalogue, int(round(n * 0.8)), calendar)


def build_sample(
    scale: Scale = "small", seed: int = 2025, n_dossiers: int | None = None
) -> SampleData:
    """Draw the canonical tables of a sample (cached; do not modify the frames).

    Args:
        scale: ``small`` (4,200 dossiers in 2025) or ``province`` (1,000,000).
        seed: Seed of the random streams.
        n_dossiers: Dossiers received in 2025, overriding the scale's count (used to test
            the province code path on a smaller volume).

    Returns:
        The canonical frames; ``dossiers`` has an extra ``month`` column (receipt month).
    """
    return _build_cached(scale, int(seed), _check(scale, seed, n_dossiers))


# --- dossier files -------------------------------------------------------------------------


_STRING_KINDS = ("string", "code")


def _column_arrays(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """Canonical dossier columns as numpy arrays (object text, datetime64[m], float, bool)."""
    out = {}
    for name, f in dataset_fields("dossiers").items():
        series = frame[name]
        if f.kind in _STRING_KINDS:
            values = series.to_numpy(dtype=object, na_value=None)
        elif f.kind == "datetime":
            values = series.to_numpy(dtype="datetime64[m]")
        elif f.kind in ("int", "float"):
            values = series.astype("float64").to_numpy()
        else:
            values = series.to_numpy(dtype=object)
        out[name] = values
    return out


def _defect_values(defect, row: dict, n: int) -> tuple[dict, tuple | None]:
    """The values written for a planted defect row, and a raw-text override if any."""
    row = dict(row)
    received = row["received_at"]
    day = pd.Timestamp(received).strftime("%y%m%d")
    row["dossier_id"] = f"{UNIT_ID}-{day}-99{n:03d}"
    override = None
    if defect.kind == "impossible_date":
        override = ("received_at", defect.value)
    elif defect.kind == "due_before_receipt":
        row["due_at"] = received - np.timedelta64(2, "D")
        row["rescheduled_due_at"] = np.datetime64("NaT", "m")
    elif defect.kind == "unknown_code":
        row["channel"] = defect.value
    elif defect.kind == "end_before_receipt":
        row["completed_at"] = received - np.timedelta64(1, "D")
        row["returned_at"] = np.datetime64("NaT", "m")
        row["status"] = "completed"
    elif defect.kind == "missing_required":
        row["procedure_code"] = None
    return row, override


def _month_arrays(dossiers: pd.DataFrame) -> tuple[dict[str, dict], dict[str, tuple]]:
    """Column arrays of each month file, with the planted defect rows inserted."""
    arrays = _column_arrays(dossiers)
    positions = dossiers.groupby("month").indices
    months = {m: {c: v[positions[m]] for c, v in arrays.items()} for m in MONTHS}
    carried_rows(months)  # the dossier-system switch of 01/07/2025 (issue 13)
    overrides: dict[str, tuple] = {}
    for n, defect in enumerate(DEFECTS, start=1):
        cols = months[defect.month]
        if defect.kind == "duplicate_id":
            src_month, src_pos = DUPLICATE_SOURCE
            row = {c: v[src_pos] for c, v in months[src_month].items()}
        else:
            returned = np.flatnonzero(cols["status"] == "returned")
            later = returned[returned >= defect.position]
            src = int(later[0] if len(later) else returned[0])
            row, override = _defect_values(defect, {c: v[src] for c, v in cols.items()}, n)
            if override:
                overrides[defect.month] = (defect.position, *override)
        for c, v in cols.items():
            cols[c] = np.insert(v, defect.position, np.array([row[c]], dtype=v.dtype))
    return months, overrides


def _file_format(month: str, dossier_format: str) -> str:
    if dossier_format == "mixed":
        return "csv" if month in MIXED_CSV_MONTHS else "xlsx"
    return dossier_format


def _write_previous_year(out: Path, dossiers: pd.DataFrame, fmt: str) -> tuple[Path, int]:
    """The previous year's dossiers as one yearly workbook (profile A headers)."""
    path = out / PREVIOUS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        path = path.with_suffix(".csv")
        columns = render_dossiers(_column_arrays(dossiers), PROFILES["A"], excel=False)
        return write_csv(path, columns), len(dossiers)
    columns = render_dossiers(_column_arrays(dossiers), PROFILES["A"], excel=True)
    titles = (
        "SỞ GIÁO DỤC VÀ ĐÀO TẠO BÌNH PHƯỚC",
        "DANH SÁCH HỒ SƠ NĂM 2024 (01/12/2023 – 30/11/2024)",
    )
    return write_table_xlsx(path, "Danh sách hồ sơ", columns, title_lines=titles), len(dossiers)


def _write_month(out: Path, month: str, arrays: dict, override, dossier_format: str) -> Path:
    fmt = _file_format(month, dossier_format)
    profile = PROFILES[_MONTH_PROFILE[month]]
    if month in _ISO_MONTHS and profile.date_style in ("dmy", "excel"):
        profile = type(profile)(**{**profile.__dict__, "date_style": "iso"})
    columns = render_dossiers(arrays, profile, excel=fmt == "xlsx")
    if override:
        position, column, text = override
        header = profile.headers[column]
        for col in columns:
            if col.header == header:
                col.overrides[position] = text
    path = out / dossier_file_name(month, fmt)
    if fmt == "csv":
        return write_csv(path, columns)
    titles = ()
    if month == _TITLE_MONTH:
        titles = (
            "SỞ GIÁO DỤC VÀ ĐÀO TẠO BÌNH PHƯỚC",
            f"DANH SÁCH HỒ SƠ THÁNG {month[5:]}/{month[:4]}",
        )
    sheet = "Sheet1" if profile.name == "C" else "Danh sách hồ sơ"
    return write_table_xlsx(path, sheet, columns, title_lines=titles)


# --- the other datasets ----------------------------------------------------------------------


def _label(dataset: str, column: str, values: pd.Series, index: int = 0) -> pd.Series:
    codes = dataset_fields(dataset)[column].codes
    return values.map(lambda v: codes[v][index] if isinstance(v, str) and v in codes else v)


def _yes_no(values: pd.Series) -> pd.Series:
    return values.map(lambda v: None if pd.isna(v) else ("Có" if bool(v) else "Không"))


def _headers(dataset: str, chosen: dict[str, str] | None = None) -> dict[str, str]:
    fields = dataset_fields(dataset)
    return {name: (chosen or {}).get(name, f.label_vi) for name, f in fields.items()}


def _write_procedures(out: Path, procedures: pd.DataFrame) -> Path:
    df = procedures.copy()
    df["level"] = _label("procedures", "level", df["level"], 1)
    df["online_level"] = _label("procedures", "online_level", df["online_level"])
    df["time_limit_unit"] = _label("procedures", "time_limit_unit", df["time_limit_unit"])
    df["status"] = _label("procedures", "status", df["status"])
    for column in (
        "eligible_full_online",
        "has_fee",
        "paper_result",
        "individual_applicants",
        "publicly_listed",
    ):
        df[column] = _yes_no(df[column])
    headers = _headers("procedures", {"unit": "Đơn vị thực hiện"})
    df = df.rename(columns=headers)
    return write_xlsx(out / "procedures/danh_muc_tthc.xlsx", Sheet("Danh mục TTHC", df))


def _write_activities(out: Path, activities: pd.DataFrame) -> Path:
    df = activities.copy()
    df["status"] = _label("activities", "status", df["status"])
    df = df.rename(columns=_headers("activities"))
    return write_xlsx(out / "activities/minh_chung_2025.xlsx", Sheet("Minh chứng", df))


def _write_index766(out: Path, index766: pd.DataFrame) -> Path:
    df = index766.copy()
    df["period"] = df["period"].str.slice(5, 7) + "/" + df["period"].str.slice(0, 4)
    df["group_code"] = _label("index766", "group_code", df["group_code"])
    df = df.rename(columns=_headers("index766"))
    return write_xlsx(out / "index766/chi_so_766_2025.xlsx", Sheet("Chỉ số 766", df))


def _text_dates(values: pd.Series) -> np.ndarray:
    text = pd.to_datetime(values).dt.strftime("%d/%m/%Y")
    return text.where(text.notna(), None).to_numpy(dtype=object)


def _csv_columns(df: pd.DataFrame, dataset: str, headers: dict[str, str]) -> list[Column]:
    columns = []
    for name, f in dataset_fields(dataset).items():
        values = df[name]
        if f.kind == "date":
            columns.append(Column(headers[name], "str", _text_dates(values)))
        elif f.kind in ("int", "float"):
            columns.append(
                Column(headers[name], "num", pd.to_numeric(values).astype("float64").to_numpy())
            )
        elif f.kind == "boolean":
            columns.append(Column(headers[name], "str", _yes_no(values).to_numpy(dtype=object)))
        elif f.kind == "code":
            columns.append(
                Column(headers[name], "str", _label(dataset, name, values).to_numpy(dtype=object))
            )
        else:
            columns.append(
                Column(
                    headers[name],
                    "str",
                    values.astype(object).where(values.notna(), None).to_numpy(),
                )
            )
    return columns


def _write_feedback(
    out: Path, feedback: pd.DataFrame, name: str = "feedback/pakn_2025.csv"
) -> Path:
    headers = _headers(
        "feedback", {"received_on": "Ngày tiếp nhận", "content": "Nội dung phản ánh"}
    )
    return write_csv(out / name, _csv_columns(feedback, "feedback", headers))


def _write_reports(out: Path, reports: pd.DataFrame) -> Path:
    headers = _headers("report_submissions")
    path = out / "report_submissions/bao_cao_dinh_ky_2025.csv"
    return write_csv(path, _csv_columns(reports, "report_submissions", headers))


# --- write_sample ------------------------------------------------------------------------------


def _prepare_dir(out: Path) -> None:
    """Create ``out``; remove the files of a previous sample; refuse other content."""
    out.mkdir(parents=True, exist_ok=True)
    manifest = out / "SAMPLE.json"
    if manifest.exists():
        previous = json.loads(manifest.read_text(encoding="utf-8"))
        for name in [*previous.get("files", {}), "README.md", "SAMPLE.json"]:
            (out / name).unlink(missing_ok=True)
        return
    others = [p.name for p in out.iterdir() if not p.name.startswith(".")]
    if others:
        raise ParameterError(
            f"Thư mục {out} đã có dữ liệu khác ({', '.join(sorted(others)[:5])}).",
            hint="Chọn một thư mục trống hoặc thư mục chứa một bộ dữ liệu mẫu cũ (có SAMPLE.json).",
        )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _count_rows(data: SampleData, frames: dict[str, dict]) -> dict[str, int]:
    d = data.dossiers
    return {
        "dossiers_2025": int((d["month"] != "2024-12").sum()),
        "dossiers_2024_12": int((d["month"] == "2024-12").sum()),
        "dossiers_previous_year": (
            len(data.previous_dossiers) if data.previous_dossiers is not None else 0
        ),
        "dossier_rows_written": int(sum(len(f["dossier_id"]) for f in frames.values())),
        "planted_defect_rows": len(DEFECTS),
        "procedures": len(data.procedures),
        "feedback": len(data.feedback),
        "feedback_previous_year": (
            len(data.previous_feedback) if data.previous_feedback is not None else 0
        ),
        "index766": len(data.index766),
        "activities": len(data.activities),
        "report_submissions": len(data.report_submissions),
    }


def _expected(scale: str, seed: int, n_dossiers: int | None) -> dict[str, str] | None:
    """Expected task statuses at 31/12/2025 (defined for the bundled small sample only)."""
    if scale == "small" and seed == 2025 and n_dossiers is None:
        return expected_task_statuses()
    return None


def write_sample(
    out_dir: str | Path,
    scale: Scale = "small",
    seed: int = 2025,
    dossier_format: Format = "mixed",
    *,
    n_dossiers: int | None = None,
) -> Path:
    """Write the synthetic raw exports into ``out_dir`` and return that folder.

    The folder can be passed as it is to ``tthc_analysis.loading.ingest.load_tables``; its
    ``SAMPLE.json`` lists the files (rows, bytes, SHA-256), the counts, the planted row
    defects (file and row) and, for the bundled sample, the expected task statuses.

    Args:
        out_dir: Target folder (created). It must be empty or hold an earlier sample
            (whose files are replaced).
        scale: ``small`` (about 4,500 dossiers, bundled in ``data/sample``) or
            ``province`` (1,000,000 dossiers received in 2025, for benchmarks).
        seed: Seed; the same seed gives byte-identical files.
        dossier_format: ``mixed`` (workbooks, two months as CSV), ``xlsx`` or ``csv``.
        n_dossiers: Dossiers received in 2025, overriding the scale's count.

    Raises:
        ParameterError: a wrong scale, seed, format or count, or a folder with other data.
    """
    if dossier_format not in ("mixed", "xlsx", "csv"):
        raise ParameterError(f"Định dạng không hợp lệ: «{dossier_format}» (mixed, xlsx hoặc csv).")
    data = build_sample(scale, seed, n_dossiers)
    out = Path(out_dir)
    _prepare_dir(out)
    frames, overrides = _month_arrays(data.dossiers)
    written: list[tuple[Path, int]] = [
        (
            _write_month(out, m, frames[m], overrides.get(m), dossier_format),
            len(frames[m]["dossier_id"]),
        )
        for m in MONTHS
    ]
    if data.previous_dossiers is not None:
        written.append(
            _write_previous_year(out, data.previous_dossiers, _file_format("", dossier_format))
        )
    written += [
        (_write_procedures(out, data.procedures), len(data.procedures)),
        (_write_feedback(out, data.feedback), len(data.feedback)),
        *(
            [
                (
                    _write_feedback(out, data.previous_feedback, PREVIOUS_FEEDBACK_FILE),
                    len(data.previous_feedback),
                )
            ]
            if data.previous_feedback is not None
            else []
        ),
        (_write_index766(out, data.index766), len(data.index766)),
        (_write_activities(out, data.activities), len(data.activities)),
        (_write_reports(out, data.report_submissions), len(data.report_submissions)),
    ]
    files = {
        p.relative_to(out).as_posix(): {"rows": n, "bytes": p.stat().st_size, "sha256": _sha256(p)}
        for p, n in written
    }
    planted = [
        {
            "id": d.id,
            "file": dossier_file_name(d.month, _file_format(d.month, dossier_format)),
            "row": d.row,
            "column": d.column,
            "kind": d.kind,
            "value": d.value,
        }
        for d in DEFECTS
    ]
    manifest = {
        "synthetic": True,
        "description": "DỮ LIỆU MẪU TỔNG HỢP (synthetic) – không phải số liệu thật",
        "seed": int(seed),
        "scale": scale,
        "dossier_format": dossier_format,
        "generator_version": GENERATOR_VERSION,
        "as_of": AS_OF.isoformat(),
        "counts": _count_rows(data, frames),
        "files": files,
        "planted_defects": planted,
        "expected_task_statuses": _expected(scale, seed, n_dossiers),
    }
    (out / "README.md").write_text(readme.render(manifest), encoding="utf-8", newline="\n")
    (out / "SAMPLE.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
        encoding="utf-8",
        newline="\n",
    )
    return out
