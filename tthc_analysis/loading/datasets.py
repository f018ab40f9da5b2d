"""Typed, validated datasets from raw files: every row kept or rejected with a reason.

:func:`parse_file` reads one file (:mod:`~tthc_analysis.loading.readers`) and types every
column (:mod:`~tthc_analysis.loading.values`); cells that cannot be read become problems.
:func:`finalize` stacks the files of a dataset (in path order), runs the pandera schema
once, lazily, as the final gate (:func:`tthc_analysis.schemas.check`) and turns every
problem into a line of the rejected-rows table. :func:`load` does all of it for a file or
a folder; files are parsed in parallel when they are big (:func:`parse_files`).

Row rules: a missing required value, a value that cannot be read (date, number,
yes/no, code, period), a date that does not exist, a pattern violation (task id such as
``IX.1``, procedure code ``1.005092``), a date before the receipt date
(:data:`~tthc_analysis.schemas.ORDER_RULES`), a negative duration, count or amount
(:attr:`Field.min_value`, e.g. ``supplement_days``, ``time_limit``, ``fee_amount``), the
date of something that has happened lying in the future (:attr:`Field.past`: later than
the day after the data is loaded, e.g. a receipt on ``03/03/2099``; due dates may be in
the future), a workbook cell that reads as empty but is not (an Excel error such as
``#N/A``, a formula never computed) and a duplicated id (``dossier_id``,
``procedure_code`` in ``procedures``, ``feedback_id``). For a duplicated id, the first
occurrence without other problems is kept (files in path order, rows in file order);
the others are rejected naming the kept row's file and row. A row with several problems
has one rejected-rows line per problem and counts once. Values of personal-data columns
are never copied into the rejected-rows table.
"""

from __future__ import annotations

import itertools
import os
import threading
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import lru_cache
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from tthc_analysis import schemas
from tthc_analysis.config import Settings, load_settings
from tthc_analysis.errors import InputFileError, TthcError
from tthc_analysis.fields import DATASETS, Field, dataset_fields
from tthc_analysis.loading import values as v
from tthc_analysis.loading.readers import (
    DATA_SUFFIXES,
    SPREADSHEET_SUFFIXES,
    RawTable,
    read_raw,
)
from tthc_analysis.text import fold
from tthc_analysis.typed import pc

__all__ = [
    "PERSONAL_PLACEHOLDER",
    "REJECTED_COLUMNS",
    "WARNING_COLUMNS",
    "DatasetResult",
    "FileResult",
    "Loaded",
    "SourceFile",
    "discover",
    "finalize",
    "load",
    "parse_file",
    "parse_files",
]

REJECTED_COLUMNS = ["dataset", "source_file", "source_row", "column", "header", "value", "reason"]
FACT_COLUMNS = ["kind", "dataset", "source_file", "source_row", "column", "value", "n", "detail"]
"""Columns of the load-facts table (what the loader did that is not an error):
``source_row`` is 0 for a fact about a whole file, ``n`` the rows concerned."""
FACT_KINDS: dict[str, str] = {
    "refused_file": "Tệp không nạp được",
    "skipped_link": "Liên kết bị bỏ qua",
    "skipped_footer": "Dòng cuối bảng bỏ qua (tổng cộng, ký tên)",
    "superseded": "Dòng bị thay bằng bản xuất có trạng thái mới hơn",
    "procedure_code_filled": "Mã TTHC điền từ danh mục theo tên thủ tục",
    "procedure_code_missing": "Không tìm được mã TTHC theo tên thủ tục",
    "state_inferred": "Trạng thái suy ra từ các ngày (tệp không có cột trạng thái)",
    "value_set_missing": "Giá trị ngoài danh mục ở cột không bắt buộc: để trống",
    "end_from_refusal": "Ngày kết thúc xử lý lấy từ ngày từ chối (từ chối, dừng xử lý)",
}
"""Kinds of load facts and their Vietnamese labels."""
"""Columns of the rejected-rows table: ``column`` is the canonical column (empty for a
row that could not be split into cells), ``header`` the header as written in the file."""
WARNING_COLUMNS = ["dataset", "source_file", "message"]
PERSONAL_PLACEHOLDER = "(dữ liệu cá nhân, đã ẩn)"
FUTURE_REASON = "là ngày trong tương lai"
"""Part of the reason of a date rejected as in the future (:attr:`Field.past`)."""


# --- Files ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceFile:
    """A raw data file: absolute path, name relative to the raw folder, dataset if known."""

    path: Path
    rel: str
    dataset: str | None = None


@dataclass(frozen=True)
class Skipped:
    """A file of the raw folder that is not read, and why (Vietnamese)."""

    rel: str
    reason: str
    link: bool = False
    """A symbolic link skipped (loop, dangling, or pointing outside the data folder)."""


def _link_problem(path: Path, root: Path) -> str | None:
    """Why a symbolic link under ``root`` is not followed, or ``None`` if it may be."""
    try:
        target = path.resolve(strict=True)
    except RuntimeError:
        return "liên kết tượng trưng (symlink) vòng lặp"
    except OSError:
        return "liên kết tượng trưng (symlink) trỏ tới tệp không tồn tại"
    if not target.is_relative_to(root):
        return "liên kết tượng trưng (symlink) trỏ ra ngoài thư mục dữ liệu, không được đọc"
    return None


_COMPANIONS = frozenset({"readme.md", "sample.json", "tthc.yaml", "tthc.yml", ".gitignore"})


def discover(
    root: str | Path, exclude: Iterable[str | Path] = ()
) -> tuple[list[SourceFile], list[Skipped]]:
    """The data files under ``root`` (sorted by relative path) and the files skipped.

    A file is data when its suffix is one of :data:`readers.DATA_SUFFIXES`. Hidden files
    and folders (``.cache/``...), Excel lock files (``~$...``) and ``exclude`` folders are
    ignored. A folder named after a dataset (``dossiers/``...) gives the dataset of the
    files below it; other files are recognised from their headers.
    """
    root = Path(root)
    if root.is_file():
        return [SourceFile(root.resolve(), root.name, None)], []
    if not root.is_dir():
        raise InputFileError("Không tìm thấy thư mục dữ liệu.", file=root)
    excluded = {Path(p).resolve() for p in exclude}
    real_root = root.resolve()
    files: list[SourceFile] = []
    skipped: list[Skipped] = []
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        links = [d for d in dirnames if (here / d).is_symlink() and not d.startswith(".")]
        for d in links:  # a linked folder is never walked into (loops, outside the folder)
            rel = (here / d).relative_to(root).as_posix()
            reason = _link_problem(here / d, real_root) or (
                "liên kết tượng trưng (symlink) tới thư mục: không đọc qua liên kết"
            )
            skipped.append(Skipped(rel, reason, link=True))
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not d.startswith(".") and d not in links and (here / d).resolve() not in excluded
        )
        for name in sorted(filenames):
            path = here / name
            rel = path.relative_to(root).as_posix()
            if name.startswith("."):
                continue
            if path.is_symlink():
                problem = _link_problem(path, real_root)
                if problem is not None:
                    skipped.append(Skipped(rel, problem, link=True))
                    continue
            if name.startswith("~$"):
                skipped.append(Skipped(rel, "tệp khóa tạm của Excel"))
            elif path.suffix.lower() in DATA_SUFFIXES:
                files.append(SourceFile(path.resolve(), rel, _folder_dataset(rel)))
            elif name.lower() not in _COMPANIONS:
                skipped.append(
                    Skipped(rel, f"không phải tệp dữ liệu ({path.suffix or 'không đuôi'})")
                )
    files.sort(key=lambda f: f.rel)
    skipped.sort(key=lambda s: s.rel)
    return files, skipped


