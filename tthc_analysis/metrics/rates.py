"""Dossier rates by month, unit (phòng), field and procedure (domain.md "F. Metric formulas").

Every rate is ``numerator / denominator`` with NaN when the denominator is 0, and each
numerator is a subset of its denominator, so rates lie in [0, 1]. The counts behind each
rate are returned too (``n_*`` columns), so a report can show "x/y".

**Received-based measures** (over dossiers received in the window):

- ``online_share`` = online ÷ received dossiers whose channel is known
  (``channel == "online"``; a list without a channel column, or an unknown channel, is
  never guessed: those dossiers are counted in ``n_channel_unknown`` and left out of the
  denominator ``n_channel_known``);
- ``online_share_766`` = online dossiers that, for a paper-result procedure, also got an
  e-result ÷ received dossiers whose channel is known (766 indicator 3.3);
- ``full_online_share`` (the plan's 80 % target, 766 view) = full-online dossiers ÷
  received dossiers of procedures **eligible for full-online service at the time of
  filing** (issue 12 rule 8; domain.md §0) whose channel is known (a dossier of unknown
  channel cannot be placed as full-online or not: it is left out and counted in
  ``n_channel_unknown``, never taken as "not full-online"). A procedure is eligible when it is flagged
  ``eligible_full_online`` or offered at level ``full``; where the catalogue gives
  ``full_online_since``, only for dossiers filed (``submitted_at``, else
  ``received_at``) on or after that date (the service level on the filing date). A
  dossier is full-online when it was submitted online, its procedure was offered
  full-online on its filing date, and its result was returned online or by public post
  (ND 42/2022/NĐ-CP Art 11(1): ``result_channel`` ``online`` or ``post``; when
  ``result_channel`` is empty, ``has_e_result``);
- ``full_online_share_all`` = the same full-online dossiers ÷ all received dossiers whose
  channel is known (national statistics view); ``full_online_share_eligible`` = ``full_online_share``
  (the name used by the 766 indicator table);
- ``digitisation_rate`` (4.2) = digitised **and** e-result ÷ received;
- ``reuse_rate`` (4.3) = reused digitised data ÷ received;
- ``sync_rate`` (1.4) = synced to DVCQG ÷ received;
- ``online_payment_rate`` (3.6) = ``paid_online == "yes"`` ÷ dossiers of procedures with
  a fee (``has_fee``), excluding ``paid_online == "no_fee"``.

**Outcome-based measures** (over the dossiers in scope of the window, classified at the
window's last day by :mod:`tthc_analysis.metrics.dossiers`):

- ``on_time_rate`` (766 2.1) = (early + on time + pending in time) ÷ (finished + pending);
- ``overdue_rate`` = (finished overdue + pending overdue) ÷ (finished + pending);
- ``e_result_rate`` (4.1) = finished dossiers with an e-result ÷ finished dossiers of
  paper-result procedures;
- ``avg_processing_wd`` = mean working days from receipt to effective end of the
  dossiers finished in the window.

**No silent zeros** (issue 12 rule 9): a rate whose input column is absent or entirely
empty among its denominator's dossiers (:data:`RATE_REQUIREMENTS`), or whose catalogue
column is absent or empty (:data:`CATALOGUE_REQUIREMENTS`), is NaN, never 0 %, and its
``<rate>_missing`` column names the missing columns (``""`` when the data is there;
:func:`missing_note_vi` turns it into "Chưa có dữ liệu: thiếu cột «…»"). Not received
dossiers (registered, refused at the counter) are in no count; withdrawn and returned
dossiers follow the ``index766`` policies of the settings.

**Procedures**: dossiers are joined to the catalogue on ``procedure_code``. A dossier whose
code is not in the catalogue is kept in every procedure-independent measure, left out of
the procedure-dependent denominators (full-online eligibility, fee, paper result), and
counted in ``n_unknown_procedure`` (dossiers in scope), so nothing is lost silently.
Empty ``unit``/``field`` values are taken from the catalogue, else grouped as
"Chưa xác định".

**Months** (``by`` containing ``"month"``): the period is cut into its months
(:func:`~tthc_analysis.metrics.dossiers.month_windows`: official 15th–14th months for an official
period, calendar months otherwise), and each month is evaluated *as its own period*: a
dossier counts as received in the month of its receipt, and its outcome is taken at that
month's last day (finished in the month, or pending at its cut-off; a dossier pending over
several months appears in each of them, as carried over after the first). So the monthly
series is exactly what the monthly reports show; received and finished counts add up to
the period's, and the last month's pending counts equal the period's. Every month of the
period appears, with zero counts and NaN rates when nothing happened.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from tthc_analysis.config import DossierRules
from tthc_analysis.errors import ParameterError
from tthc_analysis.metrics.dossiers import (
    EARLY,
    ON_TIME,
    OVERDUE,
    PENDING_IN_TIME,
    PENDING_OVERDUE,
    UNKNOWN_LABEL,
    DossierData,
    Pairs,
    Prepared,
    as_bool,
    as_dossier_data,
    equal_to,
    month_windows,
    optional_column,
)
from tthc_analysis.periods import Period
from tthc_analysis.text import vi_sort_key
from tthc_analysis.workdays import WorkCalendar

__all__ = [
    "CATALOGUE_REQUIREMENTS",
    "GROUP_KEYS",
    "RATE_COLUMNS",
    "RATE_REQUIREMENTS",
    "dossier_rates",
    "missing_note_vi",
]

GROUP_KEYS = ("month", "unit", "field", "procedure_code")
"""Grouping keys documented for ``by``; any other dossier column is accepted too."""

RATE_COLUMNS = {
    "online_share": ("n_online", "n_channel_known"),
    "online_share_766": ("n_online_766", "n_channel_known"),
    "full_online_share": ("n_full_online_eligible", "n_eligible_channel_known"),
    "full_online_share_all": ("n_full_online", "n_channel_known"),
    "full_online_share_eligible": ("n_full_online_eligible", "n_eligible_channel_known"),
    "on_time_rate": ("n_on_time", "n_in_scope"),
    "overdue_rate": ("n_overdue", "n_in_scope"),
    "digitisation_rate": ("n_digitised", "n_received"),
    "e_result_rate": ("n_e_result", "n_paper_result_finished"),
    "reuse_rate": ("n_reused", "n_received"),
    "sync_rate": ("n_synced", "n_received"),
    "online_payment_rate": ("n_paid_online", "n_fee_dossiers"),
}
"""Each rate column and its (numerator, denominator) count columns."""

_RESULT_RETURNED = ("result_channel", "has_e_result")
RATE_REQUIREMENTS: dict[str, tuple[tuple[str, ...], ...]] = {
    "online_share_766": (("has_e_result",),),
    "full_online_share": (_RESULT_RETURNED,),
    "full_online_share_all": (_RESULT_RETURNED,),
    "full_online_share_eligible": (_RESULT_RETURNED,),
    "digitisation_rate": (("is_digitized",), ("has_e_result",)),
    "e_result_rate": (("has_e_result",),),
    "reuse_rate": (("reused_data",),),
    "sync_rate": (("synced_dvcqg",),),
    "online_payment_rate": (("paid_online",),),
}
"""Dossier columns each rate needs: every tuple must have at least one of its columns
filled for at least one dossier of the rate's denominator, else the rate is no data."""

