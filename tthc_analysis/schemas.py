"""pandera schemas of the canonical datasets, built from the field dictionary.

One :class:`pandera.pandas.DataFrameSchema` per dataset (:func:`dataset_schema`): every
column of :data:`tthc_analysis.fields.DATASETS` in order, with its dtype (never coerced:
pandas would read ``01/02/2025`` month-first), nullability, allowed codes (``isin``),
pattern (full match) and uniqueness, plus ``source_file``/``source_row``; and the
row rules between dates (:data:`ORDER_RULES`, e.g. a due date before the receipt date).
Column metadata carries the Vietnamese label and the personal-data flag.

The loaders run :func:`check` lazily (every problem at once) on the typed frame as the
final gate, and turn each failure into a rejected row.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from functools import cache

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow
import pyarrow.compute as pc
from pandera.errors import SchemaErrors

from tthc_analysis import __version__
from tthc_analysis.fields import DATASETS, Field

__all__ = [
    "FUTURE_GRACE_DAYS",
    "LOADER_RULES_VERSION",
    "ORDER_RULES",
    "SOURCE_COLUMNS",
    "OrderRule",
    "check",
    "dataset_schema",
    "empty_frame",
    "frame_columns",
    "frame_dtypes",
    "future_limit",
    "prepare",
    "schema_version",
]

SOURCE_COLUMNS: dict[str, str] = {"source_file": "str", "source_row": "int64"}
"""Columns added to every loaded frame: the file (relative to the raw folder) and the row
number as a person sees it in that file (header = row 1)."""

LOADER_RULES_VERSION = 2
"""Bump when a parsing rule changes, so that cached ingests are rebuilt."""

PERIOD_PATTERN = r"[0-9]{4}(?:-(?:0[1-9]|1[0-2])|-Q[1-4])?"
"""A month ``YYYY-MM``, a quarter ``YYYY-Qn`` or a year ``YYYY`` (issue 11)."""

FUTURE_GRACE_DAYS = 1
"""A date of something that has already happened (:attr:`Field.past`: a receipt, a
completion, a publication) may be at most this many days after the day the data is
loaded (exports are stamped in Vietnam time, UTC+7); a later date (``03/03/2099``, a
typing slip) is a row error, so that it never enters a report silently. Due dates and
effective dates may lie in the future."""


def future_limit() -> pd.Timestamp:
    """The first instant that is too late for a :attr:`Field.past` date (local clock)."""
    return pd.Timestamp(date.today()) + pd.Timedelta(days=FUTURE_GRACE_DAYS + 1)


def _not_future(series: pd.Series) -> pd.Series:
    return series < future_limit()


_NOT_FUTURE = pa.Check(_not_future, name="not_future")


@dataclass(frozen=True)
class OrderRule:
    """``later`` must not be on a calendar day before ``earlier`` (when both are given).

    Days are compared, not times: many exports give only the date of the due date,
    and a dossier due the day it was received is not an error.
    """

    dataset: str
    earlier: str
    later: str

    @property
    def name(self) -> str:
        """Name of the pandera check."""
        return f"order:{self.later}>={self.earlier}"


ORDER_RULES: tuple[OrderRule, ...] = (
    OrderRule("dossiers", "received_at", "due_at"),
    OrderRule("dossiers", "received_at", "completed_at"),
    OrderRule("dossiers", "received_at", "returned_at"),
    OrderRule("feedback", "received_on", "handled_on"),
    OrderRule("feedback", "received_on", "published_on"),
    OrderRule("feedback", "received_on", "rejected_on"),
)


def frame_dtypes(dataset: str) -> dict[str, str]:
    """Canonical column -> dtype of a loaded frame (fields, then source columns)."""
    return {f.name: f.dtype for f in DATASETS[dataset]} | SOURCE_COLUMNS


def frame_columns(dataset: str) -> list[str]:
    """Columns of a loaded frame, in order."""
    return list(frame_dtypes(dataset))


def empty_frame(dataset: str) -> pd.DataFrame:
    """An empty frame with the columns and dtypes of ``dataset``."""
    return pd.DataFrame(
        {name: pd.Series([], dtype=dtype) for name, dtype in frame_dtypes(dataset).items()}
    )


_HASH_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)


def _common_width(values: pyarrow.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """The non-null values of the most common length in bytes, as a byte matrix.

    Returns:
        (``n × width`` bytes of those values, their positions, the positions of the other
        non-null values), or ``None`` when no length is shared by half of the values.
        Ids usually have one width (``000.00.12.H10-250102-0001``): their bytes then
        follow each other in the data buffer, and the matrix is a view of it.
    """
    if values.type not in (pyarrow.large_string(), pyarrow.string()):
        return None
    offset_type = np.int64 if values.type == pyarrow.large_string() else np.int32
    offsets = np.frombuffer(values.buffers()[1], dtype=offset_type)[
        values.offset : values.offset + len(values) + 1
    ].astype(np.int64)
    lengths = np.diff(offsets)
    valid = (
        values.is_valid().to_numpy(zero_copy_only=False)
        if values.null_count
        else np.ones(len(values), dtype=bool)
    )
    n_valid = int(valid.sum())
    if n_valid == 0 or lengths.max() > 4096:
        return None
    counts = np.bincount(lengths[valid])
    width = int(counts.argmax())
    if width == 0 or counts[width] * 2 < n_valid:
        return None
    same = valid & (lengths == width)
    positions = np.flatnonzero(same)
    others = np.flatnonzero(valid & ~same)
    if offsets[-1] - offsets[0] != positions.size * width:
        # Other values in between: copy the common ones out, one after the other.
        values = values.take(pyarrow.array(positions))
        offsets = np.frombuffer(values.buffers()[1], dtype=offset_type)[
            values.offset : values.offset + len(values) + 1
        ].astype(np.int64)
    data = np.frombuffer(values.buffers()[2], dtype=np.uint8)
    matrix = np.lib.stride_tricks.as_strided(
        data[offsets[0] :], shape=(positions.size, width), strides=(width, 1)
    )
    return matrix, positions, others


def _row_hashes(matrix: np.ndarray) -> np.ndarray:
    """A 64-bit hash of each byte row (eight bytes at a time: xor, multiply, shift)."""
    n, width = matrix.shape
    words = -(-width // 8)
    padded = np.zeros((n, words * 8), dtype=np.uint8)
    padded[:, :width] = matrix
    padded = padded.view(np.uint64)
    hashes = np.full(n, width, dtype=np.uint64)
    for k in range(words):
        hashes ^= padded[:, k]
        hashes *= _HASH_MULTIPLIER
        hashes ^= hashes >> np.uint64(29)
    return hashes


def _repeated_hashes(hashes: np.ndarray) -> np.ndarray:
    """Mask of the hashes that occur more than once (one sort)."""
    ordered = np.sort(hashes)
    twice = ordered[1:][ordered[1:] == ordered[:-1]]
    if twice.size == 0:
        return np.zeros(len(hashes), dtype=bool)
    return np.isin(hashes, twice)


def _repeated(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Mask of the non-null values that occur more than once (exact comparison)."""
    counts = pc.value_counts(values)
    repeated = counts.field("values").filter(pc.greater(counts.field("counts"), 1))
    if len(repeated) == 0:
        return np.zeros(len(values), dtype=bool)
    hit = pc.is_in(values, value_set=repeated.drop_null())
    return pc.fill_null(hit, False).to_numpy(zero_copy_only=False)