def _folder_dataset(rel: str) -> str | None:
    names = {fold(n): n for n in DATASETS}
    for part in reversed(Path(rel).parts[:-1]):
        if fold(part) in names:
            return names[fold(part)]
    return None


# --- One file -------------------------------------------------------------------------------


@dataclass
class FileResult:
    """One file read and typed; rows are not yet accepted or rejected.

    Attributes:
        rel: File name relative to the raw folder (``source_file``).
        dataset: Its dataset.
        format: File format; ``sheet``, ``header_row``, ``encoding`` as read.
        headers: Canonical column -> header as written in the file.
        ignored: Headers matching no column.
        frame: Every data row, typed (unreadable cells missing), with source columns.
        problems: ``position`` (row in ``frame``), ``column``, ``value``, ``reason``.
        bad_rows: Rows that could not be split into cells: (row number, reason).
        warnings: Vietnamese notes.
        facts: Load facts of the file (:data:`FACT_COLUMNS`, ``dataset`` and
            ``source_file`` included).
        n_footer: Lines below the table (total row, signature block), not data.
    """

    rel: str
    dataset: str
    format: str
    sheet: str | None
    header_row: int
    encoding: str | None
    headers: dict[str, str]
    ignored: tuple[str, ...]
    frame: pd.DataFrame
    problems: pd.DataFrame
    bad_rows: list[tuple[int, str]]
    warnings: list[str]
    n_rows: int = -1
    facts: list[tuple] = field(default_factory=list)
    n_footer: int = 0

    def __post_init__(self) -> None:
        if self.n_rows < 0:
            self.n_rows = len(self.frame)

    @property
    def n_read(self) -> int:
        """Rows read from the file (data rows plus rows that could not be split)."""
        return self.n_rows + len(self.bad_rows)


def _value_aliases(settings: Settings | None, dataset: str, column: str) -> dict[str, list[str]]:
    if settings is None:
        return {}
    out: dict[str, list[str]] = {}
    for key in (column, f"{dataset}.{column}"):
        for code, texts in settings.value_aliases.get(key, {}).items():
            out.setdefault(code, []).extend(texts)
    return out


def _check_value_aliases(settings: Settings | None) -> None:
    """Every configured alias must name a coded column and one of its codes."""
    for key, mapping in (settings.value_aliases if settings else {}).items():
        dataset, _, column = key.rpartition(".")
        names = [dataset] if dataset else list(DATASETS)
        fields = [
            dataset_fields(n)[column]
            for n in names
            if n in DATASETS and column in dataset_fields(n) and dataset_fields(n)[column].codes
        ]
        if not fields:
            raise TthcError(
                f"Cấu hình value_aliases: «{key}» không phải cột có danh mục mã.",
                hint='Ví dụ: value_aliases: {channel: {online: ["Nộp qua Cổng DVC"]}}',
            )
        codes = {code for f in fields for code in f.codes or ()}
        unknown = sorted(set(mapping) - codes)
        if unknown:
            raise TthcError(
                f"Cấu hình value_aliases.{key}: mã {', '.join(unknown)} không có trong danh mục.",
                hint="Các mã hợp lệ: " + ", ".join(sorted(codes)),
            )


@lru_cache(maxsize=256)
def _lookup(dataset: str, column: str, aliases_key: tuple) -> v.CodeLookup:
    f = dataset_fields(dataset)[column]
    aliases = {code: list(texts) for code, texts in aliases_key if code in f.codes}
    return v.code_lookup(f.codes, aliases)


def _parse_field(f: Field, cells: v.Cells, dataset: str, settings: Settings | None) -> v.Parsed:
    z_local = settings.loading.utc_z_is_local if settings is not None else False
    if f.kind == "string":
        return v.parse_strings(cells, f.name)
    if f.kind == "code":
        aliases = _value_aliases(settings, dataset, f.name)
        key = tuple(sorted((c, tuple(t)) for c, t in aliases.items()))
        lookup = _lookup(dataset, f.name, key)
        return v.parse_codes(cells, lookup, f.label_vi, strip_year=f.name == "period_id")
    if f.kind in ("datetime", "date"):
        return v.parse_datetimes(cells, date_only=f.kind == "date", z_local=z_local)
    if f.kind == "boolean":
        return v.parse_booleans(cells)
    if f.kind in ("int", "float"):
        return v.parse_numbers(cells, integer=f.kind == "int")
    if f.kind == "period":
        return v.parse_periods(cells)
    raise ValueError(f"unknown field kind {f.kind!r}")


def _series(f: Field, values: Any) -> pd.Series:
    """A typed pandas column from parsed values (see :class:`values.Parsed`)."""
    if f.kind in ("string", "code", "period"):
        return pd.Series(values, dtype="str")
    if f.kind in ("datetime", "date"):
        return pd.Series(values, dtype="datetime64[us]", copy=False)
    if f.kind == "boolean":
        data, missing = values
        return pd.Series(pd.arrays.BooleanArray(data, missing))
    if f.kind == "int":
        data, missing = values
        return pd.Series(pd.arrays.IntegerArray(data, missing))
    return pd.Series(values, dtype="float64", copy=False)


def _absent(f: Field, n: int) -> pd.Series:
    if f.kind in ("string", "code", "period"):
        return pd.Series(pa.nulls(n, pa.large_string()), dtype="str")
    if f.kind in ("datetime", "date"):
        return pd.Series(np.full(n, v.NAT), dtype="datetime64[us]")
    if f.kind == "boolean":
        return pd.Series(pd.arrays.BooleanArray(np.zeros(n, bool), np.ones(n, bool)))
    if f.kind == "int":
        return pd.Series(pd.arrays.IntegerArray(np.zeros(n, np.int64), np.ones(n, bool)))
    return pd.Series(np.full(n, np.nan))


def _cell_problems(raw: RawTable, dataset: str) -> list[tuple[int, str, str, str]]:
    """The reader's cell problems (formulas never computed...) as problem lines.

    Returns:
        (position, column, value shown, reason); personal values are hidden.
    """
    fields = dataset_fields(dataset)
    where = np.searchsorted(raw.source_rows, [row for row, *_ in raw.cell_problems])
    out = []
    for position, (row, column, text, reason) in zip(where, raw.cell_problems, strict=True):
        if position < len(raw.source_rows) and raw.source_rows[position] == row:
            shown = PERSONAL_PLACEHOLDER if fields[column].personal else text
            out.append((int(position), column, shown, reason))
    return out


NUL_REASON = (
    "Dòng có ký tự NUL (byte 0) — dữ liệu hỏng khi xuất hoặc sao chép; sửa dòng rồi nạp lại"
)