CATALOGUE_REQUIREMENTS: dict[str, tuple[str, ...]] = {
    "online_share_766": ("paper_result",),
    "e_result_rate": ("paper_result",),
    "online_payment_rate": ("has_fee",),
}
"""Catalogue columns each rate needs (absent or entirely empty: no data)."""


def missing_note_vi(missing: str) -> str:
    """The Vietnamese no-data note of a ``<rate>_missing`` value ("" stays "")."""
    from tthc_analysis.fields import dataset_fields

    if not missing:
        return ""
    names = []
    for item in missing.split(", "):
        dataset, _, column = item.rpartition(".")
        dataset = dataset or "dossiers"
        field = dataset_fields(dataset).get(column)
        label = field.label_vi if field is not None else column
        where = {"procedures": "danh mục TTHC", "feedback": "dữ liệu PAKN"}.get(
            dataset, "dữ liệu hồ sơ"
        )
        names.append(f"«{label}» ({where})")
    return "Chưa có dữ liệu: thiếu cột " + ", ".join(names)


_COLUMN_ORDER = (
    "n_received",
    "n_channel_unknown",
    "n_channel_known",
    "n_online",
    "online_share",
    "n_online_766",
    "online_share_766",
    "n_full_online",
    "full_online_share_all",
    "full_online_share",
    "n_eligible_received",
    "n_eligible_channel_known",
    "n_full_online_eligible",
    "full_online_share_eligible",
    "n_carried_over",
    "n_in_scope",
    "n_finished",
    "n_finished_early",
    "n_finished_on_time",
    "n_finished_overdue",
    "n_pending",
    "n_pending_in_time",
    "n_pending_overdue",
    "n_on_time",
    "on_time_rate",
    "n_overdue",
    "overdue_rate",
    "n_digitised",
    "digitisation_rate",
    "n_paper_result_finished",
    "n_e_result",
    "e_result_rate",
    "n_reused",
    "reuse_rate",
    "n_synced",
    "sync_rate",
    "n_fee_dossiers",
    "n_paid_online",
    "online_payment_rate",
    "avg_processing_wd",
    "n_processing_wd",
    "n_unknown_procedure",
    *(f"{rate}_missing" for rate in RATE_REQUIREMENTS),
)