def _not_duplicated(series: pd.Series) -> pd.Series:
    """True where the value occurs once (or is missing).

    Ids of one width are hashed to 64-bit integers with numpy (a fraction of the cost
    of hashing the strings); only the rows whose hash repeats (and the few ids of
    another width) are then compared exactly, so a hash collision costs time, never a
    wrong answer. Other columns get one hash pass over the strings (pandera's own
    ``unique=True`` makes two).
    """
    values = getattr(series.array, "_pa_array", None)
    if values is None:
        return ~series.duplicated(keep=False) | series.isna()
    if isinstance(values, pyarrow.ChunkedArray):
        values = values.combine_chunks() if values.num_chunks != 1 else values.chunk(0)
    common = _common_width(values)
    if common is None:
        repeated = _repeated(values)
    else:
        # Values of different lengths differ: the rows of the common length whose hash
        # repeats and the rows of other lengths are compared exactly, the rest is unique.
        matrix, positions, others = common
        candidates = positions[_repeated_hashes(_row_hashes(matrix))]
        candidates = np.sort(np.concatenate([candidates, others]))
        repeated = np.zeros(len(values), dtype=bool)
        if candidates.size:
            repeated[candidates] = _repeated(values.take(pyarrow.array(candidates)))
    return pd.Series(~repeated, index=series.index)


