"""Procedure catalogue metrics: publication on time, internal processes, online levels.

Rules (domain.md §6 and F; limits from :class:`~tthc_analysis.config.PublicationRules`):

- **Published on time** (766 indicator 1.1): the publication decision (``published_on``)
  is dated at least ``decision_lead_wd`` working days before the legal text takes effect
  (``legal_effective_on``), i.e. there are at least that many working days in
  ``(published_on, legal_effective_on]``. Example with the 2025 calendar: a legal text in
  effect on Tue 06/05/2025 needs a decision dated 25/04/2025 or earlier (26/04 is a
  swapped working Saturday; 30/04–02/05 are holidays).
- **Public on time** (1.2): public on the national database (``public_on_csdlqg_on``) no
  later than ``csdlqg_wd`` working days after the decision date.
- **Internal process**: ``internal_process_on`` is filled (an approved process exists).
- **Publicly listed** (1.3): ``publicly_listed`` is true.

Only procedures in force count: status ``active`` or ``amended``, or an empty status
(a catalogue row without a status is taken as in force); ``abolished`` ones are left
out. A date rule whose dates are missing (or outside the working-day calendar) is not
judged: the flag is ``<NA>`` and the procedure is counted under ``n_not_judged``, never
as on time or late. Rates are ``NaN`` when nothing can be judged.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import numpy as np
import pandas as pd

from tthc_analysis.config import PublicationRules
from tthc_analysis.workdays import WorkCalendar, require_calendar

__all__ = [
    "IN_FORCE_STATUSES",
    "has_dated_catalogue",
    "in_force",
    "online_coverage",
    "online_coverage_by_month",
    "online_services_with_dossiers",
    "publication_compliance",
    "publication_summary",
    "subtract_working_days",
]

IN_FORCE_STATUSES = ("active", "amended")
"""Procedure statuses that count as in force (plus an empty status)."""

_ONLINE_LEVELS = ("full", "partial", "none")


def in_force(procedures: pd.DataFrame) -> pd.Series:
    """Boolean mask of procedures in force (status active, amended or empty)."""
    if "status" not in procedures:
        return pd.Series(True, index=procedures.index)
    status = procedures["status"]
    return (status.isna() | status.isin(IN_FORCE_STATUSES)).astype(bool)


def _day(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values, errors="coerce").dt.normalize().astype("datetime64[us]")


def _calendar_safe(values: pd.Series, calendar: WorkCalendar) -> pd.Series:
    """``values`` with dates outside the calendar's range replaced by NaT."""
    lo, hi = pd.Timestamp(calendar.first), pd.Timestamp(calendar.last)
    return values.where((values >= lo) & (values <= hi))


def subtract_working_days(calendar: WorkCalendar, days, n: int) -> np.ndarray:
    """The latest working day ``d`` with at least ``n`` working days in ``(d, day]``.

    This is the deadline "``n`` working days before ``day``": a decision must be dated
    on or before it. NaT in, NaT out. Returns ``datetime64[D]`` values.
    """
    values = pd.to_datetime(pd.Series(days)).to_numpy(dtype="datetime64[D]")
    out = np.full(values.shape, np.datetime64("NaT", "D"))
    valid = ~np.isnat(values)
    if not valid.any():
        return out
    lo = (values[valid].min() - np.timedelta64(30 + 3 * n, "D")).astype(date)
    hi = values[valid].max().astype(date)
    lo = max(lo, calendar.first)
    working = np.array(calendar.working_days_in(lo, hi), dtype="datetime64[D]")
    ib = np.searchsorted(working, values[valid], side="right")
    idx = ib - n - 1 if n > 0 else ib - 1
    ok = idx >= 0
    res = np.full(idx.shape, np.datetime64("NaT", "D"))
    res[ok] = working[idx[ok]]
    out[valid] = res
    return out


