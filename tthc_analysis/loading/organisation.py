"""Organisation change during the plan year: units, issuing body, dossier-system switch.

Bình Phước merged into Đồng Nai on 01/07/2025 (domain.md §8): the Sở, some of its units
and its dossier system changed mid-year. Three things follow, each configurable:

- **Units** (``data/reference/units.csv``: ``valid_from``, ``valid_to``,
  ``successor_code``): a dossier is attributed to the unit in force on its receipt date
  (:func:`attribute_units`: a dossier received after a unit ended, still exported under
  the old name, goes to its successor); year figures roll predecessors into their
  successor (:func:`roll_units`) with a note naming what was rolled
  (:func:`roll_note_vi`).
- **Scores** (published 766 scores, whose ``unit`` is the Sở or one of its units): each
  month's score goes to the unit in force on the month's last day, and the series is
  rolled into the last successor (:func:`attribute_scores`); the Sở's bodies of
  ``Settings.organisation.bodies`` are units too, each succeeded by the next
  (:func:`body_spans`).
- **Issuing body** (``Settings.organisation.bodies``): a report is issued by the body in
  force on its as-of date (:func:`issuing_body`); headings say which body ran the plan
  before the change (:func:`issuer_note_vi`). A period that crosses a change
  (:func:`break_in`) is flagged wherever a figure before it is compared with one after.
- **Dossier-system switch** (``Settings.organisation.system_switch_on``): dossiers carried
  into the new system get new ids. :func:`match_system_switch` keeps one row per dossier:
  a row whose ``previous_dossier_id`` (optional column "Mã hồ sơ cũ") names another row
  replaces it (the new system holds the latest state). What cannot be matched is
  reported, never guessed: a code in "Mã hồ sơ cũ" that no row has; a new-system record
  of a dossier received before the switch without the old code (its id is dated on or
  after the switch, ``{unit}-{yymmdd}-{seq}``, but it was received before: it may be
  counted twice); an old-system dossier received before the switch, still open in the
  export (no end date), that no new row references (looked for only when the data hold
  new-system rows).

All functions are pure (frames in, frames out) except :func:`unit_table`, which reads the
reference table once (:func:`unit_spans` builds the same from rows already read, as the
evaluation does with ``References.units``).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from tthc_analysis.config import Settings
from tthc_analysis.errors import InputFileError
from tthc_analysis.organisation import body_in_force
from tthc_analysis.text import format_date, nfc
from tthc_analysis.typed import pc

__all__ = [
    "SwitchReport",
    "UnitSpan",
    "attribute_scores",
    "attribute_units",
    "body_spans",
    "break_in",
    "form06_agency",
    "issuer_note_vi",
    "issuing_body",
    "match_system_switch",
    "roll_note_vi",
    "roll_units",
    "unit_in_force",
    "unit_lineage",
    "unit_spans",
    "unit_table",
]


# --- units ------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitSpan:
    """A unit's validity and successor (names are the canonical ``name_vi``)."""

    name: str
    valid_from: date | None
    valid_to: date | None
    successor: str | None


def _day(text: str, path: Path, row: int, column: str) -> date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputFileError(
            f"Ngày không hợp lệ: «{text}» (cần yyyy-mm-dd).", file=path, row=row, column=column
        ) from None


@lru_cache(maxsize=4)
def _unit_spans(path: str) -> tuple[UnitSpan, ...]:
    file = Path(path)
    try:
        with file.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise InputFileError("Không đọc được danh mục đơn vị.", file=file) from exc
    return _spans(rows, file)


def unit_spans(rows) -> dict[str, UnitSpan]:
    """Validity and successor of each unit, by canonical name, from rows already read.

    ``rows`` are rows of the unit reference, e.g. ``References.units``.
    """
    from tthc_analysis.plan.units import UNITS_FILE

    return {s.name: s for s in _spans([dict(r) for r in rows], UNITS_FILE)}


def _spans(rows: list[dict], file: Path) -> tuple[UnitSpan, ...]:
    names = {r["unit_code"].strip(): nfc(r["name_vi"]).strip() for r in rows}
    spans = []
    for number, rec in enumerate(rows, start=2):
        code = (rec.get("successor_code") or "").strip()
        if code and code not in names:
            raise InputFileError(
                f"Đơn vị kế tục «{code}» không có trong danh mục.",
                file=file,
                row=number,
                column="successor_code",
            )
        spans.append(
            UnitSpan(
                nfc(rec["name_vi"]).strip(),
                _day(rec.get("valid_from", ""), file, number, "valid_from"),
                _day(rec.get("valid_to", ""), file, number, "valid_to"),
                names[code] if code else None,
            )
        )
    return tuple(spans)