def _filing_days(data: DossierData) -> np.ndarray:
    """Filing day of each dossier: ``submitted_at``, else the receipt day."""
    frame = data.frame
    recv = data.prep.recv
    if "submitted_at" not in frame.columns:
        return recv
    submitted = pd.to_datetime(frame["submitted_at"]).to_numpy(dtype="datetime64[D]")
    days = submitted.astype("int64")
    return np.where(np.isnat(submitted), recv, days)


def _catalogue_flags(data: DossierData) -> dict[str, np.ndarray]:
    """Procedure attributes per dossier (False when the procedure is unknown).

    ``full_level``: the procedure was offered full-online on the dossier's filing date;
    ``eligible_full_online``: eligible (flagged, or offered full-online) on that date.
    """
    pos = data.catalogue_pos
    known = pos >= 0
    names = ("eligible_full_online", "has_fee", "paper_result", "full_level")
    flags = {name: np.zeros(len(pos), dtype=bool) for name in names}
    flags["known"] = known
    procedures = data.procedures
    if procedures is None or not len(procedures) or not known.any():
        return flags
    take = np.maximum(pos, 0)
    m = len(procedures)
    for name in ("eligible_full_online", "has_fee", "paper_result"):
        flags[name] = as_bool(optional_column(procedures, name), m)[take] & known
    full = equal_to(optional_column(procedures, "online_level"), "full", m)[take] & known
    since = optional_column(procedures, "full_online_since")
    if since is not None:
        since_days = pd.to_datetime(since).to_numpy(dtype="datetime64[D]")[take]
        offered = np.isnat(since_days) | (_filing_days(data) >= since_days.astype("int64"))
    else:
        offered = np.ones(len(pos), dtype=bool)
    flags["full_level"] = full & offered
    flags["eligible_full_online"] = (flags["eligible_full_online"] | full) & offered
    return flags


# Bits of the per-dossier indicator word (received-based measures first).
_RECEIVED_BITS = (
    ("n_online", "online"),
    ("n_online_766", "online_766"),
    ("n_full_online", "full_online"),
    ("n_eligible_received", "eligible"),
    ("n_full_online_eligible", "full_online_eligible"),
    ("n_digitised", "digitised"),
    ("n_reused", "reused"),
    ("n_synced", "synced"),
    ("n_fee_dossiers", "fee"),
    ("n_paid_online", "paid"),
)
_BIT_PAPER, _BIT_PAPER_E, _BIT_UNKNOWN, _BIT_RECEIVED, _BIT_HAS_WD = 10, 11, 12, 13, 14
_BIT_CHANNEL_UNKNOWN = 15
_BIT_ELIGIBLE_KNOWN = 16  # eligible for full-online service and channel known
_WORD = "uint32"
_RECEIVED_MASK = (1 << len(_RECEIVED_BITS)) - 1
_FINISHED_MASK = (1 << _BIT_PAPER) | (1 << _BIT_PAPER_E)
_PAIR_BITS = (
    *(name for name, _ in _RECEIVED_BITS),
    "n_paper_result_finished",
    "n_e_result",
    "n_unknown_procedure",
    "n_received",
    "n_processing_wd",
    "n_channel_unknown",
    "n_eligible_channel_known",
)
"""Count column of each bit of the per-pair word built in :func:`_counts`."""


