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
from typing import cast

import numpy as np
import pandas as pd

from tthc_analysis.fields import dataset_fields
from tthc_analysis.sample.catalogue import PROFILES
from tthc_analysis.sample.dossiers import (
    _clock,
    _dossier_ids,
    _due_days,
    _identities,
    _office_minutes,
)
from tthc_analysis.sample.pakn import not_accepted
from tthc_analysis.workdays import WorkCalendar

__all__ = [
    "PREVIOUS_FEEDBACK_FILE",
    "PREVIOUS_FILE",
    "PREVIOUS_MONTHS",
    "previous_year_dossiers",
    "previous_year_feedback",
]

PREVIOUS_FILE = "dossiers/ho_so_nam_2024.xlsx"
"""Where :func:`tthc_analysis.sample.generator.write_sample` writes them."""

PREVIOUS_MONTHS: tuple[str, ...] = ("2023-12", *(f"2024-{m:02d}" for m in range(1, 12)))
"""Receipt months (12/2023–11/2024); 12/2024 is the first monthly file of the 2025 sample."""

PREVIOUS_FEEDBACK_FILE = "feedback/pakn_2024.csv"
"""Where the previous year's PAKN are written (next to ``feedback/pakn_2025.csv``)."""

_LAST_END = np.datetime64("2024-12-13", "D")
_MINUTE = np.timedelta64(1, "m")


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
    due_day, limit_wd = _due_days(calendar, day, df)
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


# (month of 2024, day) of each PAKN of the previous year: two a month, 01–11/2024.
_FEEDBACK_RECEIVED = tuple(date(2024, m, d) for m in range(1, 12) for d in (9, 20))
_FEEDBACK_LATE = (3, 14)
"""Items handled after the 15-working-day limit (20 working days): a worse year."""
_FEEDBACK_PUBLISHED_LATE = (7,)
"""Item published 5 working days after it was handled (limit: 2)."""
_FEEDBACK_REJECTED = (10,)
"""Item not accepted (outside the scope of PAKN on administrative regulations)."""
_FEEDBACK_CODES = (
    "1.005092", "2.001914", "1.004831", "1.005144", "3.000181", "1.005006", "1.001622",
)  # fmt: skip
"""Procedures the PAKN are about (those of the 2025 PAKN, :mod:`.pakn`)."""
_FEEDBACK_TEXT = (
    ("regulation", "Đề nghị hướng dẫn thủ tục cấp bản sao văn bằng khi bị mất bản chính."),
    ("regulation", "Kiến nghị rút ngắn thời gian giải quyết thủ tục chuyển trường."),
    ("conduct", "Phản ánh việc hẹn trả kết quả chỉnh sửa văn bằng chưa đúng ngày."),
    ("regulation", "Đề nghị cho phép nộp lệ phí phúc khảo bài thi trực tuyến."),
)


def _ts(day: object) -> pd.Timestamp:
    """A day of :class:`WorkCalendar` (a ``datetime64[D]`` value) as a timestamp."""
    return cast(pd.Timestamp, pd.Timestamp(str(day)))  # never NaT: a calendar day


def previous_year_feedback(
    rng: np.random.Generator, catalogue: pd.DataFrame, calendar: WorkCalendar
) -> pd.DataFrame:
    """The PAKN of the previous year (22 items, 01–11/2024), for the comparison.

    Every item is closed by 13/12/2024, so none is carried into the 2025 periods. Two are
    handled late (20 working days, limit 15), one published late, one not accepted.

    Returns:
        Canonical ``feedback`` columns (sender columns filled with fake people).
    """
    from tthc_analysis.sample.people import fake_people

    codes = [c for c in _FEEDBACK_CODES if c in set(catalogue["procedure_code"])]
    units = dict(zip(catalogue["procedure_code"], catalogue["unit"], strict=True))
    people = fake_people(rng, len(_FEEDBACK_RECEIVED), min_birth=1960, max_birth=2006)
    rows = []
    for i, received in enumerate(_FEEDBACK_RECEIVED):
        received = _ts(calendar.roll_forward(received)).date()
        category, content = _FEEDBACK_TEXT[i % len(_FEEDBACK_TEXT)]
        code = codes[i % len(codes)]
        handle_wd = 20 if i in _FEEDBACK_LATE else int(rng.integers(3, 14))
        handled = _ts(calendar.add_working_days(received, handle_wd))
        publish_wd = 5 if i in _FEEDBACK_PUBLISHED_LATE else int(rng.integers(0, 3))
        row = {
            "feedback_id": f"PAKN-2024-{i + 1:04d}",
            "received_on": pd.Timestamp(received),
            "category": category,
            "content": content,
            "procedure_code": code,
            "unit": units[code],
            "status": "published",
            "rejected_on": pd.NaT,
            "supplement_requested_on": pd.NaT,
            "forwarded_on": pd.NaT,
            "handled_on": handled,
            "published_on": _ts(calendar.add_working_days(handled, publish_wd)),
            "likes": int(rng.integers(0, 20)),
            "dislikes": int(rng.integers(0, 4)),
            "is_repeat": False,
        }
        if i in _FEEDBACK_REJECTED:
            not_accepted(
                row,
                "Nội dung không thuộc phạm vi quy định hành chính: đề nghị hỗ trợ học phí.",
                _ts(calendar.add_working_days(received, 1)),
            )
        for key in ("name", "phone", "email", "address"):
            row[f"sender_{key}"] = people[key][i]
        rows.append(row)
    df = pd.DataFrame(rows)
    for column in ("likes", "dislikes"):
        df[column] = df[column].astype("Int64")
    return df.reindex(columns=list(dataset_fields("feedback")))
