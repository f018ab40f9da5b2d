"""Cached ingest of a raw-data folder into validated Parquet tables, and ``load_tables``.

``ingest(raw_dir, out_dir)`` loads every data file under ``raw_dir`` (the dataset of a file
comes from a sub-folder named after it, e.g. ``dossiers/``, or from its headers), and
writes to ``out_dir``:

- ``<dataset>.parquet`` for the six datasets (empty tables for absent ones), without
  their personal-data columns, which go to ``<dataset>_personal.parquet`` (same rows, same
  order; only for datasets that have such columns). The cache thus keeps personal data
  apart, and the two files of a big table are encoded at the same time (pyarrow's
  Parquet writer uses one core per file). :func:`load_tables` joins them back;
- ``rejected_rows.parquet`` and ``rejected_rows.xlsx`` (for the analyst: rejected rows,
  files read, warnings);
- ``warnings.parquet``;
- ``manifest.json``: source files with SHA-256, size, dataset, header mapping and rows
  read/kept/rejected; skipped files; output hashes; schema, settings and package
  versions. It has sorted keys and no timestamps (same inputs, same bytes).

A re-run whose inputs have the same hashes (and the same schema version, package
version and aliases) reuses the outputs without parsing anything, after checking the
output hashes and the manifest's own hash (``manifest_sha256``): a hand-edited or damaged
cache (table or manifest) is rebuilt, never trusted. When rows were rejected for a date
in the future, the manifest records the day (``future_dates_checked_on``) and the cache
is rebuilt on another day, so that those dates are judged again. Outputs are
written to temporary files and renamed into place, under a lock file, so concurrent
ingests of the same folder do not corrupt each other.

- ``load_facts.parquet``: what the loader did that is not an error (files refused with
  the reason, links skipped, footers skipped, superseded rows, procedure codes filled from
  the catalogue, states inferred from dates, values set missing in optional columns:
  :data:`~tthc_analysis.loading.datasets.FACT_COLUMNS`).

One bad file (unreadable, unknown dataset, missing required column) does not stop the
others: it is listed in the manifest (``refused_files``) and in the load facts with its
reason, and :attr:`Manifest.refused` lets the command line exit with a non-zero status.
Rows are never dropped silently.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from filelock import FileLock

from tthc_analysis import __version__, schemas
from tthc_analysis.config import DATA_DIR, SAMPLE_DIR, Settings, load_settings
from tthc_analysis.errors import InputFileError, TthcError
from tthc_analysis.fields import DATASET_LABELS_VI, DATASETS, dataset_fields, personal_columns
from tthc_analysis.loading.datasets import (
    FACT_COLUMNS,
    FINALIZE_ORDER,
    FUTURE_REASON,
    REJECTED_COLUMNS,
    WARNING_COLUMNS,
    _check_value_aliases,
    discover,
    empty_facts,
    empty_rejected,
    facts_table,
    fill_procedure_codes,
    finalize,
    parse_files,
    skipped_facts,
    warnings_table,
)
from tthc_analysis.loading.reference import References, load_references
from tthc_analysis.outputs import check_output_dir, replace_dir, writing
from tthc_analysis.privacy import mask_rejected
from tthc_analysis.schemas import schema_version
from tthc_analysis.xlsx import Sheet, write_xlsx

if TYPE_CHECKING:
    from tthc_analysis.plan.model import Plan

__all__ = [
    "MANIFEST_NAME",
    "PERSONAL_SUFFIX",
    "PROCESSED_ROOT",
    "Manifest",
    "Tables",
    "default_processed_dir",
    "ingest",
    "is_sample_dir",
    "load_tables",
    "read_output",
]

MANIFEST_NAME = "manifest.json"
MANIFEST_VERSION = 3
"""2: personal-data columns in ``<dataset>_personal.parquet``; 3: ``load_facts.parquet``,
refused files, superseded and footer rows."""
PERSONAL_SUFFIX = "_personal"
"""File name suffix of the Parquet table holding a dataset's personal-data columns."""
PROCESSED_ROOT = DATA_DIR / "processed"
"""Where caches of arbitrary raw folders go by default (git-ignored)."""
XLSX_MAX_ROWS = 100_000
"""Rejected rows written to the .xlsx (all of them are in the Parquet table)."""
_COMPRESSION = "lz4"
_TABLES = (*DATASETS, "rejected_rows", "warnings", "load_facts")
CACHE_WHAT = "bảng dữ liệu đã nạp (bộ nhớ đệm Parquet của tthc ingest)"
"""What the ingest writes, in the Vietnamese messages of a failed write."""