def _indicator_word(data: DossierData) -> np.ndarray:
    """Per-dossier indicators packed in a uint32 (computed once per DossierData).

    Bits 0–9: the received-based indicators of :data:`_RECEIVED_BITS`; bit 10: paper-result
    procedure; bit 11: paper-result procedure with an e-result; bit 12: procedure not in
    the catalogue; bit 15: channel unknown; bit 16: eligible for full-online service with
    a known channel.
    """
    cached = data.memo.get("rates.word")
    if cached is not None:
        return cached
    frame, n = data.frame, len(data)
    cat = _catalogue_flags(data)
    online = data.prep.online
    e_result = as_bool(optional_column(frame, "has_e_result"), n)
    result_channel = optional_column(frame, "result_channel")
    result_missing = (
        np.ones(n, dtype=bool) if result_channel is None else result_channel.isna().to_numpy()
    )
    # ND 42/2022 Art 11(1): the result is returned online or by public post.
    result_online = (
        equal_to(result_channel, "online", n)
        | equal_to(result_channel, "post", n)
        | (result_missing & e_result)
    )
    full_online = online & cat["full_level"] & result_online
    paid_online = optional_column(frame, "paid_online")
    fee = cat["has_fee"] & ~equal_to(paid_online, "no_fee", n)
    flags = {
        "online": online,
        "online_766": online & ~(cat["paper_result"] & ~e_result),
        "full_online": full_online,
        "eligible": cat["eligible_full_online"],
        "full_online_eligible": full_online & cat["eligible_full_online"],
        "digitised": as_bool(optional_column(frame, "is_digitized"), n) & e_result,
        "reused": as_bool(optional_column(frame, "reused_data"), n),
        "synced": as_bool(optional_column(frame, "synced_dvcqg"), n),
        "fee": fee,
        "paid": fee & equal_to(paid_online, "yes", n),
    }
    word = np.zeros(n, dtype=_WORD)
    for bit, (_, flag) in enumerate(_RECEIVED_BITS):
        word |= flags[flag].astype(_WORD) << bit
    word |= cat["paper_result"].astype(_WORD) << _BIT_PAPER
    word |= (cat["paper_result"] & e_result).astype(_WORD) << _BIT_PAPER_E
    word |= (~cat["known"]).astype(_WORD) << _BIT_UNKNOWN
    channel = optional_column(frame, "channel")
    unknown_channel = np.ones(n, dtype=bool) if channel is None else channel.isna().to_numpy()
    word |= unknown_channel.astype(_WORD) << _BIT_CHANNEL_UNKNOWN
    eligible_known = cat["eligible_full_online"] & ~unknown_channel
    word |= eligible_known.astype(_WORD) << _BIT_ELIGIBLE_KNOWN
    data.memo["rates.word"] = word
    return word


def _normalise_by(by: str | Sequence[str] | None) -> list[str]:
    if by is None:
        return []
    keys = [by] if isinstance(by, str) else list(by)
    if len(set(keys)) != len(keys):
        raise ParameterError(f"Khóa nhóm bị lặp: {', '.join(keys)}.")
    return keys


def _group_codes(
    data: DossierData, keys: list[str], p: Pairs, months: list[Period]
) -> tuple[np.ndarray, list[np.ndarray], list[int]]:
    """Combined group code of each pair, and each key's labels and size."""
    codes, uniques = [], []
    for key in keys:
        if key == "month":
            codes.append(p.window)
            uniques.append(np.array([m.period_id for m in months], dtype=object))
        else:
            group, labels = data.labels(key)
            codes.append(group[p.row])
            uniques.append(labels)
    sizes = [max(len(u), 1) for u in uniques]
    if not keys:
        return np.zeros(len(p.row), dtype="int64"), uniques, sizes
    return np.asarray(np.ravel_multi_index(codes, sizes)), uniques, sizes


_BYTE_BITS = ((np.arange(256)[:, None] >> np.arange(8)[None, :]) & 1).astype("int64")
_MAX_BINS = 1 << 24


def _bit_sums(word: np.ndarray, gid: np.ndarray, n_groups: int) -> np.ndarray:
    """Per group, the number of pairs with each of the bits of ``word`` set (3 bytes)."""
    n_bits = len(_PAIR_BITS)
    if n_groups * 256 > _MAX_BINS:
        return np.stack(
            [np.bincount(gid, weights=(word >> b) & 1, minlength=n_groups) for b in range(n_bits)],
            axis=1,
        ).astype("int64")
    sums = []
    for byte in (word & 0xFF, (word >> 8) & 0xFF, (word >> 16) & 0xFF):
        table = np.bincount(gid * 256 + byte, minlength=n_groups * 256).reshape(n_groups, 256)
        sums.append(table @ _BYTE_BITS)
    return np.concatenate(sums, axis=1)[:, :n_bits]