def unit_table(path: str | Path | None = None) -> dict[str, UnitSpan]:
    """Validity and successor of each unit of the reference table, by canonical name."""
    from tthc_analysis.plan.units import UNITS_FILE

    return {s.name: s for s in _unit_spans(str(path or UNITS_FILE))}


def unit_in_force(name: object, day: date | None, units: dict[str, UnitSpan]) -> object:
    """The unit that ``name`` stands for on ``day``: itself, or its successor once it ended."""
    if not isinstance(name, str) or day is None:
        return name
    seen = set()
    while name in units and name not in seen:
        seen.add(name)
        span = units[name]
        if span.valid_to is None or day <= span.valid_to or not span.successor:
            return name
        name = span.successor
    return name


def unit_lineage(names, units: dict[str, UnitSpan]) -> list[str]:
    """``names`` with every predecessor and successor (a renamed unit is the same unit)."""
    links: dict[str, set[str]] = {}
    for span in units.values():
        if span.successor:
            links.setdefault(span.name, set()).add(span.successor)
            links.setdefault(span.successor, set()).add(span.name)
    out = list(names)
    todo = list(names)
    while todo:
        for other in sorted(links.get(todo.pop(), ())):
            if other not in out:
                out.append(other)
                todo.append(other)
    return out


def _final(name: object, units: dict[str, UnitSpan]) -> object:
    seen = set()
    while isinstance(name, str) and name in units and units[name].successor and name not in seen:
        seen.add(name)
        name = units[name].successor
    return name


def attribute_units(
    frame: pd.DataFrame,
    units: dict[str, UnitSpan],
    unit_col: str = "unit",
    date_col: str = "received_at",
) -> pd.DataFrame:
    """``frame`` with each row's unit replaced by the unit in force on its date."""
    if not len(frame) or unit_col not in frame or date_col not in frame:
        return frame
    # unit_in_force once per distinct (unit, day) pair, spread over the rows.
    names = frame[unit_col]
    codes, distinct = pd.factorize(names, use_na_sentinel=True)
    if not any(isinstance(n, str) and n in units for n in distinct):
        return frame  # no unit of the table: nothing can change
    days = pd.to_datetime(frame[date_col]).to_numpy("datetime64[D]").view(np.int64)
    nat = np.isnat(days.view("datetime64[D]"))
    first = int(days[~nat].min()) if (~nat).any() else 0
    # One int64 key per row: (unit code + 1) in the high bits, day + 1 (0 = none) below.
    key = (codes.astype(np.int64) + 1) << 32 | np.where(nat, 0, days - first + 1)
    pairs, inverse = np.unique(key, return_inverse=True)
    results = np.empty(len(pairs), dtype=object)
    changed = False
    for k, pair in enumerate(pairs.tolist()):
        code, day = (pair >> 32) - 1, pair & 0xFFFFFFFF
        if code < 0:  # a missing unit stays missing
            results[k] = None
            continue
        name = distinct[code]
        on = None if day == 0 else date(1970, 1, 1) + timedelta(days=first + day - 1)
        results[k] = unit_in_force(name, on, units)
        changed = changed or not (results[k] is name or results[k] == name)
    if not changed:
        return frame
    values = results[inverse.reshape(-1)]
    missing = codes < 0
    if missing.any():
        values[missing] = names.to_numpy(object)[missing]
    out = frame.copy(deep=False)
    out[unit_col] = pd.Series(values, index=frame.index, dtype=frame[unit_col].dtype)
    return out


def roll_units(names: pd.Series, units: dict[str, UnitSpan]) -> pd.Series:
    """Each unit name rolled into its last successor (for figures over the whole year)."""
    codes, distinct = pd.factorize(names, use_na_sentinel=True)
    rolled = [_final(u, units) if isinstance(u, str) else u for u in distinct]
    if all(a is b or a == b for a, b in zip(rolled, distinct, strict=True)):
        return names.copy(deep=False)
    values = np.asarray(rolled + [None], dtype=object)[codes]  # code -1: the last (None)
    missing = codes < 0
    if missing.any():
        values[missing] = names.to_numpy(object)[missing]
    return pd.Series(values, index=names.index, name=names.name, dtype=names.dtype)