def publication_compliance(
    procedures: pd.DataFrame,
    calendar: WorkCalendar | None = None,
    rules: PublicationRules | None = None,
) -> pd.DataFrame:
    """Judge every procedure in force against the publication rules.

    Args:
        procedures: Canonical ``procedures`` frame.
        calendar: Working-day calendar (required: ``ev.calendar`` or
            ``References.calendar``; metric functions read no file).
        rules: Publication limits (default: ``PublicationRules()``, 5 and 5 WD).

    Returns:
        One row per procedure in force: ``procedure_code``, ``procedure_name``,
        ``field``, ``unit``, ``status``, ``online_level``, ``decision_no``,
        ``published_on``, ``legal_effective_on``, ``publication_deadline_on`` (latest
        decision date allowed), ``lead_wd`` (working days between decision and effect),
        ``published_on_time`` (boolean, NA when not judged), ``public_on_csdlqg_on``,
        ``csdlqg_deadline_on``, ``public_on_time`` (boolean/NA),
        ``has_internal_process`` (bool), ``internal_process_on``, ``publicly_listed``
        (boolean/NA).
    """
    calendar = require_calendar(calendar)
    rules = rules or PublicationRules()
    df = procedures.loc[in_force(procedures)].copy()
    published = _calendar_safe(_day(df["published_on"]), calendar)
    effective = _calendar_safe(_day(df["legal_effective_on"]), calendar)
    public = _calendar_safe(_day(df["public_on_csdlqg_on"]), calendar)

    lead = pd.Series(calendar.count_working_days(published, effective), index=df.index)
    pub_ok = pd.Series(pd.NA, index=df.index, dtype="boolean")
    judged = lead.notna()
    pub_ok[judged] = lead[judged] >= rules.decision_lead_wd
    deadline = pd.Series(
        subtract_working_days(calendar, effective, rules.decision_lead_wd), index=df.index
    ).astype("datetime64[us]")

    csdl_deadline = pd.Series(
        np.asarray(calendar.add_working_days(published, rules.csdlqg_wd), dtype="datetime64[D]"),
        index=df.index,
    ).astype("datetime64[us]")
    public_ok = pd.Series(pd.NA, index=df.index, dtype="boolean")
    judged_public = public.notna() & csdl_deadline.notna()
    public_ok[judged_public] = public[judged_public] <= csdl_deadline[judged_public]

    listed = (
        df["publicly_listed"].astype("boolean")
        if "publicly_listed" in df
        else pd.Series(pd.NA, index=df.index, dtype="boolean")
    )
    out = pd.DataFrame(
        {
            "procedure_code": df["procedure_code"],
            "procedure_name": df.get("procedure_name"),
            "field": df.get("field"),
            "unit": df.get("unit"),
            "status": df.get("status"),
            "online_level": df.get("online_level"),
            "decision_no": df.get("decision_no"),
            "published_on": _day(df["published_on"]),
            "legal_effective_on": _day(df["legal_effective_on"]),
            "publication_deadline_on": deadline,
            "lead_wd": lead,
            "published_on_time": pub_ok,
            "public_on_csdlqg_on": _day(df["public_on_csdlqg_on"]),
            "csdlqg_deadline_on": csdl_deadline,
            "public_on_time": public_ok,
            "has_internal_process": df["internal_process_on"].notna().astype(bool),
            "internal_process_on": _day(df["internal_process_on"]),
            "publicly_listed": listed,
        }
    )
    return out.reset_index(drop=True)


def _share(num: int, den: int) -> float:
    return num / den if den else float("nan")


