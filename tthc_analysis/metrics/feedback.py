"""Feedback (PAKN) handling: time limits, publication of results, late items.

Time rules (domain.md §5, DVCQG indicator 5.2; limits from
:class:`~tthc_analysis.config.PaknLimits`, in working days counted from the day after
receipt, ``received_on`` being the receipt or latest transfer date):

- a rejected PAKN must be rejected within ``reject_wd`` (2) working days;
- the first supplement request, if any, within ``supplement_request_wd`` (5);
- handling must be finished (``handled_on``) within ``handle_wd`` (15);
- a PAKN still open at the cut-off is *in time* while (cut-off − receipt) ≤ ``handle_wd``;
- a handled PAKN must be published within ``publish_wd`` (2) working days of
  ``handled_on``. Publication is judged separately (plan task VII.2), not in the
  handling rate (VII.1).

- a PAKN outside the body's competence is forwarded (``forwarded``, dated
  ``forwarded_on``) to the competent body within ``forward_wd`` (5) working days of
  receipt (ND 20/2008/NĐ-CP Art 9(1)(d)): a forwarded item counts in the handling rate,
  on time when forwarded within that limit (issue 12 rule 10). A forwarded item without
  its forwarding date cannot be judged (``<NA>``, counted in ``n_not_judged``).

Scope of a period ``[start, end]``: every PAKN received by ``end`` that was not closed
(rejected, handled or forwarded) before ``start`` — the items received or processed in
the period. Dates after the cut-off are ignored (the item is open at the cut-off). Items
without the date a rule needs are not judged (``<NA>``) and counted separately.

The ``content`` column is untrusted citizen text: it is passed through as plain text and
never turned into markup here; escaping happens where it is displayed.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from tthc_analysis.config import PaknLimits
from tthc_analysis.workdays import WorkCalendar, require_calendar

__all__ = ["feedback_rates", "feedback_summary", "feedback_timeliness", "late_feedback"]

_CLOSED_HANDLED = ("handled", "published")


def _day(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values, errors="coerce").dt.normalize().astype("datetime64[us]")


def _safe(values: pd.Series, calendar: WorkCalendar) -> pd.Series:
    lo, hi = pd.Timestamp(calendar.first), pd.Timestamp(calendar.last)
    return values.where((values >= lo) & (values <= hi))


def _wd(calendar: WorkCalendar, start: pd.Series, end) -> pd.Series:
    if np.ndim(end) == 0:
        end = pd.Series(pd.Timestamp(end), index=start.index)
    return pd.Series(calendar.count_working_days(start, end), index=start.index)


def _outcome(df: pd.DataFrame, cutoff: pd.Timestamp) -> tuple[pd.Series, pd.Series]:
    """Outcome at the cut-off and the date that closed the item (NaT if open/unknown)."""
    status = df["status"]
    rejected_on = df["rejected_on"]
    handled_on = df["handled_on"].fillna(df["published_on"].where(status.isin(_CLOSED_HANDLED)))
    forwarded_on = df["forwarded_on"] if "forwarded_on" in df.columns else None
    is_rejected = (status == "rejected") | rejected_on.notna()
    is_forwarded = ~is_rejected & (status == "forwarded")
    if forwarded_on is not None:
        is_forwarded |= ~is_rejected & forwarded_on.notna() & ~status.isin(_CLOSED_HANDLED)
    is_handled = ~is_rejected & ~is_forwarded
    is_handled &= handled_on.notna() | status.isin(_CLOSED_HANDLED)
    closed_on = rejected_on.where(is_rejected, handled_on.where(is_handled))
    if forwarded_on is not None:
        closed_on = closed_on.where(~is_forwarded, forwarded_on)
    # A closing date after the cut-off means the item was still open at the cut-off.
    after = closed_on.notna() & (closed_on > cutoff)
    outcome = pd.Series("open", index=df.index, dtype="str")
    outcome[is_handled] = "handled"
    outcome[is_rejected] = "rejected"
    outcome[is_forwarded] = "forwarded"
    outcome[after] = "open"
    closed_on = closed_on.where(~after)
    return outcome, closed_on


def feedback_timeliness(
    feedback: pd.DataFrame,
    start: date,
    end: date,
    calendar: WorkCalendar | None = None,
    limits: PaknLimits | None = None,
) -> pd.DataFrame:
    """Judge each PAKN in scope of ``[start, end]`` against the time limits.

    Args:
        feedback: Canonical ``feedback`` frame.
        start: First day of the period.
        end: Cut-off (last day of the period, or the as-of date).
        calendar: Working-day calendar (required; metric functions read no file).
        limits: PAKN limits (default ``PaknLimits()``).

    Returns:
        One row per PAKN in scope (no personal columns): ``feedback_id``,
        ``received_on``, ``category``, ``procedure_code``, ``unit``, ``status``,
        ``content`` (plain text), ``received_in_period``, ``carried_over``, ``outcome``
        (``rejected``/``handled``/``open``/``forwarded``), ``closed_on``, ``elapsed_wd``
        (working days from receipt to closing, or to the cut-off when open),
        ``limit_wd``, ``supplement_requested_on``, ``supplement_wd``,
        ``handling_on_time`` (boolean/NA), ``published_on``, ``publish_deadline_on``,
        ``is_published``, ``published_on_time`` (boolean/NA: NA while not yet due),
        ``is_late`` (bool), ``late_reason_vi``.
    """
    calendar = require_calendar(calendar)
    limits = limits or PaknLimits()
    cutoff, first = pd.Timestamp(end), pd.Timestamp(start)
    df = feedback.copy()
    if "forwarded_on" not in df.columns:
        df["forwarded_on"] = pd.Series(pd.NaT, index=df.index, dtype="datetime64[us]")
    for col in (
        "received_on",
        "rejected_on",
        "supplement_requested_on",
        "forwarded_on",
        "handled_on",
        "published_on",
    ):
        df[col] = _safe(_day(df[col]), calendar)
    outcome, closed_on = _outcome(df, cutoff)
    scope = (df["received_on"] <= cutoff) & (closed_on.isna() | (closed_on >= first))
    # Items closed before the period, or with an unknown receipt date, are out of scope.
    scope &= df["received_on"].notna()
    df, outcome, closed_on = df.loc[scope], outcome[scope], closed_on[scope]

    received = df["received_on"]
    elapsed = pd.Series(np.nan, index=df.index)
    closed_known = closed_on.notna()
    elapsed[closed_known] = _wd(calendar, received[closed_known], closed_on[closed_known])
    is_open = outcome == "open"
    elapsed[is_open] = _wd(calendar, received[is_open], cutoff)
    limit = pd.Series(float(limits.handle_wd), index=df.index)
    limit[outcome == "rejected"] = float(limits.reject_wd)
    limit[outcome == "forwarded"] = float(limits.forward_wd)
    # Not yet forwarded, past the forwarding limit: still open, judged on handle_wd.

    on_time = pd.Series(pd.NA, index=df.index, dtype="boolean")
    judged = elapsed.notna()
    on_time[judged] = elapsed[judged] <= limit[judged]

    supp = df["supplement_requested_on"].where(df["supplement_requested_on"] <= cutoff)
    supp_wd = pd.Series(np.nan, index=df.index)
    has_supp = supp.notna()
    supp_wd[has_supp] = _wd(calendar, received[has_supp], supp[has_supp])
    supp_late = supp_wd > limits.supplement_request_wd
    on_time[supp_late & on_time.notna()] = False

    handled = outcome == "handled"
    handled_on = closed_on.where(handled)
    deadline = pd.Series(
        np.asarray(calendar.add_working_days(handled_on, limits.publish_wd), dtype="datetime64[D]"),
        index=df.index,
    ).astype("datetime64[us]")
    published_on = df["published_on"].where(df["published_on"] <= cutoff)
    is_published = handled & published_on.notna()
    pub_ok = pd.Series(pd.NA, index=df.index, dtype="boolean")
    judged_pub = is_published & deadline.notna()
    pub_ok[judged_pub] = (published_on <= deadline)[judged_pub]
    overdue_unpublished = handled & ~is_published & deadline.notna() & (deadline < cutoff)
    pub_ok[overdue_unpublished] = False

    handling_late = on_time == False  # noqa: E712
    publish_late = pub_ok == False  # noqa: E712
    reason = _late_reasons(
        outcome,
        elapsed,
        limit,
        (supp_wd, supp_late),
        (publish_late, is_published, published_on, handled_on),
        calendar,
        limits,
    )

    out = pd.DataFrame(
        {
            "feedback_id": df["feedback_id"],
            "received_on": received,
            "category": df.get("category"),
            "procedure_code": df.get("procedure_code"),
            "unit": df.get("unit"),
            "status": df["status"],
            "content": df.get("content"),
            "received_in_period": received >= first,
            "carried_over": received < first,
            "outcome": outcome,
            "closed_on": closed_on,
            "elapsed_wd": elapsed,
            "limit_wd": limit,
            "supplement_requested_on": supp,
            "supplement_wd": supp_wd,
            "handling_on_time": on_time,
            "published_on": published_on,
            "publish_deadline_on": deadline,
            "is_published": is_published.astype(bool),
            "published_on_time": pub_ok,
            "is_late": (handling_late.fillna(False) | publish_late.fillna(False)).astype(bool),
            "late_reason_vi": reason,
        }
    )
    return out.sort_values(["received_on", "feedback_id"], kind="stable").reset_index(drop=True)


def _late_reasons(outcome, elapsed, limit, supplement, publication, calendar, limits) -> pd.Series:
    """One Vietnamese line per late item (empty string when not late)."""
    supp_wd, supp_late = supplement
    publish_late, is_published, published_on, handled_on = publication
    reasons = pd.Series("", index=outcome.index, dtype="str")
    parts: dict[object, list[str]] = {}
    late_handling = elapsed > limit
    for idx in outcome.index[late_handling.fillna(False).to_numpy()]:
        days, lim = int(elapsed[idx]), int(limit[idx])
        text = {
            "rejected": f"từ chối sau {days} ngày làm việc (hạn {lim})",
            "handled": f"xử lý xong sau {days} ngày làm việc (hạn {lim})",
            "forwarded": f"chuyển cơ quan có thẩm quyền sau {days} ngày làm việc (hạn {lim})",
            "open": f"chưa xử lý xong, đã {days} ngày làm việc (hạn {lim})",
        }.get(outcome[idx], f"{days} ngày làm việc (hạn {lim})")
        parts.setdefault(idx, []).append(text)
    for idx in outcome.index[supp_late.fillna(False).to_numpy()]:
        parts.setdefault(idx, []).append(
            f"yêu cầu bổ sung sau {int(supp_wd[idx])} ngày làm việc "
            f"(hạn {limits.supplement_request_wd})"
        )
    for idx in outcome.index[publish_late.fillna(False).to_numpy()]:
        if is_published[idx]:
            days = int(calendar.count_working_days(handled_on[idx], published_on[idx]))
            parts.setdefault(idx, []).append(
                f"công khai sau {days} ngày làm việc kể từ khi xử lý xong (hạn {limits.publish_wd})"
            )
        else:
            parts.setdefault(idx, []).append(
                f"chưa công khai kết quả (hạn {limits.publish_wd} ngày làm việc)"
            )
    for idx, texts in parts.items():
        line = "; ".join(texts)
        reasons[idx] = line[:1].upper() + line[1:]
    return reasons


def _rate(num: pd.Series, den: pd.Series) -> pd.Series:
    return num / den.where(den > 0)


def feedback_rates(timeliness: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Counts and rates of :func:`feedback_timeliness`, in total or by a column.

    Returns:
        One row (or one per ``by`` group): [``by``], ``n_items``,
        ``n_received_in_period``, ``n_carried_over``, ``n_rejected``, ``n_handled``,
        ``n_open``, ``n_forwarded``, ``n_judged``, ``n_on_time``, ``n_late``,
        ``n_not_judged``, ``on_time_rate`` (VII.1), ``n_published``,
        ``published_share`` (published ÷ handled), ``n_publish_due``,
        ``n_published_on_time``, ``published_on_time_rate`` (VII.2: published within
        the limit ÷ handled items whose publication is due or done),
        ``n_regulation``, ``n_conduct``.
    """
    t = timeliness
    on_time = t["handling_on_time"]
    pub = t["published_on_time"]
    frame = pd.DataFrame(
        {
            "n_items": 1,
            "n_received_in_period": t["received_in_period"].astype(int),
            "n_carried_over": t["carried_over"].astype(int),
            "n_rejected": (t["outcome"] == "rejected").astype(int),
            "n_handled": (t["outcome"] == "handled").astype(int),
            "n_open": (t["outcome"] == "open").astype(int),
            "n_forwarded": (t["outcome"] == "forwarded").astype(int),
            "n_judged": on_time.notna().astype(int),
            "n_on_time": (on_time == True).fillna(False).astype(int),  # noqa: E712
            "n_late": (on_time == False).fillna(False).astype(int),  # noqa: E712
            "n_not_judged": on_time.isna().astype(int),
            "n_published": t["is_published"].astype(int),
            "n_publish_due": pub.notna().astype(int),
            "n_published_on_time": (pub == True).fillna(False).astype(int),  # noqa: E712
            "n_regulation": (t["category"] == "regulation").astype(int),
            "n_conduct": (t["category"] == "conduct").astype(int),
        },
        index=t.index,
    )
    if by:
        frame[by] = t[by].fillna("(không rõ)")
        out = frame.groupby(by, sort=True).sum().reset_index()
    else:
        out = (
            pd.DataFrame([frame.sum().astype(int).to_dict()])
            if len(t)
            else pd.DataFrame([dict.fromkeys(frame.columns, 0)])
        )
    out["on_time_rate"] = _rate(out["n_on_time"], out["n_judged"])
    out["published_share"] = _rate(out["n_published"], out["n_handled"])
    out["published_on_time_rate"] = _rate(out["n_published_on_time"], out["n_publish_due"])
    return out


def feedback_summary(timeliness: pd.DataFrame) -> dict:
    """:func:`feedback_rates` in total, as a plain dict."""
    rates = feedback_rates(timeliness)
    return {
        col: int(rates[col].iloc[0]) if col.startswith("n_") else float(rates[col].iloc[0])
        for col in rates.columns
    }


def late_feedback(timeliness: pd.DataFrame) -> pd.DataFrame:
    """The late PAKN (handling or publication), oldest first, with the reason."""
    cols = [
        "feedback_id",
        "received_on",
        "category",
        "unit",
        "outcome",
        "closed_on",
        "elapsed_wd",
        "published_on",
        "late_reason_vi",
        "content",
    ]
    return timeliness.loc[timeliness["is_late"], cols].reset_index(drop=True)