def _counts(
    p: Pairs, prep: Prepared, dossier_word: np.ndarray, gid: np.ndarray, n_groups: int
) -> dict[str, np.ndarray]:
    """All counts per group, from one indicator word per (dossier, window) pair."""
    rows, received, finished = p.row, p.received, p.finished
    wd = prep.processing_wd[rows]
    has_wd = finished & np.isfinite(wd)
    received_mask = _RECEIVED_MASK | (1 << _BIT_CHANNEL_UNKNOWN) | (1 << _BIT_ELIGIBLE_KNOWN)
    keep = np.where(received, received_mask, 0) | np.where(finished, _FINISHED_MASK, 0)
    keep |= 1 << _BIT_UNKNOWN
    word = dossier_word[rows] & keep.astype(_WORD)
    word |= received.astype(_WORD) << _BIT_RECEIVED
    word |= has_wd.astype(_WORD) << _BIT_HAS_WD
    bits = _bit_sums(word, gid, n_groups)
    out = {name: bits[:, i] for i, name in enumerate(_PAIR_BITS)}
    outcomes = np.bincount(gid * 5 + p.outcome, minlength=n_groups * 5).reshape(n_groups, 5)
    out.update(
        {
            "n_in_scope": outcomes.sum(axis=1),
            "n_finished_early": outcomes[:, EARLY],
            "n_finished_on_time": outcomes[:, ON_TIME],
            "n_finished_overdue": outcomes[:, OVERDUE],
            "n_pending_in_time": outcomes[:, PENDING_IN_TIME],
            "n_pending_overdue": outcomes[:, PENDING_OVERDUE],
        }
    )
    out["n_carried_over"] = out["n_in_scope"] - out["n_received"]
    out["n_channel_known"] = out["n_received"] - out["n_channel_unknown"]
    out["n_finished"] = out["n_finished_early"] + out["n_finished_on_time"]
    out["n_finished"] = out["n_finished"] + out["n_finished_overdue"]
    out["n_pending"] = out["n_pending_in_time"] + out["n_pending_overdue"]
    out["sum_processing_wd"] = np.bincount(
        gid, weights=np.where(has_wd, wd, 0.0), minlength=n_groups
    )
    return out


def _known_counts(
    data: DossierData, p: Pairs, word: np.ndarray, gid: np.ndarray, n_groups: int
) -> dict[str, np.ndarray]:
    """Denominator pairs with a required column filled, per group and requirement.

    One count per requirement ``i`` of :data:`RATE_REQUIREMENTS` (``_known_<rate>_<i>``):
    the pairs of the rate's denominator with at least one of the columns filled.
    """
    frame, rows = data.frame, p.row
    known = data.memo.get("rates.known")
    if known is None:
        names = {c for groups in RATE_REQUIREMENTS.values() for cols in groups for c in cols}
        known = {
            c: frame[c].notna().to_numpy() if c in frame.columns else np.zeros(len(frame), bool)
            for c in names
        }
        data.memo["rates.known"] = known
    w = word[rows]
    received = p.received
    paper_finished = p.finished & (((w >> _BIT_PAPER) & 1) == 1)
    bit = {name: i for i, (name, _) in enumerate(_RECEIVED_BITS)}
    fee = received & (((w >> bit["n_fee_dossiers"]) & 1) == 1)
    den_of = {
        "n_received": received,
        "n_channel_known": received & (((w >> _BIT_CHANNEL_UNKNOWN) & 1) == 0),
        "n_eligible_channel_known": received & (((w >> _BIT_ELIGIBLE_KNOWN) & 1) == 1),
        "n_paper_result_finished": paper_finished,
        "n_fee_dossiers": fee,
    }
    out: dict[str, np.ndarray] = {}
    for rate, groups in RATE_REQUIREMENTS.items():
        den = den_of[RATE_COLUMNS[rate][1]]
        for i, columns in enumerate(groups):
            filled = np.zeros(len(rows), dtype=bool)
            for column in columns:
                filled |= known[column][rows]
            out[f"_known_{rate}_{i}"] = np.bincount(
                gid, weights=(filled & den).astype("float64"), minlength=n_groups
            ).astype("int64")
    return out