def roll_note_vi(names: pd.Series, units: dict[str, UnitSpan]) -> dict[str, str]:
    """Successor -> note naming the predecessors rolled into it (only those present)."""
    present = {u for u in names.dropna().unique() if isinstance(u, str)}
    rolled: dict[str, list[str]] = {}
    for name in sorted(present):
        final = _final(name, units)
        if final != name:
            end = units[name].valid_to
            when = f" đến {format_date(end)}" if end else ""
            rolled.setdefault(final, []).append(f"{name}{when}")
    return {
        successor: f"Gồm số liệu của {', '.join(parts)} (đơn vị được sắp xếp lại)"
        for successor, parts in rolled.items()
    }


def body_spans(settings: Settings) -> dict[str, UnitSpan]:
    """The issuing bodies of the settings as units: each succeeded by the next one.

    ``Sở Giáo dục và Đào tạo tỉnh Bình Phước`` (to 30/06/2025) → ``… tỉnh Đồng Nai``
    (from 01/07/2025): a score published for the first body belongs to the second once
    the first ended, and a year series rolls into the last body.
    """
    bodies = sorted(settings.organisation.bodies, key=lambda b: b.valid_from or date.min)
    spans = {}
    for i, body in enumerate(bodies):
        following = bodies[i + 1] if i + 1 < len(bodies) else None
        after = following.name_vi if following is not None else None
        end = body.valid_to
        starts = following.valid_from if following is not None else None
        if end is None and starts is not None:
            end = starts - timedelta(days=1)
        spans[nfc(body.name_vi).strip()] = UnitSpan(
            nfc(body.name_vi).strip(), body.valid_from, end, after
        )
    return spans


def _month_end(period: object) -> date | None:
    """Last day of a 766 period (``2025-03``), None when it is not a month."""
    text = str(period or "")
    match = re.fullmatch(r"(\d{4})-(\d{2})", text)
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        return None
    return (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)


