"""Synthetic dossiers (hồ sơ TTHC) of the Sở for 12/2024–12/2025, vectorised.

The generator draws, per procedure and month, how many dossiers are received (volume ×
seasonality), then for each dossier: the receipt day (working days, a dip around Tết,
a few Saturday mornings), the channel (online share rising over the year), the due date
(receipt + the procedure's time limit on the working-day calendar), supplement requests,
the processing time (most finish early; about 3–4 % late, some with an apology letter
and a new appointment), digitisation, e-result, reuse of data and payment. A dossier
whose end falls after the export cut-off (31/12/2025) is pending at the cut-off; a few
dossiers received in October–December are planted as still pending and already late.

All columns are the canonical ``dossiers`` columns of :mod:`tthc_analysis.fields`
(coded values as English codes), plus ``month`` (receipt month ``YYYY-MM``).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from tthc_analysis.fields import dataset_fields
from tthc_analysis.sample.catalogue import MONTHS, PROFILES
from tthc_analysis.sample.people import fake_people, organisation_names
from tthc_analysis.workdays import WorkCalendar

__all__ = ["AS_OF", "UNIT_ID", "generate_dossiers"]

AS_OF = date(2025, 12, 31)
"""Export cut-off: the state of every dossier is the one at the end of this day."""

UNIT_ID = "000.00.12.H10"
"""Illustrative identification code (mã định danh) of the Sở, used in dossier codes."""

_FIRST_DAY = date(2024, 12, 1)
_YEAR_START = np.datetime64("2025-01-01", "D")
_TET = (np.datetime64("2025-01-20", "D"), np.datetime64("2025-02-07", "D"))
_OVERDUE_REASONS = (
    "Hồ sơ phức tạp, cần xác minh thông tin với cơ sở giáo dục nơi cấp văn bằng",
    "Chờ ý kiến phối hợp của cơ quan có liên quan",
    "Cán bộ thụ lý nghỉ ốm, chưa bố trí kịp người thay thế",
    "Lỗi phần mềm Hệ thống thông tin giải quyết TTHC, không chuyển được bước xử lý",
    "Số lượng hồ sơ tăng đột biến trong mùa tuyển sinh",
    "Chờ kết quả thẩm định thực tế tại cơ sở",
    "Chờ Ủy ban nhân dân tỉnh ký quyết định",
)
_MINUTE = np.timedelta64(1, "m")
_DAY = np.timedelta64(1, "D")


def _day_grid(calendar: WorkCalendar) -> pd.DataFrame:
    """Every day of the export window with its month index and receipt weight."""
    days = pd.date_range(_FIRST_DAY, AS_OF, freq="D")
    d64 = days.to_numpy(dtype="datetime64[D]")
    working = np.isin(
        d64, np.array(calendar.working_days_in(_FIRST_DAY, AS_OF), dtype="datetime64[D]")
    )
    saturday_open = (
        (days.day_of_week == 5) & ~working & ~days.isin(pd.to_datetime(list(calendar.holidays)))
    )
    weight = np.where(working, 1.0, np.where(saturday_open, 0.03, 0.0))
    weight = np.where((d64 >= _TET[0]) & (d64 <= _TET[1]), weight * 0.45, weight)
    month = days.strftime("%Y-%m")
    return pd.DataFrame({"day": d64, "month_idx": month.map(MONTHS.index), "weight": weight})


def _counts(rng: np.random.Generator, catalogue: pd.DataFrame, n_2025: int) -> np.ndarray:
    """Dossier counts per procedure (rows) and month (columns, 12/2024 first)."""
    profiles = np.array([PROFILES[p] for p in catalogue["profile"]], dtype="float64")
    volume = catalogue["volume"].to_numpy(dtype="float64")
    expected = volume[:, None] * profiles / profiles[:, 1:].sum(axis=1, keepdims=True)
    year = expected[:, 1:]
    counts = np.zeros_like(expected, dtype=np.int64)
    counts[:, 1:] = rng.multinomial(n_2025, (year / year.sum()).ravel()).reshape(year.shape)
    n_dec = int(round(n_2025 * expected[:, 0].sum() / year.sum()))
    counts[:, 0] = rng.multinomial(n_dec, expected[:, 0] / expected[:, 0].sum())
    # Every procedure in use gets at least one dossier in 2025 (taken from the biggest cell).
    for p in np.flatnonzero((year.sum(axis=1) > 0) & (counts[:, 1:].sum(axis=1) == 0)):
        counts[p, 1 + int(np.argmax(year[p]))] += 1
        big = np.unravel_index(np.argmax(counts[:, 1:]), year.shape)
        counts[big[0], 1 + big[1]] -= 1
    return counts


def _receipt_days(rng, grid: pd.DataFrame, month_idx: np.ndarray, active_to: np.ndarray):
    """Draw a receipt day for each dossier, within its month (and before ``active_to``)."""
    days = np.empty(len(month_idx), dtype="datetime64[D]")
    for m in range(len(MONTHS)):
        rows = np.flatnonzero(month_idx == m)
        if not len(rows):
            continue
        sel = grid.loc[grid["month_idx"] == m]
        pool, w = sel["day"].to_numpy(), sel["weight"].to_numpy()
        days[rows] = rng.choice(pool, size=len(rows), p=w / w.sum())
        limit = active_to[rows]
        bad = rows[~np.isnat(limit) & (days[rows] > limit)]
        for last in np.unique(active_to[bad]):
            group = bad[active_to[bad] == last]
            allowed = pool[(pool <= last) & (w > 0)]
            days[group] = rng.choice(allowed, size=len(group))
    return days


def _office_minutes(rng: np.random.Generator, n: int) -> np.ndarray:
    """Minutes after midnight within office hours (07:30–11:30, 13:30–16:50)."""
    morning = rng.random(n) < 0.58
    return np.where(morning, rng.integers(450, 690, n), rng.integers(810, 1010, n))


def _trend(days: np.ndarray) -> np.ndarray:
    """Position in 2025 in [0, 1] (negative in December 2024)."""
    elapsed = np.asarray(days).astype("datetime64[D]") - _YEAR_START
    return np.clip(elapsed.astype("int64") / 364.0, -0.1, 1.0)


def _channels(rng, level: np.ndarray, t: np.ndarray) -> np.ndarray:
    p_online = np.where(
        level == "full", 0.42 + 0.48 * t, np.where(level == "partial", 0.22 + 0.30 * t, 0.0)
    )
    u = rng.random(len(level))
    post = rng.random(len(level)) < 0.06
    return np.where(u < p_online, "online", np.where(post, "post", "in_person")).astype(object)


def _ensure_online(channel, proc, level, days, active_to) -> None:
    """Each online service gets at least one online dossier received in 01/01–14/12/2025."""
    start, end = np.datetime64("2025-01-02", "D"), np.datetime64("2025-12-14", "D")
    in_window = (days >= start) & (days <= end)
    for p in np.unique(proc[np.isin(level, ("full", "partial"))]):
        rows = np.flatnonzero((proc == p) & in_window)
        if len(rows) and not (channel[rows] == "online").any():
            channel[rows[0]] = "online"


def _processing(rng, n: int, limit_wd: np.ndarray, month: np.ndarray):
    """End kind, supplement requests, overdue flag and working days to the end."""
    kind = rng.choice(
        np.array(["normal", "rejected", "withdrawn"], dtype=object), size=n, p=[0.985, 0.01, 0.005]
    )
    summer = np.isin(month, ("2025-07", "2025-08", "2025-09"))
    overdue = (kind == "normal") & (rng.random(n) < np.where(summer, 0.045, 0.028))
    u = rng.random(n)
    requests = np.where(u < 0.002, 2, np.where(u < 0.082, 1, 0))
    early = np.floor(limit_wd * rng.beta(1.6, 2.4, n))
    on_due = rng.random(n) < 0.10
    k = np.where(on_due, limit_wd, np.minimum(early, limit_wd))
    k = np.where(kind != "normal", np.floor(limit_wd * rng.beta(1.0, 3.0, n)), k)
    extra = np.minimum(rng.geometric(0.35, n), 15)
    k = np.where(overdue, limit_wd + extra, k).astype(np.int64)
    return kind, requests, overdue, k


def _clock(day: np.ndarray, minutes: np.ndarray) -> np.ndarray:
    return day.astype("datetime64[m]") + minutes.astype("int64") * _MINUTE


def _end_times(rng, calendar, received, received_day, k, requests):
    """Completion time (with the supplement pause added) and the pause in days."""
    base = calendar.add_working_days(received_day, k).astype("datetime64[D]")
    pause0 = np.where(
        requests == 2,
        rng.integers(4, 15, len(k)),
        np.where(requests == 1, rng.integers(2, 11, len(k)), 0),
    )
    final = calendar.roll_forward(base + pause0 * _DAY).astype("datetime64[D]")
    pause = (final - base).astype("int64")
    same_day = final == received_day
    rec_min = (received - received_day.astype("datetime64[m]")).astype("int64")
    minutes = np.where(
        same_day,
        np.minimum(rec_min + rng.integers(30, 180, len(k)), 1050),
        rng.integers(465, 1020, len(k)),
    )
    return _clock(final, minutes), pause


def _due_days(calendar, day: np.ndarray, df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Due day of each dossier received on ``day`` and its time limit in working days.

    A limit in calendar days ends on a working day (rolled forward), a limit in working
    days is counted on the calendar; the working-day limit is at least 1.
    """
    limit = df["time_limit"].to_numpy(dtype="int64")
    due_day = np.where(
        df["time_limit_unit"].to_numpy() == "day",
        calendar.roll_forward(day + limit * _DAY),
        calendar.add_working_days(day, limit),
    ).astype("datetime64[D]")
    limit_wd = np.maximum(calendar.count_working_days(day, due_day), 1).astype(np.int64)
    return due_day, limit_wd