_UNIQUE = pa.Check(_not_duplicated, name="unique")


def _distinct_matches(pattern: str) -> pa.Check:
    """``Check.str_matches(pattern)`` evaluated once per distinct value.

    Codes such as ``procedure_code`` repeat a lot: encoding the column costs a fifth of
    running the regular expression on every row. The distinct values go through the
    same pandas ``str.match`` as the built-in check, so each row gets the same result.
    """

    def matches(series: pd.Series) -> pd.Series:
        values = getattr(series.array, "_pa_array", None)
        if values is None:
            return series.str.match(pattern)
        encoded = pc.dictionary_encode(values)
        chunks = encoded.chunks if isinstance(encoded, pyarrow.ChunkedArray) else [encoded]
        if not chunks:
            return pd.Series(True, index=series.index)
        dictionary = chunks[-1].dictionary  # the chunks share one growing dictionary
        if len(dictionary) > len(series) // 2:  # mostly distinct: nothing to gain
            return series.str.match(pattern)
        ok = pd.Series(dictionary, dtype=series.dtype).str.match(pattern).to_numpy(bool)
        indices = np.concatenate(
            [pc.fill_null(c.indices, 0).to_numpy(zero_copy_only=False) for c in chunks]
        )
        result = ok[indices] if len(ok) else np.ones(len(indices), dtype=bool)
        if values.null_count:
            result |= ~values.is_valid().to_numpy(zero_copy_only=False)
        return pd.Series(result, index=series.index)

    return pa.Check(matches, name=f"str_matches('{pattern}')")


def _column(
    f: Field,
    unique: bool = True,
    dtype: bool = True,
    fast_unique: bool = False,
    fast_patterns: bool = False,
) -> pa.Column:
    checks = []
    if f.unique and unique and fast_unique:
        checks.append(_UNIQUE)
    if f.codes:
        checks.append(pa.Check.isin(list(f.codes)))
    patterns = [f"(?:{f.pattern})$"] if f.pattern else []
    if f.kind == "period":
        patterns.append(f"(?:{PERIOD_PATTERN})$")
    for pattern in patterns:
        checks.append(
            _distinct_matches(pattern) if fast_patterns else pa.Check.str_matches(pattern)
        )
    if f.min_value is not None:
        minimum = f.min_value
        checks.append(pa.Check(lambda s: s >= minimum, name=f"min_value:{minimum:g}"))
    if f.past:
        checks.append(_NOT_FUTURE)
    return pa.Column(
        f.dtype if dtype else None,
        checks=checks,
        nullable=f.nullable,
        unique=f.unique and unique and not fast_unique,
        coerce=False,
        required=True,
        title=f.label_vi,
        description=f.description,
        metadata={"personal": f.personal, "untrusted": f.untrusted, "kind": f.kind},
    )


_US_PER_DAY = 86_400_000_000
_NAT_BITS = np.iinfo(np.int64).min