@dataclass
class Tables:
    """The loaded tables of one raw folder (contract 2).

    Attributes:
        dossiers, procedures, feedback, index766, activities, report_submissions: Kept
            rows with exactly the columns of ``fields.py`` plus ``source_file`` and
            ``source_row``; empty frames with the right dtypes for absent datasets.
        rejected_rows: ``dataset, source_file, source_row, column, header, value,
            reason`` (one line per problem, reason in Vietnamese).
        warnings: ``dataset, source_file, message`` (Vietnamese).
        load_facts: What the loader did that is not an error
            (:data:`~tthc_analysis.loading.datasets.FACT_COLUMNS`): refused files,
            skipped footers and links, superseded rows, procedure codes filled from the
            catalogue, states inferred from dates, values set missing.
        plan: The plan (``tthc_analysis.plan.load_plan()``).
        references: The reference tables of the folder's settings (calendar, task →
            indicator table, 766 indicators, units: :func:`load_references`), which
            :func:`tthc_analysis.evaluation.evaluate.evaluate` uses (it reads no file).
        manifest: The ingest manifest.
        raw_dir: The raw folder.
        is_sample: ``raw_dir`` holds the synthetic sample (``SAMPLE.json``).
    """

    dossiers: pd.DataFrame
    procedures: pd.DataFrame
    feedback: pd.DataFrame
    index766: pd.DataFrame
    activities: pd.DataFrame
    report_submissions: pd.DataFrame
    rejected_rows: pd.DataFrame
    warnings: pd.DataFrame
    load_facts: pd.DataFrame = field(default_factory=empty_facts)
    plan: Plan | None = None
    references: References | None = None
    manifest: dict = field(default_factory=dict)
    raw_dir: Path = Path()
    is_sample: bool = False

    @property
    def frames(self) -> dict[str, pd.DataFrame]:
        """Dataset name -> kept rows."""
        return {name: getattr(self, name) for name in DATASETS}

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in _TABLES:
            raise KeyError(name)
        return getattr(self, name)


@dataclass(frozen=True)
class Manifest:
    """Result of :func:`ingest`.

    Attributes:
        content: The manifest (as written to ``manifest.json``).
        out_dir: Folder of the outputs.
        reused: ``True`` when the previous outputs were reused (inputs unchanged).
    """

    content: dict
    out_dir: Path
    reused: bool = False

    @property
    def path(self) -> Path:
        """``manifest.json``."""
        return self.out_dir / MANIFEST_NAME

    @property
    def files(self) -> pd.DataFrame:
        """One row per source file: path, dataset, rows_read, rows_kept, rows_rejected."""
        columns = ["path", "dataset", "rows_read", "rows_kept", "rows_rejected", "sha256", "size"]
        return pd.DataFrame(
            [{c: f[c] for c in columns} for f in self.content.get("files", [])], columns=columns
        )

    @property
    def refused(self) -> list[dict]:
        """The files that could not be loaded: path, message, hint."""
        return list(self.content.get("refused_files", []))

    @property
    def totals(self) -> dict:
        """Rows read, kept and rejected over all files; number of warnings."""
        return dict(self.content.get("totals", {}))


# --- Paths ---------------------------------------------------------------------------------


def is_sample_dir(raw_dir: str | Path) -> bool:
    """Whether ``raw_dir`` has a ``SAMPLE.json`` saying ``"synthetic": true``."""
    marker = Path(raw_dir) / "SAMPLE.json"
    if not marker.is_file() or marker.stat().st_size > 65536:  # a marker is a few lines
        return False
    try:
        return bool(json.loads(marker.read_text(encoding="utf-8")).get("synthetic"))
    except (OSError, ValueError, AttributeError):
        return False