def _dates(rng, calendar, df: pd.DataFrame) -> pd.DataFrame:
    """Receipt, submission, due, completion, return and rescheduled dates; status."""
    n = len(df)
    day = df["received_day"].to_numpy()
    received = _clock(day, _office_minutes(rng, n))
    due_day, limit_wd = _due_days(calendar, day, df)
    kind, requests, overdue, k = _processing(rng, n, limit_wd, df["month"].to_numpy())
    completed, pause = _end_times(rng, calendar, received, day, k, requests)

    cutoff = np.datetime64(AS_OF, "D") + _DAY
    pending = completed >= cutoff
    window = (day >= np.datetime64("2025-10-15")) & (day <= np.datetime64("2025-12-05"))
    candidates = np.flatnonzero(window & (limit_wd <= 15) & (kind == "normal") & ~pending)
    n_planted = min(len(candidates), max(6, int(round(n * 0.002))))
    planted = rng.choice(candidates, size=n_planted, replace=False)
    pending[planted] = True

    channel = df["channel"].to_numpy()
    submitted = np.where(
        channel == "online",
        received - rng.integers(0, 1200, n) * _MINUTE,
        np.where(channel == "post", received - rng.integers(1, 4, n) * 1440 * _MINUTE, received),
    )
    due_at = _clock(due_day, np.full(n, 1020))
    late = ~pending & overdue
    pending_late = pending & (due_day < np.datetime64(AS_OF, "D"))
    apology = (late & (rng.random(n) < 0.6)) | (pending_late & (rng.random(n) < 0.5))
    shift = np.where(
        late,
        np.maximum(k - limit_wd + rng.choice([-1, 0, 1, 2], n, p=[0.1, 0.3, 0.4, 0.2]), 1),
        rng.integers(3, 11, n),
    )
    new_due = calendar.add_working_days(due_day, shift).astype("datetime64[D]")
    rescheduled = np.where(apology, _clock(new_due, np.full(n, 1020)), np.datetime64("NaT"))
    reason_pick = np.array(_OVERDUE_REASONS, dtype=object)[
        rng.integers(0, len(_OVERDUE_REASONS), n)
    ]
    with_reason = apology | ((late | pending_late) & (rng.random(n) < 0.3))
    status = np.where(kind == "normal", "returned", kind).astype(object)
    status[pending] = np.where(requests[pending] > 0, "awaiting_supplement", "processing")
    out = pd.DataFrame(index=df.index)
    out["submitted_at"] = submitted
    out["received_at"] = received
    out["due_at"] = due_at
    out["rescheduled_due_at"] = rescheduled
    out["completed_at"] = np.where(pending, np.datetime64("NaT"), completed)
    out["status"] = status
    out["supplement_requests"] = requests
    out["supplement_days"] = np.where((requests > 0) & ~pending, pause.astype("float64"), np.nan)
    out["has_apology"] = apology
    out["overdue_reason"] = np.where(with_reason, reason_pick, None)
    return out