def publication_summary(
    compliance: pd.DataFrame, start: date | None = None, end: date | None = None
) -> dict:
    """Summary counts and rates of :func:`publication_compliance`.

    Publication and CSDLQG rates count the procedures whose decision is dated in
    ``[start, end]`` (all when no bounds are given; 766 indicators 1.1 and 1.2 count the
    procedures published in the period). Internal-process and listing rates count
    every procedure in force (a state at the cut-off, like 766 indicator 1.3).

    Returns:
        A dict: ``n_in_force``, ``n_published_in_period``, ``n_published_judged``,
        ``n_published_on_time``, ``n_published_late``, ``n_published_not_judged``,
        ``publication_on_time_share``, ``n_public_judged``, ``n_public_on_time``,
        ``n_public_late``, ``n_public_not_judged``, ``csdlqg_on_time_share``,
        ``n_internal_process``, ``internal_process_share``, ``n_listed_judged``,
        ``n_listed``, ``publicly_listed_share``.
    """
    published = compliance["published_on"]
    in_period = published.notna()
    if start is not None:
        in_period &= published >= pd.Timestamp(start)
    if end is not None:
        in_period &= published <= pd.Timestamp(end)
    sel = compliance.loc[in_period]
    pub = sel["published_on_time"]
    public = sel["public_on_time"]
    listed = compliance["publicly_listed"]
    n_in_force = len(compliance)
    n_internal = int(compliance["has_internal_process"].sum())
    return {
        "n_in_force": n_in_force,
        "n_published_in_period": len(sel),
        "n_published_judged": int(pub.notna().sum()),
        "n_published_on_time": int((pub == True).sum()),  # noqa: E712
        "n_published_late": int((pub == False).sum()),  # noqa: E712
        "n_published_not_judged": int(pub.isna().sum()),
        "publication_on_time_share": _share(int((pub == True).sum()), int(pub.notna().sum())),  # noqa: E712
        "n_public_judged": int(public.notna().sum()),
        "n_public_on_time": int((public == True).sum()),  # noqa: E712
        "n_public_late": int((public == False).sum()),  # noqa: E712
        "n_public_not_judged": int(public.isna().sum()),
        "csdlqg_on_time_share": _share(int((public == True).sum()), int(public.notna().sum())),  # noqa: E712
        "n_internal_process": n_internal,
        "internal_process_share": _share(n_internal, n_in_force),
        "n_listed_judged": int(listed.notna().sum()),
        "n_listed": int((listed == True).sum()),  # noqa: E712
        "publicly_listed_share": _share(int((listed == True).sum()), int(listed.notna().sum())),  # noqa: E712
    }


def _eligible(df: pd.DataFrame) -> pd.Series:
    """Eligible for full online: flagged eligible, or already offered full online."""
    flag = (
        df["eligible_full_online"].astype("boolean").fillna(False).astype(bool)
        if "eligible_full_online" in df
        else pd.Series(False, index=df.index)
    )
    return flag | (df["online_level"] == "full")