def _apply_gaps(counts: dict[str, np.ndarray], catalogue_gaps: dict[str, str]) -> None:
    """Set ``<rate>_missing`` and make the rates without data NaN, in place."""
    for rate, groups in RATE_REQUIREMENTS.items():
        den = counts[RATE_COLUMNS[rate][1]]
        parts = [np.full(len(den), "", dtype=object)]
        for i, needed in enumerate(groups):
            lacking = (den > 0) & (counts.pop(f"_known_{rate}_{i}") == 0)
            parts.append(np.where(lacking, ", ".join(needed), ""))
        if rate in catalogue_gaps:
            parts.append(np.full(len(den), catalogue_gaps[rate], dtype=object))
        missing = np.array(
            [", ".join(x for x in row if x) for row in zip(*parts, strict=True)], dtype=object
        )
        counts[f"{rate}_missing"] = missing
        counts[rate] = np.where(missing != "", np.nan, counts[rate])


def _catalogue_gaps(data: DossierData) -> dict[str, str]:
    """Rates whose catalogue column is absent or entirely empty -> "procedures.<col>"."""
    procedures = data.procedures
    out = {}
    for rate, columns in CATALOGUE_REQUIREMENTS.items():
        lacking = [
            f"procedures.{c}"
            for c in columns
            if procedures is None or c not in procedures.columns or procedures[c].isna().all()
        ]
        if lacking:
            out[rate] = ", ".join(lacking)
    return out


def _compact(combined: np.ndarray, n_codes: int) -> tuple[np.ndarray, np.ndarray]:
    """Codes present in ``combined`` (sorted) and each element's position among them."""
    if n_codes <= _MAX_BINS:
        seen = np.bincount(combined, minlength=n_codes) > 0
        present = np.flatnonzero(seen)
        position = np.cumsum(seen) - 1
        return present, position[combined]
    present, inverse = np.unique(combined, return_inverse=True)
    return present, inverse.ravel()


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """``numerator / denominator`` with NaN where the denominator is 0."""
    num = np.asarray(numerator, dtype="float64")
    den = np.asarray(denominator, dtype="float64")
    return np.divide(num, den, out=np.full(len(num), np.nan), where=den > 0)


def _with_all_months(
    present: np.ndarray, keys: list[str], sizes: list[int]
) -> tuple[np.ndarray, np.ndarray]:
    """Every month for each combination of the other keys seen; and where ``present`` goes."""
    decoded = list(np.unravel_index(present, sizes))
    m = keys.index("month")
    others = [i for i in range(len(keys)) if i != m]
    if others:
        other_code = np.ravel_multi_index([decoded[i] for i in others], [sizes[i] for i in others])
        seen = np.unique(other_code)
        other_parts = np.unravel_index(seen, [sizes[i] for i in others])
    else:
        seen, other_parts = np.zeros(1, dtype="int64"), ()
    parts: list[np.ndarray] = [np.empty(0, dtype="int64")] * len(keys)
    parts[m] = np.repeat(np.arange(sizes[m]), len(seen))
    for i, part in zip(others, other_parts, strict=True):
        parts[i] = np.tile(part, sizes[m])
    full = np.unique(np.ravel_multi_index(parts, sizes))
    return full, np.searchsorted(full, present)


def _label_ranks(labels: np.ndarray, key: str) -> np.ndarray:
    """Sort rank of each label: months in order; text in Vietnamese order, unknown last."""
    if key == "month":
        return np.arange(len(labels))
    order = sorted(
        range(len(labels)), key=lambda i: (labels[i] == UNKNOWN_LABEL, vi_sort_key(labels[i]))
    )
    ranks = np.empty(len(labels), dtype="int64")
    ranks[order] = np.arange(len(labels))
    return ranks


def _procedure_names(codes: np.ndarray, data: DossierData) -> np.ndarray:
    """Name of each procedure: the catalogue's, else the first one found in the dossiers."""
    names: dict = {}
    frame = data.frame
    if "procedure_name" in frame.columns and len(frame):
        group, labels = data.labels("procedure_code")
        first = np.unique(group, return_index=True)[1]
        found = frame["procedure_name"].iloc[first].to_numpy(dtype=object, na_value=None)
        names.update(
            {c: v for c, v in zip(labels[group[first]], found, strict=True) if v is not None}
        )
    procedures = data.procedures
    if procedures is not None and len(procedures) and "procedure_name" in procedures.columns:
        catalogue = procedures.drop_duplicates("procedure_code").dropna(subset=["procedure_name"])
        names.update(zip(catalogue["procedure_code"], catalogue["procedure_name"], strict=True))
    return np.array([names.get(code) for code in codes], dtype=object)