def _results(rng, calendar, df: pd.DataFrame) -> pd.DataFrame:
    """Digitisation, e-result, result channel, return time, reuse, sync and payment."""
    n = len(df)
    t = _trend(df["received_day"].to_numpy())
    online = (df["channel"] == "online").to_numpy()
    finished = df["status"].isin(("returned",)).to_numpy()
    digitised = rng.random(n) < np.where(online, 0.985, 0.83 + 0.13 * np.clip(t, 0, 1))
    e_result = finished & (rng.random(n) < np.where(digitised, 0.95 + 0.04 * np.clip(t, 0, 1), 0.5))
    by_post = (df["channel"] == "post").to_numpy() | (rng.random(n) < 0.1)
    result_channel = np.where(
        online & e_result,
        np.where(rng.random(n) < 0.95, "online", "post"),
        np.where(by_post, "post", "in_person"),
    ).astype(object)
    result_channel[~finished] = None

    completed = df["completed_at"].to_numpy()
    comp_day = completed.astype("datetime64[D]")
    later = calendar.add_working_days(
        np.where(finished, comp_day, _YEAR_START), rng.integers(0, 4, n)
    )
    later = later.astype("datetime64[D]")
    pickup = _clock(later, rng.integers(480, 990, n))
    pickup = np.where(pickup <= completed, completed + rng.integers(10, 90, n) * _MINUTE, pickup)
    returned = np.where(
        result_channel == "online", completed + rng.integers(0, 90, n) * _MINUTE, pickup
    )
    not_collected = rng.random(n) < 0.08
    cutoff = np.datetime64(AS_OF, "D") + _DAY
    keep = finished & ~not_collected & (returned < cutoff)
    status = df["status"].to_numpy().copy()
    status[finished & ~keep] = "completed"

    fee = df["fee_amount"].to_numpy(dtype="float64") > 0
    paid = np.where(
        fee,
        np.where(online & (rng.random(n) < 0.55 + 0.35 * np.clip(t, 0, 1)), "yes", "no"),
        "no_fee",
    )
    return pd.DataFrame(
        {
            "returned_at": np.where(keep, returned, np.datetime64("NaT")),
            "status": status,
            "is_digitized": digitised,
            "has_e_result": e_result,
            "result_channel": result_channel,
            "reused_data": rng.random(n) < 0.28 + 0.24 * np.clip(t, 0, 1),
            "synced_dvcqg": rng.random(n) < 0.975,
            "paid_online": paid.astype(object),
            "fee_amount": np.where(fee, df["fee_amount"].to_numpy(dtype="float64"), np.nan),
        },
        index=df.index,
    )