def default_processed_dir(raw_dir: str | Path) -> Path:
    """Default cache folder of a raw folder (git-ignored).

    The bundled sample caches into ``data/sample/.cache/``; any other folder into
    ``data/processed/<name>-<hash of its absolute path>/`` (or, if the project folder is
    not writable, the same under ``~/.cache/tthc-analysis/``).
    """
    raw = Path(raw_dir).resolve()
    if raw == SAMPLE_DIR.resolve():
        return raw / ".cache"
    key = hashlib.sha256(str(raw).encode("utf-8")).hexdigest()[:12]
    root = PROCESSED_ROOT
    probe = root if root.exists() else root.parent
    if not os.access(probe, os.W_OK):
        root = Path.home() / ".cache" / "tthc-analysis"
    return root / f"{raw.name or 'data'}-{key}"


# --- Hashing and atomic writes ---------------------------------------------------------------


def _sha256_file(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _stable_hash(payload: object) -> str:
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _settings_hash(settings: Settings) -> str:
    return _stable_hash(
        {
            "header_aliases": settings.header_aliases,
            "value_aliases": settings.value_aliases,
            "loading": settings.loading.model_dump(),
        }
    )[:16]


@contextlib.contextmanager
def _locked(lock: Path) -> Iterator[None]:
    """Hold an exclusive lock on file ``lock`` (any system, ``filelock``)."""
    with FileLock(lock):
        yield


def _replace_atomically(out_dir: Path, name: str, write) -> None:
    """Write ``out_dir/name`` through a temporary file and an atomic rename."""
    tmp = out_dir / f".{name}.{os.getpid()}.{uuid.uuid4().hex[:12]}.tmp"
    try:
        write(tmp)
        tmp.replace(out_dir / name)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _read_parquet_bytes(data: bytes) -> pd.DataFrame:
    return pq.read_table(pa.BufferReader(data)).to_pandas()


def _output_files(name: str, outputs: dict) -> list[str]:
    """The output files of table ``name``: its Parquet file, then its personal part if any."""
    personal = f"{name}{PERSONAL_SUFFIX}.parquet"
    return [f"{name}.parquet", *([personal] if personal in outputs else [])]


def _joined(name: str, parts: list[pd.DataFrame]) -> pd.DataFrame:
    """A table from its Parquet parts (columns back in the canonical order)."""
    if len(parts) == 1:
        return parts[0]
    frame = pd.concat(parts, axis=1)
    order = [c for c in schemas.empty_frame(name).columns if c in frame.columns]
    order += [c for c in frame.columns if c not in order]
    return frame[order]


# --- Ingest -----------------------------------------------------------------------------------


def _input_entries(files) -> list[dict]:
    return [
        {
            "path": f.rel,
            "sha256": _sha256_file(f.path),
            "size": f.path.stat().st_size,
            "folder_dataset": f.dataset,
        }
        for f in files
    ]


def _same_listing(manifest: dict, files) -> bool:
    """Whether the files have the same names and sizes as in ``manifest``."""
    before = [(f.get("path"), f.get("size")) for f in manifest.get("files", [])]
    return before == [(f.rel, f.path.stat().st_size) for f in files]


def _inputs_key(entries: list[dict], skipped, settings: Settings, is_sample: bool) -> str:
    return _stable_hash(
        {
            "files": [(e["path"], e["sha256"], e["size"], e["folder_dataset"]) for e in entries],
            "skipped": [s.rel for s in skipped],
            "schema_version": schema_version(),
            "package_version": __version__,
            "settings": _settings_hash(settings),
            "is_sample": is_sample,
            "manifest_version": MANIFEST_VERSION,
        }
    )


_SELF_HASH = "manifest_sha256"
"""Key of the manifest's own hash (of its other keys): a hand-edited manifest is not trusted."""


def _read_manifest(out_dir: Path) -> dict | None:
    """The previous manifest, or ``None`` if it is missing, unreadable or was edited."""
    try:
        content = json.loads((out_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(content, dict):
        return None
    digest = content.get(_SELF_HASH)
    if digest != _stable_hash({k: v for k, v in content.items() if k != _SELF_HASH}):
        return None
    return content


def _still_valid(manifest: dict) -> bool:
    """Whether rows rejected as dated in the future were judged today (else re-judge)."""
    checked = manifest.get("future_dates_checked_on")
    return checked is None or checked == date.today().isoformat()


def _read_outputs(
    out_dir: Path, manifest: dict, keep: bool = True
) -> dict[str, pd.DataFrame] | None:
    """The tables of a previous ingest, or ``None`` if any output is missing or altered.

    With ``keep`` false the outputs are only verified (hashes), not decoded.
    """
    outputs = manifest.get("outputs", {})
    frames: dict[str, pd.DataFrame] = {}
    for name in (*_TABLES, "rejected_rows_xlsx"):
        files = _output_files(name, outputs) if name != "rejected_rows_xlsx" else []
        parts = []
        for filename in files or ["rejected_rows.xlsx"]:
            expected = outputs.get(filename)
            if not expected:
                return None
            try:
                data = (out_dir / filename).read_bytes()
            except OSError:
                return None
            if hashlib.sha256(data).hexdigest() != expected.get("sha256"):
                return None
            if not files or not keep:
                continue
            try:
                parts.append(_read_parquet_bytes(data))
            except (pa.ArrowException, OSError, ValueError):
                return None
        if parts:
            if len({len(part) for part in parts}) != 1:
                return None
            frames[name] = _joined(name, parts)
    return frames


def read_output(out_dir: str | Path, name: str) -> pd.DataFrame:
    """One table of an ingest's output folder, its personal-data part joined back.

    No hash check (:func:`load_tables` checks them): for tools and tests that read a
    processed folder directly.
    """
    out = Path(out_dir)
    files = [f.name for f in (out / f"{name}.parquet", out / f"{name}{PERSONAL_SUFFIX}.parquet")]
    parts = [pd.read_parquet(out / f) for f in files if (out / f).is_file()]
    return _joined(name, parts)


def _xlsx_sheets(rejected: pd.DataFrame, files: list[dict], warnings: pd.DataFrame) -> list[Sheet]:
    shown = rejected.head(XLSX_MAX_ROWS)
    n_rows = len(rejected[["source_file", "source_row", "dataset"]].drop_duplicates())
    footer = []
    if len(rejected) > XLSX_MAX_ROWS:
        footer.append(
            f"Chỉ ghi {XLSX_MAX_ROWS:,} dòng đầu; bảng đầy đủ ở rejected_rows.parquet.".replace(
                ",", "."
            )
        )
    bad = Sheet(
        "Dòng bị loại",
        shown.rename(
            columns={
                "dataset": "Bộ dữ liệu",
                "source_file": "Tệp",
                "source_row": "Dòng",
                "column": "Cột",
                "header": "Tiêu đề trong tệp",
                "value": "Giá trị",
                "reason": "Lý do",
            }
        ),
        title_lines=[
            "Các dòng dữ liệu bị loại khi nạp",
            f"{n_rows:,} dòng bị loại, {len(rejected):,} vấn đề (mỗi vấn đề một dòng).".replace(
                ",", "."
            ),
        ],
        footer_lines=footer,
    )
    files_frame = pd.DataFrame(
        [
            {
                "Tệp": f["path"],
                "Bộ dữ liệu": DATASET_LABELS_VI.get(f["dataset"], f["dataset"]),
                "Số dòng đọc": f["rows_read"],
                "Số dòng giữ": f["rows_kept"],
                "Số dòng loại": f["rows_rejected"],
            }
            for f in files
        ],
        columns=["Tệp", "Bộ dữ liệu", "Số dòng đọc", "Số dòng giữ", "Số dòng loại"],
    )
    read = Sheet("Tệp đã đọc", files_frame, title_lines=["Các tệp đã nạp"])
    notes = Sheet(
        "Cảnh báo",
        warnings.rename(
            columns={"dataset": "Bộ dữ liệu", "source_file": "Tệp", "message": "Nội dung"}
        ),
        title_lines=["Cảnh báo khi nạp dữ liệu"],
    )
    return [bad, read, notes]


def _dictionary_columns(name: str, frame: pd.DataFrame) -> list[str]:
    """Text columns with few distinct values (dictionary-encoded in Parquet).

    Ids, personal data and free text are stored plainly: encoding them as a dictionary
    costs time for nothing.
    """
    if name not in DATASETS:
        return [c for c in frame.columns if str(frame[c].dtype) == "str"]
    fields = dataset_fields(name)
    low = [
        n
        for n, f in fields.items()
        if f.kind in ("string", "code", "period")
        and not (f.unique or f.personal or f.untrusted or n in ("doc_number", "title"))
    ]
    return [*low, "source_file"]


def _write_one(out_dir: Path, filename: str, name: str, frame: pd.DataFrame) -> dict:
    table = pa.Table.from_pandas(frame, preserve_index=False)
    options = {
        "compression": _COMPRESSION,
        "use_dictionary": _dictionary_columns(name, frame),
        "write_statistics": False,
    }
    _replace_atomically(out_dir, filename, lambda p: pq.write_table(table, str(p), **options))
    path = out_dir / filename
    return {"sha256": _sha256_file(path), "size": path.stat().st_size, "rows": len(frame)}


def _write_parquet(out_dir: Path, name: str, frame: pd.DataFrame) -> dict[str, dict]:
    """Write table ``name``; return ``{file name: {sha256, size, rows}}``.

    The personal-data columns of a dataset go to their own file, written at the same
    time as the other columns.
    """
    personal = [c for c in frame.columns if name in DATASETS and c in personal_columns(name)]
    if not personal:
        return {f"{name}.parquet": _write_one(out_dir, f"{name}.parquet", name, frame)}
    others = [c for c in frame.columns if c not in personal]
    parts = {f"{name}.parquet": frame[others], f"{name}{PERSONAL_SUFFIX}.parquet": frame[personal]}
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {f: pool.submit(_write_one, out_dir, f, name, part) for f, part in parts.items()}
        return {f: future.result() for f, future in futures.items()}


def _file_entries(results, counts: dict, entries: list[dict]) -> list[dict]:
    by_path = {e["path"]: e for e in entries}
    return [
        {
            "path": r.rel,
            "dataset": r.dataset,
            "format": r.format,
            "sheet": r.sheet,
            "header_row": r.header_row,
            "encoding": r.encoding,
            "sha256": by_path[r.rel]["sha256"],
            "size": by_path[r.rel]["size"],
            "columns": dict(sorted(r.headers.items())),
            "ignored_headers": list(r.ignored),
            **counts[r.rel],
        }
        for r in results
    ]


def _build(files, skipped, hashes, settings, workers, out_dir: Path, keep: bool):
    """Parse, validate and write every table; return (frames, file entries, outputs, rows).

    Each dataset is written as soon as it is validated, and its frame is dropped
    unless ``keep``, so that a big ingest holds one validated dataset at a time.
    ``hashes`` returns the input entries (it may still be hashing in a thread).
    """
    refused: list = []
    results = parse_files(files, settings, workers, refused)
    entries = [e for e in hashes() if e["path"] not in {r.file for r in refused}]
    counts: dict[str, dict] = {}
    frames: dict[str, pd.DataFrame] = {}
    outputs: dict[str, dict] = {}
    rows: dict[str, int] = {}
    rejected_parts = []
    facts = skipped_facts(skipped, refused)
    writes = {}
    catalogue = None
    writer = ThreadPoolExecutor(max_workers=1)  # big tables are written while the rest goes on
    for name in FINALIZE_ORDER:
        result = finalize(name, results, release=True)
        frame = result.frame
        if name == "procedures":
            catalogue = frame
        if name == "dossiers":
            frame, filled = fill_procedure_codes(frame, catalogue)
            facts.extend(filled)
        writes[name] = writer.submit(_write_parquet, out_dir, name, frame)
        rows[name] = len(frame)
        if keep:
            frames[name] = frame
        if len(result.rejected):
            rejected_parts.append(result.rejected)
        counts.update(result.counts)
        facts.extend(result.facts)
        del result, frame
    del catalogue
    writer.shutdown(wait=True)
    for future in writes.values():
        outputs.update(future.result())
    rejected = pd.concat(rejected_parts, ignore_index=True) if rejected_parts else empty_rejected()
    extra = [("", s.rel, f"Bỏ qua tệp {s.rel}: {s.reason}.") for s in skipped]
    frames["rejected_rows"] = rejected[REJECTED_COLUMNS]
    frames["warnings"] = warnings_table(results, extra)[WARNING_COLUMNS]
    frames["load_facts"] = facts_table(facts)[FACT_COLUMNS]
    file_entries = _file_entries(results, counts, entries)
    for name in ("rejected_rows", "warnings", "load_facts"):
        outputs.update(_write_parquet(out_dir, name, frames[name]))
    # The workbook an analyst opens and shares: a rejected value is shown only when it is
    # not personal by column or by pattern (CCCD/CMND, phone, e-mail; ND 13/2023/NĐ-CP).
    shown = mask_rejected(frames["rejected_rows"])
    sheets = _xlsx_sheets(shown, file_entries, frames["warnings"])
    _replace_atomically(out_dir, "rejected_rows.xlsx", lambda p: write_xlsx(p, sheets))
    xlsx = out_dir / "rejected_rows.xlsx"
    outputs["rejected_rows.xlsx"] = {"sha256": _sha256_file(xlsx), "size": xlsx.stat().st_size}
    refused_entries = [
        {"path": r.file, "message": r.message, "hint": r.hint, "column": r.column} for r in refused
    ]
    return frames, file_entries, outputs, rows, refused_entries


def _ingest(
    raw_dir: Path,
    out_dir: Path,
    settings: Settings,
    force: bool,
    workers: int | None,
    keep: bool = True,
) -> tuple[Manifest, dict[str, pd.DataFrame]]:
    if getattr(multiprocessing.current_process(), "_inheriting", False):
        # A worker process re-running the caller's script (no ``__main__`` guard) would
        # wait forever for the lock its parent holds.
        raise TthcError(
            "Không thể nạp dữ liệu khi đang khởi động tiến trình con.",
            hint='Đặt lệnh gọi ingest/load_tables trong khối «if __name__ == "__main__":» của tệp .py.',
        )
    if not raw_dir.exists():
        raise InputFileError("Không tìm thấy thư mục dữ liệu.", file=raw_dir)
    _check_value_aliases(settings)
    out_dir = check_output_dir(out_dir, CACHE_WHAT)
    lock = out_dir.parent / f".{out_dir.name}.lock"
    with writing(out_dir, CACHE_WHAT):
        lock.touch()
    with _locked(lock):
        files, skipped = discover(raw_dir, exclude=[out_dir])
        sample = raw_dir.is_dir() and is_sample_dir(raw_dir)
        previous = None if force else _read_manifest(out_dir)
        entries: list[dict] | None = None
        if previous is not None and _same_listing(previous, files):
            entries = _input_entries(files)
            key = _inputs_key(entries, skipped, settings, sample)
            if previous.get("inputs_key") == key and _still_valid(previous):
                frames = _read_outputs(out_dir, previous, keep)
                if frames is not None:
                    return Manifest(previous, out_dir, reused=True), frames
        with writing(out_dir, CACHE_WHAT):
            stage = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
        try:
            with writing(out_dir, CACHE_WHAT):
                stage.chmod(0o755)
                content, frames = _write_cache(
                    files, skipped, entries, settings, sample, workers, stage, keep
                )
                replace_dir(stage, out_dir)
        finally:
            shutil.rmtree(stage, ignore_errors=True)
        return Manifest(content, out_dir, reused=False), frames


def _write_cache(files, skipped, entries, settings, sample, workers, stage: Path, keep: bool):
    """Parse, validate and write a whole cache into ``stage``; return (manifest, frames)."""
    with ThreadPoolExecutor(max_workers=1) as hasher:
        # The inputs changed: hash them while they are parsed.
        pending = hasher.submit(_input_entries, files) if entries is None else None
        frames, file_entries, outputs, rows, refused = _build(
            files,
            skipped,
            pending.result if pending else (lambda: entries),
            settings,
            workers,
            stage,
            keep,
        )
        entries = pending.result() if pending else entries
    key = _inputs_key(entries, skipped, settings, sample)
    distinct = frames["rejected_rows"][["dataset", "source_file", "source_row"]].drop_duplicates()
    content = {
        "manifest_version": MANIFEST_VERSION,
        "package_version": __version__,
        "schema_version": schema_version(),
        "settings_hash": _settings_hash(settings),
        "inputs_key": key,
        "is_sample": sample,
        "files": file_entries,
        "skipped_files": [{"path": s.rel, "reason": s.reason} for s in skipped],
        "refused_files": refused,
        "datasets": {
            name: {
                "rows": rows[name],
                "files": sum(1 for f in file_entries if f["dataset"] == name),
            }
            for name in DATASETS
        },
        "outputs": outputs,
        "totals": {
            "files": len(file_entries),
            "rows_read": sum(f["rows_read"] for f in file_entries),
            "rows_kept": sum(f["rows_kept"] for f in file_entries),
            "rows_rejected": sum(f["rows_rejected"] for f in file_entries),
            "rows_superseded": sum(f["rows_superseded"] for f in file_entries),
            "footer_rows": sum(f["footer_rows"] for f in file_entries),
            "refused_files": len(refused),
            "problems": len(frames["rejected_rows"]),
            "rejected_distinct": len(distinct),
            "warnings": len(frames["warnings"]),
        },
    }
    if frames["rejected_rows"]["reason"].str.contains(FUTURE_REASON, regex=False).any():
        # Dates in the future are judged against the day of loading: re-judge tomorrow.
        content["future_dates_checked_on"] = date.today().isoformat()
    content[_SELF_HASH] = _stable_hash(content)
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, indent=2) + "\n"
    _replace_atomically(stage, MANIFEST_NAME, lambda p: p.write_text(text, encoding="utf-8"))
    return content, frames


def ingest(
    raw_dir: str | Path,
    out_dir: str | Path | None = None,
    settings: Settings | None = None,
    force: bool = False,
    workers: int | None = None,
) -> Manifest:
    """Load, validate and cache every data file of ``raw_dir`` as Parquet in ``out_dir``.

    Args:
        raw_dir: Folder of raw exports (or one file).
        out_dir: Output folder; default :func:`default_processed_dir`.
        settings: Aliases; default: bundled settings overlaid by ``raw_dir/tthc.yaml``.
        force: Rebuild even if the inputs are unchanged.
        workers: Processes for big workbooks (default: automatic, at most 2).

    Returns:
        The :class:`Manifest` (``reused`` tells whether the cache was used).

    Raises:
        InputFileError: a file that cannot be loaded (named in the message).
    """
    raw = Path(raw_dir)
    out = Path(out_dir) if out_dir is not None else default_processed_dir(raw)
    if settings is None:
        settings = load_settings(data_dir=raw if raw.is_dir() else raw.parent)
    manifest, _ = _ingest(raw, out, settings, force, workers, keep=False)
    return manifest


def _load_plan():
    from tthc_analysis.plan import load_plan

    return load_plan()


def load_tables(
    raw_dir: str | Path | None = None,
    processed_dir: str | Path | None = None,
    settings: Settings | None = None,
) -> Tables:
    """All tables of a raw folder in one call (ingested once, then read from the cache).

    Args:
        raw_dir: Folder of raw exports; ``None`` = the bundled synthetic sample.
        processed_dir: Cache folder; default :func:`default_processed_dir`.
        settings: Aliases; default: bundled settings overlaid by ``raw_dir/tthc.yaml``.

    Returns:
        :class:`Tables` with the six datasets, rejected rows, warnings, the plan and the
        manifest.
    """
    raw = Path(raw_dir) if raw_dir is not None else SAMPLE_DIR
    out = Path(processed_dir) if processed_dir is not None else default_processed_dir(raw)
    if settings is None:
        settings = load_settings(data_dir=raw if raw.is_dir() else raw.parent)
    manifest, frames = _ingest(raw, out, settings, force=False, workers=None)
    return Tables(
        **{name: frames[name] for name in _TABLES},
        plan=_load_plan(),
        references=load_references(settings),
        manifest=manifest.content,
        raw_dir=raw,
        is_sample=bool(manifest.content.get("is_sample")),
    )