def online_coverage(procedures: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Online-service coverage of the procedures in force (ND 42/2022 levels).

    A procedure is *eligible* for full online when ``eligible_full_online`` is true or
    it is already offered full online (a procedure offered full online is eligible by
    definition); an empty flag otherwise counts as not eligible.

    Args:
        procedures: Canonical ``procedures`` frame.
        by: Optional grouping column (``"unit"`` or ``"field"``); one total row if None.

    Returns:
        One row per group: [``by``], ``n_in_force``, ``n_full``, ``n_partial``,
        ``n_none``, ``n_eligible``, ``n_eligible_full``, ``full_online_coverage``
        (eligible at full level ÷ eligible), ``online_service_share`` ((full + partial)
        ÷ in force), ``full_online_procedure_share`` (full ÷ in force),
        ``partial_online_procedure_share`` (partial ÷ in force).
    """
    df = procedures.loc[in_force(procedures)]
    level = df["online_level"]
    eligible = _eligible(df)
    frame = pd.DataFrame(
        {
            "n_in_force": 1,
            "n_full": (level == "full").astype(int),
            "n_partial": (level == "partial").astype(int),
            "n_none": (~level.isin(("full", "partial"))).astype(int),
            "n_eligible": eligible.astype(int),
            "n_eligible_full": (eligible & (level == "full")).astype(int),
        },
        index=df.index,
    )
    if by:
        frame[by] = df[by].fillna("(không rõ)")
        out = frame.groupby(by, sort=True).sum().reset_index()
    else:
        out = frame.sum().to_frame().T.astype(int)
        if len(df) == 0:
            out = pd.DataFrame([dict.fromkeys(frame.columns, 0)])
    den = out["n_in_force"].replace(0, np.nan)
    out["full_online_coverage"] = out["n_eligible_full"] / out["n_eligible"].replace(0, np.nan)
    out["online_service_share"] = (out["n_full"] + out["n_partial"]) / den
    out["full_online_procedure_share"] = out["n_full"] / den
    out["partial_online_procedure_share"] = out["n_partial"] / den
    return out.reset_index(drop=True)


def has_dated_catalogue(procedures: pd.DataFrame) -> bool:
    """Whether the catalogue dates any procedure's full-online service (``full_online_since``)."""
    return "full_online_since" in procedures and bool(procedures["full_online_since"].notna().any())


def online_coverage_by_month(
    procedures: pd.DataFrame, year: int, as_of: date | None = None
) -> pd.DataFrame:
    """Full-online coverage of the eligible procedures at each month end of ``year``.

    The procedures counted are those of :func:`online_coverage` (in force, eligible by the
    same rule), so the December point of a catalogue whose dates all fall in the year
    equals ``full_online_coverage``. An eligible procedure counts as full online at a
    month end when it is offered full online now (``online_level`` ``full``) and its
    ``full_online_since`` date is on or before that day; a full-online procedure with no
    date counts as full online since before the year (``n_undated_full``). A date given
    for a procedure not offered full online now is ignored. Without the
    ``full_online_since`` column every full-online procedure is undated, so the series is
    flat.

    Example: 4 eligible procedures, full online since 10/02, since 20/06, undated, and
    one partial: 1/4 at 31/01, 2/4 from 28/02, 3/4 from 30/06.

    Args:
        procedures: Canonical ``procedures`` frame.
        year: The year whose month ends are listed.
        as_of: Keep only the month ends on or before this day (all 12 when None).

    Returns:
        One row per month end: ``month`` ("YYYY-MM"), ``month_end`` (datetime64),
        ``n_eligible``, ``n_eligible_full`` (full online by the month end),
        ``n_undated_full``, ``full_online_coverage`` (NaN without eligible procedures).
    """
    df = procedures.loc[in_force(procedures)]
    eligible_full = (_eligible(df) & (df["online_level"] == "full")).to_numpy()
    since = (
        _day(df["full_online_since"])
        if "full_online_since" in df
        else pd.Series(pd.NaT, index=df.index, dtype="datetime64[us]")
    )
    since_values = since.to_numpy(dtype="datetime64[D]")
    undated = eligible_full & np.isnat(since_values)
    n_eligible = int(_eligible(df).sum())
    ends = pd.date_range(f"{year}-01-01", periods=12, freq="ME").astype("datetime64[us]")
    if as_of is not None:
        ends = ends[ends <= pd.Timestamp(as_of)]
    rows = []
    for end in ends:
        dated = eligible_full & ~np.isnat(since_values)
        dated &= since_values <= np.datetime64(end.date(), "D")
        n_full = int((undated | dated).sum())
        rows.append(
            {
                "month": f"{end:%Y-%m}",
                "month_end": end,
                "n_eligible": n_eligible,
                "n_eligible_full": n_full,
                "n_undated_full": int(undated.sum()),
                "full_online_coverage": _share(n_full, n_eligible),
            }
        )
    columns = [
        "month",
        "month_end",
        "n_eligible",
        "n_eligible_full",
        "n_undated_full",
        "full_online_coverage",
    ]
    out = pd.DataFrame(rows, columns=columns)
    out["month_end"] = out["month_end"].astype("datetime64[us]")
    return out.astype(
        {"n_eligible": "int64", "n_eligible_full": "int64", "n_undated_full": "int64"}
    )


def online_services_with_dossiers(
    procedures: pd.DataFrame,
    dossiers: pd.DataFrame | None = None,
    online_counts: Mapping[str, int] | pd.Series | None = None,
) -> pd.DataFrame:
    """Online services (procedures in force at full or partial level) and their online dossiers.

    766 indicator 3.2: online services that received at least one online dossier ÷
    online services.

    Args:
        procedures: Canonical ``procedures`` frame.
        dossiers: Dossiers received in the period (``procedure_code``, ``channel``).
        online_counts: Alternatively, the number of online dossiers received in the
            period per procedure code (e.g. ``n_online`` of
            :func:`tthc_analysis.metrics.rates.dossier_rates` by ``procedure_code``).

    Returns:
        One row per online service: ``procedure_code``, ``procedure_name``, ``unit``,
        ``online_level``, ``n_online_dossiers``, ``has_online_dossier``.
    """
    df = procedures.loc[
        in_force(procedures) & procedures["online_level"].isin(("full", "partial")),
        ["procedure_code", "procedure_name", "unit", "online_level"],
    ]
    if online_counts is not None:
        counts = pd.Series(online_counts, dtype="float64")
    elif dossiers is not None and len(dossiers):
        counts = dossiers.loc[dossiers["channel"] == "online", "procedure_code"].value_counts()
    else:
        counts = pd.Series(dtype="int64")
    out = df.reset_index(drop=True).copy()
    out["n_online_dossiers"] = out["procedure_code"].map(counts).fillna(0).astype(int)
    out["has_online_dossier"] = out["n_online_dossiers"] > 0
    return out