def _identities(rng, df: pd.DataFrame) -> pd.DataFrame:
    n = len(df)
    people = fake_people(rng, n)
    org = ~df["individual_applicants"].to_numpy(dtype=bool)
    name = np.where(org, organisation_names(rng, n), people["name"])
    return pd.DataFrame(
        {
            "applicant_name": name,
            "applicant_id_number": people["id_number"],
            "applicant_phone": people["phone"],
            "applicant_email": people["email"],
            "applicant_address": people["address"],
        },
        index=df.index,
    )


def _dossier_ids(received_day: np.ndarray) -> np.ndarray:
    """``{UNIT_ID}-{yymmdd}-{sequence}`` with the sequence counted per receipt day."""
    day = np.asarray(received_day).astype("datetime64[D]")
    months = day.astype("datetime64[M]")
    year = months.astype("datetime64[Y]").astype(np.int64) + 1970
    month = (months - months.astype("datetime64[Y]")).astype(np.int64) + 1
    dom = (day - months).astype(np.int64) + 1
    stamp = ((year % 100) * 10000 + month * 100 + dom).astype(str).astype(object)
    codes, _ = pd.factorize(day)
    seq = pd.Series(codes).groupby(codes).cumcount().to_numpy() + 1
    width = max(4, len(str(int(seq.max())))) if len(seq) else 4
    return UNIT_ID + "-" + stamp + "-" + np.char.zfill(seq.astype(str), width).astype(object)


def _pause_dates(calendar: WorkCalendar, df: pd.DataFrame) -> None:
    """Set the request date of the dossiers still waiting for a supplement, in place.

    Two working days after receipt (ND 61/2018 Art 19(4) asks within 3); no resumption.
    """
    waiting = (df["status"] == "awaiting_supplement").to_numpy()
    paused = np.full(len(df), np.datetime64("NaT"), dtype="datetime64[m]")
    if waiting.any():
        day = df["received_day"].to_numpy()[waiting]
        request = calendar.add_working_days(day, 2).astype("datetime64[D]")
        paused[waiting] = _clock(request, np.full(int(waiting.sum()), 600))
    df["paused_at"] = paused
    df["resumed_at"] = np.full(len(df), np.datetime64("NaT"), dtype="datetime64[m]")


_N_REFUSED, _N_REGISTERED = 12, 6