def _set_missing(
    raw: RawTable, f: Field, header: str, parsed: v.Parsed, cells: v.Cells, facts: list
) -> list[str]:
    """Values outside the vocabulary of an optional coded column: missing, row kept.

    Each cell becomes a load fact (file, row, column, value); one warning per column.
    """
    rows = raw.source_rows[parsed.bad]
    values = [cells.raw(int(i)) for i in parsed.bad]
    for row, value in zip(rows.tolist(), values, strict=True):
        facts.append(("value_set_missing", "", raw.display, row, f.name, value, 1, header))
    shown = ", ".join(f"«{x}»" for x in sorted(set(values))[:5])
    return [
        f"Cột «{header}» (không bắt buộc): {len(values)} ô có giá trị ngoài danh mục ({shown}) "
        "được để trống; các dòng vẫn được giữ. Có thể khai báo giá trị trong tthc.yaml "
        "(value_aliases)."
    ]


def _typed(raw: RawTable, dataset: str, settings: Settings | None):
    n = len(raw.source_rows)
    columns: dict[str, pd.Series] = {}
    positions: list[np.ndarray] = []
    names: list[str] = []
    texts: list[str] = []
    reasons: list[str] = []
    notes: dict[str, list[str]] = {}
    facts: list[tuple] = []
    extra: list[str] = []
    for f in DATASETS[dataset]:
        cells = raw.columns.get(f.name)
        if cells is None:
            columns[f.name] = _absent(f, n)
            continue
        parsed = _parse_field(f, cells, dataset, settings)
        columns[f.name] = _series(f, parsed.values)
        header = raw.match.headers.get(f.name, f.label_vi)
        for note in parsed.notes:
            notes.setdefault(note, []).append(f"«{header}»")
        if parsed.bad.size and f.kind == "code" and not f.required:
            extra.extend(_set_missing(raw, f, header, parsed, cells, facts))
            continue
        if parsed.bad.size:
            positions.append(parsed.bad)
            names.extend([f.name] * parsed.bad.size)
            shown = (
                [PERSONAL_PLACEHOLDER] * parsed.bad.size
                if f.personal
                else [cells.raw(int(i)) for i in parsed.bad]
            )
            texts.extend(shown)
            reasons.extend(parsed.reasons)
    if raw.cell_problems:
        for position, column, text, reason in _cell_problems(raw, dataset):
            positions.append(np.asarray([position], dtype=np.int64))
            names.append(column)
            texts.append(text)
            reasons.append(reason)
    if raw.nul_rows:
        where = np.searchsorted(raw.source_rows, raw.nul_rows)
        positions.append(where.astype(np.int64))
        names.extend([""] * where.size)
        texts.extend([""] * where.size)
        reasons.extend([NUL_REASON] * where.size)
    display = pa.scalar(raw.display, pa.large_string())
    columns["source_file"] = pd.Series(pa.repeat(display, n), dtype="str")
    columns["source_row"] = pd.Series(raw.source_rows, dtype="int64")
    frame = pd.DataFrame(columns)
    problems = pd.DataFrame(
        {
            "position": np.concatenate(positions) if positions else np.zeros(0, np.int64),
            "column": pd.Series(names, dtype=object),
            "value": pd.Series(texts, dtype=object),
            "reason": pd.Series(reasons, dtype=object),
        }
    )
    notes_text = [f"Cột {', '.join(h)}: {note}" for note, h in notes.items()]
    return frame, problems, [*notes_text, *extra], facts


def parse_file(
    path: str | Path,
    rel: str | None = None,
    dataset: str | None = None,
    settings: Settings | None = None,
) -> FileResult:
    """Read and type one raw file.

    Args:
        path: The file.
        rel: Its name relative to the raw folder (default: the file name).
        dataset: Its dataset if known (folder name); else recognised from the headers.
        settings: Header and value aliases.
    """
    path = Path(path)
    rel = rel or path.name
    raw = read_raw(path, rel, dataset, settings)
    name = raw.match.dataset
    frame, problems, notes, facts = _typed(raw, name, settings)
    if name == "dossiers":
        if "status" not in raw.columns:
            facts.extend(_states_from_dates(frame, rel))
        facts.extend(_end_from_refusal(frame, rel))
        problems = _end_state_without_date(frame, problems)
        problems = _receipt_needed(frame, problems)
    facts.extend(("skipped_footer", "", rel, row, "", text, 1, "") for row, text in raw.footers)
    facts = [(kind, name, *rest) for kind, _, *rest in facts]
    return FileResult(
        rel=rel,
        dataset=name,
        format=raw.format,
        sheet=raw.sheet,
        header_row=raw.header_row,
        encoding=raw.encoding,
        headers=dict(raw.match.headers),
        ignored=raw.match.ignored,
        frame=frame,
        problems=problems,
        bad_rows=raw.bad_rows,
        warnings=[*raw.warnings, *notes],
        facts=facts,
        n_footer=len(raw.footers),
    )


END_STATUSES = ("completed", "returned", "rejected", "withdrawn", "stopped")
"""Dossier statuses that end processing: each needs an end date (issue 12, rule 5)."""
END_DATES = ("completed_at", "returned_at")  # refused_at fills completed_at first


def _states_from_dates(frame: pd.DataFrame, rel: str) -> list[tuple]:
    """Set the status of a file without a status column from its dates (tracking book).

    Returned when the result was returned, completed when processing ended, processing
    when only received (TT 01/2018/TT-VPCP tracking book: the state follows from which
    dates are filled); with a refusal date (``refused_at``) and no end, rejected when
    received, refused at the counter when not. Returns one load fact per state set.
    """
    returned = frame["returned_at"].notna().to_numpy()
    completed = frame["completed_at"].notna().to_numpy() & ~returned
    refused = np.zeros(len(frame), dtype=bool)
    if "refused_at" in frame:
        refused = frame["refused_at"].notna().to_numpy() & ~returned & ~completed
    has_receipt = frame["received_at"].notna().to_numpy()
    received = has_receipt & ~returned & ~completed & ~refused
    status = np.full(len(frame), None, dtype=object)
    status[returned] = "returned"
    status[completed] = "completed"
    status[refused & has_receipt] = "rejected"
    status[refused & ~has_receipt] = "refused_intake"
    status[received] = "processing"
    frame["status"] = pd.Series(status, dtype="str")
    facts = []
    for code, mask, why in (
        ("returned", returned, "có ngày trả kết quả"),
        ("completed", completed, "có ngày kết thúc xử lý, chưa có ngày trả"),
        ("rejected", refused & has_receipt, "có ngày tiếp nhận và ngày từ chối"),
        ("refused_intake", refused & ~has_receipt, "có ngày từ chối, không có ngày tiếp nhận"),
        ("processing", received, "chỉ có ngày tiếp nhận"),
    ):
        if mask.any():
            label = (dataset_fields("dossiers")["status"].codes or {})[code][0]
            facts.append(("state_inferred", "", rel, 0, "status", label, int(mask.sum()), why))
    return facts


REFUSAL_ENDS = ("rejected", "stopped")
"""End statuses whose end time is the refusal date (``refused_at``, DVCQG NgayTuChoi)
when ``completed_at`` is empty (domain.md §3.1: the end time is the moment of "Đã xử lý
xong", else "Đã trả kết quả", else "Dừng xử lý/Từ chối")."""