def _day_numbers(series: pd.Series) -> tuple[np.ndarray, np.ndarray] | None:
    """(day number, known mask) of a ``datetime64[us]`` column; ``None`` for other dtypes."""
    if series.dtype != "datetime64[us]":
        return None
    micros = series.to_numpy().view(np.int64)
    return micros // _US_PER_DAY, micros != _NAT_BITS


def _order_check(rule: OrderRule) -> pa.Check:
    def later_not_before(frame: pd.DataFrame) -> pd.Series:
        earlier, later = _day_numbers(frame[rule.earlier]), _day_numbers(frame[rule.later])
        if earlier is None or later is None:
            return ~(frame[rule.later].dt.floor("D") < frame[rule.earlier].dt.floor("D"))
        (earlier_day, earlier_known), (later_day, later_known) = earlier, later
        before = (later_day < earlier_day) & earlier_known & later_known
        return pd.Series(~before, index=frame.index)

    return pa.Check(later_not_before, name=rule.name)


@cache
def dataset_schema(dataset: str, unique: bool = True) -> pa.DataFrameSchema:
    """The pandera schema of a loaded ``dataset`` frame.

    Args:
        dataset: The dataset.
        unique: Include the uniqueness of id columns (``False``: the row-level checks
            only, which can run file by file).
    """
    columns = {f.name: _column(f, unique) for f in DATASETS[dataset]}
    columns["source_file"] = pa.Column("str", nullable=False, title="Tệp nguồn")
    columns["source_row"] = pa.Column("int64", pa.Check.ge(1), nullable=False, title="Dòng")
    checks = [_order_check(r) for r in ORDER_RULES if r.dataset == dataset]
    return pa.DataFrameSchema(
        columns, checks=checks, strict=True, ordered=True, coerce=False, name=dataset
    )


@cache
def _gate_schemas(dataset: str, unique: bool) -> tuple[pa.DataFrameSchema, ...]:
    """The checks of :func:`dataset_schema` as run on big frames, without dtypes.

    :func:`check` compares the dtypes directly (pandera's dtype checks cost more than all
    the other checks together on a million rows). The column checks run on the frame;
    the date-order rules on the date columns only (pandera reports every column of a
    failing row of a frame-wide check). Ids are checked with one hash pass.
    """
    columns = {
        f.name: _column(f, unique=unique, dtype=False, fast_unique=True, fast_patterns=True)
        for f in DATASETS[dataset]
    }
    columns["source_file"] = pa.Column(None, nullable=False)
    columns["source_row"] = pa.Column(None, pa.Check.ge(1), nullable=False)
    schemas = [pa.DataFrameSchema(columns, coerce=False, name=dataset)]
    rules = [r for r in ORDER_RULES if r.dataset == dataset]
    if rules:
        dates = {c: pa.Column(None, nullable=True) for r in rules for c in (r.earlier, r.later)}
        checks = [_order_check(r) for r in rules]
        schemas.append(pa.DataFrameSchema(dates, checks=checks, coerce=False, name=dataset))
    return tuple(schemas)


def _dtype_failures(frame: pd.DataFrame, dataset: str) -> list[dict]:
    expected = frame_dtypes(dataset)
    found = {c: str(t) for c, t in frame.dtypes.items()}
    rows = [
        {"position": -1, "column": c, "check": "dtype", "failure_case": found.get(c, "missing")}
        for c, dtype in expected.items()
        if found.get(c) != dtype
    ]
    rows += [
        {"position": -1, "column": c, "check": "column_in_schema", "failure_case": c}
        for c in found
        if c not in expected
    ]
    return rows


@cache
def _unique_schema(dataset: str) -> pa.DataFrameSchema | None:
    columns = {
        f.name: pa.Column(None, _UNIQUE, nullable=True) for f in DATASETS[dataset] if f.unique
    }
    return pa.DataFrameSchema(columns, coerce=False, name=dataset) if columns else None