def _not_received(rng: np.random.Generator, df: pd.DataFrame) -> None:
    """Turn a few dossiers into not received ones, in place (issue 12 rule 1).

    ``_N_REFUSED`` counter dossiers of 2025 become refused at the counter
    (``refused_intake``, TT 01/2018/TT-VPCP form 03: the refusal is noted at the visit,
    30 minutes after it) and ``_N_REGISTERED`` online dossiers of the busiest procedure
    are only registered online (``registered``). Drawn last, so the other dossiers keep
    their values.
    """
    in_2025 = (df["received_day"].to_numpy() >= _YEAR_START) & (df["month"] != "2025-12")
    ended = df["status"].isin(("returned", "completed")).to_numpy()
    counter = np.flatnonzero(in_2025 & ended & (df["channel"] == "in_person").to_numpy())
    busiest = df["procedure_code"].value_counts().index[0]
    online = np.flatnonzero(
        in_2025 & ended & (df["channel"] == "online").to_numpy() & (df["procedure_code"] == busiest)
    )
    refused = rng.choice(counter, size=min(_N_REFUSED, len(counter)), replace=False)
    registered = rng.choice(online, size=min(_N_REGISTERED, len(online)), replace=False)
    for rows, status in ((refused, "refused_intake"), (registered, "registered")):
        idx = df.index[rows]
        df.loc[idx, "status"] = status
        df.loc[idx, "returned_at"] = pd.NaT
        df.loc[idx, "rescheduled_due_at"] = pd.NaT
        df.loc[idx, "result_channel"] = None
        df.loc[idx, "has_e_result"] = False
        df.loc[idx, "has_apology"] = False
        df.loc[idx, "overdue_reason"] = None
        df.loc[idx, "supplement_requests"] = 0
        df.loc[idx, "supplement_days"] = np.nan
        df.loc[idx, "paid_online"] = np.where(
            df.loc[idx, "paid_online"] == "no_fee", "no_fee", "no"
        )
    df.loc[df.index[refused], "completed_at"] = df.loc[
        df.index[refused], "received_at"
    ] + pd.Timedelta(minutes=30)
    df.loc[df.index[registered], "completed_at"] = pd.NaT


def generate_dossiers(
    rng: np.random.Generator, catalogue: pd.DataFrame, n_2025: int, calendar: WorkCalendar
) -> pd.DataFrame:
    """Generate the dossiers received from 01/12/2024 to 31/12/2025.

    Args:
        rng: Random generator (the only source of randomness).
        catalogue: :func:`tthc_analysis.sample.catalogue.procedures_frame`.
        n_2025: Number of dossiers received in 2025 (December 2024 comes on top, in
            proportion to its seasonality weight).
        calendar: Working-day calendar.

    Returns:
        Canonical ``dossiers`` columns plus ``month``, sorted by receipt time.
    """
    counts = _counts(rng, catalogue, n_2025)
    proc = np.repeat(np.repeat(np.arange(len(catalogue)), counts.shape[1]), counts.ravel())
    month_idx = np.tile(np.arange(counts.shape[1]), len(catalogue)).repeat(counts.ravel())
    cat = catalogue.reset_index(drop=True)
    active_to = cat["active_to"].to_numpy(dtype="datetime64[D]")[proc]
    grid = _day_grid(calendar)
    days = _receipt_days(rng, grid, month_idx, active_to)

    keep = [
        "procedure_code",
        "procedure_name",
        "field",
        "unit",
        "online_level",
        "time_limit",
        "time_limit_unit",
        "fee_amount",
        "individual_applicants",
    ]
    df = cat[keep].iloc[proc].reset_index(drop=True)
    df["received_day"] = days
    df["month"] = np.array(MONTHS, dtype=object)[month_idx]
    t = _trend(days)
    level = df["online_level"].to_numpy()
    channel = _channels(rng, level, t)
    _ensure_online(channel, proc, level, days, active_to)
    df["channel"] = channel
    df = pd.concat([df, _dates(rng, calendar, df)], axis=1)
    df = df.sort_values(["received_at", "procedure_code"], kind="stable").reset_index(drop=True)
    results = _results(rng, calendar, df)
    df["status"] = results.pop("status")
    df = df.drop(columns=["fee_amount"]).join(results)
    df = df.join(_identities(rng, df))
    df["dossier_id"] = _dossier_ids(df["received_day"].to_numpy())
    _pause_dates(calendar, df)
    _not_received(rng, df)
    # DVCQG NgayTuChoi: the time of the refusal (at the counter, of the handling) or of the
    # stop; no random draw, so the other columns are unchanged by it (issue 11)
    refused = df["status"].isin(("refused_intake", "rejected", "stopped")).to_numpy()
    df["refused_at"] = df["completed_at"].where(refused)
    df["previous_dossier_id"] = None  # the old system's code (issue 13: only carried rows)
    columns = list(dataset_fields("dossiers"))
    out = df[[*columns, "month"]].copy()
    out["supplement_requests"] = out["supplement_requests"].astype("Int64")
    for name, f in dataset_fields("dossiers").items():
        if f.kind == "datetime":
            out[name] = out[name].astype("datetime64[us]")
    return out