def _end_from_refusal(frame: pd.DataFrame, rel: str) -> list[tuple]:
    """Fill ``completed_at`` of rejected or stopped dossiers from their refusal date.

    Only where ``completed_at`` is empty; one load fact with the number of rows.
    """
    if "refused_at" not in frame or not frame["refused_at"].notna().any():
        return []
    mask = (
        frame["status"].isin(REFUSAL_ENDS).to_numpy(dtype=bool, na_value=False)
        & frame["completed_at"].isna().to_numpy()
        & frame["refused_at"].notna().to_numpy()
    )
    if not mask.any():
        return []
    frame.loc[mask, "completed_at"] = frame.loc[mask, "refused_at"]
    why = "hồ sơ từ chối giải quyết hoặc dừng xử lý, không có ngày kết thúc xử lý"
    return [("end_from_refusal", "", rel, 0, "completed_at", "", int(mask.sum()), why)]


NOT_RECEIVED = ("registered", "refused_intake")
"""Statuses of dossiers never received (issue 12, rule 1): they have no receipt date."""


RECEIPT_COLUMNS = ("received_at", "due_at")
"""Required in every row of a received dossier; a dossier never received has neither."""


def _receipt_needed(frame: pd.DataFrame, problems: pd.DataFrame) -> pd.DataFrame:
    """A received dossier needs its receipt and due dates; a registered or refused one not."""
    never = frame["status"].isin(NOT_RECEIVED).to_numpy(dtype=bool, na_value=False)
    known = set(zip(problems["position"], problems["column"], strict=True)) if len(problems) else ()
    parts = [problems] if len(problems) else []
    for column in RECEIPT_COLUMNS:
        bad = np.flatnonzero(frame[column].isna().to_numpy() & ~never)
        bad = [p for p in bad.tolist() if (p, column) not in known]
        if not bad:
            continue
        label = dataset_fields("dossiers")[column].label_vi
        parts.append(
            pd.DataFrame(
                {
                    "position": np.asarray(bad, dtype=np.int64),
                    "column": column,
                    "value": "",
                    "reason": f"Thiếu giá trị bắt buộc ở cột {label}",
                }
            )
        )
    if not parts:
        return problems
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]


def _end_state_without_date(frame: pd.DataFrame, problems: pd.DataFrame) -> pd.DataFrame:
    """An end status without any end date is a row error (issue 12, rule 5)."""
    status = frame["status"]
    ended = status.isin(END_STATUSES).to_numpy(dtype=bool, na_value=False)
    if not ended.any():
        return problems
    dated = np.zeros(len(frame), dtype=bool)
    for column in END_DATES:
        dated |= frame[column].notna().to_numpy()
    bad = np.flatnonzero(ended & ~dated)
    if not bad.size:
        return problems
    codes = dataset_fields("dossiers")["status"].codes or {}
    labels = [codes[c][0] for c in status.iloc[bad]]
    lines = pd.DataFrame(
        {
            "position": bad.astype(np.int64),
            "column": "status",
            "value": labels,
            "reason": [
                f"Trạng thái «{label}» là trạng thái kết thúc nhưng không có ngày kết thúc "
                "(Ngày hoàn thành / Ngày kết thúc xử lý hoặc Ngày trả kết quả): không thể "
                "tính đúng hạn; bổ sung ngày rồi nạp lại"
                for label in labels
            ],
        }
    )
    return pd.concat([problems, lines], ignore_index=True) if len(problems) else lines


# --- Many files, in parallel -------------------------------------------------------------------

PARALLEL_MIN_BYTES = 16 * 1024 * 1024
"""Files of one kind (workbooks; CSV and Parquet) are parsed in parallel when together
they are at least this big."""


def _job(args: tuple[str, str, str | None, Settings | None]) -> FileResult | dict:
    path, rel, dataset, settings = args
    try:
        return parse_file(path, rel, dataset, settings)
    except (MemoryError, RecursionError, OSError) as exc:
        return {
            "type": "InputFileError",
            "message": f"Không đọc được tệp ({type(exc).__name__}).",
            "file": rel,
            "row": None,
            "column": None,
            "hint": "Kiểm tra tệp (hỏng, quá lớn, hoặc không có quyền đọc) rồi nạp lại.",
        }
    except TthcError as exc:  # errors cross the process boundary as plain values
        return {
            "type": type(exc).__name__,
            "message": exc.message,
            "file": exc.file,
            "row": exc.row,
            "column": exc.column,
            "hint": exc.hint,
        }


def _rebuild_error(info: dict) -> TthcError:
    cls = InputFileError if info["type"] == "InputFileError" else TthcError
    return cls(
        info["message"],
        file=info["file"],
        row=info["row"],
        column=info["column"],
        hint=info["hint"],
    )


def _pool_size(files: Sequence[SourceFile], workers: int | None) -> int:
    if workers is not None:
        return max(1, min(workers, len(files)))
    size = sum(f.path.stat().st_size for f in files)
    if len(files) < 2 or size < PARALLEL_MIN_BYTES:
        return 1
    return max(1, min(2, os.cpu_count() or 1, len(files)))


def parse_files(
    files: Sequence[SourceFile],
    settings: Settings | None = None,
    workers: int | None = None,
    refused: list[TthcError] | None = None,
) -> list[FileResult]:
    """Parse ``files``; results in the order of ``files``.

    Big workbooks are parsed in a pool of at most 2 processes (python-calamine holds the
    interpreter lock); big CSV and Parquet files in 2 threads (pyarrow and numpy
    release it), at the same time. Small inputs are parsed one after the other.

    Args:
        files: The files.
        settings: Aliases and loading rules.
        workers: Processes for big workbooks.
        refused: When given, a file that cannot be loaded is appended to it (its error
            names it) and the other files are still parsed; the results then hold the
            files that loaded.

    Raises:
        InputFileError: without ``refused``, the first file (in the order of ``files``)
            that cannot be loaded.
    """
    jobs = [(str(f.path), f.rel, f.dataset, settings) for f in files]
    heavy = [i for i, f in enumerate(files) if f.path.suffix.lower() in SPREADSHEET_SUFFIXES]
    light = [i for i in range(len(files)) if i not in set(heavy)]
    n_processes = _pool_size([files[i] for i in heavy], workers)
    n_threads = _pool_size([files[i] for i in light], workers)
    if n_processes == 1 and n_threads == 1:
        return _checked([_job(job) for job in jobs], refused)
    results: list[FileResult | dict | None] = [None] * len(jobs)
    pool = None
    if n_processes > 1:
        pool = ProcessPoolExecutor(max_workers=n_processes, mp_context=get_context("spawn"))
    # The validation backends load meanwhile, off the path of the final gate.
    prepared = threading.Thread(target=schemas.prepare, name="prepare-schemas", daemon=True)
    prepared.start()
    try:
        futures = {i: pool.submit(_job, jobs[i]) for i in heavy} if pool else {}
        with ThreadPoolExecutor(max_workers=n_threads) as threads:
            for i, result in zip(light, threads.map(_job, [jobs[i] for i in light]), strict=True):
                results[i] = result
        for i in heavy:
            results[i] = _collect(futures.get(i), jobs[i])
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        prepared.join()
    return _checked(results, refused)


def _checked(results: list, refused: list[TthcError] | None) -> list[FileResult]:
    """The parsed files; errors raised (first one) or collected in ``refused``."""
    out = []
    for result in results:
        if isinstance(result, dict):
            if refused is None:
                raise _rebuild_error(result)
            refused.append(_rebuild_error(result))
        else:
            out.append(result)
    return out