def dossier_rates(
    dossiers: pd.DataFrame | DossierData,
    procedures: pd.DataFrame | None,
    period: Period,
    by: str | Sequence[str] | None = None,
    calendar: WorkCalendar | None = None,
    rules: DossierRules | None = None,
) -> pd.DataFrame:
    """Dossier counts and rates for ``period``, overall or per group.

    Args:
        dossiers: Canonical dossiers frame, or a :class:`~tthc_analysis.metrics.dossiers.DossierData`
            (then ``procedures`` may be ``None``: the one it holds is used).
        procedures: Canonical procedure catalogue (may be empty or ``None``: the
            procedure-dependent rates are then NaN).
        period: The reporting period.
        by: ``None`` (one row), ``"month"``, ``"unit"``, ``"field"``,
            ``"procedure_code"`` (any other dossier column works too), or a list of them.
        calendar: Working-day calendar (required unless ``dossiers`` is a DossierData,
            which carries its own; metric functions read no file).
        rules: Dossier rules; default ``Settings.dossiers``.

    Returns:
        One row per group: the key columns (``month`` as ``YYYY-MM``; with
        ``procedure_code`` also ``procedure_name``), then the counts and rates listed in
        the module docstring (see :data:`RATE_COLUMNS` for each rate's numerator and
        denominator), ``avg_processing_wd`` and ``n_unknown_procedure``. Rates are NaN
        when their denominator is 0. Rows are sorted by the keys (months in order, text
        in Vietnamese order, "Chưa xác định" last). With ``month`` among the keys, every
        month of the period appears for each combination of the other keys.

    Raises:
        ParameterError: an unknown or repeated grouping key.
    """
    keys = _normalise_by(by)
    data = as_dossier_data(dossiers, procedures, calendar, rules)
    months = month_windows(period) if "month" in keys else [period]
    p = data.pairs(months, "index766")
    word = _indicator_word(data)
    combined, uniques, sizes = _group_codes(data, keys, p, months)
    if keys:
        present, gid = _compact(combined, int(np.prod(sizes)))
    else:
        present, gid = np.zeros(1, dtype="int64"), np.zeros(len(combined), dtype="int64")
    counts = _counts(p, data.prep, word, gid.astype("int64"), len(present))
    counts.update(_known_counts(data, p, word, gid.astype("int64"), len(present)))
    columns: dict[str, np.ndarray] = {}
    if keys:
        if "month" in keys:
            full, where = _with_all_months(present, keys, sizes)
            for name, values in counts.items():
                grown = np.zeros(len(full), dtype=values.dtype)
                grown[where] = values
                counts[name] = grown
            present = full
        decoded = np.unravel_index(present, sizes)
        ranks = [_label_ranks(uniques[i], key)[decoded[i]] for i, key in enumerate(keys)]
        order = np.lexsort(ranks[::-1])
        for i, key in enumerate(keys):
            columns[key] = uniques[i][decoded[i][order]]
        counts = {name: values[order] for name, values in counts.items()}
        if "procedure_code" in keys:
            columns["procedure_name"] = _procedure_names(columns["procedure_code"], data)
    counts["n_on_time"] = (
        counts["n_finished_early"] + counts["n_finished_on_time"] + counts["n_pending_in_time"]
    )
    counts["n_overdue"] = counts["n_finished_overdue"] + counts["n_pending_overdue"]
    for rate, (num, den) in RATE_COLUMNS.items():
        counts[rate] = _ratio(counts[num], counts[den])
    _apply_gaps(counts, _catalogue_gaps(data))
    counts["avg_processing_wd"] = _ratio(counts["sum_processing_wd"], counts["n_processing_wd"])
    for name in _COLUMN_ORDER:
        values = counts[name]
        columns[name] = values.astype("int64") if name.startswith("n_") else values
    table = pd.DataFrame(columns)
    for rate in RATE_REQUIREMENTS:
        table[f"{rate}_missing"] = table[f"{rate}_missing"].astype("str")
    for key in (*keys, "procedure_name"):
        if key in table.columns:
            table[key] = table[key].astype("str")
    return table