def check(frame: pd.DataFrame, dataset: str, part: str = "all") -> pd.DataFrame:
    """Validate ``frame`` lazily; return the failures (empty frame if none).

    Args:
        frame: A loaded frame (canonical columns and dtypes, source columns).
        dataset: Its dataset.
        part: ``all`` checks; ``rows`` (everything but uniqueness: one file at a time);
            ``unique`` (uniqueness of the id columns only: the stacked files).

    Returns:
        One row per failing cell: ``position`` (row position in ``frame``, or -1 for a
        column-level failure such as a wrong dtype), ``column``, ``check`` (``not_nullable``,
        ``unique``, ``isin``, ``pattern``, ``dtype``, or an :class:`OrderRule` name) and
        ``failure_case``.
    """
    columns = ["position", "column", "check", "failure_case"]
    if part != "unique":
        wrong = _dtype_failures(frame, dataset)
        if wrong:
            return pd.DataFrame(wrong, columns=columns)
    if part == "unique":
        schemas = (_unique_schema(dataset),) if _unique_schema(dataset) else ()
    else:
        schemas = _gate_schemas(dataset, unique=part == "all")
    found = []
    for k, schema in enumerate(schemas):
        # The first gate schema covers the whole frame; the others a few columns.
        # The checks never modify the frame, so pandera need not copy it (``inplace``);
        # a shallow copy keeps pandera's bookkeeping off the caller's frame.
        subset = frame if k == 0 and part != "unique" else frame[list(schema.columns)]
        try:
            schema.validate(subset.copy(deep=False), lazy=True, inplace=True)
        except SchemaErrors as exc:
            found.append(exc.failure_cases)
    if not found:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})
    cases = pd.concat(found, ignore_index=True) if len(found) > 1 else found[0]
    index = pd.to_numeric(cases["index"], errors="coerce")
    check_name = cases["check"].astype(str).map(_check_kind)
    out = pd.DataFrame(
        {
            "position": index.fillna(-1).astype("int64").to_numpy(),
            "column": cases["column"].astype(object).to_numpy(),
            "check": check_name.to_numpy(dtype=object),
            "failure_case": cases["failure_case"].to_numpy(dtype=object),
        }
    )
    return out


def _check_kind(name: str) -> str:
    for prefix, kind in (
        ("field_uniqueness", "unique"),
        ("isin", "isin"),
        ("str_matches", "pattern"),
        ("dtype", "dtype"),
        ("order:", name),
        ("not_nullable", "not_nullable"),
        ("min_value", "min_value"),
        ("not_future", "not_future"),
    ):
        if name.startswith(prefix):
            return kind
    return name


def prepare() -> None:
    """Build the gate schemas and load pandera's validation backends.

    pandera imports its backends on the first validation (a good part of a second);
    the loaders call this in a thread while files are parsed, so that the final gate
    does not wait for it.
    """
    for name in DATASETS:
        check(empty_frame(name), name)


def schema_version() -> str:
    """Hash of the field dictionary, the loader rules and the package version.

    Cached ingests are rebuilt when it changes.
    """
    payload = {
        "package": __version__,
        "rules": LOADER_RULES_VERSION,
        "order_rules": [(r.dataset, r.earlier, r.later) for r in ORDER_RULES],
        "future_grace_days": FUTURE_GRACE_DAYS,
        "datasets": {
            name: [
                {
                    "name": f.name,
                    "kind": f.kind,
                    "headers": list(f.accepted_headers),
                    "required": f.required,
                    "nullable": f.nullable,
                    "unique": f.unique,
                    "personal": f.personal,
                    "pattern": f.pattern,
                    "min_value": f.min_value,
                    "past": f.past,
                    "codes": {k: list(v) for k, v in (f.codes or {}).items()},
                }
                for f in fields
            ]
            for name, fields in DATASETS.items()
        },
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