def attribute_scores(
    scores: pd.DataFrame, units: dict[str, UnitSpan]
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Published 766 scores attributed to the unit in force, rolled for the year series.

    A month's score goes to the unit in force on the month's last day (a score of
    08/2025 still published under the old name goes to the successor); the series is then
    rolled into each unit's last successor, so that the months before and after a change
    form one series (a year figure), with a note naming what was rolled.

    Args:
        scores: Canonical ``index766`` rows (``period`` ``yyyy-mm``, ``unit``).
        units: Units by name (:func:`unit_spans` and :func:`body_spans`).

    Returns:
        ``(scores, notes)``: the rows with ``unit`` rolled, and successor → note (only
        for units present; empty when nothing was rolled).
    """
    if not len(scores) or "unit" not in scores:
        return scores, {}
    days = [_month_end(p) for p in scores["period"]]
    in_force = pd.Series(
        [unit_in_force(u, d, units) for u, d in zip(scores["unit"], days, strict=True)],
        index=scores.index,
        dtype=object,
    )
    notes = roll_note_vi(in_force, units)
    rolled = roll_units(in_force, units)
    if all(a is b or a == b for a, b in zip(rolled, scores["unit"], strict=True)):
        return scores, notes
    out = scores.copy()
    out["unit"] = pd.Series(rolled.to_numpy(), index=scores.index).astype(scores["unit"].dtype)
    return out, notes


# --- issuing body -----------------------------------------------------------------------


def issuing_body(day: date, settings: Settings, fallback: str = "") -> str:
    """The body for ``day`` (:func:`tthc_analysis.organisation.body_in_force`).

    ``fallback`` (e.g. the plan's issuer) only when no body is configured.
    """
    body = body_in_force(settings, day)
    return body.name_vi if body is not None else fallback


def break_in(start: date, end: date, settings: Settings) -> date | None:
    """The first organisation change inside ``[start, end]`` (a body's first day), if any."""
    for body in settings.organisation.bodies:
        if body.valid_from is not None and start < body.valid_from <= end:
            return body.valid_from
    return None


def form06_agency(start: date, end: date, settings: Settings, fallback: str = "") -> str:
    """The agency line of a form 06 for ``[start, end]``: the body in force on ``end``.

    When the period crosses a change of issuing body, the body before it is named too:
    "Sở Giáo dục và Đào tạo tỉnh Đồng Nai (số liệu đến 30/06/2025 của Sở Giáo dục và Đào
    tạo tỉnh Bình Phước)". The review's form 06 and ``tthc form06`` both use it (one
    source). ``fallback`` (the plan's issuer) when no body is configured.
    """
    agency = issuing_body(end, settings, fallback)
    change = break_in(start, end, settings)
    if change is not None:
        last = change - timedelta(days=1)
        before = issuing_body(last, settings, fallback)
        agency += f" (số liệu đến {format_date(last)} của {before})"
    return agency


def issuer_note_vi(start: date, end: date, as_of: date, settings: Settings, plan_ref: str) -> str:
    """Heading note of a report whose period crosses a change of issuing body.

    Example: "Báo cáo do Sở Giáo dục và Đào tạo tỉnh Đồng Nai ban hành; từ 01/01/2025 đến
    30/06/2025 kế hoạch (Công văn số 655/SGDĐT-VP…) do Sở Giáo dục và Đào tạo tỉnh Bình
    Phước thực hiện; tỉnh Bình Phước hợp nhất vào tỉnh Đồng Nai từ 01/07/2025 (…)."
    ``""`` when the period does not cross a change.
    """
    change = break_in(start, min(end, as_of), settings)
    if change is None:
        return ""
    before = issuing_body(change - timedelta(days=1), settings)
    after = issuing_body(min(end, as_of), settings)
    note = next(
        (b.note_vi for b in settings.organisation.bodies if b.valid_from == change and b.note_vi),
        "",
    )
    plan = f" {plan_ref}" if plan_ref else ""
    text = (
        f"Báo cáo do {after} ban hành; từ {format_date(start)} đến "
        f"{format_date(change - timedelta(days=1))} kế hoạch{plan} do {before} thực hiện"
    )
    return text + (f"; {note}." if note else ".")


# --- dossier-system switch ----------------------------------------------------------------


_ID_DAY = re.compile(r"-(\d{6})-\d+$")


def _id_day(dossier_id: object) -> date | None:
    if not isinstance(dossier_id, str):
        return None
    m = _ID_DAY.search(dossier_id)
    if not m:
        return None
    try:
        yy, mm, dd = int(m.group(1)[:2]), int(m.group(1)[2:4]), int(m.group(1)[4:])
        return date(2000 + yy, mm, dd)
    except ValueError:
        return None


def _arrow_text(values: pd.Series) -> pa.Array:
    """A text column as one Arrow large_string array (missing values null)."""
    array = pa.array(values.array if values.dtype != object else values, from_pandas=True)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    return array.cast(pa.large_string())


def _is_in(values: pa.Array, value_set: pa.Array) -> np.ndarray:
    """``values.isin(value_set)`` as a numpy mask (a missing value is never in it)."""
    hit = pc.is_in(values, value_set=value_set.cast(pa.large_string()), skip_nulls=True)
    return np.asarray(pc.fill_null(hit, False).to_numpy(zero_copy_only=False), dtype=bool)


_MONTH_DAYS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def _minted_from(ids: pd.Series, id_text: pa.Array, day: date) -> np.ndarray:
    """Mask of the ids minted on or after ``day`` (``_id_day(id) >= day``), vectorised.

    The ``yyMMdd`` part is read by Arrow; ids that Python's ``re`` might read
    differently (non-ASCII digits, a line break) go through :func:`_id_day` itself.
    """
    parts = pc.extract_regex(id_text, r"-(?P<d>\d{6})-\d+$")
    six = pc.struct_field(parts, [0])
    matched = np.asarray(six.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    number = np.asarray(
        pc.cast(pc.fill_null(six, "0"), pa.int64()).to_numpy(zero_copy_only=False), np.int64
    )
    year, month, dom = 2000 + number // 10000, number // 100 % 100, number % 100
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    last = _MONTH_DAYS[np.clip(month, 1, 12) - 1] + ((month == 2) & leap)
    valid = matched & (month >= 1) & (month <= 12) & (dom >= 1) & (dom <= last)
    stamp = year * 10000 + month * 100 + dom
    out = valid & (stamp >= day.year * 10000 + day.month * 100 + day.day)
    odd = pc.or_(pc.invert(pc.string_is_ascii(id_text)), pc.match_substring(id_text, "\n"))
    for i in np.flatnonzero(pc.fill_null(odd, False).to_numpy(zero_copy_only=False)):
        minted = _id_day(ids.iat[int(i)])
        out[i] = minted is not None and minted >= day
    return out


@dataclass
class SwitchReport:
    """What :func:`match_system_switch` did.

    Attributes:
        switch_on: First day of the new system (None: no switch configured).
        n_matched: Old-system rows replaced by their new-system row (via the old code).
        unknown_old_codes: New-system rows whose old code no row has (``dossier_id``,
            ``previous_dossier_id``).
        new_without_old_code: New-system records of dossiers received before the switch
            without the old code (may be counted twice).
        old_unreferenced: Old-system dossiers pending at the switch that no new row
            references (their state after the switch is unknown).
    """

    switch_on: date | None = None
    n_matched: int = 0
    unknown_old_codes: list[tuple[str, str]] = field(default_factory=list)
    new_without_old_code: list[str] = field(default_factory=list)
    old_unreferenced: list[str] = field(default_factory=list)

    @property
    def n_unmatched(self) -> int:
        """Rows that could not be matched."""
        return (
            len(self.unknown_old_codes)
            + len(self.new_without_old_code)
            + len(self.old_unreferenced)
        )

    def lines_vi(self) -> list[str]:
        """Vietnamese lines for the data-quality page (empty when nothing to say)."""
        if self.switch_on is None:
            return []
        day = format_date(self.switch_on)
        out = [
            f"Chuyển hệ thống quản lý hồ sơ từ {day}: {self.n_matched} hồ sơ chuyển tiếp được "
            "đối chiếu theo «Mã hồ sơ cũ» và chỉ tính một lần (theo trạng thái ở hệ thống mới)."
        ]
        if self.unknown_old_codes:
            ids = ", ".join(f"{n} (mã cũ {o})" for n, o in self.unknown_old_codes[:10])
            out.append(
                f"{len(self.unknown_old_codes)} hồ sơ ghi «Mã hồ sơ cũ» không có trong dữ liệu: "
                f"{ids}."
            )
        if self.new_without_old_code:
            ids = ", ".join(self.new_without_old_code[:10])
            out.append(
                f"{len(self.new_without_old_code)} hồ sơ ở hệ thống mới, tiếp nhận trước {day}, "
                f"không có «Mã hồ sơ cũ» nên không đối chiếu được (có thể bị tính hai lần): {ids}."
            )
        if self.old_unreferenced:
            ids = ", ".join(self.old_unreferenced[:10])
            more = "…" if len(self.old_unreferenced) > 10 else ""
            out.append(
                f"{len(self.old_unreferenced)} hồ sơ đang giải quyết ở hệ thống cũ tại ngày "
                f"chuyển đổi chưa thấy ở hệ thống mới: {ids}{more}."
            )
        return out


def match_system_switch(
    dossiers: pd.DataFrame, switch_on: date | None
) -> tuple[pd.DataFrame, SwitchReport]:
    """One row per dossier across a switch of dossier system (see the module docstring).

    Args:
        dossiers: Canonical dossiers (optional ``previous_dossier_id``).
        switch_on: First day of the new system; None = no switch (nothing changes, but
            old codes are still honoured when given).

    Returns:
        ``(dossiers, report)``: the rows kept (an old-system row referenced by a newer
        row is dropped) and the :class:`SwitchReport`.
    """
    report = SwitchReport(switch_on=switch_on)
    if not len(dossiers):
        return dossiers, report
    ids = dossiers["dossier_id"]
    prev = (
        dossiers["previous_dossier_id"]
        if "previous_dossier_id" in dossiers
        else pd.Series([None] * len(dossiers), index=dossiers.index, dtype=object)
    )
    has_prev = (prev.notna() & (prev.astype(str).str.strip() != "")).to_numpy(bool)
    # Membership tests in Arrow (hash sets of a million ids, no Python objects).
    id_text, prev_text = _arrow_text(ids), _arrow_text(prev)
    found = has_prev & _is_in(prev_text, id_text.drop_null())
    in_referenced = _is_in(id_text, pc.unique(prev_text.filter(pa.array(has_prev))))
    unknown = has_prev & ~found
    report.unknown_old_codes = [
        (str(i), str(p)) for i, p in zip(ids[unknown], prev[unknown], strict=True)
    ]
    drop = in_referenced & ~has_prev
    report.n_matched = int(drop.sum())
    if switch_on is not None:
        received = pd.to_datetime(dossiers["received_at"])
        before = (received < pd.Timestamp(switch_on)).to_numpy(bool)  # NaT: False
        new_record = _minted_from(ids, id_text, switch_on)
        report.new_without_old_code = sorted(
            ids[new_record & before & ~has_prev].astype(str).tolist()
        )
        # An old-system row still open in the export (no end date) that no new row
        # references: its state after the switch is unknown. Only looked for when the
        # data hold new-system rows at all.
        still_open = pd.to_datetime(dossiers["completed_at"]).isna().to_numpy(bool)
        pending_at_switch = before & ~new_record & still_open
        if bool(new_record.any() or has_prev.any()):
            report.old_unreferenced = sorted(
                ids[pending_at_switch & ~in_referenced].astype(str).tolist()
            )
    kept = dossiers.loc[~drop] if drop.any() else dossiers  # nothing dropped: no copy
    return kept, report
