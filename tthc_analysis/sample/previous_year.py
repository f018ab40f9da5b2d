"""Synthetic dossiers of the previous year (01/12/2023–30/11/2024), for the comparison.

Official reports state each headline figure "so với cùng kỳ năm trước"; the bundled
sample therefore carries a previous year, written as one yearly export
(``dossiers/ho_so_nam_2024.xlsx``) next to the monthly files of 2025, so that the
sample is "one folder holding both years".

The model is simpler than the 2025 one (:mod:`tthc_analysis.sample.dossiers`) and
deliberately a little worse, as the year before the plan: fewer dossiers, a lower
online share, more overdue dossiers, less digitisation. Every dossier of the previous
year is finished (and its result returned) by 13/12/2024, so none is carried over into
the 2025 periods, which start on 15/12/2024: the 2025 figures are unchanged.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from tthc_analysis.fields import dataset_fields
from tthc_analysis.sample.catalogue import PROFILES
from tthc_analysis.sample.dossiers import _clock, _dossier_ids, _identities, _office_minutes
from tthc_analysis.workdays import WorkCalendar

__all__ = ["PREVIOUS_FILE", "PREVIOUS_MONTHS", "previous_year_dossiers"]

PREVIOUS_FILE = "dossiers/ho_so_nam_2024.xlsx"
"""Where :func:`tthc_analysis.sample.generator.write_sample` writes them."""

PREVIOUS_MONTHS: tuple[str, ...] = ("2023-12", *(f"2024-{m:02d}" for m in range(1, 12)))
"""Receipt months (12/2023–11/2024); 12/2024 is the first monthly file of the 2025 sample."""

_LAST_END = np.datetime64("2024-12-13", "D")
_MINUTE = np.timedelta64(1, "m")
_DAY = np.timedelta64(1, "D")


def _counts(rng: np.random.Generator, catalogue: pd.DataFrame, n: int) -> np.ndarray:
    """Dossiers per procedure (rows) and month (12/2023, 01..11/2024), seasonality of 2025."""
    profiles = np.array([PROFILES[p] for p in catalogue["profile"]], dtype="float64")
    # December 2023 takes the December weight, 01..11/2024 the weights of 01..11/2025.
    weights = np.concatenate([profiles[:, :1], profiles[:, 1:12]], axis=1)
    volume = catalogue["volume"].to_numpy(dtype="float64")
    expected = (
        volume[:, None] * weights / np.maximum(profiles[:, 1:].sum(axis=1, keepdims=True), 1e-9)
    )
    flat = expected.ravel() / expected.sum()
    return rng.multinomial(n, flat).reshape(expected.shape)


def _days(rng, calendar: WorkCalendar, month: str, size: int) -> np.ndarray:
    first = date(int(month[:4]), int(month[5:]), 1)
    last = (pd.Timestamp(first) + pd.offsets.MonthEnd(0)).date()
    pool = np.array(calendar.working_days_in(first, last), dtype="datetime64[D]")
    return rng.choice(pool, size=size)


def previous_year_dossiers(
    rng: np.random.Generator, catalogue: pd.DataFrame, n: int, calendar: WorkCalendar
) -> pd.DataFrame:
    """Generate ``n`` dossiers received from 01/12/2023 to 30/11/2024, all finished.

    Args:
        rng: Random generator (its own stream: the 2025 tables do not change).
        catalogue: :func:`tthc_analysis.sample.catalogue.procedures_frame`.
        n: Number of dossiers.
        calendar: Working-day calendar.

    Returns:
        Canonical ``dossiers`` columns, sorted by receipt time.
    """
    cat = catalogue.reset_index(drop=True)
    counts = _counts(rng, cat, n)
    proc = np.repeat(np.repeat(np.arange(len(cat)), counts.shape[1]), counts.ravel())
    month_idx = np.tile(np.arange(counts.shape[1]), len(cat)).repeat(counts.ravel())
    day = np.empty(len(proc), dtype="datetime64[D]")
    for m, month in enumerate(PREVIOUS_MONTHS):
        rows = np.flatnonzero(month_idx == m)
        if len(rows):
            day[rows] = _days(rng, calendar, month, len(rows))
    df = cat[
        ["procedure_code", "procedure_name", "field", "unit", "online_level", "time_limit"]
    ].iloc[proc]
    df = df.assign(time_limit_unit=cat["time_limit_unit"].to_numpy()[proc]).reset_index(drop=True)
    df["fee_amount"] = cat["fee_amount"].to_numpy(dtype="float64")[proc]
    df["individual_applicants"] = cat["individual_applicants"].to_numpy()[proc]
    size = len(df)
    level = df["online_level"].to_numpy()
    p_online = np.where(level == "full", 0.30, np.where(level == "partial", 0.15, 0.0))
    channel = np.where(
        rng.random(size) < p_online,
        "online",
        np.where(rng.random(size) < 0.06, "post", "in_person"),
    ).astype(object)
    received = _clock(day, _office_minutes(rng, size))
    limit = df["time_limit"].to_numpy(dtype="int64")
    due_day = np.where(
        df["time_limit_unit"].to_numpy() == "day",
        calendar.roll_forward(day + limit * _DAY),
        calendar.add_working_days(day, limit),
    ).astype("datetime64[D]")
    limit_wd = np.maximum(calendar.count_working_days(day, due_day), 1).astype(np.int64)
    overdue = rng.random(size) < 0.055
    early = np.floor(limit_wd * rng.beta(1.6, 2.2, size)).astype(np.int64)
    early = np.where(rng.random(size) < 0.10, limit_wd, early)  # some finish on the due day
    k = np.where(overdue, limit_wd + np.minimum(rng.geometric(0.3, size), 20), early)
    end_day = calendar.add_working_days(day, k).astype("datetime64[D]")
    end_day = np.minimum(end_day, _LAST_END)
    end_day = np.maximum(end_day, day)
    completed = _clock(end_day, rng.integers(465, 1000, size))
    completed = np.maximum(completed, received + rng.integers(30, 180, size) * _MINUTE)
    returned = np.minimum(
        completed + rng.integers(10, 2880, size) * _MINUTE,
        _clock(np.full(size, _LAST_END), np.full(size, 1020)),
    )
    returned = np.maximum(returned, completed)
    kind = rng.choice(
        np.array(["returned", "rejected", "withdrawn"], dtype=object),
        size=size,
        p=[0.98, 0.013, 0.007],
    )
    finished = kind == "returned"
    online = channel == "online"
    digitised = rng.random(size) < np.where(online, 0.95, 0.70)
    e_result = finished & (rng.random(size) < np.where(digitised, 0.85, 0.35))
    result_channel = np.where(
        online & e_result, "online", np.where(channel == "post", "post", "in_person")
    ).astype(object)
    result_channel[~finished] = None
    fee = df["fee_amount"].to_numpy() > 0
    paid = np.where(fee, np.where(online & (rng.random(size) < 0.4), "yes", "no"), "no_fee")
    late = overdue & finished
    out = pd.DataFrame(
        {
            "procedure_code": df["procedure_code"],
            "procedure_name": df["procedure_name"],
            "field": df["field"],
            "unit": df["unit"],
            "channel": channel,
            "submitted_at": received,
            "received_at": received,
            "due_at": _clock(due_day, np.full(size, 1020)),
            "rescheduled_due_at": np.full(size, np.datetime64("NaT"), dtype="datetime64[m]"),
            "completed_at": completed,
            "returned_at": np.where(finished, returned, np.datetime64("NaT")),
            "status": kind,
            "supplement_requests": np.zeros(size, dtype=np.int64),
            "supplement_days": np.full(size, np.nan),
            "is_digitized": digitised,
            "has_e_result": e_result,
            "result_channel": result_channel,
            "reused_data": rng.random(size) < 0.2,
            "synced_dvcqg": rng.random(size) < 0.95,
            "paid_online": paid.astype(object),
            "fee_amount": np.where(fee, df["fee_amount"].to_numpy(), np.nan),
            "has_apology": late & (rng.random(size) < 0.4),
            "overdue_reason": np.where(late, "Hồ sơ phức tạp, cần xác minh thêm", None),
            "individual_applicants": df["individual_applicants"].to_numpy(),
            "received_day": day,
        }
    )
    out = out.sort_values(["received_at", "procedure_code"], kind="stable").reset_index(drop=True)
    out = out.join(_identities(rng, out))
    out["dossier_id"] = _dossier_ids(out["received_day"].to_numpy())
    columns = list(dataset_fields("dossiers"))
    for name in columns:  # columns the model does not draw (e.g. pause times) stay empty
        if name not in out:
            out[name] = pd.NaT if dataset_fields("dossiers")[name].kind == "datetime" else None
    out = out[columns].copy()
    out["supplement_requests"] = out["supplement_requests"].astype("Int64")
    for name, f in dataset_fields("dossiers").items():
        if f.kind == "datetime":
            out[name] = out[name].astype("datetime64[us]")
    return out