def _collect(future, job) -> FileResult | dict:
    """A worker's result; the job is run here if there is no pool or the pool broke."""
    if future is not None:
        try:
            return future.result()
        except BrokenProcessPool:
            # A worker died (out of memory, or a script without a ``__main__`` guard).
            pass
    return _job(job)


# --- One dataset ------------------------------------------------------------------------------


@dataclass
class DatasetResult:
    """A dataset after validation.

    Attributes:
        dataset: Its name.
        frame: The kept rows (canonical columns and dtypes, source columns).
        rejected: Rejected-rows lines (:data:`REJECTED_COLUMNS`).
        counts: Per file (relative name): rows read, kept and rejected.
    """

    dataset: str
    frame: pd.DataFrame
    rejected: pd.DataFrame
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    facts: list[tuple] = field(default_factory=list)
    """Load facts of the dataset (:data:`FACT_COLUMNS`): the files' own and the
    superseded rows."""


def _format_case(value: object) -> str:
    if value is None or value is pd.NaT:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, pd.Timestamp | np.datetime64):
        return v._datetime_text(np.datetime64(pd.Timestamp(value).to_datetime64(), "us"))
    try:
        if value != value:
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


def _pattern_hint(f: Field) -> str:
    examples = {"procedure_code": "1.005092", "task_id": "IX.1", "period": "2025-03"}
    example = examples.get(f.name)
    return f" (ví dụ: {example})" if example else f" (mẫu {f.pattern})"


def _check_reason(check: str, f: Field | None, column: str) -> str:
    """Vietnamese reason of a failed column check."""
    label = f.label_vi if f else column
    if check == "not_nullable":
        return f"Thiếu giá trị bắt buộc ở cột {label}"
    if check == "pattern":
        return f"Giá trị không đúng định dạng của cột {label}{_pattern_hint(f)}"
    if check == "isin":
        return f"Giá trị không có trong danh mục của cột {label}"
    if check == "min_value" and f is not None and f.min_value == 0:
        return f"Số âm ở cột {label}: thời gian, số lượng, số tiền không thể âm"
    if check == "min_value" and f is not None:
        return f"Giá trị nhỏ hơn {f.min_value:g} ở cột {label}"
    if check == "not_future":
        return f"{label} {FUTURE_REASON} (sau ngày nạp dữ liệu): kiểm tra lại năm đã nhập"
    return f"Giá trị không hợp lệ ở cột {label} (kiểm tra {check})"


def _failure_lines(
    dataset: str, frame: pd.DataFrame, failures: pd.DataFrame, known: set
) -> pd.DataFrame:
    """Turn pandera failures (other than uniqueness) into problem lines."""
    fields = dataset_fields(dataset)
    rows = []
    if (failures["position"] < 0).any():
        bad = failures[failures["position"] < 0]
        raise RuntimeError(f"schema mismatch in {dataset}: {bad.to_dict('records')}")
    rules = {r.name: r for r in schemas.ORDER_RULES if r.dataset == dataset}
    seen_rules: set[tuple[int, str]] = set()
    for position, column, check, case in failures.itertuples(index=False, name=None):
        if check == "unique":
            continue
        if check in rules:
            rule = rules[check]
            if (position, check) in seen_rules:
                continue
            seen_rules.add((position, check))
            later, earlier = fields[rule.later], fields[rule.earlier]
            later_text = _format_case(frame[rule.later].iat[position])
            earlier_text = _format_case(frame[rule.earlier].iat[position])
            reason = (
                f"{later.label_vi} ({later_text}) trước {earlier.label_vi.lower()} ({earlier_text})"
            )
            rows.append((position, rule.later, later_text, reason))
            continue
        if (position, column) in known:
            continue
        f = fields.get(column)
        shown = PERSONAL_PLACEHOLDER if f is not None and f.personal else _format_case(case)
        if check == "not_nullable":
            shown = ""
        rows.append((position, column, shown, _check_reason(check, f, column)))
    return pd.DataFrame(rows, columns=["position", "column", "value", "reason"])


def _duplicate_lines(
    dataset: str, frame: pd.DataFrame, failures: pd.DataFrame, problem_rows: np.ndarray
) -> pd.DataFrame:
    """Keep the first occurrence without other problems; reject the other occurrences."""
    dups = failures[failures["check"] == "unique"]
    columns = ["position", "column", "value", "reason"]
    if dups.empty:
        return pd.DataFrame(columns=columns)
    fields = dataset_fields(dataset)
    lines = []
    for column, group in dups.groupby("column", sort=False):
        table = pd.DataFrame(
            {
                "position": group["position"].to_numpy(np.int64),
                "value": group["failure_case"].map(str).to_numpy(object),
            }
        )
        table["has_problem"] = np.isin(table["position"], problem_rows)
        table = table.sort_values(["value", "has_problem", "position"], kind="stable")
        owner = table.groupby("value", sort=False)["position"].transform("first")
        others = table[table["position"] != owner]
        firsts = owner[others.index].to_numpy(np.int64)
        files = frame["source_file"].iloc[firsts].tolist()
        rows = frame["source_row"].to_numpy(np.int64)[firsts]
        label = fields[column].label_vi
        for position, value, row, file in zip(
            others["position"], others["value"], rows, files, strict=True
        ):
            reason = (
                f"Trùng {label.lower()} «{value}» với dòng {row} của tệp {file} "
                "(giữ dòng đó, loại dòng này)"
            )
            lines.append((int(position), column, value, reason))
    return pd.DataFrame(lines, columns=columns)


def finalize(dataset: str, results: Sequence[FileResult], release: bool = False) -> DatasetResult:
    """Stack the files of ``dataset``, validate, and split kept and rejected rows.

    Args:
        dataset: The dataset.
        results: Parsed files (those of other datasets are ignored).
        release: Drop each file's frame once stacked (saves memory on big ingests; the
            results cannot be finalized again).
    """
    results = [r for r in results if r.dataset == dataset]
    if not results:
        return DatasetResult(dataset, schemas.empty_frame(dataset), empty_rejected(), {})
    frames = [r.frame for r in results if r.n_rows]
    frame = _stack(frames) if frames else schemas.empty_frame(dataset)
    del frames
    if release:
        for r in results:
            r.frame = r.frame.iloc[:0]
    offsets = np.cumsum([0, *[r.n_rows for r in results]])
    parse_problems = [
        r.problems.assign(position=r.problems["position"] + offsets[i])
        for i, r in enumerate(results)
        if len(r.problems)
    ]
    problems = (
        pd.concat(parse_problems, ignore_index=True)
        if parse_problems
        else pd.DataFrame(columns=["position", "column", "value", "reason"])
    )
    failures = _gate(frame, dataset)
    known = set(zip(problems["position"], problems["column"], strict=True))
    other = _failure_lines(dataset, frame, failures, known)
    if dataset == "index766":
        other = pd.concat([other, _score_above_maximum(frame)], ignore_index=True)
    problem_rows = np.unique(
        np.concatenate([problems["position"], other["position"]]).astype(np.int64)
    )
    superseded = np.zeros(0, dtype=np.int64)
    facts = [fact for r in results for fact in r.facts]
    if dataset == "dossiers":
        superseded, winners = _supersede(frame, failures, problem_rows, offsets)
        if superseded.size:
            dropped = failures["check"].eq("unique") & failures["position"].isin(superseded)
            failures = failures[~dropped]
            facts.extend(_superseded_facts(frame, superseded, winners))
    dups = _duplicate_lines(dataset, frame, failures, problem_rows)
    if dataset == "index766":
        dups = _duplicate_scores(frame, problem_rows)
    parts = [p for p in (problems, other, dups) if len(p)]
    lines = pd.concat(parts, ignore_index=True) if parts else problems
    result = _split(dataset, frame, lines, results, offsets, superseded)
    result.facts = facts
    return result


