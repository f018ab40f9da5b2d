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
from functools import cache

import pandas as pd
import pandera.pandas as pa
import pyarrow.compute as pc
from pandera.errors import SchemaErrors

from tthc_analysis import __version__
from tthc_analysis.fields import DATASETS, Field

__all__ = [
    "LOADER_RULES_VERSION",
    "ORDER_RULES",
    "SOURCE_COLUMNS",
    "OrderRule",
    "check",
    "dataset_schema",
    "empty_frame",
    "frame_columns",
    "frame_dtypes",
    "schema_version",
]

SOURCE_COLUMNS: dict[str, str] = {"source_file": "str", "source_row": "int64"}
"""Columns added to every loaded frame: the file (relative to the raw folder) and the row
number as a person sees it in that file (header = row 1)."""

LOADER_RULES_VERSION = 1
"""Bump when a parsing rule changes, so that cached ingests are rebuilt."""

PERIOD_PATTERN = r"[0-9]{4}-(0[1-9]|1[0-2])"


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


def _not_duplicated(series: pd.Series) -> pd.Series:
    """True where the value occurs once (or is missing): one hash pass over the column.

    pandera's own ``unique=True`` hashes the column twice when it finds duplicates.
    """
    values = getattr(series.array, "_pa_array", None)
    if values is None:
        return ~series.duplicated(keep=False) | series.isna()
    counts = pc.value_counts(values)
    repeated = counts.field("values").filter(pc.greater(counts.field("counts"), 1))
    if len(repeated) == 0:
        return pd.Series(True, index=series.index)
    hit = pc.is_in(values, value_set=repeated.drop_null())
    return pd.Series(~pc.fill_null(hit, False).to_numpy(zero_copy_only=False), index=series.index)


_UNIQUE = pa.Check(_not_duplicated, name="unique")


def _column(
    f: Field, unique: bool = True, dtype: bool = True, fast_unique: bool = False
) -> pa.Column:
    checks = []
    if f.unique and unique and fast_unique:
        checks.append(_UNIQUE)
    if f.codes:
        checks.append(pa.Check.isin(list(f.codes)))
    if f.pattern:
        checks.append(pa.Check.str_matches(f"(?:{f.pattern})$"))
    if f.kind == "period":
        checks.append(pa.Check.str_matches(f"(?:{PERIOD_PATTERN})$"))
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


def _order_check(rule: OrderRule) -> pa.Check:
    def later_not_before(frame: pd.DataFrame) -> pd.Series:
        earlier = frame[rule.earlier].dt.floor("D")
        later = frame[rule.later].dt.floor("D")
        return ~(later < earlier)

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
        f.name: _column(f, unique=unique, dtype=False, fast_unique=True) for f in DATASETS[dataset]
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
        subset = frame if k == 0 and part != "unique" else frame[list(schema.columns)]
        try:
            schema.validate(subset, lazy=True)
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
    ):
        if name.startswith(prefix):
            return kind
    return name


def schema_version() -> str:
    """Hash of the field dictionary, the loader rules and the package version.

    Cached ingests are rebuilt when it changes.
    """
    payload = {
        "package": __version__,
        "rules": LOADER_RULES_VERSION,
        "order_rules": [(r.dataset, r.earlier, r.later) for r in ORDER_RULES],
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
                    "codes": {k: list(v) for k, v in (f.codes or {}).items()},
                }
                for f in fields
            ]
            for name, fields in DATASETS.items()
        },
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