_STATE_RANK = {
    "registered": 0,
    "processing": 1,
    "awaiting_supplement": 1,
    "awaiting_obligation": 1,
    "paused": 1,
    "refused_intake": 2,
    "completed": 2,
    "rejected": 2,
    "withdrawn": 2,
    "stopped": 2,
    "returned": 3,
}
"""How far a dossier has got (issue 12, rule 4): registered, pending, ended, returned."""


def _supersede(
    frame: pd.DataFrame, failures: pd.DataFrame, problem_rows: np.ndarray, offsets: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Rows of a dossier seen in several exports that a more advanced row supersedes.

    One dossier in several overlapping monthly exports: the most advanced state wins
    (finished over pending; a row with an end date counts as ended); among equals the
    newer export (its latest date), else the later file. Only rows from different files
    without other problems and with the same receipt date take part; two different
    receipt dates are conflicting facts, left to the duplicate rule (rejected).

    Returns:
        (superseded positions, the winning position of each), both sorted by the first.
    """
    empty = np.zeros(0, dtype=np.int64)
    dup = failures[(failures["check"] == "unique") & (failures["column"] == "dossier_id")]
    positions = np.setdiff1d(dup["position"].to_numpy(np.int64), problem_rows)
    if positions.size < 2:
        return empty, empty
    rows = frame.iloc[positions]
    status = rows["status"].map(_STATE_RANK).astype("float64").fillna(1.0).to_numpy()
    ended = rows["completed_at"].notna().to_numpy() | rows["returned_at"].notna().to_numpy()
    rank = np.maximum(status, np.where(ended, 2.0, 0.0))
    file_index = np.searchsorted(offsets, positions, side="right") - 1
    table = pd.DataFrame(
        {
            "position": positions,
            "id": rows["dossier_id"].to_numpy(object),
            "received": rows["received_at"].to_numpy(),
            "rank": rank,
            "export": _export_dates(frame, offsets)[file_index],
            "file": file_index,
        }
    )
    groups = table.groupby("id", sort=False)
    consistent = (groups["received"].transform("nunique") <= 1) & (
        groups["file"].transform("nunique") == groups["file"].transform("size")
    )
    table = table[consistent & (groups["position"].transform("size") > 1)]
    if table.empty:
        return empty, empty
    table = table.sort_values(["id", "rank", "export", "file"], kind="stable", na_position="first")
    winner = table.groupby("id", sort=False)["position"].transform("last")
    losers = table[table["position"] != winner]
    order = np.argsort(losers["position"].to_numpy(np.int64), kind="stable")
    return (
        losers["position"].to_numpy(np.int64)[order],
        winner[losers.index].to_numpy(np.int64)[order],
    )


def _export_dates(frame: pd.DataFrame, offsets: np.ndarray) -> np.ndarray:
    """The date of each file's export: its latest date (int64 µs; files are contiguous)."""
    latest = np.full(len(offsets) - 1, np.iinfo(np.int64).min, dtype=np.int64)
    starts = offsets[:-1]
    filled = starts < offsets[1:]
    if not filled.any() or len(frame) == 0:
        return latest
    for column in ("submitted_at", "received_at", "completed_at", "returned_at"):
        micros = frame[column].to_numpy(dtype="datetime64[us]").view(np.int64)
        latest[filled] = np.maximum(latest[filled], np.maximum.reduceat(micros, starts[filled]))
    return latest


def _superseded_facts(frame: pd.DataFrame, superseded: np.ndarray, winners: np.ndarray):
    files = frame["source_file"].to_numpy(object)
    rows = frame["source_row"].to_numpy(np.int64)
    ids = frame["dossier_id"].to_numpy(object)
    codes = dataset_fields("dossiers")["status"].codes or {}
    status = frame["status"].to_numpy(object)

    def shown(i: int) -> str:
        code = status[i]
        return codes[code][0] if isinstance(code, str) and code in codes else "(không ghi)"

    return [
        (
            "superseded",
            "dossiers",
            files[i],
            int(rows[i]),
            "dossier_id",
            ids[i],
            1,
            f"Trạng thái «{shown(i)}» được thay bằng «{shown(w)}» ở dòng {rows[w]} của tệp "
            f"{files[w]} (bản xuất có trạng thái mới hơn); hồ sơ chỉ tính một lần",
        )
        for i, w in zip(superseded.tolist(), winners.tolist(), strict=True)
    ]


def _group_maxima() -> dict[str, float]:
    """The maximum points of each 766 group (from the indicator table, else built in)."""
    from tthc_analysis.config import load_settings

    built_in = {
        "CKMB": 18.0,
        "TDGQ": 20.0,
        "CLGQ": 12.0,
        "TTTT": 10.0,
        "DVTT": 22.0,
        "MDSH": 22.0,
        "MDHL": 18.0,
        "TONG": 100.0,
    }
    try:
        path = load_settings().reference_path(load_settings().index766_indicators)
        table = pd.read_csv(path, dtype={"group_code6": "str"})
        sums = table.groupby("group_code6")["max_points"].sum().astype(float).to_dict()
    except (OSError, KeyError, ValueError, TthcError):
        return built_in
    out = {**built_in, **sums}
    if {"CLGQ", "TTTT"} <= set(sums):
        out["DVTT"] = sums["CLGQ"] + sums["TTTT"]
    out["TONG"] = sum(out[g] for g in ("CKMB", "TDGQ", "DVTT", "MDSH", "MDHL"))
    return out


def _score_above_maximum(frame: pd.DataFrame) -> pd.DataFrame:
    """766 scores above their maximum (the row's, else the group's) are row errors."""
    columns = ["position", "column", "value", "reason"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    maxima = _group_maxima()
    group_max = frame["group_code"].map(maxima).astype("float64").to_numpy()
    given = frame["max_score"].to_numpy(dtype="float64")
    limit = np.where(np.isnan(given), group_max, given)
    score = frame["score"].to_numpy(dtype="float64")
    bad = np.flatnonzero(score > limit + 1e-9)
    lines = [
        (
            int(i),
            "score",
            v._number_text(float(score[i])),
            f"Điểm {v._number_text(float(score[i]))} vượt điểm tối đa "
            f"{v._number_text(float(limit[i]))} của nhóm {frame['group_code'].iat[i]}",
        )
        for i in bad
    ]
    return pd.DataFrame(lines, columns=columns)


def _duplicate_scores(frame: pd.DataFrame, problem_rows: np.ndarray) -> pd.DataFrame:
    """The same unit, period and group (or indicator) twice: the first is kept, the others rejected.

    A row with an ``indicator_id`` gives one indicator's points (issue 13): its key
    includes the indicator, so it is no duplicate of its group's row.
    """
    columns = ["position", "column", "value", "reason"]
    names = ["period", "unit", "group_code"]
    names += ["indicator_id"] if "indicator_id" in frame else []
    keys = frame[names].astype("object").fillna("")
    ok = ~np.isin(np.arange(len(frame)), problem_rows)
    candidates = keys.loc[ok]
    repeated = candidates.duplicated(keep="first")
    if not repeated.any():
        return pd.DataFrame(columns=columns)
    first = candidates.reset_index().groupby(names, sort=False)["index"].transform("first")
    first.index = candidates.index
    files = frame["source_file"].to_numpy(object)
    rows = frame["source_row"].to_numpy(np.int64)
    lines = []
    for position in candidates.index[repeated.to_numpy()]:
        owner = int(first[position])
        period, unit, group, *indicator = keys.loc[position]
        what = f"chỉ số {indicator[0]} (nhóm {group})" if indicator and indicator[0] else None
        lines.append(
            (
                int(position),
                "group_code",
                group,
                f"Trùng điểm {what or f'nhóm {group}'} của đơn vị «{unit}» kỳ {period} với dòng "
                f"{rows[owner]} của tệp {files[owner]} (giữ dòng đó, loại dòng này)",
            )
        )
    return pd.DataFrame(lines, columns=columns)


PARALLEL_GATE_ROWS = 200_000


def _gate(frame: pd.DataFrame, dataset: str) -> pd.DataFrame:
    """The pandera checks of a stacked dataset.

    On a big frame the uniqueness of the ids (one hash pass in Arrow, which releases the
    interpreter lock) runs in a thread beside the other checks.
    """
    if len(frame) < PARALLEL_GATE_ROWS:
        return schemas.check(frame, dataset)
    with ThreadPoolExecutor(max_workers=1) as pool:
        unique = pool.submit(schemas.check, frame, dataset, "unique")
        rows = schemas.check(frame, dataset, "rows")
        ids = unique.result()
    if (rows["check"] == "dtype").any() or ids.empty:
        return rows
    return pd.concat([rows, ids], ignore_index=True) if len(rows) else ids


def _stack(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate frames (text columns stay in Arrow chunks: no copy)."""
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


def _split(
    dataset: str,
    frame: pd.DataFrame,
    lines: pd.DataFrame,
    results: Sequence[FileResult],
    offsets: np.ndarray,
    superseded: np.ndarray | None = None,
) -> DatasetResult:
    fields = list(dataset_fields(dataset))
    order = {name: i for i, name in enumerate(fields)}
    positions = lines["position"].to_numpy(np.int64)
    # Row i of the stacked frame comes from file k where offsets[k] <= i < offsets[k + 1].
    owner = np.searchsorted(offsets, positions, side="right") - 1
    rels = np.array([r.rel for r in results], dtype=object)
    table = pd.DataFrame(
        {
            "dataset": dataset,
            "source_file": rels[owner] if len(positions) else [],
            "source_row": frame["source_row"].to_numpy(np.int64)[positions],
            "column": lines["column"].to_numpy(object),
            "value": lines["value"].to_numpy(object),
            "reason": lines["reason"].to_numpy(object),
        }
    )
    headers = [r.headers for r in results]
    table["header"] = [headers[k].get(c, "") for k, c in zip(owner, table["column"], strict=True)]
    table["_f"] = owner
    bad = [
        (dataset, r.rel, row, "", "", "", reason, k)
        for k, r in enumerate(results)
        for row, reason in r.bad_rows
    ]
    if bad:
        extra = pd.DataFrame(bad, columns=[*REJECTED_COLUMNS, "_f"])
        table = pd.concat([table, extra], ignore_index=True)
    table["_c"] = table["column"].map(lambda c: order.get(c, -1))
    table = table.sort_values(["_f", "source_row", "_c", "reason"], kind="stable")
    table = table[REJECTED_COLUMNS].reset_index(drop=True)
    table = table.astype({c: "str" for c in REJECTED_COLUMNS if c != "source_row"})
    table["source_row"] = table["source_row"].astype("int64")
    distinct = np.unique(positions)
    if superseded is None:
        superseded = np.zeros(0, dtype=np.int64)
    kept = _without_rows(frame, np.union1d(distinct, superseded))
    rejected_per_file = np.bincount(
        np.searchsorted(offsets, distinct, side="right") - 1, minlength=len(results)
    )
    superseded_per_file = np.bincount(
        np.searchsorted(offsets, superseded, side="right") - 1, minlength=len(results)
    )
    counts = {}
    for k, r in enumerate(results):
        n_superseded = int(superseded_per_file[k])
        n_kept = r.n_rows - int(rejected_per_file[k]) - n_superseded
        counts[r.rel] = {
            "rows_read": r.n_read,
            "rows_kept": n_kept,
            "rows_rejected": r.n_read - n_kept - n_superseded,
            "rows_superseded": n_superseded,
            "footer_rows": r.n_footer,
        }
    return DatasetResult(dataset, kept, table, counts)


def _without_rows(frame: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
    """``frame`` without the sorted positions ``rows``.

    A few rows are cut out by stacking the slices between them (no copy of the
    Arrow-backed text columns); many rows by a boolean filter.
    """
    if rows.size == 0:
        return frame
    if rows.size <= 1000:
        bounds = [-1, *rows.tolist(), len(frame)]
        pieces = [frame.iloc[a + 1 : b] for a, b in itertools.pairwise(bounds) if b > a + 1]
        if not pieces:
            return frame.iloc[:0].reset_index(drop=True)
        return pd.concat(pieces, ignore_index=True)
    keep = np.ones(len(frame), dtype=bool)
    keep[rows] = False
    return frame[keep].reset_index(drop=True)


def empty_rejected() -> pd.DataFrame:
    """An empty rejected-rows table."""
    table = pd.DataFrame({c: pd.Series([], dtype="str") for c in REJECTED_COLUMNS})
    table["source_row"] = table["source_row"].astype("int64")
    return table


def empty_warnings() -> pd.DataFrame:
    """An empty warnings table."""
    return pd.DataFrame({c: pd.Series([], dtype="str") for c in WARNING_COLUMNS})


def warnings_table(
    results: Sequence[FileResult], extra: Sequence[tuple[str, str, str]] = ()
) -> pd.DataFrame:
    """One warnings line per note of each file, then ``extra`` (dataset, file, message)."""
    rows = [(r.dataset, r.rel, message) for r in results for message in r.warnings]
    rows.extend(extra)
    if not rows:
        return empty_warnings()
    return pd.DataFrame(rows, columns=WARNING_COLUMNS).astype("str")


# --- Convenience ------------------------------------------------------------------------------


@dataclass
class Loaded:
    """Frames loaded from a file or folder (no caching; see :func:`tthc_analysis.loading.ingest.load_tables`).

    Attributes:
        frames: Dataset -> kept rows, for every dataset (empty frames for absent ones).
        rejected_rows: Rejected-rows table (:data:`REJECTED_COLUMNS`).
        warnings: Warnings table (:data:`WARNING_COLUMNS`).
        files: One row per file: file, dataset, rows_read, rows_kept, rows_rejected,
            rows_superseded (an older state of a dossier found in a newer export),
            footer_rows (total row, signature block: not data). For every file,
            rows_read = rows_kept + rows_rejected + rows_superseded.
        facts: Load facts (:data:`FACT_COLUMNS`, kinds :data:`FACT_KINDS`): files refused
            with the reason, links skipped, footers skipped, superseded rows, procedure
            codes filled from the catalogue (and names not found), states inferred from
            dates, values set missing in optional columns.
    """

    frames: dict[str, pd.DataFrame]
    rejected_rows: pd.DataFrame
    warnings: pd.DataFrame
    files: pd.DataFrame
    facts: pd.DataFrame = field(default_factory=lambda: empty_facts())

    @property
    def refused(self) -> pd.DataFrame:
        """The files that could not be loaded, with the reason (a slice of ``facts``)."""
        return self.facts[self.facts["kind"] == "refused_file"].reset_index(drop=True)

    def __getitem__(self, dataset: str) -> pd.DataFrame:
        return self.frames[dataset]


def load(
    path: str | Path,
    dataset: str | None = None,
    settings: Settings | None = None,
    workers: int | None = None,
) -> Loaded:
    """Load a raw file or a folder of raw files (e.g. one export per month).

    Args:
        path: A file or a folder (searched recursively).
        dataset: Force the dataset of every file; ``None`` uses the folder names and
            the headers.
        settings: Aliases; default: the bundled settings overlaid by ``tthc.yaml`` in the
            folder.
        workers: Processes for big workbooks (default: automatic, at most 2).
    """
    path = Path(path)
    if settings is None:
        settings = load_settings(data_dir=path if path.is_dir() else path.parent)
    _check_value_aliases(settings)
    files, skipped = discover(path)
    if dataset is not None:
        files = [SourceFile(f.path, f.rel, dataset) for f in files]
    refused: list[TthcError] = []
    results = parse_files(files, settings, workers, refused)
    frames: dict[str, pd.DataFrame] = {}
    rejected = []
    counts: dict[str, dict[str, int]] = {}
    facts = skipped_facts(skipped, refused)
    for name in FINALIZE_ORDER:
        result = finalize(name, results)
        frame = result.frame
        if name == "dossiers":
            frame, filled = fill_procedure_codes(frame, frames["procedures"])
            facts.extend(filled)
        frames[name] = frame
        if len(result.rejected):
            rejected.append(result.rejected)
        counts.update(result.counts)
        facts.extend(result.facts)
    frames = {name: frames[name] for name in DATASETS}
    extra = [("", s.rel, f"Bỏ qua tệp {s.rel}: {s.reason}.") for s in skipped]
    files_table = pd.DataFrame(
        [{"file": r.rel, "dataset": r.dataset, **counts[r.rel]} for r in results],
        columns=["file", "dataset", *COUNT_COLUMNS],
    )
    return Loaded(
        frames,
        pd.concat(rejected, ignore_index=True) if rejected else empty_rejected(),
        warnings_table(results, extra),
        files_table,
        facts_table(facts),
    )


COUNT_COLUMNS = ["rows_read", "rows_kept", "rows_rejected", "rows_superseded", "footer_rows"]
FINALIZE_ORDER = ("procedures", *(name for name in DATASETS if name != "procedures"))
"""Datasets in the order they are validated: the catalogue first (it fills the
procedure codes of the dossiers)."""


def empty_facts() -> pd.DataFrame:
    """An empty load-facts table."""
    return facts_table([])


def facts_table(facts: Sequence[tuple]) -> pd.DataFrame:
    """The load-facts table (:data:`FACT_COLUMNS`) from tuples in that order."""
    table = pd.DataFrame(list(facts), columns=FACT_COLUMNS)
    for column in FACT_COLUMNS:
        if column in ("source_row", "n"):
            table[column] = table[column].astype("int64")
        else:
            table[column] = table[column].astype("object").fillna("").astype("str")
    return table


def skipped_facts(skipped: Sequence[Skipped], refused: Sequence[TthcError]) -> list[tuple]:
    """Load facts of the links skipped and of the files refused (with the reason)."""
    facts = [("skipped_link", "", s.rel, 0, "", "", 0, s.reason) for s in skipped if s.link]
    for error in refused:
        detail = error.message + (f" Cách xử lý: {error.hint}" if error.hint else "")
        facts.append(("refused_file", "", error.file or "", 0, error.column or "", "", 0, detail))
    return facts


def fill_procedure_codes(
    dossiers: pd.DataFrame, procedures: pd.DataFrame
) -> tuple[pd.DataFrame, list[tuple]]:
    """Fill missing procedure codes of dossiers from the catalogue, by procedure name.

    Names are compared folded (case, spaces, Unicode form: :func:`~tthc_analysis.text.fold`).
    A name found in the catalogue under one code gives that code; a name not found, or
    found under several codes, leaves the code missing. Returns the dossiers and one load
    fact per (file, name) filled or not found, with the number of dossiers.
    """
    if dossiers.empty:
        return dossiers, []
    missing = dossiers["procedure_code"].isna().to_numpy()
    if not missing.any():
        return dossiers, []
    names = dossiers["procedure_name"]
    has_name = missing & names.notna().to_numpy()
    facts: list[tuple] = []
    catalogue = procedures.dropna(subset=["procedure_code", "procedure_name"])
    keys = catalogue["procedure_name"].map(fold)
    codes_per_name = catalogue.groupby(keys.to_numpy(object))["procedure_code"].agg(
        lambda c: c.iloc[0] if c.nunique() == 1 else None
    )
    lookup = codes_per_name.dropna().to_dict()
    # Only the rows without a code are looked at (a few among a million).
    rows = np.flatnonzero(has_name)
    named = names.iloc[rows].to_numpy(object)
    code_of = {name: lookup.get(fold(name)) for name in pd.unique(named)}
    found = np.array([code_of[name] for name in named], dtype=object)
    hit = np.array([code is not None for code in found], dtype=bool)
    if hit.any():
        codes = pa.array(dossiers["procedure_code"].array)
        if isinstance(codes, pa.ChunkedArray):
            codes = codes.combine_chunks()
        mask = np.zeros(len(dossiers), dtype=bool)
        mask[rows[hit]] = True
        codes = pc.replace_with_mask(
            codes, pa.array(mask), pa.array(found[hit].tolist(), type=codes.type)
        )
        dossiers = dossiers.copy(deep=False)  # the other columns are shared, not copied
        dossiers["procedure_code"] = pd.Series(codes, index=dossiers.index, dtype="str")
    work = pd.DataFrame(
        {
            "file": dossiers["source_file"].iloc[rows].to_numpy(object),
            "name": named,
            "code": found,
        }
    )
    work["code"] = work["code"].fillna("")
    counts = work.groupby(["file", "name", "code"], sort=True).size()
    for (file, name, code), n in zip(counts.index, counts, strict=True):
        kind = "procedure_code_filled" if code else "procedure_code_missing"
        detail = code or "tên không có (hoặc có với nhiều mã) trong danh mục TTHC"
        facts.append((kind, "dossiers", file, 0, "procedure_code", name, int(n), detail))
    no_name = missing & ~has_name
    if no_name.any():
        files = pd.Series(dossiers["source_file"].to_numpy(object)[no_name]).value_counts()
        for file, n in sorted(files.items()):
            facts.append(
                (
                    "procedure_code_missing",
                    "dossiers",
                    file,
                    0,
                    "procedure_code",
                    "",
                    int(n),
                    "không có mã TTHC và không có tên thủ tục",
                )
            )
    return dossiers, facts
